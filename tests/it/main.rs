//! The integration tests: the real `sakip` binary on real files, one work
//! directory per test.

mod ingest;
mod review;
mod rules_cli;
mod table;
mod util;
