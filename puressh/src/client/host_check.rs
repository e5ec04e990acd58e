//! Host key checking against `known_hosts` with OpenSSH's
//! `StrictHostKeyChecking` semantics.
//!
//! Entry point: [`KnownHostsVerifier`], a
//! [`HostKeyVerifier`](crate::transport::client_kex::HostKeyVerifier).

use crate::config::known_hosts::{HmacSha1, KnownHosts, Verdict, lookup_name};
use crate::error::KexError;
use crate::keys::PublicKey;
use crate::keys::cert::{CertType, Certificate};
use crate::transport::client_kex::HostKeyVerifier;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

/// What to do with a host key that `known_hosts` does not vouch for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StrictHostKeyChecking {
    /// Only keys listed for the host are accepted (`yes`; the default
    /// here, as there is no one to ask).
    #[default]
    Yes,
    /// Unknown hosts are accepted and their key appended to the file;
    /// changed keys are refused (`accept-new`).
    AcceptNew,
    /// Unknown hosts are accepted without recording them; changed keys
    /// are still refused (OpenSSH would continue with password logins
    /// disabled, which this client does not model).
    No,
}

/// HMAC-SHA1 for hashed `known_hosts` names.
struct PureHmacSha1;

impl HmacSha1 for PureHmacSha1 {
    fn hmac_sha1(&self, key: &[u8], message: &[u8]) -> [u8; 20] {
        let mut mac = purecrypto::mac::DynHmac::new(purecrypto::hash::HashAlgorithm::Sha1, key);
        mac.update(message);
        let tag = mac.finalize();
        let mut out = [0u8; 20];
        for (o, t) in out.iter_mut().zip(tag) {
            *o = t;
        }
        out
    }
}

/// Checks the server's key for `host`:`port` in a parsed `known_hosts`.
#[derive(Debug)]
pub struct KnownHostsVerifier {
    known: KnownHosts,
    host: String,
    port: u16,
    mode: StrictHostKeyChecking,
    /// Where `accept-new` appends.
    file: Option<PathBuf>,
}

impl KnownHostsVerifier {
    /// A verifier for `host`:`port`; `file` receives new keys under
    /// [`StrictHostKeyChecking::AcceptNew`].
    #[must_use]
    pub fn new(known: KnownHosts, host: &str, port: u16, mode: StrictHostKeyChecking, file: Option<PathBuf>) -> Self {
        Self { known, host: host.to_owned(), port, mode, file }
    }

    fn record(&self, key: &PublicKey, blob: &[u8]) -> Result<(), KexError> {
        let Some(path) = &self.file else { return Ok(()) };
        let line =
            format!("{} {} {}\n", lookup_name(&self.host, self.port), key.key_type(), crate::base64::encode(blob));
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
            f.write_all(line.as_bytes())
        };
        write().map_err(|e| KexError::HostKeyRejected { reason: format!("cannot record the new host key: {e}") })
    }
}

impl HostKeyVerifier for KnownHostsVerifier {
    fn verify(&mut self, key: &PublicKey, blob: &[u8]) -> Result<(), KexError> {
        let reject = |reason: String| Err(KexError::HostKeyRejected { reason });
        match self.known.check(&self.host, self.port, key.key_type(), blob, Some(&PureHmacSha1)) {
            Verdict::Trusted { .. } => Ok(()),
            Verdict::Revoked { line } => {
                reject(format!("the {} key is revoked (known_hosts line {line})", key.key_type()))
            }
            Verdict::Changed { line } => Err(KexError::HostKeyChanged {
                host: lookup_name(&self.host, self.port),
                key_type: key.type_label().to_owned(),
                fingerprint: key.fingerprint(purecrypto::hash::HashAlgorithm::Sha256),
                line,
            }),
            Verdict::Unknown => match self.mode {
                StrictHostKeyChecking::Yes => Err(KexError::HostKeyUnknown {
                    host: lookup_name(&self.host, self.port),
                    key_type: key.type_label().to_owned(),
                }),
                StrictHostKeyChecking::AcceptNew => self.record(key, blob),
                StrictHostKeyChecking::No => Ok(()),
            },
        }
    }

    /// A host certificate stands for the host when a `@cert-authority`
    /// line for this host holds its CA key, the CA's signature verifies
    /// (not with SHA-1), and it is a host certificate, valid now, naming
    /// the host (or no one) and carrying no critical option. Neither the
    /// certified key nor the CA key may be `@revoked`.
    ///
    /// When no `@cert-authority` line holds the CA key, the certified key
    /// is judged as a plain key instead, as OpenSSH does ("No matching CA
    /// found. Retry with plain key"); a CA that is trusted but whose
    /// certificate fails a check is final.
    fn verify_certificate(&mut self, certificate: &Certificate) -> Result<(), KexError> {
        let reject = |reason: String| KexError::HostKeyRejected { reason };
        let key_blob = certificate.key.to_blob();
        let ca_blob = certificate.signature_key.to_blob();
        for (what, blob) in [("host", &key_blob), ("certificate authority", &ca_blob)] {
            if let Some(line) = self.known.revoked_line(blob) {
                return Err(reject(format!("the {what} key is revoked (known_hosts line {line})")));
            }
        }
        let trusted =
            self.known.cert_authorities(&self.host, self.port, Some(&PureHmacSha1)).any(|entry| entry.key == ca_blob);
        if !trusted {
            return self.verify(&certificate.key, &key_blob);
        }
        certificate.verify_signature().map_err(|e| reject(format!("host certificate signature: {e}")))?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        certificate
            .check(CertType::Host, &self.host, now)
            .map_err(|e| reject(format!("host certificate for {} (key id \"{}\"): {e}", self.host, certificate.key_id)))
    }
}

/// The key type a host key algorithm's keys have (`rsa-sha2-*` keys are
/// `ssh-rsa` keys).
fn key_type_of(algorithm: &str) -> &str {
    match algorithm {
        crate::names::RSA_SHA2_256 | crate::names::RSA_SHA2_512 => crate::names::SSH_RSA_SHA1,
        other => other,
    }
}

/// OpenSSH's host key algorithm ordering: the algorithms `known_hosts`
/// can already vouch for on `host`:`port` first (a plain key of that type,
/// certified or not, or for certificate algorithms a `@cert-authority`
/// line covering the host), then the others, each group in the given
/// order. Without this a
/// server holding several keys could present one whose type the user never
/// recorded, and a strict check would refuse a host it knows.
#[must_use]
pub fn prefer_known(algorithms: &[String], known: &KnownHosts, host: &str, port: u16) -> Vec<String> {
    let hmac: Option<&dyn crate::config::known_hosts::HmacSha1> = Some(&PureHmacSha1);
    let has_ca = known.cert_authorities(host, port, hmac).next().is_some();
    let known_types: Vec<&str> = known
        .entries()
        .iter()
        .filter(|e| e.marker.is_none() && e.matches_host(host, port, hmac) == Some(true))
        .map(|e| e.key_type.as_str())
        .collect();
    // A certificate algorithm counts when a CA covers the host or when
    // the plain key of its type is known (the server may present that
    // key certified; the check then falls back to the plain key).
    let vouched = |algorithm: &String| {
        let plain = crate::keys::cert::signature_algorithm(algorithm);
        (plain.is_some() && has_ca) || known_types.contains(&key_type_of(plain.unwrap_or(algorithm)))
    };
    let (first, rest): (Vec<String>, Vec<String>) = algorithms.iter().cloned().partition(vouched);
    first.into_iter().chain(rest).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/data/certs/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn certificate(name: &str) -> Certificate {
        Certificate::from_openssh_line(&fixture(name)).unwrap().0
    }

    /// `ca_ed25519.pub` as a known_hosts line with `marker` for `hosts`.
    fn line(marker: &str, hosts: &str, key: &str) -> String {
        let fields: Vec<&str> = key.split_whitespace().take(2).collect();
        format!("{marker} {hosts} {}\n", fields.join(" "))
    }

    fn verifier(known: &str, host: &str, mode: StrictHostKeyChecking) -> KnownHostsVerifier {
        KnownHostsVerifier::new(KnownHosts::parse(known).unwrap(), host, 22, mode, None)
    }

    fn reason(result: Result<(), KexError>) -> String {
        match result {
            Err(KexError::HostKeyRejected { reason }) => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_trusted_ca_vouches_for_its_host_certificates() {
        // host_any: no principals, valid forever, signed by ca_ed25519.
        let cert = certificate("host_any-cert.pub");
        let ca = fixture("ca_ed25519.pub");
        let mut v = verifier(&line("@cert-authority", "*.example", &ca), "h.example", StrictHostKeyChecking::Yes);
        v.verify_certificate(&cert).unwrap();
        // The CA line is for other hosts: judged as the plain key, unknown.
        let mut v = verifier(&line("@cert-authority", "*.other", &ca), "h.example", StrictHostKeyChecking::Yes);
        assert_eq!(
            v.verify_certificate(&cert),
            Err(KexError::HostKeyUnknown { host: "h.example".into(), key_type: "ED25519".into() })
        );
        // ...which a plain line for the host does vouch for.
        let plain = line("", "h.example", &fixture("host_ed25519.pub"));
        let mut v = verifier(plain.trim_start(), "h.example", StrictHostKeyChecking::Yes);
        v.verify_certificate(&cert).unwrap();
        // A plain CA line (no marker) is not a CA.
        let mut v = verifier(line("", "h.example", &ca).trim_start(), "h.example", StrictHostKeyChecking::Yes);
        assert!(v.verify_certificate(&cert).is_err());
    }

    #[test]
    fn revoked_keys_and_cas_are_final() {
        let cert = certificate("host_any-cert.pub");
        let ca = fixture("ca_ed25519.pub");
        let trusted = line("@cert-authority", "*", &ca);
        for revoked in [line("@revoked", "*", &ca), line("@revoked", "*", &fixture("host_ed25519.pub"))] {
            let mut v = verifier(&(trusted.clone() + &revoked), "h", StrictHostKeyChecking::No);
            assert!(reason(v.verify_certificate(&cert)).contains("revoked (known_hosts line 2)"));
        }
    }

    #[test]
    fn a_trusted_ca_with_a_bad_certificate_does_not_fall_back() {
        // Signed with ssh-rsa (SHA-1) by ca_rsa: refused even though
        // StrictHostKeyChecking=no would take an unknown plain key.
        let cert = certificate("host_sha1-cert.pub");
        let trusted = line("@cert-authority", "*", &fixture("ca_rsa.pub"));
        let mut v = verifier(&trusted, "host.example", StrictHostKeyChecking::No);
        assert!(reason(v.verify_certificate(&cert)).contains("host certificate signature"));
        // A user certificate is not a host certificate.
        let user = certificate("user_ed25519-cert.pub");
        let mut v = verifier(&line("@cert-authority", "*", &fixture("ca_ed25519.pub")), "h", StrictHostKeyChecking::No);
        assert!(reason(v.verify_certificate(&user)).contains("a user certificate where a host one is needed"));
    }

    #[test]
    fn known_algorithms_come_first() {
        let all: Vec<String> = crate::client::default_preferences().host_key;
        let first = |known: &str, host: &str| {
            let known = KnownHosts::parse(known).unwrap();
            prefer_known(&all, &known, host, 22)
        };
        // Nothing known: the order as given, certificates first.
        assert_eq!(first("", "h"), all);
        // An RSA key known: both RSA certificate and plain algorithms lead.
        let rsa = "h ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAAQC7\n";
        assert_eq!(
            first(rsa, "h")[..4],
            [names::RSA_SHA2_512_CERT, names::RSA_SHA2_256_CERT, names::RSA_SHA2_512, names::RSA_SHA2_256]
        );
        assert_eq!(first(rsa, "other"), all);
        // A CA for the host: every certificate algorithm first.
        let ca = line("@cert-authority", "h", &fixture("ca_ed25519.pub"));
        let ordered = first(&ca, "h");
        assert!(ordered[..6].iter().all(|a| crate::keys::cert::is_certificate_algorithm(a)), "{ordered:?}");
        assert_eq!(ordered.len(), all.len());
    }
}
