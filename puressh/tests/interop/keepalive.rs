//! `ServerAliveInterval` / `ServerAliveCountMax` against sshd through an
//! in-process TCP relay that can stall: while it relays, keepalives are
//! answered and a silent command outlives the count; once it stops
//! passing the server's bytes, the client gives up with OpenSSH's
//! "Timeout, server HOST not responding." (the library and `puressh ssh`).

use puressh::client::{Client, ClientConfig, ClientError};
use puressh::config::known_hosts::KnownHosts;
use puressh::keys::private::PrivateKey;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Relays every connection to `127.0.0.1:target`; after `stall()` the
/// server's bytes are read and dropped (the server looks dead, the TCP
/// connection stays up).
struct StallProxy {
    port: u16,
    stalled: Arc<AtomicBool>,
}

impl StallProxy {
    fn start(target: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stalled = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stalled);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else { return };
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || pipe(c2, s2, None));
                let flag = Arc::clone(&flag);
                std::thread::spawn(move || pipe(server, client, Some(flag)));
            }
        });
        Self { port, stalled }
    }

    fn stall(&self) {
        self.stalled.store(true, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream, stalled: Option<Arc<AtomicBool>>) {
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            break;
        }
        if stalled.as_ref().is_some_and(|s| s.load(Ordering::SeqCst)) {
            continue;
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

/// The peer's client key, and its known_hosts re-keyed to the relay's port.
fn config(sshd: &peerctl::Peer, proxy: &StallProxy) -> ClientConfig {
    let key = std::fs::read_to_string(sshd.var("KEY").unwrap()).unwrap();
    let mut config = ClientConfig::new(sshd.var("USER").unwrap_or("root"));
    config.identities.push(PrivateKey::from_openssh(&key, None).unwrap());
    config.known_hosts = KnownHosts::parse(&proxied_known_hosts(sshd, proxy)).unwrap();
    config
}

fn proxied_known_hosts(sshd: &peerctl::Peer, proxy: &StallProxy) -> String {
    let known = std::fs::read_to_string(sshd.var("KNOWN_HOSTS").unwrap()).unwrap();
    known.replace(&format!("]:{} ", sshd.port()), &format!("]:{} ", proxy.port))
}

#[test]
fn keepalive_keeps_a_silent_session_and_drops_a_dead_server() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let proxy = StallProxy::start(sshd.port());
    let mut config = config(&sshd, &proxy);
    config.server_alive_interval = Some(Duration::from_secs(1));
    config.server_alive_count_max = 1;
    let mut session = Client::connect(("127.0.0.1", proxy.port), config).unwrap();
    // Three silent seconds with a count of 1: only the answered
    // keepalives keep the connection.
    let out = session.exec("sleep 3; echo awake").unwrap();
    assert_eq!((out.stdout.as_slice(), out.status), (&b"awake\n"[..], Some(0)));
    proxy.stall();
    match session.exec("echo never") {
        Err(e @ ClientError::Timeout(_)) => assert_eq!(e.to_string(), "Timeout, server 127.0.0.1 not responding."),
        other => panic!("{other:?}"),
    }
}

#[test]
fn ssh_binary_exits_255_when_the_server_stops_answering() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let proxy = StallProxy::start(sshd.port());
    let known_path = sshd.dir().join("known_hosts_proxy");
    std::fs::write(&known_path, proxied_known_hosts(&sshd, &proxy)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_puressh"))
        .args(["ssh", "-p", &proxy.port.to_string(), "-i", sshd.var("KEY").unwrap()])
        .args(["-o", &format!("UserKnownHostsFile={}", known_path.display())])
        .args(["-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=2"])
        .arg(format!("{}@127.0.0.1", sshd.var("USER").unwrap_or("root")))
        .arg("echo started; sleep 60")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line, "started\n");
    proxy.stall();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "Timeout, server 127.0.0.1 not responding.\r\n");
}

/// `ConnectTimeout` bounds the login too: a server that accepts the TCP
/// connection and never speaks is given up on (the socket timeout is an
/// hour here, so only ConnectTimeout can end the wait).
#[test]
fn connect_timeout_covers_a_silent_server() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let holder = std::thread::spawn(move || {
        let (socket, _) = listener.accept().unwrap();
        // Hold the connection open, say nothing, until the client leaves.
        let mut buf = [0u8; 1024];
        while matches!((&socket).read(&mut buf), Ok(n) if n > 0) {}
    });
    let mut config = ClientConfig::new("root");
    config.timeout = Duration::from_secs(3600);
    config.connect_timeout = Some(Duration::from_secs(1));
    match Client::connect(("127.0.0.1", port), config) {
        Err(ClientError::Io(e)) => {
            assert_eq!(e.kind(), std::io::ErrorKind::TimedOut);
            assert!(e.to_string().contains("ConnectTimeout"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    holder.join().unwrap();
}
