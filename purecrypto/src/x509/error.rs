//! Why a certificate chain was rejected: [`CertError`] (a [`Reason`] and
//! the depth of the certificate at fault, 0 = leaf), numbered and worded
//! like OpenSSL's `X509_V_ERR_*` so the CLI's `verify` prints the same
//! lines as `openssl verify`.

use core::fmt;

/// The cause of a rejection. Each carries OpenSSL's error number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// 2: an intermediate's issuer is nowhere to be found.
    UnableToGetIssuer,
    /// 3: CRL checking was requested but no CRL covers the certificate.
    UnableToGetCrl,
    /// 7: a signature does not verify (or uses an unsupported algorithm).
    SignatureFailure,
    /// 8: a CRL's signature does not verify.
    CrlSignatureFailure,
    /// 9: `notBefore` is in the future.
    NotYetValid,
    /// 10: `notAfter` is in the past.
    Expired,
    /// 11: a CRL's `thisUpdate` is in the future.
    CrlNotYetValid,
    /// 12: a CRL's `nextUpdate` is in the past.
    CrlExpired,
    /// 18: the leaf is self-signed and not trusted.
    SelfSignedLeaf,
    /// 19: the chain ends in a self-signed certificate that is not trusted.
    SelfSignedInChain,
    /// 20: no trust anchor issued the top certificate.
    UnableToGetLocalIssuer,
    /// 22: more intermediates than the path builder accepts.
    ChainTooLong,
    /// 23: a CRL lists the certificate.
    Revoked,
    /// 79: an issuing certificate is not a CA (basicConstraints, keyUsage).
    InvalidCa,
    /// 25: a pathLenConstraint is exceeded.
    PathLengthExceeded,
    /// 26: extKeyUsage / keyUsage do not allow the requested purpose.
    InvalidPurpose,
    /// 35: a CRL's signer has keyUsage without cRLSign.
    KeyUsageNoCrlSign,
    /// 34: a critical extension this crate does not process.
    UnhandledCriticalExtension,
    /// 47: a name outside every permitted subtree.
    PermittedViolation,
    /// 48: a name inside an excluded subtree.
    ExcludedViolation,
    /// 49: a name constraint with minimum / maximum.
    SubtreeMinMax,
    /// 51: a name constraint of an unsupported type applies to a name.
    UnsupportedConstraintType,
    /// 53: a name of a constrained type is malformed.
    UnsupportedNameSyntax,
    /// 62: the leaf does not match the expected host name.
    HostnameMismatch,
    /// 64: the leaf does not match the expected IP address.
    IpAddressMismatch,
    /// 66: the leaf's key is below policy (RSA < 2048 bits).
    EeKeyTooSmall,
    /// 67: a CA's key is below policy.
    CaKeyTooSmall,
    /// 68: a signature uses MD5 or SHA-1.
    WeakDigest,
    /// 4 (OpenSSL: unable to decode issuer public key): a certificate or
    /// key in the chain does not decode.
    Undecodable,
}

impl Reason {
    /// OpenSSL's `X509_V_ERR_*` number.
    #[must_use]
    pub const fn openssl_code(self) -> u32 {
        match self {
            Self::UnableToGetIssuer => 2,
            Self::UnableToGetCrl => 3,
            Self::Undecodable => 6,
            Self::SignatureFailure => 7,
            Self::CrlSignatureFailure => 8,
            Self::NotYetValid => 9,
            Self::Expired => 10,
            Self::CrlNotYetValid => 11,
            Self::CrlExpired => 12,
            Self::SelfSignedLeaf => 18,
            Self::SelfSignedInChain => 19,
            Self::UnableToGetLocalIssuer => 20,
            Self::ChainTooLong => 22,
            Self::Revoked => 23,
            Self::InvalidCa => 79,
            Self::PathLengthExceeded => 25,
            Self::InvalidPurpose => 26,
            Self::UnhandledCriticalExtension => 34,
            Self::KeyUsageNoCrlSign => 35,
            Self::PermittedViolation => 47,
            Self::ExcludedViolation => 48,
            Self::SubtreeMinMax => 49,
            Self::UnsupportedConstraintType => 51,
            Self::UnsupportedNameSyntax => 53,
            Self::HostnameMismatch => 62,
            Self::IpAddressMismatch => 64,
            Self::EeKeyTooSmall => 66,
            Self::CaKeyTooSmall => 67,
            Self::WeakDigest => 68,
        }
    }

    /// OpenSSL's wording (`X509_verify_cert_error_string`).
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::UnableToGetIssuer => "unable to get issuer certificate",
            Self::UnableToGetCrl => "unable to get certificate CRL",
            Self::Undecodable => "unable to decode issuer public key",
            Self::SignatureFailure => "certificate signature failure",
            Self::CrlSignatureFailure => "CRL signature failure",
            Self::NotYetValid => "certificate is not yet valid",
            Self::Expired => "certificate has expired",
            Self::CrlNotYetValid => "CRL is not yet valid",
            Self::CrlExpired => "CRL has expired",
            Self::SelfSignedLeaf => "self-signed certificate",
            Self::SelfSignedInChain => "self-signed certificate in certificate chain",
            Self::UnableToGetLocalIssuer => "unable to get local issuer certificate",
            Self::ChainTooLong => "certificate chain too long",
            Self::Revoked => "certificate revoked",
            Self::InvalidCa => "invalid CA certificate",
            Self::PathLengthExceeded => "path length constraint exceeded",
            Self::InvalidPurpose => "unsuitable certificate purpose",
            Self::UnhandledCriticalExtension => "unhandled critical extension",
            Self::KeyUsageNoCrlSign => "key usage does not include CRL signing",
            Self::PermittedViolation => "permitted subtree violation",
            Self::ExcludedViolation => "excluded subtree violation",
            Self::SubtreeMinMax => "name constraints minimum and maximum not supported",
            Self::UnsupportedConstraintType => "unsupported name constraint type",
            Self::UnsupportedNameSyntax => "unsupported or invalid name syntax",
            Self::HostnameMismatch => "hostname mismatch",
            Self::IpAddressMismatch => "IP address mismatch",
            Self::EeKeyTooSmall => "EE certificate key too weak",
            Self::CaKeyTooSmall => "CA certificate key too weak",
            Self::WeakDigest => "CA signature digest algorithm too weak",
        }
    }
}

/// A rejected chain: why, and at which certificate (0 = leaf).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertError {
    /// The cause.
    pub reason: Reason,
    /// The depth of the certificate at fault.
    pub depth: usize,
}

impl CertError {
    pub(crate) const fn new(reason: Reason, depth: usize) -> Self {
        Self { reason, depth }
    }
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (error {} at depth {})", self.reason.message(), self.reason.openssl_code(), self.depth)
    }
}

impl From<CertError> for crate::Error {
    fn from(e: CertError) -> Self {
        Self::Certificate(e)
    }
}
