use super::super::{PrivateKey, decrypt_aes256_ctr};
use super::KeySpec;
use crate::error::KeyError;
use crate::keys::EcCurve;
use crate::wire::Reader;
use purecrypto::rng::{CryptoRng, RngCore};

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/openssh-keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn binary(text: &str) -> Vec<u8> {
    let b64: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    crate::base64::decode(&b64).unwrap()
}

/// Replays fixed bytes: the check words and salt of a file made by
/// `ssh-keygen`, so our writer can be compared with it byte for byte.
struct Replay(Vec<u8>);

impl RngCore for Replay {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let rest = self.0.split_off(dest.len());
        dest.copy_from_slice(&self.0);
        self.0 = rest;
    }
}
impl CryptoRng for Replay {}

/// `(cipher, kdf options, sealed section)` of a binary key file.
fn fields(raw: &[u8]) -> (String, Vec<u8>, Vec<u8>) {
    let mut r = Reader::new(raw.strip_prefix(b"openssh-key-v1\0".as_slice()).unwrap());
    let cipher = r.utf8("c").unwrap().to_owned();
    r.string().unwrap();
    let options = r.string().unwrap().to_vec();
    r.u32().unwrap();
    r.string().unwrap();
    (cipher, options, r.string().unwrap().to_vec())
}

#[test]
fn rewrites_ssh_keygen_files_byte_for_byte() {
    for name in ["ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"] {
        let text = data(&format!("id_{name}"));
        let raw = binary(&text);
        let (cipher, _, section) = fields(&raw);
        assert_eq!(cipher, "none");
        let key = PrivateKey::from_openssh(&text, None).unwrap();
        let again = key.to_binary(None, 16, &mut Replay(section[..4].to_vec())).unwrap();
        assert_eq!(*again, raw, "{name}");
        // The armour too: 70-column lines as ssh-keygen writes them.
        let mut check = Replay(section[..4].to_vec());
        let b64 = crate::base64::encode(&key.to_binary(None, 16, &mut check).unwrap());
        assert!(text.contains(&b64[..70]), "{name}");
    }
}

#[test]
fn rewrites_an_encrypted_ssh_keygen_file_byte_for_byte() {
    let text = data("id_ed25519_encrypted");
    let raw = binary(&text);
    let (cipher, options, sealed) = fields(&raw);
    assert_eq!(cipher, "aes256-ctr");
    let mut o = Reader::new(&options);
    let salt = o.string().unwrap().to_vec();
    let rounds = o.u32().unwrap();
    let section = decrypt_aes256_ctr(&sealed, &options, b"correct horse").unwrap();
    let key = PrivateKey::from_openssh(&text, Some(b"correct horse")).unwrap();
    let replay = [&section[..4], &salt[..]].concat();
    let again = key.to_binary(Some(b"correct horse"), rounds, &mut Replay(replay)).unwrap();
    assert_eq!(*again, raw);
}

#[test]
fn generated_keys_round_trip_and_sign() {
    let specs = [
        KeySpec::Ed25519,
        KeySpec::Ecdsa(EcCurve::P256),
        KeySpec::Ecdsa(EcCurve::P384),
        KeySpec::Ecdsa(EcCurve::P521),
        KeySpec::Rsa(2048),
    ];
    for (i, spec) in specs.into_iter().enumerate() {
        let key = PrivateKey::generate(spec, "gen@test").unwrap();
        // Encrypt every other key (the RSA one included) to keep bcrypt cheap.
        let pass: Option<&[u8]> = if i % 2 == 0 { Some(b"pw") } else { None };
        let text = key.to_openssh(pass, 4).unwrap();
        if pass.is_some() {
            assert_eq!(PrivateKey::from_openssh(&text, None).unwrap_err(), KeyError::Encrypted);
            assert!(PrivateKey::from_openssh(&text, Some(b"wrong")).is_err());
        }
        let back = PrivateKey::from_openssh(&text, pass).unwrap();
        assert_eq!(back.public_key(), key.public_key(), "{spec:?}");
        assert_eq!(back.comment(), "gen@test");
        let algorithm = back.algorithms()[0];
        let signature = back.sign(algorithm, b"data").unwrap();
        key.public_key().verify(algorithm, b"data", &signature).unwrap();
        assert!(!format!("{key:?}").contains("secret"));
    }
}

#[test]
fn refused_parameters() {
    for bits in [1024, 2047, 16392] {
        assert!(matches!(PrivateKey::generate(KeySpec::Rsa(bits), ""), Err(KeyError::Unsupported { .. })));
    }
    let key = PrivateKey::generate(KeySpec::Ed25519, "").unwrap();
    assert!(key.to_openssh(Some(b"pw"), 0).is_err());
    // An empty passphrase means no encryption, as in ssh-keygen.
    let plain = key.to_openssh(Some(b""), 0).unwrap();
    assert!(PrivateKey::from_openssh(&plain, None).is_ok());
}

#[test]
fn pem_and_pkcs8_keys_are_read() {
    // The same keys in OpenSSL's formats, written by purecrypto.
    let rsa = purecrypto::rsa::RsaPrivateKey::generate(&mut purecrypto::rng::OsRng, 2048).unwrap();
    let pkcs1 = purecrypto::asn1::pem::encode("RSA PRIVATE KEY", &rsa.to_pkcs1_der());
    let key = PrivateKey::from_text(&pkcs1, None).unwrap();
    assert_eq!(key.bits(), 2048);
    let ec = purecrypto::ec::SecretKey::<purecrypto::ec::P384>::generate(&mut purecrypto::rng::OsRng).unwrap();
    let sec1 = purecrypto::asn1::pem::encode("EC PRIVATE KEY", &purecrypto::ec::sec1::encode_private_key(&ec));
    let key = PrivateKey::from_text(&sec1, None).unwrap();
    assert_eq!(key.public_key().key_type(), "ecdsa-sha2-nistp384");
    assert!(PrivateKey::from_text("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n", None).is_err());
    assert!(PrivateKey::from_text("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n", None).is_err());
}

#[test]
fn pem_and_pkcs8_writing_round_trips() {
    use super::super::PemPrivateForm;
    for spec in [KeySpec::Ecdsa(EcCurve::P256), KeySpec::Ecdsa(EcCurve::P521)] {
        let key = PrivateKey::generate(spec, "").unwrap();
        for (form, label) in [(PemPrivateForm::Pem, "EC PRIVATE KEY"), (PemPrivateForm::Pkcs8, "BEGIN PRIVATE KEY")] {
            let text = key.to_pem(form).unwrap();
            assert!(text.contains(label), "{}", *text);
            assert_eq!(PrivateKey::from_text(&text, None).unwrap().public_key(), key.public_key());
        }
    }
    assert!(PrivateKey::generate(KeySpec::Ed25519, "").unwrap().to_pem(PemPrivateForm::Pkcs8).is_none());
}
