//! OpenSSL's legacy PEM encryption of traditional key files: the
//! `Proc-Type: 4,ENCRYPTED` and `DEK-Info: CIPHER,IV` headers that
//! `openssl pkey -traditional -aes256` and `openssl rsa -des3` write.
//!
//! Entry points: [`LegacyCipher`], [`decrypt`] and [`encrypt_pem`].
//!
//! The key is OpenSSL's `EVP_BytesToKey` with MD5 and one iteration,
//! salted with the first 8 bytes of the IV: a fast, unsalted-in-spirit
//! derivation that offers little against password guessing. It is here so
//! that existing key files open, and so that files can be written for
//! software that reads nothing else; PKCS #8 with PBES2 is the format to
//! prefer.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::Error;
use crate::asn1::pem::{self, Header};
use crate::cipher::aes::Aes;
use crate::cipher::des::TripleDes;
use crate::cipher::modes::cbc;
use crate::hash::{Hash, Md5};
use crate::rng::CryptoRng;

/// A cipher of the `DEK-Info` header, in CBC mode with PKCS #5 padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LegacyCipher {
    /// `AES-128-CBC` (`-aes128`).
    Aes128Cbc,
    /// `AES-192-CBC` (`-aes192`).
    Aes192Cbc,
    /// `AES-256-CBC` (`-aes256`).
    Aes256Cbc,
    /// `DES-EDE3-CBC` (`-des3`), three-key triple DES.
    DesEde3Cbc,
}

impl LegacyCipher {
    /// Every cipher, in the order `name` lists them.
    pub const ALL: [Self; 4] = [Self::Aes128Cbc, Self::Aes192Cbc, Self::Aes256Cbc, Self::DesEde3Cbc];

    /// The name in the `DEK-Info` header.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Aes128Cbc => "AES-128-CBC",
            Self::Aes192Cbc => "AES-192-CBC",
            Self::Aes256Cbc => "AES-256-CBC",
            Self::DesEde3Cbc => "DES-EDE3-CBC",
        }
    }

    /// The cipher a `DEK-Info` name stands for (case-insensitive, as
    /// OpenSSL looks names up).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name().eq_ignore_ascii_case(name))
    }

    const fn key_len(self) -> usize {
        match self {
            Self::Aes128Cbc => 16,
            Self::Aes192Cbc | Self::DesEde3Cbc => 24,
            Self::Aes256Cbc => 32,
        }
    }

    const fn iv_len(self) -> usize {
        match self {
            Self::DesEde3Cbc => 8,
            _ => 16,
        }
    }

    fn decrypt(self, key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        match self {
            Self::DesEde3Cbc => {
                let des = TripleDes::new(key).ok_or(Error::DecryptionFailed)?;
                let iv: [u8; 8] = iv.try_into().map_err(|_| Error::DecryptionFailed)?;
                cbc::decrypt_padded_64(|block| des.decrypt_block(block), iv, ciphertext)
            }
            _ => {
                let aes = Aes::new(key)?;
                cbc::decrypt_padded(&aes, iv, ciphertext).map(Zeroizing::new).map_err(|_| Error::DecryptionFailed)
            }
        }
    }

    fn encrypt(self, key: &[u8], iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            Self::DesEde3Cbc => {
                let des = TripleDes::new(key).ok_or(Error::InvalidKey { reason: "3DES key length" })?;
                let iv: [u8; 8] =
                    iv.try_into().map_err(|_| Error::InvalidParameter { what: "IV", reason: "length" })?;
                Ok(cbc::encrypt_padded_64(|block| des.encrypt_block(block), iv, plaintext))
            }
            _ => cbc::encrypt_padded(&Aes::new(key)?, iv, plaintext),
        }
    }
}

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "legacy PEM encryption headers", reason }
}

/// `EVP_BytesToKey(cipher, MD5, salt, password, count = 1)`: blocks
/// `D_i = MD5(D_{i-1} || password || salt)` concatenated to `len` bytes.
fn bytes_to_key(password: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut previous = Zeroizing::new([0u8; 16]);
    while key.len() < len {
        let mut md5 = Md5::new();
        if !key.is_empty() {
            md5.update(&*previous);
        }
        md5.update(password);
        md5.update(salt);
        *previous = md5.finalize();
        key.extend_from_slice(&*previous);
    }
    key.truncate(len);
    key
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes.chunks_exact(2).map(|pair| Some(digit(*pair.first()?)? << 4 | digit(*pair.get(1)?)?)).collect()
}

/// The cipher and IV of a block's headers, or `None` when the block is
/// not encrypted (no headers at all).
///
/// # Errors
/// [`Error::Malformed`] for headers other than `Proc-Type: 4,ENCRYPTED`
/// with a well-formed `DEK-Info`; [`Error::Unsupported`] for a cipher not
/// in [`LegacyCipher`].
pub(crate) fn parse_headers(headers: &[Header<'_>]) -> Result<Option<(LegacyCipher, Vec<u8>)>, Error> {
    if headers.is_empty() {
        return Ok(None);
    }
    let field = |name: &str| headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value);
    let proc_type = field("Proc-Type").ok_or(malformed("no Proc-Type header"))?;
    if proc_type.split(',').map(str::trim).ne(["4", "ENCRYPTED"]) {
        return Err(malformed("Proc-Type is not 4,ENCRYPTED"));
    }
    let dek_info = field("DEK-Info").ok_or(malformed("no DEK-Info header"))?;
    let (name, iv) = dek_info.split_once(',').ok_or(malformed("DEK-Info without an IV"))?;
    let cipher = LegacyCipher::from_name(name.trim()).ok_or(Error::Unsupported { what: "legacy PEM cipher" })?;
    let iv = hex_decode(iv.trim()).ok_or(malformed("DEK-Info IV is not hex"))?;
    if iv.len() != cipher.iv_len() {
        return Err(malformed("DEK-Info IV length differs from the cipher's block size"));
    }
    Ok(Some((cipher, iv)))
}

/// Decrypts the contents of a legacy encrypted PEM block.
///
/// # Errors
/// [`Error::InvalidParameter`] without a password; [`Error::DecryptionFailed`]
/// for a wrong password (bad padding) or a damaged ciphertext.
pub(crate) fn decrypt(
    cipher: LegacyCipher,
    iv: &[u8],
    ciphertext: &[u8],
    password: Option<&[u8]>,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let password = password
        .ok_or(Error::InvalidParameter { what: "password", reason: "required for an encrypted private key" })?;
    let salt = iv.get(..8).ok_or(malformed("IV shorter than the salt"))?;
    let key = bytes_to_key(password, salt, cipher.key_len());
    cipher.decrypt(&key, iv, ciphertext)
}

/// Encrypts `der` under `password` and writes it as a PEM block labelled
/// `label` with the two headers, with a fresh random IV.
///
/// # Errors
/// The RNG's or cipher's errors (none for valid inputs).
pub(crate) fn encrypt_pem(
    label: &str,
    der: &[u8],
    cipher: LegacyCipher,
    password: &[u8],
    rng: &mut impl CryptoRng,
) -> Result<String, Error> {
    let mut iv = [0u8; 16];
    let iv = iv.get_mut(..cipher.iv_len()).unwrap_or_default();
    rng.fill_bytes(iv);
    let salt = iv.get(..8).unwrap_or_default();
    let key = bytes_to_key(password, salt, cipher.key_len());
    let ciphertext = cipher.encrypt(&key, iv, der)?;
    let iv_hex: String = iv.iter().map(|b| format!("{b:02X}")).collect();
    let dek_info = format!("{},{iv_hex}", cipher.name());
    let headers = [Header { name: "Proc-Type", value: "4,ENCRYPTED" }, Header { name: "DEK-Info", value: &dek_info }];
    Ok(pem::encode_with_headers(label, &headers, &ciphertext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_to_key_matches_openssl_enc() {
        // `openssl enc -aes-256-cbc -md md5 -pass pass:password -S 0001020304050607 -P`
        let key = bytes_to_key(b"password", &hex_literal::hex!("0001020304050607"), 48);
        // key (32 bytes) followed by the IV openssl derives (16 bytes).
        assert_eq!(
            hex_string(&key),
            "B03096345E805D3AA4392D2E72791DFB13E12D3F61094A3FC347ACE86B99ADA6ACDE38B46073EEF81840283E44A4B22A"
        );
    }

    fn hex_string(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    #[test]
    fn headers_are_checked() {
        let h = |p: &'static str, d: &'static str| {
            [Header { name: "Proc-Type", value: p }, Header { name: "DEK-Info", value: d }]
        };
        assert!(parse_headers(&[]).unwrap().is_none());
        let (cipher, iv) =
            parse_headers(&h("4,ENCRYPTED", "AES-128-CBC,000102030405060708090A0B0C0D0E0F")).unwrap().unwrap();
        assert_eq!((cipher, iv.len()), (LegacyCipher::Aes128Cbc, 16));
        assert!(matches!(parse_headers(&h("4,MIC-ONLY", "AES-128-CBC,00")), Err(Error::Malformed { .. })));
        assert!(matches!(parse_headers(&h("4,ENCRYPTED", "AES-128-CBC,0001")), Err(Error::Malformed { .. })));
        assert!(matches!(parse_headers(&h("4,ENCRYPTED", "AES-128-CBC,zz")), Err(Error::Malformed { .. })));
        assert!(matches!(parse_headers(&h("4,ENCRYPTED", "DES-CBC,0001020304050607")), Err(Error::Unsupported { .. })));
        assert!(matches!(parse_headers(&h("4,ENCRYPTED", "AES-128-CBC")), Err(Error::Malformed { .. })));
    }

    #[test]
    fn round_trip_every_cipher_and_wrong_password() {
        let mut rng = crate::pkcs5::tests::test_rng();
        let der = b"not really DER but any bytes will do for the cipher layer";
        for cipher in LegacyCipher::ALL {
            let text = encrypt_pem("EC PRIVATE KEY", der, cipher, b"pw", &mut rng).unwrap();
            let (block, headers) = pem::decode_with_headers(text.as_bytes()).unwrap();
            let (c, iv) = parse_headers(&headers).unwrap().unwrap();
            assert_eq!(c, cipher);
            assert_eq!(&decrypt(c, &iv, &block.contents, Some(b"pw")).unwrap()[..], der);
            assert!(decrypt(c, &iv, &block.contents, None).is_err());
            // A wrong password fails the padding check with overwhelming
            // probability; when it passes by chance the bytes differ.
            if let Ok(wrong) = decrypt(c, &iv, &block.contents, Some(b"px")) {
                assert_ne!(&wrong[..], der);
            }
        }
    }
}
