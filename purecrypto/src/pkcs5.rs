//! PBES2 password-based encryption (RFC 8018 section 6.2): the scheme
//! inside encrypted PKCS #8 keys and OpenSSL 3's PKCS #12 files.
//!
//! Entry points: [`Pbes2Params::from_algorithm_identifier`] then
//! [`Pbes2Params::decrypt`] to open, [`encrypt`] with [`EncryptOptions`]
//! to seal. Key derivation is PBKDF2 (HMAC-SHA-1/224/256/384/512) or
//! scrypt (RFC 7914); the cipher is AES-128/192/256-CBC with PKCS #7
//! padding.
//!
//! The cost parameters come from the file, so they are attacker-chosen:
//! every derivation is checked against [`Limits`] (iteration count, scrypt
//! memory) before any work starts. The legacy PKCS #12 PBES1 schemes
//! (3DES, RC2, RC4 with the PKCS #12 KDF) are recognised and refused with
//! an [`Error::Unsupported`] naming them.

use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::oid;
use crate::cipher::aes::Aes;
use crate::cipher::modes::cbc;
use crate::hash::HashAlgorithm;
use crate::kdf::{ScryptParams, pbkdf2, scrypt};
use crate::rng::CryptoRng;

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "PBES2 parameters", reason }
}

/// Upper bounds on the work a file may ask for, checked before deriving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest PBKDF2 (and PKCS #12 KDF) iteration count accepted.
    pub max_iterations: u32,
    /// Largest scrypt memory, `128 * r * (N + p)` bytes.
    pub max_scrypt_memory: u64,
}

impl Limits {
    /// Ten million iterations (seconds of work, far above the 600 000
    /// that current guidance asks for) and 1 GiB of scrypt memory.
    pub const DEFAULT: Self = Self { max_iterations: 10_000_000, max_scrypt_memory: 1 << 30 };

    /// Custom limits (fuzzing uses tiny ones).
    #[must_use]
    pub const fn new(max_iterations: u32, max_scrypt_memory: u64) -> Self {
        Self { max_iterations, max_scrypt_memory }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The HMAC pseudo-random function of PBKDF2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Prf {
    /// hmacWithSHA1, the ASN.1 default.
    HmacSha1,
    /// hmacWithSHA224.
    HmacSha224,
    /// hmacWithSHA256 (OpenSSL 3's default).
    HmacSha256,
    /// hmacWithSHA384.
    HmacSha384,
    /// hmacWithSHA512.
    HmacSha512,
}

/// `(prf, hash, OID)`, written once.
const PRFS: [(Prf, HashAlgorithm, &[u8]); 5] = [
    (Prf::HmacSha1, HashAlgorithm::Sha1, oid::HMAC_WITH_SHA1),
    (Prf::HmacSha224, HashAlgorithm::Sha224, oid::HMAC_WITH_SHA224),
    (Prf::HmacSha256, HashAlgorithm::Sha256, oid::HMAC_WITH_SHA256),
    (Prf::HmacSha384, HashAlgorithm::Sha384, oid::HMAC_WITH_SHA384),
    (Prf::HmacSha512, HashAlgorithm::Sha512, oid::HMAC_WITH_SHA512),
];

impl Prf {
    /// The underlying hash.
    #[must_use]
    pub fn hash(self) -> HashAlgorithm {
        PRFS.iter().find(|(p, ..)| *p == self).map_or(HashAlgorithm::Sha256, |&(_, h, _)| h)
    }

    /// The algorithm OID's contents.
    #[must_use]
    pub fn oid(self) -> &'static [u8] {
        PRFS.iter().find(|(p, ..)| *p == self).map_or(oid::HMAC_WITH_SHA256, |&(.., o)| o)
    }

    fn from_oid(contents: &[u8]) -> Option<Self> {
        PRFS.iter().find(|(.., o)| *o == contents).map(|&(p, ..)| p)
    }
}

/// The block cipher of the encryption scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cipher {
    /// aes128-CBC-PAD.
    Aes128Cbc,
    /// aes192-CBC-PAD.
    Aes192Cbc,
    /// aes256-CBC-PAD (OpenSSL 3's default).
    Aes256Cbc,
}

impl Cipher {
    /// Key length in bytes.
    #[must_use]
    pub const fn key_len(self) -> usize {
        match self {
            Self::Aes128Cbc => 16,
            Self::Aes192Cbc => 24,
            Self::Aes256Cbc => 32,
        }
    }

    /// The algorithm OID's contents.
    #[must_use]
    pub const fn oid(self) -> &'static [u8] {
        match self {
            Self::Aes128Cbc => oid::AES128_CBC,
            Self::Aes192Cbc => oid::AES192_CBC,
            Self::Aes256Cbc => oid::AES256_CBC,
        }
    }

    fn from_oid(contents: &[u8]) -> Option<Self> {
        [Self::Aes128Cbc, Self::Aes192Cbc, Self::Aes256Cbc].into_iter().find(|c| c.oid() == contents)
    }
}

/// The key derivation function and its parameters, borrowing the salt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kdf<'a> {
    /// PBKDF2 (RFC 8018 section 5.2).
    Pbkdf2 {
        /// The salt.
        salt: &'a [u8],
        /// The iteration count (at least 1).
        iterations: u32,
        /// The HMAC.
        prf: Prf,
    },
    /// scrypt (RFC 7914 section 7).
    Scrypt {
        /// The salt.
        salt: &'a [u8],
        /// CPU/memory cost `N`.
        n: u64,
        /// Block size `r`.
        r: u64,
        /// Parallelisation `p`.
        p: u64,
    },
}

/// Decoded `PBES2-params`, borrowing from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pbes2Params<'a> {
    /// How the key is derived from the password.
    pub kdf: Kdf<'a>,
    /// The cipher.
    pub cipher: Cipher,
    /// The 16-byte CBC IV.
    pub iv: &'a [u8],
}

/// The name of a recognised password-based scheme this crate does not
/// implement, for [`Error::Unsupported`].
pub(crate) fn unsupported_scheme(algorithm: &[u8]) -> Error {
    let legacy: [(&[u8], &'static str); 6] = [
        (oid::PBE_SHA1_3DES, "pbeWithSHAAnd3-KeyTripleDES-CBC (legacy PKCS #12 encryption)"),
        (oid::PBE_SHA1_2DES, "pbeWithSHAAnd2-KeyTripleDES-CBC (legacy PKCS #12 encryption)"),
        (oid::PBE_SHA1_RC2_40, "pbeWithSHAAnd40BitRC2-CBC (legacy PKCS #12 encryption)"),
        (oid::PBE_SHA1_RC2_128, "pbeWithSHAAnd128BitRC2-CBC (legacy PKCS #12 encryption)"),
        (oid::PBE_SHA1_RC4_40, "pbeWithSHAAnd40BitRC4 (legacy PKCS #12 encryption)"),
        (oid::PBE_SHA1_RC4_128, "pbeWithSHAAnd128BitRC4 (legacy PKCS #12 encryption)"),
    ];
    let what = legacy.iter().find(|(o, _)| *o == algorithm).map_or("password-based encryption scheme", |(_, n)| n);
    Error::Unsupported { what }
}

impl<'a> Pbes2Params<'a> {
    /// Reads an `AlgorithmIdentifier` that must be PBES2.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for another scheme (named when it is one of
    /// the legacy PKCS #12 ones) or KDF / cipher; [`Error::Malformed`] on
    /// bad DER.
    pub fn from_algorithm_identifier(reader: &mut Reader<'a>) -> Result<Self, Error> {
        let mut id = reader.sequence()?;
        let algorithm = id.oid()?;
        if algorithm != oid::PBES2 {
            return Err(unsupported_scheme(algorithm));
        }
        let mut params = id.sequence()?;
        id.finish()?;
        let mut kdf_id = params.sequence()?;
        let mut cipher_id = params.sequence()?;
        params.finish()?;

        let cipher_oid = cipher_id.oid()?;
        let cipher = Cipher::from_oid(cipher_oid).ok_or(Error::Unsupported { what: "PBES2 encryption scheme" })?;
        let iv = cipher_id.octet_string()?;
        cipher_id.finish()?;
        if iv.len() != 16 {
            return Err(malformed("AES-CBC IV is not 16 bytes"));
        }

        let kdf_oid = kdf_id.oid()?;
        let mut kdf_params = kdf_id.sequence()?;
        kdf_id.finish()?;
        let kdf = if kdf_oid == oid::PBKDF2 {
            read_pbkdf2(&mut kdf_params, cipher)?
        } else if kdf_oid == oid::SCRYPT {
            read_scrypt(&mut kdf_params, cipher)?
        } else {
            return Err(Error::Unsupported { what: "PBES2 key derivation function" });
        };
        kdf_params.finish()?;
        Ok(Self { kdf, cipher, iv })
    }

    /// Writes the whole `AlgorithmIdentifier` (PBES2 and its parameters).
    pub fn write(&self, w: &mut Writer) {
        w.sequence(|w| {
            w.oid(oid::PBES2);
            w.sequence(|w| {
                w.sequence(|w| match self.kdf {
                    Kdf::Pbkdf2 { salt, iterations, prf } => {
                        w.oid(oid::PBKDF2);
                        w.sequence(|w| {
                            w.octet_string(salt);
                            w.small_unsigned(u64::from(iterations));
                            // hmacWithSHA1 is the DEFAULT, which DER omits.
                            if prf != Prf::HmacSha1 {
                                w.sequence(|w| {
                                    w.oid(prf.oid());
                                    w.null();
                                });
                            }
                        });
                    }
                    Kdf::Scrypt { salt, n, r, p } => {
                        w.oid(oid::SCRYPT);
                        w.sequence(|w| {
                            w.octet_string(salt);
                            w.small_unsigned(n);
                            w.small_unsigned(r);
                            w.small_unsigned(p);
                        });
                    }
                });
                w.sequence(|w| {
                    w.oid(self.cipher.oid());
                    w.octet_string(self.iv);
                });
            });
        });
    }

    /// Derives the key from `password`, within `limits`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the cost exceeds `limits` or is
    /// invalid for the KDF.
    fn derive_key(&self, password: &[u8], limits: &Limits) -> Result<Zeroizing<Vec<u8>>, Error> {
        let mut key = Zeroizing::new(alloc::vec![0u8; self.cipher.key_len()]);
        match self.kdf {
            Kdf::Pbkdf2 { salt, iterations, prf } => {
                if iterations > limits.max_iterations {
                    return Err(Error::InvalidParameter {
                        what: "PBKDF2 iteration count",
                        reason: "above the configured limit",
                    });
                }
                pbkdf2(prf.hash(), password, salt, iterations, &mut key)?;
            }
            Kdf::Scrypt { salt, n, r, p } => {
                let params = ScryptParams::new(n, r, p)?;
                let memory = r.saturating_mul(128).saturating_mul(n.saturating_add(p));
                if memory > limits.max_scrypt_memory {
                    return Err(Error::InvalidParameter {
                        what: "scrypt memory",
                        reason: "above the configured limit",
                    });
                }
                scrypt(password, salt, &params, &mut key)?;
            }
        }
        Ok(key)
    }

    /// Decrypts `ciphertext` with `password`; returns the plaintext.
    ///
    /// # Errors
    /// [`Error::DecryptionFailed`] for a wrong password (bad padding) or a
    /// ciphertext that is not whole blocks; [`Error::InvalidParameter`]
    /// when the KDF cost exceeds `limits`.
    pub fn decrypt(&self, password: &[u8], ciphertext: &[u8], limits: &Limits) -> Result<Zeroizing<Vec<u8>>, Error> {
        let key = self.derive_key(password, limits)?;
        let aes = Aes::new(&key)?;
        cbc::decrypt_padded(&aes, self.iv, ciphertext).map(Zeroizing::new).map_err(|_| Error::DecryptionFailed)
    }
}

fn read_pbkdf2<'a>(r: &mut Reader<'a>, cipher: Cipher) -> Result<Kdf<'a>, Error> {
    if r.peek_tag() != Some(crate::asn1::der::TAG_OCTET_STRING) {
        return Err(Error::Unsupported { what: "PBKDF2 salt from another source (otherSource)" });
    }
    let salt = r.octet_string()?;
    let iterations = u32::try_from(r.small_unsigned()?).map_err(|_| malformed("iteration count above 2^32"))?;
    if iterations == 0 {
        return Err(malformed("iteration count of zero"));
    }
    if r.peek_tag() == Some(crate::asn1::der::TAG_INTEGER) {
        check_key_length(r.small_unsigned()?, cipher)?;
    }
    let prf = if r.is_empty() {
        Prf::HmacSha1
    } else {
        let mut prf_id = r.sequence()?;
        let prf = Prf::from_oid(prf_id.oid()?).ok_or(Error::Unsupported { what: "PBKDF2 pseudo-random function" })?;
        // The parameters are NULL, or absent as some writers leave them.
        if !prf_id.is_empty() {
            prf_id.null()?;
        }
        prf_id.finish()?;
        prf
    };
    Ok(Kdf::Pbkdf2 { salt, iterations, prf })
}

fn read_scrypt<'a>(r: &mut Reader<'a>, cipher: Cipher) -> Result<Kdf<'a>, Error> {
    let salt = r.octet_string()?;
    let n = r.small_unsigned()?;
    let block_size = r.small_unsigned()?;
    let p = r.small_unsigned()?;
    if !r.is_empty() {
        check_key_length(r.small_unsigned()?, cipher)?;
    }
    Ok(Kdf::Scrypt { salt, n, r: block_size, p })
}

fn check_key_length(length: u64, cipher: Cipher) -> Result<(), Error> {
    if usize::try_from(length).ok() == Some(cipher.key_len()) {
        Ok(())
    } else {
        Err(malformed("keyLength differs from the cipher's key length"))
    }
}

/// How [`encrypt`] derives its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KdfChoice {
    /// PBKDF2 with `prf` and `iterations`.
    Pbkdf2 {
        /// The HMAC.
        prf: Prf,
        /// The iteration count.
        iterations: u32,
    },
    /// scrypt with cost `n`, block size `r`, parallelism `p`.
    Scrypt {
        /// CPU/memory cost.
        n: u64,
        /// Block size.
        r: u64,
        /// Parallelisation.
        p: u64,
    },
}

/// Choices for [`encrypt`]. The default is what `openssl pkcs8 -topk8
/// -v2 aes-256-cbc` writes in OpenSSL 3: PBKDF2-HMAC-SHA256 with 2048
/// iterations and AES-256-CBC, with a 16-byte salt (OpenSSL 3.0 writes 8
/// bytes, later releases 16; NIST SP 800-132 asks for at least 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EncryptOptions {
    /// The key derivation.
    pub kdf: KdfChoice,
    /// The cipher.
    pub cipher: Cipher,
    /// Salt length in bytes (8..=64).
    pub salt_len: usize,
}

impl EncryptOptions {
    /// The OpenSSL 3 defaults described above.
    pub const DEFAULT: Self = Self {
        kdf: KdfChoice::Pbkdf2 { prf: Prf::HmacSha256, iterations: 2048 },
        cipher: Cipher::Aes256Cbc,
        salt_len: 16,
    };

    /// What `openssl pkcs8 -topk8 -scrypt` writes: N = 16384, r = 8, p = 1,
    /// AES-256-CBC.
    pub const SCRYPT: Self =
        Self { kdf: KdfChoice::Scrypt { n: 16384, r: 8, p: 1 }, cipher: Cipher::Aes256Cbc, salt_len: 16 };

    /// Options with the given KDF and cipher and a 16-byte salt.
    #[must_use]
    pub const fn new(kdf: KdfChoice, cipher: Cipher) -> Self {
        Self { kdf, cipher, salt_len: 16 }
    }
}

impl Default for EncryptOptions {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Output of [`encrypt`]: the PBES2 `AlgorithmIdentifier` and the
/// ciphertext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encrypted {
    /// The encoded `AlgorithmIdentifier` (PBES2 with fresh salt and IV).
    pub algorithm: Vec<u8>,
    /// AES-CBC ciphertext with PKCS #7 padding.
    pub ciphertext: Vec<u8>,
}

/// Encrypts `plaintext` under `password` with a fresh salt and IV from
/// `rng`.
///
/// # Errors
/// [`Error::InvalidParameter`] for a zero iteration count, invalid scrypt
/// parameters or a salt length outside 8..=64; the RNG's error.
pub fn encrypt(
    options: &EncryptOptions,
    password: &[u8],
    plaintext: &[u8],
    rng: &mut impl CryptoRng,
) -> Result<Encrypted, Error> {
    if !(8..=64).contains(&options.salt_len) {
        return Err(Error::InvalidParameter { what: "PBES2 salt length", reason: "8 to 64 bytes" });
    }
    let mut salt_buf = [0u8; 64];
    let salt = salt_buf.get_mut(..options.salt_len).unwrap_or_default();
    rng.try_fill_bytes(salt)?;
    let mut iv = [0u8; 16];
    rng.try_fill_bytes(&mut iv)?;
    let kdf = match options.kdf {
        KdfChoice::Pbkdf2 { prf, iterations } => Kdf::Pbkdf2 { salt, iterations, prf },
        KdfChoice::Scrypt { n, r, p } => Kdf::Scrypt { salt, n, r, p },
    };
    let params = Pbes2Params { kdf, cipher: options.cipher, iv: &iv };
    // Our own choices are not limited beyond what the KDFs accept.
    let key = params.derive_key(password, &Limits::new(u32::MAX, u64::MAX))?;
    let aes = Aes::new(&key)?;
    let ciphertext = cbc::encrypt_padded(&aes, &iv, plaintext)?;
    let mut w = Writer::new();
    params.write(&mut w);
    Ok(Encrypted { algorithm: w.finish(), ciphertext })
}

#[cfg(test)]
pub(crate) mod tests;
