//! Run-time hash selection: [`HashAlgorithm`] names an algorithm, [`Hasher`]
//! runs it.
//!
//! Entry points: [`HashAlgorithm::from_name`] (OpenSSL-style names, as the
//! CLI and protocol negotiation see them), [`HashAlgorithm::hash`] and
//! [`Hasher::new`]. The table of algorithms is written once, in the
//! `algorithms!` invocation below.

use alloc::vec::Vec;

use super::{
    Blake2b512, Blake2s256, Blake3, Hash, Md5, Sha1, Sha3_224, Sha3_256, Sha3_384, Sha3_512, Sha224, Sha256, Sha384,
    Sha512, Sha512_224, Sha512_256,
};

macro_rules! algorithms {
    ($( $variant:ident => $ty:ident, $name:literal, [$($alias:literal),*], $doc:literal; )*) => {
        /// A fixed-output hash function chosen at run time.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum HashAlgorithm {
            $( #[doc = $doc] $variant, )*
        }

        impl HashAlgorithm {
            /// Every algorithm, in a stable order.
            pub const ALL: &'static [HashAlgorithm] = &[$(HashAlgorithm::$variant),*];

            /// The canonical (OpenSSL) lower-case name, e.g. `sha256`, `sha3-256`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            /// Looks a name up (case-insensitive; also NIST spellings such
            /// as `SHA2-256`, `SHA-256`, `SHA3-256`).
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                $(
                    if name.eq_ignore_ascii_case($name) $(|| name.eq_ignore_ascii_case($alias))* {
                        return Some(Self::$variant);
                    }
                )*
                None
            }

            /// Digest length in bytes.
            #[must_use]
            pub const fn output_len(self) -> usize {
                match self { $(Self::$variant => <$ty as Hash>::OUTPUT_LEN,)* }
            }

            /// Block length in bytes.
            #[must_use]
            pub const fn block_len(self) -> usize {
                match self { $(Self::$variant => <$ty as Hash>::BLOCK_LEN,)* }
            }
        }

        /// A streaming hasher whose algorithm is chosen at run time.
        #[derive(Clone, Debug)]
        pub struct Hasher(Inner);

        // BLAKE3's subtree stack makes its variant ~1.9 KB; boxing it would
        // cost an allocation per hash for a type that lives briefly.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug)]
        enum Inner {
            $( $variant($ty), )*
        }

        impl Hasher {
            /// A fresh hasher for `alg`.
            #[must_use]
            pub fn new(alg: HashAlgorithm) -> Self {
                Self(match alg { $(HashAlgorithm::$variant => Inner::$variant(<$ty as Hash>::new()),)* })
            }

            /// The algorithm this hasher runs.
            #[must_use]
            pub const fn algorithm(&self) -> HashAlgorithm {
                match &self.0 { $(Inner::$variant(_) => HashAlgorithm::$variant,)* }
            }

            /// Absorbs `data`.
            pub fn update(&mut self, data: &[u8]) {
                match &mut self.0 { $(Inner::$variant(h) => h.update(data),)* }
            }

            /// Finishes and returns the digest (`output_len` bytes).
            #[must_use]
            pub fn finalize(self) -> Vec<u8> {
                match self.0 { $(Inner::$variant(h) => h.finalize().as_ref().to_vec(),)* }
            }

            /// Forgets everything absorbed so far.
            pub fn reset(&mut self) {
                *self = Self::new(self.algorithm());
            }
        }
    };
}

algorithms! {
    Md5 => Md5, "md5", [], "MD5 (legacy only).";
    Sha1 => Sha1, "sha1", ["sha-1"], "SHA-1 (legacy only).";
    Sha224 => Sha224, "sha224", ["sha2-224", "sha-224"], "SHA-224.";
    Sha256 => Sha256, "sha256", ["sha2-256", "sha-256"], "SHA-256.";
    Sha384 => Sha384, "sha384", ["sha2-384", "sha-384"], "SHA-384.";
    Sha512 => Sha512, "sha512", ["sha2-512", "sha-512"], "SHA-512.";
    Sha512_224 => Sha512_224, "sha512-224", ["sha2-512/224", "sha-512/224", "sha512/224"], "SHA-512/224.";
    Sha512_256 => Sha512_256, "sha512-256", ["sha2-512/256", "sha-512/256", "sha512/256"], "SHA-512/256.";
    Sha3_224 => Sha3_224, "sha3-224", [], "SHA3-224.";
    Sha3_256 => Sha3_256, "sha3-256", [], "SHA3-256.";
    Sha3_384 => Sha3_384, "sha3-384", [], "SHA3-384.";
    Sha3_512 => Sha3_512, "sha3-512", [], "SHA3-512.";
    Blake2b512 => Blake2b512, "blake2b512", [], "BLAKE2b with a 64-byte digest.";
    Blake2s256 => Blake2s256, "blake2s256", [], "BLAKE2s with a 32-byte digest.";
    Blake3 => Blake3, "blake3", [], "BLAKE3 with a 32-byte digest.";
}

impl HashAlgorithm {
    /// One-shot: the digest of `data`.
    #[must_use]
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        let mut h = Hasher::new(self);
        h.update(data);
        h.finalize()
    }
}
