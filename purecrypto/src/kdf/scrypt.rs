//! scrypt (RFC 7914): a memory-hard password KDF on PBKDF2-HMAC-SHA-256 and
//! Salsa20/8.
//!
//! Entry points: [`ScryptParams::new`] and [`scrypt`]. Note that scrypt's
//! memory access pattern depends on the password by design (ROMix indexes
//! its table with derived data); use Argon2id where cache-timing side
//! channels matter. The table is allocated fallibly and zeroized.

use alloc::vec::Vec;

use crate::Error;
use crate::hash::Sha256;
use crate::kdf::pbkdf2_hmac;
use zeroize::Zeroize;

/// Largest table accepted: `128 * r * N` bytes (4 GiB).
const MAX_MEMORY: u64 = 1 << 32;

/// scrypt cost parameters. Invariant: `n` is a power of two above 1,
/// `r >= 1`, `p >= 1`, `r * p < 2^30`, `128 * r * n <= 4 GiB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScryptParams {
    n: u64,
    r: u32,
    p: u32,
}

impl ScryptParams {
    /// Checks and bundles the CPU/memory cost `n`, block size `r` and
    /// parallelism `p`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the invariant above does not hold.
    pub fn new(n: u64, r: u64, p: u64) -> Result<Self, Error> {
        if n < 2 || !n.is_power_of_two() {
            return Err(Error::InvalidParameter { what: "scrypt N", reason: "a power of two above 1" });
        }
        let (Ok(r32), Ok(p32)) = (u32::try_from(r), u32::try_from(p)) else {
            return Err(Error::InvalidParameter { what: "scrypt r/p", reason: "r * p below 2^30" });
        };
        if r == 0 || p == 0 || r.saturating_mul(p) >= 1 << 30 {
            return Err(Error::InvalidParameter { what: "scrypt r/p", reason: "r, p >= 1 and r * p below 2^30" });
        }
        if n.saturating_mul(r).saturating_mul(128) > MAX_MEMORY {
            return Err(Error::InvalidParameter { what: "scrypt memory", reason: "128 * r * N at most 4 GiB" });
        }
        Ok(Self { n, r: r32, p: p32 })
    }
}

// Fixed indices < 16 into 16-word arrays.
#[allow(clippy::indexing_slicing)]
fn salsa20_8(b: &mut [u32; 16]) {
    let mut x = *b;
    macro_rules! qr {
        ($a:expr, $b:expr, $c:expr, $d:expr) => {
            x[$b] ^= x[$a].wrapping_add(x[$d]).rotate_left(7);
            x[$c] ^= x[$b].wrapping_add(x[$a]).rotate_left(9);
            x[$d] ^= x[$c].wrapping_add(x[$b]).rotate_left(13);
            x[$a] ^= x[$d].wrapping_add(x[$c]).rotate_left(18);
        };
    }
    for _ in 0..4 {
        qr!(0, 4, 8, 12);
        qr!(5, 9, 13, 1);
        qr!(10, 14, 2, 6);
        qr!(15, 3, 7, 11);
        qr!(0, 1, 2, 3);
        qr!(5, 6, 7, 4);
        qr!(10, 11, 8, 9);
        qr!(15, 12, 13, 14);
    }
    for (o, v) in b.iter_mut().zip(x.iter()) {
        *o = o.wrapping_add(*v);
    }
}

/// `scryptBlockMix`: `input` and `output` are `2 r` 64-byte blocks as words.
fn block_mix(input: &[u32], output: &mut [u32]) {
    let r2 = input.len() / 16;
    let mut x = [0u32; 16];
    x.copy_from_slice(input.get(input.len() - 16..).unwrap_or(&[0; 16]));
    for (i, block) in input.chunks_exact(16).enumerate() {
        for (a, b) in x.iter_mut().zip(block) {
            *a ^= b;
        }
        salsa20_8(&mut x);
        // Even blocks go to the first half, odd ones to the second.
        let dst = (i / 2) + (i % 2) * (r2 / 2);
        if let Some(out) = output.get_mut(dst * 16..dst * 16 + 16) {
            out.copy_from_slice(&x);
        }
    }
}

/// `scryptROMix` on one `128 r`-byte block (as words), in place.
fn ro_mix(block: &mut [u32], n: usize, v: &mut [u32]) {
    let words = block.len();
    let mut x = block.to_vec();
    let mut y = alloc::vec![0u32; words];
    for chunk in v.chunks_exact_mut(words).take(n) {
        chunk.copy_from_slice(&x);
        block_mix(&x, &mut y);
        core::mem::swap(&mut x, &mut y);
    }
    for _ in 0..n {
        // Integerify: the first word of the last 64-byte block, mod N.
        let j = x.get(words - 16).copied().unwrap_or(0) as usize & (n - 1);
        if let Some(vj) = v.get(j * words..(j + 1) * words) {
            for (a, b) in x.iter_mut().zip(vj) {
                *a ^= b;
            }
        }
        block_mix(&x, &mut y);
        core::mem::swap(&mut x, &mut y);
    }
    block.copy_from_slice(&x);
    x.zeroize();
    y.zeroize();
}

/// scrypt: fills `out` from `password` and `salt`.
///
/// # Errors
/// [`Error::InvalidParameter`] when the table cannot be allocated.
pub fn scrypt(password: &[u8], salt: &[u8], params: &ScryptParams, out: &mut [u8]) -> Result<(), Error> {
    let r = params.r as usize;
    let p = params.p as usize;
    let n = usize::try_from(params.n)
        .map_err(|_| Error::InvalidParameter { what: "scrypt N", reason: "too large for this platform" })?;
    let block_bytes = 128 * r;
    let mut b = alloc::vec![0u8; block_bytes * p];
    pbkdf2_hmac::<Sha256>(password, salt, 1, &mut b)?;
    let table_words = n
        .checked_mul(32 * r)
        .ok_or(Error::InvalidParameter { what: "scrypt memory", reason: "too large for this platform" })?;
    let mut v: Vec<u32> = Vec::new();
    v.try_reserve_exact(table_words)
        .map_err(|_| Error::InvalidParameter { what: "scrypt memory", reason: "allocation failed" })?;
    v.resize(table_words, 0);
    let mut words = alloc::vec![0u32; 32 * r];
    for chunk in b.chunks_exact_mut(block_bytes) {
        for (w, c) in words.iter_mut().zip(chunk.chunks_exact(4)) {
            *w = u32::from_le_bytes([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
                c.get(2).copied().unwrap_or(0),
                c.get(3).copied().unwrap_or(0),
            ]);
        }
        ro_mix(&mut words, n, &mut v);
        for (c, w) in chunk.chunks_exact_mut(4).zip(words.iter()) {
            c.copy_from_slice(&w.to_le_bytes());
        }
    }
    let result = pbkdf2_hmac::<Sha256>(password, &b, 1, out);
    b.zeroize();
    v.zeroize();
    words.zeroize();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    /// RFC 7914 section 12, the first three vectors (the fourth needs 1 GiB).
    #[test]
    fn rfc_7914() {
        let mut out = [0u8; 64];
        scrypt(b"", b"", &ScryptParams::new(16, 1, 1).unwrap(), &mut out).unwrap();
        assert_eq!(
            out,
            hex!(
                "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
            )
        );
        scrypt(b"password", b"NaCl", &ScryptParams::new(1024, 8, 16).unwrap(), &mut out).unwrap();
        assert_eq!(
            out,
            hex!(
                "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
            )
        );
        scrypt(b"pleaseletmein", b"SodiumChloride", &ScryptParams::new(16384, 8, 1).unwrap(), &mut out).unwrap();
        assert_eq!(
            out,
            hex!(
                "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"
            )
        );
    }

    #[test]
    fn bad_parameters() {
        assert!(ScryptParams::new(0, 1, 1).is_err());
        assert!(ScryptParams::new(3, 1, 1).is_err());
        assert!(ScryptParams::new(16, 0, 1).is_err());
        assert!(ScryptParams::new(1 << 40, 8, 1).is_err());
    }
}
