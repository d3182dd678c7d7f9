//! How the allocator gives memory back to the system, per stage of a run.
//!
//! The binary's allocator is mimalloc, which by default keeps freed pages for
//! a second before returning them, so that a thread allocating again soon
//! reuses them without page faults. Ingest benefits: its worker threads
//! allocate and free the same shapes file after file. The polars stages after
//! it (score, rank, review) run on other threads and kept claiming fresh
//! pages while the freed ones waited, year after year: on the national
//! history the run's peak was 190 MiB for a live heap under 80 MiB. Returning
//! freed pages at once from the end of ingest on brought the peak to 130 MiB
//! for about 8 % more wall time (BENCHMARKS.md, "Memory").

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (mimalloc.h, v3);
/// the Rust binding declares no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// From now on, pages the allocator frees go back to the system at once.
///
/// Call it between stages, when no other thread is working. Harmless where
/// mimalloc is not the global allocator (library tests): it then sets an
/// option of an allocator nothing uses.
pub fn return_freed_pages_at_once() {
    // SAFETY: sets one integer option; called while the worker threads idle.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        // Only purge_delay defaults to 1000 (ms) in mimalloc v3: a wrong
        // index would read another option's default. (The test process does
        // not set MIMALLOC_PURGE_DELAY.)
        // SAFETY: reads one integer option.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000);
    }
}
