-- The national-history consolidation as a data engineer would write it in
-- DuckDB, without sakip: every CSV of the inbox, answers mapped to values,
-- the mean roll-up, the total rounded with DuckDB's ordinary round(x, 2),
-- predikat, competition rank per province and year (evaluator track), and
-- Parquet out. Values and weights are DOUBLE, as the lookups read them.
--
-- Run by benches/peers/duckdb_job.py, which replaces {{INBOX}}, {{LOOKUPS}}
-- and {{OUT}} with paths (the lookups come from benches/peers/lookups.py).
--
-- Writes {{OUT}}/answers/year=YYYY/*.parquet, {{OUT}}/scores.parquet (both
-- tracks) and {{OUT}}/rankings.parquet (evaluator track).

CREATE TEMP TABLE years AS
    FROM read_csv('{{LOOKUPS}}/years.csv', header = true,
                  columns = {'year': 'INTEGER', 'rubric': 'VARCHAR', 'scale': 'VARCHAR'});
CREATE TEMP TABLE criteria AS
    FROM read_csv('{{LOOKUPS}}/criteria.csv', header = true,
                  columns = {'rubric': 'VARCHAR', 'criterion': 'VARCHAR', 'component': 'VARCHAR',
                             'subcomponent': 'VARCHAR', 'answer_scale': 'VARCHAR'});
CREATE TEMP TABLE subcomponents AS
    FROM read_csv('{{LOOKUPS}}/subcomponents.csv', header = true,
                  columns = {'rubric': 'VARCHAR', 'component': 'VARCHAR', 'subcomponent': 'VARCHAR',
                             'weight': 'DOUBLE', 'n_criteria': 'INTEGER'});
CREATE TEMP TABLE answer_values AS
    FROM read_csv('{{LOOKUPS}}/answer_values.csv', header = true,
                  columns = {'answer_scale': 'VARCHAR', 'answer': 'VARCHAR', 'value': 'DOUBLE', 'full_marks': 'DOUBLE'});
CREATE TEMP TABLE bands AS
    FROM read_csv('{{LOOKUPS}}/bands.csv', header = true,
                  columns = {'scale': 'VARCHAR', 'predikat': 'VARCHAR', 'lower': 'DOUBLE',
                             'lower_inclusive': 'BOOLEAN', 'upper': 'DOUBLE'});

-- Every answer row with its value (NULL when the answer is not on the scale).
CREATE TEMP TABLE answers AS
SELECT a.year,
       left(a.unit_code, 2) AS province_code,
       a.unit_code,
       a.track,
       c.component,
       c.subcomponent,
       a.criterion,
       a.answer,
       v.value,
       v.full_marks,
       y.rubric,
       y.scale
FROM read_csv('{{INBOX}}/*/*.csv', header = true,
              columns = {'unit_code': 'VARCHAR', 'year': 'INTEGER', 'track': 'VARCHAR',
                         'criterion': 'VARCHAR', 'answer': 'VARCHAR'}) a
JOIN years y ON y.year = a.year
JOIN criteria c ON c.rubric = y.rubric AND c.criterion = a.criterion
LEFT JOIN answer_values v ON v.answer_scale = c.answer_scale AND v.answer = upper(trim(a.answer));

COPY (SELECT * EXCLUDE (full_marks, scale) FROM answers)
    TO '{{OUT}}/answers' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year));

-- Sub-component = mean of value / full marks over its criteria (a missing
-- criterion counts 0) × the sub-component's weight; total = sum, rounded.
CREATE TEMP TABLE scores AS
WITH sub AS (
    SELECT a.year, a.province_code, a.unit_code, a.track, a.rubric, a.scale, a.subcomponent,
           coalesce(sum(a.value / a.full_marks), 0) / s.n_criteria * s.weight AS points
    FROM answers a
    JOIN subcomponents s ON s.rubric = a.rubric AND s.subcomponent = a.subcomponent
    GROUP BY a.year, a.province_code, a.unit_code, a.track, a.rubric, a.scale, a.subcomponent, s.n_criteria, s.weight
), total AS (
    SELECT year, province_code, unit_code, track, rubric, scale, round(sum(points), 2) AS score
    FROM sub
    GROUP BY year, province_code, unit_code, track, rubric, scale
)
SELECT t.*, b.predikat
FROM total t
LEFT JOIN bands b
  ON b.scale = t.scale
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
