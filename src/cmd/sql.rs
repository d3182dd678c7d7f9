//! `sakip sql`: any SQL query over the warehouse tables, for the questions no
//! command anticipates.

use std::io::Write;
use std::path::PathBuf;

use polars::prelude::*;
use polars::sql::SQLContext;

use crate::cmd::{frame, Format};
use crate::error::{Error, Result};
use crate::tables;
use crate::Outcome;

/// Run a SQL query over the warehouse.
///
/// The tables answers, scores, component_scores, criterion_scores,
/// rankings, component_rankings and rejects are registered by name. Example:
/// sakip sql --warehouse warehouse/sample-ntt "SELECT unit_name, score FROM
/// rankings WHERE year = 2024 ORDER BY score DESC LIMIT 5"
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The warehouse directory.
    #[arg(long, value_name = "DIR")]
    pub warehouse: PathBuf,

    /// The query.
    #[arg(value_name = "SQL")]
    pub query: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `sakip sql`.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let mut ctx = SQLContext::new();
    let mut registered = Vec::new();
    for table in tables::ALL {
        if !tables::files(&args.warehouse, table).is_empty() {
            ctx.register(table, tables::scan(&args.warehouse, table)?);
            registered.push(table);
        }
    }
    if registered.is_empty() {
        return Err(Error::NoTable { table: "answers".into(), warehouse: args.warehouse.clone() });
    }
    let explain = |e: PolarsError| Error::Query(format!("{e}\n  tables: {}", registered.join(", ")));
    let df = ctx.execute(&args.query).map_err(explain)?.collect().map_err(explain)?;
    frame::print(&df, args.format, out)?;
    Ok(Outcome::Clean)
}
