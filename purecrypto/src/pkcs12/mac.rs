//! The PFX integrity MAC (RFC 7292 section 4, `MacData`): HMAC over the
//! authenticated safe with a key from the appendix B KDF.
//!
//! Entry points: [`MacData::read`], [`MacData::verify`], [`write`].

use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::kdf::{self, ID_MAC};
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::oid;
use crate::hash::HashAlgorithm;
use crate::mac::DynHmac;
use crate::pkcs5::Limits;

/// The digests a PFX MAC may use, with their OIDs.
const DIGESTS: [(HashAlgorithm, &[u8]); 5] = [
    (HashAlgorithm::Sha1, oid::SHA1),
    (HashAlgorithm::Sha224, oid::SHA224),
    (HashAlgorithm::Sha256, oid::SHA256),
    (HashAlgorithm::Sha384, oid::SHA384),
    (HashAlgorithm::Sha512, oid::SHA512),
];

fn digest_oid(alg: HashAlgorithm) -> Result<&'static [u8], Error> {
    DIGESTS.iter().find(|(a, _)| *a == alg).map(|&(_, o)| o).ok_or(Error::Unsupported { what: "PKCS #12 MAC digest" })
}

/// A decoded `MacData`, borrowing from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MacData<'a> {
    alg: HashAlgorithm,
    digest: &'a [u8],
    salt: &'a [u8],
    iterations: u32,
}

impl<'a> MacData<'a> {
    /// Reads `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING,
    /// iterations INTEGER DEFAULT 1 }`.
    pub(crate) fn read(r: &mut Reader<'a>) -> Result<Self, Error> {
        let mut seq = r.sequence()?;
        let mut digest_info = seq.sequence()?;
        let mut alg_id = digest_info.sequence()?;
        let alg_oid = alg_id.oid()?;
        if alg_oid == oid::PBMAC1 {
            return Err(Error::Unsupported { what: "PKCS #12 PBMAC1 (RFC 9579) MAC" });
        }
        let alg = DIGESTS
            .iter()
            .find(|(_, o)| *o == alg_oid)
            .map(|&(a, _)| a)
            .ok_or(Error::Unsupported { what: "PKCS #12 MAC digest" })?;
        if !alg_id.is_empty() {
            alg_id.null()?;
        }
        alg_id.finish()?;
        let digest = digest_info.octet_string()?;
        digest_info.finish()?;
        let salt = seq.octet_string()?;
        let iterations = if seq.is_empty() {
            1
        } else {
            u32::try_from(seq.small_unsigned()?)
                .map_err(|_| Error::Malformed { what: "PKCS #12 MacData", reason: "iteration count above 2^32" })?
        };
        seq.finish()?;
        Ok(Self { alg, digest, salt, iterations })
    }

    /// Checks the MAC over `auth_safe` (the contents octets of the
    /// authenticated safe) in constant time.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] when it does not match;
    /// [`Error::InvalidParameter`] when the iteration count exceeds
    /// `limits`.
    pub(crate) fn verify(&self, password: &[u8], auth_safe: &[u8], limits: &Limits) -> Result<(), Error> {
        if self.iterations > limits.max_iterations {
            return Err(Error::InvalidParameter {
                what: "PKCS #12 MAC iteration count",
                reason: "above the configured limit",
            });
        }
        let bmp = kdf::bmp_password(password);
        let expected = compute(self.alg, &bmp, self.salt, self.iterations, auth_safe)?;
        if crate::ct::eq(&expected, self.digest) {
            return Ok(());
        }
        // OpenSSL writes files made with an empty password with an empty
        // (not NUL-terminated) BMP password; accept both readings of "".
        if password.is_empty() {
            let expected = compute(self.alg, &[], self.salt, self.iterations, auth_safe)?;
            if crate::ct::eq(&expected, self.digest) {
                return Ok(());
            }
        }
        Err(Error::VerificationFailed)
    }
}

/// HMAC-`alg` of `data` under the appendix B key (ID 3) of `bmp_password`.
fn compute(
    alg: HashAlgorithm,
    bmp_password: &[u8],
    salt: &[u8],
    iterations: u32,
    data: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut key = Zeroizing::new(alloc::vec![0u8; alg.output_len()]);
    kdf::derive(alg, ID_MAC, bmp_password, salt, iterations, &mut key)?;
    let mut hmac = DynHmac::new(alg, &key);
    hmac.update(data);
    Ok(hmac.finalize())
}

/// Writes `MacData` for `auth_safe` with a fresh `salt`.
pub(crate) fn write(
    w: &mut Writer,
    alg: HashAlgorithm,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    auth_safe: &[u8],
) -> Result<(), Error> {
    let digest_oid = digest_oid(alg)?;
    let digest = compute(alg, &kdf::bmp_password(password), salt, iterations, auth_safe)?;
    w.sequence(|w| {
        w.sequence(|w| {
            w.sequence(|w| {
                w.oid(digest_oid);
                w.null();
            });
            w.octet_string(&digest);
        });
        w.octet_string(salt);
        if iterations != 1 {
            w.small_unsigned(u64::from(iterations));
        }
    });
    Ok(())
}
