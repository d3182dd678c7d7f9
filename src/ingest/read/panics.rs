//! Panics a reader catches on purpose, kept out of the log.
//!
//! calamine can panic on a forged workbook; the workbook readers catch that
//! and refuse the file instead. The process-wide panic hook would still print
//! "panicked" for it, so this module marks the threads inside such a reader
//! and installs a hook that stays quiet for them only.

thread_local! {
    /// Whether this thread is inside a reader that turns panics into
    /// refusals.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the current thread as inside a panic-catching reader until dropped.
pub(super) struct QuietPanics;

impl QuietPanics {
    pub(super) fn begin() -> QuietPanics {
        QUIET.with(|q| q.set(true));
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(false));
    }
}

/// Installs a panic hook that says nothing about panics a reader catches
/// and reports as a refused file (a forged workbook that trips the
/// spreadsheet library), so a nightly log does not show "panicked" for a
/// run that went on; every other panic is printed as before. For binaries:
/// call once at start.
pub fn quiet_caught_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !QUIET.with(|q| q.get()) {
            previous(info);
        }
    }));
}
