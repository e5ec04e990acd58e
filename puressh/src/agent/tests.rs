use super::*;
use crate::keys::EcCurve;
use crate::keys::private::{KeySpec, PrivateKey};
use std::os::unix::net::UnixStream;

fn round_trip(message: &AgentMessage) {
    let bytes = message.encode();
    assert_eq!(bytes.first(), Some(&message.number()));
    assert_eq!(&AgentMessage::decode(&bytes).unwrap(), message);
    let frame = message.to_frame();
    assert_eq!(frame_len(&frame).unwrap(), Some(frame.len()));
}

#[test]
fn every_message_round_trips() {
    round_trip(&AgentMessage::Failure);
    round_trip(&AgentMessage::Success);
    round_trip(&AgentMessage::RequestIdentities);
    round_trip(&AgentMessage::IdentitiesAnswer(vec![]));
    round_trip(&AgentMessage::IdentitiesAnswer(vec![
        IdentityEntry { key: b"blob-1".to_vec(), comment: b"me@host".to_vec() },
        IdentityEntry { key: vec![0; 3], comment: vec![0xff] },
    ]));
    round_trip(&AgentMessage::SignRequest { key: b"k".to_vec(), data: b"d".to_vec(), flags: FLAG_RSA_SHA2_512 });
    round_trip(&AgentMessage::SignResponse(b"sig".to_vec()));
    // ADD_IDENTITY (17) and EXTENSION (27) are not typed: kept whole.
    round_trip(&AgentMessage::Other { number: 17, body: b"anything".to_vec() });
    round_trip(&AgentMessage::Other { number: 27, body: vec![] });
}

#[test]
fn the_wire_form_is_the_drafts() {
    // draft-miller-ssh-agent §3.2: uint32 length, byte 11.
    assert_eq!(AgentMessage::RequestIdentities.to_frame(), [0, 0, 0, 1, 11]);
    let sign = AgentMessage::SignRequest { key: vec![0xaa], data: vec![0xbb, 0xcc], flags: 4 };
    assert_eq!(sign.encode(), [13, 0, 0, 0, 1, 0xaa, 0, 0, 0, 2, 0xbb, 0xcc, 0, 0, 0, 4]);
    assert_eq!(sign_flags("rsa-sha2-256"), 2);
    assert_eq!(sign_flags("rsa-sha2-512"), 4);
    assert_eq!(sign_flags("ssh-ed25519"), 0);
}

#[test]
fn bad_messages_are_errors() {
    assert!(AgentMessage::decode(&[]).is_err());
    // Trailing byte after FAILURE, truncated SIGN_RESPONSE.
    assert!(AgentMessage::decode(&[5, 0]).is_err());
    assert!(AgentMessage::decode(&[14, 0, 0, 0, 9, 1]).is_err());
    // A count of 2^32-1 identities in a 5-byte message: refused before allocating.
    assert!(matches!(
        AgentMessage::decode(&[12, 0xff, 0xff, 0xff, 0xff]),
        Err(crate::wire::WireError::CountTooLarge { .. })
    ));
    // Two identities announced, one present.
    assert!(AgentMessage::decode(&[12, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]).is_err());
}

#[test]
fn frames_are_bounded() {
    assert_eq!(frame_len(&[0, 0, 1]).unwrap(), None);
    assert!(matches!(frame_len(&[0, 0, 0, 0]), Err(AgentError::BadLength { len: 0 })));
    let too_long = u32::try_from(MAX_MESSAGE_LEN + 1).unwrap().to_be_bytes();
    assert!(matches!(frame_len(&too_long), Err(AgentError::BadLength { .. })));
    let longest = u32::try_from(MAX_MESSAGE_LEN).unwrap().to_be_bytes();
    assert_eq!(frame_len(&longest).unwrap(), Some(MAX_MESSAGE_LEN + 4));
}

/// A tiny agent on one end of a socket pair: answers each request with
/// `answer` until the client hangs up.
fn fake_agent(answer: impl Fn(AgentMessage) -> AgentMessage + Send + 'static) -> AgentClient {
    let (ours, theirs) = UnixStream::pair().unwrap();
    std::thread::spawn(move || {
        let mut theirs = theirs;
        loop {
            let mut prefix = [0u8; 4];
            if std::io::Read::read_exact(&mut theirs, &mut prefix).is_err() {
                return;
            }
            let mut body = vec![0u8; frame_len(&prefix).unwrap().unwrap() - 4];
            std::io::Read::read_exact(&mut theirs, &mut body).unwrap();
            let reply = answer(AgentMessage::decode(&body).unwrap());
            std::io::Write::write_all(&mut theirs, &reply.to_frame()).unwrap();
        }
    });
    AgentClient::from_stream(ours).unwrap()
}

#[test]
fn lists_and_signs_through_an_agent() {
    let keys = std::sync::Arc::new([
        PrivateKey::generate(KeySpec::Ed25519, "ed").unwrap(),
        PrivateKey::generate(KeySpec::Ecdsa(EcCurve::P384), "p384").unwrap(),
    ]);
    let listed: Vec<IdentityEntry> = keys
        .iter()
        .map(|k| IdentityEntry { key: k.public_key().to_blob(), comment: k.comment().as_bytes().to_vec() })
        .chain(std::iter::once(IdentityEntry { key: b"not a key".to_vec(), comment: vec![] }))
        .collect();
    let held = std::sync::Arc::clone(&keys);
    let agent = fake_agent(move |request| match request {
        AgentMessage::RequestIdentities => AgentMessage::IdentitiesAnswer(listed.clone()),
        AgentMessage::SignRequest { key, data, flags: 0 } => {
            let k = held.iter().find(|k| k.public_key().to_blob() == key).unwrap();
            AgentMessage::SignResponse(k.sign(k.algorithms()[0], &data).unwrap())
        }
        _ => AgentMessage::Failure,
    });
    let identities = agent.identities().unwrap();
    // The blob puressh cannot parse is left out.
    assert_eq!(identities.len(), 2);
    assert_eq!(identities[1].comment, "p384");
    for (identity, key) in identities.iter().zip(keys.iter()) {
        let algorithm = identity.algorithms()[0];
        let signature = agent.sign(&identity.blob, b"to be signed", algorithm).unwrap();
        key.public_key().verify(algorithm, b"to be signed", &signature).unwrap();
        // Through the auth trait too.
        let signature = crate::auth::Signer::sign(&agent, algorithm, &identity.blob, b"again").unwrap();
        identity.public.verify(algorithm, b"again", &signature).unwrap();
    }
    // An RSA algorithm sets a flag this fake refuses: FAILURE.
    assert!(matches!(agent.sign(&identities[0].blob, b"x", "rsa-sha2-256"), Err(AgentError::Refused)));
}

#[test]
fn a_signature_of_another_algorithm_is_refused() {
    let agent = fake_agent(|request| match request {
        AgentMessage::SignRequest { .. } => AgentMessage::SignResponse(crate::keys::signature_blob("ssh-rsa", b"s")),
        _ => AgentMessage::Success,
    });
    let err = agent.sign(b"blob", b"data", "rsa-sha2-512").unwrap_err();
    assert!(matches!(err, AgentError::WrongAlgorithm { ref got, .. } if got == "ssh-rsa"), "{err}");
    // SUCCESS is no answer to REQUEST_IDENTITIES.
    assert!(matches!(agent.identities(), Err(AgentError::Unexpected { number: AGENT_SUCCESS })));
}
