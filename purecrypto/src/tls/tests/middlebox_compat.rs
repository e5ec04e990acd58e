//! TLS 1.3 middlebox compatibility mode (RFC 8446 appendix D.4) on the
//! wire: the client's random 32-byte session ID, and one plaintext
//! `change_cipher_spec` from each side in the places the appendix names
//! (the client's ahead of its second flight, the server's right after
//! its first handshake message); none when the client turns the mode
//! off, and none in TLS 1.2, which has its own.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{client_config, exchange, pump, rng, server_config};
use crate::tls::*;

const HANDSHAKE: u8 = 22;
const CCS: u8 = 20;
const APP_DATA: u8 = 23;

/// The content types of the records in one flight, a CCS record checked
/// to be the plaintext `[1]` it must be.
fn record_types(flight: &[u8]) -> Vec<u8> {
    let mut types = Vec::new();
    let mut rest = flight;
    while let [typ, 3, _, hi, lo, tail @ ..] = rest {
        let len = usize::from(*hi) << 8 | usize::from(*lo);
        let (body, next) = tail.split_at(len);
        if *typ == CCS {
            assert_eq!(body, [1], "a change_cipher_spec is the single byte 1");
        }
        types.push(*typ);
        rest = next;
    }
    assert!(rest.is_empty(), "the flight ends on a record boundary");
    types
}

/// Moves `from`'s pending output to `to` and returns its record types.
fn send(from: &mut Connection, to: &mut Connection) -> Vec<u8> {
    let mut out = Vec::new();
    from.write_tls(&mut out);
    to.read_tls(&out).unwrap();
    record_types(&out)
}

fn first_client_hello(cc: ClientConfig, seed: u64) -> msgs::ClientHello {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(seed)).unwrap();
    let mut out = Vec::new();
    c.write_tls(&mut out);
    assert_eq!(record_types(&out), [HANDSHAKE], "the ClientHello goes alone");
    msgs::ClientHello::decode(&out[9..]).unwrap()
}

fn pair(cc: ClientConfig, sc: ServerConfig) -> (Connection, Connection) {
    let c = Connection::client(Arc::new(cc), "localhost", rng(1)).unwrap();
    let s = Connection::server(Arc::new(sc), rng(2)).unwrap();
    (c, s)
}

fn without_compat() -> ClientConfig {
    let mut cc = client_config();
    cc.middlebox_compat = false;
    cc
}

#[test]
fn the_client_hello_carries_a_random_session_id_unless_turned_off() {
    let on = first_client_hello(client_config(), 3);
    assert_eq!(on.session_id.len(), 32);
    let other = first_client_hello(client_config(), 4);
    assert_ne!(other.session_id, on.session_id, "drawn from the generator, not fixed");
    assert!(first_client_hello(without_compat(), 3).session_id.is_empty());
    // A TLS 1.2-only client has no TLS 1.3 to disguise.
    let mut tls12 = client_config();
    tls12.max_version = ProtocolVersion::Tls12;
    assert!(first_client_hello(tls12, 3).session_id.is_empty());
}

#[test]
fn each_side_sends_one_plaintext_ccs_ahead_of_its_encrypted_flight() {
    let (mut c, mut s) = pair(client_config(), server_config("p256"));
    assert_eq!(send(&mut c, &mut s), [HANDSHAKE]);
    // ServerHello, the CCS, then EncryptedExtensions to Finished.
    let server = send(&mut s, &mut c);
    assert_eq!(server[..2], [HANDSHAKE, CCS]);
    assert!(server[2..].iter().all(|&t| t == APP_DATA), "{server:?}");
    let client = send(&mut c, &mut s);
    assert_eq!(client[0], CCS);
    assert!(client[1..].iter().all(|&t| t == APP_DATA), "{client:?}");
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert!(!c.is_handshaking() && !s.is_handshaking());
    exchange(&mut c, &mut s, 5000);
    // The session ID was echoed (the client checks it) and nothing after
    // the handshake is a CCS.
    c.write_plaintext(b"after").unwrap();
    assert!(!send(&mut c, &mut s).contains(&CCS));
}

#[test]
fn a_client_that_turns_it_off_gets_no_ccs_either() {
    let (mut c, mut s) = pair(without_compat(), server_config("p256"));
    assert_eq!(send(&mut c, &mut s), [HANDSHAKE]);
    let server = send(&mut s, &mut c);
    assert_eq!(server[0], HANDSHAKE);
    assert!(!server.contains(&CCS), "{server:?}");
    assert!(!send(&mut c, &mut s).contains(&CCS));
    assert_eq!(pump(&mut c, &mut s), (None, None));
    exchange(&mut c, &mut s, 100);
}

#[test]
fn a_hello_retry_request_carries_the_server_ccs_and_the_second_hello_the_client_one() {
    // The client's one key share is X25519; the server takes only P-256.
    let mut cc = client_config();
    cc.groups = alloc::vec![NamedGroup::X25519, NamedGroup::SECP256R1];
    cc.initial_key_shares = 1;
    let mut sc = server_config("p256");
    sc.groups = alloc::vec![NamedGroup::SECP256R1];
    let (mut c, mut s) = pair(cc, sc);
    assert_eq!(send(&mut c, &mut s), [HANDSHAKE]);
    assert_eq!(send(&mut s, &mut c), [HANDSHAKE, CCS], "HelloRetryRequest, then at once the CCS");
    assert_eq!(send(&mut c, &mut s), [CCS, HANDSHAKE], "the CCS, then the second ClientHello");
    // Each side's one CCS is spent.
    let server = send(&mut s, &mut c);
    assert_eq!(server[0], HANDSHAKE);
    assert!(!server.contains(&CCS), "{server:?}");
    assert!(!send(&mut c, &mut s).contains(&CCS));
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert!(c.had_hello_retry());
    exchange(&mut c, &mut s, 100);
}

#[test]
fn tls12_keeps_its_own_single_ccs_per_side() {
    let mut sc = server_config("p256");
    sc.max_version = ProtocolVersion::Tls12;
    let (mut c, mut s) = pair(client_config(), sc);
    assert_eq!(send(&mut c, &mut s), [HANDSHAKE]);
    // ServerHello .. ServerHelloDone: no CCS before the server's Finished.
    assert!(!send(&mut s, &mut c).contains(&CCS));
    // ClientKeyExchange, CCS, Finished: the compatibility CCS is not added.
    assert_eq!(send(&mut c, &mut s), [HANDSHAKE, CCS, HANDSHAKE]);
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::Tls12));
    exchange(&mut c, &mut s, 100);
}
