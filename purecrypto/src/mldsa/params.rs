//! The three parameter sets of FIPS 204 Table 1 and the sizes derived from
//! them (Table 2).
//!
//! Entry point: [`Params`] with [`ML_DSA_44`], [`ML_DSA_65`], [`ML_DSA_87`].

use super::arith::Q;

/// One row of FIPS 204 Table 1 (k and l are also the const generics of the
/// core routines).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    /// Rows of A.
    pub(crate) k: usize,
    /// Columns of A.
    pub(crate) l: usize,
    /// Bound of the secret coefficients.
    pub(crate) eta: i32,
    /// Number of ±1 in the challenge.
    pub(crate) tau: usize,
    /// tau * eta.
    pub(crate) beta: i32,
    /// gamma1 = 2^gamma1_bits.
    pub(crate) gamma1_bits: u32,
    /// Low-order rounding range.
    pub(crate) gamma2: i32,
    /// Maximum number of 1s in the hint.
    pub(crate) omega: usize,
    /// Length of c~ in bytes (lambda / 4).
    pub(crate) c_tilde_len: usize,
}

pub(crate) const ML_DSA_44: Params =
    Params { k: 4, l: 4, eta: 2, tau: 39, beta: 78, gamma1_bits: 17, gamma2: (Q - 1) / 88, omega: 80, c_tilde_len: 32 };

pub(crate) const ML_DSA_65: Params = Params {
    k: 6,
    l: 5,
    eta: 4,
    tau: 49,
    beta: 196,
    gamma1_bits: 19,
    gamma2: (Q - 1) / 32,
    omega: 55,
    c_tilde_len: 48,
};

pub(crate) const ML_DSA_87: Params = Params {
    k: 8,
    l: 7,
    eta: 2,
    tau: 60,
    beta: 120,
    gamma1_bits: 19,
    gamma2: (Q - 1) / 32,
    omega: 75,
    c_tilde_len: 64,
};

impl Params {
    /// Bits per secret coefficient (eta - c).
    pub(crate) const fn eta_bits(&self) -> u32 {
        if self.eta == 2 { 3 } else { 4 }
    }

    /// Bits per coefficient of w1.
    pub(crate) const fn w1_bits(&self) -> u32 {
        if self.gamma2 == (Q - 1) / 88 { 6 } else { 4 }
    }

    /// gamma1.
    pub(crate) const fn gamma1(&self) -> i32 {
        1 << self.gamma1_bits
    }

    /// Public key bytes: rho and t1 at 10 bits.
    #[cfg(test)]
    pub(crate) const fn pk_len(&self) -> usize {
        32 + 320 * self.k
    }

    /// Secret key bytes: rho, K, tr, s1, s2, t0.
    pub(crate) const fn sk_len(&self) -> usize {
        128 + 32 * self.eta_bits() as usize * (self.k + self.l) + 416 * self.k
    }

    /// Signature bytes: c~, z, hints.
    pub(crate) const fn sig_len(&self) -> usize {
        self.c_tilde_len + 32 * (self.gamma1_bits as usize + 1) * self.l + self.omega + self.k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_fips_204_table_2() {
        let sizes = [ML_DSA_44, ML_DSA_65, ML_DSA_87].map(|p| (p.pk_len(), p.sk_len(), p.sig_len()));
        assert_eq!(sizes, [(1312, 2560, 2420), (1952, 4032, 3309), (2592, 4896, 4627)]);
    }
}
