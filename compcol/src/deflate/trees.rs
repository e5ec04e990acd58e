//! Huffman code construction and block writing for the encoder.
//!
//! Entry points: [`Block`] (the symbols of one block and their
//! frequencies), [`BitWriter`] and [`write_block`], which picks the
//! cheapest of stored, fixed and dynamic encodings. Code lengths come from
//! the in-place Moffat-Katajainen Huffman algorithm, then are limited to 15
//! (7 for the code-length code) by moving leaves down the tree until the
//! Kraft sum is exactly one.

use super::huffman::{DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA};
use alloc::vec::Vec;

/// Symbols per block before it is written.
pub(crate) const SYM_BUF: usize = 1 << 13;
/// Largest stored block payload.
pub(crate) const MAX_STORED: usize = 65_535;
const CL_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// `LEN_CODE[len - 3]` = length symbol index (symbol - 257).
static LEN_CODE: [u8; 256] = build_len_code();
/// Distance symbol of distances 1..=256 (`[d - 1]`) and, above, of
/// `(d - 1) >> 7` (`DIST_HI[(d - 1) >> 7]`).
static DIST_LO: [u8; 256] = build_dist_code(false);
static DIST_HI: [u8; 256] = build_dist_code(true);

// Const evaluation: an out-of-range index fails the build, never a run.
#[allow(clippy::indexing_slicing)]
const fn build_len_code() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut code = 0;
    while code < 29 {
        let base = LEN_BASE[code] as usize - 3;
        let n = if code == 28 { 1 } else { 1usize << LEN_EXTRA[code] };
        let mut i = 0;
        while i < n && base + i < 256 {
            t[base + i] = code as u8;
            i += 1;
        }
        code += 1;
    }
    // 258 has its own code even though 227 + 31 reaches it too.
    t[255] = 28;
    t
}

// Const evaluation: an out-of-range index fails the build, never a run.
#[allow(clippy::indexing_slicing)]
const fn build_dist_code(hi: bool) -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut code = 0;
    while code < 30 {
        let base = DIST_BASE[code] as usize - 1;
        let n = 1usize << DIST_EXTRA[code];
        let mut i = 0;
        while i < n {
            let d = base + i;
            if !hi && d < 256 {
                t[d] = code as u8;
            }
            if hi && d >= 256 && (d >> 7) < 256 {
                t[d >> 7] = code as u8;
            }
            i += 1;
        }
        code += 1;
    }
    t
}

/// Length symbol index (0..29) of a match length 3..=258.
#[inline(always)]
pub(crate) fn len_code(len: usize) -> usize {
    usize::from(LEN_CODE.get(len.wrapping_sub(3) & 0xff).copied().unwrap_or(0))
}

/// Distance symbol (0..30) of a distance 1..=32768.
#[inline(always)]
pub(crate) fn dist_code(dist: usize) -> usize {
    let d = dist.wrapping_sub(1);
    let t = if d < 256 { DIST_LO.get(d) } else { DIST_HI.get((d >> 7) & 0xff) };
    usize::from(t.copied().unwrap_or(0))
}

/// Writes bits LSB-first into `out`.
#[derive(Debug, Clone, Default)]
pub(crate) struct BitWriter {
    buf: u64,
    cnt: u32,
    pub(crate) out: Vec<u8>,
}

impl BitWriter {
    /// Appends the low `n` (<= 32) bits of `v` (higher bits must be zero).
    #[inline(always)]
    pub(crate) fn put(&mut self, v: u32, n: u32) {
        self.buf |= u64::from(v) << self.cnt;
        self.cnt += n;
        if self.cnt >= 32 {
            self.out.extend_from_slice(&(self.buf as u32).to_le_bytes());
            self.buf >>= 32;
            self.cnt -= 32;
        }
    }

    /// Moves whole bytes of the bit buffer to `out` (fewer than 8 bits stay).
    fn flush_bytes(&mut self) {
        while self.cnt >= 8 {
            self.out.push(self.buf as u8);
            self.buf >>= 8;
            self.cnt -= 8;
        }
    }

    /// Pads with zero bits to a byte boundary and writes out all bits.
    pub(crate) fn align(&mut self) {
        while self.cnt > 0 {
            self.out.push(self.buf as u8);
            self.buf >>= 8;
            self.cnt = self.cnt.saturating_sub(8);
        }
        self.buf = 0;
    }

    /// Bits written but not yet whole bytes in `out`, modulo 8.
    fn bit_phase(&self) -> u32 {
        self.cnt % 8
    }

    /// Forgets everything (for `reset`).
    pub(crate) fn clear(&mut self) {
        self.buf = 0;
        self.cnt = 0;
        self.out.clear();
    }
}

/// The symbols of one block: literals as `byte`, matches as
/// `dist << 8 | (len - 3)`.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub(crate) syms: Vec<u32>,
    pub(crate) lit_freq: [u32; 286],
    pub(crate) dist_freq: [u32; 30],
}

impl Block {
    pub(crate) fn new() -> Self {
        Self { syms: Vec::with_capacity(SYM_BUF), lit_freq: [0; 286], dist_freq: [0; 30] }
    }

    pub(crate) fn clear(&mut self) {
        self.syms.clear();
        self.lit_freq = [0; 286];
        self.dist_freq = [0; 30];
    }

    /// Records a literal; true when the block is full.
    #[inline(always)]
    pub(crate) fn lit(&mut self, b: u8) -> bool {
        self.syms.push(u32::from(b));
        if let Some(f) = self.lit_freq.get_mut(usize::from(b)) {
            *f += 1;
        }
        self.syms.len() >= SYM_BUF
    }

    /// Records a match; true when the block is full.
    #[inline(always)]
    pub(crate) fn matched(&mut self, dist: usize, len: usize) -> bool {
        self.syms.push(((dist as u32) << 8) | (len as u32 - 3));
        if let Some(f) = self.lit_freq.get_mut(257 + len_code(len)) {
            *f += 1;
        }
        if let Some(f) = self.dist_freq.get_mut(dist_code(dist)) {
            *f += 1;
        }
        self.syms.len() >= SYM_BUF
    }
}

/// The Moffat-Katajainen in-place algorithm: `a` holds frequencies sorted
/// ascending (n >= 2); on return `a[i]` is the code length of item `i`.
fn huffman_lengths(a: &mut [u32]) {
    let n = a.len();
    if n < 2 {
        return;
    }
    let get = |a: &[u32], i: usize| a.get(i).copied().unwrap_or(0);
    let set = |a: &mut [u32], i: usize, v: u32| {
        if let Some(s) = a.get_mut(i) {
            *s = v;
        }
    };
    // Phase 1: build the tree, internal nodes store parent pointers.
    set(a, 0, get(a, 0) + get(a, 1));
    let (mut root, mut leaf) = (0usize, 2usize);
    for next in 1..n - 1 {
        if leaf >= n || get(a, root) < get(a, leaf) {
            set(a, next, get(a, root));
            set(a, root, next as u32);
            root += 1;
        } else {
            set(a, next, get(a, leaf));
            leaf += 1;
        }
        if leaf >= n || (root < next && get(a, root) < get(a, leaf)) {
            set(a, next, get(a, next) + get(a, root));
            set(a, root, next as u32);
            root += 1;
        } else {
            set(a, next, get(a, next) + get(a, leaf));
            leaf += 1;
        }
    }
    // Phase 2: internal node depths.
    set(a, n - 2, 0);
    for next in (0..n.saturating_sub(2)).rev() {
        let parent = get(a, next) as usize;
        set(a, next, get(a, parent) + 1);
    }
    // Phase 3: leaf depths.
    let (mut avail, mut used, mut depth) = (1usize, 0usize, 0u32);
    let mut root = n as isize - 2;
    let mut next = n as isize - 1;
    while avail > 0 {
        while root >= 0 && get(a, root as usize) == depth {
            used += 1;
            root -= 1;
        }
        while avail > used {
            set(a, next as usize, depth);
            next -= 1;
            avail -= 1;
        }
        avail = 2 * used;
        depth += 1;
        used = 0;
    }
}

/// Optimal code lengths for `freq`, none longer than `limit`, into `lens`.
/// At least two symbols get a code, so every code is complete.
// Bounds: `count` has 33 slots and every index is a length 1..=limit <= 15.
#[allow(clippy::indexing_slicing)]
pub(crate) fn build_lengths(freq: &[u32], limit: u32, lens: &mut [u8]) {
    lens.fill(0);
    let mut items: Vec<(u32, u16)> =
        freq.iter().enumerate().filter(|&(_, &f)| f != 0).map(|(s, &f)| (f, s as u16)).collect();
    if items.len() < 2 {
        let used = items.first().map_or(usize::MAX, |&(_, s)| usize::from(s));
        for s in [0usize, 1] {
            if let Some(l) = lens.get_mut(s) {
                *l = 1;
            }
        }
        if used > 1 {
            // One used symbol above 1: give it and symbol 0 one bit each.
            if let Some(l) = lens.get_mut(1) {
                *l = 0;
            }
            if let Some(l) = lens.get_mut(used) {
                *l = 1;
            }
        }
        return;
    }
    items.sort_unstable();
    let mut a: Vec<u32> = items.iter().map(|&(f, _)| f).collect();
    huffman_lengths(&mut a);
    if a.first().copied().unwrap_or(0) > limit {
        let mut count = [0u32; 33];
        for &l in &a {
            if let Some(c) = count.get_mut((l.min(limit)) as usize) {
                *c += 1;
            }
        }
        let lim = limit as usize;
        let mut total: u64 = (1..=lim).map(|l| u64::from(count[l]) << (lim - l)).sum();
        while total > 1u64 << lim {
            count[lim] -= 1;
            for l in (1..lim).rev() {
                if count[l] > 0 {
                    count[l] -= 1;
                    count[l + 1] += 2;
                    break;
                }
            }
            total -= 1;
        }
        let mut idx = 0;
        for l in (1..=lim).rev() {
            for _ in 0..count[l] {
                if let Some(s) = a.get_mut(idx) {
                    *s = l as u32;
                }
                idx += 1;
            }
        }
    }
    for (&(_, sym), &l) in items.iter().zip(&a) {
        if let Some(slot) = lens.get_mut(usize::from(sym)) {
            *slot = l as u8;
        }
    }
}

/// Canonical codes for `lens`, bit-reversed for LSB-first output.
// Bounds: `count`/`next` have 16 slots, indexed by lengths 0..=15 (l < 16).
#[allow(clippy::indexing_slicing)]
pub(crate) fn build_codes(lens: &[u8], codes: &mut [u16]) {
    let mut count = [0u16; 16];
    for &l in lens {
        if let Some(c) = count.get_mut(usize::from(l)) {
            *c += 1;
        }
    }
    count[0] = 0;
    let mut next = [0u16; 16];
    let mut code = 0u16;
    for l in 1..16 {
        code = (code + count[l - 1]) << 1;
        next[l] = code;
    }
    for (s, &l) in lens.iter().enumerate() {
        if l == 0 {
            continue;
        }
        let l = usize::from(l);
        let c = next[l];
        next[l] = c.wrapping_add(1);
        if let Some(slot) = codes.get_mut(s) {
            *slot = c.reverse_bits() >> (16 - l);
        }
    }
}

/// The fixed literal/length and distance code lengths.
fn fixed_lens() -> ([u8; 288], [u8; 30]) {
    let mut lit = [8u8; 288];
    for (i, l) in lit.iter_mut().enumerate() {
        *l = match i {
            0..=143 => 8,
            144..=255 => 9,
            256..=279 => 7,
            _ => 8,
        };
    }
    (lit, [5; 30])
}

/// Bits to code `blk` (plus end of block) with the given lengths.
fn data_bits(blk: &Block, lit: &[u8], dist: &[u8]) -> u64 {
    let mut bits = 0u64;
    for (s, (&f, &l)) in blk.lit_freq.iter().zip(lit).enumerate() {
        let extra = if s >= 257 { u64::from(LEN_EXTRA.get(s - 257).copied().unwrap_or(0)) } else { 0 };
        bits += u64::from(f) * (u64::from(l) + extra);
    }
    for ((&f, &l), &x) in blk.dist_freq.iter().zip(dist).zip(DIST_EXTRA.iter()) {
        bits += u64::from(f) * (u64::from(l) + u64::from(x));
    }
    bits
}

/// Run-length codes the code lengths (symbols 0..=18 with extra values).
fn rle_lengths(all: &[u8], out: &mut Vec<(u8, u8)>) {
    out.clear();
    let mut i = 0;
    while let Some(&l) = all.get(i) {
        let run = all.get(i..).map_or(1, |s| s.iter().take_while(|&&x| x == l).count());
        let mut r = run;
        if l == 0 {
            while r >= 11 {
                let k = r.min(138);
                out.push((18, (k - 11) as u8));
                r -= k;
            }
            if r >= 3 {
                out.push((17, (r - 3) as u8));
                r = 0;
            }
        } else {
            out.push((l, 0));
            r -= 1;
            while r >= 3 {
                let k = r.min(6);
                out.push((16, (k - 3) as u8));
                r -= k;
            }
        }
        for _ in 0..r {
            out.push((l, 0));
        }
        i += run;
    }
}

/// Writes `data` as stored blocks (at least one), the last one final if
/// `last`.
pub(crate) fn write_stored(w: &mut BitWriter, data: &[u8], last: bool) {
    let mut chunks = data.chunks(MAX_STORED).peekable();
    if chunks.peek().is_none() {
        write_stored_one(w, &[], last);
    }
    while let Some(c) = chunks.next() {
        write_stored_one(w, c, last && chunks.peek().is_none());
    }
}

fn write_stored_one(w: &mut BitWriter, data: &[u8], last: bool) {
    w.put(u32::from(last), 3);
    w.align();
    let n = data.len() as u16;
    w.out.extend_from_slice(&n.to_le_bytes());
    w.out.extend_from_slice(&(!n).to_le_bytes());
    w.out.extend_from_slice(data);
}

/// Writes the symbols of `blk` with the given codes.
/// `bits` is what they cost with these lengths (`data_bits`): the output
/// grows by that much, not by a worst case, before the loop.
fn write_symbols(
    w: &mut BitWriter,
    blk: &Block,
    lit_len: &[u8],
    lit_code: &[u16],
    d_len: &[u8],
    d_code: &[u16],
    bits: u64,
) {
    // (code | length << 16) per literal/length symbol, and per distance
    // symbol, so the loop does one lookup per code.
    let mut lit = [0u32; 286];
    for ((slot, &c), &l) in lit.iter_mut().zip(lit_code).zip(lit_len) {
        *slot = u32::from(c) | u32::from(l) << 16;
    }
    // Per match length (index len - 3): its code with the extra bits
    // already shifted in, and (bits 24..) the total bit count.
    let mut lens = [0u32; 256];
    for (i, slot) in lens.iter_mut().enumerate() {
        let len = i + 3;
        let code = len_code(len);
        let e = lit.get(257 + code).copied().unwrap_or(0);
        let x = u32::from(LEN_EXTRA.get(code).copied().unwrap_or(0));
        let base = u32::from(LEN_BASE.get(code).copied().unwrap_or(3));
        let l = e >> 16;
        *slot = (e & 0xffff) | ((len as u32 - base) << l) | ((l + x) << 24);
    }
    // Per distance symbol: code (bits 0..16), code length (16..24), extra
    // bit count (24..32) and base distance (32..).
    let mut dist = [0u64; 30];
    for (dc, ((slot, &c), &l)) in dist.iter_mut().zip(d_code).zip(d_len).enumerate() {
        let dx = u64::from(DIST_EXTRA.get(dc).copied().unwrap_or(0));
        let dbase = u64::from(DIST_BASE.get(dc).copied().unwrap_or(1));
        *slot = u64::from(c) | u64::from(l) << 16 | dx << 24 | dbase << 32;
    }
    // Whole-word output: every symbol is at most 48 bits (15 + 5 for the
    // length, 15 + 13 for the distance), so with at most 7 bits pending
    // the word never overflows; each symbol stores 8 bytes at once and
    // keeps the whole ones, with no per-symbol capacity checks.
    w.flush_bytes();
    let (mut buf, mut cnt) = (w.buf, w.cnt);
    let mut pos = w.out.len();
    // Past the last whole byte written, one more 8-byte store.
    w.out.resize(pos + (bits / 8) as usize + 16, 0);
    for &sym in &blk.syms {
        let d = (sym >> 8) as usize;
        let (v, n) = if d == 0 {
            let e = lit.get((sym & 0xff) as usize).copied().unwrap_or(0);
            (u64::from(e & 0xffff), e >> 16)
        } else {
            let le = lens.get((sym & 0xff) as usize).copied().unwrap_or(0);
            let ln = le >> 24;
            let de = dist.get(dist_code(d)).copied().unwrap_or(0);
            let dl = ((de >> 16) & 0xff) as u32;
            let dn = dl + ((de >> 24) & 0xff) as u32;
            let dv = (de & 0xffff) | ((d as u64).wrapping_sub(de >> 32) << dl);
            (u64::from(le & 0xff_ffff) | dv << ln, ln + dn)
        };
        buf |= v << cnt;
        cnt += n;
        if let Some(dst) = w.out.get_mut(pos..pos + 8) {
            dst.copy_from_slice(&buf.to_le_bytes());
        }
        let whole = cnt / 8;
        pos += whole as usize;
        buf >>= 8 * whole;
        cnt -= 8 * whole;
    }
    w.out.truncate(pos);
    (w.buf, w.cnt) = (buf, cnt);
    let e = lit.get(256).copied().unwrap_or(0);
    w.put(e & 0xffff, e >> 16);
}

/// Writes `blk` as the cheapest of a dynamic, fixed or (when the raw bytes
/// are given) stored block.
pub(crate) fn write_block(w: &mut BitWriter, blk: &mut Block, raw: Option<&[u8]>, last: bool) {
    blk.lit_freq[256] = 1;
    let mut lit_len = [0u8; 286];
    let mut d_len = [0u8; 30];
    build_lengths(&blk.lit_freq, 15, &mut lit_len);
    build_lengths(&blk.dist_freq, 15, &mut d_len);
    let hlit = lit_len.iter().rposition(|&l| l != 0).map_or(257, |p| (p + 1).max(257));
    let hdist = d_len.iter().rposition(|&l| l != 0).map_or(1, |p| p + 1);
    let mut all = Vec::with_capacity(hlit + hdist);
    all.extend_from_slice(lit_len.get(..hlit).unwrap_or(&[]));
    all.extend_from_slice(d_len.get(..hdist).unwrap_or(&[]));
    let mut rle = Vec::with_capacity(all.len());
    rle_lengths(&all, &mut rle);
    let mut cl_freq = [0u32; 19];
    for &(s, _) in &rle {
        if let Some(f) = cl_freq.get_mut(usize::from(s)) {
            *f += 1;
        }
    }
    let mut cl_len = [0u8; 19];
    build_lengths(&cl_freq, 7, &mut cl_len);
    let hclen = CL_ORDER.iter().rposition(|&s| cl_len.get(s).copied().unwrap_or(0) != 0).map_or(4, |p| (p + 1).max(4));
    let mut header_bits = 5 + 5 + 4 + 3 * hclen as u64;
    for &(s, _) in &rle {
        let extra = match s {
            16 => 2,
            17 => 3,
            18 => 7,
            _ => 0,
        };
        header_bits += u64::from(cl_len.get(usize::from(s)).copied().unwrap_or(0)) + extra;
    }
    let dyn_data = data_bits(blk, &lit_len, &d_len);
    let dyn_bits = 3 + header_bits + dyn_data;
    let (fixed_lit, fixed_dist) = fixed_lens();
    let fixed_data = data_bits(blk, &fixed_lit, &fixed_dist);
    let fixed_bits = 3 + fixed_data;
    if let Some(raw) = raw {
        let chunks = raw.len().div_ceil(MAX_STORED).max(1) as u64;
        let pad = u64::from((8 - (w.bit_phase() + 3) % 8) % 8);
        let stored_bits = chunks * (3 + 32) + pad + 8 * raw.len() as u64 + (chunks - 1) * 7;
        if stored_bits <= dyn_bits.min(fixed_bits) {
            write_stored(w, raw, last);
            return;
        }
    }
    if fixed_bits <= dyn_bits {
        let mut lit_code = [0u16; 288];
        let mut d_code = [0u16; 30];
        build_codes(&fixed_lit, &mut lit_code);
        build_codes(&fixed_dist, &mut d_code);
        w.put(u32::from(last) | (1 << 1), 3);
        write_symbols(w, blk, &fixed_lit, &lit_code, &fixed_dist, &d_code, fixed_data);
        return;
    }
    w.put(u32::from(last) | (2 << 1), 3);
    w.put((hlit - 257) as u32, 5);
    w.put((hdist - 1) as u32, 5);
    w.put((hclen - 4) as u32, 4);
    for &s in CL_ORDER.iter().take(hclen) {
        w.put(u32::from(cl_len.get(s).copied().unwrap_or(0)), 3);
    }
    let mut cl_code = [0u16; 19];
    build_codes(&cl_len, &mut cl_code);
    for &(s, x) in &rle {
        let s = usize::from(s);
        let l = u32::from(cl_len.get(s).copied().unwrap_or(0));
        w.put(u32::from(cl_code.get(s).copied().unwrap_or(0)), l);
        match s {
            16 => w.put(u32::from(x), 2),
            17 => w.put(u32::from(x), 3),
            18 => w.put(u32::from(x), 7),
            _ => {}
        }
    }
    let mut lit_code = [0u16; 286];
    let mut d_code = [0u16; 30];
    build_codes(&lit_len, &mut lit_code);
    build_codes(&d_len, &mut d_code);
    write_symbols(w, blk, &lit_len, &lit_code, &d_len, &d_code, dyn_data);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_tables_agree_with_bases() {
        for len in 3..=258usize {
            let c = len_code(len);
            assert!(usize::from(LEN_BASE[c]) <= len, "len {len}");
            assert!(len - usize::from(LEN_BASE[c]) < 1 << LEN_EXTRA[c] || (c == 28 && len == 258), "len {len}");
        }
        for dist in 1..=32_768usize {
            let c = dist_code(dist);
            assert!(usize::from(DIST_BASE[c]) <= dist && dist - usize::from(DIST_BASE[c]) < 1 << DIST_EXTRA[c]);
        }
    }

    #[test]
    fn lengths_are_limited_and_complete() {
        // Fibonacci frequencies force a very deep optimal tree.
        let mut freq = [0u32; 30];
        let (mut a, mut b) = (1u32, 1u32);
        for f in freq.iter_mut() {
            *f = a;
            (a, b) = (b, a + b);
        }
        for limit in [7u32, 15] {
            let mut lens = [0u8; 30];
            build_lengths(&freq, limit, &mut lens);
            assert!(lens.iter().all(|&l| l >= 1 && u32::from(l) <= limit));
            let kraft: u64 = lens.iter().map(|&l| 1u64 << (limit - u32::from(l))).sum();
            assert_eq!(kraft, 1 << limit);
        }
    }
}
