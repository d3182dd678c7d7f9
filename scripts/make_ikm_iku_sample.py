#!/usr/bin/env python3
"""Generate the sample IKM surveys (sample-data/ikm/) and IKU reports
(sample-data/iku/) of KPU Provinsi Nusa Tenggara Timur and its 22 KPU
Kabupaten/Kota for 2023 and 2024.

Needs Python 3.9+ only. Run from anywhere:

    python3 scripts/make_ikm_iku_sample.py

Deterministic: every random choice comes from random.Random with a fixed
seed, so two runs write byte-identical files. The script deletes and rewrites
sample-data/ikm/ and sample-data/iku/ only.

What the files hold (all made up):
- IKM: one file per unit and year, 100-400 respondents, the nine elements of
  PermenPANRB 14/2017 named in the header, profile columns (jenis kelamin,
  usia, pendidikan, pekerjaan). Files alternate between comma CSV (English
  Excel), semicolon CSV (Indonesian Excel) and JSON; some exports number
  Sarana before Pengaduan in their headers, as real exports do.
  Broken on purpose: 5304 (2024) has an answer 5, a blank answer and a
  respondent id used twice; 5312 (2024) has an answer 0; 5320 (2023) surveyed
  only 60 respondents (below the sample pipeline's minimum of 100).
- IKU: six indicators per unit and year with target, realisation and
  direction (naik / turun / rentang). Broken on purpose: 5306 (2024) reports
  a zero target, 5309 (2024) a realisation "n/a", 5315 (2023) one indicator
  twice.
"""

from __future__ import annotations

import csv
import json
import pathlib
import random
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-data"
YEARS = (2023, 2024)

ELEMENTS = [
    ("U1", "Persyaratan"),
    ("U2", "Sistem, Mekanisme, dan Prosedur"),
    ("U3", "Waktu Penyelesaian"),
    ("U4", "Biaya/Tarif"),
    ("U5", "Produk Spesifikasi Jenis Pelayanan"),
    ("U6", "Kompetensi Pelaksana"),
    ("U7", "Perilaku Pelaksana"),
    ("U8", "Penanganan Pengaduan, Saran dan Masukan"),
    ("U9", "Sarana dan Prasarana"),
]
PROFILE = ["jenis_kelamin", "usia", "pendidikan", "pekerjaan"]
SERVICES = ["Layanan Informasi Publik", "Layanan Data Pemilih", "Layanan Konsultasi Pencalonan"]
INDICATORS = [
    # code, name, unit of measure, direction, target (lower), upper bound
    ("IKU-01", "Persentase partisipasi pemilih", "persen", "naik", "77,5", ""),
    ("IKU-02", "Nilai evaluasi SAKIP", "nilai", "naik", "70", ""),
    ("IKU-03", "Indeks kepuasan masyarakat atas layanan KPU", "indeks", "naik", "80", ""),
    ("IKU-04", "Rata-rata waktu penyelesaian permohonan informasi", "hari", "turun", "7", ""),
    ("IKU-05", "Jumlah temuan BPK yang belum ditindaklanjuti", "temuan", "turun", "4", ""),
    ("IKU-06", "Waktu penyusunan daftar pemilih tetap", "bulan", "rentang", "7", "8"),
]


def units() -> list[tuple[str, str]]:
    out = [("53", "kpu-provinsi-ntt")]
    with open(SAMPLE / "wilayah" / "regencies.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["province_code"] == "53":
                code = row["code"].replace(".", "")
                slug = row["name"].lower().replace("kabupaten ", "").replace("kota ", "kota-").replace(" ", "-")
                out.append((code, slug))
    return out


def answer(rng: random.Random, level: float) -> int:
    """One answer around a unit's satisfaction level (1-4)."""
    v = round(rng.gauss(level, 0.55))
    return min(4, max(1, v))


def survey(rng: random.Random, code: str, year: int, n: int) -> tuple[list[str], list[list[str]]]:
    level = rng.uniform(2.9, 3.75)
    swapped = rng.random() < 0.3
    order = list(range(9))
    if swapped:
        order[7], order[8] = order[8], order[7]
    header = ["kode_satker", "tahun", "layanan", "id_responden"]
    for pos, e in enumerate(order):
        # A swapped export numbers by its own position but keeps the names.
        header.append(f"U{pos + 1}. {ELEMENTS[e][1]}" if swapped else ELEMENTS[e][1])
    header += PROFILE
    rows = []
    for i in range(1, n + 1):
        answers = [answer(rng, level + rng.uniform(-0.3, 0.3)) for _ in range(9)]
        row = [code, str(year), rng.choice(SERVICES), f"R{year}-{code}-{i:04d}"]
        row += [str(answers[e]) for e in order]
        row += [
            rng.choice(["L", "P"]),
            rng.choice(["17-25", "26-35", "36-45", "46-55", ">55"]),
            rng.choice(["SMA", "D3", "S1", "S2"]),
            rng.choice(["PNS", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa", "Lainnya"]),
        ]
        rows.append(row)
    return header, rows


def write_csv(path: pathlib.Path, header: list[str], rows: list[list[str]], sep: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=sep, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_json(path: pathlib.Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    items = [dict(zip(header, r)) for r in rows]
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def make_ikm(rng: random.Random) -> None:
    out = SAMPLE / "ikm"
    shutil.rmtree(out, ignore_errors=True)
    for year in YEARS:
        for k, (code, slug) in enumerate(units()):
            n = 60 if (code, year) == ("5320", 2023) else rng.randint(100, 400)
            header, rows = survey(rng, code, year, n)
            first = header.index("id_responden") + 1
            if (code, year) == ("5304", 2024):
                rows[10][first + 2] = "5"
                rows[20][first + 5] = ""
                rows[30][2:4] = rows[31][2:4]
            if (code, year) == ("5312", 2024):
                rows[5][first] = "0"
            name = out / str(year) / f"{code}-{slug}-skm-{year}"
            fmt = k % 3
            if fmt == 0:
                write_csv(name.with_suffix(".csv"), header, rows, ",")
            elif fmt == 1:
                write_csv(name.with_suffix(".csv"), header, rows, ";")
            else:
                write_json(name.with_suffix(".json"), header, rows)


def shift(rng: random.Random, target: str, direction: str) -> str:
    t = float(target.replace(",", "."))
    spread = 0.25 if direction == "naik" else 0.35
    r = max(0.0, t * rng.uniform(1 - spread, 1 + spread * 0.6))
    if direction == "rentang":
        r = rng.choice([6.5, 7, 7.5, 8, 8.5, 9])
    return f"{r:.1f}".replace(".", ",")


def make_iku(rng: random.Random) -> None:
    out = SAMPLE / "iku"
    shutil.rmtree(out, ignore_errors=True)
    header = ["kode_satker", "tahun", "kode_indikator", "nama_indikator", "satuan", "arah", "target", "target_atas", "realisasi"]
    for year in YEARS:
        for code, slug in units():
            rows = []
            for ind, name, measure, direction, target, upper in INDICATORS:
                real = shift(rng, target, direction)
                rows.append([code, str(year), ind, name, measure, direction, target, upper, real])
            if (code, year) == ("5306", 2024):
                rows[4][6] = "0"
            if (code, year) == ("5309", 2024):
                rows[1][8] = "n/a"
            if (code, year) == ("5315", 2023):
                rows.append(list(rows[0]))
            write_csv(out / str(year) / f"{code}-{slug}-iku-{year}.csv", header, rows, ";")


def main() -> None:
    make_ikm(random.Random("sakip-ikm-sample-1"))
    make_iku(random.Random("sakip-iku-sample-1"))


if __name__ == "__main__":
    main()
