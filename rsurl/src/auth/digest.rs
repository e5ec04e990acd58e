//! HTTP Digest access authentication (RFC 7616, and the RFC 2069 form
//! without `qop`), answered the way curl answers it.
//!
//! Entry point: [`respond`]. Algorithms MD5, SHA-256 and SHA-512-256,
//! each also in its `-sess` form; `qop=auth` (`auth-int` alone is not
//! answered, as in curl); `userhash`. The client nonce is 16 random bytes
//! as hex, base64-encoded: curl's shape.

use purecrypto::hash::HashAlgorithm;

use super::challenge::Challenge;
use super::hex;

/// What the digest covers from the request being answered.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    pub(crate) user: &'a str,
    pub(crate) password: &'a str,
    pub(crate) method: &'a str,
    /// The request target as sent (`/path?query`).
    pub(crate) uri: &'a str,
}

/// Quotes `s` for a header parameter, escaping `"` and `\`.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The hash named by a challenge's `algorithm` (default MD5) and whether
/// it is the `-sess` variant; `None` for algorithms we do not answer.
fn algorithm(name: Option<&str>) -> Option<(HashAlgorithm, bool)> {
    let name = name.unwrap_or("MD5");
    let (base, sess) = match name.len().checked_sub(5).and_then(|i| name.get(i..)) {
        Some(tail) if tail.eq_ignore_ascii_case("-sess") => (name.get(..name.len() - 5)?, true),
        _ => (name, false),
    };
    let hash =
        [("MD5", HashAlgorithm::Md5), ("SHA-256", HashAlgorithm::Sha256), ("SHA-512-256", HashAlgorithm::Sha512_256)]
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(base))?
            .1;
    Some((hash, sess))
}

/// The digest computation with every input explicit, so the RFC examples
/// can be checked with their fixed client nonces.
pub(crate) fn response_with_cnonce(challenge: &Challenge, request: &Request<'_>, cnonce: &str) -> Option<String> {
    let realm = challenge.param("realm").unwrap_or_default();
    let nonce = challenge.param("nonce")?;
    let (hash, sess) = algorithm(challenge.param("algorithm"))?;
    let h = |s: &str| hex(&hash.hash(s.as_bytes()));
    let qop = match challenge.param("qop") {
        None => None,
        Some(list) if list.split(',').any(|q| q.trim().eq_ignore_ascii_case("auth")) => Some("auth"),
        Some(_) => return None,
    };
    let userhash = challenge.param("userhash").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let nc = "00000001";
    let mut ha1 = h(&format!("{}:{realm}:{}", request.user, request.password));
    if sess {
        ha1 = h(&format!("{ha1}:{nonce}:{cnonce}"));
    }
    let ha2 = h(&format!("{}:{}", request.method, request.uri));
    let response = match qop {
        Some(q) => h(&format!("{ha1}:{nonce}:{nc}:{cnonce}:{q}:{ha2}")),
        None => h(&format!("{ha1}:{nonce}:{ha2}")),
    };
    let username = if userhash { h(&format!("{}:{realm}", request.user)) } else { request.user.to_owned() };
    let mut out = format!(
        "Digest username={}, realm={}, nonce={}, uri={}",
        quoted(&username),
        quoted(realm),
        quoted(nonce),
        quoted(request.uri)
    );
    if let Some(q) = qop {
        out.push_str(&format!(", cnonce={}, nc={nc}, qop={q}", quoted(cnonce)));
    }
    out.push_str(&format!(", response={}", quoted(&response)));
    if let Some(opaque) = challenge.param("opaque") {
        out.push_str(&format!(", opaque={}", quoted(opaque)));
    }
    if let Some(alg) = challenge.param("algorithm") {
        out.push_str(&format!(", algorithm={alg}"));
    }
    if userhash {
        out.push_str(", userhash=true");
    }
    Some(out)
}

/// The `Authorization` value answering a Digest `challenge`, or `None`
/// when it lacks a nonce or asks for what we do not implement.
pub(crate) fn respond(challenge: &Challenge, request: &Request<'_>, rng: &mut dyn FnMut(&mut [u8])) -> Option<String> {
    let mut raw = [0u8; 16];
    rng(&mut raw);
    let cnonce = crate::base64::encode(hex(&raw).as_bytes());
    response_with_cnonce(challenge, request, &cnonce)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::challenge::parse;

    fn field<'a>(header: &'a str, name: &str) -> &'a str {
        let start = header.find(&format!("{name}=")).unwrap() + name.len() + 1;
        let rest = &header[start..];
        let rest = rest.strip_prefix('"').unwrap_or(rest);
        &rest[..rest.find(['"', ',']).unwrap_or(rest.len())]
    }

    /// RFC 2617 section 3.5 (MD5, qop=auth).
    #[test]
    fn rfc2617_example() {
        let c = &parse([
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        ])[0];
        let req = Request { user: "Mufasa", password: "Circle Of Life", method: "GET", uri: "/dir/index.html" };
        let v = response_with_cnonce(c, &req, "0a4f113b").unwrap();
        assert_eq!(field(&v, "response"), "6629fae49393a05397450978507c4ef1");
        assert!(v.starts_with(r#"Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", cnonce="0a4f113b", nc=00000001, qop=auth, response=""#));
        assert!(v.ends_with(r#"opaque="5ccc069c403ebaf9f0171e9517f40e41""#));
    }

    /// RFC 7616 section 3.9.1 (SHA-256 and MD5 with the same inputs).
    #[test]
    fn rfc7616_examples() {
        let chal = |alg: &str| {
            parse([format!(
                r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={alg}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#
            )
            .as_str()])
            .remove(0)
        };
        let req = Request { user: "Mufasa", password: "Circle of Life", method: "GET", uri: "/dir/index.html" };
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let sha = response_with_cnonce(&chal("SHA-256"), &req, cnonce).unwrap();
        assert_eq!(field(&sha, "response"), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
        assert!(sha.contains(", algorithm=SHA-256"));
        let md5 = response_with_cnonce(&chal("MD5"), &req, cnonce).unwrap();
        assert_eq!(field(&md5, "response"), "8ca523f5e9506fed4657c9700eebdbec");
    }

    #[test]
    fn rfc2069_form_without_qop_and_unsupported_choices() {
        let c = &parse([r#"Digest realm="r", nonce="abc""#])[0];
        let req = Request { user: "Mufasa", password: "Circle of Life", method: "GET", uri: "/x" };
        // curl 7.88 answers this challenge with exactly these fields.
        assert_eq!(
            response_with_cnonce(c, &req, "unused").unwrap(),
            r#"Digest username="Mufasa", realm="r", nonce="abc", uri="/x", response="d2bafd4dd07a93c6ccb4dc68edf9d091""#
        );
        assert!(
            response_with_cnonce(&parse([r#"Digest realm="r", nonce="n", qop="auth-int""#])[0], &req, "c").is_none()
        );
        assert!(
            response_with_cnonce(&parse([r#"Digest realm="r", nonce="n", algorithm=SHA-1"#])[0], &req, "c").is_none()
        );
        assert!(response_with_cnonce(&parse([r#"Digest realm="r""#])[0], &req, "c").is_none());
    }

    #[test]
    fn userhash_and_sess_variants() {
        let c = &parse([r#"Digest realm="r", nonce="abc", algorithm=SHA-256, qop="auth", userhash=true"#])[0];
        let req = Request { user: "Mufasa", password: "Circle of Life", method: "GET", uri: "/x" };
        let v = response_with_cnonce(c, &req, "c").unwrap();
        // The user hash is SHA-256("Mufasa:r"), as curl 7.88 sent it.
        assert_eq!(field(&v, "username"), "8ec3e1d647d8bd2ae7115a19b5155727c083dd356e9e6fa526b1188461f18acf");
        assert!(v.ends_with(", algorithm=SHA-256, userhash=true"));
        let s = &parse([r#"Digest realm="r", nonce="abc", algorithm="MD5-sess", qop="auth""#])[0];
        assert!(response_with_cnonce(s, &req, "c").unwrap().ends_with(", algorithm=MD5-sess"));
    }

    #[test]
    fn cnonce_has_curls_shape() {
        let c = &parse([r#"Digest realm="r", nonce="n", qop=auth"#])[0];
        let req = Request { user: "u", password: "p", method: "GET", uri: "/" };
        let v = respond(c, &req, &mut |b: &mut [u8]| b.fill(0xab)).unwrap();
        assert_eq!(field(&v, "cnonce"), crate::base64::encode("ab".repeat(16).as_bytes()));
    }
}
