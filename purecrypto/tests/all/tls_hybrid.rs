//! The ML-KEM hybrid TLS 1.3 groups against the one peer here that
//! speaks them: pyOpenSSL on the OpenSSL 4 bundled in PyPI `cryptography`
//! (`tests/data/tls/pyopenssl_peer.py`), in both directions, for each
//! group, plus each side's default choice.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use purecrypto::tls::{ClientConfig, Connection, NamedGroup, PinnedCertVerifier, Stream};

use crate::hybrid::stack_python;
use crate::stack_py::{PeerServer, start_server};
use crate::tls::{data, serve, server_config};

const HYBRIDS: &[(&str, NamedGroup)] = &[
    ("X25519MLKEM768", NamedGroup::X25519_MLKEM768),
    ("SecP256r1MLKEM768", NamedGroup::SECP256R1_MLKEM768),
    ("SecP384r1MLKEM1024", NamedGroup::SECP384R1_MLKEM1024),
];

fn peer_script() -> PathBuf {
    data("pyopenssl_peer.py")
}

/// Starts the pyOpenSSL server for `count` connections; returns it and
/// its port.
fn start_peer_server(python: &Path, groups: &str, count: usize) -> (PeerServer, u16) {
    let mut command = Command::new(python);
    command.arg(peer_script()).arg("server").args([data("p256.crt.pem"), data("p256.key.pem")]);
    command.args([groups, &count.to_string()]);
    start_server(command)
}

/// One connection from our library client with `config`; returns the
/// group it negotiated and the server's reply line.
fn our_client(config: ClientConfig, port: u16) -> (Option<NamedGroup>, bool, String) {
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
    stream.handshake().unwrap();
    let group = stream.conn().negotiated_group();
    let retried = stream.conn().had_hello_retry();
    stream.write_all(b"hello\n").unwrap();
    let mut reply = Vec::new();
    let mut byte = [0u8; 1];
    while !reply.ends_with(b"\n") {
        match stream.read(&mut byte) {
            Ok(1) => reply.push(byte[0]),
            _ => break,
        }
    }
    (group, retried, String::from_utf8_lossy(&reply).trim().to_owned())
}

#[test]
fn our_client_against_openssl4_each_hybrid_group_and_the_default() {
    let Some(python) = stack_python() else { return };
    let all: Vec<&str> = HYBRIDS.iter().map(|(n, _)| *n).chain(["X25519"]).collect();
    let (_server, port) = start_peer_server(&python, &all.join(":"), HYBRIDS.len() + 1);
    let leaf = std::fs::read(data("p256.crt.der")).unwrap();
    let pinned = || ClientConfig::new(Arc::new(PinnedCertVerifier::Certificate(leaf.clone())));
    for (name, group) in HYBRIDS {
        let mut config = pinned();
        config.groups = vec![*group];
        config.initial_key_shares = 1;
        let (got, retried, reply) = our_client(config, port);
        assert_eq!((got, retried), (Some(*group), false), "{name}");
        assert_eq!(reply, format!("group={name} line=hello"));
    }
    // Our default: the hybrid share first, taken without a retry.
    let (got, retried, reply) = our_client(pinned(), port);
    assert_eq!((got, retried), (Some(NamedGroup::X25519_MLKEM768), false));
    assert_eq!(reply, "group=X25519MLKEM768 line=hello");
}

#[test]
fn openssl4_client_against_our_server_each_hybrid_group_and_the_default() {
    let Some(python) = stack_python() else { return };
    let lists: Vec<&str> = HYBRIDS.iter().map(|(n, _)| *n).chain(["X25519MLKEM768:X25519"]).collect();
    let (port, handle) = serve(server_config("p256"), lists.len());
    for list in &lists {
        let out = Command::new(&python).arg(peer_script()).args(["client", &port.to_string(), list]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{list}: {stdout} {}", String::from_utf8_lossy(&out.stderr));
        let expect = list.split(':').next().unwrap();
        assert!(stdout.contains(&format!("group={expect} version=TLSv1.3")), "{list}: {stdout}");
        assert!(stdout.contains("reply: echo: hello from pyopenssl"), "{list}: {stdout}");
    }
    let seen = handle.join().unwrap();
    let groups: Vec<String> = seen.iter().map(|s| s.split(' ').nth(1).unwrap_or_default().to_owned()).collect();
    let want =
        ["X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024", "X25519MLKEM768"].map(|g| format!("Some({g})"));
    assert_eq!(groups, want, "{seen:?}");
}
