//! The PyPI venv `ci-templates/install-deps` makes: `$STACK_PY`, else
//! `/opt/stack-py/bin/python`. It holds the peers Debian does not ship
//! (OpenSSL 4 inside `cryptography` with pyOpenSSL, tlslite-ng).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

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

/// A peer script's server, killed when dropped.
pub(crate) struct PeerServer(Child);

impl Drop for PeerServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command`, a peer script in a server mode whose first line of
/// output is `port N`; returns the running server and N.
pub(crate) fn start_server(mut command: Command) -> (PeerServer, u16) {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut first).unwrap();
    let port = first.trim().strip_prefix("port ").and_then(|p| p.parse().ok());
    let server = PeerServer(child);
    (server, port.unwrap_or_else(|| panic!("{command:?} printed {first:?}")))
}
