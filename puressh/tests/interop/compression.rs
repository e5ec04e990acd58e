//! Compression (RFC 4253 §6.2) against real peers: `zlib@openssh.com`
//! with OpenSSH 9.2's sshd (whose `Compression yes` default offers
//! `none,zlib@openssh.com`: no plain `zlib`), plain `zlib` and
//! `zlib@openssh.com` with asyncssh 2.24.1; several MiB of compressible
//! and of random data up and down with rekeys in the middle, and
//! `puressh ssh -C` with the bytes on the wire counted by a relay.

use puressh::client::{Client, ClientConfig, ClientError, SessionKind, SessionStart};
use puressh::config::known_hosts::KnownHosts;
use puressh::connection::Event;
use puressh::error::{Category, KexError};
use puressh::keys::private::PrivateKey;
use puressh::names;
use puressh::transport::machine::RekeyLimits;

fn sshd_config(sshd: &peerctl::Peer, compression: bool) -> ClientConfig {
    let key = std::fs::read_to_string(sshd.var("KEY").unwrap()).unwrap();
    let known = std::fs::read_to_string(sshd.var("KNOWN_HOSTS").unwrap()).unwrap();
    let mut config = ClientConfig::new(sshd.var("USER").unwrap_or("root"));
    config.identities.push(PrivateKey::from_openssh(&key, None).unwrap());
    config.known_hosts = KnownHosts::parse(&known).unwrap();
    config.compression = compression;
    config
}

/// Text lines: compresses well.
fn compressible(len: usize) -> Vec<u8> {
    let text: String = (0..).map(|i| format!("line {i} of the compressible test data\n")).take(len / 30).collect();
    let mut v = text.into_bytes();
    v.truncate(len);
    v
}

/// xorshift64 bytes: do not compress at all.
fn random(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

/// Runs `command` with `data` on its stdin (sent as the window allows,
/// then EOF) and returns its stdout and exit status.
fn through(session: &mut puressh::client::Session, command: &str, data: &[u8]) -> (Vec<u8>, Option<u32>) {
    let start = SessionStart::new(SessionKind::Exec(command.as_bytes().to_vec()));
    let channel = session.start_session(&start).unwrap().channel;
    let (mut sent, mut eof, mut out, mut status) = (0, false, Vec::new(), None);
    loop {
        while sent < data.len() {
            let n = session.send_data(channel, &data[sent..]).unwrap();
            if n == 0 {
                break;
            }
            sent += n;
        }
        if sent == data.len() && !eof {
            session.send_eof(channel).unwrap();
            eof = true;
        }
        while let Some(event) = session.poll_channel_event() {
            match event {
                Event::Data { channel: c, data } if c == channel => out.extend_from_slice(&data),
                Event::Request { channel: c, kind: puressh::msg::ChannelRequestKind::ExitStatus { status: s } }
                    if c == channel =>
                {
                    status = Some(s);
                }
                Event::Closed { channel: c } if c == channel => return (out, status),
                _ => {}
            }
        }
        session.receive().unwrap();
    }
}

/// 3 MiB of text and 3 MiB of random bytes up through `cat` and back,
/// with a 256 KiB rekey limit: rekeys in the middle of both streams.
fn echo_with_rekeys(session: &mut puressh::client::Session, command: &str) {
    let before = session.key_exchanges();
    for data in [compressible(3 << 20), random(3 << 20, 0x9e37_79b9_7f4a_7c15)] {
        let (out, status) = through(session, command, &data);
        assert_eq!(status, Some(0));
        assert_eq!(out.len(), data.len());
        assert!(out == data, "echoed bytes differ");
    }
    // 12 MiB crossed the wire (6 each way) under a 256 KiB limit.
    assert!(session.key_exchanges() >= before + 4, "only {} key exchanges", session.key_exchanges());
}

#[test]
fn delayed_zlib_against_sshd() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut c = sshd_config(&sshd, true);
    let mut limits = RekeyLimits::default();
    limits.bytes = 256 << 10;
    c.rekey_limits = limits;
    let mut session = Client::connect(("127.0.0.1", sshd.port()), c).unwrap();
    let n = session.negotiated().unwrap().clone();
    assert_eq!((n.compression_c2s.as_str(), n.compression_s2c.as_str()), (names::ZLIB_OPENSSH, names::ZLIB_OPENSSH));
    let out = session.exec("echo hello; exit 3").unwrap();
    assert_eq!((out.stdout.as_slice(), out.status), (&b"hello\n"[..], Some(3)));
    // Download: 5 MiB of text, rekeying as it goes.
    let out = session.exec("seq 1 700000").unwrap();
    let expected: String = (1..=700_000).map(|i| format!("{i}\n")).collect();
    assert!(out.stdout == expected.as_bytes(), "seq output differs");
    echo_with_rekeys(&mut session, "cat");
    // An explicit rekey keeps compression on.
    session.rekey().unwrap();
    assert_eq!(session.negotiated().unwrap().compression_s2c, names::ZLIB_OPENSSH);
    assert_eq!(session.exec("printf after").unwrap().stdout, b"after");
    session.disconnect().unwrap();
}

#[test]
fn sshd_defaults_and_no_plain_zlib() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    // Off by default, as in OpenSSH.
    let mut session = Client::connect(("127.0.0.1", sshd.port()), sshd_config(&sshd, false)).unwrap();
    assert_eq!(session.negotiated().unwrap().compression_c2s, names::NONE);
    assert_eq!(session.exec("true").unwrap().status, Some(0));
    // sshd 9.2 offers none,zlib@openssh.com: plain zlib finds no match
    // (OpenSSH dropped pre-authentication compression from sshd in 7.4).
    let mut c = sshd_config(&sshd, false);
    c.preferences.compression = vec![names::ZLIB.to_owned()];
    match Client::connect(("127.0.0.1", sshd.port()), c) {
        Err(ClientError::Ssh(puressh::Error::Kex(KexError::NoCommonAlgorithm { category }))) => {
            assert_eq!(category, Category::CompressionC2s);
        }
        other => panic!("{other:?}"),
    }
}

/// `puressh ssh -C` (and `-o Compression=yes`) through a ProxyCommand
/// that counts the bytes the server sends: 4 MB of zeros arrive intact,
/// in a small fraction of the bytes that cross without compression.
#[test]
fn ssh_binary_with_dash_c() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let relay = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/compression/count_relay.py");
    let run = |flags: &[&str], name: &str| {
        let count = sshd.dir().join(name);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_puressh"))
            .arg("ssh")
            .args(flags)
            .args(["-p", &sshd.port().to_string(), "-i", sshd.var("KEY").unwrap()])
            .args(["-o", &format!("UserKnownHostsFile={}", sshd.var("KNOWN_HOSTS").unwrap())])
            .args(["-o", &format!("ProxyCommand=python3 {relay} %p {}", count.display())])
            .arg(format!("{}@127.0.0.1", sshd.var("USER").unwrap_or("root")))
            .args(["head", "-c", "4000000", "/dev/zero;", "exit", "4"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.len() == 4_000_000 && out.stdout.iter().all(|&b| b == 0), "stdout differs");
        // The relay writes its count once the server closes; give it a moment.
        for _ in 0..50 {
            if let Ok(text) = std::fs::read_to_string(&count) {
                return text.trim().parse::<usize>().unwrap();
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the relay wrote no count");
    };
    let plain = run(&[], "plain");
    let dash_c = run(&["-C"], "dash_c");
    let option = run(&["-o", "Compression=yes"], "option");
    assert!(plain > 4_000_000, "{plain}");
    assert!(dash_c < 400_000 && option < 400_000, "-C: {dash_c} bytes, -o Compression=yes: {option} bytes");
}

#[test]
fn zlib_and_delayed_zlib_against_asyncssh() {
    for method in [names::ZLIB, names::ZLIB_OPENSSH] {
        let Some((_server, port, host_key)) = super::asyncssh::start_script("echo_server.py", &[method]) else {
            return;
        };
        let mut config = ClientConfig::new("tester");
        config.password = Some("pw".into());
        config.known_hosts = KnownHosts::parse(&format!("[127.0.0.1]:{port} {host_key}\n")).unwrap();
        config.compression = true;
        let mut limits = RekeyLimits::default();
        limits.bytes = 256 << 10;
        config.rekey_limits = limits;
        let mut session = Client::connect(("127.0.0.1", port), config).unwrap();
        let n = session.negotiated().unwrap().clone();
        assert_eq!((n.compression_c2s.as_str(), n.compression_s2c.as_str()), (method, method));
        echo_with_rekeys(&mut session, "echo");
        session.rekey().unwrap();
        let (out, status) = through(&mut session, "echo", b"after the rekey");
        assert_eq!((out.as_slice(), status), (&b"after the rekey"[..], Some(0)));
        session.disconnect().unwrap();
    }
}
