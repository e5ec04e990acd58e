//! Against asyncssh 2.24.1 (PyPI), one of the two peers here that speak
//! mlkem768x25519-sha256 (through pyca/cryptography's ML-KEM; OpenSSH
//! 9.2 predates it): connect, password auth, exec; and every algorithm
//! asyncssh and puressh share (`matrix_server.py`).

use puressh::client::{Client, ClientConfig};
use puressh::config::known_hosts::KnownHosts;
use puressh::names;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The server process, killed when the test ends.
pub(super) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `server.py` offering `kex`; `None` (with a loud banner) when
/// the Python environment is missing outside CI.
fn start(kex: &str) -> Option<(Server, u16, String)> {
    start_script("server.py", &[kex])
}

/// Starts `tests/data/asyncssh/<script>` with `args`; it prints
/// "PORT HOSTKEY" first. `None` (with a loud banner) when the Python
/// environment is missing outside CI.
pub(super) fn start_script(script: &str, args: &[&str]) -> Option<(Server, u16, String)> {
    let python = std::env::var("STACK_PY").unwrap_or_else(|_| "/opt/stack-py/bin/python".into());
    let has_asyncssh =
        Command::new(&python).args(["-c", "import asyncssh"]).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    if !has_asyncssh {
        assert!(std::env::var_os("CI").is_none(), "{python} with asyncssh missing in CI");
        eprintln!("SKIPPED: asyncssh interop ({python} lacks asyncssh; run ci-templates/install-deps)");
        return None;
    }
    let script = format!("{}/tests/data/asyncssh/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut child =
        Command::new(&python).arg(script).args(args).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let (port, key) = line.trim().split_once(' ').unwrap();
    Some((Server(child), port.parse().unwrap(), key.to_owned()))
}

#[test]
fn mlkem768x25519_against_asyncssh() {
    let Some((_server, port, host_key)) = start(names::MLKEM768X25519_SHA256) else { return };
    let mut config = ClientConfig::new("tester");
    config.password = Some("pw".into());
    config.known_hosts = KnownHosts::parse(&format!("[127.0.0.1]:{port} {host_key}\n")).unwrap();
    config.preferences.kex = vec![names::MLKEM768X25519_SHA256.to_owned()];
    let mut session = Client::connect(("127.0.0.1", port), config).unwrap();
    assert_eq!(session.negotiated().unwrap().kex, names::MLKEM768X25519_SHA256);
    let out = session.exec("anything").unwrap();
    assert_eq!((out.stdout.as_slice(), out.stderr.as_slice(), out.status), (&b"hello\n"[..], &b"err\n"[..], Some(3)));
    session.disconnect().unwrap();
}

/// Every key exchange asyncssh and puressh share by every shared cipher,
/// each host key algorithm and each MAC (`tests/data/asyncssh/matrix_server.py`
/// offers everything asyncssh implements but GSS).
#[test]
fn algorithm_sets_against_asyncssh() {
    let Some(python) = super::common::stack_python("asyncssh", "2.24.1") else { return };
    let script = format!("{}/tests/data/asyncssh/matrix_server.py", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(python).arg(script).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    // The server exits when its stdin closes; the child is killed on drop.
    let _stdin = child.stdin.take();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let _server = Server(child);
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("matrix server said {line:?}"));
    let (mut known, mut offered) = (String::new(), Vec::new());
    for _ in 0..7 {
        line.clear();
        out.read_line(&mut line).unwrap();
        match line.trim().strip_prefix("key ") {
            Some(key) => known.push_str(&format!("[127.0.0.1]:{port} {key}\n")),
            None => {
                let (category, list) = line.trim().split_once('=').unwrap();
                offered.push((category.to_owned(), list.split(',').map(str::to_owned).collect::<Vec<String>>()));
            }
        }
    }
    let config = || {
        let mut config = ClientConfig::new("tester");
        config.password = Some("pw".into());
        config.known_hosts = KnownHosts::parse(&known).unwrap();
        config
    };
    let shared = super::common::algorithm_sets(port, &offered, &config, "anything");
    // asyncssh 2.24.1 shares 10 key exchanges with us (no sntrup761),
    // all 6 ciphers, 4 MACs and 4 host key algorithms.
    assert!(shared.kex.iter().any(|k| k == names::MLKEM768X25519_SHA256), "{shared:?}");
    assert_eq!(shared.counts(), (10, 6, 4, 4), "{shared:?}");
}
