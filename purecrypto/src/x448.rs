//! X448 Diffie-Hellman (RFC 7748): the Montgomery ladder on Curve448.
//!
//! Entry points: [`PrivateKey::generate`] / [`PrivateKey::from_bytes`],
//! [`PrivateKey::public_key`], [`PrivateKey::diffie_hellman`] (rejects an
//! all-zero shared secret) and the raw function [`x448`]. Constant time:
//! the scalar bits only drive conditional swaps.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;
use crate::curve448::field::Fe;
use crate::rng::CryptoRng;

/// Key and shared-secret length in bytes.
pub const KEY_LEN: usize = 56;

/// The u-coordinate of the base point (5).
pub const BASEPOINT: [u8; KEY_LEN] = {
    let mut b = [0u8; KEY_LEN];
    b[0] = 5;
    b
};

/// RFC 7748 clamping: clear the two low bits, set the top bit.
fn clamp(mut k: [u8; KEY_LEN]) -> [u8; KEY_LEN] {
    k[0] &= 252;
    k[55] |= 128;
    k
}

/// The Montgomery ladder on a clamped scalar (a24 = 39081).
fn ladder(k: &[u8; KEY_LEN], u: &[u8; KEY_LEN]) -> [u8; KEY_LEN] {
    let x1 = Fe::from_bytes(u);
    let (mut x2, mut z2, mut x3, mut z3) = (Fe::ONE, Fe::ZERO, x1, Fe::ONE);
    // Plain bits, not `Choice` arithmetic: subtle's debug assertions
    // would branch on them in test builds (seen by the ctgrind check).
    let mut swap = 0u8;
    for t in (0..448).rev() {
        let byte = k.get(t / 8).copied().unwrap_or(0);
        let bit = (byte >> (t % 8)) & 1;
        let choice = Choice::from((swap ^ bit) & 1);
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
        z2 = e.mul(&aa.add(&e.mul_small(39081)));
    }
    let choice = Choice::from(swap & 1);
    Fe::conditional_swap(&mut x2, &mut x3, choice);
    Fe::conditional_swap(&mut z2, &mut z3, choice);
    x2.mul(&z2.invert()).to_bytes()
}

/// The X448 function of RFC 7748 (clamps the scalar, accepts any u).
/// All zero for small-order inputs: protocols use
/// [`PrivateKey::diffie_hellman`], which rejects that.
#[must_use]
pub fn x448(scalar: &[u8; KEY_LEN], u: &[u8; KEY_LEN]) -> [u8; KEY_LEN] {
    let mut k = clamp(*scalar);
    let out = ladder(&k, u);
    k.zeroize();
    out
}

/// An X448 private key. Zeroized on drop.
#[derive(Clone)]
pub struct PrivateKey([u8; KEY_LEN]);

/// An X448 public key (a u-coordinate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; KEY_LEN]);

/// An X448 shared secret. Zeroized on drop.
#[derive(Clone)]
pub struct SharedSecret([u8; KEY_LEN]);

impl PrivateKey {
    /// Wraps 56 secret bytes (clamped when used).
    #[must_use]
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// A fresh key from `rng`.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        let mut k = [0u8; KEY_LEN];
        rng.fill_bytes(&mut k);
        Self(k)
    }

    /// The secret bytes as given.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; KEY_LEN] {
        self.0
    }

    /// `X448(k, 5)`.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        PublicKey(x448(&self.0, &BASEPOINT))
    }

    /// The shared secret with `peer`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when the result is all zero (small-order peer).
    pub fn diffie_hellman(&self, peer: &PublicKey) -> Result<SharedSecret, Error> {
        let shared = SharedSecret(x448(&self.0, &peer.0));
        if bool::from(shared.0.ct_eq(&[0u8; KEY_LEN])) {
            return Err(Error::InvalidKey { reason: "X448 shared secret is all zero (small-order peer key)" });
        }
        Ok(shared)
    }
}

impl PublicKey {
    /// Wraps a peer's 56-byte u-coordinate.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// The 56 bytes.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; KEY_LEN] {
        self.0
    }
}

impl SharedSecret {
    /// The 56 shared bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; KEY_LEN] {
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
        let k = hex!(
            "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3"
        );
        let u = hex!(
            "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086"
        );
        assert_eq!(
            x448(&k, &u),
            hex!(
                "ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f"
            )
        );
        let k = hex!(
            "203d494428b8399352665ddca42f9de8fef600908e0d461cb021f8c538345dd77c3e4806e25f46d3315c44e0a5b4371282dd2c8d5be3095f"
        );
        let u = hex!(
            "0fbcc2f993cd56d3305b0b7d9e55d4c1a8fb5dbb52f8e9a1e9b6201b165d015894e56c4d3570bee52fe205e28a78b91cdfbde71ce8d157db"
        );
        assert_eq!(
            x448(&k, &u),
            hex!(
                "884a02576239ff7a2f2f63b2db6a9ff37047ac13568e1e30fe63c4a7ad1b3ee3a5700df34321d62077e63633c575c1c954514e99da7c179d"
            )
        );
    }

    fn iterate(n: usize) -> [u8; KEY_LEN] {
        let (mut k, mut u) = (BASEPOINT, BASEPOINT);
        for _ in 0..n {
            let out = x448(&k, &u);
            u = k;
            k = out;
        }
        k
    }

    #[test]
    fn rfc7748_iterated() {
        assert_eq!(
            iterate(1),
            hex!(
                "3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113"
            )
        );
        assert_eq!(
            iterate(1000),
            hex!(
                "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38"
            )
        );
    }

    #[test]
    #[ignore = "a million ladders: many minutes in a test build"]
    fn rfc7748_iterated_million() {
        assert_eq!(
            iterate(1_000_000),
            hex!(
                "077f453681caca3693198420bbe515cae0002472519b3e67661a7e89cab94695c8f4bcd66e61b9b9c946da8d524de3d69bd9d9d66b997e37"
            )
        );
    }

    #[test]
    fn rfc7748_section_6_2_diffie_hellman() {
        let alice = PrivateKey::from_bytes(hex!(
            "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"
        ));
        let bob = PrivateKey::from_bytes(hex!(
            "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"
        ));
        assert_eq!(
            alice.public_key().0,
            hex!(
                "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0"
            )
        );
        assert_eq!(
            bob.public_key().0,
            hex!(
                "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609"
            )
        );
        let expected = hex!(
            "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d"
        );
        assert_eq!(alice.diffie_hellman(&bob.public_key()).unwrap().as_bytes(), &expected);
        assert_eq!(bob.diffie_hellman(&alice.public_key()).unwrap().as_bytes(), &expected);
        assert!(alice.diffie_hellman(&PublicKey::from_bytes([0; KEY_LEN])).is_err());
    }
}
