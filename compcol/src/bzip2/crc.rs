//! bzip2's CRC-32: the polynomial 0x04C11DB7 processed MSB first (not the
//! reflected zlib CRC), initial value and final XOR all ones, and the
//! stream CRC that folds every block CRC in with a one-bit rotation.
//!
//! Entry points: [`BlockCrc`], [`combine`].

/// 8 tables of 256 entries for slicing-by-8 over the MSB-first CRC.
static TABLES: [[u32; 256]; 8] = make_tables();

#[allow(clippy::indexing_slicing)] // i < 256, s < 8 and byte-valued indices
const fn make_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = (i as u32) << 24;
        let mut k = 0;
        while k < 8 {
            c = if c & 0x8000_0000 != 0 { (c << 1) ^ 0x04c1_1db7 } else { c << 1 };
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
            t[s][i] = (prev << 8) ^ t[0][(prev >> 24) as usize];
            i += 1;
        }
        s += 1;
    }
    t
}

/// A running block CRC.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlockCrc(u32);

impl BlockCrc {
    pub(crate) const fn new() -> Self {
        Self(0xffff_ffff)
    }

    /// Folds `data` in.
    #[allow(clippy::indexing_slicing)] // byte-valued indices into 256-entry tables
    pub(crate) fn update(&mut self, data: &[u8]) {
        let mut c = self.0;
        let mut chunks = data.chunks_exact(8);
        for ch in &mut chunks {
            let [a0, a1, a2, a3, b0, b1, b2, b3] = <[u8; 8]>::try_from(ch).unwrap_or([0; 8]);
            let hi = c ^ u32::from_be_bytes([a0, a1, a2, a3]);
            let [h0, h1, h2, h3] = hi.to_be_bytes();
            c = TABLES[7][h0 as usize]
                ^ TABLES[6][h1 as usize]
                ^ TABLES[5][h2 as usize]
                ^ TABLES[4][h3 as usize]
                ^ TABLES[3][b0 as usize]
                ^ TABLES[2][b1 as usize]
                ^ TABLES[1][b2 as usize]
                ^ TABLES[0][b3 as usize];
        }
        for &b in chunks.remainder() {
            c = (c << 8) ^ TABLES[0][((c >> 24) as u8 ^ b) as usize];
        }
        self.0 = c;
    }

    /// Folds `count` copies of `byte` in.
    #[allow(clippy::indexing_slicing)] // byte-valued indices into 256-entry tables
    pub(crate) fn update_repeat(&mut self, byte: u8, count: usize) {
        let mut c = self.0;
        for _ in 0..count {
            c = (c << 8) ^ TABLES[0][((c >> 24) as u8 ^ byte) as usize];
        }
        self.0 = c;
    }

    /// The block CRC as stored in the block header.
    pub(crate) const fn value(self) -> u32 {
        !self.0
    }
}

/// The stream CRC after one more block.
pub(crate) const fn combine(stream: u32, block: u32) -> u32 {
    stream.rotate_left(1) ^ block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value_and_split_updates() {
        // CRC-32/BZIP2 check value over "123456789".
        let mut c = BlockCrc::new();
        c.update(b"123456789");
        assert_eq!(c.value(), 0xfc89_1918);
        let mut d = BlockCrc::new();
        d.update(b"1234");
        d.update_repeat(b'5', 1);
        d.update(b"6789");
        assert_eq!(d.value(), 0xfc89_1918);
        assert_eq!(combine(0x8000_0001, 1), 2);
    }
}
