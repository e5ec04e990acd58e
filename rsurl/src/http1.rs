//! HTTP/1.1 as a sans-I/O core: request heads out, response events in.
//!
//! Entry points: [`request::RequestHead::encode`] and
//! [`response::ResponseParser::input`]. No sockets, no clock: the
//! transfer engine's HTTP handler moves the bytes. Every length the peer
//! controls is checked against [`Limits`].

pub mod chunked;
pub mod request;
pub mod response;

/// Caps on what a peer may make us hold in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest status, header, chunk-size or trailer line, in bytes.
    pub max_line: usize,
    /// Most header fields in one head (and trailer fields).
    pub max_headers: usize,
    /// Most bytes in all heads of one response (interim ones included).
    pub max_header_bytes: usize,
    /// Most 1xx interim responses before the final one.
    pub max_interim: usize,
}

impl Default for Limits {
    /// curl's per-line limit (100 KiB) and total head limit (300 KiB).
    fn default() -> Self {
        Self { max_line: 100 * 1024, max_headers: 1000, max_header_bytes: 300 * 1024, max_interim: 1024 }
    }
}
