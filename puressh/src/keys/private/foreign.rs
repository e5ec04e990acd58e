//! Private keys in the formats OpenSSL writes, which `ssh-keygen` and
//! `ssh` also read: PKCS #1 (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE
//! KEY`) and PKCS #8 (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`). The DER
//! parsing is purecrypto's; this file maps the keys onto [`PrivateKey`].
//!
//! Entry points: [`PrivateKey::to_pem`] (`ssh-keygen -m PEM|PKCS8`) and
//! [`PrivateKey::from_text`], which also takes the
//! `OPENSSH PRIVATE KEY` format. Legacy PEM encryption (`Proc-Type:
//! 4,ENCRYPTED`) is refused as unsupported.

use super::{PrivateKey, Secret};
use crate::error::KeyError;
use crate::keys::{EcCurve, PublicKey};
use purecrypto::asn1::oid;
use purecrypto::ec::{Curve, P256, P384, P521, ecdsa::SigningKey, sec1};
use purecrypto::pkcs8::PrivateKeyInfo;
use purecrypto::x509::signer::SigningKey as Pkcs8Key;
use zeroize::Zeroizing;

const PEM: KeyError = KeyError::Malformed { what: "PEM private key" };

impl PrivateKey {
    /// Parses a private key file in any supported format: OpenSSH's own,
    /// PKCS #1, SEC1 or PKCS #8 (plain or encrypted with `passphrase`).
    /// Keys from PEM formats carry no comment.
    ///
    /// # Errors
    /// [`KeyError::Encrypted`] when a passphrase is needed and missing;
    /// [`KeyError::Malformed`] (also for a wrong passphrase),
    /// [`KeyError::Unsupported`].
    pub fn from_text(text: &str, passphrase: Option<&[u8]>) -> Result<Self, KeyError> {
        if text.contains(super::BEGIN) {
            return Self::from_openssh(text, passphrase);
        }
        if text.contains("Proc-Type: 4,ENCRYPTED") {
            return Err(KeyError::Unsupported { what: "legacy PEM encryption (Proc-Type)".into() });
        }
        let block = purecrypto::asn1::pem::decode(text.as_bytes()).map_err(|_| PEM)?;
        match block.label {
            "RSA PRIVATE KEY" => {
                let key = purecrypto::rsa::RsaPrivateKey::from_pkcs1_der(&block.contents).map_err(|_| PEM)?;
                Ok(Self::from_rsa(key))
            }
            "EC PRIVATE KEY" => from_sec1(&block.contents),
            "PRIVATE KEY" => from_pkcs8(&block.contents),
            "ENCRYPTED PRIVATE KEY" => {
                let passphrase = passphrase.ok_or(KeyError::Encrypted)?;
                let limits = purecrypto::pkcs5::Limits::DEFAULT;
                let der = purecrypto::pkcs8::read(text.as_bytes(), Some(passphrase), &limits)
                    .map_err(|_| KeyError::Malformed { what: "encrypted PKCS #8 key (wrong passphrase?)" })?;
                from_pkcs8(&der)
            }
            other => Err(KeyError::Unsupported { what: format!("PEM block {other}") }),
        }
    }

    fn from_rsa(key: purecrypto::rsa::RsaPrivateKey) -> Self {
        let public = PublicKey::Rsa { e: key.public_key().e_bytes(), n: key.public_key().n_bytes() };
        Self { public, secret: Secret::Rsa(Box::new(key)), comment: String::new() }
    }
}

fn ecdsa<C: Curve>(key: SigningKey<C>, curve: EcCurve, wrap: fn(SigningKey<C>) -> Secret) -> PrivateKey {
    let point = key.verifying_key().public_key().to_sec1(false);
    PrivateKey { public: PublicKey::Ecdsa { curve, point }, secret: wrap(key), comment: String::new() }
}

/// SEC1 names its curve inside; try each one we support.
fn from_sec1(der: &[u8]) -> Result<PrivateKey, KeyError> {
    if let Ok(k) = sec1::decode_private_key::<P256>(der) {
        return Ok(ecdsa(k.into(), EcCurve::P256, Secret::EcdsaP256));
    }
    if let Ok(k) = sec1::decode_private_key::<P384>(der) {
        return Ok(ecdsa(k.into(), EcCurve::P384, Secret::EcdsaP384));
    }
    let k = sec1::decode_private_key::<P521>(der).map_err(|_| PEM)?;
    Ok(ecdsa(k.into(), EcCurve::P521, Secret::EcdsaP521))
}

fn from_pkcs8(der: &[u8]) -> Result<PrivateKey, KeyError> {
    match Pkcs8Key::from_pkcs8_der(der).map_err(|_| KeyError::Malformed { what: "PKCS #8 private key" })? {
        Pkcs8Key::Rsa { key, .. } => Ok(PrivateKey::from_rsa(key)),
        Pkcs8Key::P256(k) => Ok(ecdsa(k, EcCurve::P256, Secret::EcdsaP256)),
        Pkcs8Key::P384(k) => Ok(ecdsa(k, EcCurve::P384, Secret::EcdsaP384)),
        Pkcs8Key::P521(k) => Ok(ecdsa(k, EcCurve::P521, Secret::EcdsaP521)),
        Pkcs8Key::Ed25519(k) => {
            let public = PublicKey::Ed25519(k.verifying_key().to_bytes());
            Ok(PrivateKey { public, secret: Secret::Ed25519(k), comment: String::new() })
        }
        _ => Err(KeyError::Unsupported { what: "PKCS #8 key type".into() }),
    }
}

/// OpenSSL containers `ssh-keygen -m` can write private keys in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PemPrivateForm {
    /// `RSA PRIVATE KEY` (PKCS #1) or `EC PRIVATE KEY` (SEC1).
    Pem,
    /// `PRIVATE KEY` (unencrypted PKCS #8).
    Pkcs8,
}

impl PrivateKey {
    /// The key in an OpenSSL container, unencrypted; `None` for Ed25519,
    /// which `ssh-keygen` writes in its own format whatever `-m` says.
    /// The comment is not stored (these formats have no place for it).
    #[must_use]
    pub fn to_pem(&self, form: PemPrivateForm) -> Option<Zeroizing<String>> {
        const NULL: &[u8] = &[0x05, 0x00];
        let (label, inner, algorithm, curve) = match &self.secret {
            Secret::Ed25519(_) => return None,
            Secret::Rsa(k) => ("RSA PRIVATE KEY", Zeroizing::new(k.to_pkcs1_der()), oid::RSA_ENCRYPTION, None),
            Secret::EcdsaP256(k) => {
                ("EC PRIVATE KEY", sec1::encode_private_key(k.secret_key()), oid::EC_PUBLIC_KEY, Some(P256::OID))
            }
            Secret::EcdsaP384(k) => {
                ("EC PRIVATE KEY", sec1::encode_private_key(k.secret_key()), oid::EC_PUBLIC_KEY, Some(P384::OID))
            }
            Secret::EcdsaP521(k) => {
                ("EC PRIVATE KEY", sec1::encode_private_key(k.secret_key()), oid::EC_PUBLIC_KEY, Some(P521::OID))
            }
        };
        if form == PemPrivateForm::Pem {
            return Some(Zeroizing::new(purecrypto::asn1::pem::encode(label, &inner)));
        }
        // The named-curve parameter is a DER OID (every curve OID here is
        // under 128 bytes, so its length is one byte).
        let parameters = curve.map(|c| [&[0x06, u8::try_from(c.len()).unwrap_or(0)][..], c].concat());
        let info = PrivateKeyInfo::new(algorithm, Some(parameters.as_deref().unwrap_or(NULL)), &inner);
        Some(info.to_pem())
    }
}
