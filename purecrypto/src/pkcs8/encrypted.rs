//! `EncryptedPrivateKeyInfo` (RFC 5958 section 3) with PBES2.
//!
//! Entry points: [`EncryptedPrivateKeyInfo::from_der`] then
//! [`EncryptedPrivateKeyInfo::decrypt`]; [`encrypt`] to produce one.

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::{ENCRYPTED_PEM_LABEL, PrivateKeyInfo};
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::pem;
use crate::pkcs5::{self, EncryptOptions, Limits, Pbes2Params};
use crate::rng::CryptoRng;

/// A decoded `EncryptedPrivateKeyInfo`, borrowing from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncryptedPrivateKeyInfo<'a> {
    /// The PBES2 parameters (KDF, salt, cost, cipher, IV).
    pub algorithm: Pbes2Params<'a>,
    /// The ciphertext of the DER `PrivateKeyInfo`.
    pub encrypted_data: &'a [u8],
}

impl<'a> EncryptedPrivateKeyInfo<'a> {
    /// Decodes DER; nothing may follow the structure.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a scheme other than PBES2 (legacy PKCS
    /// #12 schemes are named); [`Error::Malformed`] otherwise.
    pub fn from_der(der: &'a [u8]) -> Result<Self, Error> {
        let mut outer = Reader::new(der);
        let mut seq = outer.sequence()?;
        let algorithm = Pbes2Params::from_algorithm_identifier(&mut seq)?;
        let encrypted_data = seq.octet_string()?;
        seq.finish()?;
        outer.finish()?;
        Ok(Self { algorithm, encrypted_data })
    }

    /// The DER encoding.
    #[must_use]
    pub fn to_der(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.sequence(|w| {
            self.algorithm.write(w);
            w.octet_string(self.encrypted_data);
        });
        w.finish()
    }

    /// Decrypts with `password` and checks that the result is a
    /// well-formed `PrivateKeyInfo`; returns its DER.
    ///
    /// # Errors
    /// [`Error::DecryptionFailed`] for a wrong password (whether it shows
    /// as bad padding or as garbage that does not parse);
    /// [`Error::InvalidParameter`] when the KDF cost exceeds `limits`.
    pub fn decrypt(&self, password: &[u8], limits: &Limits) -> Result<Zeroizing<Vec<u8>>, Error> {
        let plain = self.algorithm.decrypt(password, self.encrypted_data, limits)?;
        match PrivateKeyInfo::from_der(&plain) {
            Ok(_) => Ok(plain),
            Err(_) => Err(Error::DecryptionFailed),
        }
    }
}

/// Encrypts a DER `PrivateKeyInfo` under `password`; returns the DER
/// `EncryptedPrivateKeyInfo`. `options` defaults to what OpenSSL 3
/// writes ([`EncryptOptions::DEFAULT`]).
///
/// # Errors
/// [`Error::Malformed`] when `private_key_info` does not parse;
/// the errors of [`pkcs5::encrypt`].
pub fn encrypt(
    private_key_info: &[u8],
    password: &[u8],
    options: &EncryptOptions,
    rng: &mut impl CryptoRng,
) -> Result<Vec<u8>, Error> {
    PrivateKeyInfo::from_der(private_key_info)?;
    let sealed = pkcs5::encrypt(options, password, private_key_info, rng)?;
    let mut w = Writer::new();
    w.sequence(|w| {
        w.raw(&sealed.algorithm);
        w.octet_string(&sealed.ciphertext);
    });
    Ok(w.finish())
}

/// [`encrypt`], then PEM (`-----BEGIN ENCRYPTED PRIVATE KEY-----`).
///
/// # Errors
/// As [`encrypt`].
pub fn encrypt_pem(
    private_key_info: &[u8],
    password: &[u8],
    options: &EncryptOptions,
    rng: &mut impl CryptoRng,
) -> Result<String, Error> {
    Ok(pem::encode(ENCRYPTED_PEM_LABEL, &encrypt(private_key_info, password, options, rng)?))
}
