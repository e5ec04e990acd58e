//! ML-KEM (FIPS 203): the module-lattice key-encapsulation mechanism, in
//! its three parameter sets ML-KEM-512, ML-KEM-768 and ML-KEM-1024.
//!
//! Entry points, one module per parameter set ([`ml_kem_512`],
//! [`ml_kem_768`], [`ml_kem_1024`]), each with the same shape:
//! `generate(rng)` / `generate_from_seed(&seed)` give a
//! `(DecapsulationKey, EncapsulationKey)` pair; `EncapsulationKey::
//! encapsulate(rng)` gives a `(Ciphertext, SharedSecret)`;
//! `DecapsulationKey::decapsulate(&ciphertext)` gives the [`SharedSecret`]
//! back (or, for a ciphertext that was not made for this key, the
//! implicit-rejection key: decapsulation never reports failure, by design).
//! [`ParameterSet`] offers the same operations on byte slices when the
//! parameter set is only known at run time (the vector runner, the CLI).
//!
//! Keys decoded from bytes are checked as FIPS 203 section 7 requires: an
//! encapsulation key's coefficients must be below q ("modulus check"), and
//! an expanded decapsulation key must carry the hash of its embedded
//! encapsulation key ("hash check"); failures are typed errors. A
//! decapsulation key remembers its 64-byte seed `d || z` when it was made
//! from one, since the LAMPS PKCS#8 formats can carry either form.
//!
//! Nothing here allocates; key material is zeroized on drop and `Debug`
//! prints no secrets.
//!
//! ```
//! use purecrypto::mlkem::ml_kem_768;
//!
//! let seed = [7u8; 64]; // use generate(&mut rng) with a real generator
//! let (dk, ek) = ml_kem_768::generate_from_seed(&seed);
//! let (ct, sender_secret) = ek.encapsulate_derand(&[1u8; 32]);
//! let receiver_secret = dk.decapsulate(&ct);
//! assert_eq!(sender_secret, receiver_secret);
//! ```

mod encode;
#[doc(hidden)]
pub mod fuzz;
mod kem;
mod kpke;
mod ntt;
mod params;
mod poly;
mod sampling;

/// What the AVX2 kernels in `arch` share with the portable code (unused
/// when the soft backend compiles them out).
#[allow(unused_imports)]
pub(crate) mod for_arch {
    pub(crate) use super::ntt::{GAMMAS, INV_NTT_SCALE, ZETAS};
    pub(crate) use super::poly::{BARRETT_V, Poly, Q, QINV};
}

use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::Error;
use crate::rng::CryptoRng;
use params::{ML_KEM_512, ML_KEM_768, ML_KEM_1024, Params};

/// Bytes of a shared secret.
pub const SHARED_SECRET_LEN: usize = 32;
/// Bytes of the seed form `d || z` of a decapsulation key.
pub const SEED_LEN: usize = 64;

/// The 32-byte key both sides agree on. Compared in constant time;
/// zeroized on drop.
#[derive(Clone)]
pub struct SharedSecret([u8; SHARED_SECRET_LEN]);

impl SharedSecret {
    /// The secret bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; SHARED_SECRET_LEN] {
        &self.0
    }
}

impl PartialEq for SharedSecret {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).unwrap_u8() == 1
    }
}

impl Eq for SharedSecret {}

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedSecret { .. }")
    }
}

impl Drop for SharedSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// An ML-KEM parameter set, for code that picks one at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParameterSet {
    /// ML-KEM-512 (NIST security category 1).
    MlKem512,
    /// ML-KEM-768 (category 3).
    MlKem768,
    /// ML-KEM-1024 (category 5).
    MlKem1024,
}

/// Runs `$f::<K>(params, ...)` for the parameter set's rank.
macro_rules! with_rank {
    ($set:expr, $f:ident ( $($arg:expr),* )) => {
        match $set {
            ParameterSet::MlKem512 => $f::<2>(&ML_KEM_512, $($arg),*),
            ParameterSet::MlKem768 => $f::<3>(&ML_KEM_768, $($arg),*),
            ParameterSet::MlKem1024 => $f::<4>(&ML_KEM_1024, $($arg),*),
        }
    };
}

impl ParameterSet {
    /// Every parameter set, smallest first.
    pub const ALL: [Self; 3] = [Self::MlKem512, Self::MlKem768, Self::MlKem1024];

    const fn params(self) -> &'static Params {
        match self {
            Self::MlKem512 => &ML_KEM_512,
            Self::MlKem768 => &ML_KEM_768,
            Self::MlKem1024 => &ML_KEM_1024,
        }
    }

    /// The FIPS 203 name, e.g. `ML-KEM-768`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        self.params().name
    }

    /// The parameter set with FIPS 203 name `name` (`ML-KEM-768`; case and
    /// the dashes are ignored, so `mlkem768` works too).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let key = |s: &str| {
            s.bytes().filter(|b| *b != b'-' && *b != b'_').map(|b| b.to_ascii_lowercase()).collect::<MaxName>()
        };
        Self::ALL.into_iter().find(|set| key(set.name()) == key(name))
    }

    /// Encapsulation-key length in bytes.
    #[must_use]
    pub const fn encapsulation_key_len(self) -> usize {
        self.params().ek_len()
    }

    /// Expanded decapsulation-key length in bytes.
    #[must_use]
    pub const fn decapsulation_key_len(self) -> usize {
        self.params().dk_len()
    }

    /// Ciphertext length in bytes.
    #[must_use]
    pub const fn ciphertext_len(self) -> usize {
        self.params().ct_len()
    }

    /// Key generation from the seed `d || z` into caller buffers of the
    /// exact key lengths.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when a buffer has the wrong length.
    pub fn generate_from_seed_into(self, seed: &[u8; SEED_LEN], ek: &mut [u8], dk: &mut [u8]) -> Result<(), Error> {
        let p = self.params();
        expect_len("ML-KEM encapsulation key buffer", p.ek_len(), p.ek_len_text(), ek.len())?;
        expect_len("ML-KEM decapsulation key buffer", p.dk_len(), p.dk_len_text(), dk.len())?;
        let (d, z) = split_seed(seed);
        with_rank!(self, keygen_with(d, z, ek, dk));
        Ok(())
    }

    /// The FIPS 203 encapsulation-key check (length and modulus check).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] or [`Error::InvalidKey`].
    pub fn check_encapsulation_key(self, ek: &[u8]) -> Result<(), Error> {
        kem::check_ek(self.params(), ek)
    }

    /// The FIPS 203 decapsulation-key check (length and hash check).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] or [`Error::InvalidKey`].
    pub fn check_decapsulation_key(self, dk: &[u8]) -> Result<(), Error> {
        kem::check_dk(self.params(), dk)
    }

    /// Deterministic encapsulation with the message `m` (for known-answer
    /// tests; real use takes `m` from a generator, see
    /// [`ParameterSet::encapsulate_into`]). Checks `ek` first.
    ///
    /// # Errors
    /// As [`ParameterSet::check_encapsulation_key`], and
    /// [`Error::InvalidLength`] for a wrong-size `ct`.
    pub fn encapsulate_derand_into(self, ek: &[u8], m: &[u8; 32], ct: &mut [u8]) -> Result<SharedSecret, Error> {
        let p = self.params();
        kem::check_ek(p, ek)?;
        expect_len("ML-KEM ciphertext buffer", p.ct_len(), p.ct_len_text(), ct.len())?;
        Ok(SharedSecret(with_rank!(self, encaps_with(ek, m, ct))))
    }

    /// Encapsulation with 32 random bytes from `rng`.
    ///
    /// # Errors
    /// As [`ParameterSet::encapsulate_derand_into`], or the generator's error.
    pub fn encapsulate_into(
        self,
        ek: &[u8],
        rng: &mut (impl CryptoRng + ?Sized),
        ct: &mut [u8],
    ) -> Result<SharedSecret, Error> {
        let mut m = [0u8; 32];
        rng.try_fill_bytes(&mut m)?;
        let out = self.encapsulate_derand_into(ek, &m, ct);
        m.zeroize();
        out
    }

    /// Decapsulation of `ct` with the expanded key `dk`, after the
    /// FIPS 203 input checks (lengths and the key's hash check). A
    /// ciphertext of the right length never fails: a forged one yields the
    /// implicit-rejection key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] or [`Error::InvalidKey`].
    pub fn decapsulate(self, dk: &[u8], ct: &[u8]) -> Result<SharedSecret, Error> {
        let p = self.params();
        kem::check_dk(p, dk)?;
        expect_len("ML-KEM ciphertext", p.ct_len(), p.ct_len_text(), ct.len())?;
        Ok(SharedSecret(with_rank!(self, decaps_with(dk, ct))))
    }
}

/// A case-folded name without dashes, truncated to 16 bytes (longer
/// names match nothing: the longest real one, `mlkem1024`, has 9).
#[derive(PartialEq, Eq)]
struct MaxName([u8; 16], usize);

impl FromIterator<u8> for MaxName {
    fn from_iter<I: IntoIterator<Item = u8>>(iter: I) -> Self {
        let mut out = Self([0; 16], 0);
        for b in iter {
            if let Some(slot) = out.0.get_mut(out.1) {
                *slot = b;
            }
            out.1 += 1;
        }
        out
    }
}

fn keygen_with<const K: usize>(p: &Params, d: &[u8; 32], z: &[u8; 32], ek: &mut [u8], dk: &mut [u8]) {
    let mut expanded = kpke::Expanded::<K>::zero();
    kem::keygen_internal::<K>(p, d, z, ek, dk, &|_| {}, &mut expanded);
    expanded.zeroize();
}

fn encaps_with<const K: usize>(p: &Params, ek: &[u8], m: &[u8; 32], ct: &mut [u8]) -> [u8; 32] {
    kem::encaps_internal::<K>(p, ek, &kem::h(ek), m, ct)
}

fn decaps_with<const K: usize>(p: &Params, dk: &[u8], ct: &[u8]) -> [u8; 32] {
    kem::decaps_internal::<K>(p, dk, ct)
}

fn expect_len(what: &'static str, want: usize, expected: &'static str, actual: usize) -> Result<(), Error> {
    if want == actual { Ok(()) } else { Err(Error::InvalidLength { what, expected, actual }) }
}

fn split_seed(seed: &[u8; SEED_LEN]) -> (&[u8; 32], &[u8; 32]) {
    let (d, z) = seed.split_at(32);
    // Both halves are exactly 32 bytes of a 64-byte array.
    (d.try_into().unwrap_or(&[0; 32]), z.try_into().unwrap_or(&[0; 32]))
}

/// Defines one parameter set's fixed-size types and functions.
macro_rules! parameter_set {
    ($module:ident, $set:ident, $k:literal, $name:literal, $ek:literal, $dk:literal, $ct:literal) => {
        #[doc = concat!($name, " (FIPS 203): fixed-size keys and ciphertexts, no allocation.")]
        ///
        /// Entry points: `generate`, `generate_from_seed`,
        /// `EncapsulationKey::encapsulate` and
        /// `DecapsulationKey::decapsulate`.
        pub mod $module {
            use core::fmt;

            use zeroize::Zeroize;

            use super::kpke::Expanded;
            use super::params::$set as PARAMS;
            use super::{SEED_LEN, SharedSecret, kem, split_seed};
            use crate::Error;
            use crate::rng::CryptoRng;

            /// Encapsulation-key length in bytes.
            pub const ENCAPSULATION_KEY_LEN: usize = $ek;
            /// Expanded decapsulation-key length in bytes.
            pub const DECAPSULATION_KEY_LEN: usize = $dk;
            /// Ciphertext length in bytes.
            pub const CIPHERTEXT_LEN: usize = $ct;

            /// The public key a sender encapsulates to. Always passed the
            /// FIPS 203 modulus check. Holds `H(ek)` too, computed once
            /// rather than on every encapsulation.
            #[derive(Clone, PartialEq, Eq)]
            pub struct EncapsulationKey {
                bytes: [u8; $ek],
                h: [u8; 32],
            }

            /// The receiver's private key, in expanded form (and with its
            /// seed when made from one). Zeroized on drop.
            ///
            /// It also keeps the K-PKE key decoded and the public matrix Â
            /// sampled (in the NTT domain, about 7.5 KiB for ML-KEM-768),
            /// so decapsulation does neither; key generation has them at
            /// hand, decoding from bytes computes them once.
            #[derive(Clone)]
            pub struct DecapsulationKey {
                expanded: [u8; $dk],
                seed: [u8; SEED_LEN],
                has_seed: bool,
                pke: Expanded<$k>,
            }

            /// A ciphertext. Any byte string of the right length is one.
            #[derive(Clone, PartialEq, Eq)]
            pub struct Ciphertext([u8; $ct]);

            /// A fresh key pair from 64 bytes of `rng`.
            ///
            /// # Errors
            /// The generator's error, if it reports one.
            pub fn generate(
                rng: &mut (impl CryptoRng + ?Sized),
            ) -> Result<(DecapsulationKey, EncapsulationKey), Error> {
                let mut seed = [0u8; SEED_LEN];
                rng.try_fill_bytes(&mut seed)?;
                let pair = generate_from_seed(&seed);
                seed.zeroize();
                Ok(pair)
            }

            /// The key pair for the seed `d || z` (`ML-KEM.KeyGen_internal`).
            #[must_use]
            pub fn generate_from_seed(seed: &[u8; SEED_LEN]) -> (DecapsulationKey, EncapsulationKey) {
                let mut ek = [0u8; $ek];
                let mut dk =
                    DecapsulationKey { expanded: [0u8; $dk], seed: *seed, has_seed: true, pke: Expanded::zero() };
                let (d, z) = split_seed(seed);
                kem::keygen_internal::<$k>(&PARAMS, d, z, &mut ek, &mut dk.expanded, &|_| {}, &mut dk.pke);
                let h = dk.stored_h();
                (dk, EncapsulationKey { bytes: ek, h })
            }

            impl EncapsulationKey {
                /// Decodes and checks an encapsulation key.
                ///
                /// # Errors
                /// [`Error::InvalidLength`] for a wrong length,
                /// [`Error::InvalidKey`] when a coefficient is not below q.
                pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
                    kem::check_ek(&PARAMS, bytes)?;
                    let mut ek = [0u8; $ek];
                    ek.copy_from_slice(bytes);
                    Ok(Self { bytes: ek, h: kem::h(bytes) })
                }

                /// The encoded key.
                #[must_use]
                pub const fn as_bytes(&self) -> &[u8; $ek] {
                    &self.bytes
                }

                /// Encapsulates a fresh shared secret (32 bytes of `rng`).
                ///
                /// # Errors
                /// The generator's error, if it reports one.
                pub fn encapsulate(
                    &self,
                    rng: &mut (impl CryptoRng + ?Sized),
                ) -> Result<(Ciphertext, SharedSecret), Error> {
                    let mut m = [0u8; 32];
                    rng.try_fill_bytes(&mut m)?;
                    let out = self.encapsulate_derand(&m);
                    m.zeroize();
                    Ok(out)
                }

                /// Deterministic encapsulation with message `m`
                /// (`ML-KEM.Encaps_internal`): for known-answer tests only,
                /// since reusing `m` reuses the shared secret.
                #[must_use]
                pub fn encapsulate_derand(&self, m: &[u8; 32]) -> (Ciphertext, SharedSecret) {
                    let mut ct = [0u8; $ct];
                    let key = kem::encaps_internal::<$k>(&PARAMS, &self.bytes, &self.h, m, &mut ct);
                    (Ciphertext(ct), SharedSecret(key))
                }
            }

            impl fmt::Debug for EncapsulationKey {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    write!(f, concat!("EncapsulationKey(", $name, ", {:02x?}..)"), &self.bytes[..8])
                }
            }

            impl DecapsulationKey {
                /// The key for the seed `d || z`; same as
                /// [`generate_from_seed`] without the encapsulation key.
                #[must_use]
                pub fn from_seed(seed: &[u8; SEED_LEN]) -> Self {
                    generate_from_seed(seed).0
                }

                /// Decodes an expanded decapsulation key after the FIPS 203
                /// hash check. The result has no seed.
                ///
                /// # Errors
                /// [`Error::InvalidLength`] for a wrong length,
                /// [`Error::InvalidKey`] when the embedded hash of the
                /// encapsulation key does not match.
                pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
                    kem::check_dk(&PARAMS, bytes)?;
                    let mut dk =
                        Self { expanded: [0u8; $dk], seed: [0u8; SEED_LEN], has_seed: false, pke: Expanded::zero() };
                    dk.expanded.copy_from_slice(bytes);
                    let (dk_pke, rest) = dk.expanded.split_at(PARAMS.dk_pke_len());
                    dk.pke.fill_from(dk_pke, rest.get(..$ek).unwrap_or_default());
                    Ok(dk)
                }

                /// The expanded form `dk_pke || ek || H(ek) || z`.
                #[must_use]
                pub const fn as_bytes(&self) -> &[u8; $dk] {
                    &self.expanded
                }

                /// The seed `d || z`, when the key was made from one.
                #[must_use]
                pub fn seed(&self) -> Option<&[u8; SEED_LEN]> {
                    self.has_seed.then_some(&self.seed)
                }

                /// The matching encapsulation key (embedded in the
                /// expanded form).
                #[must_use]
                pub fn encapsulation_key(&self) -> EncapsulationKey {
                    let mut ek = [0u8; $ek];
                    let start = PARAMS.dk_pke_len();
                    ek.copy_from_slice(self.expanded.get(start..start + $ek).unwrap_or(&[0u8; $ek]));
                    EncapsulationKey { bytes: ek, h: self.stored_h() }
                }

                /// The decoded K-PKE key and sampled matrix it keeps.
                #[cfg(test)]
                pub(crate) fn pke(&self) -> &Expanded<$k> {
                    &self.pke
                }

                /// The `H(ek)` stored in the expanded key (checked against
                /// `ek` when the key was decoded, computed when generated).
                fn stored_h(&self) -> [u8; 32] {
                    let mut h = [0u8; 32];
                    let start = $dk - 64;
                    h.copy_from_slice(self.expanded.get(start..start + 32).unwrap_or(&[0u8; 32]));
                    h
                }

                /// Decapsulates `ct`: the sender's shared secret, or the
                /// implicit-rejection key when `ct` was not produced for
                /// this key (the two cannot be told apart here, on purpose).
                #[must_use]
                pub fn decapsulate(&self, ct: &Ciphertext) -> SharedSecret {
                    SharedSecret(kem::decaps_expanded::<$k>(&PARAMS, &self.pke, &self.expanded, &ct.0))
                }
            }

            impl fmt::Debug for DecapsulationKey {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str(concat!("DecapsulationKey(", $name, ") { .. }"))
                }
            }

            impl Drop for DecapsulationKey {
                fn drop(&mut self) {
                    self.expanded.zeroize();
                    self.seed.zeroize();
                    self.pke.zeroize();
                }
            }

            impl Ciphertext {
                /// A ciphertext from its bytes.
                ///
                /// # Errors
                /// [`Error::InvalidLength`] for a wrong length.
                pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
                    let ct: [u8; $ct] = bytes.try_into().map_err(|_| Error::InvalidLength {
                        what: concat!($name, " ciphertext"),
                        expected: stringify!($ct),
                        actual: bytes.len(),
                    })?;
                    Ok(Self(ct))
                }

                /// The ciphertext bytes.
                #[must_use]
                pub const fn as_bytes(&self) -> &[u8; $ct] {
                    &self.0
                }
            }

            impl fmt::Debug for Ciphertext {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    write!(f, concat!("Ciphertext(", $name, ", {:02x?}..)"), &self.0[..8])
                }
            }
        }
    };
}

parameter_set!(ml_kem_512, ML_KEM_512, 2, "ML-KEM-512", 800, 1632, 768);
parameter_set!(ml_kem_768, ML_KEM_768, 3, "ML-KEM-768", 1184, 2400, 1088);
parameter_set!(ml_kem_1024, ML_KEM_1024, 4, "ML-KEM-1024", 1568, 3168, 1568);

#[cfg(test)]
mod tests;
