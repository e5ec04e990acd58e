//! Proxy layers: an HTTP `CONNECT` tunnel, SOCKS4 / SOCKS4a and SOCKS5
//! (RFC 1928, with RFC 1929 user/password), each stacked on the TCP layer
//! to the proxy.
//! Plain HTTP forward proxying needs no layer: the HTTP handler sends the
//! absolute-form request target instead.
//!
//! Entry points: [`Proxy::parse`] (`-x` syntax), [`no_proxy_matches`]
//! (`--noproxy` / `NO_PROXY`) and [`open_tunnel`].

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::Duration;

use super::Layer;
use crate::error::{Error, HttpError, ProxyCode};
use crate::http1::Limits;
use crate::http1::request::{Header, RequestHead};
use crate::http1::response::{Event, ResponseParser};

/// Which proxy protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProxyKind {
    /// HTTP: forward proxying, or a CONNECT tunnel.
    Http,
    /// SOCKS4; `remote_dns` (socks4a) lets the proxy resolve names.
    Socks4 { remote_dns: bool },
    /// SOCKS5; `remote_dns` (socks5h) lets the proxy resolve names.
    Socks5 { remote_dns: bool },
}

/// A proxy from `-x [scheme://][user:pass@]host[:port]` and `-U`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    pub(crate) kind: ProxyKind,
    pub(crate) host: String,
    pub(crate) port: u16,
    /// `-p`: tunnel HTTP through CONNECT too.
    pub(crate) tunnel: bool,
    pub(crate) credentials: Option<(String, String)>,
    /// `https://` proxy: TLS to the proxy itself (only with
    /// [`ProxyKind::Http`]), below any tunnel or forwarded request.
    pub(crate) tls: bool,
    /// `CURLPROXY_HTTP_1_0`: `CONNECT` is sent as HTTP/1.0 (forwarded
    /// requests keep HTTP/1.1, as libcurl).
    pub(crate) connect_http10: bool,
    /// `CURLOPT_PROXYHEADER`: fields for the proxy only, `(name, value)`;
    /// `None` removes a built-in `CONNECT` field of that name. Sent in
    /// `CONNECT` and appended to forwarded requests.
    pub(crate) headers: Vec<(String, Option<String>)>,
}

impl Proxy {
    /// Parses curl's `-x` value; the port defaults to 1080 (443 for
    /// `https://`, as curl).
    ///
    /// # Errors
    /// [`Error::UnsupportedProtocol`] for an unknown proxy scheme, and
    /// [`Error::ResolveProxy`] for an empty host or a bad port.
    pub(crate) fn parse(spec: &str) -> Result<Self, Error> {
        Self::parse_with_port(spec, None)
    }

    /// [`Proxy::parse`] with the port used when `spec` names none
    /// (`CURLOPT_PROXYPORT`), before the scheme's default.
    ///
    /// # Errors
    /// As [`Proxy::parse`].
    pub(crate) fn parse_with_port(spec: &str, default_port: Option<u16>) -> Result<Self, Error> {
        let (scheme, rest) = spec.split_once("://").unwrap_or(("http", spec));
        let scheme = scheme.to_ascii_lowercase();
        let tls = scheme == "https";
        let kind = match scheme.as_str() {
            "http" | "https" => ProxyKind::Http,
            // libcurl reads a bare `socks://` as SOCKS4.
            "socks4" | "socks" => ProxyKind::Socks4 { remote_dns: false },
            "socks4a" => ProxyKind::Socks4 { remote_dns: true },
            "socks5" => ProxyKind::Socks5 { remote_dns: false },
            "socks5h" => ProxyKind::Socks5 { remote_dns: true },
            other => return Err(Error::UnsupportedProtocol(other.to_owned())),
        };
        let rest = rest.split('/').next().unwrap_or("");
        let (creds, hostport) = match rest.rsplit_once('@') {
            Some((c, h)) => {
                let (u, p) = c.split_once(':').unwrap_or((c, ""));
                (Some((u.to_owned(), p.to_owned())), h)
            }
            None => (None, rest),
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, p) = v6.split_once(']').ok_or_else(|| Error::ResolveProxy(hostport.to_owned()))?;
            (h.to_owned(), p.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (hostport.to_owned(), None),
            }
        };
        let port = match (port.filter(|p| !p.is_empty()), default_port) {
            (None, Some(p)) => p,
            (None, None) if tls => 443,
            (None, None) => 1080,
            (Some(p), _) => p.parse().map_err(|_| Error::ResolveProxy(host.clone()))?,
        };
        if host.is_empty() {
            return Err(Error::ResolveProxy(host));
        }
        Ok(Self {
            kind,
            host,
            port,
            tunnel: false,
            credentials: creds,
            tls,
            connect_http10: false,
            headers: Vec::new(),
        })
    }

    /// Whether HTTP requests go to the proxy in absolute form (no tunnel).
    pub(crate) fn forwards_http(&self) -> bool {
        self.kind == ProxyKind::Http && !self.tunnel
    }

    /// `Proxy-Authorization` value for `-U`.
    pub(crate) fn authorization(&self) -> Option<String> {
        self.credentials
            .as_ref()
            .map(|(u, p)| format!("Basic {}", crate::base64::encode(format!("{u}:{p}").as_bytes())))
    }
}

/// A tunnel through a proxy: after the handshake it is a plain byte
/// stream to the target, stacked on the layer to the proxy.
#[derive(Debug)]
pub(crate) struct Tunnel {
    inner: Box<dyn Layer>,
}

impl Read for Tunnel {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl Write for Tunnel {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Layer for Tunnel {
    fn set_io_timeout(&self, t: Option<Duration>) -> std::io::Result<()> {
        self.inner.set_io_timeout(t)
    }

    fn peer_addr(&self) -> Option<SocketAddr> {
        self.inner.peer_addr()
    }

    fn local_addr(&self) -> Option<SocketAddr> {
        self.inner.local_addr()
    }

    fn proxy_ssl_verify_result(&self) -> Option<i64> {
        self.inner.proxy_ssl_verify_result()
    }
}

fn recv(e: &std::io::Error) -> Error {
    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) {
        Error::Timeout { ms: 0, bytes: 0 }
    } else {
        Error::Recv(std::io::Error::new(e.kind(), e.to_string()))
    }
}

/// Sends `CONNECT host:port` and reads the proxy's answer head; returns
/// its (2xx) status.
fn http_connect(conn: &mut dyn Layer, proxy: &Proxy, host: &str, port: u16) -> Result<u16, Error> {
    let authority = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
    let mut head = RequestHead::new("CONNECT", &authority);
    head.headers.push(Header::new("Host", &authority));
    if let Some(auth) = proxy.authorization() {
        head.headers.push(Header::new("Proxy-Authorization", &auth));
    }
    head.headers.push(Header::new("User-Agent", crate::transfer::USER_AGENT));
    head.headers.push(Header::new("Proxy-Connection", "Keep-Alive"));
    // CURLOPT_PROXYHEADER replaces (or, without a value, removes) the
    // built-in fields of its names, then adds its own.
    head.headers.retain(|h| !proxy.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(&h.name)));
    for (name, value) in &proxy.headers {
        if let Some(v) = value {
            head.headers.push(Header::new(name, v));
        }
    }
    let mut raw = Vec::new();
    head.encode(&mut raw)?;
    if proxy.connect_http10 {
        // The request line ends in ` HTTP/1.1\r\n`; only its minor
        // version changes. The authority holds no CR, LF or space.
        if let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
            if let Some(minor) = end.checked_sub(1).and_then(|i| raw.get_mut(i)) {
                *minor = b'0';
            }
        }
    }
    conn.write_all(&raw).map_err(Error::Send)?;
    // A 2xx answer to CONNECT has no body (RFC 9110 §9.3.6): parse it as
    // a HEAD response, one byte at a time so no tunnel byte is consumed.
    let mut parser = ResponseParser::new(Limits::default(), true);
    let mut byte = [0u8; 1];
    loop {
        let n = conn.read(&mut byte).map_err(|e| recv(&e))?;
        if n == 0 {
            parser.eof()?;
            return Err(HttpError::EmptyReply.into());
        }
        if let (_, Event::Head(h)) = parser.input(&byte)? {
            if h.is_interim() {
                continue;
            }
            if !(200..300).contains(&h.status) {
                return Err(Error::ProxyConnect(h.status));
            }
            return Ok(h.status);
        }
    }
}

fn socks_err(code: ProxyCode, msg: &str) -> Error {
    Error::Socks { code, message: msg.to_owned() }
}

/// The target's name did not resolve here: curl's exit 97, not 6, since
/// the SOCKS handshake is what failed.
fn unresolved(host: &str) -> Error {
    socks_err(ProxyCode::ResolveHost, &format!("Could not resolve host: {host}"))
}

fn read_exact(conn: &mut dyn Layer, buf: &mut [u8]) -> Result<(), Error> {
    conn.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => socks_err(ProxyCode::Closed, "connection closed by the SOCKS5 proxy"),
        _ => recv(&e),
    })
}

/// The SOCKS5 handshake: method negotiation, optional user/password, then
/// CONNECT to the target (by name for socks5h, by address otherwise).
pub(crate) fn socks5(conn: &mut dyn Layer, proxy: &Proxy, host: &str, port: u16) -> Result<(), Error> {
    let remote_dns = matches!(proxy.kind, ProxyKind::Socks5 { remote_dns: true });
    let methods: &[u8] = if proxy.credentials.is_some() { &[5, 2, 0, 2] } else { &[5, 1, 0] };
    conn.write_all(methods).map_err(Error::Send)?;
    let mut reply = [0u8; 2];
    read_exact(conn, &mut reply)?;
    match reply {
        [5, 0] => {}
        [5, 2] => {
            let (u, p) = proxy.credentials.clone().unwrap_or_default();
            let ul = u8::try_from(u.len()).map_err(|_| socks_err(ProxyCode::LongUser, "SOCKS5 user name too long"))?;
            let pl = u8::try_from(p.len()).map_err(|_| socks_err(ProxyCode::LongPasswd, "SOCKS5 password too long"))?;
            let mut msg = vec![1, ul];
            msg.extend_from_slice(u.as_bytes());
            msg.push(pl);
            msg.extend_from_slice(p.as_bytes());
            conn.write_all(&msg).map_err(Error::Send)?;
            let mut st = [0u8; 2];
            read_exact(conn, &mut st)?;
            if st[1] != 0 {
                return Err(socks_err(ProxyCode::UserRejected, "User was rejected by the SOCKS5 server"));
            }
        }
        [5, 0xff] => return Err(socks_err(ProxyCode::NoAuth, "No authentication method was acceptable")),
        _ => return Err(socks_err(ProxyCode::BadVersion, "Received invalid version in initial SOCKS5 response")),
    }
    let mut req = vec![5, 1, 0];
    let ip: Option<IpAddr> = host.parse().ok();
    match ip {
        Some(IpAddr::V4(a)) => {
            req.push(1);
            req.extend_from_slice(&a.octets());
        }
        Some(IpAddr::V6(a)) => {
            req.push(4);
            req.extend_from_slice(&a.octets());
        }
        None if remote_dns => {
            let len = u8::try_from(host.len())
                .map_err(|_| socks_err(ProxyCode::LongHostname, "SOCKS5 host name too long"))?;
            req.push(3);
            req.push(len);
            req.extend_from_slice(host.as_bytes());
        }
        None => {
            let addr =
                (host, port).to_socket_addrs().ok().and_then(|mut it| it.next()).ok_or_else(|| unresolved(host))?;
            return socks5_connect_addr(conn, req, addr.ip(), host, port);
        }
    }
    req.extend_from_slice(&port.to_be_bytes());
    finish_connect(conn, &req, host)
}

/// The SOCKS4 request (and SOCKS4a's, which sends the name for the proxy
/// to resolve): version 4, CONNECT, port, IPv4 address, user id, NUL.
pub(crate) fn socks4(conn: &mut dyn Layer, proxy: &Proxy, host: &str, port: u16) -> Result<(), Error> {
    let remote_dns = matches!(proxy.kind, ProxyKind::Socks4 { remote_dns: true });
    let mut req = vec![4, 1];
    req.extend_from_slice(&port.to_be_bytes());
    let literal: Option<std::net::Ipv4Addr> = host.parse().ok();
    let name = match literal {
        // 0.0.0.1: "the name follows" (SOCKS4a). Like curl, SOCKS4a hands
        // the proxy even an address literal as text.
        _ if remote_dns => {
            req.extend_from_slice(&[0, 0, 0, 1]);
            Some(host)
        }
        Some(ip) => {
            req.extend_from_slice(&ip.octets());
            None
        }
        None => {
            let addr = (host, port)
                .to_socket_addrs()
                .ok()
                .and_then(|mut it| it.find(SocketAddr::is_ipv4))
                .ok_or_else(|| unresolved(host))?;
            let IpAddr::V4(ip) = addr.ip() else { return Err(unresolved(host)) };
            req.extend_from_slice(&ip.octets());
            None
        }
    };
    let user = proxy.credentials.as_ref().map(|(u, _)| u.as_str()).unwrap_or_default();
    if user.contains('\0') {
        return Err(socks_err(ProxyCode::LongUser, "SOCKS4 user name not representable"));
    }
    if name.is_some_and(|n| n.contains('\0') || n.len() > 255) {
        return Err(socks_err(ProxyCode::LongHostname, "SOCKS4 host name not representable"));
    }
    req.extend_from_slice(user.as_bytes());
    req.push(0);
    if let Some(n) = name {
        req.extend_from_slice(n.as_bytes());
        req.push(0);
    }
    conn.write_all(&req).map_err(Error::Send)?;
    let mut reply = [0u8; 8];
    read_exact(conn, &mut reply).map_err(|e| match e {
        Error::Socks { .. } => socks_err(ProxyCode::Closed, "connection closed by the SOCKS4 proxy"),
        other => other,
    })?;
    // curl names the address and port the reply carries (usually zeros).
    let [version, status, p1, p2, a, b, c, d] = reply;
    if version != 0 {
        return Err(socks_err(ProxyCode::BadVersion, "SOCKS4 reply has wrong version, version should be 0."));
    }
    let (code, why) = match status {
        90 => return Ok(()),
        91 => (ProxyCode::RequestFailed, "request rejected or failed."),
        92 => (ProxyCode::Identd, "request rejected because SOCKS server cannot connect to identd on the client."),
        93 => (
            ProxyCode::IdentdDiffer,
            "request rejected because the client program and identd report different user-ids.",
        ),
        _ => (ProxyCode::UnknownFail, "Unknown."),
    };
    let to = format!("{a}.{b}.{c}.{d}:{}", u16::from_be_bytes([p1, p2]));
    Err(socks_err(code, &format!("Can't complete SOCKS4 connection to {to}. ({status}), {why}")))
}

/// The first non-empty environment variable of `names`.
pub(crate) fn env_var(names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
}

/// Proxies named by the environment, as curl reads them: `[scheme]_proxy`
/// per scheme (upper case accepted too, except `HTTP_PROXY`, which a CGI
/// program could inherit from a request's `Proxy:` header), then
/// `ALL_PROXY` as `*`.
pub(crate) fn env_proxies() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for scheme in ["http", "https", "ftp", "ftps"] {
        let lower = format!("{scheme}_proxy");
        let upper = lower.to_ascii_uppercase();
        let names: Vec<&str> = if scheme == "http" { vec![&lower] } else { vec![&lower, &upper] };
        if let Some(v) = env_var(&names) {
            out.push((scheme.to_owned(), v));
        }
    }
    if let Some(v) = env_var(&["all_proxy", "ALL_PROXY"]) {
        out.push(("*".to_owned(), v));
    }
    out
}

/// Whether `host` is exempt from proxying under a `--noproxy` / `NO_PROXY`
/// list: `*` matches everything; a name matches itself and its
/// subdomains (a leading dot is optional); an IP address or CIDR block
/// matches addresses within it.
pub(crate) fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']').trim_end_matches('.').to_ascii_lowercase();
    let host_ip: Option<IpAddr> = host.parse().ok();
    list.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|e| !e.is_empty()).any(|entry| {
        if entry == "*" {
            return true;
        }
        let entry = entry.trim_start_matches('.').trim_end_matches('.').to_ascii_lowercase();
        let entry = entry.trim_start_matches('[').trim_end_matches(']');
        if let Some(ip) = host_ip {
            let (net, bits) = match entry.split_once('/') {
                Some((n, b)) => (n, b.parse::<u32>().ok()),
                None => (entry, None),
            };
            return net.parse::<IpAddr>().is_ok_and(|net| in_block(ip, net, bits));
        }
        host == entry || host.strip_suffix(entry).is_some_and(|rest| rest.ends_with('.'))
    })
}

/// Whether `ip` lies in `net/bits` (the whole address when `bits` is absent).
fn in_block(ip: IpAddr, net: IpAddr, bits: Option<u32>) -> bool {
    let (a, b, width) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u128::from(u32::from(a)), u128::from(u32::from(b)), 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return false;
    }
    let shift = width - bits;
    shift == 128 || (a >> shift) == (b >> shift)
}

fn socks5_connect_addr(conn: &mut dyn Layer, mut req: Vec<u8>, ip: IpAddr, host: &str, port: u16) -> Result<(), Error> {
    match ip {
        IpAddr::V4(a) => {
            req.push(1);
            req.extend_from_slice(&a.octets());
        }
        IpAddr::V6(a) => {
            req.push(4);
            req.extend_from_slice(&a.octets());
        }
    }
    req.extend_from_slice(&port.to_be_bytes());
    finish_connect(conn, &req, host)
}

/// Sends the SOCKS5 CONNECT request and reads the reply; `host` (as the
/// URL names it) is for curl's message.
fn finish_connect(conn: &mut dyn Layer, req: &[u8], host: &str) -> Result<(), Error> {
    conn.write_all(req).map_err(Error::Send)?;
    let mut head = [0u8; 4];
    read_exact(conn, &mut head)?;
    if head[0] != 5 {
        return Err(socks_err(ProxyCode::BadVersion, "Received invalid version in SOCKS5 connect response"));
    }
    if head[1] != 0 {
        let message = format!("Can't complete SOCKS5 connection to {host}. ({})", head[1]);
        return Err(socks_err(ProxyCode::from_socks5_reply(head[1]), &message));
    }
    // The bound address, which we do not need: skip it exactly.
    let skip = match head[3] {
        1 => 4 + 2,
        4 => 16 + 2,
        3 => {
            let mut l = [0u8; 1];
            read_exact(conn, &mut l)?;
            usize::from(l[0]) + 2
        }
        _ => return Err(socks_err(ProxyCode::BadAddressType, "SOCKS5 reply has an unknown address type")),
    };
    let mut rest = vec![0u8; skip];
    read_exact(conn, &mut rest)
}

/// Turns a connection to the proxy into a tunnel to `host:port`; also
/// returns the proxy's answer to CONNECT (0 for SOCKS).
///
/// # Errors
/// [`Error::ProxyConnect`] when CONNECT is refused, [`Error::Socks`] when
/// the SOCKS proxy refuses, or the I/O error.
pub(crate) fn open_tunnel(
    mut conn: Box<dyn Layer>,
    proxy: &Proxy,
    host: &str,
    port: u16,
) -> Result<(Box<dyn Layer>, u16), Error> {
    let code = match proxy.kind {
        ProxyKind::Http => http_connect(conn.as_mut(), proxy, host, port)?,
        ProxyKind::Socks4 { .. } => socks4(conn.as_mut(), proxy, host, port).map(|()| 0)?,
        ProxyKind::Socks5 { .. } => socks5(conn.as_mut(), proxy, host, port).map(|()| 0)?,
    };
    Ok((Box::new(Tunnel { inner: conn }), code))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scripted peer: reads come from `input`, writes land in `output`.
    #[derive(Debug)]
    struct Script {
        input: std::io::Cursor<Vec<u8>>,
        output: Vec<u8>,
    }

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.input.read(buf)
        }
    }

    impl Write for Script {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.output.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Layer for Script {
        fn set_io_timeout(&self, _: Option<Duration>) -> std::io::Result<()> {
            Ok(())
        }
        fn peer_addr(&self) -> Option<SocketAddr> {
            None
        }
        fn local_addr(&self) -> Option<SocketAddr> {
            None
        }
    }

    fn script(input: &[u8]) -> Script {
        Script { input: std::io::Cursor::new(input.to_vec()), output: Vec::new() }
    }

    #[test]
    fn parse_proxy_specs() {
        let p = Proxy::parse("127.0.0.1:3128").unwrap();
        assert_eq!((p.kind, p.host.as_str(), p.port), (ProxyKind::Http, "127.0.0.1", 3128));
        let p = Proxy::parse("socks5h://u:pw@[::1]").unwrap();
        assert_eq!((p.kind, p.host.as_str(), p.port), (ProxyKind::Socks5 { remote_dns: true }, "::1", 1080));
        assert_eq!(p.authorization().as_deref(), Some("Basic dTpwdw=="));
        assert!(matches!(Proxy::parse("gopher://x"), Err(Error::UnsupportedProtocol(_))));
        assert!(Proxy::parse("h:99999").is_err());
        let p = Proxy::parse("HTTPS://proxy.test").unwrap();
        assert_eq!((p.kind, p.port, p.tls), (ProxyKind::Http, 443, true));
        assert!(!Proxy::parse("http://proxy.test").unwrap().tls);
        // `socks://` is SOCKS4, as libcurl; a default port only fills in.
        assert_eq!(Proxy::parse("socks://p").unwrap().kind, ProxyKind::Socks4 { remote_dns: false });
        assert_eq!(Proxy::parse_with_port("https://p", Some(8443)).unwrap().port, 8443);
        assert_eq!(Proxy::parse_with_port("p:", Some(3)).unwrap().port, 3);
        assert_eq!(Proxy::parse_with_port("p:9", Some(3)).unwrap().port, 9);
    }

    #[test]
    fn connect_as_http10_with_proxy_headers() {
        let mut p = Proxy::parse("proxy:3128").unwrap();
        p.connect_http10 = true;
        p.headers = vec![("X-Hop".into(), Some("1".into())), ("proxy-connection".into(), None)];
        let mut s = script(b"HTTP/1.0 200 OK\r\n\r\n");
        assert_eq!(http_connect(&mut s, &p, "example.test", 443).unwrap(), 200);
        let sent = String::from_utf8_lossy(&s.output).into_owned();
        assert!(sent.starts_with("CONNECT example.test:443 HTTP/1.0\r\nHost: example.test:443\r\n"), "{sent}");
        assert!(sent.ends_with("\r\nX-Hop: 1\r\n\r\n") && !sent.contains("Proxy-Connection"), "{sent}");
    }

    #[test]
    fn socks5h_with_password_by_name() {
        let p = Proxy::parse("socks5h://u:pw@proxy").unwrap();
        let mut s = script(&[5, 2, 1, 0, 5, 0, 0, 3, 4, b'h', b'o', b's', b't', 0, 80]);
        socks5(&mut s, &p, "example.test", 8080).unwrap();
        let mut want = vec![5, 2, 0, 2, 1, 1, b'u', 2, b'p', b'w', 5, 1, 0, 3, 12];
        want.extend_from_slice(b"example.test");
        want.extend_from_slice(&[0x1f, 0x90]);
        assert_eq!(s.output, want);
        assert!(s.input.position() as usize == s.input.get_ref().len(), "reply read exactly");
    }

    #[test]
    fn socks5_refusals_are_typed() {
        let p = Proxy::parse("socks5://proxy").unwrap();
        let mut s = script(&[5, 0, 5, 5, 0, 1, 0, 0, 0, 0, 0, 0]);
        let e = socks5(&mut s, &p, "127.0.0.1", 80).unwrap_err();
        assert_eq!((e.exit_code().get(), e.proxy_code()), (97, Some(ProxyCode::ReplyConnectionRefused)));
        assert_eq!(s.output, vec![5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, 0, 80]);
        let code = |reply: &[u8]| socks5(&mut script(reply), &p, "127.0.0.1", 80).unwrap_err().proxy_code();
        assert_eq!(code(&[5, 0xff]), Some(ProxyCode::NoAuth));
        assert_eq!(code(&[5]), Some(ProxyCode::Closed));
        assert_eq!(code(&[4, 0]), Some(ProxyCode::BadVersion));
        assert_eq!(code(&[5, 0, 5, 0, 0, 9]), Some(ProxyCode::BadAddressType));
        assert_eq!(code(&[5, 0, 5, 0x2a, 0, 1, 0, 0, 0, 0, 0, 0]), Some(ProxyCode::ReplyUnassigned));
        for (rep, number) in (1..=9).zip([20, 23, 22, 21, 19, 24, 18, 17, 25]) {
            assert_eq!(ProxyCode::from_socks5_reply(rep).number(), number, "reply {rep}");
        }
    }

    #[test]
    fn connect_tunnel_reads_only_the_head() {
        let p = Proxy::parse("proxy:3128").unwrap();
        let mut s = script(b"HTTP/1.1 200 Connection established\r\n\r\nTUNNEL");
        http_connect(&mut s, &p, "example.test", 443).unwrap();
        assert!(
            String::from_utf8_lossy(&s.output)
                .starts_with("CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n")
        );
        let mut rest = String::new();
        s.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "TUNNEL");
        let mut s = script(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        let e = http_connect(&mut s, &p, "x", 1).unwrap_err();
        assert_eq!((e.exit_code().get(), e.to_string()), (56, "CONNECT tunnel failed, response 403".to_owned()));
    }

    #[test]
    fn socks4_by_address_and_socks4a_by_name() {
        let p = Proxy::parse("socks4://alice@proxy").unwrap();
        let mut s = script(&[0, 90, 0, 0, 0, 0, 0, 0]);
        socks4(&mut s, &p, "10.1.2.3", 8080).unwrap();
        assert_eq!(s.output, [4, 1, 0x1f, 0x90, 10, 1, 2, 3, b'a', b'l', b'i', b'c', b'e', 0]);
        let p = Proxy::parse("socks4a://proxy:1081").unwrap();
        assert_eq!((p.kind, p.port), (ProxyKind::Socks4 { remote_dns: true }, 1081));
        let mut s = script(&[0, 90, 0, 0, 0, 0, 0, 0]);
        socks4(&mut s, &p, "example.test", 80).unwrap();
        let mut want = vec![4, 1, 0, 80, 0, 0, 0, 1, 0];
        want.extend_from_slice(b"example.test\0");
        assert_eq!(s.output, want);
    }

    #[test]
    fn socks4_refusals_are_typed() {
        let p = Proxy::parse("socks4://proxy").unwrap();
        let mut s = script(&[0, 91, 0, 0, 0, 0, 0, 0]);
        let e = socks4(&mut s, &p, "127.0.0.1", 80).unwrap_err();
        assert_eq!(e.exit_code().get(), 97);
        assert!(e.to_string().contains("(91), request rejected or failed"), "{e}");
        assert_eq!(e.proxy_code(), Some(ProxyCode::RequestFailed));
        let mut s = script(&[0, 90, 0]);
        assert!(matches!(socks4(&mut s, &p, "127.0.0.1", 80), Err(Error::Socks { .. })));
        let mut s = script(&[5, 90, 0, 0, 0, 0, 0, 0]);
        assert!(matches!(socks4(&mut s, &p, "127.0.0.1", 80), Err(Error::Socks { .. })));
    }

    #[test]
    fn no_proxy_lists() {
        assert!(no_proxy_matches("*", "anything.test"));
        assert!(no_proxy_matches("example.com", "example.com"));
        assert!(no_proxy_matches(".example.com", "www.example.com"));
        assert!(no_proxy_matches("a.test, example.com", "deep.www.example.com."));
        assert!(!no_proxy_matches("example.com", "badexample.com"));
        assert!(!no_proxy_matches("www.example.com", "example.com"));
        assert!(no_proxy_matches("127.0.0.1", "127.0.0.1"));
        assert!(no_proxy_matches("10.0.0.0/8", "10.200.3.4"));
        assert!(!no_proxy_matches("10.0.0.0/8", "11.0.0.1"));
        assert!(no_proxy_matches("::1", "[::1]"));
        assert!(no_proxy_matches("fd00::/8", "fd12::1"));
        assert!(!no_proxy_matches("10.0.0.0/33", "10.0.0.1"));
        assert!(no_proxy_matches("0.0.0.0/0", "1.2.3.4"));
        assert!(!no_proxy_matches("", "example.com"));
        assert!(!no_proxy_matches("*.example.com", "www.example.com"));
    }
}
