//! Unit tests of client user authentication.

use super::*;
use crate::msg::{Prompt, UserauthBanner, UserauthFailure, UserauthSuccess};

/// Records what it was asked to sign and returns it reversed: a test
/// double that checks the bytes reaching the signer, not a signature.
struct Recorder(std::cell::RefCell<Vec<u8>>);

impl Signer for Recorder {
    fn sign(&self, _algorithm: &str, _key: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
        self.0.replace(data.to_vec());
        Ok(data.iter().rev().copied().collect())
    }
}

fn payload(m: impl Into<Message>) -> Vec<u8> {
    m.into().to_bytes()
}

#[test]
fn none_then_password_then_success() {
    let mut auth = ClientAuth::new("root", "ssh-connection");
    assert!(matches!(auth.none().unwrap(), Message::UserauthRequest(UserauthRequest { method: AuthMethod::None, .. })));
    let banner = UserauthBanner { message: "hi".into(), language: String::new() };
    assert_eq!(auth.handle(&payload(banner)).unwrap(), AuthEvent::Banner("hi".into()));
    let failure = UserauthFailure { methods: vec!["password".into(), "publickey".into()], partial_success: false };
    assert_eq!(
        auth.handle(&payload(failure.clone())).unwrap(),
        AuthEvent::Failure { methods: failure.methods, partial_success: false }
    );
    assert!(auth.handle(&payload(UserauthSuccess)).is_err(), "no request in flight");
    let mut auth = ClientAuth::new("root", "ssh-connection");
    auth.password("pw").unwrap();
    assert_eq!(auth.handle(&payload(UserauthSuccess)).unwrap(), AuthEvent::Success);
    assert!(auth.none().is_err());
    assert!(auth.handle(&payload(UserauthSuccess)).is_err());
}

#[test]
fn publickey_probe_pk_ok_and_signed_data_layout() {
    let mut auth = ClientAuth::new("u", "ssh-connection");
    auth.probe_public_key("ssh-ed25519", b"KEY").unwrap();
    let mut body = Vec::new();
    UserauthPkOk { algorithm: "ssh-ed25519".into(), key: b"KEY".to_vec() }.encode(&mut body);
    let pk_ok = Message::Other { number: MsgNumber::USERAUTH_60, body };
    assert_eq!(
        auth.handle(&pk_ok.to_bytes()).unwrap(),
        AuthEvent::PublicKeyOk { algorithm: "ssh-ed25519".into(), key: b"KEY".to_vec() }
    );
    let signer = Recorder(Default::default());
    let message = auth.signed_public_key(b"SID", "ssh-ed25519", b"KEY", None, &signer).unwrap();
    let mut w = Writer::new();
    w.string(b"SID").byte(50).string(b"u").string(b"ssh-connection").string(b"publickey").boolean(true);
    w.string(b"ssh-ed25519").string(b"KEY");
    let expected = w.into_bytes();
    assert_eq!(*signer.0.borrow(), expected);
    let Message::UserauthRequest(UserauthRequest {
        method: AuthMethod::PublicKey { signature: Some(sig), .. }, ..
    }) = message
    else {
        panic!("{message:?}")
    };
    assert_eq!(sig, expected.iter().rev().copied().collect::<Vec<u8>>());
    let hostbound = signed_data(b"SID", "u", "s", "ssh-ed25519", b"KEY", Some(b"HOST"));
    assert!(hostbound.ends_with(b"\0\0\0\x03KEY\0\0\0\x04HOST"));
    // A PK_OK when no probe is in flight is refused.
    assert_eq!(auth.handle(&pk_ok.to_bytes()), Err(Error::Auth(AuthError::Unexpected { number: 60 })));
}

#[test]
fn keyboard_interactive_round() {
    let mut auth = ClientAuth::new("u", "ssh-connection");
    assert!(auth.info_response(&["x"]).is_err());
    auth.keyboard_interactive().unwrap();
    let request = InfoRequest {
        name: String::new(),
        instruction: String::new(),
        language: String::new(),
        prompts: vec![Prompt { prompt: "Password: ".into(), echo: false }],
    };
    let mut body = Vec::new();
    request.encode(&mut body);
    let message = Message::Other { number: MsgNumber::USERAUTH_60, body };
    assert_eq!(auth.handle(&message.to_bytes()).unwrap(), AuthEvent::InfoRequest(request));
    let Message::Other { number, body } = auth.info_response(&["secret"]).unwrap() else { panic!() };
    assert_eq!(number, MsgNumber::USERAUTH_61);
    let response = InfoResponse::read(&mut Reader::new(&body)).unwrap();
    assert_eq!(response.responses, [Password::from("secret")]);
    assert_eq!(auth.handle(&payload(UserauthSuccess)).unwrap(), AuthEvent::Success);
}
