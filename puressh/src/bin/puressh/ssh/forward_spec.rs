//! `-L`, `-R` and `-D` specifications, read as OpenSSH reads them
//! (`[bind_address:]port:host:hostport`, Unix socket paths, `[v6]`
//! brackets, `*` for every address). The forwarding itself is not done
//! by this build: a parsed request is reported as not set up, the way
//! `ssh` reports a forwarding it could not establish.

/// One end of a forwarding: a TCP address or a Unix socket path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// An optional bind address or host, and a port.
    Tcp(Option<String>, u16),
    /// A socket path.
    Unix(String),
}

/// Which flag asked for the forwarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `-L` / `LocalForward`.
    Local,
    /// `-R` / `RemoteForward`.
    Remote,
    /// `-D` / `DynamicForward`.
    Dynamic,
}

impl Kind {
    /// OpenSSH's word for it in messages.
    pub(crate) const fn label(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Remote => "remote",
            Self::Dynamic => "dynamic",
        }
    }
}

/// A parsed forwarding request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Forward {
    pub(crate) kind: Kind,
    /// Where connections are accepted.
    pub(crate) listen: Endpoint,
    /// Where they go; `None` for dynamic (SOCKS) forwardings.
    pub(crate) connect: Option<Endpoint>,
}

/// Splits at `:` outside `[...]`; `[` `]` are removed from host fields.
fn fields(spec: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut bracket = false;
    for c in spec.chars() {
        match c {
            '[' if !bracket && current.is_empty() => bracket = true,
            ']' if bracket => bracket = false,
            ':' if !bracket => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    if bracket {
        return None;
    }
    out.push(current);
    Some(out)
}

fn port(text: &str, allow_zero: bool) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&p| allow_zero || p != 0)
}

fn is_path(text: &str) -> bool {
    text.contains('/')
}

/// Parses one specification of `kind`; the error is OpenSSH's message.
pub(crate) fn parse(kind: Kind, spec: &str) -> Result<Forward, String> {
    let bad = || format!("Bad {} forwarding specification '{spec}'", kind.label());
    let f = fields(spec).ok_or_else(bad)?;
    let host = |s: &String| if s.is_empty() || s == "*" { None } else { Some(s.clone()) };
    // Remote listeners may ask for port 0 (the server picks one).
    let listen_zero = kind == Kind::Remote;
    let tcp_listen = |bind: Option<&String>, p: &String| -> Option<Endpoint> {
        Some(Endpoint::Tcp(bind.and_then(host), port(p, listen_zero)?))
    };
    let forward = match (kind, f.as_slice()) {
        (Kind::Dynamic, [p]) => Forward { kind, listen: tcp_listen(None, p).ok_or_else(bad)?, connect: None },
        (Kind::Dynamic, [b, p]) => Forward { kind, listen: tcp_listen(Some(b), p).ok_or_else(bad)?, connect: None },
        // -R [bind:]port alone: a dynamic forwarding on the server.
        (Kind::Remote, [p]) if !is_path(p) => {
            Forward { kind, listen: tcp_listen(None, p).ok_or_else(bad)?, connect: None }
        }
        (Kind::Local | Kind::Remote, [a, b]) => {
            // port:socket, socket:socket
            let listen = if is_path(a) { Endpoint::Unix(a.clone()) } else { tcp_listen(None, a).ok_or_else(bad)? };
            if !is_path(b) {
                return Err(bad());
            }
            Forward { kind, listen, connect: Some(Endpoint::Unix(b.clone())) }
        }
        (Kind::Local | Kind::Remote, [a, b, c]) => {
            // port:host:hostport, socket:host:hostport, bind:port:socket
            if is_path(c) {
                Forward {
                    kind,
                    listen: tcp_listen(Some(a), b).ok_or_else(bad)?,
                    connect: Some(Endpoint::Unix(c.clone())),
                }
            } else {
                let listen =
                    if is_path(a) { Endpoint::Unix(a.clone()) } else { tcp_listen(None, a).ok_or_else(bad)? };
                let target = Endpoint::Tcp(Some(b.clone()).filter(|h| !h.is_empty()), port(c, false).ok_or_else(bad)?);
                Forward { kind, listen, connect: Some(target) }
            }
        }
        (Kind::Local | Kind::Remote, [bind, p, h, hp]) => {
            let target = Endpoint::Tcp(Some(h.clone()).filter(|h| !h.is_empty()), port(hp, false).ok_or_else(bad)?);
            Forward { kind, listen: tcp_listen(Some(bind), p).ok_or_else(bad)?, connect: Some(target) }
        }
        _ => return Err(bad()),
    };
    if matches!(&forward.connect, Some(Endpoint::Tcp(None, _))) {
        return Err(bad());
    }
    Ok(forward)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(host: Option<&str>, port: u16) -> Endpoint {
        Endpoint::Tcp(host.map(str::to_owned), port)
    }

    #[test]
    fn openssh_forms() {
        let l = parse(Kind::Local, "8080:example.org:80").unwrap();
        assert_eq!((l.listen, l.connect), (tcp(None, 8080), Some(tcp(Some("example.org"), 80))));
        let l = parse(Kind::Local, "127.0.0.1:8080:[::1]:80").unwrap();
        assert_eq!((l.listen, l.connect), (tcp(Some("127.0.0.1"), 8080), Some(tcp(Some("::1"), 80))));
        let l = parse(Kind::Local, "*:8080:db:5432").unwrap();
        assert_eq!(l.listen, tcp(None, 8080));
        let l = parse(Kind::Local, "[::1]:8080:db:5432").unwrap();
        assert_eq!(l.listen, tcp(Some("::1"), 8080));
        let l = parse(Kind::Local, "/tmp/l.sock:/run/r.sock").unwrap();
        assert_eq!(
            (l.listen, l.connect),
            (Endpoint::Unix("/tmp/l.sock".into()), Some(Endpoint::Unix("/run/r.sock".into())))
        );
        let l = parse(Kind::Local, "8080:/run/r.sock").unwrap();
        assert_eq!(l.listen, tcp(None, 8080));
        let l = parse(Kind::Local, "localhost:8080:/run/r.sock").unwrap();
        assert_eq!(l.listen, tcp(Some("localhost"), 8080));
        let r = parse(Kind::Remote, "0:localhost:22").unwrap();
        assert_eq!(r.listen, tcp(None, 0));
        let r = parse(Kind::Remote, "1080").unwrap();
        assert_eq!((r.listen, r.connect), (tcp(None, 1080), None));
        let d = parse(Kind::Dynamic, "1080").unwrap();
        assert_eq!((d.listen, d.connect), (tcp(None, 1080), None));
        let d = parse(Kind::Dynamic, "localhost:1080").unwrap();
        assert_eq!(d.listen, tcp(Some("localhost"), 1080));
    }

    #[test]
    fn bad_forms_get_openssh_messages() {
        assert_eq!(parse(Kind::Local, "abc").unwrap_err(), "Bad local forwarding specification 'abc'");
        assert_eq!(parse(Kind::Dynamic, "x:y:z").unwrap_err(), "Bad dynamic forwarding specification 'x:y:z'");
        for spec in ["0:h:80", "70000:h:80", "8080:h:0", "8080:h:http", "8080::80", "[::1:8080:h:80", "1:2:3:4:5"] {
            assert!(parse(Kind::Local, spec).is_err(), "{spec}");
        }
        assert!(parse(Kind::Remote, "x").is_err());
        assert!(parse(Kind::Dynamic, "0").is_err());
    }
}
