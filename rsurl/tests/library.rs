//! The library API against the in-tree server: `get`, the `Request`
//! builder, streaming bodies and connection reuse by `Client`.

use std::io::Read;
use std::time::Duration;

use crate::server::{Reply, Server};

fn reply(bytes: &str, keep_alive: bool) -> Reply {
    Reply { bytes: bytes.as_bytes().to_vec(), keep_alive, ..Reply::default() }
}

#[test]
fn get_reads_status_headers_and_body() {
    let server = Server::start(|_| vec![reply("HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 5\r\n\r\nhello", false)]);
    let resp = rsurl::get(&format!("http://127.0.0.1:{}/p", server.port)).unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.header("x-a").as_deref(), Some("1"));
    assert_eq!(resp.text().unwrap(), "hello");
    let req = String::from_utf8(server.requests()[0].clone()).unwrap();
    assert!(req.starts_with("GET /p HTTP/1.1\r\n"), "{req}");
}

#[test]
fn client_reuses_keep_alive_connections_and_streams() {
    let body = "x".repeat(200_000);
    let wire = format!("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n", body.len());
    let server = Server::start(move |_| vec![reply(&wire, true)]);
    let client = rsurl::Client::new();
    for _ in 0..3 {
        let req = rsurl::Request::get(&format!("http://127.0.0.1:{}/", server.port)).unwrap();
        let mut resp = client.send(req).unwrap();
        let mut total = 0;
        let mut buf = [0u8; 1000];
        loop {
            let n = resp.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            assert!(buf[..n].iter().all(|&b| b == b'x'));
            total += n;
        }
        assert_eq!(total, body.len());
    }
    assert_eq!(client.connections_opened(), 1);
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn post_with_auth_follows_redirect_and_drops_body_on_303() {
    let server = Server::start(|_| {
        vec![
            reply("HTTP/1.1 303 See Other\r\nLocation: /done\r\nContent-Length: 0\r\n\r\n", false),
            reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false),
        ]
    });
    let req = rsurl::Request::new("POST", &format!("http://127.0.0.1:{}/form", server.port))
        .unwrap()
        .body("a=1")
        .basic_auth("u", "p")
        .follow_redirects(Some(5))
        .timeout(Duration::from_secs(10));
    let resp = rsurl::Client::new().send(req).unwrap();
    assert_eq!((resp.status(), resp.redirects()), (200, 1));
    assert!(resp.effective_url().ends_with("/done"));
    assert_eq!(resp.bytes().unwrap(), b"ok");
    let reqs: Vec<String> = server.requests().iter().map(|r| String::from_utf8_lossy(r).into_owned()).collect();
    assert!(reqs[0].starts_with("POST /form HTTP/1.1\r\n") && reqs[0].ends_with("\r\n\r\na=1"));
    assert!(reqs[0].contains("Authorization: Basic dTpw\r\n"));
    assert!(reqs[1].starts_with("GET /done HTTP/1.1\r\n") && reqs[1].ends_with("\r\n\r\n"));
}

#[test]
fn errors_map_to_curl_exit_codes() {
    let e = rsurl::get("http://127.0.0.1:1/").unwrap_err();
    assert_eq!(e.exit_code().get(), 7);
    assert_eq!(rsurl::get("http://[::1/").unwrap_err().exit_code().get(), 3);
    let server = Server::start(|_| {
        vec![Reply { stall: true, ..reply("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab", false) }]
    });
    let req =
        rsurl::Request::get(&format!("http://127.0.0.1:{}/", server.port)).unwrap().timeout(Duration::from_millis(300));
    let resp = rsurl::Client::new().send(req).unwrap();
    let e = resp.bytes().unwrap_err();
    assert_eq!(e.exit_code().get(), 28, "{e}");
    let injected = rsurl::Request::get("http://127.0.0.1:1/").unwrap().header("X", "a\r\nY: b");
    assert_eq!(rsurl::Client::new().send(injected).unwrap_err().exit_code().get(), 43);
}
