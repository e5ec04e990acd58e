//! `--hsts` and `--alt-svc` against an in-test HTTPS server, run with
//! rsurl and differentially with `/usr/bin/curl`: the same command line
//! and cache files give the same stdout, exit code and written files
//! (dates masked where they come from the clock). The library's
//! `Client::with_hsts_file` / `with_alt_svc_file` are checked too.
//!
//! The server (purecrypto's TLS server, a certificate `openssl req` makes
//! for `localhost`, `sub.localhost` and 127.0.0.1) listens on two TLS
//! ports, `a` and `b`, and one plain port, `p`. It answers every request
//! with `Connection: close` and the body `NAME PATH host=HOST
//! alt-used=ALT-USED`, so stdout shows where each request arrived; the
//! query's `sts=`, `alt=` and `loc=` (percent-encoded) become
//! `Strict-Transport-Security`, `Alt-Svc` and a 302 `Location`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use purecrypto::tls::{Connection, ServerConfig, SigningKey, Stream};

/// Ports of the running test server.
pub struct Ports {
    pub a: u16,
    pub b: u16,
    pub plain: u16,
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// One request on `stream`: read the head, answer, close.
fn answer(stream: &mut (impl Read + Write), name: &str) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let field = |want: &str| {
        head.lines()
            .find_map(|l| l.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case(want)).map(|(_, v)| v.trim()))
            .unwrap_or("-")
            .to_owned()
    };
    let mut extra = String::new();
    let mut status = "200 OK";
    for pair in path.split_once('?').map_or("", |(_, q)| q).split('&') {
        let Some((k, v)) = pair.split_once('=') else { continue };
        match k {
            "sts" => extra.push_str(&format!("Strict-Transport-Security: {}\r\n", decode(v))),
            "alt" => extra.push_str(&format!("Alt-Svc: {}\r\n", decode(v))),
            "loc" => {
                status = "302 Found";
                extra.push_str(&format!("Location: {}\r\n", decode(v)));
            }
            _ => {}
        }
    }
    let body = format!("{name} {path} host={} alt-used={}\n", field("host"), field("alt-used"));
    let reply =
        format!("HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    let _ = stream.write_all(reply.as_bytes());
    let _ = stream.flush();
}

fn listen(name: &'static str, tls: Option<Arc<ServerConfig>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let tls = tls.clone();
            std::thread::spawn(move || {
                tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                match tls {
                    Some(config) => {
                        let Ok(conn) = Connection::new_server(config) else { return };
                        let mut s = Stream::new(conn, tcp);
                        if s.handshake().is_ok() {
                            answer(&mut s, name);
                            let _ = s.close();
                        }
                    }
                    None => answer(&mut { tcp }, name),
                }
            });
        }
    });
    port
}

/// Makes the certificate in `dir` and starts the server; `None` (after a
/// loud message) when `openssl` is missing outside CI.
pub fn start(dir: &Path) -> Option<Ports> {
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"])
        .args(["-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=localhost", "-days", "2"])
        .args(["-addext", "subjectAltName=DNS:localhost,DNS:sub.localhost,IP:127.0.0.1"])
        .current_dir(dir)
        .output();
    if !made.as_ref().is_ok_and(|o| o.status.success()) {
        assert!(std::env::var_os("CI").is_none(), "openssl is required in CI: {made:?}");
        eprintln!("SKIPPED: openssl not available to make the test certificate");
        return None;
    }
    let cert = std::fs::read(dir.join("cert.pem")).unwrap();
    let chain = purecrypto::x509::pem_certificates(&cert).unwrap();
    let key = SigningKey::from_pkcs8_pem(&std::fs::read(dir.join("key.pem")).unwrap()).unwrap();
    let mut config = ServerConfig::new(chain, key).unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let config = Arc::new(config);
    Some(Ports { a: listen("a", Some(config.clone())), b: listen("b", Some(config)), plain: listen("p", None) })
}

/// Replaces every `"YYYYMMDD HH:MM:SS"` with `"DATE"`: learnt entries
/// expire relative to the clock, which moves between the two runs.
fn mask_dates(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('"') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let date = tail.get(1..18).filter(|d| {
            d.bytes().enumerate().all(|(j, b)| match j {
                8 => b == b' ',
                11 | 14 => b == b':',
                _ => b.is_ascii_digit(),
            })
        });
        if date.is_some() && tail.as_bytes().get(18) == Some(&b'"') {
            out.push_str("\"DATE\"");
            rest = &tail[19..];
        } else {
            out.push('"');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

const HSTS_HEAD: &str =
    "# Your HSTS cache. https://curl.se/docs/hsts.html\n# This file was generated by libcurl! Edit at your own risk.\n";
const ALT_HEAD: &str = "# Your alt-svc cache. https://curl.se/docs/alt-svc.html\n\
# This file was generated by libcurl! Edit at your own risk.\n";

/// One scenario: arguments, files made before the run, the stdout and
/// exit code rsurl must give, and the files it must leave (dates masked).
struct Scenario {
    args: &'static [&'static str],
    setup: &'static [(&'static str, &'static str)],
    stdout: &'static str,
    exit: i32,
    files: &'static [(&'static str, &'static str)],
}

fn scenarios() -> Vec<Scenario> {
    vec![
        // Learnt over HTTPS, written after the file's live lines (comments,
        // bad and expired lines dropped).
        Scenario {
            args: &["-s", "--hsts", "h.txt", "https://localhost:%A/?sts=max-age%3D3600%3B%20includeSubDomains"],
            setup: &[(
                "h.txt",
                "# old\nbad line\nfoo.example \"20991231 23:59:59\"\n.old.example \"20200101 00:00:00\"\n",
            )],
            stdout: "a /?sts=max-age%3D3600%3B%20includeSubDomains host=localhost:%A alt-used=-\n",
            exit: 0,
            files: &[("h.txt", "%HSTSfoo.example \"DATE\"\n.localhost \"DATE\"\n")],
        },
        // Not learnt: from an IP literal, over plain HTTP, or invalid
        // (RFC 6797 §6.1 duplicate directive).
        Scenario {
            args: &[
                "-s",
                "--hsts",
                "h.txt",
                "https://127.0.0.1:%A/?sts=max-age%3D3600",
                "http://localhost:%P/?sts=max-age%3D3600",
                "https://localhost:%A/?sts=max-age%3D1%3Bmax-age%3D2",
            ],
            setup: &[],
            stdout: "a /?sts=max-age%3D3600 host=127.0.0.1:%A alt-used=-\np /?sts=max-age%3D3600 host=localhost:%P alt-used=-\n\
a /?sts=max-age%3D1%3Bmax-age%3D2 host=localhost:%A alt-used=-\n",
            exit: 0,
            files: &[("h.txt", "%HSTS")],
        },
        // max-age=0 forgets the host.
        Scenario {
            args: &["-s", "--hsts", "h.txt", "https://localhost:%A/?sts=max-age%3D0"],
            setup: &[("h.txt", "localhost \"unlimited\"\nkeep.example \"unlimited\"\n")],
            stdout: "a /?sts=max-age%3D0 host=localhost:%A alt-used=-\n",
            exit: 0,
            files: &[("h.txt", "%HSTSkeep.example \"unlimited\"\n")],
        },
        // Each --next group reads and writes its own file.
        Scenario {
            args: &[
                "-s",
                "--hsts",
                "h.txt",
                "https://localhost:%A/?sts=max-age%3D3600",
                "--next",
                "--cacert",
                "%CA",
                "-s",
                "--hsts",
                "h2.txt",
                "https://localhost:%A/?sts=max-age%3D3600%3BincludeSubDomains",
            ],
            setup: &[],
            stdout: "a /?sts=max-age%3D3600 host=localhost:%A alt-used=-
a /?sts=max-age%3D3600%3BincludeSubDomains host=localhost:%A alt-used=-
",
            exit: 0,
            files: &[("h.txt", "%HSTSlocalhost \"DATE\"\n"), ("h2.txt", "%HSTS.localhost \"DATE\"\n")],
        },
        // Upgrade through includeSubDomains; the explicit port is kept.
        Scenario {
            args: &["-s", "--hsts", "h.txt", "--resolve", "sub.localhost:%A:127.0.0.1", "http://sub.localhost:%A/up"],
            setup: &[("h.txt", ".localhost \"20991231 23:59:59\"\n")],
            stdout: "a /up host=sub.localhost:%A alt-used=-\n",
            exit: 0,
            files: &[("h.txt", "%HSTS.localhost \"DATE\"\n")],
        },
        // Upgrade of a default port: 80 becomes 443.
        Scenario {
            args: &["-s", "--hsts", "h.txt", "--connect-to", "localhost:443:127.0.0.1:%A", "http://localhost/def"],
            setup: &[("h.txt", "localhost \"unlimited\"\n")],
            stdout: "a /def host=localhost alt-used=-\n",
            exit: 0,
            files: &[],
        },
        // Without the store the same request is plain HTTP to a TLS port.
        Scenario {
            args: &["-s", "--connect-to", "localhost:80:127.0.0.1:%A", "-m", "5", "http://localhost/def"],
            setup: &[],
            stdout: "",
            exit: 1,
            files: &[],
        },
        // Learnt, then applied to a redirect to http:// in the same run.
        Scenario {
            args: &[
                "-sL",
                "--hsts",
                "h.txt",
                "https://localhost:%A/?sts=max-age%3D3600&loc=http%3A%2F%2Flocalhost%3A%B%2Fnext",
            ],
            setup: &[],
            stdout: "b /next host=localhost:%B alt-used=-\n",
            exit: 0,
            files: &[("h.txt", "%HSTSlocalhost \"DATE\"\n")],
        },
        // Alt-Svc learnt: h2 with ma and persist, h3 kept (never used),
        // h1 by name, an unknown protocol skipped.
        Scenario {
            args: &[
                "-s",
                "--alt-svc",
                "a.txt",
                "https://localhost:%A/?alt=h2%3D%22%3A%B%22%3B%20ma%3D3600%3B%20persist%3D1%2C%20h3%3D%22%3A443%22%2C%20x9%3D%22%3A1%22%2C%20h1%3D%22localhost%3A%A%22",
            ],
            setup: &[("a.txt", "h1 old.test 443 h2 old.test 1 \"20200101 00:00:00\" 0 0\n")],
            stdout: "a /?alt=h2%3D%22%3A%B%22%3B%20ma%3D3600%3B%20persist%3D1%2C%20h3%3D%22%3A443%22%2C%20x9%3D%22%3A1%22%2C%20h1%3D%22localhost%3A%A%22 host=localhost:%A alt-used=-\n",
            exit: 0,
            files: &[(
                "a.txt",
                "%ALTh1 localhost %A h2 localhost %B \"DATE\" 1 0\nh1 localhost %A h3 localhost 443 \"DATE\" 0 0\n\
h1 localhost %A h1 localhost %A \"DATE\" 0 0\n",
            )],
        },
        // A cached h2 alternative is used: the request reaches b with the
        // origin in Host and Alt-Used naming b.
        Scenario {
            args: &["-s", "--alt-svc", "a.txt", "https://localhost:%A/use"],
            setup: &[("a.txt", "h1 localhost %A h2 localhost %B \"20991231 23:59:59\" 0 0\n")],
            stdout: "b /use host=localhost:%A alt-used=localhost:%B\n",
            exit: 0,
            files: &[("a.txt", "%ALTh1 localhost %A h2 localhost %B \"DATE\" 0 0\n")],
        },
        // Learnt and used in one run, an h1 alternative; not learnt over
        // plain HTTP.
        Scenario {
            args: &[
                "-s",
                "--alt-svc",
                "a.txt",
                "http://localhost:%P/?alt=h2%3D%22%3A%A%22",
                "https://localhost:%A/?alt=h1%3D%22%3A%B%22",
                "https://localhost:%A/second",
            ],
            setup: &[],
            stdout: "p /?alt=h2%3D%22%3A%A%22 host=localhost:%P alt-used=-\na /?alt=h1%3D%22%3A%B%22 host=localhost:%A alt-used=-\n\
b /second host=localhost:%A alt-used=localhost:%B\n",
            exit: 0,
            files: &[("a.txt", "%ALTh1 localhost %A h1 localhost %B \"DATE\" 0 0\n")],
        },
        // Not used: h3 only, or a --connect-to rule for the origin.
        Scenario {
            args: &["-s", "--alt-svc", "a.txt", "https://localhost:%A/h3"],
            setup: &[("a.txt", "h1 localhost %A h3 localhost %B \"20991231 23:59:59\" 0 0\n")],
            stdout: "a /h3 host=localhost:%A alt-used=-\n",
            exit: 0,
            files: &[],
        },
        Scenario {
            args: &["-s", "--alt-svc", "a.txt", "--connect-to", "localhost:%A:127.0.0.1:%A", "https://localhost:%A/ct"],
            setup: &[("a.txt", "h1 localhost %A h2 localhost %B \"20991231 23:59:59\" 0 0\n")],
            stdout: "a /ct host=localhost:%A alt-used=-\n",
            exit: 0,
            files: &[],
        },
    ]
}

fn run_in(program: &Path, args: &[String], dir: &Path) -> (Option<i32>, String) {
    let out = crate::https::command(program).args(args).current_dir(dir).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn hsts_and_alt_svc_match_curl() {
    let pki = crate::nginx::tempdir("pki");
    let Some(ports) = start(&pki) else { return };
    let ca = pki.join("cert.pem").to_string_lossy().into_owned();
    let sub = |s: &str| {
        s.replace("%CA", &ca)
            .replace("%HSTS", HSTS_HEAD)
            .replace("%ALT", ALT_HEAD)
            .replace("%A", &ports.a.to_string())
            .replace("%B", &ports.b.to_string())
            .replace("%P", &ports.plain.to_string())
    };
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let curl = crate::cases::curl();
    for (i, sc) in scenarios().iter().enumerate() {
        let mut args = vec!["--cacert".to_owned(), ca.clone()];
        args.extend(sc.args.iter().map(|a| sub(a)));
        let mut runs = vec![("rsurl", rsurl.clone())];
        runs.extend(curl.clone().map(|c| ("curl", c)));
        let mut seen = Vec::new();
        for (tool, program) in runs {
            let dir = crate::nginx::tempdir(tool);
            for (name, text) in sc.setup {
                std::fs::write(dir.join(name), sub(text)).unwrap();
            }
            let (code, stdout) = run_in(&program, &args, &dir);
            let mut files = Vec::new();
            for (name, want) in sc.files {
                let got = mask_dates(&std::fs::read_to_string(dir.join(name)).unwrap_or_default());
                assert_eq!(got, sub(want), "scenario {i} ({tool}): file {name}; args {args:?}");
                files.push(got);
            }
            assert_eq!(
                (code, stdout.as_str()),
                (Some(sc.exit), sub(sc.stdout).as_str()),
                "scenario {i} ({tool}) {args:?}"
            );
            seen.push((code, stdout, files));
        }
        if let [ours, theirs] = seen.as_slice() {
            assert_eq!(ours, theirs, "scenario {i}: rsurl and curl differ; args {args:?}");
        }
    }
}

#[test]
fn library_client_keeps_both_caches() {
    let pki = crate::nginx::tempdir("pki");
    let Some(ports) = start(&pki) else { return };
    let dir = crate::nginx::tempdir("lib");
    let (h, a) = (dir.join("h.txt"), dir.join("a.txt"));
    std::fs::write(&h, "# nothing yet\n").unwrap();
    let client = rsurl::Client::new().with_hsts_file(&h).with_alt_svc_file(&a);
    let ca = pki.join("cert.pem");
    let get = |url: String| {
        let req = rsurl::Request::get(&url).unwrap().ca_file(&ca);
        client.send(req).unwrap().text().unwrap()
    };
    let learn = format!("https://localhost:{}/?sts=max-age%3D600&alt=h2%3D%22%3A{}%22", ports.a, ports.b);
    assert!(get(learn).starts_with("a /"));
    // HSTS turns http:// into https:// (explicit port kept); the alt-svc
    // cache sends the origin's new connection to b.
    let body = get(format!("http://localhost:{}/next", ports.a));
    assert_eq!(body, format!("b /next host=localhost:{} alt-used=localhost:{}\n", ports.a, ports.b));
    client.save_caches().unwrap();
    assert_eq!(mask_dates(&std::fs::read_to_string(&h).unwrap()), format!("{HSTS_HEAD}localhost \"DATE\"\n"));
    assert_eq!(
        mask_dates(&std::fs::read_to_string(&a).unwrap()),
        format!("{ALT_HEAD}h1 localhost {a} h2 localhost {b} \"DATE\" 0 0\n", a = ports.a, b = ports.b)
    );
    // A new client reads them back.
    let again = rsurl::Client::new().with_hsts_file(&h).with_alt_svc_file(&a);
    let req = rsurl::Request::get(&format!("http://localhost:{}/x", ports.a)).unwrap().ca_file(&ca);
    assert!(again.send(req).unwrap().text().unwrap().starts_with("b /x "));
}
