//! RFC 8879 certificate compression between our client and server: every
//! algorithm both ways (server and client certificates), preference
//! order, fallback to an uncompressed Certificate, and the refusals: a
//! CompressedCertificate nobody asked for (`unexpected_message`), an
//! algorithm not offered, a length over the limit or not matching, a
//! decompression bomb, a corrupt stream (all `bad_certificate`).

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{client_config, connect, exchange, pump, rng, server_config};
use crate::tls::cert_compression::{CompressedCertificate, compress};
use crate::tls::msgs::{self, HandshakeType};
use crate::tls::*;

use CertificateCompressionAlgorithm as Alg;

const ALL: [Alg; 3] = [Alg::ZLIB, Alg::BROTLI, Alg::ZSTD];

/// 2030-01-01: inside every test certificate's validity.
const NOW: u64 = 1_893_456_000;
const CLIENT_CA: &[u8] = include_bytes!("../../../tests/data/tls/client-ca.crt.der");
const CLIENT_CRT: &[u8] = include_bytes!("../../../tests/data/tls/client-p256.crt.der");
const CLIENT_KEY: &[u8] = include_bytes!("../../../tests/data/tls/client-p256.key.der");

fn with(algorithms: &[Alg]) -> (ClientConfig, ServerConfig) {
    let mut cc = client_config();
    cc.cert_compression = algorithms.to_vec();
    let mut sc = server_config("p256");
    sc.cert_compression = ALL.to_vec();
    (cc, sc)
}

/// A client with a certificate, a server asking for one listing
/// `server_algorithms` in its CertificateRequest.
fn with_client_auth(server_algorithms: &[Alg]) -> (ClientConfig, ServerConfig) {
    let cc = client_config()
        .with_client_cert(alloc::vec![CLIENT_CRT.to_vec()], SigningKey::from_pkcs8_der(CLIENT_KEY).unwrap())
        .unwrap();
    let mut store = crate::x509::TrustStore::new();
    store.add_der(CLIENT_CA).unwrap();
    let mut sc = server_config("p256");
    sc.client_verifier = Some(Arc::new(X509ClientVerifier::new(store)));
    sc.cert_compression = server_algorithms.to_vec();
    (cc, sc)
}

fn run(
    cc: ClientConfig,
    sc: ServerConfig,
    tamper_client: Option<fn(Vec<u8>) -> Vec<u8>>,
    tamper_server: Option<fn(Vec<u8>) -> Vec<u8>>,
) -> (Connection, Connection, Option<Error>, Option<Error>) {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(11)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(12)).unwrap();
    c.set_now(NOW);
    s.set_now(NOW);
    if let Some(f) = tamper_client {
        c.tamper_certificate_for_test(f);
    }
    if let Some(f) = tamper_server {
        s.tamper_certificate_for_test(f);
    }
    let (ce, se) = pump(&mut c, &mut s);
    (c, s, ce, se)
}

#[test]
fn every_algorithm_compresses_the_server_certificate() {
    let (_, crt, _) = super::KEYS.iter().find(|(k, _, _)| *k == "p256").unwrap();
    for alg in ALL {
        let (cc, sc) = with(&[alg]);
        let (mut c, mut s) = connect(cc, sc);
        assert_eq!(c.peer_certificate_compression(), Some(alg), "{alg:?}");
        assert_eq!(s.sent_certificate_compression(), Some(alg), "{alg:?}");
        assert_eq!((c.sent_certificate_compression(), s.peer_certificate_compression()), (None, None));
        assert_eq!(c.peer_certificates(), &[crt.to_vec()]);
        exchange(&mut c, &mut s, 100);
    }
}

#[test]
fn the_server_preference_wins_and_defaults_are_on() {
    let (mut cc, mut sc) = with(&[Alg::ZLIB, Alg::ZSTD]);
    sc.cert_compression = alloc::vec![Alg::ZSTD, Alg::BROTLI, Alg::ZLIB];
    cc.groups = alloc::vec![NamedGroup::X25519, NamedGroup::SECP384R1];
    cc.initial_key_shares = 1;
    sc.groups = alloc::vec![NamedGroup::SECP384R1];
    // Through a HelloRetryRequest: the second ClientHello offers again.
    let (c, _) = connect(cc, sc);
    assert!(c.had_hello_retry());
    assert_eq!(c.peer_certificate_compression(), Some(Alg::ZSTD));

    let (c, s) = connect(client_config(), server_config("p256"));
    assert_eq!(client_config().cert_compression, alloc::vec![Alg::BROTLI, Alg::ZSTD, Alg::ZLIB]);
    assert_eq!(c.peer_certificate_compression(), Some(Alg::BROTLI));
    assert_eq!(s.sent_certificate_compression(), Some(Alg::BROTLI));
}

#[test]
fn without_a_common_algorithm_or_in_tls12_the_certificate_goes_uncompressed() {
    let cases: [(&[Alg], &[Alg], bool); 4] =
        [(&[], &ALL, false), (&ALL, &[], false), (&[Alg::ZLIB], &[Alg::ZSTD], false), (&ALL, &ALL, true)];
    for (client, server, tls12) in cases {
        let (mut cc, mut sc) = with(client);
        sc.cert_compression = server.to_vec();
        if tls12 {
            cc.max_version = ProtocolVersion::Tls12;
        }
        let (mut c, mut s) = connect(cc, sc);
        assert_eq!((c.peer_certificate_compression(), s.sent_certificate_compression()), (None, None));
        assert_eq!(c.peer_certificates().len(), 1);
        exchange(&mut c, &mut s, 10);
    }
}

#[test]
fn every_algorithm_compresses_the_client_certificate() {
    for alg in ALL {
        let (cc, sc) = with_client_auth(&[alg]);
        let (mut c, mut s, ce, se) = run(cc, sc, None, None);
        assert_eq!((ce, se), (None, None), "{alg:?}");
        assert_eq!(s.peer_certificate_compression(), Some(alg));
        assert_eq!(c.sent_certificate_compression(), Some(alg));
        assert_eq!(s.peer_certificates(), &[CLIENT_CRT.to_vec()]);
        assert!(c.sent_client_certificate());
        exchange(&mut c, &mut s, 100);
    }
    // A CertificateRequest without the extension: sent uncompressed.
    let (cc, sc) = with_client_auth(&[]);
    let (c, s, ce, se) = run(cc, sc, None, None);
    assert_eq!((ce, se), (None, None));
    assert_eq!((c.sent_certificate_compression(), s.peer_certificate_compression()), (None, None));
    assert_eq!(s.peer_certificates(), &[CLIENT_CRT.to_vec()]);
}

/// Replaces a CompressedCertificate's parts; `None` keeps the original.
fn rebuild(message: &[u8], alg: Option<u16>, len: Option<usize>, data: Option<&[u8]>) -> Vec<u8> {
    assert_eq!(message[0], HandshakeType::CompressedCertificate.to_u8());
    let old = CompressedCertificate::decode(msgs::body(message)).unwrap();
    let new = CompressedCertificate {
        algorithm: alg.map_or(old.algorithm, Alg),
        uncompressed_length: len.unwrap_or(old.uncompressed_length),
        compressed: data.unwrap_or(old.compressed),
    };
    msgs::frame(HandshakeType::CompressedCertificate, |o| new.encode(o))
}

fn declared(message: &[u8]) -> usize {
    CompressedCertificate::decode(msgs::body(message)).unwrap().uncompressed_length
}

#[test]
fn bad_compressed_server_certificates_are_bad_certificate() {
    use CertDecompressionError as E;
    type Case = (fn(Vec<u8>) -> Vec<u8>, fn(usize) -> CertDecompressionError);
    let cases: &[Case] = &[
        // An algorithm the client did not offer (it offers zlib only),
        // and an unknown one.
        (|m| rebuild(&m, Some(2), None, None), |_| E::AlgorithmNotOffered(Alg::BROTLI)),
        (|m| rebuild(&m, Some(0x1234), None, None), |_| E::AlgorithmNotOffered(Alg(0x1234))),
        // One byte more declared than the stream holds.
        (|m| rebuild(&m, None, Some(declared(&m) + 1), None), |n| E::LengthMismatch { declared: n + 1, actual: n }),
        // One byte less: the stream goes past it.
        (|m| rebuild(&m, None, Some(declared(&m) - 1), None), |_| E::Corrupt),
        // Over the largest handshake message, before any decoding.
        (|m| rebuild(&m, None, Some((1 << 24) - 1), None), |_| E::TooLarge((1 << 24) - 1)),
        (|m| rebuild(&m, None, Some(MAX_HANDSHAKE_MESSAGE + 1), None), |_| E::TooLarge(MAX_HANDSHAKE_MESSAGE + 1)),
        // A bomb: 16 MiB of zeros (about 16 KiB of zlib) declared small,
        // and declared as large as allowed: decoding stops at the cap.
        (|m| rebuild(&m, None, None, Some(&zlib_zeros())), |_| E::Corrupt),
        (|m| rebuild(&m, None, Some(MAX_HANDSHAKE_MESSAGE), Some(&zlib_zeros())), |_| E::Corrupt),
        // A flipped bit (zlib's Adler-32 or the stream catches it), a
        // truncated stream, trailing bytes after the stream.
        (
            |m| {
                let old = CompressedCertificate::decode(msgs::body(&m)).unwrap();
                let mut data = old.compressed.to_vec();
                let mid = data.len() / 2;
                data[mid] ^= 0x10;
                rebuild(&m, None, None, Some(&data))
            },
            |_| E::Corrupt,
        ),
        (
            |m| {
                let old = CompressedCertificate::decode(msgs::body(&m)).unwrap();
                rebuild(&m, None, None, Some(&old.compressed[..old.compressed.len() - 3]))
            },
            |_| E::Corrupt,
        ),
        (
            |m| {
                let old = CompressedCertificate::decode(msgs::body(&m)).unwrap();
                let mut data = old.compressed.to_vec();
                data.push(0);
                rebuild(&m, None, None, Some(&data))
            },
            |_| E::Corrupt,
        ),
    ];
    for (i, (tamper, expected)) in cases.iter().enumerate() {
        let (cc, sc) = with(&[Alg::ZLIB]);
        let (_, crt, _) = super::KEYS.iter().find(|(k, _, _)| *k == "p256").unwrap();
        // The Certificate body: context, list length, entry (length,
        // DER, empty extensions).
        let plain_len = 1 + 3 + 3 + crt.len() + 2;
        let (c, _, ce, se) = run(cc, sc, None, Some(*tamper));
        assert_eq!(ce, Some(Error::CertificateDecompression(expected(plain_len))), "case {i}");
        assert_eq!(se, Some(Error::AlertReceived(AlertDescription::BAD_CERTIFICATE)), "case {i}");
        assert_eq!(c.peer_certificate_compression(), None);
        assert!(c.peer_certificates().is_empty());
    }
}

fn zlib_zeros() -> Vec<u8> {
    compcol::zlib::compress_to_vec(&alloc::vec![0u8; 16 << 20], 9).unwrap()
}

/// Turns our uncompressed Certificate into a zlib CompressedCertificate.
fn force_compression(message: Vec<u8>) -> Vec<u8> {
    assert_eq!(message[0], HandshakeType::Certificate.to_u8());
    let body = compress(Alg::ZLIB, msgs::body(&message)).unwrap();
    msgs::frame(HandshakeType::CompressedCertificate, |o| o.extend_from_slice(&body))
}

#[test]
fn a_compressed_certificate_nobody_offered_is_unexpected_message() {
    // To a client that offered nothing.
    let (cc, sc) = with(&[]);
    let (_, _, ce, se) = run(cc, sc, None, Some(force_compression));
    assert!(matches!(ce, Some(Error::UnexpectedMessage { .. })), "{ce:?}");
    assert_eq!(se, Some(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));
    // To a server whose CertificateRequest listed nothing.
    let (cc, sc) = with_client_auth(&[]);
    let (_, _, ce, se) = run(cc, sc, Some(force_compression), None);
    assert!(matches!(se, Some(Error::UnexpectedMessage { .. })), "{se:?}");
    assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));
}

#[test]
fn a_bad_compressed_client_certificate_is_bad_certificate() {
    let (cc, sc) = with_client_auth(&[Alg::ZSTD]);
    let tamper: fn(Vec<u8>) -> Vec<u8> = |m| rebuild(&m, None, Some(declared(&m) + 1), None);
    let (_, s, ce, se) = run(cc, sc, Some(tamper), None);
    assert!(matches!(se, Some(Error::CertificateDecompression(CertDecompressionError::LengthMismatch { .. }))));
    assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::BAD_CERTIFICATE)));
    assert!(s.peer_certificates().is_empty());
}

#[test]
fn codecs_are_strict_and_configs_checked() {
    use crate::tls::cert_compression::decode_algorithms;
    use crate::tls::codec::Reader;
    // compress_certificate: a u8-length list of u16s, never empty or odd.
    for bad in [&[0u8][..], &[1, 0], &[3, 0, 1, 0], &[4, 0, 1]] {
        assert!(decode_algorithms(&mut Reader::new(bad, "t")).is_err(), "{bad:?}");
    }
    assert_eq!(decode_algorithms(&mut Reader::new(&[4, 0, 1, 0x12, 0x34], "t")).unwrap(), [Alg::ZLIB, Alg(0x1234)]);
    // CompressedCertificate: empty data, truncation and trailing bytes.
    let body = compress(Alg::ZSTD, b"abc").unwrap();
    let msg = CompressedCertificate::decode(&body).unwrap();
    assert_eq!((msg.algorithm, msg.uncompressed_length), (Alg::ZSTD, 3));
    assert!(CompressedCertificate::decode(&body[..body.len() - 1]).is_err());
    let mut long = body.clone();
    long.push(0);
    assert!(CompressedCertificate::decode(&long).is_err());
    assert!(CompressedCertificate::decode(&[0, 1, 0, 0, 3, 0, 0, 0]).is_err());
    // Configs: unknown or repeated algorithms.
    for list in [alloc::vec![Alg(0x1234)], alloc::vec![Alg::ZLIB, Alg::ZLIB]] {
        let mut cc = client_config();
        cc.cert_compression = list.clone();
        assert!(matches!(Connection::client(Arc::new(cc), "localhost", rng(1)), Err(Error::Config { .. })));
        let mut sc = server_config("p256");
        sc.cert_compression = list;
        assert!(matches!(Connection::server(Arc::new(sc), rng(1)), Err(Error::Config { .. })));
    }
    assert_eq!(alloc::format!("{:?} {:?}", Alg::BROTLI, Alg(0x1234)), "brotli CertificateCompressionAlgorithm(0x1234)");
}

/// A server compresses its chain once per algorithm, however many
/// handshakes share its config.
#[test]
fn the_server_compresses_its_chain_once_per_algorithm() {
    let (cc, sc) = with(&[Alg::BROTLI]);
    let (cc, sc) = (Arc::new(cc), Arc::new(sc));
    let mut cc_zstd = client_config();
    cc_zstd.cert_compression = alloc::vec![Alg::ZSTD];
    let cc_zstd = Arc::new(cc_zstd);
    for (round, client) in (0u64..).zip([&cc, &cc, &cc_zstd, &cc_zstd]) {
        let mut c = Connection::client(Arc::clone(client), "localhost", rng(21 + round)).unwrap();
        let mut s = Connection::server(Arc::clone(&sc), rng(31 + round)).unwrap();
        c.set_now(NOW);
        s.set_now(NOW);
        assert_eq!(pump(&mut c, &mut s), (None, None));
        assert_eq!(c.peer_certificate_compression(), client.cert_compression.first().copied());
        exchange(&mut c, &mut s, 10);
    }
    assert_eq!(sc.compressed_certificates.len(), 2);
}
