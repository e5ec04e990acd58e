//! The legacy PKCS #12 password-based encryption schemes (RFC 7292
//! appendix C), read-only: what `openssl pkcs12 -legacy` and older
//! software write.
//!
//! Entry point: [`decrypt`]. Key and IV come from the appendix B KDF with
//! SHA-1 (IDs 1 and 2) over the BMP password; the cipher is 3DES or RC2 in
//! CBC mode with PKCS #5 padding. RC4 is refused. Nothing here is written:
//! these schemes are weak (RC2-40 has a 40-bit key) and not constant-time.

use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::kdf;
use crate::Error;
use crate::asn1::der::Reader;
use crate::asn1::oid;
use crate::cipher::des::TripleDes;
use crate::cipher::rc2::Rc2;
use crate::hash::HashAlgorithm;
use crate::pkcs5::Limits;

/// KDF diversifiers of appendix B.3.
const ID_KEY: u8 = 1;
const ID_IV: u8 = 2;

/// A legacy block cipher with its key. (One short-lived value per
/// decryption, so the size difference of the variants does not matter.)
#[allow(clippy::large_enum_variant)]
enum Cipher {
    TripleDes(TripleDes),
    Rc2(Rc2),
}

impl Cipher {
    fn decrypt_block(&self, block: &mut [u8; 8]) {
        match self {
            Self::TripleDes(c) => c.decrypt_block(block),
            Self::Rc2(c) => c.decrypt_block(block),
        }
    }
}

/// `(OID, key bytes, RC2 effective bits or 0 for 3DES)`.
const SCHEMES: [(&[u8], usize, usize); 4] = [
    (oid::PBE_SHA1_3DES, 24, 0),
    (oid::PBE_SHA1_2DES, 16, 0),
    (oid::PBE_SHA1_RC2_128, 16, 128),
    (oid::PBE_SHA1_RC2_40, 5, 40),
];

/// Decrypts `ciphertext` under the scheme `algorithm` whose
/// `pkcs-12PbeParams` (salt, iterations) `params` holds.
///
/// # Errors
/// [`Error::Unsupported`] for another scheme (named when recognised);
/// [`Error::InvalidParameter`] when the iteration count exceeds `limits`;
/// [`Error::DecryptionFailed`] for bad padding or length.
pub(crate) fn decrypt(
    algorithm: &[u8],
    params: &mut Reader<'_>,
    password: &[u8],
    ciphertext: &[u8],
    limits: &Limits,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let Some(&(_, key_len, rc2_bits)) = SCHEMES.iter().find(|(o, ..)| *o == algorithm) else {
        return Err(crate::pkcs5::unsupported_scheme(algorithm));
    };
    let salt = params.octet_string()?;
    let iterations = u32::try_from(params.small_unsigned()?)
        .map_err(|_| Error::Malformed { what: "PKCS #12 PBE parameters", reason: "iteration count above 2^32" })?;
    if iterations > limits.max_iterations {
        return Err(Error::InvalidParameter {
            what: "PKCS #12 PBE iteration count",
            reason: "above the configured limit",
        });
    }
    let bmp = kdf::bmp_password(password);
    let mut key = Zeroizing::new(alloc::vec![0u8; key_len]);
    kdf::derive(HashAlgorithm::Sha1, ID_KEY, &bmp, salt, iterations, &mut key)?;
    let mut iv = [0u8; 8];
    kdf::derive(HashAlgorithm::Sha1, ID_IV, &bmp, salt, iterations, &mut iv)?;
    let cipher = if rc2_bits == 0 {
        Cipher::TripleDes(TripleDes::new(&key).ok_or(Error::DecryptionFailed)?)
    } else {
        Cipher::Rc2(Rc2::new(&key, rc2_bits).ok_or(Error::DecryptionFailed)?)
    };
    crate::cipher::modes::cbc::decrypt_padded_64(|block| cipher.decrypt_block(block), iv, ciphertext)
}
