#!/usr/bin/env python3
"""The national-history consolidation as a Polars expert would write it, without sakip.

    python3 benches/peers/polars_job.py --inbox DIR --lookups DIR --out DIR

What it does: one lazy scan of every CSV of the inbox (a glob, with the
schema given so nothing is inferred), each answer mapped to its value
through the rule lookups (benches/peers/lookups.py), every answer row's
points (value / full marks × sub-component weight / criteria in it) summed
per unit, year and track in one group-by, the total rounded with Polars'
ordinary `round(2)` and graded, competition ranks per province and
nationally (evaluator track); and three Parquet outputs — answers
partitioned by year, scores (both tracks), rankings — sunk by the streaming
engine in one `collect_all`, so the CSVs are scanned once.

What it does NOT do that sakip does: no validation of the files (unknown
units, duplicate or missing criteria, a second worksheet in a file, header
errors) and no rejects table with a reason per row — an answer that is not
on its scale simply counts 0, a criterion not in the rubric is dropped;
arithmetic is Float64, not exact, so a total that is exactly x.xx5 or lands
a hair off it can round the other way (and the sum's order, so the figure,
may change between runs); no component or sub-component scores, no
component rankings, no previous-year columns, no unit registry (a unit's
province is the first two digits of its code; code changes are not
applied); no lineage (source file, row, file hash), no review workbooks or
HTML, no incremental ledger (every run re-reads everything), no atomic
snapshot or lock (a killed run leaves partial output).
"""
import argparse
import os
import sys
from pathlib import Path

import polars as pl

# Codes (units, tracks, criteria, answers, rubric parts) repeat in runs of
# rows: as Categorical they are kept, joined and written as small integer
# keys into one dictionary instead of a string per row, which roughly
# halves the job's peak memory. Polars sorts them by their text.
CODE = pl.Categorical


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inbox", type=Path, required=True)
    ap.add_argument("--lookups", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    lk = args.lookups
    os.makedirs(args.out, exist_ok=True)

    years = pl.scan_csv(lk / "years.csv", schema={"year": pl.Int32, "rubric": CODE, "scale": pl.String})
    criteria = pl.scan_csv(
        lk / "criteria.csv",
        schema={"rubric": CODE, "criterion": CODE, "component": CODE, "subcomponent": CODE, "answer_scale": CODE},
    )
    subcomponents = pl.scan_csv(
        lk / "subcomponents.csv",
        schema={"rubric": CODE, "component": CODE, "subcomponent": CODE, "weight": pl.Float64, "n_criteria": pl.Int32},
    )
    answer_values = pl.scan_csv(
        lk / "answer_values.csv",
        schema={"answer_scale": CODE, "answer": CODE, "value": pl.Float64, "full_marks": pl.Float64},
    )
    bands = pl.scan_csv(
        lk / "bands.csv",
        schema={"scale": pl.String, "predikat": pl.String, "lower": pl.Float64, "lower_inclusive": pl.Boolean, "upper": pl.Float64},
    )

    # The rules flattened to two small keyed tables before they meet the
    # answers, so each answer row goes through two joins, not four:
    # (year, criterion) -> where it sits and what one full answer is worth,
    # (answer_scale, answer) -> the answer's share of full marks.
    per_criterion = (
        years.join(criteria, on="rubric")
        .join(subcomponents, on=["rubric", "component", "subcomponent"])
        .select(
            "year", "criterion", "rubric", "component", "subcomponent", "answer_scale",
            (pl.col("weight") / pl.col("n_criteria")).alias("criterion_weight"),
        )
    )
    per_answer = answer_values.select(
        "answer_scale", pl.col("answer").alias("answer_key"), "value", (pl.col("value") / pl.col("full_marks")).alias("share")
    )

    answers = (
        pl.scan_csv(
            str(args.inbox / "*" / "*.csv"),
            schema={"unit_code": CODE, "year": pl.Int32, "track": CODE, "criterion": CODE, "answer": CODE},
        )
        .with_columns(pl.col("answer").cast(pl.String).str.strip_chars().str.to_uppercase().cast(CODE).alias("answer_key"))
        .join(per_criterion, on=["year", "criterion"])
        .join(per_answer, on=["answer_scale", "answer_key"], how="left")
        # Both the answers sink and the scores read this frame with different
        # columns; without the cache Polars plans two scans of the 11,000
        # CSVs (pl.explain_all shows it). The streaming engine feeds a cache
        # to both consumers as the batches pass; it is not held whole.
        .cache()
    )

    # Mean roll-up with missing = 0: a sub-component scores the mean share of
    # its criteria × its weight, which is the sum over its answered criteria
    # of share × weight / n; so the total is one sum per worksheet. A row
    # whose answer is not on the scale has a null share and adds nothing.
    scores = (
        answers.group_by("year", "unit_code", "track")
        .agg((pl.col("share") * pl.col("criterion_weight")).sum().round(2).alias("score"))
        .join(years, on="year")
        .join(bands, on="scale")
        .filter(
            ((pl.col("score") > pl.col("lower")) | (pl.col("lower_inclusive") & (pl.col("score") >= pl.col("lower"))))
            & (pl.col("score") <= pl.col("upper"))
        )
        .select("year", pl.col("unit_code").cast(pl.String).str.slice(0, 2).alias("province_code"), "unit_code", "track", "rubric", "scale", "score", "predikat")
        .sort("year", "province_code", "unit_code", "track")
    )
    by_province = ["year", "province_code"]
    rankings = (
        scores.filter(pl.col("track") == "evaluator")
        .select(
            "year",
            "province_code",
            "unit_code",
            "score",
            "predikat",
            pl.col("score").rank("min", descending=True).over(by_province).cast(pl.Int32).alias("rank_province"),
            pl.col("score").rank("min", descending=True).over("year").cast(pl.Int32).alias("rank_national"),
            pl.len().over(by_province).cast(pl.Int32).alias("units_in_province"),
        )
        .sort("year", "province_code", "rank_province", "unit_code")
    )

    # One plan, three sinks: the streaming engine runs the scan and the joins
    # once and feeds both the answers sink and the aggregation from them.
    pl.collect_all(
        [
            answers.select(
                "year",
                pl.col("unit_code").cast(pl.String).str.slice(0, 2).alias("province_code"),
                "unit_code", "track", "component", "subcomponent", "criterion", "answer", "value", "rubric",
            ).sink_parquet(pl.PartitionBy(str(args.out / "answers"), key="year"), mkdir=True, lazy=True),
            scores.sink_parquet(args.out / "scores.parquet", lazy=True),
            rankings.sink_parquet(args.out / "rankings.parquet", lazy=True),
        ],
        engine="streaming",
    )
    print(f"polars {pl.__version__}: outputs in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
