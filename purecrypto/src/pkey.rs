//! A key facade: one private-key and one public-key type for every
//! algorithm, read from and written to the standard containers (PKCS #8
//! for private keys, `SubjectPublicKeyInfo` for public keys, DER or PEM).
//!
//! Entry points: [`PrivateKey`] ([`PrivateKey::from_pkcs8_der`],
//! [`PrivateKey::read`] for PEM / DER / encrypted / traditional input,
//! [`PrivateKey::to_pkcs8_der`] in a chosen [`PrivateKeyForm`],
//! [`PrivateKey::public_key`], [`PrivateKey::sign`],
//! [`PrivateKey::decapsulate`], and for the classical keys
//! [`PrivateKey::sign_with`], [`PrivateKey::decrypt`],
//! [`PrivateKey::derive`]) and [`PublicKey`] ([`PublicKey::from_spki_der`],
//! [`PublicKey::read`], [`PublicKey::to_spki_der`], [`PublicKey::verify`],
//! [`PublicKey::verify_with`], [`PublicKey::encrypt`],
//! [`PublicKey::encapsulate`]). [`Algorithm`] names a key type the way
//! OpenSSL spells it (`RSA`, `ED25519`, `ML-KEM-768`, `ML-DSA-65`,
//! `SLH-DSA-SHA2-128f`); [`SignatureScheme`] and [`EncryptionScheme`]
//! name what a classical key does.
//!
//! Classical keys: RSA (`rsaEncryption`, PKCS #1 inside), RSA-PSS
//! (`id-RSASSA-PSS` without restrictions), EC on P-256 / P-384 / P-521 /
//! secp256k1 (RFC 5480 / 5915), Ed25519, Ed448, X25519, X448 (RFC 8410),
//! in the forms OpenSSL writes, plus the traditional `RSA PRIVATE KEY`,
//! `EC PRIVATE KEY` and `RSA PUBLIC KEY` files.
//!
//! Post-quantum keys, in the encodings of the IETF
//! LAMPS documents (draft-ietf-lamps-kyber-certificates for ML-KEM,
//! RFC 9881 for ML-DSA, RFC 9909 for SLH-DSA), which OpenSSL 3.5 and later
//! read and write: algorithm parameters absent; the ML-KEM / ML-DSA
//! private key a `CHOICE` of seed, expanded key or both
//! ([`PrivateKeyForm`]); the SLH-DSA private key its raw bytes. A "both"
//! key whose seed does not regenerate its expanded key is refused, as is
//! a PKCS #8 v2 public key that does not match the private key.

mod classical;
mod ec;
#[doc(hidden)]
pub mod fuzz;
mod legacy;
mod mldsa;
mod mlkem;
mod ops;
mod pss_params;
mod raw;
mod scheme;
mod seed_choice;
mod slhdsa;
mod text;

pub use ec::{EcCurve, EcPrivateKey, EcPublicKey};
pub use legacy::{EC_PRIVATE_KEY_PEM_LABEL, LegacyCipher, RSA_PRIVATE_KEY_PEM_LABEL, RSA_PUBLIC_KEY_PEM_LABEL};
pub use mldsa::{MlDsaPrivateKey, MlDsaPublicKey, MlDsaSet};
pub use mlkem::{MlKemPrivateKey, MlKemPublicKey};
pub use pss_params::RsassaPssParams;
pub use raw::Encoded;
pub use scheme::{EncryptionScheme, PssSalt, SignatureScheme};
pub use slhdsa::{SlhDsaPrivateKey, SlhDsaPublicKey, SlhDsaSet};
pub use text::{private_text, public_text};

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::asn1::oid;
use crate::asn1::pem;
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::mlkem::{ParameterSet as MlKemSet, SharedSecret};
use crate::pkcs5::EncryptOptions;
use crate::pkcs8::{self, PrivateKeyInfo};
use crate::rng::CryptoRng;
use crate::rsa::{RsaPrivateKey, RsaPublicKey};
use crate::{Error, ed448, ed25519, x448, x25519};

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
    /// RSA (`rsaEncryption`): PKCS #1 v1.5 and PSS signatures, PKCS #1
    /// v1.5 and OAEP encryption.
    Rsa,
    /// RSA restricted to PSS signatures (`id-RSASSA-PSS`).
    RsaPss,
    /// ECDSA / ECDH on a named curve.
    Ec(EcCurve),
    /// Ed25519 (RFC 8032).
    Ed25519,
    /// Ed448 (RFC 8032).
    Ed448,
    /// X25519 (RFC 7748).
    X25519,
    /// X448 (RFC 7748).
    X448,
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

    /// The classical key types (kept apart from [`ALL`](Self::ALL), whose
    /// length is public API).
    pub const CLASSICAL: [Self; 10] = [
        Self::Rsa,
        Self::RsaPss,
        Self::Ec(EcCurve::P256),
        Self::Ec(EcCurve::P384),
        Self::Ec(EcCurve::P521),
        Self::Ec(EcCurve::Secp256k1),
        Self::Ed25519,
        Self::Ed448,
        Self::X25519,
        Self::X448,
    ];

    /// The name as FIPS and OpenSSL spell it (`ML-KEM-768`,
    /// `SLH-DSA-SHAKE-256f`, `RSA`, `RSA-PSS`, `ED25519`, `X448`); an EC
    /// key type is named by its curve (`P-256`, `secp256k1`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::MlKem(set) => set.name(),
            Self::MlDsa(set) => set.name(),
            Self::SlhDsa(set) => set.name(),
            Self::Rsa => "RSA",
            Self::RsaPss => "RSA-PSS",
            Self::Ec(curve) => curve.name(),
            Self::Ed25519 => "ED25519",
            Self::Ed448 => "ED448",
            Self::X25519 => "X25519",
            Self::X448 => "X448",
        }
    }

    /// The key type named `name`, compared without regard to case, so
    /// `ml-kem-768` works too (OpenSSL's names are case-insensitive).
    /// `EC` alone means P-256; curves are also found by their ASN.1 names
    /// (`prime256v1`, `secp384r1`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        if name.eq_ignore_ascii_case("EC") {
            return Some(Self::Ec(EcCurve::P256));
        }
        if let Some(curve) = EcCurve::from_name(name) {
            return Some(Self::Ec(curve));
        }
        Self::ALL.into_iter().chain(Self::CLASSICAL).find(|alg| alg.name().eq_ignore_ascii_case(name))
    }

    /// The algorithm OID's contents (`id-ecPublicKey` for every curve:
    /// the curve is in the parameters).
    #[must_use]
    pub const fn oid(self) -> &'static [u8] {
        match self {
            Self::MlKem(set) => mlkem::oid_of(set),
            Self::MlDsa(set) => set.oid(),
            Self::SlhDsa(set) => set.oid(),
            Self::Rsa => oid::RSA_ENCRYPTION,
            Self::RsaPss => oid::RSASSA_PSS,
            Self::Ec(_) => oid::EC_PUBLIC_KEY,
            Self::Ed25519 => oid::ED25519,
            Self::Ed448 => oid::ED448,
            Self::X25519 => oid::X25519,
            Self::X448 => oid::X448,
        }
    }

    /// The key type with OID `algorithm`; `None` for `id-ecPublicKey`,
    /// whose curve only the parameters tell.
    #[must_use]
    pub fn from_oid(algorithm: &[u8]) -> Option<Self> {
        Self::ALL
            .into_iter()
            .chain(Self::CLASSICAL)
            .filter(|alg| !matches!(alg, Self::Ec(_)))
            .find(|alg| alg.oid() == algorithm)
    }

    /// Whether keys of this type sign (else they encapsulate or agree).
    #[must_use]
    pub const fn is_signature(self) -> bool {
        !matches!(self, Self::MlKem(_) | Self::X25519 | Self::X448)
    }

    /// Whether this is one of the post-quantum types.
    #[must_use]
    pub const fn is_post_quantum(self) -> bool {
        matches!(self, Self::MlKem(_) | Self::MlDsa(_) | Self::SlhDsa(_))
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
    /// An RSA key.
    Rsa(RsaPrivateKey),
    /// An RSA key restricted to PSS signatures (`id-RSASSA-PSS`), with the
    /// parameter restrictions its `AlgorithmIdentifier` carries, if any.
    RsaPss(RsaPrivateKey, Option<RsassaPssParams>),
    /// An EC key.
    Ec(EcPrivateKey),
    /// An Ed25519 key.
    Ed25519(ed25519::SigningKey),
    /// An Ed448 key.
    Ed448(ed448::SigningKey),
    /// An X25519 key.
    X25519(x25519::PrivateKey),
    /// An X448 key.
    X448(x448::PrivateKey),
}

impl PrivateKey {
    /// A fresh key of type `algorithm` (RSA: 2048 bits, as OpenSSL).
    ///
    /// # Errors
    /// The generator's error.
    pub fn generate(algorithm: Algorithm, rng: &mut (impl CryptoRng + ?Sized)) -> Result<Self, Error> {
        Ok(match algorithm {
            Algorithm::MlKem(set) => Self::MlKem(MlKemPrivateKey::generate(set, rng)?),
            Algorithm::MlDsa(set) => Self::MlDsa(MlDsaPrivateKey::generate(set, rng)?),
            Algorithm::SlhDsa(set) => Self::SlhDsa(SlhDsaPrivateKey::generate(set, rng)?),
            classic => classical::generate(classic, rng)
                .unwrap_or(Err(Error::Unsupported { what: "key generation for this type" }))?,
        })
    }

    /// A fresh RSA key of `bits` bits (public exponent 65537), restricted
    /// to PSS when `pss`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a size outside 2048..=16384; the
    /// generator's error.
    pub fn generate_rsa(bits: usize, pss: bool, rng: &mut impl CryptoRng) -> Result<Self, Error> {
        let key = RsaPrivateKey::generate(rng, bits)?;
        Ok(if pss { Self::RsaPss(key, None) } else { Self::Rsa(key) })
    }

    /// A fresh `id-RSASSA-PSS` key of `bits` bits with the parameter
    /// `restrictions` written into its `AlgorithmIdentifier` (as `openssl
    /// genpkey -algorithm RSA-PSS -pkeyopt rsa_pss_keygen_md:...` makes).
    ///
    /// # Errors
    /// As [`generate_rsa`](Self::generate_rsa).
    pub fn generate_rsa_pss(
        bits: usize,
        restrictions: Option<RsassaPssParams>,
        rng: &mut impl CryptoRng,
    ) -> Result<Self, Error> {
        Ok(Self::RsaPss(RsaPrivateKey::generate(rng, bits)?, restrictions))
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
        let algorithm = classical::identify(info.algorithm, info.parameters)?;
        let key = match algorithm {
            Algorithm::MlKem(set) => Self::MlKem(MlKemPrivateKey::from_pkcs8_octets(set, info.private_key)?),
            Algorithm::MlDsa(set) => Self::MlDsa(MlDsaPrivateKey::from_pkcs8_octets(set, info.private_key)?),
            Algorithm::SlhDsa(set) => Self::SlhDsa(SlhDsaPrivateKey::from_pkcs8_octets(set, info.private_key)?),
            classic => classical::private_from_octets(classic, info.private_key)?,
        };
        let key = match key {
            Self::RsaPss(k, _) => Self::RsaPss(k, classical::pss_restrictions(info.algorithm, info.parameters)?),
            other => other,
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

    /// Reads a private key given as PEM or DER: PKCS #8 plain or
    /// encrypted (PBES2; `password` is needed for encrypted input, with
    /// the default KDF cost limits), or a traditional PKCS #1 RSA / SEC1
    /// EC key.
    ///
    /// # Errors
    /// As [`pkcs8::read`] and [`from_pkcs8_der`](Self::from_pkcs8_der).
    pub fn read(input: &[u8], password: Option<&[u8]>) -> Result<Self, Error> {
        legacy::read_private(input, password)
    }

    /// The key type.
    #[must_use]
    pub const fn algorithm(&self) -> Algorithm {
        match self {
            Self::MlKem(k) => Algorithm::MlKem(k.parameter_set()),
            Self::MlDsa(k) => Algorithm::MlDsa(k.parameter_set()),
            Self::SlhDsa(k) => Algorithm::SlhDsa(k.parameter_set()),
            Self::Rsa(_) => Algorithm::Rsa,
            Self::RsaPss(..) => Algorithm::RsaPss,
            Self::Ec(k) => Algorithm::Ec(k.curve()),
            Self::Ed25519(_) => Algorithm::Ed25519,
            Self::Ed448(_) => Algorithm::Ed448,
            Self::X25519(_) => Algorithm::X25519,
            Self::X448(_) => Algorithm::X448,
        }
    }

    /// The PSS parameter restrictions of an `id-RSASSA-PSS` key that has
    /// them (signatures must use that hash and MGF1 hash, with at least
    /// that much salt).
    #[must_use]
    pub const fn pss_restrictions(&self) -> Option<&RsassaPssParams> {
        match self {
            Self::RsaPss(_, restrictions) => restrictions.as_ref(),
            _ => None,
        }
    }

    /// The traditional DER (PKCS #1 for RSA, SEC1 for EC) and its PEM
    /// label, as `openssl pkey -traditional` writes.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for the other key types.
    pub fn to_traditional_der(&self) -> Result<(Zeroizing<Vec<u8>>, &'static str), Error> {
        legacy::to_traditional_der(self)
    }

    /// The traditional encoding (PKCS #1 or SEC1) as PEM with OpenSSL's
    /// legacy encryption (`Proc-Type: 4,ENCRYPTED`, `DEK-Info`), which
    /// `openssl pkey -traditional -aes256 -passout ...` writes. The key
    /// derivation is MD5 with one iteration: prefer
    /// [`to_pkcs8_encrypted_pem`](Self::to_pkcs8_encrypted_pem) unless the
    /// reader needs this format.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for key types without a traditional encoding.
    pub fn to_traditional_encrypted_pem(
        &self,
        cipher: LegacyCipher,
        password: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<String, Error> {
        legacy::to_traditional_encrypted_pem(self, cipher, password, rng)
    }

    /// The PKCS #8 v1 DER, the private key in `form` (zeroized on drop;
    /// `form` matters only to ML-KEM / ML-DSA keys).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `form` needs a seed the key was
    /// loaded without.
    pub fn to_pkcs8_der(&self, form: PrivateKeyForm) -> Result<Zeroizing<Vec<u8>>, Error> {
        let octets = match self {
            Self::MlKem(k) => k.to_pkcs8_octets(form)?,
            Self::MlDsa(k) => k.to_pkcs8_octets(form)?,
            Self::SlhDsa(k) => Zeroizing::new(k.as_bytes().to_vec()),
            classic => classical::private_octets(classic).unwrap_or_default(),
        };
        let algorithm = self.algorithm();
        let parameters = classical::key_parameters(algorithm, self.pss_restrictions());
        Ok(PrivateKeyInfo::new(algorithm.oid(), parameters.as_deref(), &octets).to_der())
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
            // Every other variant is classical, so this always has a value.
            classic => {
                classical::public_of(classic).unwrap_or(PublicKey::X25519(x25519::PublicKey::from_bytes([0; 32])))
            }
        }
    }

    /// Signs `msg` with the key's pure scheme (ML-DSA / SLH-DSA / Ed448
    /// with context `ctx`, at most 255 bytes; Ed25519, or Ed25519ctx for a
    /// non-empty `ctx`): hedged / randomized with `rng`, deterministic
    /// with `None`. RSA and EC keys sign through
    /// [`sign_with`](Self::sign_with).
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a KEM / key-agreement key, or an RSA / EC
    /// key; [`Error::InvalidLength`] for a long context; generator
    /// failures.
    pub fn sign<R: CryptoRng>(&self, msg: &[u8], ctx: &[u8], rng: Option<&mut R>) -> Result<Vec<u8>, Error> {
        match self {
            Self::MlDsa(k) => k.sign(msg, ctx, rng),
            Self::SlhDsa(k) => k.sign(msg, ctx, rng),
            Self::Ed25519(k) if ctx.is_empty() => Ok(k.sign(msg).to_bytes().to_vec()),
            Self::Ed25519(k) => Ok(k.sign_ctx(ctx, msg)?.to_bytes().to_vec()),
            Self::Ed448(k) => Ok(k.sign(ctx, msg)?.to_bytes().to_vec()),
            Self::Rsa(_) | Self::RsaPss(..) | Self::Ec(_) => {
                Err(Error::Unsupported { what: "signing an RSA / EC key without a scheme (use sign_with)" })
            }
            _ => Err(Error::Unsupported { what: "signing with a KEM or key-agreement key" }),
        }
    }

    /// Signs `msg` under `scheme` (see [`SignatureScheme`]; `Pure` with
    /// an empty context for the pure schemes). `rng` blinds RSA, salts
    /// PSS, hedges ECDSA nonces and randomizes ML-DSA / SLH-DSA. ECDSA
    /// signatures are DER.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a scheme the key cannot use; the
    /// primitive's errors.
    pub fn sign_with(&self, scheme: SignatureScheme, msg: &[u8], rng: &mut impl CryptoRng) -> Result<Vec<u8>, Error> {
        ops::sign(self, scheme, msg, b"", rng)
    }

    /// Signs a digest computed elsewhere (RSA / ECDSA schemes only), as
    /// `openssl pkeyutl -sign -pkeyopt digest:ALG` does.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a digest of the wrong length; as
    /// [`sign_with`](Self::sign_with).
    pub fn sign_digest(
        &self,
        scheme: SignatureScheme,
        digest: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<Vec<u8>, Error> {
        ops::sign_digest(self, scheme, digest, rng)
    }

    /// Decrypts an RSA ciphertext under `scheme` (zeroized on drop).
    ///
    /// # Errors
    /// [`Error::DecryptionFailed`]; [`Error::Unsupported`] for other keys.
    pub fn decrypt(
        &self,
        scheme: EncryptionScheme<'_>,
        ciphertext: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        ops::decrypt(self, scheme, ciphertext, rng)
    }

    /// The shared secret with `peer`: ECDH (x-coordinate), X25519, X448.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for keys that do not agree;
    /// [`Error::InvalidKey`] for a peer of another type or curve, or an
    /// all-zero X25519 / X448 result.
    pub fn derive(&self, peer: &PublicKey) -> Result<Zeroizing<Vec<u8>>, Error> {
        ops::derive(self, peer)
    }

    /// Decapsulates `ciphertext` (ML-KEM keys only).
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a signature key; [`Error::InvalidLength`]
    /// for a ciphertext of the wrong length.
    pub fn decapsulate(&self, ciphertext: &[u8]) -> Result<SharedSecret, Error> {
        match self {
            Self::MlKem(k) => k.decapsulate(ciphertext),
            _ => Err(Error::Unsupported { what: "decapsulation with a non-KEM key" }),
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
    /// An RSA key (with its PKCS #1 encoding).
    Rsa(Encoded<RsaPublicKey>),
    /// An RSA key restricted to PSS signatures (`id-RSASSA-PSS`), with the
    /// parameter restrictions its `AlgorithmIdentifier` carries, if any.
    RsaPss(Encoded<RsaPublicKey>, Option<RsassaPssParams>),
    /// An EC key.
    Ec(EcPublicKey),
    /// An Ed25519 key.
    Ed25519(Encoded<ed25519::VerifyingKey>),
    /// An Ed448 key.
    Ed448(Encoded<ed448::VerifyingKey>),
    /// An X25519 key.
    X25519(x25519::PublicKey),
    /// An X448 key (with its encoding).
    X448(Encoded<x448::PublicKey>),
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
            classic => classical::public_from_bits(classic, bytes)?,
        })
    }

    /// Reads a public key given as PEM or DER: `SubjectPublicKeyInfo`
    /// (`PUBLIC KEY`) or PKCS #1 (`RSA PUBLIC KEY`).
    ///
    /// # Errors
    /// As [`from_spki_der`](Self::from_spki_der); [`Error::Malformed`] for
    /// another PEM label.
    pub fn read(input: &[u8]) -> Result<Self, Error> {
        legacy::read_public(input)
    }

    /// Decodes a DER `SubjectPublicKeyInfo`.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER or present parameters,
    /// [`Error::Unsupported`] for an unknown algorithm,
    /// [`Error::InvalidLength`] / [`Error::InvalidKey`] for a bad key.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        let spki = SubjectPublicKeyInfo::from_der(der)?;
        let algorithm = classical::identify(spki.algorithm, spki.parameters)?;
        Ok(match Self::from_raw(algorithm, spki.public_key)? {
            Self::RsaPss(k, _) => Self::RsaPss(k, classical::pss_restrictions(spki.algorithm, spki.parameters)?),
            other => other,
        })
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
            Self::Rsa(_) => Algorithm::Rsa,
            Self::RsaPss(..) => Algorithm::RsaPss,
            Self::Ec(k) => Algorithm::Ec(k.curve()),
            Self::Ed25519(_) => Algorithm::Ed25519,
            Self::Ed448(_) => Algorithm::Ed448,
            Self::X25519(_) => Algorithm::X25519,
            Self::X448(_) => Algorithm::X448,
        }
    }

    /// The PSS parameter restrictions of an `id-RSASSA-PSS` key that has
    /// them (signatures must use that hash and MGF1 hash, with at least
    /// that much salt).
    #[must_use]
    pub const fn pss_restrictions(&self) -> Option<&RsassaPssParams> {
        match self {
            Self::RsaPss(_, restrictions) => restrictions.as_ref(),
            _ => None,
        }
    }

    /// The raw public key (the `subjectPublicKey` bits: PKCS #1
    /// `RSAPublicKey` DER for RSA, the uncompressed point for EC).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::MlKem(k) => k.as_bytes(),
            Self::MlDsa(k) => k.as_bytes(),
            Self::SlhDsa(k) => k.as_bytes(),
            Self::Rsa(k) | Self::RsaPss(k, _) => k.as_bytes(),
            Self::Ec(k) => k.as_bytes(),
            Self::Ed25519(k) => k.as_bytes(),
            Self::Ed448(k) => k.as_bytes(),
            Self::X25519(k) => k.as_bytes(),
            Self::X448(k) => k.as_bytes(),
        }
    }

    /// The DER `SubjectPublicKeyInfo`.
    #[must_use]
    pub fn to_spki_der(&self) -> Vec<u8> {
        let algorithm = self.algorithm();
        let parameters = classical::key_parameters(algorithm, self.pss_restrictions());
        SubjectPublicKeyInfo {
            algorithm: algorithm.oid(),
            parameters: parameters.as_deref(),
            public_key: self.as_bytes(),
        }
        .to_der()
    }

    /// The PKCS #1 `RSAPublicKey` DER (`RSA PUBLIC KEY`), for RSA keys.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for other key types.
    pub fn to_pkcs1_der(&self) -> Result<Vec<u8>, Error> {
        match self {
            Self::Rsa(k) | Self::RsaPss(k, _) => Ok(k.as_bytes().to_vec()),
            _ => Err(Error::Unsupported { what: "PKCS #1 encoding of a non-RSA key" }),
        }
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
            Self::MlDsa(_) | Self::SlhDsa(_) | Self::Ed25519(_) | Self::Ed448(_) => {
                ops::verify(self, SignatureScheme::Pure, msg, ctx, signature)
            }
            Self::Rsa(_) | Self::RsaPss(..) | Self::Ec(_) => {
                Err(Error::Unsupported { what: "verifying with an RSA / EC key without a scheme (use verify_with)" })
            }
            _ => Err(Error::Unsupported { what: "verifying with a KEM or key-agreement key" }),
        }
    }

    /// Verifies `signature` on `msg` under `scheme` (PSS with
    /// [`PssSalt::Auto`] accepts any salt length).
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] (or [`Error::InvalidLength`] /
    /// [`Error::Malformed`] for a signature of the wrong shape);
    /// [`Error::Unsupported`] for a scheme the key cannot use.
    pub fn verify_with(&self, scheme: SignatureScheme, msg: &[u8], signature: &[u8]) -> Result<(), Error> {
        ops::verify(self, scheme, msg, b"", signature)
    }

    /// Verifies `signature` on a digest computed elsewhere (RSA / ECDSA).
    ///
    /// # Errors
    /// As [`verify_with`](Self::verify_with), and [`Error::InvalidLength`]
    /// for a digest of the wrong length.
    pub fn verify_digest(&self, scheme: SignatureScheme, digest: &[u8], signature: &[u8]) -> Result<(), Error> {
        ops::verify_digest(self, scheme, digest, signature)
    }

    /// Encrypts `msg` to an RSA key under `scheme`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for other keys; [`Error::InvalidLength`] for
    /// a message too long for the padding.
    pub fn encrypt(
        &self,
        scheme: EncryptionScheme<'_>,
        msg: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<Vec<u8>, Error> {
        ops::encrypt(self, scheme, msg, rng)
    }

    /// Encapsulates to this key (ML-KEM only): `(ciphertext, secret)`.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a signature key; generator failures.
    pub fn encapsulate(&self, rng: &mut (impl CryptoRng + ?Sized)) -> Result<(Vec<u8>, SharedSecret), Error> {
        match self {
            Self::MlKem(k) => k.encapsulate(rng),
            _ => Err(Error::Unsupported { what: "encapsulation to a non-KEM key" }),
        }
    }
}

#[cfg(test)]
mod classical_tests;
#[cfg(test)]
mod tests;
