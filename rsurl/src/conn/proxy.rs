//! Proxy layers: an HTTP `CONNECT` tunnel and SOCKS5 (RFC 1928, with
//! RFC 1929 user/password), each stacked on the TCP layer to the proxy.
//! Plain HTTP forward proxying needs no layer: the HTTP handler sends the
//! absolute-form request target instead.
//!
//! Entry points: [`Proxy::parse`] (`-x` syntax) and [`open_tunnel`].

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::Duration;

use super::Layer;
use crate::error::{Error, HttpError};
use crate::http1::Limits;
use crate::http1::request::{Header, RequestHead};
use crate::http1::response::{Event, ResponseParser};

/// Which proxy protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProxyKind {
    /// HTTP: forward proxying, or a CONNECT tunnel.
    Http,
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
}

impl Proxy {
    /// Parses curl's `-x` value; the port defaults to 1080.
    ///
    /// # Errors
    /// [`Error::UnsupportedProtocol`] for an unknown proxy scheme, and
    /// [`Error::ResolveProxy`] for an empty host or a bad port.
    pub(crate) fn parse(spec: &str) -> Result<Self, Error> {
        let (scheme, rest) = spec.split_once("://").unwrap_or(("http", spec));
        let kind = match scheme.to_ascii_lowercase().as_str() {
            "http" => ProxyKind::Http,
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
        let port = match port {
            None | Some("") => 1080,
            Some(p) => p.parse().map_err(|_| Error::ResolveProxy(host.clone()))?,
        };
        if host.is_empty() {
            return Err(Error::ResolveProxy(host));
        }
        Ok(Self { kind, host, port, tunnel: false, credentials: creds })
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
}

fn recv(e: &std::io::Error) -> Error {
    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) {
        Error::Timeout { ms: 0, bytes: 0 }
    } else {
        Error::Recv(std::io::Error::new(e.kind(), e.to_string()))
    }
}

/// Sends `CONNECT host:port` and reads the proxy's answer head.
fn http_connect(conn: &mut dyn Layer, proxy: &Proxy, host: &str, port: u16) -> Result<(), Error> {
    let authority = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
    let mut head = RequestHead::new("CONNECT", &authority);
    head.headers.push(Header::new("Host", &authority));
    if let Some(auth) = proxy.authorization() {
        head.headers.push(Header::new("Proxy-Authorization", &auth));
    }
    head.headers.push(Header::new("User-Agent", crate::transfer::USER_AGENT));
    head.headers.push(Header::new("Proxy-Connection", "Keep-Alive"));
    let mut raw = Vec::new();
    head.encode(&mut raw)?;
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
            return Ok(());
        }
    }
}

fn socks_err(msg: &str) -> Error {
    Error::Socks(msg.to_owned())
}

fn read_exact(conn: &mut dyn Layer, buf: &mut [u8]) -> Result<(), Error> {
    conn.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => socks_err("connection closed by the SOCKS5 proxy"),
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
            let (ul, pl) = (u8::try_from(u.len()), u8::try_from(p.len()));
            let (Ok(ul), Ok(pl)) = (ul, pl) else { return Err(socks_err("SOCKS5 user name or password too long")) };
            let mut msg = vec![1, ul];
            msg.extend_from_slice(u.as_bytes());
            msg.push(pl);
            msg.extend_from_slice(p.as_bytes());
            conn.write_all(&msg).map_err(Error::Send)?;
            let mut st = [0u8; 2];
            read_exact(conn, &mut st)?;
            if st[1] != 0 {
                return Err(socks_err("User was rejected by the SOCKS5 server"));
            }
        }
        [5, 0xff] => return Err(socks_err("No authentication method was acceptable")),
        _ => return Err(socks_err("Received invalid version in initial SOCKS5 response")),
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
            let len = u8::try_from(host.len()).map_err(|_| socks_err("SOCKS5 host name too long"))?;
            req.push(3);
            req.push(len);
            req.extend_from_slice(host.as_bytes());
        }
        None => {
            let addr = (host, port)
                .to_socket_addrs()
                .ok()
                .and_then(|mut it| it.next())
                .ok_or_else(|| Error::Resolve(host.to_owned()))?;
            return socks5_connect_addr(conn, req, addr.ip(), port);
        }
    }
    req.extend_from_slice(&port.to_be_bytes());
    finish_connect(conn, &req)
}

fn socks5_connect_addr(conn: &mut dyn Layer, mut req: Vec<u8>, ip: IpAddr, port: u16) -> Result<(), Error> {
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
    finish_connect(conn, &req)
}

fn finish_connect(conn: &mut dyn Layer, req: &[u8]) -> Result<(), Error> {
    conn.write_all(req).map_err(Error::Send)?;
    let mut head = [0u8; 4];
    read_exact(conn, &mut head)?;
    if head[0] != 5 {
        return Err(socks_err("Received invalid version in SOCKS5 connect response"));
    }
    if head[1] != 0 {
        return Err(Error::Socks(format!("Can't complete SOCKS5 connection to the target. ({})", head[1])));
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
        _ => return Err(socks_err("SOCKS5 reply has an unknown address type")),
    };
    let mut rest = vec![0u8; skip];
    read_exact(conn, &mut rest)
}

/// Turns a connection to the proxy into a tunnel to `host:port`.
///
/// # Errors
/// [`Error::ProxyConnect`] when CONNECT is refused, [`Error::Socks`] when
/// the SOCKS5 proxy refuses, or the I/O error.
pub(crate) fn open_tunnel(
    mut conn: Box<dyn Layer>,
    proxy: &Proxy,
    host: &str,
    port: u16,
) -> Result<Box<dyn Layer>, Error> {
    match proxy.kind {
        ProxyKind::Http => http_connect(conn.as_mut(), proxy, host, port)?,
        ProxyKind::Socks5 { .. } => socks5(conn.as_mut(), proxy, host, port)?,
    }
    Ok(Box::new(Tunnel { inner: conn }))
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
        assert_eq!(e.exit_code().get(), 97);
        assert_eq!(s.output, vec![5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, 0, 80]);
        let mut s = script(&[5, 0xff]);
        assert!(matches!(socks5(&mut s, &p, "127.0.0.1", 80), Err(Error::Socks(_))));
        let mut s = script(&[5]);
        assert!(matches!(socks5(&mut s, &p, "127.0.0.1", 80), Err(Error::Socks(_))));
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
}
