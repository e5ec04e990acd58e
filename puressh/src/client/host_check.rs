//! Host key checking against `known_hosts` with OpenSSH's
//! `StrictHostKeyChecking` semantics.
//!
//! Entry point: [`KnownHostsVerifier`], a
//! [`HostKeyVerifier`](crate::transport::client_kex::HostKeyVerifier).

use crate::config::known_hosts::{HmacSha1, KnownHosts, Verdict, lookup_name};
use crate::error::KexError;
use crate::keys::PublicKey;
use crate::transport::client_kex::HostKeyVerifier;
use std::path::PathBuf;

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
            Verdict::Changed { line } => reject(format!(
                "the {} key of {} differs from known_hosts line {line}: possible man-in-the-middle",
                key.key_type(),
                self.host
            )),
            Verdict::Unknown => match self.mode {
                StrictHostKeyChecking::Yes => reject(format!(
                    "no {} key for {} in known_hosts",
                    key.key_type(),
                    lookup_name(&self.host, self.port)
                )),
                StrictHostKeyChecking::AcceptNew => self.record(key, blob),
                StrictHostKeyChecking::No => Ok(()),
            },
        }
    }
}
