//! ML-KEM keys in the facade: the LAMPS private-key `CHOICE` inside PKCS
//! #8, the raw encapsulation key inside `SubjectPublicKeyInfo`.
//!
//! Entry points: [`MlKemPrivateKey`] and [`MlKemPublicKey`].

use alloc::vec::Vec;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{PrivateKeyForm, seed_choice};
use crate::Error;
use crate::asn1::oid;
use crate::mlkem::{ParameterSet, SEED_LEN, SharedSecret};
use crate::rng::CryptoRng;

/// The OID of a parameter set.
pub(crate) const fn oid_of(set: ParameterSet) -> &'static [u8] {
    match set {
        ParameterSet::MlKem512 => oid::ML_KEM_512,
        ParameterSet::MlKem768 => oid::ML_KEM_768,
        _ => oid::ML_KEM_1024,
    }
}

/// An ML-KEM decapsulation key: the expanded form, and the seed `d || z`
/// when known. Zeroized on drop.
#[derive(Clone)]
pub struct MlKemPrivateKey {
    set: ParameterSet,
    seed: Option<Zeroizing<[u8; SEED_LEN]>>,
    expanded: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for MlKemPrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "MlKemPrivateKey({}, seed: {})", self.set.name(), self.seed.is_some())
    }
}

impl MlKemPrivateKey {
    /// The key generated from the seed `d || z`.
    #[must_use]
    pub fn from_seed(set: ParameterSet, seed: &[u8; SEED_LEN]) -> Self {
        let mut expanded = Zeroizing::new(alloc::vec![0u8; set.decapsulation_key_len()]);
        let mut ek = alloc::vec![0u8; set.encapsulation_key_len()];
        // Buffers have the set's lengths, so this cannot fail.
        let _ = set.generate_from_seed_into(seed, &mut ek, &mut expanded);
        Self { set, seed: Some(Zeroizing::new(*seed)), expanded }
    }

    /// A fresh key from 64 bytes of `rng`.
    ///
    /// # Errors
    /// The generator's error.
    pub fn generate(set: ParameterSet, rng: &mut (impl CryptoRng + ?Sized)) -> Result<Self, Error> {
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        rng.try_fill_bytes(seed.as_mut())?;
        Ok(Self::from_seed(set, &seed))
    }

    /// Decodes the PKCS #8 `privateKey` octets (seed, expanded or both).
    ///
    /// # Errors
    /// [`Error::Malformed`] / [`Error::InvalidLength`] for a bad encoding,
    /// [`Error::InvalidKey`] when an expanded key fails the FIPS 203 hash
    /// check or a seed does not regenerate the expanded key beside it.
    pub fn from_pkcs8_octets(set: ParameterSet, octets: &[u8]) -> Result<Self, Error> {
        let decoded = seed_choice::decode(octets, SEED_LEN, set.decapsulation_key_len())?;
        match (decoded.seed, decoded.expanded) {
            (Some(seed), expanded) => {
                let mut arr = Zeroizing::new([0u8; SEED_LEN]);
                arr.copy_from_slice(seed);
                let key = Self::from_seed(set, &arr);
                if let Some(expanded) = expanded
                    && !bool::from(key.expanded.as_slice().ct_eq(expanded))
                {
                    return Err(Error::InvalidKey { reason: "the seed does not regenerate the expanded ML-KEM key" });
                }
                Ok(key)
            }
            (None, Some(expanded)) => {
                set.check_decapsulation_key(expanded)?;
                Ok(Self { set, seed: None, expanded: Zeroizing::new(expanded.to_vec()) })
            }
            (None, None) => Err(Error::Malformed { what: "ML-KEM private key", reason: "empty" }),
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
    pub const fn parameter_set(&self) -> ParameterSet {
        self.set
    }

    /// The seed `d || z`, when known.
    #[must_use]
    pub fn seed(&self) -> Option<&[u8; SEED_LEN]> {
        self.seed.as_deref()
    }

    /// The expanded decapsulation key.
    #[must_use]
    pub fn expanded(&self) -> &[u8] {
        &self.expanded
    }

    /// The matching encapsulation key (embedded in the expanded key).
    #[must_use]
    pub fn public_key(&self) -> MlKemPublicKey {
        let start = 384 * self.rank();
        let ek = self.expanded.get(start..start + self.set.encapsulation_key_len()).unwrap_or_default();
        MlKemPublicKey { set: self.set, bytes: ek.to_vec() }
    }

    const fn rank(&self) -> usize {
        match self.set {
            ParameterSet::MlKem512 => 2,
            ParameterSet::MlKem768 => 3,
            _ => 4,
        }
    }

    /// Decapsulates `ciphertext`.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a ciphertext of the wrong length.
    pub fn decapsulate(&self, ciphertext: &[u8]) -> Result<SharedSecret, Error> {
        self.set.decapsulate(&self.expanded, ciphertext)
    }
}

/// An ML-KEM encapsulation key (passed the FIPS 203 modulus check).
#[derive(Clone, PartialEq, Eq)]
pub struct MlKemPublicKey {
    set: ParameterSet,
    bytes: Vec<u8>,
}

impl core::fmt::Debug for MlKemPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "MlKemPublicKey({})", self.set.name())
    }
}

impl MlKemPublicKey {
    /// Decodes and checks the raw encapsulation key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] or [`Error::InvalidKey`] (modulus check).
    pub fn from_bytes(set: ParameterSet, bytes: &[u8]) -> Result<Self, Error> {
        set.check_encapsulation_key(bytes)?;
        Ok(Self { set, bytes: bytes.to_vec() })
    }

    /// The parameter set.
    #[must_use]
    pub const fn parameter_set(&self) -> ParameterSet {
        self.set
    }

    /// The raw encapsulation key.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Encapsulates to this key: `(ciphertext, shared secret)`.
    ///
    /// # Errors
    /// The generator's error.
    pub fn encapsulate(&self, rng: &mut (impl CryptoRng + ?Sized)) -> Result<(Vec<u8>, SharedSecret), Error> {
        let mut ct = alloc::vec![0u8; self.set.ciphertext_len()];
        let ss = self.set.encapsulate_into(&self.bytes, rng, &mut ct)?;
        Ok((ct, ss))
    }
}
