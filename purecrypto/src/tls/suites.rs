//! The negotiable algorithms: cipher suites, key-exchange groups and
//! signature schemes as open code points, plus what each one means
//! (hash, AEAD key length, how to make and use a key share).
//!
//! Entry points: [`CipherSuite`], [`NamedGroup`], [`SignatureScheme`] and
//! their `SUPPORTED` tables.

use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::error::Error;
use crate::ec::{P256, P384, P521, PublicKey as EcPublicKey, SecretKey as EcSecretKey};
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;

macro_rules! code_point {
    ($(#[$doc:meta])* $ty:ident($int:ty) { $($name:ident = $value:expr, $text:expr;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $ty(pub $int);

        impl $ty {
            $(
                #[doc = concat!("`", $text, "`.")]
                pub const $name: Self = Self($value);
            )*

            /// The registry name of a known value.
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some($text),)*
                    _ => None,
                }
            }

            /// Looks a value up by its registry name.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($text => Some(Self::$name),)*
                    _ => None,
                }
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "{}({:#06x})", stringify!($ty), self.0),
                }
            }
        }
    };
}

code_point! {
    /// A TLS cipher suite (RFC 8446 appendix B.4).
    CipherSuite(u16) {
        TLS_AES_128_GCM_SHA256 = 0x1301, "TLS_AES_128_GCM_SHA256";
        TLS_AES_256_GCM_SHA384 = 0x1302, "TLS_AES_256_GCM_SHA384";
        TLS_CHACHA20_POLY1305_SHA256 = 0x1303, "TLS_CHACHA20_POLY1305_SHA256";
    }
}

code_point! {
    /// A key-exchange group (RFC 8446 section 4.2.7).
    NamedGroup(u16) {
        SECP256R1 = 0x0017, "P-256";
        SECP384R1 = 0x0018, "P-384";
        SECP521R1 = 0x0019, "P-521";
        X25519 = 0x001d, "X25519";
    }
}

code_point! {
    /// A signature scheme (RFC 8446 section 4.2.3).
    SignatureScheme(u16) {
        ECDSA_SECP256R1_SHA256 = 0x0403, "ecdsa_secp256r1_sha256";
        ECDSA_SECP384R1_SHA384 = 0x0503, "ecdsa_secp384r1_sha384";
        ECDSA_SECP521R1_SHA512 = 0x0603, "ecdsa_secp521r1_sha512";
        RSA_PSS_RSAE_SHA256 = 0x0804, "rsa_pss_rsae_sha256";
        RSA_PSS_RSAE_SHA384 = 0x0805, "rsa_pss_rsae_sha384";
        RSA_PSS_RSAE_SHA512 = 0x0806, "rsa_pss_rsae_sha512";
        ED25519 = 0x0807, "ed25519";
    }
}

impl CipherSuite {
    /// Every suite this implementation speaks, in default preference order.
    pub const SUPPORTED: &'static [Self] =
        &[Self::TLS_AES_128_GCM_SHA256, Self::TLS_AES_256_GCM_SHA384, Self::TLS_CHACHA20_POLY1305_SHA256];

    /// The suite's hash (transcript and key schedule), `None` if unknown.
    #[must_use]
    pub const fn hash(self) -> Option<HashAlgorithm> {
        match self {
            Self::TLS_AES_128_GCM_SHA256 | Self::TLS_CHACHA20_POLY1305_SHA256 => Some(HashAlgorithm::Sha256),
            Self::TLS_AES_256_GCM_SHA384 => Some(HashAlgorithm::Sha384),
            _ => None,
        }
    }

    /// The AEAD key length in bytes.
    pub(crate) const fn key_len(self) -> usize {
        match self {
            Self::TLS_AES_128_GCM_SHA256 => 16,
            _ => 32,
        }
    }

    pub(crate) fn is_supported(self) -> bool {
        Self::SUPPORTED.contains(&self)
    }
}

impl NamedGroup {
    /// Every group this implementation speaks, in default preference order.
    pub const SUPPORTED: &'static [Self] = &[Self::X25519, Self::SECP256R1, Self::SECP384R1, Self::SECP521R1];

    pub(crate) fn is_supported(self) -> bool {
        Self::SUPPORTED.contains(&self)
    }
}

impl SignatureScheme {
    /// Every scheme this implementation verifies, in default preference
    /// order.
    pub const SUPPORTED: &'static [Self] = &[
        Self::ED25519,
        Self::ECDSA_SECP256R1_SHA256,
        Self::ECDSA_SECP384R1_SHA384,
        Self::ECDSA_SECP521R1_SHA512,
        Self::RSA_PSS_RSAE_SHA256,
        Self::RSA_PSS_RSAE_SHA384,
        Self::RSA_PSS_RSAE_SHA512,
    ];
}

/// The secret half of a key share, zeroized on drop.
pub(crate) enum KeyShareSecret {
    X25519(crate::x25519::PrivateKey),
    P256(EcSecretKey<P256>),
    P384(EcSecretKey<P384>),
    P521(EcSecretKey<P521>),
}

impl KeyShareSecret {
    /// Generates a key pair for `group`; returns the secret and the public
    /// share as sent on the wire (uncompressed SEC1 points for the NIST
    /// curves).
    pub(crate) fn generate(group: NamedGroup, rng: &mut impl CryptoRng) -> Result<(Self, Vec<u8>), Error> {
        Ok(match group {
            NamedGroup::X25519 => {
                let sk = crate::x25519::PrivateKey::generate(rng);
                let pk = sk.public_key().to_bytes().to_vec();
                (Self::X25519(sk), pk)
            }
            NamedGroup::SECP256R1 => {
                let sk = EcSecretKey::<P256>::generate(rng)?;
                let pk = sk.public_key().to_sec1(false);
                (Self::P256(sk), pk)
            }
            NamedGroup::SECP384R1 => {
                let sk = EcSecretKey::<P384>::generate(rng)?;
                let pk = sk.public_key().to_sec1(false);
                (Self::P384(sk), pk)
            }
            NamedGroup::SECP521R1 => {
                let sk = EcSecretKey::<P521>::generate(rng)?;
                let pk = sk.public_key().to_sec1(false);
                (Self::P521(sk), pk)
            }
            _ => return Err(Error::Config { what: "unsupported key-exchange group" }),
        })
    }

    /// The shared secret with the peer's share. A share of the wrong
    /// length, a compressed or invalid point, or an all-zero X25519 result
    /// is the peer's fault: `illegal_parameter`.
    pub(crate) fn agree(&self, peer: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        let bad = Error::IllegalParameter { what: "key share" };
        Ok(match self {
            Self::X25519(sk) => {
                let bytes: [u8; 32] = peer.try_into().map_err(|_| bad.clone())?;
                let shared =
                    sk.diffie_hellman(&crate::x25519::PublicKey::from_bytes(bytes)).map_err(|_| bad.clone())?;
                Zeroizing::new(shared.as_bytes().to_vec())
            }
            Self::P256(sk) => ec_agree(sk, peer, 65)?,
            Self::P384(sk) => ec_agree(sk, peer, 97)?,
            Self::P521(sk) => ec_agree(sk, peer, 133)?,
        })
    }
}

fn ec_agree<C: crate::ec::Curve>(sk: &EcSecretKey<C>, peer: &[u8], len: usize) -> Result<Zeroizing<Vec<u8>>, Error> {
    let bad = Error::IllegalParameter { what: "key share" };
    // RFC 8446 section 4.2.8.2: only the uncompressed form.
    if peer.len() != len || peer.first() != Some(&4) {
        return Err(bad);
    }
    let pk = EcPublicKey::<C>::from_sec1(peer).map_err(|_| bad.clone())?;
    let shared = crate::ec::ecdh::diffie_hellman(sk, &pk).map_err(|_| bad)?;
    Ok(Zeroizing::new(shared.as_bytes().to_vec()))
}
