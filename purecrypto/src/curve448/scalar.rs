//! Scalars modulo the prime order
//! q = 2^446 - 13818066809895115352007386748515426880336692474882178609894547503885
//! of the Ed448 group, encoded in 57 bytes.
//!
//! Entry point: [`Scalar`] (crate-private). Arithmetic is the constant-time
//! Montgomery code of [`crate::curve25519::modn`] with seven limbs.

use subtle::{Choice, CtOption};
use zeroize::Zeroize;

use crate::curve25519::modn::{self, Modulus};

static ORDER: Modulus<7> = Modulus {
    m: [
        0x2378c292ab5844f3,
        0x216cc2728dc58f55,
        0xc44edb49aed63690,
        0xffffffff7cca23e9,
        0xffffffffffffffff,
        0xffffffffffffffff,
        0x3fffffffffffffff,
    ],
    minv: 0x3bd440fae918bc5,
    r2: [
        0xe3539257049b9b60,
        0x7af32c4bc1b195d9,
        0x0d66de2388ea1859,
        0xae17cf725ee4d838,
        0x1a9cc14ba3c47c44,
        0x2052bcb7e4d070af,
        0x3402a939f823b729,
    ],
    r3: [
        0x62db79e25f9b74ed,
        0x32d533584f61d636,
        0x3e0d0c8b5fa74964,
        0x178769ed878dfcda,
        0xe4c71af86754b842,
        0xed66e7f42bab736d,
        0x0d30a4f69d3af5f1,
    ],
};

/// An integer modulo q, always reduced.
#[derive(Clone, Copy, Default)]
pub(crate) struct Scalar(pub(crate) [u64; 7]);

impl Scalar {
    /// Strict decoding of a 57-byte S: below q (so the last byte is zero).
    pub(crate) fn from_canonical_bytes(bytes: &[u8; 57]) -> CtOption<Scalar> {
        let limbs = modn::limbs_from_bytes(bytes);
        let top_clear = Choice::from(u8::from(bytes[56] == 0));
        CtOption::new(Scalar(limbs), ORDER.is_reduced(&limbs) & top_clear)
    }

    /// Any little-endian byte string up to 168 bytes, reduced modulo q
    /// (the 114-byte SHAKE256 outputs of Ed448, the 57-byte clamped secret).
    pub(crate) fn from_bytes_mod_order(bytes: &[u8]) -> Scalar {
        Scalar(ORDER.reduce_bytes(bytes))
    }

    /// The 57-byte little-endian encoding.
    pub(crate) fn to_bytes(self) -> [u8; 57] {
        let mut out = [0u8; 57];
        modn::limbs_to_bytes(&self.0, &mut out);
        out
    }

    /// `self * b + c`.
    pub(crate) fn mul_add(&self, b: &Scalar, c: &Scalar) -> Scalar {
        Scalar(ORDER.add(&ORDER.mul(&self.0, &b.0), &c.0))
    }
}

impl Zeroize for Scalar {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduction_and_strict_decoding() {
        let mut q = [0u8; 57];
        modn::limbs_to_bytes(&ORDER.m, &mut q);
        assert!(bool::from(Scalar::from_canonical_bytes(&q).is_none()));
        assert_eq!(Scalar::from_bytes_mod_order(&q).to_bytes(), [0; 57]);
        let mut high = [0u8; 57];
        high[56] = 1;
        assert!(bool::from(Scalar::from_canonical_bytes(&high).is_none()));
        // (q - 1) * (q - 1) + 0 = 1.
        let mut qm1 = q;
        qm1[0] -= 1;
        let s = Scalar::from_canonical_bytes(&qm1).unwrap();
        let mut one = [0u8; 57];
        one[0] = 1;
        assert_eq!(s.mul_add(&s, &Scalar::default()).to_bytes(), one);
        // 114 bytes of 0xff reduce to (2^912 - 1) mod q: checked by the
        // identity 2^912 - 1 = (2^456 - 1)(2^456 + 1).
        let wide = Scalar::from_bytes_mod_order(&[0xff; 114]);
        let a = Scalar::from_bytes_mod_order(&[0xff; 57]);
        let mut b_bytes = [0u8; 58];
        b_bytes[0] = 1;
        b_bytes[57] = 1; // 2^456 + 1
        let b = Scalar::from_bytes_mod_order(&b_bytes);
        assert_eq!(a.mul_add(&b, &Scalar::default()).to_bytes(), wide.to_bytes());
    }
}
