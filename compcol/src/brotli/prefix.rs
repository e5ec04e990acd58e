//! Prefix codes on the encoder side: length-limited Huffman code lengths
//! from symbol counts and their serialisation as a simple or complex
//! prefix code (RFC 7932 sections 3.4 and 3.5).
//!
//! Entry points: [`Code::build`], [`Code::write`], [`BitWriter`].

use super::tables::CODE_LENGTH_ORDER;
use alloc::collections::BinaryHeap;
use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Reverse;

/// LSB-first bit packing into a growing buffer.
#[derive(Debug, Clone, Default)]
pub(crate) struct BitWriter {
    pub(crate) out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    /// Appends the low `n` (<= 32) bits of `v`.
    #[inline]
    pub(crate) fn put(&mut self, n: u32, v: u32) {
        self.acc |= u64::from(v) << self.n;
        self.n += n;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Pads with zero bits to a byte boundary.
    pub(crate) fn align(&mut self) {
        if self.n > 0 {
            self.put(8 - self.n, 0);
        }
    }

    /// A position to return to with [`Self::rewind`].
    pub(crate) fn save(&self) -> (usize, u64, u32) {
        (self.out.len(), self.acc, self.n)
    }

    pub(crate) fn rewind(&mut self, s: (usize, u64, u32)) {
        self.out.truncate(s.0);
        self.acc = s.1;
        self.n = s.2;
    }

    /// Whole bytes written since `s`.
    pub(crate) fn since(&self, s: (usize, u64, u32)) -> usize {
        self.out.len() - s.0
    }
}

/// Huffman code lengths for `freq`, none longer than `limit`.
fn lengths(freq: &[u32], limit: u8) -> Vec<u8> {
    let mut f: Vec<u32> = freq.to_vec();
    loop {
        let lens = huffman(&f);
        if lens.iter().all(|&l| l <= limit) {
            return lens;
        }
        for x in &mut f {
            if *x > 0 {
                *x = (*x >> 1).max(1);
            }
        }
    }
}

/// Unlimited Huffman code lengths (0 for unused symbols; a lone symbol
/// gets length 1).
fn huffman(freq: &[u32]) -> Vec<u8> {
    let mut lens = vec![0u8; freq.len()];
    let leaves: Vec<usize> = (0..freq.len()).filter(|&i| freq.get(i).copied().unwrap_or(0) > 0).collect();
    if leaves.len() == 1 {
        if let Some(&i) = leaves.first()
            && let Some(l) = lens.get_mut(i)
        {
            *l = 1;
        }
        return lens;
    }
    // Nodes 0..n are the leaves; internal nodes follow. `parent` links.
    let mut parent: Vec<usize> = vec![usize::MAX; leaves.len()];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    for (node, &sym) in leaves.iter().enumerate() {
        heap.push(Reverse((u64::from(freq.get(sym).copied().unwrap_or(0)), node)));
    }
    while heap.len() > 1 {
        let (Some(Reverse((wa, a))), Some(Reverse((wb, b)))) = (heap.pop(), heap.pop()) else { break };
        let node = parent.len();
        parent.push(usize::MAX);
        if let Some(p) = parent.get_mut(a) {
            *p = node;
        }
        if let Some(p) = parent.get_mut(b) {
            *p = node;
        }
        heap.push(Reverse((wa + wb, node)));
    }
    let mut depth = vec![0u8; parent.len()];
    for node in (0..parent.len()).rev() {
        let p = parent.get(node).copied().unwrap_or(usize::MAX);
        if p != usize::MAX {
            let d = depth.get(p).copied().unwrap_or(0).saturating_add(1);
            if let Some(x) = depth.get_mut(node) {
                *x = d;
            }
        }
    }
    for (node, &sym) in leaves.iter().enumerate() {
        if let Some(l) = lens.get_mut(sym) {
            *l = depth.get(node).copied().unwrap_or(0);
        }
    }
    lens
}

/// Canonical codes for `lens`, bit-reversed for LSB-first writing.
fn canonical(lens: &[u8]) -> Vec<u16> {
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
        code = (code + count.get(l - 1).copied().unwrap_or(0)) << 1;
        if let Some(n) = next.get_mut(l) {
            *n = code;
        }
    }
    lens.iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let slot = next.get_mut(usize::from(l));
            let c = slot.map_or(0, |s| {
                let c = *s;
                *s += 1;
                c
            });
            c.reverse_bits() >> (16 - u32::from(l))
        })
        .collect()
}

/// Bits a simple code spends per symbol of an alphabet of `size`.
fn alphabet_bits(size: usize) -> u32 {
    let mut b = 0;
    while (1usize << b) < size {
        b += 1;
    }
    b
}

/// A prefix code for one alphabet, as the encoder writes symbols with it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Code {
    lens: Vec<u8>,
    codes: Vec<u16>,
    /// The symbol of a one-symbol code.
    single: usize,
}

impl Code {
    /// The code for the symbol counts `freq`.
    pub(crate) fn build(freq: &[u32]) -> Self {
        let mut lens = lengths(freq, 15);
        let used = lens.iter().filter(|&&l| l > 0).count();
        let single = lens.iter().position(|&l| l > 0).unwrap_or(0);
        if used <= 1 {
            // A one-symbol code spends zero bits per symbol.
            lens.iter_mut().for_each(|l| *l = 0);
        }
        let codes = canonical(&lens);
        Self { lens, codes, single }
    }

    /// Writes symbol `s`.
    #[inline]
    pub(crate) fn put(&self, w: &mut BitWriter, s: usize) {
        let l = self.lens.get(s).copied().unwrap_or(0);
        w.put(u32::from(l), u32::from(self.codes.get(s).copied().unwrap_or(0)));
    }

    /// Bits symbol `s` costs.
    #[inline]
    pub(crate) fn cost(&self, s: usize) -> u32 {
        u32::from(self.lens.get(s).copied().unwrap_or(0))
    }

    /// Writes the code's description (section 3.2).
    pub(crate) fn write(&self, w: &mut BitWriter) {
        let size = self.lens.len();
        let mut used: Vec<(u8, usize)> =
            self.lens.iter().enumerate().filter(|(_, l)| **l > 0).map(|(s, &l)| (l, s)).collect();
        if used.len() <= 4 {
            if used.is_empty() {
                // One symbol (or none used): the first used one, else 0.
                w.put(2, 1);
                w.put(2, 0);
                w.put(alphabet_bits(size), self.single as u32);
                return;
            }
            used.sort_unstable();
            w.put(2, 1);
            w.put(2, used.len() as u32 - 1);
            for &(_, s) in &used {
                w.put(alphabet_bits(size), s as u32);
            }
            if used.len() == 4 {
                w.put(1, u32::from(used.first().is_some_and(|&(l, _)| l == 1)));
            }
            return;
        }
        self.write_complex(w);
    }

    fn write_complex(&self, w: &mut BitWriter) {
        let last = self.lens.iter().rposition(|&l| l > 0).unwrap_or(0);
        let tokens = rle(self.lens.get(..=last).unwrap_or(&[]));
        let mut freq = [0u32; 18];
        for &(code, _) in &tokens {
            if let Some(f) = freq.get_mut(usize::from(code)) {
                *f += 1;
            }
        }
        let mut cl = lengths(&freq, 5);
        let single = cl.iter().filter(|&&l| l > 0).count() == 1;
        // The fixed code for code length code lengths, LSB-first.
        const FIXED: [(u32, u32); 6] = [(2, 0), (4, 7), (3, 3), (2, 2), (2, 1), (4, 15)];
        w.put(2, 0);
        let mut space = 32i32;
        for &sym in &CODE_LENGTH_ORDER {
            let l = cl.get(sym).copied().unwrap_or(0);
            let (n, v) = FIXED.get(usize::from(l)).copied().unwrap_or((2, 0));
            w.put(n, v);
            if l > 0 {
                space -= 32 >> l;
                if space <= 0 && !single {
                    break;
                }
            }
        }
        if single {
            cl.iter_mut().for_each(|l| *l = 0);
        }
        let codes = canonical(&cl);
        for &(code, extra) in &tokens {
            let c = usize::from(code);
            w.put(u32::from(cl.get(c).copied().unwrap_or(0)), u32::from(codes.get(c).copied().unwrap_or(0)));
            match code {
                16 => w.put(2, u32::from(extra)),
                17 => w.put(3, u32::from(extra)),
                _ => {}
            }
        }
    }
}

/// Run-length tokens (code 0..=17, extra bits) for code lengths.
fn rle(lens: &[u8]) -> Vec<(u8, u8)> {
    let mut out = Vec::new();
    let mut prev = 8u8;
    let mut i = 0;
    while i < lens.len() {
        let l = lens.get(i).copied().unwrap_or(0);
        let run = lens.get(i..).unwrap_or(&[]).iter().take_while(|&&x| x == l).count();
        if l == 0 {
            if run >= 3 {
                repeat(&mut out, 17, 8, run);
            } else {
                out.extend(core::iter::repeat_n((0, 0), run));
            }
            i += run;
        } else if l == prev && run >= 3 {
            repeat(&mut out, 16, 4, run);
            i += run;
        } else {
            out.push((l, 0));
            prev = l;
            let rest = run - 1;
            if rest >= 3 {
                repeat(&mut out, 16, 4, rest);
            } else {
                out.extend(core::iter::repeat_n((l, 0), rest));
            }
            i += run;
        }
    }
    out
}

/// A run of `run` (>= 3) as consecutive repeat codes: the digits of
/// `run - 2` in bijective base `radix`, most significant first.
fn repeat(out: &mut Vec<(u8, u8)>, code: u8, radix: usize, run: usize) {
    let mut digits = Vec::new();
    let mut n = run - 2;
    while n > 0 {
        let d = (n - 1) % radix + 1;
        digits.push(d);
        n = (n - d) / radix;
    }
    for &d in digits.iter().rev() {
        out.push((code, (d - 1) as u8));
    }
}
