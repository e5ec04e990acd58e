//! The TLS error type: what went wrong, and which alert tells the peer.
//!
//! Entry point: [`Error`]; [`Error::alert`] is the single mapping from an
//! error to the alert the connection sends before it closes.

use super::alert::AlertDescription;

/// Why a TLS connection failed. The first error poisons the connection:
/// every later call returns it again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A record or handshake message did not decode (bad length, trailing
    /// bytes, truncated field).
    #[error("decode error in {what}")]
    Decode {
        /// The structure being decoded.
        what: &'static str,
    },
    /// A field decoded but holds a value the protocol forbids, or a
    /// duplicate extension.
    #[error("illegal parameter: {what}")]
    IllegalParameter {
        /// Which field.
        what: &'static str,
    },
    /// A message or record type arrived in a state that does not allow it.
    #[error("unexpected message: {what}")]
    UnexpectedMessage {
        /// What arrived, or what was expected.
        what: &'static str,
    },
    /// A protected record failed authentication.
    #[error("bad record MAC")]
    BadRecordMac,
    /// A record exceeded the RFC 8446 size limits.
    #[error("record overflow")]
    RecordOverflow,
    /// No common cipher suite, group or signature scheme.
    #[error("handshake failure: {what}")]
    HandshakeFailure {
        /// What could not be agreed.
        what: &'static str,
    },
    /// No protocol version both sides enable (or the peer chose one
    /// this side did not offer).
    #[error("no common protocol version")]
    ProtocolVersion,
    /// A required extension was absent.
    #[error("missing extension: {what}")]
    MissingExtension {
        /// Which extension.
        what: &'static str,
    },
    /// The peer sent an extension it may not send here (never offered,
    /// or not allowed in this message).
    #[error("unsupported extension: {what}")]
    UnsupportedExtension {
        /// Which extension.
        what: &'static str,
    },
    /// The certificate verifier rejected the peer's certificate chain.
    #[error("bad certificate: {what}")]
    BadCertificate {
        /// Why.
        what: &'static str,
    },
    /// No certificate type both sides can use (RFC 7250: raw public key
    /// versus X.509), or a peer answered with a type that leaves this
    /// side without one (`unsupported_certificate`).
    #[error("unsupported certificate: {what}")]
    UnsupportedCertificate {
        /// What could not be agreed.
        what: &'static str,
    },
    /// A stapled OCSP response was required and is missing, does not
    /// verify, or does not say "good"
    /// ([`ClientConfig::require_ocsp_good`](super::ClientConfig::require_ocsp_good)).
    #[error("bad certificate status response: {what}")]
    BadCertificateStatus {
        /// Why.
        what: &'static str,
    },
    /// The x509 verifier rejected the peer's chain; the typed reason and
    /// depth say why (`verify error:num=N` in OpenSSL's words).
    #[error("certificate verify failed: {0}")]
    CertificateRejected(crate::x509::CertError),
    /// The server requires a client certificate and the client sent none
    /// (TLS 1.3: `certificate_required`; TLS 1.2 maps it to
    /// [`Error::HandshakeFailure`] instead, as that version has no such
    /// alert).
    #[error("a client certificate is required")]
    CertificateRequired,
    /// A CompressedCertificate (RFC 8879) could not be turned back into a
    /// Certificate: an algorithm not offered, a length over the limit or
    /// not matching, a corrupt stream (`bad_certificate`).
    #[error("compressed certificate: {0}")]
    CertificateDecompression(super::cert_compression::CertDecompressionError),
    /// A Finished value or CertificateVerify signature did not verify.
    #[error("decrypt error: {what}")]
    DecryptError {
        /// Which check.
        what: &'static str,
    },
    /// ALPN was offered but no protocol is common.
    #[error("no common application protocol")]
    NoApplicationProtocol,
    /// The peer sent a fatal alert.
    #[error("peer sent alert {0}")]
    AlertReceived(AlertDescription),
    /// A cryptographic primitive failed (entropy, key generation).
    #[error("crypto: {0}")]
    Crypto(crate::Error),
    /// The local configuration cannot work (no suites, a key that does not
    /// fit the certificate).
    #[error("configuration: {what}")]
    Config {
        /// What is wrong.
        what: &'static str,
    },
    /// Application data was written after `close_notify`, or read after
    /// the connection failed.
    #[error("connection closed")]
    Closed,
}

impl Error {
    /// The alert the connection sends for this error, `None` when nothing
    /// should be sent (the peer already alerted, or the connection is
    /// merely closed).
    #[must_use]
    pub fn alert(&self) -> Option<AlertDescription> {
        Some(match self {
            Self::Decode { .. } => AlertDescription::DECODE_ERROR,
            Self::IllegalParameter { .. } => AlertDescription::ILLEGAL_PARAMETER,
            Self::UnexpectedMessage { .. } => AlertDescription::UNEXPECTED_MESSAGE,
            Self::BadRecordMac => AlertDescription::BAD_RECORD_MAC,
            Self::RecordOverflow => AlertDescription::RECORD_OVERFLOW,
            Self::HandshakeFailure { .. } => AlertDescription::HANDSHAKE_FAILURE,
            Self::ProtocolVersion => AlertDescription::PROTOCOL_VERSION,
            Self::MissingExtension { .. } => AlertDescription::MISSING_EXTENSION,
            Self::UnsupportedExtension { .. } => AlertDescription::UNSUPPORTED_EXTENSION,
            Self::BadCertificate { .. } | Self::CertificateDecompression(_) => AlertDescription::BAD_CERTIFICATE,
            Self::UnsupportedCertificate { .. } => AlertDescription::UNSUPPORTED_CERTIFICATE,
            Self::BadCertificateStatus { .. } => AlertDescription::BAD_CERTIFICATE_STATUS_RESPONSE,
            Self::CertificateRejected(e) => super::webpki::alert_for(e.reason),
            Self::CertificateRequired => AlertDescription::CERTIFICATE_REQUIRED,
            Self::DecryptError { .. } => AlertDescription::DECRYPT_ERROR,
            Self::NoApplicationProtocol => AlertDescription::NO_APPLICATION_PROTOCOL,
            Self::Crypto(_) | Self::Config { .. } => AlertDescription::INTERNAL_ERROR,
            Self::AlertReceived(_) | Self::Closed => return None,
        })
    }
}

impl From<crate::Error> for Error {
    fn from(e: crate::Error) -> Self {
        Self::Crypto(e)
    }
}

/// Shorthand for the common decode failure.
pub(crate) const fn decode(what: &'static str) -> Error {
    Error::Decode { what }
}
