//! URLs per RFC 3986, with the leniencies curl users rely on.
//!
//! Entry points: [`Url::parse`] and [`Url::join`] (relative redirect
//! resolution, RFC 3986 §5.2). Leniencies: a URL without `scheme://` is
//! guessed from its host (`ftp.` -> ftp, otherwise http) as curl does;
//! `%xx` is upper-cased, non-ASCII bytes in the path and query are
//! percent-encoded (spaces too, in redirect targets only); dot segments are removed; IPv4 shorthand is read;
//! IPv6 literals may carry a zone id; non-ASCII host names are converted
//! to Punycode (`xn--`). Control bytes (CR, LF, NUL...) are
//! always refused, so a URL cannot split a request.

mod host;
pub(crate) mod idn;
pub(crate) mod percent;

use core::fmt;

pub use host::Host;

use crate::error::UrlError;
use crate::scheme;

/// The longest URL accepted (curl's limit is 8 MB; requests this long are
/// refused by every server anyway).
pub const MAX_URL_LEN: usize = 1 << 20;

/// A parsed, normalised absolute URL.
///
/// Invariants: `scheme` is lower-case ASCII; `path` starts with `/` for
/// schemes with an authority; no component holds control bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    scheme: String,
    user: Option<String>,
    password: Option<String>,
    host: Option<Host>,
    /// The host as written when it was not ASCII (curl shows that form in
    /// `%{url_effective}`; requests use the Punycode form).
    unicode_host: Option<String>,
    port: Option<u16>,
    path: String,
    query: Option<String>,
    fragment: Option<String>,
}

/// Refuses control bytes, and spaces too when `allow_space` is false (a
/// command-line URL with a space is an error for curl; a `Location:` with
/// one gets it encoded).
fn check_bytes(s: &str, allow_space: bool) -> Result<(), UrlError> {
    if s.len() > MAX_URL_LEN {
        return Err(UrlError::TooLong);
    }
    match s.bytes().position(|b| b < 0x20 || b == 0x7f || (b == b' ' && !allow_space)) {
        Some(offset) => Err(UrlError::ForbiddenByte { byte: s.as_bytes().get(offset).copied().unwrap_or(0), offset }),
        None => Ok(()),
    }
}

/// Splits `scheme:` off when the text has a valid one followed by `//`.
fn split_scheme(s: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = s.split_once("://")?;
    let mut bytes = scheme.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    let rest_ok = bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    (first_ok && rest_ok && scheme.len() <= 40).then_some((scheme, rest))
}

/// curl's scheme guess for a URL written without one.
fn guess_scheme(authority_and_rest: &str) -> &'static str {
    let host = authority_and_rest.rsplit_once('@').map_or(authority_and_rest, |(_, h)| h).to_ascii_lowercase();
    for (prefix, scheme) in
        [("ftp.", "ftp"), ("dict.", "dict"), ("ldap.", "ldap"), ("imap.", "imap"), ("smtp.", "smtp"), ("pop3.", "pop3")]
    {
        if host.starts_with(prefix) {
            return scheme;
        }
    }
    "http"
}

/// RFC 3986 §5.2.4: removes `.` and `..` segments.
pub(crate) fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." | "%2E" => {
                if i == last {
                    out.push("");
                }
            }
            ".." | "%2E%2E" | ".%2E" | "%2E." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if path.starts_with('/') && !joined.starts_with('/') { format!("/{joined}") } else { joined }
}

impl Url {
    /// Parses an absolute URL, or a scheme-less one the way curl guesses.
    ///
    /// # Errors
    /// A [`UrlError`] saying what was wrong.
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        let input = input.trim_matches(' ');
        check_bytes(input, false)?;
        if input.is_empty() {
            return Err(UrlError::NoHost);
        }
        let (scheme, rest) = match split_scheme(input) {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None if input.contains("://") => return Err(UrlError::BadScheme),
            None => (guess_scheme(input.split(['/', '?', '#']).next().unwrap_or("")).to_owned(), input),
        };
        let base = input.len() - rest.len();
        let (rest, fragment) = match rest.split_once('#') {
            Some((r, f)) => (r, Some(f.to_owned())),
            None => (rest, None),
        };
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let (path, query) = match tail.split_once('?') {
            Some((p, q)) => (p, Some(percent::normalize(q, base + end + p.len() + 1)?)),
            None => (tail, None),
        };
        let mut url = Self {
            scheme,
            user: None,
            password: None,
            host: None,
            unicode_host: None,
            port: None,
            path: String::new(),
            query,
            fragment,
        };
        url.set_authority(authority, base)?;
        url.path = remove_dot_segments(&percent::normalize(if path.is_empty() { "/" } else { path }, base + end)?);
        Ok(url)
    }

    fn set_authority(&mut self, authority: &str, base: usize) -> Result<(), UrlError> {
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        if let Some(u) = userinfo {
            let (user, pass) = match u.split_once(':') {
                Some((a, b)) => (a, Some(b)),
                None => (u, None),
            };
            self.user = Some(percent::normalize(user, base)?);
            self.password = pass.map(|p| percent::normalize(p, base)).transpose()?;
        }
        let (host, port) = if hostport.starts_with('[') {
            match hostport.find(']') {
                Some(i) => {
                    let (h, p) = hostport.split_at(i + 1);
                    (h, p.strip_prefix(':'))
                }
                None => return Err(UrlError::BadHost),
            }
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        if host.is_empty() {
            if self.scheme == "file" {
                return Ok(());
            }
            return Err(UrlError::NoHost);
        }
        if hostport.starts_with('[') && port.is_none() && hostport.len() != host.len() {
            return Err(UrlError::BadPort);
        }
        self.host = Some(Host::parse(host)?);
        self.unicode_host = (!host.is_ascii()).then(|| host.to_owned());
        self.port = match port {
            None | Some("") => None,
            Some(p) if p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
                Some(p.parse::<u16>().map_err(|_| UrlError::BadPort)?)
            }
            Some(_) => return Err(UrlError::BadPort),
        };
        Ok(())
    }

    /// Resolves `reference` (a `Location:` value) against this URL.
    ///
    /// # Errors
    /// A [`UrlError`] when the reference is not a valid URL reference.
    pub fn join(&self, reference: &str) -> Result<Self, UrlError> {
        check_bytes(reference, true)?;
        let encoded = reference.trim_matches(|c| c == ' ' || c == '\t').replace(' ', "%20");
        let reference = encoded.as_str();
        if split_scheme(reference).is_some() {
            return Self::parse(reference);
        }
        if let Some(rest) = reference.strip_prefix("//") {
            return Self::parse(&format!("{}://{rest}", self.scheme));
        }
        let mut out = self.clone();
        let (reference, fragment) = match reference.split_once('#') {
            Some((r, f)) => (r, Some(f.to_owned())),
            None => (reference, None),
        };
        out.fragment = fragment;
        let (path, query) = match reference.split_once('?') {
            Some((p, q)) => (p, Some(percent::normalize(q, 0)?)),
            None => (reference, None),
        };
        if path.is_empty() {
            if query.is_some() {
                out.query = query;
            }
            return Ok(out);
        }
        out.query = query;
        let merged = if path.starts_with('/') {
            path.to_owned()
        } else {
            let dir = self.path.rfind('/').map_or("/", |i| self.path.get(..=i).unwrap_or("/"));
            format!("{dir}{path}")
        };
        out.path = remove_dot_segments(&percent::normalize(&merged, 0)?);
        Ok(out)
    }

    /// The lower-case scheme.
    #[must_use]
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The host, absent only for `file://`.
    #[must_use]
    pub fn host(&self) -> Option<&Host> {
        self.host.as_ref()
    }

    /// The explicit port, if the URL has one.
    #[must_use]
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The explicit port or the scheme's default.
    #[must_use]
    pub fn port_or_default(&self) -> u16 {
        self.port.or_else(|| scheme::lookup(&self.scheme).map(|s| s.default_port)).unwrap_or(0)
    }

    /// The percent-encoded user name from the URL.
    #[must_use]
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The percent-encoded password from the URL.
    #[must_use]
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The normalised path (starts with `/`).
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query without `?`.
    #[must_use]
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// Replaces the query (used by `-G`).
    pub fn set_query(&mut self, query: Option<String>) {
        self.query = query;
    }

    /// Drops user and password (they travel in `Authorization` instead).
    pub fn clear_credentials(&mut self) {
        self.user = None;
        self.password = None;
    }

    /// `path?query`: the origin-form request target (RFC 9112 §3.2.1).
    #[must_use]
    pub fn request_target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    /// `host[:port]` for the `Host:` header: the port only when not the
    /// scheme's default, zone ids never (they mean nothing to the server).
    #[must_use]
    pub fn host_header(&self) -> String {
        let host = match &self.host {
            Some(Host::V6(a, _)) => format!("[{a}]"),
            Some(h) => h.to_string(),
            None => String::new(),
        };
        match self.port {
            Some(p) if Some(p) != scheme::lookup(&self.scheme).map(|s| s.default_port) => format!("{host}:{p}"),
            _ => host,
        }
    }

    /// The last path segment, percent-decoded, as `-O` names files.
    #[must_use]
    pub fn file_name(&self) -> String {
        let last = self.path.rsplit('/').next().unwrap_or("");
        String::from_utf8_lossy(&percent::decode(last)).into_owned()
    }
}

impl fmt::Display for Url {
    /// The normalised URL (`%{url_effective}`), without the fragment.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.scheme)?;
        if let Some(u) = &self.user {
            f.write_str(u)?;
            if let Some(p) = &self.password {
                write!(f, ":{p}")?;
            }
            f.write_str("@")?;
        }
        match (&self.unicode_host, &self.host) {
            (Some(u), _) => f.write_str(u)?,
            (None, Some(h)) => write!(f, "{h}")?,
            (None, None) => {}
        }
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        f.write_str(&self.path)?;
        if let Some(q) = &self.query {
            write!(f, "?{q}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
