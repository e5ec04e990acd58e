//! bzip2's canonical Huffman codes: decoding tables built from code
//! lengths (1..=20 bits, MSB first), and the encoder's code-length builder.
//!
//! Entry points: [`DecodeTable`] and [`code_lengths`] / [`assign_codes`].
//!
//! Codes are canonical: shorter codes first, and within one length in
//! symbol order. The encoder's lengths come from a binary min-heap
//! Huffman build whose node weights carry the subtree depth in their low
//! byte (so equal frequencies prefer the shallower subtree); when a code
//! would exceed the length limit every frequency is halved (`1 + f/2`)
//! and the build repeats. This exact procedure is what makes our output
//! byte-identical to libbzip2's.

use super::MAX_ALPHA;

/// The longest code the format allows.
pub(crate) const MAX_CODE_LEN: usize = 20;
/// Bits resolved by one table look-up.
const FAST_BITS: u32 = 10;

/// A decoding table for one code.
#[derive(Debug, Clone)]
pub(crate) struct DecodeTable {
    /// `(symbol << 5) | length` for codes of at most `FAST_BITS` bits,
    /// indexed by the next `FAST_BITS` bits; 0 means "longer or invalid".
    fast: [u16; 1 << FAST_BITS],
    /// For each length: the first canonical code of that length.
    first_code: [u32; MAX_CODE_LEN + 1],
    /// For each length: the index in `sorted` of its first symbol.
    first_index: [u16; MAX_CODE_LEN + 1],
    /// For each length: how many codes have it.
    count: [u16; MAX_CODE_LEN + 1],
    /// Symbols in canonical order.
    sorted: [u16; MAX_ALPHA],
}

impl DecodeTable {
    pub(crate) const fn empty() -> Self {
        Self {
            fast: [0; 1 << FAST_BITS],
            first_code: [0; MAX_CODE_LEN + 1],
            first_index: [0; MAX_CODE_LEN + 1],
            count: [0; MAX_CODE_LEN + 1],
            sorted: [0; MAX_ALPHA],
        }
    }

    /// Builds the table for `lengths` (each 1..=20). Returns `false` when
    /// the lengths over-subscribe the code space (no prefix code has
    /// them). Incomplete codes are accepted; their unused bit patterns
    /// decode to `None`.
    #[allow(clippy::indexing_slicing)] // lengths index 1..=MAX_CODE_LEN arrays of MAX_CODE_LEN + 1
    pub(crate) fn build(&mut self, lengths: &[u8]) -> bool {
        self.count = [0; MAX_CODE_LEN + 1];
        for &l in lengths {
            if let Some(c) = self.count.get_mut(usize::from(l)) {
                *c += 1;
            }
        }
        self.count[0] = 0;
        let mut code = 0u32;
        let mut index = 0u16;
        for len in 1..=MAX_CODE_LEN {
            code <<= 1;
            self.first_code[len] = code;
            self.first_index[len] = index;
            code += u32::from(self.count[len]);
            index += self.count[len];
            if code > 1 << len {
                return false;
            }
        }
        let mut next = self.first_index;
        for (sym, &l) in lengths.iter().enumerate() {
            if let Some(slot) = next.get_mut(usize::from(l)) {
                if let Some(s) = self.sorted.get_mut(usize::from(*slot)) {
                    *s = sym as u16;
                }
                *slot += 1;
            }
        }
        self.fast = [0; 1 << FAST_BITS];
        for len in 1..=FAST_BITS as usize {
            for k in 0..u32::from(self.count[len]) {
                let code = self.first_code[len] + k;
                let sym = self.sorted.get(usize::from(self.first_index[len]) + k as usize).copied().unwrap_or(0);
                let shift = FAST_BITS - len as u32;
                let base = (code << shift) as usize;
                for e in self.fast.iter_mut().skip(base).take(1 << shift) {
                    *e = (sym << 5) | len as u16;
                }
            }
        }
        true
    }

    /// Decodes one symbol from the next 20 bits `peek` (MSB aligned to bit
    /// 19): `(symbol, length)`, or `None` for an unused bit pattern.
    #[inline]
    #[allow(clippy::indexing_slicing)] // len <= MAX_CODE_LEN indexes arrays of MAX_CODE_LEN + 1
    pub(crate) fn decode(&self, peek20: u32) -> Option<(u16, u32)> {
        let e = self.fast.get((peek20 >> (20 - FAST_BITS)) as usize).copied().unwrap_or(0);
        if e != 0 {
            return Some((e >> 5, u32::from(e & 31)));
        }
        for len in (FAST_BITS as usize + 1)..=MAX_CODE_LEN {
            let code = peek20 >> (20 - len);
            let off = code.wrapping_sub(self.first_code[len]);
            if off < u32::from(self.count[len]) {
                let sym = self.sorted.get(usize::from(self.first_index[len]) + off as usize).copied()?;
                return Some((sym, len as u32));
            }
        }
        None
    }
}

/// Fills `lengths` with Huffman code lengths for `freq` (zero frequencies
/// count as one), none longer than `max_len`, exactly as libbzip2 builds
/// them (see the module doc).
#[allow(clippy::indexing_slicing, clippy::needless_range_loop)] // nodes < 2 * MAX_ALPHA + 2, heap slots <= n
pub(crate) fn code_lengths(lengths: &mut [u8], freq: &[u32], max_len: u32) {
    let n = freq.len().min(lengths.len());
    if n == 0 {
        return;
    }
    // Nodes 1..=n are leaves, n+1.. are internal; node 0 is the heap's
    // sentinel with weight 0.
    let mut weight = [0u32; 2 * MAX_ALPHA + 2];
    let mut parent = [0i32; 2 * MAX_ALPHA + 2];
    let mut heap = [0usize; MAX_ALPHA + 2];
    for (i, &f) in freq.iter().take(n).enumerate() {
        weight[i + 1] = f.max(1) << 8;
    }
    loop {
        let mut n_nodes = n;
        let mut n_heap = 0usize;
        heap[0] = 0;
        weight[0] = 0;
        parent[0] = -2;
        for i in 1..=n {
            parent[i] = -1;
            n_heap += 1;
            heap[n_heap] = i;
            up_heap(&mut heap, &weight, n_heap);
        }
        while n_heap > 1 {
            let n1 = heap[1];
            heap[1] = heap[n_heap];
            n_heap -= 1;
            down_heap(&mut heap, &weight, n_heap, 1);
            let n2 = heap[1];
            heap[1] = heap[n_heap];
            n_heap -= 1;
            down_heap(&mut heap, &weight, n_heap, 1);
            n_nodes += 1;
            parent[n1] = n_nodes as i32;
            parent[n2] = n_nodes as i32;
            weight[n_nodes] = add_weights(weight[n1], weight[n2]);
            parent[n_nodes] = -1;
            n_heap += 1;
            heap[n_heap] = n_nodes;
            up_heap(&mut heap, &weight, n_heap);
        }
        let mut too_long = false;
        for i in 1..=n {
            let mut depth = 0u32;
            let mut k = i;
            while let Ok(p) = usize::try_from(parent[k]) {
                k = p;
                depth += 1;
            }
            lengths[i - 1] = depth as u8;
            too_long |= depth > max_len;
        }
        if !too_long {
            return;
        }
        for w in weight.iter_mut().take(n + 1).skip(1) {
            *w = (1 + (*w >> 8) / 2) << 8;
        }
    }
}

/// Sum of two node weights: frequencies add in the high 24 bits, the low
/// byte is one more than the deeper subtree.
const fn add_weights(a: u32, b: u32) -> u32 {
    let depth = if a & 0xff > b & 0xff { a & 0xff } else { b & 0xff };
    ((a & 0xffff_ff00) + (b & 0xffff_ff00)) | (1 + depth)
}

#[allow(clippy::indexing_slicing)] // positions stay within 1..=n_heap by construction
fn up_heap(heap: &mut [usize], weight: &[u32], mut z: usize) {
    let tmp = heap[z];
    while weight[tmp] < weight[heap[z >> 1]] {
        heap[z] = heap[z >> 1];
        z >>= 1;
    }
    heap[z] = tmp;
}

#[allow(clippy::indexing_slicing)] // positions stay within 1..=n_heap by construction
fn down_heap(heap: &mut [usize], weight: &[u32], n_heap: usize, mut z: usize) {
    let tmp = heap[z];
    loop {
        let mut y = z << 1;
        if y > n_heap {
            break;
        }
        if y < n_heap && weight[heap[y + 1]] < weight[heap[y]] {
            y += 1;
        }
        if weight[tmp] < weight[heap[y]] {
            break;
        }
        heap[z] = heap[y];
        z = y;
    }
    heap[z] = tmp;
}

/// Canonical codes for `lengths`: shorter first, symbol order within a
/// length.
pub(crate) fn assign_codes(codes: &mut [u32], lengths: &[u8]) {
    let mut code = 0u32;
    for len in 1..=MAX_CODE_LEN as u8 {
        for (c, &l) in codes.iter_mut().zip(lengths) {
            if l == len {
                *c = code;
                code += 1;
            }
        }
        code <<= 1;
    }
}
