//! GHASH (SP 800-38D) and POLYVAL (RFC 8452), constant-time.
//!
//! Entry point: [`Ghash`]. Field elements are kept as the big-endian
//! integer of the block, which is GCM's bit-reflected polynomial: the
//! coefficient of `x^i` is integer bit `127 - i`. In that form the
//! carry-less product of two elements, shifted left by one, is the
//! bit-reflection of the 256-bit polynomial product, so one reduction
//! routine ([`reduce`]) serves the portable multiplier and the PCLMULQDQ
//! backend (`arch::x86_pclmul`). The portable carry-less multiply uses
//! integer multiplications with "holes" (every fourth bit) so no table or
//! branch depends on the key. POLYVAL is computed through GHASH with the
//! byte-reversal identity of RFC 8452 Appendix A.

use zeroize::Zeroize;

/// Carry-less 32x32 -> 64 multiply; with one bit kept in every four, each
/// column of a product sums at most 8 terms, so carries never reach the
/// next kept bit.
const fn clmul32(x: u32, y: u32) -> u64 {
    const M: [u64; 4] = [0x1111_1111_1111_1111, 0x2222_2222_2222_2222, 0x4444_4444_4444_4444, 0x8888_8888_8888_8888];
    let (x, y) = (x as u64, y as u64);
    let x0 = x & M[0];
    let x1 = x & M[1];
    let x2 = x & M[2];
    let x3 = x & M[3];
    let y0 = y & M[0];
    let y1 = y & M[1];
    let y2 = y & M[2];
    let y3 = y & M[3];
    let z0 = x0.wrapping_mul(y0) ^ x1.wrapping_mul(y3) ^ x2.wrapping_mul(y2) ^ x3.wrapping_mul(y1);
    let z1 = x0.wrapping_mul(y1) ^ x1.wrapping_mul(y0) ^ x2.wrapping_mul(y3) ^ x3.wrapping_mul(y2);
    let z2 = x0.wrapping_mul(y2) ^ x1.wrapping_mul(y1) ^ x2.wrapping_mul(y0) ^ x3.wrapping_mul(y3);
    let z3 = x0.wrapping_mul(y3) ^ x1.wrapping_mul(y2) ^ x2.wrapping_mul(y1) ^ x3.wrapping_mul(y0);
    (z0 & M[0]) | (z1 & M[1]) | (z2 & M[2]) | (z3 & M[3])
}

/// Carry-less 64x64 -> 128 multiply (Karatsuba over [`clmul32`]).
const fn clmul64(x: u64, y: u64) -> u128 {
    let (x0, x1) = (x as u32, (x >> 32) as u32);
    let (y0, y1) = (y as u32, (y >> 32) as u32);
    let lo = clmul32(x0, y0);
    let hi = clmul32(x1, y1);
    let mid = clmul32(x0 ^ x1, y0 ^ y1) ^ lo ^ hi;
    (lo as u128) ^ ((mid as u128) << 32) ^ ((hi as u128) << 64)
}

/// Carry-less 128x128 -> 256 multiply as `(high, low)`.
pub(crate) const fn clmul128(a: u128, b: u128) -> (u128, u128) {
    let (a0, a1) = (a as u64, (a >> 64) as u64);
    let (b0, b1) = (b as u64, (b >> 64) as u64);
    let lo = clmul64(a0, b0);
    let hi = clmul64(a1, b1);
    let mid = clmul64(a0 ^ a1, b0 ^ b1) ^ lo ^ hi;
    (hi ^ (mid >> 64), lo ^ (mid << 64))
}

/// Reduces an unshifted carry-less product `(high, low)` of two elements
/// in GCM's reflected form to the reflected field product.
///
/// After the one-bit shift the high half is the reflected low part of the
/// polynomial product and the low half `l` the reflected part of degree
/// 128 and up; folding it with `x^128 = x^7 + x^2 + x + 1` is a right
/// shift by 0, 1, 2 and 7 in reflected form, and the bits that fall off
/// (degrees 128..134) are folded the same way once more.
pub(crate) const fn reduce(high: u128, low: u128) -> u128 {
    let h = (high << 1) | (low >> 127);
    let l = low << 1;
    let t = l ^ (l >> 1) ^ (l >> 2) ^ (l >> 7);
    let o = (l << 127) ^ (l << 126) ^ (l << 121);
    h ^ t ^ o ^ (o >> 1) ^ (o >> 2) ^ (o >> 7)
}

/// The GF(2^128) product in GCM's representation.
pub(crate) const fn gf_mul(a: u128, b: u128) -> u128 {
    let (h, l) = clmul128(a, b);
    reduce(h, l)
}

/// Powers of the hash key, `H^1` first.
pub(crate) type HPowers = [u128; 16];

#[derive(Clone, Copy)]
enum Backend {
    Soft,
    #[cfg(target_arch = "x86_64")]
    Pclmul(crate::arch::x86_pclmul::Pclmul),
}

/// A running GHASH over 16-byte blocks.
///
/// Invariant: `h[i] == H^(i+1)`; `acc` is the running value `Y_i`.
/// Key powers and the accumulator are zeroized on drop.
#[derive(Clone)]
pub(crate) struct Ghash {
    h: HPowers,
    acc: u128,
    backend: Backend,
}

impl Drop for Ghash {
    fn drop(&mut self) {
        self.h.zeroize();
        self.acc.zeroize();
    }
}

impl Ghash {
    /// A GHASH keyed with `h = E_K(0^128)`, on the fastest backend.
    pub(crate) fn new(h: &[u8; 16]) -> Self {
        let mut g = Self::new_soft(h);
        #[cfg(target_arch = "x86_64")]
        if let Some(t) = crate::arch::x86_pclmul::Pclmul::detect() {
            g.backend = Backend::Pclmul(t);
        }
        g
    }

    /// As [`Ghash::new`], always on the portable backend.
    pub(crate) fn new_soft(h: &[u8; 16]) -> Self {
        let h1 = u128::from_be_bytes(*h);
        let mut powers = [h1; 16];
        let mut p = h1;
        for slot in powers.iter_mut().skip(1) {
            p = gf_mul(p, h1);
            *slot = p;
        }
        Self { h: powers, acc: 0, backend: Backend::Soft }
    }

    /// A running hash over this key that borrows the key powers instead
    /// of copying them (one per message).
    pub(crate) fn start(&self) -> GhashRun<'_> {
        GhashRun { key: self, acc: 0 }
    }

    /// `acc` after absorbing `data`, zero-padding a trailing partial block
    /// (GCM pads the AAD and the ciphertext separately).
    fn absorb_padded(&self, acc: u128, data: &[u8]) -> u128 {
        let whole = data.len() / 16 * 16;
        let (full, rest) = data.split_at(whole);
        let mut acc = self.absorb_blocks(acc, full);
        if !rest.is_empty() {
            let mut block = [0u8; 16];
            for (b, r) in block.iter_mut().zip(rest) {
                *b = *r;
            }
            acc = self.absorb_blocks(acc, &block);
        }
        acc
    }

    /// Absorbs whole blocks (`data.len()` must be a multiple of 16; any
    /// trailing partial block is ignored).
    fn absorb_blocks(&self, mut acc: u128, data: &[u8]) -> u128 {
        if data.is_empty() {
            return acc;
        }
        match self.backend {
            Backend::Soft => {
                let h1 = self.h[0];
                for block in data.chunks_exact(16) {
                    let mut b = [0u8; 16];
                    b.copy_from_slice(block);
                    acc = gf_mul(acc ^ u128::from_be_bytes(b), h1);
                }
                acc
            }
            #[cfg(target_arch = "x86_64")]
            Backend::Pclmul(t) => {
                let [h8 @ .., _, _, _, _, _, _, _, _] = &self.h;
                t.ghash_blocks(acc, h8, data)
            }
        }
    }

    /// Absorbs whole blocks (POLYVAL's byte-reversed input).
    fn update_blocks(&mut self, data: &[u8]) {
        self.acc = self.absorb_blocks(self.acc, data);
    }

    /// The current value `Y_i` as a block.
    pub(crate) fn value(&self) -> [u8; 16] {
        self.acc.to_be_bytes()
    }
}

/// A GHASH computation in progress over a borrowed key.
///
/// Invariant: `acc` is the running value `Y_i`; zeroized on drop.
pub(crate) struct GhashRun<'a> {
    key: &'a Ghash,
    acc: u128,
}

impl Drop for GhashRun<'_> {
    fn drop(&mut self) {
        self.acc.zeroize();
    }
}

impl GhashRun<'_> {
    /// Absorbs whole blocks (a multiple of 16 bytes).
    pub(crate) fn update_blocks(&mut self, data: &[u8]) {
        self.acc = self.key.absorb_blocks(self.acc, data);
    }

    /// Absorbs `data`, zero-padding a trailing partial block.
    pub(crate) fn update_padded(&mut self, data: &[u8]) {
        self.acc = self.key.absorb_padded(self.acc, data);
    }

    /// Absorbs one raw block.
    pub(crate) fn update_block(&mut self, block: &[u8; 16]) {
        self.acc = self.key.absorb_blocks(self.acc, block);
    }

    /// The key powers and running value, for fused bulk kernels.
    pub(crate) fn state(&mut self) -> (&HPowers, &mut u128) {
        (&self.key.h, &mut self.acc)
    }

    /// The current value `Y_i` as a block.
    pub(crate) fn value(&self) -> [u8; 16] {
        self.acc.to_be_bytes()
    }
}

/// POLYVAL (RFC 8452) through GHASH: `POLYVAL(H, X...) =
/// ByteReverse(GHASH(mulX_GHASH(ByteReverse(H)), ByteReverse(X)...))`.
#[derive(Clone)]
pub(crate) struct Polyval {
    inner: Ghash,
}

impl Polyval {
    /// A POLYVAL keyed with `h`.
    pub(crate) fn new(h: &[u8; 16], soft: bool) -> Self {
        let mut r = *h;
        r.reverse();
        // mulX_GHASH: multiply by x, i.e. by the element whose reflected
        // integer has only bit 126 set.
        let hx = gf_mul(u128::from_be_bytes(r), 1u128 << 126).to_be_bytes();
        let inner = if soft { Ghash::new_soft(&hx) } else { Ghash::new(&hx) };
        Self { inner }
    }

    /// Absorbs `data`, zero-padding a trailing partial block. Blocks are
    /// byte-reversed into a stack batch so GHASH sees up to eight at once.
    pub(crate) fn update_padded(&mut self, data: &[u8]) {
        let mut batch = [0u8; 128];
        for group in data.chunks(128) {
            let blocks = group.len().div_ceil(16);
            batch.fill(0);
            for (dst, src) in batch.chunks_exact_mut(16).zip(group.chunks(16)) {
                if let Some(d) = dst.get_mut(..src.len()) {
                    d.copy_from_slice(src);
                }
                dst.reverse();
            }
            self.inner.update_blocks(batch.get(..16 * blocks).unwrap_or_default());
        }
        batch.zeroize();
    }

    /// The current value `S`.
    pub(crate) fn value(&self) -> [u8; 16] {
        let mut v = self.inner.value();
        v.reverse();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clmul_matches_schoolbook() {
        let mut x = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210u128;
        let mut y = 0xffff_0000_ffff_0000_a5a5_5a5a_0f0f_f0f0u128;
        for _ in 0..64 {
            let (mut hi, mut lo) = (0u128, 0u128);
            for i in 0..128 {
                if y >> i & 1 == 1 {
                    lo ^= x << i;
                    if i != 0 {
                        hi ^= x >> (128 - i);
                    }
                }
            }
            assert_eq!(clmul128(x, y), (hi, lo));
            x = x.rotate_left(13) ^ y;
            y = y.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835) | 1;
        }
        // All-ones operands make every column as full as it can be.
        assert_eq!(clmul32(u32::MAX, u32::MAX), 0x5555_5555_5555_5555);
    }

    #[test]
    fn polyval_rfc8452_appendix_a() {
        // RFC 8452 Appendix A: POLYVAL(H, X_1, X_2).
        let h = hex_literal::hex!("25629347589242761d31f826ba4b757b");
        let x = hex_literal::hex!("4f4f95668c83dfb6401762bb2d01a262d1a24ddd2721d006bbe45f20d3c9f362");
        let mut p = Polyval::new(&h, true);
        p.update_padded(&x);
        assert_eq!(p.value(), hex_literal::hex!("f7a3b47b846119fae5b7866cf5e5b77e"));
    }
}
