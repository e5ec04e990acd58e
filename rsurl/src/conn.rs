//! Connections as a stack of layers: TCP ([`socket`], raced by
//! [`eyeballs`]) or a Unix socket ([`unix`]) at the bottom; TLS to an
//! `https://` proxy, the proxy tunnel ([`proxy`]) and TLS to the server
//! ([`tls`]) each wrap the one below; the protocol handler talks to the top.
//!
//! Entry points: [`Layer`] (what every layer offers), [`connect`] (name
//! resolution with `--resolve` / `--connect-to` overrides, then TCP with
//! Happy Eyeballs within the connect timeout) and [`Pool`] (idle
//! keep-alive connections).

mod eyeballs;
pub(crate) mod proxy;
pub(crate) mod socket;
mod tcp;
pub(crate) mod tls;
pub(crate) mod unix;

use std::io::{Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::error::Error;

pub(crate) use tcp::TcpLayer;

/// One layer of a connection: a byte stream with the socket facts the
/// layers above and `-w` need. Proxy and TLS layers wrap a `Box<dyn Layer>`
/// and delegate these methods.
pub(crate) trait Layer: Read + Write + Send + std::fmt::Debug {
    /// Bounds the next reads and writes (the driver passes the time left).
    fn set_io_timeout(&self, t: Option<Duration>) -> std::io::Result<()>;
    /// The address at the far end of the bottom layer.
    fn peer_addr(&self) -> Option<SocketAddr>;
    /// Our address at the bottom layer.
    fn local_addr(&self) -> Option<SocketAddr>;
    /// For a TLS layer, `%{ssl_verify_result}` (OpenSSL's number, 0 when
    /// the chain verified); `None` below TLS.
    fn ssl_verify_result(&self) -> Option<i64> {
        None
    }
    /// For a TLS layer to an `https://` proxy, or any layer above one,
    /// `%{proxy_ssl_verify_result}`; `None` without an HTTPS proxy.
    fn proxy_ssl_verify_result(&self) -> Option<i64> {
        None
    }
    /// For a TLS layer, the server's certificates (DER, leaf first) as
    /// it sent them, for `%{certs}` / `%{num_certs}`; empty below TLS.
    fn peer_certificates(&self) -> Vec<Vec<u8>> {
        Vec::new()
    }
    /// For a TLS layer, the protocol ALPN chose (`h2`, `http/1.1`).
    fn alpn(&self) -> Option<Vec<u8>> {
        None
    }
    /// For a TLS layer, curl's `-v` lines for the TLS messages handled
    /// since the last call (NewSessionTicket, KeyUpdate after the
    /// handshake), taken once; the HTTP drivers print them before each
    /// response head.
    fn take_trace_lines(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// How names resolve and where connections go, from the command line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Routing {
    /// `--resolve host:port:addr[,addr]...`: (host, port, addresses).
    pub(crate) resolve: Vec<(String, u16, Vec<String>)>,
    /// `--connect-to H1:P1:H2:P2`: empty fields match anything / keep.
    pub(crate) connect_to: Vec<(String, String, String, String)>,
    /// `--connect-timeout`.
    pub(crate) connect_timeout: Option<Duration>,
    /// `-x`.
    pub(crate) proxy: Option<proxy::Proxy>,
    /// Proxies from the environment by URL scheme (`*` for `ALL_PROXY`),
    /// used when `-x` is absent.
    pub(crate) env_proxies: Vec<(String, proxy::Proxy)>,
    /// `--noproxy` (or `NO_PROXY`): hosts reached without a proxy.
    pub(crate) no_proxy: Option<String>,
    /// `-4` / `-6`: only addresses of this IP version.
    pub(crate) ip_version: Option<u8>,
    /// `--proxy-cacert`, `--proxy-insecure`, `--proxy-cert`, ...: TLS to
    /// an `https://` proxy (its ALPN is not taken from here).
    pub(crate) proxy_tls: tls::TlsOptions,
    /// `--unix-socket` / `--abstract-unix-socket`: every connection goes
    /// there (no name resolution, no proxy).
    pub(crate) unix_socket: Option<unix::UnixTarget>,
    /// `--interface` and `--local-port`.
    pub(crate) local: socket::LocalBind,
    /// `--happy-eyeballs-timeout-ms` (curl's 200 ms when unset).
    pub(crate) happy_eyeballs: Option<Duration>,
}

impl Routing {
    /// The proxy a request to `url` goes through: none for `--noproxy`
    /// hosts, else `-x`, else the environment's proxy for the scheme, else
    /// `ALL_PROXY`'s.
    pub(crate) fn proxy_for(&self, url: &crate::url::Url) -> Option<proxy::Proxy> {
        if self.unix_socket.is_some() {
            return None;
        }
        let host = url.host()?.connect_name();
        if self.no_proxy.as_deref().is_some_and(|list| proxy::no_proxy_matches(list, &host)) {
            return None;
        }
        let by_scheme = |scheme: &str| self.env_proxies.iter().find(|(s, _)| s == scheme).map(|(_, p)| p.clone());
        self.proxy.clone().or_else(|| by_scheme(url.scheme())).or_else(|| by_scheme("*"))
    }
}

/// The first `--connect-to` rule that applies to `host:port`, as
/// (target host, target port), empty fields meaning "keep".
pub(crate) fn connect_to_rule<'r>(routing: &'r Routing, host: &str, port: u16) -> Option<(&'r str, &'r str)> {
    routing.connect_to.iter().find_map(|(h1, p1, h2, p2)| {
        let host_ok = h1.is_empty() || h1.eq_ignore_ascii_case(host);
        let port_ok = p1.is_empty() || p1.parse::<u16>().ok() == Some(port);
        (host_ok && port_ok).then_some((h2.as_str(), p2.as_str()))
    })
}

/// Where a connection actually goes after `--connect-to`.
pub(crate) fn route(routing: &Routing, host: &str, port: u16) -> (String, u16) {
    let Some((h2, p2)) = connect_to_rule(routing, host, port) else { return (host.to_owned(), port) };
    let h = if h2.is_empty() { host.to_owned() } else { h2.trim_matches(['[', ']']).to_owned() };
    let p = if p2.is_empty() { port } else { p2.parse().unwrap_or(port) };
    (h, p)
}

/// Resolves `host:port`, `--resolve` entries first.
fn resolve(routing: &Routing, host: &str, port: u16) -> Result<Vec<SocketAddr>, Error> {
    for (h, p, addrs) in &routing.resolve {
        if (h == "*" || h.eq_ignore_ascii_case(host)) && *p == port {
            let list: Vec<SocketAddr> = addrs
                .iter()
                .filter_map(|a| a.trim_matches(['[', ']']).parse::<std::net::IpAddr>().ok())
                .map(|ip| SocketAddr::new(ip, port))
                .collect();
            if !list.is_empty() {
                return Ok(list);
            }
        }
    }
    let name = host.trim_matches(['[', ']']);
    match (name, port).to_socket_addrs() {
        Ok(it) => {
            let list: Vec<SocketAddr> = it.collect();
            if list.is_empty() { Err(Error::Resolve(host.to_owned())) } else { Ok(list) }
        }
        Err(_) => Err(Error::Resolve(host.to_owned())),
    }
}

/// Facts about a fresh connection, for `-v` and `-w`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Connected {
    /// When name resolution finished.
    pub(crate) resolved: Instant,
    /// When TCP connected.
    pub(crate) connected: Instant,
    /// The proxy's answer to CONNECT (`%{http_connect}`), 0 without one.
    pub(crate) http_connect: u16,
}

/// TLS to an `https://` proxy, SNI and name check on the proxy's host
/// name, with the `--proxy-*` TLS options.
fn proxy_tls(
    conn: Box<dyn Layer>,
    routing: &Routing,
    proxy: &proxy::Proxy,
    deadline: Option<Instant>,
    started: Instant,
    info: &mut dyn FnMut(&str),
) -> Result<Box<dyn Layer>, Error> {
    if let Some(d) = deadline {
        let left = d.checked_duration_since(Instant::now()).unwrap_or_default();
        conn.set_io_timeout(Some(left.max(Duration::from_millis(1)))).map_err(Error::Send)?;
    }
    let peer = tls::Peer::Proxy { tunnel: !proxy.forwards_http() };
    let (layer, _) = tls::handshake(conn, &proxy.host, proxy.port, &routing.proxy_tls, peer, info)
        .map_err(|e| handshake_timeout(e, started))?;
    Ok(layer)
}

/// A TLS handshake that ran out of time is curl's operation timeout (28),
/// counted from the transfer's start.
pub(crate) fn handshake_timeout(e: Error, started: Instant) -> Error {
    match e {
        Error::Tls(m) if m.starts_with("SSL connection timeout") => {
            Error::Timeout { ms: started.elapsed().as_millis(), bytes: 0 }
        }
        other => other,
    }
}

/// Resolves and connects to `host:port` (after `--connect-to`), trying
/// each address in turn within the connect timeout and the overall
/// deadline; through `proxy` when there is one (a CONNECT or SOCKS
/// tunnel layer on top of TCP, or plain TCP to the proxy for forwarded
/// HTTP). `info` receives curl's `*` trace lines.
pub(crate) fn connect(
    routing: &Routing,
    proxy: Option<&proxy::Proxy>,
    host: &str,
    port: u16,
    deadline: Option<Instant>,
    started: Instant,
    info: &mut dyn FnMut(&str),
) -> Result<(Box<dyn Layer>, Connected), Error> {
    if let Some(target) = &routing.unix_socket {
        return connect_unix(target, host, port, started, info);
    }
    let (host, port) = route(routing, host, port);
    let Some(proxy) = proxy else {
        let mut addrs = resolve(routing, &host, port)?;
        match routing.ip_version {
            Some(4) => addrs.retain(SocketAddr::is_ipv4),
            Some(6) => addrs.retain(SocketAddr::is_ipv6),
            _ => {}
        }
        if addrs.is_empty() {
            return Err(Error::Resolve(host));
        }
        return connect_addrs(routing, addrs, &host, port, deadline, started, info);
    };
    let addrs =
        resolve(&Routing::default(), &proxy.host, proxy.port).map_err(|_| Error::ResolveProxy(proxy.host.clone()))?;
    let (mut conn, mut facts) = connect_addrs(routing, addrs, &proxy.host, proxy.port, deadline, started, info)?;
    if proxy.tls {
        conn = proxy_tls(conn, routing, proxy, deadline, started, info)?;
    }
    if proxy.forwards_http() {
        return Ok((conn, facts));
    }
    if let Some(d) = deadline {
        let left = d.checked_duration_since(Instant::now()).unwrap_or_default();
        conn.set_io_timeout(Some(left)).map_err(Error::Send)?;
    }
    info(&format!("Establishing tunnel to {host}:{port} through the proxy"));
    let (tunnel, code) = proxy::open_tunnel(conn, proxy, &host, port).map_err(|e| match e {
        Error::Timeout { bytes, .. } => Error::Timeout { ms: started.elapsed().as_millis(), bytes },
        other => other,
    })?;
    facts.http_connect = code;
    Ok((tunnel, facts))
}

/// `--unix-socket`: the URL's host and port are only named, in curl's
/// lines and in exit 7's message.
fn connect_unix(
    target: &unix::UnixTarget,
    host: &str,
    port: u16,
    started: Instant,
    info: &mut dyn FnMut(&str),
) -> Result<(Box<dyn Layer>, Connected), Error> {
    let resolved = Instant::now();
    let shown = target.display();
    info(&format!("  Trying {shown}:0..."));
    let layer = unix::UnixLayer::connect(target).map_err(|_| Error::Connect {
        host: host.to_owned(),
        port,
        ms: started.elapsed().as_millis(),
    })?;
    info(&format!("Connected to {host} ({shown}) port {port} (#0)"));
    Ok((Box::new(layer), Connected { resolved, connected: Instant::now(), http_connect: 0 }))
}

fn connect_addrs(
    routing: &Routing,
    addrs: Vec<SocketAddr>,
    host: &str,
    port: u16,
    deadline: Option<Instant>,
    started: Instant,
    info: &mut dyn FnMut(&str),
) -> Result<(Box<dyn Layer>, Connected), Error> {
    let resolved = Instant::now();
    let connect_deadline = match (routing.connect_timeout.map(|t| started + t), deadline) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    // curl's default connect timeout when none is given.
    let connect_deadline = connect_deadline.unwrap_or_else(|| started + Duration::from_secs(300));
    let delay = routing.happy_eyeballs.unwrap_or(eyeballs::DEFAULT_DELAY);
    let mut last_timed_out = false;
    let note = &mut |n: eyeballs::Note| match n {
        eyeballs::Note::Trying(addr) => info(&format!("  Trying {}...", fmt_addr(addr))),
        eyeballs::Note::Failed(addr, e) => {
            last_timed_out = e.kind() == std::io::ErrorKind::TimedOut;
            info(&format!("connect to {} port {} failed: {}", addr.ip(), addr.port(), socket::strerror(&e)));
        }
        eyeballs::Note::MoveOn(addr, after) => {
            let family = if addr.is_ipv6() { "ipv6" } else { "ipv4" };
            // Rounded: the share was cut from a deadline set a moment ago.
            let ms = after.as_micros().div_ceil(1000);
            info(&format!("{family} connect timeout after {ms}ms, move on!"));
        }
    };
    let raced = eyeballs::race(&addrs, &routing.local, delay, connect_deadline, note);
    match raced {
        Ok(stream) => {
            let ip = stream.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
            info(&format!("Connected to {host} ({ip}) port {port} (#0)"));
            Ok((Box::new(TcpLayer::new(stream)), Connected { resolved, connected: Instant::now(), http_connect: 0 }))
        }
        Err(lost) => Err(lost_error(lost, last_timed_out, host, port, started.elapsed().as_millis())),
    }
}

/// The error for a lost connection race: our deadline is curl's
/// "Connection timed out after"; when every address failed, the last
/// failure decides: the kernel giving up (`ETIMEDOUT`) is a timeout (28),
/// anything else "Couldn't connect to server" (7).
fn lost_error(lost: eyeballs::Lost, last_timed_out: bool, host: &str, port: u16, ms: u128) -> Error {
    match lost {
        eyeballs::Lost::Fatal(e) => e,
        eyeballs::Lost::TimedOut => Error::ConnectTimeout { ms },
        eyeballs::Lost::Failed if last_timed_out => Error::ConnectTimedOut { host: host.to_owned(), port, ms },
        eyeballs::Lost::Failed => Error::Connect { host: host.to_owned(), port, ms },
    }
}

fn fmt_addr(a: SocketAddr) -> String {
    match a {
        SocketAddr::V4(v4) => format!("{}:{}", v4.ip(), v4.port()),
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
    }
}

/// Idle keep-alive connections, keyed by `scheme://host:port`.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    idle: Vec<(String, Box<dyn Layer>)>,
}

/// Most idle connections kept (curl's default cache size is 5 per easy handle).
const POOL_MAX: usize = 5;

impl Pool {
    /// Takes an idle connection for `key`, if any.
    pub(crate) fn take(&mut self, key: &str) -> Option<Box<dyn Layer>> {
        let i = self.idle.iter().position(|(k, _)| k == key)?;
        Some(self.idle.swap_remove(i).1)
    }

    /// Parks a connection for reuse, dropping the oldest past the cap.
    pub(crate) fn put(&mut self, key: String, conn: Box<dyn Layer>) {
        if self.idle.len() >= POOL_MAX {
            self.idle.remove(0);
        }
        self.idle.push((key, conn));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kernel_connect_timeout_is_curls_timeout() {
        let e = lost_error(eyeballs::Lost::Failed, true, "10.0.0.1", 80, 127_000);
        assert_eq!(e.to_string(), "Failed to connect to 10.0.0.1 port 80 after 127000 ms: Timeout was reached");
        assert_eq!(e.exit_code(), crate::exit::ExitCode::OPERATION_TIMEDOUT);
        let e = lost_error(eyeballs::Lost::Failed, false, "10.0.0.1", 80, 3);
        assert_eq!(e.to_string(), "Failed to connect to 10.0.0.1 port 80 after 3 ms: Couldn't connect to server");
        assert_eq!(e.exit_code(), crate::exit::ExitCode::COULDNT_CONNECT);
        let e = lost_error(eyeballs::Lost::TimedOut, true, "10.0.0.1", 80, 5_000);
        assert_eq!(e.to_string(), "Connection timed out after 5000 milliseconds");
        assert_eq!(e.exit_code(), crate::exit::ExitCode::OPERATION_TIMEDOUT);
    }

    #[test]
    fn connect_to_and_resolve_overrides() {
        let r = Routing {
            resolve: vec![("example.com".into(), 80, vec!["127.0.0.1".into(), "[::1]".into()])],
            connect_to: vec![("a.test".into(), String::new(), "b.test".into(), "81".into())],
            connect_timeout: None,
            proxy: None,
            env_proxies: Vec::new(),
            no_proxy: None,
            ip_version: None,
            proxy_tls: tls::TlsOptions::default(),
            unix_socket: None,
            local: socket::LocalBind::default(),
            happy_eyeballs: None,
        };
        assert_eq!(route(&r, "A.test", 80), ("b.test".into(), 81));
        assert_eq!(route(&r, "c.test", 80), ("c.test".into(), 80));
        let addrs = resolve(&r, "example.com", 80).unwrap();
        assert_eq!(addrs.len(), 2);
        assert_eq!(addrs[0].to_string(), "127.0.0.1:80");
        assert!(matches!(resolve(&r, "nosuch.invalid", 80), Err(Error::Resolve(_))));
    }

    #[test]
    fn ip_version_filter_can_empty_the_list() {
        let r = Routing { ip_version: Some(6), ..Routing::default() };
        let e = connect(&r, r.proxy.as_ref(), "127.0.0.1", 1, None, Instant::now(), &mut |_| {}).unwrap_err();
        assert_eq!(e.exit_code().get(), 6);
    }

    #[test]
    fn refused_connection_is_exit_7() {
        // Port 1 on loopback: nothing listens there in the test environment.
        let r = Routing::default();
        let e = connect(&r, r.proxy.as_ref(), "127.0.0.1", 1, None, Instant::now(), &mut |_| {}).unwrap_err();
        assert_eq!(e.exit_code().get(), 7);
    }

    #[test]
    fn proxy_choice_per_url() {
        let url = |u: &str| crate::url::Url::parse(u).unwrap();
        let env = |s: &str, p: &str| (s.to_owned(), proxy::Proxy::parse(p).unwrap());
        let mut r = Routing {
            env_proxies: vec![env("http", "h:1"), env("*", "socks5://all:2")],
            no_proxy: Some("internal.test,10.0.0.0/8".into()),
            ..Routing::default()
        };
        assert_eq!(r.proxy_for(&url("http://a.test/")).map(|p| p.port), Some(1));
        assert_eq!(r.proxy_for(&url("https://a.test/")).map(|p| p.port), Some(2));
        assert_eq!(r.proxy_for(&url("http://x.internal.test/")), None);
        assert_eq!(r.proxy_for(&url("http://10.9.8.7/")), None);
        r.proxy = Some(proxy::Proxy::parse("x:3").unwrap());
        assert_eq!(r.proxy_for(&url("https://a.test/")).map(|p| p.port), Some(3));
        assert_eq!(r.proxy_for(&url("http://internal.test/")), None);
    }
}
