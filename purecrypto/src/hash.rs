//! Hash functions: the streaming [`Hash`] trait, one type per algorithm and
//! the run-time selectable [`HashAlgorithm`] / [`Hasher`].
//!
//! Entry points: [`Sha256::digest`] style one-shot helpers on every type,
//! `new` / [`Hash::update`] / [`Hash::finalize`] for streaming, and
//! [`HashAlgorithm::hash`] when the algorithm is only known at run time
//! (a protocol negotiation, a command-line flag). Extendable-output
//! functions (SHAKE, cSHAKE, BLAKE3's XOF) live beside them with their own
//! readers.

mod algorithm;
mod blake2;
mod blake3;
mod buffer;
mod keccak;
mod keccak4;
mod md5;
mod sha1;
mod sha256;
mod sha3;
mod sha512;

pub use algorithm::{HashAlgorithm, Hasher};
pub use blake2::{Blake2b, Blake2b512, Blake2s, Blake2s256};
pub use blake3::{Blake3, Blake3Reader};
pub use keccak4::{Shake128x4, Shake256x4};
pub use md5::Md5;
pub use sha1::Sha1;
pub use sha3::{CShake128, CShake256, Sha3_224, Sha3_256, Sha3_384, Sha3_512, Shake128, Shake256, XofReader};
pub use sha256::{Sha224, Sha256};
pub use sha512::{Sha384, Sha512, Sha512_224, Sha512_256};

/// Building blocks other modules of the crate share (SP 800-185 encodings).
pub(crate) mod internal {
    pub(crate) use super::sha3::{absorb_bytepad_prefix, absorb_encoded_string, right_encode};
}

// The soft backend compiles the x86 kernels that use these out.
#[cfg_attr(purecrypto_backend = "soft", allow(unused_imports))]
pub(crate) use keccak::{RC as KECCAK_RC, keccak_f_body};
pub(crate) use keccak4::{StateX4, keccak_f_x4};
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) use sha512::K as SHA512_K;
pub(crate) use sha512::compress_body as sha512_compress_body;

/// SHA-256's round constants, for the SHA-NI kernel in `arch`.
#[cfg_attr(purecrypto_backend = "soft", allow(dead_code))]
pub(crate) const fn sha256_k() -> [u32; 64] {
    sha256::K
}

/// A streaming hash function with a fixed output length.
///
/// `update` may be called any number of times with slices of any length;
/// the result depends only on their concatenation.
pub trait Hash: Clone {
    /// Digest length in bytes.
    const OUTPUT_LEN: usize;
    /// Input block length in bytes (what HMAC pads its key to).
    const BLOCK_LEN: usize;
    /// The digest, a fixed-size byte array.
    type Output: AsRef<[u8]> + AsMut<[u8]> + Copy + core::fmt::Debug + PartialEq;

    /// A fresh hasher.
    fn new() -> Self;

    /// Absorbs `data`.
    fn update(&mut self, data: &[u8]);

    /// Finishes and returns the digest.
    fn finalize(self) -> Self::Output;

    /// Returns the digest and starts over, ready for a new message.
    fn finalize_reset(&mut self) -> Self::Output {
        core::mem::replace(self, Self::new()).finalize()
    }

    /// Forgets everything absorbed so far.
    fn reset(&mut self) {
        *self = Self::new();
    }

    /// One-shot: the digest of `data`.
    fn digest(data: &[u8]) -> Self::Output {
        let mut h = Self::new();
        h.update(data);
        h.finalize()
    }
}

/// Hashes whose input may end in a partial byte (NIST's bit-oriented test
/// vectors). Crate-private: protocols only ever hash whole bytes.
pub(crate) trait BitHash: Hash {
    /// Finishes after appending the top `bits` (0..8) bits of `last`, taken
    /// most significant first as NIST writes them.
    fn finalize_bits(self, last: u8, bits: u32) -> Self::Output;
}

/// Implements `Default` and a hand-written, state-free `Debug` for a hasher
/// (its state may be keyed, as inside HMAC).
macro_rules! hasher_boilerplate {
    ($name:ident) => {
        impl Default for $name {
            fn default() -> Self {
                <Self as $crate::hash::Hash>::new()
            }
        }
        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
    };
}
pub(crate) use hasher_boilerplate;

#[cfg(test)]
mod tests;
