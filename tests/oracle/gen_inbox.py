#!/usr/bin/env python3
"""Writes the oracle's small inbox and the pipeline that consolidates it.

    python3 tests/oracle/gen_inbox.py --out DIR

DIR/pipelines/ gets the shipped rule files, the two small rubrics of
tests/oracle/rubrics/ and oracle.toml; DIR/inbox/<year>/ the submissions.
Chosen so that every rule the reference recomputes is exercised:

- three provinces (51, 52, 53), each with its KPU Provinsi and five
  Kabupaten/Kota (eleven in 53), not every unit in every year;
- years 2013, 2014, 2015 (consecutive: last year's standing) and 2017 (after
  a gap: no last year);
- both shipped rubrics (12/2015 in 2013, 88/2021 in 2017) and two small ones
  (2014: `rollup = "sum"` and `missing = "exclude"`; 2015: `missing =
  "reject"`), both predikat scales (lama-tanpa-bb to 2014);
- unanswered criteria (blank or left out) under each `missing` policy;
- both tracks, a file with only one of them, ties within a province and
  across provinces, a total exactly on a band edge (90.00, 85.00) and one
  whose exact value ends in a half hundredth (77.725);
- CSV with English or Indonesian headers, JSON, codes written 5301 or 53.01,
  answers in any case and by alias.

Deterministic (fixed seed); nothing here uses sakip.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import load_rules  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PROVINCES = ["51", "52", "53"]
YEARS = [2013, 2014, 2015, 2017]

PIPELINE = """\
# Written by tests/oracle/gen_inbox.py: the oracle's small national inbox.
kind = "pipeline"
name = "Uji oracle"
inbox = "../inbox"
warehouse = "../warehouse"
registry = "{registry}"
province = "all"
duplicates = "error"

[[evaluations]]
from = 2010
to = 2013
rubric = "permenpanrb-12-2015"
scale = "lama-tanpa-bb"

[[evaluations]]
from = 2014
to = 2014
rubric = "oracle-sum-exclude"
scale = "lama-tanpa-bb"

[[evaluations]]
from = 2015
to = 2016
rubric = "oracle-mean-reject"
scale = "permenpanrb-bb"

[[evaluations]]
from = 2017
rubric = "permenpanrb-88-2021"
scale = "permenpanrb-bb"
"""


def units() -> list[str]:
    chosen = []
    with open(REPO / "sample-data/wilayah/regencies.csv", newline="", encoding="utf-8") as fh:
        regencies = [r["code"] for r in csv.DictReader(fh)]
    for p in PROVINCES:
        chosen.append(p)
        # Province 53 larger: twelve units make percentiles such as 81.82
        # (100 × 9 / 11), which a float computed as 8182 × 0.01 misses.
        chosen += [c.replace(".", "") for c in regencies if c.startswith(p + ".")][: 11 if p == "53" else 5]
    return chosen


def random_answers(rng: random.Random, rules, rubric, level: float) -> dict[str, str]:
    """A plausible answer to every criterion around a unit's level (0..1)."""
    out = {}
    for c in rubric.criteria():
        scale = rules.answer_scales[c.scale]
        if scale.listed is None:
            v = min(100.0, max(0.0, rng.gauss(level * 100, 12)))
            out[c.code] = str(round(v)) if rng.random() < 0.5 else f"{v:.1f}"
            continue
        # Answers best first; each name once (aliases are tried separately).
        by_value = sorted({v: k for k, v in scale.listed.items() if len(k) <= 2}.items(), reverse=True)
        i = int(round(rng.gauss((1 - level) * (len(by_value) - 1), 0.8)))
        out[c.code] = by_value[min(max(i, 0), len(by_value) - 1)][1]
    return out


def special(rules, year: int, unit: str, track: str, answers: dict[str, str], codes: list[str]) -> dict[str, str]:
    """The hand-picked worksheets (see the module doc)."""
    rubric = rules.rubrics[rules.years[year][0]]
    all_codes = [c.code for c in rubric.criteria()]
    if year == 2017 and track == "evaluator" and unit in (codes[1], codes[2], codes[7]):
        # Every criterion A (90 of 100): exactly 90.00, the top of A; a tie
        # within province 51 and with 5201 across provinces.
        return {c: "A" for c in all_codes}
    if year == 2014 and track == "evaluator":
        full = {"1.1.1": "Y", "1.1.2": "Ya", "1.2.1": "A", "1.2.2": "a", "1.2.3": "A", "2.2.1": "AA", "2.2.2": "AA", "2.2.3": "A"}
        if unit == codes[3]:
            # 15 + 25 + 7.5 + 37.5 = 85 exactly: A on the old scale (AA is above 85).
            return {**full, "2.1.1": "100", "2.1.2": "0"}
        if unit == codes[8]:
            # 2.1.1 at 3 of 100 earns 0.225 of its 7.5: 77.725 exactly, 77.73 half-up.
            return {**full, "2.1.1": "3", "2.1.2": "0"}
        if unit == codes[10]:
            # Sub-component 1.1 left blank and 2.2.3 left out: excluded.
            a = {**answers, "1.1.1": "", "1.1.2": " "}
            a.pop("2.2.3", None)
            return a
    if year == 2013 and track == "evaluator" and unit == codes[16]:
        # The same answers as the unit before it: a tie in province 53.
        return dict(answers)
    return answers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    out = args.out
    pipelines = out / "pipelines"
    for kind in ("answer-scales", "scales", "rubrics"):
        shutil.copytree(REPO / "pipelines" / kind, pipelines / kind, dirs_exist_ok=True)
    for rubric in (HERE / "rubrics").glob("*.toml"):
        shutil.copy(rubric, pipelines / "rubrics" / rubric.name)
    (pipelines / "oracle.toml").write_text(PIPELINE.format(registry=(REPO / "sample-data/wilayah").as_posix()))
    rules = load_rules(pipelines / "oracle.toml")

    codes = units()
    rng = random.Random(20260415)
    level = {u: rng.uniform(0.35, 0.9) for u in codes}
    files = 0
    for year in YEARS:
        rubric = rules.rubrics[rules.years[year][0]]
        previous = None
        for i, unit in enumerate(codes):
            # Some units miss a year, so that last year's figures are NULL;
            # in 2017 every unit of 53 sends (twelve ranked).
            if (i + year) % 7 == 0 and not (year == 2017 and unit.startswith("53")):
                continue
            tracks = ["mandiri", "evaluator"]
            if (i + year) % 11 == 0:
                tracks = ["evaluator"]
            elif (i + year) % 13 == 0:
                tracks = ["mandiri"]
            rows = []
            for track in tracks:
                bias = 0.06 if track == "mandiri" else 0.0
                answers = random_answers(rng, rules, rubric, min(level[unit] + bias + 0.02 * (year - 2013), 0.98))
                if year == 2013 and track == "evaluator" and unit == codes[16] and previous is not None:
                    answers = dict(previous)
                answers = special(rules, year, unit, track, answers, codes)
                if track == "evaluator":
                    previous = answers
                # A few unanswered criteria: blank, or the row left out.
                if rng.random() < 0.25 and not (year == 2014 and unit in (codes[3], codes[8])) and not (year == 2017 and unit in (codes[1], codes[2], codes[7])) and not (year == 2013 and unit == codes[16]):
                    victim = rng.choice([c.code for c in rubric.criteria()])
                    if rng.random() < 0.5:
                        answers[victim] = ""
                    else:
                        answers.pop(victim, None)
                for c in rubric.criteria():
                    if c.code in answers:
                        a = answers[c.code]
                        rows.append((track, c.code, a.lower() if rng.random() < 0.05 else a))
            written = unit if i % 2 else (unit[:2] + "." + unit[2:] if len(unit) == 4 else unit)
            folder = out / "inbox" / str(year)
            folder.mkdir(parents=True, exist_ok=True)
            kind = (i + year) % 3
            if kind == 2:
                doc = {"unit_code": written, "year": year,
                       "answers": [{"criterion": c, "track": t, "answer": a} for t, c, a in rows]}
                (folder / f"{unit}-oracle.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False))
            else:
                buf = io.StringIO()
                w = csv.writer(buf, lineterminator="\n")
                w.writerow(["unit_code", "year", "track", "criterion", "answer"] if kind == 0
                           else ["Kode Satker", "Tahun", "Penilaian", "Kode Kriteria", "Jawaban"])
                for t, c, a in rows:
                    w.writerow([written, year, t, c, a])
                (folder / f"{unit}-oracle.csv").write_text(buf.getvalue(), encoding="utf-8")
            files += 1
    print(f"gen_inbox: {files} files for {len(codes)} units, years {', '.join(map(str, YEARS))}, in {out / 'inbox'}")


if __name__ == "__main__":
    main()
