#!/usr/bin/env python3
"""Do the peer jobs agree with sakip's rankings? And who is right where not?

    python3 benches/peers/compare.py --pipeline pipelines/national-history.toml \\
        --inbox DIR --sakip WAREHOUSE --peer duckdb=DIR --peer polars=DIR [--out report.md]

Reads sakip's `<WAREHOUSE>/current/rankings/**/*.parquet` and each peer's
`<DIR>/rankings.parquet` (and `<DIR>/scores.parquet` for the peer-vs-peer
count), and recomputes every evaluator-track total from the inbox (CSV, JSON) and
the TOML rules with `fractions.Fraction` (tests/oracle/reference.py, the
oracle CI runs) — no float anywhere — then rounds it
half-up to hundredths, grades it and ranks it (competition ranking per
province and year). That is the reference each engine is checked against.

Prints a Markdown report: per engine, how many units' score, predikat, rank
in province (and nationally) differ from the exact reference; per peer, every
unit whose score, predikat or rank differs from sakip's, with sakip's value,
the peer's, the exact total and the correctly rounded figure. Exit code 0
(disagreements of the peers are the expected finding); with --strict, 1 if
sakip itself differs from the exact reference anywhere.
"""
from __future__ import annotations

import argparse
import csv
import glob
import shutil
import sys
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
WILAYAH = ROOT / "sample-data" / "wilayah"
sys.path.insert(0, str(ROOT / "tests" / "oracle"))
from reference import reference as exact_tables  # noqa: E402


def former_codes() -> list[dict]:
    """The rows of code-changes.csv: a unit's code before `from_year` (and
    its province then) and today's."""
    with open(WILAYAH / "code-changes.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))

def fmt_h(h: int | None) -> str:
    if h is None:
        return "—"
    return f"{h // 100}.{h % 100:02d}"


def is_half(x: Fraction) -> bool:
    """Exactly x.xx5: where half-up, half-to-even and a float's error decide differently."""
    t = x * 1000
    return t.denominator == 1 and t.numerator % 10 == 5


def exact_text(x: Fraction, digits: int = 12) -> str:
    """The exact value as a decimal: in full when it terminates, else cut with …."""
    whole, rest = divmod(x.numerator, x.denominator)
    out = []
    for _ in range(digits):
        if rest == 0:
            break
        rest *= 10
        d, rest = divmod(rest, x.denominator)
        out.append(str(d))
    text = f"{whole}." + ("".join(out) or "0")
    return text if rest == 0 else text + "…"


def exact_reference(pipeline: Path, inbox: Path) -> dict:
    """(year, unit) -> dict(province, total Fraction, h, predikat, rank_province, rank_national), evaluator track.

    The recomputation itself is the oracle the test suite runs in CI
    (tests/oracle/reference.py); this is only its view for the report."""
    # `sakip gen` writes a unit whose code changed under its former code in
    # the years before the change, as the unit submitted then; the oracle
    # looks every code up in the registry folder it is given, which lists
    # today's codes. So hand it a copy that also lists each former code in
    # its former province (where sakip ranks the unit in those years).
    with tempfile.TemporaryDirectory(prefix="compare-registry-") as tmp:
        registry = Path(tmp)
        shutil.copy(WILAYAH / "provinces.csv", registry / "provinces.csv")
        shutil.copy(WILAYAH / "regencies.csv", registry / "regencies.csv")
        with open(registry / "regencies.csv", "a", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            for c in former_codes():
                w.writerow([c["old_code"], c["old_province"], c["name"]])
        ref = exact_tables(pipeline, inbox, registry)
    out = {}
    for (year, unit), r in ref["rankings"].items():
        s = ref["scores"][(year, unit, "evaluator")]
        out[(year, unit)] = {
            "province": r["province_code"],
            "total": s.total,
            "h": s.h,
            "predikat": s.predikat,
            "rank_province": r["rank_province"],
            "rank_national": r["rank_national"],
        }
    return out


def to_h(v) -> int | None:
    """A stored score (DECIMAL or a float already rounded to 2 places) as hundredths."""
    if v is None:
        return None
    if isinstance(v, Decimal):
        return int((v * 100).to_integral_value())
    return int(round(float(v) * 100))


def read_rankings(files: list[str]) -> dict:
    if not files:
        sys.exit("compare.py: no rankings parquet files found")
    out = {}
    for f in files:
        t = pq.read_table(f, columns=["year", "unit_code", "score", "predikat", "rank_province", "rank_national"])
        for r in t.to_pylist():
            out[(int(r["year"]), r["unit_code"])] = {
                "h": to_h(r["score"]),
                "predikat": r["predikat"],
                "rank_province": r["rank_province"],
                "rank_national": r["rank_national"],
            }
    return out


def as_submitted(rankings: dict) -> dict:
    """sakip keys a unit whose code changed (code-changes.csv) by today's code
    in every year; the peers key it by the code in the file, which before
    the change is the old one. Re-key sakip's rows the peers' way."""
    former = {c["new_code"].replace(".", ""): (c["old_code"].replace(".", ""), int(c["from_year"])) for c in former_codes()}
    out = {}
    for (year, unit), r in rankings.items():
        old, from_year = former.get(unit, (unit, year))
        out[(year, old if year < from_year else unit)] = r
    return out


def read_scores(path: Path) -> dict:
    t = pq.read_table(path, columns=["year", "unit_code", "track", "score"])
    return {(int(r["year"]), r["unit_code"], r["track"]): to_h(r["score"]) for r in t.to_pylist()}


FIELDS = ("h", "predikat", "rank_province", "rank_national")


def diff_counts(engine: dict, ref: dict) -> dict:
    c = {f: 0 for f in FIELDS}
    c["missing"] = 0
    c["any"] = 0
    for k, r in ref.items():
        e = engine.get(k)
        if e is None:
            c["missing"] += 1
            c["any"] += 1
            continue
        bad = [f for f in FIELDS if e[f] != r[f]]
        for f in bad:
            c[f] += 1
        if bad:
            c["any"] += 1
    c["extra"] = len(set(engine) - set(ref))
    return c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pipeline", type=Path, required=True)
    ap.add_argument("--inbox", type=Path, required=True)
    ap.add_argument("--sakip", type=Path, required=True, help="sakip's warehouse (its current/rankings is read)")
    ap.add_argument("--peer", action="append", default=[], metavar="NAME=DIR", help="a peer's output folder (rankings.parquet, scores.parquet)")
    ap.add_argument("--out", type=Path, help="also write the report here")
    ap.add_argument("--max-listed", type=int, default=40, help="units listed per peer (the count is always complete)")
    ap.add_argument("--strict", action="store_true", help="exit 1 if sakip differs from the exact reference")
    ap.add_argument("--counts", action="store_true", help="print only one line: units differing from sakip and from the exact reference, per engine")
    args = ap.parse_args()

    ref = exact_reference(args.pipeline, args.inbox)
    sakip = as_submitted(read_rankings(sorted(glob.glob(str(args.sakip / "current" / "rankings" / "**" / "*.parquet"), recursive=True))))
    peers = {}
    for spec in args.peer:
        name, _, d = spec.partition("=")
        peers[name] = (Path(d), read_rankings([str(Path(d) / "rankings.parquet")]))

    if args.counts:
        parts = [f"sakip≠exact {diff_counts(sakip, ref)['any']}"]
        for name, (_d, eng) in peers.items():
            vs_sakip = sum(1 for k in set(sakip) | set(eng) if k not in sakip or k not in eng or any(sakip[k][f] != eng[k][f] for f in ("h", "predikat", "rank_province")))
            c = diff_counts(eng, ref)
            parts.append(f"{name}: {vs_sakip} differ from sakip, score≠exact {c['h']}, predikat≠exact {c['predikat']}, rank≠exact {c['rank_province']}")
        print("; ".join(parts))
        return 1 if (args.strict and diff_counts(sakip, ref)["any"]) else 0

    lines: list[str] = []
    p = lines.append
    n = len(ref)
    halves = sum(1 for r in ref.values() if is_half(r["total"]))
    p(f"Reference: {n} evaluator-track worksheets recomputed exactly (Fraction) from {args.inbox}; "
      f"{halves} of them have an exact total ending in a half hundredth (x.xx5), where half-up and half-to-even differ.")
    p("")
    p("| engine | units compared | score ≠ exact | predikat ≠ exact | rank in province ≠ exact | national rank ≠ exact | units with any difference | missing |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|")
    sakip_bad = 0
    for name, eng in [("sakip", sakip), *((k, v[1]) for k, v in peers.items())]:
        c = diff_counts(eng, ref)
        if name == "sakip":
            sakip_bad = c["any"]
        p(f"| {name} | {n - c['missing']} | {c['h']} ({100 * c['h'] / n:.2f} %) | {c['predikat']} | {c['rank_province']} | {c['rank_national']} | {c['any']} | {c['missing']} |")
    p("")

    # Peer against peer, on every score of both tracks (the issue's ~0.5 %).
    names = list(peers)
    if len(names) >= 2:
        a, b = names[0], names[1]
        sa, sb = read_scores(peers[a][0] / "scores.parquet"), read_scores(peers[b][0] / "scores.parquet")
        common = set(sa) & set(sb)
        d = sum(1 for k in common if sa[k] != sb[k])
        de = sum(1 for k in common if k[2] == "evaluator" and sa[k] != sb[k])
        ne = sum(1 for k in common if k[2] == "evaluator")
        p(f"{a} vs {b}: {d} of {len(common)} scores differ ({100 * d / max(len(common), 1):.2f} %, both tracks); "
          f"{de} of {ne} on the evaluator track ({100 * de / max(ne, 1):.2f} %).")
        p("")

    for name, (_d, eng) in peers.items():
        rows = []
        for k in sorted(set(sakip) | set(eng)):
            s, e = sakip.get(k), eng.get(k)
            if s is None or e is None or any(s[f] != e[f] for f in ("h", "predikat", "rank_province")):
                rows.append(k)
        score_or_grade = [k for k in rows if k in sakip and k in eng and (sakip[k]["h"] != eng[k]["h"] or sakip[k]["predikat"] != eng[k]["predikat"])]
        rank_only = len(rows) - len(score_or_grade)
        p(f"### {name} vs sakip: {len(rows)} units differ")
        p("")
        p(f"{len(score_or_grade)} in score or predikat, {rank_only} in rank in province only (a neighbour's score moved). "
          "`exact` is the total recomputed with Fraction; `half-up` is it rounded half-up to two decimals, the correct stored figure.")
        p("")
        if rows:
            p(f"| year | unit | differs in | sakip score | {name} score | exact total | x.xx5? | half-up | right | sakip predikat | {name} predikat | sakip rank | {name} rank |")
            p("|---|---|---|---:|---:|---|---|---:|---|---|---|---:|---:|")

            def what(k):
                s, e = sakip.get(k), eng.get(k)
                if s is None or e is None:
                    return ["missing"]
                return [lbl for f, lbl in (("predikat", "predikat"), ("rank_province", "rank"), ("h", "score")) if s[f] != e[f]]

            # Grades first, then ranks, then the score alone: the ones that matter most.
            listed = sorted(rows, key=lambda k: ("predikat" not in what(k), "rank" not in what(k), k))[: args.max_listed]
            for k in listed:
                s, e, r = sakip.get(k, {}), eng.get(k, {}), ref.get(k)
                sh, eh = s.get("h"), e.get("h")
                right = "—"
                if r is not None and sh != eh:
                    right = "sakip" if sh == r["h"] else (name if eh == r["h"] else "neither")
                elif r is not None and s.get("rank_province") != e.get("rank_province"):
                    right = "sakip" if s.get("rank_province") == r["rank_province"] else (name if e.get("rank_province") == r["rank_province"] else "neither")
                half = "—" if r is None else ("yes" if is_half(r["total"]) else "no")
                p(f"| {k[0]} | {k[1]} | {', '.join(what(k))} | {fmt_h(sh)} | {fmt_h(eh)} | {exact_text(r['total']) if r else '—'} | {half} | {fmt_h(r['h']) if r else '—'} | {right} "
                  f"| {s.get('predikat', '—')} | {e.get('predikat', '—')} | {s.get('rank_province', '—')} | {e.get('rank_province', '—')} |")
            if len(rows) > len(listed):
                p(f"| … {len(rows) - len(listed)} more | | | | | | | | | | | | |")
            halves_here = sum(1 for k in score_or_grade if k in ref and is_half(ref[k]["total"]))
            right_sakip = sum(1 for k in score_or_grade if k in ref and sakip[k]["h"] == ref[k]["h"])
            right_peer = sum(1 for k in score_or_grade if k in ref and eng[k]["h"] == ref[k]["h"])
            p("")
            p(f"Of the {len(score_or_grade)} score/predikat differences: exact total is a half hundredth in {halves_here}; "
              f"sakip's figure is the correctly rounded one in {right_sakip}, {name}'s in {right_peer}.")
        p("")

    summary = ", ".join(f"{name} {sum(1 for k in set(sakip) | set(eng) if k not in sakip or k not in eng or any(sakip[k][f] != eng[k][f] for f in ('h', 'predikat', 'rank_province')))}" for name, (_d, eng) in peers.items())
    p(f"Disagreements with sakip (units whose score, predikat or rank in province differ): {summary}. "
      f"sakip vs the exact reference: {sakip_bad}.")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text)
    return 1 if (args.strict and sakip_bad) else 0


if __name__ == "__main__":
    sys.exit(main())
