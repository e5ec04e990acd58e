//! The fixed tables of the format: literal-length, match-length and offset
//! codes (baselines and extra bits) and the predefined FSE distributions
//! (RFC 8878 3.1.1.3.2.1 and 3.1.1.3.2.2).

/// Literal-length code -> (baseline, extra bits).
pub(crate) const LL_CODES: [(u32, u8); 36] = [
    (0, 0),
    (1, 0),
    (2, 0),
    (3, 0),
    (4, 0),
    (5, 0),
    (6, 0),
    (7, 0),
    (8, 0),
    (9, 0),
    (10, 0),
    (11, 0),
    (12, 0),
    (13, 0),
    (14, 0),
    (15, 0),
    (16, 1),
    (18, 1),
    (20, 1),
    (22, 1),
    (24, 2),
    (28, 2),
    (32, 3),
    (40, 3),
    (48, 4),
    (64, 6),
    (128, 7),
    (256, 8),
    (512, 9),
    (1024, 10),
    (2048, 11),
    (4096, 12),
    (8192, 13),
    (16384, 14),
    (32768, 15),
    (65536, 16),
];

/// Match-length code -> (baseline, extra bits).
pub(crate) const ML_CODES: [(u32, u8); 53] = [
    (3, 0),
    (4, 0),
    (5, 0),
    (6, 0),
    (7, 0),
    (8, 0),
    (9, 0),
    (10, 0),
    (11, 0),
    (12, 0),
    (13, 0),
    (14, 0),
    (15, 0),
    (16, 0),
    (17, 0),
    (18, 0),
    (19, 0),
    (20, 0),
    (21, 0),
    (22, 0),
    (23, 0),
    (24, 0),
    (25, 0),
    (26, 0),
    (27, 0),
    (28, 0),
    (29, 0),
    (30, 0),
    (31, 0),
    (32, 0),
    (33, 0),
    (34, 0),
    (35, 1),
    (37, 1),
    (39, 1),
    (41, 1),
    (43, 2),
    (47, 2),
    (51, 3),
    (59, 3),
    (67, 4),
    (83, 4),
    (99, 5),
    (131, 7),
    (259, 8),
    (515, 9),
    (1027, 10),
    (2051, 11),
    (4099, 12),
    (8195, 13),
    (16387, 14),
    (32771, 15),
    (65539, 16),
];

/// Predefined literal-length distribution (accuracy log 6).
pub(crate) const LL_DEFAULT: [i16; 36] =
    [4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1];
pub(crate) const LL_DEFAULT_LOG: u32 = 6;

/// Predefined match-length distribution (accuracy log 6).
pub(crate) const ML_DEFAULT: [i16; 53] = [
    1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
];
pub(crate) const ML_DEFAULT_LOG: u32 = 6;

/// Predefined offset-code distribution (accuracy log 5).
pub(crate) const OF_DEFAULT: [i16; 29] =
    [1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1];
pub(crate) const OF_DEFAULT_LOG: u32 = 5;

/// Largest codes and accuracy logs a frame may use.
pub(crate) const LL_MAX: usize = 35;
pub(crate) const ML_MAX: usize = 52;
pub(crate) const OF_MAX: usize = 31;
pub(crate) const LL_MAX_LOG: u32 = 9;
pub(crate) const ML_MAX_LOG: u32 = 9;
pub(crate) const OF_MAX_LOG: u32 = 8;

/// The literal-length code for `ll`.
#[inline]
pub(crate) fn ll_code(ll: u32) -> u8 {
    const SMALL: [u8; 64] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 17, 17, 18, 18, 19, 19, 20, 20, 20, 20, 21, 21,
        21, 21, 22, 22, 22, 22, 22, 22, 22, 22, 23, 23, 23, 23, 23, 23, 23, 23, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
        24, 24, 24, 24, 24, 24,
    ];
    if ll < 64 { SMALL.get(ll as usize).copied().unwrap_or(0) } else { (31 - ll.leading_zeros()) as u8 + 19 }
}

/// The match-length code for `ml` (>= 3).
#[inline]
pub(crate) fn ml_code(ml: u32) -> u8 {
    let v = ml - 3;
    if v < 32 {
        return v as u8;
    }
    if v < 128 {
        // Codes 32..=42 cover 32..=127 with growing steps.
        let mut code = 32u8;
        while let Some(&(base, _)) = ML_CODES.get(usize::from(code) + 1) {
            if base > ml {
                break;
            }
            code += 1;
        }
        return code;
    }
    (31 - v.leading_zeros()) as u8 + 36
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_invert_the_tables() {
        for ll in 0..131_072u32 {
            let (base, bits) = LL_CODES[ll_code(ll) as usize];
            assert!(ll >= base && ll - base < (1 << bits).max(1), "ll {ll}");
        }
        for ml in 3..131_072u32 {
            let (base, bits) = ML_CODES[ml_code(ml) as usize];
            assert!(ml >= base && ml - base < (1 << bits).max(1), "ml {ml}");
        }
        for t in [&LL_DEFAULT[..], &ML_DEFAULT[..]] {
            assert_eq!(t.iter().map(|&p| i32::from(p).abs()).sum::<i32>(), 64);
        }
        assert_eq!(OF_DEFAULT.iter().map(|&p| i32::from(p).abs()).sum::<i32>(), 32);
    }
}
