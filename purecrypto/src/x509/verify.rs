//! RFC 5280 section 6 path building and validation at a caller-supplied
//! time, with OpenSSL's order of checks so verdicts and error numbers
//! match `openssl verify`.
//!
//! Entry points: [`verify_chain`] with [`Options`], and [`ServerVerifier`]
//! (the interface TLS uses: `verify_server(chain, hostname, now)` and
//! [`leaf_spki`] for CertificateVerify).
//!
//! Paths are built leaf-upward: at each step trust anchors whose subject
//! equals the issuer name are tried before the untrusted intermediates,
//! candidates whose subjectKeyIdentifier contradicts the
//! authorityKeyIdentifier are skipped, and up to [`MAX_PATHS`] complete
//! paths are validated; the first that validates wins, otherwise the first
//! path's error is reported. Checks, in OpenSSL's order: critical
//! extensions, CA-ness (basicConstraints / keyUsage keyCertSign), purpose
//! (extKeyUsage serverAuth / clientAuth, leaf keyUsage), pathLenConstraint,
//! key and digest policy (RSA >= 2048 bits, no MD5/SHA-1 signatures below
//! the anchor), name constraints, host name, revocation (given CRLs), then
//! signatures and validity from the anchor down. Policy extensions
//! (certificatePolicies, policyMappings, policyConstraints,
//! inhibitAnyPolicy) are parsed but not processed: when critical they are
//! refused as unhandled, like any unknown critical extension.

pub mod hostname;
mod name_constraints;

use alloc::vec::Vec;

use super::algorithm::public_key_bits;
use super::certificate::Certificate;
use super::crl::Crl;
use super::error::{CertError, Reason};
use super::extensions::KeyUsage;
use super::oids;
use super::store::TrustStore;
use crate::Error;

/// More intermediates than this is [`Reason::ChainTooLong`].
pub const MAX_DEPTH: usize = 10;
/// How many complete candidate paths are validated before giving up.
pub const MAX_PATHS: usize = 8;
/// Policy floor for RSA moduli.
pub const MIN_RSA_BITS: usize = 2048;

/// What the leaf must be good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Purpose {
    /// TLS server (`-purpose sslserver`): extKeyUsage serverAuth.
    ServerAuth,
    /// TLS client (`-purpose sslclient`): extKeyUsage clientAuth.
    ClientAuth,
}

impl Purpose {
    const fn eku(self) -> &'static [u8] {
        match self {
            Self::ServerAuth => oids::EKU_SERVER_AUTH,
            Self::ClientAuth => oids::EKU_CLIENT_AUTH,
        }
    }
}

/// Verification settings.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The time to validate at, Unix seconds.
    pub time: i64,
    /// The purpose the leaf must allow, if any.
    pub purpose: Option<Purpose>,
    /// The DNS name or IP literal the leaf must match, if any.
    pub hostname: Option<&'a str>,
    /// CRLs (DER) to consult.
    pub crls: &'a [&'a [u8]],
    /// Which certificates must be covered by one of `crls`; given CRLs
    /// are applied to every certificate either way.
    pub require_crls: CrlCheck,
    /// Accept SHA-1 signatures and RSA keys from 1024 bits (old test
    /// suites such as PKITS; never for TLS). MD5 stays refused.
    pub legacy_algorithms: bool,
}

/// Which certificates need a CRL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CrlCheck {
    /// None (CRLs that are given still apply).
    #[default]
    None,
    /// The leaf (OpenSSL `-crl_check`).
    Leaf,
    /// Every certificate below the anchor (OpenSSL `-crl_check_all`).
    All,
}

/// A validated path: DER of each certificate, leaf first, anchor last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPath<'a> {
    /// The certificates, leaf first; the last one is the trust anchor.
    pub chain: Vec<&'a [u8]>,
}

/// Whether `issuer` may have issued `child` judging by names and key ids.
fn may_issue(child: &Certificate<'_>, issuer: &Certificate<'_>) -> bool {
    if child.issuer.der != issuer.subject.der {
        return false;
    }
    let akid = child.extensions.authority_key_id.as_ref().and_then(|a| a.key_id);
    match (akid, issuer.extensions.subject_key_id) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    }
}

/// Whether the certificate is self-signed (self-issued and its own key
/// verifies it).
fn self_signed(c: &Certificate<'_>) -> bool {
    c.is_self_issued() && c.verify_signed_by(c.spki).is_ok()
}

struct Builder<'p, 'a> {
    pool: &'p [Certificate<'a>],
    anchors: Vec<Certificate<'a>>,
    paths: Vec<Vec<Node>>,
    /// The deepest dead end: its depth and certificate, for the error.
    dead_end: Option<(usize, Node)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Pool(usize),
    Anchor(usize),
}

impl<'a> Builder<'_, 'a> {
    fn cert(&self, node: Node) -> Option<&Certificate<'a>> {
        match node {
            Node::Pool(i) => self.pool.get(i),
            Node::Anchor(i) => self.anchors.get(i),
        }
    }

    fn note_dead_end(&mut self, depth: usize, node: Node) {
        if self.dead_end.is_none_or(|(d, _)| depth > d) {
            self.dead_end = Some((depth, node));
        }
    }

    /// Depth-first search for complete paths from the last node of `path`.
    fn extend(&mut self, path: &mut Vec<Node>) {
        if self.paths.len() >= MAX_PATHS {
            return;
        }
        let Some(&last) = path.last() else { return };
        let Some(current) = self.cert(last).cloned() else { return };
        if matches!(last, Node::Anchor(_)) {
            self.paths.push(path.clone());
            return;
        }
        // A certificate that is itself trusted ends the path.
        if let Some(i) = self.anchors.iter().position(|a| a.der == current.der) {
            if let Some(end) = path.last_mut() {
                *end = Node::Anchor(i);
            }
            self.paths.push(path.clone());
            return;
        }
        let depth = path.len() - 1;
        if depth > MAX_DEPTH {
            self.note_dead_end(depth, last);
            return;
        }
        let anchors: Vec<Node> = (0..self.anchors.len())
            .filter(|&i| self.anchors.get(i).is_some_and(|a| may_issue(&current, a)))
            .map(Node::Anchor)
            .collect();
        let pool: Vec<Node> = (0..self.pool.len())
            .filter(|&i| {
                !path.contains(&Node::Pool(i))
                    && self.pool.get(i).is_some_and(|c| c.der != current.der && may_issue(&current, c))
            })
            .map(Node::Pool)
            .collect();
        if anchors.is_empty() && pool.is_empty() {
            self.note_dead_end(depth, last);
        }
        for node in anchors.into_iter().chain(pool) {
            path.push(node);
            self.extend(path);
            path.pop();
        }
    }
}

/// Why no path reached an anchor, as OpenSSL words it.
fn no_path_error(leaf: &Certificate<'_>, top: &Certificate<'_>, depth: usize) -> CertError {
    if depth == 0 && self_signed(leaf) {
        CertError::new(Reason::SelfSignedLeaf, 0)
    } else if depth > 0 && self_signed(top) {
        CertError::new(Reason::SelfSignedInChain, depth)
    } else if depth > MAX_DEPTH {
        CertError::new(Reason::ChainTooLong, depth)
    } else {
        CertError::new(Reason::UnableToGetLocalIssuer, depth)
    }
}

/// Builds and validates a path from `leaf` (DER) through any of
/// `intermediates` (DER, any order) to an anchor in `store`.
///
/// # Errors
/// [`CertError`] naming the reason and depth.
pub fn verify_chain<'a>(
    leaf: &'a [u8],
    intermediates: &[&'a [u8]],
    store: &'a TrustStore,
    options: &Options<'_>,
) -> Result<VerifiedPath<'a>, CertError> {
    let undecodable = |depth| CertError::new(Reason::Undecodable, depth);
    let leaf_cert = Certificate::from_der(leaf).map_err(|_| undecodable(0))?;
    // Undecodable intermediates are ignored, as OpenSSL would fail to load
    // them; they cannot be part of a path.
    let mut pool: Vec<Certificate<'a>> = Vec::new();
    pool.push(leaf_cert.clone());
    pool.extend(intermediates.iter().filter_map(|d| Certificate::from_der(d).ok()));
    let mut anchors = Vec::new();
    for der in store.iter() {
        if let Ok(c) = Certificate::from_der(der) {
            anchors.push(c);
        }
    }
    let mut builder = Builder { pool: &pool, anchors, paths: Vec::new(), dead_end: None };
    let mut start = alloc::vec![Node::Pool(0)];
    builder.extend(&mut start);
    if builder.paths.is_empty() {
        let (depth, node) = builder.dead_end.unwrap_or((0, Node::Pool(0)));
        let top = builder.cert(node).unwrap_or(&leaf_cert);
        return Err(no_path_error(&leaf_cert, top, depth));
    }
    let mut first_error = None;
    for path in &builder.paths {
        let chain: Vec<&Certificate<'_>> = path.iter().filter_map(|&n| builder.cert(n)).collect();
        match validate(&chain, options) {
            Ok(()) => {
                let ders = path
                    .iter()
                    .filter_map(|&n| match n {
                        Node::Pool(i) => pool.get(i).map(|c| c.der),
                        Node::Anchor(i) => builder.anchors.get(i).map(|c| c.der),
                    })
                    .collect();
                return Ok(VerifiedPath { chain: ders });
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(CertError::new(Reason::UnableToGetLocalIssuer, 0)))
}

/// Validates one complete path (leaf first, trust anchor last).
fn validate(chain: &[&Certificate<'_>], options: &Options<'_>) -> Result<(), CertError> {
    let last = chain.len().saturating_sub(1);
    check_extensions(chain, options)?;
    check_policy(chain, options.legacy_algorithms)?;
    check_name_constraints(chain)?;
    if let Some(host) = options.hostname
        && let Some(leaf) = chain.first()
        && !hostname::matches_host(leaf.extensions.subject_alt_names.as_ref(), host)
    {
        let is_ip = hostname::parse_ip(host.trim_start_matches('[').trim_end_matches(']')).is_some();
        return Err(CertError::new(if is_ip { Reason::IpAddressMismatch } else { Reason::HostnameMismatch }, 0));
    }
    check_revocation(chain, options)?;
    for depth in (0..=last).rev() {
        let Some(cert) = chain.get(depth) else { continue };
        if depth < last {
            let issuer = chain.get(depth + 1).ok_or(CertError::new(Reason::UnableToGetIssuer, depth))?;
            cert.verify_signed_by(issuer.spki).map_err(|_| CertError::new(Reason::SignatureFailure, depth))?;
        }
        if cert.not_before > options.time {
            return Err(CertError::new(Reason::NotYetValid, depth));
        }
        if cert.not_after < options.time {
            return Err(CertError::new(Reason::Expired, depth));
        }
    }
    Ok(())
}

/// Critical extensions, CA-ness, purpose and path length, leaf upward.
fn check_extensions(chain: &[&Certificate<'_>], options: &Options<'_>) -> Result<(), CertError> {
    let last = chain.len().saturating_sub(1);
    let mut below = 0u64;
    for (depth, cert) in chain.iter().enumerate() {
        let ext = &cert.extensions;
        if ext.unknown_critical.is_some() {
            return Err(CertError::new(Reason::UnhandledCriticalExtension, depth));
        }
        if depth > 0 {
            let ku_ok = ext.key_usage.is_none_or(|k| k.has(KeyUsage::KEY_CERT_SIGN));
            let bc_ok = match ext.basic_constraints {
                Some(bc) => bc.ca,
                // A v1 self-issued certificate (old roots) is a CA by
                // convention; so is any anchor without the extension.
                None => cert.version < 3 && (cert.is_self_issued() || depth == last),
            };
            if !ku_ok || !bc_ok {
                return Err(CertError::new(Reason::InvalidCa, depth));
            }
        }
        if let Some(purpose) = options.purpose
            && depth < last
        {
            if ext.ext_key_usage.as_ref().is_some_and(|ekus| !ekus.contains(&purpose.eku())) {
                return Err(CertError::new(Reason::InvalidPurpose, depth));
            }
            let leaf_bits = match purpose {
                Purpose::ServerAuth => {
                    KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT | KeyUsage::KEY_AGREEMENT
                }
                Purpose::ClientAuth => KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_AGREEMENT,
            };
            if depth == 0 && ext.key_usage.is_some_and(|k| k.0 & leaf_bits == 0) {
                return Err(CertError::new(Reason::InvalidPurpose, depth));
            }
        }
        if depth > 1
            && let Some(limit) = ext.basic_constraints.and_then(|bc| bc.path_len)
            && below > limit
        {
            return Err(CertError::new(Reason::PathLengthExceeded, depth));
        }
        if depth > 0 && !cert.is_self_issued() {
            below += 1;
        }
    }
    Ok(())
}

/// Key sizes everywhere; digests of every signature below the anchor.
fn check_policy(chain: &[&Certificate<'_>], legacy: bool) -> Result<(), CertError> {
    let last = chain.len().saturating_sub(1);
    let min_rsa = if legacy { 1024 } else { MIN_RSA_BITS };
    for (depth, cert) in chain.iter().enumerate() {
        let bits = public_key_bits(cert.spki).map_err(|_| CertError::new(Reason::Undecodable, depth))?;
        let rsa =
            matches!(cert.public_key_info().algorithm, crate::asn1::oid::RSA_ENCRYPTION | crate::asn1::oid::RSASSA_PSS);
        if rsa && bits < min_rsa {
            return Err(CertError::new(if depth == 0 { Reason::EeKeyTooSmall } else { Reason::CaKeyTooSmall }, depth));
        }
        let weak = cert.signature_algorithm.is_weak()
            && !(legacy && cert.signature_algorithm.digest() == Some(crate::hash::HashAlgorithm::Sha1));
        if depth < last && weak {
            return Err(CertError::new(Reason::WeakDigest, depth));
        }
    }
    Ok(())
}

fn check_name_constraints(chain: &[&Certificate<'_>]) -> Result<(), CertError> {
    for (depth, cert) in chain.iter().enumerate().rev() {
        if depth > 0 && cert.is_self_issued() {
            continue;
        }
        for ca in chain.iter().skip(depth + 1) {
            if let Some(nc) = &ca.extensions.name_constraints {
                name_constraints::check(&cert.subject, cert.extensions.subject_alt_names.as_ref(), nc)
                    .map_err(|reason| CertError::new(reason, depth))?;
            }
        }
    }
    Ok(())
}

fn check_revocation(chain: &[&Certificate<'_>], options: &Options<'_>) -> Result<(), CertError> {
    if options.crls.is_empty() && options.require_crls == CrlCheck::None {
        return Ok(());
    }
    let crls: Vec<Crl<'_>> = options.crls.iter().filter_map(|d| Crl::from_der(d).ok()).collect();
    let last = chain.len().saturating_sub(1);
    for depth in 0..last {
        let (Some(cert), Some(issuer)) = (chain.get(depth), chain.get(depth + 1)) else { continue };
        // Several CRLs may carry the issuer's name (key rollover with
        // self-issued certificates): use those the issuer's key signed.
        let named: Vec<&Crl<'_>> = crls.iter().filter(|c| c.issuer.der == cert.issuer.der).collect();
        let signed: Vec<&&Crl<'_>> = named.iter().filter(|c| c.verify_signed_by(issuer.spki).is_ok()).collect();
        if !named.is_empty() && signed.is_empty() {
            return Err(CertError::new(Reason::CrlSignatureFailure, depth));
        }
        if !signed.is_empty() && issuer.extensions.key_usage.is_some_and(|k| !k.has(KeyUsage::CRL_SIGN)) {
            return Err(CertError::new(Reason::KeyUsageNoCrlSign, depth));
        }
        let mut covered = false;
        for crl in signed {
            if crl.has_unknown_critical() {
                return Err(CertError::new(Reason::UnhandledCriticalExtension, depth));
            }
            if crl.this_update > options.time {
                return Err(CertError::new(Reason::CrlNotYetValid, depth));
            }
            if crl.next_update.is_some_and(|n| n < options.time) {
                return Err(CertError::new(Reason::CrlExpired, depth));
            }
            covered = true;
            if crl.revocation(cert.serial_der).is_some() {
                return Err(CertError::new(Reason::Revoked, depth));
            }
        }
        let required = match options.require_crls {
            CrlCheck::None => false,
            CrlCheck::Leaf => depth == 0,
            CrlCheck::All => true,
        };
        if !covered && required {
            return Err(CertError::new(Reason::UnableToGetCrl, depth));
        }
    }
    Ok(())
}

/// The leaf's `SubjectPublicKeyInfo` DER (what a TLS CertificateVerify
/// is checked against).
///
/// # Errors
/// Certificate decode errors.
pub fn leaf_spki(leaf_der: &[u8]) -> Result<&[u8], Error> {
    Ok(Certificate::from_der(leaf_der)?.spki)
}

/// Verifies TLS server chains against a trust store: the interface the
/// TLS client calls.
#[derive(Debug, Clone, Default)]
pub struct ServerVerifier {
    store: TrustStore,
    crls: Vec<Vec<u8>>,
}

impl ServerVerifier {
    /// A verifier trusting `store`.
    #[must_use]
    pub fn new(store: TrustStore) -> Self {
        Self { store, crls: Vec::new() }
    }

    /// Adds a CRL (DER) consulted for every chain.
    pub fn add_crl(&mut self, der: &[u8]) {
        self.crls.push(der.to_vec());
    }

    /// The trust store.
    #[must_use]
    pub fn store(&self) -> &TrustStore {
        &self.store
    }

    /// Verifies `chain` (DER, leaf first, as the TLS Certificate message
    /// carries it) for `hostname` (DNS name or IP literal) at `now_unix`,
    /// for TLS server authentication.
    ///
    /// # Errors
    /// [`Error::Certificate`] with the reason and depth; [`Error::Malformed`]
    /// for an empty chain.
    pub fn verify_server(&self, chain: &[&[u8]], hostname: &str, now_unix: u64) -> Result<(), Error> {
        let (leaf, rest) =
            chain.split_first().ok_or(Error::Malformed { what: "certificate chain", reason: "empty" })?;
        let crls: Vec<&[u8]> = self.crls.iter().map(Vec::as_slice).collect();
        let options = Options {
            time: i64::try_from(now_unix).unwrap_or(i64::MAX),
            purpose: Some(Purpose::ServerAuth),
            hostname: Some(hostname),
            crls: &crls,
            require_crls: CrlCheck::None,
            legacy_algorithms: false,
        };
        verify_chain(leaf, rest, &self.store, &options)?;
        Ok(())
    }
}
