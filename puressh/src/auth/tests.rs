//! Unit tests of client user authentication.

use super::*;
use crate::error::MisuseError;
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

fn info_request(prompts: usize) -> Vec<u8> {
    let request = InfoRequest {
        name: "n".into(),
        instruction: String::new(),
        language: String::new(),
        prompts: (0..prompts).map(|i| Prompt { prompt: format!("Q{i}: "), echo: i % 2 == 1 }).collect(),
    };
    let mut body = Vec::new();
    request.encode(&mut body);
    Message::Other { number: MsgNumber::USERAUTH_60, body }.to_bytes()
}

#[test]
fn passwd_changereq_during_password_then_change() {
    let mut auth = ClientAuth::new("u", "ssh-connection");
    auth.password("old").unwrap();
    let mut body = Vec::new();
    PasswdChangeReq { prompt: "Password expired".into(), language: String::new() }.encode(&mut body);
    let change = Message::Other { number: MsgNumber::USERAUTH_60, body }.to_bytes();
    assert_eq!(
        auth.handle(&change).unwrap(),
        AuthEvent::PasswordChangeRequested { prompt: "Password expired".into(), language: String::new() }
    );
    // The request is over: a second CHANGEREQ or a SUCCESS out of turn is refused.
    assert_eq!(auth.handle(&change), Err(Error::Auth(AuthError::Unexpected { number: 60 })));
    let message = auth.password_change(&Password::from("old"), &Password::from("new")).unwrap();
    let Message::UserauthRequest(UserauthRequest { method: AuthMethod::Password { password, new_password }, .. }) =
        &message
    else {
        panic!("{message:?}")
    };
    assert_eq!((password.expose(), new_password.as_ref().map(Password::expose)), ("old", Some("new")));
    // Wire layout of RFC 4252 §8: TRUE, old, new.
    let mut w = Writer::new();
    w.byte(50).string(b"u").string(b"ssh-connection").string(b"password").boolean(true).string(b"old");
    w.string(b"new");
    assert_eq!(message.to_bytes(), w.into_bytes());
    let debug = format!("{message:?}");
    assert!(!debug.contains("\"old\"") && !debug.contains("\"new\""), "{debug}");
    assert_eq!(auth.handle(&payload(UserauthSuccess)).unwrap(), AuthEvent::Success);
}

#[test]
fn changereq_is_malformed_when_truncated() {
    let mut auth = ClientAuth::new("u", "ssh-connection");
    auth.password("pw").unwrap();
    let bad = Message::Other { number: MsgNumber::USERAUTH_60, body: vec![0, 0, 0, 9, b'x'] }.to_bytes();
    assert!(matches!(auth.handle(&bad), Err(Error::Decode(_))));
}

#[test]
fn info_requests_are_bounded_in_rounds() {
    let mut auth = ClientAuth::new("u", "ssh-connection");
    auth.keyboard_interactive().unwrap();
    for _ in 0..MAX_INFO_ROUNDS {
        assert!(matches!(auth.handle(&info_request(1)).unwrap(), AuthEvent::InfoRequest(_)));
        auth.info_response(&["a"]).unwrap();
    }
    assert_eq!(
        auth.handle(&info_request(1)),
        Err(Error::Auth(AuthError::TooManyInfoRequests { limit: MAX_INFO_ROUNDS }))
    );
    // A fresh keyboard-interactive request starts a fresh count.
    auth.keyboard_interactive().unwrap();
    assert!(matches!(auth.handle(&info_request(0)).unwrap(), AuthEvent::InfoRequest(_)));
}

#[test]
fn info_requests_are_bounded_in_total_prompts() {
    let mut auth = ClientAuth::new("u", "ssh-connection");
    auth.keyboard_interactive().unwrap();
    let per_round = 40;
    assert!(matches!(auth.handle(&info_request(per_round)).unwrap(), AuthEvent::InfoRequest(_)));
    auth.info_response_owned(vec![Password::from("x"); per_round]).unwrap();
    assert_eq!(
        auth.handle(&info_request(per_round)),
        Err(Error::Auth(AuthError::TooManyPrompts { limit: MAX_TOTAL_PROMPTS }))
    );
}

#[test]
fn info_response_turn_taking_and_counts() {
    let mut auth = ClientAuth::new("u", "ssh-connection");
    auth.keyboard_interactive().unwrap();
    // Nothing asked yet.
    assert!(matches!(auth.info_response(&[]), Err(Error::Misuse(MisuseError::WrongState(_)))));
    auth.handle(&info_request(2)).unwrap();
    // A second request before we answered the first.
    assert_eq!(auth.handle(&info_request(1)), Err(Error::Auth(AuthError::Unexpected { number: 60 })));
    let mut auth = ClientAuth::new("u", "ssh-connection");
    auth.keyboard_interactive().unwrap();
    auth.handle(&info_request(2)).unwrap();
    assert!(matches!(auth.info_response(&["only one"]), Err(Error::Misuse(MisuseError::WrongState(_)))));
    let Message::Other { body, .. } = auth.info_response(&["a", "b"]).unwrap() else { panic!() };
    assert_eq!(InfoResponse::read(&mut Reader::new(&body)).unwrap().responses.len(), 2);
    // Answered once only.
    assert!(auth.info_response(&["a", "b"]).is_err());
    // An empty round (RFC 4256 §3.2 allows it) takes an empty answer.
    auth.handle(&info_request(0)).unwrap();
    let Message::Other { body, .. } = auth.info_response(&[]).unwrap() else { panic!() };
    assert_eq!(body, [0, 0, 0, 0]);
    let failure = UserauthFailure { methods: vec!["password".into()], partial_success: false };
    assert!(matches!(auth.handle(&payload(failure)).unwrap(), AuthEvent::Failure { .. }));
}

#[test]
fn pk_ok_during_password_is_read_as_changereq_not_pk_ok() {
    let mut auth = ClientAuth::new("u", "ssh-connection");
    auth.password("pw").unwrap();
    let mut body = Vec::new();
    UserauthPkOk { algorithm: "ssh-ed25519".into(), key: b"KEY".to_vec() }.encode(&mut body);
    let event = auth.handle(&Message::Other { number: MsgNumber::USERAUTH_60, body }.to_bytes()).unwrap();
    assert!(matches!(event, AuthEvent::PasswordChangeRequested { .. }), "{event:?}");
}
