//! The rubric parser on arbitrary text, with the repository's answer scales
//! to name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sakip::rules::catalog::Catalog;
use sakip::rules::rubric::Rubric;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let root = sakip_fuzz::pipelines_dir();
    let rubric = Rubric::parse(&root.join("rubrics").join("fuzz.toml"), text, &Catalog::new(&root));
    sakip_fuzz::check_refusal(&rubric);
    if let Ok(rubric) = rubric {
        for (i, c) in rubric.criteria.iter().enumerate() {
            assert_eq!(rubric.criterion_index(&c.code), Some(i), "criterion {} is not found by its code", c.code);
        }
    }
});
