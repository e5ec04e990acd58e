//! The HTTP/1.0 OCSP transport (RFC 6960 appendix A.1), as `openssl ocsp`
//! speaks it: one POST of `application/ocsp-request` per connection,
//! answered by `application/ocsp-response`. Plain TCP, no TLS, no
//! redirects, no GET form.
//!
//! Entry points: [`post`] (client), [`read_request`] / [`write_response`]
//! (responder).

use std::format;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::string::{String, ToString};
use std::time::Duration;
use std::vec::Vec;

use crate::cli::CliError;

/// The largest OCSP message either side accepts over HTTP.
const MAX_BODY: usize = 1 << 20;
/// The longest header section read.
const MAX_HEADERS: usize = 64 * 1024;
/// How long a peer may stall.
const TIMEOUT: Duration = Duration::from_secs(30);

fn protocol(msg: impl Into<String>) -> CliError {
    CliError::Usage(msg.into())
}

/// `http://host[:port][/path]` as (host:port, path).
pub(super) fn split_url(url: &str) -> Result<(String, String), CliError> {
    let rest =
        url.strip_prefix("http://").ok_or_else(|| protocol(format!("ocsp: only http:// URLs are supported: {url}")))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i..).unwrap_or("/")),
        None => (rest, "/"),
    };
    let authority = if authority.contains(':') { authority.to_string() } else { format!("{authority}:80") };
    Ok((authority, path.to_string()))
}

/// Reads the start line and headers; returns (start line, Content-Length).
fn read_head(r: &mut impl BufRead) -> Result<(String, Option<usize>), CliError> {
    let mut start = String::new();
    let mut length = None;
    let mut total = 0;
    let mut first = true;
    loop {
        let mut line = String::new();
        let n = r.by_ref().take(8192).read_line(&mut line).map_err(CliError::io("HTTP"))?;
        total += n;
        if n == 0 || total > MAX_HEADERS {
            return Err(protocol("ocsp: HTTP header section truncated or too long"));
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if first {
            start = line.to_string();
            first = false;
            continue;
        }
        if line.is_empty() {
            return Ok((start, length));
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse().map_err(|_| protocol("ocsp: bad Content-Length"))?);
        }
    }
}

/// Reads the body: `length` bytes, or to the end of the stream.
fn read_body(r: &mut impl Read, length: Option<usize>) -> Result<Vec<u8>, CliError> {
    let mut body = Vec::new();
    match length {
        Some(n) if n > MAX_BODY => return Err(protocol("ocsp: HTTP body too large")),
        Some(n) => {
            body.resize(n, 0);
            r.read_exact(&mut body).map_err(CliError::io("HTTP body"))?;
        }
        None => {
            r.take(MAX_BODY as u64 + 1).read_to_end(&mut body).map_err(CliError::io("HTTP body"))?;
            if body.len() > MAX_BODY {
                return Err(protocol("ocsp: HTTP body too large"));
            }
        }
    }
    Ok(body)
}

/// POSTs `request` to `url` and returns the response body.
pub(super) fn post(url: &str, request: &[u8]) -> Result<Vec<u8>, CliError> {
    let (authority, path) = split_url(url)?;
    let mut stream = TcpStream::connect(&authority).map_err(CliError::io(format!("connect {authority}")))?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(CliError::io("socket"))?;
    let host = authority.strip_suffix(":80").unwrap_or(&authority);
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: {host}\r\nContent-Type: application/ocsp-request\r\nContent-Length: {}\r\n\r\n",
        request.len()
    );
    stream.write_all(head.as_bytes()).map_err(CliError::io("send"))?;
    stream.write_all(request).map_err(CliError::io("send"))?;
    let mut r = BufReader::new(stream);
    let (status, length) = read_head(&mut r)?;
    if status.split_whitespace().nth(1) != Some("200") {
        return Err(protocol(format!("ocsp: responder answered {status:?}")));
    }
    read_body(&mut r, length)
}

/// Reads one POSTed OCSP request from a connection.
pub(super) fn read_request(stream: &mut TcpStream) -> Result<Vec<u8>, CliError> {
    stream.set_read_timeout(Some(TIMEOUT)).map_err(CliError::io("socket"))?;
    let mut r = BufReader::new(stream);
    let (start, length) = read_head(&mut r)?;
    if !start.starts_with("POST ") {
        return Err(protocol(format!("ocsp: only POST requests are served: {start:?}")));
    }
    read_body(&mut r, Some(length.ok_or_else(|| protocol("ocsp: POST without Content-Length"))?))
}

/// Sends `response` as the answer to the request just read.
pub(super) fn write_response(stream: &mut TcpStream, response: &[u8]) -> Result<(), CliError> {
    let head = format!(
        "HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: {}\r\n\r\n",
        response.len()
    );
    stream.write_all(head.as_bytes()).map_err(CliError::io("send"))?;
    stream.write_all(response).map_err(CliError::io("send"))?;
    stream.flush().map_err(CliError::io("send"))
}
