//! OCSP, the Online Certificate Status Protocol (RFC 6960, with the
//! RFC 5019 lightweight profile and RFC 8954 nonces): build and read
//! requests, read and build responses, and decide what a response says
//! about one certificate only after checking who signed it, for what and
//! when.
//!
//! Entry points:
//! - [`CertId`] names a certificate by its issuer and serial
//!   ([`CertId::new`]); [`OcspRequest`] carries one or more of them and an
//!   optional nonce ([`OcspRequest::to_der`], [`OcspRequest::from_der`]).
//! - [`OcspResponse::from_der`] reads any response; [`OcspResponse::text`]
//!   prints it as `openssl ocsp -resp_text` does.
//! - [`verify_response`] checks a response for one certificate at a
//!   caller-supplied time and returns its [`CertStatus`] or a typed
//!   [`OcspError`].
//! - [`ResponseBuilder`] signs responses with a [`SigningKey`](super::SigningKey),
//!   [`error_response`] encodes the unsigned error statuses.

mod builder;
mod cert_id;
mod request;
mod response;
mod verify;

pub use builder::{ResponseBuilder, error_response};
pub use cert_id::CertId;
pub use request::OcspRequest;
pub use response::{BasicResponse, CertStatus, OcspResponse, ResponderId, ResponseStatus, SingleResponse, reason_name};
pub use verify::{OcspError, VerifyOptions, check_window, verify_response, verify_signer};

/// 1.3.6.1.5.5.7.48.1.1 id-pkix-ocsp-basic.
const OCSP_BASIC: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];
/// 1.3.6.1.5.5.7.48.1.2 id-pkix-ocsp-nonce.
const OCSP_NONCE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02];
/// `ENUMERATED`.
const TAG_ENUMERATED: u8 = 0x0a;
/// The most `CertID`s (requests) or `SingleResponse`s (responses) one
/// message may carry. RFC 5019 section 2.1.1 asks for exactly one; a
/// small multiple leaves room for batching without letting a peer make
/// us hash or allocate without bound.
pub const MAX_ENTRIES: usize = 64;
/// The longest nonce accepted (RFC 8954 section 2.1 allows 1-32 bytes;
/// the extension value also holds the inner OCTET STRING header, and
/// older clients sent longer values).
pub const MAX_NONCE: usize = 128;
/// The most certificates a response may carry.
pub const MAX_CERTS: usize = 8;

fn malformed(what: &'static str, reason: &'static str) -> crate::Error {
    crate::Error::Malformed { what, reason }
}

#[cfg(test)]
mod tests;
