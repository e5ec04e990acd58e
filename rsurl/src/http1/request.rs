//! HTTP/1.1 request heads: building and serialising them safely.
//!
//! Entry point: [`RequestHead::encode`]. Every field is checked for CR, LF
//! and NUL before a byte is written, so no caller-supplied text (a `-X`
//! method, a `-H` header, a URL) can split a request.

use crate::error::HttpError;

/// One header field as the caller gave it (name case kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Field name.
    pub name: String,
    /// Field value (opaque bytes; not trimmed).
    pub value: Vec<u8>,
}

impl Header {
    /// A header from text.
    #[must_use]
    pub fn new(name: &str, value: &str) -> Self {
        Self { name: name.to_owned(), value: value.as_bytes().to_vec() }
    }
}

/// The head of a request: request line and header fields, in send order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    /// Method token (`GET`, or anything `-X` gave).
    pub method: String,
    /// Request target (origin form, `/path?query`).
    pub target: String,
    /// Header fields in order.
    pub headers: Vec<Header>,
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn clean(field: &'static str, bytes: &[u8]) -> Result<(), HttpError> {
    if bytes.iter().any(|&b| matches!(b, b'\r' | b'\n' | 0)) { Err(HttpError::Injection(field)) } else { Ok(()) }
}

impl RequestHead {
    /// A head with no header fields.
    #[must_use]
    pub fn new(method: &str, target: &str) -> Self {
        Self { method: method.to_owned(), target: target.to_owned(), headers: Vec::new() }
    }

    /// Whether a header with this name (any case) is present.
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h.name.eq_ignore_ascii_case(name))
    }

    /// Removes every header with this name (any case).
    pub fn remove(&mut self, name: &str) {
        self.headers.retain(|h| !h.name.eq_ignore_ascii_case(name));
    }

    /// Checks every field, then appends the serialised head (request
    /// line, fields, empty line) to `out`.
    ///
    /// # Errors
    /// [`HttpError::Injection`] naming the field that holds CR, LF or NUL,
    /// or a method or header name that is not a token.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), HttpError> {
        clean("method", self.method.as_bytes())?;
        if self.method.is_empty() || self.method.contains(' ') {
            return Err(HttpError::Injection("method"));
        }
        clean("request target", self.target.as_bytes())?;
        if self.target.contains(' ') {
            return Err(HttpError::Injection("request target"));
        }
        for h in &self.headers {
            clean("header", h.name.as_bytes())?;
            clean("header", &h.value)?;
            if h.name.is_empty() || !h.name.bytes().all(is_tchar) {
                return Err(HttpError::Injection("header"));
            }
        }
        out.extend_from_slice(self.method.as_bytes());
        out.push(b' ');
        out.extend_from_slice(self.target.as_bytes());
        out.extend_from_slice(b" HTTP/1.1\r\n");
        for h in &self.headers {
            out.extend_from_slice(h.name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(&h.value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_in_order() {
        let mut h = RequestHead::new("GET", "/a?b");
        h.headers.push(Header::new("Host", "x"));
        h.headers.push(Header::new("X-Empty", ""));
        let mut out = Vec::new();
        h.encode(&mut out).unwrap();
        assert_eq!(out, b"GET /a?b HTTP/1.1\r\nHost: x\r\nX-Empty: \r\n\r\n");
    }

    #[test]
    fn refuses_request_splitting() {
        let mut out = Vec::new();
        let bad_method = RequestHead::new("GET /x HTTP/1.1\r\nX: y", "/");
        assert_eq!(bad_method.encode(&mut out), Err(HttpError::Injection("method")));
        let mut h = RequestHead::new("GET", "/");
        h.headers.push(Header::new("X", "a\r\nInjected: 1"));
        assert_eq!(h.encode(&mut out), Err(HttpError::Injection("header")));
        let mut h = RequestHead::new("GET", "/");
        h.headers.push(Header::new("Bad Name", "v"));
        assert_eq!(h.encode(&mut out), Err(HttpError::Injection("header")));
        assert_eq!(RequestHead::new("GET", "/a\nb").encode(&mut out), Err(HttpError::Injection("request target")));
        assert!(out.is_empty(), "nothing written on refusal");
    }
}
