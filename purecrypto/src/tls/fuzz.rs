//! Entry points for the `tls_*` fuzz targets. Each must never panic,
//! hang or allocate without bound, whatever the input.

use alloc::boxed::Box;
use alloc::sync::Arc;

use alloc::vec::Vec;

use super::cert::DangerousAcceptAnyVerifier;
use super::config::ClientConfig;
use super::conn::Connection;
use crate::rng::{CryptoRng, RngCore};

/// A deterministic generator so fuzz runs reproduce (never for real use).
struct CounterRng(u64);

impl RngCore for CounterRng {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for b in dest {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            *b = (self.0 >> 33) as u8;
        }
    }
}

impl CryptoRng for CounterRng {}

/// Runs every handshake message decoder over `data`.
pub fn fuzz_tls_messages(data: &[u8]) {
    let _ = super::msgs::ClientHello::decode(data);
    let _ = super::msgs::ServerHello::decode(data);
    let _ = super::msgs::EncryptedExtensions::decode(data);
    let _ = super::msgs::CertificateMsg::decode(data);
    let _ = super::msgs::CertificateVerify::decode(data);
    let _ = super::msgs::NewSessionTicket::decode(data);
    let _ = super::msgs::decode_key_update(data);
    let _ = super::msgs::split_message(data);
    let _ = super::cert::leaf_spki(data);
    let _ = super::tls12::msgs::decode_certificate(data);
    let _ = super::tls12::msgs::ServerKeyExchange::decode(data);
    let _ = super::tls12::msgs::decode_client_key_exchange(data);
    let _ = super::msgs::CertificateRequest::decode(data);
    let _ = super::tls12::msgs::CertificateRequest12::decode(data);
    let _ = super::tls12::msgs::decode_client_certificate(data);
    let _ = super::tls12::msgs::decode_certificate_status(data);
    if let Ok(ch) = super::msgs::ClientHello::decode(data) {
        // Whatever decodes must re-encode to something that decodes the
        // same.
        let mut out = alloc::vec::Vec::new();
        ch.encode(&mut out);
        assert_eq!(super::msgs::ClientHello::decode(&out).ok(), Some(ch));
    }
    compressed_certificate(data);
    if let Ok(cert) = super::msgs::CertificateMsg::decode(data) {
        // The stapled OCSP response survives a round trip.
        let mut out = alloc::vec::Vec::new();
        cert.encode(&mut out);
        assert_eq!(super::msgs::CertificateMsg::decode(&out).ok(), Some(cert));
    }
}

/// RFC 8879 CompressedCertificate: the parser round-trips, decompression
/// (every algorithm offered) yields exactly `uncompressed_length` bytes
/// or a typed error, and whatever we compress decompresses back.
fn compressed_certificate(data: &[u8]) {
    use super::cert_compression::{
        CertificateCompressionAlgorithm as Alg, CompressedCertificate, compress, decompress,
    };
    const ALL: [Alg; 3] = [Alg::ZLIB, Alg::BROTLI, Alg::ZSTD];
    if let Ok(msg) = CompressedCertificate::decode(data) {
        let mut out = Vec::new();
        msg.encode(&mut out);
        assert_eq!(out, data);
        match decompress(&msg, &ALL) {
            Ok(cert) => {
                assert_eq!(cert.len(), msg.uncompressed_length);
                let _ = super::msgs::CertificateMsg::decode(&cert);
            }
            Err(e) => assert_eq!(e.alert(), Some(super::alert::AlertDescription::BAD_CERTIFICATE)),
        }
    }
    if data.len() <= 4096 {
        let alg = ALL.get(data.len() % 3).copied().unwrap_or(Alg::ZLIB);
        if let Ok(body) = compress(alg, data) {
            let msg = CompressedCertificate::decode(&body).ok();
            assert_eq!(msg.map(|m| decompress(&m, &ALL)), Some(Ok(data.to_vec())));
        }
    }
}

/// Session tickets: the server's sealed-state codec, opening arbitrary
/// bytes as a ticket (a fixed ticketer, the time from the first eight
/// bytes), and a client's stored-session codec. Whatever decodes must
/// re-encode to the same bytes; whatever a ticketer seals must open.
pub fn fuzz_tls_tickets(data: &[u8]) {
    if let Ok(state) = super::ticket::TicketState::decode(data) {
        // Older versions decode too and encode as the current one.
        assert_eq!(super::ticket::TicketState::decode(&state.encode()).ok().as_ref(), Some(&state));
        let mut rng = CounterRng(data.len() as u64);
        if let Ok(t) = super::ticket::Ticketer::new(&mut rng) {
            // Too large a state is refused by `seal`; whatever seals opens.
            if let Ok(sealed) = t.seal(&state, 1_000_000, &mut rng) {
                assert_eq!(t.open(&sealed, 1_000_000), Some(state));
            }
        }
    }
    if let Ok(session) = super::session::Tls13Session::from_bytes(data) {
        assert_eq!(&session.to_bytes()[..], data);
    }
    let now = data.get(..8).and_then(|b| b.try_into().ok()).map_or(0, u64::from_be_bytes);
    if let Ok(t) = super::ticket::Ticketer::new(&mut CounterRng(7)) {
        let _ = t.open(data, now);
        let _ = t.open(data.get(8..).unwrap_or_default(), now);
    }
}

/// Feeds `data` to the record layer of a client (plaintext records) and
/// of a record cipher (protected records).
pub fn fuzz_tls_record(data: &[u8]) {
    let _ = super::record::parse_header(data);
    if let Ok(mut cipher) = super::record::RecordCipher::new(
        super::suites::CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        crate::hash::HashAlgorithm::Sha256,
        &[1u8; 32],
    ) {
        let mut body = data.to_vec();
        let _ = cipher.open(body.len(), &mut body);
    }
}

/// A client fed arbitrary "server" bytes, split at the first byte's
/// value to exercise reassembly. A first byte with the top bit set
/// instead runs a whole in-memory client <-> server session (TLS 1.2 or
/// 1.3, chosen by the low bits) whose traffic the rest of the input
/// corrupts, reaching every handshake state of both sides.
pub fn fuzz_tls_client(data: &[u8]) {
    if let Some((&mode, mutations)) = data.split_first()
        && mode & 0x80 != 0
    {
        let _ = corrupted_session(mode, mutations);
        return;
    }
    let config = Arc::new(ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier)));
    let Ok(mut conn) = Connection::client(config, "example.com", Box::new(CounterRng(1))) else {
        return;
    };
    let split = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    let (a, b) = data.split_at(split);
    if conn.read_tls(a).is_ok() {
        let _ = conn.read_tls(b);
    }
    let mut out = alloc::vec::Vec::new();
    conn.write_tls(&mut out);
    while conn.poll_event().is_some() {}
}

/// A server fed arbitrary "client" bytes (split like the client's), with
/// tickets on and client certificates requested, as `s_server -verify`
/// runs it: ClientHello parsing, version and suite choice, PSK and ticket
/// handling and both versions' later states must never panic.
pub fn fuzz_tls_server(data: &[u8]) {
    let _ = server_answer(data);
}

/// What the fuzzed server writes back after reading `data`.
fn server_answer(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let Some(mut config) = fuzz_server_config() else {
        return out;
    };
    if let Ok(t) = super::ticket::Ticketer::new(&mut CounterRng(3)) {
        config.ticketer = Some(Arc::new(t));
    }
    let verifier = super::webpki::X509ClientVerifier::new(crate::x509::TrustStore::new());
    config.client_verifier = Some(Arc::new(verifier.allow_unauthenticated()));
    let Ok(mut conn) = Connection::server(Arc::new(config), Box::new(CounterRng(2))) else {
        return out;
    };
    let split = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    let (a, b) = data.split_at(split);
    if conn.read_tls(a).is_ok() {
        let _ = conn.read_tls(b);
    }
    conn.write_tls(&mut out);
    while conn.poll_event().is_some() {}
    out
}

/// A server that accepted 0-RTT from a resuming client, after the
/// client's first flight (ClientHello and five bytes of early data):
/// with an even first byte the rest of `data` arrives as raw records
/// (forged early records, alerts, a stray EndOfEarlyData, trailing
/// junk); with an odd one the client sends it as more early data, under
/// the real early keys, past the limit when long enough. Skipping,
/// accepting, limits and the EndOfEarlyData state must give typed errors.
#[cfg(feature = "std")]
pub fn fuzz_tls_early_data(data: &[u8]) {
    let _ = early_data_session(data);
}

#[cfg(feature = "std")]
fn early_data_session(data: &[u8]) -> Option<()> {
    const NOW: u64 = 1_900_000_000;
    let mut config = fuzz_server_config()?;
    config.ticketer = Some(Arc::new(super::ticket::Ticketer::new(&mut CounterRng(4)).ok()?));
    let anti_replay = Arc::new(super::early_data::InMemoryAntiReplay::new(4));
    let config = Arc::new(config.with_early_data(1024, anti_replay));
    let mut cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    cc.session_store = Some(Arc::new(super::session::InMemorySessionStore::new(1)));
    cc.enable_early_data = true;
    let cc = Arc::new(cc);
    let mut c = Connection::client_at(cc.clone(), "example.com", Box::new(CounterRng(5)), NOW).ok()?;
    let mut s = Connection::server(config.clone(), Box::new(CounterRng(6))).ok()?;
    s.set_now(NOW);
    for _ in 0..8 {
        let mut wire = Vec::new();
        c.write_tls(&mut wire);
        s.read_tls(&wire).ok()?;
        wire.clear();
        s.write_tls(&mut wire);
        c.read_tls(&wire).ok()?;
    }
    let mut c = Connection::client_at(cc, "example.com", Box::new(CounterRng(7)), NOW).ok()?;
    c.write_early_data(b"early").ok()?;
    let mut s = Connection::server(config, Box::new(CounterRng(8))).ok()?;
    s.set_now(NOW);
    let mut wire = Vec::new();
    c.write_tls(&mut wire);
    s.read_tls(&wire).ok()?;
    assert!(s.early_data_accepted(), "the fuzz setup must reach the early-data state");
    let (&mode, rest) = data.split_first()?;
    if mode & 1 == 0 {
        let _ = s.read_tls(rest);
    } else {
        for chunk in rest.chunks(usize::from(mode).max(1)) {
            let _ = c.write_early_data(chunk);
        }
        wire.clear();
        c.write_tls(&mut wire);
        let _ = s.read_tls(&wire);
    }
    let mut buf = [0u8; 256];
    while s.read_early_data(&mut buf) > 0 {}
    wire.clear();
    s.write_tls(&mut wire);
    while s.poll_event().is_some() {}
    Some(())
}

/// The fixed Ed25519 key of [`fuzz_certificate`].
fn fuzz_signing_key() -> super::cert::SigningKey {
    super::cert::SigningKey::Ed25519(crate::ed25519::SigningKey::from_seed(&[7u8; 32]))
}

/// A server config around [`fuzz_certificate`]'s Ed25519 key.
fn fuzz_server_config() -> Option<super::config::ServerConfig> {
    let key = crate::ed25519::SigningKey::from_seed(&[7u8; 32]);
    let cert = fuzz_certificate(&key.verifying_key().to_bytes());
    super::config::ServerConfig::new(alloc::vec![cert], fuzz_signing_key()).ok()
}

/// Accepts any client chain (the fuzz certificate has no real
/// signature), so the post-handshake CertificateVerify and Finished are
/// reached; a certificate is required.
struct FuzzClientVerifier;

impl super::cert::ClientCertVerifier for FuzzClientVerifier {
    fn verify(&self, _chain: &[&[u8]], _now_unix: u64) -> Result<(), super::error::Error> {
        Ok(())
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }
}

/// A minimal certificate around an Ed25519 key: a well-formed X.509
/// structure for the leaf key extraction (which parses the whole
/// certificate; the accept-any verifier ignores the zero signature), so
/// the library carries no certificate file for fuzzing.
fn fuzz_certificate(public: &[u8; 32]) -> Vec<u8> {
    fn der(tag: u8, body: &[u8]) -> Vec<u8> {
        // Every length here is below 128 or fits one length byte.
        let mut out = alloc::vec![tag];
        if body.len() >= 128 {
            out.push(0x81);
        }
        out.push(body.len() as u8);
        out.extend_from_slice(body);
        out
    }
    let ed25519_alg = der(0x30, &[0x06, 0x03, 0x2b, 0x65, 0x70]);
    let mut spki_body = ed25519_alg.clone();
    let mut key = alloc::vec![0u8];
    key.extend_from_slice(public);
    spki_body.extend_from_slice(&der(0x03, &key));
    // Name: CN=f; validity 2025-01-01 .. 2049-12-31 (UTCTime).
    let name = der(0x30, &der(0x31, &der(0x30, &[0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, b'f'])));
    let mut validity = der(0x17, b"250101000000Z");
    validity.extend_from_slice(&der(0x17, b"491231235959Z"));
    let mut tbs = der(0xa0, &[0x02, 0x01, 0x02]);
    tbs.extend_from_slice(&[0x02, 0x01, 0x01]);
    tbs.extend_from_slice(&ed25519_alg);
    tbs.extend_from_slice(&name);
    tbs.extend_from_slice(&der(0x30, &validity));
    tbs.extend_from_slice(&name);
    tbs.extend_from_slice(&der(0x30, &spki_body));
    let mut cert = der(0x30, &tbs);
    cert.extend_from_slice(&ed25519_alg);
    cert.extend_from_slice(&der(0x03, &[0u8; 65]));
    der(0x30, &cert)
}

/// Runs a client and a server against each other; `mutations` is a list
/// of (position: u16 big-endian, xor: u8) applied to the byte stream in
/// flight (both directions counted together). Mode bits: 0 = client
/// TLS 1.2 only, 1 = server TLS 1.2 only, 2 = RSA-less ChaCha suites
/// only, 3 = the client offers post-handshake authentication (with the
/// server's own certificate and key) and the server asks once the
/// handshake is done. Returns whether both sides finished the handshake
/// (and, asked in TLS 1.3, the post-handshake authentication).
pub(crate) fn corrupted_session(mode: u8, mutations: &[u8]) -> bool {
    use super::suites::{CipherSuite, ProtocolVersion};
    let Some(mut sc) = fuzz_server_config() else {
        return false;
    };
    let mut cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    if mode & 1 != 0 {
        cc.max_version = ProtocolVersion::Tls12;
    }
    if mode & 2 != 0 {
        sc.max_version = ProtocolVersion::Tls12;
    }
    if mode & 4 != 0 {
        cc.cipher_suites = alloc::vec![
            CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ];
    }
    let want_pha = mode & 8 != 0 && mode & 3 == 0;
    if mode & 8 != 0 {
        cc.post_handshake_auth = true;
        cc.client_cert = super::cert::CertifiedKey::new(sc.cert_chain.clone(), fuzz_signing_key()).ok();
    }
    let (Ok(mut c), Ok(mut s)) = (
        Connection::client(Arc::new(cc), "example.com", Box::new(CounterRng(1))),
        Connection::server(Arc::new(sc), Box::new(CounterRng(2))),
    ) else {
        return false;
    };
    let edits: alloc::vec::Vec<(usize, u8)> = mutations
        .chunks_exact(3)
        .filter_map(|m| match m {
            [a, b, x] => Some((usize::from(u16::from_be_bytes([*a, *b])), *x)),
            _ => None,
        })
        .collect();
    let mut offset = 0usize;
    let mut corrupt = |buf: &mut alloc::vec::Vec<u8>| {
        for (pos, x) in &edits {
            if let Some(b) = pos.checked_sub(offset).and_then(|i| buf.get_mut(i)) {
                *b ^= *x;
            }
        }
        offset += buf.len();
    };
    let _ = c.write_plaintext(b"ping");
    let mut requested = false;
    for _ in 0..12 {
        let mut buf = alloc::vec::Vec::new();
        c.write_tls(&mut buf);
        let c_sent = !buf.is_empty();
        corrupt(&mut buf);
        if c_sent && s.read_tls(&buf).is_err() {
            break;
        }
        let mut buf = alloc::vec::Vec::new();
        s.write_tls(&mut buf);
        let s_sent = !buf.is_empty();
        corrupt(&mut buf);
        if s_sent && c.read_tls(&buf).is_err() {
            break;
        }
        if !c_sent && !s_sent {
            break;
        }
        if !s.is_handshaking() {
            let _ = s.write_plaintext(b"pong");
            if mode & 8 != 0 && !requested {
                requested = true;
                let _ = s.request_client_certificate(Arc::new(FuzzClientVerifier));
            }
        }
    }
    let mut pha_done = false;
    while c.poll_event().is_some() {}
    while let Some(e) = s.poll_event() {
        pha_done |= e == super::conn::Event::PostHandshakeAuth { authenticated: true };
    }
    !c.is_handshaking() && !s.is_handshaking() && c.error().is_none() && s.error().is_none() && (!want_pha || pha_done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Our client's first flight, for both versions.
    fn client_hello(tls12_only: bool) -> Vec<u8> {
        let mut config = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
        if tls12_only {
            config.max_version = super::super::suites::ProtocolVersion::Tls12;
        }
        let mut conn = Connection::client(Arc::new(config), "example.com", Box::new(CounterRng(1))).unwrap();
        let mut out = Vec::new();
        conn.write_tls(&mut out);
        out
    }

    /// The harness reaches past ClientHello parsing: a real ClientHello
    /// (first byte 0x16 splits it after 22 bytes) gets a server flight.
    #[test]
    fn server_target_answers_a_real_client_hello() {
        for tls12_only in [false, true] {
            let answer = server_answer(&client_hello(tls12_only));
            assert_eq!(answer.first(), Some(&0x16), "tls12_only {tls12_only}");
            assert!(answer.len() > 300, "a whole flight, not an alert: {} bytes", answer.len());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn server_never_panics_on_corrupted_client_hellos(
            tls12_only: bool,
            edits in proptest::collection::vec((any::<u16>(), any::<u8>()), 1..8),
        ) {
            let mut hello = client_hello(tls12_only);
            for (pos, x) in edits {
                let len = hello.len();
                if let Some(b) = hello.get_mut(usize::from(pos) % len) {
                    *b ^= x;
                }
            }
            let _ = server_answer(&hello);
        }

        #[test]
        fn server_never_panics_on_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = server_answer(&data);
        }
    }
}
