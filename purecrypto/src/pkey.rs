//! A key facade: one private-key and one public-key type for every
//! algorithm, read from and written to the standard containers (PKCS #8
//! for private keys, `SubjectPublicKeyInfo` for public keys, DER or PEM).
//!
//! Entry points: [`PrivateKey`] ([`PrivateKey::from_pkcs8_der`],
//! [`PrivateKey::read`] for PEM / DER / encrypted input,
//! [`PrivateKey::to_pkcs8_der`] in a chosen [`PrivateKeyForm`],
//! [`PrivateKey::public_key`], [`PrivateKey::sign`],
//! [`PrivateKey::decapsulate`]) and [`PublicKey`]
//! ([`PublicKey::from_spki_der`], [`PublicKey::to_spki_der`],
//! [`PublicKey::verify`], [`PublicKey::encapsulate`]). [`Algorithm`]
//! names a key type the way OpenSSL spells it (`ML-KEM-768`,
//! `ML-DSA-65`, `SLH-DSA-SHA2-128f`).
//!
//! Covered so far: the post-quantum keys, in the encodings of the IETF
//! LAMPS documents (draft-ietf-lamps-kyber-certificates for ML-KEM,
//! RFC 9881 for ML-DSA, RFC 9909 for SLH-DSA), which OpenSSL 3.5 and later
//! read and write: algorithm parameters absent; the ML-KEM / ML-DSA
//! private key a `CHOICE` of seed, expanded key or both
//! ([`PrivateKeyForm`]); the SLH-DSA private key its raw bytes. A "both"
//! key whose seed does not regenerate its expanded key is refused, as is
//! a PKCS #8 v2 public key that does not match the private key.

#[doc(hidden)]
pub mod fuzz;
mod mldsa;
mod mlkem;
mod seed_choice;
mod slhdsa;

pub use mldsa::{MlDsaPrivateKey, MlDsaPublicKey, MlDsaSet};
pub use mlkem::{MlKemPrivateKey, MlKemPublicKey};
pub use slhdsa::{SlhDsaPrivateKey, SlhDsaPublicKey, SlhDsaSet};

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::Error;
use crate::asn1::pem;
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::mlkem::{ParameterSet as MlKemSet, SharedSecret};
use crate::pkcs5::{EncryptOptions, Limits};
use crate::pkcs8::{self, PrivateKeyInfo};
use crate::rng::CryptoRng;

/// PEM label of a `SubjectPublicKeyInfo`.
pub const PUBLIC_KEY_PEM_LABEL: &str = "PUBLIC KEY";

/// A key type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// ML-KEM (FIPS 203).
    MlKem(MlKemSet),
    /// ML-DSA (FIPS 204).
    MlDsa(MlDsaSet),
    /// SLH-DSA (FIPS 205).
    SlhDsa(SlhDsaSet),
}

impl Algorithm {
    /// Every key type the facade handles.
    pub const ALL: [Self; 18] = [
        Self::MlKem(MlKemSet::MlKem512),
        Self::MlKem(MlKemSet::MlKem768),
        Self::MlKem(MlKemSet::MlKem1024),
        Self::MlDsa(MlDsaSet::MlDsa44),
        Self::MlDsa(MlDsaSet::MlDsa65),
        Self::MlDsa(MlDsaSet::MlDsa87),
        Self::SlhDsa(SlhDsaSet::Sha2_128s),
        Self::SlhDsa(SlhDsaSet::Sha2_128f),
        Self::SlhDsa(SlhDsaSet::Sha2_192s),
        Self::SlhDsa(SlhDsaSet::Sha2_192f),
        Self::SlhDsa(SlhDsaSet::Sha2_256s),
        Self::SlhDsa(SlhDsaSet::Sha2_256f),
        Self::SlhDsa(SlhDsaSet::Shake128s),
        Self::SlhDsa(SlhDsaSet::Shake128f),
        Self::SlhDsa(SlhDsaSet::Shake192s),
        Self::SlhDsa(SlhDsaSet::Shake192f),
        Self::SlhDsa(SlhDsaSet::Shake256s),
        Self::SlhDsa(SlhDsaSet::Shake256f),
    ];

    /// The name as FIPS and OpenSSL spell it (`ML-KEM-768`,
    /// `SLH-DSA-SHAKE-256f`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::MlKem(set) => set.name(),
            Self::MlDsa(set) => set.name(),
            Self::SlhDsa(set) => set.name(),
        }
    }

    /// The key type named `name`, compared without regard to case, so
    /// `ml-kem-768` works too (OpenSSL's names are case-insensitive).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|alg| alg.name().eq_ignore_ascii_case(name))
    }

    /// The algorithm OID's contents.
    #[must_use]
    pub const fn oid(self) -> &'static [u8] {
        match self {
            Self::MlKem(set) => mlkem::oid_of(set),
            Self::MlDsa(set) => set.oid(),
            Self::SlhDsa(set) => set.oid(),
        }
    }

    /// The key type with OID `algorithm`.
    #[must_use]
    pub fn from_oid(algorithm: &[u8]) -> Option<Self> {
        Self::ALL.into_iter().find(|alg| alg.oid() == algorithm)
    }

    /// Whether keys of this type sign (else they encapsulate).
    #[must_use]
    pub const fn is_signature(self) -> bool {
        !matches!(self, Self::MlKem(_))
    }
}

/// Which member of the ML-KEM / ML-DSA private-key `CHOICE` to write.
/// SLH-DSA keys have one encoding and ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PrivateKeyForm {
    /// What OpenSSL 3.5 and 4 write by default: both when the seed is
    /// known, else the expanded key.
    #[default]
    Default,
    /// The seed alone, `[0] IMPLICIT OCTET STRING` (the smallest form, and
    /// the only one the Python `cryptography` package reads).
    Seed,
    /// The expanded key alone, `OCTET STRING`.
    Expanded,
    /// `SEQUENCE { seed, expandedKey }`.
    Both,
}

impl PrivateKeyForm {
    /// The form named as in OpenSSL's `ml-kem.output_formats` /
    /// `ml-dsa.output_formats` (`seed-only`, `priv-only`, `seed-priv`), or
    /// `seed` / `expanded` / `both` / `default`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "default" => Some(Self::Default),
            "seed" | "seed-only" => Some(Self::Seed),
            "expanded" | "priv-only" => Some(Self::Expanded),
            "both" | "seed-priv" => Some(Self::Both),
            _ => None,
        }
    }
}

fn unsupported_algorithm() -> Error {
    Error::Unsupported { what: "key algorithm OID" }
}

fn check_no_parameters(parameters: Option<&[u8]>) -> Result<(), Error> {
    match parameters {
        None => Ok(()),
        Some(_) => Err(Error::Malformed { what: "algorithm identifier", reason: "parameters must be absent" }),
    }
}

/// A private key of any supported type. Zeroized on drop; `Debug` prints
/// only the type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PrivateKey {
    /// An ML-KEM decapsulation key.
    MlKem(MlKemPrivateKey),
    /// An ML-DSA signing key.
    MlDsa(MlDsaPrivateKey),
    /// An SLH-DSA signing key.
    SlhDsa(SlhDsaPrivateKey),
}

impl PrivateKey {
    /// A fresh key of type `algorithm`.
    ///
    /// # Errors
    /// The generator's error.
    pub fn generate(algorithm: Algorithm, rng: &mut (impl CryptoRng + ?Sized)) -> Result<Self, Error> {
        Ok(match algorithm {
            Algorithm::MlKem(set) => Self::MlKem(MlKemPrivateKey::generate(set, rng)?),
            Algorithm::MlDsa(set) => Self::MlDsa(MlDsaPrivateKey::generate(set, rng)?),
            Algorithm::SlhDsa(set) => Self::SlhDsa(SlhDsaPrivateKey::generate(set, rng)?),
        })
    }

    /// Decodes a plain PKCS #8 `PrivateKeyInfo` / `OneAsymmetricKey` (DER).
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER or present algorithm parameters,
    /// [`Error::Unsupported`] for an unknown algorithm, [`Error::InvalidKey`]
    /// / [`Error::InvalidLength`] for a key that fails its checks
    /// (including a "both" key whose halves disagree, or an embedded public
    /// key that does not match).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        let info = PrivateKeyInfo::from_der(der)?;
        let algorithm = Algorithm::from_oid(info.algorithm).ok_or_else(unsupported_algorithm)?;
        check_no_parameters(info.parameters)?;
        let key = match algorithm {
            Algorithm::MlKem(set) => Self::MlKem(MlKemPrivateKey::from_pkcs8_octets(set, info.private_key)?),
            Algorithm::MlDsa(set) => Self::MlDsa(MlDsaPrivateKey::from_pkcs8_octets(set, info.private_key)?),
            Algorithm::SlhDsa(set) => Self::SlhDsa(SlhDsaPrivateKey::from_pkcs8_octets(set, info.private_key)?),
        };
        if let Some(public) = info.public_key
            && key.public_key().as_bytes() != public
        {
            return Err(Error::InvalidKey { reason: "the PKCS #8 public key does not match the private key" });
        }
        Ok(key)
    }

    /// Decodes a plain PKCS #8 key in PEM (`PRIVATE KEY`).
    ///
    /// # Errors
    /// As [`from_pkcs8_der`](Self::from_pkcs8_der), and [`Error::Malformed`]
    /// for bad PEM or another label.
    pub fn from_pkcs8_pem(pem_text: &[u8]) -> Result<Self, Error> {
        let block = pem::decode_label(pem_text, pkcs8::PEM_LABEL)?;
        Self::from_pkcs8_der(&block.contents)
    }

    /// Reads a PKCS #8 key given as PEM or DER, plain or encrypted (PBES2;
    /// `password` is needed for encrypted input), with the default KDF
    /// cost limits.
    ///
    /// # Errors
    /// As [`pkcs8::read`] and [`from_pkcs8_der`](Self::from_pkcs8_der).
    pub fn read(input: &[u8], password: Option<&[u8]>) -> Result<Self, Error> {
        let der = pkcs8::read(input, password, &Limits::DEFAULT)?;
        Self::from_pkcs8_der(&der)
    }

    /// The key type.
    #[must_use]
    pub const fn algorithm(&self) -> Algorithm {
        match self {
            Self::MlKem(k) => Algorithm::MlKem(k.parameter_set()),
            Self::MlDsa(k) => Algorithm::MlDsa(k.parameter_set()),
            Self::SlhDsa(k) => Algorithm::SlhDsa(k.parameter_set()),
        }
    }

    /// The PKCS #8 v1 DER, the private key in `form` (zeroized on drop).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `form` needs a seed the key was
    /// loaded without.
    pub fn to_pkcs8_der(&self, form: PrivateKeyForm) -> Result<Zeroizing<Vec<u8>>, Error> {
        let octets = match self {
            Self::MlKem(k) => k.to_pkcs8_octets(form)?,
            Self::MlDsa(k) => k.to_pkcs8_octets(form)?,
            Self::SlhDsa(k) => Zeroizing::new(k.as_bytes().to_vec()),
        };
        Ok(PrivateKeyInfo::new(self.algorithm().oid(), None, &octets).to_der())
    }

    /// [`to_pkcs8_der`](Self::to_pkcs8_der) as PEM (`PRIVATE KEY`).
    ///
    /// # Errors
    /// As [`to_pkcs8_der`](Self::to_pkcs8_der).
    pub fn to_pkcs8_pem(&self, form: PrivateKeyForm) -> Result<Zeroizing<String>, Error> {
        Ok(Zeroizing::new(pem::encode(pkcs8::PEM_LABEL, &self.to_pkcs8_der(form)?)))
    }

    /// The PBES2-encrypted PKCS #8 DER under `password`, with OpenSSL's
    /// default scheme (PBKDF2-HMAC-SHA256, AES-256-CBC).
    ///
    /// # Errors
    /// As [`to_pkcs8_der`](Self::to_pkcs8_der) and [`pkcs8::encrypt`].
    pub fn to_pkcs8_encrypted_der(
        &self,
        form: PrivateKeyForm,
        password: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<Vec<u8>, Error> {
        pkcs8::encrypt(&self.to_pkcs8_der(form)?, password, &EncryptOptions::DEFAULT, rng)
    }

    /// [`to_pkcs8_encrypted_der`](Self::to_pkcs8_encrypted_der) as PEM
    /// (`ENCRYPTED PRIVATE KEY`).
    ///
    /// # Errors
    /// As [`to_pkcs8_encrypted_der`](Self::to_pkcs8_encrypted_der).
    pub fn to_pkcs8_encrypted_pem(
        &self,
        form: PrivateKeyForm,
        password: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<String, Error> {
        pkcs8::encrypt_pem(&self.to_pkcs8_der(form)?, password, &EncryptOptions::DEFAULT, rng)
    }

    /// The matching public key.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        match self {
            Self::MlKem(k) => PublicKey::MlKem(k.public_key()),
            Self::MlDsa(k) => PublicKey::MlDsa(k.public_key()),
            Self::SlhDsa(k) => PublicKey::SlhDsa(k.public_key()),
        }
    }

    /// Signs `msg` (pure ML-DSA / SLH-DSA with context `ctx`, at most 255
    /// bytes): hedged / randomized with `rng`, deterministic with `None`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a KEM key; [`Error::InvalidLength`] for a
    /// long context; generator failures.
    pub fn sign<R: CryptoRng>(&self, msg: &[u8], ctx: &[u8], rng: Option<&mut R>) -> Result<Vec<u8>, Error> {
        match self {
            Self::MlKem(_) => Err(Error::Unsupported { what: "signing with a KEM key" }),
            Self::MlDsa(k) => k.sign(msg, ctx, rng),
            Self::SlhDsa(k) => k.sign(msg, ctx, rng),
        }
    }

    /// Decapsulates `ciphertext` (ML-KEM keys only).
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a signature key; [`Error::InvalidLength`]
    /// for a ciphertext of the wrong length.
    pub fn decapsulate(&self, ciphertext: &[u8]) -> Result<SharedSecret, Error> {
        match self {
            Self::MlKem(k) => k.decapsulate(ciphertext),
            _ => Err(Error::Unsupported { what: "decapsulation with a signature key" }),
        }
    }
}

/// A public key of any supported type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// An ML-KEM encapsulation key.
    MlKem(MlKemPublicKey),
    /// An ML-DSA verification key.
    MlDsa(MlDsaPublicKey),
    /// An SLH-DSA verification key.
    SlhDsa(SlhDsaPublicKey),
}

impl PublicKey {
    /// The public key of type `algorithm` from its raw encoding.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] / [`Error::InvalidKey`].
    pub fn from_raw(algorithm: Algorithm, bytes: &[u8]) -> Result<Self, Error> {
        Ok(match algorithm {
            Algorithm::MlKem(set) => Self::MlKem(MlKemPublicKey::from_bytes(set, bytes)?),
            Algorithm::MlDsa(set) => Self::MlDsa(MlDsaPublicKey::from_bytes(set, bytes)?),
            Algorithm::SlhDsa(set) => Self::SlhDsa(SlhDsaPublicKey::from_bytes(set, bytes)?),
        })
    }

    /// Decodes a DER `SubjectPublicKeyInfo`.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER or present parameters,
    /// [`Error::Unsupported`] for an unknown algorithm,
    /// [`Error::InvalidLength`] / [`Error::InvalidKey`] for a bad key.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        let spki = SubjectPublicKeyInfo::from_der(der)?;
        let algorithm = Algorithm::from_oid(spki.algorithm).ok_or_else(unsupported_algorithm)?;
        check_no_parameters(spki.parameters)?;
        Self::from_raw(algorithm, spki.public_key)
    }

    /// Decodes a PEM `SubjectPublicKeyInfo` (`PUBLIC KEY`).
    ///
    /// # Errors
    /// As [`from_spki_der`](Self::from_spki_der), and [`Error::Malformed`]
    /// for bad PEM or another label.
    pub fn from_spki_pem(pem_text: &[u8]) -> Result<Self, Error> {
        let block = pem::decode_label(pem_text, PUBLIC_KEY_PEM_LABEL)?;
        Self::from_spki_der(&block.contents)
    }

    /// The key type.
    #[must_use]
    pub const fn algorithm(&self) -> Algorithm {
        match self {
            Self::MlKem(k) => Algorithm::MlKem(k.parameter_set()),
            Self::MlDsa(k) => Algorithm::MlDsa(k.parameter_set()),
            Self::SlhDsa(k) => Algorithm::SlhDsa(k.parameter_set()),
        }
    }

    /// The raw public key (the `subjectPublicKey` bits).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::MlKem(k) => k.as_bytes(),
            Self::MlDsa(k) => k.as_bytes(),
            Self::SlhDsa(k) => k.as_bytes(),
        }
    }

    /// The DER `SubjectPublicKeyInfo`.
    #[must_use]
    pub fn to_spki_der(&self) -> Vec<u8> {
        SubjectPublicKeyInfo { algorithm: self.algorithm().oid(), parameters: None, public_key: self.as_bytes() }
            .to_der()
    }

    /// The PEM `SubjectPublicKeyInfo` (`PUBLIC KEY`).
    #[must_use]
    pub fn to_spki_pem(&self) -> String {
        pem::encode(PUBLIC_KEY_PEM_LABEL, &self.to_spki_der())
    }

    /// Verifies `signature` on `msg` with context `ctx`.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`]; [`Error::InvalidLength`] for a
    /// signature of the wrong size; [`Error::Unsupported`] for a KEM key.
    pub fn verify(&self, msg: &[u8], ctx: &[u8], signature: &[u8]) -> Result<(), Error> {
        match self {
            Self::MlKem(_) => Err(Error::Unsupported { what: "verifying with a KEM key" }),
            Self::MlDsa(k) => k.verify(msg, ctx, signature),
            Self::SlhDsa(k) => k.verify(msg, ctx, signature),
        }
    }

    /// Encapsulates to this key (ML-KEM only): `(ciphertext, secret)`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a signature key; generator failures.
    pub fn encapsulate(&self, rng: &mut (impl CryptoRng + ?Sized)) -> Result<(Vec<u8>, SharedSecret), Error> {
        match self {
            Self::MlKem(k) => k.encapsulate(rng),
            _ => Err(Error::Unsupported { what: "encapsulation to a signature key" }),
        }
    }
}

#[cfg(test)]
mod tests;
