//! The byte encodings of Streamlined NTRU Prime (specification section
//! 4.x, "Encoding"): the generic mixed-radix `Encode` / `Decode` for
//! sequences `R` with bounds `M`, used for public keys (`M_i = q`) and
//! ciphertexts (rounded, `M_i = (q + 2) / 3`), and the 2-bit packing of
//! small polynomials.
//!
//! [`encode`] runs in time independent of the values (it encodes the
//! re-encrypted ciphertext during decapsulation, which is secret when
//! it differs from the received one): only shifts, masks and
//! multiplications by the public bounds. [`decode`] divides by the
//! bounds and is only ever applied to public bytes.

use alloc::vec::Vec;

use super::arith::Fq;
use super::{P, Q, Q12, Small};

/// Bytes of an encoded small polynomial: four coefficients a byte.
pub(super) const SMALL_BYTES: usize = P.div_ceil(4);
/// Bytes of an encoded `R/q` element (the public key).
pub(super) const RQ_BYTES: usize = 1158;
/// Bytes of an encoded rounded element (the ciphertext's first part).
pub(super) const ROUNDED_BYTES: usize = 1007;

/// Bound of a rounded coefficient's index `(c + q12) / 3`.
const ROUNDED_BOUND: u32 = (Q as u32).div_ceil(3);

/// `Encode(R, M)`: every `R_i < M_i`, every `M_i < 2^14`. Appends to `out`.
pub(super) fn encode(r: &[u32], m: &[u32], out: &mut Vec<u8>) {
    match (r, m) {
        (_, []) => {}
        (&[r0, ..], &[m0]) => {
            let (mut r, mut m) = (r0, m0);
            while m > 1 {
                out.push(r as u8);
                r >>= 8;
                m = (m + 255) >> 8;
            }
        }
        _ => {
            let mut r2 = Vec::with_capacity(m.len().div_ceil(2));
            let mut m2 = Vec::with_capacity(m.len().div_ceil(2));
            for (rp, mp) in r.chunks(2).zip(m.chunks(2)) {
                match (rp, mp) {
                    (&[ra, rb], &[ma, mb]) => {
                        let mut x = ra + ma * rb;
                        let mut bound = ma * mb;
                        while bound >= 16384 {
                            out.push(x as u8);
                            x >>= 8;
                            bound = (bound + 255) >> 8;
                        }
                        r2.push(x);
                        m2.push(bound);
                    }
                    (&[ra], &[ma]) => {
                        r2.push(ra);
                        m2.push(ma);
                    }
                    _ => {}
                }
            }
            encode(&r2, &m2, out);
        }
    }
}

/// `Decode(S, M)`: the inverse of [`encode`] for canonical input; any
/// bytes decode to values below their bounds. Missing bytes read as zero
/// (callers pass exact lengths).
pub(super) fn decode(s: &[u8], m: &[u32]) -> Vec<u32> {
    match m {
        [] => Vec::new(),
        &[m0] => {
            let mut x: u64 = 0;
            for (i, &b) in s.iter().enumerate().take(4) {
                x |= u64::from(b) << (8 * i);
            }
            alloc::vec![(x % u64::from(m0)) as u32]
        }
        _ => {
            let mut k = 0usize;
            let mut bottom = Vec::with_capacity(m.len() / 2);
            let mut m2 = Vec::with_capacity(m.len().div_ceil(2));
            for mp in m.chunks(2) {
                match *mp {
                    [ma, mb] => {
                        let (mut x, mut t, mut bound) = (0u64, 1u64, u64::from(ma) * u64::from(mb));
                        while bound >= 16384 {
                            x += u64::from(s.get(k).copied().unwrap_or(0)) * t;
                            t <<= 8;
                            k += 1;
                            bound = (bound + 255) >> 8;
                        }
                        bottom.push((x, t));
                        m2.push(bound as u32);
                    }
                    [ma] => m2.push(ma),
                    _ => {}
                }
            }
            let top = decode(s.get(k..).unwrap_or_default(), &m2);
            let mut out = Vec::with_capacity(m.len());
            for (i, mp) in m.chunks(2).enumerate() {
                let hi = u64::from(top.get(i).copied().unwrap_or(0));
                match *mp {
                    [ma, mb] => {
                        let (lo, t) = bottom.get(i).copied().unwrap_or((0, 1));
                        let x = lo + t * hi;
                        out.push((x % u64::from(ma)) as u32);
                        out.push(((x / u64::from(ma)) % u64::from(mb)) as u32);
                    }
                    [_] => out.push(hi as u32),
                    _ => {}
                }
            }
            out
        }
    }
}

/// The public key's encoding of `h`.
pub(super) fn rq_encode(h: &Fq) -> Vec<u8> {
    let r: Vec<u32> = h.iter().map(|&c| (i32::from(c) + Q12) as u32).collect();
    let mut out = Vec::with_capacity(RQ_BYTES);
    encode(&r, &[Q as u32; P], &mut out);
    out
}

/// `h` from a public key's bytes (exactly [`RQ_BYTES`]).
pub(super) fn rq_decode(bytes: &[u8]) -> Fq {
    let values = decode(bytes, &[Q as u32; P]);
    let mut h = [0i16; P];
    for (c, &v) in h.iter_mut().zip(&values) {
        *c = (v as i32 - Q12) as i16;
    }
    h
}

/// A rounded `c` (every coefficient a multiple of 3) as ciphertext bytes.
pub(super) fn rounded_encode(c: &Fq) -> Vec<u8> {
    // (c + q12) * 10923 >> 15 is (c + q12) / 3 for these multiples of 3.
    let r: Vec<u32> = c.iter().map(|&x| (((i32::from(x) + Q12) as u32) * 10923) >> 15).collect();
    let mut out = Vec::with_capacity(ROUNDED_BYTES);
    encode(&r, &[ROUNDED_BOUND; P], &mut out);
    out
}

/// A rounded `c` from ciphertext bytes (exactly [`ROUNDED_BYTES`]).
pub(super) fn rounded_decode(bytes: &[u8]) -> Fq {
    let values = decode(bytes, &[ROUNDED_BOUND; P]);
    let mut c = [0i16; P];
    for (x, &v) in c.iter_mut().zip(&values) {
        *x = (v as i32 * 3 - Q12) as i16;
    }
    c
}

/// Four coefficients `+ 1` a byte, little end first; the last byte holds one.
pub(super) fn small_encode(s: &Small) -> [u8; SMALL_BYTES] {
    let mut out = [0u8; SMALL_BYTES];
    for (byte, chunk) in out.iter_mut().zip(s.chunks(4)) {
        *byte = chunk.iter().rev().fold(0u8, |acc, &c| (acc << 2) | (c + 1) as u8);
    }
    out
}

/// The inverse of [`small_encode`]; the value 3 of a 2-bit field reads
/// as 2 (`+1`), which only happens for bytes not made by the encoder.
pub(super) fn small_decode(bytes: &[u8; SMALL_BYTES]) -> Small {
    let mut s = [0i8; P];
    for (chunk, &byte) in s.chunks_mut(4).zip(bytes) {
        for (j, c) in chunk.iter_mut().enumerate() {
            *c = (((byte >> (2 * j)) & 3) as i8) - 1;
        }
    }
    s
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_the_specification() {
        let h = [Q12 as i16; P];
        assert_eq!(rq_encode(&h).len(), RQ_BYTES);
        let c = [0i16; P];
        assert_eq!(rounded_encode(&c).len(), ROUNDED_BYTES);
        assert_eq!(SMALL_BYTES, 191);
    }

    #[test]
    fn encodings_round_trip() {
        let mut h = [0i16; P];
        for (i, c) in h.iter_mut().enumerate() {
            *c = ((i as i32 * 7919) % Q - Q12) as i16;
        }
        assert_eq!(rq_decode(&rq_encode(&h)), h);
        let c = super::super::arith::round(&h);
        assert_eq!(rounded_decode(&rounded_encode(&c)), c);
        let mut s = [0i8; P];
        for (i, x) in s.iter_mut().enumerate() {
            *x = (i % 3) as i8 - 1;
        }
        assert_eq!(small_decode(&small_encode(&s)), s);
    }

    #[test]
    fn generic_codec_small_cases() {
        for m in [&[5u32][..], &[300, 7], &[16383, 16383, 2], &[4591; 5]] {
            let r: Vec<u32> = m.iter().map(|&b| b - 1).collect();
            let mut out = Vec::new();
            encode(&r, m, &mut out);
            assert_eq!(decode(&out, m), r, "{m:?}");
        }
    }
}
