//! TLS 1.3 middlebox compatibility (RFC 8446 appendix D.4) as OpenSSL's
//! `-trace` sees it, both ways: our client's random 32-byte session ID
//! and its one dummy ChangeCipherSpec (neither with `s_client
//! -no_middlebox`), and our server's dummy ChangeCipherSpec for an
//! `openssl s_client` in compatibility mode (none for one without).
//!
//! Outside CI a missing openssl prints a loud SKIPPED banner; in CI it
//! fails.

use std::process::{Command, Stdio};

use super::tls::{data, openssl_available, run_s_client_cli, s_client_hello, serve, server_config, start_listening};

/// The record content types in an OpenSSL `-trace`, with who sent them
/// (`"Sent"` or `"Received"`), in order.
fn traced_records(trace: &str) -> Vec<(&str, &str)> {
    let mut records = Vec::new();
    let mut direction = None;
    for line in trace.lines() {
        match line.strip_suffix(" Record") {
            Some(d @ ("Sent" | "Received")) => direction = Some(d),
            _ => {
                if let (Some(d), Some(typ)) = (direction, line.trim_start().strip_prefix("Content Type = ")) {
                    records.push((d, typ));
                    direction = None;
                }
            }
        }
    }
    records
}

fn count(records: &[(&str, &str)], direction: &str, typ: &str) -> usize {
    records.iter().filter(|&&(d, t)| d == direction && t.starts_with(typ)).count()
}

/// The `session_id (len=N)` of the first hello in `trace`.
fn first_session_id_len(trace: &str) -> Option<usize> {
    let line = trace.lines().find_map(|l| l.trim_start().strip_prefix("session_id (len="))?;
    line.split(')').next()?.parse().ok()
}

/// Our `s_client` (with `extra`) against `openssl s_server -trace`: the
/// server's trace.
fn our_client_through_openssl_trace(extra: &[&str], tag: &str) -> String {
    let dir = std::env::temp_dir().join(format!("purecrypto-middlebox-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trace = dir.join("trace.txt");
    let (mut server, port) = start_listening("openssl s_server -trace", |port| {
        let mut cmd = Command::new("openssl");
        cmd.args(["s_server", "-tls1_3", "-www", "-naccept", "2", "-trace", "-msgfile"])
            .arg(&trace)
            .args(["-accept", &format!("127.0.0.1:{port}"), "-cert"])
            .arg(data("p256.crt.pem"))
            .arg("-key")
            .arg(data("p256.key.pem"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    });
    // Two connections: start_listening's readiness probe, then ours.
    let connect = format!("127.0.0.1:{port}");
    let args = [&["-connect", connect.as_str(), "-servername", "localhost", "-tls1_3", "-brief"][..], extra].concat();
    let (code, out, err) = run_s_client_cli(&args);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("Protocol  : TLSv1.3") || out.contains("TLSv1.3"), "{out}");
    // The file is complete once the server has exited after them.
    server.0.wait().unwrap();
    let text = std::fs::read_to_string(&trace).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    text
}

#[test]
fn openssl_s_server_sees_our_client_in_compatibility_mode() {
    if !openssl_available() {
        return;
    }
    let trace = our_client_through_openssl_trace(&[], "on");
    let records = traced_records(&trace);
    assert_eq!(first_session_id_len(&trace), Some(32), "{trace}");
    assert_eq!(count(&records, "Received", "ChangeCipherSpec"), 1, "{records:?}");
    // It came in plaintext right before our encrypted flight.
    let at = records.iter().position(|&(d, t)| d == "Received" && t.starts_with("ChangeCipherSpec")).unwrap();
    assert!(records[at + 1..].iter().filter(|(d, _)| *d == "Received").all(|(_, t)| t.starts_with("ApplicationData")));

    let trace = our_client_through_openssl_trace(&["-no_middlebox"], "off");
    assert_eq!(first_session_id_len(&trace), Some(0), "{trace}");
    assert_eq!(count(&traced_records(&trace), "Received", "ChangeCipherSpec"), 0, "{trace}");
}

#[test]
fn openssl_s_client_gets_our_server_ccs_only_in_compatibility_mode() {
    if !openssl_available() {
        return;
    }
    let (port, server) = serve(server_config("p256"), 2);
    let (out, err) = s_client_hello(port, &["-tls1_3", "-trace"]);
    assert!(out.contains("echo: hello from openssl"), "{out}\n{err}");
    let records = traced_records(&out);
    assert_eq!(count(&records, "Received", "ChangeCipherSpec"), 1, "{records:?}");
    let server_hello = records.iter().position(|&(d, _)| d == "Received").unwrap();
    assert_eq!(records[server_hello + 1], ("Received", "ChangeCipherSpec (20)"), "right after the ServerHello");

    let (out, err) = s_client_hello(port, &["-tls1_3", "-trace", "-no_middlebox"]);
    assert!(out.contains("echo: hello from openssl"), "{out}\n{err}");
    assert_eq!(count(&traced_records(&out), "Received", "ChangeCipherSpec"), 0, "{out}");
    for seen in server.join().unwrap() {
        assert!(seen.ends_with("hrr=false hello from openssl"), "{seen}");
    }
}
