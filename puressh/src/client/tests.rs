use super::*;

#[test]
fn default_preferences_offer_only_implemented_algorithms() {
    let prefs = default_preferences();
    // ssh-rsa (SHA-1) signatures are refused unless a caller adds them.
    assert!(!prefs.host_key.iter().any(|a| a == names::SSH_RSA_SHA1));
    for kex in &prefs.kex {
        // Group exchange builds its method from the server's group
        // (`ClientKex`), not through `method_for`.
        let gex = kex == names::DH_GEX_SHA256;
        assert!(gex || crate::transport::kex::method_for(kex).is_ok(), "{kex}");
    }
    for cipher in &prefs.cipher {
        assert!(prefs.mac.iter().any(|m| crate::transport::cipher::key_sizes(cipher, m).is_some()), "{cipher}");
    }
    assert_eq!(prefs.compression, [names::NONE]);
}

#[test]
fn compression_switch_offers_openssh_order_when_built_in() {
    assert_eq!(compression_preferences(false), [names::NONE]);
    if cfg!(feature = "zlib") {
        assert_eq!(compression_preferences(true), [names::ZLIB_OPENSSH, names::ZLIB, names::NONE]);
    } else {
        assert_eq!(compression_preferences(true), [names::NONE], "no codec: never offered");
    }
}

#[test]
fn client_kex_refuses_messages_out_of_turn() {
    use crate::transport::client_kex::ClientKex;
    struct Never;
    impl HostKeyVerifier for Never {
        fn verify(&mut self, _: &crate::keys::PublicKey, _: &[u8]) -> Result<(), crate::error::KexError> {
            Err(crate::error::KexError::HostKeyRejected { reason: "test".into() })
        }
    }
    let mut transport =
        Transport::new(Role::Client, "t", default_preferences(), Box::<BufferedRandom>::default()).unwrap();
    let mut kex = ClientKex::new();
    // A reply with no exchange in flight.
    let reply = Message::Other { number: MsgNumber::KEX_ECDH_REPLY, body: vec![0; 12] };
    let err = kex.on_kex_message(&mut transport, &reply, &mut Never, Instant::now()).unwrap_err();
    assert_eq!(err, crate::Error::Kex(crate::error::KexError::Unexpected { number: 31 }));
    assert!(kex.session_id().is_none() && !kex.in_progress());
}
