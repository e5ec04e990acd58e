//! Key-exchange methods (RFC 4253 §8, RFC 5656 §4, RFC 8731, RFC 8268)
//! behind one trait, and the exchange hash they share.
//!
//! Entry points: [`method_for`] (a negotiated name to a [`KexMethod`]),
//! [`KexReply::parse`] (the server's reply, message 31) and
//! [`exchange_hash`].
//!
//! Every method here has the same shape: the client sends one public
//! value (message 30), the server answers with its host key, its public
//! value and a signature (message 31), and both compute
//! `H = HASH(V_C || V_S || I_C || I_S || K_S || Q_C || Q_S || K)`.
//! Only the value encodings and `K` differ, so a method is one small file
//! that says how it makes its value and its shared secret. The
//! post-quantum hybrids (mlkem768x25519-sha256, sntrup761x25519-sha512)
//! fit the same trait: their `K` is a string, not an mpint, which
//! [`KexOutcome::shared_secret`] carries already encoded.

mod curve25519;
mod dh;
mod ecdh;
pub mod gex;
mod mlkem;
mod sntrup;

pub use curve25519::Curve25519;
pub use dh::DiffieHellman;
pub use ecdh::Ecdh;
pub use gex::GroupExchange;
pub use mlkem::MlKem768X25519;
pub use sntrup::Sntrup761X25519;

use crate::error::KexError;
use crate::names;
use crate::wire::{Reader, Writer};
use purecrypto::hash::{HashAlgorithm, Hasher};
use zeroize::Zeroizing;

/// What a finished exchange hands to the exchange hash and the key
/// derivation.
pub struct KexOutcome {
    /// `Q_C` / `e` as it goes into the hash: the bytes inside its
    /// string (for DH, the mpint's two's-complement bytes).
    pub client_value: Vec<u8>,
    /// `K` fully encoded (mpint for (EC)DH, string for the hybrids).
    pub shared_secret: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for KexOutcome {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KexOutcome").field("client_value", &self.client_value).finish_non_exhaustive()
    }
}

/// One key-exchange method, client side: an ephemeral key made at
/// construction, consumed by [`Self::finish`].
pub trait KexMethod: Send {
    /// The method's name.
    fn name(&self) -> &'static str;

    /// The hash of the exchange hash and of the key derivation.
    fn hash(&self) -> HashAlgorithm;

    /// The client's public value as sent in message 30 (the bytes inside
    /// its string or mpint).
    fn client_public(&self) -> Vec<u8>;

    /// Whether message 30 carries the value as an mpint (classic DH)
    /// rather than a string.
    fn public_is_mpint(&self) -> bool {
        false
    }

    /// Method-specific transcript fields between `K_S` and the client's
    /// value, already encoded (group exchange: `min`, `n`, `max`, `p`,
    /// `g`); empty for every other method.
    fn exchange_hash_fields(&self) -> Vec<u8> {
        Vec::new()
    }

    /// Checks the server's value (the bytes inside its string or mpint)
    /// and computes the shared secret.
    ///
    /// # Errors
    /// [`KexError::BadPublicValue`] for a malformed or degenerate value.
    fn finish(self: Box<Self>, server_public: &[u8]) -> Result<KexOutcome, KexError>;
}

/// Methods this crate implements, most preferred first (the client's
/// default list).
pub const SUPPORTED: &[&str] = &[
    names::MLKEM768X25519_SHA256,
    names::SNTRUP761X25519_SHA512,
    names::SNTRUP761X25519_SHA512_OPENSSH,
    names::CURVE25519_SHA256,
    names::CURVE25519_SHA256_LIBSSH,
    names::ECDH_SHA2_NISTP256,
    names::ECDH_SHA2_NISTP384,
    names::ECDH_SHA2_NISTP521,
    names::DH_GEX_SHA256,
    names::DH_GROUP16_SHA512,
    names::DH_GROUP18_SHA512,
    names::DH_GROUP14_SHA256,
];

/// A fresh ephemeral exchange for the negotiated method `name`.
///
/// # Errors
/// [`KexError::Unsupported`] for names without an implementation.
pub fn method_for(name: &str) -> Result<Box<dyn KexMethod>, KexError> {
    use purecrypto::ffdh::Group;
    let mut rng = purecrypto::rng::OsRng;
    let bad = || KexError::Unsupported { name: name.to_owned() };
    Ok(match name {
        names::MLKEM768X25519_SHA256 => Box::new(MlKem768X25519::generate(&mut rng).ok_or_else(bad)?),
        names::SNTRUP761X25519_SHA512 | names::SNTRUP761X25519_SHA512_OPENSSH => {
            let name = if name == names::SNTRUP761X25519_SHA512 {
                names::SNTRUP761X25519_SHA512
            } else {
                names::SNTRUP761X25519_SHA512_OPENSSH
            };
            Box::new(Sntrup761X25519::generate(name, &mut rng).ok_or_else(bad)?)
        }
        // Group exchange starts with a request, not a value: see
        // `ClientKex`, which builds a `GroupExchange` from the server's group.
        names::CURVE25519_SHA256 => Box::new(Curve25519::generate(names::CURVE25519_SHA256, &mut rng)),
        names::CURVE25519_SHA256_LIBSSH => Box::new(Curve25519::generate(names::CURVE25519_SHA256_LIBSSH, &mut rng)),
        names::ECDH_SHA2_NISTP256 => Box::new(Ecdh::<purecrypto::ec::P256>::generate(name, &mut rng).ok_or_else(bad)?),
        names::ECDH_SHA2_NISTP384 => Box::new(Ecdh::<purecrypto::ec::P384>::generate(name, &mut rng).ok_or_else(bad)?),
        names::ECDH_SHA2_NISTP521 => Box::new(Ecdh::<purecrypto::ec::P521>::generate(name, &mut rng).ok_or_else(bad)?),
        names::DH_GROUP14_SHA256 => {
            Box::new(DiffieHellman::generate(name, Group::MODP_2048, &mut rng).ok_or_else(bad)?)
        }
        names::DH_GROUP16_SHA512 => {
            Box::new(DiffieHellman::generate(name, Group::MODP_4096, &mut rng).ok_or_else(bad)?)
        }
        names::DH_GROUP18_SHA512 => {
            Box::new(DiffieHellman::generate(name, Group::MODP_8192, &mut rng).ok_or_else(bad)?)
        }
        _ => return Err(bad()),
    })
}

/// The body of message 30 for `method`.
#[must_use]
pub fn init_body(method: &dyn KexMethod) -> Vec<u8> {
    let mut w = Writer::new();
    if method.public_is_mpint() {
        w.mpint_unsigned(&method.client_public());
    } else {
        w.string(&method.client_public());
    }
    w.into_bytes()
}

/// The server's reply (message 31 under every method here): host key
/// blob, public value, signature blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KexReply {
    /// `K_S`.
    pub host_key: Vec<u8>,
    /// `Q_S` / `f`: the bytes inside its string or mpint.
    pub server_public: Vec<u8>,
    /// The signature blob over `H`.
    pub signature: Vec<u8>,
}

impl KexReply {
    /// Parses a reply body; `mpint` says the public value is an mpint
    /// (classic DH), which must then be minimal and positive.
    ///
    /// # Errors
    /// [`crate::Error::Decode`] for truncation or trailing bytes,
    /// [`KexError::BadPublicValue`] for a negative or non-minimal `f`.
    pub fn parse(body: &[u8], mpint: bool) -> Result<Self, crate::Error> {
        let mut r = Reader::new(body);
        let host_key = r.string()?.to_vec();
        let server_public = if mpint {
            let f = r.mpint().map_err(|_| KexError::BadPublicValue { what: "f" })?;
            if f.first().is_none_or(|b| b & 0x80 != 0) {
                return Err(KexError::BadPublicValue { what: "f" }.into());
            }
            f.to_vec()
        } else {
            r.string()?.to_vec()
        };
        let signature = r.string()?.to_vec();
        r.finish()?;
        Ok(Self { host_key, server_public, signature })
    }
}

/// The transcript pieces of the exchange hash that are not the method's.
#[derive(Debug, Clone, Copy)]
pub struct Transcript<'a> {
    /// `V_C`: the client's identification line without CR LF.
    pub client_version: &'a [u8],
    /// `V_S`.
    pub server_version: &'a [u8],
    /// `I_C`: the client's KEXINIT payload.
    pub client_kexinit: &'a [u8],
    /// `I_S`.
    pub server_kexinit: &'a [u8],
}

/// `H` (RFC 4253 §8, RFC 5656 §4, RFC 8731 §3): every piece as a string
/// except `K`, which comes encoded.
#[must_use]
pub fn exchange_hash(
    hash: HashAlgorithm,
    transcript: &Transcript<'_>,
    host_key: &[u8],
    client_value: &[u8],
    server_value: &[u8],
    shared_secret: &[u8],
) -> Vec<u8> {
    exchange_hash_with(hash, transcript, host_key, &[], client_value, server_value, shared_secret)
}

/// [`exchange_hash`] with the method's own fields (already encoded)
/// between `K_S` and the client's value (RFC 4419 §3: group exchange).
#[must_use]
pub fn exchange_hash_with(
    hash: HashAlgorithm,
    transcript: &Transcript<'_>,
    host_key: &[u8],
    method_fields: &[u8],
    client_value: &[u8],
    server_value: &[u8],
    shared_secret: &[u8],
) -> Vec<u8> {
    let mut w = Writer::new();
    w.string(transcript.client_version)
        .string(transcript.server_version)
        .string(transcript.client_kexinit)
        .string(transcript.server_kexinit)
        .string(host_key);
    let mut head = Zeroizing::new(w.into_bytes());
    head.extend_from_slice(method_fields);
    let mut w = Writer::new();
    w.string(client_value).string(server_value);
    head.extend_from_slice(&w.into_bytes());
    let mut h = Hasher::new(hash);
    h.update(&head);
    h.update(shared_secret);
    h.finalize()
}

/// Encodes a shared secret given as a big-endian magnitude as an mpint.
pub(crate) fn mpint_secret(magnitude: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut w = Writer::new();
    w.mpint_unsigned(magnitude);
    Zeroizing::new(w.into_bytes())
}

/// Encodes a shared secret given as raw bytes as a string (the
/// post-quantum hybrids).
pub(crate) fn string_secret(bytes: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut w = Writer::new();
    w.string(bytes);
    Zeroizing::new(w.into_bytes())
}

/// Random bytes from the operating system, for [`super::machine::Transport`]
/// (padding and cookies).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemRandom;

impl super::cipher::Random for SystemRandom {
    fn fill(&mut self, out: &mut [u8]) {
        purecrypto::rng::RngCore::fill_bytes(&mut purecrypto::rng::OsRng, out);
    }
}

/// [`SystemRandom`] read in 4 KiB batches: one system call per a few
/// hundred packets instead of one per packet (padding is 4-255 bytes).
/// Each byte is used once; the batch left over is wiped on drop.
#[derive(Default)]
pub struct BufferedRandom {
    batch: Zeroizing<Vec<u8>>,
    /// Bytes of `batch` already handed out.
    used: usize,
}

impl core::fmt::Debug for BufferedRandom {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BufferedRandom").field("left", &(self.batch.len() - self.used)).finish()
    }
}

/// Bytes read from the OS at a time by [`BufferedRandom`].
const RANDOM_BATCH: usize = 4096;

impl super::cipher::Random for BufferedRandom {
    fn fill(&mut self, out: &mut [u8]) {
        // Requests larger than a batch go to the OS directly.
        if out.len() > RANDOM_BATCH {
            super::cipher::Random::fill(&mut SystemRandom, out);
            return;
        }
        if self.batch.len() - self.used < out.len() {
            self.batch.resize(RANDOM_BATCH, 0);
            super::cipher::Random::fill(&mut SystemRandom, &mut self.batch);
            self.used = 0;
        }
        let end = self.used + out.len();
        if let Some(fresh) = self.batch.get_mut(self.used..end) {
            out.copy_from_slice(fresh);
            // Handed-out bytes are not kept.
            fresh.fill(0);
        }
        self.used = end;
    }
}

#[cfg(test)]
mod tests;
