//! HMAC (RFC 2104, FIPS 198-1) over any [`Hash`].
//!
//! Entry points: [`Hmac`] for a hash known at compile time, [`DynHmac`] and
//! the one-shot [`hmac`] for a [`HashAlgorithm`] chosen at run time. The key
//! is folded into the inner and outer hash states once, at construction;
//! `Clone` copies those keyed states, which is how PBKDF2 and HKDF avoid
//! re-keying per block. The keyed states are zeroized on drop (the hashes'
//! own `Drop`), and `Debug` prints no state.

use alloc::vec::Vec;

use crate::Error;
use crate::hash::{Hash, HashAlgorithm, Hasher};
use zeroize::Zeroize;

/// Largest block length of any supported hash (SHA3-224's rate).
const MAX_BLOCK: usize = 144;

/// Builds the `ipad` and `opad` key blocks: the key (hashed first when
/// longer than a block) XORed with 0x36 / 0x5c, `block_len` bytes each.
fn pads(
    key: &[u8],
    block_len: usize,
    hash_long_key: impl FnOnce(&[u8]) -> Vec<u8>,
) -> ([u8; MAX_BLOCK], [u8; MAX_BLOCK]) {
    let mut k = [0u8; MAX_BLOCK];
    if key.len() > block_len {
        let mut digest = hash_long_key(key);
        for (d, s) in k.iter_mut().zip(digest.iter()) {
            *d = *s;
        }
        digest.zeroize();
    } else {
        for (d, s) in k.iter_mut().zip(key.iter()) {
            *d = *s;
        }
    }
    let mut ipad = [0u8; MAX_BLOCK];
    let mut opad = [0u8; MAX_BLOCK];
    for ((i, o), b) in ipad.iter_mut().zip(opad.iter_mut()).zip(k.iter()).take(block_len) {
        *i = b ^ 0x36;
        *o = b ^ 0x5c;
    }
    k.zeroize();
    (ipad, opad)
}

/// HMAC with the hash `H`.
#[derive(Clone)]
pub struct Hmac<H: Hash> {
    inner: H,
    outer: H,
}

impl<H: Hash> Hmac<H> {
    /// Keys a new MAC. Any key length is accepted (RFC 2104).
    #[must_use]
    pub fn new(key: &[u8]) -> Self {
        let (mut ipad, mut opad) = pads(key, H::BLOCK_LEN, |k| H::digest(k).as_ref().to_vec());
        let mut inner = H::new();
        let mut outer = H::new();
        inner.update(ipad.get(..H::BLOCK_LEN).unwrap_or_default());
        outer.update(opad.get(..H::BLOCK_LEN).unwrap_or_default());
        ipad.zeroize();
        opad.zeroize();
        Self { inner, outer }
    }

    /// Absorbs message bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The tag.
    #[must_use]
    pub fn finalize(self) -> H::Output {
        let Self { inner, mut outer } = self;
        let mut inner_digest = inner.finalize();
        outer.update(inner_digest.as_ref());
        inner_digest.as_mut().zeroize();
        outer.finalize()
    }

    /// Checks `tag` (the full tag, or a prefix of at least half of it and
    /// at least 10 bytes, as FIPS 198-1 / RFC 2104 allow) in constant time.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] on a mismatch or a too-short tag.
    pub fn verify(self, tag: &[u8]) -> Result<(), Error> {
        let full = self.finalize();
        let full = full.as_ref();
        let min = (full.len() / 2).max(10).min(full.len());
        if tag.len() < min || tag.len() > full.len() {
            return Err(Error::VerificationFailed);
        }
        if crate::ct::eq(full.get(..tag.len()).unwrap_or_default(), tag) {
            Ok(())
        } else {
            Err(Error::VerificationFailed)
        }
    }

    /// One-shot tag of `data` under `key`.
    #[must_use]
    pub fn mac(key: &[u8], data: &[u8]) -> H::Output {
        let mut m = Self::new(key);
        m.update(data);
        m.finalize()
    }
}

impl<H: Hash> core::fmt::Debug for Hmac<H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Hmac { .. }")
    }
}

/// HMAC over a hash chosen at run time.
#[derive(Clone)]
pub struct DynHmac {
    inner: Hasher,
    outer: Hasher,
}

impl DynHmac {
    /// Keys a new MAC over `alg`.
    #[must_use]
    pub fn new(alg: HashAlgorithm, key: &[u8]) -> Self {
        let block = alg.block_len();
        let (mut ipad, mut opad) = pads(key, block, |k| alg.hash(k));
        let mut inner = Hasher::new(alg);
        let mut outer = Hasher::new(alg);
        inner.update(ipad.get(..block).unwrap_or_default());
        outer.update(opad.get(..block).unwrap_or_default());
        ipad.zeroize();
        opad.zeroize();
        Self { inner, outer }
    }

    /// The hash algorithm.
    #[must_use]
    pub const fn algorithm(&self) -> HashAlgorithm {
        self.inner.algorithm()
    }

    /// Absorbs message bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The tag (`output_len` bytes of the hash).
    #[must_use]
    pub fn finalize(self) -> Vec<u8> {
        let Self { inner, mut outer } = self;
        let mut inner_digest = inner.finalize();
        outer.update(&inner_digest);
        inner_digest.zeroize();
        outer.finalize()
    }

    /// Checks a full-length `tag` in constant time.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] on any mismatch.
    pub fn verify(self, tag: &[u8]) -> Result<(), Error> {
        if crate::ct::eq(&self.finalize(), tag) { Ok(()) } else { Err(Error::VerificationFailed) }
    }
}

impl core::fmt::Debug for DynHmac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("DynHmac { .. }")
    }
}

/// One-shot HMAC with a run-time hash choice.
#[must_use]
pub fn hmac(alg: HashAlgorithm, key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = DynHmac::new(alg, key);
    m.update(data);
    m.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{Sha224, Sha256, Sha384, Sha512};
    use hex_literal::hex;

    /// RFC 4231 test cases 1-4, 6, 7 (case 5 is a truncation test, below).
    #[test]
    fn rfc_4231() {
        let long_key = [0xaau8; 131];
        type Case<'a> = (&'a [u8], &'a [u8], [u8; 32], [u8; 64]);
        let cases: [Case<'_>; 6] = [
            (
                &[0x0b; 20],
                b"Hi There",
                hex!("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                hex!("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
            ),
            (
                b"Jefe",
                b"what do ya want for nothing?",
                hex!("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                hex!("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
            ),
            (
                &[0xaa; 20],
                &[0xdd; 50],
                hex!("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
                hex!("fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
            ),
            (
                &hex!("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                &[0xcd; 50],
                hex!("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
                hex!("b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
            ),
            (
                &long_key,
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                hex!("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
                hex!("80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"),
            ),
            (
                &long_key,
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
                hex!("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
                hex!("e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"),
            ),
        ];
        for (key, data, want256, want512) in cases {
            assert_eq!(Hmac::<Sha256>::mac(key, data), want256);
            assert_eq!(Hmac::<Sha512>::mac(key, data), want512);
            assert_eq!(hmac(HashAlgorithm::Sha256, key, data), want256);
            let mut split = Hmac::<Sha512>::new(key);
            for piece in data.chunks(7) {
                split.update(piece);
            }
            assert!(split.clone().verify(&want512).is_ok());
            assert_eq!(split.finalize(), want512);
        }
        assert_eq!(
            Hmac::<Sha224>::mac(b"Jefe", b"what do ya want for nothing?"),
            hex!("a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44")
        );
        assert_eq!(
            Hmac::<Sha384>::mac(b"Jefe", b"what do ya want for nothing?"),
            hex!("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649")
        );
    }

    #[test]
    fn rfc_4231_case_5_truncated_and_bad_tags() {
        let key = [0x0c; 20];
        let data = b"Test With Truncation";
        let tag = hex!("a3b6167473100ee06e0c796c2955552b");
        let mut bad = tag;
        bad[15] ^= 1;
        let mut m = Hmac::<Sha256>::new(&key);
        m.update(data);
        assert_eq!(m.clone().verify(&tag), Ok(()));
        assert_eq!(m.clone().verify(&bad), Err(Error::VerificationFailed));
        assert_eq!(m.verify(&tag[..8]), Err(Error::VerificationFailed));
    }
}
