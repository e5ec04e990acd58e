use crate::keys::PublicKey;
use purecrypto::hash::HashAlgorithm;

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/openssh-keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const KEYS: [&str; 5] = ["ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"];

#[test]
fn fingerprint_lines_match_ssh_keygen() {
    let expected = data("fingerprints.txt");
    let mut lines = expected.lines();
    for name in KEYS {
        let (key, comment) = PublicKey::from_openssh_line(&data(&format!("id_{name}.pub"))).unwrap();
        assert_eq!(comment, format!("puressh-test-{name}"));
        assert_eq!(key.fingerprint_line(HashAlgorithm::Sha256, &comment), lines.next().unwrap());
        assert_eq!(key.fingerprint_line(HashAlgorithm::Md5, &comment), lines.next().unwrap());
    }
}

#[test]
fn randomart_matches_ssh_keygen() {
    for name in ["ed25519", "rsa2048"] {
        let (key, _) = PublicKey::from_openssh_line(&data(&format!("id_{name}.pub"))).unwrap();
        assert_eq!(key.randomart(HashAlgorithm::Sha256), data(&format!("id_{name}.randomart")).trim_end());
    }
}

#[test]
fn lines_round_trip_and_bad_lines_are_refused() {
    for name in KEYS {
        let text = data(&format!("id_{name}.pub"));
        let (key, comment) = PublicKey::from_openssh_line(&text).unwrap();
        assert_eq!(key.to_openssh_line(&comment), text.trim_end());
    }
    let (key, _) = PublicKey::from_openssh_line(&data("id_ed25519.pub")).unwrap();
    let bare = key.to_openssh_line("");
    assert_eq!(bare.split(' ').count(), 2);
    // The type field must name the blob's type.
    let lying = bare.replacen("ssh-ed25519", "ssh-rsa", 1);
    assert!(PublicKey::from_openssh_line(&lying).is_err());
    for bad in ["", "ssh-ed25519", "ssh-ed25519 !!!!", "ssh-ed25519 AAAA"] {
        assert!(PublicKey::from_openssh_line(bad).is_err(), "{bad:?}");
    }
}
