#!/usr/bin/env python3
"""The rule files of a pipeline as the small lookup tables the peer jobs read.

    python3 benches/peers/lookups.py pipelines/national-history.toml --out DIR

writes, from the pipeline's [[evaluations]] and the TOML rubrics, predikat
scales and answer scales it names (not timed by benches/e2e.sh):

  years.csv          year, rubric, scale            (one row per year 1800..2100
                                                     that the pipeline covers)
  criteria.csv       rubric, criterion, component, subcomponent, answer_scale
  subcomponents.csv  rubric, component, subcomponent, weight, n_criteria
  answer_values.csv  answer_scale, answer (upper case; aliases too), value, full_marks
  bands.csv          scale, predikat, lower, lower_inclusive, upper
                     (a band holds lower < score <= upper; lower <= score for
                     the bottom band)

Numbers are written as the exact decimals of the rule files (0.67, 4.5), so a
peer that reads them as DOUBLE gets the nearest binary float, as any data
engineer's job would. compare.py takes its exact reference from the
test suite's oracle (tests/oracle/reference.py), not from this file.
"""
from __future__ import annotations

import argparse
import csv
import decimal
import sys
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 1800, 2100


def exact(v) -> Fraction:
    """A TOML number or string ("4.5", "2/3") as an exact fraction."""
    if isinstance(v, bool):
        raise ValueError(f"not a number: {v!r}")
    if isinstance(v, (int, decimal.Decimal)):
        return Fraction(v)
    if isinstance(v, str):
        return Fraction(v.strip())
    raise ValueError(f"not a number: {v!r}")


def decimal_text(f: Fraction) -> str:
    """An exact fraction as a finite decimal (rule-file numbers are decimals)."""
    if f.denominator == 1:
        return str(f.numerator)
    d = decimal.Decimal(f.numerator) / decimal.Decimal(f.denominator)
    back = Fraction(d)
    if back != f:
        raise ValueError(f"{f} has no finite decimal form")
    return format(d.normalize(), "f")


def read_toml(path: Path) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh, parse_float=decimal.Decimal)


@dataclass
class AnswerScale:
    id: str
    values: dict[str, Fraction]  # upper-cased answer or alias -> value
    full_marks: Fraction


@dataclass
class Criterion:
    code: str
    component: str
    subcomponent: str
    scale: str


@dataclass
class Sub:
    code: str
    component: str
    weight: Fraction
    criteria: list[str] = field(default_factory=list)


@dataclass
class Rubric:
    id: str
    criteria: dict[str, Criterion]
    subs: dict[str, Sub]


@dataclass
class Band:
    predikat: str
    lower: Fraction
    lower_inclusive: bool
    upper: Fraction


@dataclass
class Rules:
    years: dict[int, tuple[str, str]]  # year -> (rubric id, predikat scale id)
    rubrics: dict[str, Rubric]
    answer_scales: dict[str, AnswerScale]
    scales: dict[str, list[Band]]


def resolve(base: Path, kind_dir: str, ref: str) -> tuple[str, Path]:
    if ref.endswith(".toml"):
        p = (base / ref).resolve()
        return p.stem, p
    return ref, base / kind_dir / f"{ref}.toml"


def load_answer_scale(base: Path, ref: str, into: dict[str, AnswerScale]) -> str:
    sid, path = resolve(base, "answer-scales", ref)
    if sid in into:
        return sid
    doc = read_toml(path)
    if "range" in doc:
        sys.exit(f"lookups.py: answer scale {sid} is a numeric range; these peer jobs only map listed answers")
    values: dict[str, Fraction] = {}
    for a in doc["answers"]:
        v = exact(a["value"])
        for name in [a["answer"], *a.get("aliases", [])]:
            values[str(name).strip().upper()] = v
    into[sid] = AnswerScale(sid, values, max(values.values()))
    return sid


def load_rubric(base: Path, ref: str, answer_scales: dict[str, AnswerScale]) -> Rubric:
    rid, path = resolve(base, "rubrics", ref)
    doc = read_toml(path)
    if doc.get("rollup", "mean") != "mean":
        sys.exit(f"lookups.py: rubric {rid} uses rollup = {doc['rollup']!r}; the peer jobs implement 'mean' only")
    if doc.get("missing", "zero") != "zero":
        sys.exit(f"lookups.py: rubric {rid} uses missing = {doc['missing']!r}; the peer jobs implement 'zero' only")
    criteria: dict[str, Criterion] = {}
    subs: dict[str, Sub] = {}
    for comp in doc["components"]:
        for sub in comp["subcomponents"]:
            s = Sub(str(sub["code"]), str(comp["code"]), exact(sub["weight"]))
            subs[s.code] = s
            for c in sub["criteria"]:
                scale_ref = c.get("answer_scale") or sub.get("answer_scale") or doc.get("answer_scale")
                if not scale_ref:
                    sys.exit(f"lookups.py: criterion {c['code']} of {rid} has no answer scale")
                sid = load_answer_scale(base, scale_ref, answer_scales)
                code = str(c["code"])
                criteria[code] = Criterion(code, s.component, s.code, sid)
                s.criteria.append(code)
    return Rubric(rid, criteria, subs)


def load_scale(base: Path, ref: str) -> tuple[str, list[Band]]:
    sid, path = resolve(base, "scales", ref)
    bands = []
    for b in read_toml(path)["bands"]:
        if "above" in b:
            bands.append(Band(b["predikat"], exact(b["above"]), False, exact(b["to"])))
        else:
            bands.append(Band(b["predikat"], exact(b["from"]), True, exact(b["to"])))
    return sid, bands


def load_rules(pipeline: Path) -> Rules:
    doc = read_toml(pipeline)
    base = pipeline.resolve().parent
    rules = Rules({}, {}, {}, {})
    for ev in doc["evaluations"]:
        rubric = load_rubric(base, ev["rubric"], rules.answer_scales)
        rules.rubrics.setdefault(rubric.id, rubric)
        sid, bands = load_scale(base, ev["scale"])
        rules.scales.setdefault(sid, bands)
        for y in range(max(int(ev["from"]), FIRST_YEAR), min(int(ev.get("to", LAST_YEAR)), LAST_YEAR) + 1):
            rules.years[y] = (rubric.id, sid)
    return rules


def grade(bands: list[Band], score: Fraction) -> str | None:
    for b in bands:
        if (score > b.lower or (b.lower_inclusive and score >= b.lower)) and score <= b.upper:
            return b.predikat
    return None


def write_lookups(rules: Rules, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows) -> None:
        with open(out / name, "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write("years.csv", ["year", "rubric", "scale"], ((y, r, s) for y, (r, s) in sorted(rules.years.items())))
    write(
        "criteria.csv",
        ["rubric", "criterion", "component", "subcomponent", "answer_scale"],
        ((r.id, c.code, c.component, c.subcomponent, c.scale) for r in rules.rubrics.values() for c in r.criteria.values()),
    )
    write(
        "subcomponents.csv",
        ["rubric", "component", "subcomponent", "weight", "n_criteria"],
        ((r.id, s.component, s.code, decimal_text(s.weight), len(s.criteria)) for r in rules.rubrics.values() for s in r.subs.values()),
    )
    write(
        "answer_values.csv",
        ["answer_scale", "answer", "value", "full_marks"],
        ((a.id, k, decimal_text(v), decimal_text(a.full_marks)) for a in rules.answer_scales.values() for k, v in a.values.items()),
    )
    write(
        "bands.csv",
        ["scale", "predikat", "lower", "lower_inclusive", "upper"],
        ((sid, b.predikat, decimal_text(b.lower), str(b.lower_inclusive).lower(), decimal_text(b.upper)) for sid, bands in rules.scales.items() for b in bands),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pipeline", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    rules = load_rules(args.pipeline)
    write_lookups(rules, args.out)
    n = sum(len(r.criteria) for r in rules.rubrics.values())
    print(f"lookups  {len(rules.rubrics)} rubrics, {n} criteria, {len(rules.answer_scales)} answer scales, {len(rules.scales)} predikat scales in {args.out}")


if __name__ == "__main__":
    main()
