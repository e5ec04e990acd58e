//! Starts every peer script's peer, talks to it with a reference client,
//! and checks that stopping removes the process and its files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

fn stops_cleanly(peer: peerctl::Peer) {
    let pid = peer.pid().unwrap();
    let dir = peer.dir().to_path_buf();
    drop(peer);
    assert!(!dir.exists(), "{} still exists", dir.display());
    let alive = Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(!alive, "pid {pid} still running");
}

fn curl(args: &[&str]) -> String {
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "10"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sshd_speaks_ssh_and_accepts_the_client_key() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else {
        return;
    };
    let stream = TcpStream::connect(("127.0.0.1", sshd.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut banner = String::new();
    BufReader::new(stream).read_line(&mut banner).unwrap();
    assert!(banner.starts_with("SSH-2.0-OpenSSH_"), "{banner:?}");

    let out = Command::new("ssh")
        .args([
            "-p",
            &sshd.port().to_string(),
            "-i",
            sshd.var("KEY").unwrap(),
        ])
        .args(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"])
        .arg("-o")
        .arg(format!(
            "UserKnownHostsFile={}",
            sshd.var("KNOWN_HOSTS").unwrap()
        ))
        .args(["root@127.0.0.1", "echo", "peer-ok"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "peer-ok\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stops_cleanly(sshd);
}

#[test]
fn dropbear_speaks_ssh_and_accepts_the_client_key() {
    let Some(dropbear) = peerctl::start_or_skip("dropbear") else {
        return;
    };
    let stream = TcpStream::connect(("127.0.0.1", dropbear.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut banner = String::new();
    BufReader::new(stream).read_line(&mut banner).unwrap();
    assert!(banner.starts_with("SSH-2.0-dropbear"), "{banner:?}");

    let authorized = dropbear.var("AUTHORIZED_KEYS").unwrap().to_owned();
    let out = Command::new("ssh")
        .args([
            "-p",
            &dropbear.port().to_string(),
            "-i",
            dropbear.var("KEY").unwrap(),
        ])
        .args(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"])
        .arg("-o")
        .arg(format!(
            "UserKnownHostsFile={}",
            dropbear.var("KNOWN_HOSTS").unwrap()
        ))
        .arg(format!("{}@127.0.0.1", dropbear.var("USER").unwrap()))
        .args(["echo", "peer-ok"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "peer-ok\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = dropbear.dir().display().to_string();
    stops_cleanly(dropbear);
    // Its key left the shared authorized_keys with it.
    let keys = std::fs::read_to_string(authorized).unwrap();
    assert!(!keys.contains(&dir), "{keys}");
}

#[test]
fn nginx_serves_http_and_verified_https_with_h2() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else {
        return;
    };
    let ca = nginx.var("CA").unwrap();
    let https = format!("https://localhost:{}/", nginx.port());
    assert_eq!(curl(&["--cacert", ca, &https]), "hello from nginx\n");
    assert_eq!(
        curl(&[
            "--cacert",
            ca,
            "--http2",
            "-o",
            "/dev/null",
            "-w",
            "%{http_version}",
            &https
        ]),
        "2"
    );
    assert_eq!(
        curl(&[
            "--cacert",
            ca,
            "--tls-max",
            "1.2",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &https
        ]),
        "200"
    );
    let http = format!("http://127.0.0.1:{}/", nginx.var("HTTP_PORT").unwrap());
    assert_eq!(curl(&[&http]), "hello from nginx\n");
    stops_cleanly(nginx);
}

#[test]
fn openssl_s_server_answers_with_its_status_page() {
    let Some(server) = peerctl::start_or_skip("openssl-s_server") else {
        return;
    };
    let page = curl(&[
        "--cacert",
        server.var("CA").unwrap(),
        &format!("https://localhost:{}/", server.port()),
    ]);
    assert!(page.contains("s_server -accept"), "{page}");
    assert!(page.contains("TLSv1.3"), "{page}");
    stops_cleanly(server);
}

#[test]
fn unknown_peers_are_errors() {
    assert!(
        peerctl::Peer::start("no-such-peer")
            .unwrap_err()
            .contains("no peer script")
    );
    assert!(peerctl::Peer::start("../peers/lib.sh").is_err());
}
