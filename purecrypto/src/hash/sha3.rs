//! SHA-3, SHAKE (FIPS 202) and cSHAKE (SP 800-185) on the Keccak sponge.
//!
//! Entry points: [`Sha3_256`] and friends through the [`Hash`] trait;
//! [`Shake128`] / [`Shake256`] / [`CShake128`] / [`CShake256`] absorb with
//! `update` and turn into an [`XofReader`] with `finalize_xof`. The
//! SP 800-185 encodings used by cSHAKE and KMAC live here too.

use alloc::vec::Vec;

use super::keccak::Sponge;
use super::{BitHash, Hash, hasher_boilerplate};

/// Domain suffix + first pad bit for SHA-3 (`01` then `1`).
const DS_SHA3: u8 = 0x06;
/// Domain suffix + first pad bit for SHAKE (`1111` then `1`).
const DS_SHAKE: u8 = 0x1f;
/// Domain suffix + first pad bit for cSHAKE (`00` then `1`).
const DS_CSHAKE: u8 = 0x04;

macro_rules! sha3_variant {
    ($name:ident, $len:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name(Sponge);

        impl Hash for $name {
            const OUTPUT_LEN: usize = $len;
            const BLOCK_LEN: usize = 200 - 2 * $len;
            type Output = [u8; $len];

            fn new() -> Self {
                Self(Sponge::new(200 - 2 * $len))
            }

            fn update(&mut self, data: &[u8]) {
                self.0.absorb(data);
            }

            fn finalize(self) -> Self::Output {
                self.finalize_bits(0, 0)
            }
        }

        impl BitHash for $name {
            fn finalize_bits(mut self, last: u8, bits: u32) -> Self::Output {
                self.0.finish(nist_tail(last, bits), bits, DS_SHA3);
                let mut out = [0u8; $len];
                self.0.squeeze(&mut out);
                out
            }
        }

        hasher_boilerplate!($name);
    };
}

sha3_variant!(Sha3_224, 28, "SHA3-224: 28-byte digests, rate 144 bytes.");
sha3_variant!(Sha3_256, 32, "SHA3-256: 32-byte digests, rate 136 bytes.");
sha3_variant!(Sha3_384, 48, "SHA3-384: 48-byte digests, rate 104 bytes.");
sha3_variant!(Sha3_512, 64, "SHA3-512: 64-byte digests, rate 72 bytes.");

/// NIST writes a partial final byte with its bits at the top, most
/// significant first; FIPS 202 reads bits least significant first. The
/// `bits` message bits end up as the low bits of the result.
pub(crate) const fn nist_tail(last: u8, bits: u32) -> u8 {
    if bits == 0 { 0 } else { last >> (8 - bits) }
}

/// The output side of an extendable-output function: read as many bytes as
/// wanted, in as many calls as wanted.
#[derive(Clone)]
pub struct XofReader(Sponge);

impl XofReader {
    /// Fills `out` with the next output bytes.
    pub fn read(&mut self, out: &mut [u8]) {
        self.0.squeeze(out);
    }

    /// The next `len` output bytes.
    #[must_use]
    pub fn read_vec(&mut self, len: usize) -> Vec<u8> {
        let mut out = alloc::vec![0u8; len];
        self.read(&mut out);
        out
    }
}

impl core::fmt::Debug for XofReader {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("XofReader { .. }")
    }
}

macro_rules! shake_variant {
    ($name:ident, $rate:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name(Sponge);

        impl $name {
            /// A fresh instance.
            #[must_use]
            pub const fn new() -> Self {
                Self(Sponge::new($rate))
            }

            /// Absorbs `data`.
            pub fn update(&mut self, data: &[u8]) {
                self.0.absorb(data);
            }

            /// Ends the input and returns the output reader.
            #[must_use]
            pub fn finalize_xof(self) -> XofReader {
                self.finalize_xof_bits(0, 0)
            }

            /// As `finalize_xof`, after a partial final byte in NIST's bit order.
            pub(crate) fn finalize_xof_bits(mut self, last: u8, bits: u32) -> XofReader {
                self.0.finish(nist_tail(last, bits), bits, DS_SHAKE);
                XofReader(self.0)
            }

            /// One-shot: `out.len()` bytes of output for `data`.
            pub fn digest(data: &[u8], out: &mut [u8]) {
                let mut x = Self::new();
                x.update(data);
                x.finalize_xof().read(out);
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
    };
}

shake_variant!(Shake128, 168, "SHAKE128: extendable output, 128-bit security, rate 168 bytes.");
shake_variant!(Shake256, 136, "SHAKE256: extendable output, 256-bit security, rate 136 bytes.");

/// SP 800-185 `left_encode(x)`: the byte count, then `x` big-endian with no
/// leading zero bytes (at least one byte). Returns the buffer and its length.
pub(crate) fn left_encode(x: u64) -> ([u8; 9], usize) {
    let be = x.to_be_bytes();
    let n = (8 - (x.leading_zeros() / 8) as usize).max(1);
    let mut out = [0u8; 9];
    out[0] = n as u8;
    for (o, b) in out.iter_mut().skip(1).zip(be.iter().skip(8 - n)) {
        *o = *b;
    }
    (out, n + 1)
}

/// SP 800-185 `right_encode(x)`: `x` big-endian (at least one byte), then
/// the byte count.
pub(crate) fn right_encode(x: u64) -> ([u8; 9], usize) {
    let (left, len) = left_encode(x);
    let mut out = [0u8; 9];
    let n = len - 1;
    for (o, b) in out.iter_mut().zip(left.iter().skip(1).take(n)) {
        *o = *b;
    }
    if let Some(last) = out.get_mut(n) {
        *last = n as u8;
    }
    (out, len)
}

/// Absorbs SP 800-185 `encode_string(s)`.
pub(crate) fn absorb_encoded_string(sponge: &mut Sponge, s: &[u8]) {
    let (enc, n) = left_encode((s.len() as u64).wrapping_mul(8));
    sponge.absorb(enc.get(..n).unwrap_or_default());
    sponge.absorb(s);
}

/// Absorbs `left_encode(rate)` (the start of `bytepad(.., rate)`); the caller
/// absorbs the padded content and then calls `pad_to_rate`.
pub(crate) fn absorb_bytepad_prefix(sponge: &mut Sponge) {
    let (enc, n) = left_encode(sponge.rate() as u64);
    sponge.absorb(enc.get(..n).unwrap_or_default());
}

macro_rules! cshake_variant {
    ($name:ident, $rate:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name {
            sponge: Sponge,
            /// With empty N and S, cSHAKE is defined to be plain SHAKE.
            plain: bool,
        }

        impl $name {
            /// A cSHAKE instance with function name `n` (NIST-reserved;
            /// usually empty) and customization string `s`.
            #[must_use]
            pub fn new(n: &[u8], s: &[u8]) -> Self {
                let mut sponge = Sponge::new($rate);
                let plain = n.is_empty() && s.is_empty();
                if !plain {
                    absorb_bytepad_prefix(&mut sponge);
                    absorb_encoded_string(&mut sponge, n);
                    absorb_encoded_string(&mut sponge, s);
                    sponge.pad_to_rate();
                }
                Self { sponge, plain }
            }

            /// Absorbs `data`.
            pub fn update(&mut self, data: &[u8]) {
                self.sponge.absorb(data);
            }

            /// Ends the input and returns the output reader.
            #[must_use]
            pub fn finalize_xof(mut self) -> XofReader {
                let ds = if self.plain { DS_SHAKE } else { DS_CSHAKE };
                self.sponge.finish(0, 0, ds);
                XofReader(self.sponge)
            }

            pub(crate) fn sponge_mut(&mut self) -> &mut Sponge {
                &mut self.sponge
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
    };
}

cshake_variant!(CShake128, 168, "cSHAKE128 (SP 800-185): SHAKE128 with a function name and customization string.");
cshake_variant!(CShake256, 136, "cSHAKE256 (SP 800-185): SHAKE256 with a function name and customization string.");
