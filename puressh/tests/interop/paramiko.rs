//! Against paramiko 5.1.0 (PyPI, in the `/opt/stack-py` venv that
//! `ci-templates/install-deps` creates), a third SSH implementation with
//! its own algorithm set, mlkem768x25519-sha256 included: every key
//! exchange method by every cipher both support, each host key
//! algorithm, each MAC, exec with streams and exit status, and data both
//! ways with rekeys. The server is `tests/data/paramiko/server.py`,
//! started once for the test binary; it announces paramiko's lists and
//! the tests run what both sides implement.

use puressh::client::{Client, ClientConfig};
use puressh::config::known_hosts::KnownHosts;
use puressh::keys::private::PrivateKey;
use puressh::names;
use puressh::transport::machine::RekeyLimits;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};

struct Server {
    port: u16,
    /// known_hosts lines for the three host keys.
    known_hosts: String,
    /// paramiko's offered lists by category (`kex`, `cipher`, `mac`, `key`).
    offered: Vec<(String, Vec<String>)>,
    /// Held open for the life of the test binary: the server exits on EOF.
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
    _dir: PathBuf,
}

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(path)
}

fn start() -> Option<Server> {
    let python = super::common::stack_python("paramiko", "5.1.0")?;
    let dir = std::env::temp_dir().join(format!("puressh-paramiko-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut host_keys = Vec::new();
    for (kind, bits) in [("ed25519", "256"), ("ecdsa", "256"), ("rsa", "2048")] {
        let path = dir.join(format!("host_{kind}"));
        let _ = std::fs::remove_file(&path);
        let out = Command::new("ssh-keygen")
            .args(["-q", "-t", kind, "-b", bits, "-N", "", "-f"])
            .arg(&path)
            .output()
            .expect("ssh-keygen");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        host_keys.push(path);
    }
    let mut child = Command::new(python)
        .arg(data("paramiko/server.py"))
        .arg(data("openssh-keys/id_ed25519.pub"))
        .args(&host_keys)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the paramiko server");
    let stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("paramiko server said {line:?}"));
    let mut offered = Vec::new();
    for _ in 0..4 {
        line.clear();
        out.read_line(&mut line).unwrap();
        let (category, list) = line.trim().split_once('=').unwrap();
        offered.push((category.to_owned(), list.split(',').map(str::to_owned).collect()));
    }
    let known_hosts = host_keys
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p.with_extension("pub")).unwrap();
            let fields: Vec<&str> = text.split_whitespace().take(2).collect();
            format!("[127.0.0.1]:{port} {}\n", fields.join(" "))
        })
        .collect();
    Some(Server { port, known_hosts, offered, _stdin: Mutex::new(stdin), _child: Mutex::new(child), _dir: dir })
}

fn server() -> Option<&'static Server> {
    static SERVER: OnceLock<Option<Server>> = OnceLock::new();
    SERVER.get_or_init(start).as_ref()
}

fn config(server: &Server) -> ClientConfig {
    let key = std::fs::read_to_string(data("openssh-keys/id_ed25519")).unwrap();
    let mut config = ClientConfig::new("tester");
    config.identities.push(PrivateKey::from_openssh(&key, None).unwrap());
    config.known_hosts = KnownHosts::parse(&server.known_hosts).unwrap();
    config
}

/// Every key exchange method by every cipher that both implement (the
/// CTR ciphers with hmac-sha2-256-etm), with the Ed25519 host key; then
/// each host key algorithm and each MAC once.
#[test]
fn algorithm_sets() {
    let Some(server) = server() else { return };
    let shared = super::common::algorithm_sets(
        server.port,
        &server.offered,
        &|| config(server),
        "printf hello; printf err >&2; exit 3",
    );
    // What paramiko 5.1.0 shares with us, so that a change on either side
    // shows: 8 key exchanges (mlkem768x25519 among them), 5 ciphers, 4
    // MACs, 4 host key algorithms.
    assert!(shared.kex.iter().any(|k| k == names::MLKEM768X25519_SHA256), "{shared:?}");
    assert_eq!(shared.counts(), (8, 5, 4, 4), "{shared:?}");
}

/// Several MiB each way with a 256 KiB rekey limit: output through the
/// library, input through `puressh ssh` (stdin relayed into `sha256sum`).
#[test]
fn data_both_ways_with_rekeys() {
    let Some(server) = server() else { return };
    let mut c = config(server);
    let mut limits = RekeyLimits::default();
    limits.bytes = 256 << 10;
    c.rekey_limits = limits;
    let mut session = Client::connect(("127.0.0.1", server.port), c).unwrap();
    let out = session.exec("seq 1 500000").unwrap();
    let expected: String = (1..=500_000).map(|i| format!("{i}\n")).collect();
    assert!(out.stdout == expected.as_bytes(), "output differs ({} bytes)", out.stdout.len());
    session.rekey().unwrap();
    assert_eq!(session.exec("true").unwrap().status, Some(0));
    session.disconnect().unwrap();

    let known = std::env::temp_dir().join(format!("puressh-paramiko-known-{}", std::process::id()));
    std::fs::write(&known, &server.known_hosts).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_puressh"))
        .args(["ssh", "-F", "/dev/null", "-p", &server.port.to_string()])
        .arg("-i")
        .arg(data("openssh-keys/id_ed25519"))
        .args(["-o", &format!("UserKnownHostsFile={}", known.display())])
        .args(["tester@127.0.0.1", "sha256sum"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input: Vec<u8> = (0..6u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let mut stdin = child.stdin.take().unwrap();
    let writer = {
        let input = input.clone();
        std::thread::spawn(move || stdin.write_all(&input).unwrap())
    };
    let mut stdout = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    writer.join().unwrap();
    let status = child.wait().unwrap();
    let mut hash = purecrypto::hash::Hasher::new(purecrypto::hash::HashAlgorithm::Sha256);
    hash.update(&input);
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(stdout.split_whitespace().next(), Some(hex.as_str()));
    assert_eq!(status.code(), Some(0));
    let _ = std::fs::remove_file(known);
}
