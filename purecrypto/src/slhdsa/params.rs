//! The twelve SLH-DSA parameter sets of FIPS 205 Table 2.
//!
//! Entry point: [`Params`]; lengths follow from n, h, d, a and k with
//! lg_w = 4 (w = 16).

/// One row of FIPS 205 Table 2.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    /// Hash output length in bytes.
    pub(crate) n: usize,
    /// Total hypertree height.
    pub(crate) h: usize,
    /// Hypertree layers.
    pub(crate) d: usize,
    /// XMSS tree height h' = h / d.
    pub(crate) hp: usize,
    /// FORS tree height.
    pub(crate) a: usize,
    /// Number of FORS trees.
    pub(crate) k: usize,
    /// H_msg output length in bytes.
    pub(crate) m: usize,
}

impl Params {
    /// WOTS+ chains: len1 = 2n message digits plus len2 = 3 checksum digits.
    pub(crate) const fn wots_len(&self) -> usize {
        2 * self.n + 3
    }

    /// Signature bytes: R, the FORS signature, d XMSS signatures.
    pub(crate) const fn sig_len(&self) -> usize {
        self.n + self.k * (1 + self.a) * self.n + (self.h + self.d * self.wots_len()) * self.n
    }
}

/// n = 16, 24, 32 and the s / f rows of Table 2 (same for SHA-2 and SHAKE).
pub(crate) const P128S: Params = Params { n: 16, h: 63, d: 7, hp: 9, a: 12, k: 14, m: 30 };
pub(crate) const P128F: Params = Params { n: 16, h: 66, d: 22, hp: 3, a: 6, k: 33, m: 34 };
pub(crate) const P192S: Params = Params { n: 24, h: 63, d: 7, hp: 9, a: 14, k: 17, m: 39 };
pub(crate) const P192F: Params = Params { n: 24, h: 66, d: 22, hp: 3, a: 8, k: 33, m: 42 };
pub(crate) const P256S: Params = Params { n: 32, h: 64, d: 8, hp: 8, a: 14, k: 22, m: 47 };
pub(crate) const P256F: Params = Params { n: 32, h: 68, d: 17, hp: 4, a: 9, k: 35, m: 49 };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_sizes_match_table_2() {
        let sizes = [P128S, P128F, P192S, P192F, P256S, P256F].map(|p| p.sig_len());
        assert_eq!(sizes, [7856, 17088, 16224, 35664, 29792, 49856]);
    }
}
