//! The ODS, XLS and XLSB submission readers on arbitrary bytes: the first
//! byte picks the format, the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

// As for XLSX: a workbook that trips calamine is a refused file, whose
// caught panic must not abort the fuzzer.
fuzz_target!(
    init: sakip::ingest::read::quiet_caught_panics(),
    |data: &[u8]| {
        if let Some((&pick, file)) = data.split_first() {
            let name = ["fuzz.ods", "fuzz.xls", "fuzz.xlsb"][usize::from(pick % 3)];
            sakip_fuzz::check_read(name, file);
        }
    }
);
