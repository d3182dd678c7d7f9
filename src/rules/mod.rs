//! Everything about the rule files under `pipelines/`: rubrics, answer
//! scales, predikat scales and pipeline files, with the pipeline's limits.
//!
//! The modules form layers, lowest first, and each uses only those below it:
//! `read` (text, TOML, `kind`, id) and `catalog` (where an id points);
//! `answer_scale`, `predikat` and `limits`; `rubric` (which names answer
//! scales); `pipeline` (which names rubrics, predikat scales and the unit
//! registry); `rule_file` (any kind, for validation). No rule module uses a
//! stage of the pipeline run (ingest, score, review, ...); the stages use them.

pub mod answer_scale;
pub mod ikm;
pub mod iku;
pub mod catalog;
pub mod limits;
pub mod pipeline;
pub mod predikat;
pub(crate) mod read;
pub mod rubric;
pub mod rule_file;
