//! Helpers shared by the suites: finding tools, building `libbtmalloc.so`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Whether `tool` is on PATH. Missing: fails under CI, else prints a loud
/// skip line and returns false.
pub(crate) fn have(tool: &str) -> bool {
    let found =
        Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output().is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var_os("CI").is_some() {
            panic!("{tool} is required in CI but not installed");
        }
        // Straight to fd 2: libtest's capture would hide an eprintln!.
        let _ = writeln!(std::io::stderr(), "SKIPPED: {tool} not installed");
    }
    found
}

/// The target directory this test binary was built in.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // <target>/<profile>/deps/all-<hash>
    exe.ancestors().nth(3).unwrap().to_path_buf()
}

/// Builds (once per test run) the release `libbtmalloc.so` with the
/// `preload` feature in its own target directory and returns its path.
pub(crate) fn preload_lib() -> &'static Path {
    static LIB: OnceLock<PathBuf> = OnceLock::new();
    LIB.get_or_init(|| {
        let dir = target_dir().join("preload-so");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--release", "--locked", "--lib", "--features", "preload", "--target-dir"])
            .arg(&dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("RUSTFLAGS")
            .status()
            .unwrap();
        assert!(status.success(), "building libbtmalloc.so failed");
        let lib = dir.join("release").join("libbtmalloc.so");
        assert!(lib.exists(), "{} missing", lib.display());
        lib
    })
}

/// A fresh temporary directory (removed by the caller's `TempDir` drop).
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("btmalloc-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
