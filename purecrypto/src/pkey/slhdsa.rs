//! SLH-DSA keys in the facade (RFC 9909): the raw 4n-byte secret key as
//! the PKCS #8 `privateKey` octets, the raw 2n-byte public key inside
//! `SubjectPublicKeyInfo`, pure SLH-DSA signatures with a context string.
//!
//! Entry points: [`SlhDsaSet`], [`SlhDsaPrivateKey`], [`SlhDsaPublicKey`].

use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::Error;
use crate::asn1::oid;
use crate::rng::CryptoRng;
use crate::slhdsa::{
    ParameterSet, Signature, SigningKey, SlhDsaSha2_128f, SlhDsaSha2_128s, SlhDsaSha2_192f, SlhDsaSha2_192s,
    SlhDsaSha2_256f, SlhDsaSha2_256s, SlhDsaShake128f, SlhDsaShake128s, SlhDsaShake192f, SlhDsaShake192s,
    SlhDsaShake256f, SlhDsaShake256s, VerifyingKey,
};

/// Declares [`SlhDsaSet`] and the dispatch macro from one table.
macro_rules! sets {
    ($($variant:ident => $ty:ident, $oid:ident;)*) => {
        /// An SLH-DSA parameter set, for code that picks one at run time.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum SlhDsaSet {
            $(
                #[doc = concat!("`", stringify!($ty), "`.")]
                $variant,
            )*
        }

        impl SlhDsaSet {
            /// All twelve sets of FIPS 205 Table 2.
            pub const ALL: [Self; 12] = [$(Self::$variant),*];

            /// The algorithm OID (RFC 9909).
            #[must_use]
            pub const fn oid(self) -> &'static [u8] {
                match self {
                    $(Self::$variant => oid::$oid,)*
                }
            }
        }

        /// Runs `$body` with the type alias `$p` bound to the set's type.
        macro_rules! with_set {
            ($set:expr, $p:ident => $body:expr) => {
                match $set {
                    $(SlhDsaSet::$variant => {
                        type $p = $ty;
                        $body
                    })*
                }
            };
        }
    };
}

sets! {
    Sha2_128s => SlhDsaSha2_128s, SLH_DSA_SHA2_128S;
    Sha2_128f => SlhDsaSha2_128f, SLH_DSA_SHA2_128F;
    Sha2_192s => SlhDsaSha2_192s, SLH_DSA_SHA2_192S;
    Sha2_192f => SlhDsaSha2_192f, SLH_DSA_SHA2_192F;
    Sha2_256s => SlhDsaSha2_256s, SLH_DSA_SHA2_256S;
    Sha2_256f => SlhDsaSha2_256f, SLH_DSA_SHA2_256F;
    Shake128s => SlhDsaShake128s, SLH_DSA_SHAKE_128S;
    Shake128f => SlhDsaShake128f, SLH_DSA_SHAKE_128F;
    Shake192s => SlhDsaShake192s, SLH_DSA_SHAKE_192S;
    Shake192f => SlhDsaShake192f, SLH_DSA_SHAKE_192F;
    Shake256s => SlhDsaShake256s, SLH_DSA_SHAKE_256S;
    Shake256f => SlhDsaShake256f, SLH_DSA_SHAKE_256F;
}

impl SlhDsaSet {
    /// The FIPS 205 name, e.g. `SLH-DSA-SHA2-128f`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        with_set!(self, P => P::NAME)
    }

    /// The set with OID `algorithm`.
    #[must_use]
    pub fn from_oid(algorithm: &[u8]) -> Option<Self> {
        Self::ALL.into_iter().find(|set| set.oid() == algorithm)
    }

    /// Secret key length (4n).
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

/// An SLH-DSA secret key `SK.seed || SK.prf || PK.seed || PK.root`.
/// Zeroized on drop.
#[derive(Clone)]
pub struct SlhDsaPrivateKey {
    set: SlhDsaSet,
    bytes: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for SlhDsaPrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SlhDsaPrivateKey({})", self.set.name())
    }
}

impl SlhDsaPrivateKey {
    /// A fresh key from 3n bytes of `rng`.
    ///
    /// # Errors
    /// The generator's error.
    pub fn generate(set: SlhDsaSet, rng: &mut (impl CryptoRng + ?Sized)) -> Result<Self, Error> {
        let mut seeds = Zeroizing::new([0u8; 96]);
        let n = set.secret_key_len() / 4;
        let seeds = seeds.get_mut(..3 * n).unwrap_or_default();
        rng.try_fill_bytes(seeds)?;
        let (sk_seed, rest) = seeds.split_at(n);
        let (sk_prf, pk_seed) = rest.split_at(n);
        let bytes = with_set!(set, P => Zeroizing::new(SigningKey::<P>::from_seeds(sk_seed, sk_prf, pk_seed)?.as_bytes().to_vec()));
        Ok(Self { set, bytes })
    }

    /// Decodes the PKCS #8 `privateKey` octets: the raw 4n-byte key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`].
    pub fn from_pkcs8_octets(set: SlhDsaSet, octets: &[u8]) -> Result<Self, Error> {
        with_set!(set, P => { SigningKey::<P>::from_bytes(octets)?; });
        Ok(Self { set, bytes: Zeroizing::new(octets.to_vec()) })
    }

    /// The raw 4n-byte key (the PKCS #8 `privateKey` octets).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The parameter set.
    #[must_use]
    pub const fn parameter_set(&self) -> SlhDsaSet {
        self.set
    }

    /// The matching public key `PK.seed || PK.root`.
    #[must_use]
    pub fn public_key(&self) -> SlhDsaPublicKey {
        let half = self.bytes.len() / 2;
        SlhDsaPublicKey { set: self.set, bytes: self.bytes.get(half..).unwrap_or_default().to_vec() }
    }

    /// Pure SLH-DSA.Sign of `msg` with context `ctx`: randomized with
    /// `rng`, or deterministic when `rng` is `None`.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a long context; generator failures.
    pub fn sign<R: CryptoRng>(&self, msg: &[u8], ctx: &[u8], rng: Option<&mut R>) -> Result<Vec<u8>, Error> {
        with_set!(self.set, P => {
            let key = SigningKey::<P>::from_bytes(&self.bytes)?;
            let sig = match rng {
                Some(rng) => key.sign(msg, ctx, rng)?,
                None => key.sign_deterministic(msg, ctx)?,
            };
            Ok(sig.as_bytes().to_vec())
        })
    }
}

/// An SLH-DSA public key `PK.seed || PK.root`.
#[derive(Clone, PartialEq, Eq)]
pub struct SlhDsaPublicKey {
    set: SlhDsaSet,
    bytes: Vec<u8>,
}

impl core::fmt::Debug for SlhDsaPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SlhDsaPublicKey({})", self.set.name())
    }
}

impl SlhDsaPublicKey {
    /// Decodes the raw 2n-byte public key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`].
    pub fn from_bytes(set: SlhDsaSet, bytes: &[u8]) -> Result<Self, Error> {
        with_set!(set, P => { VerifyingKey::<P>::from_bytes(bytes)?; });
        Ok(Self { set, bytes: bytes.to_vec() })
    }

    /// The parameter set.
    #[must_use]
    pub const fn parameter_set(&self) -> SlhDsaSet {
        self.set
    }

    /// The raw public key.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Pure SLH-DSA.Verify of `signature` on `msg` with context `ctx`.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] or [`Error::InvalidLength`].
    pub fn verify(&self, msg: &[u8], ctx: &[u8], signature: &[u8]) -> Result<(), Error> {
        with_set!(self.set, P => {
            let key = VerifyingKey::<P>::from_bytes(&self.bytes)?;
            key.verify(msg, ctx, &Signature::<P>::from_bytes(signature)?)
        })
    }
}
