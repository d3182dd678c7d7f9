//! The integration tests: the real `sakip` binary on real files, one work
//! directory per test.

mod codes;
mod gen;
mod hostile;
mod incremental;
mod ikm;
mod iku;
mod ingest;
mod oracle;
mod promises;
mod readme;
mod review;
mod run;
mod snapshot;
mod rules_cli;
mod table;
mod unit;
mod template;
mod util;
