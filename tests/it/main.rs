//! The integration tests: the real `sakip` binary on real files, one work
//! directory per test.

mod rules_cli;
mod util;
