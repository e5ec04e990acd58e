//! Trust anchors: owned DER certificates indexed by subject name.
//!
//! Entry points: [`TrustStore::new`], [`TrustStore::add_der`],
//! [`TrustStore::add_pem`], and with `std` [`TrustStore::load_file`],
//! [`TrustStore::load_dir`] (an OpenSSL `c_rehash` directory, or any
//! directory of PEM files) and [`TrustStore::system`].

use alloc::vec::Vec;

use super::certificate::{Certificate, pem_certificates};
use crate::Error;

/// A set of trusted certificates. Anchors are stored as DER and decoded
/// when a path reaches them, so the store owns no borrowed state.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    /// `(subject DER, certificate DER)`.
    anchors: Vec<(Vec<u8>, Vec<u8>)>,
}

impl TrustStore {
    /// An empty store.
    #[must_use]
    pub const fn new() -> Self {
        Self { anchors: Vec::new() }
    }

    /// Adds one DER certificate (duplicates are ignored).
    ///
    /// # Errors
    /// Decode errors of [`Certificate::from_der`].
    pub fn add_der(&mut self, der: &[u8]) -> Result<(), Error> {
        let cert = Certificate::from_der(der)?;
        if !self.anchors.iter().any(|(_, d)| d == der) {
            self.anchors.push((cert.subject.der.to_vec(), der.to_vec()));
        }
        Ok(())
    }

    /// Adds every `CERTIFICATE` block of a PEM bundle; returns how many.
    ///
    /// # Errors
    /// PEM or certificate decode errors.
    pub fn add_pem(&mut self, pem: &[u8]) -> Result<usize, Error> {
        let certs = pem_certificates(pem)?;
        for der in &certs {
            self.add_der(der)?;
        }
        Ok(certs.len())
    }

    /// How many anchors the store holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether the store is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// The DER of every anchor whose subject is `subject_der`.
    pub fn by_subject<'s>(&'s self, subject_der: &'s [u8]) -> impl Iterator<Item = &'s [u8]> + 's {
        self.anchors.iter().filter(move |(s, _)| s == subject_der).map(|(_, d)| d.as_slice())
    }

    /// Whether exactly this certificate is trusted.
    #[must_use]
    pub fn contains(&self, der: &[u8]) -> bool {
        self.anchors.iter().any(|(_, d)| d == der)
    }

    /// Every anchor's DER.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.anchors.iter().map(|(_, d)| d.as_slice())
    }
}

#[cfg(feature = "std")]
impl TrustStore {
    /// Adds the certificates of a PEM (or single DER) file; returns how
    /// many decoded (undecodable ones are skipped).
    ///
    /// # Errors
    /// [`Error::Malformed`] for unreadable or undecodable files.
    pub fn load_file(&mut self, path: &std::path::Path) -> Result<usize, Error> {
        let bytes =
            std::fs::read(path).map_err(|_| Error::Malformed { what: "trust store", reason: "unreadable file" })?;
        if bytes.first() == Some(&0x30) {
            self.add_der(&bytes)?;
            return Ok(1);
        }
        // One undecodable anchor must not cost the whole bundle.
        let certs = pem_certificates(&bytes)?;
        Ok(certs.iter().filter(|der| self.add_der(der).is_ok()).count())
    }

    /// Adds every certificate of every regular file in `dir` (OpenSSL's
    /// hashed `HASH.N` links included; files that hold no certificate or do
    /// not decode are skipped, as OpenSSL's lookup skips them).
    ///
    /// # Errors
    /// [`Error::Malformed`] when the directory cannot be listed.
    pub fn load_dir(&mut self, dir: &std::path::Path) -> Result<usize, Error> {
        let entries = std::fs::read_dir(dir)
            .map_err(|_| Error::Malformed { what: "trust store", reason: "unreadable directory" })?;
        let mut paths: Vec<std::path::PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut count = 0;
        for path in paths.iter().filter(|p| p.is_file()) {
            count += self.load_file(path).unwrap_or(0);
        }
        Ok(count)
    }

    /// The operating system's store: `/etc/ssl/certs/ca-certificates.crt`
    /// (Debian, Alpine), `/etc/pki/tls/certs/ca-bundle.crt` (Fedora), or
    /// the `/etc/ssl/certs` directory.
    ///
    /// # Errors
    /// [`Error::Unsupported`] when none exists.
    pub fn system() -> Result<Self, Error> {
        let mut store = Self::new();
        for bundle in ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"] {
            let path = std::path::Path::new(bundle);
            if path.is_file() && store.load_file(path).is_ok_and(|n| n > 0) {
                return Ok(store);
            }
        }
        let dir = std::path::Path::new("/etc/ssl/certs");
        if dir.is_dir() && store.load_dir(dir)? > 0 {
            return Ok(store);
        }
        Err(Error::Unsupported { what: "no system trust store found" })
    }
}
