//! Certificate verification for TLS clients backed by `crate::x509`: RFC
//! 5280 path validation to a trust store and RFC 6125 host-name matching
//! at the connection's clock.
//!
//! Entry points: [`X509Verifier`] (the safe default: [`X509Verifier::new`]
//! with a [`TrustStore`], or with `std` [`X509Verifier::system`], which
//! loads the operating system's store on first use) and, with `std`,
//! [`DangerousReportOnlyVerifier`] (runs the same checks, records the
//! verdict and accepts anyway: `curl -k`, `openssl s_client` without
//! `-verify_return_error`).
//!
//! For servers, [`X509ClientVerifier`] validates client certificates the
//! same way with extKeyUsage clientAuth and no host name.
//!
//! A rejection is [`Error::CertificateRejected`] carrying the typed
//! [`CertError`] (reason and depth, numbered like OpenSSL's), so a caller
//! can print `verify error:num=20:unable to get local issuer certificate`;
//! [`alert_for`] picks the alert OpenSSL sends for that reason.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::alert::AlertDescription;
use super::cert::{ClientCertVerifier, ServerCertVerifier};
use super::error::Error;
use crate::x509::{CertError, CrlCheck, Options, Purpose, Reason, TrustStore, verify_chain};

/// The alert a client sends when its verifier rejects the server's chain
/// for `reason` (the mapping OpenSSL's `ssl_verify_alarm_type` uses, so
/// peers log the same cause).
#[must_use]
pub fn alert_for(reason: Reason) -> AlertDescription {
    match reason {
        Reason::Expired | Reason::CrlExpired => AlertDescription::CERTIFICATE_EXPIRED,
        Reason::Revoked => AlertDescription::CERTIFICATE_REVOKED,
        Reason::SignatureFailure | Reason::CrlSignatureFailure => AlertDescription::DECRYPT_ERROR,
        Reason::UnableToGetIssuer
        | Reason::UnableToGetCrl
        | Reason::SelfSignedLeaf
        | Reason::SelfSignedInChain
        | Reason::UnableToGetLocalIssuer
        | Reason::ChainTooLong
        | Reason::PathLengthExceeded
        | Reason::InvalidCa => AlertDescription::UNKNOWN_CA,
        Reason::InvalidPurpose => AlertDescription::UNSUPPORTED_CERTIFICATE,
        Reason::NotYetValid | Reason::CrlNotYetValid | Reason::Undecodable => AlertDescription::BAD_CERTIFICATE,
        _ => AlertDescription::CERTIFICATE_UNKNOWN,
    }
}

/// Where the trust anchors come from.
#[derive(Debug)]
enum Roots {
    /// A store the caller built.
    Store(Arc<TrustStore>),
    /// The operating system's store, loaded once on first use (`None`
    /// when the machine has none: every chain is then unknown_ca).
    #[cfg(feature = "std")]
    System(std::sync::OnceLock<Option<Arc<TrustStore>>>),
}

/// Verifies a server's chain with `crate::x509`: a path to one of the
/// trust anchors valid at the connection's time, extKeyUsage serverAuth,
/// and (unless turned off through
/// [`dangerous_without_hostname`](Self::dangerous_without_hostname)) the
/// leaf matching the name the client connected to (a DNS name, or an IP
/// literal matched against IP SANs).
#[derive(Debug)]
pub struct X509Verifier {
    roots: Roots,
    check_hostname: bool,
    crls: Vec<Vec<u8>>,
}

impl X509Verifier {
    /// Trusts exactly the anchors of `store`.
    #[must_use]
    pub fn new(store: TrustStore) -> Self {
        Self::shared(Arc::new(store))
    }

    /// Trusts a store shared with other verifiers (one load for many
    /// connections).
    #[must_use]
    pub fn shared(store: Arc<TrustStore>) -> Self {
        Self { roots: Roots::Store(store), check_hostname: true, crls: Vec::new() }
    }

    /// Trusts the operating system's store ([`TrustStore::system`]),
    /// loaded on the first chain this verifier judges; a machine without
    /// one rejects every chain with `unable to get local issuer
    /// certificate`.
    #[cfg(feature = "std")]
    #[must_use]
    pub fn system() -> Self {
        Self { roots: Roots::System(std::sync::OnceLock::new()), check_hostname: true, crls: Vec::new() }
    }

    /// Adds a CRL (DER) consulted for every chain.
    #[must_use]
    pub fn with_crl(mut self, der: &[u8]) -> Self {
        self.crls.push(der.to_vec());
        self
    }

    /// Skips the host-name check: any certificate the store vouches for is
    /// accepted for any server (`CURLOPT_SSL_VERIFYHOST = 0`). Open to an
    /// attacker holding any certificate from a trusted CA.
    #[must_use]
    pub fn dangerous_without_hostname(mut self) -> Self {
        self.check_hostname = false;
        self
    }

    fn store(&self) -> Option<Arc<TrustStore>> {
        match &self.roots {
            Roots::Store(s) => Some(Arc::clone(s)),
            #[cfg(feature = "std")]
            Roots::System(cell) => cell.get_or_init(|| TrustStore::system().ok().map(Arc::new)).clone(),
        }
    }

    /// The typed verdict for `chain` (DER, leaf first) presented by
    /// `server_name` at `now_unix`.
    ///
    /// # Errors
    /// The [`CertError`] of the first candidate path (reason and depth).
    pub fn check(&self, chain: &[&[u8]], server_name: &str, now_unix: u64) -> Result<(), CertError> {
        let no_issuer = CertError { reason: Reason::UnableToGetLocalIssuer, depth: 0 };
        let (leaf, rest) = chain.split_first().ok_or(CertError { reason: Reason::Undecodable, depth: 0 })?;
        let store = self.store().ok_or(no_issuer)?;
        let crls: Vec<&[u8]> = self.crls.iter().map(Vec::as_slice).collect();
        let options = Options {
            time: i64::try_from(now_unix).unwrap_or(i64::MAX),
            purpose: Some(Purpose::ServerAuth),
            hostname: self.check_hostname.then_some(server_name),
            crls: &crls,
            require_crls: CrlCheck::None,
            legacy_algorithms: false,
        };
        verify_chain(leaf, rest, &store, &options).map(|_| ())
    }
}

impl ServerCertVerifier for X509Verifier {
    fn verify(&self, chain: &[&[u8]], server_name: &str, now_unix: u64) -> Result<(), Error> {
        self.check(chain, server_name, now_unix).map_err(Error::CertificateRejected)
    }

    fn issuer_of(&self, leaf: &[u8]) -> Option<Vec<u8>> {
        let leaf = crate::x509::Certificate::from_der(leaf).ok()?;
        let store = self.store()?;
        store
            .by_subject(leaf.issuer.der)
            .find(|der| super::cert::leaf_spki(der).is_ok_and(|spki| leaf.verify_signed_by(spki).is_ok()))
            .map(<[u8]>::to_vec)
    }
}

/// Verifies a client's chain with `crate::x509`: a path to one of the
/// trust anchors valid at the connection's time and extKeyUsage
/// clientAuth (a leaf without the extension allows every purpose, as
/// RFC 5280 says). Clients must present a certificate unless
/// [`allow_unauthenticated`](Self::allow_unauthenticated) was called.
#[derive(Debug)]
pub struct X509ClientVerifier {
    store: Arc<TrustStore>,
    mandatory: bool,
    crls: Vec<Vec<u8>>,
}

impl X509ClientVerifier {
    /// Requires a client certificate issued under an anchor of `store`
    /// (`openssl s_server -Verify`).
    #[must_use]
    pub fn new(store: TrustStore) -> Self {
        Self::shared(Arc::new(store))
    }

    /// As [`Self::new`] with a store shared with other verifiers.
    #[must_use]
    pub fn shared(store: Arc<TrustStore>) -> Self {
        Self { store, mandatory: true, crls: Vec::new() }
    }

    /// Lets clients without a certificate through (`openssl s_server
    /// -verify`); a certificate that is sent must still validate.
    #[must_use]
    pub fn allow_unauthenticated(mut self) -> Self {
        self.mandatory = false;
        self
    }

    /// Adds a CRL (DER) consulted for every chain.
    #[must_use]
    pub fn with_crl(mut self, der: &[u8]) -> Self {
        self.crls.push(der.to_vec());
        self
    }

    /// The typed verdict for `chain` (DER, leaf first) at `now_unix`.
    ///
    /// # Errors
    /// The [`CertError`] of the first candidate path (reason and depth).
    pub fn check(&self, chain: &[&[u8]], now_unix: u64) -> Result<(), CertError> {
        let (leaf, rest) = chain.split_first().ok_or(CertError { reason: Reason::Undecodable, depth: 0 })?;
        let crls: Vec<&[u8]> = self.crls.iter().map(Vec::as_slice).collect();
        let options = Options {
            time: i64::try_from(now_unix).unwrap_or(i64::MAX),
            purpose: Some(Purpose::ClientAuth),
            hostname: None,
            crls: &crls,
            require_crls: CrlCheck::None,
            legacy_algorithms: false,
        };
        verify_chain(leaf, rest, &self.store, &options).map(|_| ())
    }
}

impl ClientCertVerifier for X509ClientVerifier {
    fn client_auth_mandatory(&self) -> bool {
        self.mandatory
    }

    fn verify(&self, chain: &[&[u8]], now_unix: u64) -> Result<(), Error> {
        self.check(chain, now_unix).map_err(Error::CertificateRejected)
    }
}

/// Runs an [`X509Verifier`], remembers the verdict of the last chain and
/// accepts every chain whose leaf carries a key. For `curl -k` (which
/// still reports `%{ssl_verify_result}`) and `openssl s_client` without
/// `-verify_return_error`: the connection is open to any active attacker.
#[cfg(feature = "std")]
#[derive(Debug)]
pub struct DangerousReportOnlyVerifier {
    inner: X509Verifier,
    verdict: std::sync::Mutex<Option<Result<(), CertError>>>,
}

#[cfg(feature = "std")]
impl DangerousReportOnlyVerifier {
    /// Reports what `inner` would decide without enforcing it.
    #[must_use]
    pub fn new(inner: X509Verifier) -> Self {
        Self { inner, verdict: std::sync::Mutex::new(None) }
    }

    /// The verdict on the last chain judged (`None` before any).
    #[must_use]
    pub fn verdict(&self) -> Option<Result<(), CertError>> {
        self.verdict.lock().map_or(None, |v| *v)
    }
}

#[cfg(feature = "std")]
impl ServerCertVerifier for DangerousReportOnlyVerifier {
    fn verify(&self, chain: &[&[u8]], server_name: &str, now_unix: u64) -> Result<(), Error> {
        let verdict = self.inner.check(chain, server_name, now_unix);
        if let Ok(mut slot) = self.verdict.lock() {
            *slot = Some(verdict);
        }
        let leaf = chain.first().ok_or(Error::BadCertificate { what: "empty chain" })?;
        super::cert::leaf_spki(leaf).map(|_| ())
    }

    fn issuer_of(&self, leaf: &[u8]) -> Option<Vec<u8>> {
        self.inner.issuer_of(leaf)
    }
}

#[cfg(test)]
mod tests;
