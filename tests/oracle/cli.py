"""What planners read from the command line, checked against the reference.

`sakip rank` (by total and by a component's name prefix, per province and
nationally, with --top, --bottom and --grade, as JSON and CSV) and `sakip sql` over `answers`, `component_scores`,
`component_rankings` and `rankings`, in JSON (decimals must arrive as
strings) and as a table. Each check returns a list of differences.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

DECIMAL_TEXT = re.compile(r"^-?\d+\.\d\d$")


def fmt(h: int | None) -> str | None:
    """Hundredths as the two-decimal text sakip prints."""
    if h is None:
        return None
    sign = "-" if h < 0 else ""
    return f"{sign}{abs(h) // 100}.{abs(h) % 100:02d}"


class Sakip:
    def __init__(self, binary: Path, warehouse: Path):
        self.binary, self.warehouse = binary, warehouse

    def run(self, *args: str) -> str:
        p = subprocess.run([str(self.binary), *args], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"sakip {' '.join(args)} exited {p.returncode}: {p.stderr}")
        return p.stdout

    def json(self, *args: str) -> list[dict]:
        return json.loads(self.run(*args, "--format", "json"))

    def sql(self, query: str) -> list[dict]:
        return self.json("sql", "--warehouse", str(self.warehouse), query)

    def rank(self, *args: str) -> list[dict]:
        return self.json("rank", "--warehouse", str(self.warehouse), *args)


def decimals_are_strings(where: str, rows: list[dict], columns: list[str], problems: list[str]) -> None:
    for r in rows:
        for c in columns:
            v = r.get(c)
            if v is not None and not (isinstance(v, str) and DECIMAL_TEXT.match(v)):
                problems.append(f"{where}: {c} = {v!r} is not a decimal written as a string")
                return


def check_rank(s: Sakip, ref: dict, problems: list[str]) -> int:
    checks = 0
    years = sorted({y for y, _ in ref["rankings"]})
    for year in years:
        units = {u: r for (y, u), r in ref["rankings"].items() if y == year}
        # National: without --province the ranks are rank_national; a tie
        # is listed by unit code.
        want = sorted(((r["rank_national"], u) for u, r in units.items()))
        got = s.rank("--year", str(year))
        decimals_are_strings(f"rank --year {year}", got, ["score", "prev_score", "score_change"], problems)
        checks += 1
        if [(g["rank"], g["unit_code"]) for g in got] != want:
            problems.append(f"rank --year {year}: (rank, unit) {[(g['rank'], g['unit_code']) for g in got]}, the reference says {want}")
        for g in got:
            r = units.get(g["unit_code"])
            if r is None:
                continue
            for col in ("score", "prev_score", "score_change"):
                checks += 1
                if g[col] != fmt(r[col]):
                    problems.append(f"rank --year {year}: {g['unit_code']} {col} {g[col]!r}, the reference says {fmt(r[col])!r}")
            for col in ("predikat", "rank_change", "prev_predikat"):
                checks += 1
                if g[col] != r[col]:
                    problems.append(f"rank --year {year}: {g['unit_code']} {col} {g[col]!r}, the reference says {r[col]!r}")
        # --top, --bottom and --grade select from that order; --format csv
        # prints the same rows.
        top = s.rank("--year", str(year), "--top", "3")
        bottom = s.rank("--year", str(year), "--bottom", "2")
        checks += 2
        if [(g["rank"], g["unit_code"]) for g in top] != want[:3] or [(g["rank"], g["unit_code"]) for g in bottom] != want[-2:]:
            problems.append(f"rank --year {year} --top 3 / --bottom 2: {top} / {bottom}, the reference says {want[:3]} / {want[-2:]}")
        for predikat in sorted({r["predikat"] for r in units.values()}):
            picked = s.rank("--year", str(year), "--grade", predikat.lower())
            checks += 1
            expected = [k for k in want if units[k[1]]["predikat"] == predikat]
            if [(g["rank"], g["unit_code"]) for g in picked] != expected:
                problems.append(f"rank --year {year} --grade {predikat.lower()}: {picked}, the reference says {expected}")
        text = s.run("rank", "--warehouse", str(s.warehouse), "--year", str(year), "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(text)))
        checks += 1
        if [(int(r["rank"]), r["unit_code"], r["score"]) for r in rows] != [(k[0], k[1], fmt(units[k[1]]["score"])) for k in want]:
            problems.append(f"rank --year {year} --format csv: rows differ from the reference:\n{text[:1000]}")
        for province in sorted({r["province_code"] for r in units.values()}):
            want = sorted((r["rank_province"], u) for u, r in units.items() if r["province_code"] == province)
            got = s.rank("--year", str(year), "--province", province)
            checks += 1
            if [(g["rank"], g["unit_code"]) for g in got] != want:
                problems.append(f"rank --year {year} --province {province}: {[(g['rank'], g['unit_code']) for g in got]}, the reference says {want}")
        # --by the start of a component's name, in any case.
        comps = {(u, c): r for (y, u, c), r in ref["component_rankings"].items() if y == year}
        for code in sorted({c for _, c in comps}):
            name = next(r["component_name"] for (_, c), r in comps.items() if c == code)
            prefix = name.split()[0][:6].lower()
            if sum(1 for n in {r["component_name"] for r in comps.values()} if n.lower().startswith(prefix)) != 1:
                continue
            want = sorted((r["rank_national"], u, fmt(r["score"])) for (u, c), r in comps.items() if c == code)
            got = s.rank("--year", str(year), "--by", prefix)
            checks += 1
            decimals_are_strings(f"rank --by {prefix}", got, ["score", "max_score"], problems)
            if [(g["rank"], g["unit_code"], g["score"]) for g in got] != want:
                problems.append(f"rank --year {year} --by {prefix}: {[(g['rank'], g['unit_code'], g['score']) for g in got]}, the reference says {want}")
            province = sorted({r["province_code"] for r in comps.values()})[0]
            want = sorted((r["rank_province"], u, fmt(r["score"])) for (u, c), r in comps.items() if c == code and r["province_code"] == province)
            got = s.rank("--year", str(year), "--by", prefix, "--province", province)
            checks += 1
            if [(g["rank"], g["unit_code"], g["score"]) for g in got] != want:
                problems.append(f"rank --year {year} --by {prefix} --province {province}: {got}, the reference says {want}")
    return checks


def check_sql(s: Sakip, ref: dict, problems: list[str]) -> int:
    checks = 0
    # answers: one row per criterion of each worksheet, NULL answer when missing.
    got = {(r["year"], r["unit_code"], r["track"]): (r["n"], r["answered"])
           for r in s.sql("SELECT year, unit_code, track, count(*) AS n, count(answer) AS answered FROM answers GROUP BY year, unit_code, track")}
    want = {k: (n, n - len(missing)) for k, (n, missing) in ref["worksheets"].items()}
    checks += 1
    if got != want:
        diff = sorted(set(got.items()) ^ set(want.items()))[:10]
        problems.append(f"sql answers: (rows, answered) per worksheet differ from the reference: {diff}")

    # Worksheets a `missing = "reject"` rubric does not score: every row
    # refused as incomplete.
    got = {(r["year"], r["unit_code"]): r["n"] for r in s.sql("SELECT year, unit_code, count(*) AS n FROM rejects WHERE rule = 'incomplete' GROUP BY year, unit_code")}
    want: dict = {}
    for (y, u, _t), n in ref["refused"].items():
        want[(y, u)] = want.get((y, u), 0) + n
    checks += 1
    if got != want:
        problems.append(f"sql rejects: rows refused as incomplete per unit {sorted(got.items())}, the reference says {sorted(want.items())}")

    rows = s.sql("SELECT year, unit_code, track, component, score, max_score FROM component_scores")
    decimals_are_strings("sql component_scores", rows, ["score", "max_score"], problems)
    got = {(r["year"], r["unit_code"], r["track"], r["component"]): (r["score"], r["max_score"]) for r in rows}
    want = {(y, u, t, code): (fmt(h), fmt(mx)) for (y, u, t), sh in ref["scores"].items() for code, _, h, mx in sh.components}
    checks += 1
    if got != want:
        problems.append(f"sql component_scores differ from the reference: {sorted(set(got.items()) ^ set(want.items()))[:10]}")

    rows = s.sql("SELECT year, unit_code, component, score, rank_province, rank_national FROM component_rankings")
    decimals_are_strings("sql component_rankings", rows, ["score"], problems)
    got = {(r["year"], r["unit_code"], r["component"]): (r["score"], r["rank_province"], r["rank_national"]) for r in rows}
    want = {k: (fmt(r["score"]), r["rank_province"], r["rank_national"]) for k, r in ref["component_rankings"].items()}
    checks += 1
    if got != want:
        problems.append(f"sql component_rankings differ from the reference: {sorted(set(got.items()) ^ set(want.items()))[:10]}")

    # --format table: a header, then one line per row, columns apart.
    text = s.run("sql", "--warehouse", str(s.warehouse), "SELECT year, unit_code, score, rank_province, rank_national FROM rankings ORDER BY year, unit_code", "--format", "table")
    lines = text.splitlines()
    want_rows = [[str(y), u, fmt(r["score"]), str(r["rank_province"]), str(r["rank_national"])] for (y, u), r in sorted(ref["rankings"].items())]
    checks += 1
    if not lines or lines[0].split() != ["year", "unit_code", "score", "rank_province", "rank_national"]:
        problems.append(f"sql --format table: header {lines[:1]}")
    elif [line.split() for line in lines[1:]] != want_rows:
        problems.append(f"sql --format table: rows differ from the reference:\n{text[:2000]}")
    return checks
