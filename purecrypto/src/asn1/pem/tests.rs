use super::*;
use alloc::format;
use alloc::string::ToString;
use proptest::prelude::*;

/// The RFC 8410 section 10.3 Ed25519 private key, as RFC 7468 text.
const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
-----END PRIVATE KEY-----
";

#[test]
fn decodes_rfc8410_key() {
    let pem = decode(ED25519_PEM.as_bytes()).unwrap();
    assert_eq!(pem.label, "PRIVATE KEY");
    assert_eq!(pem.contents.len(), 48);
    assert_eq!(pem.contents.get(..16).unwrap(), hex_literal::hex!("302e020100300506032b657004220420"));
    assert_eq!(encode("PRIVATE KEY", &pem.contents), ED25519_PEM);
}

#[test]
fn base64_alphabet_is_the_standard_one() {
    for v in 0..64u8 {
        let c = base64_char(v);
        assert_eq!(base64_value(c as u8), Some(v), "value {v} char {c}");
    }
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (v, c) in alphabet.bytes().enumerate() {
        assert_eq!(usize::from(base64_value(c).unwrap()), v);
    }
    for c in (0..=255u8).filter(|c| !alphabet.as_bytes().contains(c)) {
        assert_eq!(base64_value(c), None, "byte {c:#x}");
    }
}

#[test]
fn rfc4648_test_vectors() {
    let cases: [(&[u8], &str); 7] = [
        (b"", ""),
        (b"f", "Zg=="),
        (b"fo", "Zm8="),
        (b"foo", "Zm9v"),
        (b"foob", "Zm9vYg=="),
        (b"fooba", "Zm9vYmE="),
        (b"foobar", "Zm9vYmFy"),
    ];
    for (raw, b64) in cases {
        assert_eq!(base64_decode(b64.as_bytes()).unwrap().as_slice(), raw);
        let pem = encode("X", raw);
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(body, b64);
    }
}

#[test]
fn strict_base64() {
    for bad in ["Zg=", "Zg", "Zh==", "Zm9=", "Z===", "=Zg=", "Zg==Zg==", "Zm9v\u{e9}", "Zm 9v"] {
        assert!(base64_decode(bad.as_bytes()).is_err(), "{bad}");
    }
}

#[test]
fn lax_layout_is_accepted() {
    let text = format!(
        "Subject: explanatory text\r\n\r\n-----BEGIN PRIVATE KEY-----  \r\n  {}\r\n\t{}\r\n-----END PRIVATE KEY-----\r\ntrailing",
        "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06", "/nwoy/HU++CXqI9EdVhC"
    );
    let pem = decode_label(text.as_bytes(), "PRIVATE KEY").unwrap();
    assert_eq!(pem.contents.as_slice(), decode(ED25519_PEM.as_bytes()).unwrap().contents.as_slice());
    assert!(decode_label(text.as_bytes(), "CERTIFICATE").is_err());
}

#[test]
fn iterates_bundles() {
    let one = encode("CERTIFICATE", b"first");
    let two = encode("X509 CRL", b"second");
    let text = format!("header\n{one}between\n{two}\n");
    let all: Vec<_> = blocks(text.as_bytes()).map(Result::unwrap).collect();
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].label, all[0].contents.as_slice()), ("CERTIFICATE", &b"first"[..]));
    assert_eq!((all[1].label, all[1].contents.as_slice()), ("X509 CRL", &b"second"[..]));
    assert_eq!(blocks(b"no pem here\n").count(), 0);
}

#[test]
fn malformed_blocks_are_typed_errors() {
    let cases = [
        "-----BEGIN A-----\nZm9v\n",
        "-----BEGIN A-----\nZm9v\n-----END B-----\n",
        "-----BEGIN A-B--C-----\nZm9v\n-----END A-B--C-----\n",
        "-----BEGIN A-----\nZm9v\n-----BEGIN A-----\n",
        "-----BEGIN A----\nZm9v\n-----END A-----\n",
        "-----BEGIN A-----\nZm9\n-----END A-----\n",
        "nothing",
    ];
    for case in cases {
        assert!(matches!(decode(case.as_bytes()), Err(Error::Malformed { .. })), "{case:?}");
    }
    let headers = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nZm9v\n-----END RSA PRIVATE KEY-----\n";
    assert!(matches!(decode(headers.as_bytes()), Err(Error::Unsupported { .. })));
    // The iterator stops at the first error.
    let text = "-----BEGIN A-----\n!!!!\n-----END A-----\n".to_string() + &encode("B", b"x");
    let mut it = blocks(text.as_bytes());
    assert!(it.next().unwrap().is_err());
    assert!(it.next().is_none());
}

#[test]
fn lines_are_64_columns() {
    let pem = encode("DATA", &[0xa5; 200]);
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        assert!(line.len() <= 64);
    }
    assert_eq!(pem.lines().nth(1).unwrap().len(), 64);
}

#[test]
fn rfc1421_headers_only_through_decode_with_headers() {
    let text = "junk\n-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00FF\n\nZm9v\n-----END RSA PRIVATE KEY-----\n";
    let (pem, headers) = decode_with_headers(text.as_bytes()).unwrap();
    assert_eq!(pem.label, "RSA PRIVATE KEY");
    assert_eq!(pem.contents.as_slice(), b"foo");
    assert_eq!(
        headers,
        [Header { name: "Proc-Type", value: "4,ENCRYPTED" }, Header { name: "DEK-Info", value: "AES-128-CBC,00FF" }]
    );
    assert!(matches!(decode(text.as_bytes()), Err(Error::Unsupported { .. })));
    // Writing gives back the same text (without the junk before it).
    assert_eq!(encode_with_headers(pem.label, &headers, b"foo"), text["junk\n".len()..]);
    // No headers: same as decode, and encode_with_headers is encode.
    let (plain, none) = decode_with_headers(ED25519_PEM.as_bytes()).unwrap();
    assert!(none.is_empty());
    assert_eq!(plain.contents, decode(ED25519_PEM.as_bytes()).unwrap().contents);
    assert_eq!(encode_with_headers("X", &[], b"abc"), encode("X", b"abc"));
    // Headers must end with a blank line and be Name: value.
    for bad in [
        "-----BEGIN A-----\nProc-Type: 4,ENCRYPTED\nZm9v\n-----END A-----\n",
        "-----BEGIN A-----\nProc Type: 4\n\nZm9v\n-----END A-----\n",
        "-----BEGIN A-----\n: 4\n\nZm9v\n-----END A-----\n",
        "-----BEGIN A-----\nProc-Type: 4,ENCRYPTED\n",
    ] {
        assert!(matches!(decode_with_headers(bad.as_bytes()), Err(Error::Malformed { .. })), "{bad:?}");
    }
}

proptest! {
    #[test]
    fn encode_decode_round_trip(data in proptest::collection::vec(any::<u8>(), 0..400), label in "[A-Z0-9]{1,8}( [A-Z0-9]{1,8}){0,2}") {
        let text = encode(&label, &data);
        let pem = decode(text.as_bytes()).unwrap();
        prop_assert_eq!(pem.label, label.as_str());
        prop_assert_eq!(pem.contents.as_slice(), data.as_slice());
    }

    #[test]
    fn arbitrary_text_never_panics(text in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut framed = b"-----BEGIN X-----\n".to_vec();
        framed.extend_from_slice(&text);
        framed.extend_from_slice(b"\n-----END X-----\n");
        let _ = decode(&framed);
        let _ = decode_with_headers(&framed);
        let _ = blocks(&text).count();
    }
}
