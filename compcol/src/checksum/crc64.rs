//! CRC-64/XZ (the ECMA-182 polynomial, reflected, with all-ones initial
//! value and final complement): the `.xz` container's CRC64 check.
//!
//! Entry points: [`Crc64`] (streaming) and [`crc64`] (one shot). The
//! kernel is slicing-by-8 over tables built at compile time, portable and
//! without `unsafe`.

/// The reflected ECMA-182 polynomial.
const POLY: u64 = 0xC96C_5795_D787_0F42;

// Compile-time table construction: indices are loop-bounded constants.
#[allow(clippy::indexing_slicing)]
const fn make_tables() -> [[u64; 256]; 8] {
    let mut t = [[0u64; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u64;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 { (c >> 1) ^ POLY } else { c >> 1 };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut s = 1;
    while s < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = t[s - 1][i];
            t[s][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            i += 1;
        }
        s += 1;
    }
    t
}

static TABLES: [[u64; 256]; 8] = make_tables();

#[inline(always)]
fn tab(s: usize, i: u64) -> u64 {
    TABLES.get(s).and_then(|t| t.get((i & 0xff) as usize)).copied().unwrap_or(0)
}

/// Feeds `data` into the raw (pre-complemented) register `state`.
fn update(mut state: u64, data: &[u8]) -> u64 {
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let v = state ^ u64::from_le_bytes(w);
        state = tab(7, v)
            ^ tab(6, v >> 8)
            ^ tab(5, v >> 16)
            ^ tab(4, v >> 24)
            ^ tab(3, v >> 32)
            ^ tab(2, v >> 40)
            ^ tab(1, v >> 48)
            ^ tab(0, v >> 56);
    }
    for &b in chunks.remainder() {
        state = (state >> 8) ^ tab(0, state ^ u64::from(b));
    }
    state
}

/// A streaming CRC-64/XZ state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crc64 {
    state: u64,
}

impl Default for Crc64 {
    fn default() -> Self {
        Self::new()
    }
}

impl Crc64 {
    /// The CRC of no bytes.
    #[must_use]
    pub const fn new() -> Self {
        Self { state: !0 }
    }

    /// Feeds `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.state = update(self.state, data);
    }

    /// The CRC of everything fed so far.
    #[must_use]
    pub const fn value(&self) -> u64 {
        !self.state
    }
}

/// CRC-64/XZ of `data`.
#[must_use]
pub fn crc64(data: &[u8]) -> u64 {
    let mut c = Crc64::new();
    c.update(data);
    c.value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value_of_the_catalogue() {
        // The CRC catalogue's check value for CRC-64/XZ over "123456789".
        assert_eq!(crc64(b"123456789"), 0x995D_C9BB_DF19_39FA);
        assert_eq!(crc64(b""), 0);
    }

    #[test]
    fn streaming_matches_one_shot_at_every_split() {
        let data: alloc::vec::Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        let whole = crc64(&data);
        for split in 0..data.len() {
            let mut c = Crc64::new();
            c.update(&data[..split]);
            c.update(&data[split..]);
            assert_eq!(c.value(), whole, "split {split}");
        }
    }
}
