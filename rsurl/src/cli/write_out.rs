//! The `-w` / `--write-out` formatter: `%{variable}`, `%header{name}`,
//! `%{json}`, `%{header_json}`, `%{stdout}`/`%{stderr}` switches and the
//! `\n`, `\r`, `\t`, `\\` escapes, with curl's output formats.
//!
//! Entry point: [`render`]. Pure: variables come from a [`Vars`] value,
//! output is returned as (stream, bytes) segments, so the formatter is
//! tested and fuzzed without a transfer.

use std::time::Duration;

use crate::http1::response::ResponseHead;

/// Which stream a segment goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

/// One variable's value.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    /// A string that is JSON `null` when absent.
    OptStr(Option<String>),
    Int(i64),
    /// A status code: three digits in plain output (`000` for none).
    Code(i64),
    Time(Duration),
}

/// Everything `-w` can print about one transfer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vars {
    pub(crate) info: crate::transfer::Info,
    pub(crate) url: String,
    pub(crate) size_download: u64,
    pub(crate) time_total: Duration,
    pub(crate) exitcode: u8,
    pub(crate) errormsg: Option<String>,
    pub(crate) filename_effective: Option<String>,
    pub(crate) urlnum: usize,
    /// `-e`: the Referer the request sent (`%{referer}`).
    pub(crate) referer: Option<String>,
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn speed(bytes: u64, t: Duration) -> i64 {
    if t.is_zero() { 0 } else { (bytes as f64 / secs(t)) as i64 }
}

/// Variable names in `%{json}` order (alphabetical, as curl prints them).
const NAMES: &[&str] = &[
    "certs",
    "content_type",
    "errormsg",
    "exitcode",
    "filename_effective",
    "ftp_entry_path",
    "http_code",
    "http_connect",
    "http_version",
    "local_ip",
    "local_port",
    "method",
    "num_certs",
    "num_connects",
    "num_headers",
    "num_redirects",
    "proxy_ssl_verify_result",
    "redirect_url",
    "referer",
    "remote_ip",
    "remote_port",
    "response_code",
    "scheme",
    "size_download",
    "size_header",
    "size_request",
    "size_upload",
    "speed_download",
    "speed_upload",
    "ssl_verify_result",
    "time_appconnect",
    "time_connect",
    "time_namelookup",
    "time_pretransfer",
    "time_redirect",
    "time_starttransfer",
    "time_total",
    "url",
    "url_effective",
    "urlnum",
];

impl Vars {
    fn get(&self, name: &str) -> Option<Value> {
        let i = &self.info;
        let port = |a: Option<std::net::SocketAddr>, default: i64| a.map_or(default, |a| i64::from(a.port()));
        let ip = |a: Option<std::net::SocketAddr>| a.map(|a| a.ip().to_string()).unwrap_or_default();
        Some(match name {
            "certs" => Value::Str(super::certinfo::certs_text(&i.certs)),
            "content_type" => Value::OptStr(i.content_type.clone()),
            "errormsg" => Value::OptStr(self.errormsg.clone()),
            "exitcode" => Value::Int(i64::from(self.exitcode)),
            "filename_effective" => Value::OptStr(self.filename_effective.clone()),
            // No FTP here: always curl's value for a transfer that is not.
            "ftp_entry_path" => Value::OptStr(None),
            "http_code" | "response_code" => Value::Code(i64::from(i.http_code)),
            "http_connect" => Value::Code(i64::from(i.http_connect)),
            "http_version" => Value::Str(if i.http_version.is_empty() { "0".into() } else { i.http_version.clone() }),
            "local_ip" => Value::Str(ip(i.local)),
            "local_port" if i.unix_socket.is_some() => Value::Int(0),
            "local_port" => Value::Int(port(i.local, -1)),
            "method" => Value::Str(i.method.clone()),
            "num_certs" => Value::Int(i.certs.len() as i64),
            "num_connects" => Value::Int(i64::from(i.num_connects)),
            "num_headers" => Value::Int(i.head.as_ref().map_or(0, |h| h.headers.len() as i64)),
            "num_redirects" => Value::Int(i64::from(i.num_redirects)),
            // No HTTPS proxies here: curl's value for a transfer without one.
            "proxy_ssl_verify_result" => Value::Int(i.proxy_ssl_verify_result),
            "redirect_url" => Value::OptStr(i.redirect_url.clone()),
            "referer" => Value::OptStr(self.referer.clone()),
            "remote_ip" => Value::Str(i.unix_socket.as_ref().map_or_else(|| ip(i.remote), |(s, _)| s.clone())),
            "remote_port" => {
                Value::Int(i.unix_socket.as_ref().map_or_else(|| port(i.remote, 0), |(_, p)| i64::from(*p)))
            }
            "scheme" => Value::Str(i.scheme.clone()),
            "size_download" => Value::Int(self.size_download as i64),
            "size_header" => Value::Int(i.size_header as i64),
            "size_request" => Value::Int(i.size_request as i64),
            "size_upload" => Value::Int(i.size_upload as i64),
            "speed_download" => Value::Int(speed(self.size_download, self.time_total)),
            "speed_upload" => Value::Int(speed(i.size_upload, self.time_total)),
            "ssl_verify_result" => Value::Int(i.ssl_verify_result),
            "time_appconnect" => Value::Time(i.time_appconnect),
            "time_connect" => Value::Time(i.time_connect),
            "time_namelookup" => Value::Time(i.time_namelookup),
            "time_pretransfer" => Value::Time(i.time_pretransfer),
            "time_redirect" => Value::Time(i.time_redirect),
            "time_starttransfer" => Value::Time(i.time_starttransfer),
            "time_total" => Value::Time(self.time_total),
            "url" => Value::Str(self.url.clone()),
            "url_effective" => Value::Str(i.url_effective.clone()),
            "urlnum" => Value::Int(self.urlnum as i64),
            _ => return None,
        })
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::Str(s) | Value::OptStr(Some(s)) => s.clone(),
        Value::OptStr(None) => String::new(),
        Value::Int(n) => n.to_string(),
        Value::Code(n) => format!("{n:03}"),
        Value::Time(d) => format!("{:.6}", secs(*d)),
    }
}

/// A JSON string literal (RFC 8259 escapes).
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json(v: &Value) -> String {
    match v {
        Value::Str(s) | Value::OptStr(Some(s)) => json_str(s),
        Value::OptStr(None) => "null".into(),
        Value::Int(n) | Value::Code(n) => n.to_string(),
        Value::Time(d) => format!("{:.6}", secs(*d)),
    }
}

/// `%{json}`: every variable as one JSON object.
fn all_json(vars: &Vars) -> String {
    let mut fields: Vec<String> =
        NAMES.iter().filter_map(|n| vars.get(n).map(|v| format!("{}:{}", json_str(n), json(&v)))).collect();
    // Last, and only here: not a `-w` variable of its own.
    fields.push(format!("\"curl_version\":{}", json_str(&curl_version())));
    format!("{{{}}}", fields.join(","))
}

/// The `curl_version` of `%{json}`: what curl gives as libcurl's
/// version line, for rsurl.
fn curl_version() -> String {
    format!("rsurl/{} purecrypto compcol", env!("CARGO_PKG_VERSION"))
}

/// `%{header_json}`: lower-cased names in first-seen order, each with all
/// its values, in curl's one-name-per-line layout.
fn header_json(head: Option<&ResponseHead>) -> String {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in head.map(|h| h.headers.as_slice()).unwrap_or(&[]) {
        let lower = name.to_ascii_lowercase();
        let value = String::from_utf8_lossy(value).into_owned();
        match groups.iter_mut().find(|(n, _)| *n == lower) {
            Some((_, vals)) => vals.push(value),
            None => groups.push((lower, vec![value])),
        }
    }
    let lines: Vec<String> = groups
        .iter()
        .map(|(n, vals)| {
            format!("{}:[{}]", json_str(n), vals.iter().map(|v| json_str(v)).collect::<Vec<_>>().join(","))
        })
        .collect();
    format!("{{{}\n}}", lines.join(",\n"))
}

/// Renders `fmt`; unknown variables produce a warning through `warn` and
/// no output, as curl does.
pub(crate) fn render(fmt: &str, vars: &Vars, warn: &mut dyn FnMut(String)) -> Vec<(Stream, Vec<u8>)> {
    let mut segments = vec![(Stream::Stdout, Vec::new())];
    let mut rest = fmt;
    while let Some(c) = rest.chars().next() {
        let mut emit = String::new();
        if let Some(r) = rest.strip_prefix("%%") {
            emit.push('%');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("%{") {
            let Some(end) = r.find('}') else {
                emit.push_str("%{");
                rest = r;
                push(&mut segments, &emit);
                continue;
            };
            let name = r.get(..end).unwrap_or("");
            rest = r.get(end + 1..).unwrap_or("");
            match name {
                "stdout" => segments.push((Stream::Stdout, Vec::new())),
                "stderr" => segments.push((Stream::Stderr, Vec::new())),
                "json" => emit.push_str(&all_json(vars)),
                "header_json" => emit.push_str(&header_json(vars.info.head.as_ref())),
                _ => match vars.get(name) {
                    Some(v) => emit.push_str(&plain(&v)),
                    None => warn(format!("unknown --write-out variable: '{name}'")),
                },
            }
        } else if let Some(r) = rest.strip_prefix("%header{") {
            let end = r.find('}').unwrap_or(r.len());
            let name = r.get(..end).unwrap_or("");
            rest = r.get(end + 1..).unwrap_or("");
            if let Some(v) = vars.info.head.as_ref().and_then(|h| h.get(name)) {
                emit.push_str(&String::from_utf8_lossy(v));
            }
        } else if let Some(r) = rest.strip_prefix('\\') {
            let (out, n) = match r.chars().next() {
                Some('n') => ("\n", 1),
                Some('r') => ("\r", 1),
                Some('t') => ("\t", 1),
                Some('\\') => ("\\", 1),
                _ => ("\\", 0),
            };
            emit.push_str(out);
            rest = r.get(n..).unwrap_or("");
        } else {
            emit.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or("");
        }
        push(&mut segments, &emit);
    }
    segments.retain(|(_, b)| !b.is_empty());
    segments
}

fn push(segments: &mut [(Stream, Vec<u8>)], text: &str) {
    if let Some((_, buf)) = segments.last_mut() {
        buf.extend_from_slice(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let mut v = Vars::default();
        v.info.http_code = 200;
        v.info.url_effective = "http://h/".into();
        v.info.num_redirects = 2;
        v.size_download = 3;
        v.time_total = Duration::from_micros(1_500_123);
        let raw = b"HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a: 2\r\nContent-Type: text/plain\r\n\r\n".to_vec();
        let mut p = crate::http1::response::ResponseParser::new(crate::http1::Limits::default(), true);
        if let (_, crate::http1::response::Event::Head(h)) = p.input(&raw).unwrap() {
            v.info.head = Some(*h);
        }
        v
    }

    fn text(fmt: &str) -> (String, Vec<String>) {
        let mut warnings = Vec::new();
        let segs = render(fmt, &vars(), &mut |w| warnings.push(w));
        let all: Vec<u8> = segs.into_iter().flat_map(|(_, b)| b).collect();
        (String::from_utf8(all).unwrap(), warnings)
    }

    #[test]
    fn variables_and_escapes() {
        assert_eq!(text("%{http_code} %{size_download} %{num_redirects}\\n").0, "200 3 2\n");
        assert_eq!(text("%{time_total}|%%|%{url_effective}\\t\\\\").0, "1.500123|%|http://h/\t\\");
        assert_eq!(text("%{content_type}|%{redirect_url}|x").0, "||x");
        assert_eq!(text("%header{x-a}|%header{nope}").0, "1|");
        let (out, warnings) = text("a%{bogus}b%{unterminated");
        assert_eq!(out, "ab%{unterminated");
        assert_eq!(warnings, vec!["unknown --write-out variable: 'bogus'".to_owned()]);
    }

    #[test]
    fn codes_are_three_digits_and_absent_values_empty() {
        assert_eq!(text("%{http_connect}|%{num_certs}|%{certs}|%{referer}|%{ftp_entry_path}|").0, "000|0||||");
        let mut v = vars();
        v.info.http_code = 0;
        v.info.http_connect = 200;
        v.referer = Some("http://r/".into());
        let segs = render("%{http_code}|%{http_connect}|%{referer}", &v, &mut |_| {});
        assert_eq!(segs.into_iter().flat_map(|(_, b)| b).collect::<Vec<u8>>(), b"000|200|http://r/");
    }

    #[test]
    fn json_has_every_variable_and_curl_version_last() {
        let json = text("%{json}").0;
        assert!(json.starts_with("{\"certs\":\"\",\"content_type\":"), "{json}");
        assert!(json.contains(",\"http_connect\":0,") && json.contains(",\"referer\":null,"), "{json}");
        assert!(json.ends_with(&format!(",\"curl_version\":{}}}", json_str(&curl_version()))), "{json}");
        // Not a variable of its own, as in curl.
        assert_eq!(text("%{curl_version}").1, vec!["unknown --write-out variable: 'curl_version'".to_owned()]);
    }

    #[test]
    fn header_json_layout_matches_curl() {
        assert_eq!(text("%{header_json}").0, "{\"x-a\":[\"1\",\"2\"],\n\"content-type\":[\"text/plain\"]\n}");
    }

    #[test]
    fn json_and_stream_switches() {
        let (out, _) = text("%{json}");
        assert!(out.starts_with("{\"certs\":\"\",\"content_type\":null,\"errormsg\":null,\"exitcode\":0,"), "{out}");
        assert!(out.contains("\"http_code\":200,") && out.contains("\"urlnum\":0,\"curl_version\":"));
        let segs = render("a%{stderr}b%{stdout}c", &vars(), &mut |_| {});
        assert_eq!(
            segs,
            vec![(Stream::Stdout, b"a".to_vec()), (Stream::Stderr, b"b".to_vec()), (Stream::Stdout, b"c".to_vec())]
        );
    }
}
