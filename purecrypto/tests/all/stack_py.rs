//! The PyPI venv `ci-templates/install-deps` makes: `$STACK_PY`, else
//! `/opt/stack-py/bin/python`. It holds the peers Debian does not ship
//! (OpenSSL 4 inside `cryptography` with pyOpenSSL, tlslite-ng).

use std::path::PathBuf;
use std::process::Command;

/// The venv's interpreter when `imports` (Python statements) run there.
/// Missing: a panic in CI, a loud skip naming `purpose` otherwise.
pub(crate) fn python_with(imports: &str, purpose: &str) -> Option<PathBuf> {
    let path = std::env::var_os("STACK_PY").map_or_else(|| PathBuf::from("/opt/stack-py/bin/python"), PathBuf::from);
    let works = Command::new(&path).args(["-c", imports]).output().is_ok_and(|o| o.status.success());
    if works {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "{} running `{imports}` is required in CI for {purpose}", path.display());
    eprintln!(
        "\n*****\nSKIPPED: {purpose}: no `{imports}` in {} (run ci-templates/install-deps)\n*****\n",
        path.display()
    );
    None
}
