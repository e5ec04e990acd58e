//! HTTP/2 (RFC 9113) as a sans-I/O client core, with HPACK (RFC 7541).
//!
//! Entry points: [`conn::ClientConn`] (preface, SETTINGS, streams, flow
//! control, PING, GOAWAY, RST_STREAM: bytes in, events and bytes out),
//! [`frame::parse`] (one frame off a buffer) and [`hpack::Decoder`] /
//! [`hpack::Encoder`]. No sockets, no clock: the transfer engine's h2
//! driver (`transfer::h2`) moves the bytes. Every peer mistake is an
//! [`H2Error`] carrying the RFC 9113 error code to send in GOAWAY.

pub mod conn;
pub mod frame;
pub mod hpack;
mod huffman;

/// An HTTP/2 error code (RFC 9113 §7); unknown codes round-trip and
/// print as hex.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode(pub u32);

macro_rules! error_codes {
    ($($name:ident = $value:expr),* $(,)?) => {
        impl ErrorCode {
            $(
                #[doc = concat!("`", stringify!($name), "`.")]
                pub const $name: Self = Self($value);
            )*

            /// The RFC's name, if the code is known.
            #[must_use]
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    NO_ERROR = 0x0,
    PROTOCOL_ERROR = 0x1,
    INTERNAL_ERROR = 0x2,
    FLOW_CONTROL_ERROR = 0x3,
    SETTINGS_TIMEOUT = 0x4,
    STREAM_CLOSED = 0x5,
    FRAME_SIZE_ERROR = 0x6,
    REFUSED_STREAM = 0x7,
    CANCEL = 0x8,
    COMPRESSION_ERROR = 0x9,
    CONNECT_ERROR = 0xa,
    ENHANCE_YOUR_CALM = 0xb,
    INADEQUATE_SECURITY = 0xc,
    HTTP_1_1_REQUIRED = 0xd,
}

impl std::fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "0x{:x}", self.0),
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// What went wrong on an HTTP/2 connection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum H2Error {
    /// The peer broke the protocol; we end the connection with `code`.
    #[error("HTTP/2 {code}: {what}")]
    Protocol {
        /// The error code sent in GOAWAY.
        code: ErrorCode,
        /// What was wrong.
        what: &'static str,
    },
    /// A header block did not decode (COMPRESSION_ERROR).
    #[error("HTTP/2 COMPRESSION_ERROR: {0}")]
    Hpack(#[from] hpack::HpackError),
    /// The peer reset our stream.
    #[error("HTTP/2 stream {stream} was not closed cleanly: {code} (err {})", code.0)]
    StreamReset {
        /// The stream.
        stream: u32,
        /// The peer's code.
        code: ErrorCode,
    },
    /// The peer sent GOAWAY before answering our stream.
    #[error("HTTP/2 stream {stream} was refused: GOAWAY {code} (err {})", code.0)]
    GoAway {
        /// The stream that will not be answered.
        stream: u32,
        /// The peer's code.
        code: ErrorCode,
    },
    /// The response is not a valid HTTP/2 message (RFC 9113 §8).
    #[error("HTTP/2 malformed response: {0}")]
    Malformed(&'static str),
}

impl H2Error {
    /// A connection error with `code`.
    pub(crate) fn proto(code: ErrorCode, what: &'static str) -> Self {
        Self::Protocol { code, what }
    }

    /// The code to put in our GOAWAY, for errors that end the connection.
    #[must_use]
    pub fn goaway_code(&self) -> Option<ErrorCode> {
        match self {
            Self::Protocol { code, .. } => Some(*code),
            Self::Hpack(_) => Some(ErrorCode::COMPRESSION_ERROR),
            Self::StreamReset { .. } | Self::GoAway { .. } | Self::Malformed(_) => None,
        }
    }
}
