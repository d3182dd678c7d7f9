//! The process's memory settings: huge pages off, and how the allocator gives
//! freed memory back to the system per stage of a run.
//!
//! The binary's allocator is mimalloc, which by default keeps freed pages for
//! a second before returning them, so that a thread allocating again soon
//! reuses them without page faults. Ingest benefits: its worker threads
//! allocate and free the same shapes file after file. The polars stages after
//! it (score, rank, review) run on other threads and kept claiming fresh
//! pages while the freed ones waited, year after year, so the run's peak was
//! more than twice its live heap. Returning freed pages within milliseconds
//! from the end of ingest on removes that without slowing ingest, which
//! doing it for the whole run did (BENCHMARKS.md, "Designs tried and
//! measured").

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (mimalloc.h, v3);
/// the Rust binding declares no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long, in milliseconds, the allocator keeps a freed page from the end
/// of ingest on before it goes back to the system. Ten milliseconds, not
/// none: a page freed and wanted again within a query or a workbook is
/// reused instead of returned and faulted in afresh, and the run's peak is
/// lower than with none (BENCHMARKS.md, "Designs tried and measured").
const PURGE_DELAY_AFTER_INGEST_MS: std::ffi::c_long = 10;

/// From now on, pages the allocator frees go back to the system within
/// [`PURGE_DELAY_AFTER_INGEST_MS`].
///
/// Call it between stages, when no other thread is working. Harmless where
/// mimalloc is not the global allocator (library tests): it then sets an
/// option of an allocator nothing uses.
pub fn return_freed_pages_soon() {
    // SAFETY: sets one integer option; called while the worker threads idle.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_AFTER_INGEST_MS) }
    // Pages the workers freed in ingest's last second still wait out the
    // old delay in each worker's own heap, and an idle worker checks for
    // nothing: each returns them now.
    // SAFETY: mi_collect only frees what the calling thread's heap holds
    // unused.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
}

/// Turns transparent huge pages off for this process (Linux; elsewhere it
/// does nothing).
///
/// mimalloc asks the kernel for huge pages on its arenas, and the kernel
/// then zeroes a whole 2 MiB page at the first touch of any byte of it; a
/// run allocates a year's buffers, frees them and takes fresh ones for the
/// next year, so the zeroing is paid again and again and the peak grows,
/// for no gain in wall time (BENCHMARKS.md, "Designs tried and measured").
/// Call it first in `main`.
pub fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes and returns integers only. A
    // kernel that refuses it leaves huge pages on, which is only slower.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_off_for_the_process_after_the_call() {
        no_transparent_huge_pages();
        // SAFETY: reads the process's flag.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) }, 1);
    }

    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        // Only purge_delay defaults to 1000 (ms) in mimalloc v3: a wrong
        // index would read another option's default. (The test process does
        // not set MIMALLOC_PURGE_DELAY.)
        // SAFETY: reads one integer option.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000);
    }
}
