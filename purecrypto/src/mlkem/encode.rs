//! Compression and byte encoding of polynomials (FIPS 203 section 4.2.1,
//! algorithms 5 and 6).
//!
//! Entry points: [`compress`] / [`decompress`] (`Compress_d` and
//! `Decompress_d` on whole polynomials), [`byte_encode`] /
//! [`byte_decode`] (`ByteEncode_d` / `ByteDecode_d` for d in 1..=11) and
//! [`decode12_checked`] / [`decode12_mod_q`] for the 12-bit case, whose
//! two callers treat out-of-range values differently (an encapsulation
//! key is rejected, a secret key is reduced without a branch).
//!
//! Compression divides by q with a multiply and a shift, never a `div`
//! instruction, whose latency depends on its operands on many CPUs
//! (the "KyberSlash" timing leak).

use super::poly::{N, Poly, Q};

/// `floor(x / q)` for `x < 2^24`, by multiplication: `2^40 / q` rounded
/// up is accurate far past that range (checked exhaustively in tests).
#[inline(always)]
const fn div_q(x: u32) -> u32 {
    const M: u64 = (1u64 << 40).div_ceil(Q as u64);
    // Wrapping ops: the product stays below 2^53, and an overflow check
    // would be a branch on the (secret) coefficient in builds that keep
    // overflow checks (tests); valgrind's ctgrind run flags it.
    ((x as u64).wrapping_mul(M) >> 40) as u32
}

/// `Compress_d(x) = round(2^d x / q) mod 2^d`, for canonical `x`.
#[inline(always)]
pub(crate) const fn compress_coeff(x: i16, d: u32) -> u16 {
    let x = x as u32;
    let q = Q as u32;
    (div_q(x.wrapping_shl(d).wrapping_add(q / 2)) & ((1 << d) - 1)) as u16
}

/// `Decompress_d(y) = round(q y / 2^d)`.
#[inline(always)]
pub(crate) const fn decompress_coeff(y: u16, d: u32) -> i16 {
    ((y as u32 * Q as u32 + (1 << (d - 1))) >> d) as i16
}

/// Compresses every coefficient of `p` (made canonical first) to `d` bits.
pub(crate) fn compress(p: &Poly, d: u32) -> [u16; N] {
    let mut out = [0u16; N];
    if !crate::arch::x86_avx2_mlkem::compress(&mut out, &p.c, d) {
        for (o, c) in out.iter_mut().zip(p.canonical_coeffs()) {
            *o = compress_coeff(c, d);
        }
    }
    out
}

/// Decompresses `d`-bit values into a polynomial.
pub(crate) fn decompress(v: &[u16; N], d: u32) -> Poly {
    let mut p = Poly::zero();
    for (c, y) in p.c.iter_mut().zip(v) {
        *c = decompress_coeff(*y, d);
    }
    p
}

/// `ByteEncode_d`: the low `d` bits of each value, little-endian bit order,
/// into `out` (`32 d` bytes; a shorter `out` is filled as far as it goes).
/// The sizes ML-KEM uses run a version specialised for `d`.
pub(crate) fn byte_encode(v: &[u16; N], d: u32, out: &mut [u8]) {
    match d {
        1 => encode_fixed::<1>(v, out),
        4 => encode_fixed::<4>(v, out),
        5 => encode_fixed::<5>(v, out),
        10 => encode_fixed::<10>(v, out),
        11 => encode_fixed::<11>(v, out),
        _ => encode_bits(v, d, out),
    }
}

/// `ByteDecode_d` for d < 12: `d`-bit values from `32 d` bytes of `input`.
pub(crate) fn byte_decode(input: &[u8], d: u32) -> [u16; N] {
    match d {
        1 => decode_fixed::<1>(input),
        4 => decode_fixed::<4>(input),
        5 => decode_fixed::<5>(input),
        10 => decode_fixed::<10>(input),
        11 => decode_fixed::<11>(input),
        _ => decode_bits(input, d),
    }
}

/// Eight values to `D` bytes at a time, through a 128-bit accumulator.
fn encode_fixed<const D: usize>(v: &[u16; N], out: &mut [u8]) {
    let mask = (1u128 << D) - 1;
    for (vals, bytes) in v.chunks_exact(8).zip(out.chunks_exact_mut(D)) {
        let mut acc = 0u128;
        for (i, &x) in vals.iter().enumerate() {
            acc |= (u128::from(x) & mask) << (D * i);
        }
        if let Some(src) = acc.to_le_bytes().get(..D) {
            bytes.copy_from_slice(src);
        }
    }
}

/// `D` bytes to eight values at a time.
fn decode_fixed<const D: usize>(input: &[u8]) -> [u16; N] {
    let mut out = [0u16; N];
    let mask = (1u128 << D) - 1;
    for (vals, bytes) in out.chunks_exact_mut(8).zip(input.chunks_exact(D)) {
        let mut wide = [0u8; 16];
        if let Some(dst) = wide.get_mut(..D) {
            dst.copy_from_slice(bytes);
        }
        let acc = u128::from_le_bytes(wide);
        for (i, x) in vals.iter_mut().enumerate() {
            *x = ((acc >> (D * i)) & mask) as u16;
        }
    }
    out
}

/// The general bit-by-bit `ByteEncode_d`.
fn encode_bits(v: &[u16; N], d: u32, out: &mut [u8]) {
    let mut acc: u64 = 0;
    let mut bits = 0;
    let mut bytes = out.iter_mut();
    let mask = (1u64 << d) - 1;
    for &x in v {
        acc |= (u64::from(x) & mask) << bits;
        bits += d;
        while bits >= 8 {
            if let Some(b) = bytes.next() {
                *b = acc as u8;
            }
            acc >>= 8;
            bits -= 8;
        }
    }
}

/// The general bit-by-bit `ByteDecode_d`.
fn decode_bits(input: &[u8], d: u32) -> [u16; N] {
    let mut out = [0u16; N];
    let mut acc: u64 = 0;
    let mut bits = 0;
    let mut bytes = input.iter();
    let mask = (1u64 << d) - 1;
    for o in &mut out {
        while bits < d {
            acc |= u64::from(bytes.next().copied().unwrap_or(0)) << bits;
            bits += 8;
        }
        *o = (acc & mask) as u16;
        acc >>= d;
        bits -= d;
    }
    out
}

/// Encodes a polynomial's canonical coefficients at 12 bits each (384 bytes).
#[cfg(test)]
pub(crate) fn encode12(p: &Poly, out: &mut [u8]) {
    encode12_canonical(&Poly { c: p.canonical_coeffs() }, out);
}

/// Encodes coefficients already canonical (`0..q`) at 12 bits each.
pub(crate) fn encode12_canonical(p: &Poly, out: &mut [u8]) {
    for (pair, bytes) in p.c.chunks_exact(2).zip(out.chunks_exact_mut(3)) {
        if let ([a, b], [o0, o1, o2]) = (pair, bytes) {
            let (a, b) = (*a as u16, *b as u16);
            *o0 = a as u8;
            *o1 = ((a >> 8) | (b << 4)) as u8;
            *o2 = (b >> 4) as u8;
        }
    }
}

/// The 12-bit values of 384 bytes, unreduced (`0..4096`).
fn decode12_raw(input: &[u8]) -> Poly {
    let mut p = Poly::zero();
    for (pair, bytes) in p.c.chunks_exact_mut(2).zip(input.chunks_exact(3)) {
        if let ([a, b], [i0, i1, i2]) = (pair, bytes) {
            let (i0, i1, i2) = (u16::from(*i0), u16::from(*i1), u16::from(*i2));
            *a = (i0 | ((i1 & 0x0f) << 8)) as i16;
            *b = ((i1 >> 4) | (i2 << 4)) as i16;
        }
    }
    p
}

/// Decodes public 12-bit coefficients, rejecting any `>= q` (the FIPS 203
/// encapsulation-key modulus check, section 7.2). Variable time: keys are
/// public.
pub(crate) fn decode12_checked(input: &[u8]) -> Option<Poly> {
    let p = decode12_raw(input);
    p.c.iter().all(|&c| c < Q).then_some(p)
}

/// Decodes secret 12-bit coefficients and reduces them mod q without a
/// branch (`ByteDecode_12` as FIPS 203 defines it, modulo q).
pub(crate) fn decode12_mod_q(input: &[u8]) -> Poly {
    let mut p = decode12_raw(input);
    // c - q, then q added back where that went negative.
    for c in &mut p.c {
        *c = c.wrapping_sub(Q);
    }
    super::poly::add_q_if_negative(&mut p.c);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_by_q_is_exact() {
        for x in 0..(1u32 << 24) {
            assert_eq!(div_q(x), x / 3329, "{x}");
        }
    }

    #[test]
    fn compress_matches_definition() {
        for d in [1u32, 4, 5, 10, 11] {
            for x in 0..Q {
                // round(2^d x / q) with exact rational rounding, half up.
                let num = (u64::from(x as u16) << d) * 2 + 3329;
                let want = (num / (2 * 3329)) % (1 << d);
                assert_eq!(u64::from(compress_coeff(x, d)), want, "d={d} x={x}");
            }
            for y in 0..(1u16 << d) {
                let num = u64::from(y) * 3329 * 2 + (1 << d);
                assert_eq!(decompress_coeff(y, d) as u64, num / (2 << d), "d={d} y={y}");
            }
        }
    }

    #[test]
    fn dispatched_compress_equals_soft() {
        // Every i16 value, sixteen at a time through the dispatched path,
        // at every alignment of the 256-coefficient window.
        let all: alloc::vec::Vec<i16> = (i16::MIN..=i16::MAX).collect();
        for d in [1u32, 4, 5, 10, 11] {
            for (n, window) in all.chunks_exact(N).enumerate().step_by(7) {
                let p = Poly { c: window.try_into().unwrap() };
                let got = compress(&p, d);
                for (i, (g, c)) in got.iter().zip(&p.c).enumerate() {
                    assert_eq!(*g, compress_coeff(super::super::poly::canonical(*c), d), "d={d} window {n} lane {i}");
                }
            }
        }
    }

    #[test]
    fn byte_encode_round_trips() {
        for d in [1u32, 4, 5, 10, 11] {
            let v: [u16; N] = core::array::from_fn(|i| ((i * 2654435761) >> 7) as u16 & ((1 << d) - 1) as u16);
            let mut bytes = [0u8; 32 * 11];
            byte_encode(&v, d, &mut bytes[..32 * d as usize]);
            assert_eq!(byte_decode(&bytes[..32 * d as usize], d), v, "d={d}");
            // The specialised and the bit-by-bit versions agree.
            let mut general = [0u8; 32 * 11];
            encode_bits(&v, d, &mut general[..32 * d as usize]);
            assert_eq!(general, bytes, "d={d}");
            assert_eq!(decode_bits(&bytes[..32 * d as usize], d), v, "d={d}");
        }
        let p = Poly { c: core::array::from_fn(|i| (i * 13 % 3329) as i16) };
        let mut bytes = [0u8; 384];
        encode12(&p, &mut bytes);
        assert!(decode12_checked(&bytes).unwrap() == p);
        assert!(decode12_mod_q(&bytes) == p);
        bytes[0] = 0xff;
        bytes[1] |= 0x0f; // coefficient 0 = 4095 >= q
        assert!(decode12_checked(&bytes).is_none());
        assert_eq!(decode12_mod_q(&bytes).c[0], 4095 - 3329);
    }
}
