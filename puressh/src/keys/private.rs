//! OpenSSH private key files (`openssh-key-v1`, the format of
//! `ssh-keygen` since 7.8): unencrypted, or encrypted with bcrypt-pbkdf
//! and aes256-ctr (the `ssh-keygen` default).
//!
//! Entry points: [`PrivateKey::from_openssh`] (and
//! [`PrivateKey::from_text`] for PEM / PKCS #8 too),
//! [`PrivateKey::generate`], [`PrivateKey::to_openssh`] and
//! [`PrivateKey::sign`];
//! a [`PrivateKey`] is also an [`crate::auth::Signer`].
//!
//! ```text
//! "openssh-key-v1\0" string cipher string kdf string kdfoptions
//! uint32 1 string public-blob string private-section
//! private-section: uint32 check uint32 check string type <fields>
//!                  string comment padding 1,2,3...
//! ```

mod encode;
mod foreign;

pub use encode::{DEFAULT_ROUNDS, KeySpec};
pub use foreign::PemPrivateForm;

use super::{EcCurve, PublicKey, signature_blob};
use crate::error::KeyError;
use crate::names;
use crate::wire::{Reader, Writer};
use purecrypto::ec::ecdsa::SigningKey;
use purecrypto::ec::{Curve, P256, P384, P521};
use purecrypto::hash::HashAlgorithm;
use zeroize::Zeroizing;

const MAGIC: &[u8] = b"openssh-key-v1\0";
const BEGIN: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
const END: &str = "-----END OPENSSH PRIVATE KEY-----";
const MALFORMED: KeyError = KeyError::Malformed { what: "OpenSSH private key" };
/// Most bcrypt rounds accepted: the work is linear in them, and a
/// hostile file should not pin a CPU for hours (ssh-keygen uses 16).
const MAX_ROUNDS: u32 = 1 << 16;

/// The secret half, by algorithm.
enum Secret {
    Ed25519(purecrypto::ed25519::SigningKey),
    EcdsaP256(SigningKey<P256>),
    EcdsaP384(SigningKey<P384>),
    EcdsaP521(SigningKey<P521>),
    Rsa(Box<purecrypto::rsa::RsaPrivateKey>),
}

/// A private key for user authentication.
pub struct PrivateKey {
    public: PublicKey,
    secret: Secret,
    comment: String,
}

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("type", &self.public.key_type())
            .field("comment", &self.comment)
            .finish_non_exhaustive()
    }
}

fn err<T>(_: T) -> KeyError {
    MALFORMED
}

/// Left-pads (or strips a zero sign byte from) a big-endian scalar to
/// exactly `len` bytes.
fn fixed(bytes: &[u8], len: usize) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let digits: &[u8] = {
        let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        bytes.get(start..).unwrap_or_default()
    };
    if digits.len() > len {
        return Err(MALFORMED);
    }
    let mut out = Zeroizing::new(vec![0u8; len - digits.len()]);
    out.extend_from_slice(digits);
    Ok(out)
}

fn ec_secret<C: Curve>(scalar: &[u8], len: usize) -> Result<SigningKey<C>, KeyError> {
    SigningKey::<C>::from_bytes(&fixed(scalar, len)?).map_err(err)
}

impl PrivateKey {
    /// Parses the PEM-armoured file text; `passphrase` is needed for an
    /// encrypted key.
    ///
    /// # Errors
    /// [`KeyError::Malformed`] (also for a wrong passphrase, which shows
    /// as mismatched check words), [`KeyError::Encrypted`] without a
    /// passphrase, [`KeyError::Unsupported`] for other ciphers, KDFs and
    /// key types.
    pub fn from_openssh(text: &str, passphrase: Option<&[u8]>) -> Result<Self, KeyError> {
        let start = text.find(BEGIN).ok_or(MALFORMED)?;
        let body = text.get(start + BEGIN.len()..).ok_or(MALFORMED)?;
        let end = body.find(END).ok_or(MALFORMED)?;
        let b64: String = body.get(..end).ok_or(MALFORMED)?.split_whitespace().collect();
        let raw = Zeroizing::new(crate::base64::decode(&b64).ok_or(MALFORMED)?);
        Self::from_binary(&raw, passphrase)
    }

    /// Parses the binary `openssh-key-v1` structure.
    ///
    /// # Errors
    /// As [`Self::from_openssh`].
    pub fn from_binary(raw: &[u8], passphrase: Option<&[u8]>) -> Result<Self, KeyError> {
        let rest = raw.strip_prefix(MAGIC).ok_or(MALFORMED)?;
        let mut r = Reader::new(rest);
        let cipher = r.utf8("cipher").map_err(err)?;
        let kdf = r.utf8("kdf").map_err(err)?;
        let kdf_options = r.string().map_err(err)?;
        if r.u32().map_err(err)? != 1 {
            return Err(KeyError::Unsupported { what: "key files holding several keys".into() });
        }
        let public = PublicKey::from_blob(r.string().map_err(err)?)?;
        let sealed = r.string().map_err(err)?;
        r.finish().map_err(err)?;
        let section = match (cipher, kdf) {
            ("none", "none") => Zeroizing::new(sealed.to_vec()),
            ("aes256-ctr", "bcrypt") => {
                let passphrase = passphrase.ok_or(KeyError::Encrypted)?;
                decrypt_aes256_ctr(sealed, kdf_options, passphrase)?
            }
            ("none", _) | (_, "none") => return Err(MALFORMED),
            (c, k) => return Err(KeyError::Unsupported { what: format!("key file encryption {c}/{k}") }),
        };
        let (secret, comment) = parse_section(&section, &public)?;
        Ok(Self { public, secret, comment })
    }

    /// The public key.
    #[must_use]
    pub const fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The comment stored with the key.
    #[must_use]
    pub fn comment(&self) -> &str {
        &self.comment
    }

    /// Signature algorithms this key can make, preferred first (for RSA
    /// the SHA-2 forms; never `ssh-rsa`).
    #[must_use]
    pub fn algorithms(&self) -> &'static [&'static str] {
        match &self.public {
            PublicKey::Ed25519(_) => &[names::SSH_ED25519],
            PublicKey::Ecdsa { curve: EcCurve::P256, .. } => &[names::ECDSA_SHA2_NISTP256],
            PublicKey::Ecdsa { curve: EcCurve::P384, .. } => &[names::ECDSA_SHA2_NISTP384],
            PublicKey::Ecdsa { curve: EcCurve::P521, .. } => &[names::ECDSA_SHA2_NISTP521],
            PublicKey::Rsa { .. } => &[names::RSA_SHA2_512, names::RSA_SHA2_256],
        }
    }

    /// Signs `data` under `algorithm`, returning the SSH signature blob.
    ///
    /// # Errors
    /// [`KeyError::AlgorithmMismatch`] for an algorithm this key cannot
    /// make (including `ssh-rsa`).
    pub fn sign(&self, algorithm: &str, data: &[u8]) -> Result<Vec<u8>, KeyError> {
        let mismatch = || KeyError::AlgorithmMismatch { algorithm: algorithm.to_owned() };
        if !self.algorithms().contains(&algorithm) {
            return Err(mismatch());
        }
        let raw = match &self.secret {
            Secret::Ed25519(k) => k.sign(data).to_bytes().to_vec(),
            Secret::EcdsaP256(k) => ecdsa_raw(k.sign(HashAlgorithm::Sha256, data).map_err(|_| mismatch())?),
            Secret::EcdsaP384(k) => ecdsa_raw(k.sign(HashAlgorithm::Sha384, data).map_err(|_| mismatch())?),
            Secret::EcdsaP521(k) => ecdsa_raw(k.sign(HashAlgorithm::Sha512, data).map_err(|_| mismatch())?),
            Secret::Rsa(k) => {
                let hash = if algorithm == names::RSA_SHA2_256 { HashAlgorithm::Sha256 } else { HashAlgorithm::Sha512 };
                k.sign_pkcs1v15(&mut purecrypto::rng::OsRng, hash, data).map_err(|_| mismatch())?
            }
        };
        Ok(signature_blob(algorithm, &raw))
    }
}

fn ecdsa_raw<C: Curve>(sig: purecrypto::ec::ecdsa::Signature<C>) -> Vec<u8> {
    let mut w = Writer::new();
    w.mpint_unsigned(&sig.r_bytes()).mpint_unsigned(&sig.s_bytes());
    w.into_bytes()
}

impl crate::auth::Signer for PrivateKey {
    fn sign(&self, algorithm: &str, key: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
        if key != self.public.to_blob() {
            return Err("the request names another key".into());
        }
        Self::sign(self, algorithm, data).map_err(|e| e.to_string())
    }
}

fn decrypt_aes256_ctr(sealed: &[u8], kdf_options: &[u8], passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let mut o = Reader::new(kdf_options);
    let salt = o.string().map_err(err)?;
    let rounds = o.u32().map_err(err)?;
    o.finish().map_err(err)?;
    if rounds == 0 || rounds > MAX_ROUNDS || sealed.len() % 16 != 0 {
        return Err(MALFORMED);
    }
    let mut key_iv = Zeroizing::new([0u8; 48]);
    purecrypto::kdf::bcrypt_pbkdf(passphrase, salt, rounds, key_iv.as_mut()).map_err(err)?;
    let (key, iv) = key_iv.split_at(32);
    let aes = purecrypto::cipher::aes::Aes::new(key).map_err(err)?;
    let mut out = Zeroizing::new(sealed.to_vec());
    purecrypto::cipher::modes::ctr::apply_keystream(&aes, iv, &mut out).map_err(err)?;
    Ok(out)
}

fn parse_section(section: &[u8], public: &PublicKey) -> Result<(Secret, String), KeyError> {
    let mut r = Reader::new(section);
    let (c1, c2) = (r.u32().map_err(err)?, r.u32().map_err(err)?);
    if c1 != c2 {
        // Also what a wrong passphrase looks like.
        return Err(KeyError::Malformed { what: "private key check words (wrong passphrase?)" });
    }
    let key_type = r.utf8("key type").map_err(err)?;
    if key_type != public.key_type() {
        return Err(MALFORMED);
    }
    let secret = match public {
        PublicKey::Ed25519(pk) => {
            if r.string().map_err(err)? != pk {
                return Err(MALFORMED);
            }
            let both = r.string().map_err(err)?;
            let seed: [u8; 32] = both.get(..32).and_then(|s| s.try_into().ok()).ok_or(MALFORMED)?;
            let key = purecrypto::ed25519::SigningKey::from_seed(&seed);
            if both.get(32..) != Some(pk.as_slice()) || key.verifying_key().to_bytes() != *pk {
                return Err(MALFORMED);
            }
            Secret::Ed25519(key)
        }
        PublicKey::Ecdsa { curve, point } => {
            if r.string().map_err(err)? != curve.identifier().as_bytes() || r.string().map_err(err)? != point {
                return Err(MALFORMED);
            }
            let d = r.mpint().map_err(err)?;
            let secret = match curve {
                EcCurve::P256 => Secret::EcdsaP256(ec_secret(d, 32)?),
                EcCurve::P384 => Secret::EcdsaP384(ec_secret(d, 48)?),
                EcCurve::P521 => Secret::EcdsaP521(ec_secret(d, 66)?),
            };
            let derived = match &secret {
                Secret::EcdsaP256(k) => k.verifying_key().public_key().to_sec1(false),
                Secret::EcdsaP384(k) => k.verifying_key().public_key().to_sec1(false),
                Secret::EcdsaP521(k) => k.verifying_key().public_key().to_sec1(false),
                _ => Vec::new(),
            };
            if derived != *point {
                return Err(MALFORMED);
            }
            secret
        }
        PublicKey::Rsa { e, n } => {
            let n2 = r.mpint().map_err(err)?;
            let e2 = r.mpint().map_err(err)?;
            let d = r.mpint().map_err(err)?;
            let iqmp = r.mpint().map_err(err)?;
            let p = r.mpint().map_err(err)?;
            let q = r.mpint().map_err(err)?;
            if super::positive(n2)? != *n || super::positive(e2)? != *e {
                return Err(MALFORMED);
            }
            let components = purecrypto::rsa::RsaComponents { n, e, d, p, q, dp: None, dq: None, qinv: Some(iqmp) };
            Secret::Rsa(Box::new(purecrypto::rsa::RsaPrivateKey::from_components(&components).map_err(err)?))
        }
    };
    let comment = r.utf8("comment").map_err(err)?.to_owned();
    // Padding is 1, 2, 3... up to the cipher block size.
    let padding = r.rest();
    if padding.len() >= 16 || padding.iter().zip(1u8..).any(|(&b, want)| b != want) {
        return Err(MALFORMED);
    }
    Ok((secret, comment))
}
