//! A server's resumed connection reports the client identity its
//! session's full handshake verified: the client's certificate chain or
//! raw key (RFC 7250), in TLS 1.3 (PSK from a ticket) and TLS 1.2
//! (ticket, session ID), since no Certificate comes with a resumption.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::client_auth::{CLIENT_KEYS, verifier};
use super::{KEYS, exchange, pump, rng, server_config};
use crate::tls::*;

/// 2030-01-01: inside every test certificate's validity.
const T0: u64 = 1_893_456_000;

/// How the session travels.
#[derive(Clone, Copy, Debug)]
enum Via {
    Tls13Ticket,
    Tls12Ticket,
    Tls12SessionId,
}

const ALL: [Via; 3] = [Via::Tls13Ticket, Via::Tls12Ticket, Via::Tls12SessionId];

fn configs(via: Via, mut cc: ClientConfig, mut sc: ServerConfig) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    cc.session_store = Some(Arc::new(InMemorySessionStore::new(4)));
    let version = if matches!(via, Via::Tls13Ticket) { ProtocolVersion::Tls13 } else { ProtocolVersion::Tls12 };
    cc.min_version = version;
    cc.max_version = version;
    match via {
        Via::Tls12SessionId => sc.session_cache = Some(Arc::new(InMemoryServerSessionCache::new(4))),
        _ => sc.ticketer = Some(Arc::new(Ticketer::new(&mut *rng(5)).unwrap())),
    }
    (Arc::new(cc), Arc::new(sc))
}

/// A full handshake then a resumed one; returns both server sides. A
/// third connection resumes from what the resumed one issued (a renewed
/// ticket) and must report the same client as the second.
fn twice(cc: &Arc<ClientConfig>, sc: &Arc<ServerConfig>) -> (Connection, Connection) {
    let connect = |t: u64| {
        let mut c = Connection::client_at(cc.clone(), "localhost", rng(t), t).unwrap();
        let mut s = Connection::server(sc.clone(), rng(t + 1)).unwrap();
        s.set_now(t);
        assert_eq!(pump(&mut c, &mut s), (None, None));
        exchange(&mut c, &mut s, 100);
        s
    };
    let full = connect(T0);
    let resumed = connect(T0 + 10);
    assert!(!full.is_resumed());
    assert!(resumed.is_resumed(), "the second connection resumes");
    let again = connect(T0 + 20);
    assert!(again.is_resumed(), "the third connection resumes");
    assert_eq!(again.peer_certificates(), resumed.peer_certificates());
    assert_eq!(again.peer_raw_public_key(), resumed.peer_raw_public_key());
    (full, resumed)
}

#[test]
fn a_resumed_server_reports_the_clients_certificate_chain() {
    for via in ALL {
        for (kind, crt, key) in CLIENT_KEYS {
            let cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier))
                .with_client_cert(alloc::vec![crt.to_vec()], SigningKey::from_pkcs8_der(key).unwrap())
                .unwrap();
            let mut sc = server_config("p256");
            sc.client_verifier = Some(Arc::new(verifier()));
            let (cc, sc) = configs(via, cc, sc);
            let (full, resumed) = twice(&cc, &sc);
            assert_eq!(full.peer_certificates(), &[crt.to_vec()], "{via:?} {kind}");
            assert_eq!(resumed.peer_certificates(), &[crt.to_vec()], "{via:?} {kind}");
            assert_eq!(resumed.peer_raw_public_key(), None);
        }
    }
}

#[test]
fn a_resumed_server_reports_the_clients_raw_key() {
    let (_, _, der) = CLIENT_KEYS.iter().find(|(k, _, _)| *k == "ed25519").unwrap();
    let client_spki = SigningKey::from_pkcs8_der(der).unwrap().spki_der().unwrap();
    let (_, _, server_der) = KEYS.iter().find(|(k, _, _)| *k == "p256").unwrap();
    for via in ALL {
        let server_spki = SigningKey::from_pkcs8_der(server_der).unwrap().spki_der().unwrap();
        let mut cc = ClientConfig::with_server_raw_key(Arc::new(PinnedRawKeys::new().with_spki(server_spki)));
        cc.client_raw_key = Some(RawKeyIdentity::new(SigningKey::from_pkcs8_der(der).unwrap()).unwrap());
        let mut sc = ServerConfig::with_raw_public_key(SigningKey::from_pkcs8_der(server_der).unwrap()).unwrap();
        sc.client_raw_key_verifier = Some(Arc::new(PinnedRawKeys::new().with_spki(client_spki.clone())));
        let (cc, sc) = configs(via, cc, sc);
        let (full, resumed) = twice(&cc, &sc);
        assert_eq!(full.peer_raw_public_key(), Some(&client_spki[..]), "{via:?}");
        assert_eq!(resumed.peer_raw_public_key(), Some(&client_spki[..]), "{via:?}");
        assert!(resumed.peer_certificates().is_empty());
    }
}

/// A client that sent nothing to an optional verifier resumes as it was:
/// unauthenticated.
#[test]
fn a_resumed_server_reports_no_identity_when_the_client_sent_none() {
    for via in ALL {
        let mut sc = server_config("p256");
        sc.client_verifier = Some(Arc::new(verifier().allow_unauthenticated()));
        let (cc, sc) = configs(via, ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier)), sc);
        let (_, resumed) = twice(&cc, &sc);
        assert!(resumed.peer_certificates().is_empty(), "{via:?}");
        assert_eq!(resumed.peer_raw_public_key(), None, "{via:?}");
    }
}

/// The identity travels inside the sealed ticket (not in a server-side
/// table): a ticket from a server with client authentication carries the
/// chain, and its state grows by it.
#[test]
fn the_ticket_state_carries_the_chain() {
    let (_, crt, key) = CLIENT_KEYS[0];
    let cc = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier))
        .with_client_cert(alloc::vec![crt.to_vec()], SigningKey::from_pkcs8_der(key).unwrap())
        .unwrap();
    let mut sc = server_config("p256");
    sc.client_verifier = Some(Arc::new(verifier()));
    let (cc, sc) = configs(Via::Tls12Ticket, cc, sc);
    twice(&cc, &sc);
    let store = cc.session_store.as_ref().unwrap();
    let ticket: Vec<u8> = store.tls12("localhost").unwrap().ticket;
    let state = sc.ticketer.as_ref().unwrap().open(&ticket, T0 + 10).unwrap();
    assert_eq!(state.peer_chain, [crt.to_vec()]);
    assert!(ticket.len() > crt.len());
}

/// A server that insists on client authentication does not resume a
/// session whose client proved nothing (issued while authentication was
/// optional): it runs a full handshake and asks again.
#[test]
fn a_server_insisting_on_authentication_resumes_no_anonymous_session() {
    for via in ALL {
        let mut optional = server_config("p256");
        optional.client_verifier = Some(Arc::new(verifier().allow_unauthenticated()));
        let (cc, optional) = configs(via, ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier)), optional);
        twice(&cc, &optional);
        // The same ticket key and cache, now insisting.
        let mut mandatory = server_config("p256");
        mandatory.client_verifier = Some(Arc::new(verifier()));
        mandatory.ticketer.clone_from(&optional.ticketer);
        mandatory.session_cache.clone_from(&optional.session_cache);
        let mut c = Connection::client_at(cc.clone(), "localhost", rng(40), T0 + 30).unwrap();
        let mut s = Connection::server(Arc::new(mandatory), rng(41)).unwrap();
        s.set_now(T0 + 30);
        let (_, se) = pump(&mut c, &mut s);
        assert!(!s.is_resumed(), "{via:?}");
        let want = match via {
            Via::Tls13Ticket => Error::CertificateRequired,
            _ => Error::HandshakeFailure { what: "client certificate required" },
        };
        assert_eq!(se, Some(want), "{via:?}");
    }
}
