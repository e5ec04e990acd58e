use super::*;

fn data(name: &str) -> String {
    let path = format!("{}/tests/data/openssh-keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn public(name: &str) -> PublicKey {
    PublicKey::from_openssh_line(&data(&format!("id_{name}.pub"))).unwrap().0
}

#[test]
fn ssh_keygen_exports_are_read_and_reproduced() {
    for name in ["ed25519", "rsa2048"] {
        let text = data(&format!("id_{name}.rfc4716"));
        let parsed = from_rfc4716(&text).unwrap();
        assert_eq!(parsed.key, public(name));
        let comment = parsed.comment.unwrap();
        assert!(comment.contains("converted by"), "{comment}");
        assert_eq!(to_rfc4716(&parsed.key, &comment), text);
    }
}

#[test]
fn headers_continuations_and_refusals() {
    let key = public("ed25519");
    let b64 = crate::base64::encode(&key.to_blob());
    let text = format!("{BEGIN}\nx-private: one \\\ntwo\nComment: plain text\n{b64}\n{END}\n");
    let parsed = from_rfc4716(&text).unwrap();
    assert_eq!((parsed.key, parsed.comment.as_deref()), (key, Some("plain text")));
    for bad in [
        format!("{BEGIN}\n{b64}\n"),
        format!("{b64}\n{END}\n"),
        format!("{BEGIN}\nComment: open \\\n"),
        format!("{BEGIN}\n{}: v\n{b64}\n{END}\n", "t".repeat(65)),
        format!("{BEGIN}\n{}\n{END}\n", &b64[..20]),
        format!("{BEGIN}\n{}\n{b64}\n{END}\n", "x".repeat(MAX_RFC4716_LEN)),
    ] {
        assert!(from_rfc4716(&bad).is_err(), "{bad:.80}");
    }
}

#[test]
fn pem_forms_match_ssh_keygen() {
    let ec = public("ecdsa384");
    let pkcs8 = data("id_ecdsa384.pkcs8.pub");
    assert_eq!(to_pem(&ec, PemForm::Pkcs8).unwrap(), pkcs8);
    assert_eq!(from_pem(&pkcs8).unwrap(), ec);
    let rsa = public("rsa2048");
    let pem = data("id_rsa2048.pem.pub");
    assert_eq!(to_pem(&rsa, PemForm::Pem).unwrap(), pem);
    assert_eq!(from_pem(&pem).unwrap(), rsa);
    assert_eq!(from_pem(&to_pem(&rsa, PemForm::Pkcs8).unwrap()).unwrap(), rsa);
    assert!(to_pem(&public("ed25519"), PemForm::Pkcs8).is_err());
}
