//! ML-DSA keys in the facade (RFC 9881): the LAMPS private-key `CHOICE`
//! inside PKCS #8, the raw public key inside `SubjectPublicKeyInfo`, pure
//! ML-DSA signatures with an optional context string.
//!
//! Entry points: [`MlDsaSet`], [`MlDsaPrivateKey`], [`MlDsaPublicKey`].

use alloc::vec::Vec;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{PrivateKeyForm, seed_choice};
use crate::Error;
use crate::asn1::oid;
use crate::mldsa::{MlDsa44, MlDsa65, MlDsa87, ParameterSet, Signature, SigningKey, VerifyingKey};
use crate::rng::CryptoRng;

/// Bytes of the ML-DSA seed xi.
const SEED_LEN: usize = 32;

/// An ML-DSA parameter set, for code that picks one at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MlDsaSet {
    /// ML-DSA-44.
    MlDsa44,
    /// ML-DSA-65.
    MlDsa65,
    /// ML-DSA-87.
    MlDsa87,
}

/// Runs `$body` with the type alias `$p` bound to the set's type.
macro_rules! with_set {
    ($set:expr, $p:ident => $body:expr) => {
        match $set {
            MlDsaSet::MlDsa44 => {
                type $p = MlDsa44;
                $body
            }
            MlDsaSet::MlDsa65 => {
                type $p = MlDsa65;
                $body
            }
            MlDsaSet::MlDsa87 => {
                type $p = MlDsa87;
                $body
            }
        }
    };
}

impl MlDsaSet {
    /// Every parameter set, smallest first.
    pub const ALL: [Self; 3] = [Self::MlDsa44, Self::MlDsa65, Self::MlDsa87];

    /// The FIPS 204 name, e.g. `ML-DSA-65`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        with_set!(self, P => P::NAME)
    }

    /// The algorithm OID (RFC 9881).
    #[must_use]
    pub const fn oid(self) -> &'static [u8] {
        match self {
            Self::MlDsa44 => oid::ML_DSA_44,
            Self::MlDsa65 => oid::ML_DSA_65,
            Self::MlDsa87 => oid::ML_DSA_87,
        }
    }

    /// The set with OID `algorithm`.
    #[must_use]
    pub fn from_oid(algorithm: &[u8]) -> Option<Self> {
        Self::ALL.into_iter().find(|set| set.oid() == algorithm)
    }

    /// Expanded secret key length.
    #[must_use]
    pub const fn secret_key_len(self) -> usize {
        with_set!(self, P => P::SECRET_KEY_LEN)
    }

    /// Signature length.
    #[must_use]
    pub const fn signature_len(self) -> usize {
        with_set!(self, P => P::SIGNATURE_LEN)
    }
}

/// An ML-DSA signing key: the expanded form, the public key, and the seed
/// xi when known. Zeroized on drop.
#[derive(Clone)]
pub struct MlDsaPrivateKey {
    set: MlDsaSet,
    seed: Option<Zeroizing<[u8; SEED_LEN]>>,
    expanded: Zeroizing<Vec<u8>>,
    public: Vec<u8>,
}

impl core::fmt::Debug for MlDsaPrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "MlDsaPrivateKey({}, seed: {})", self.set.name(), self.seed.is_some())
    }
}

impl MlDsaPrivateKey {
    /// The key generated from the seed xi.
    #[must_use]
    pub fn from_seed(set: MlDsaSet, seed: &[u8; SEED_LEN]) -> Self {
        let (expanded, public) = with_set!(set, P => {
            let key = SigningKey::<P>::from_seed(seed);
            (Zeroizing::new(key.as_bytes().to_vec()), key.verifying_key().as_bytes().to_vec())
        });
        Self { set, seed: Some(Zeroizing::new(*seed)), expanded, public }
    }

    /// A fresh key from 32 bytes of `rng`.
    ///
    /// # Errors
    /// The generator's error.
    pub fn generate(set: MlDsaSet, rng: &mut (impl CryptoRng + ?Sized)) -> Result<Self, Error> {
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        rng.try_fill_bytes(seed.as_mut())?;
        Ok(Self::from_seed(set, &seed))
    }

    /// Decodes the PKCS #8 `privateKey` octets (seed, expanded or both).
    ///
    /// # Errors
    /// [`Error::Malformed`] / [`Error::InvalidLength`] for a bad encoding,
    /// [`Error::InvalidKey`] for an expanded key out of range or a seed
    /// that does not regenerate the expanded key beside it.
    pub fn from_pkcs8_octets(set: MlDsaSet, octets: &[u8]) -> Result<Self, Error> {
        let decoded = seed_choice::decode(octets, SEED_LEN, set.secret_key_len())?;
        match (decoded.seed, decoded.expanded) {
            (Some(seed), expanded) => {
                let mut arr = Zeroizing::new([0u8; SEED_LEN]);
                arr.copy_from_slice(seed);
                let key = Self::from_seed(set, &arr);
                if let Some(expanded) = expanded
                    && !bool::from(key.expanded.as_slice().ct_eq(expanded))
                {
                    return Err(Error::InvalidKey { reason: "the seed does not regenerate the expanded ML-DSA key" });
                }
                Ok(key)
            }
            (None, Some(expanded)) => {
                let public =
                    with_set!(set, P => SigningKey::<P>::from_bytes(expanded)?.verifying_key().as_bytes().to_vec());
                Ok(Self { set, seed: None, expanded: Zeroizing::new(expanded.to_vec()), public })
            }
            (None, None) => Err(Error::Malformed { what: "ML-DSA private key", reason: "empty" }),
        }
    }

    /// The PKCS #8 `privateKey` octets in `form`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `form` needs a seed the key lacks.
    pub fn to_pkcs8_octets(&self, form: PrivateKeyForm) -> Result<Zeroizing<Vec<u8>>, Error> {
        seed_choice::encode(form, self.seed.as_ref().map(|s| s.as_slice()), &self.expanded)
    }

    /// The parameter set.
    #[must_use]
    pub const fn parameter_set(&self) -> MlDsaSet {
        self.set
    }

    /// The seed xi, when known.
    #[must_use]
    pub fn seed(&self) -> Option<&[u8; SEED_LEN]> {
        self.seed.as_deref()
    }

    /// The expanded secret key.
    #[must_use]
    pub fn expanded(&self) -> &[u8] {
        &self.expanded
    }

    /// The matching public key.
    #[must_use]
    pub fn public_key(&self) -> MlDsaPublicKey {
        MlDsaPublicKey { set: self.set, bytes: self.public.clone() }
    }

    /// Pure ML-DSA.Sign of `msg` with context `ctx` (at most 255 bytes):
    /// hedged with `rng`, or deterministic when `rng` is `None`.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a long context; generator failures.
    pub fn sign<R: CryptoRng>(&self, msg: &[u8], ctx: &[u8], rng: Option<&mut R>) -> Result<Vec<u8>, Error> {
        with_set!(self.set, P => {
            let key = match self.seed.as_deref() {
                Some(seed) => SigningKey::<P>::from_seed(seed),
                None => SigningKey::<P>::from_bytes(&self.expanded)?,
            };
            let sig = match rng {
                Some(rng) => key.sign(msg, ctx, rng)?,
                None => key.sign_deterministic(msg, ctx)?,
            };
            Ok(sig.to_vec())
        })
    }
}

/// An ML-DSA public key.
#[derive(Clone, PartialEq, Eq)]
pub struct MlDsaPublicKey {
    set: MlDsaSet,
    bytes: Vec<u8>,
}

impl core::fmt::Debug for MlDsaPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "MlDsaPublicKey({})", self.set.name())
    }
}

impl MlDsaPublicKey {
    /// Decodes the raw public key (length checked).
    ///
    /// # Errors
    /// [`Error::InvalidLength`].
    pub fn from_bytes(set: MlDsaSet, bytes: &[u8]) -> Result<Self, Error> {
        with_set!(set, P => { VerifyingKey::<P>::from_bytes(bytes)?; });
        Ok(Self { set, bytes: bytes.to_vec() })
    }

    /// The parameter set.
    #[must_use]
    pub const fn parameter_set(&self) -> MlDsaSet {
        self.set
    }

    /// The raw public key.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Pure ML-DSA.Verify of `signature` on `msg` with context `ctx`.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`], or [`Error::InvalidLength`] for a
    /// signature or context of the wrong size.
    pub fn verify(&self, msg: &[u8], ctx: &[u8], signature: &[u8]) -> Result<(), Error> {
        with_set!(self.set, P => {
            let key = VerifyingKey::<P>::from_bytes(&self.bytes)?;
            key.verify(msg, ctx, &Signature::<P>::from_bytes(signature)?)
        })
    }
}
