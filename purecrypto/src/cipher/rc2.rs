//! RC2 (RFC 2268), for reading legacy PKCS #12 files only (`openssl
//! pkcs12 -legacy` encrypts certificates with pbeWithSHAAnd40BitRC2-CBC).
//!
//! Entry point: [`Rc2::new`] then [`Rc2::decrypt_block`]. Legacy and
//! crate-private: key expansion indexes PITABLE with key bytes and the
//! mashing rounds index the key schedule with data, so this is not
//! constant-time; a 40-bit effective key is no protection at all.

use zeroize::Zeroize;

/// RFC 2268 section 2: a permutation of 0..=255 based on the digits of pi.
const PITABLE: [u8; 256] = [
    0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed, 0x28, 0xe9, 0xfd, 0x79, 0x4a, 0xa0, 0xd8, 0x9d, 0xc6, 0x7e, 0x37,
    0x83, 0x2b, 0x76, 0x53, 0x8e, 0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2, 0x17, 0x9a, 0x59, 0xf5, 0x87, 0xb3,
    0x4f, 0x13, 0x61, 0x45, 0x6d, 0x8d, 0x09, 0x81, 0x7d, 0x32, 0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b, 0x0b, 0xf0,
    0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82, 0x54, 0xd6, 0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c, 0x73, 0x56, 0xc0, 0x14,
    0xa7, 0x8c, 0xf1, 0xdc, 0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1, 0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6,
    0x26, 0x6f, 0xbf, 0x0e, 0xda, 0x46, 0x69, 0x07, 0x57, 0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94, 0x43, 0x03, 0xf8, 0x11,
    0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7, 0x06, 0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7, 0x08, 0xe8, 0xea, 0xde, 0x80,
    0x52, 0xee, 0xf7, 0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a, 0x2a, 0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74,
    0x4b, 0x9f, 0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec, 0xc2, 0xe0, 0x41, 0x6e, 0x0f, 0x51, 0xcb, 0xcc, 0x24, 0x91, 0xaf,
    0x50, 0xa1, 0xf4, 0x70, 0x39, 0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a, 0xfc, 0x02, 0x36, 0x5b, 0x25, 0x55,
    0x97, 0x31, 0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a, 0x92, 0xae, 0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9, 0xd3,
    0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c, 0x63, 0x16, 0x01, 0x3f, 0x58, 0xe2, 0x89, 0xa9, 0x0d, 0x38, 0x34, 0x1b,
    0xab, 0x33, 0xff, 0xb0, 0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e, 0xc5, 0xf3, 0xdb, 0x47, 0xe5, 0xa5, 0x9c,
    0x77, 0x0a, 0xa6, 0x20, 0x68, 0xfe, 0x7f, 0xc1, 0xad,
];

/// Rotation amounts of the four words in a mixing round.
const ROTATIONS: [u32; 4] = [1, 2, 3, 5];

fn pitable(i: u8) -> u8 {
    PITABLE.get(usize::from(i)).copied().unwrap_or(0)
}

/// An expanded RC2 key: 64 sixteen-bit words.
pub(crate) struct Rc2 {
    k: [u16; 64],
}

impl Rc2 {
    // Indices into the 128-byte L stay in range: t <= i < 128 in the
    // first loop, t8 <= 128 below.
    #[allow(clippy::indexing_slicing)]
    /// Expands a 1..=128-byte key to `effective_bits` (1..=1024) bits;
    /// `None` when either is out of range.
    pub(crate) fn new(key: &[u8], effective_bits: usize) -> Option<Self> {
        if key.is_empty() || key.len() > 128 || !(1..=1024).contains(&effective_bits) {
            return None;
        }
        let mut l = [0u8; 128];
        l.get_mut(..key.len())?.copy_from_slice(key);
        let t = key.len();
        for i in t..128 {
            l[i] = pitable(l[i - 1].wrapping_add(l[i - t]));
        }
        let t8 = effective_bits.div_ceil(8);
        let tm = (255u32 >> (8 * t8 - effective_bits)) as u8;
        l[128 - t8] = pitable(l[128 - t8] & tm);
        for i in (0..128 - t8).rev() {
            l[i] = pitable(l[i + 1] ^ l[i + t8]);
        }
        let mut k = [0u16; 64];
        for (word, pair) in k.iter_mut().zip(l.chunks_exact(2)) {
            *word = u16::from_le_bytes([pair[0], pair[1]]);
        }
        l.zeroize();
        Some(Self { k })
    }

    fn key(&self, i: usize) -> u16 {
        self.k.get(i & 63).copied().unwrap_or(0)
    }

    /// Encrypts one block (tests check it against OpenSSL).
    #[cfg(test)]
    #[allow(clippy::indexing_slicing)]
    pub(crate) fn encrypt_block(&self, block: &mut [u8; 8]) {
        let mut r = words(block);
        let mut j = 0;
        for round in 0..16 {
            for i in 0..4 {
                let mixed = r[i]
                    .wrapping_add(self.key(j))
                    .wrapping_add(r[(i + 3) % 4] & r[(i + 2) % 4])
                    .wrapping_add(!r[(i + 3) % 4] & r[(i + 1) % 4]);
                r[i] = mixed.rotate_left(ROTATIONS[i]);
                j += 1;
            }
            if round == 4 || round == 10 {
                for i in 0..4 {
                    r[i] = r[i].wrapping_add(self.key(usize::from(r[(i + 3) % 4])));
                }
            }
        }
        *block = bytes(r);
    }

    /// Decrypts one block: the rounds of RFC 2268 section 4 in reverse.
    // Word indices are below 4 (`i` and `(i + n) % 4`).
    #[allow(clippy::indexing_slicing)]
    pub(crate) fn decrypt_block(&self, block: &mut [u8; 8]) {
        let mut r = words(block);
        let mut j = 63usize;
        for round in (0..16).rev() {
            if round == 4 || round == 10 {
                for i in (0..4).rev() {
                    r[i] = r[i].wrapping_sub(self.key(usize::from(r[(i + 3) % 4])));
                }
            }
            for i in (0..4).rev() {
                r[i] = r[i]
                    .rotate_right(ROTATIONS[i])
                    .wrapping_sub(self.key(j))
                    .wrapping_sub(r[(i + 3) % 4] & r[(i + 2) % 4])
                    .wrapping_sub(!r[(i + 3) % 4] & r[(i + 1) % 4]);
                j = j.wrapping_sub(1);
            }
        }
        *block = bytes(r);
    }
}

impl Drop for Rc2 {
    fn drop(&mut self) {
        self.k.zeroize();
    }
}

fn words(block: &[u8; 8]) -> [u16; 4] {
    let [a, b, c, d, e, f, g, h] = *block;
    [u16::from_le_bytes([a, b]), u16::from_le_bytes([c, d]), u16::from_le_bytes([e, f]), u16::from_le_bytes([g, h])]
}

fn bytes(r: [u16; 4]) -> [u8; 8] {
    let [a, b] = r[0].to_le_bytes();
    let [c, d] = r[1].to_le_bytes();
    let [e, f] = r[2].to_le_bytes();
    let [g, h] = r[3].to_le_bytes();
    [a, b, c, d, e, f, g, h]
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn pitable_is_a_permutation() {
        let mut seen = [false; 256];
        for &v in &PITABLE {
            seen[usize::from(v)] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }

    /// RFC 2268 section 5 vectors, and `openssl enc -rc2-40-cbc` with a
    /// zero IV (the PKCS #12 legacy cipher).
    #[test]
    fn known_answers() {
        type Case<'a> = (&'a [u8], usize, [u8; 8], [u8; 8]);
        let cases: [Case<'_>; 3] = [
            (&hex!("88bca90e90875a7f0f79c384627bafb2"), 128, [0; 8], hex!("2269552ab0f85ca6")),
            (&hex!("0000000000000000"), 63, [0; 8], hex!("ebb773f993278eff")),
            (&hex!("0102030405"), 40, [0; 8], hex!("269b2c0070a1cb64")),
        ];
        for (key, bits, plain, cipher) in cases {
            let rc2 = Rc2::new(key, bits).unwrap();
            let mut block = plain;
            rc2.encrypt_block(&mut block);
            assert_eq!(block, cipher, "key {key:02x?}");
            rc2.decrypt_block(&mut block);
            assert_eq!(block, plain);
        }
        assert!(Rc2::new(&[], 40).is_none());
    }
}
