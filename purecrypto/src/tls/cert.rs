//! Certificates as far as TLS needs them: the [`ServerCertVerifier`]
//! trait (chain validation is pluggable; `super::webpki` has the x509
//! one), a pinning verifier, a leaf's `SubjectPublicKeyInfo` (through
//! `crate::x509`), and CertificateVerify signing and checking
//! (RFC 8446 section 4.4.3).
//!
//! Entry points: [`ServerCertVerifier`], [`ClientCertVerifier`] (a
//! server judging client certificates), [`PinnedCertVerifier`],
//! [`DangerousAcceptAnyVerifier`], [`leaf_spki`], [`SigningKey`],
//! [`CertifiedKey`] (a chain with its key, what a client authenticates
//! with).

use alloc::vec::Vec;
use core::fmt;

use super::error::Error;
use super::suites::SignatureScheme;
use crate::asn1::der::Reader;
use crate::asn1::oid;
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::ec::{P256, P384, P521, ecdsa};
use crate::hash::HashAlgorithm;
use crate::pkey::RsassaPssParams;
use crate::rng::CryptoRng;
use crate::rsa::{PssParams, RsaPrivateKey, RsaPublicKey};

/// Decides whether the server's certificate chain is acceptable for
/// `server_name` at `now_unix`. The connection checks CertificateVerify
/// itself (against the leaf's key), so a verifier only judges the chain.
pub trait ServerCertVerifier: Send + Sync {
    /// `chain` is the DER certificates, leaf first.
    ///
    /// # Errors
    /// [`Error::BadCertificate`] (or another variant whose alert fits
    /// better) when the chain is not acceptable.
    fn verify(&self, chain: &[&[u8]], server_name: &str, now_unix: u64) -> Result<(), Error>;

    /// The certificate (DER) that issued `leaf`, when the verifier holds
    /// it but the server need not send it (a trust anchor). Checking a
    /// stapled OCSP response ([`ClientConfig::require_ocsp_good`](super::ClientConfig::require_ocsp_good))
    /// needs the issuer's name and key. Default: `None`.
    fn issuer_of(&self, leaf: &[u8]) -> Option<Vec<u8>> {
        let _ = leaf;
        None
    }
}

/// Decides whether a client's certificate chain is acceptable; a server
/// with one in [`ServerConfig::client_verifier`](super::ServerConfig)
/// sends a CertificateRequest. The connection checks CertificateVerify
/// itself (against the leaf's key), so a verifier only judges the chain.
pub trait ClientCertVerifier: Send + Sync {
    /// Whether a client that sends no certificate is refused
    /// (`certificate_required` in TLS 1.3, `handshake_failure` in TLS
    /// 1.2) rather than let through unauthenticated.
    fn client_auth_mandatory(&self) -> bool;

    /// `chain` is the DER certificates, leaf first (never empty).
    ///
    /// # Errors
    /// [`Error::BadCertificate`] (or another variant whose alert fits
    /// better) when the chain is not acceptable.
    fn verify(&self, chain: &[&[u8]], now_unix: u64) -> Result<(), Error>;
}

/// A certificate chain (DER, leaf first) and the leaf's private key: what
/// a client presents when the server asks for a certificate.
#[derive(Clone)]
pub struct CertifiedKey {
    /// DER certificates, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The leaf's private key.
    pub key: alloc::sync::Arc<SigningKey>,
}

impl CertifiedKey {
    /// Pairs `chain` with `key`, checking that the leaf's public key is
    /// the one `key` signs for.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty chain, an unreadable leaf, or a key
    /// that does not belong to the leaf.
    pub fn new(chain: Vec<Vec<u8>>, key: SigningKey) -> Result<Self, Error> {
        let leaf = chain.first().ok_or(Error::Config { what: "empty certificate chain" })?;
        let spki = leaf_spki(leaf).map_err(|_| Error::Config { what: "leaf certificate" })?;
        key.check_matches(spki)?;
        Ok(Self { chain, key: alloc::sync::Arc::new(key) })
    }
}

impl fmt::Debug for CertifiedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertifiedKey").field("chain_len", &self.chain.len()).field("key", &self.key).finish()
    }
}

/// Randomness for the key-match probe only (no generator is at hand
/// there): the probe signature is thrown away, hedged ECDSA with
/// predictable added randomness is still RFC 6979-deterministic, and RSA
/// blinding needs values that are not all zero, which a counter gives.
struct ProbeRng(u64);

impl crate::rng::RngCore for ProbeRng {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for b in dest {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            *b = (self.0 >> 33) as u8;
        }
    }
}

impl CryptoRng for ProbeRng {}

/// Accepts exactly one leaf: by whole certificate or by its
/// `SubjectPublicKeyInfo` (the key survives re-issuance).
#[derive(Clone, Debug)]
pub enum PinnedCertVerifier {
    /// The leaf certificate's DER must match byte for byte.
    Certificate(Vec<u8>),
    /// The leaf's `SubjectPublicKeyInfo` DER must match byte for byte.
    Spki(Vec<u8>),
}

impl ServerCertVerifier for PinnedCertVerifier {
    fn verify(&self, chain: &[&[u8]], _server_name: &str, _now_unix: u64) -> Result<(), Error> {
        let leaf = chain.first().ok_or(Error::BadCertificate { what: "empty chain" })?;
        let matches = match self {
            Self::Certificate(pin) => pin.as_slice() == *leaf,
            Self::Spki(pin) => leaf_spki(leaf)? == pin.as_slice(),
        };
        if matches { Ok(()) } else { Err(Error::BadCertificate { what: "leaf does not match the pin" }) }
    }
}

/// Accepts any chain. For tests and debugging only: a connection using it
/// is open to any active attacker.
#[derive(Clone, Copy, Debug, Default)]
pub struct DangerousAcceptAnyVerifier;

impl ServerCertVerifier for DangerousAcceptAnyVerifier {
    fn verify(&self, chain: &[&[u8]], _server_name: &str, _now_unix: u64) -> Result<(), Error> {
        // Still insist the leaf parses far enough to carry a key.
        leaf_spki(chain.first().ok_or(Error::BadCertificate { what: "empty chain" })?).map(|_| ())
    }
}

fn bad(what: &'static str) -> Error {
    Error::BadCertificate { what }
}

/// The DER `SubjectPublicKeyInfo` of an X.509 certificate, as
/// `crate::x509` decodes it (the whole certificate is checked, so a leaf
/// that `x509` would refuse never reaches CertificateVerify).
///
/// # Errors
/// [`Error::BadCertificate`] when the structure is not a certificate or
/// its key does not decode.
pub fn leaf_spki(cert: &[u8]) -> Result<&[u8], Error> {
    let spki = crate::x509::leaf_spki(cert).map_err(|_| bad("certificate DER"))?;
    SubjectPublicKeyInfo::from_der(spki).map_err(|_| bad("certificate key"))?;
    Ok(spki)
}

/// The content CertificateVerify signs (section 4.4.3).
pub(crate) fn signed_content(server: bool, transcript_hash: &[u8]) -> Vec<u8> {
    let mut m = alloc::vec![0x20u8; 64];
    m.extend_from_slice(if server {
        b"TLS 1.3, server CertificateVerify"
    } else {
        b"TLS 1.3, client CertificateVerify"
    });
    m.push(0);
    m.extend_from_slice(transcript_hash);
    m
}

fn named_curve(spki: &SubjectPublicKeyInfo<'_>) -> Option<&'static [u8]> {
    let params = spki.parameters?;
    let mut r = Reader::new(params);
    let curve = r.oid().ok()?;
    r.finish().ok()?;
    [oid::SECP256R1, oid::SECP384R1, oid::SECP521R1].into_iter().find(|c| *c == curve)
}

fn pss_hash(scheme: SignatureScheme) -> Option<HashAlgorithm> {
    match scheme {
        SignatureScheme::RSA_PSS_RSAE_SHA256 => Some(HashAlgorithm::Sha256),
        SignatureScheme::RSA_PSS_RSAE_SHA384 => Some(HashAlgorithm::Sha384),
        SignatureScheme::RSA_PSS_RSAE_SHA512 => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

/// The hash of an `rsa_pss_pss_*` scheme (a key whose SPKI is
/// `id-RSASSA-PSS`).
fn pss_pss_hash(scheme: SignatureScheme) -> Option<HashAlgorithm> {
    match scheme {
        SignatureScheme::RSA_PSS_PSS_SHA256 => Some(HashAlgorithm::Sha256),
        SignatureScheme::RSA_PSS_PSS_SHA384 => Some(HashAlgorithm::Sha384),
        SignatureScheme::RSA_PSS_PSS_SHA512 => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

/// Whether an `id-RSASSA-PSS` key with `restrictions` may sign as TLS
/// signs with `hash` (section 4.2.3: MGF1 over the same hash, a salt as
/// long as the digest): the key's hashes must be `hash` and its minimum
/// salt length at most the digest length.
fn pss_key_allows(restrictions: Option<&RsassaPssParams>, hash: HashAlgorithm) -> bool {
    restrictions.is_none_or(|r| r.hash == hash && r.mgf1_hash == hash && r.salt_len <= hash.output_len())
}

/// The `rsa_pss_pss_*` schemes an `id-RSASSA-PSS` key with `restrictions`
/// signs with, best first: all three without restrictions, at most the
/// one of its hash with them.
fn pss_pss_schemes(restrictions: Option<&RsassaPssParams>) -> &'static [SignatureScheme] {
    let Some(r) = restrictions else {
        return &[
            SignatureScheme::RSA_PSS_PSS_SHA256,
            SignatureScheme::RSA_PSS_PSS_SHA384,
            SignatureScheme::RSA_PSS_PSS_SHA512,
        ];
    };
    if !pss_key_allows(Some(r), r.hash) {
        return &[];
    }
    match r.hash {
        HashAlgorithm::Sha256 => &[SignatureScheme::RSA_PSS_PSS_SHA256],
        HashAlgorithm::Sha384 => &[SignatureScheme::RSA_PSS_PSS_SHA384],
        HashAlgorithm::Sha512 => &[SignatureScheme::RSA_PSS_PSS_SHA512],
        _ => &[],
    }
}

/// Checks an `rsa_pss_pss_*` signature with `hash`: the key must be
/// `id-RSASSA-PSS` (not rsaEncryption, section 4.2.3) and its
/// parameters, if any, must allow the scheme.
fn verify_pss_pss(
    spki: &SubjectPublicKeyInfo<'_>,
    spki_der: &[u8],
    hash: HashAlgorithm,
    message: &[u8],
    sig: &[u8],
) -> Result<(), Error> {
    if spki.algorithm != oid::RSASSA_PSS {
        return Err(Error::IllegalParameter { what: "signature scheme does not fit the certificate key" });
    }
    let key = crate::pkey::PublicKey::from_spki_der(spki_der).map_err(|_| bad("RSA-PSS key"))?;
    let crate::pkey::PublicKey::RsaPss(key, restrictions) = key else { return Err(bad("RSA-PSS key")) };
    if !pss_key_allows(restrictions.as_ref(), hash) {
        return Err(Error::IllegalParameter { what: "signature scheme contradicts the RSA-PSS key's parameters" });
    }
    let failed = Error::DecryptError { what: "CertificateVerify signature" };
    key.key().verify_pss(&PssParams::new(hash), message, sig).map_err(|_| failed)
}

/// Checks a CertificateVerify signature made with `scheme` by the key in
/// the DER `spki`. A scheme that does not fit the key is
/// `illegal_parameter`; a wrong signature is `decrypt_error`.
pub(crate) fn verify_signature(
    spki_der: &[u8],
    scheme: SignatureScheme,
    message: &[u8],
    sig: &[u8],
) -> Result<(), Error> {
    let spki = SubjectPublicKeyInfo::from_der(spki_der).map_err(|_| bad("public key"))?;
    let mismatch = Error::IllegalParameter { what: "signature scheme does not fit the certificate key" };
    let failed = Error::DecryptError { what: "CertificateVerify signature" };
    match scheme {
        SignatureScheme::ECDSA_SECP256R1_SHA256 => {
            if spki.algorithm != oid::EC_PUBLIC_KEY || named_curve(&spki) != Some(oid::SECP256R1) {
                return Err(mismatch);
            }
            let key = ecdsa::VerifyingKey::<P256>::from_sec1(spki.public_key).map_err(|_| bad("EC key"))?;
            key.verify_der(HashAlgorithm::Sha256, message, sig).map_err(|_| failed)
        }
        SignatureScheme::ECDSA_SECP384R1_SHA384 => {
            if spki.algorithm != oid::EC_PUBLIC_KEY || named_curve(&spki) != Some(oid::SECP384R1) {
                return Err(mismatch);
            }
            let key = ecdsa::VerifyingKey::<P384>::from_sec1(spki.public_key).map_err(|_| bad("EC key"))?;
            key.verify_der(HashAlgorithm::Sha384, message, sig).map_err(|_| failed)
        }
        SignatureScheme::ECDSA_SECP521R1_SHA512 => {
            if spki.algorithm != oid::EC_PUBLIC_KEY || named_curve(&spki) != Some(oid::SECP521R1) {
                return Err(mismatch);
            }
            let key = ecdsa::VerifyingKey::<P521>::from_sec1(spki.public_key).map_err(|_| bad("EC key"))?;
            key.verify_der(HashAlgorithm::Sha512, message, sig).map_err(|_| failed)
        }
        SignatureScheme::ED25519 => {
            if spki.algorithm != oid::ED25519 || spki.parameters.is_some() {
                return Err(mismatch);
            }
            let key = crate::ed25519::VerifyingKey::from_slice(spki.public_key).map_err(|_| bad("Ed25519 key"))?;
            let sig = crate::ed25519::Signature::from_slice(sig).map_err(|_| failed.clone())?;
            key.verify(message, &sig).map_err(|_| failed)
        }
        SignatureScheme::ED448 => {
            if spki.algorithm != oid::ED448 || spki.parameters.is_some() {
                return Err(mismatch);
            }
            let key = crate::ed448::VerifyingKey::from_slice(spki.public_key).map_err(|_| bad("Ed448 key"))?;
            let sig = crate::ed448::Signature::from_slice(sig).map_err(|_| failed.clone())?;
            // Pure Ed448 with an empty context (RFC 8446 section 4.2.3).
            key.verify(b"", message, &sig).map_err(|_| failed)
        }
        s => {
            if let Some(hash) = pss_pss_hash(s) {
                return verify_pss_pss(&spki, spki_der, hash, message, sig);
            }
            let hash = pss_hash(s).ok_or(Error::IllegalParameter { what: "signature scheme not offered" })?;
            if spki.algorithm != oid::RSA_ENCRYPTION {
                return Err(mismatch);
            }
            let key = RsaPublicKey::from_spki_der(spki_der).map_err(|_| bad("RSA key"))?;
            key.verify_pss(&PssParams::new(hash), message, sig).map_err(|_| failed)
        }
    }
}

/// A server's private key for CertificateVerify.
pub enum SigningKey {
    /// ECDSA on P-256.
    EcdsaP256(ecdsa::SigningKey<P256>),
    /// ECDSA on P-384.
    EcdsaP384(ecdsa::SigningKey<P384>),
    /// RSA, signing with RSASSA-PSS (`rsa_pss_rsae_*`).
    Rsa(RsaPrivateKey),
    /// An RSA key restricted to PSS (`id-RSASSA-PSS`), signing with
    /// `rsa_pss_pss_*`, with the parameter restrictions of its
    /// `AlgorithmIdentifier` if it has them (they limit the schemes: see
    /// [`SigningKey::from_pkcs8_der`]).
    RsaPss(RsaPrivateKey, Option<RsassaPssParams>),
    /// Ed25519.
    Ed25519(crate::ed25519::SigningKey),
    /// Ed448 (pure, empty context).
    Ed448(crate::ed448::SigningKey),
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EcdsaP256(_) => "SigningKey::EcdsaP256 { .. }",
            Self::EcdsaP384(_) => "SigningKey::EcdsaP384 { .. }",
            Self::Rsa(_) => "SigningKey::Rsa { .. }",
            Self::RsaPss(..) => "SigningKey::RsaPss { .. }",
            Self::Ed25519(_) => "SigningKey::Ed25519 { .. }",
            Self::Ed448(_) => "SigningKey::Ed448 { .. }",
        })
    }
}

impl SigningKey {
    /// Loads a plain PKCS #8 key (DER): RSA, RSA-PSS, EC P-256/P-384,
    /// Ed25519 or Ed448. An RSA-PSS (`id-RSASSA-PSS`) key signs with
    /// `rsa_pss_pss_*`: all three without parameters; with parameters only
    /// the scheme of their hash, and only if the MGF1 hash is the same and
    /// the minimum salt length is at most the digest length (TLS salts
    /// with exactly the digest length).
    ///
    /// # Errors
    /// [`Error::Config`] for another algorithm, a malformed key, or an
    /// RSA-PSS key whose parameters allow no TLS scheme.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        let cfg = |what| Error::Config { what };
        let info = crate::pkcs8::PrivateKeyInfo::from_der(der).map_err(|_| cfg("PKCS #8 key"))?;
        if info.algorithm == oid::RSA_ENCRYPTION {
            return RsaPrivateKey::from_pkcs1_der(info.private_key).map(Self::Rsa).map_err(|_| cfg("RSA key"));
        }
        if info.algorithm == oid::RSASSA_PSS {
            let key = match crate::pkey::PrivateKey::from_pkcs8_der(der) {
                Ok(crate::pkey::PrivateKey::RsaPss(k, restrictions)) => Self::RsaPss(k, restrictions),
                _ => return Err(cfg("RSA-PSS key")),
            };
            if key.schemes().is_empty() {
                return Err(cfg("RSA-PSS key parameters that no TLS signature scheme meets"));
            }
            return Ok(key);
        }
        if info.algorithm == oid::ED25519 {
            let mut r = Reader::new(info.private_key);
            let seed: [u8; 32] = r.octet_string().ok().and_then(|s| s.try_into().ok()).ok_or(cfg("Ed25519 key"))?;
            return Ok(Self::Ed25519(crate::ed25519::SigningKey::from_seed(&seed)));
        }
        if info.algorithm == oid::ED448 {
            let mut r = Reader::new(info.private_key);
            let seed: [u8; crate::ed448::SEED_LEN] =
                r.octet_string().ok().and_then(|s| s.try_into().ok()).ok_or(cfg("Ed448 key"))?;
            return Ok(Self::Ed448(crate::ed448::SigningKey::from_seed(&seed)));
        }
        if info.algorithm == oid::EC_PUBLIC_KEY {
            let curve = info.parameters.and_then(|p| {
                let mut r = Reader::new(p);
                r.oid().ok()
            });
            return match curve {
                Some(c) if c == oid::SECP256R1 => crate::ec::sec1::decode_private_key::<P256>(info.private_key)
                    .map(|k| Self::EcdsaP256(k.into()))
                    .map_err(|_| cfg("EC key")),
                Some(c) if c == oid::SECP384R1 => crate::ec::sec1::decode_private_key::<P384>(info.private_key)
                    .map(|k| Self::EcdsaP384(k.into()))
                    .map_err(|_| cfg("EC key")),
                _ => Err(cfg("unsupported EC curve")),
            };
        }
        Err(cfg("unsupported key algorithm"))
    }

    /// Loads a PKCS #8 key from PEM (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// # Errors
    /// As [`SigningKey::from_pkcs8_der`].
    pub fn from_pkcs8_pem(pem: &[u8]) -> Result<Self, Error> {
        let block = crate::asn1::pem::decode_label(pem, crate::pkcs8::PEM_LABEL)
            .map_err(|_| Error::Config { what: "PEM private key" })?;
        Self::from_pkcs8_der(&block.contents)
    }

    /// Whether this key's public half is the one in the DER `spki`: a
    /// test signature must verify under it.
    pub(crate) fn check_matches(&self, spki: &[u8]) -> Result<(), Error> {
        let scheme = *self.schemes().first().ok_or(Error::Config { what: "key" })?;
        let probe = b"purecrypto: does this key belong to the certificate";
        let mut rng = ProbeRng(0x7072_6f62_6521);
        let sig = self.sign(scheme, probe, &mut rng)?;
        verify_signature(spki, scheme, probe, &sig)
            .map_err(|_| Error::Config { what: "key does not match the certificate" })
    }

    /// The DER `SubjectPublicKeyInfo` of the public half, what a raw
    /// public key (RFC 7250) identity sends.
    ///
    /// # Errors
    /// [`Error::Config`] for an RSA-PSS key: its SPKI carries the
    /// parameter restrictions as the key file had them, which this type
    /// does not keep byte for byte (give the SPKI explicitly).
    pub fn spki_der(&self) -> Result<Vec<u8>, Error> {
        let plain =
            |algorithm, public_key: &[u8]| SubjectPublicKeyInfo { algorithm, parameters: None, public_key }.to_der();
        Ok(match self {
            Self::EcdsaP256(k) => crate::ec::sec1::encode_spki(k.verifying_key().public_key()),
            Self::EcdsaP384(k) => crate::ec::sec1::encode_spki(k.verifying_key().public_key()),
            Self::Rsa(k) => k.public_key().to_spki_der(),
            Self::RsaPss(..) => return Err(Error::Config { what: "SPKI of an RSA-PSS key: pass it explicitly" }),
            Self::Ed25519(k) => plain(oid::ED25519, &k.verifying_key().to_bytes()),
            Self::Ed448(k) => plain(oid::ED448, &k.verifying_key().to_bytes()),
        })
    }

    /// The schemes this key can sign with, best first.
    pub(crate) fn schemes(&self) -> &'static [SignatureScheme] {
        match self {
            Self::EcdsaP256(_) => &[SignatureScheme::ECDSA_SECP256R1_SHA256],
            Self::EcdsaP384(_) => &[SignatureScheme::ECDSA_SECP384R1_SHA384],
            Self::Rsa(_) => &[
                SignatureScheme::RSA_PSS_RSAE_SHA256,
                SignatureScheme::RSA_PSS_RSAE_SHA384,
                SignatureScheme::RSA_PSS_RSAE_SHA512,
            ],
            Self::RsaPss(_, restrictions) => pss_pss_schemes(restrictions.as_ref()),
            Self::Ed25519(_) => &[SignatureScheme::ED25519],
            Self::Ed448(_) => &[SignatureScheme::ED448],
        }
    }

    /// Signs `message` with `scheme` (one of [`Self::schemes`]).
    pub(crate) fn sign(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<Vec<u8>, Error> {
        Ok(match self {
            Self::EcdsaP256(k) => k.sign_hedged(HashAlgorithm::Sha256, message, rng)?.to_der(),
            Self::EcdsaP384(k) => k.sign_hedged(HashAlgorithm::Sha384, message, rng)?.to_der(),
            Self::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
            Self::Ed448(k) => k.sign(b"", message)?.to_bytes().to_vec(),
            Self::Rsa(k) => {
                let hash = pss_hash(scheme).ok_or(Error::Config { what: "RSA scheme" })?;
                k.sign_pss(rng, &PssParams::new(hash), message)?
            }
            Self::RsaPss(k, restrictions) => {
                let hash = pss_pss_hash(scheme)
                    .filter(|&h| pss_key_allows(restrictions.as_ref(), h))
                    .ok_or(Error::Config { what: "RSA-PSS scheme" })?;
                k.sign_pss(rng, &PssParams::new(hash), message)?
            }
        })
    }
}
