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
}
