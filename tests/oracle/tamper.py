#!/usr/bin/env python3
"""Lowers one unit's stored score by a hundredth, in place, for the test
that shows the oracle fails on a single wrong figure.

    python3 tests/oracle/tamper.py RANKINGS_PARQUET UNIT_CODE
"""
import sys
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

path, unit = sys.argv[1], sys.argv[2]
table = pq.read_table(path)
rows = table.to_pylist()
hits = [r for r in rows if r["unit_code"] == unit]
if len(hits) != 1:
    sys.exit(f"tamper.py: {len(hits)} rows for unit {unit} in {path}")
hits[0]["score"] -= Decimal("0.01")
pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path + ".new")
import os  # noqa: E402
os.replace(path + ".new", path)
