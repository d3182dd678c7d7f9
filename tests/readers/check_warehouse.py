"""Reads a sakip warehouse with two outside readers, DuckDB and pyarrow, and
checks every Parquet file against the documented schema.

Usage: python3 check_warehouse.py WAREHOUSE
Prints one JSON object with the row counts each reader saw; exits non-zero
(with the reason) when a reader is missing, a file does not open, or a
schema differs. The Rust integration test calls this and compares the counts
with its own reading."""

import json
import pathlib
import sys

import duckdb
import pyarrow.parquet as pq

ANSWERS = {
    "year": "int32", "province_code": "string", "unit_code": "string", "unit_name": "string",
    "track": "string", "component": "string", "subcomponent": "string", "criterion": "string",
    "answer": "string", "value": "decimal128(18, 6)", "rubric": "string", "source_file": "string",
    "source_sheet": "string", "source_row": "int64", "notes": "string", "evidence": "string",
    "submitted_code": "string",
}
REJECTS = {
    "year": "int32", "unit_code": "string", "source_file": "string", "source_sheet": "string",
    "source_row": "int64", "column": "string", "value": "string", "reason": "string",
    "rule": "string", "scope": "string", "submitted_code": "string",
}


def main() -> None:
    warehouse = pathlib.Path(sys.argv[1])
    counts = {}
    for table, schema in (("answers", ANSWERS), ("rejects", REJECTS)):
        files = sorted((warehouse / table).rglob("*.parquet"))
        if not files:
            sys.exit(f"{table}: no Parquet files under {warehouse / table}")
        arrow_rows = 0
        for f in files:
            t = pq.read_table(f, partitioning=None)
            got = {field.name: str(field.type) for field in t.schema}
            if got != schema:
                sys.exit(f"{f}: schema {got} differs from the documented {schema}")
            meta = pq.read_metadata(f)
            compressions = {meta.row_group(g).column(c).compression for g in range(meta.num_row_groups) for c in range(meta.num_columns)}
            # A partition with no rows (a year with nothing refused) has no
            # column chunks to compress.
            if meta.num_rows > 0 and compressions != {"ZSTD"}:
                sys.exit(f"{f}: compression {compressions}, expected ZSTD")
            if table == "answers":
                kv = meta.metadata
                if b"sakip.rubric" not in kv or b"sakip.source_files" not in kv:
                    sys.exit(f"{f}: key-value metadata lacks sakip.rubric / sakip.source_files")
                for src in json.loads(kv[b"sakip.source_files"]):
                    if len(src["sha256"]) != 64:
                        sys.exit(f"{f}: source {src} has no sha256")
            arrow_rows += t.num_rows
        glob = str(warehouse / table / "**" / "*.parquet")
        duck_rows = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = false)").fetchone()[0]
        counts[table] = {"files": len(files), "pyarrow_rows": arrow_rows, "duckdb_rows": duck_rows}
    glob = str(warehouse / "answers" / "**" / "*.parquet")
    counts["answers_input_rows"] = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = false) WHERE source_row IS NOT NULL").fetchone()[0]
    counts["answers_missing"] = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = false) WHERE value IS NULL").fetchone()[0]
    counts["value_sum_2024_5371_evaluator"] = str(duckdb.sql(
        f"SELECT sum(value) FROM read_parquet('{glob}', hive_partitioning = false) WHERE year = 2024 AND unit_code = '5371' AND track = 'evaluator'"
    ).fetchone()[0])
    print(json.dumps(counts, sort_keys=True))


if __name__ == "__main__":
    main()
