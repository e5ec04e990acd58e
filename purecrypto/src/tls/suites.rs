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
        TLS_AES_128_CCM_SHA256 = 0x1304, "TLS_AES_128_CCM_SHA256";
        TLS_AES_128_CCM_8_SHA256 = 0x1305, "TLS_AES_128_CCM_8_SHA256";
        TLS_ECDHE_ECDSA_WITH_AES_128_CCM = 0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM";
        TLS_ECDHE_ECDSA_WITH_AES_256_CCM = 0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM";
        TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 = 0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8";
        TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8 = 0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8";
        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
        TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
        TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
        TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
    }
}

code_point! {
    /// A key-exchange group (RFC 8446 section 4.2.7).
    NamedGroup(u16) {
        SECP256R1 = 0x0017, "P-256";
        SECP384R1 = 0x0018, "P-384";
        SECP521R1 = 0x0019, "P-521";
        X25519 = 0x001d, "X25519";
        FFDHE2048 = 0x0100, "ffdhe2048";
        FFDHE3072 = 0x0101, "ffdhe3072";
        FFDHE4096 = 0x0102, "ffdhe4096";
        FFDHE6144 = 0x0103, "ffdhe6144";
        FFDHE8192 = 0x0104, "ffdhe8192";
        SECP256R1_MLKEM768 = 0x11eb, "SecP256r1MLKEM768";
        X25519_MLKEM768 = 0x11ec, "X25519MLKEM768";
        SECP384R1_MLKEM1024 = 0x11ed, "SecP384r1MLKEM1024";
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
        RSA_PSS_PSS_SHA256 = 0x0809, "rsa_pss_pss_sha256";
        RSA_PSS_PSS_SHA384 = 0x080a, "rsa_pss_pss_sha384";
        RSA_PSS_PSS_SHA512 = 0x080b, "rsa_pss_pss_sha512";
        ED25519 = 0x0807, "ed25519";
        ED448 = 0x0808, "ed448";
        RSA_PKCS1_SHA256 = 0x0401, "rsa_pkcs1_sha256";
        RSA_PKCS1_SHA384 = 0x0501, "rsa_pkcs1_sha384";
        RSA_PKCS1_SHA512 = 0x0601, "rsa_pkcs1_sha512";
    }
}

/// The AEAD a suite protects records with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum AeadKind {
    AesGcm,
    ChaCha20Poly1305,
    /// AES-CCM with a 16-byte tag.
    AesCcm,
    /// AES-CCM with an 8-byte tag (`_CCM_8`, for constrained devices).
    AesCcm8,
}

impl AeadKind {
    /// The tag length in bytes.
    pub(crate) const fn tag_len(self) -> usize {
        match self {
            Self::AesCcm8 => 8,
            Self::AesGcm | Self::ChaCha20Poly1305 | Self::AesCcm => 16,
        }
    }
}

/// TLS 1.2 suites with OpenSSL's names (`openssl ciphers -stdname`),
/// which `-cipher` takes. TLS 1.3 suites have no other name.
const OPENSSL_NAMES: &[(CipherSuite, &str)] = &[
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "ECDHE-ECDSA-AES128-GCM-SHA256"),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE-ECDSA-AES256-GCM-SHA384"),
    (CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE-RSA-AES128-GCM-SHA256"),
    (CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE-RSA-AES256-GCM-SHA384"),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-ECDSA-CHACHA20-POLY1305"),
    (CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA-CHACHA20-POLY1305"),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM, "ECDHE-ECDSA-AES128-CCM"),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM, "ECDHE-ECDSA-AES256-CCM"),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, "ECDHE-ECDSA-AES128-CCM8"),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8, "ECDHE-ECDSA-AES256-CCM8"),
];

impl CipherSuite {
    /// The TLS 1.3 suites offered and accepted by default, in default
    /// preference order.
    pub const SUPPORTED: &'static [Self] =
        &[Self::TLS_AES_128_GCM_SHA256, Self::TLS_AES_256_GCM_SHA384, Self::TLS_CHACHA20_POLY1305_SHA256];

    /// The TLS 1.2 suites offered and accepted by default (ECDHE with
    /// AEAD only, RFC 5289 and RFC 7905), in default preference order.
    pub const SUPPORTED_TLS12: &'static [Self] = &[
        Self::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        Self::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        Self::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        Self::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        Self::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        Self::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// TLS 1.3 suites spoken only when a config lists them: AES-CCM
    /// (RFC 8446 appendix B.4). Off by default as in OpenSSL: they are
    /// for devices with AES but no fast GHASH, and CCM_8's 8-byte tag is
    /// weaker than the default suites' 16.
    pub const OPTIONAL: &'static [Self] = &[Self::TLS_AES_128_CCM_SHA256, Self::TLS_AES_128_CCM_8_SHA256];

    /// TLS 1.2 suites spoken only when a config lists them: ECDHE_ECDSA
    /// with AES-CCM (RFC 7251), off by default for the same reasons as
    /// [`OPTIONAL`](Self::OPTIONAL).
    pub const OPTIONAL_TLS12: &'static [Self] = &[
        Self::TLS_ECDHE_ECDSA_WITH_AES_128_CCM,
        Self::TLS_ECDHE_ECDSA_WITH_AES_256_CCM,
        Self::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
        Self::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8,
    ];

    /// The suite's hash (transcript and key schedule, or the TLS 1.2
    /// PRF), `None` if unknown. RFC 7251's suites all use SHA-256, the
    /// AES-256 ones too.
    #[must_use]
    pub const fn hash(self) -> Option<HashAlgorithm> {
        match self {
            Self::TLS_AES_128_GCM_SHA256
            | Self::TLS_CHACHA20_POLY1305_SHA256
            | Self::TLS_AES_128_CCM_SHA256
            | Self::TLS_AES_128_CCM_8_SHA256
            | Self::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
            | Self::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
            | Self::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
            | Self::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
            | Self::TLS_ECDHE_ECDSA_WITH_AES_128_CCM
            | Self::TLS_ECDHE_ECDSA_WITH_AES_256_CCM
            | Self::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
            | Self::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8 => Some(HashAlgorithm::Sha256),
            Self::TLS_AES_256_GCM_SHA384
            | Self::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
            | Self::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => Some(HashAlgorithm::Sha384),
            _ => None,
        }
    }

    /// The name OpenSSL gives the suite: its short name for a TLS 1.2
    /// suite (`ECDHE-ECDSA-AES128-CCM`), the registry name otherwise.
    #[must_use]
    pub fn openssl_name(self) -> Option<&'static str> {
        OPENSSL_NAMES.iter().find(|(s, _)| *s == self).map(|(_, n)| *n).or_else(|| self.name())
    }

    /// A TLS 1.2 suite by the name OpenSSL's `-cipher` takes
    /// (`ECDHE-ECDSA-AES256-CCM8`, exact case); `None` for anything else,
    /// TLS 1.3 suites included (those go by their registry name,
    /// [`from_name`](Self::from_name)).
    #[must_use]
    pub fn from_openssl_name(name: &str) -> Option<Self> {
        OPENSSL_NAMES.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
    }

    /// The AEAD key length in bytes.
    pub(crate) const fn key_len(self) -> usize {
        match self {
            Self::TLS_AES_128_GCM_SHA256
            | Self::TLS_AES_128_CCM_SHA256
            | Self::TLS_AES_128_CCM_8_SHA256
            | Self::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
            | Self::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
            | Self::TLS_ECDHE_ECDSA_WITH_AES_128_CCM
            | Self::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 => 16,
            _ => 32,
        }
    }

    /// The suite's AEAD (AES-GCM for unknown values; callers check
    /// support first).
    pub(crate) const fn aead(self) -> AeadKind {
        match self {
            Self::TLS_CHACHA20_POLY1305_SHA256
            | Self::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
            | Self::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => AeadKind::ChaCha20Poly1305,
            Self::TLS_AES_128_CCM_SHA256
            | Self::TLS_ECDHE_ECDSA_WITH_AES_128_CCM
            | Self::TLS_ECDHE_ECDSA_WITH_AES_256_CCM => AeadKind::AesCcm,
            Self::TLS_AES_128_CCM_8_SHA256
            | Self::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
            | Self::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8 => AeadKind::AesCcm8,
            _ => AeadKind::AesGcm,
        }
    }

    /// Whether the suite's AEAD is ChaCha20-Poly1305 (otherwise AES-GCM
    /// or AES-CCM).
    pub(crate) const fn is_chacha(self) -> bool {
        matches!(self.aead(), AeadKind::ChaCha20Poly1305)
    }

    pub(crate) fn is_supported(self) -> bool {
        self.is_tls13() || self.is_tls12()
    }

    /// Whether this is a TLS 1.3 suite this implementation speaks
    /// (by default or when listed).
    pub(crate) fn is_tls13(self) -> bool {
        Self::SUPPORTED.contains(&self) || Self::OPTIONAL.contains(&self)
    }

    /// Whether this is a TLS 1.2 suite this implementation speaks
    /// (by default or when listed).
    pub(crate) fn is_tls12(self) -> bool {
        Self::SUPPORTED_TLS12.contains(&self) || Self::OPTIONAL_TLS12.contains(&self)
    }

    /// For a TLS 1.2 suite: whether the server authenticates with RSA
    /// (`ECDHE_RSA`) rather than ECDSA or EdDSA (`ECDHE_ECDSA`).
    pub(crate) const fn tls12_rsa_auth(self) -> bool {
        matches!(
            self,
            Self::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                | Self::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
                | Self::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
        )
    }
}

impl NamedGroup {
    /// Every group this implementation speaks.
    pub const SUPPORTED: &'static [Self] = &[
        Self::X25519_MLKEM768,
        Self::X25519,
        Self::SECP256R1,
        Self::SECP384R1,
        Self::SECP521R1,
        Self::SECP256R1_MLKEM768,
        Self::SECP384R1_MLKEM1024,
        Self::FFDHE2048,
        Self::FFDHE3072,
        Self::FFDHE4096,
        Self::FFDHE6144,
        Self::FFDHE8192,
    ];

    /// The default preference order of both roles: the post-quantum hybrid
    /// first (as current browsers and OpenSSL 3.5 do), then the elliptic
    /// curves, then the RFC 7919 finite-field groups, which cost far more
    /// and are only chosen when a peer offers nothing else.
    pub const DEFAULTS: &'static [Self] = Self::SUPPORTED;

    /// The groups TLS 1.2's ECDHE suites can use (RFC 8422; the hybrids
    /// and finite-field groups are TLS 1.3 only here).
    pub const ECDHE: &'static [Self] = &[Self::X25519, Self::SECP256R1, Self::SECP384R1, Self::SECP521R1];

    pub(crate) fn is_supported(self) -> bool {
        Self::SUPPORTED.contains(&self)
    }

    /// Whether TLS 1.2's ECDHE key exchange can use this group.
    #[must_use]
    pub fn is_ecdhe(self) -> bool {
        Self::ECDHE.contains(&self)
    }

    /// A group by the name OpenSSL's `-groups` / curl's `--curves` take:
    /// the registry name in any case, or an OpenSSL alias
    /// (`prime256v1`, `secp384r1`, ...).
    #[must_use]
    pub fn from_openssl_name(name: &str) -> Option<Self> {
        let alias = match name.to_ascii_lowercase().as_str() {
            "prime256v1" | "secp256r1" => Some(Self::SECP256R1),
            "secp384r1" => Some(Self::SECP384R1),
            "secp521r1" => Some(Self::SECP521R1),
            _ => None,
        };
        alias.or_else(|| {
            Self::SUPPORTED.iter().copied().find(|g| g.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        })
    }

    fn ffdh(self) -> Option<crate::ffdh::Group> {
        use crate::ffdh::Group;
        Some(match self {
            Self::FFDHE2048 => Group::FFDHE2048,
            Self::FFDHE3072 => Group::FFDHE3072,
            Self::FFDHE4096 => Group::FFDHE4096,
            Self::FFDHE6144 => Group::FFDHE6144,
            Self::FFDHE8192 => Group::FFDHE8192,
            _ => return None,
        })
    }

    fn hybrid(self) -> Option<crate::hybrid::tls::Group> {
        crate::hybrid::tls::Group::from_codepoint(self.0)
    }
}

impl SignatureScheme {
    /// Every scheme this implementation verifies, in default preference
    /// order.
    pub const SUPPORTED: &'static [Self] = &[
        Self::ED25519,
        Self::ED448,
        Self::ECDSA_SECP256R1_SHA256,
        Self::ECDSA_SECP384R1_SHA384,
        Self::ECDSA_SECP521R1_SHA512,
        Self::RSA_PSS_RSAE_SHA256,
        Self::RSA_PSS_RSAE_SHA384,
        Self::RSA_PSS_RSAE_SHA512,
        Self::RSA_PSS_PSS_SHA256,
        Self::RSA_PSS_PSS_SHA384,
        Self::RSA_PSS_PSS_SHA512,
        Self::RSA_PKCS1_SHA256,
        Self::RSA_PKCS1_SHA384,
        Self::RSA_PKCS1_SHA512,
    ];
}

/// A protocol version this implementation speaks.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub enum ProtocolVersion {
    /// TLS 1.2 (RFC 5246).
    Tls12,
    /// TLS 1.3 (RFC 8446).
    Tls13,
}

impl ProtocolVersion {
    /// The wire value (0x0303, 0x0304).
    #[must_use]
    pub const fn to_u16(self) -> u16 {
        match self {
            Self::Tls12 => 0x0303,
            Self::Tls13 => 0x0304,
        }
    }

    /// The name openssl prints ("TLSv1.2").
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Tls12 => "TLSv1.2",
            Self::Tls13 => "TLSv1.3",
        }
    }
}

/// The secret half of a key share, zeroized on drop.
pub(crate) enum KeyShareSecret {
    X25519(crate::x25519::PrivateKey),
    P256(EcSecretKey<P256>),
    P384(EcSecretKey<P384>),
    P521(EcSecretKey<P521>),
    Ffdhe(crate::ffdh::DhPrivateKey),
    /// The client's half of a hybrid: the ML-KEM decapsulation key and
    /// the ECDH secret.
    Hybrid(crate::hybrid::tls::ClientState),
}

impl KeyShareSecret {
    /// Generates a key pair for `group`; returns the secret and the public
    /// share as sent on the wire (uncompressed SEC1 points for the NIST
    /// curves, `p`-long big-endian values for the finite-field groups).
    pub(crate) fn generate(group: NamedGroup, rng: &mut impl CryptoRng) -> Result<(Self, Vec<u8>), Error> {
        if let Some(g) = group.ffdh() {
            let sk = crate::ffdh::DhPrivateKey::generate(g, rng)?;
            let pk = sk.public_key();
            return Ok((Self::Ffdhe(sk), pk));
        }
        if let Some(g) = group.hybrid() {
            let (state, share) = g.generate(rng)?;
            return Ok((Self::Hybrid(state), share));
        }
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

    /// The server's side of a TLS 1.3 key exchange: its own share for the
    /// client's `peer` share and the shared secret. For a hybrid this is
    /// an encapsulation to the client's ML-KEM key; for every other group
    /// a fresh key pair and an agreement.
    pub(crate) fn respond(
        group: NamedGroup,
        peer: &[u8],
        rng: &mut impl CryptoRng,
    ) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>), Error> {
        if let Some(g) = group.hybrid() {
            let (share, secret) =
                g.encapsulate(peer, rng).map_err(|_| Error::IllegalParameter { what: "key share" })?;
            return Ok((share, Zeroizing::new(secret.as_bytes().to_vec())));
        }
        let (secret, public) = Self::generate(group, rng)?;
        Ok((public, secret.agree(peer)?))
    }

    /// The shared secret with the peer's share. A share of the wrong
    /// length, a compressed or invalid point, an all-zero X25519 result,
    /// a finite-field value outside `(1, p - 1)` or the prime-order
    /// subgroup, or a malformed hybrid ciphertext is the peer's fault:
    /// `illegal_parameter`.
    pub(crate) fn agree(self, peer: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        let bad = Error::IllegalParameter { what: "key share" };
        Ok(match self {
            Self::X25519(sk) => {
                let bytes: [u8; 32] = peer.try_into().map_err(|_| bad.clone())?;
                let shared =
                    sk.diffie_hellman(&crate::x25519::PublicKey::from_bytes(bytes)).map_err(|_| bad.clone())?;
                Zeroizing::new(shared.as_bytes().to_vec())
            }
            Self::P256(sk) => ec_agree(&sk, peer, 65)?,
            Self::P384(sk) => ec_agree(&sk, peer, 97)?,
            Self::P521(sk) => ec_agree(&sk, peer, 133)?,
            // RFC 8446 section 4.2.8.1: exactly the length of `p`.
            Self::Ffdhe(sk) if peer.len() != sk.group().size() => return Err(bad),
            Self::Ffdhe(sk) => Zeroizing::new(sk.agree(peer).map_err(|_| bad)?),
            Self::Hybrid(state) => Zeroizing::new(state.decapsulate(peer).map_err(|_| bad)?.as_bytes().to_vec()),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The CCM suites' parameters (RFC 8446 B.4, RFC 7251 section 2: all
    /// SHA-256, even AES-256), their OpenSSL names both ways, and that
    /// they are spoken but not in the default lists.
    #[test]
    fn ccm_suites_parameters_names_and_not_default() {
        let cases = [
            (CipherSuite::TLS_AES_128_CCM_SHA256, 16, 16, "TLS_AES_128_CCM_SHA256"),
            (CipherSuite::TLS_AES_128_CCM_8_SHA256, 16, 8, "TLS_AES_128_CCM_8_SHA256"),
            (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM, 16, 16, "ECDHE-ECDSA-AES128-CCM"),
            (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM, 32, 16, "ECDHE-ECDSA-AES256-CCM"),
            (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, 16, 8, "ECDHE-ECDSA-AES128-CCM8"),
            (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8, 32, 8, "ECDHE-ECDSA-AES256-CCM8"),
        ];
        for (suite, key_len, tag_len, openssl) in cases {
            assert_eq!(suite.hash(), Some(HashAlgorithm::Sha256), "{suite:?}");
            assert_eq!(suite.key_len(), key_len, "{suite:?}");
            assert_eq!(suite.aead().tag_len(), tag_len, "{suite:?}");
            assert!(matches!(suite.aead(), AeadKind::AesCcm | AeadKind::AesCcm8), "{suite:?}");
            assert!(suite.is_supported() && !suite.tls12_rsa_auth(), "{suite:?}");
            assert!(!CipherSuite::SUPPORTED.contains(&suite) && !CipherSuite::SUPPORTED_TLS12.contains(&suite));
            assert_eq!(suite.openssl_name(), Some(openssl));
            assert_eq!(CipherSuite::from_name(suite.name().unwrap()), Some(suite));
            if suite.is_tls12() {
                assert_eq!(CipherSuite::from_openssl_name(openssl), Some(suite));
            } else {
                assert!(suite.is_tls13());
                assert_eq!(CipherSuite::from_openssl_name(openssl), None, "-cipher takes TLS 1.2 suites only");
            }
        }
        assert_eq!(
            CipherSuite::from_openssl_name("ECDHE-RSA-CHACHA20-POLY1305"),
            Some(CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)
        );
        assert_eq!(CipherSuite::from_openssl_name("ecdhe-ecdsa-aes128-ccm"), None);
        // Every TLS 1.2 suite has an OpenSSL name.
        for s in CipherSuite::SUPPORTED_TLS12.iter().chain(CipherSuite::OPTIONAL_TLS12) {
            assert_eq!(s.openssl_name().and_then(CipherSuite::from_openssl_name), Some(*s));
        }
    }
}
