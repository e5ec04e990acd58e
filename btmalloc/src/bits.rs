//! A fixed 512-bit set: the page maps of a chunk (one bit per 4 KiB page).
//!
//! Entry points: [`Bits512::find_run`], [`Bits512::set_range`],
//! [`Bits512::clear_range`], [`Bits512::next_run`]. Positions past 511 are
//! ignored by setters and read as clear.

/// Runs up to this long are searched a word at a time.
const SHORT_RUN: usize = 16;

/// 512 bits, bit `i` in word `i / 64` at position `i % 64`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bits512([u64; 8]);

impl Bits512 {
    /// Number of bits.
    pub(crate) const LEN: usize = 512;

    /// The set of bits `first..first + n`.
    pub(crate) fn range(first: usize, n: usize) -> Bits512 {
        let mut b = Bits512::default();
        b.set_range(first, n);
        b
    }

    /// Whether bit `i` is set.
    pub(crate) fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// Sets bits `first..first + n`.
    pub(crate) fn set_range(&mut self, first: usize, n: usize) {
        self.update(first, n, true);
    }

    /// Clears bits `first..first + n`.
    pub(crate) fn clear_range(&mut self, first: usize, n: usize) {
        self.update(first, n, false);
    }

    /// Sets or clears bits `first..first + n`, a word at a time.
    fn update(&mut self, first: usize, n: usize, set: bool) {
        let end = (first + n).min(Self::LEN);
        let mut i = first;
        while i < end {
            let off = i % 64;
            let k = (end - i).min(64 - off);
            let mask = if k == 64 { u64::MAX } else { ((1u64 << k) - 1) << off };
            if let Some(w) = self.0.get_mut(i / 64) {
                if set {
                    *w |= mask;
                } else {
                    *w &= !mask;
                }
            }
            i += k;
        }
    }

    /// The lowest clear bit, if any.
    pub(crate) fn first_clear(&self) -> Option<usize> {
        self.0.iter().enumerate().find(|(_, w)| **w != u64::MAX).map(|(i, w)| i * 64 + w.trailing_ones() as usize)
    }

    /// Bitwise and.
    pub(crate) fn and(&self, other: &Bits512) -> Bits512 {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0.iter()) {
            *a &= *b;
        }
        out
    }

    /// Number of set bits.
    pub(crate) fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// First set bit at or after `from`.
    fn next_set(&self, from: usize) -> Option<usize> {
        let mut i = from;
        while i < Self::LEN {
            let w = self.0.get(i / 64).copied().unwrap_or(0) >> (i % 64);
            if w != 0 {
                return Some(i + w.trailing_zeros() as usize);
            }
            i = (i / 64 + 1) * 64;
        }
        None
    }

    /// Length of the run of set bits starting at `from`, capped at `cap`.
    fn run_len(&self, from: usize, cap: usize) -> usize {
        let mut len = 0;
        while len < cap && from + len < Self::LEN {
            let i = from + len;
            let w = self.0.get(i / 64).copied().unwrap_or(0) >> (i % 64);
            let ones = (w.trailing_ones() as usize).min(64 - i % 64);
            len += ones;
            if ones < 64 - i % 64 {
                break;
            }
        }
        len.min(cap)
    }

    /// First position `>= from` starting `n` consecutive set bits.
    pub(crate) fn find_run(&self, n: usize, from: usize) -> Option<usize> {
        if (1..=SHORT_RUN).contains(&n) {
            return self.find_short_run(n, from);
        }
        let mut i = from;
        while i + n <= Self::LEN {
            i = self.next_set(i)?;
            if i + n > Self::LEN {
                return None;
            }
            let len = self.run_len(i, n);
            if len >= n {
                return Some(i);
            }
            i += len + 1;
        }
        None
    }

    /// [`Bits512::find_run`] for `1 <= n <= SHORT_RUN`, a word at a time:
    /// bit `i` of `starts` is set iff bits `i..i + n` all are (the run may
    /// reach into the next word), so the cost does not grow with the number
    /// of short runs in a fragmented mask.
    fn find_short_run(&self, n: usize, from: usize) -> Option<usize> {
        let first = from / 64;
        let mut k = first;
        while let Some(&w) = self.0.get(k) {
            let mut starts = if k == first { w & (u64::MAX << (from % 64)) } else { w };
            if starts != 0 {
                let next = self.0.get(k + 1).copied().unwrap_or(0);
                let mut s = 1;
                while s < n && starts != 0 {
                    starts &= (w >> s) | (next << (64 - s));
                    s += 1;
                }
                if starts != 0 {
                    // Bits past 511 read as clear, so a run found here
                    // ends inside the set.
                    return Some(k * 64 + starts.trailing_zeros() as usize);
                }
            }
            k += 1;
        }
        None
    }

    /// The first maximal run of set bits at or after `from`: `(start, len)`.
    pub(crate) fn next_run(&self, from: usize) -> Option<(usize, usize)> {
        let start = self.next_set(from)?;
        Some((start, self.run_len(start, Self::LEN)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_clear_is_the_lowest_clear_bit() {
        let mut b = Bits512::default();
        assert_eq!(b.first_clear(), Some(0));
        b.set_range(0, 70);
        assert_eq!(b.first_clear(), Some(70));
        b.clear_range(3, 1);
        assert_eq!(b.first_clear(), Some(3));
        b.set_range(0, Bits512::LEN);
        assert_eq!(b.first_clear(), None);
    }

    #[test]
    fn runs_are_found_across_word_boundaries() {
        let mut b = Bits512::default();
        b.set_range(60, 10);
        b.set_range(100, 3);
        b.set_range(200, 300);
        assert_eq!(b.count(), 313);
        assert_eq!(b.find_run(10, 0), Some(60));
        assert_eq!(b.find_run(11, 0), Some(200));
        assert_eq!(b.find_run(3, 65), Some(65));
        assert_eq!(b.find_run(300, 0), Some(200));
        assert_eq!(b.find_run(301, 0), None);
        assert_eq!(b.next_run(0), Some((60, 10)));
        assert_eq!(b.next_run(70), Some((100, 3)));
        assert_eq!(b.next_run(103), Some((200, 300)));
        b.clear_range(64, 2);
        assert!(!b.get(64) && b.get(63) && b.get(66));
        assert_eq!(b.find_run(4, 0), Some(60));
        assert_eq!(b.find_run(5, 0), Some(200));
        assert_eq!(Bits512::range(0, 512).count(), 512);
        assert_eq!(Bits512::range(5, 3).and(&Bits512::range(6, 9)).count(), 2);
    }

    #[test]
    fn find_run_matches_a_naive_scan() {
        let mut x = 0x1234_5678_9abc_def1u64;
        for _ in 0..200 {
            let mut b = Bits512::default();
            for _ in 0..40 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b.set_range((x % 512) as usize, (x >> 20) as usize % 40);
            }
            for n in [1, 2, 3, 4, 5, 15, 16, 17, 64, 100] {
                for from in [0, 1, 63, 64, 130, 300, 511] {
                    let naive = (from..=512 - n).find(|&s| (s..s + n).all(|i| b.get(i)));
                    assert_eq!(b.find_run(n, from), naive, "n = {n}, from = {from}");
                }
            }
        }
    }
}
