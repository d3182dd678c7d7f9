//! A per-test work directory and a way to run the real `sakip` binary in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where `pipelines/` and `sample-data/` live.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh directory under `target/` for one test, removed and recreated on
/// each run so earlier runs never leak in.
pub struct Workdir {
    dir: PathBuf,
}

impl Workdir {
    /// A clean work directory named after the test.
    pub fn new(name: &str) -> Workdir {
        let dir = repo().join("target").join("it-work").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create work dir");
        Workdir { dir }
    }

    /// A clean work directory at `dir` (for a test that needs one outside
    /// `target/`, e.g. readable by another user).
    pub fn at(dir: PathBuf) -> Workdir {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create work dir");
        Workdir { dir }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes a file (creating parent folders) and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }

    /// `sakip` with the given arguments, run in this directory with ids
    /// resolving in the repository's `pipelines/`.
    pub fn sakip(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_sakip"))
            .args(args)
            .current_dir(&self.dir)
            .env("SAKIP_PIPELINES", repo().join("pipelines"))
            .env("NO_COLOR", "1")
            .output()
            .expect("run sakip");
        Run { output, args: args.iter().map(|s| s.to_string()).collect() }
    }
}

/// A finished `sakip` process.
pub struct Run {
    output: Output,
    args: Vec<String>,
}

impl Run {
    /// Its standard output.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Its standard error.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Its exit code.
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    /// Asserts the exit code, showing both streams when it differs.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code(),
            code,
            "sakip {:?} exited {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args,
            self.code(),
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// The criterion codes of a shipped rubric, in order, read straight from
/// its TOML text (not through the code under test).
pub fn criteria_codes(rubric: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("pipelines/rubrics").join(format!("{rubric}.toml"))).unwrap();
    let mut codes = Vec::new();
    let mut in_criterion = false;
    for line in text.lines() {
        if line.starts_with("[[") {
            in_criterion = line == "[[components.subcomponents.criteria]]";
        } else if in_criterion && line.starts_with("code = \"") {
            codes.push(line.trim_start_matches("code = \"").trim_end_matches('"').to_string());
        }
    }
    codes
}

/// A `sakip gen` inbox of the national-history pipeline in `<wd>/inbox`
/// for `years` (`2004-2025`) and `provinces` (`53,75`): the pipeline's
/// path and the inbox's.
pub fn national_inbox(wd: &Workdir, years: &str, provinces: &str) -> (PathBuf, PathBuf) {
    let national = repo().join("pipelines/national-history.toml");
    let inbox = wd.path().join("inbox");
    wd.sakip(&["gen", "--pipeline", national.to_str().unwrap(), "--out", inbox.to_str().unwrap(), "--years", years, "--provinces", provinces]).expect_code(0);
    (national, inbox)
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Sets a file's modification time to `secs` after the epoch.
pub fn set_mtime(path: &Path, secs: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs)).unwrap();
}

/// Writes into the work dir's `pipelines/` a rubric `angka` of two criteria
/// answered 0–100 directly (the shipped answer and predikat scales copied
/// beside it), for tests that need a worksheet of two numbers.
pub fn numeric_rubric(wd: &Workdir) {
    copy_dir(&repo().join("pipelines/answer-scales"), &wd.path().join("pipelines/answer-scales"));
    copy_dir(&repo().join("pipelines/scales"), &wd.path().join("pipelines/scales"));
    wd.write(
        "pipelines/rubrics/angka.toml",
        r#"kind = "rubric"
name = "Nilai angka"
rollup = "mean"
missing = "zero"
answer_scale = "angka-0-100"
[[components]]
code = "1"
name = "Satu"
weight = 100
[[components.subcomponents]]
code = "1.1"
name = "Satu-satu"
weight = 100
[[components.subcomponents.criteria]]
code = "1.1.1"
name = "a"
[[components.subcomponents.criteria]]
code = "1.1.2"
name = "b"
"#,
    );
}

/// Headless Chromium with `args`, on `url`; returns stdout.
pub fn chromium(wd: &Workdir, args: &[&str], url: &str) -> String {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().map(PathBuf::from).find(|p| p.exists());
    let Some(chromium) = chromium else {
        panic!("headless Chromium is needed to render the HTML review and unit pages and is not installed (/usr/bin/chromium): run scripts/test, which installs it");
    };
    let profile = wd.path().join("chromium-profile");
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).unwrap();
    let output = Command::new(&chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display()));
    assert!(output.status.success(), "Chromium failed on {url}:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}
