//! SLH-DSA, the stateless hash-based signature scheme of FIPS 205, in all
//! twelve parameter sets (SHA-2 and SHAKE; 128, 192, 256 bits; small `s`
//! and fast `f`), from one generic implementation over [`ParameterSet`].
//!
//! Entry points: [`SigningKey::from_seeds`] / [`SigningKey::generate`],
//! [`SigningKey::sign`] (hedged), [`SigningKey::sign_deterministic`],
//! [`SigningKey::hash_sign`] (HashSLH-DSA with a [`PreHash`]),
//! [`SigningKey::sign_internal`] (slh_sign_internal, as ACVP drives it);
//! [`VerifyingKey::verify`], [`VerifyingKey::hash_verify`],
//! [`VerifyingKey::verify_internal`].
//!
//! ```
//! use purecrypto::slhdsa::{SigningKey, SlhDsaShake128f};
//!
//! let sk = SigningKey::<SlhDsaShake128f>::from_seeds(&[1; 16], &[2; 16], &[3; 16])?;
//! let sig = sk.sign_deterministic(b"message", b"")?;
//! sk.verifying_key().verify(b"message", b"", &sig)?;
//! # Ok::<(), purecrypto::Error>(())
//! ```
//!
//! Side channels: every branch and table index depends only on public
//! values (the tree indices come from H_msg over the published R); the
//! secret seeds only ever enter hash inputs. Secret keys are zeroized on
//! drop and `Debug` prints no key material.

mod address;
mod hash;
mod params;
mod scheme;
mod trees;

use alloc::vec::Vec;

use zeroize::Zeroize;

pub use crate::mldsa::PreHash;

use self::hash::{Sha2, Shake};
use self::params::Params;
use crate::Error;
use crate::mldsa::pure_message_prime;
use crate::rng::RngCore;

mod sealed {
    pub trait Sealed {}
}

/// An SLH-DSA parameter set (sealed: the twelve of FIPS 205 Table 2).
pub trait ParameterSet: sealed::Sealed + Copy + core::fmt::Debug + Send + Sync + 'static {
    /// The FIPS 205 name, e.g. `SLH-DSA-SHA2-128f`.
    const NAME: &'static str;
    /// Security parameter n (bytes).
    const N: usize;
    /// Whether the SHA-2 (else SHAKE) instantiation is used.
    const SHA2: bool;
    /// Encoded public key length (2n).
    const PUBLIC_KEY_LEN: usize = 2 * Self::N;
    /// Encoded secret key length (4n).
    const SECRET_KEY_LEN: usize = 4 * Self::N;
    /// Signature length.
    const SIGNATURE_LEN: usize;
    /// Table 2 row.
    #[doc(hidden)]
    const ROW: usize;
}

const ROWS: [Params; 6] = [params::P128S, params::P128F, params::P192S, params::P192F, params::P256S, params::P256F];

macro_rules! parameter_set {
    ($name:ident, $label:literal, $n:literal, $sha2:literal, $row:literal, $sig:literal) => {
        #[doc = concat!($label, " (FIPS 205 Table 2).")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;
        impl sealed::Sealed for $name {}
        impl ParameterSet for $name {
            const NAME: &'static str = $label;
            const N: usize = $n;
            const SHA2: bool = $sha2;
            const SIGNATURE_LEN: usize = $sig;
            const ROW: usize = $row;
        }
    };
}
parameter_set!(SlhDsaSha2_128s, "SLH-DSA-SHA2-128s", 16, true, 0, 7856);
parameter_set!(SlhDsaSha2_128f, "SLH-DSA-SHA2-128f", 16, true, 1, 17088);
parameter_set!(SlhDsaSha2_192s, "SLH-DSA-SHA2-192s", 24, true, 2, 16224);
parameter_set!(SlhDsaSha2_192f, "SLH-DSA-SHA2-192f", 24, true, 3, 35664);
parameter_set!(SlhDsaSha2_256s, "SLH-DSA-SHA2-256s", 32, true, 4, 29792);
parameter_set!(SlhDsaSha2_256f, "SLH-DSA-SHA2-256f", 32, true, 5, 49856);
parameter_set!(SlhDsaShake128s, "SLH-DSA-SHAKE-128s", 16, false, 0, 7856);
parameter_set!(SlhDsaShake128f, "SLH-DSA-SHAKE-128f", 16, false, 1, 17088);
parameter_set!(SlhDsaShake192s, "SLH-DSA-SHAKE-192s", 24, false, 2, 16224);
parameter_set!(SlhDsaShake192f, "SLH-DSA-SHAKE-192f", 24, false, 3, 35664);
parameter_set!(SlhDsaShake256s, "SLH-DSA-SHAKE-256s", 32, false, 4, 29792);
parameter_set!(SlhDsaShake256f, "SLH-DSA-SHAKE-256f", 32, false, 5, 49856);

fn params<P: ParameterSet>() -> &'static Params {
    ROWS.get(P::ROW).unwrap_or(&params::P128F)
}

fn length_error(what: &'static str, expected: &'static str, actual: usize) -> Error {
    Error::InvalidLength { what, expected, actual }
}

/// An SLH-DSA secret key: SK.seed || SK.prf || PK.seed || PK.root.
/// Zeroized on drop.
pub struct SigningKey<P: ParameterSet> {
    /// The first 4n bytes are the key.
    bytes: [u8; 128],
    _p: core::marker::PhantomData<P>,
}

impl<P: ParameterSet> Drop for SigningKey<P> {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl<P: ParameterSet> Clone for SigningKey<P> {
    fn clone(&self) -> Self {
        Self { bytes: self.bytes, _p: core::marker::PhantomData }
    }
}

impl<P: ParameterSet> core::fmt::Debug for SigningKey<P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SigningKey<{}> {{ .. }}", P::NAME)
    }
}

impl<P: ParameterSet> SigningKey<P> {
    /// slh_keygen_internal from the three n-byte seeds.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when a seed is not n bytes.
    pub fn from_seeds(sk_seed: &[u8], sk_prf: &[u8], pk_seed: &[u8]) -> Result<Self, Error> {
        let n = P::N;
        for s in [sk_seed, sk_prf, pk_seed] {
            if s.len() != n {
                return Err(length_error("SLH-DSA seed", "n bytes", s.len()));
            }
        }
        let mut bytes = [0u8; 128];
        let (parts, _) = bytes.split_at_mut(4 * n);
        let (a, rest) = parts.split_at_mut(n);
        let (b, rest) = rest.split_at_mut(n);
        let (c, root) = rest.split_at_mut(n);
        a.copy_from_slice(sk_seed);
        b.copy_from_slice(sk_prf);
        c.copy_from_slice(pk_seed);
        if P::SHA2 {
            scheme::keygen::<Sha2>(params::<P>(), sk_seed, pk_seed, root);
        } else {
            scheme::keygen::<Shake>(params::<P>(), sk_seed, pk_seed, root);
        }
        Ok(Self { bytes, _p: core::marker::PhantomData })
    }

    /// slh_keygen: fresh seeds from `rng`.
    ///
    /// # Errors
    /// Whatever the generator reports.
    pub fn generate(rng: &mut impl RngCore) -> Result<Self, Error> {
        let mut seeds = [0u8; 96];
        let seeds_n = seeds.get_mut(..3 * P::N).unwrap_or_default();
        rng.try_fill_bytes(seeds_n)?;
        let (a, rest) = seeds_n.split_at(P::N);
        let (b, c) = rest.split_at(P::N);
        let key = Self::from_seeds(a, b, c);
        seeds.zeroize();
        key
    }

    /// Decodes SK.seed || SK.prf || PK.seed || PK.root (4n bytes). PK.root
    /// is taken as given: recomputing it costs a key generation.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a wrong length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != P::SECRET_KEY_LEN {
            return Err(length_error("SLH-DSA secret key", "4n bytes", bytes.len()));
        }
        let mut out = [0u8; 128];
        out.get_mut(..bytes.len()).unwrap_or_default().copy_from_slice(bytes);
        Ok(Self { bytes: out, _p: core::marker::PhantomData })
    }

    /// The 4n-byte encoding.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..P::SECRET_KEY_LEN).unwrap_or_default()
    }

    /// The public key PK.seed || PK.root.
    #[must_use]
    pub fn verifying_key(&self) -> VerifyingKey<P> {
        let mut bytes = [0u8; 64];
        let pk = self.bytes.get(2 * P::N..4 * P::N).unwrap_or_default();
        bytes.get_mut(..2 * P::N).unwrap_or_default().copy_from_slice(pk);
        VerifyingKey { bytes, _p: core::marker::PhantomData }
    }

    fn sign_parts(&self, msg: &[&[u8]], addrnd: Option<&[u8]>) -> Signature<P> {
        let mut sig = alloc::vec![0u8; P::SIGNATURE_LEN];
        if P::SHA2 {
            scheme::sign::<Sha2>(params::<P>(), self.as_bytes(), msg, addrnd, &mut sig);
        } else {
            scheme::sign::<Shake>(params::<P>(), self.as_bytes(), msg, addrnd, &mut sig);
        }
        Signature(sig, core::marker::PhantomData)
    }

    /// slh_sign_internal on an already-formatted message M'. `addrnd` is n
    /// random bytes (hedged) or `None` (deterministic: PK.seed is used).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when `addrnd` is not n bytes.
    pub fn sign_internal(&self, m_prime: &[u8], addrnd: Option<&[u8]>) -> Result<Signature<P>, Error> {
        if let Some(r) = addrnd.filter(|r| r.len() != P::N) {
            return Err(length_error("SLH-DSA addrnd", "n bytes", r.len()));
        }
        Ok(self.sign_parts(&[m_prime], addrnd))
    }

    fn random(rng: &mut impl RngCore) -> Result<[u8; 32], Error> {
        let mut r = [0u8; 32];
        rng.try_fill_bytes(r.get_mut(..P::N).unwrap_or_default())?;
        Ok(r)
    }

    /// slh_sign (hedged) with a context of at most 255 bytes.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a context over 255 bytes; generator
    /// failures.
    pub fn sign(&self, msg: &[u8], ctx: &[u8], rng: &mut impl RngCore) -> Result<Signature<P>, Error> {
        let prefix = pure_message_prime(&[], ctx)?;
        let r = Self::random(rng)?;
        Ok(self.sign_parts(&[&prefix, msg], r.get(..P::N)))
    }

    /// Deterministic slh_sign.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a context over 255 bytes.
    pub fn sign_deterministic(&self, msg: &[u8], ctx: &[u8]) -> Result<Signature<P>, Error> {
        let prefix = pure_message_prime(&[], ctx)?;
        Ok(self.sign_parts(&[&prefix, msg], None))
    }

    /// hash_slh_sign (hedged).
    ///
    /// # Errors
    /// As [`sign`](Self::sign).
    pub fn hash_sign(
        &self,
        ph: PreHash,
        msg: &[u8],
        ctx: &[u8],
        rng: &mut impl RngCore,
    ) -> Result<Signature<P>, Error> {
        let m_prime = ph.message_prime(msg, ctx)?;
        let r = Self::random(rng)?;
        Ok(self.sign_parts(&[&m_prime], r.get(..P::N)))
    }

    /// Deterministic hash_slh_sign.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a context over 255 bytes.
    pub fn hash_sign_deterministic(&self, ph: PreHash, msg: &[u8], ctx: &[u8]) -> Result<Signature<P>, Error> {
        Ok(self.sign_parts(&[&ph.message_prime(msg, ctx)?], None))
    }
}

/// An SLH-DSA public key: PK.seed || PK.root.
pub struct VerifyingKey<P: ParameterSet> {
    /// The first 2n bytes are the key.
    bytes: [u8; 64],
    _p: core::marker::PhantomData<P>,
}

impl<P: ParameterSet> Clone for VerifyingKey<P> {
    fn clone(&self) -> Self {
        Self { bytes: self.bytes, _p: core::marker::PhantomData }
    }
}

impl<P: ParameterSet> PartialEq for VerifyingKey<P> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl<P: ParameterSet> Eq for VerifyingKey<P> {}

impl<P: ParameterSet> core::fmt::Debug for VerifyingKey<P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "VerifyingKey<{}>({:02x?})", P::NAME, self.as_bytes())
    }
}

impl<P: ParameterSet> VerifyingKey<P> {
    /// Decodes PK.seed || PK.root (2n bytes).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a wrong length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != P::PUBLIC_KEY_LEN {
            return Err(length_error("SLH-DSA public key", "2n bytes", bytes.len()));
        }
        let mut out = [0u8; 64];
        out.get_mut(..bytes.len()).unwrap_or_default().copy_from_slice(bytes);
        Ok(Self { bytes: out, _p: core::marker::PhantomData })
    }

    /// The 2n-byte encoding.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..P::PUBLIC_KEY_LEN).unwrap_or_default()
    }

    fn verify_parts(&self, msg: &[&[u8]], sig: &Signature<P>) -> Result<(), Error> {
        let ok = if P::SHA2 {
            scheme::verify::<Sha2>(params::<P>(), self.as_bytes(), msg, &sig.0)
        } else {
            scheme::verify::<Shake>(params::<P>(), self.as_bytes(), msg, &sig.0)
        };
        if ok { Ok(()) } else { Err(Error::VerificationFailed) }
    }

    /// slh_verify_internal on an already-formatted message M'.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`].
    pub fn verify_internal(&self, m_prime: &[u8], sig: &Signature<P>) -> Result<(), Error> {
        self.verify_parts(&[m_prime], sig)
    }

    /// slh_verify with a context string.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`]; [`Error::InvalidLength`] for a
    /// context over 255 bytes.
    pub fn verify(&self, msg: &[u8], ctx: &[u8], sig: &Signature<P>) -> Result<(), Error> {
        let prefix = pure_message_prime(&[], ctx)?;
        self.verify_parts(&[&prefix, msg], sig)
    }

    /// hash_slh_verify.
    ///
    /// # Errors
    /// As [`verify`](Self::verify).
    pub fn hash_verify(&self, ph: PreHash, msg: &[u8], ctx: &[u8], sig: &Signature<P>) -> Result<(), Error> {
        self.verify_parts(&[&ph.message_prime(msg, ctx)?], sig)
    }
}

/// An SLH-DSA signature of the parameter set's length.
pub struct Signature<P: ParameterSet>(Vec<u8>, core::marker::PhantomData<P>);

impl<P: ParameterSet> Clone for Signature<P> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), core::marker::PhantomData)
    }
}

impl<P: ParameterSet> PartialEq for Signature<P> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<P: ParameterSet> Eq for Signature<P> {}

impl<P: ParameterSet> core::fmt::Debug for Signature<P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Signature<{}>({:02x?}..)", P::NAME, self.0.get(..8).unwrap_or_default())
    }
}

impl<P: ParameterSet> Signature<P> {
    /// Takes a signature of exactly the parameter set's length (every
    /// byte string of that length is a well-formed SLH-DSA signature).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a wrong length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != P::SIGNATURE_LEN {
            return Err(length_error("SLH-DSA signature", "the parameter set's signature length", bytes.len()));
        }
        Ok(Self(bytes.to_vec(), core::marker::PhantomData))
    }

    /// The encoded signature.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests;
