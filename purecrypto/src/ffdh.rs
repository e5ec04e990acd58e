//! Finite-field Diffie-Hellman over the named safe-prime groups of
//! RFC 3526 (MODP 14-18) and RFC 7919 (ffdhe2048-8192).
//!
//! Entry points: [`Group`] (the ten named groups), [`DhPrivateKey::generate`],
//! [`DhPrivateKey::public_key`] and [`DhPrivateKey::agree`], which checks
//! the peer's value (`1 < y < p - 1` and `y^q == 1` with `q = (p - 1) / 2`,
//! so `y` lies in the prime-order subgroup) and returns the shared secret
//! left-padded to the length of `p`, as TLS and SSH both expect.
//!
//! Private exponents are `2 * s` bits for security strength `s` (NIST SP
//! 800-56A rev. 3 section 5.6.1.1.1 for safe-prime groups): 256 bits for
//! 2048 and 3072-bit groups, 320 for 4096, 384 for 6144, 512 for 8192.
//!
//! ```
//! use purecrypto::ffdh::{DhPrivateKey, Group};
//! use purecrypto::hash::HashAlgorithm;
//! use purecrypto::rng::HmacDrbg;
//!
//! let mut rng = HmacDrbg::new(HashAlgorithm::Sha256, &[9; 32], b"", b"ffdh doc")?;
//! let alice = DhPrivateKey::generate(Group::FFDHE2048, &mut rng)?;
//! let bob = DhPrivateKey::generate(Group::FFDHE2048, &mut rng)?;
//! let k1 = alice.agree(&bob.public_key())?;
//! let k2 = bob.agree(&alice.public_key())?;
//! assert_eq!(k1, k2);
//! assert_eq!(k1.len(), 256);
//! # Ok::<(), purecrypto::Error>(())
//! ```

mod groups;

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroize;

use crate::Error;
use crate::bignum::{Modulus, limbs};
use crate::rng::CryptoRng;

/// A named finite-field group: a safe prime `p = 2q + 1` with generator 2.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Group {
    name: &'static str,
    p: &'static [u8],
    exponent_bits: usize,
}

impl fmt::Debug for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl Group {
    /// RFC 7919 ffdhe2048.
    pub const FFDHE2048: Self = Self { name: "ffdhe2048", p: &groups::FFDHE2048_P, exponent_bits: 256 };
    /// RFC 7919 ffdhe3072.
    pub const FFDHE3072: Self = Self { name: "ffdhe3072", p: &groups::FFDHE3072_P, exponent_bits: 256 };
    /// RFC 7919 ffdhe4096.
    pub const FFDHE4096: Self = Self { name: "ffdhe4096", p: &groups::FFDHE4096_P, exponent_bits: 320 };
    /// RFC 7919 ffdhe6144.
    pub const FFDHE6144: Self = Self { name: "ffdhe6144", p: &groups::FFDHE6144_P, exponent_bits: 384 };
    /// RFC 7919 ffdhe8192.
    pub const FFDHE8192: Self = Self { name: "ffdhe8192", p: &groups::FFDHE8192_P, exponent_bits: 512 };
    /// RFC 3526 group 14 (2048-bit MODP; SSH `diffie-hellman-group14-*`).
    pub const MODP_2048: Self = Self { name: "modp2048", p: &groups::MODP_2048_P, exponent_bits: 256 };
    /// RFC 3526 group 15 (3072-bit MODP).
    pub const MODP_3072: Self = Self { name: "modp3072", p: &groups::MODP_3072_P, exponent_bits: 256 };
    /// RFC 3526 group 16 (4096-bit MODP; SSH `diffie-hellman-group16-sha512`).
    pub const MODP_4096: Self = Self { name: "modp4096", p: &groups::MODP_4096_P, exponent_bits: 320 };
    /// RFC 3526 group 17 (6144-bit MODP).
    pub const MODP_6144: Self = Self { name: "modp6144", p: &groups::MODP_6144_P, exponent_bits: 384 };
    /// RFC 3526 group 18 (8192-bit MODP; SSH `diffie-hellman-group18-sha512`).
    pub const MODP_8192: Self = Self { name: "modp8192", p: &groups::MODP_8192_P, exponent_bits: 512 };

    /// Every named group.
    pub const ALL: [Self; 10] = [
        Self::FFDHE2048,
        Self::FFDHE3072,
        Self::FFDHE4096,
        Self::FFDHE6144,
        Self::FFDHE8192,
        Self::MODP_2048,
        Self::MODP_3072,
        Self::MODP_4096,
        Self::MODP_6144,
        Self::MODP_8192,
    ];

    /// The group's name (`ffdhe2048`, `modp2048`, ...).
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The prime, big-endian.
    #[must_use]
    pub const fn prime(&self) -> &'static [u8] {
        self.p
    }

    /// The generator (2 for every named group).
    #[must_use]
    pub const fn generator(&self) -> u64 {
        2
    }

    /// Length of `p`, and of every public value and shared secret, in bytes.
    #[must_use]
    pub const fn size(&self) -> usize {
        self.p.len()
    }

    fn modulus(&self) -> Result<Modulus, Error> {
        Modulus::from_be_bytes_vartime(self.p)
    }

    fn limbs(&self) -> usize {
        self.p.len().div_ceil(8)
    }
}

/// A Diffie-Hellman private exponent bound to its group; zeroized on drop.
pub struct DhPrivateKey {
    group: Group,
    x: Vec<u64>,
    /// Bound on the exponent's length (public: the length it came in).
    x_bits: usize,
    public: Vec<u8>,
}

impl fmt::Debug for DhPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DhPrivateKey").field("group", &self.group).finish_non_exhaustive()
    }
}

impl Drop for DhPrivateKey {
    fn drop(&mut self) {
        self.x.zeroize();
    }
}

impl DhPrivateKey {
    /// A fresh key: `x` uniform in `[1, 2^N)` with `N` the group's
    /// exponent size, and `y = 2^x mod p`.
    ///
    /// # Errors
    /// What the generator reports.
    pub fn generate(group: Group, rng: &mut impl CryptoRng) -> Result<Self, Error> {
        let n_bytes = group.exponent_bits / 8;
        let mut bytes = vec![0u8; n_bytes];
        loop {
            rng.try_fill_bytes(&mut bytes)?;
            if bytes.iter().any(|&b| b != 0) {
                break;
            }
        }
        let key = Self::from_exponent(group, &bytes);
        bytes.zeroize();
        key
    }

    /// A key from a given big-endian exponent `x` (`1 <= x < q`), for
    /// tests and interoperability with stored keys.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when `x` is zero or not below `p`.
    pub fn from_exponent(group: Group, x: &[u8]) -> Result<Self, Error> {
        let m = group.modulus()?;
        let k = group.limbs();
        let mut xl = vec![0u64; k];
        if limbs::from_be_bytes(&mut xl, x) != 0 || limbs::ct_lt(&xl, m.as_limbs()) != 1 {
            xl.zeroize();
            return Err(Error::InvalidKey { reason: "DH exponent not below p" });
        }
        if limbs::ct_is_zero(&xl) == 1 {
            return Err(Error::InvalidKey { reason: "DH exponent is zero" });
        }
        let mut g = vec![0u64; k];
        if let Some(f) = g.first_mut() {
            *f = group.generator();
        }
        let x_bits = 8 * x.len().min(8 * k);
        let y = m.pow(&g, &xl, x_bits);
        let mut public = vec![0u8; group.size()];
        limbs::write_be_bytes(&y, &mut public);
        Ok(Self { group, x: xl, x_bits, public })
    }

    /// The group.
    #[must_use]
    pub fn group(&self) -> Group {
        self.group
    }

    /// The public value `2^x mod p`, left-padded to the length of `p`.
    #[must_use]
    pub fn public_key(&self) -> Vec<u8> {
        self.public.clone()
    }

    /// The shared secret `y^x mod p`, left-padded to the length of `p`,
    /// after checking that the peer's `y` (big-endian, any length up to
    /// that of `p` once leading zeros are stripped) satisfies
    /// `1 < y < p - 1` and `y^q == 1 (mod p)`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a peer value that fails a check.
    pub fn agree(&self, peer: &[u8]) -> Result<Vec<u8>, Error> {
        let m = self.group.modulus()?;
        let k = self.group.limbs();
        let mut y = vec![0u64; k];
        if limbs::from_be_bytes(&mut y, peer) != 0 {
            return Err(Error::InvalidKey { reason: "DH public value larger than p" });
        }
        let mut p_minus_1 = m.as_limbs().to_vec();
        limbs::sub_assign(&mut p_minus_1, &[1]);
        if limbs::ct_lt(&[1], &y) != 1 || limbs::ct_lt(&y, &p_minus_1) != 1 {
            return Err(Error::InvalidKey { reason: "DH public value not in (1, p - 1)" });
        }
        // q = (p - 1) / 2; y^q must be 1 (y in the order-q subgroup).
        let mut q = p_minus_1;
        limbs::shr1(&mut q, 0);
        if limbs::ct_eq(&m.pow_vartime(&y, &q), &[1]) != 1 {
            return Err(Error::InvalidKey { reason: "DH public value outside the prime-order subgroup" });
        }
        let mut z = m.pow(&y, &self.x, self.x_bits);
        let mut out = vec![0u8; self.group.size()];
        limbs::write_be_bytes(&z, &mut out);
        z.zeroize();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::HashAlgorithm;
    use crate::rng::HmacDrbg;

    fn rng() -> HmacDrbg {
        HmacDrbg::new(HashAlgorithm::Sha256, &[5; 32], b"", b"ffdh tests").unwrap()
    }

    #[test]
    fn groups_have_their_sizes_and_fixed_ends() {
        let sizes = [256, 384, 512, 768, 1024, 256, 384, 512, 768, 1024];
        for (g, size) in Group::ALL.iter().zip(sizes) {
            assert_eq!(g.size(), size, "{g:?}");
            // Both families fix the top and bottom 64 bits to ones.
            assert!(g.prime()[..8].iter().chain(&g.prime()[size - 8..]).all(|&b| b == 0xff), "{g:?}");
        }
    }

    #[test]
    fn agreement_and_peer_checks() {
        let mut r = rng();
        for group in [Group::FFDHE2048, Group::MODP_2048] {
            let a = DhPrivateKey::generate(group, &mut r).unwrap();
            let b = DhPrivateKey::generate(group, &mut r).unwrap();
            assert_eq!(a.agree(&b.public_key()).unwrap(), b.agree(&a.public_key()).unwrap());
            let p = group.prime();
            let mut p_minus_1 = p.to_vec();
            *p_minus_1.last_mut().unwrap() -= 1;
            for bad in [&[0u8][..], &[1], p, &p_minus_1, &[0xff; 257]] {
                assert!(a.agree(bad).is_err());
            }
        }
        // A value of order 2q (outside the subgroup): the generator 2 is a
        // quadratic residue for these primes (p = 7 mod 8), so -2 is not.
        let a = DhPrivateKey::generate(Group::FFDHE2048, &mut r).unwrap();
        let mut minus_two = Group::FFDHE2048.prime().to_vec();
        *minus_two.last_mut().unwrap() -= 2;
        assert!(a.agree(&minus_two).is_err());
        // A known exponent: x = 1 gives y = 2.
        let one = DhPrivateKey::from_exponent(Group::MODP_2048, &[1]).unwrap();
        assert_eq!(one.public_key()[255], 2);
        assert!(DhPrivateKey::from_exponent(Group::MODP_2048, &[0]).is_err());
    }
}
