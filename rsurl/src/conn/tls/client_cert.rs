//! Client certificates: `-E/--cert FILE[:PASSWORD]`, `--cert-type`,
//! `--key`, `--key-type`, `--pass`, loaded the way curl over OpenSSL
//! loads them and failing with its exit 58 and messages.
//!
//! Entry points: [`ClientCert`] (what the command line named),
//! [`split_cert_arg`] (curl's `FILE:PASSWORD` split with `\:` escapes)
//! and [`ClientCert::load`] (the chain and the signing key for
//! purecrypto's `ClientConfig::with_client_cert`). The key is any form
//! purecrypto's key facade reads: PKCS #8 (plain or encrypted), the
//! traditional `RSA/EC PRIVATE KEY` files, PEM or DER. With no `--key`
//! the key is looked for in the certificate file, as curl does.

use std::fmt;
use std::path::PathBuf;

use purecrypto::pkey::{PrivateKey, PrivateKeyForm};
use purecrypto::tls::SigningKey;
use zeroize::Zeroizing;

use crate::error::Error;

/// A password that never shows in `Debug` output (the options are
/// printed into pool keys and traces).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Wraps `text`.
    pub(crate) fn new(text: &str) -> Self {
        Self(Zeroizing::new(text.to_owned()))
    }
}

/// Shows a tag, never the password: HMAC-SHA256 under a key made at
/// random once per process and never shown, so two passwords give two
/// tags (pool and session-cache keys, built from the options' `Debug`
/// form, keep them apart) while a printed tag cannot be tested against
/// guesses.
impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use purecrypto::rng::RngCore as _;
        static KEY: std::sync::OnceLock<Zeroizing<[u8; 32]>> = std::sync::OnceLock::new();
        let key = KEY.get_or_init(|| {
            let mut k = Zeroizing::new([0u8; 32]);
            purecrypto::rng::OsRng.fill_bytes(&mut *k);
            k
        });
        let tag = purecrypto::mac::hmac(purecrypto::hash::HashAlgorithm::Sha256, &**key, self.0.as_bytes());
        let short: String = tag.iter().take(8).map(|b| format!("{b:02x}")).collect();
        write!(f, "Passphrase({short})")
    }
}

/// A loaded client certificate: the chain (DER, leaf first) and its key.
pub(crate) type Loaded = (Vec<Vec<u8>>, SigningKey);

/// The client-certificate options of one transfer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ClientCert {
    /// `-E` file (certificate chain, maybe with the key).
    pub(crate) cert: Option<PathBuf>,
    /// `--cert-type`: `PEM` (default) or `DER`.
    pub(crate) cert_type: Option<String>,
    /// `--key` file; the certificate file when absent.
    pub(crate) key: Option<PathBuf>,
    /// `--key-type`: `PEM` (default) or `DER`.
    pub(crate) key_type: Option<String>,
    /// `--pass`, or the password part of `-E`.
    pub(crate) pass: Option<Passphrase>,
}

/// Splits curl's `-E` value at the first `:` not escaped as `\:` into
/// the file name and the password (`\\` stands for one backslash).
pub(crate) fn split_cert_arg(arg: &str) -> (String, Option<String>) {
    let mut file = String::new();
    let mut chars = arg.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.clone().next() {
                Some(next @ (':' | '\\')) => {
                    file.push(next);
                    chars.next();
                }
                _ => file.push('\\'),
            },
            ':' => return (file, Some(chars.collect())),
            c => file.push(c),
        }
    }
    (file, None)
}

/// Whether a `--cert-type` / `--key-type` value means DER (else PEM);
/// `P12` is allowed for certificates only.
fn is_der(kind: Option<&str>, what: &str) -> Result<bool, Error> {
    match kind.map(str::to_ascii_uppercase).as_deref() {
        None | Some("PEM") => Ok(false),
        Some("DER") => Ok(true),
        Some("P12") if what == "certificate" => Ok(false),
        Some(other) => Err(Error::ClientCert(format!("not supported file type '{other}' for {what}"))),
    }
}

/// `--cert-type P12`: the key and the chain from a PKCS #12 file, the
/// certificate whose `localKeyID` matches the key's first.
fn load_p12(path: &std::path::Path, password: Option<&[u8]>) -> Result<Loaded, Error> {
    let der = std::fs::read(path)
        .map_err(|_| Error::ClientCert(format!("could not open PKCS12 file '{}'", path.display())))?;
    let p12 = purecrypto::pkcs12::read(&der, password.unwrap_or_default(), &purecrypto::pkcs5::Limits::default())
        .map_err(|e| Error::ClientCert(format!("could not parse PKCS12 file, check password, {e}")))?;
    let fail = || Error::ClientCert(format!("could not load PKCS12 client certificate from {}", path.display()));
    let key = p12.keys.first().ok_or_else(fail)?;
    let mut chain: Vec<Vec<u8>> = Vec::new();
    let is_leaf = |c: &purecrypto::pkcs12::CertEntry| key.local_key_id.is_some() && c.local_key_id == key.local_key_id;
    chain.extend(p12.certificates.iter().filter(|c| is_leaf(c)).map(|c| c.der.clone()));
    chain.extend(p12.certificates.iter().filter(|c| !is_leaf(c)).map(|c| c.der.clone()));
    if chain.is_empty() {
        return Err(fail());
    }
    let signing = SigningKey::from_pkcs8_der(&key.private_key_info).map_err(|_| fail())?;
    Ok((chain, signing))
}

impl ClientCert {
    /// Reads the chain (leaf first, DER) and the private key.
    ///
    /// # Errors
    /// curl's 58 (`could not load PEM client certificate from ...`,
    /// `unable to set private key file: '...' type PEM`, a key that is
    /// not the certificate's).
    pub(crate) fn load(&self) -> Result<Option<Loaded>, Error> {
        let Some(cert_path) = &self.cert else { return Ok(None) };
        let cert_der = is_der(self.cert_type.as_deref(), "certificate")?;
        if self.cert_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("P12")) {
            return load_p12(cert_path, self.pass.as_ref().map(|p| p.0.as_bytes())).map(Some);
        }
        let form = if cert_der { "ASN1" } else { "PEM" };
        let cert_fail = |why: &str| {
            Error::ClientCert(format!(
                "could not load {form} client certificate from {}, {why}, \
                 (no key found, wrong pass phrase, or wrong file format?)",
                cert_path.display()
            ))
        };
        let cert_bytes = std::fs::read(cert_path).map_err(|e| cert_fail(&e.to_string()))?;
        let chain = if cert_der {
            purecrypto::x509::Certificate::from_der(&cert_bytes).map_err(|e| cert_fail(&e.to_string()))?;
            vec![cert_bytes.clone()]
        } else {
            purecrypto::x509::pem_certificates(&cert_bytes).map_err(|e| cert_fail(&e.to_string()))?
        };
        if chain.is_empty() {
            return Err(cert_fail("no certificate in the file"));
        }

        let key_path = self.key.as_ref().unwrap_or(cert_path);
        let key_der = is_der(self.key_type.as_deref(), "private key")?;
        let key_fail = || {
            Error::ClientCert(format!(
                "unable to set private key file: '{}' type {}",
                key_path.display(),
                if key_der { "DER" } else { "PEM" }
            ))
        };
        let key_bytes = Zeroizing::new(std::fs::read(key_path).map_err(|_| key_fail())?);
        let key_input = if key_der { Zeroizing::new(key_bytes.to_vec()) } else { private_key_block(&key_bytes) };
        let password = self.pass.as_ref().map(|p| p.0.as_bytes());
        let key = PrivateKey::read(&key_input, password).map_err(|_| key_fail())?;
        let pkcs8 = key.to_pkcs8_der(PrivateKeyForm::Default).map_err(|_| key_fail())?;
        let signing = SigningKey::from_pkcs8_der(&pkcs8).map_err(|_| key_fail())?;
        Ok(Some((chain, signing)))
    }
}

/// The first PEM block of `text` whose label ends in `PRIVATE KEY`
/// (a combined certificate + key file holds certificates first), or the
/// whole input when there is none (the reader then reports it).
fn private_key_block(text: &[u8]) -> Zeroizing<Vec<u8>> {
    let s = String::from_utf8_lossy(text);
    let mut rest: &str = &s;
    while let Some(start) = rest.find("-----BEGIN ") {
        let block = rest.get(start..).unwrap_or_default();
        let label_end = block.get(11..).and_then(|b| b.find("-----")).map_or(0, |i| i + 11);
        let label = block.get(11..label_end).unwrap_or_default();
        let end_marker = format!("-----END {label}-----");
        let Some(end) = block.find(&end_marker) else { break };
        if label.ends_with("PRIVATE KEY") {
            let whole = block.get(..end + end_marker.len()).unwrap_or_default();
            return Zeroizing::new(whole.as_bytes().to_vec());
        }
        rest = block.get(end + end_marker.len()..).unwrap_or_default();
    }
    Zeroizing::new(text.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cert_argument_split() {
        assert_eq!(split_cert_arg("/a/client.pem"), ("/a/client.pem".into(), None));
        assert_eq!(split_cert_arg("client.pem:se:cret"), ("client.pem".into(), Some("se:cret".into())));
        assert_eq!(split_cert_arg(r"c\:lient.pem:pw"), ("c:lient.pem".into(), Some("pw".into())));
        assert_eq!(split_cert_arg(r"a\\b:pw"), (r"a\b".into(), Some("pw".into())));
        assert_eq!(split_cert_arg(r"a\b"), (r"a\b".into(), None));
    }

    #[test]
    fn passwords_stay_out_of_debug() {
        let c = ClientCert { pass: Some(Passphrase::new("hunter2")), ..ClientCert::default() };
        assert!(!format!("{c:?}").contains("hunter2"));
        // Distinct passwords keep distinct pool keys; equal ones match.
        let (a, b) = (Passphrase::new("hunter2"), Passphrase::new("hunter3"));
        assert_ne!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(format!("{a:?}"), format!("{:?}", Passphrase::new("hunter2")));
    }

    #[test]
    fn curl_messages_for_missing_files() {
        let c = ClientCert { cert: Some("/nonexistent/c.pem".into()), ..ClientCert::default() };
        let e = c.load().unwrap_err();
        assert_eq!(e.exit_code().get(), 58);
        assert!(e.to_string().starts_with("could not load PEM client certificate from /nonexistent/c.pem, "));
        let c = ClientCert { cert_type: Some("ENG".into()), ..c };
        assert_eq!(c.load().unwrap_err().to_string(), "not supported file type 'ENG' for certificate");
        let c = ClientCert { cert_type: Some("P12".into()), ..c };
        assert_eq!(c.load().unwrap_err().exit_code().get(), 58);
        assert!(ClientCert::default().load().unwrap().is_none());
    }

    #[test]
    fn key_block_is_found_after_certificates() {
        let text = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n\
                     -----BEGIN EC PRIVATE KEY-----\nBBBB\n-----END EC PRIVATE KEY-----\n";
        let block = private_key_block(text);
        assert!(block.starts_with(b"-----BEGIN EC PRIVATE KEY-----"));
        assert!(block.ends_with(b"-----END EC PRIVATE KEY-----"));
        assert_eq!(&*private_key_block(b"junk"), b"junk");
    }
}
