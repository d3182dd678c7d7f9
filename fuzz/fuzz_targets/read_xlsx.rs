//! The XLSX submission reader on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

// libFuzzer's hook aborts on every panic, even one the XLSX reader catches
// on purpose (a workbook that trips calamine becomes a refused file); this
// keeps its abort for every other panic, which is the bug.
fuzz_target!(
    init: sakip::ingest::read::quiet_caught_panics(),
    |data: &[u8]| sakip_fuzz::check_read("fuzz.xlsx", data)
);
