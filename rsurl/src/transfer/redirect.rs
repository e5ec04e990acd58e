//! Redirect rules: which method and body the next request carries and
//! whether credentials may follow (curl's documented `-L` behaviour).
//!
//! Entry points: [`first_hop`] and [`next_hop`]. Pure functions, so the
//! rules are tested without a network.

use super::{Body, Hop, Spec};
use crate::url::Url;

/// The request a transfer starts with.
pub(crate) fn first_hop(spec: &Spec) -> Hop {
    let natural = if spec.head_only {
        "HEAD"
    } else {
        match spec.body {
            Body::None => "GET",
            Body::Upload(_) | Body::UploadStream(_) => "PUT",
            _ => "POST",
        }
    };
    Hop {
        url: spec.url.clone(),
        method: spec.custom_method.clone().unwrap_or_else(|| natural.to_owned()),
        send_body: !matches!(spec.body, Body::None),
        send_auth: true,
        authorization: None,
        proxy: spec.routing.proxy_for(&spec.url),
    }
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_default() == b.port_or_default()
}

/// The request after a `status` redirect to `url`: 303 turns anything but
/// HEAD into GET, 301/302 turn POST into GET (both drop the body), 307 and
/// 308 repeat the request unchanged. A `-X` method is kept on every hop,
/// as curl does. Credentials go only to the original origin unless
/// `--location-trusted`.
pub(crate) fn next_hop(spec: &Spec, prev: &Hop, status: u16, url: Url) -> Hop {
    let natural = first_hop(spec).method;
    let current = if spec.custom_method.is_some() { natural.clone() } else { prev.method.clone() };
    let keep_post = |i: usize| current == "POST" && spec.post30x.get(i).copied().unwrap_or(false);
    let (method, send_body) = match status {
        303 if current != "HEAD" && !keep_post(2) => ("GET".to_owned(), false),
        301 | 302 if current == "POST" && !keep_post(usize::from(status - 301)) => ("GET".to_owned(), false),
        _ => (current, prev.send_body),
    };
    let method = spec.custom_method.clone().unwrap_or(method);
    let send_auth = prev.send_auth && (spec.location_trusted || same_origin(&spec.url, &url));
    let proxy = spec.routing.proxy_for(&url);
    Hop { url, method, send_body, send_auth, authorization: None, proxy }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(body: Body) -> Spec {
        let mut s = Spec::new(Url::parse("http://a.test/x").unwrap());
        s.body = body;
        s
    }

    #[test]
    fn method_rules() {
        let s = spec(Body::Bytes(b"d".to_vec()));
        let h = first_hop(&s);
        assert_eq!((h.method.as_str(), h.send_body), ("POST", true));
        let u = Url::parse("http://a.test/y").unwrap();
        for (status, method, body) in
            [(301, "GET", false), (302, "GET", false), (303, "GET", false), (307, "POST", true), (308, "POST", true)]
        {
            let n = next_hop(&s, &h, status, u.clone());
            assert_eq!((n.method.as_str(), n.send_body), (method, body), "status {status}");
        }
        let put = spec(Body::Upload("f".into()));
        let h = first_hop(&put);
        assert_eq!(next_hop(&put, &h, 302, u.clone()).method, "PUT");
        assert_eq!(next_hop(&put, &h, 303, u.clone()).method, "GET");
        let mut head = spec(Body::None);
        head.head_only = true;
        assert_eq!(next_hop(&head, &first_hop(&head), 303, u.clone()).method, "HEAD");
        let mut custom = spec(Body::Bytes(b"d".to_vec()));
        custom.custom_method = Some("POST".into());
        let n = next_hop(&custom, &first_hop(&custom), 302, u);
        assert_eq!((n.method.as_str(), n.send_body), ("POST", false));
    }

    #[test]
    fn post30x_flags_keep_post() {
        let mut s = spec(Body::Bytes(b"d".to_vec()));
        s.post30x = [true, false, true];
        let h = first_hop(&s);
        let u = Url::parse("http://a.test/y").unwrap();
        assert_eq!(next_hop(&s, &h, 301, u.clone()).method, "POST");
        assert_eq!(next_hop(&s, &h, 302, u.clone()).method, "GET");
        let n = next_hop(&s, &h, 303, u);
        assert_eq!((n.method.as_str(), n.send_body), ("POST", true));
    }

    #[test]
    fn credentials_stay_on_the_original_origin() {
        let mut s = spec(Body::None);
        let h = first_hop(&s);
        let same = next_hop(&s, &h, 302, Url::parse("http://a.test/z").unwrap());
        assert!(same.send_auth);
        let other = next_hop(&s, &h, 302, Url::parse("http://b.test/z").unwrap());
        assert!(!other.send_auth);
        let port = next_hop(&s, &h, 302, Url::parse("http://a.test:81/z").unwrap());
        assert!(!port.send_auth);
        // Once dropped, never regained on the way back.
        assert!(!next_hop(&s, &other, 302, Url::parse("http://a.test/").unwrap()).send_auth);
        s.location_trusted = true;
        assert!(next_hop(&s, &h, 302, Url::parse("http://b.test/z").unwrap()).send_auth);
    }
}
