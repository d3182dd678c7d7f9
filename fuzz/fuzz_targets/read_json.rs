//! The JSON submission reader on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: sakip_fuzz::default_panic_hook(),
    |data: &[u8]| sakip_fuzz::check_read("fuzz.json", data)
);
