//! Raw public keys (RFC 7250) in TLS 1.3, in memory (TLS 1.2:
//! `raw_keys12.rs`): server authentication with each
//! key type, client authentication, the fall back to X.509 for a client
//! that does not offer raw keys, pin mismatches, and a man in the middle
//! (holding the server's handshake keys through its key log) that edits
//! the server's EncryptedExtensions and Certificate so the client's
//! checks of the answer are reached: each failure ends in a typed error
//! and the alert RFC 7250 / RFC 8446 prescribe.

use alloc::sync::Arc;
use alloc::vec::Vec;
use std::sync::Mutex;

use super::client_auth::CLIENT_KEYS;
use super::{KEYS, decoded_client_hello, exchange, hello_record, last_plaintext_alert, pump, rng, server_config};
use crate::tls::msgs::{self, CertificateMsg, EncryptedExtensions, HandshakeType};
use crate::tls::record::{ContentType, RecordCipher};
use crate::tls::*;

/// The server test key `kind` (shared with the TLS 1.2 raw-key tests).
pub(super) fn key(kind: &str) -> SigningKey {
    let (_, _, der) = KEYS.iter().find(|(k, _, _)| *k == kind).unwrap();
    SigningKey::from_pkcs8_der(der).unwrap()
}

/// The client test key `kind`.
pub(super) fn client_key(kind: &str) -> SigningKey {
    let (_, _, der) = CLIENT_KEYS.iter().find(|(k, _, _)| *k == kind).unwrap();
    SigningKey::from_pkcs8_der(der).unwrap()
}

/// The SPKI of the server test key `kind`.
pub(super) fn spki(kind: &str) -> Vec<u8> {
    key(kind).spki_der().unwrap()
}

/// A client that accepts exactly the raw key `pinned`.
fn pinned_client(pinned: Vec<u8>) -> ClientConfig {
    ClientConfig::with_server_raw_key(Arc::new(PinnedRawKeys::new().with_spki(pinned)))
}

fn handshake(cc: ClientConfig, sc: ServerConfig) -> (Connection, Connection, (Option<Error>, Option<Error>)) {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(11)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(12)).unwrap();
    let errors = pump(&mut c, &mut s);
    (c, s, errors)
}

#[test]
fn raw_key_server_authentication_for_each_key_type() {
    for kind in ["ed25519", "p256", "p384", "rsa2048", "ed448"] {
        let sc = ServerConfig::with_raw_public_key(key(kind)).unwrap();
        let (mut c, mut s, errors) = handshake(pinned_client(spki(kind)), sc);
        assert_eq!(errors, (None, None), "{kind}");
        assert_eq!(c.peer_raw_public_key(), Some(&spki(kind)[..]), "{kind}");
        assert!(c.peer_certificates().is_empty(), "{kind}");
        assert_eq!(s.peer_raw_public_key(), None);
        exchange(&mut c, &mut s, 1000);
    }
}

#[test]
fn pin_by_sha256_and_a_pin_mismatch() {
    use crate::hash::{Hash, Sha256};
    let mut digest = [0u8; 32];
    digest.copy_from_slice(&Sha256::digest(&spki("p256"))[..]);
    let cc = ClientConfig::with_server_raw_key(Arc::new(PinnedRawKeys::new().with_spki_sha256(digest)));
    let (_, _, errors) = handshake(cc, ServerConfig::with_raw_public_key(key("p256")).unwrap());
    assert_eq!(errors, (None, None));

    // The pin names the Ed25519 key; the server has the P-256 one.
    let (mut c, _, errors) =
        handshake(pinned_client(spki("ed25519")), ServerConfig::with_raw_public_key(key("p256")).unwrap());
    assert_eq!(errors.0, Some(Error::BadCertificate { what: "raw public key is not pinned" }));
    assert_eq!(errors.1, Some(Error::AlertReceived(AlertDescription::BAD_CERTIFICATE)));
    assert!(c.peer_raw_public_key().is_none());
    assert!(c.write_plaintext(b"x").is_err());
}

#[test]
fn a_server_with_both_answers_each_client_in_its_type() {
    let mut sc = server_config("p256");
    sc.raw_key = Some(RawKeyIdentity::new(key("ed25519")).unwrap());
    let sc = Arc::new(sc);
    let connect = |cc: ClientConfig| {
        let mut c = Connection::client(Arc::new(cc), "localhost", rng(3)).unwrap();
        let mut s = Connection::server(sc.clone(), rng(4)).unwrap();
        assert_eq!(pump(&mut c, &mut s), (None, None));
        c
    };
    // No offer: X.509, signed by the certificate's key.
    let c = connect(ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier)));
    assert_eq!(c.peer_certificates().len(), 1);
    assert_eq!(c.peer_raw_public_key(), None);
    // RawPublicKey first: the raw key, signed by its own key.
    let mut cc = pinned_client(spki("ed25519"));
    cc.server_certificate_types = alloc::vec![CertificateType::RAW_PUBLIC_KEY, CertificateType::X509];
    let c = connect(cc);
    assert_eq!(c.peer_raw_public_key(), Some(&spki("ed25519")[..]));
    // X.509 first: the client's order wins.
    let mut cc = pinned_client(spki("ed25519"));
    cc.verifier = Arc::new(DangerousAcceptAnyVerifier);
    cc.server_certificate_types = alloc::vec![CertificateType::X509, CertificateType::RAW_PUBLIC_KEY];
    let c = connect(cc);
    assert_eq!(c.peer_certificates().len(), 1);
}

#[test]
fn no_common_certificate_type_is_unsupported_certificate() {
    // A raw-key-only server and a client that offers nothing.
    let cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    let (_, _, errors) = handshake(cc, ServerConfig::with_raw_public_key(key("p256")).unwrap());
    assert!(matches!(errors.1, Some(Error::UnsupportedCertificate { .. })), "{errors:?}");
    assert_eq!(errors.0, Some(Error::AlertReceived(AlertDescription::UNSUPPORTED_CERTIFICATE)));

    // A raw-key-only client and a certificate-only server.
    let (_, _, errors) = handshake(pinned_client(spki("p256")), server_config("p256"));
    assert!(matches!(errors.1, Some(Error::UnsupportedCertificate { .. })), "{errors:?}");
    assert_eq!(errors.0, Some(Error::AlertReceived(AlertDescription::UNSUPPORTED_CERTIFICATE)));

    // A list of only unknown types; unknown ones before a known one are skipped.
    let hello = |types: Vec<CertificateType>| {
        let mut ch = decoded_client_hello();
        ch.server_cert_types = Some(types);
        let mut body = Vec::new();
        ch.encode(&mut body);
        hello_record(&body)
    };
    let sc = Arc::new(ServerConfig::with_raw_public_key(key("p256")).unwrap());
    let mut s = Connection::server(sc.clone(), rng(5)).unwrap();
    assert!(matches!(s.read_tls(&hello(alloc::vec![CertificateType(7)])), Err(Error::UnsupportedCertificate { .. })));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::UNSUPPORTED_CERTIFICATE));
    let mut s = Connection::server(sc, rng(5)).unwrap();
    assert!(s.read_tls(&hello(alloc::vec![CertificateType(7), CertificateType::RAW_PUBLIC_KEY])).is_ok());
}

#[test]
fn raw_key_client_authentication() {
    for kind in ["p256", "ed25519", "rsa2048"] {
        let client_spki = client_key(kind).spki_der().unwrap();
        let mut sc = ServerConfig::with_raw_public_key(key("ed25519")).unwrap();
        sc.client_raw_key_verifier = Some(Arc::new(PinnedRawKeys::new().with_spki(client_spki.clone())));
        let mut cc = pinned_client(spki("ed25519"));
        cc.client_raw_key = Some(RawKeyIdentity::new(client_key(kind)).unwrap());
        let (mut c, mut s, errors) = handshake(cc, sc);
        assert_eq!(errors, (None, None), "{kind}");
        assert!(c.sent_client_certificate(), "{kind}");
        assert_eq!(s.peer_raw_public_key(), Some(&client_spki[..]), "{kind}");
        assert!(s.peer_certificates().is_empty());
        exchange(&mut c, &mut s, 100);
    }
}

#[test]
fn raw_key_client_authentication_failures() {
    let server = |verifier: PinnedRawKeys| {
        let mut sc = server_config("p256");
        sc.client_raw_key_verifier = Some(Arc::new(verifier));
        sc
    };
    let pin = || PinnedRawKeys::new().with_spki(client_key("p256").spki_der().unwrap());
    let with_key = |kind: &str| {
        let mut cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
        cc.client_raw_key = Some(RawKeyIdentity::new(client_key(kind)).unwrap());
        cc
    };
    // A key that is not pinned.
    let (_, _, errors) = handshake(with_key("ed25519"), server(pin()));
    assert_eq!(errors.1, Some(Error::BadCertificate { what: "raw public key is not pinned" }));
    assert_eq!(errors.0, Some(Error::AlertReceived(AlertDescription::BAD_CERTIFICATE)));
    // The pinned key, over a certificate chain as well: the raw key wins.
    let (_, s, errors) = handshake(with_key("p256"), server(pin()));
    assert_eq!(errors, (None, None));
    assert!(s.peer_raw_public_key().is_some());
    // A client with no raw key to offer, against a mandatory raw-key verifier.
    let cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    let (_, _, errors) = handshake(cc.clone(), server(pin()));
    assert!(matches!(errors.1, Some(Error::UnsupportedCertificate { .. })), "{errors:?}");
    assert_eq!(errors.0, Some(Error::AlertReceived(AlertDescription::UNSUPPORTED_CERTIFICATE)));
    // An optional one lets it through unauthenticated.
    let (_, s, errors) = handshake(cc, server(pin().optional()));
    assert_eq!(errors, (None, None));
    assert!(s.peer_raw_public_key().is_none());
}

#[test]
fn config_checks() {
    let mut cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    cc.server_certificate_types = alloc::vec![CertificateType::RAW_PUBLIC_KEY];
    assert!(matches!(Connection::client(Arc::new(cc.clone()), "x", rng(1)), Err(Error::Config { .. })));
    cc.server_certificate_types = alloc::vec![CertificateType(9)];
    assert!(matches!(Connection::client(Arc::new(cc), "x", rng(1)), Err(Error::Config { .. })));
    let ed = key("ed25519");
    let other = spki("p256");
    assert!(matches!(RawKeyIdentity::with_spki(ed, other), Err(Error::Config { .. })));
    assert!(RawKeyIdentity::with_spki(key("p256"), spki("p256")).is_ok());
}

/// Captures the server's handshake traffic secret.
#[derive(Default)]
struct Secrets(Mutex<Option<Vec<u8>>>);

impl KeyLog for Secrets {
    fn log(&self, label: &str, _client_random: &[u8; 32], secret: &[u8]) {
        if label == "SERVER_HANDSHAKE_TRAFFIC_SECRET" {
            *self.0.lock().unwrap() = Some(secret.to_vec());
        }
    }
}

/// Runs a handshake to the client's reading of the server's flight, with
/// the flight's handshake messages decrypted, passed through `edit` and
/// sealed again as one record; returns the client's error.
fn tampered(cc: ClientConfig, sc: ServerConfig, edit: impl Fn(HandshakeType, Vec<u8>) -> Vec<u8>) -> Error {
    let secrets = Arc::new(Secrets::default());
    let mut sc = sc;
    sc.key_log = Some(secrets.clone());
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(21)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(22)).unwrap();
    let mut hello = Vec::new();
    c.write_tls(&mut hello);
    s.read_tls(&hello).unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    let suite = s.cipher_suite().unwrap();
    let secret = secrets.0.lock().unwrap().clone().unwrap();
    let mut opener = RecordCipher::new(suite, suite.hash().unwrap(), &secret).unwrap();
    let (mut plain, mut handshake) = (Vec::new(), Vec::new());
    let mut at = 0;
    while at + 5 <= flight.len() {
        let len = usize::from(u16::from_be_bytes([flight[at + 3], flight[at + 4]]));
        let record = &flight[at..at + 5 + len];
        match record[0] {
            23 => {
                let mut body = record[5..].to_vec();
                assert_eq!(opener.open(len, &mut body).unwrap(), ContentType::Handshake);
                handshake.extend_from_slice(&body);
            }
            _ => plain.extend_from_slice(record),
        }
        at += 5 + len;
    }
    let mut edited = Vec::new();
    let mut rest = &handshake[..];
    while let Some((typ, n)) = msgs::split_message(rest).unwrap() {
        edited.extend(edit(typ, rest[..n].to_vec()));
        rest = &rest[n..];
    }
    let mut sealer = RecordCipher::new(suite, suite.hash().unwrap(), &secret).unwrap();
    sealer.seal(ContentType::Handshake, &edited, 0, &mut plain).unwrap();
    let err = c.read_tls(&plain).unwrap_err();
    let mut alert = Vec::new();
    c.write_tls(&mut alert);
    assert!(!alert.is_empty(), "the client alerts");
    err
}

/// `edit` for [`tampered`] that rewrites EncryptedExtensions with `f`.
fn edit_ee(f: impl Fn(&mut EncryptedExtensions)) -> impl Fn(HandshakeType, Vec<u8>) -> Vec<u8> {
    move |typ, message| {
        if typ != HandshakeType::EncryptedExtensions {
            return message;
        }
        let mut ee = EncryptedExtensions::decode(msgs::body(&message)).unwrap();
        f(&mut ee);
        msgs::frame(typ, |o| ee.encode(o))
    }
}

#[test]
fn the_client_checks_the_servers_certificate_type_answers() {
    let rpk = CertificateType::RAW_PUBLIC_KEY;
    let raw_server = || ServerConfig::with_raw_public_key(key("p256")).unwrap();
    let both = || {
        let mut sc = server_config("p256");
        sc.raw_key = Some(RawKeyIdentity::new(key("p256")).unwrap());
        sc
    };
    let plain_client = || ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));

    // A raw key the client never offered to take.
    let err = tampered(plain_client(), both(), edit_ee(|ee| ee.server_cert_type = Some(rpk)));
    assert_eq!(err, Error::UnsupportedExtension { what: "certificate type not offered" });
    assert_eq!(err.alert(), Some(AlertDescription::UNSUPPORTED_EXTENSION));
    // A client_certificate_type answer to a client that offered none.
    let err = tampered(plain_client(), both(), edit_ee(|ee| ee.client_cert_type = Some(rpk)));
    assert_eq!(err, Error::UnsupportedExtension { what: "certificate type not offered" });
    // X.509 or an unknown type answered to a raw-key-only offer.
    for answer in [CertificateType::X509, CertificateType(7)] {
        let err = tampered(pinned_client(spki("p256")), raw_server(), edit_ee(|ee| ee.server_cert_type = Some(answer)));
        assert_eq!(err, Error::IllegalParameter { what: "certificate type not in the offered list" }, "{answer:?}");
        assert_eq!(err.alert(), Some(AlertDescription::ILLEGAL_PARAMETER));
    }
    // No answer means X.509, which a raw-key-only client does not take.
    let err = tampered(pinned_client(spki("p256")), raw_server(), edit_ee(|ee| ee.server_cert_type = None));
    assert!(matches!(err, Error::UnsupportedCertificate { .. }), "{err:?}");
    assert_eq!(err.alert(), Some(AlertDescription::UNSUPPORTED_CERTIFICATE));
}

#[test]
fn malformed_raw_keys_are_bad_certificates() {
    let replace = |entries: Vec<Vec<u8>>| {
        move |typ, message: Vec<u8>| {
            if typ != HandshakeType::Certificate {
                return message;
            }
            let cert = CertificateMsg { context: Vec::new(), chain: entries.clone(), ocsp_response: None };
            msgs::frame(typ, |o| cert.encode(o))
        }
    };
    let good = spki("p256");
    let mut trailing = good.clone();
    trailing.push(0);
    let cases: [(Vec<Vec<u8>>, &str); 4] = [
        (alloc::vec![alloc::vec![0x30, 0x03, 1, 2, 3]], "raw public key: malformed SubjectPublicKeyInfo"),
        (alloc::vec![trailing], "raw public key: malformed SubjectPublicKeyInfo"),
        (alloc::vec![good.clone(), good.clone()], "raw public key: exactly one entry expected"),
        (alloc::vec![spki_of_x25519()], "raw public key: unsupported algorithm"),
    ];
    for (entries, what) in cases {
        let sc = ServerConfig::with_raw_public_key(key("p256")).unwrap();
        // Uncompressed, so the edit sees a Certificate message.
        let mut cc = pinned_client(good.clone());
        cc.cert_compression.clear();
        let err = tampered(cc, sc, replace(entries));
        assert_eq!(err, Error::BadCertificate { what });
    }
}

/// An X25519 SPKI: well formed, but no key TLS signs with.
fn spki_of_x25519() -> Vec<u8> {
    let mut der = alloc::vec![0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00];
    der.extend_from_slice(&[9; 32]);
    der
}

#[test]
fn debug_of_an_identity_hides_the_key() {
    let id = RawKeyIdentity::new(key("ed25519")).unwrap();
    let text = alloc::format!("{id:?}");
    assert!(text.contains("spki_len: 44") && text.contains("Ed25519 { .. }"), "{text}");
}

/// A connection resumed from a ticket of a raw-key handshake reports the
/// raw key verified then (no Certificate comes with a PSK), also after
/// the session went through its stored bytes. (The server side's
/// reporting of the client on resumption: `resumed_identity.rs`.)
#[test]
fn a_resumed_connection_reports_the_servers_raw_key() {
    let store = Arc::new(InMemorySessionStore::new(4));
    let mut cc = pinned_client(spki("ed25519"));
    cc.session_store = Some(store.clone());
    let mut sc = ServerConfig::with_raw_public_key(key("ed25519")).unwrap();
    sc.ticketer = Some(Arc::new(Ticketer::new(&mut *rng(77)).unwrap()));
    let (cc, sc) = (Arc::new(cc), Arc::new(sc));
    let connect = |seed| {
        let mut c = Connection::client(cc.clone(), "localhost", rng(seed)).unwrap();
        let mut s = Connection::server(sc.clone(), rng(seed + 1)).unwrap();
        assert_eq!(pump(&mut c, &mut s), (None, None));
        exchange(&mut c, &mut s, 100);
        (c, s)
    };
    let (first, _) = connect(21);
    assert!(!first.is_resumed());
    let stored = store.take("localhost").expect("a ticket");
    assert_eq!(stored.peer_raw_key.as_deref(), Some(&spki("ed25519")[..]));
    store.insert("localhost", Tls13Session::from_bytes(&stored.to_bytes()).unwrap());
    let (resumed, s) = connect(31);
    assert!(resumed.is_resumed() && s.is_resumed());
    assert_eq!(resumed.peer_raw_public_key(), Some(&spki("ed25519")[..]));
    assert!(resumed.peer_certificates().is_empty());
    assert_eq!(s.peer_raw_public_key(), None, "the client sent no key");
}
