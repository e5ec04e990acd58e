//! X25519 Diffie-Hellman (RFC 7748): the Montgomery ladder on Curve25519.
//!
//! Entry points: [`PrivateKey::generate`] / [`PrivateKey::from_bytes`],
//! [`PrivateKey::public_key`], [`PrivateKey::diffie_hellman`] (which
//! rejects an all-zero shared secret, the result of a small-order peer
//! key), and the raw RFC 7748 function [`x25519`]. The ladder is constant
//! time: the scalar bits only drive conditional swaps. Public keys for our
//! own secrets are computed on the Edwards form with the precomputed
//! base-point tables (about four times faster than a ladder from u = 9).
//!
//! ```
//! use purecrypto::x25519::PrivateKey;
//! let alice = PrivateKey::from_bytes([1; 32]);
//! let bob = PrivateKey::from_bytes([2; 32]);
//! let k1 = alice.diffie_hellman(&bob.public_key())?;
//! let k2 = bob.diffie_hellman(&alice.public_key())?;
//! assert_eq!(k1.as_bytes(), k2.as_bytes());
//! # Ok::<(), purecrypto::Error>(())
//! ```

use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::curve25519::edwards::EdwardsPoint;
use crate::curve25519::field::Fe;
use crate::rng::CryptoRng;

/// The u-coordinate of the base point.
pub const BASEPOINT: [u8; 32] = {
    let mut b = [0u8; 32];
    b[0] = 9;
    b
};

/// RFC 7748 key clamping: clear the three low bits and the top bit, set
/// bit 254.
fn clamp(mut k: [u8; 32]) -> [u8; 32] {
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    k
}

/// The Montgomery ladder of RFC 7748 section 5 on a clamped scalar.
fn ladder(k: &[u8; 32], u: &[u8; 32]) -> [u8; 32] {
    let x1 = Fe::from_bytes(u);
    let (mut x2, mut z2, mut x3, mut z3) = (Fe::ONE, Fe::ZERO, x1, Fe::ONE);
    // Plain bits, not `Choice` arithmetic: subtle's debug assertions
    // would branch on them in test builds (seen by the ctgrind check).
    let mut swap = 0u8;
    for t in (0..255).rev() {
        let byte = k.get(t / 8).copied().unwrap_or(0);
        let bit = (byte >> (t % 8)) & 1;
        let choice = subtle::Choice::from((swap ^ bit) & 1);
        Fe::conditional_swap(&mut x2, &mut x3, choice);
        Fe::conditional_swap(&mut z2, &mut z3, choice);
        swap = bit;
        let a = x2.add(&z2);
        let aa = a.square();
        let b = x2.sub(&z2);
        let bb = b.square();
        let e = aa.sub(&bb);
        let c = x3.add(&z3);
        let d = x3.sub(&z3);
        let da = d.mul(&a);
        let cb = c.mul(&b);
        x3 = da.add(&cb).square();
        z3 = x1.mul(&da.sub(&cb).square());
        x2 = aa.mul(&bb);
        z2 = e.mul(&aa.add(&e.mul_small(121665)));
    }
    let choice = subtle::Choice::from(swap & 1);
    Fe::conditional_swap(&mut x2, &mut x3, choice);
    Fe::conditional_swap(&mut z2, &mut z3, choice);
    x2.mul(&z2.invert()).to_bytes()
}

/// The X25519 function of RFC 7748: clamps `scalar`, masks the top bit of
/// `u` and accepts non-canonical u. Returns the raw output, which is all
/// zero for small-order inputs; protocols should use
/// [`PrivateKey::diffie_hellman`], which rejects that case.
#[must_use]
pub fn x25519(scalar: &[u8; 32], u: &[u8; 32]) -> [u8; 32] {
    let mut k = clamp(*scalar);
    let out = ladder(&k, u);
    k.zeroize();
    out
}

/// The u-coordinate `(1 + y) / (1 - y)` of an Edwards point.
fn edwards_to_montgomery(p: &EdwardsPoint) -> [u8; 32] {
    // (Z + Y) / (Z - Y).
    p.z.add(&p.y).mul(&p.z.sub(&p.y).invert()).to_bytes()
}

/// An X25519 private key (the 32 bytes before clamping). Zeroized on drop.
#[derive(Clone)]
pub struct PrivateKey([u8; 32]);

/// An X25519 public key: a u-coordinate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; 32]);

/// The result of a key exchange. Zeroized on drop.
#[derive(Clone)]
pub struct SharedSecret([u8; 32]);

impl PrivateKey {
    /// Wraps 32 secret bytes (clamped when used, as RFC 7748 says).
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A fresh key from `rng`.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        let mut k = [0u8; 32];
        rng.fill_bytes(&mut k);
        Self(k)
    }

    /// The secret bytes, as given (unclamped).
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// `X25519(k, 9)`, computed as a fixed-base Edwards multiplication.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        let mut k = clamp(self.0);
        let p = EdwardsPoint::mul_base_bytes(&k);
        k.zeroize();
        PublicKey(edwards_to_montgomery(&p))
    }

    /// The shared secret with `peer`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when the result is all zero (the peer sent a
    /// small-order point), as RFC 7748 section 6.1 allows and TLS 1.3 and
    /// SSH require.
    pub fn diffie_hellman(&self, peer: &PublicKey) -> Result<SharedSecret, Error> {
        let shared = SharedSecret(x25519(&self.0, &peer.0));
        if bool::from(shared.0.ct_eq(&[0u8; 32])) {
            return Err(Error::InvalidKey { reason: "X25519 shared secret is all zero (small-order peer key)" });
        }
        Ok(shared)
    }
}

impl PublicKey {
    /// Wraps a peer's 32-byte u-coordinate (any value is accepted, as
    /// RFC 7748 specifies).
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The 32 bytes.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// The 32 bytes, borrowed.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl SharedSecret {
    /// The 32 shared bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Drop for PrivateKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for PrivateKey {}

impl Drop for SharedSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for SharedSecret {}

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PrivateKey { .. }")
    }
}

impl core::fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SharedSecret { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn rfc7748_section_5_2_vectors() {
        let k = hex!("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        let u = hex!("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
        assert_eq!(x25519(&k, &u), hex!("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
        let k = hex!("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d");
        let u = hex!("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493");
        assert_eq!(x25519(&k, &u), hex!("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"));
    }

    fn iterate(n: usize) -> [u8; 32] {
        let (mut k, mut u) = (BASEPOINT, BASEPOINT);
        for _ in 0..n {
            let out = x25519(&k, &u);
            u = k;
            k = out;
        }
        k
    }

    #[test]
    fn rfc7748_iterated() {
        assert_eq!(iterate(1), hex!("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"));
        assert_eq!(iterate(1000), hex!("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"));
    }

    #[test]
    #[ignore = "a million ladders: minutes in a test build"]
    fn rfc7748_iterated_million() {
        assert_eq!(iterate(1_000_000), hex!("7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424"));
    }

    #[test]
    fn rfc7748_section_6_1_diffie_hellman() {
        let alice = PrivateKey::from_bytes(hex!("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        let bob = PrivateKey::from_bytes(hex!("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assert_eq!(alice.public_key().0, hex!("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
        assert_eq!(bob.public_key().0, hex!("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
        let expected = hex!("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assert_eq!(alice.diffie_hellman(&bob.public_key()).unwrap().as_bytes(), &expected);
        assert_eq!(bob.diffie_hellman(&alice.public_key()).unwrap().as_bytes(), &expected);
        // Edwards-based public keys agree with the ladder from u = 9.
        assert_eq!(alice.public_key().0, x25519(&alice.0, &BASEPOINT));
    }

    #[test]
    fn small_order_peer_is_rejected() {
        let alice = PrivateKey::from_bytes([7; 32]);
        for u in [[0u8; 32], {
            let mut one = [0u8; 32];
            one[0] = 1;
            one
        }] {
            assert_eq!(
                alice.diffie_hellman(&PublicKey::from_bytes(u)).unwrap_err(),
                Error::InvalidKey { reason: "X25519 shared secret is all zero (small-order peer key)" }
            );
        }
        assert_eq!(alloc::format!("{alice:?}"), "PrivateKey { .. }");
    }
}
