//! The blocking client against OpenSSH's sshd: every key exchange method
//! by every cipher and host key type, authentication, exec, window
//! adjust, rekeys, and host key refusal.

use puressh::client::{Client, ClientError, StrictHostKeyChecking};
use puressh::config::known_hosts::KnownHosts;
use puressh::keys::private::PrivateKey;
use puressh::names;
use puressh::transport::machine::RekeyLimits;

use super::common::peer_config as config;
use super::common::{
    SCRIPT, changed_host_key_is_refused as refuse_changed_key, combinations, run_matrix, script_stderr,
};

#[test]
fn exec_with_defaults() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut session = Client::connect(("127.0.0.1", sshd.port()), config(&sshd)).unwrap();
    let out = session.exec(SCRIPT).unwrap();
    assert_eq!(out.stdout, b"hello\n");
    assert_eq!(script_stderr(&out.stderr), b"err\n");
    assert_eq!(out.status, Some(3));
    let n = session.negotiated().unwrap().clone();
    // OpenSSH 9.2 has no mlkem768x25519: sntrup761 is the first we share.
    assert!(n.kex.starts_with("sntrup761x25519-sha512"), "{}", n.kex);
    assert!(n.strict);
    assert!(session.server_sig_algs().is_some_and(|l| l.iter().any(|a| a == names::RSA_SHA2_512)));
    // sshd 9.2 announces publickey-hostbound@openssh.com: the login was
    // signed with the hostbound method (over its certificate host key).
    assert!(session.publickey_hostbound());
    // A second command on the same connection.
    let out = session.exec("printf abc").unwrap();
    assert_eq!((out.stdout.as_slice(), out.status), (&b"abc"[..], Some(0)));
    session.disconnect().unwrap();
}

/// Every key exchange method by every cipher (each CTR cipher by every
/// MAC) by every host key algorithm the server's keys allow: connect,
/// authenticate, exec. 11 x 15 x 4 = 660 handshakes on two workers.
#[test]
fn algorithm_matrix() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let kexes = [
        names::SNTRUP761X25519_SHA512,
        names::SNTRUP761X25519_SHA512_OPENSSH,
        names::CURVE25519_SHA256,
        names::CURVE25519_SHA256_LIBSSH,
        names::ECDH_SHA2_NISTP256,
        names::ECDH_SHA2_NISTP384,
        names::ECDH_SHA2_NISTP521,
        names::DH_GEX_SHA256,
        names::DH_GROUP14_SHA256,
        names::DH_GROUP16_SHA512,
        names::DH_GROUP18_SHA512,
    ];
    let mut ciphers = vec![(names::CHACHA20_POLY1305, None), (names::AES128_GCM, None), (names::AES256_GCM, None)];
    for cipher in [names::AES128_CTR, names::AES192_CTR, names::AES256_CTR] {
        ciphers.extend(names::MAC.iter().map(|mac| (cipher, Some(*mac))));
    }
    let host_keys = [names::SSH_ED25519, names::ECDSA_SHA2_NISTP256, names::RSA_SHA2_256, names::RSA_SHA2_512];
    let all = combinations(&kexes, &ciphers, &host_keys);
    // Everything the client implements that sshd 9.2 has (mlkem768x25519
    // is newer than it: see asyncssh.rs and paramiko.rs).
    assert_eq!(all.len(), 11 * (3 + 3 * names::MAC.len()) * 4);
    run_matrix(&sshd, &all);
}

/// A known_hosts entry with another key for the host: refused before
/// authentication, whatever StrictHostKeyChecking says.
#[test]
fn changed_host_key_is_refused() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    refuse_changed_key(&sshd);
}

/// An unknown host: refused under `yes`; `accept-new` records it, and the
/// recorded line then passes under `yes`.
#[test]
fn unknown_host_key_policy() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut c = config(&sshd);
    c.known_hosts = KnownHosts::default();
    assert!(Client::connect(("127.0.0.1", sshd.port()), c).is_err());

    let file = sshd.dir().join("puressh_known_hosts");
    let mut c = config(&sshd);
    c.known_hosts = KnownHosts::default();
    c.strict_host_key_checking = StrictHostKeyChecking::AcceptNew;
    c.known_hosts_file = Some(file.clone());
    let session = Client::connect(("127.0.0.1", sshd.port()), c).unwrap();
    // sshd presents a certificate first; with no CA to check it against
    // the certified key is what gets recorded (as OpenSSH does).
    assert_eq!(session.negotiated().unwrap().host_key, names::SSH_ED25519_CERT);
    let certificate = puressh::keys::cert::Certificate::from_blob(session.host_key().unwrap()).unwrap();
    let host_key = certificate.key.to_blob();
    session.disconnect().unwrap();
    let recorded = KnownHosts::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(recorded.entries().len(), 1);
    assert_eq!(recorded.entries()[0].key, host_key);
    assert_eq!(recorded.entries()[0].key_type, names::SSH_ED25519);

    let mut c = config(&sshd);
    c.known_hosts = recorded;
    let mut session = Client::connect(("127.0.0.1", sshd.port()), c).unwrap();
    assert_eq!(session.exec("true").unwrap().status, Some(0));
}

/// Several MiB of output: window adjusts and, with a 256 KiB rekey limit,
/// rekeys in the middle of the stream; then an explicit rekey.
///
/// How many rekeys happen depends on timing: once the limit is crossed
/// the server may still send up to a whole channel window (2 MiB) under
/// the old keys before it sees our KEXINIT. So each key period carries at
/// most limit + window (+ one packet) bytes, which bounds the count from
/// below whatever the machine's load.
#[test]
fn large_output_with_rekeys() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut c = config(&sshd);
    let mut limits = RekeyLimits::default();
    limits.bytes = 256 << 10;
    c.rekey_limits = limits;
    let mut session = Client::connect(("127.0.0.1", sshd.port()), c).unwrap();
    let out = session.exec("seq 1 1500000; seq 1 1000 >&2").unwrap();
    let expected: String = (1..=1_500_000).map(|i| format!("{i}\n")).collect();
    assert!(expected.len() > 4 << 20);
    assert_eq!(out.stdout.len(), expected.len());
    assert!(out.stdout == expected.as_bytes(), "stdout differs");
    // The login profile may write before the command (see script_stderr).
    let expected_err: String = (1..=1000).map(|i| format!("{i}\n")).collect();
    assert!(out.stderr.ends_with(expected_err.as_bytes()), "stderr lacks the 1000 lines");
    assert_eq!(out.status, Some(0));
    let rekeys = session.key_exchanges();
    let per_period = (256 << 10) + (2 << 20) + (64 << 10);
    let at_least = 1 + expected.len() / per_period;
    assert!(at_least >= 3, "the test must force at least two rekeys mid-stream");
    assert!(rekeys as usize >= at_least, "only {rekeys} key exchanges for {} bytes", expected.len());
    let id = session.session_id().unwrap().to_vec();
    session.rekey().unwrap();
    assert_eq!(session.key_exchanges(), rekeys + 1);
    assert_eq!(session.session_id().unwrap(), id.as_slice(), "the session id survives rekeys");
    assert_eq!(session.exec("echo after").unwrap().stdout, b"after\n");
}

/// User keys of every type: ed25519, ECDSA P-256/384/521 and RSA (the
/// rsa-sha2 algorithms chosen from server-sig-algs); a session without
/// keys learns the methods and fails with them.
#[test]
fn user_key_types() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/openssh-keys");
    let authorized = sshd.dir().join("authorized_keys");
    let mut keys = std::fs::read_to_string(&authorized).unwrap();
    for name in ["ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"] {
        keys.push_str(&std::fs::read_to_string(format!("{data}/id_{name}.pub")).unwrap());
    }
    std::fs::write(&authorized, keys).unwrap();
    for name in ["ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"] {
        let mut c = config(&sshd);
        let key = std::fs::read_to_string(format!("{data}/id_{name}")).unwrap();
        c.identities = vec![PrivateKey::from_openssh(&key, None).unwrap()];
        let mut session = Client::connect(("127.0.0.1", sshd.port()), c).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(session.exec("echo $USER").unwrap().status, Some(0), "{name}");
    }
    // The ed25519 test key is not authorised: publickey fails, password is off.
    let mut c = config(&sshd);
    let key = std::fs::read_to_string(format!("{data}/id_ed25519")).unwrap();
    c.identities = vec![PrivateKey::from_openssh(&key, None).unwrap()];
    c.password = Some("nope".into());
    match Client::connect(("127.0.0.1", sshd.port()), c) {
        Err(ClientError::AuthFailed(methods)) => assert_eq!(methods, ["publickey"]),
        other => panic!("{other:?}"),
    }
}

/// `puressh ssh` with OpenSSH's flags: output passes through,
/// the exit code is the remote status; a wrong known_hosts fails with 255.
#[test]
fn ssh_binary() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let run = |known: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_puressh"))
            .args(["ssh", "-p", &sshd.port().to_string(), "-i", sshd.var("KEY").unwrap()])
            .args(["-o", &format!("UserKnownHostsFile={known}"), "-o", "StrictHostKeyChecking=yes"])
            .arg(format!("{}@127.0.0.1", sshd.var("USER").unwrap_or("root")))
            .args(["echo", "hello;", "echo", "err", ">&2;", "exit", "3"])
            .output()
            .unwrap()
    };
    let out = run(sshd.var("KNOWN_HOSTS").unwrap());
    assert_eq!(out.stdout, b"hello\n");
    assert_eq!(script_stderr(&out.stderr), b"err\n");
    assert_eq!(out.status.code(), Some(3));
    let empty = sshd.dir().join("empty_known_hosts");
    std::fs::write(&empty, "").unwrap();
    let out = run(empty.to_str().unwrap());
    assert_eq!(out.status.code(), Some(255));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.ends_with("Host key verification failed.\r\n"), "{stderr}");
}

/// Fills `buf` from a xorshift64 stream (incompressible enough, and
/// far faster to make than to send).
fn pseudo_random(buf: &mut [u8], state: &mut u64) {
    for chunk in buf.chunks_mut(8) {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let bytes = state.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

/// 1 GiB up through `puressh ssh host cat` and back down at the same
/// time (the exec with 1 GiB through stdin and stdout), the two
/// streams compared by SHA-256; the channel windows, rekeys by the
/// default byte limit and the relay's flow control all run at full size.
#[test]
fn gigabyte_through_cat() {
    use purecrypto::hash::{HashAlgorithm, Hasher};
    use std::io::{Read, Write};
    use std::process::Stdio;
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    const TOTAL: usize = 1 << 30;
    const CHUNK: usize = 1 << 20;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_puressh"))
        .args(["ssh", "-F", "/dev/null", "-p", &sshd.port().to_string(), "-i", sshd.var("KEY").unwrap()])
        .args(["-o", &format!("UserKnownHostsFile={}", sshd.var("KNOWN_HOSTS").unwrap())])
        .arg(format!("{}@127.0.0.1", sshd.var("USER").unwrap_or("root")))
        .arg("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut hash = Hasher::new(HashAlgorithm::Sha256);
        let (mut buf, mut state) = (vec![0u8; CHUNK], 0x9e37_79b9_7f4a_7c15_u64);
        for _ in 0..TOTAL / CHUNK {
            pseudo_random(&mut buf, &mut state);
            hash.update(&buf);
            stdin.write_all(&buf).unwrap();
        }
        hash.finalize()
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut hash = Hasher::new(HashAlgorithm::Sha256);
    let (mut buf, mut received) = (vec![0u8; CHUNK], 0usize);
    loop {
        let n = stdout.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        received += n;
    }
    let sent = writer.join().unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(received, TOTAL, "{stderr}");
    assert!(hash.finalize() == sent, "the echoed GiB differs");
    assert_eq!(status.code(), Some(0), "{stderr}");
}

/// `puressh ssh` and OpenSSH's `ssh` print the same lines and exit with
/// the same code for a changed host key (the "REMOTE HOST IDENTIFICATION
/// HAS CHANGED" warning, under each StrictHostKeyChecking that refuses it)
/// and for an unknown host under strict checking.
#[test]
fn ssh_binary_host_key_messages_match_openssh() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let other = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/openssh-keys/id_ed25519.pub"))
        .unwrap();
    let changed = sshd.dir().join("changed_known_hosts");
    let fields = other.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    std::fs::write(&changed, format!("# first line\n[127.0.0.1]:{} {fields}\n", sshd.port())).unwrap();
    let empty = sshd.dir().join("empty_known_hosts_2");
    std::fs::write(&empty, "").unwrap();
    let run = |program: &str, known: &std::path::Path, extra: &[&str]| {
        let mut cmd = std::process::Command::new(program);
        if program != "ssh" {
            cmd.arg("ssh");
        }
        cmd.args(["-F", "/dev/null", "-o", "BatchMode=yes", "-p", &sshd.port().to_string()])
            .args(["-i", sshd.var("KEY").unwrap()])
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", known.display()))
            .args(extra)
            .arg(format!("{}@127.0.0.1", sshd.var("USER").unwrap_or("root")))
            .arg("true");
        let out = cmd.output().unwrap();
        (String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code())
    };
    let ours = env!("CARGO_BIN_EXE_puressh");
    let cases: [(&std::path::Path, &[&str]); 3] = [
        (&changed, &["-o", "HostKeyAlgorithms=ssh-ed25519", "-o", "StrictHostKeyChecking=yes"]),
        (&changed, &["-o", "HostKeyAlgorithms=ssh-ed25519", "-o", "StrictHostKeyChecking=accept-new"]),
        (&empty, &["-o", "StrictHostKeyChecking=yes"]),
    ];
    for (known, extra) in cases {
        let theirs = run("ssh", known, extra);
        assert_eq!(theirs.1, Some(255), "{}", theirs.0);
        assert!(theirs.0.contains("Host key verification failed."), "{}", theirs.0);
        assert_eq!(run(ours, known, extra), theirs, "{extra:?}");
    }
}
