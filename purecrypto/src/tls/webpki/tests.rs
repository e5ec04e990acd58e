//! The x509-backed verifier on chains built with `crate::x509`'s builder:
//! good chain, wrong host, expired (through the time passed in), unknown
//! CA, each with its typed reason and alert; then whole in-memory
//! handshakes where the rejection reaches the server as that alert.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::*;
use crate::ec::{P256, ecdsa};
use crate::hash::HashAlgorithm;
use crate::rng::HmacDrbg;
use crate::tls::{ClientConfig, Connection, ServerConfig, SigningKey as TlsKey};
use crate::x509::{CertificateBuilder, GeneralName, KeyUsage, SigningKey, name, oids};

const T0: i64 = 1_798_761_600;
const DAY: i64 = 86_400;
const HOST: &str = "www.example.test";

fn drbg() -> HmacDrbg {
    HmacDrbg::new(HashAlgorithm::Sha256, &[9; 32], b"", b"webpki tests").unwrap()
}

fn p256(seed: u8) -> ecdsa::SigningKey<P256> {
    let mut scalar = [seed; 32];
    scalar[0] = 0x21;
    ecdsa::SigningKey::from_bytes(&scalar).unwrap()
}

fn root(seed: u8, cn: &str) -> (Vec<u8>, Vec<u8>, SigningKey) {
    let key = SigningKey::P256(p256(seed));
    let subject = name::encode_name(&[("CN", cn)]).unwrap();
    let cert = CertificateBuilder::new(&subject, &key.spki_der(), T0 - DAY, T0 + 30 * DAY)
        .basic_constraints(true, None)
        .key_usage(KeyUsage(KeyUsage::KEY_CERT_SIGN))
        .sign(&key, &mut drbg())
        .unwrap();
    (cert, subject, key)
}

/// A root and a leaf for [`HOST`] and 127.0.0.1 valid for one day from T0.
fn chain() -> (Vec<u8>, Vec<u8>) {
    let (root_cert, root_name, root_key) = root(1, "Test Root");
    let leaf_key = SigningKey::P256(p256(2));
    let leaf =
        CertificateBuilder::new(&name::encode_name(&[("CN", HOST)]).unwrap(), &leaf_key.spki_der(), T0, T0 + DAY)
            .issuer(&root_name)
            .serial(&[7])
            .basic_constraints(false, None)
            .ext_key_usage(&[oids::EKU_SERVER_AUTH])
            .subject_alt_names(&[GeneralName::Dns(HOST), GeneralName::Ip(&[127, 0, 0, 1])])
            .sign(&root_key, &mut drbg())
            .unwrap();
    (root_cert, leaf)
}

fn store(der: &[u8]) -> TrustStore {
    let mut s = TrustStore::new();
    s.add_der(der).unwrap();
    s
}

const NOW: u64 = (T0 + 3600) as u64;

#[test]
fn good_chain_wrong_host_expired_and_unknown_ca() {
    let (root_cert, leaf) = chain();
    let v = X509Verifier::new(store(&root_cert));
    let chain: &[&[u8]] = &[&leaf];
    v.verify(chain, HOST, NOW).unwrap();
    v.verify(chain, "127.0.0.1", NOW).unwrap();
    // The host name must match: another name, another IP, a wildcard-less
    // parent domain.
    for host in ["other.example.test", "127.0.0.2", "example.test"] {
        let e = v.verify(chain, host, NOW).unwrap_err();
        let Error::CertificateRejected(ce) = e.clone() else { panic!("{e:?}") };
        assert!(matches!(ce.reason, Reason::HostnameMismatch | Reason::IpAddressMismatch), "{host}: {ce}");
        assert_eq!(e.alert(), Some(AlertDescription::CERTIFICATE_UNKNOWN));
    }
    // Time comes from the caller: one second past notAfter is expired,
    // one before notBefore not yet valid.
    let late = v.verify(chain, HOST, (T0 + DAY + 1) as u64).unwrap_err();
    assert_eq!(late, Error::CertificateRejected(CertError { reason: Reason::Expired, depth: 0 }));
    assert_eq!(late.alert(), Some(AlertDescription::CERTIFICATE_EXPIRED));
    let early = v.verify(chain, HOST, (T0 - 1) as u64).unwrap_err();
    assert_eq!(early.alert(), Some(AlertDescription::BAD_CERTIFICATE));
    // Another root: no path.
    let (other_root, _, _) = root(3, "Other Root");
    let stranger = X509Verifier::new(store(&other_root)).verify(chain, HOST, NOW).unwrap_err();
    assert_eq!(stranger, Error::CertificateRejected(CertError { reason: Reason::UnableToGetLocalIssuer, depth: 0 }));
    assert_eq!(stranger.alert(), Some(AlertDescription::UNKNOWN_CA));
    assert!(v.verify(&[], HOST, NOW).is_err());
    assert!(v.verify(&[&leaf[..leaf.len() - 1]], HOST, NOW).is_err());
}

#[test]
fn host_check_off_and_report_only_are_explicitly_dangerous() {
    let (root_cert, leaf) = chain();
    let chain: &[&[u8]] = &[&leaf];
    let no_host = X509Verifier::new(store(&root_cert)).dangerous_without_hostname();
    no_host.verify(chain, "anything.invalid", NOW).unwrap();
    // Still a chain check.
    assert!(no_host.verify(chain, "anything.invalid", (T0 + 2 * DAY) as u64).is_err());

    let (other_root, _, _) = root(3, "Other Root");
    let report = DangerousReportOnlyVerifier::new(X509Verifier::new(store(&other_root)));
    assert_eq!(report.verdict(), None);
    report.verify(chain, HOST, NOW).unwrap();
    assert_eq!(report.verdict(), Some(Err(CertError { reason: Reason::UnableToGetLocalIssuer, depth: 0 })));
    let good = DangerousReportOnlyVerifier::new(X509Verifier::new(store(&root_cert)));
    good.verify(chain, HOST, NOW).unwrap();
    assert_eq!(good.verdict(), Some(Ok(())));
    // A leaf without a key is refused even here.
    assert!(good.verify(&[b"not a certificate"], HOST, NOW).is_err());
}

struct CountRng(u64);
impl crate::rng::RngCore for CountRng {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for b in dest {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            *b = (self.0 >> 33) as u8;
        }
    }
}
impl crate::rng::CryptoRng for CountRng {}

/// Runs a handshake of a client using `verifier` to `name` at `now`
/// against a server presenting [`chain`]'s leaf; returns the client's
/// error and the server's.
fn handshake(verifier: X509Verifier, name: &str, now: u64) -> (Option<Error>, Option<Error>) {
    let (_, leaf) = chain();
    let server = ServerConfig::new(alloc::vec![leaf], TlsKey::EcdsaP256(p256(2))).unwrap();
    let mut s = Connection::server(Arc::new(server), Box::new(CountRng(1))).unwrap();
    let mut c =
        Connection::client(Arc::new(ClientConfig::new(Arc::new(verifier))), name, Box::new(CountRng(2))).unwrap();
    c.set_now(now);
    let (mut ce, mut se) = (None, None);
    for _ in 0..20 {
        let mut buf = Vec::new();
        c.write_tls(&mut buf);
        if !buf.is_empty() && se.is_none() {
            se = s.read_tls(&buf).err();
        }
        let mut back = Vec::new();
        s.write_tls(&mut back);
        if !back.is_empty() && ce.is_none() {
            ce = c.read_tls(&back).err();
        }
        if buf.is_empty() && back.is_empty() {
            break;
        }
    }
    assert!(ce.is_some() || !c.is_handshaking(), "handshake neither failed nor finished");
    (ce, se)
}

#[test]
fn handshakes_verify_and_reject_with_the_alert_on_the_wire() {
    let (root_cert, _) = chain();
    let ok = handshake(X509Verifier::new(store(&root_cert)), HOST, NOW);
    assert_eq!(ok, (None, None));
    let (c, s) = handshake(X509Verifier::new(store(&root_cert)), HOST, (T0 + 2 * DAY) as u64);
    assert_eq!(c, Some(Error::CertificateRejected(CertError { reason: Reason::Expired, depth: 0 })));
    assert_eq!(s, Some(Error::AlertReceived(AlertDescription::CERTIFICATE_EXPIRED)));
    let (other_root, _, _) = root(3, "Other Root");
    let (c, s) = handshake(X509Verifier::new(store(&other_root)), HOST, NOW);
    assert!(matches!(c, Some(Error::CertificateRejected(CertError { reason: Reason::UnableToGetLocalIssuer, .. }))));
    assert_eq!(s, Some(Error::AlertReceived(AlertDescription::UNKNOWN_CA)));
    let (c, s) = handshake(X509Verifier::new(store(&root_cert)), "evil.example.test", NOW);
    assert!(matches!(c, Some(Error::CertificateRejected(CertError { reason: Reason::HostnameMismatch, .. }))));
    assert_eq!(s, Some(Error::AlertReceived(AlertDescription::CERTIFICATE_UNKNOWN)));
}

#[test]
fn default_client_config_verifies() {
    // Whatever the machine's store holds, it does not vouch for a chain
    // under a freshly made root: the default must refuse it.
    let (_, leaf) = chain();
    let config = ClientConfig::default();
    let e = config.verifier.verify(&[&leaf], HOST, NOW).unwrap_err();
    assert!(matches!(e, Error::CertificateRejected(_)), "{e:?}");
}
