//! Unit tests of the `known_hosts` parser and lookup.

use super::*;
use hex_literal::hex;

const K1: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIDOffZEcMnrI04NjssnUN77XmP+E36u9Hp9/1vqdBtJj";
const K2: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIITsm1047jSGvUOMERzX8/xt0JoaO2JEN4ENiKCyJ/1S";

/// Known answers for HMAC-SHA1 computed outside (the `|1|` line below was
/// written by `ssh-keygen -H` for `example.org`); any other input gets an
/// all-zero tag, which matches nothing.
struct KnownAnswers;

impl HmacSha1 for KnownAnswers {
    fn hmac_sha1(&self, key: &[u8], message: &[u8]) -> [u8; 20] {
        if key == hex!("f32f47f2784aad71ea349e33090d31738b67b17e") && message == b"example.org" {
            hex!("578fd5306844a19852d7e844a3009052f4f84f68")
        } else {
            [0; 20]
        }
    }
}

fn key(text: &str) -> Vec<u8> {
    crate::base64::decode(text).unwrap()
}

#[test]
fn plain_negated_ported_and_marked_entries() {
    let text = format!(
        "# comment\n\
         \n\
         host.example,*.corp,!bad.corp ssh-ed25519 {K1} me@box\n\
         [10.0.0.1]:2222 ssh-ed25519 {K2}\n\
         @cert-authority *.corp ssh-ed25519 {K2}\n\
         @revoked * ssh-ed25519 {K2}\n"
    );
    let kh = KnownHosts::parse(&text).unwrap();
    let e = &kh.entries()[0];
    assert_eq!(e.line, 3);
    assert_eq!(e.comment.as_deref(), Some("me@box"));
    assert_eq!(e.matches_host("HOST.example", 22, None), Some(true));
    assert_eq!(e.matches_host("host.example", 2222, None), Some(false));
    assert_eq!(e.matches_host("a.corp", 22, None), Some(true));
    assert_eq!(e.matches_host("bad.corp", 22, None), Some(false));
    assert_eq!(kh.entries()[1].matches_host("10.0.0.1", 2222, None), Some(true));
    assert_eq!(kh.entries()[1].matches_host("10.0.0.1", 22, None), Some(false));
    assert_eq!(kh.cert_authorities("x.corp", 22, None).count(), 1);

    assert_eq!(kh.check("a.corp", 22, "ssh-ed25519", &key(K1), None), Verdict::Trusted { line: 3 });
    assert_eq!(kh.check("other", 22, "ssh-ed25519", &key(K1), None), Verdict::Unknown);
    assert_eq!(kh.check("10.0.0.1", 2222, "ssh-ed25519", &key(K2), None), Verdict::Revoked { line: 6 });
    let mut other = key(K1);
    *other.last_mut().unwrap() ^= 1;
    assert_eq!(kh.check("a.corp", 22, "ssh-ed25519", &other, None), Verdict::Changed { line: 3 });
}

#[test]
fn hashed_entries_match_through_the_hmac_trait() {
    let text = format!("|1|8y9H8nhKrXHqNJ4zCQ0xc4tnsX4=|V4/VMGhEoZhS1+hEowCQUvT4T2g= ssh-ed25519 {K1}\n");
    let kh = KnownHosts::parse(&text).unwrap();
    let e = &kh.entries()[0];
    assert!(matches!(&e.hosts, Hosts::Hashed { salt, .. } if salt.len() == 20));
    assert_eq!(e.matches_host("example.org", 22, None), None, "undecidable without HMAC");
    assert_eq!(e.matches_host("example.org", 22, Some(&KnownAnswers)), Some(true));
    assert_eq!(e.matches_host("example.com", 22, Some(&KnownAnswers)), Some(false));
    assert_eq!(kh.check("example.org", 22, "ssh-ed25519", &key(K1), Some(&KnownAnswers)), Verdict::Trusted { line: 1 });
}

#[test]
fn errors_carry_line_numbers() {
    let cases: [(String, KnownHostsErrorKind); 6] = [
        ("host ssh-ed25519".into(), KnownHostsErrorKind::MissingFields),
        (format!("@bogus host ssh-ed25519 {K1}"), KnownHostsErrorKind::UnknownMarker("@bogus".into())),
        ("host ssh-ed25519 !!!!".into(), KnownHostsErrorKind::BadBase64),
        (
            format!("host ssh-rsa {K1}"),
            KnownHostsErrorKind::KeyTypeMismatch { field: "ssh-rsa".into(), blob: "ssh-ed25519".into() },
        ),
        (format!("|1|AAAA|AAAA ssh-ed25519 {K1}"), KnownHostsErrorKind::BadHash),
        (format!("[host:22 ssh-ed25519 {K1}"), KnownHostsErrorKind::BadHostPort("[host:22".into())),
    ];
    for (line, kind) in cases {
        let text = format!("# first\n{line}\n");
        assert_eq!(KnownHosts::parse(&text), Err(KnownHostsError { line: 2, kind }), "{line}");
    }
}
