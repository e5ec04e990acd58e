//! Hybrid post-quantum key agreement: ML-KEM combined with an elliptic-curve
//! Diffie-Hellman, in the two wire forms the protocols above use.
//!
//! Entry points:
//! - [`tls::Group`]: the TLS 1.3 hybrid key shares of
//!   draft-ietf-tls-ecdhe-mlkem, `X25519MLKEM768` (0x11EC),
//!   `SecP256r1MLKEM768` (0x11EB) and `SecP384r1MLKEM1024` (0x11ED), as a
//!   sans-I/O KEM: the client calls [`tls::Group::generate`] and sends the
//!   share, the server answers with [`tls::Group::encapsulate`], the client
//!   finishes with [`tls::ClientState::decapsulate`]. Both sides end with
//!   the same [`tls::SharedSecret`], the concatenation of the two
//!   component secrets that TLS feeds to its key schedule.
//! - [`ssh`]: the SSH key exchange `mlkem768x25519-sha256`
//!   (draft-ietf-sshm-mlkem-hybrid-kex): [`ssh::client_init`],
//!   [`ssh::server_reply`], [`ssh::ClientState::finish`], ending in the
//!   32-byte `K = SHA-256(K_PQ || K_CL)`.
//!
//! Every function that draws randomness has a `_derand` twin taking the
//! random inputs as bytes, for known-answer and interoperability tests.
//! Peer input (shares, replies) is checked before use: a wrong length is
//! [`Error::InvalidLength`](crate::Error::InvalidLength), an ML-KEM key
//! failing the FIPS 203 modulus check or an EC point off the curve is
//! [`Error::InvalidKey`](crate::Error::InvalidKey) or
//! [`Error::Malformed`](crate::Error::Malformed), and an all-zero X25519
//! result (a small-order peer point) is refused. Private state and shared
//! secrets are zeroized on drop and never printed.

pub mod ssh;
pub mod tls;

mod classical;

#[cfg(test)]
mod tests;
