"""An outside computation of IKM (PermenPANRB 14/2017) for sakip's tests.

Usage: python3 ikm_oracle.py SURVEY_DIR MIN_RESPONDENTS
Reads every .csv (comma or semicolon) and .json survey under SURVEY_DIR with
Python's csv and json modules, keeps the rows whose nine answers are whole
numbers 1-4 and whose (unit, year, service, respondent id) occurs once, and
prints one JSON object: {"YEAR/UNIT": {"respondents": n, "ikm": "88.31",
"mutu": "A"}} with IKM = 25 x sum over elements of (1/9 x element sum / n),
computed with fractions.Fraction and rounded once, half-up. Elements are
found by the names in their headers, never by position."""

import csv
import json
import pathlib
import sys
from collections import Counter, defaultdict
from fractions import Fraction

NAMES = [
    "persyaratan", "sistemmekanismedanprosedur", "waktupenyelesaian", "biayatarif",
    "produkspesifikasijenispelayanan", "kompetensipelaksana", "perilakupelaksana",
    "penangananpengaduansarandanmasukan", "saranadanprasarana",
]
BANDS = [("A", Fraction(8831, 100), 100), ("B", Fraction(7661, 100), Fraction(8830, 100)),
         ("C", 65, Fraction(7660, 100)), ("D", 25, Fraction(6499, 100))]


def fold(s):
    return "".join(c for c in s.lower() if c.isalnum())


def rows_of(path):
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8-sig")
    first = text.splitlines()[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    return list(csv.DictReader(text.splitlines(), delimiter=sep))


def element_of(header):
    h = fold(header)
    hits = [i for i, n in enumerate(NAMES) if n in h]
    return hits[0] if len(hits) == 1 else None


def main():
    root = pathlib.Path(sys.argv[1])
    minimum = int(sys.argv[2])
    good = []
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".csv", ".json")):
        for row in rows_of(path):
            cols = {element_of(k): v for k, v in row.items() if element_of(k) is not None}
            answers = [str(cols.get(i, "")).strip() for i in range(9)]
            if not all(a in ("1", "2", "3", "4") for a in answers):
                continue
            code = row["kode_satker"].replace(".", "")
            good.append(((int(row["tahun"]), code), row.get("layanan", ""), row["id_responden"], [int(a) for a in answers]))
    times = Counter((k, s, r) for k, s, r, _ in good)
    sums = defaultdict(lambda: [0] * 9)
    count = Counter()
    for k, s, r, answers in good:
        if times[(k, s, r)] > 1:
            continue
        count[k] += 1
        sums[k] = [a + b for a, b in zip(sums[k], answers)]
    out = {}
    for (year, unit), n in sorted(count.items()):
        if n < minimum:
            out[f"{year}/{unit}"] = {"respondents": n, "ikm": None, "mutu": None}
            continue
        value = sum(Fraction(1, 9) * Fraction(s, n) for s in sums[(year, unit)]) * 25
        hundredths = (value * 100 + Fraction(1, 2)).__floor__()
        rounded = Fraction(hundredths, 100)
        mutu = next(m for m, lo, hi in BANDS if lo <= rounded <= hi)
        out[f"{year}/{unit}"] = {"respondents": n, "ikm": f"{hundredths // 100}.{hundredths % 100:02d}", "mutu": mutu}
    print(json.dumps(out, sort_keys=True))


main()
