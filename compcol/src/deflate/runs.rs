//! Byte-run measurements for the hash-chain walk.
//!
//! Entry points: [`splat`], [`run_forward`] and [`run_start`]. Inside a
//! long run of one byte every position hashes alike and links to the
//! position before it, so a chain walk from a position that starts a run
//! of `r` bytes spends one step per byte of each older run, although at
//! most one position per run (the one `r` bytes before the run's end) can
//! match further than the run. The match finder uses these helpers to
//! visit only that position and then jump past the run's start.

/// `b` in all eight bytes.
#[inline(always)]
pub(crate) const fn splat(b: u8) -> u64 {
    (b as u64) * 0x0101_0101_0101_0101
}

/// Little-endian u64 at `at` (0 past the end of `win`).
#[inline(always)]
pub(crate) fn read_u64(win: &[u8], at: usize) -> u64 {
    match win.get(at..at + 8) {
        Some(&[a, b, c, d, e, f, g, h]) => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => 0,
    }
}

/// How many bytes from `at` equal the byte in `pat` (a [`splat`]), up to
/// `cap`. The count stops short of the end of `win` (the encoder's window
/// has slack past its data, so it never gets there).
#[inline(always)]
pub(crate) fn run_forward(win: &[u8], at: usize, pat: u64, cap: usize) -> usize {
    let mut n = 0;
    while n < cap {
        let x = read_u64(win, at + n) ^ pat;
        if x != 0 {
            return (n + (x.trailing_zeros() / 8) as usize).min(cap);
        }
        n += 8;
    }
    cap
}

/// The lowest `q >= floor.max(at - cap)` such that every byte of
/// `win[q..=at]` equals the byte in `pat`, given that `win[at]` does and
/// `at >= floor`. The cap bounds the work per chain step on very long
/// runs: the walk then resumes inside the run, `cap` bytes further back.
#[inline(always)]
pub(crate) fn run_start(win: &[u8], at: usize, pat: u64, floor: usize, cap: usize) -> usize {
    let floor = floor.max(at.saturating_sub(cap));
    let mut q = at;
    // 32 bytes per test while the run goes on.
    while q >= floor + 32 {
        let x = (read_u64(win, q - 32) ^ pat)
            | (read_u64(win, q - 24) ^ pat)
            | (read_u64(win, q - 16) ^ pat)
            | (read_u64(win, q - 8) ^ pat);
        if x != 0 {
            break;
        }
        q -= 32;
    }
    while q >= floor + 8 {
        // Bytes q-8..q, the nearest one in the top byte.
        let x = read_u64(win, q - 8) ^ pat;
        if x != 0 {
            return q - (x.leading_zeros() / 8) as usize;
        }
        q -= 8;
    }
    let b = pat as u8;
    while q > floor && win.get(q - 1) == Some(&b) {
        q -= 1;
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_counts_up_to_the_first_other_byte_or_cap() {
        let mut w = [7u8; 40];
        w[3] = 1;
        w[30] = 1;
        assert_eq!(run_forward(&w, 4, splat(7), 100), 26);
        assert_eq!(run_forward(&w, 4, splat(7), 10), 10);
        assert_eq!(run_forward(&w, 3, splat(7), 100), 0);
        // Never reads past the end: the last partial word is not counted.
        assert_eq!(run_forward(&w, 31, splat(7), 100), 8);
    }

    #[test]
    fn start_finds_the_first_byte_of_the_run_above_floor() {
        let mut w = [0u8; 64];
        for b in w.iter_mut().take(50).skip(5) {
            *b = 9;
        }
        for at in 5..50 {
            assert_eq!(run_start(&w, at, splat(9), 0, usize::MAX), 5, "at {at}");
            if at >= 20 {
                assert_eq!(run_start(&w, at, splat(9), 20, usize::MAX), 20, "at {at}");
            }
        }
        assert_eq!(run_start(&w, 40, splat(9), 33, usize::MAX), 33);
        assert_eq!(run_start(&w, 5, splat(9), 0, usize::MAX), 5);
        // A run reaching the start of the window.
        assert_eq!(run_start(&[3u8; 20], 19, splat(3), 0, usize::MAX), 0);
        // The cap stops the scan inside a long run.
        let long = [4u8; 300];
        assert_eq!(run_start(&long, 299, splat(4), 0, 100), 199);
        assert_eq!(run_start(&long, 299, splat(4), 250, 100), 250);
    }
}
