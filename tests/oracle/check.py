#!/usr/bin/env python3
"""Compares every figure of sakip's warehouse with the exact reference.

    python3 tests/oracle/check.py --pipeline DIR/pipelines/oracle.toml --warehouse DIR/warehouse

Reads `current/{scores,component_scores,rankings,component_rankings}` with
pyarrow and recomputes them from the inbox and the rule files with
tests/oracle/reference.py. Every row must be there, no row extra, and every
column equal: scores and predikat, missing criteria, component scores, ranks
in province and nation, units_in_province, percentile and the prev_* columns.
Also checks that scores are stored as DECIMAL(5,2) and that rankings list a
tie by unit code. With --sakip, also what `sakip rank` and `sakip sql`
print (tests/oracle/cli.py). Prints each difference; exit code 1 if there is one.
"""
from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import reference  # noqa: E402
import cli  # noqa: E402

DEC52 = pa.decimal128(5, 2)
# The columns the README promises as DECIMAL(5,2), per table.
DECIMAL_COLUMNS = {
    "scores": ["score"],
    "component_scores": ["score", "max_score"],
    "rankings": ["score", "prev_score", "score_change"],
    "component_rankings": ["score", "max_score"],
}


def read(warehouse: Path, table: str) -> tuple[list[dict], list[str]]:
    """Every row of a table (files in year order), and type problems."""
    rows, problems = [], []
    files = sorted((warehouse / "current" / table).glob("year=*/part-0.parquet"))
    if not files:
        problems.append(f"{table}: no files under {warehouse / 'current' / table}")
    for f in files:
        t = pq.read_table(f)
        for col in DECIMAL_COLUMNS[table]:
            if col not in t.schema.names:
                problems.append(f"{f}: no column {col}")
            elif t.schema.field(col).type != DEC52:
                problems.append(f"{f}: {col} is {t.schema.field(col).type}, not DECIMAL(5,2)")
        rows += t.to_pylist()
    return rows, problems


def h(v) -> int | None:
    """A DECIMAL(5,2) value as hundredths; anything else is a type error."""
    if v is None:
        return None
    if not isinstance(v, Decimal):
        raise TypeError(f"{v!r} is not a decimal")
    return int(v * 100)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pipeline", type=Path, required=True)
    ap.add_argument("--warehouse", type=Path, required=True)
    ap.add_argument("--sakip", type=Path, help="the binary: also check `sakip rank` and `sakip sql` against the reference")
    args = ap.parse_args()
    ref = reference(args.pipeline)
    problems: list[str] = []
    compared = 0

    def same(where: str, column: str, got, want) -> None:
        nonlocal compared
        compared += 1
        if got != want:
            problems.append(f"{where}: {column} is {got!r}, the reference says {want!r}")

    def keyed(table: str, key) -> dict:
        rows, type_problems = read(args.warehouse, table)
        problems.extend(type_problems)
        out = {}
        for r in rows:
            k = key(r)
            if k in out:
                problems.append(f"{table}: row {k} twice")
            out[k] = r
        return out

    def coverage(table: str, got: dict, want: dict) -> None:
        for k in sorted(set(want) - set(got)):
            problems.append(f"{table}: row {k} missing")
        for k in sorted(set(got) - set(want)):
            problems.append(f"{table}: row {k} not in the reference")

    scores = keyed("scores", lambda r: (r["year"], r["unit_code"], r["track"]))
    coverage("scores", scores, ref["scores"])
    for k, s in ref["scores"].items():
        r = scores.get(k)
        if r is None:
            continue
        w = f"scores {k}"
        for col, want in (("province_code", s.province), ("unit_name", s.name), ("rubric", s.rubric), ("scale", s.scale),
                          ("score", s.h), ("predikat", s.predikat), ("missing_criteria", len(s.missing)), ("missing", ";".join(s.missing))):
            same(w, col, h(r[col]) if col == "score" else r[col], want)

    comps = keyed("component_scores", lambda r: (r["year"], r["unit_code"], r["track"], r["component"]))
    want_comps = {(y, u, t, code): (s, name, sh, mx) for (y, u, t), s in ref["scores"].items() for code, name, sh, mx in s.components}
    coverage("component_scores", comps, want_comps)
    for k, (s, name, sh, mx) in want_comps.items():
        r = comps.get(k)
        if r is not None:
            w = f"component_scores {k}"
            for col, want in (("province_code", s.province), ("unit_name", s.name), ("component_name", name)):
                same(w, col, r[col], want)
            same(w, "score", h(r["score"]), sh)
            same(w, "max_score", h(r["max_score"]), mx)

    rankings = keyed("rankings", lambda r: (r["year"], r["unit_code"]))
    coverage("rankings", rankings, ref["rankings"])
    for k, want_row in ref["rankings"].items():
        r = rankings.get(k)
        if r is None:
            continue
        w = f"rankings {k}"
        for col, want in want_row.items():
            got = r[col]
            if col in ("score", "prev_score", "score_change"):
                got = h(got)
            elif col == "percentile":
                # Stored as a float: it must be the float nearest the exact
                # half-up figure (what reads back as that two-decimal text).
                want = float(want)
            same(w, col, got, want)
    # Display order: province, rank, then unit code within a tie.
    listed, _ = read(args.warehouse, "rankings")
    order = [(r["year"], r["province_code"], r["rank_province"], r["unit_code"]) for r in listed]
    if order != sorted(order):
        problems.append("rankings: rows are not listed by province, rank and unit code")
    compared += 1

    crank = keyed("component_rankings", lambda r: (r["year"], r["unit_code"], r["component"]))
    coverage("component_rankings", crank, ref["component_rankings"])
    for k, want_row in ref["component_rankings"].items():
        r = crank.get(k)
        if r is None:
            continue
        for col, want in want_row.items():
            same(f"component_rankings {k}", col, h(r[col]) if col in ("score", "max_score") else r[col], want)

    if args.sakip:
        s = cli.Sakip(args.sakip, args.warehouse)
        compared += cli.check_rank(s, ref, problems)
        compared += cli.check_sql(s, ref, problems)

    n_sheets = len(ref["scores"])
    years = sorted({k[0] for k in ref["scores"]})
    for p in problems[:60]:
        print(p)
    if len(problems) > 60:
        print(f"… {len(problems) - 60} more")
    print(f"oracle: {n_sheets} worksheets of {', '.join(map(str, years))}, {len(ref['rankings'])} ranked units, "
          f"{compared} figures compared, {len(problems)} differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
