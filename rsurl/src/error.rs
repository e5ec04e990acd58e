//! The crate's one error type and its mapping to curl exit codes.
//!
//! Entry points: [`Error`] and [`Error::exit_code`]. Category sub-enums
//! keep the sans-I/O cores free of I/O: [`UrlError`] (a URL could not be
//! parsed) and [`HttpError`] (the peer sent something HTTP/1.1 forbids or
//! our limits refuse). The mapping to curl's numbers lives in one place,
//! [`Error::exit_code`], and the messages follow curl's wording where
//! scripts are known to match on them.

use crate::exit::ExitCode;

/// What was wrong with a URL (always curl exit code 3, or 1 for an
/// unknown scheme).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// The URL is empty or has no host where one is needed.
    #[error("no host in URL")]
    NoHost,
    /// A byte that may not appear in a URL (control, space, CR/LF).
    #[error("forbidden byte 0x{byte:02x} at offset {offset}")]
    ForbiddenByte {
        /// The byte.
        byte: u8,
        /// Where it was.
        offset: usize,
    },
    /// The port is not a number in 0..=65535.
    #[error("bad port number")]
    BadPort,
    /// The host is not a valid name, IPv4 or bracketed IPv6 literal.
    #[error("bad host name")]
    BadHost,
    /// A `%` not followed by two hex digits.
    #[error("bad percent-encoding at offset {0}")]
    BadPercent(usize),
    /// The scheme has characters RFC 3986 does not allow.
    #[error("bad scheme")]
    BadScheme,
    /// The URL is longer than [`crate::url::MAX_URL_LEN`].
    #[error("URL too long")]
    TooLong,
}

/// What was wrong with an HTTP/1.1 exchange, found by the sans-I/O core.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The reply does not start with `HTTP/`.
    #[error("Received HTTP/0.9 when not allowed")]
    NotHttp,
    /// The status line names a version other than HTTP/1.x.
    #[error("Unsupported HTTP version in response")]
    BadVersion,
    /// The status code is not three digits.
    #[error("Unsupported response code in HTTP response")]
    BadStatus,
    /// A header line has no colon or an invalid name.
    #[error("Header without colon")]
    BadHeader,
    /// Content-Length is not a non-negative decimal that fits in 63 bits.
    #[error("Invalid Content-Length: value")]
    BadContentLength,
    /// Several Content-Length values that disagree (RFC 9112 §6.3).
    #[error("Conflicting Content-Length values")]
    ConflictingContentLength,
    /// A header or status line longer than the limit.
    #[error("Header line too long (limit {0} bytes)")]
    LineTooLong(usize),
    /// More header fields than the limit.
    #[error("Too many header fields (limit {0})")]
    TooManyHeaders(usize),
    /// The header section (all interim and final heads) is larger than the limit.
    #[error("Header section too large (limit {0} bytes)")]
    HeadersTooLarge(usize),
    /// More 1xx interim responses than the limit.
    #[error("Too many 1xx responses (limit {0})")]
    TooManyInterim(usize),
    /// A chunk-size line that is not hexadecimal.
    #[error("Illegal or missing hexadecimal sequence in chunked-encoding")]
    BadChunkSize,
    /// A chunk size that does not fit in 64 bits.
    #[error("Too long hexadecimal number in chunked-encoding")]
    ChunkSizeTooLong,
    /// Chunk data not followed by CRLF, or a malformed trailer.
    #[error("Malformed encoding found in chunked-encoding")]
    BadChunkFraming,
    /// The connection closed with `remaining` announced bytes unread.
    #[error("transfer closed with {0} bytes remaining to read")]
    Truncated(u64),
    /// The connection closed inside an HTTP/2 response body (curl's
    /// exit 18).
    #[error("HTTP/2 stream {0} was not closed cleanly before end of the underlying stream")]
    H2StreamNotClosed(u32),
    /// The connection closed inside a chunked body.
    #[error("transfer closed with outstanding read data remaining")]
    TruncatedChunked,
    /// The connection closed before a complete response head.
    #[error("Empty reply from server")]
    EmptyReply,
    /// A request field holds CR, LF or NUL (request splitting attempt).
    #[error("{0} contains CR, LF or NUL: refused")]
    Injection(&'static str),
}

/// Every way a transfer can fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL could not be parsed.
    #[error("URL using bad/illegal format or missing URL")]
    Url(#[from] UrlError),
    /// The scheme has no handler in this build.
    #[error("Protocol \"{0}\" not supported or disabled in libcurl")]
    UnsupportedProtocol(String),
    /// The HTTP core refused the exchange.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Name resolution failed.
    #[error("Could not resolve host: {0}")]
    Resolve(String),
    /// The proxy's name did not resolve (or the `-x` value is unusable).
    #[error("Could not resolve proxy: {0}")]
    ResolveProxy(String),
    /// The proxy refused the CONNECT tunnel.
    #[error("CONNECT tunnel failed, response {0}")]
    ProxyConnect(u16),
    /// The SOCKS handshake failed (curl's exit 97); `code` says how, as
    /// libcurl's `CURLINFO_PROXY_ERROR` does.
    #[error("{message}")]
    Socks {
        /// Why, in libcurl's terms.
        code: ProxyCode,
        /// curl's message.
        message: String,
    },
    /// Every address refused or failed the TCP connection.
    #[error("Failed to connect to {host} port {port} after {ms} ms: Couldn't connect to server")]
    Connect {
        /// Host as named in the URL.
        host: String,
        /// Port tried.
        port: u16,
        /// Time spent, milliseconds.
        ms: u128,
    },
    /// Every address failed and the last one because the kernel gave up
    /// (`ETIMEDOUT`): curl (since 7.67) reports this as a timeout, exit 28.
    #[error("Failed to connect to {host} port {port} after {ms} ms: Timeout was reached")]
    ConnectTimedOut {
        /// Host as named in the URL.
        host: String,
        /// Port tried.
        port: u16,
        /// Time spent, milliseconds.
        ms: u128,
    },
    /// `--interface` / `--local-port` could not be bound (curl's words).
    #[error("{0}")]
    Interface(String),
    /// The connect phase exceeded `--connect-timeout`.
    #[error("Connection timed out after {ms} milliseconds")]
    ConnectTimeout {
        /// Time spent, milliseconds.
        ms: u128,
    },
    /// The whole operation exceeded `-m`.
    #[error("Operation timed out after {ms} milliseconds with {bytes} bytes received")]
    Timeout {
        /// Time spent, milliseconds.
        ms: u128,
        /// Body bytes received so far.
        bytes: u64,
    },
    /// Sending failed.
    #[error("Failed sending data to the peer")]
    Send(#[source] std::io::Error),
    /// Receiving failed.
    #[error("Recv failure: {0}")]
    Recv(#[source] std::io::Error),
    /// Writing received data locally failed.
    #[error("Failed writing received data to disk/application")]
    Write(#[source] std::io::Error),
    /// Reading data to upload failed.
    #[error("Failed to open/read local data from file/application")]
    Read(#[source] std::io::Error),
    /// A streamed upload would have to be sent a second time.
    #[error("necessary data rewind wasn't possible")]
    Rewind,
    /// A `file://` URL could not be opened.
    #[error("Couldn't open file {0}")]
    FileRead(String),
    /// `-f`: the server answered 400 or more.
    #[error("The requested URL returned error: {0}")]
    HttpStatus(u16),
    /// `--max-redirs` was reached.
    #[error("Maximum ({0}) redirects followed")]
    TooManyRedirects(u32),
    /// `--max-filesize` was exceeded: (limit, size seen).
    #[error("Maximum file size exceeded")]
    FileSize(u64, u64),
    /// `-C -`: the server ignored the range request.
    #[error("HTTP server doesn't seem to support byte ranges. Cannot resume.")]
    Range,
    /// A content coding failed to decode.
    #[error("Error while processing content unencoding: {0}")]
    Decoding(String),
    /// A caller-supplied value was refused.
    #[error("{0}")]
    BadArgument(String),
    /// The TLS handshake failed (curl's `SSL connect error`).
    #[error("{0}")]
    Tls(String),
    /// The server's (or the HTTPS proxy's) certificate chain or name was
    /// not accepted.
    #[error("{message}")]
    PeerVerification {
        /// curl's words for the failure.
        message: String,
        /// `%{ssl_verify_result}` (or `%{proxy_ssl_verify_result}`):
        /// OpenSSL's verify code as curl reports it (20: unknown issuer,
        /// 10: expired, ...; 1 for a name that does not match).
        verify_result: i64,
        /// Whether it was the proxy's certificate.
        proxy: bool,
    },
    /// `--pinnedpubkey` did not match the server's key.
    #[error("{0}")]
    PinnedKeyMismatch(String),
    /// `--cert-status`: no stapled OCSP response, or one that was refused
    /// or did not say "good".
    #[error("{0}")]
    CertStatus(String),
    /// `--cacert` could not be read.
    #[error("{0}")]
    CaCertBadFile(String),
    /// A TLS version (or feature) this build does not have.
    #[error("{0}")]
    TlsNotBuiltIn(String),
    /// The client certificate or its key could not be used (`-E`,
    /// `--key`, `--pass`).
    #[error("{0}")]
    ClientCert(String),
    /// `--ciphers`, `--tls13-ciphers` or `--curves` selected nothing.
    #[error("{0}")]
    Cipher(String),
    /// HTTP/2 failed: a connection error (16) or a stream error (92).
    #[error(transparent)]
    Http2(#[from] crate::h2::H2Error),
}

impl Error {
    /// Why a SOCKS handshake failed, if that is this error
    /// (`CURLINFO_PROXY_ERROR`).
    #[must_use]
    pub fn proxy_code(&self) -> Option<ProxyCode> {
        match self {
            Self::Socks { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The curl exit code for this error: the one place errors meet the
    /// process exit status.
    #[must_use]
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::Url(_) => ExitCode::URL_MALFORMAT,
            Self::UnsupportedProtocol(_) => ExitCode::UNSUPPORTED_PROTOCOL,
            Self::Http(h) => http_exit_code(h),
            Self::Resolve(_) => ExitCode::COULDNT_RESOLVE_HOST,
            Self::ResolveProxy(_) => ExitCode::COULDNT_RESOLVE_PROXY,
            Self::ProxyConnect(_) => ExitCode::RECV_ERROR,
            Self::Socks { .. } => ExitCode::PROXY,
            Self::Connect { .. } => ExitCode::COULDNT_CONNECT,
            Self::Interface(_) => ExitCode::INTERFACE_FAILED,
            Self::ConnectTimeout { .. } | Self::ConnectTimedOut { .. } | Self::Timeout { .. } => {
                ExitCode::OPERATION_TIMEDOUT
            }
            Self::Send(_) => ExitCode::SEND_ERROR,
            Self::Recv(_) => ExitCode::RECV_ERROR,
            Self::Write(_) => ExitCode::WRITE_ERROR,
            Self::Read(_) => ExitCode::READ_ERROR,
            Self::Rewind => ExitCode::SEND_FAIL_REWIND,
            Self::FileRead(_) => ExitCode::FILE_COULDNT_READ_FILE,
            Self::HttpStatus(_) => ExitCode::HTTP_RETURNED_ERROR,
            Self::TooManyRedirects(_) => ExitCode::TOO_MANY_REDIRECTS,
            Self::FileSize(..) => ExitCode::FILESIZE_EXCEEDED,
            Self::Range => ExitCode::RANGE_ERROR,
            Self::Decoding(_) => ExitCode::BAD_CONTENT_ENCODING,
            Self::BadArgument(_) => ExitCode::BAD_FUNCTION_ARGUMENT,
            Self::Tls(_) => ExitCode::SSL_CONNECT_ERROR,
            Self::PeerVerification { .. } => ExitCode::PEER_FAILED_VERIFICATION,
            Self::PinnedKeyMismatch(_) => ExitCode::SSL_PINNEDPUBKEYNOTMATCH,
            Self::CertStatus(_) => ExitCode::SSL_INVALIDCERTSTATUS,
            Self::CaCertBadFile(_) => ExitCode::SSL_CACERT_BADFILE,
            Self::TlsNotBuiltIn(_) => ExitCode::NOT_BUILT_IN,
            Self::ClientCert(_) => ExitCode::SSL_CERTPROBLEM,
            Self::Cipher(_) => ExitCode::SSL_CIPHER,
            Self::Http2(e) if e.goaway_code().is_some() => ExitCode::HTTP2,
            Self::Http2(_) => ExitCode::HTTP2_STREAM,
        }
    }
}

/// curl 7.88's numbers for each core error (measured against
/// `/usr/bin/curl` with the in-tree server).
fn http_exit_code(e: &HttpError) -> ExitCode {
    match e {
        HttpError::NotHttp | HttpError::BadVersion | HttpError::BadStatus => ExitCode::UNSUPPORTED_PROTOCOL,
        HttpError::BadHeader
        | HttpError::BadContentLength
        | HttpError::ConflictingContentLength
        | HttpError::TooManyInterim(_) => ExitCode::WEIRD_SERVER_REPLY,
        // curl 7.88 reports oversized heads as CURLE_OUT_OF_MEMORY.
        HttpError::LineTooLong(_) | HttpError::TooManyHeaders(_) | HttpError::HeadersTooLarge(_) => {
            ExitCode::OUT_OF_MEMORY
        }
        HttpError::BadChunkSize | HttpError::ChunkSizeTooLong | HttpError::BadChunkFraming => ExitCode::RECV_ERROR,
        HttpError::Truncated(_) | HttpError::TruncatedChunked | HttpError::H2StreamNotClosed(_) => {
            ExitCode::PARTIAL_FILE
        }
        HttpError::EmptyReply => ExitCode::GOT_NOTHING,
        HttpError::Injection(_) => ExitCode::BAD_FUNCTION_ARGUMENT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_codes_match_curl() {
        let e = Error::Connect { host: "127.0.0.1".into(), port: 1, ms: 0 };
        assert_eq!(e.to_string(), "Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server");
        assert_eq!(e.exit_code().get(), 7);
        assert_eq!(Error::from(HttpError::EmptyReply).exit_code().get(), 52);
        assert_eq!(Error::from(HttpError::Truncated(5)).to_string(), "transfer closed with 5 bytes remaining to read");
        assert_eq!(Error::from(UrlError::BadPort).exit_code().get(), 3);
        assert_eq!(Error::HttpStatus(404).to_string(), "The requested URL returned error: 404");
    }
}

/// libcurl's `CURLproxycode`: the detail of a SOCKS failure, numbered as
/// libcurl numbers it (`CURLINFO_PROXY_ERROR`). Only the cases rsurl can
/// meet are named (no GSS-API, no identd checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[repr(u8)]
pub enum ProxyCode {
    /// The reply names an address type SOCKS5 does not have.
    BadAddressType = 1,
    /// The reply is not of the SOCKS version asked for.
    BadVersion = 2,
    /// The proxy closed the connection mid-handshake.
    Closed = 3,
    /// SOCKS4: the proxy could not reach our identd (reply 92).
    Identd = 7,
    /// SOCKS4: identd and the user id differ (reply 93).
    IdentdDiffer = 8,
    /// The host name does not fit the request.
    LongHostname = 9,
    /// The password does not fit RFC 1929's one-byte length.
    LongPasswd = 10,
    /// The user name does not fit.
    LongUser = 11,
    /// No authentication method we offered was acceptable.
    NoAuth = 12,
    /// SOCKS5 reply 8: address type not supported.
    ReplyAddressTypeNotSupported = 17,
    /// SOCKS5 reply 7: command not supported.
    ReplyCommandNotSupported = 18,
    /// SOCKS5 reply 5: connection refused.
    ReplyConnectionRefused = 19,
    /// SOCKS5 reply 1: general server failure.
    ReplyGeneralServerFailure = 20,
    /// SOCKS5 reply 4: host unreachable.
    ReplyHostUnreachable = 21,
    /// SOCKS5 reply 3: network unreachable.
    ReplyNetworkUnreachable = 22,
    /// SOCKS5 reply 2: not allowed by the rule set.
    ReplyNotAllowed = 23,
    /// SOCKS5 reply 6: TTL expired.
    ReplyTtlExpired = 24,
    /// A SOCKS5 reply code RFC 1928 does not assign.
    ReplyUnassigned = 25,
    /// SOCKS4: request rejected or failed (reply 91, or any other).
    RequestFailed = 26,
    /// The target's name did not resolve here (SOCKS4 and SOCKS5 without
    /// proxy-side resolution).
    ResolveHost = 27,
    /// SOCKS4: a reply code SOCKS4 does not define.
    UnknownFail = 31,
    /// The proxy rejected the user name and password.
    UserRejected = 33,
}

impl ProxyCode {
    /// The code for a SOCKS5 reply field other than 0 (RFC 1928 section 6).
    #[must_use]
    pub fn from_socks5_reply(rep: u8) -> Self {
        match rep {
            1 => Self::ReplyGeneralServerFailure,
            2 => Self::ReplyNotAllowed,
            3 => Self::ReplyNetworkUnreachable,
            4 => Self::ReplyHostUnreachable,
            5 => Self::ReplyConnectionRefused,
            6 => Self::ReplyTtlExpired,
            7 => Self::ReplyCommandNotSupported,
            8 => Self::ReplyAddressTypeNotSupported,
            _ => Self::ReplyUnassigned,
        }
    }

    /// libcurl's number.
    #[must_use]
    pub fn number(self) -> u8 {
        self as u8
    }
}
