#!/usr/bin/env python3
"""Runs benches/peers/duckdb_job.sql with the duckdb Python package.

    python3 benches/peers/duckdb_job.py --inbox DIR --lookups DIR --out DIR [--threads N]

The script's {{INBOX}}, {{LOOKUPS}} and {{OUT}} are replaced by the paths;
everything else is the SQL as written, in one in-memory DuckDB connection
with one thread per core (or --threads). What the job does and does not do
that sakip does is said at the top of duckdb_job.sql.
"""
import argparse
import os
import sys
from pathlib import Path

import duckdb


def sql_path(p: Path) -> str:
    return str(p.resolve()).replace("'", "''")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inbox", type=Path, required=True)
    ap.add_argument("--lookups", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)), help="DuckDB threads (default: one per core this process may use)")
    args = ap.parse_args()
    script = (Path(__file__).parent / "duckdb_job.sql").read_text()
    for key, path in (("INBOX", args.inbox), ("LOOKUPS", args.lookups), ("OUT", args.out)):
        script = script.replace("{{" + key + "}}", sql_path(path))
    os.makedirs(args.out, exist_ok=True)
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(args.threads)}")
    con.execute(script)
    n = con.execute("SELECT count(*) FROM answers").fetchone()[0]
    s = con.execute("SELECT count(*) FROM scores").fetchone()[0]
    print(f"duckdb {duckdb.__version__}: {n} answer rows, {s} scores in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
