//! The three ML-KEM parameter sets (FIPS 203, section 8, table 2) and the
//! byte lengths they imply.
//!
//! Entry points: [`ML_KEM_512`], [`ML_KEM_768`], [`ML_KEM_1024`]. Every
//! length here is derived from `k`, `du` and `dv` by the formulas of
//! FIPS 203 table 3, so a parameter set is just its five numbers.

/// One ML-KEM parameter set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Params {
    /// The name FIPS 203 and ACVP use ("ML-KEM-768").
    pub(crate) name: &'static str,
    /// Module rank: the matrix is `k x k` polynomials.
    pub(crate) k: usize,
    /// CBD parameter of the secret and the key-generation error.
    pub(crate) eta1: usize,
    /// CBD parameter of the encryption errors.
    pub(crate) eta2: usize,
    /// Bits per coefficient of the compressed `u`.
    pub(crate) du: u32,
    /// Bits per coefficient of the compressed `v`.
    pub(crate) dv: u32,
}

/// Bytes of one polynomial at 12 bits per coefficient.
pub(crate) const POLY_BYTES: usize = 384;

impl Params {
    /// Encapsulation key: `k` encoded polynomials then the 32-byte rho.
    pub(crate) const fn ek_len(&self) -> usize {
        POLY_BYTES * self.k + 32
    }

    /// K-PKE decryption key: `k` encoded polynomials.
    pub(crate) const fn dk_pke_len(&self) -> usize {
        POLY_BYTES * self.k
    }

    /// Expanded decapsulation key: `dk_pke || ek || H(ek) || z`.
    pub(crate) const fn dk_len(&self) -> usize {
        self.dk_pke_len() + self.ek_len() + 64
    }

    /// Bytes of the compressed `u` part of a ciphertext.
    pub(crate) const fn c1_len(&self) -> usize {
        32 * self.du as usize * self.k
    }

    /// Bytes of the compressed `v` part of a ciphertext.
    pub(crate) const fn c2_len(&self) -> usize {
        32 * self.dv as usize
    }

    /// Ciphertext length.
    pub(crate) const fn ct_len(&self) -> usize {
        self.c1_len() + self.c2_len()
    }

    /// [`Params::ek_len`] in words, for error messages.
    pub(crate) const fn ek_len_text(&self) -> &'static str {
        match self.k {
            2 => "800",
            3 => "1184",
            _ => "1568",
        }
    }

    /// [`Params::dk_len`] in words, for error messages.
    pub(crate) const fn dk_len_text(&self) -> &'static str {
        match self.k {
            2 => "1632",
            3 => "2400",
            _ => "3168",
        }
    }

    /// [`Params::ct_len`] in words, for error messages.
    pub(crate) const fn ct_len_text(&self) -> &'static str {
        match self.k {
            2 => "768",
            3 => "1088",
            _ => "1568",
        }
    }
}

/// ML-KEM-512 (security category 1).
pub(crate) const ML_KEM_512: Params = Params { name: "ML-KEM-512", k: 2, eta1: 3, eta2: 2, du: 10, dv: 4 };
/// ML-KEM-768 (security category 3).
pub(crate) const ML_KEM_768: Params = Params { name: "ML-KEM-768", k: 3, eta1: 2, eta2: 2, du: 10, dv: 4 };
/// ML-KEM-1024 (security category 5).
pub(crate) const ML_KEM_1024: Params = Params { name: "ML-KEM-1024", k: 4, eta1: 2, eta2: 2, du: 11, dv: 5 };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_match_fips_203_table_3() {
        let table = [(ML_KEM_512, 800, 1632, 768), (ML_KEM_768, 1184, 2400, 1088), (ML_KEM_1024, 1568, 3168, 1568)];
        for (p, ek, dk, ct) in table {
            assert_eq!((p.ek_len(), p.dk_len(), p.ct_len()), (ek, dk, ct), "{}", p.name);
        }
    }
}
