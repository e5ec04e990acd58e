//! TLS alert codes (RFC 8446 section 6) and the one place where a
//! [`Error`](super::Error) turns into the alert sent to the peer.
//!
//! Entry points: [`AlertDescription`] and [`AlertLevel`].

use core::fmt;

/// An alert's level byte. TLS 1.3 treats every alert but `close_notify`
/// and `user_canceled` as fatal whatever the level says.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AlertLevel {
    /// 1.
    Warning,
    /// 2.
    Fatal,
}

impl AlertLevel {
    /// The wire byte.
    #[must_use]
    pub const fn to_u8(self) -> u8 {
        match self {
            Self::Warning => 1,
            Self::Fatal => 2,
        }
    }
}

/// An alert description: an open code point (unknown values round-trip).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AlertDescription(pub u8);

macro_rules! alert_codes {
    ($($name:ident = $value:expr, $text:expr;)*) => {
        impl AlertDescription {
            $(
                #[doc = concat!("`", $text, "` (", stringify!($value), ").")]
                pub const $name: Self = Self($value);
            )*

            /// The RFC's name for a known code.
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some($text),)*
                    _ => None,
                }
            }
        }
    };
}

alert_codes! {
    CLOSE_NOTIFY = 0, "close_notify";
    UNEXPECTED_MESSAGE = 10, "unexpected_message";
    BAD_RECORD_MAC = 20, "bad_record_mac";
    RECORD_OVERFLOW = 22, "record_overflow";
    HANDSHAKE_FAILURE = 40, "handshake_failure";
    BAD_CERTIFICATE = 42, "bad_certificate";
    UNSUPPORTED_CERTIFICATE = 43, "unsupported_certificate";
    CERTIFICATE_REVOKED = 44, "certificate_revoked";
    CERTIFICATE_EXPIRED = 45, "certificate_expired";
    CERTIFICATE_UNKNOWN = 46, "certificate_unknown";
    ILLEGAL_PARAMETER = 47, "illegal_parameter";
    UNKNOWN_CA = 48, "unknown_ca";
    ACCESS_DENIED = 49, "access_denied";
    DECODE_ERROR = 50, "decode_error";
    DECRYPT_ERROR = 51, "decrypt_error";
    PROTOCOL_VERSION = 70, "protocol_version";
    INSUFFICIENT_SECURITY = 71, "insufficient_security";
    INTERNAL_ERROR = 80, "internal_error";
    INAPPROPRIATE_FALLBACK = 86, "inappropriate_fallback";
    USER_CANCELED = 90, "user_canceled";
    NO_RENEGOTIATION = 100, "no_renegotiation";
    MISSING_EXTENSION = 109, "missing_extension";
    UNSUPPORTED_EXTENSION = 110, "unsupported_extension";
    UNRECOGNIZED_NAME = 112, "unrecognized_name";
    BAD_CERTIFICATE_STATUS_RESPONSE = 113, "bad_certificate_status_response";
    UNKNOWN_PSK_IDENTITY = 115, "unknown_psk_identity";
    CERTIFICATE_REQUIRED = 116, "certificate_required";
    NO_APPLICATION_PROTOCOL = 120, "no_application_protocol";
}

impl fmt::Debug for AlertDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "AlertDescription({:#04x})", self.0),
        }
    }
}

impl fmt::Display for AlertDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
