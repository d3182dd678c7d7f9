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

The rule files are read by the test suite's oracle (tests/oracle/reference.py,
`load_rules`), the same loader compare.py's exact reference uses, so the
peers and the reference cannot read the rules two ways. This file only
flattens what it loaded, and refuses the rules the peers do not implement
(a `sum` roll-up, `missing` other than `zero`, numeric-range answer scales).

Numbers are written as the exact decimals of the rule files (0.67, 4.5), so a
peer that reads them as DOUBLE gets the nearest binary float, as any data
engineer's job would.
"""
from __future__ import annotations

import argparse
import csv
import decimal
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "oracle"))
from reference import Rules, load_rules  # noqa: E402


def decimal_text(f: Fraction) -> str:
    """An exact fraction as a finite decimal (rule-file numbers are decimals)."""
    if f.denominator == 1:
        return str(f.numerator)
    d = decimal.Decimal(f.numerator) / decimal.Decimal(f.denominator)
    if Fraction(d) != f:
        raise ValueError(f"{f} has no finite decimal form")
    return format(d.normalize(), "f")


def refuse_unsupported(rules: Rules) -> None:
    """The peer jobs implement the national history's rules only; say so
    rather than write lookups they would silently misread."""
    for r in rules.rubrics.values():
        if r.rollup != "mean":
            sys.exit(f"lookups.py: rubric {r.id} uses rollup = {r.rollup!r}; the peer jobs implement 'mean' only")
        if r.missing != "zero":
            sys.exit(f"lookups.py: rubric {r.id} uses missing = {r.missing!r}; the peer jobs implement 'zero' only")
    for a in rules.answer_scales.values():
        if a.listed is None:
            sys.exit(f"lookups.py: answer scale {a.id} is a numeric range; the peer jobs only map listed answers")


def write_lookups(rules: Rules, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows) -> None:
        with open(out / name, "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    subs = [(r, comp, s) for r in rules.rubrics.values() for comp in r.components for s in comp.subs]
    write("years.csv", ["year", "rubric", "scale"], ((y, r, s) for y, (r, s) in sorted(rules.years.items())))
    write(
        "criteria.csv",
        ["rubric", "criterion", "component", "subcomponent", "answer_scale"],
        ((r.id, c.code, comp.code, s.code, c.scale) for r, comp, s in subs for c in s.criteria),
    )
    write(
        "subcomponents.csv",
        ["rubric", "component", "subcomponent", "weight", "n_criteria"],
        ((r.id, comp.code, s.code, decimal_text(s.weight), len(s.criteria)) for r, comp, s in subs),
    )
    write(
        "answer_values.csv",
        ["answer_scale", "answer", "value", "full_marks"],
        ((a.id, k, decimal_text(v), decimal_text(a.full_marks)) for a in rules.answer_scales.values() for k, v in a.listed.items()),
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
    refuse_unsupported(rules)
    write_lookups(rules, args.out)
    n = sum(len(r.criteria()) for r in rules.rubrics.values())
    print(f"lookups  {len(rules.rubrics)} rubrics, {n} criteria, {len(rules.answer_scales)} answer scales, {len(rules.scales)} predikat scales in {args.out}")


if __name__ == "__main__":
    main()
