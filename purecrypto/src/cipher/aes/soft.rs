//! Portable constant-time AES: a bitsliced S-box, no lookup tables.
//!
//! Entry points: [`encrypt_blocks`] / [`decrypt_blocks`] over expanded
//! round keys, and [`sub_word`] for the key schedule. SubBytes transposes
//! up to 64 state bytes into eight bit planes (plane `i` holds bit `i` of
//! every byte), computes the S-box as a Boolean circuit over the planes
//! (inversion in GF(2^8) as `x^254` by squarings and multiplications, then
//! the FIPS 197 affine map) and transposes back. ShiftRows is a fixed
//! permutation and MixColumns works on 32-bit columns with masked `xtime`,
//! so neither the memory access pattern nor any branch depends on a key or
//! data bit.

use super::{Block, RoundKeys};

/// Eight bit planes of up to 64 bytes: bit `j` of `planes[i]` is bit `i`
/// of byte `j`.
type Planes = [u64; 8];

/// Transposes an 8x8 bit matrix held in a `u64` (byte `r`, bit `c`) so
/// that byte `c` bit `r` holds what byte `r` bit `c` held.
const fn transpose8(mut x: u64) -> u64 {
    let t = (x ^ (x >> 7)) & 0x00AA_00AA_00AA_00AA;
    x ^= t ^ (t << 7);
    let t = (x ^ (x >> 14)) & 0x0000_CCCC_0000_CCCC;
    x ^= t ^ (t << 14);
    let t = (x ^ (x >> 28)) & 0x0000_0000_F0F0_F0F0;
    x ^ t ^ (t << 28)
}

/// Packs up to 64 bytes (missing ones read as zero) into bit planes.
fn to_planes(bytes: &[u8]) -> Planes {
    let mut planes = [0u64; 8];
    for (k, chunk) in bytes.chunks(8).enumerate().take(8) {
        let mut word = [0u8; 8];
        for (w, b) in word.iter_mut().zip(chunk) {
            *w = *b;
        }
        let t = transpose8(u64::from_le_bytes(word)).to_le_bytes();
        for (plane, byte) in planes.iter_mut().zip(t) {
            *plane |= u64::from(byte) << (8 * k);
        }
    }
    planes
}

/// Unpacks bit planes over `bytes` (at most 64 are written).
fn from_planes(planes: &Planes, bytes: &mut [u8]) {
    for (k, chunk) in bytes.chunks_mut(8).enumerate().take(8) {
        let mut word = [0u8; 8];
        for (w, plane) in word.iter_mut().zip(planes) {
            *w = (plane >> (8 * k)) as u8;
        }
        let t = transpose8(u64::from_le_bytes(word)).to_le_bytes();
        for (b, v) in chunk.iter_mut().zip(t) {
            *b = v;
        }
    }
}

/// Bitsliced multiplication in GF(2^8) modulo `x^8 + x^4 + x^3 + x + 1`.
fn gf_mul(a: &Planes, b: &Planes) -> Planes {
    let mut t = [0u64; 15];
    for (i, ai) in a.iter().enumerate() {
        for (j, bj) in b.iter().enumerate() {
            // i + j <= 14 always.
            if let Some(slot) = t.get_mut(i + j) {
                *slot ^= ai & bj;
            }
        }
    }
    reduce(&mut t)
}

/// Bitsliced squaring (a linear map in characteristic 2).
fn gf_square(a: &Planes) -> Planes {
    let mut t = [0u64; 15];
    for (i, ai) in a.iter().enumerate() {
        if let Some(slot) = t.get_mut(2 * i) {
            *slot = *ai;
        }
    }
    reduce(&mut t)
}

/// Folds degrees 14..8 back with `x^8 = x^4 + x^3 + x + 1`.
fn reduce(t: &mut [u64; 15]) -> Planes {
    for k in (8..15).rev() {
        let hi = t.get(k).copied().unwrap_or(0);
        for d in [4usize, 3, 1, 0] {
            if let Some(slot) = t.get_mut(k - 8 + d) {
                *slot ^= hi;
            }
        }
    }
    let mut out = [0u64; 8];
    for (o, v) in out.iter_mut().zip(t.iter()) {
        *o = *v;
    }
    out
}

/// `x^254`, which is `x^-1` for non-zero `x` and 0 for 0.
fn gf_inv(x: &Planes) -> Planes {
    let x2 = gf_square(x);
    let x3 = gf_mul(&x2, x);
    let x6 = gf_square(&x3);
    let x12 = gf_square(&x6);
    let x15 = gf_mul(&x12, &x3);
    let mut x240 = x15;
    for _ in 0..4 {
        x240 = gf_square(&x240);
    }
    let x252 = gf_mul(&x240, &x12);
    gf_mul(&x252, &x2)
}

/// A plane of all ones where `bit` of `c` is set.
const fn constant_plane(c: u8, bit: usize) -> u64 {
    0u64.wrapping_sub((c >> bit) as u64 & 1)
}

/// The forward S-box over bit planes.
fn sbox_planes(x: &Planes) -> Planes {
    let b = gf_inv(x);
    let mut s = [0u64; 8];
    for (i, out) in s.iter_mut().enumerate() {
        let at = |k: usize| b.get((i + k) % 8).copied().unwrap_or(0);
        *out = at(0) ^ at(4) ^ at(5) ^ at(6) ^ at(7) ^ constant_plane(0x63, i);
    }
    s
}

/// The inverse S-box over bit planes.
fn inv_sbox_planes(s: &Planes) -> Planes {
    let mut b = [0u64; 8];
    for (i, out) in b.iter_mut().enumerate() {
        let at = |k: usize| s.get((i + 8 - k) % 8).copied().unwrap_or(0);
        *out = at(1) ^ at(3) ^ at(6) ^ constant_plane(0x05, i);
    }
    gf_inv(&b)
}

/// Applies the S-box to every byte of `bytes` (any length).
fn sub_bytes(bytes: &mut [u8]) {
    for chunk in bytes.chunks_mut(64) {
        let planes = sbox_planes(&to_planes(chunk));
        from_planes(&planes, chunk);
    }
}

/// Applies the inverse S-box to every byte of `bytes` (any length).
fn inv_sub_bytes(bytes: &mut [u8]) {
    for chunk in bytes.chunks_mut(64) {
        let planes = inv_sbox_planes(&to_planes(chunk));
        from_planes(&planes, chunk);
    }
}

/// SubWord of the key schedule: the S-box on each byte of a word.
pub(crate) fn sub_word(word: [u8; 4]) -> [u8; 4] {
    let mut w = word;
    sub_bytes(&mut w);
    w
}

/// Multiplies each byte of a packed column by `x` (masked, branch-free).
const fn xtime4(w: u32) -> u32 {
    ((w & 0x7f7f_7f7f) << 1) ^ ((w >> 7) & 0x0101_0101).wrapping_mul(0x1b)
}

fn mix_column(w: u32) -> u32 {
    let r1 = w.rotate_right(8);
    xtime4(w ^ r1) ^ r1 ^ w.rotate_right(16) ^ w.rotate_right(24)
}

fn inv_mix_column(w: u32) -> u32 {
    let u = xtime4(xtime4(w ^ w.rotate_right(16)));
    mix_column(w ^ u)
}

fn map_columns(block: &mut Block, f: fn(u32) -> u32) {
    for col in block.chunks_exact_mut(4) {
        let mut c = [0u8; 4];
        c.copy_from_slice(col);
        col.copy_from_slice(&f(u32::from_le_bytes(c)).to_le_bytes());
    }
}

/// InvMixColumns on a round key (for the equivalent inverse cipher).
pub(crate) fn inv_mix_columns(block: &mut Block) {
    map_columns(block, inv_mix_column);
}

/// `new[4c + r] = old[4((c + r) mod 4) + r]`.
fn shift_rows(block: &mut Block) {
    let old = *block;
    for (i, b) in block.iter_mut().enumerate() {
        let (c, r) = (i / 4, i % 4);
        *b = old.get(4 * ((c + r) % 4) + r).copied().unwrap_or(0);
    }
}

/// `new[4c + r] = old[4((c - r) mod 4) + r]`.
fn inv_shift_rows(block: &mut Block) {
    let old = *block;
    for (i, b) in block.iter_mut().enumerate() {
        let (c, r) = (i / 4, i % 4);
        *b = old.get(4 * ((c + 4 - r) % 4) + r).copied().unwrap_or(0);
    }
}

fn add_round_key(block: &mut Block, key: &Block) {
    for (b, k) in block.iter_mut().zip(key) {
        *b ^= k;
    }
}

/// Encrypts blocks with round keys `rk[0..=rounds]`, four at a time so one
/// bitsliced S-box evaluation covers 64 bytes.
pub(crate) fn encrypt_blocks(rk: &RoundKeys, rounds: usize, blocks: &mut [Block]) {
    let keys = rk.get(..=rounds).unwrap_or(&[]);
    let (first, rest) = match keys.split_first() {
        Some(v) => v,
        None => return,
    };
    for group in blocks.chunks_mut(4) {
        let mut buf = [0u8; 64];
        for b in group.iter_mut() {
            add_round_key(b, first);
        }
        for (round, key) in rest.iter().enumerate() {
            for (dst, b) in buf.chunks_exact_mut(16).zip(group.iter()) {
                dst.copy_from_slice(b);
            }
            sub_bytes(buf.get_mut(..16 * group.len()).unwrap_or(&mut []));
            for (b, src) in group.iter_mut().zip(buf.chunks_exact(16)) {
                b.copy_from_slice(src);
                shift_rows(b);
                if round + 1 < rest.len() {
                    map_columns(b, mix_column);
                }
                add_round_key(b, key);
            }
        }
    }
}

/// Decrypts blocks with the (encryption) round keys `rk[0..=rounds]`,
/// using the straightforward inverse cipher of FIPS 197 section 5.3.
pub(crate) fn decrypt_blocks(rk: &RoundKeys, rounds: usize, blocks: &mut [Block]) {
    let keys = rk.get(..=rounds).unwrap_or(&[]);
    let (last, rest) = match keys.split_last() {
        Some(v) => v,
        None => return,
    };
    for group in blocks.chunks_mut(4) {
        let mut buf = [0u8; 64];
        for b in group.iter_mut() {
            add_round_key(b, last);
        }
        for (round, key) in rest.iter().rev().enumerate() {
            for (dst, b) in buf.chunks_exact_mut(16).zip(group.iter_mut()) {
                inv_shift_rows(b);
                dst.copy_from_slice(b);
            }
            inv_sub_bytes(buf.get_mut(..16 * group.len()).unwrap_or(&mut []));
            for (b, src) in group.iter_mut().zip(buf.chunks_exact(16)) {
                b.copy_from_slice(src);
                add_round_key(b, key);
                if round + 1 < rest.len() {
                    map_columns(b, inv_mix_column);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The S-box computed the slow, obvious way (for comparison only).
    fn reference_sbox(x: u8) -> u8 {
        let mul = |mut a: u8, mut b: u8| {
            let mut p = 0u8;
            while b != 0 {
                if b & 1 != 0 {
                    p ^= a;
                }
                let hi = a & 0x80;
                a <<= 1;
                if hi != 0 {
                    a ^= 0x1b;
                }
                b >>= 1;
            }
            p
        };
        let inv = (1..=255u8).find(|&y| mul(x, y) == 1).unwrap_or(0);
        let mut s = inv;
        for k in 1..5 {
            s ^= inv.rotate_left(k);
        }
        s ^ 0x63
    }

    #[test]
    fn sbox_matches_definition_for_every_byte() {
        let mut all: [u8; 256] = core::array::from_fn(|i| i as u8);
        sub_bytes(&mut all);
        for (x, s) in all.iter().enumerate() {
            assert_eq!(*s, reference_sbox(x as u8), "S({x:#04x})");
        }
        inv_sub_bytes(&mut all);
        for (x, v) in all.iter().enumerate() {
            assert_eq!(*v as usize, x);
        }
        assert_eq!(sub_word([0x00, 0x01, 0x53, 0xff]), [0x63, 0x7c, 0xed, 0x16]);
    }

    #[test]
    fn transpose_is_an_involution_and_moves_bits() {
        let x = 0x0123_4567_89ab_cdefu64;
        assert_eq!(transpose8(transpose8(x)), x);
        for r in 0..8 {
            for c in 0..8 {
                let one = 1u64 << (8 * r + c);
                assert_eq!(transpose8(one), 1u64 << (8 * c + r));
            }
        }
    }
}
