//! curl's process exit codes, so scripts written for curl work unchanged.
//!
//! Entry point: [`ExitCode`], an open newtype: codes rsurl does not name
//! still round-trip and print as numbers.

use core::fmt;

/// A curl-compatible exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExitCode(u8);

macro_rules! exit_codes {
    ($($(#[$doc:meta])* $name:ident = $value:literal,)*) => {
        impl ExitCode {
            $($(#[$doc])* pub const $name: Self = Self($value);)*

            /// The constant's name for a known code.
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

exit_codes! {
    /// Success.
    OK = 0,
    /// The URL's scheme is not supported.
    UNSUPPORTED_PROTOCOL = 1,
    /// Early initialisation failed.
    FAILED_INIT = 2,
    /// The URL was malformed.
    URL_MALFORMAT = 3,
    /// A requested feature or protocol version is not built in.
    NOT_BUILT_IN = 4,
    /// The proxy's host name did not resolve.
    COULDNT_RESOLVE_PROXY = 5,
    /// The host name did not resolve.
    COULDNT_RESOLVE_HOST = 6,
    /// The TCP connection failed.
    COULDNT_CONNECT = 7,
    /// The server's reply was not understood.
    WEIRD_SERVER_REPLY = 8,
    /// An HTTP/2 framing-layer (connection) error.
    HTTP2 = 16,
    /// The transfer ended before all announced data arrived.
    PARTIAL_FILE = 18,
    /// An HTTP status of 400 or more with `--fail`.
    HTTP_RETURNED_ERROR = 22,
    /// Writing received data locally failed.
    WRITE_ERROR = 23,
    /// Reading local data to upload failed.
    READ_ERROR = 26,
    /// Out of memory.
    OUT_OF_MEMORY = 27,
    /// A timeout expired.
    OPERATION_TIMEDOUT = 28,
    /// A range request was not honoured.
    RANGE_ERROR = 33,
    /// The TLS handshake failed.
    SSL_CONNECT_ERROR = 35,
    /// A resumed download could not continue where it left off.
    BAD_DOWNLOAD_RESUME = 36,
    /// A `file://` path could not be read.
    FILE_COULDNT_READ_FILE = 37,
    /// An argument was refused (for example a header holding CR or LF).
    BAD_FUNCTION_ARGUMENT = 43,
    /// `--interface` or `--local-port` could not be bound.
    INTERFACE_FAILED = 45,
    /// `--max-redirs` was exceeded.
    TOO_MANY_REDIRECTS = 47,
    /// An unknown option was given.
    UNKNOWN_OPTION = 48,
    /// The server sent nothing at all.
    GOT_NOTHING = 52,
    /// Sending network data failed.
    SEND_ERROR = 55,
    /// Receiving network data failed.
    RECV_ERROR = 56,
    /// The client certificate or its key could not be used.
    SSL_CERTPROBLEM = 58,
    /// The cipher or curve list selected nothing.
    SSL_CIPHER = 59,
    /// The peer's certificate or fingerprint was not accepted.
    PEER_FAILED_VERIFICATION = 60,
    /// Unrecognised content encoding.
    BAD_CONTENT_ENCODING = 61,
    /// `--max-filesize` was exceeded.
    FILESIZE_EXCEEDED = 63,
    /// A streamed upload had to be sent again (retry or redirect).
    SEND_FAIL_REWIND = 65,
    /// The CA certificate file could not be used.
    SSL_CACERT_BADFILE = 77,
    /// The pinned public key did not match.
    SSL_PINNEDPUBKEYNOTMATCH = 90,
    /// `--cert-status`: the stapled OCSP response was missing, refused or
    /// not "good".
    SSL_INVALIDCERTSTATUS = 91,
    /// An HTTP/2 stream was reset or refused, or its response was malformed.
    HTTP2_STREAM = 92,
    /// A proxy handshake (SOCKS) failed.
    PROXY = 97,
}

impl ExitCode {
    /// Wraps any code, named or not.
    #[must_use]
    pub const fn new(code: u8) -> Self {
        Self(code)
    }

    /// The number the process exits with.
    #[must_use]
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for ExitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} ({name})", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

impl core::error::Error for ExitCode {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_curls_numbers() {
        // The numbers curl documents for the codes scripts test most.
        let expected = [
            (ExitCode::COULDNT_RESOLVE_HOST, 6),
            (ExitCode::COULDNT_CONNECT, 7),
            (ExitCode::HTTP_RETURNED_ERROR, 22),
            (ExitCode::OPERATION_TIMEDOUT, 28),
            (ExitCode::SSL_CONNECT_ERROR, 35),
            (ExitCode::TOO_MANY_REDIRECTS, 47),
            (ExitCode::GOT_NOTHING, 52),
            (ExitCode::RECV_ERROR, 56),
            (ExitCode::PEER_FAILED_VERIFICATION, 60),
        ];
        for (code, number) in expected {
            assert_eq!(code.get(), number);
        }
    }

    #[test]
    fn unknown_codes_round_trip_and_print_as_numbers() {
        let code = ExitCode::new(200);
        assert_eq!(code.name(), None);
        assert_eq!(code.to_string(), "200");
        assert_eq!(ExitCode::COULDNT_CONNECT.to_string(), "7 (COULDNT_CONNECT)");
    }
}
