//! The pre-hash functions HashML-DSA (FIPS 204 §5.4) and HashSLH-DSA
//! (FIPS 205 §10.2) accept, with their DER-encoded OIDs.
//!
//! Entry point: [`PreHash`]: [`PreHash::oid`] and [`PreHash::digest`]. The
//! domain-separated message is `1 || |ctx| || ctx || OID || PH(M)`, built
//! by [`PreHash::message_prime`].

use alloc::vec::Vec;

use crate::Error;
use crate::hash::{
    Hash, Sha3_224, Sha3_256, Sha3_384, Sha3_512, Sha224, Sha256, Sha384, Sha512, Sha512_224, Sha512_256, Shake128,
    Shake256,
};

/// A hash function for the pre-hash signing variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PreHash {
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA-512/224.
    Sha512_224,
    /// SHA-512/256.
    Sha512_256,
    /// SHA3-224.
    Sha3_224,
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
    /// SHAKE128 with 256 bits of output.
    Shake128,
    /// SHAKE256 with 512 bits of output.
    Shake256,
}

impl PreHash {
    /// Every pre-hash function, in OID order of the NIST hash arc.
    pub const ALL: [PreHash; 12] = [
        Self::Sha256,
        Self::Sha384,
        Self::Sha512,
        Self::Sha224,
        Self::Sha512_224,
        Self::Sha512_256,
        Self::Sha3_224,
        Self::Sha3_256,
        Self::Sha3_384,
        Self::Sha3_512,
        Self::Shake128,
        Self::Shake256,
    ];

    /// The last arc of the OID 2.16.840.1.101.3.4.2.x.
    const fn arc(self) -> u8 {
        match self {
            Self::Sha256 => 1,
            Self::Sha384 => 2,
            Self::Sha512 => 3,
            Self::Sha224 => 4,
            Self::Sha512_224 => 5,
            Self::Sha512_256 => 6,
            Self::Sha3_224 => 7,
            Self::Sha3_256 => 8,
            Self::Sha3_384 => 9,
            Self::Sha3_512 => 10,
            Self::Shake128 => 11,
            Self::Shake256 => 12,
        }
    }

    /// The DER encoding of the function's OID (tag and length included), as
    /// FIPS 204 and 205 prepend it to the digest.
    #[must_use]
    pub const fn oid(self) -> [u8; 11] {
        [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, self.arc()]
    }

    /// Looks up NIST ACVP spellings (`SHA2-256`, `SHA3-384`, `SHAKE-128`,
    /// `SHA2-512/224`).
    #[must_use]
    pub fn from_acvp_name(name: &str) -> Option<Self> {
        Some(match name {
            "SHA2-224" => Self::Sha224,
            "SHA2-256" => Self::Sha256,
            "SHA2-384" => Self::Sha384,
            "SHA2-512" => Self::Sha512,
            "SHA2-512/224" => Self::Sha512_224,
            "SHA2-512/256" => Self::Sha512_256,
            "SHA3-224" => Self::Sha3_224,
            "SHA3-256" => Self::Sha3_256,
            "SHA3-384" => Self::Sha3_384,
            "SHA3-512" => Self::Sha3_512,
            "SHAKE-128" => Self::Shake128,
            "SHAKE-256" => Self::Shake256,
            _ => return None,
        })
    }

    /// PH(M).
    #[must_use]
    pub fn digest(self, msg: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha224 => Sha224::digest(msg).to_vec(),
            Self::Sha256 => Sha256::digest(msg).to_vec(),
            Self::Sha384 => Sha384::digest(msg).to_vec(),
            Self::Sha512 => Sha512::digest(msg).to_vec(),
            Self::Sha512_224 => Sha512_224::digest(msg).to_vec(),
            Self::Sha512_256 => Sha512_256::digest(msg).to_vec(),
            Self::Sha3_224 => Sha3_224::digest(msg).to_vec(),
            Self::Sha3_256 => Sha3_256::digest(msg).to_vec(),
            Self::Sha3_384 => Sha3_384::digest(msg).to_vec(),
            Self::Sha3_512 => Sha3_512::digest(msg).to_vec(),
            Self::Shake128 => {
                let mut out = alloc::vec![0u8; 32];
                Shake128::digest(msg, &mut out);
                out
            }
            Self::Shake256 => {
                let mut out = alloc::vec![0u8; 64];
                Shake256::digest(msg, &mut out);
                out
            }
        }
    }

    /// The pre-hash message `1 || |ctx| || ctx || OID || PH(M)`.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when `ctx` is longer than 255 bytes.
    pub fn message_prime(self, msg: &[u8], ctx: &[u8]) -> Result<Vec<u8>, Error> {
        let mut out = domain_prefix(1, ctx)?;
        out.extend_from_slice(&self.oid());
        out.extend_from_slice(&self.digest(msg));
        Ok(out)
    }
}

/// `domain || |ctx| || ctx`, refusing contexts over 255 bytes.
pub(crate) fn domain_prefix(domain: u8, ctx: &[u8]) -> Result<Vec<u8>, Error> {
    let len = u8::try_from(ctx.len()).map_err(|_| Error::InvalidLength {
        what: "signature context",
        expected: "at most 255",
        actual: ctx.len(),
    })?;
    let mut out = Vec::with_capacity(2 + ctx.len() + 11 + 64);
    out.extend_from_slice(&[domain, len]);
    out.extend_from_slice(ctx);
    Ok(out)
}
