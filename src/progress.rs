//! Progress shown on a terminal for long stages; hidden when output is piped
//! or logged, so logs stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting `len` items of a stage.
pub fn bar(len: u64, stage: &str, unit: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let template = format!("{{prefix:>8}} [{{bar:30}}] {{pos}}/{{len}} {unit} ({{eta}})");
    bar.set_style(ProgressStyle::with_template(&template).expect("valid template").progress_chars("=> "));
    bar.set_prefix(stage.to_string());
    bar
}

/// A spinner for a stage whose size is not known in advance.
pub fn stage(stage: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template("{prefix:>8} {spinner} {elapsed}").expect("valid template"));
    bar.set_prefix(stage.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
