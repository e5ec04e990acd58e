//! The crate-wide error type.
//!
//! Entry point: [`Error`]. Variants grow by category (decode, verification,
//! API misuse) as primitives land; the enum is `#[non_exhaustive]`.

/// Every failure a purecrypto operation can report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A key, nonce, tag or other input had a length the algorithm does not
    /// accept.
    #[error("{what}: invalid length {actual} (expected {expected})")]
    InvalidLength {
        /// Which input was wrong.
        what: &'static str,
        /// What the algorithm accepts, in words ("16 or 32").
        expected: &'static str,
        /// The length given.
        actual: usize,
    },
    /// A parameter (iteration count, cost, output length) was out of the
    /// range the algorithm allows.
    #[error("{what}: {reason}")]
    InvalidParameter {
        /// Which parameter.
        what: &'static str,
        /// The accepted range, in words.
        reason: &'static str,
    },
    /// The operating system's entropy source failed.
    #[error("OS entropy source unavailable")]
    EntropyUnavailable,
    /// Authentication failed: a tag, MAC or signature did not verify.
    /// No plaintext is released when this is returned.
    #[error("verification failed")]
    VerificationFailed,
    /// A deterministic generator reached its reseed interval and must be
    /// reseeded with fresh entropy before it produces more output.
    #[error("DRBG reseed required")]
    ReseedRequired,
    /// Encoded bytes (DER, PEM, a point, a key or signature encoding) were
    /// malformed.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// What was being decoded ("DER length", "P-256 point").
        what: &'static str,
        /// What was wrong, in words.
        reason: &'static str,
    },
    /// A key decoded but is not acceptable: wrong size, fails a consistency
    /// check (p*q != n, point not on the curve), or is weak.
    #[error("invalid key: {reason}")]
    InvalidKey {
        /// What was wrong, in words.
        reason: &'static str,
    },
    /// Decryption failed (a padding or ciphertext check); deliberately says
    /// nothing more, so it cannot serve as an oracle.
    #[error("decryption failed")]
    DecryptionFailed,
    /// An algorithm, curve, OID or option the library does not implement.
    #[error("unsupported: {what}")]
    Unsupported {
        /// What was asked for.
        what: &'static str,
    },
    /// A certificate chain was rejected (X.509 path validation): the
    /// reason, numbered like OpenSSL's, and the depth at fault.
    #[error("certificate verification failed: {0}")]
    Certificate(crate::x509::CertError),
}
