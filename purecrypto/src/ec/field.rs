//! Prime fields in Montgomery form over fixed-width limbs: one generic
//! type, [`Fe`], serves every curve's base field and scalar field (a
//! modulus may instead keep plain values, [`FieldParams::PLAIN`]).
//!
//! Entry points: the [`Field`] trait (what point and ECDSA code use),
//! [`Fe`] (its one implementation) and [`FieldParams`] (a modulus, from
//! which every Montgomery constant is derived at compile time). All
//! operations are constant-time in the element values; inversion is
//! Fermat's little theorem ([`FieldParams::mont_invert`], which a modulus
//! may replace, P-256's and secp256k1's by safegcd) and square roots use `(p + 1) / 4`
//! (every modulus here is 3 mod 4), both with public exponents. The
//! multiplication ([`FieldParams::mont_mul`], which a special-form modulus
//! may override) is always inlined, so the point formulas that
//! `crate::arch::x86_ec` recompiles with BMI2/ADX get its `mulx` build.

use core::fmt;
use core::marker::PhantomData;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, CtOption};
use zeroize::Zeroize;

use super::limbs::{self, MontConsts};

/// A prime modulus below `2^(64N)`, congruent to 3 mod 4.
pub trait FieldParams<const N: usize>: 'static + Copy + Send + Sync {
    /// The modulus, little-endian 64-bit limbs.
    const MODULUS: [u64; N];
    /// Bit length of the modulus.
    const BITS: usize;
    /// Length of the fixed-size big-endian encoding, `ceil(BITS / 8)`.
    const BYTES: usize;
    /// Elements are kept as their plain canonical values instead of in
    /// Montgomery form, and [`Self::mont_mul`] returns `a * b mod p`
    /// (Montgomery form with `R = 1`). For a modulus just below a power
    /// of two (secp256k1's `2^256 - 2^32 - 977`), where folding the high
    /// half of a product back costs a few small products, far less than
    /// a Montgomery reduction. Such a modulus must override
    /// [`Self::mont_mul`] and [`Self::mont_square`] (the default kernel
    /// is Montgomery's), and its [`Self::mont_invert`] is a plain inverse.
    const PLAIN: bool = false;

    /// The Montgomery product `a * b * 2^(-64N) mod p` for `a, b < p`.
    /// The default is the generic CIOS kernel; a modulus of special form
    /// (P-256's) overrides it with a cheaper reduction. Overrides must be
    /// constant-time and return the canonical value (below `p`).
    #[inline(always)]
    fn mont_mul(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        limbs::mont_mul(a, b, &Self::MODULUS, const { MontConsts::<N>::new(&Self::MODULUS).n0 })
    }

    /// `a + b mod p` for `a, b < p`. The default is the generic
    /// `limbs::add_mod`; a modulus may override it with a kernel of its
    /// own (P-256's, in registers on x86_64). Overrides must be
    /// constant-time and return the canonical value.
    #[inline(always)]
    fn add_mod(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        limbs::add_mod(a, b, &Self::MODULUS)
    }

    /// `a - b mod p` for `a, b < p`, overridable as [`Self::add_mod`].
    #[inline(always)]
    fn sub_mod(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        limbs::sub_mod(a, b, &Self::MODULUS)
    }

    /// The Montgomery square `a^2 * 2^(-64N) mod p` for `a < p`; by
    /// default [`Self::mont_mul`] of `a` with itself.
    #[inline(always)]
    fn mont_square(a: &[u64; N]) -> [u64; N] {
        Self::mont_mul(a, a)
    }

    /// The Montgomery-form inverse `a^(p-2)` of a Montgomery-form `a`
    /// (zero for zero). By default Fermat with the sliding window of
    /// `Fe::pow_public`; a modulus may override it (P-256's and
    /// secp256k1's with safegcd). Overrides must be constant-time.
    #[inline]
    fn mont_invert(a: &[u64; N]) -> [u64; N] {
        let consts = const { MontConsts::<N>::new(&Self::MODULUS) };
        Fe::<Self, N>::from_mont(*a).pow_public(&consts.p_minus_2).limbs
    }
}

/// The operations point arithmetic and ECDSA need from a field.
pub trait Field:
    Copy + Clone + fmt::Debug + ConditionallySelectable + ConstantTimeEq + Zeroize + Send + Sync + 'static
{
    /// Length of the fixed-size big-endian encoding.
    const BYTES: usize;
    /// Bit length of the modulus.
    const BITS: usize;
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// `self + rhs`.
    #[must_use]
    fn add(&self, rhs: &Self) -> Self;
    /// `self - rhs`.
    #[must_use]
    fn sub(&self, rhs: &Self) -> Self;
    /// `-self`.
    #[must_use]
    fn neg(&self) -> Self;
    /// `self * rhs`.
    #[must_use]
    fn mul(&self, rhs: &Self) -> Self;
    /// `self^2`.
    #[must_use]
    fn square(&self) -> Self;
    /// `self + self`.
    #[must_use]
    fn double(&self) -> Self {
        self.add(self)
    }
    /// `self^-1`; zero maps to zero (callers check).
    #[must_use]
    fn invert(&self) -> Self;
    /// A square root, if one exists.
    fn sqrt(&self) -> CtOption<Self>;
    /// Whether `self == 0`.
    fn is_zero(&self) -> Choice;
    /// Whether the canonical value is odd.
    fn is_odd(&self) -> Choice;
    /// Decodes exactly [`Self::BYTES`] big-endian bytes; none when the
    /// value is not below the modulus.
    fn from_be_bytes(bytes: &[u8]) -> CtOption<Self>;
    /// Decodes big-endian bytes whose value is below twice the modulus
    /// (at most `8N` bytes), reducing once. Used for `x mod n` and
    /// `bits2int(h) mod n`.
    fn reduce_be_bytes(bytes: &[u8]) -> Self;
    /// Writes the canonical value as big-endian bytes, exactly
    /// [`Self::BYTES`] of them (`out` must have that length).
    fn write_be_bytes(&self, out: &mut [u8]);
    /// A small constant.
    fn from_u64(v: u64) -> Self;

    /// `self = other` where `mask` is all ones, unchanged where it is
    /// zero (`mask` is `0` or `u64::MAX`, computed without a branch). For
    /// the scans of table lookups, which need one selection per entry:
    /// a `Choice` per entry passes through subtle's `black_box` (a store
    /// and a reload) each time, measured at 7% of P-256 signing.
    #[doc(hidden)]
    #[inline(always)]
    fn assign_masked(&mut self, other: &Self, mask: u64) {
        self.conditional_assign(other, Choice::from((mask & 1) as u8));
    }
}

/// All ones when `a == b`, else zero, without a branch: `a ^ b < 2^32`,
/// so subtracting one wraps to the top bit exactly when it is zero. The
/// result passes through the optimisation barrier so LLVM cannot turn the
/// masked selection it drives into a branch.
#[inline(always)]
pub(crate) fn eq_mask(a: u32, b: u32) -> u64 {
    let top = u64::from(a ^ b).wrapping_sub(1) >> 63;
    crate::arch::value_barrier(0u64.wrapping_sub(top))
}

/// An element of the prime field described by `P`, in Montgomery form
/// (`value * 2^(64N) mod p`).
pub struct Fe<P: FieldParams<N>, const N: usize> {
    limbs: [u64; N],
    params: PhantomData<P>,
}

impl<P: FieldParams<N>, const N: usize> Clone for Fe<P, N> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P: FieldParams<N>, const N: usize> Copy for Fe<P, N> {}

impl<P: FieldParams<N>, const N: usize> fmt::Debug for Fe<P, N> {
    /// Field elements may be secret (scalars, nonces, coordinates of
    /// intermediate points), so only the type is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Fe(..)")
    }
}

impl<P: FieldParams<N>, const N: usize> Zeroize for Fe<P, N> {
    fn zeroize(&mut self) {
        self.limbs.zeroize();
    }
}

impl<P: FieldParams<N>, const N: usize> Fe<P, N> {
    const CONSTS: MontConsts<N> = MontConsts::new(&P::MODULUS);
    /// One in the element representation: `R mod p`, or 1 when plain.
    const ONE_REPR: [u64; N] = if P::PLAIN { limbs::one() } else { Self::CONSTS.r };
    /// What a value is multiplied by to enter the representation: `R^2
    /// mod p` (one Montgomery product then gives `value * R`), or 1 when
    /// plain (the product only reduces).
    const TO_REPR: [u64; N] = if P::PLAIN { limbs::one() } else { Self::CONSTS.r2 };

    /// Wraps Montgomery-form limbs.
    const fn from_mont(limbs: [u64; N]) -> Self {
        Self { limbs, params: PhantomData }
    }

    /// Converts a canonical value (little-endian limbs, below the
    /// modulus) into the field at compile time; curve constants use it.
    #[must_use]
    pub const fn from_canonical_limbs(value: &[u64; N]) -> Self {
        if P::PLAIN {
            Self::from_mont(*value)
        } else {
            Self::from_mont(limbs::mont_mul_const(value, &Self::CONSTS.r2, &P::MODULUS, Self::CONSTS.n0))
        }
    }

    /// Converts big-endian bytes of a value below the modulus at compile
    /// time (curve constants given as hex).
    #[must_use]
    pub const fn from_be_const(bytes: &[u8]) -> Self {
        Self::from_canonical_limbs(&limbs::limbs_from_be(bytes))
    }

    /// The canonical value as little-endian limbs.
    fn to_canonical(self) -> [u64; N] {
        if P::PLAIN {
            return self.limbs;
        }
        P::mont_mul(&self.limbs, &limbs::one())
    }

    /// `self^exp` for a public exponent: 5-bit sliding window over the
    /// odd powers `self^1, self^3, ..., self^31`. Variable time in `exp`
    /// only (every caller passes a constant such as `p - 2`); the base
    /// may be secret, since which products run depends on `exp` alone.
    fn pow_public(&self, exp: &[u64; N]) -> Self {
        const WINDOW: usize = 5;
        let mut odd = [*self; 1 << (WINDOW - 1)];
        let sq = self.square();
        let mut prev = *self;
        for entry in odd.iter_mut().skip(1) {
            prev = Field::mul(&prev, &sq);
            *entry = prev;
        }
        let mut acc: Option<Self> = None;
        let mut i = 64 * N;
        while i > 0 {
            let top = i - 1;
            if limbs::bit(exp, top) == 0 {
                acc = acc.map(|a| a.square());
                i = top;
                continue;
            }
            // The window [low, top]: at most WINDOW bits, ending in a one.
            let mut low = top.saturating_sub(WINDOW - 1);
            while limbs::bit(exp, low) == 0 {
                low += 1;
            }
            let mut digit = 0usize;
            for k in (low..=top).rev() {
                digit = (digit << 1) | limbs::bit(exp, k) as usize;
            }
            let power = odd.get(digit >> 1).copied().unwrap_or(Self::ONE);
            acc = Some(match acc {
                Some(mut a) => {
                    for _ in low..=top {
                        a = a.square();
                    }
                    Field::mul(&a, &power)
                }
                None => power,
            });
            i = low;
        }
        acc.unwrap_or(Self::ONE)
    }
}

impl<P: FieldParams<N>, const N: usize> ConditionallySelectable for Fe<P, N> {
    #[inline(always)]
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        let mut out = *a;
        for (o, bl) in out.limbs.iter_mut().zip(&b.limbs) {
            o.conditional_assign(bl, choice);
        }
        out
    }
}

impl<P: FieldParams<N>, const N: usize> ConstantTimeEq for Fe<P, N> {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.limbs.ct_eq(&other.limbs)
    }
}

impl<P: FieldParams<N>, const N: usize> Field for Fe<P, N> {
    const BYTES: usize = P::BYTES;
    const BITS: usize = P::BITS;
    const ZERO: Self = Self::from_mont([0; N]);
    const ONE: Self = Self::from_mont(Self::ONE_REPR);

    #[inline(always)]
    fn add(&self, rhs: &Self) -> Self {
        Self::from_mont(P::add_mod(&self.limbs, &rhs.limbs))
    }

    #[inline(always)]
    fn sub(&self, rhs: &Self) -> Self {
        Self::from_mont(P::sub_mod(&self.limbs, &rhs.limbs))
    }

    #[inline(always)]
    fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    #[inline(always)]
    fn mul(&self, rhs: &Self) -> Self {
        Self::from_mont(P::mont_mul(&self.limbs, &rhs.limbs))
    }

    #[inline(always)]
    fn square(&self) -> Self {
        Self::from_mont(P::mont_square(&self.limbs))
    }

    fn invert(&self) -> Self {
        Self::from_mont(P::mont_invert(&self.limbs))
    }

    fn sqrt(&self) -> CtOption<Self> {
        let root = self.pow_public(&Self::CONSTS.sqrt_exp);
        let ok = root.square().ct_eq(self);
        CtOption::new(root, ok)
    }

    #[inline(always)]
    fn is_zero(&self) -> Choice {
        self.limbs.ct_eq(&[0; N])
    }

    fn is_odd(&self) -> Choice {
        let c = self.to_canonical();
        Choice::from((c.first().copied().unwrap_or(0) & 1) as u8)
    }

    fn from_be_bytes(bytes: &[u8]) -> CtOption<Self> {
        let len_ok = bytes.len() == P::BYTES;
        let value: [u64; N] = limbs::limbs_from_be(bytes);
        let in_range = Choice::from(limbs::lt(&value, &P::MODULUS) as u8) & Choice::from(u8::from(len_ok));
        let fe = Self::from_mont(P::mont_mul(&value, &Self::TO_REPR));
        CtOption::new(fe, in_range)
    }

    fn reduce_be_bytes(bytes: &[u8]) -> Self {
        let value: [u64; N] = limbs::limbs_from_be(bytes);
        // value < 2p: one conditional subtraction through add_mod(value, 0).
        let reduced = limbs::add_mod(&value, &[0; N], &P::MODULUS);
        Self::from_mont(P::mont_mul(&reduced, &Self::TO_REPR))
    }

    fn write_be_bytes(&self, out: &mut [u8]) {
        limbs::limbs_to_be(&self.to_canonical(), out);
    }

    #[inline(always)]
    fn assign_masked(&mut self, other: &Self, mask: u64) {
        for (a, b) in self.limbs.iter_mut().zip(&other.limbs) {
            *a ^= mask & (*a ^ *b);
        }
    }

    fn from_u64(v: u64) -> Self {
        let mut l = [0u64; N];
        if let Some(first) = l.first_mut() {
            *first = v;
        }
        Self::from_mont(P::mont_mul(&l, &Self::TO_REPR))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec::p256::{FieldP256, ScalarP256};

    fn fe(v: u64) -> FieldP256 {
        FieldP256::from_u64(v)
    }

    #[test]
    fn arithmetic_identities() {
        let a = fe(1234567);
        let b = fe(7654321);
        assert!(bool::from(a.mul(&b).ct_eq(&fe(1234567 * 7654321))));
        assert!(bool::from(a.sub(&a).is_zero()));
        assert!(bool::from(a.add(&a.neg()).is_zero()));
        assert!(bool::from(a.mul(&a.invert()).ct_eq(&FieldP256::ONE)));
        let s = a.square().sqrt().unwrap();
        assert!(bool::from(s.ct_eq(&a) | s.ct_eq(&a.neg())));
        let n = ScalarP256::from_u64(3);
        assert!(bool::from(n.mul(&n.invert()).ct_eq(&ScalarP256::ONE)));
    }

    #[test]
    fn sliding_window_pow_matches_square_and_multiply() {
        fn naive(x: &FieldP256, e: &[u64; 4]) -> FieldP256 {
            let mut acc = FieldP256::ONE;
            for i in (0..256).rev() {
                acc = acc.square();
                if limbs::bit(e, i) == 1 {
                    acc = Field::mul(&acc, x);
                }
            }
            acc
        }
        let consts = MontConsts::<4>::new(&crate::ec::p256::FieldParamsP256::MODULUS);
        let exps = [
            [0; 4],
            [1, 0, 0, 0],
            [2, 0, 0, 0],
            [31, 0, 0, 0],
            [0b10_0001, 0, 0, 0],
            [0b111_1101_1111, 0, 0, 0],
            [u64::MAX; 4],
            [0x8000_0000_0000_0001, 0, 0, 1 << 63],
            [0, 0, 0, 0x10],
            consts.p_minus_2,
            consts.sqrt_exp,
        ];
        for x in [fe(0), fe(1), fe(0x1234_5678_9abc_def1), fe(3).invert()] {
            for e in &exps {
                assert!(bool::from(x.pow_public(e).ct_eq(&naive(&x, e))), "exponent {e:x?}");
            }
        }
    }

    #[test]
    fn byte_round_trip_and_range_check() {
        let mut bytes = [0u8; 32];
        bytes[31] = 5;
        bytes[0] = 0x12;
        let x = FieldP256::from_be_bytes(&bytes).unwrap();
        let mut out = [0u8; 32];
        x.write_be_bytes(&mut out);
        assert_eq!(out, bytes);
        assert!(bool::from(FieldP256::from_be_bytes(&[0xff; 32]).is_none()));
        assert!(bool::from(FieldP256::from_be_bytes(&[0x00; 31]).is_none()));
        assert!(bool::from(x.is_odd()));
    }
}
