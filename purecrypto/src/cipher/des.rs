//! DES and two- and three-key triple DES (FIPS 46-3, SP 800-67), for
//! reading legacy PKCS #12 files only (`openssl pkcs12 -legacy` shrouds
//! keys with pbeWithSHAAnd3-KeyTripleDES-CBC).
//!
//! Entry point: [`TripleDes::new`] then [`TripleDes::decrypt_block`].
//! Legacy and deliberately crate-private: the S-box lookups index tables
//! with key-dependent data, so this code is not constant-time, and the
//! 64-bit block is too small for new designs. It is written for clarity
//! (bit permutations straight from the standard's tables), not speed.

use zeroize::Zeroize;

/// Initial permutation (bit numbers from 1 = most significant).
const IP: [u8; 64] = [
    58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32,
    24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47,
    39, 31, 23, 15, 7,
];
/// Expansion of the 32-bit half to 48 bits.
const E: [u8; 48] = [
    32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17, 16, 17, 18, 19, 20, 21, 20, 21,
    22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];
/// Permutation after the S-boxes.
const P: [u8; 32] = [
    16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4,
    25,
];
/// Permuted choice 1: 56 key bits (parity bits dropped).
const PC1: [u8; 56] = [
    57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, 63, 55,
    47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
/// Permuted choice 2: 48 bits of each round key.
const PC2: [u8; 48] = [
    14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30,
    40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
/// Left rotations of the key halves per round.
const SHIFTS: [u32; 16] = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
/// The eight S-boxes, each four rows of sixteen.
const S: [[u8; 64]; 8] = [
    [
        14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8, 4,
        1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
    ],
    [
        15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5, 0,
        14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
    ],
    [
        10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1, 13,
        6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
    ],
    [
        7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9, 10,
        6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
    ],
    [
        2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6, 4,
        2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
    ],
    [
        12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8, 9,
        14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
    ],
    [
        4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6, 1,
        4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
    ],
    [
        13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2, 7,
        11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
    ],
];

/// Output bit `i` (from the most significant of `table.len()` bits) is
/// input bit `table[i]`, counted from 1 at the most significant of
/// `width` bits.
fn permute(input: u64, width: u32, table: &[u8]) -> u64 {
    table.iter().fold(0u64, |acc, &bit| (acc << 1) | ((input >> (width - u32::from(bit))) & 1))
}

/// The round function: expand, mix in the round key, S-boxes, permute.
fn feistel(half: u32, round_key: u64) -> u32 {
    let mixed = permute(u64::from(half), 32, &E) ^ round_key;
    let mut out = 0u32;
    for (i, sbox) in S.iter().enumerate() {
        let six = ((mixed >> (42 - 6 * i)) & 0x3f) as usize;
        let row = ((six >> 4) & 2) | (six & 1);
        let column = (six >> 1) & 0xf;
        out = (out << 4) | u32::from(sbox.get(row * 16 + column).copied().unwrap_or(0));
    }
    permute(u64::from(out), 32, &P) as u32
}

/// One DES key's sixteen 48-bit round keys.
#[derive(Clone)]
struct Des {
    round_keys: [u64; 16],
}

impl Des {
    fn new(key: [u8; 8]) -> Self {
        let cd = permute(u64::from_be_bytes(key), 64, &PC1);
        let (mut c, mut d) = ((cd >> 28) as u32, (cd & 0x0fff_ffff) as u32);
        let mut round_keys = [0u64; 16];
        for (round_key, &shift) in round_keys.iter_mut().zip(&SHIFTS) {
            c = ((c << shift) | (c >> (28 - shift))) & 0x0fff_ffff;
            d = ((d << shift) | (d >> (28 - shift))) & 0x0fff_ffff;
            *round_key = permute((u64::from(c) << 28) | u64::from(d), 56, &PC2);
        }
        Self { round_keys }
    }

    /// Sixteen rounds with the keys in the given order (reversed to
    /// decrypt), between the initial and final permutations.
    fn crypt<'a>(block: u64, keys: impl Iterator<Item = &'a u64>) -> u64 {
        let permuted = permute(block, 64, &IP);
        let (mut left, mut right) = ((permuted >> 32) as u32, permuted as u32);
        for &key in keys {
            (left, right) = (right, left ^ feistel(right, key));
        }
        let preoutput = (u64::from(right) << 32) | u64::from(left);
        // The final permutation is the inverse of IP.
        let mut out = 0u64;
        for (i, &bit) in IP.iter().enumerate() {
            out |= ((preoutput >> (63 - i)) & 1) << (64 - u32::from(bit));
        }
        out
    }

    fn encrypt(&self, block: u64) -> u64 {
        Self::crypt(block, self.round_keys.iter())
    }

    fn decrypt(&self, block: u64) -> u64 {
        Self::crypt(block, self.round_keys.iter().rev())
    }
}

impl Drop for Des {
    fn drop(&mut self) {
        self.round_keys.zeroize();
    }
}

/// Triple DES in the EDE form, with two (K1, K2, K1) or three keys.
pub(crate) struct TripleDes {
    keys: [Des; 3],
}

impl TripleDes {
    /// A 16- or 24-byte key; `None` for any other length.
    pub(crate) fn new(key: &[u8]) -> Option<Self> {
        let part = |i: usize| -> Option<[u8; 8]> { key.get(8 * i..8 * i + 8)?.try_into().ok() };
        let (k1, k2) = (part(0)?, part(1)?);
        let k3 = match key.len() {
            16 => k1,
            24 => part(2)?,
            _ => return None,
        };
        Some(Self { keys: [Des::new(k1), Des::new(k2), Des::new(k3)] })
    }

    /// Encrypts one block: `E_K3(D_K2(E_K1(p)))` (tests check it against
    /// OpenSSL; legacy PEM encryption writes with it).
    pub(crate) fn encrypt_block(&self, block: &mut [u8; 8]) {
        let [k1, k2, k3] = &self.keys;
        *block = k3.encrypt(k2.decrypt(k1.encrypt(u64::from_be_bytes(*block)))).to_be_bytes();
    }

    /// Decrypts one block: `D_K1(E_K2(D_K3(c)))`.
    pub(crate) fn decrypt_block(&self, block: &mut [u8; 8]) {
        let [k1, k2, k3] = &self.keys;
        *block = k1.decrypt(k2.encrypt(k3.decrypt(u64::from_be_bytes(*block)))).to_be_bytes();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn sbox_rows_are_permutations() {
        for sbox in &S {
            for row in sbox.chunks(16) {
                let mut seen = [false; 16];
                for &v in row {
                    seen[usize::from(v)] = true;
                }
                assert!(seen.iter().all(|&s| s));
            }
        }
    }

    /// Expected values from `openssl enc -des-ede3 -nopad` and
    /// `-des-ede3-cbc` (OpenSSL 3.0).
    #[test]
    fn matches_openssl() {
        let cases = [
            (&hex!("0123456789abcdef23456789abcdef01456789abcdef0123")[..], hex!("f2afd84ee809e2b5")),
            // K1 = K2 = K3: single DES, the textbook 133457799BBCDFF1 example.
            (&hex!("133457799BBCDFF1133457799BBCDFF1133457799BBCDFF1")[..], hex!("85e813540f0ab405")),
            (&hex!("133457799BBCDFF1133457799BBCDFF1")[..], hex!("85e813540f0ab405")),
        ];
        for (key, expected) in cases {
            let des = TripleDes::new(key).unwrap();
            let mut block = hex!("0123456789abcdef");
            des.encrypt_block(&mut block);
            assert_eq!(block, expected);
            des.decrypt_block(&mut block);
            assert_eq!(block, hex!("0123456789abcdef"));
        }
        assert!(TripleDes::new(&[0; 8]).is_none());
    }
}
