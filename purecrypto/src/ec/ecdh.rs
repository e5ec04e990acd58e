//! Elliptic-curve Diffie-Hellman (SEC1 section 3.3.1, SP 800-56A
//! "ECC CDH"): the shared secret is the x-coordinate of `d * Q_peer`.
//!
//! Entry points: [`diffie_hellman`] and [`diffie_hellman_ct`]. The peer
//! key is a [`PublicKey`], so it has already been checked to be on the
//! curve and not the identity (every import validates); an identity
//! result is rejected as well.

use alloc::vec::Vec;
use core::fmt;

use subtle::Choice;
use zeroize::Zeroizing;

use super::curve::Curve;
use super::field::Field;
use super::keys::{PublicKey, SecretKey};
use crate::Error;

/// The x-coordinate shared secret; zeroized on drop, never printed.
pub struct SharedSecret(Zeroizing<Vec<u8>>);

impl SharedSecret {
    /// The secret bytes (big-endian x, field length).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedSecret(..)")
    }
}

/// `x(d * Q)`.
///
/// # Errors
/// [`Error::InvalidKey`] if the result is the identity (impossible for a
/// validated peer key on these prime-order curves; checked anyway).
pub fn diffie_hellman<C: Curve>(secret: &SecretKey<C>, peer: &PublicKey<C>) -> Result<SharedSecret, Error> {
    let (shared, ok) = diffie_hellman_ct(secret, peer);
    if ok.unwrap_u8() == 1 {
        Ok(shared)
    } else {
        Err(Error::InvalidKey { reason: "ECDH result is the identity point" })
    }
}

/// As [`diffie_hellman`] without the final branch: returns the secret
/// and whether it is valid (false only for an identity result, when the
/// bytes are all zero). For callers that must not branch on data derived
/// from the secret, and for the constant-time check.
#[must_use]
pub fn diffie_hellman_ct<C: Curve>(secret: &SecretKey<C>, peer: &PublicKey<C>) -> (SharedSecret, Choice) {
    let point = peer.point().mul(secret.scalar());
    let (x, _, valid) = point.affine_parts();
    let mut out = Zeroizing::new(alloc::vec![0u8; C::Fe::BYTES]);
    x.write_be_bytes(&mut out);
    (SharedSecret(out), valid)
}

#[cfg(test)]
mod tests {
    use hex_literal::hex;

    use super::*;
    use crate::ec::P256;

    /// NIST CAVS ECC CDH primitive test vector, P-256, COUNT = 0.
    #[test]
    fn nist_p256_cdh_count0() {
        let peer = PublicKey::<P256>::from_affine_bytes(
            &hex!("700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287"),
            &hex!("db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac"),
        )
        .unwrap();
        let d =
            SecretKey::<P256>::from_bytes(&hex!("7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534"))
                .unwrap();
        let z = diffie_hellman(&d, &peer).unwrap();
        assert_eq!(z.as_bytes(), hex!("46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b"));
        assert_eq!(
            d.public_key().to_sec1(false)[1..33],
            hex!("ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230")
        );
    }
}
