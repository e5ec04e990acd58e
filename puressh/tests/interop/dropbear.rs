//! The blocking client against Dropbear 2022.83 (Debian's dropbear-bin,
//! started by `ci-templates/peers/dropbear`): every key exchange x cipher
//! x MAC x host key combination both sides support, each user key type,
//! exec with exit status, several MiB both ways with rekeys, host key
//! refusal, and `puressh ssh`.
//!
//! Dropbear's set, as its KEXINIT lists it (seen with `ssh -vv` and our
//! own negotiation; Debian builds it without the GCM ciphers):
//! - kex: curve25519-sha256 (+@libssh.org), ecdh-sha2-nistp521/384/256,
//!   diffie-hellman-group14-sha256, diffie-hellman-group14-sha1,
//!   kex-strict-s-v00@openssh.com (and kexguess2@matt.ucc.asn.au);
//! - host keys: ssh-ed25519, ecdsa-sha2-nistp256, rsa-sha2-256, ssh-rsa;
//! - ciphers: chacha20-poly1305@openssh.com, aes128-ctr, aes256-ctr;
//! - MACs: hmac-sha1, hmac-sha2-256 (no -etm forms, no hmac-sha2-512);
//! - compression: zlib@openssh.com, none.
//!
//! Shared with puressh: the first six kex methods (not group14-sha1),
//! all four host key algorithms (ssh-rsa only when named), all three
//! ciphers, and hmac-sha2-256 in its encrypt-and-MAC form, which OpenSSH's
//! sshd never picks from our list (it prefers the -etm forms).
//! Not shared: diffie-hellman-group14-sha1, hmac-sha1 (we implement
//! neither). zlib@openssh.com is shared when the client asks for
//! compression.

use puressh::client::{ChannelOutcome, Client, ClientError, SessionKind, SessionStart};
use puressh::config::known_hosts::KnownHosts;
use puressh::connection::Event;
use puressh::keys::private::PrivateKey;
use puressh::names;
use puressh::transport::machine::RekeyLimits;

use super::common::peer_config as config;
use super::common::{SCRIPT, changed_host_key_is_refused, combinations, run_matrix};

#[test]
fn exec_with_defaults() {
    let Some(peer) = peerctl::start_or_skip("dropbear") else { return };
    let mut session = Client::connect(("127.0.0.1", peer.port()), config(&peer)).unwrap();
    let out = session.exec(SCRIPT).unwrap();
    assert_eq!((out.stdout.as_slice(), out.stderr.as_slice(), out.status), (&b"hello\n"[..], &b"err\n"[..], Some(3)));
    let n = session.negotiated().unwrap().clone();
    // Dropbear has neither hybrid: curve25519-sha256 is the first we share.
    assert_eq!(n.kex, names::CURVE25519_SHA256);
    assert_eq!((n.cipher_c2s.as_str(), n.host_key.as_str()), (names::CHACHA20_POLY1305, names::SSH_ED25519));
    assert!(n.strict, "Dropbear 2022.83 offers strict KEX");
    let out = session.exec("printf abc; exit 0").unwrap();
    assert_eq!((out.stdout.as_slice(), out.status), (&b"abc"[..], Some(0)));
    session.disconnect().unwrap();
}

/// Every shared key exchange method x cipher (+ MAC) x host key
/// algorithm: connect, authenticate, exec.
#[test]
fn algorithm_matrix() {
    let Some(peer) = peerctl::start_or_skip("dropbear") else { return };
    let kexes = [
        names::CURVE25519_SHA256,
        names::CURVE25519_SHA256_LIBSSH,
        names::ECDH_SHA2_NISTP256,
        names::ECDH_SHA2_NISTP384,
        names::ECDH_SHA2_NISTP521,
        names::DH_GROUP14_SHA256,
    ];
    let ciphers = [
        (names::CHACHA20_POLY1305, None),
        (names::AES128_CTR, Some(names::HMAC_SHA2_256)),
        (names::AES256_CTR, Some(names::HMAC_SHA2_256)),
    ];
    let host_keys = [names::SSH_ED25519, names::ECDSA_SHA2_NISTP256, names::RSA_SHA2_256, names::SSH_RSA_SHA1];
    let all = combinations(&kexes, &ciphers, &host_keys);
    assert_eq!(all.len(), 6 * 3 * 4);
    run_matrix(&peer, &all);
}

/// User keys of every type Dropbear takes: ed25519 (the peer's own
/// client key), ECDSA P-256/384/521 and RSA (rsa-sha2-256 by
/// server-sig-algs); a key that is not authorised fails with the
/// methods Dropbear still offers.
#[test]
fn user_key_types() {
    let Some(peer) = peerctl::start_or_skip("dropbear") else { return };
    let sig_algs = {
        let session = Client::connect(("127.0.0.1", peer.port()), config(&peer)).unwrap();
        session.server_sig_algs().map(<[String]>::to_vec)
    };
    let sig_algs = sig_algs.expect("Dropbear sends server-sig-algs");
    assert!(sig_algs.iter().any(|a| a == names::RSA_SHA2_256), "{sig_algs:?}");
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/openssh-keys");
    let names = ["ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"];
    // The lines carry the peer's DIR as their comment: `peers/dropbear
    // stop` removes them again from the shared authorized_keys.
    let mut lines = String::new();
    for name in names {
        let public = std::fs::read_to_string(format!("{data}/id_{name}.pub")).unwrap();
        let fields: Vec<&str> = public.split_whitespace().take(2).collect();
        lines.push_str(&format!("{} {}\n", fields.join(" "), peer.dir().display()));
    }
    let authorized = peer.var("AUTHORIZED_KEYS").unwrap();
    std::io::Write::write_all(
        &mut std::fs::OpenOptions::new().append(true).open(authorized).unwrap(),
        lines.as_bytes(),
    )
    .unwrap();
    for name in names {
        let mut c = config(&peer);
        let key = std::fs::read_to_string(format!("{data}/id_{name}")).unwrap();
        c.identities = vec![PrivateKey::from_openssh(&key, None).unwrap()];
        let mut session = Client::connect(("127.0.0.1", peer.port()), c).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = session.exec("id -un").unwrap();
        assert_eq!(
            (out.stdout, out.status),
            (format!("{}\n", peer.var("USER").unwrap()).into_bytes(), Some(0)),
            "{name}"
        );
    }
    // The ed25519 test key is not authorised: publickey fails; Dropbear
    // runs with -s, so it offers nothing else.
    let mut c = config(&peer);
    let key = std::fs::read_to_string(format!("{data}/id_ed25519")).unwrap();
    c.identities = vec![PrivateKey::from_openssh(&key, None).unwrap()];
    match Client::connect(("127.0.0.1", peer.port()), c) {
        Err(ClientError::AuthFailed(methods)) => assert_eq!(methods, ["publickey"]),
        other => panic!("{other:?}"),
    }
}

/// A deterministic, incompressible test pattern (xorshift64).
fn pattern(len: usize) -> Vec<u8> {
    let mut x = 0x9e37_79b9_7f4a_7c15_u64;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn sha256_hex(data: &[u8]) -> String {
    use purecrypto::hash::{Hash, Sha256};
    let mut h = Sha256::new();
    h.update(data);
    h.finalize().as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Sends `data` to `command`'s stdin, then EOF; returns its stdout and
/// how it ended.
fn upload(session: &mut puressh::client::Session, command: &str, data: &[u8]) -> (Vec<u8>, ChannelOutcome) {
    let started = session.start_session(&SessionStart::new(SessionKind::Exec(command.as_bytes().to_vec()))).unwrap();
    let channel = started.channel;
    let (mut out, mut outcome) = (Vec::new(), ChannelOutcome::default());
    let mut sent = 0;
    let mut eof_sent = false;
    loop {
        while let Some(event) = session.poll_channel_event() {
            match event {
                Event::Data { channel: c, data } if c == channel => out.extend_from_slice(&data),
                Event::Request { channel: c, kind } if c == channel => {
                    outcome.observe(&kind);
                }
                Event::Closed { channel: c } if c == channel => return (out, outcome),
                _ => {}
            }
        }
        // Send until the window is full, then wait for the server.
        while let Some(rest) = data.get(sent..).filter(|r| !r.is_empty()) {
            match session.send_data(channel, rest).unwrap() {
                0 => break,
                n => sent += n,
            }
        }
        if sent == data.len() && !eof_sent {
            session.send_eof(channel).unwrap();
            eof_sent = true;
        }
        session.receive().unwrap();
    }
}

/// Several MiB each way with a 256 KiB rekey limit: the output of `seq`
/// (10.9 MB) and 6 MiB into `sha256sum`, then an explicit rekey. As in
/// `client::large_output_with_rekeys`, each key period carries at most
/// limit + one channel window + one packet, which bounds the number of
/// key exchanges from below. Dropbear's own receive window is 24 KiB
/// (`-W`), so the upload also exercises hundreds of window adjusts.
#[test]
fn large_transfers_both_ways_with_rekeys() {
    let Some(peer) = peerctl::start_or_skip("dropbear") else { return };
    let mut c = config(&peer);
    let mut limits = RekeyLimits::default();
    limits.bytes = 256 << 10;
    c.rekey_limits = limits;
    let per_period = (256 << 10) + (2 << 20) + (64 << 10);
    let mut session = Client::connect(("127.0.0.1", peer.port()), c).unwrap();

    let out = session.exec("seq 1 1500000").unwrap();
    let expected: String = (1..=1_500_000).map(|i| format!("{i}\n")).collect();
    assert_eq!(out.stdout.len(), expected.len());
    assert!(out.stdout == expected.as_bytes(), "stdout differs");
    assert_eq!(out.status, Some(0));
    let after_download = session.key_exchanges();
    assert!(after_download as usize > expected.len() / per_period, "only {after_download} key exchanges");

    let data = pattern(6 << 20);
    let (out, outcome) = upload(&mut session, "sha256sum", &data);
    assert_eq!(String::from_utf8_lossy(&out), format!("{}  -\n", sha256_hex(&data)));
    assert_eq!(outcome.status, Some(0));
    let during_upload = session.key_exchanges() - after_download;
    assert!(during_upload as usize >= data.len() / per_period, "only {during_upload} key exchanges during the upload");

    let id = session.session_id().unwrap().to_vec();
    let before = session.key_exchanges();
    session.rekey().unwrap();
    assert_eq!(session.key_exchanges(), before + 1);
    assert_eq!(session.session_id().unwrap(), id.as_slice(), "the session id survives rekeys");
    assert_eq!(session.exec("echo after").unwrap().stdout, b"after\n");
    session.disconnect().unwrap();
}

/// A known_hosts entry with another key for the host: refused before
/// authentication, whatever StrictHostKeyChecking says; an unknown host
/// is refused under `yes`.
#[test]
fn wrong_host_key_is_refused() {
    let Some(peer) = peerctl::start_or_skip("dropbear") else { return };
    changed_host_key_is_refused(&peer);
    let mut c = config(&peer);
    c.known_hosts = KnownHosts::default();
    assert!(Client::connect(("127.0.0.1", peer.port()), c).is_err());
}

/// `puressh ssh`: stdin goes up, the exit code is the remote status.
#[test]
fn ssh_binary() {
    let Some(peer) = peerctl::start_or_skip("dropbear") else { return };
    let data = pattern(1 << 20);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_puressh"))
        .args(["ssh", "-F", "/dev/null", "-p", &peer.port().to_string(), "-i", peer.var("KEY").unwrap()])
        .args(["-o", &format!("UserKnownHostsFile={}", peer.var("KNOWN_HOSTS").unwrap())])
        .args(["-o", "StrictHostKeyChecking=yes", "-o", "Ciphers=aes256-ctr"])
        .arg(format!("{}@127.0.0.1", peer.var("USER").unwrap()))
        .arg("wc -c; exit 7")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &data).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        (1 << 20).to_string(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(7));
}

/// Compression asked for: Dropbear takes zlib@openssh.com, which starts
/// after authentication; a few MiB of text come through it intact.
#[test]
fn delayed_zlib_compression() {
    let Some(peer) = peerctl::start_or_skip("dropbear") else { return };
    let mut c = config(&peer);
    c.compression = true;
    let mut session = Client::connect(("127.0.0.1", peer.port()), c).unwrap();
    let n = session.negotiated().unwrap().clone();
    assert_eq!((n.compression_c2s.as_str(), n.compression_s2c.as_str()), (names::ZLIB_OPENSSH, names::ZLIB_OPENSSH));
    let out = session.exec("seq 1 400000").unwrap();
    let expected: String = (1..=400_000).map(|i| format!("{i}\n")).collect();
    assert!(out.stdout == expected.as_bytes(), "output differs ({} bytes)", out.stdout.len());
    assert_eq!(out.status, Some(0));
    session.disconnect().unwrap();
}
