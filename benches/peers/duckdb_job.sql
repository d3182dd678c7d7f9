-- The national-history consolidation as a DuckDB expert would write it, without sakip.
--
-- What it does: one read_csv over a glob of every CSV of the inbox, with the
-- dialect and the column types given (nothing is sniffed or inferred), each
-- answer mapped to its value through the rule lookups
-- (benches/peers/lookups.py), every answer row's points (value / full marks
-- × sub-component weight / criteria in it) summed per unit, year and track
-- in one GROUP BY, the total rounded with DuckDB's ordinary round(x, 2) and
-- graded, competition ranks per province and nationally (evaluator track);
-- and three Parquet outputs written by COPY — answers partitioned by year,
-- scores (both tracks), rankings. The answer rows are held once in a
-- temporary table (DuckDB has no multi-sink plan; reading the 11,000 CSVs a
-- second time costs more than keeping them), on all cores.
--
-- What it does NOT do that sakip does: no validation of the files (unknown
-- units, duplicate or missing criteria, a second worksheet in a file, header
-- errors) and no rejects table with a reason per row — an answer that is not
-- on its scale simply counts 0, a criterion not in the rubric is dropped;
-- arithmetic is DOUBLE, not exact, so a total that is exactly x.xx5 or lands
-- a hair off it can round the other way (and the parallel sum's order, so
-- the figure, may change between runs); no component or sub-component
-- scores, no component rankings, no previous-year columns, no unit registry
-- (a unit's province is the first two digits of its code; code changes are
-- not applied); no lineage (source file, row, file hash), rows of the
-- answers files in no particular order, no review workbooks or HTML, no
-- incremental ledger (every run re-reads everything), no atomic snapshot or
-- lock (a killed run leaves partial output).
--
-- Run by benches/peers/duckdb_job.py, which replaces {{INBOX}}, {{LOOKUPS}}
-- and {{OUT}} with paths and sets the threads (one per core by default).
-- Writes {{OUT}}/answers/year=YYYY/*.parquet, {{OUT}}/scores.parquet and
-- {{OUT}}/rankings.parquet.

-- The answers table's rows need no order, and without it DuckDB's parallel
-- CSV read and COPY need not keep one.
SET preserve_insertion_order = false;
-- Output is the three files; a progress bar on stderr is only noise.
SET enable_progress_bar = false;

CREATE TEMP TABLE years AS
    FROM read_csv('{{LOOKUPS}}/years.csv', header = true,
                  columns = {'year': 'INTEGER', 'rubric': 'VARCHAR', 'scale': 'VARCHAR'});
CREATE TEMP TABLE bands AS
    FROM read_csv('{{LOOKUPS}}/bands.csv', header = true,
                  columns = {'scale': 'VARCHAR', 'predikat': 'VARCHAR', 'lower': 'DOUBLE',
                             'lower_inclusive': 'BOOLEAN', 'upper': 'DOUBLE'});

-- The rules flattened to two small keyed tables before they meet the
-- answers, so each answer row goes through two joins, not four:
-- (year, criterion) -> where it sits and what one full answer is worth,
-- (answer_scale, answer) -> the answer's value and share of full marks.
CREATE TEMP TABLE per_criterion AS
SELECT y.year, c.criterion, y.rubric, c.component, c.subcomponent, c.answer_scale,
       s.weight / s.n_criteria AS criterion_weight
FROM years y
JOIN read_csv('{{LOOKUPS}}/criteria.csv', header = true,
              columns = {'rubric': 'VARCHAR', 'criterion': 'VARCHAR', 'component': 'VARCHAR',
                         'subcomponent': 'VARCHAR', 'answer_scale': 'VARCHAR'}) c USING (rubric)
JOIN read_csv('{{LOOKUPS}}/subcomponents.csv', header = true,
              columns = {'rubric': 'VARCHAR', 'component': 'VARCHAR', 'subcomponent': 'VARCHAR',
                         'weight': 'DOUBLE', 'n_criteria': 'INTEGER'}) s USING (rubric, component, subcomponent);
CREATE TEMP TABLE per_answer AS
SELECT answer_scale, answer AS answer_key, value, value / full_marks AS share
FROM read_csv('{{LOOKUPS}}/answer_values.csv', header = true,
              columns = {'answer_scale': 'VARCHAR', 'answer': 'VARCHAR', 'value': 'DOUBLE', 'full_marks': 'DOUBLE'});

-- Every answer row with its value (NULL when the answer is not on the
-- scale) and its points.
CREATE TEMP TABLE answers AS
SELECT a.year, a.unit_code, a.track, k.component, k.subcomponent, a.criterion, a.answer,
       v.value, k.rubric, v.share * k.criterion_weight AS points
FROM read_csv('{{INBOX}}/*/*.csv', auto_detect = false, header = true, delim = ',', quote = '"', escape = '"',
              columns = {'unit_code': 'VARCHAR', 'year': 'INTEGER', 'track': 'VARCHAR',
                         'criterion': 'VARCHAR', 'answer': 'VARCHAR'}) a
JOIN per_criterion k ON k.year = a.year AND k.criterion = a.criterion
LEFT JOIN per_answer v ON v.answer_scale = k.answer_scale AND v.answer_key = upper(trim(a.answer));

COPY (SELECT year, left(unit_code, 2) AS province_code, * EXCLUDE (year, points) FROM answers)
    TO '{{OUT}}/answers' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year));

-- Mean roll-up with missing = 0: a sub-component scores the mean share of
-- its criteria × its weight, which is the sum over its answered criteria of
-- share × weight / n; so the total is one sum per worksheet. A row whose
-- answer is not on the scale has NULL points and adds nothing.
CREATE TEMP TABLE scores AS
WITH total AS (
    SELECT year, unit_code, track, round(coalesce(sum(points), 0), 2) AS score
    FROM answers
    GROUP BY year, unit_code, track
)
SELECT t.year, left(t.unit_code, 2) AS province_code, t.unit_code, t.track, y.rubric, y.scale, t.score, b.predikat
FROM total t
JOIN years y USING (year)
LEFT JOIN bands b
  ON b.scale = y.scale
 AND (t.score > b.lower OR (b.lower_inclusive AND t.score >= b.lower))
 AND t.score <= b.upper;

COPY (FROM scores ORDER BY year, province_code, unit_code, track)
    TO '{{OUT}}/scores.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (
    SELECT year, province_code, unit_code, score, predikat,
           rank() OVER (PARTITION BY year, province_code ORDER BY score DESC) AS rank_province,
           rank() OVER (PARTITION BY year ORDER BY score DESC) AS rank_national,
           count(*) OVER (PARTITION BY year, province_code) AS units_in_province
    FROM scores
    WHERE track = 'evaluator'
    ORDER BY year, province_code, rank_province, unit_code
) TO '{{OUT}}/rankings.parquet' (FORMAT parquet, COMPRESSION zstd);
