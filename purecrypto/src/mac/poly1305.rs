//! Poly1305 (RFC 8439 section 2.5), radix 2^64 with 128-bit products.
//!
//! Entry point: [`Poly1305`]: `new(key)`, `update(data)`, `finalize()`.
//! The accumulator is `h = h0 + h1·2^64 + h2·2^128`, kept below about
//! `2^131`; every step is straight-line arithmetic (no branch or table on
//! secret data) and the final reduction selects with a mask.

use zeroize::Zeroize;

/// The Poly1305 tag length in bytes.
pub const TAG_LEN: usize = 16;

/// A running Poly1305 computation with a one-time 32-byte key.
///
/// Invariant: `r1 % 4 == 0` (clamping), so `s1 = r1 + r1/4 = 5·r1/4`
/// exactly; `buf[..buf_len]` holds a pending partial block. Zeroized on
/// drop.
#[derive(Clone)]
pub struct Poly1305 {
    r0: u64,
    r1: u64,
    s1: u64,
    h: [u64; 3],
    pad: [u8; 16],
    buf: [u8; 16],
    buf_len: usize,
    /// `r^1..r^4` in radix 2^26 for the AVX2 path, computed on first use.
    pows: Option<[[u64; 5]; 4]>,
    /// `r^1..r^8` in radix 2^44 for the AVX-512 IFMA path, computed on
    /// first use.
    pows44: Option<[[u64; 3]; 8]>,
    /// The widest backend this instance may use.
    tier: crate::arch::Tier,
}

impl core::fmt::Debug for Poly1305 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Poly1305 { .. }")
    }
}

impl Drop for Poly1305 {
    fn drop(&mut self) {
        self.r0.zeroize();
        self.r1.zeroize();
        self.s1.zeroize();
        self.h.zeroize();
        self.pad.zeroize();
        self.buf.zeroize();
        if let Some(p) = self.pows.as_mut() {
            p.zeroize();
        }
        if let Some(p) = self.pows44.as_mut() {
            p.zeroize();
        }
    }
}

/// Bulk input at least this long goes to the SIMD backend.
const SIMD_MIN: usize = 256;

/// `h·r mod p` (partially reduced), the Poly1305 multiplication.
fn mul_r(h: [u64; 3], r0: u64, r1: u64, s1: u64) -> [u64; 3] {
    let [h0, h1, h2] = h;
    // Wrapping arithmetic throughout: the bounds in the type comment rule
    // out overflow, and checked arithmetic would add branches on secret
    // values in debug builds.
    let mul = |a: u64, b: u64| u128::from(a).wrapping_mul(u128::from(b));
    let d0 = mul(h0, r0).wrapping_add(mul(h1, s1));
    let d1 = mul(h0, r1).wrapping_add(mul(h1, r0)).wrapping_add(mul(h2, s1)).wrapping_add(d0 >> 64);
    let d2 = u128::from(h2.wrapping_mul(r0)).wrapping_add(d1 >> 64) as u64;
    // Fold bits >= 2^130 back as 5 (2^130 = 5 mod p).
    let c = (d2 >> 2).wrapping_mul(5);
    let (h0, carry) = (d0 as u64).overflowing_add(c);
    let (h1, carry) = (d1 as u64).overflowing_add(u64::from(carry));
    [h0, h1, (d2 & 3).wrapping_add(u64::from(carry))]
}

const M26: u64 = (1 << 26) - 1;
const M44: u64 = (1 << 44) - 1;

/// Radix 2^64 (three limbs, `h2` below 8) to radix 2^44 (44, 44 and at
/// most 43 bits).
fn to44([h0, h1, h2]: [u64; 3]) -> [u64; 3] {
    [h0 & M44, ((h0 >> 44) | (h1 << 20)) & M44, (h1 >> 24) | (h2 << 40)]
}

/// Radix 2^44 (limbs below 2^60) back to radix 2^64, carrying fully
/// first (constant time: the same shifts and masks for every value).
fn from44(mut t: [u64; 3]) -> [u64; 3] {
    for _ in 0..2 {
        let [t0, t1, t2] = t;
        let t1 = t1.wrapping_add(t0 >> 44);
        let t2 = t2.wrapping_add(t1 >> 44);
        // Bits from 2^130 up re-enter limb 0 times 5.
        let top = t2 >> 42;
        t = [(t0 & M44).wrapping_add(top.wrapping_mul(5)), t1 & M44, t2 & ((1 << 42) - 1)];
    }
    let [t0, t1, t2] = t;
    let mut acc = 0u128;
    let mut top = t2 >> 40;
    for (limb, shift) in [(t0, 0), (t1, 44), (t2 & ((1 << 40) - 1), 88)] {
        let (sum, c) = acc.overflowing_add(u128::from(limb) << shift);
        acc = sum;
        top = top.wrapping_add(u64::from(c));
    }
    [acc as u64, (acc >> 64) as u64, top]
}

/// Radix 2^64 (three limbs) to radix 2^26 (five limbs).
fn to26([h0, h1, h2]: [u64; 3]) -> [u64; 5] {
    [h0 & M26, (h0 >> 26) & M26, ((h0 >> 52) | (h1 << 12)) & M26, (h1 >> 14) & M26, (h1 >> 40) | (h2 << 24)]
}

/// Radix 2^26 back to radix 2^64, carrying fully first.
fn from26(mut t: [u64; 5]) -> [u64; 3] {
    for _ in 0..2 {
        let mut c = 0u64;
        for limb in t.iter_mut() {
            *limb = limb.wrapping_add(c);
            c = *limb >> 26;
            *limb &= M26;
        }
        t[0] = t[0].wrapping_add(c.wrapping_mul(5));
    }
    let [t0, t1, t2, t3, t4] = t;
    let mut acc = 0u128;
    let mut top = t4 >> 24;
    for (limb, shift) in [(t0, 0), (t1, 26), (t2, 52), (t3, 78), (t4 & 0xff_ffff, 104)] {
        let (sum, c) = acc.overflowing_add(u128::from(limb) << shift);
        acc = sum;
        top = top.wrapping_add(u64::from(c));
    }
    [acc as u64, (acc >> 64) as u64, top]
}

fn le64(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    for (x, y) in w.iter_mut().zip(b) {
        *x = *y;
    }
    u64::from_le_bytes(w)
}

impl Poly1305 {
    /// A Poly1305 instance keyed with `r || s` (use each key once).
    #[must_use]
    pub fn new(key: &[u8; 32]) -> Self {
        Self::with_tier(key, crate::arch::Tier::Best)
    }

    /// As [`Poly1305::new`] on at most the backend `tier` allows.
    pub(crate) fn with_tier(key: &[u8; 32], tier: crate::arch::Tier) -> Self {
        let (r, s) = key.split_at(16);
        let r0 = le64(r) & 0x0fff_fffc_0fff_ffff;
        let r1 = le64(r.get(8..).unwrap_or_default()) & 0x0fff_fffc_0fff_fffc;
        let mut pad = [0u8; 16];
        pad.copy_from_slice(s);
        Self {
            r0,
            r1,
            s1: r1.wrapping_add(r1 >> 2),
            h: [0; 3],
            pad,
            buf: [0; 16],
            buf_len: 0,
            pows: None,
            pows44: None,
            tier,
        }
    }

    /// As [`Poly1305::new`], never using a SIMD backend.
    #[cfg(test)]
    pub(crate) fn new_soft(key: &[u8; 32]) -> Self {
        Self::with_tier(key, crate::arch::Tier::Soft)
    }

    /// `r^1..r^8` in radix 2^44.
    #[cfg(target_arch = "x86_64")]
    fn powers44(&mut self) -> [[u64; 3]; 8] {
        if let Some(p) = self.pows44 {
            return p;
        }
        let mut r = [self.r0, self.r1, 0];
        let mut p = [[0u64; 3]; 8];
        for slot in p.iter_mut() {
            *slot = to44(r);
            r = mul_r(r, self.r0, self.r1, self.s1);
        }
        r.zeroize();
        self.pows44 = Some(p);
        p
    }

    /// `r^1..r^4` in radix 2^26.
    #[cfg(target_arch = "x86_64")]
    fn powers(&mut self) -> [[u64; 5]; 4] {
        if let Some(p) = self.pows {
            return p;
        }
        let r = [self.r0, self.r1, 0];
        let r2 = mul_r(r, self.r0, self.r1, self.s1);
        let r3 = mul_r(r2, self.r0, self.r1, self.s1);
        let r4 = mul_r(r3, self.r0, self.r1, self.s1);
        let p = [to26(r), to26(r2), to26(r3), to26(r4)];
        self.pows = Some(p);
        p
    }

    /// Absorbs one 16-byte block with `hibit` (1 for full blocks, 0 for
    /// the padded final block, whose 1 byte is already in the data).
    fn block(&mut self, m: &[u8; 16], hibit: u64) {
        let [h0, h1, h2] = self.h;
        let (m0, m1) = (le64(m), le64(m.get(8..).unwrap_or_default()));
        let (h0, c) = h0.overflowing_add(m0);
        let (h1, c1) = h1.overflowing_add(m1);
        let (h1, c2) = h1.overflowing_add(u64::from(c));
        let h2 = h2.wrapping_add(u64::from(c1)).wrapping_add(u64::from(c2)).wrapping_add(hibit);
        self.h = mul_r([h0, h1, h2], self.r0, self.r1, self.s1);
    }

    /// Absorbs `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        if self.buf_len > 0 {
            let take = (16 - self.buf_len).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self.buf.get_mut(self.buf_len..self.buf_len + take) {
                dst.copy_from_slice(head);
            }
            self.buf_len += take;
            data = rest;
            if self.buf_len < 16 {
                return;
            }
            let b = self.buf;
            self.block(&b, 1);
            self.buf_len = 0;
        }
        #[cfg(target_arch = "x86_64")]
        if self.tier == crate::arch::Tier::Best
            && data.len() >= SIMD_MIN
            && let Some(t) = crate::arch::x86_avx512ifma_poly1305::Ifma::detect()
        {
            let pows = self.powers44();
            let mut h = to44(self.h);
            let done = t.blocks(&mut h, &pows, data);
            self.h = from44(h);
            h.zeroize();
            data = data.get(done..).unwrap_or_default();
        }
        #[cfg(target_arch = "x86_64")]
        if self.tier != crate::arch::Tier::Soft
            && data.len() >= SIMD_MIN
            && let Some(t) = crate::arch::x86_avx2_poly1305::Avx2Poly::detect()
        {
            let pows = self.powers();
            let mut h = to26(self.h);
            let done = t.blocks(&mut h, &pows, data);
            self.h = from26(h);
            h.zeroize();
            data = data.get(done..).unwrap_or_default();
        }
        let mut chunks = data.chunks_exact(16);
        for c in &mut chunks {
            let mut b = [0u8; 16];
            b.copy_from_slice(c);
            self.block(&b, 1);
        }
        let rest = chunks.remainder();
        if let Some(dst) = self.buf.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.buf_len = rest.len();
    }

    /// Zero-pads a pending partial block to 16 bytes (the AEAD
    /// construction of RFC 8439 pads the AAD and ciphertext this way).
    pub(crate) fn pad16(&mut self) {
        if self.buf_len > 0 {
            let zeros = [0u8; 16];
            self.update(zeros.get(self.buf_len..).unwrap_or_default());
        }
    }

    /// The 16-byte tag.
    #[must_use]
    pub fn finalize(mut self) -> [u8; 16] {
        if self.buf_len > 0 {
            let mut b = [0u8; 16];
            if let Some(dst) = b.get_mut(..self.buf_len) {
                dst.copy_from_slice(self.buf.get(..self.buf_len).unwrap_or_default());
            }
            if let Some(one) = b.get_mut(self.buf_len) {
                *one = 1;
            }
            self.block(&b, 0);
        }
        let [h0, h1, h2] = self.h;
        // Fully reduce: h may still exceed p = 2^130 - 5 (once at most),
        // so compute g = h + 5 - 2^130 and keep it when it did not borrow.
        let (g0, c) = h0.overflowing_add(5);
        let (g1, c) = h1.overflowing_add(u64::from(c));
        let g2 = h2.wrapping_add(u64::from(c)).wrapping_sub(4);
        // g2's top bit is set exactly when h + 5 < 2^130, i.e. h < p.
        let keep_h = 0u64.wrapping_sub(g2 >> 63);
        let f0 = (h0 & keep_h) | (g0 & !keep_h);
        let f1 = (h1 & keep_h) | (g1 & !keep_h);
        let s = u128::from_le_bytes(self.pad);
        let tag = ((u128::from(f1) << 64) | u128::from(f0)).wrapping_add(s);
        tag.to_le_bytes()
    }

    /// Whether `tag` is the tag of the data absorbed so far, compared in
    /// constant time.
    #[must_use]
    pub fn verify(self, tag: &[u8]) -> bool {
        crate::ct::eq(&self.finalize(), tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn rfc8439_2_5_2() {
        let key = hex!("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        let msg = b"Cryptographic Forum Research Group";
        let mut p = Poly1305::new(&key);
        p.update(msg);
        assert_eq!(p.finalize(), hex!("a8061dc1305136c6c22b8baf0c0127a9"));
        // Split at every position gives the same tag.
        for split in 0..msg.len() {
            let mut p = Poly1305::new(&key);
            p.update(&msg[..split]);
            p.update(&msg[split..]);
            assert!(p.verify(&hex!("a8061dc1305136c6c22b8baf0c0127a9")));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// The AVX-512 IFMA and AVX2 paths equal the portable one for any
        /// key, length, split point and alignment offset.
        #[test]
        fn simd_matches_soft(key in proptest::prelude::any::<[u8; 32]>(),
                             data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1500),
                             offset in 0usize..16, split in 0usize..1500) {
            let mut buf = alloc::vec![0u8; offset];
            buf.extend_from_slice(&data);
            let msg = &buf[offset..];
            let split = split.min(msg.len());
            let mut soft = Poly1305::new_soft(&key);
            soft.update(msg);
            let want = soft.finalize();
            for tier in [crate::arch::Tier::Best, crate::arch::Tier::Avx2] {
                let mut fast = Poly1305::with_tier(&key, tier);
                fast.update(&msg[..split]);
                fast.update(&msg[split..]);
                proptest::prop_assert_eq!(fast.finalize(), want);
            }
        }
    }

    use crate::arch::Tier;

    /// Which kernels this CPU runs, so a missing one is reported loudly.
    #[cfg(all(target_arch = "x86_64", feature = "std"))]
    #[test]
    fn kernels_present_or_reported() {
        if crate::arch::x86_avx512ifma_poly1305::Ifma::detect().is_none() {
            std::eprintln!("SKIPPED: AVX-512 IFMA Poly1305 kernel (this CPU lacks it; Tier::Best uses AVX2)");
        }
        if crate::arch::x86_avx2_poly1305::Avx2Poly::detect().is_none() {
            std::eprintln!("SKIPPED: AVX2 Poly1305 kernel (this CPU lacks it)");
        }
    }

    fn tag(tier: Tier, key: &[u8; 32], parts: &[&[u8]]) -> [u8; 16] {
        let mut p = Poly1305::with_tier(key, tier);
        for part in parts {
            p.update(part);
        }
        p.finalize()
    }

    #[test]
    fn extreme_values_agree_across_backends() {
        // Largest clamped r with all-ones messages drives every limb to
        // its bound in both radix 2^26 and radix 2^44.
        for (k, m) in [(0xffu8, 0xffu8), (0xff, 0x00), (0x00, 0xff), (0x0f, 0xf0)] {
            let key = [k; 32];
            for len in [256, 384, 1024, 4096 + 16] {
                let msg = alloc::vec![m; len];
                let want = tag(Tier::Soft, &key, &[&msg]);
                for tier in [Tier::Best, Tier::Avx2] {
                    assert_eq!(tag(tier, &key, &[&msg]), want, "{tier:?} key {k:#x} msg {m:#x} len {len}");
                }
            }
        }
    }

    /// RFC 8439 A.3 vectors #2 and #3: 375 bytes, long enough for both
    /// SIMD kernels.
    #[test]
    fn rfc8439_a3_long_vectors_on_every_tier() {
        let text: &[u8] = b"Any submission to the IETF intended by the Contributor for publication as all or part of an IETF Internet-Draft or RFC and any statement made within the context of an IETF activity is considered an \"IETF Contribution\". Such statements include oral statements in IETF sessions, as well as written and electronic communications made at any time or place, which are addressed to";
        assert_eq!(text.len(), 375);
        let s = hex!("36e5f6b5c5e06070f0efca96227a863e");
        let mut key2 = [0u8; 32];
        key2[16..].copy_from_slice(&s);
        let mut key3 = [0u8; 32];
        key3[..16].copy_from_slice(&s);
        for tier in [Tier::Best, Tier::Avx2, Tier::Soft] {
            assert_eq!(tag(tier, &key2, &[text]), s, "{tier:?} #2");
            assert_eq!(tag(tier, &key3, &[text]), hex!("f3477e7cd95417af89a6b8794c310cf0"), "{tier:?} #3");
        }
    }

    /// Every length up to 1100 and a few keys, each tier against the
    /// portable code, the message also split at an odd point.
    #[test]
    fn tiers_agree_across_lengths() {
        let msg: alloc::vec::Vec<u8> = (0..1100u32).map(|i| (i * 31 + 7) as u8).collect();
        for seed in 0..3u8 {
            let key: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(seed.wrapping_add(17)) ^ seed);
            for len in 0..=msg.len() {
                let m = &msg[..len];
                let want = tag(Tier::Soft, &key, &[m]);
                let (a, b) = m.split_at(len / 3);
                for tier in [Tier::Best, Tier::Avx2] {
                    assert_eq!(tag(tier, &key, &[m]), want, "{tier:?} len {len}");
                    assert_eq!(tag(tier, &key, &[a, b]), want, "{tier:?} len {len} split");
                }
            }
        }
    }

    #[test]
    fn rfc8439_a3_edge_cases() {
        // Test vector #5 of RFC 8439 A.3: h reaches p exactly.
        let mut key = [0u8; 32];
        key[0] = 2;
        let mut p = Poly1305::new(&key);
        p.update(&[0xff; 16]);
        assert_eq!(p.finalize(), hex!("03000000000000000000000000000000"));
        // #6: s wraps modulo 2^128.
        let mut key = [0u8; 32];
        key[0] = 2;
        key[16..].copy_from_slice(&[0xff; 16]);
        let mut p = Poly1305::new(&key);
        p.update(&hex!("02000000000000000000000000000000"));
        assert_eq!(p.finalize(), hex!("03000000000000000000000000000000"));
        // #7: carries through all limbs.
        let mut key = [0u8; 32];
        key[0] = 1;
        let mut p = Poly1305::new(&key);
        p.update(&hex!(
            "ffffffffffffffffffffffffffffffff f0ffffffffffffffffffffffffffffff 11000000000000000000000000000000"
        ));
        assert_eq!(p.finalize(), hex!("05000000000000000000000000000000"));
    }
}
