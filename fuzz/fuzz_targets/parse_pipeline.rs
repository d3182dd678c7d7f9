//! The pipeline-file parser on arbitrary text, as if it were a pipeline file
//! in the repository's `pipelines/` folder (so the registry, rubrics and
//! scales it names resolve against the real ones).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sakip::rules::pipeline::{Overrides, Plan};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = sakip_fuzz::pipelines_dir().join("fuzz.toml");
    let plan = Plan::parse(&path, text, &Overrides::default());
    sakip_fuzz::check_refusal(&plan);
    if let Ok(plan) = plan {
        assert!(plan.keep_snapshots >= 1);
        for e in &plan.evaluations {
            assert!(plan.evaluation_for(e.from).is_some_and(|found| std::ptr::eq(found, e)), "spans overlap at {}", e.from);
        }
    }
});
