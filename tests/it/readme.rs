//! The README's shown outputs, checked against the real binary on the
//! bundled sample: every fenced block whose lines start `$ ` is a session —
//! each command is run (from a copy of the checkout's `pipelines/` and
//! `sample-data/`, as a new user would, `cargo run --release --` or `sakip`
//! meaning the binary) and what it prints must be the lines below it, only
//! the timing line masked; a session whose shown output ends in a line
//! `…` shows only the start of it, which must match. Blocks that show part of that output without a
//! command (the ingest summary, the grades per year) must appear, line for
//! line, in what a command printed. Every `sakip sql` example must run.
//!
//! When the program's output changes on purpose, re-bless consciously:
//! `SAKIP_BLESS_README=1 cargo test --test it readme` rewrites the README's
//! session blocks with what the binary printed (the README's own timing
//! line kept; excerpts are left for a person to edit); review the diff
//! before committing. CI never sets it, so there the README is only ever checked.

use std::path::Path;
use std::process::Command;

use crate::util::{copy_dir, repo, set_mtime, Workdir};

/// A fenced block without an info string: its first line's index in the
/// README and its lines.
struct Block {
    first: usize,
    lines: Vec<String>,
}

fn blocks(text: &str, info: &str) -> Vec<Block> {
    let mut out = Vec::new();
    // The open fence's info string and its block.
    let mut current: Option<(String, Block)> = None;
    for (i, line) in text.lines().enumerate() {
        let fence = line.trim_start();
        match &mut current {
            None if fence.starts_with("```") => current = Some((fence.trim_start_matches('`').to_string(), Block { first: i + 1, lines: Vec::new() })),
            None => {}
            Some(_) if fence == "```" => {
                let (found, block) = current.take().unwrap();
                if found == info {
                    out.push(block);
                }
            }
            Some((_, b)) => b.lines.push(line.to_string()),
        }
    }
    out
}

/// Shell words, with double quotes (all the README uses).
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut started) = (false, false);
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    out.push(std::mem::take(&mut word));
                }
                started = false;
            }
            _ => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

/// Runs a README command line in `dir`: its standard output, then its
/// standard error, as lines.
fn run(dir: &Path, command: &str) -> (i32, Vec<String>) {
    let mut args = words(command);
    let program = if args.starts_with(&["cargo".into(), "run".into(), "--release".into(), "--".into()]) {
        4
    } else if args.first().map(String::as_str) == Some("sakip") {
        1
    } else {
        panic!("README command `{command}` runs neither sakip nor cargo run")
    };
    args.drain(..program);
    let out = Command::new(env!("CARGO_BIN_EXE_sakip")).args(&args).current_dir(dir).env("NO_COLOR", "1").env_remove("SAKIP_PIPELINES").output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text.lines().map(String::from).collect())
}

/// The run's wall-time line varies from run to run: its figures are masked.
fn masked(line: &str) -> String {
    if line.trim_start().starts_with("time ") {
        line.split(' ').map(|w| if w.trim_matches(|c| c == '(' || c == ',').parse::<f64>().is_ok() { "#" } else { w }).collect::<Vec<_>>().join(" ")
    } else {
        line.to_string()
    }
}

fn trimmed(lines: &[String]) -> Vec<String> {
    let mut v: Vec<String> = lines.iter().map(|l| masked(l)).collect();
    while v.last().is_some_and(|l| l.trim().is_empty()) {
        v.pop();
    }
    v
}

/// A line-by-line account of where two outputs part.
fn difference(want: &[String], got: &[String]) -> String {
    let mut out = String::new();
    for i in 0..want.len().max(got.len()) {
        let (w, g) = (want.get(i).map(String::as_str), got.get(i).map(String::as_str));
        if w != g {
            out.push_str(&format!("line {}:\n  README: {}\n  sakip:  {}\n", i + 1, w.unwrap_or("(none)"), g.unwrap_or("(none)")));
        }
    }
    out
}

#[test]
fn the_readme_shows_what_the_binary_prints() {
    let wd = Workdir::new("readme");
    for dir in ["pipelines", "sample-data"] {
        copy_dir(&repo().join(dir), &wd.path().join(dir));
    }
    // A fresh checkout: both files of 5310's 2024 submission get the
    // checkout's time, and within a second the last path (the revision)
    // wins; the revision is made the newer file here so that a copy taking
    // more than a second cannot change that.
    let inbox = wd.path().join("sample-data/inbox/2024");
    set_mtime(&inbox.join("5310-manggarai.csv"), 1_709_251_200);
    set_mtime(&inbox.join("5310-manggarai_revisi.xlsx"), 1_709_596_800);

    let readme_path = repo().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let mut failures = String::new();
    let mut printed: Vec<Vec<String>> = Vec::new();
    // (README line index of a command's first output line, its length, the output).
    let mut bless: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut sessions = 0;
    for block in blocks(&readme, "") {
        if !block.lines.iter().any(|l| l.starts_with("$ ")) {
            continue;
        }
        sessions += 1;
        let starts: Vec<usize> = block.lines.iter().enumerate().filter(|(_, l)| l.starts_with("$ ")).map(|(i, _)| i).collect();
        for (n, &at) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(block.lines.len());
            let command = &block.lines[at][2..];
            let shown = &block.lines[at + 1..end];
            let (_code, got) = run(wd.path(), command);
            let (want, got_t) = (trimmed(shown), trimmed(&got));
            // A session whose shown output ends in a line `…` shows only
            // the start of what the command prints: that start must match.
            if want.last().is_some_and(|l| l == "…") {
                let head = &want[..want.len() - 1];
                if !got_t.starts_with(head) {
                    failures.push_str(&format!("README.md line {}: `{command}` starts otherwise:\n{}\n", block.first + at + 1, difference(head, &got_t[..head.len().min(got_t.len())])));
                }
                printed.push(got);
                continue;
            }
            if want != got_t {
                failures.push_str(&format!("README.md line {}: `{command}` prints otherwise:\n{}\n", block.first + at + 1, difference(&want, &got_t)));
            }
            // For re-blessing: the output in place of the shown lines, the
            // README's own timing line kept.
            let mut new = got.clone();
            for line in new.iter_mut() {
                if let Some(old) = shown.iter().find(|s| masked(s) != **s && masked(s) == masked(line)) {
                    *line = old.clone();
                }
            }
            let blank_after = shown.len() - trimmed(shown).len();
            new.extend(std::iter::repeat_n(String::new(), blank_after));
            bless.push((block.first + at + 1, shown.len(), new));
            printed.push(got);
        }
    }
    assert!(sessions >= 3, "the README's sessions (run, grade, rank) were not found");

    // Excerpts: a block with no command whose first line is a line some
    // command printed must be found there whole.
    let mut excerpts = 0;
    for block in blocks(&readme, "") {
        let Some(first) = block.lines.first() else { continue };
        if block.lines.iter().any(|l| l.starts_with("$ ")) || !printed.iter().any(|p| p.contains(first)) {
            continue;
        }
        excerpts += 1;
        let want = trimmed(&block.lines);
        if !printed.iter().any(|p| trimmed(p).windows(want.len()).any(|w| w == want.as_slice())) {
            failures.push_str(&format!("README.md line {}: this excerpt is not what sakip printed:\n{}\n", block.first + 1, want.join("\n")));
        }
    }
    assert!(excerpts >= 2, "the README's excerpts of the run's summary were not found");

    // The `sakip sql` examples run as written.
    for block in blocks(&readme, "sh") {
        for line in block.lines.iter().filter(|l| l.starts_with("sakip sql ")) {
            let (code, out) = run(wd.path(), line);
            if code != 0 || out.is_empty() {
                failures.push_str(&format!("README.md: `{line}` exited {code}:\n{}\n", out.join("\n")));
            }
        }
    }

    if std::env::var_os("SAKIP_BLESS_README").is_some() && !failures.is_empty() {
        let mut lines: Vec<String> = readme.lines().map(String::from).collect();
        for (first, len, new) in bless.into_iter().rev() {
            lines.splice(first..first + len, new);
        }
        std::fs::write(&readme_path, lines.join("\n") + "\n").unwrap();
        panic!("README.md's sessions rewritten from the binary's output (excerpts are not: edit those by hand); review `git diff README.md`, then run again:\n{failures}");
    }
    assert!(failures.is_empty(), "{failures}\n(to take the binary's output into the README on purpose: SAKIP_BLESS_README=1 cargo test --test it readme)");
}
