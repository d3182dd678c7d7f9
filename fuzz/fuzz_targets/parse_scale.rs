//! The answer-scale and predikat-scale parsers on arbitrary text (the first
//! byte picks which). A predikat scale that parses must grade every score
//! from 0.00 to 100.00 into exactly one band.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sakip::rules::answer_scale::AnswerScale;
use sakip::rules::predikat::PredikatScale;
use sakip::Points;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let root = sakip_fuzz::pipelines_dir();
    if which % 2 == 0 {
        let scale = AnswerScale::parse(&root.join("answer-scales").join("fuzz.toml"), text);
        sakip_fuzz::check_refusal(&scale);
    } else {
        let scale = PredikatScale::parse(&root.join("scales").join("fuzz.toml"), text);
        sakip_fuzz::check_refusal(&scale);
        if let Ok(scale) = scale {
            for hundredths in 0..=10_000 {
                let score = Points::from_hundredths(hundredths);
                let exact = score.exact();
                let bands = scale.bands.iter().filter(|b| b.contains(&exact)).count();
                assert_eq!(bands, 1, "{score} falls in {bands} bands");
            }
        }
    }
});
