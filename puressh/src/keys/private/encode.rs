//! Writing `openssh-key-v1` files (the inverse of
//! [`PrivateKey::from_binary`]) and generating fresh keys.
//!
//! Entry points: [`PrivateKey::generate`], [`PrivateKey::to_openssh`],
//! [`PrivateKey::to_binary`]. The layout is the one OpenSSH's
//! `PROTOCOL.key` describes; encrypted files use bcrypt-pbkdf with a
//! 16-byte salt and aes256-ctr, as `ssh-keygen` does.

use super::{BEGIN, END, MAGIC, PrivateKey, Secret};
use crate::error::KeyError;
use crate::keys::{EcCurve, PublicKey};
use crate::names;
use crate::wire::Writer;
use purecrypto::ec::Curve;
use purecrypto::ec::ecdsa::SigningKey;
use purecrypto::rng::{CryptoRng, OsRng};
use zeroize::Zeroizing;

/// bcrypt rounds `ssh-keygen` uses by default (its `-a` option).
pub const DEFAULT_ROUNDS: u32 = 16;
/// Salt length `ssh-keygen` uses.
const SALT_LEN: usize = 16;
/// Base64 line length inside the armour (as `ssh-keygen` writes it).
const LINE: usize = 70;

/// What [`PrivateKey::generate`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySpec {
    /// Ed25519.
    Ed25519,
    /// ECDSA on a NIST curve.
    Ecdsa(EcCurve),
    /// RSA with this modulus size in bits (2048 or more), e = 65537.
    Rsa(usize),
}

impl KeySpec {
    /// Smallest RSA modulus accepted (OpenSSH refuses shorter user keys).
    pub const MIN_RSA_BITS: usize = 2048;
    /// Largest RSA modulus accepted (OpenSSH's limit).
    pub const MAX_RSA_BITS: usize = 16384;
}

fn failed<T>(_: T) -> KeyError {
    KeyError::Malformed { what: "key generation" }
}

fn ecdsa_point<C: Curve>(key: &SigningKey<C>) -> Vec<u8> {
    key.verifying_key().public_key().to_sec1(false)
}

impl PrivateKey {
    /// Generates a key from the operating system's random source.
    ///
    /// # Errors
    /// [`KeyError::Unsupported`] for an RSA size outside 2048..=16384
    /// or not a multiple of 8.
    pub fn generate(spec: KeySpec, comment: &str) -> Result<Self, KeyError> {
        Self::generate_with(spec, comment, &mut OsRng)
    }

    /// [`Self::generate`] with a caller's random source (tests).
    ///
    /// # Errors
    /// As [`Self::generate`].
    pub fn generate_with(spec: KeySpec, comment: &str, rng: &mut impl CryptoRng) -> Result<Self, KeyError> {
        let (public, secret) = match spec {
            KeySpec::Ed25519 => {
                let key = purecrypto::ed25519::SigningKey::generate(rng);
                (PublicKey::Ed25519(key.verifying_key().to_bytes()), Secret::Ed25519(key))
            }
            KeySpec::Ecdsa(curve) => {
                let secret = match curve {
                    EcCurve::P256 => Secret::EcdsaP256(SigningKey::generate(rng).map_err(failed)?),
                    EcCurve::P384 => Secret::EcdsaP384(SigningKey::generate(rng).map_err(failed)?),
                    EcCurve::P521 => Secret::EcdsaP521(SigningKey::generate(rng).map_err(failed)?),
                };
                (PublicKey::Ecdsa { curve, point: secret_point(&secret) }, secret)
            }
            KeySpec::Rsa(bits) => {
                if !(KeySpec::MIN_RSA_BITS..=KeySpec::MAX_RSA_BITS).contains(&bits) || bits % 8 != 0 {
                    return Err(KeyError::Unsupported { what: format!("RSA key size {bits}") });
                }
                let key = purecrypto::rsa::RsaPrivateKey::generate(rng, bits).map_err(failed)?;
                let public = PublicKey::Rsa { e: key.public_key().e_bytes(), n: key.public_key().n_bytes() };
                (public, Secret::Rsa(Box::new(key)))
            }
        };
        Ok(Self { public, secret, comment: comment.to_owned() })
    }

    /// Replaces the comment (`ssh-keygen -c`, or a comment for a key
    /// read from a format without one).
    pub fn set_comment(&mut self, comment: &str) {
        comment.clone_into(&mut self.comment);
    }

    /// The key's size in bits as `ssh-keygen -l` reports it.
    #[must_use]
    pub fn bits(&self) -> usize {
        self.public.bits()
    }

    /// The PEM-armoured `openssh-key-v1` file, encrypted with
    /// bcrypt-pbkdf (`rounds`, [`DEFAULT_ROUNDS`] as `ssh-keygen`) and
    /// aes256-ctr when `passphrase` is given and not empty.
    ///
    /// # Errors
    /// [`KeyError::Unsupported`] for zero rounds.
    pub fn to_openssh(&self, passphrase: Option<&[u8]>, rounds: u32) -> Result<Zeroizing<String>, KeyError> {
        let raw = self.to_binary(passphrase, rounds, &mut OsRng)?;
        let b64 = Zeroizing::new(crate::base64::encode(&raw));
        let mut out = Zeroizing::new(String::with_capacity(b64.len() + b64.len() / LINE + BEGIN.len() + END.len() + 4));
        out.push_str(BEGIN);
        out.push('\n');
        for chunk in b64.as_bytes().chunks(LINE) {
            out.push_str(core::str::from_utf8(chunk).unwrap_or_default());
            out.push('\n');
        }
        out.push_str(END);
        out.push('\n');
        Ok(out)
    }

    /// The binary `openssh-key-v1` structure; `rng` supplies the check
    /// words and the salt.
    ///
    /// # Errors
    /// As [`Self::to_openssh`].
    pub fn to_binary(
        &self,
        passphrase: Option<&[u8]>,
        rounds: u32,
        rng: &mut impl CryptoRng,
    ) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let passphrase = passphrase.filter(|p| !p.is_empty());
        if passphrase.is_some() && (rounds == 0 || rounds > super::MAX_ROUNDS) {
            return Err(KeyError::Unsupported { what: format!("{rounds} bcrypt rounds") });
        }
        let block = if passphrase.is_some() { 16 } else { 8 };
        let mut check = [0u8; 4];
        rng.fill_bytes(&mut check);
        let mut section = self.private_section(check, block);
        let mut out = Writer::from_vec(MAGIC.to_vec());
        match passphrase {
            None => {
                out.string(names::NONE.as_bytes()).string(b"none").string(b"");
            }
            Some(passphrase) => {
                let mut salt = [0u8; SALT_LEN];
                rng.fill_bytes(&mut salt);
                let mut options = Writer::new();
                options.string(&salt).u32(rounds);
                let mut key_iv = Zeroizing::new([0u8; 48]);
                purecrypto::kdf::bcrypt_pbkdf(passphrase, &salt, rounds, key_iv.as_mut()).map_err(failed)?;
                let (key, iv) = key_iv.split_at(32);
                let aes = purecrypto::cipher::aes::Aes::new(key).map_err(failed)?;
                purecrypto::cipher::modes::ctr::apply_keystream(&aes, iv, &mut section).map_err(failed)?;
                out.string(b"aes256-ctr").string(b"bcrypt").string(&options.into_bytes());
            }
        }
        out.u32(1).string(&self.public.to_blob()).string(&section);
        Ok(Zeroizing::new(out.into_bytes()))
    }

    /// `check check type fields comment padding`, padded to `block`.
    fn private_section(&self, check: [u8; 4], block: usize) -> Zeroizing<Vec<u8>> {
        // Sized up front so the secret is never left behind by a growing Vec.
        let mut w = Writer::from_vec(Vec::with_capacity(8 * 1024 + self.comment.len()));
        w.u32(u32::from_be_bytes(check)).u32(u32::from_be_bytes(check)).string(self.public.key_type().as_bytes());
        match (&self.secret, &self.public) {
            (Secret::Ed25519(k), PublicKey::Ed25519(pk)) => {
                let mut both = Zeroizing::new([0u8; 64]);
                let (seed, public) = both.split_at_mut(32);
                seed.copy_from_slice(Zeroizing::new(k.to_seed()).as_slice());
                public.copy_from_slice(pk);
                w.string(pk).string(both.as_ref());
            }
            (secret, PublicKey::Ecdsa { curve, point }) => {
                let scalar = match secret {
                    Secret::EcdsaP256(k) => k.secret_key().to_bytes(),
                    Secret::EcdsaP384(k) => k.secret_key().to_bytes(),
                    Secret::EcdsaP521(k) => k.secret_key().to_bytes(),
                    _ => Zeroizing::new(Vec::new()),
                };
                w.string(curve.identifier().as_bytes()).string(point).mpint_unsigned(&scalar);
            }
            (Secret::Rsa(k), PublicKey::Rsa { e, n }) => {
                let [d, p, q, dp, dq, qinv] = k.secret_components().map(Zeroizing::new);
                drop((dp, dq));
                w.mpint_unsigned(n).mpint_unsigned(e).mpint_unsigned(&d).mpint_unsigned(&qinv);
                w.mpint_unsigned(&p).mpint_unsigned(&q);
            }
            _ => {}
        }
        w.string(self.comment.as_bytes());
        let mut out = Zeroizing::new(w.into_bytes());
        let mut pad = 1u8;
        while out.len() % block != 0 {
            out.push(pad);
            pad = pad.wrapping_add(1);
        }
        out
    }
}

fn secret_point(secret: &Secret) -> Vec<u8> {
    match secret {
        Secret::EcdsaP256(k) => ecdsa_point(k),
        Secret::EcdsaP384(k) => ecdsa_point(k),
        Secret::EcdsaP521(k) => ecdsa_point(k),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
