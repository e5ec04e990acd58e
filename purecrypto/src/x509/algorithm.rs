//! Signature algorithms of certificates, CSRs and CRLs: decoding the
//! `AlgorithmIdentifier`, verifying a signature with a
//! `SubjectPublicKeyInfo`, and the weak-algorithm policy.
//!
//! Entry points: [`SignatureAlgorithm::read`], [`verify_signature`],
//! [`SignatureAlgorithm::write`], [`public_key_bits`].

use super::oids;
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::oid;
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::ec::{P256, P384, P521};
use crate::hash::HashAlgorithm;
use crate::pkey::RsassaPssParams;
use crate::rsa::{Mgf, PssHash, PssParams, RsaPublicKey, SaltLength};

/// A certificate signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with the hash (MD5 and SHA-1 included so that
    /// policy, not parsing, rejects them).
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS with MGF1 over `mgf_hash` and `salt_len` bytes of salt.
    RsaPss {
        /// The message hash.
        hash: HashAlgorithm,
        /// The MGF1 hash.
        mgf_hash: HashAlgorithm,
        /// The salt length.
        salt_len: usize,
    },
    /// ECDSA with the hash (the curve comes from the key).
    Ecdsa(HashAlgorithm),
    /// Ed25519 (pure).
    Ed25519,
    /// Ed448 (pure).
    Ed448,
    /// ML-DSA-44 / 65 / 87 (pure, empty context; FIPS 204 in X.509 per
    /// RFC 9881).
    MlDsa(u8),
}

fn read_pss_params(params: &[u8]) -> Result<SignatureAlgorithm, Error> {
    let RsassaPssParams { hash, mgf1_hash, salt_len } = RsassaPssParams::from_der(params)?;
    Ok(SignatureAlgorithm::RsaPss { hash, mgf_hash: mgf1_hash, salt_len })
}

impl SignatureAlgorithm {
    /// Reads an `AlgorithmIdentifier` naming a signature algorithm.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for an unknown OID; [`Error::Malformed`] for
    /// parameters the algorithm forbids (RSA PKCS #1 requires NULL or
    /// absent; ECDSA and EdDSA require absent).
    pub fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut seq = r.sequence()?;
        let algorithm = seq.oid()?;
        let params = if seq.is_empty() { None } else { Some(seq.any_raw()?) };
        seq.finish()?;
        let rsa = |h| match params {
            None | Some([0x05, 0x00]) => Ok(Self::RsaPkcs1(h)),
            _ => Err(Error::Malformed { what: "signature algorithm", reason: "RSA parameters must be NULL" }),
        };
        let no_params = |alg| match params {
            None => Ok(alg),
            Some(_) => Err(Error::Malformed { what: "signature algorithm", reason: "parameters must be absent" }),
        };
        match algorithm {
            oids::MD5_WITH_RSA => rsa(HashAlgorithm::Md5),
            oid::SHA1_WITH_RSA => rsa(HashAlgorithm::Sha1),
            oid::SHA224_WITH_RSA => rsa(HashAlgorithm::Sha224),
            oid::SHA256_WITH_RSA => rsa(HashAlgorithm::Sha256),
            oid::SHA384_WITH_RSA => rsa(HashAlgorithm::Sha384),
            oid::SHA512_WITH_RSA => rsa(HashAlgorithm::Sha512),
            oid::RSASSA_PSS => read_pss_params(
                params
                    .ok_or(Error::Malformed { what: "signature algorithm", reason: "RSASSA-PSS without parameters" })?,
            ),
            oids::ECDSA_WITH_SHA1 => no_params(Self::Ecdsa(HashAlgorithm::Sha1)),
            oids::ECDSA_WITH_SHA224 => no_params(Self::Ecdsa(HashAlgorithm::Sha224)),
            oid::ECDSA_WITH_SHA256 => no_params(Self::Ecdsa(HashAlgorithm::Sha256)),
            oid::ECDSA_WITH_SHA384 => no_params(Self::Ecdsa(HashAlgorithm::Sha384)),
            oid::ECDSA_WITH_SHA512 => no_params(Self::Ecdsa(HashAlgorithm::Sha512)),
            oid::ED25519 => no_params(Self::Ed25519),
            oid::ED448 => no_params(Self::Ed448),
            oid::ML_DSA_44 => no_params(Self::MlDsa(44)),
            oid::ML_DSA_65 => no_params(Self::MlDsa(65)),
            oid::ML_DSA_87 => no_params(Self::MlDsa(87)),
            _ => Err(Error::Unsupported { what: "signature algorithm" }),
        }
    }

    /// Writes the `AlgorithmIdentifier`.
    pub fn write(&self, w: &mut Writer) {
        w.sequence(|w| match *self {
            Self::RsaPkcs1(h) => {
                w.oid(match h {
                    HashAlgorithm::Md5 => oids::MD5_WITH_RSA,
                    HashAlgorithm::Sha1 => oid::SHA1_WITH_RSA,
                    HashAlgorithm::Sha224 => oid::SHA224_WITH_RSA,
                    HashAlgorithm::Sha384 => oid::SHA384_WITH_RSA,
                    HashAlgorithm::Sha512 => oid::SHA512_WITH_RSA,
                    _ => oid::SHA256_WITH_RSA,
                });
                w.null();
            }
            Self::RsaPss { hash, mgf_hash, salt_len } => {
                w.oid(oid::RSASSA_PSS);
                RsassaPssParams { hash, mgf1_hash: mgf_hash, salt_len }.write(w);
            }
            Self::Ecdsa(h) => w.oid(match h {
                HashAlgorithm::Sha1 => oids::ECDSA_WITH_SHA1,
                HashAlgorithm::Sha224 => oids::ECDSA_WITH_SHA224,
                HashAlgorithm::Sha384 => oid::ECDSA_WITH_SHA384,
                HashAlgorithm::Sha512 => oid::ECDSA_WITH_SHA512,
                _ => oid::ECDSA_WITH_SHA256,
            }),
            Self::Ed25519 => w.oid(oid::ED25519),
            Self::Ed448 => w.oid(oid::ED448),
            Self::MlDsa(44) => w.oid(oid::ML_DSA_44),
            Self::MlDsa(65) => w.oid(oid::ML_DSA_65),
            Self::MlDsa(_) => w.oid(oid::ML_DSA_87),
        });
    }

    /// The hash whose collision resistance the signature rests on (none
    /// for the EdDSA and ML-DSA, which hash internally).
    #[must_use]
    pub const fn digest(&self) -> Option<HashAlgorithm> {
        match *self {
            Self::RsaPkcs1(h) | Self::Ecdsa(h) | Self::RsaPss { hash: h, .. } => Some(h),
            Self::Ed25519 | Self::Ed448 | Self::MlDsa(_) => None,
        }
    }

    /// Whether policy refuses the digest (MD5 or SHA-1: collisions are
    /// practical, so a CA signature over them proves nothing).
    #[must_use]
    pub fn is_weak(&self) -> bool {
        matches!(self.digest(), Some(HashAlgorithm::Md5 | HashAlgorithm::Sha1))
            || matches!(self, Self::RsaPss { mgf_hash: HashAlgorithm::Md5 | HashAlgorithm::Sha1, .. })
    }

    /// OpenSSL's name for `-text` (`sha256WithRSAEncryption`...).
    #[must_use]
    pub fn openssl_name(&self) -> &'static str {
        match *self {
            Self::RsaPkcs1(HashAlgorithm::Md5) => "md5WithRSAEncryption",
            Self::RsaPkcs1(HashAlgorithm::Sha1) => "sha1WithRSAEncryption",
            Self::RsaPkcs1(HashAlgorithm::Sha224) => "sha224WithRSAEncryption",
            Self::RsaPkcs1(HashAlgorithm::Sha384) => "sha384WithRSAEncryption",
            Self::RsaPkcs1(HashAlgorithm::Sha512) => "sha512WithRSAEncryption",
            Self::RsaPkcs1(_) => "sha256WithRSAEncryption",
            Self::RsaPss { .. } => "rsassaPss",
            Self::Ecdsa(HashAlgorithm::Sha1) => "ecdsa-with-SHA1",
            Self::Ecdsa(HashAlgorithm::Sha224) => "ecdsa-with-SHA224",
            Self::Ecdsa(HashAlgorithm::Sha384) => "ecdsa-with-SHA384",
            Self::Ecdsa(HashAlgorithm::Sha512) => "ecdsa-with-SHA512",
            Self::Ecdsa(_) => "ecdsa-with-SHA256",
            Self::Ed25519 => "ED25519",
            Self::Ed448 => "ED448",
            Self::MlDsa(44) => "ML-DSA-44",
            Self::MlDsa(65) => "ML-DSA-65",
            Self::MlDsa(_) => "ML-DSA-87",
        }
    }
}

/// The curve OID of an EC SPKI, `None` for another algorithm.
fn ec_curve<'a>(spki: &SubjectPublicKeyInfo<'a>) -> Option<&'a [u8]> {
    if spki.algorithm != oid::EC_PUBLIC_KEY {
        return None;
    }
    let mut r = Reader::new(spki.parameters?);
    r.oid().ok()
}

/// The security-relevant size of a public key in bits: the RSA modulus
/// length, the curve size, or a fixed figure for EdDSA / ML-DSA.
///
/// # Errors
/// [`Error::Malformed`] / [`Error::Unsupported`] for a key that does not
/// decode.
pub fn public_key_bits(spki_der: &[u8]) -> Result<usize, Error> {
    let spki = SubjectPublicKeyInfo::from_der(spki_der)?;
    Ok(match spki.algorithm {
        oid::RSA_ENCRYPTION | oid::RSASSA_PSS => rsa_from_any_spki(&spki)?.bits(),
        oid::EC_PUBLIC_KEY => match ec_curve(&spki) {
            Some(oid::SECP256R1) => 256,
            Some(oid::SECP384R1) => 384,
            Some(oid::SECP521R1) => 521,
            _ => return Err(Error::Unsupported { what: "EC curve" }),
        },
        oid::ED25519 => 256,
        oid::ED448 => 456,
        oid::ML_DSA_44 | oid::ML_DSA_65 | oid::ML_DSA_87 => 2048,
        _ => return Err(Error::Unsupported { what: "public key algorithm" }),
    })
}

/// Verifies `signature` over `message` with the key in `spki_der` under
/// `algorithm`. The key type must match the algorithm.
///
/// # Errors
/// [`Error::VerificationFailed`] for a bad signature; [`Error::Unsupported`]
/// when the key does not fit the algorithm; decode errors for bad keys.
pub fn verify_signature(
    algorithm: &SignatureAlgorithm,
    spki_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let spki = SubjectPublicKeyInfo::from_der(spki_der)?;
    let mismatch = Error::Unsupported { what: "public key type does not match the signature algorithm" };
    match *algorithm {
        SignatureAlgorithm::RsaPkcs1(h) => {
            if spki.algorithm != oid::RSA_ENCRYPTION {
                return Err(mismatch);
            }
            rsa_from_any_spki(&spki)?.verify_pkcs1v15(h, message, signature)
        }
        SignatureAlgorithm::RsaPss { hash, mgf_hash, salt_len } => {
            if spki.algorithm != oid::RSA_ENCRYPTION && spki.algorithm != oid::RSASSA_PSS {
                return Err(mismatch);
            }
            // RFC 4055 section 3.3: an `id-RSASSA-PSS` key's parameters bind
            // its signatures to their hashes and a minimum salt length.
            if spki.algorithm == oid::RSASSA_PSS
                && let Some(p) = spki.parameters
            {
                let r = RsassaPssParams::from_der(p)?;
                if r.hash != hash || r.mgf1_hash != mgf_hash || salt_len < r.salt_len {
                    return Err(Error::Unsupported { what: "RSA-PSS signature parameters the key does not allow" });
                }
            }
            let key = rsa_from_any_spki(&spki)?;
            let params =
                PssParams { hash: PssHash::Fixed(hash), mgf: Mgf::Mgf1(mgf_hash), salt: SaltLength::Exact(salt_len) };
            key.verify_pss(&params, message, signature)
        }
        SignatureAlgorithm::Ecdsa(h) => {
            match ec_curve(&spki) {
                Some(oid::SECP256R1) => crate::ec::ecdsa::VerifyingKey::<P256>::from_sec1(spki.public_key)?
                    .verify_der(h, message, signature),
                Some(oid::SECP384R1) => crate::ec::ecdsa::VerifyingKey::<P384>::from_sec1(spki.public_key)?
                    .verify_der(h, message, signature),
                Some(oid::SECP521R1) => crate::ec::ecdsa::VerifyingKey::<P521>::from_sec1(spki.public_key)?
                    .verify_der(h, message, signature),
                _ => Err(mismatch),
            }
        }
        SignatureAlgorithm::Ed25519 => {
            if spki.algorithm != oid::ED25519 {
                return Err(mismatch);
            }
            let key = crate::ed25519::VerifyingKey::from_slice(spki.public_key)?;
            key.verify(message, &crate::ed25519::Signature::from_slice(signature)?)
        }
        SignatureAlgorithm::Ed448 => {
            if spki.algorithm != oid::ED448 {
                return Err(mismatch);
            }
            let key = crate::ed448::VerifyingKey::from_slice(spki.public_key)?;
            key.verify(&[], message, &crate::ed448::Signature::from_slice(signature)?)
        }
        SignatureAlgorithm::MlDsa(level) => verify_mldsa(level, &spki, message, signature),
    }
}

fn verify_mldsa(level: u8, spki: &SubjectPublicKeyInfo<'_>, message: &[u8], signature: &[u8]) -> Result<(), Error> {
    use crate::mldsa::{MlDsa44, MlDsa65, MlDsa87, Signature, VerifyingKey};
    let expected = match level {
        44 => oid::ML_DSA_44,
        65 => oid::ML_DSA_65,
        _ => oid::ML_DSA_87,
    };
    if spki.algorithm != expected {
        return Err(Error::Unsupported { what: "public key type does not match the signature algorithm" });
    }
    match level {
        44 => VerifyingKey::<MlDsa44>::from_bytes(spki.public_key)?.verify(
            message,
            &[],
            &Signature::<MlDsa44>::from_bytes(signature)?,
        ),
        65 => VerifyingKey::<MlDsa65>::from_bytes(spki.public_key)?.verify(
            message,
            &[],
            &Signature::<MlDsa65>::from_bytes(signature)?,
        ),
        _ => VerifyingKey::<MlDsa87>::from_bytes(spki.public_key)?.verify(
            message,
            &[],
            &Signature::<MlDsa87>::from_bytes(signature)?,
        ),
    }
}

/// An RSA key from an `rsaEncryption` or `id-RSASSA-PSS` SPKI.
fn rsa_from_any_spki(spki: &SubjectPublicKeyInfo<'_>) -> Result<RsaPublicKey, Error> {
    let mut r = Reader::new(spki.public_key);
    let mut seq = r.sequence()?;
    let n = seq.unsigned_integer()?;
    let e = seq.unsigned_integer()?;
    seq.finish()?;
    r.finish()?;
    RsaPublicKey::dangerous_new_allow_small(n, e)
}
