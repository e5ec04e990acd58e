//! Mask generation and the hash choices PSS and OAEP accept.
//!
//! Entry points: [`Mgf`] (MGF1 over any fixed-output hash, RFC 8017
//! B.2.1, or SHAKE128/256 used directly as the mask function, RFC 8702)
//! and [`PssHash`] (a fixed-output hash, or SHAKE128/256 with 32/64-byte
//! output as RFC 8702 sets).

use alloc::vec::Vec;

use crate::Error;
use crate::hash::{HashAlgorithm, Hasher, Shake128, Shake256};

/// A mask generation function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mgf {
    /// MGF1 with the given hash.
    Mgf1(HashAlgorithm),
    /// SHAKE128 as the mask function (RFC 8702).
    Shake128,
    /// SHAKE256 as the mask function (RFC 8702).
    Shake256,
}

/// The message hash of RSASSA-PSS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PssHash {
    /// A fixed-output hash.
    Fixed(HashAlgorithm),
    /// SHAKE128 with 32 bytes of output (RFC 8702).
    Shake128,
    /// SHAKE256 with 64 bytes of output (RFC 8702).
    Shake256,
}

impl PssHash {
    /// Output length in bytes.
    #[must_use]
    pub fn output_len(self) -> usize {
        match self {
            Self::Fixed(h) => h.output_len(),
            Self::Shake128 => 32,
            Self::Shake256 => 64,
        }
    }

    /// Hashes the concatenation of `parts`.
    #[must_use]
    pub fn hash(self, parts: &[&[u8]]) -> Vec<u8> {
        match self {
            Self::Fixed(h) => {
                let mut st = Hasher::new(h);
                for p in parts {
                    st.update(p);
                }
                st.finalize()
            }
            Self::Shake128 => {
                let mut st = Shake128::new();
                for p in parts {
                    st.update(p);
                }
                st.finalize_xof().read_vec(32)
            }
            Self::Shake256 => {
                let mut st = Shake256::new();
                for p in parts {
                    st.update(p);
                }
                st.finalize_xof().read_vec(64)
            }
        }
    }
}

/// Rejects hashes that are not fit for RSA padding.
pub(crate) fn check_hash(h: HashAlgorithm) -> Result<(), Error> {
    match h {
        HashAlgorithm::Md5 => Err(Error::Unsupported { what: "MD5 in RSA padding" }),
        _ => Ok(()),
    }
}

impl Mgf {
    /// XORs the mask of `len = out.len()` bytes derived from `seed` into
    /// `out`.
    pub(crate) fn xor_mask(self, seed: &[u8], out: &mut [u8]) {
        match self {
            Self::Mgf1(h) => {
                let hlen = h.output_len().max(1);
                for (counter, chunk) in out.chunks_mut(hlen).enumerate() {
                    let mut st = Hasher::new(h);
                    st.update(seed);
                    st.update(&(counter as u32).to_be_bytes());
                    for (o, m) in chunk.iter_mut().zip(st.finalize()) {
                        *o ^= m;
                    }
                }
            }
            Self::Shake128 => {
                let mut st = Shake128::new();
                st.update(seed);
                let mask = st.finalize_xof().read_vec(out.len());
                for (o, m) in out.iter_mut().zip(mask) {
                    *o ^= m;
                }
            }
            Self::Shake256 => {
                let mut st = Shake256::new();
                st.update(seed);
                let mask = st.finalize_xof().read_vec(out.len());
                for (o, m) in out.iter_mut().zip(mask) {
                    *o ^= m;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mgf1_sha1_known_answer() {
        // MGF1-SHA1("foo", 3) = 1ac907 (a widely quoted example).
        let mut out = [0u8; 3];
        Mgf::Mgf1(HashAlgorithm::Sha1).xor_mask(b"foo", &mut out);
        assert_eq!(out, [0x1a, 0xc9, 0x07]);
        let mut long = [0u8; 50];
        Mgf::Mgf1(HashAlgorithm::Sha1).xor_mask(b"bar", &mut long);
        assert_eq!(long[..5], [0xbc, 0x0c, 0x65, 0x5e, 0x01]);
    }
}
