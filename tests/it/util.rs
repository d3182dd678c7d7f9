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
