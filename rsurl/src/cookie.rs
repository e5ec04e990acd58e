//! Cookies (RFC 6265): the jar behind `-b`, `-c` and `-j`, with curl's
//! Netscape file format.
//!
//! Entry points: [`Jar::store`] (a `Set-Cookie` value from a response),
//! [`Jar::header_for`] (the `Cookie:` value for a request),
//! [`Jar::load`] and [`Jar::to_netscape`]. Domain and path matching,
//! expiry (`Max-Age` over `Expires`), `Secure` (never stored from or sent
//! over plain HTTP), `HttpOnly`, and refusal of public-suffix domains
//! (by the embedded list in [`public_suffix`]) are
//! applied.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::url::{Host, Url};

mod public_suffix;

/// Most cookies a jar keeps (oldest dropped first).
const MAX_COOKIES: usize = 3000;
/// Longest `Set-Cookie` value considered (curl's limit is 8190 bytes).
const MAX_LINE: usize = 8190;

/// One stored cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cookie {
    name: String,
    value: String,
    /// Lower-case, without a leading dot.
    domain: String,
    /// True when the cookie had no `Domain` attribute (exact host only).
    host_only: bool,
    path: String,
    secure: bool,
    http_only: bool,
    /// Unix seconds; `None` for a session cookie.
    expires: Option<u64>,
}

/// Cookies collected during a command, in arrival order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Jar {
    cookies: Vec<Cookie>,
}

/// Seconds since the Unix epoch.
pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn default_path(url: &Url) -> String {
    let p = url.path();
    match p.rfind('/') {
        Some(0) | None => "/".to_owned(),
        Some(i) => p.get(..i).unwrap_or("/").to_owned(),
    }
}

fn domain_match(host: &str, domain: &str) -> bool {
    host == domain || (host.len() > domain.len() && host.ends_with(domain) && host.ends_with(&format!(".{domain}")))
}

/// Whether `s` holds a control byte (tab included).
fn has_control(s: &str) -> bool {
    s.bytes().any(|b| b < b' ' || b == 0x7f)
}

/// Whether `Secure` cookies may be stored from and sent to `url`: HTTPS,
/// or a loopback host (a potentially trustworthy origin, as curl and
/// browsers treat `localhost`).
fn secure_context(url: &Url) -> bool {
    let loopback = match url.host() {
        Some(Host::Name(n)) => n == "localhost" || n.ends_with(".localhost"),
        Some(Host::V4(a)) => a.is_loopback(),
        Some(Host::V6(a, _)) => a.is_loopback(),
        None => false,
    };
    url.scheme() == "https" || loopback
}

fn path_match(req: &str, cookie: &str) -> bool {
    req == cookie
        || (req.starts_with(cookie) && (cookie.ends_with('/') || req.as_bytes().get(cookie.len()) == Some(&b'/')))
}

impl Jar {
    /// Stores a `Set-Cookie` value received for `url` at time `now`.
    /// Invalid or refused cookies are ignored, as browsers and curl do.
    pub(crate) fn store(&mut self, url: &Url, line: &str, now: u64) {
        if line.len() > MAX_LINE {
            return;
        }
        let Some(host) = url.host() else { return };
        let host_name = host.connect_name();
        let mut parts = line.split(';');
        let Some((name, value)) = parts.next().and_then(|nv| nv.split_once('=')) else { return };
        let (name, value) = (name.trim(), value.trim());
        // Control bytes (tab included) are refused in names and values, as
        // curl does since CVE-2022-35252: they would corrupt the jar file.
        if name.is_empty()
            || name.bytes().any(|b| b <= b' ' || b == 0x7f)
            || value.bytes().any(|b| b < b' ' || b == 0x7f)
        {
            return;
        }
        let mut c = Cookie {
            name: name.to_owned(),
            value: value.to_owned(),
            domain: host_name.clone(),
            host_only: true,
            path: default_path(url),
            secure: false,
            http_only: false,
            expires: None,
        };
        let mut max_age = None;
        for attr in parts {
            let (k, v) = attr.split_once('=').map_or((attr.trim(), ""), |(k, v)| (k.trim(), v.trim()));
            match k.to_ascii_lowercase().as_str() {
                "domain" if !v.is_empty() => {
                    let d = v.trim_start_matches('.').to_ascii_lowercase();
                    let is_ip = !matches!(host, Host::Name(_));
                    // A domain must cover the request host, and must not be a
                    // public suffix unless it is the host itself.
                    if !domain_match(&host_name, &d)
                        || (d != host_name && (is_ip || public_suffix::is_public_suffix(&d)))
                    {
                        return;
                    }
                    c.host_only = d == host_name && is_ip;
                    if !is_ip {
                        c.host_only = false;
                    }
                    c.domain = d;
                }
                "path" if v.starts_with('/') => c.path = v.to_owned(),
                "secure" => c.secure = true,
                "httponly" => c.http_only = true,
                "max-age" => max_age = v.parse::<i64>().ok(),
                // Max-Age, applied after the loop, wins over Expires; an
                // unparsable date is ignored (RFC 6265 §5.2.1).
                "expires" => c.expires = crate::date::parse(v).or(c.expires),
                _ => {}
            }
        }
        if let Some(age) = max_age {
            c.expires = Some(if age <= 0 { 0 } else { now.saturating_add(age.unsigned_abs()) });
        }
        if has_control(&c.path) || has_control(&c.domain) {
            return;
        }
        if c.secure && !secure_context(url) {
            return;
        }
        let same = |o: &Cookie| o.name == c.name && o.domain == c.domain && o.path == c.path;
        if c.expires.is_some_and(|e| e <= now) {
            // An expired Set-Cookie deletes the cookie.
            self.cookies.retain(|o| !same(o));
            return;
        }
        // A replacement keeps its place (and so its age), as in curl.
        if let Some(old) = self.cookies.iter_mut().find(|o| same(o)) {
            *old = c;
            return;
        }
        if self.cookies.len() >= MAX_COOKIES {
            self.cookies.remove(0);
        }
        self.cookies.push(c);
    }

    /// The `Cookie:` value for a request to `url`, in curl's order:
    /// longer paths, then longer domains, then longer names first, then
    /// newer cookies first.
    pub(crate) fn header_for(&self, url: &Url, now: u64) -> Option<String> {
        let host = url.host()?.connect_name();
        let secure = secure_context(url);
        let mut matching: Vec<(usize, &Cookie)> = self
            .cookies
            .iter()
            .enumerate()
            .filter(|(_, c)| c.expires.is_none_or(|e| e > now))
            .filter(|(_, c)| if c.host_only { c.domain == host } else { domain_match(&host, &c.domain) })
            .filter(|(_, c)| path_match(url.path(), &c.path))
            .filter(|(_, c)| secure || !c.secure)
            .collect();
        matching.sort_by_key(|(i, c)| core::cmp::Reverse((c.path.len(), c.domain.len(), c.name.len(), *i)));
        let pairs: Vec<String> = matching.iter().map(|(_, c)| format!("{}={}", c.name, c.value)).collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// Reads a Netscape cookie file (tab-separated fields, `#HttpOnly_`
    /// prefix); other lines are skipped.
    pub(crate) fn load(&mut self, text: &str, now: u64) {
        // Lines count as arriving in file order, as curl reads them.
        let mut loaded = Vec::new();
        for line in text.lines() {
            let line = line.trim_end_matches('\r');
            let (line, http_only) = match line.strip_prefix("#HttpOnly_") {
                Some(rest) => (rest, true),
                None => (line, false),
            };
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if let [domain, sub, path, secure, expires, name, value] = f.as_slice() {
                let Ok(expires) = expires.parse::<u64>() else { continue };
                let domain = domain.trim_start_matches('.').to_ascii_lowercase();
                // Written back, a domain starting with '#' would read as a
                // comment line: such an entry is not a cookie.
                if domain.starts_with('#') {
                    continue;
                }
                let host_only = !sub.eq_ignore_ascii_case("TRUE");
                loaded.push(Cookie {
                    name: (*name).to_owned(),
                    value: (*value).to_owned(),
                    domain,
                    host_only,
                    path: (*path).to_owned(),
                    secure: secure.eq_ignore_ascii_case("TRUE"),
                    http_only,
                    expires: (expires != 0).then_some(expires),
                });
            }
        }
        self.cookies.extend(loaded);
        self.cookies.retain(|c| c.expires.is_none_or(|e| e > now));
    }

    /// Adds `other`'s cookies (a parallel transfer's jar): newer values
    /// replace older ones of the same name, domain and path.
    pub(crate) fn merge(&mut self, other: Jar) {
        for c in other.cookies {
            let same = |o: &Cookie| o.name == c.name && o.domain == c.domain && o.path == c.path;
            match self.cookies.iter_mut().find(|o| same(o)) {
                Some(old) => *old = c,
                None => self.cookies.push(c),
            }
        }
    }

    /// `-j`: forgets session cookies.
    pub(crate) fn discard_session(&mut self) {
        self.cookies.retain(|c| c.expires.is_some());
    }

    /// The jar in curl's Netscape format, newest first.
    pub(crate) fn to_netscape(&self, now: u64) -> String {
        let mut out = String::from(
            "# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n# This file was generated by libcurl! Edit at your own risk.\n\n",
        );
        for c in self.cookies.iter().rev().filter(|c| c.expires.is_none_or(|e| e > now)) {
            let prefix = if c.http_only { "#HttpOnly_" } else { "" };
            let (domain, sub) =
                if c.host_only { (c.domain.clone(), "FALSE") } else { (format!(".{}", c.domain), "TRUE") };
            let tf = |b: bool| if b { "TRUE" } else { "FALSE" };
            out.push_str(&format!(
                "{prefix}{domain}\t{sub}\t{}\t{}\t{}\t{}\t{}\n",
                c.path,
                tf(c.secure),
                c.expires.unwrap_or(0),
                c.name,
                c.value
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn store_and_send_with_domain_and_path_rules() {
        let mut j = Jar::default();
        let now = 1_000;
        let base = u("http://www.example.com/dir/page");
        j.store(&base, "a=1", now);
        j.store(&base, "b=2; Domain=.example.com; Path=/", now);
        j.store(&base, "c=3; Path=/dir/sub", now);
        j.store(&base, "bad=1; Domain=other.com", now);
        j.store(&base, "tld=1; Domain=com", now);
        j.store(&base, "sec=1; Secure", now);
        assert_eq!(j.header_for(&u("http://www.example.com/dir/x"), now).as_deref(), Some("a=1; b=2"));
        assert_eq!(j.header_for(&u("http://www.example.com/dir/sub/y"), now).as_deref(), Some("c=3; a=1; b=2"));
        assert_eq!(j.header_for(&u("http://www.example.com/dir/x"), now).as_deref(), Some("a=1; b=2"));
        j.store(&u("http://localhost/"), "loop=1; Secure", now);
        assert_eq!(j.header_for(&u("http://localhost/"), now).as_deref(), Some("loop=1"));
        assert_eq!(j.header_for(&u("http://api.example.com/"), now).as_deref(), Some("b=2"));
        assert_eq!(j.header_for(&u("http://other.com/"), now), None);
        assert_eq!(j.header_for(&u("http://www.example.com/directory"), now).as_deref(), Some("b=2"));
    }

    #[test]
    fn expiry_and_deletion() {
        let mut j = Jar::default();
        let url = u("http://h.test/");
        j.store(&url, "a=1; Max-Age=10", 100);
        j.store(&url, "b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT", 100);
        j.store(&url, "c=3", 100);
        // Same path, domain and name length: newest first, as curl sends.
        assert_eq!(j.header_for(&url, 105).as_deref(), Some("c=3; b=2; a=1"));
        assert_eq!(j.header_for(&url, 111).as_deref(), Some("c=3; b=2"));
        j.store(&url, "b=gone; Max-Age=0", 100);
        assert_eq!(j.header_for(&url, 105).as_deref(), Some("c=3; a=1"));
        j.discard_session();
        assert_eq!(j.header_for(&url, 105).as_deref(), Some("a=1"));
    }

    #[test]
    fn netscape_round_trip_matches_curl_layout() {
        let mut j = Jar::default();
        let url = u("http://127.0.0.1:8080/x");
        j.store(&url, "a=1; Path=/; HttpOnly", 5);
        j.store(&url, "b=2; Domain=127.0.0.1; Expires=Wed, 21 Oct 2037 07:28:00 GMT", 5);
        let text = j.to_netscape(5);
        assert!(text.ends_with(
            "127.0.0.1\tFALSE\t/\tFALSE\t2139722880\tb\t2\n#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\ta\t1\n"
        ));
        let mut again = Jar::default();
        again.load(&text, 5);
        // Lines load in file order, so a round trip reverses them (as curl).
        let reversed = again.to_netscape(5);
        assert!(reversed.ends_with("0\ta\t1\n127.0.0.1\tFALSE\t/\tFALSE\t2139722880\tb\t2\n"), "{reversed}");
        let mut named = Jar::default();
        named.store(&u("http://www.example.com/"), "n=1; Domain=example.com", 5);
        assert!(named.to_netscape(5).ends_with(".example.com\tTRUE\t/\tFALSE\t0\tn\t1\n"));
    }
}
