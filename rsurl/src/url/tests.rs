//! URL parser and resolver tests.

use super::*;

fn p(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn full_url_parts() {
    let u = p("HTTP://User:P%3aw@Example.com:8080/a/./b/../c?x=1#frag");
    assert_eq!(u.scheme(), "http");
    assert_eq!(u.user(), Some("User"));
    assert_eq!(u.password(), Some("P%3Aw"));
    assert_eq!(u.host(), Some(&Host::Name("example.com".into())));
    assert_eq!(u.port_or_default(), 8080);
    assert_eq!(u.request_target(), "/a/c?x=1");
    assert_eq!(u.host_header(), "example.com:8080");
    assert_eq!(u.to_string(), "http://User:P%3Aw@example.com:8080/a/c?x=1");
}

#[test]
fn scheme_less_urls_are_guessed() {
    assert_eq!(p("example.com").to_string(), "http://example.com/");
    assert_eq!(p("ftp.example.com/x").scheme(), "ftp");
    assert_eq!(p("127.0.0.1:99/x").port_or_default(), 99);
    assert_eq!(p("http://h").host_header(), "h");
    assert_eq!(p("http://h:80").host_header(), "h");
}

#[test]
fn ipv6_and_ports() {
    let u = p("http://[fe80::1%25eth0]:81/");
    assert_eq!(u.host_header(), "[fe80::1]:81");
    assert_eq!(u.to_string(), "http://[fe80::1%25eth0]:81/");
    assert_eq!(p("http://[::1]/").port_or_default(), 80);
    assert_eq!(Url::parse("http://h:99999/"), Err(UrlError::BadPort));
    assert_eq!(Url::parse("http://h:8x/"), Err(UrlError::BadPort));
    assert_eq!(Url::parse("http://[::1]x/"), Err(UrlError::BadPort));
    assert_eq!(Url::parse("http:///x"), Err(UrlError::NoHost));
    assert_eq!(Url::parse(""), Err(UrlError::NoHost));
    assert_eq!(Url::parse("ht+tp!://x/"), Err(UrlError::BadScheme));
}

#[test]
fn crlf_and_controls_are_refused() {
    assert!(matches!(Url::parse("http://h/a\r\nX: y"), Err(UrlError::ForbiddenByte { byte: b'\r', .. })));
    assert!(matches!(Url::parse("http://h/\0"), Err(UrlError::ForbiddenByte { byte: 0, .. })));
    assert!(matches!(Url::parse("http://h/a b"), Err(UrlError::ForbiddenByte { byte: b' ', .. })));
    assert_eq!(p("http://h/a\u{e9}").request_target(), "/a%C3%A9");
}

#[test]
fn host_with_space_is_refused() {
    assert!(Url::parse("http://a b/").is_err());
}

#[test]
fn relative_resolution_rfc3986_examples() {
    // RFC 3986 §5.4.1 normal examples.
    let base = p("http://a/b/c/d;p?q");
    let cases = [
        ("g", "http://a/b/c/g"),
        ("./g", "http://a/b/c/g"),
        ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"),
        ("//g", "http://g/"),
        ("?y", "http://a/b/c/d;p?y"),
        ("g?y", "http://a/b/c/g?y"),
        ("", "http://a/b/c/d;p?q"),
        (".", "http://a/b/c/"),
        ("./", "http://a/b/c/"),
        ("..", "http://a/b/"),
        ("../", "http://a/b/"),
        ("../g", "http://a/b/g"),
        ("../..", "http://a/"),
        ("../../g", "http://a/g"),
        ("../../../g", "http://a/g"),
        ("/./g", "http://a/g"),
        ("g.", "http://a/b/c/g."),
        ("g;x=1/../y", "http://a/b/c/y"),
        ("https://other:8443/z", "https://other:8443/z"),
    ];
    for (r, want) in cases {
        assert_eq!(base.join(r).unwrap().to_string(), want, "reference {r:?}");
    }
    assert_eq!(base.join("a b").unwrap().request_target(), "/b/c/a%20b");
    assert!(base.join("x\ny").is_err());
}

#[test]
fn file_urls_and_names() {
    let u = p("file:///tmp/a%20b.txt");
    assert!(u.host().is_none());
    assert_eq!(u.path(), "/tmp/a%20b.txt");
    assert_eq!(u.file_name(), "a b.txt");
    assert_eq!(p("http://h/").file_name(), "");
}
