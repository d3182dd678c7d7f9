//! The `sakip` binary: parses arguments, runs the library, maps the outcome to
//! an exit code (0 clean, 1 some input rejected, 2 could not run).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sakip::cmd;
use sakip::rules::catalog::Catalog;
use sakip::Outcome;

// The run allocates and frees many short-lived buffers on every thread (a
// compression context per Parquet column chunk, a record per answer row);
// mimalloc reuses them per thread where the system allocator kept returning
// pages to the kernel and faulting them back in.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Consolidates KPU SAKIP evaluation worksheets (LKE) into exact scores,
/// predikat and rankings.
#[derive(Parser)]
#[command(name = "sakip", version, max_term_width = 100)]
struct Cli {
    /// Directory that rubric and scale ids resolve in (rubrics/, scales/,
    /// answer-scales/).
    #[arg(long, global = true, env = "SAKIP_PIPELINES", default_value = "pipelines", value_name = "DIR")]
    pipelines: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Validate(cmd::validate::Args),
    Ingest(cmd::ingest::Args),
    Run(cmd::run::Args),
    Review(cmd::review::Args),
    Rank(cmd::rank::Args),
    Gen(cmd::gen::Args),
    Rollback(cmd::rollback::Args),
    Sql(cmd::sql::Args),
    Score(cmd::score::Args),
    Grade(cmd::grade::Args),
    Rubric(cmd::rubric::Args),
    Unit(cmd::unit::Args),
    Template(cmd::template::Args),
}

impl Command {
    /// The `--threads` of a command that takes the pipeline arguments.
    fn threads(&self) -> Option<usize> {
        match self {
            Command::Ingest(args) => args.pipeline.threads,
            Command::Run(args) => args.pipeline.threads,
            Command::Review(args) => args.pipeline.threads,
            Command::Rollback(args) => args.pipeline.threads,
            _ => None,
        }
    }
}

fn main() -> ExitCode {
    sakip::memory::no_transparent_huge_pages();
    sakip::ingest::read::quiet_caught_panics();
    let cli = Cli::parse();
    // `--threads` bounds our worker pool (built from the plan by the
    // command) and polars' own pool alike. polars sizes its pool once, from
    // the POLARS_MAX_THREADS variable, the first time a query runs, and has
    // no other setting for it (polars 0.55), so the variable is set here, at
    // start-up, while the process has a single thread: changing the
    // environment is unsafe once other threads may read it.
    if let Some(n) = cli.command.threads().filter(|&n| n > 0) {
        std::env::set_var("POLARS_MAX_THREADS", n.to_string());
    }
    let catalog = Catalog::new(cli.pipelines);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match &cli.command {
        Command::Validate(args) => cmd::validate::run(&catalog, args, &mut out),
        Command::Ingest(args) => cmd::ingest::run(args, &mut out),
        Command::Run(args) => cmd::run::run(args, &mut out),
        Command::Review(args) => cmd::review::run(args, &mut out),
        Command::Rank(args) => cmd::rank::run(args, &mut out),
        Command::Gen(args) => cmd::gen::run(args, &mut out),
        Command::Rollback(args) => cmd::rollback::run(args, &mut out),
        Command::Sql(args) => cmd::sql::run(args, &mut out),
        Command::Score(args) => cmd::score::run(&catalog, args, &mut out),
        Command::Grade(args) => cmd::grade::run(&catalog, args, &mut out),
        Command::Rubric(args) => cmd::rubric::run(&catalog, args, &mut out),
        Command::Unit(args) => cmd::unit::run(&catalog, args, &mut out),
        Command::Template(args) => cmd::template::run(args, &mut out),
    };
    let _ = out.flush();
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Rejected) => ExitCode::from(1),
        Err(e) => {
            let mut shown = e.to_string();
            eprintln!("sakip: error: {shown}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                // Most of our messages end with their cause already
                // ("<path>: No space left on device"); say it only once.
                let text = cause.to_string();
                if !shown.contains(&text) {
                    eprintln!("  caused by: {text}");
                    shown = text;
                }
                source = cause.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
