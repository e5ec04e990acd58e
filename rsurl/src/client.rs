//! The library API: [`get`], the [`Request`] builder, a [`Client`] that
//! keeps idle connections for reuse, and a [`Response`] whose body is read
//! as a stream (`std::io::Read`), never buffered whole unless asked.
//!
//! Entry points: [`get`] for one-off fetches, [`Client::send`] otherwise.
//! The same transfer engine as the CLI runs underneath.

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::transfer::{self, Body, Ctx, Exchange, Observer, Spec, lock};
use crate::url::Url;

/// Fetches `url` with a fresh client: a GET with curl's defaults
/// (redirects not followed).
///
/// # Errors
/// Any [`Error`] the transfer meets before the response head; body errors
/// surface while reading the [`Response`].
pub fn get(url: &str) -> Result<Response, Error> {
    Client::new().send(Request::get(url)?)
}

/// One request, built step by step.
#[derive(Debug, Clone)]
pub struct Request {
    spec: Spec,
    method: Option<String>,
}

impl Request {
    /// A request with `method` for `url`.
    ///
    /// # Errors
    /// [`Error::Url`] when the URL does not parse.
    pub fn new(method: &str, url: &str) -> Result<Self, Error> {
        Ok(Self { spec: Spec::new(Url::parse(url)?), method: Some(method.to_owned()) })
    }

    /// A GET of `url`.
    ///
    /// # Errors
    /// [`Error::Url`] when the URL does not parse.
    pub fn get(url: &str) -> Result<Self, Error> {
        Self::new("GET", url)
    }

    /// Adds a header (replacing a built-in one of that name, such as
    /// `User-Agent`). CR, LF and NUL are refused when the request is sent.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.spec.headers.push((name.to_owned(), Some(value.to_owned())));
        self
    }

    /// Sets the request body (sent with its exact `Content-Length`).
    #[must_use]
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.spec.body = Body::Bytes(body.into());
        if !self.spec.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
            self.spec.headers.push(("Content-Type".into(), Some("application/octet-stream".into())));
        }
        self
    }

    /// Sends `Authorization: Basic` (only to the URL's own origin when
    /// redirects are followed).
    #[must_use]
    pub fn basic_auth(mut self, user: &str, password: &str) -> Self {
        self.spec.credentials = Some((user.to_owned(), password.to_owned()));
        self.spec.auth = crate::auth::Scheme::Basic;
        self
    }

    /// Answers the server's Digest challenge (RFC 7616: MD5, SHA-256,
    /// SHA-512-256, `-sess`, `userhash`): the first request goes without
    /// credentials, a 401 with a Digest challenge is answered once.
    #[must_use]
    pub fn digest_auth(mut self, user: &str, password: &str) -> Self {
        self.spec.credentials = Some((user.to_owned(), password.to_owned()));
        self.spec.auth = crate::auth::Scheme::Digest;
        self
    }

    /// Sends `Authorization: Bearer TOKEN` (OAuth 2, RFC 6750).
    #[must_use]
    pub fn bearer_auth(mut self, token: &str) -> Self {
        self.spec.auth = crate::auth::Scheme::Bearer(token.to_owned());
        self
    }

    /// Follows up to `max` redirects (`None`: no limit).
    #[must_use]
    pub fn follow_redirects(mut self, max: Option<u32>) -> Self {
        self.spec.follow = true;
        self.spec.max_redirs = max;
        self
    }

    /// Bounds the whole transfer, body included.
    #[must_use]
    pub fn timeout(mut self, t: Duration) -> Self {
        self.spec.timeout = Some(t);
        self
    }

    /// Bounds the connect phase.
    #[must_use]
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.spec.routing.connect_timeout = Some(t);
        self
    }

    /// HTTPS: trust the CA certificates of this PEM (or DER) file instead
    /// of the system store (`--cacert`).
    #[must_use]
    pub fn ca_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.spec.tls.ca_file = Some(path.into());
        self
    }

    /// HTTPS: accept only a server whose public key hashes to one of
    /// these `sha256//BASE64` pins, `;`-separated (`--pinnedpubkey`).
    #[must_use]
    pub fn pinned_public_key(mut self, pins: &str) -> Self {
        self.spec.tls.pinned_key = Some(pins.to_owned());
        self
    }

    /// HTTPS: authenticate with this client certificate (PEM chain, leaf
    /// first) and private key (PEM or DER, PKCS #8 or traditional,
    /// encrypted when `password` is given): `-E cert --key key --pass pw`.
    #[must_use]
    pub fn client_cert(
        mut self,
        cert: impl Into<std::path::PathBuf>,
        key: impl Into<std::path::PathBuf>,
        password: Option<&str>,
    ) -> Self {
        let c = &mut self.spec.tls.client_cert;
        c.cert = Some(cert.into());
        c.key = Some(key.into());
        c.pass = password.map(crate::conn::tls::client_cert::Passphrase::new);
        self
    }

    /// HTTPS without certificate or host-name verification (`-k`): open
    /// to any active attacker. For tests against throwaway servers.
    #[must_use]
    pub fn dangerous_accept_invalid_certs(mut self) -> Self {
        self.spec.tls.verify_peer = false;
        self
    }

    /// Sends the request through a proxy (`-x`): `http://`, `https://`,
    /// `socks4://`, `socks4a://`, `socks5://` or `socks5h://` with an
    /// optional `user:password@` (no scheme: an HTTP proxy). HTTP URLs are
    /// forwarded to an HTTP proxy, HTTPS URLs tunnelled with `CONNECT`.
    /// Without this, the library uses no proxy (the environment's
    /// `*_proxy` variables are the CLI's and the C ABI's business).
    ///
    /// # Errors
    /// [`Error::UnsupportedProtocol`] for an unknown proxy scheme,
    /// [`Error::ResolveProxy`] for an empty host or a bad port.
    pub fn proxy(mut self, proxy: &str) -> Result<Self, Error> {
        self.spec.routing.proxy = Some(crate::conn::proxy::Proxy::parse(proxy)?);
        Ok(self)
    }

    /// Tunnels plain HTTP through the HTTP proxy with `CONNECT` too
    /// (`-p`), instead of forwarding it.
    #[must_use]
    pub fn proxy_tunnel(mut self) -> Self {
        if let Some(p) = self.spec.routing.proxy.as_mut() {
            p.tunnel = true;
        }
        self
    }

    /// Hosts reached without the proxy (`--noproxy`): a comma-separated
    /// list of names (a name also covers its subdomains), IP addresses,
    /// CIDR ranges, or `*` for every host.
    #[must_use]
    pub fn no_proxy(mut self, list: &str) -> Self {
        self.spec.routing.no_proxy = Some(list.to_owned());
        self
    }

    /// An `https://` proxy: trust the CA certificates of this file for
    /// the proxy's certificate (`--proxy-cacert`).
    #[must_use]
    pub fn proxy_ca_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.spec.routing.proxy_tls.ca_file = Some(path.into());
        self
    }

    fn into_spec(mut self) -> Spec {
        let natural = if matches!(self.spec.body, Body::None) { "GET" } else { "POST" };
        self.spec.custom_method = self.method.filter(|m| m != natural);
        self.spec
    }
}

/// A client: connection pool and defaults shared by its requests.
///
/// Cloning is cheap and clones share the pool (and the HSTS store and
/// alt-svc cache, when turned on).
#[derive(Debug, Clone)]
pub struct Client {
    ctx: Arc<Mutex<Ctx>>,
    /// Where [`Client::save_caches`] writes the HSTS store.
    hsts_file: Option<PathBuf>,
    /// Where [`Client::save_caches`] writes the alt-svc cache.
    alt_svc_file: Option<PathBuf>,
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

/// Library transfers trace nothing.
struct Silent;

impl Observer for Silent {}

impl Client {
    /// A client with an empty pool.
    #[must_use]
    pub fn new() -> Self {
        Self { ctx: Arc::new(Mutex::new(Ctx::new())), hsts_file: None, alt_svc_file: None }
    }

    /// Turns on HSTS (RFC 6797, as curl's `--hsts FILE`): reads curl's
    /// HSTS file at `path` now (a missing file is an empty store); from
    /// then on an `http://` request to a host the store names goes to
    /// `https://` instead, and `Strict-Transport-Security` headers
    /// received over HTTPS update the store. [`Client::save_caches`]
    /// writes it back.
    #[must_use]
    pub fn with_hsts_file(mut self, path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        crate::cache_file::load(&mut lock(&self.ctx).hsts, &path);
        self.hsts_file = Some(path);
        self
    }

    /// Turns on alternative services (RFC 7838, as curl's `--alt-svc
    /// FILE`): reads curl's alt-svc file at `path` now (a missing file is
    /// an empty cache); `Alt-Svc` headers received over HTTPS are cached,
    /// and a new HTTPS connection to an origin with a cached h1 or h2
    /// alternative goes to that host and port (the origin's name is still
    /// the one verified and sent). [`Client::save_caches`] writes it back.
    #[must_use]
    pub fn with_alt_svc_file(mut self, path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        crate::cache_file::load(&mut lock(&self.ctx).alt_svc, &path);
        self.alt_svc_file = Some(path);
        self
    }

    /// Writes the HSTS store and alt-svc cache to the files given to
    /// [`Client::with_hsts_file`] and [`Client::with_alt_svc_file`], in
    /// curl's formats, expired entries dropped.
    ///
    /// # Errors
    /// The first write that failed.
    pub fn save_caches(&self) -> std::io::Result<()> {
        let ctx = lock(&self.ctx);
        if let (Some(path), Some(store)) = (&self.hsts_file, &ctx.hsts) {
            crate::cache_file::save(store, path)?;
        }
        if let (Some(path), Some(cache)) = (&self.alt_svc_file, &ctx.alt_svc) {
            crate::cache_file::save(cache, path)?;
        }
        Ok(())
    }

    /// Sends `req` and returns once the final response head arrived.
    ///
    /// # Errors
    /// Any [`Error`] before the head (connect, timeout, malformed reply,
    /// too many redirects...).
    pub fn send(&self, req: Request) -> Result<Response, Error> {
        let spec = req.into_spec();
        let started = Instant::now();
        let (exchange, info) = transfer::perform(&spec, &mut lock(&self.ctx), &mut Silent, started)?;
        Ok(Response { exchange: Some(exchange), info, ctx: self.ctx.clone() })
    }

    /// Connections opened so far by this client (a measure of reuse).
    #[must_use]
    pub fn connections_opened(&self) -> u32 {
        lock(&self.ctx).connects
    }
}

/// A response: status and headers now, the body as a stream.
///
/// When the body has been read to its end the connection goes back to the
/// client's pool; dropping a response early closes it instead.
pub struct Response {
    exchange: Option<Box<dyn Exchange>>,
    info: transfer::Info,
    ctx: Arc<Mutex<Ctx>>,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response").field("status", &self.status()).field("url", &self.info.url_effective).finish()
    }
}

impl Response {
    /// The status code (0 for protocols without one, such as `file://`).
    #[must_use]
    pub fn status(&self) -> u16 {
        self.info.http_code
    }

    /// The first value of a header, as text.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<String> {
        self.info.head.as_ref().and_then(|h| h.get_str(name))
    }

    /// Every header field in order, values as received (trimmed).
    #[must_use]
    pub fn headers(&self) -> &[(String, Vec<u8>)] {
        self.info.head.as_ref().map_or(&[], |h| h.headers.as_slice())
    }

    /// The URL after redirects.
    #[must_use]
    pub fn effective_url(&self) -> &str {
        &self.info.url_effective
    }

    /// How many redirects were followed.
    #[must_use]
    pub fn redirects(&self) -> u32 {
        self.info.num_redirects
    }

    /// Reads body bytes; `Ok(0)` at the end.
    ///
    /// # Errors
    /// The transfer's [`Error`] (truncated body, timeout, ...).
    pub fn read_body(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        let Some(ex) = self.exchange.as_mut() else { return Ok(0) };
        let n = ex.read_body(buf)?;
        if n == 0 && !buf.is_empty() {
            if let Some((key, conn)) = self.exchange.take().and_then(|ex| ex.into_reusable()) {
                lock(&self.ctx).pool.put(key, conn);
            }
        }
        Ok(n)
    }

    /// Reads the whole body into memory.
    ///
    /// # Errors
    /// The transfer's [`Error`].
    pub fn bytes(mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = self.read_body(&mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(buf.get(..n).unwrap_or(&[]));
        }
    }

    /// Reads the whole body as UTF-8 (invalid sequences replaced).
    ///
    /// # Errors
    /// The transfer's [`Error`].
    pub fn text(self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.bytes()?).into_owned())
    }
}

impl Read for Response {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.read_body(buf).map_err(std::io::Error::other)
    }
}
