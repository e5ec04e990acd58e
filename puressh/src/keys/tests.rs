use super::private::PrivateKey;
use super::*;
use purecrypto::hash::HashAlgorithm;

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/openssh-keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const KEYS: [&str; 5] = ["ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"];

fn pub_blob(name: &str) -> Vec<u8> {
    let text = data(&format!("id_{name}.pub"));
    crate::base64::decode(text.split_whitespace().nth(1).unwrap()).unwrap()
}

#[test]
fn private_keys_parse_and_match_their_pub_files() {
    for name in KEYS {
        let key = PrivateKey::from_openssh(&data(&format!("id_{name}")), None).unwrap();
        assert_eq!(key.public_key().to_blob(), pub_blob(name), "{name}");
        assert_eq!(key.comment(), format!("puressh-test-{name}"));
        assert_eq!(PublicKey::from_blob(&pub_blob(name)).unwrap(), *key.public_key());
        assert!(!format!("{key:?}").contains("secret"));
    }
}

#[test]
fn encrypted_key_needs_the_passphrase() {
    let text = data("id_ed25519_encrypted");
    assert_eq!(PrivateKey::from_openssh(&text, None).unwrap_err(), KeyError::Encrypted);
    assert!(matches!(PrivateKey::from_openssh(&text, Some(b"wrong")), Err(KeyError::Malformed { .. })));
    let key = PrivateKey::from_openssh(&text, Some(b"correct horse")).unwrap();
    assert_eq!(key.public_key().to_blob(), pub_blob("ed25519_encrypted"));
}

#[test]
fn sign_then_verify_every_algorithm() {
    for name in KEYS {
        let key = PrivateKey::from_openssh(&data(&format!("id_{name}")), None).unwrap();
        for alg in key.algorithms() {
            let sig = key.sign(alg, b"message").unwrap();
            key.public_key().verify(alg, b"message", &sig).unwrap();
            assert_eq!(key.public_key().verify(alg, b"messagf", &sig), Err(KeyError::BadSignature), "{name} {alg}");
        }
        assert!(matches!(key.sign(names::SSH_RSA_SHA1, b"m"), Err(KeyError::AlgorithmMismatch { .. })));
    }
}

/// `ssh-keygen -Y sign` signatures (SSHSIG, PROTOCOL.sshsig) verify: a
/// cross-implementation check of every verifier.
#[test]
fn ssh_keygen_signatures_verify() {
    let message = data("message.txt");
    for name in KEYS {
        let armored = data(&format!("message.{name}.sig"));
        let b64: String = armored.lines().filter(|l| !l.starts_with("-----")).collect();
        let raw = crate::base64::decode(&b64).unwrap();
        let mut r = Reader::new(raw.strip_prefix(b"SSHSIG").unwrap());
        assert_eq!(r.u32().unwrap(), 1);
        let key = PublicKey::from_blob(r.string().unwrap()).unwrap();
        let namespace = r.string().unwrap();
        let reserved = r.string().unwrap();
        let hash_alg = r.utf8("hash").unwrap();
        let signature = r.string().unwrap();
        r.finish().unwrap();
        let digest = HashAlgorithm::from_name(hash_alg).unwrap().hash(message.as_bytes());
        let mut signed = Writer::new();
        signed.string(namespace).string(reserved).string(hash_alg.as_bytes()).string(&digest);
        let mut data = b"SSHSIG".to_vec();
        data.extend(signed.into_bytes());
        let alg = Reader::new(signature).utf8("alg").unwrap().to_owned();
        key.verify(&alg, &data, signature).unwrap();
        data.push(0);
        assert_eq!(key.verify(&alg, &data, signature), Err(KeyError::BadSignature), "{name}");
    }
}

#[test]
fn malformed_blobs_are_refused() {
    for name in KEYS {
        let blob = pub_blob(name);
        for cut in 0..blob.len() {
            assert!(PublicKey::from_blob(&blob[..cut]).is_err(), "{name} cut {cut}");
        }
        let mut long = blob.clone();
        long.push(0);
        assert!(PublicKey::from_blob(&long).is_err());
    }
    let mut w = Writer::new();
    w.string(b"ssh-dss").string(b"x");
    assert!(matches!(PublicKey::from_blob(&w.into_bytes()), Err(KeyError::Unsupported { .. })));
    // A P-256 blob claiming the P-384 curve identifier.
    let blob = pub_blob("ecdsa256");
    let mut w = Writer::new();
    let mut r = Reader::new(&blob);
    let _ = r.string().unwrap();
    let _ = r.string().unwrap();
    w.string(names::ECDSA_SHA2_NISTP256.as_bytes()).string(b"nistp384").string(r.string().unwrap());
    assert!(PublicKey::from_blob(&w.into_bytes()).is_err());
}

#[test]
fn signature_algorithm_must_fit_the_key() {
    let ed = PrivateKey::from_openssh(&data("id_ed25519"), None).unwrap();
    let sig = ed.sign(names::SSH_ED25519, b"m").unwrap();
    let rsa = PublicKey::from_blob(&pub_blob("rsa2048")).unwrap();
    assert!(matches!(rsa.verify(names::SSH_ED25519, b"m", &sig), Err(KeyError::AlgorithmMismatch { .. })));
    assert!(matches!(ed.public_key().verify(names::RSA_SHA2_256, b"m", &sig), Err(KeyError::AlgorithmMismatch { .. })));
    // The blob names another algorithm than the one negotiated.
    let rsa_key = PrivateKey::from_openssh(&data("id_rsa2048"), None).unwrap();
    let sig512 = rsa_key.sign(names::RSA_SHA2_512, b"m").unwrap();
    assert!(matches!(
        rsa_key.public_key().verify(names::RSA_SHA2_256, b"m", &sig512),
        Err(KeyError::AlgorithmMismatch { .. })
    ));
    // Garbage inside a well-formed blob.
    for raw in [&[][..], &[0u8; 63][..], &[0u8; 65][..]] {
        let blob = signature_blob(names::SSH_ED25519, raw);
        assert!(ed.public_key().verify(names::SSH_ED25519, b"m", &blob).is_err());
    }
}

#[test]
fn malformed_key_files_are_refused() {
    let text = data("id_ed25519");
    assert!(PrivateKey::from_openssh("", None).is_err());
    assert!(
        PrivateKey::from_openssh(&text.replace("OPENSSH PRIVATE KEY-----\n", "OPENSSH PRIVATE KEY-----\n!"), None)
            .is_err()
    );
    let b64: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let raw = crate::base64::decode(&b64).unwrap();
    for cut in 0..raw.len() {
        assert!(PrivateKey::from_binary(&raw[..cut], None).is_err(), "cut {cut}");
    }
    for i in 0..raw.len() {
        let mut flipped = raw.clone();
        flipped[i] ^= 0x01;
        // Any single flipped bit is refused or, in the comment or a
        // padding-free spot, still yields a key that signs consistently.
        if let Ok(k) = PrivateKey::from_binary(&flipped, None) {
            let sig = k.sign(names::SSH_ED25519, b"x").unwrap();
            k.public_key().verify(names::SSH_ED25519, b"x", &sig).unwrap();
        }
    }
}

#[test]
fn rsa_keys_under_2048_bits_are_refused() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/certs/rsa1024.pub")).unwrap();
    let (key, _) = PublicKey::from_openssh_line(&text).unwrap();
    assert_eq!(key.bits(), 1024);
    let small = Err(KeyError::RsaTooSmall { bits: 1024, min: MIN_RSA_BITS });
    assert_eq!(key.check_size(), small);
    // Refused before the signature is even looked at.
    assert_eq!(key.verify(names::RSA_SHA2_256, b"data", b"anything"), small);
    assert_eq!(key.verify(names::RSA_SHA2_512, b"data", b"anything"), small);
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/certs/user_rsa.pub")).unwrap();
    let (big, _) = PublicKey::from_openssh_line(&text).unwrap();
    assert_eq!(big.check_size(), Ok(()));
}
