//! X.509 public-key infrastructure (RFC 5280): certificates, requests,
//! revocation lists, and path validation for TLS.
//!
//! Entry points:
//! - [`Certificate::from_der`] — zero-copy decoding of v1-v3 certificates
//!   with every standard extension ([`Extensions`]), the exact signed
//!   bytes ([`Certificate::tbs`]) and [`Certificate::verify_signed_by`];
//!   [`pem_certificates`] for PEM bundles.
//! - [`Name`] — distinguished names, printed like OpenSSL (`C = US, CN = x`).
//! - [`CertificateBuilder`], [`csr::build_request`] /
//!   [`CertificateRequest`], [`CrlBuilder`] / [`Crl`] — issuing, with a
//!   [`SigningKey`] loaded from PKCS #8.
//! - [`verify::verify_chain`] and [`ServerVerifier`] — path building and
//!   validation against a [`TrustStore`] at a caller-supplied time, with
//!   errors ([`CertError`]) numbered like OpenSSL's.
//! - [`text::to_text`] — an `openssl x509 -text` style dump.
//! - [`ocsp`] — OCSP requests and responses: build, read, sign, and
//!   [`ocsp::verify_response`] for one certificate's status.

pub mod algorithm;
pub mod builder;
pub mod certificate;
pub mod crl;
pub mod csr;
pub mod error;
pub mod extensions;
pub(crate) mod fuzz;
pub mod general_name;
pub mod name;
mod name_hash;
pub mod ocsp;
pub mod oids;
pub mod signer;
pub mod store;
pub mod text;
pub mod time;
pub mod verify;

pub use algorithm::SignatureAlgorithm;
pub use builder::CertificateBuilder;
pub use certificate::{Certificate, pem_certificates};
pub use crl::{Crl, CrlBuilder, RevocationReason};
pub use csr::CertificateRequest;
pub use error::{CertError, Reason};
pub use extensions::{BasicConstraints, Extension, Extensions, KeyUsage, NameConstraints};
pub use general_name::GeneralName;
pub use name::Name;
pub use signer::SigningKey;
pub use store::TrustStore;
pub use verify::{CrlCheck, Options, Purpose, ServerVerifier, leaf_spki, verify_chain};

#[cfg(test)]
mod tests;
