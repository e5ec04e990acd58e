//! The proxy options of the easy handle (`CURLOPT_PROXY`, `PROXYPORT`,
//! `PROXYTYPE`, the proxy credentials, `NOPROXY`, `HTTPPROXYTUNNEL`,
//! `PROXYHEADER` and the `PROXY_*` TLS options) and how libcurl turns
//! them into the proxy a transfer uses.
//!
//! Entry points: [`set`] stores one option, [`ProxyOptions::apply`]
//! fills the engine's routing at perform time. As in libcurl, a scheme
//! in the proxy string (`socks5h://host:port`) wins over
//! `CURLOPT_PROXYTYPE` (an explicit `http://` keeps it), the port in the
//! string wins over `CURLOPT_PROXYPORT`, credentials in the string win
//! over `CURLOPT_PROXYUSERPWD`, and with no `CURLOPT_PROXY` at all the
//! `*_proxy` / `NO_PROXY` environment variables apply.

use core::ffi::{c_int, c_long, c_void};

use super::{CURLE_BAD_FUNCTION_ARGUMENT, CURLE_OK, CurlCode};
use crate::conn::Routing;
use crate::conn::proxy::{self, Proxy};
use crate::conn::tls::TlsOptions;
use crate::conn::tls::client_cert::Passphrase;
use crate::error::Error;

pub(super) const PROXY: c_int = 10_004;
pub(super) const PROXYUSERPWD: c_int = 10_006;
pub(super) const PROXYPORT: c_int = 59;
pub(super) const HTTPPROXYTUNNEL: c_int = 61;
pub(super) const PROXYTYPE: c_int = 101;
pub(super) const PROXYUSERNAME: c_int = 10_175;
pub(super) const PROXYPASSWORD: c_int = 10_176;
pub(super) const NOPROXY: c_int = 10_177;
pub(super) const PROXYHEADER: c_int = 10_228;
pub(super) const PROXY_CAINFO: c_int = 10_246;
pub(super) const PROXY_CAPATH: c_int = 10_247;
pub(super) const PROXY_SSL_VERIFYPEER: c_int = 248;
pub(super) const PROXY_SSL_VERIFYHOST: c_int = 249;
pub(super) const PROXY_SSLCERT: c_int = 10_254;
pub(super) const PROXY_SSLCERTTYPE: c_int = 10_255;
pub(super) const PROXY_SSLKEY: c_int = 10_256;
pub(super) const PROXY_SSLKEYTYPE: c_int = 10_257;
pub(super) const PROXY_KEYPASSWD: c_int = 10_258;
pub(super) const PROXY_SSL_CIPHER_LIST: c_int = 10_259;
pub(super) const PROXY_PINNEDPUBLICKEY: c_int = 10_263;
pub(super) const PROXY_TLS13_CIPHERS: c_int = 10_277;

/// `curl_proxytype` values for `CURLOPT_PROXYTYPE`.
const CURLPROXY_HTTP: c_long = 0;
const CURLPROXY_HTTP_1_0: c_long = 1;
const CURLPROXY_HTTPS: c_long = 2;
/// `CURLPROXY_HTTPS2` (libcurl 8.2): HTTP/2 to the proxy, not built here.
const CURLPROXY_HTTPS2: c_long = 3;
const CURLPROXY_SOCKS4: c_long = 4;
const CURLPROXY_SOCKS5: c_long = 5;
const CURLPROXY_SOCKS4A: c_long = 6;
const CURLPROXY_SOCKS5_HOSTNAME: c_long = 7;

const CURLE_NOT_BUILT_IN: CurlCode = 4;
const CURLE_COULDNT_CONNECT: CurlCode = 7;

/// The proxy options as set.
#[derive(Debug)]
pub(super) struct ProxyOptions {
    /// `CURLOPT_PROXY`: `None` reads the environment, `""` means none.
    pub(super) url: Option<String>,
    /// `CURLOPT_PROXYPORT` (0: unset).
    pub(super) port: u16,
    /// `CURLOPT_PROXYTYPE`, one of the `CURLPROXY_*` values above.
    pub(super) kind: c_long,
    /// `CURLOPT_PROXYUSERNAME` (or the user part of `PROXYUSERPWD`).
    pub(super) user: Option<String>,
    /// `CURLOPT_PROXYPASSWORD` (or the password part of `PROXYUSERPWD`).
    pub(super) password: Option<String>,
    /// `CURLOPT_NOPROXY`: `None` reads `NO_PROXY`.
    pub(super) noproxy: Option<String>,
    /// `CURLOPT_HTTPPROXYTUNNEL`.
    pub(super) tunnel: bool,
    /// `CURLOPT_PROXYHEADER`: the caller's list, read at perform time.
    pub(super) headers: *const super::CurlSlist,
    /// The `CURLOPT_PROXY_*` TLS options, for an HTTPS proxy.
    pub(super) tls: TlsOptions,
}

impl Default for ProxyOptions {
    fn default() -> Self {
        Self {
            url: None,
            port: 0,
            kind: CURLPROXY_HTTP,
            user: None,
            password: None,
            noproxy: None,
            tunnel: false,
            headers: core::ptr::null(),
            tls: TlsOptions::default(),
        }
    }
}

/// Stores one proxy option; `None` when `option` is not one.
///
/// # Safety
/// `value` is what libcurl documents for `option`.
pub(super) unsafe fn set(o: &mut ProxyOptions, option: c_int, value: *mut c_void) -> Option<CurlCode> {
    let long = value as usize as i64;
    let flag = long != 0;
    // SAFETY: called only in the arms of string options, whose argument
    // libcurl documents as NULL or a NUL-terminated string.
    let text = || unsafe { super::options::string(value) };
    match option {
        PROXY => o.url = text(),
        PROXYPORT => match u16::try_from(long) {
            Ok(p) => o.port = p,
            Err(_) => return Some(CURLE_BAD_FUNCTION_ARGUMENT),
        },
        PROXYTYPE => match c_long::try_from(long) {
            Ok(CURLPROXY_HTTPS2) => return Some(CURLE_NOT_BUILT_IN),
            Ok(k @ CURLPROXY_HTTP..=CURLPROXY_SOCKS5_HOSTNAME) => o.kind = k,
            _ => return Some(CURLE_BAD_FUNCTION_ARGUMENT),
        },
        // "user:password", split at the first colon; NULL clears both.
        PROXYUSERPWD => match text() {
            Some(t) => {
                let (user, pass) = match t.split_once(':') {
                    Some((u, p)) => (u.to_owned(), Some(p.to_owned())),
                    None => (t, None),
                };
                o.user = Some(user);
                o.password = pass;
            }
            None => (o.user, o.password) = (None, None),
        },
        PROXYUSERNAME => o.user = text(),
        PROXYPASSWORD => o.password = text(),
        NOPROXY => o.noproxy = text(),
        HTTPPROXYTUNNEL => o.tunnel = flag,
        PROXYHEADER => o.headers = value.cast_const().cast(),
        PROXY_CAINFO => o.tls.ca_file = text().map(Into::into),
        PROXY_CAPATH => o.tls.ca_path = text().map(Into::into),
        PROXY_SSL_VERIFYPEER => o.tls.verify_peer = flag,
        // As CURLOPT_SSL_VERIFYHOST: any non-zero value checks the name.
        PROXY_SSL_VERIFYHOST => o.tls.verify_host = flag,
        PROXY_SSLCERT => o.tls.client_cert.cert = text().map(Into::into),
        PROXY_SSLCERTTYPE => o.tls.client_cert.cert_type = text(),
        PROXY_SSLKEY => o.tls.client_cert.key = text().map(Into::into),
        PROXY_SSLKEYTYPE => o.tls.client_cert.key_type = text(),
        PROXY_KEYPASSWD => o.tls.client_cert.pass = text().map(|p| Passphrase::new(&p)),
        PROXY_SSL_CIPHER_LIST => o.tls.ciphers = text(),
        PROXY_TLS13_CIPHERS => o.tls.tls13_ciphers = text(),
        PROXY_PINNEDPUBLICKEY => o.tls.pinned_key = text(),
        _ => return None,
    }
    Some(CURLE_OK)
}

impl ProxyOptions {
    /// The scheme `CURLOPT_PROXYTYPE` gives a proxy string without one.
    fn scheme(&self) -> &'static str {
        match self.kind {
            CURLPROXY_HTTPS => "https",
            CURLPROXY_SOCKS4 => "socks4",
            CURLPROXY_SOCKS5 => "socks5",
            CURLPROXY_SOCKS4A => "socks4a",
            CURLPROXY_SOCKS5_HOSTNAME => "socks5h",
            _ => "http",
        }
    }

    /// One proxy string as libcurl reads it, with the handle's type,
    /// port, credentials, tunnel flag and proxy headers.
    ///
    /// # Errors
    /// [`Error::UnsupportedProtocol`] for a scheme libcurl rejects,
    /// [`Error::ResolveProxy`] for an empty host or a bad port.
    pub(super) fn build(&self, text: &str, headers: &[(String, Option<String>)]) -> Result<Proxy, Error> {
        // An explicit `http://` leaves CURLOPT_PROXYTYPE in charge.
        let spec = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => format!("{}://{rest}", self.scheme()),
            Some(_) => text.to_owned(),
            None => format!("{}://{text}", self.scheme()),
        };
        let mut p = Proxy::parse_with_port(&spec, (self.port != 0).then_some(self.port))?;
        p.tunnel = self.tunnel;
        p.connect_http10 = self.kind == CURLPROXY_HTTP_1_0 && p.kind == proxy::ProxyKind::Http && !p.tls;
        if p.credentials.is_none() {
            if let Some(user) = &self.user {
                p.credentials = Some((user.clone(), self.password.clone().unwrap_or_default()));
            }
        }
        p.headers = headers.to_vec();
        Ok(p)
    }

    /// Fills `routing`'s proxy fields for one perform.
    ///
    /// # Errors
    /// The `CURLcode` of a proxy string libcurl would refuse.
    pub(super) fn apply(&self, routing: &mut Routing, headers: &[(String, Option<String>)]) -> Result<(), CurlCode> {
        let build = |text: &str| {
            self.build(text, headers).map_err(|e| match e {
                // libcurl: "Unsupported proxy scheme", CURLE_COULDNT_CONNECT.
                Error::UnsupportedProtocol(_) => CURLE_COULDNT_CONNECT,
                other => CurlCode::from(other.exit_code().get()),
            })
        };
        routing.proxy = match self.url.as_deref() {
            None | Some("") => None,
            Some(text) => Some(build(text)?),
        };
        routing.env_proxies = match self.url {
            Some(_) => Vec::new(),
            None => proxy::env_proxies()
                .into_iter()
                .map(|(scheme, text)| Ok((scheme, build(&text)?)))
                .collect::<Result<_, CurlCode>>()?,
        };
        routing.no_proxy = self.noproxy.clone().or_else(|| proxy::env_var(&["no_proxy", "NO_PROXY"]));
        routing.proxy_tls.clone_from(&self.tls);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::proxy::ProxyKind;

    fn opts(pairs: &[(c_int, &str)], longs: &[(c_int, i64)]) -> (ProxyOptions, Vec<CurlCode>) {
        let mut o = ProxyOptions::default();
        let mut codes = Vec::new();
        let owned: Vec<std::ffi::CString> = pairs.iter().map(|(_, t)| std::ffi::CString::new(*t).unwrap()).collect();
        for ((opt, _), c) in pairs.iter().zip(&owned) {
            // SAFETY: a NUL-terminated string for a string option.
            codes.push(unsafe { set(&mut o, *opt, c.as_ptr().cast_mut().cast()) }.unwrap());
        }
        for (opt, v) in longs {
            // SAFETY: a long option gets a long.
            codes.push(unsafe { set(&mut o, *opt, *v as usize as *mut c_void) }.unwrap());
        }
        (o, codes)
    }

    #[test]
    fn scheme_in_the_string_wins_over_the_type() {
        let (o, codes) = opts(&[(PROXY, "socks5h://proxy.test:9")], &[(PROXYTYPE, CURLPROXY_SOCKS4)]);
        assert_eq!(codes, [CURLE_OK, CURLE_OK]);
        let p = o.build(o.url.as_deref().unwrap(), &[]).unwrap();
        assert_eq!((p.kind, p.host.as_str(), p.port), (ProxyKind::Socks5 { remote_dns: true }, "proxy.test", 9));
        // Without a scheme the type decides, and so does PROXYPORT.
        for (kind, want, tls) in [
            (CURLPROXY_HTTP, ProxyKind::Http, false),
            (CURLPROXY_HTTP_1_0, ProxyKind::Http, false),
            (CURLPROXY_HTTPS, ProxyKind::Http, true),
            (CURLPROXY_SOCKS4, ProxyKind::Socks4 { remote_dns: false }, false),
            (CURLPROXY_SOCKS4A, ProxyKind::Socks4 { remote_dns: true }, false),
            (CURLPROXY_SOCKS5, ProxyKind::Socks5 { remote_dns: false }, false),
            (CURLPROXY_SOCKS5_HOSTNAME, ProxyKind::Socks5 { remote_dns: true }, false),
        ] {
            let (o, _) = opts(&[], &[(PROXYTYPE, kind), (PROXYPORT, 3128)]);
            let p = o.build("proxy.test", &[]).unwrap();
            assert_eq!((p.kind, p.tls, p.port, p.connect_http10), (want, tls, 3128, kind == CURLPROXY_HTTP_1_0));
            // An explicit `http://` keeps the type; a port in the string wins.
            let p = o.build("http://proxy.test:8080", &[]).unwrap();
            assert_eq!((p.kind, p.tls, p.port), (want, tls, 8080), "{kind}");
        }
        // Default ports: 1080, or 443 for an HTTPS proxy.
        let (o, _) = opts(&[], &[(PROXYTYPE, CURLPROXY_HTTPS)]);
        assert_eq!(o.build("proxy.test", &[]).unwrap().port, 443);
        assert_eq!(ProxyOptions::default().build("proxy.test", &[]).unwrap().port, 1080);
        assert_eq!(o.build("socks://p", &[]).unwrap().kind, ProxyKind::Socks4 { remote_dns: false });
    }

    #[test]
    fn credentials_tunnel_and_headers() {
        let (o, _) = opts(&[(PROXYUSERPWD, "bob:s:cret")], &[(HTTPPROXYTUNNEL, 1)]);
        let hdr = [("X-Proxy".to_owned(), Some("1".to_owned()))];
        let p = o.build("proxy.test", &hdr).unwrap();
        assert_eq!(p.credentials, Some(("bob".into(), "s:cret".into())));
        assert!(p.tunnel);
        assert_eq!(p.headers, hdr);
        // Credentials in the string win.
        let p = o.build("http://amy:pw@proxy.test", &[]).unwrap();
        assert_eq!(p.credentials, Some(("amy".into(), "pw".into())));
        // PROXYUSERNAME / PROXYPASSWORD separately; a password alone is
        // not used; no colon means an empty password.
        let (o, _) = opts(&[(PROXYUSERNAME, "u"), (PROXYPASSWORD, "p")], &[]);
        assert_eq!(o.build("h", &[]).unwrap().credentials, Some(("u".into(), "p".into())));
        let (o, _) = opts(&[(PROXYPASSWORD, "p")], &[]);
        assert_eq!(o.build("h", &[]).unwrap().credentials, None);
        let (o, _) = opts(&[(PROXYUSERPWD, "solo")], &[]);
        assert_eq!(o.build("h", &[]).unwrap().credentials, Some(("solo".into(), String::new())));
    }

    #[test]
    fn bad_values_are_refused_and_unknown_options_passed_on() {
        for (opt, v, want) in [
            (PROXYTYPE, -1, CURLE_BAD_FUNCTION_ARGUMENT),
            (PROXYTYPE, 8, CURLE_BAD_FUNCTION_ARGUMENT),
            (PROXYTYPE, CURLPROXY_HTTPS2, CURLE_NOT_BUILT_IN),
            (PROXYPORT, -1, CURLE_BAD_FUNCTION_ARGUMENT),
            (PROXYPORT, 65_536, CURLE_BAD_FUNCTION_ARGUMENT),
            (PROXYPORT, 65_535, CURLE_OK),
        ] {
            assert_eq!(opts(&[], &[(opt, v)]).1, [want], "{opt} {v}");
        }
        let mut o = ProxyOptions::default();
        // SAFETY: the value is never read for an option that is not ours.
        assert_eq!(unsafe { set(&mut o, 10_002, core::ptr::null_mut()) }, None);
    }

    #[test]
    fn tls_options_go_to_the_proxy() {
        let (o, codes) = opts(
            &[
                (PROXY_CAINFO, "/ca.pem"),
                (PROXY_CAPATH, "/certs"),
                (PROXY_SSLCERT, "/c.pem"),
                (PROXY_SSLCERTTYPE, "DER"),
                (PROXY_SSLKEY, "/k.pem"),
                (PROXY_SSLKEYTYPE, "PEM"),
                (PROXY_KEYPASSWD, "pw"),
                (PROXY_SSL_CIPHER_LIST, "ECDHE-RSA-AES128-GCM-SHA256"),
                (PROXY_TLS13_CIPHERS, "TLS_AES_128_GCM_SHA256"),
                (PROXY_PINNEDPUBLICKEY, "sha256//AAAA"),
            ],
            &[(PROXY_SSL_VERIFYPEER, 0), (PROXY_SSL_VERIFYHOST, 0)],
        );
        assert!(codes.iter().all(|&c| c == CURLE_OK));
        let t = &o.tls;
        assert_eq!(t.ca_file.as_deref(), Some(std::path::Path::new("/ca.pem")));
        assert_eq!(t.ca_path.as_deref(), Some(std::path::Path::new("/certs")));
        assert_eq!(t.client_cert.cert.as_deref(), Some(std::path::Path::new("/c.pem")));
        assert_eq!(t.client_cert.key.as_deref(), Some(std::path::Path::new("/k.pem")));
        assert_eq!((t.client_cert.cert_type.as_deref(), t.client_cert.key_type.as_deref()), (Some("DER"), Some("PEM")));
        assert!(t.client_cert.pass.is_some());
        assert_eq!(t.ciphers.as_deref(), Some("ECDHE-RSA-AES128-GCM-SHA256"));
        assert_eq!(t.tls13_ciphers.as_deref(), Some("TLS_AES_128_GCM_SHA256"));
        assert_eq!(t.pinned_key.as_deref(), Some("sha256//AAAA"));
        assert!(!t.verify_peer && !t.verify_host);
        let mut routing = Routing::default();
        let mut o = o;
        o.url = Some(String::new());
        assert_eq!(o.apply(&mut routing, &[]), Ok(()));
        assert!(routing.proxy.is_none() && routing.env_proxies.is_empty());
        assert!(!routing.proxy_tls.verify_peer);
        o.url = Some("gopher://p".into());
        assert_eq!(o.apply(&mut routing, &[]).err(), Some(CURLE_COULDNT_CONNECT));
    }
}
