//! TCP sockets std cannot make: bound to a device or a local address and
//! port before connecting (`--interface`, `--local-port`), and connected
//! without blocking so several attempts can race (Happy Eyeballs, in
//! [`super::eyeballs`]). `std::net` has no bind-before-connect and no
//! non-blocking connect, so this module calls `socket`, `setsockopt`,
//! `bind`, `connect`, `poll` and `getifaddrs` through `libc`.
//!
//! It is the only `unsafe` code in the library outside the C ABI: every
//! block is one libc call (or one read of a list libc returned) with its
//! `// SAFETY:` argument. A socket is owned by a [`TcpStream`] from the
//! moment it exists, so it is closed on every path.
//!
//! Entry points: [`LocalBind`] (what the command line asked for),
//! [`Attempt::start`], [`wait_writable`] and [`Attempt::finish`].
#![allow(unsafe_code)]

use std::ffi::CStr;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

use crate::error::Error;

/// `--interface`: which kind of name it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Interface {
    /// `if!NAME`: a network interface, nothing else.
    Device(String),
    /// `host!NAME`: a host name or address, never an interface.
    Host(String),
    /// A bare name: an interface of that name, else a host name or address.
    Either(String),
}

impl Interface {
    /// Reads curl's `--interface` syntax.
    pub(crate) fn parse(spec: &str) -> Self {
        if let Some(name) = spec.strip_prefix("if!") {
            Self::Device(name.to_owned())
        } else if let Some(name) = spec.strip_prefix("host!") {
            Self::Host(name.to_owned())
        } else {
            Self::Either(spec.to_owned())
        }
    }
}

/// Where our end of a connection is bound: `--interface` and
/// `--local-port` (`ports.0 <= ports.1`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LocalBind {
    /// `--interface`.
    pub(crate) interface: Option<Interface>,
    /// `--local-port N[-M]`: the first port of the range that is free.
    pub(crate) ports: Option<(u16, u16)>,
}

/// Parses `--local-port N[-M]` (1..=65535, `N <= M`).
pub(crate) fn parse_ports(text: &str) -> Option<(u16, u16)> {
    let (lo, hi) = text.split_once('-').unwrap_or((text, text));
    let (lo, hi): (u16, u16) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
    (lo > 0 && lo <= hi).then_some((lo, hi))
}

/// The source to bind for one address family: a device for
/// `SO_BINDTODEVICE` and an address.
#[derive(Debug)]
struct Source {
    device: Option<String>,
    ip: IpAddr,
}

/// What `getifaddrs` says about interface `name`: whether it exists, and
/// its first address of the wanted family (a link-local IPv6 address only
/// when it has no other).
fn interface_address(name: &str, v6: bool) -> (bool, Option<IpAddr>) {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs only writes the list head through the pointer
    // it is given, which points at a live local.
    if unsafe { libc::getifaddrs(&raw mut head) } != 0 {
        return (false, None);
    }
    let (mut exists, mut found, mut link_local) = (false, None, None);
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, which
        // stays allocated until the freeifaddrs below.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        // SAFETY: ifa_name is a NUL-terminated string owned by the list.
        if ifa.ifa_name.is_null() || unsafe { CStr::from_ptr(ifa.ifa_name) }.to_bytes() != name.as_bytes() {
            continue;
        }
        exists = true;
        if ifa.ifa_addr.is_null() || found.is_some() {
            continue;
        }
        // SAFETY: ifa_addr points at a sockaddr owned by the list; its
        // family field is read unaligned, as the whole struct is below.
        let family = i32::from(unsafe { std::ptr::read_unaligned(ifa.ifa_addr) }.sa_family);
        if family == libc::AF_INET && !v6 {
            // SAFETY: an AF_INET entry's address is a sockaddr_in.
            let sin = unsafe { std::ptr::read_unaligned(ifa.ifa_addr.cast::<libc::sockaddr_in>()) };
            found = Some(IpAddr::V4(Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes())));
        } else if family == libc::AF_INET6 && v6 {
            // SAFETY: an AF_INET6 entry's address is a sockaddr_in6.
            let sin6 = unsafe { std::ptr::read_unaligned(ifa.ifa_addr.cast::<libc::sockaddr_in6>()) };
            let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
            if ip.segments().first().is_some_and(|s| s & 0xffc0 == 0xfe80) {
                link_local = link_local.or(Some(IpAddr::V6(ip)));
            } else {
                found = Some(IpAddr::V6(ip));
            }
        }
    }
    // SAFETY: `head` came from a successful getifaddrs and is freed once;
    // no reference into the list outlives this point.
    unsafe { libc::freeifaddrs(head) };
    (exists, found.or(link_local))
}

/// Resolves `--interface` for a connection of `addr`'s family, with
/// curl's exit-45 messages.
fn source(interface: &Interface, v6: bool) -> Result<Source, Error> {
    let unspecified = if v6 { IpAddr::V6(Ipv6Addr::UNSPECIFIED) } else { IpAddr::V4(Ipv4Addr::UNSPECIFIED) };
    let (name, as_device, as_host) = match interface {
        Interface::Device(n) => (n, true, false),
        Interface::Host(n) => (n, false, true),
        Interface::Either(n) => (n, true, true),
    };
    if as_device {
        match interface_address(name, v6) {
            (true, Some(ip)) => return Ok(Source { device: Some(name.clone()), ip }),
            (true, None) => return Ok(Source { device: Some(name.clone()), ip: unspecified }),
            (false, _) if !as_host => return Err(Error::Interface(format!("Couldn't bind to interface '{name}'"))),
            (false, _) => {}
        }
    }
    let fail = || Error::Interface(format!("Couldn't bind to '{name}'"));
    let ip = match name.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(ip) => ip,
        Err(_) => (name.as_str(), 0)
            .to_socket_addrs()
            .map_err(|_| fail())?
            .map(|a| a.ip())
            .find(|ip| ip.is_ipv6() == v6)
            .ok_or_else(fail)?,
    };
    if ip.is_ipv6() != v6 {
        return Err(fail());
    }
    Ok(Source { device: None, ip })
}

/// A socket address in the C layout `bind` and `connect` take.
enum RawAddr {
    V4(libc::sockaddr_in),
    V6(libc::sockaddr_in6),
}

impl RawAddr {
    fn new(addr: SocketAddr) -> Self {
        match addr {
            SocketAddr::V4(a) => Self::V4(libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(a.ip().octets()) },
                sin_zero: [0; 8],
            }),
            SocketAddr::V6(a) => Self::V6(libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo(),
                sin6_addr: libc::in6_addr { s6_addr: a.ip().octets() },
                sin6_scope_id: a.scope_id(),
            }),
        }
    }

    /// The pointer and length for a libc call; valid while `self` lives.
    fn as_ptr(&self) -> (*const libc::sockaddr, libc::socklen_t) {
        match self {
            Self::V4(a) => (std::ptr::from_ref(a).cast(), size_of::<libc::sockaddr_in>() as libc::socklen_t),
            Self::V6(a) => (std::ptr::from_ref(a).cast(), size_of::<libc::sockaddr_in6>() as libc::socklen_t),
        }
    }
}

fn bind(stream: &TcpStream, addr: SocketAddr) -> io::Result<()> {
    let raw = RawAddr::new(addr);
    let (ptr, len) = raw.as_ptr();
    // SAFETY: `ptr` / `len` describe `raw`, alive across the call; the
    // descriptor is owned by `stream`.
    if unsafe { libc::bind(stream.as_raw_fd(), ptr, len) } == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

/// curl's text for a failed bind: `bind failed with errno 99: Cannot
/// assign requested address`.
fn bind_error(e: &io::Error) -> Error {
    Error::Interface(format!("bind failed with errno {}: {}", e.raw_os_error().unwrap_or(0), strerror(e)))
}

/// An OS error as `strerror` words it (`Connection refused`), which
/// curl prints: std's text without its ` (os error N)` tail.
pub(crate) fn strerror(e: &io::Error) -> String {
    let text = e.to_string();
    text.split(" (os error").next().unwrap_or_default().to_owned()
}

/// Binds `stream` as `--interface` / `--local-port` ask, for a connection
/// to an address of family `v6`.
fn bind_local(stream: &TcpStream, local: &LocalBind, v6: bool) -> Result<(), Error> {
    let src = match &local.interface {
        Some(i) => source(i, v6)?,
        None if local.ports.is_none() => return Ok(()),
        None => Source {
            device: None,
            ip: if v6 { IpAddr::V6(Ipv6Addr::UNSPECIFIED) } else { IpAddr::V4(Ipv4Addr::UNSPECIFIED) },
        },
    };
    if let Some(dev) = &src.device {
        let name = std::ffi::CString::new(dev.as_str()).map_err(|_| bind_error(&io::ErrorKind::InvalidInput.into()))?;
        let len = libc::socklen_t::try_from(dev.len() + 1).unwrap_or(0);
        // SAFETY: the option value points at `name`'s bytes (NUL
        // included, `len` long), alive across the call. As in curl, a
        // refusal (no CAP_NET_RAW) is not fatal: the address bind below
        // still ties the connection to the interface's address.
        let _ = unsafe {
            libc::setsockopt(stream.as_raw_fd(), libc::SOL_SOCKET, libc::SO_BINDTODEVICE, name.as_ptr().cast(), len)
        };
    }
    let (lo, hi) = local.ports.unwrap_or((0, 0));
    let mut last = None;
    for port in lo..=hi {
        match bind(stream, SocketAddr::new(src.ip, port)) {
            Ok(()) => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EADDRINUSE) => last = Some(e),
            Err(e) => return Err(bind_error(&e)),
        }
    }
    Err(bind_error(&last.unwrap_or_else(|| io::Error::from_raw_os_error(libc::EADDRINUSE))))
}

/// One non-blocking connection attempt.
#[derive(Debug)]
pub(crate) struct Attempt {
    /// Where it goes.
    pub(crate) addr: SocketAddr,
    stream: TcpStream,
}

impl Attempt {
    /// Creates, binds and starts connecting a socket to `addr`. The outer
    /// error is fatal (exit 45: the local side cannot be bound); the inner
    /// one only fails this address (refused at once, unreachable).
    pub(crate) fn start(addr: SocketAddr, local: &LocalBind) -> Result<io::Result<Self>, Error> {
        let domain = if addr.is_ipv4() { libc::AF_INET } else { libc::AF_INET6 };
        // SAFETY: socket() takes no pointers; the result is checked.
        let fd = unsafe { libc::socket(domain, libc::SOCK_STREAM | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK, 0) };
        if fd < 0 {
            return Ok(Err(io::Error::last_os_error()));
        }
        // SAFETY: `fd` is a fresh descriptor nothing else owns; from here
        // the stream closes it.
        let stream = TcpStream::from(unsafe { OwnedFd::from_raw_fd(fd) });
        bind_local(&stream, local, addr.is_ipv6())?;
        let raw = RawAddr::new(addr);
        let (ptr, len) = raw.as_ptr();
        // SAFETY: `ptr` / `len` describe `raw`, alive across the call.
        let rc = unsafe { libc::connect(stream.as_raw_fd(), ptr, len) };
        if rc != 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EINPROGRESS) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(Self { addr, stream }))
    }

    /// After [`wait_writable`] said so: the connected stream (blocking
    /// again, `TCP_NODELAY` on), or why the attempt failed.
    pub(crate) fn finish(self) -> io::Result<TcpStream> {
        if let Some(e) = self.stream.take_error()? {
            return Err(e);
        }
        self.stream.peer_addr()?;
        self.stream.set_nonblocking(false)?;
        // Requests are written whole; Nagle would only add latency.
        self.stream.set_nodelay(true)?;
        Ok(self.stream)
    }
}

/// Waits up to `timeout` until some of `attempts` finished connecting (or
/// failed); returns which, by index (none on timeout).
pub(crate) fn wait_writable(attempts: &[&Attempt], timeout: Duration) -> io::Result<Vec<usize>> {
    let mut fds: Vec<libc::pollfd> =
        attempts.iter().map(|a| libc::pollfd { fd: a.stream.as_raw_fd(), events: libc::POLLOUT, revents: 0 }).collect();
    // Rounded up, so a sub-millisecond wait is not a busy loop.
    let ms = libc::c_int::try_from(timeout.as_micros().div_ceil(1000)).unwrap_or(libc::c_int::MAX);
    let n = fds.len() as libc::nfds_t;
    // SAFETY: `fds` is a live array of `n` pollfd structs for the call.
    let rc = unsafe { libc::poll(fds.as_mut_ptr(), n, ms) };
    if rc < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::Interrupted { Ok(Vec::new()) } else { Err(e) };
    }
    Ok(fds.iter().enumerate().filter(|(_, p)| p.revents != 0).map(|(i, _)| i).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn interface_syntax_and_port_ranges() {
        assert_eq!(Interface::parse("if!eth0"), Interface::Device("eth0".into()));
        assert_eq!(Interface::parse("host!a.test"), Interface::Host("a.test".into()));
        assert_eq!(Interface::parse("lo"), Interface::Either("lo".into()));
        assert_eq!(parse_ports("4000"), Some((4000, 4000)));
        assert_eq!(parse_ports("4000-4010"), Some((4000, 4010)));
        for bad in ["0", "5-3", "99999", "x", "1-"] {
            assert_eq!(parse_ports(bad), None, "{bad}");
        }
    }

    fn connect(addr: SocketAddr, local: &LocalBind) -> Result<io::Result<TcpStream>, Error> {
        let a = match Attempt::start(addr, local)? {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
        assert_eq!(wait_writable(&[&a], Duration::from_secs(5)).unwrap(), [0]);
        Ok(a.finish())
    }

    #[test]
    fn binds_before_connecting() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let lo = LocalBind { interface: Some(Interface::parse("lo")), ports: None };
        let s = connect(addr, &lo).unwrap().unwrap();
        assert_eq!(s.local_addr().unwrap().ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
        let (_, seen) = listener.accept().unwrap();
        assert_eq!(seen, s.local_addr().unwrap());
        let by_ip = LocalBind { interface: Some(Interface::parse("host!127.0.0.1")), ports: None };
        assert!(connect(addr, &by_ip).unwrap().is_ok());
        let nosuch = LocalBind { interface: Some(Interface::parse("if!nosuchif0")), ports: None };
        let e = connect(addr, &nosuch).unwrap_err();
        assert_eq!((e.exit_code().get(), e.to_string()), (45, "Couldn't bind to interface 'nosuchif0'".to_owned()));
        let e = connect(addr, &LocalBind { interface: Some(Interface::parse("10.9.9.9")), ports: None }).unwrap_err();
        assert_eq!(e.to_string(), "bind failed with errno 99: Cannot assign requested address");
    }

    #[test]
    fn local_port_range_skips_ports_in_use() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        // A port held by a listener of our own is in use for a bind.
        let busy = TcpListener::bind("0.0.0.0:0").unwrap().local_addr().unwrap().port();
        let Some(next) = busy.checked_add(1) else { return };
        let local = LocalBind { interface: None, ports: Some((busy, next)) };
        let _hold = TcpListener::bind(("0.0.0.0", busy));
        match connect(addr, &local) {
            Ok(Ok(s)) => assert_eq!(s.local_addr().unwrap().port(), next),
            // `next` may be taken by another process: then the range is used up.
            Err(e) => assert_eq!(e.exit_code().get(), 45),
            Ok(Err(e)) => panic!("{e}"),
        }
    }

    #[test]
    fn os_errors_in_strerror_words() {
        assert_eq!(strerror(&io::Error::from_raw_os_error(libc::ECONNREFUSED)), "Connection refused");
    }

    #[test]
    fn refused_is_reported_by_finish() {
        let addr = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        // The listener is gone: the port refuses.
        assert!(connect(addr, &LocalBind::default()).unwrap().is_err());
    }
}
