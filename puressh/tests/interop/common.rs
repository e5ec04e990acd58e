//! What several interop test files share: the login configuration of a
//! `ci-templates/peers` peer, the two-worker algorithm matrix, the
//! changed-host-key check and the `/opt/stack-py` Python lookup.

use puressh::client::{Client, ClientConfig, ClientError, StrictHostKeyChecking};
use puressh::config::known_hosts::KnownHosts;
use puressh::keys::private::PrivateKey;
use puressh::names;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The command every matrix connection runs.
pub(super) const SCRIPT: &str = "echo hello; echo err >&2; exit 3";

/// The remote login profile may write to stderr before the command runs
/// (pyenv's `rehash` on the CI machines races between parallel logins),
/// so stderr is compared from the script's own line on: it must end with
/// exactly `err\n`, preceded by nothing or by a complete line.
pub(super) fn script_stderr(stderr: &[u8]) -> &[u8] {
    match stderr.strip_suffix(b"err\n") {
        Some(before) if before.is_empty() || before.ends_with(b"\n") => b"err\n",
        _ => stderr,
    }
}

/// The peer's login: its USER (root when unset), client KEY and
/// KNOWN_HOSTS.
pub(super) fn peer_config(peer: &peerctl::Peer) -> ClientConfig {
    let key = std::fs::read_to_string(peer.var("KEY").unwrap()).unwrap();
    let known = std::fs::read_to_string(peer.var("KNOWN_HOSTS").unwrap()).unwrap();
    let mut config = ClientConfig::new(peer.var("USER").unwrap_or("root"));
    config.identities.push(PrivateKey::from_openssh(&key, None).unwrap());
    config.known_hosts = KnownHosts::parse(&known).unwrap();
    config
}

/// Replaces an algorithm list with one name.
pub(super) fn only(list: &mut Vec<String>, name: &str) {
    *list = vec![name.to_owned()];
}

/// One matrix cell: kex, (cipher, MAC for non-AEAD ciphers), host key.
pub(super) type Combination = (&'static str, (&'static str, Option<&'static str>), &'static str);

/// Every key exchange by every cipher (with its MAC) by every host key
/// algorithm.
pub(super) fn combinations(
    kexes: &[&'static str],
    ciphers: &[(&'static str, Option<&'static str>)],
    host_keys: &[&'static str],
) -> Vec<Combination> {
    let mut out = Vec::new();
    for &kex in kexes {
        for &cipher in ciphers {
            out.extend(host_keys.iter().map(|&host_key| (kex, cipher, host_key)));
        }
    }
    out
}

/// Connects with each combination, checks the negotiation and runs
/// [`SCRIPT`]. Two workers keep both cores busy and stay far below the
/// servers' limits on unauthenticated connections.
pub(super) fn run_matrix(peer: &peerctl::Peer, combinations: &[Combination]) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(&(kex, (cipher, mac), host_key)) =
                    combinations.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    let mut c = peer_config(peer);
                    only(&mut c.preferences.kex, kex);
                    only(&mut c.preferences.cipher, cipher);
                    if let Some(mac) = mac {
                        only(&mut c.preferences.mac, mac);
                    }
                    only(&mut c.preferences.host_key, host_key);
                    let what = format!("{kex} {cipher} {mac:?} {host_key}");
                    let mut session =
                        Client::connect(("127.0.0.1", peer.port()), c).unwrap_or_else(|e| panic!("{what}: {e}"));
                    let n = session.negotiated().unwrap().clone();
                    assert_eq!((n.kex.as_str(), n.cipher_s2c.as_str(), n.host_key.as_str()), (kex, cipher, host_key));
                    assert_eq!((n.mac_c2s.as_deref(), n.mac_s2c.as_deref()), (mac, mac), "{what}");
                    let out = session.exec(SCRIPT).unwrap_or_else(|e| panic!("{what}: {e}"));
                    assert_eq!(
                        (out.stdout.as_slice(), script_stderr(&out.stderr), out.status),
                        (&b"hello\n"[..], &b"err\n"[..], Some(3)),
                        "{what}"
                    );
                    session.disconnect().unwrap();
                }
            });
        }
    });
}

/// A known_hosts entry with another ed25519 key for the peer is refused
/// before authentication under every StrictHostKeyChecking mode.
pub(super) fn changed_host_key_is_refused(peer: &peerctl::Peer) {
    let other = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/openssh-keys/id_ed25519.pub"))
        .unwrap();
    let line =
        format!("[127.0.0.1]:{} {}\n", peer.port(), other.split_whitespace().take(2).collect::<Vec<_>>().join(" "));
    for mode in [StrictHostKeyChecking::Yes, StrictHostKeyChecking::AcceptNew, StrictHostKeyChecking::No] {
        let mut c = peer_config(peer);
        c.known_hosts = KnownHosts::parse(&line).unwrap();
        c.strict_host_key_checking = mode;
        only(&mut c.preferences.host_key, names::SSH_ED25519);
        let err = Client::connect(("127.0.0.1", peer.port()), c).unwrap_err();
        assert!(
            matches!(err, ClientError::Ssh(puressh::Error::Kex(puressh::error::KexError::HostKeyChanged { .. }))),
            "{mode:?}: {err}"
        );
    }
}

/// The `/opt/stack-py` python (or `$STACK_PY`) when `module` is there at
/// `version`; otherwise a panic in CI, or `None` with a loud banner.
pub(super) fn stack_python(module: &str, version: &str) -> Option<PathBuf> {
    let python = std::env::var_os("STACK_PY").map_or_else(|| PathBuf::from("/opt/stack-py/bin/python"), PathBuf::from);
    let check = format!("import {module}; assert {module}.__version__ == '{version}', {module}.__version__");
    let usable = Command::new(&python)
        .args(["-c", &check])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if usable {
        return Some(python);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{module} {version} is missing from $STACK_PY or /opt/stack-py (run ci-templates/install-deps)");
    }
    eprintln!(
        "\n**********\nSKIPPED: {module} interop tests: no /opt/stack-py with {module} {version} (run ci-templates/install-deps)\n**********\n"
    );
    None
}

/// The algorithms a peer and puressh both implement, by category.
#[derive(Debug, Default)]
pub(super) struct Shared {
    pub(super) kex: Vec<String>,
    pub(super) cipher: Vec<String>,
    pub(super) mac: Vec<String>,
    pub(super) host_key: Vec<String>,
}

impl Shared {
    /// How many of each: key exchanges, ciphers, MACs, host key algorithms.
    pub(super) fn counts(&self) -> (usize, usize, usize, usize) {
        (self.kex.len(), self.cipher.len(), self.mac.len(), self.host_key.len())
    }
}

/// Names in both lists, in ours' order.
fn both(ours: &[&str], theirs: &[String]) -> Vec<String> {
    ours.iter().filter(|n| theirs.iter().any(|t| t == *n)).map(|n| (*n).to_owned()).collect()
}

/// Runs `command` on a fresh connection made from `config`; it must print
/// `hello` and `err` (no newlines) and exit with 3.
fn exec_hello(port: u16, config: ClientConfig, command: &str, what: &str) -> puressh::transport::negotiate::Negotiated {
    let mut session = Client::connect(("127.0.0.1", port), config).unwrap_or_else(|e| panic!("{what}: connect: {e}"));
    let out = session.exec(command).unwrap_or_else(|e| panic!("{what}: exec: {e}"));
    assert_eq!(
        (out.stdout.as_slice(), out.stderr.as_slice(), out.status),
        (&b"hello"[..], &b"err"[..], Some(3)),
        "{what}"
    );
    let negotiated = session.negotiated().unwrap().clone();
    session.disconnect().unwrap();
    negotiated
}

/// Against a peer that announced its lists (`offered`: category name and
/// names, as `kex`, `cipher`, `mac`, `key`): every key exchange both
/// implement by every shared cipher (CTR ciphers with
/// hmac-sha2-256-etm), with the Ed25519 host key, on two workers; then
/// each shared host key algorithm and each shared MAC once. Returns what
/// was shared, for the caller to pin.
pub(super) fn algorithm_sets(
    port: u16,
    offered: &[(String, Vec<String>)],
    config: &(dyn Fn() -> ClientConfig + Sync),
    command: &str,
) -> Shared {
    let offers = |category: &str| offered.iter().find(|(c, _)| c == category).map_or(&[][..], |(_, l)| l.as_slice());
    let shared = Shared {
        kex: both(puressh::transport::kex::SUPPORTED, offers("kex")),
        cipher: both(names::CIPHER, offers("cipher")),
        mac: both(names::MAC, offers("mac")),
        host_key: both(
            &[names::SSH_ED25519, names::ECDSA_SHA2_NISTP256, names::RSA_SHA2_512, names::RSA_SHA2_256],
            offers("key"),
        ),
    };
    let cells: Vec<(&String, &String)> =
        shared.kex.iter().flat_map(|kex| shared.cipher.iter().map(move |cipher| (kex, cipher))).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(&(kex, cipher)) = cells.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let mut c = config();
                    only(&mut c.preferences.kex, kex);
                    only(&mut c.preferences.cipher, cipher);
                    only(&mut c.preferences.mac, names::HMAC_SHA2_256_ETM);
                    only(&mut c.preferences.host_key, names::SSH_ED25519);
                    let n = exec_hello(port, c, command, &format!("{kex} {cipher}"));
                    assert_eq!((&n.kex, &n.cipher_c2s, &n.cipher_s2c), (kex, cipher, cipher));
                }
            });
        }
    });
    for host_key in &shared.host_key {
        let mut c = config();
        only(&mut c.preferences.host_key, host_key);
        assert_eq!(&exec_hello(port, c, command, host_key).host_key, host_key);
    }
    for mac in &shared.mac {
        let mut c = config();
        only(&mut c.preferences.cipher, names::AES128_CTR);
        only(&mut c.preferences.mac, mac);
        assert_eq!(exec_hello(port, c, command, mac).mac_s2c.as_deref(), Some(mac.as_str()));
    }
    shared
}
