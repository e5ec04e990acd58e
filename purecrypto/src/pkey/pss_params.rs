//! `RSASSA-PSS-params` (RFC 4055 §3.1, RFC 8017 A.2.3): the hash, MGF1
//! hash and salt length that an `id-RSASSA-PSS` key restricts itself to,
//! and that a PSS signature's `AlgorithmIdentifier` names. Certificates
//! and keys share the structure; for a key the salt length is a minimum,
//! for a signature it is exact.
//!
//! Entry points: [`RsassaPssParams::from_der`], [`RsassaPssParams::to_der`].
//!
//! Fields equal to their DEFAULT (SHA-1, MGF1 with SHA-1, 20, trailer 1)
//! are omitted when writing, as DER requires; hash identifiers are written
//! with NULL parameters, as OpenSSL writes them, so its files re-encode
//! byte for byte.

use alloc::vec::Vec;

use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::oid;
use crate::hash::HashAlgorithm;

/// The DEFAULT salt length of `RSASSA-PSS-params`.
const DEFAULT_SALT_LEN: usize = 20;

/// The parameters of RSASSA-PSS as `RSASSA-PSS-params` carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RsassaPssParams {
    /// The message hash.
    pub hash: HashAlgorithm,
    /// The hash MGF1 runs over.
    pub mgf1_hash: HashAlgorithm,
    /// The salt length in bytes (a minimum for keys, exact for
    /// signatures).
    pub salt_len: usize,
}

impl RsassaPssParams {
    /// The structure's DEFAULT values: SHA-1, MGF1 with SHA-1, 20 bytes.
    pub const DEFAULT: Self =
        Self { hash: HashAlgorithm::Sha1, mgf1_hash: HashAlgorithm::Sha1, salt_len: DEFAULT_SALT_LEN };

    /// `hash` for both the message and MGF1, with a salt as long as the
    /// digest (RFC 8017's recommendation).
    #[must_use]
    pub const fn new(hash: HashAlgorithm) -> Self {
        Self { hash, mgf1_hash: hash, salt_len: hash.output_len() }
    }

    /// Decodes the DER of `RSASSA-PSS-params`.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER; [`Error::Unsupported`] for a hash
    /// other than SHA-1 / SHA-2, a mask function other than MGF1 or a
    /// trailer field other than 1.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(der);
        let params = Self::read(&mut r)?;
        r.finish()?;
        Ok(params)
    }

    /// Reads the `SEQUENCE` from `r`.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut seq = r.sequence()?;
        let hash = match seq.optional_explicit(0)? {
            Some(mut e) => {
                let h = read_hash_id(&mut e)?;
                e.finish()?;
                h
            }
            None => HashAlgorithm::Sha1,
        };
        let mgf1_hash = match seq.optional_explicit(1)? {
            Some(mut e) => {
                let mut mgf = e.sequence()?;
                if mgf.oid()? != oid::MGF1 {
                    return Err(Error::Unsupported { what: "RSASSA-PSS mask generation function" });
                }
                let h = read_hash_id(&mut mgf)?;
                mgf.finish()?;
                e.finish()?;
                h
            }
            None => HashAlgorithm::Sha1,
        };
        let salt_len = match seq.optional_explicit(2)? {
            Some(mut e) => {
                let v = e.small_unsigned()?;
                e.finish()?;
                usize::try_from(v)
                    .map_err(|_| Error::Malformed { what: "RSASSA-PSS", reason: "salt length too large" })?
            }
            None => DEFAULT_SALT_LEN,
        };
        if let Some(mut e) = seq.optional_explicit(3)? {
            if e.small_unsigned()? != 1 {
                return Err(Error::Unsupported { what: "RSASSA-PSS trailer field other than 1" });
            }
            e.finish()?;
        }
        seq.finish()?;
        Ok(Self { hash, mgf1_hash, salt_len })
    }

    /// The DER of `RSASSA-PSS-params`.
    #[must_use]
    pub fn to_der(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.write(&mut w);
        w.finish()
    }

    /// Writes the `SEQUENCE` into `w`.
    pub(crate) fn write(&self, w: &mut Writer) {
        w.sequence(|w| {
            if self.hash != HashAlgorithm::Sha1 {
                w.explicit(0, |w| write_hash_id(w, self.hash));
            }
            if self.mgf1_hash != HashAlgorithm::Sha1 {
                w.explicit(1, |w| {
                    w.sequence(|w| {
                        w.oid(oid::MGF1);
                        write_hash_id(w, self.mgf1_hash);
                    });
                });
            }
            if self.salt_len != DEFAULT_SALT_LEN {
                w.explicit(2, |w| w.small_unsigned(self.salt_len as u64));
            }
        });
    }
}

fn hash_from_oid(o: &[u8]) -> Result<HashAlgorithm, Error> {
    Ok(match o {
        oid::SHA1 => HashAlgorithm::Sha1,
        oid::SHA224 => HashAlgorithm::Sha224,
        oid::SHA256 => HashAlgorithm::Sha256,
        oid::SHA384 => HashAlgorithm::Sha384,
        oid::SHA512 => HashAlgorithm::Sha512,
        _ => return Err(Error::Unsupported { what: "hash algorithm in RSASSA-PSS parameters" }),
    })
}

/// The OID of a hash `RSASSA-PSS-params` can name (SHA-256 for the others,
/// which [`RsassaPssParams::from_der`] never produces).
pub(crate) fn hash_oid(h: HashAlgorithm) -> &'static [u8] {
    match h {
        HashAlgorithm::Sha1 => oid::SHA1,
        HashAlgorithm::Sha224 => oid::SHA224,
        HashAlgorithm::Sha384 => oid::SHA384,
        HashAlgorithm::Sha512 => oid::SHA512,
        _ => oid::SHA256,
    }
}

/// Reads a hash `AlgorithmIdentifier` (parameters absent or NULL).
fn read_hash_id(r: &mut Reader<'_>) -> Result<HashAlgorithm, Error> {
    let mut seq = r.sequence()?;
    let h = hash_from_oid(seq.oid()?)?;
    if !seq.is_empty() {
        seq.null()?;
    }
    seq.finish()?;
    Ok(h)
}

fn write_hash_id(w: &mut Writer, h: HashAlgorithm) {
    w.sequence(|w| {
        w.oid(hash_oid(h));
        w.null();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parameters `openssl genpkey -algorithm RSA-PSS -pkeyopt
    /// rsa_pss_keygen_md:sha256 -pkeyopt rsa_pss_keygen_mgf1_md:sha256
    /// -pkeyopt rsa_pss_keygen_saltlen:32` writes (from `asn1parse`).
    const OPENSSL_SHA256_32: [u8; 54] = [
        0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
        0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d,
        0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20,
    ];

    #[test]
    fn openssl_encoding_round_trips() {
        let p = RsassaPssParams::from_der(&OPENSSL_SHA256_32).unwrap();
        assert_eq!(p, RsassaPssParams::new(HashAlgorithm::Sha256));
        assert_eq!(p.to_der(), OPENSSL_SHA256_32);
    }

    #[test]
    fn defaults_are_omitted_and_implied() {
        assert_eq!(RsassaPssParams::DEFAULT.to_der(), [0x30, 0x00]);
        assert_eq!(RsassaPssParams::from_der(&[0x30, 0x00]).unwrap(), RsassaPssParams::DEFAULT);
        let only_hash = RsassaPssParams { hash: HashAlgorithm::Sha512, ..RsassaPssParams::DEFAULT };
        assert_eq!(RsassaPssParams::from_der(&only_hash.to_der()).unwrap(), only_hash);
    }

    #[test]
    fn bad_parameters_are_errors() {
        // Trailer field 2.
        assert!(matches!(
            RsassaPssParams::from_der(&[0x30, 0x05, 0xa3, 0x03, 0x02, 0x01, 0x02]),
            Err(Error::Unsupported { .. })
        ));
        // An MGF other than MGF1 (the OID of sha256 in its place).
        let mut bad_mgf = OPENSSL_SHA256_32;
        bad_mgf[25..34].copy_from_slice(&[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]);
        assert!(matches!(RsassaPssParams::from_der(&bad_mgf), Err(Error::Unsupported { .. })));
        // Trailing bytes, truncation.
        assert!(RsassaPssParams::from_der(&[0x30, 0x00, 0x00]).is_err());
        assert!(RsassaPssParams::from_der(&OPENSSL_SHA256_32[..20]).is_err());
    }

    proptest::proptest! {
        #[test]
        fn round_trips_and_never_panics(
            hashes in (0usize..5, 0usize..5),
            salt_len in 0usize..600,
            junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
        ) {
            let all = [
                HashAlgorithm::Sha1,
                HashAlgorithm::Sha224,
                HashAlgorithm::Sha256,
                HashAlgorithm::Sha384,
                HashAlgorithm::Sha512,
            ];
            let p = RsassaPssParams { hash: all[hashes.0], mgf1_hash: all[hashes.1], salt_len };
            proptest::prop_assert_eq!(RsassaPssParams::from_der(&p.to_der()), Ok(p));
            let _ = RsassaPssParams::from_der(&junk);
        }
    }
}
