//! Entry points for the `tls_*` fuzz targets. Each must never panic,
//! hang or allocate without bound, whatever the input.

use alloc::boxed::Box;
use alloc::sync::Arc;

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
    if let Ok(ch) = super::msgs::ClientHello::decode(data) {
        // Whatever decodes must re-encode to something that decodes the
        // same.
        let mut out = alloc::vec::Vec::new();
        ch.encode(&mut out);
        assert_eq!(super::msgs::ClientHello::decode(&out).ok(), Some(ch));
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
/// value to exercise reassembly.
pub fn fuzz_tls_client(data: &[u8]) {
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
