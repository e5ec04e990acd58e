//! OpenSSH certificates against OpenSSH 9.2's sshd: host certificates
//! checked against `@cert-authority` lines (every host key type, a wrong
//! CA, a revoked CA, the fall back to a known plain key), and user
//! certificates made by `ssh-keygen -s` logging in through
//! `TrustedUserCAKeys`, from the library and from `puressh ssh`.
//!
//! The sshd peer certifies its three host keys with `HOST_CA` and trusts
//! user certificates signed by `USER_CA` (`ci-templates/peers/sshd`).

use super::common::only;
use puressh::client::{Client, ClientConfig, ClientError, StrictHostKeyChecking};
use puressh::config::known_hosts::KnownHosts;
use puressh::error::KexError;
use puressh::keys::cert::Certificate;
use puressh::keys::private::{KeySpec, PrivateKey};
use puressh::names;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first two fields of a `.pub` file.
fn key_fields(path: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

fn ca_line(sshd: &peerctl::Peer, marker: &str, key_file: &str) -> String {
    format!("{marker} [127.0.0.1]:{} {}\n", sshd.port(), key_fields(key_file))
}

/// The peer's login key, with known_hosts holding only `known`.
fn config(sshd: &peerctl::Peer, known: &str) -> ClientConfig {
    let key = std::fs::read_to_string(sshd.var("KEY").unwrap()).unwrap();
    let mut config = ClientConfig::new(sshd.var("USER").unwrap_or("root"));
    config.identities.push(PrivateKey::from_openssh(&key, None).unwrap());
    config.known_hosts = KnownHosts::parse(known).unwrap();
    config
}

fn rejected(result: Result<puressh::client::Session, ClientError>) -> String {
    match result {
        Err(ClientError::Ssh(puressh::Error::Kex(KexError::HostKeyRejected { reason }))) => reason,
        Err(other) => panic!("expected a host key rejection, got {other}"),
        Ok(_) => panic!("expected a host key rejection, got a session"),
    }
}

/// Every certificate algorithm sshd's keys allow, trusted through the CA
/// alone: no plain host key is in known_hosts.
#[test]
fn host_certificates_trusted_through_the_ca() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let known = ca_line(&sshd, "@cert-authority", sshd.var("HOST_CA").unwrap());
    for algorithm in
        [names::SSH_ED25519_CERT, names::ECDSA_SHA2_NISTP256_CERT, names::RSA_SHA2_512_CERT, names::RSA_SHA2_256_CERT]
    {
        let mut c = config(&sshd, &known);
        only(&mut c.preferences.host_key, algorithm);
        let mut session = Client::connect(("127.0.0.1", sshd.port()), c).unwrap_or_else(|e| panic!("{algorithm}: {e}"));
        assert_eq!(session.negotiated().unwrap().host_key, algorithm);
        let certificate = Certificate::from_blob(session.host_key().unwrap()).unwrap();
        assert!(certificate.key_id.starts_with("peers-host-"), "{}", certificate.key_id);
        assert_eq!(certificate.principals, ["127.0.0.1", "localhost"]);
        assert_eq!(session.exec("printf ok").unwrap().stdout, b"ok");
        session.disconnect().unwrap();
    }
    // With the default algorithm list the CA line alone puts the
    // certificate algorithms first.
    let mut session = Client::connect(("127.0.0.1", sshd.port()), config(&sshd, &known)).unwrap();
    assert_eq!(session.negotiated().unwrap().host_key, names::SSH_ED25519_CERT);
    assert_eq!(session.exec("true").unwrap().status, Some(0));
}

/// A CA line with another key, or the right CA `@revoked`: refused,
/// whatever StrictHostKeyChecking says about unknown hosts.
#[test]
fn host_certificates_from_an_untrusted_or_revoked_ca_are_refused() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let other_ca = format!("{}.pub", sshd.var("USER_CA").unwrap());
    let wrong = ca_line(&sshd, "@cert-authority", &other_ca);
    let mut c = config(&sshd, &wrong);
    only(&mut c.preferences.host_key, names::SSH_ED25519_CERT);
    // No matching CA: judged as the plain key, which nobody listed.
    match Client::connect(("127.0.0.1", sshd.port()), c) {
        Err(ClientError::Ssh(puressh::Error::Kex(KexError::HostKeyUnknown { host, key_type }))) => {
            assert_eq!((host, key_type.as_str()), (format!("[127.0.0.1]:{}", sshd.port()), "ED25519"));
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("connected"),
    }

    let host_ca = sshd.var("HOST_CA").unwrap();
    let revoked = ca_line(&sshd, "@cert-authority", host_ca) + &format!("@revoked * {}\n", key_fields(host_ca));
    for mode in [StrictHostKeyChecking::Yes, StrictHostKeyChecking::No] {
        let mut c = config(&sshd, &revoked);
        c.strict_host_key_checking = mode;
        only(&mut c.preferences.host_key, names::SSH_ED25519_CERT);
        let reason = rejected(Client::connect(("127.0.0.1", sshd.port()), c));
        assert!(reason.contains("certificate authority key is revoked"), "{reason}");
    }
}

/// With only the plain keys in known_hosts, the client still asks for
/// the certificate first (as OpenSSH does), finds no CA for it and
/// accepts the certified key because known_hosts lists it.
#[test]
fn host_certificate_falls_back_to_the_known_plain_key() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let known = std::fs::read_to_string(sshd.var("KNOWN_HOSTS").unwrap()).unwrap();
    let mut session = Client::connect(("127.0.0.1", sshd.port()), config(&sshd, &known)).unwrap();
    assert_eq!(session.negotiated().unwrap().host_key, names::SSH_ED25519_CERT);
    assert_eq!(session.exec("true").unwrap().status, Some(0));
    // An explicit plain list is kept as given.
    let mut c = config(&sshd, &known);
    only(&mut c.preferences.host_key, names::ECDSA_SHA2_NISTP256);
    let session = Client::connect(("127.0.0.1", sshd.port()), c).unwrap();
    assert_eq!(session.negotiated().unwrap().host_key, names::ECDSA_SHA2_NISTP256);
}

/// Writes `key` to `dir/name` and has `ssh-keygen -s USER_CA` certify it;
/// returns the key path and the certificate.
fn certify(sshd: &peerctl::Peer, key: &PrivateKey, name: &str, extra: &[&str]) -> (PathBuf, Certificate) {
    let path = sshd.dir().join(name);
    std::fs::write(&path, key.to_openssh(None, 16).unwrap().as_bytes()).unwrap();
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
    std::fs::set_permissions(&path, perms).unwrap();
    let public = path.with_extension("pub");
    std::fs::write(&public, key.public_key().to_openssh_line(name) + "\n").unwrap();
    let out = Command::new("ssh-keygen")
        .args(["-q", "-s", sshd.var("USER_CA").unwrap(), "-I", name])
        .args(extra)
        .arg(&public)
        .output()
        .unwrap();
    assert!(out.status.success(), "ssh-keygen -s: {}", String::from_utf8_lossy(&out.stderr));
    let cert_path = cert_path(&path);
    std::fs::rename(sshd.dir().join(format!("{name}-cert.pub")), &cert_path).unwrap();
    let cert = Certificate::from_openssh_line(&std::fs::read_to_string(&cert_path).unwrap()).unwrap().0;
    (path, cert)
}

/// `ssh-keygen -s` names the certificate after the `.pub` file; OpenSSH
/// looks for `<identity>-cert.pub`.
fn cert_path(identity: &Path) -> PathBuf {
    let mut name = identity.as_os_str().to_owned();
    name.push("-cert.pub");
    PathBuf::from(name)
}

/// A key sshd does not list in authorized_keys logs in by its
/// certificate, for each user key type (RSA signs as rsa-sha2-512, the
/// first SHA-2 algorithm sshd's server-sig-algs lists for it).
#[test]
fn user_certificates_log_in() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let known = std::fs::read_to_string(sshd.var("KNOWN_HOSTS").unwrap()).unwrap();
    let user = sshd.var("USER").unwrap_or("root").to_owned();
    let specs = [
        (KeySpec::Ed25519, "cert_ed25519"),
        (KeySpec::Ecdsa(puressh::keys::EcCurve::P384), "cert_ecdsa"),
        (KeySpec::Rsa(2048), "cert_rsa"),
    ];
    for (spec, name) in specs {
        let key = PrivateKey::generate(spec, name).unwrap();
        let (path, cert) = certify(&sshd, &key, name, &["-n", &user]);
        let again = || PrivateKey::from_openssh(&std::fs::read_to_string(&path).unwrap(), None).unwrap();
        let mut c = ClientConfig::new(&user);
        c.known_hosts = KnownHosts::parse(&known).unwrap();
        c.identities.push(again());
        // The plain key alone is refused: it is not in authorized_keys.
        assert!(matches!(Client::connect(("127.0.0.1", sshd.port()), c), Err(ClientError::AuthFailed(_))), "{name}");
        let mut c = ClientConfig::new(&user);
        c.known_hosts = KnownHosts::parse(&known).unwrap();
        c.identities.push(key);
        c.certificates.push(cert);
        let mut session = Client::connect(("127.0.0.1", sshd.port()), c).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = session.exec("printf ok").unwrap();
        assert_eq!((out.stdout.as_slice(), out.status), (&b"ok"[..], Some(0)), "{name}");
        session.disconnect().unwrap();
    }
}

/// Certificates sshd must refuse: another principal, an expired window.
#[test]
fn user_certificates_sshd_refuses() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let known = std::fs::read_to_string(sshd.var("KNOWN_HOSTS").unwrap()).unwrap();
    let user = sshd.var("USER").unwrap_or("root").to_owned();
    let cases: [(&str, &[&str]); 2] = [
        ("cert_wrong_principal", &["-n", "nobody-here"]),
        ("cert_expired", &["-n", "root", "-V", "20200101:20200102"]),
    ];
    for (name, extra) in cases {
        let key = PrivateKey::generate(KeySpec::Ed25519, name).unwrap();
        let (_, cert) = certify(&sshd, &key, name, extra);
        let mut c = ClientConfig::new(&user);
        c.known_hosts = KnownHosts::parse(&known).unwrap();
        c.identities.push(key);
        c.certificates.push(cert);
        match Client::connect(("127.0.0.1", sshd.port()), c) {
            Err(ClientError::AuthFailed(methods)) => assert_eq!(methods, ["publickey"], "{name}"),
            Err(other) => panic!("{name}: {other}"),
            Ok(_) => panic!("{name}: logged in"),
        }
    }
}

/// `puressh ssh -i KEY` picks up `KEY-cert.pub` as OpenSSH does, and
/// checks the host through a `@cert-authority` known_hosts line.
#[test]
fn ssh_binary_uses_certificates_both_ways() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let user = sshd.var("USER").unwrap_or("root").to_owned();
    let key = PrivateKey::generate(KeySpec::Ed25519, "cli").unwrap();
    let (path, _) = certify(&sshd, &key, "cert_cli", &["-n", &user]);
    let known = sshd.dir().join("ca_known_hosts");
    std::fs::write(&known, ca_line(&sshd, "@cert-authority", sshd.var("HOST_CA").unwrap())).unwrap();
    let run = |identity: &Path| {
        Command::new(env!("CARGO_BIN_EXE_puressh"))
            .args(["ssh", "-F", "/dev/null", "-p", &sshd.port().to_string()])
            .arg("-i")
            .arg(identity)
            .args(["-o", &format!("UserKnownHostsFile={}", known.display()), "-o", "StrictHostKeyChecking=yes"])
            .arg(format!("{user}@127.0.0.1"))
            .args(["printf", "cert-login"])
            .output()
            .unwrap()
    };
    let out = run(&path);
    assert_eq!(out.stdout, b"cert-login", "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0));
    // Without the certificate file the key alone is refused.
    std::fs::remove_file(cert_path(&path)).unwrap();
    let out = run(&path);
    assert_eq!(out.status.code(), Some(255), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `-v` writes OpenSSH's debug1 lines about the negotiation (here the
/// host certificate), `-E` sends them and our warnings to a file instead
/// of stderr, and a `-L` this build cannot set up is reported, not
/// dropped silently; `-o ExitOnForwardFailure=yes` makes that fatal.
#[test]
fn ssh_binary_verbose_log_file_and_forward_warnings() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let user = sshd.var("USER").unwrap_or("root").to_owned();
    let known = sshd.dir().join("ca_known_hosts_v");
    std::fs::write(&known, ca_line(&sshd, "@cert-authority", sshd.var("HOST_CA").unwrap())).unwrap();
    let log = sshd.dir().join("ssh.log");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_puressh"))
            .args(["ssh", "-F", "/dev/null", "-p", &sshd.port().to_string(), "-i", sshd.var("KEY").unwrap()])
            .args(["-o", &format!("UserKnownHostsFile={}", known.display())])
            .args(extra)
            .arg(format!("{user}@127.0.0.1"))
            .args(["printf", "v"])
            .output()
            .unwrap()
    };
    let out = run(&["-v", "-E", log.to_str().unwrap(), "-L", "18080:127.0.0.1:80"]);
    assert_eq!((out.stdout.as_slice(), out.status.code()), (&b"v"[..], Some(0)));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("debug1: kex: host key algorithm: ssh-ed25519-cert-v01@openssh.com"), "{text}");
    assert!(text.contains("debug1: Server host certificate: ssh-ed25519-cert-v01@openssh.com SHA256:"), "{text}");
    assert!(text.contains("ID \"peers-host-ed25519\""), "{text}");
    assert!(text.contains("Warning: Could not request local forwarding"), "{text}");
    // Without -E the same lines go to stderr.
    let out = run(&["-v"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("debug1: kex: algorithm: "));
    let out = run(&["-o", "ExitOnForwardFailure=yes", "-D", "11080"]);
    assert_eq!(out.status.code(), Some(255));
    assert!(out.stdout.is_empty());
}

/// `-Q` answers without a destination, as OpenSSH's does.
#[test]
fn ssh_binary_query() {
    let query = |what: &str| Command::new(env!("CARGO_BIN_EXE_puressh")).args(["ssh", "-Q", what]).output().unwrap();
    let out = query("cipher");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().collect::<Vec<_>>(), names::CIPHER);
    let out = query("key-cert");
    assert!(String::from_utf8_lossy(&out.stdout).lines().all(|l| l.ends_with("-cert-v01@openssh.com")));
    let out = query("nonsense");
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "Unsupported query \"nonsense\"\n");
}
