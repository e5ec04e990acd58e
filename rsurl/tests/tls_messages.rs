//! curl's per-message TLS lines in `-v`
//! (`* TLSv1.3 (OUT), TLS handshake, Client hello (1):`), rsurl side by
//! side with `/usr/bin/curl` against nginx: TLS 1.3 over h2 and HTTP/1.1,
//! TLS 1.2, client certificates (1.3 and 1.2), and a refused chain with
//! its `unknown CA (560)` alert. The handshake's lines (up to
//! `* SSL connection using`) must be the same, the TLS 1.3
//! middlebox-compatibility `Change cipher spec` included, but for the
//! TLS 1.2 ticket named below; the NewSessionTicket lines after it must
//! be there, between the request and the response heads.

use std::path::{Path, PathBuf};

use crate::https::{expand, run};

fn is_message_line(l: &str) -> bool {
    ["* TLSv1.2 (", "* TLSv1.3 ("].iter().any(|p| l.starts_with(p)) && (l.contains(" (IN), ") || l.contains(" (OUT), "))
}

/// The message lines before `* SSL connection using` (all of them when
/// the handshake failed) and after it.
fn message_lines(stderr: &str) -> (Vec<String>, Vec<String>) {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let mut connected = false;
    for l in stderr.lines() {
        connected |= l.starts_with("* SSL connection using");
        if is_message_line(l) {
            if connected { &mut after } else { &mut before }.push(l.to_owned());
        }
    }
    (before, after)
}

/// Runs `args` through rsurl (and curl when installed), which must exit
/// `code`; compares the handshake's message lines and returns rsurl's
/// stderr.
fn compare(args: &[String], code: i32, curl: Option<&Path>) -> String {
    let ours = run(Path::new(env!("CARGO_BIN_EXE_rsurl")), args);
    assert_eq!(ours.0, Some(code), "{args:?}: {}", ours.2);
    let (mut hs, after) = message_lines(&ours.2);
    assert!(hs.first().is_some_and(|l| l.ends_with(", TLS handshake, Client hello (1):")), "{args:?}: {}", ours.2);
    let Some(curl) = curl else { return ours.2 };
    let theirs = run(curl, args);
    assert_eq!(theirs.0, Some(code), "{args:?}: {}", theirs.2);
    let (theirs_hs, theirs_after) = message_lines(&theirs.2);
    // A TLS 1.2 ticket: rsurl asks for one (nginx sends it before its
    // ChangeCipherSpec); curl's OpenSSL gets none from nginx here.
    let ticket = "* TLSv1.2 (IN), TLS handshake, Newsession Ticket (4):";
    hs.retain(|l| l != ticket);
    assert_eq!(hs, theirs_hs, "{args:?}\nours: {}\ncurl: {}", ours.2, theirs.2);
    // Tickets may come in a different number (timing); both see some, or
    // neither does.
    let tickets = |v: &[String]| v.iter().filter(|l| l.ends_with("Newsession Ticket (4):")).count();
    assert_eq!(tickets(&after) > 0, tickets(&theirs_after) > 0, "{args:?}\nours: {}\ncurl: {}", ours.2, theirs.2);
    ours.2
}

#[test]
fn tls_message_lines_match_curl() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let curl = crate::cases::curl();
    let curl = curl.as_deref();
    let (port, ca) = (nginx.port().to_string(), nginx.var("CA").unwrap().to_owned());
    let mtls = nginx.var("MTLS_PORT").unwrap().to_owned();
    let (cert, key) = (nginx.var("CLIENT_CERT").unwrap().to_owned(), nginx.var("CLIENT_KEY").unwrap().to_owned());
    let other = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls/unrelated-ca.pem");
    let other = other.to_string_lossy();
    let vars =
        [("%CA", ca.as_str()), ("%OTHER", &other), ("%MTLS", &mtls), ("%P", &port), ("%CERT", &cert), ("%KEY", &key)];
    let s = |v: &[&str]| expand(v, &vars);
    let v = ["-s", "-v", "-o", "/dev/null"];

    // TLS 1.3 over h2: the CAfile line follows the ClientHello's, and
    // the server's tickets are traced after the handshake.
    let stderr = compare(&s(&[&v[..], &["--cacert", "%CA", "https://localhost:%P/"]].concat()), 0, curl);
    let lines: Vec<&str> = stderr.lines().collect();
    let hello = lines.iter().position(|l| l.ends_with("Client hello (1):")).unwrap();
    assert_eq!(lines.get(hello + 1).copied(), Some(format!("*  CAfile: {ca}").as_str()), "{stderr}");
    assert!(message_lines(&stderr).1.iter().any(|l| l == "* TLSv1.3 (IN), TLS handshake, Newsession Ticket (4):"));
    // Middlebox compatibility (RFC 8446 appendix D.4): our dummy
    // ChangeCipherSpec goes right before our Finished, as OpenSSL's does.
    let ccs = lines.iter().position(|l| *l == "* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):");
    let finished = lines.iter().position(|l| *l == "* TLSv1.3 (OUT), TLS handshake, Finished (20):");
    assert!(ccs.is_some_and(|c| Some(c + 1) == finished), "{stderr}");

    // HTTP/1.1: the tickets come between the request and the response
    // heads, as in curl.
    let stderr = compare(&s(&[&v[..], &["--http1.1", "--cacert", "%CA", "https://localhost:%P/"]].concat()), 0, curl);
    let at = |p: &dyn Fn(&str) -> bool| stderr.lines().position(p).unwrap_or(usize::MAX);
    let (request, ticket, response) = (
        at(&|l| l.starts_with("> GET")),
        at(&|l| l.ends_with("Newsession Ticket (4):")),
        at(&|l| l.starts_with("< HTTP")),
    );
    assert!(request < ticket && ticket < response, "{stderr}");

    // TLS 1.2: ServerKeyExchange, ServerHelloDone, our ChangeCipherSpec
    // (OpenSSL does not report the server's, so neither does rsurl).
    let stderr =
        compare(&s(&[&v[..], &["--tls-max", "1.2", "--cacert", "%CA", "https://localhost:%P/"]].concat()), 0, curl);
    assert!(stderr.contains("* TLSv1.2 (OUT), TLS change cipher, Change cipher spec (1):\n"), "{stderr}");

    // Client certificates: Request CERT in, Certificate and CERT verify out.
    for max in ["1.3", "1.2"] {
        let args = [&v[..], &["--tls-max", max, "--cacert", "%CA", "--cert", "%CERT", "--key", "%KEY"]].concat();
        let stderr = compare(&s(&[&args[..], &["https://localhost:%MTLS/"]].concat()), 0, curl);
        assert!(stderr.contains(&format!("* TLSv{max} (OUT), TLS handshake, CERT verify (15):\n")), "{stderr}");
    }

    // A chain from an unknown CA: the alert rsurl sends, as curl.
    for max in ["1.3", "1.2"] {
        let args = [&v[..], &["--tls-max", max, "--cacert", "%OTHER", "https://localhost:%P/"]].concat();
        let stderr = compare(&s(&args), 60, curl);
        assert!(stderr.contains(&format!("* TLSv{max} (OUT), TLS alert, unknown CA (560):\n")), "{stderr}");
    }
}
