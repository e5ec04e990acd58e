//! The transfer engine: one request description ([`Spec`]) in, a response
//! whose body is read on demand out, redirects followed in between.
//!
//! Entry point: [`perform`]. Each protocol is one handler module behind
//! the [`Protocol`] trait, found through the scheme table's
//! [`Handler`] column; handlers hand back an [`Exchange`] (the response
//! head and a body reader). Trace lines and response heads reach the
//! caller through an [`Observer`], so the CLI (`-v`, `-i`, `-D`) and the
//! library share one engine.

pub(crate) mod body;
mod file;
pub(crate) mod h2;
pub(crate) mod http;
mod redirect;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::conn::{Layer, Pool, Routing};
use crate::error::Error;
use crate::http1::Limits;
use crate::http1::response::ResponseHead;
use crate::url::Url;

pub(crate) use body::Body;
pub(crate) use http::USER_AGENT;

/// Which handler runs a scheme's transfers (the scheme table's column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handler {
    /// No handler in this build (TLS schemes until purecrypto lands).
    Unsupported,
    /// HTTP/1.1.
    Http,
    /// `file://`.
    File,
}

impl Handler {
    fn protocol(self) -> Option<&'static dyn Protocol> {
        match self {
            Self::Unsupported => None,
            Self::Http => Some(&http::HttpProtocol),
            Self::File => Some(&file::FileProtocol),
        }
    }
}

/// What to fetch and how: everything the command line or the library's
/// `Request` builder decided.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) url: Url,
    /// `-X`: sent instead of the method the request would use.
    pub(crate) custom_method: Option<String>,
    /// `-I`: HEAD.
    pub(crate) head_only: bool,
    /// `-H`: `Some(value)` adds or replaces, `None` removes a built-in header.
    pub(crate) headers: Vec<(String, Option<String>)>,
    /// `-A` (`Some("")` removes the header).
    pub(crate) user_agent: Option<String>,
    /// `-e`.
    pub(crate) referer: Option<String>,
    /// `-u user:password`.
    pub(crate) credentials: Option<(String, String)>,
    /// How credentials are presented (`--basic`, `--digest`, ...).
    pub(crate) auth: crate::auth::Scheme,
    /// `-b name=value`: sent as given, to the first origin only.
    pub(crate) cookie: Option<String>,
    /// Request body; its presence makes the method POST (or PUT for `-T`).
    pub(crate) body: Body,
    /// `-r`.
    pub(crate) range: Option<String>,
    /// `-z`: (unmodified-since instead of modified-since, Unix seconds).
    pub(crate) time_condition: Option<(bool, u64)>,
    /// `-C`: resume offset.
    pub(crate) resume_from: Option<u64>,
    /// `--compressed`.
    pub(crate) compressed: bool,
    /// `-L`.
    pub(crate) follow: bool,
    /// `--max-redirs` (`None` = unlimited).
    pub(crate) max_redirs: Option<u32>,
    /// `--location-trusted`: send credentials to other hosts too.
    pub(crate) location_trusted: bool,
    /// `--post301`, `--post302`, `--post303`: keep POST on these redirects.
    pub(crate) post30x: [bool; 3],
    /// `-m`.
    pub(crate) timeout: Option<Duration>,
    /// Name resolution and connect overrides.
    pub(crate) routing: Routing,
    /// Response limits.
    pub(crate) limits: Limits,
    /// `--trace` / `--trace-ascii` destination.
    pub(crate) trace: Option<crate::trace::Tracer>,
    /// Certificate checks, trust anchors, pins and versions for HTTPS.
    pub(crate) tls: crate::conn::tls::TlsOptions,
    /// `--http1.1`, `--http2`, `--http2-prior-knowledge`.
    pub(crate) http_version: HttpVersion,
}

/// Which HTTP version a transfer asks for (curl's `--http*` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum HttpVersion {
    /// curl's default: offer h2 over TLS through ALPN, HTTP/1.1 in clear.
    #[default]
    Default,
    /// `--http1.1`: never HTTP/2.
    Http11,
    /// `--http2-prior-knowledge`: HTTP/2 from the first byte, also in clear.
    Http2PriorKnowledge,
}

impl Spec {
    /// A GET of `url` with curl's defaults.
    pub(crate) fn new(url: Url) -> Self {
        Self {
            url,
            custom_method: None,
            head_only: false,
            headers: Vec::new(),
            user_agent: None,
            referer: None,
            credentials: None,
            auth: crate::auth::Scheme::Basic,
            cookie: None,
            body: Body::None,
            range: None,
            time_condition: None,
            resume_from: None,
            compressed: false,
            follow: false,
            max_redirs: Some(50),
            location_trusted: false,
            post30x: [false; 3],
            timeout: None,
            routing: Routing::default(),
            limits: Limits::default(),
            trace: None,
            tls: crate::conn::tls::TlsOptions::default(),
            http_version: HttpVersion::Default,
        }
    }
}

/// One hop of a transfer: what the current request actually sends.
#[derive(Debug, Clone)]
pub(crate) struct Hop {
    pub(crate) url: Url,
    /// The method the request line carries.
    pub(crate) method: String,
    /// Whether the body is sent on this hop.
    pub(crate) send_body: bool,
    /// Whether credentials go to this host.
    pub(crate) send_auth: bool,
    /// The answer to the server's authentication challenge, once one was
    /// received (`--digest`, `--anyauth`).
    pub(crate) authorization: Option<String>,
    /// The proxy this hop goes through (`-x`, the environment, `--noproxy`
    /// decide per URL, so a redirect may change it).
    pub(crate) proxy: Option<crate::conn::proxy::Proxy>,
}

impl Hop {
    /// Whether this request only fetches the server's challenge: a
    /// negotiating scheme with credentials but no answer yet. Like curl,
    /// such a request carries an empty body.
    pub(crate) fn awaits_challenge(&self, spec: &Spec) -> bool {
        self.send_auth
            && self.authorization.is_none()
            && spec.auth.negotiates()
            && credentials(spec, &self.url).is_some()
    }
}

/// The user name and password for `url`: `-u` (or `.netrc`) first, then
/// the URL's own user info, percent-decoded.
pub(crate) fn credentials(spec: &Spec, url: &Url) -> Option<(String, String)> {
    spec.credentials.clone().or_else(|| {
        url.user().map(|u| {
            let dec = |s: &str| String::from_utf8_lossy(&crate::url::percent::decode(s)).into_owned();
            (dec(u), url.password().map(dec).unwrap_or_default())
        })
    })
}

/// Receives what the engine does, for `-v`, `-i` and `-D`.
pub(crate) trait Observer {
    /// A `*` informational line.
    fn info(&mut self, _text: &str) {}
    /// The serialised request head as sent.
    fn request_head(&mut self, _raw: &[u8]) {}
    /// A response head (interim ones too) as received.
    fn response_head(&mut self, _head: &ResponseHead) {}
    /// A request body of `bytes` bytes went out (`0` for an empty one).
    fn body_sent(&mut self, _bytes: u64) {}
}

/// Shared state across transfers: the connection pool and timing origin.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub(crate) pool: Pool,
    /// The cookie engine, when `-b`/`-c` turned it on.
    pub(crate) jar: Option<crate::cookie::Jar>,
    /// The HSTS store, when `--hsts` (or the library) turned it on; shared
    /// with `-Z` threads, which have their own `Ctx`.
    pub(crate) hsts: Option<Arc<Mutex<crate::hsts::Hsts>>>,
    /// The alt-svc cache, when `--alt-svc` (or the library) turned it on;
    /// shared like `hsts`.
    pub(crate) alt_svc: Option<Arc<Mutex<crate::alt_svc::AltSvc>>>,
    /// Connections opened so far (`%{num_connects}` counts per transfer).
    pub(crate) connects: u32,
    /// HTTP/2 sessions by origin; shared by `-Z` threads, whose streams
    /// multiplex over one connection as curl's do.
    pub(crate) h2: Arc<h2::Registry>,
    /// The CLI's body buffer, kept between transfers.
    pub(crate) body_buf: Vec<u8>,
}

impl Ctx {
    pub(crate) fn new() -> Self {
        Self {
            pool: Pool::default(),
            jar: None,
            hsts: None,
            alt_svc: None,
            connects: 0,
            h2: h2::Registry::sequential(),
            body_buf: Vec::new(),
        }
    }
}

/// Locks shared state; a panic elsewhere while it was held leaves data
/// that is still usable (a pool, a policy store), so poisoning is ignored.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The `https://` form of an `http://` URL whose host the HSTS store
/// names (RFC 6797 §8.3). Like curl, only the scheme changes: an explicit
/// port (even `:80`) is kept, a default one becomes 443.
fn hsts_upgrade(ctx: &Ctx, url: &Url) -> Option<Url> {
    let store = ctx.hsts.as_ref()?;
    let rest = url.to_string().strip_prefix("http://")?.to_owned();
    let host = url.host()?.connect_name();
    if !lock(store).upgrades(&host, crate::cookie::now()) {
        return None;
    }
    Url::parse(&format!("https://{rest}")).ok()
}

/// Timing and size facts for `-w`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Info {
    pub(crate) http_code: u16,
    pub(crate) http_version: String,
    pub(crate) num_redirects: u32,
    pub(crate) redirect_url: Option<String>,
    pub(crate) url_effective: String,
    pub(crate) method: String,
    pub(crate) scheme: String,
    pub(crate) size_upload: u64,
    pub(crate) size_header: u64,
    pub(crate) size_request: u64,
    pub(crate) content_type: Option<String>,
    pub(crate) remote: Option<SocketAddr>,
    pub(crate) local: Option<SocketAddr>,
    /// Over `--unix-socket`: the socket as curl prints it and the URL's
    /// port, which `%{remote_ip}` / `%{remote_port}` show instead.
    pub(crate) unix_socket: Option<(String, u16)>,
    pub(crate) num_connects: u32,
    pub(crate) time_namelookup: Duration,
    pub(crate) time_connect: Duration,
    pub(crate) time_pretransfer: Duration,
    pub(crate) time_starttransfer: Duration,
    pub(crate) time_redirect: Duration,
    /// When the TLS handshake finished (`%{time_appconnect}`).
    pub(crate) time_appconnect: Duration,
    /// `%{ssl_verify_result}`.
    pub(crate) ssl_verify_result: i64,
    /// `%{proxy_ssl_verify_result}` (0 without an `https://` proxy).
    pub(crate) proxy_ssl_verify_result: i64,
    /// `%{http_connect}`: the last answer to a CONNECT through a proxy.
    pub(crate) http_connect: u16,
    /// `%{certs}` / `%{num_certs}`: the server's certificates (DER, leaf
    /// first) on a TLS connection.
    pub(crate) certs: Vec<Vec<u8>>,
    /// The final response's head, for `%{header_json}` and `%header{}`.
    pub(crate) head: Option<ResponseHead>,
}

/// Context a handler needs to start an exchange.
pub(crate) struct Start<'a> {
    pub(crate) spec: &'a Spec,
    pub(crate) hop: &'a Hop,
    pub(crate) ctx: &'a mut Ctx,
    pub(crate) obs: &'a mut dyn Observer,
    pub(crate) started: Instant,
    pub(crate) deadline: Option<Instant>,
    pub(crate) info: &'a mut Info,
}

/// A protocol handler.
pub(crate) trait Protocol: Sync {
    /// Sends the request of `start.hop` and reads up to the final head.
    fn start(&self, start: Start<'_>) -> Result<Box<dyn Exchange>, Error>;
}

/// A started exchange: the response head and its body, read on demand.
pub(crate) trait Exchange: std::fmt::Debug {
    /// The final response head (`None` for protocols without one).
    fn head(&self) -> Option<&ResponseHead>;
    /// Reads body bytes; `Ok(0)` at the end.
    fn read_body(&mut self, buf: &mut [u8]) -> Result<usize, Error>;
    /// Body bytes the server announced (Content-Length), if known.
    fn expected_len(&self) -> Option<u64>;
    /// After the end of the body: the connection, if it may be reused.
    fn into_reusable(self: Box<Self>) -> Option<(String, Box<dyn Layer>)>;
    /// After the end of the body: whether the connection stays open for
    /// later requests without going back to the pool (an HTTP/2 session
    /// in its registry).
    fn stays_open(&self) -> bool {
        false
    }
}

/// Schemes a redirect may lead to (curl's `CURLOPT_REDIR_PROTOCOLS` default).
const REDIRECT_SCHEMES: &[&str] = &["http", "https", "ftp", "ftps"];

/// Runs `spec`, following redirects when asked, and returns the final
/// exchange with its body unread.
pub(crate) fn perform(
    spec: &Spec,
    ctx: &mut Ctx,
    obs: &mut dyn Observer,
    started: Instant,
) -> Result<(Box<dyn Exchange>, Info), Error> {
    let deadline = spec.timeout.map(|t| started + t);
    let mut info = Info::default();
    let mut hop = redirect::first_hop(spec);
    loop {
        if let Some(secure) = hsts_upgrade(ctx, &hop.url) {
            obs.info(&format!("Switched from HTTP to HTTPS due to HSTS => {secure}"));
            hop.proxy = spec.routing.proxy_for(&secure);
            hop.url = secure;
        }
        let scheme = crate::scheme::lookup(hop.url.scheme());
        let protocol = scheme
            .and_then(|s| s.handler.protocol())
            .ok_or_else(|| Error::UnsupportedProtocol(hop.url.scheme().to_owned()))?;
        info.url_effective = hop.url.to_string();
        info.method.clone_from(&hop.method);
        info.scheme = hop.url.scheme().to_ascii_uppercase();
        let hop_started = Instant::now();
        let ex = protocol.start(Start {
            spec,
            hop: &hop,
            ctx: &mut *ctx,
            obs: &mut *obs,
            started,
            deadline,
            info: &mut info,
        })?;
        let Some(head) = ex.head() else { return Ok((ex, info)) };
        info.http_code = head.status;
        info.http_version = if head.raw.starts_with(b"HTTP/2 ") {
            "2".into()
        } else if head.minor == 0 {
            "1.0".into()
        } else {
            "1.1".into()
        };
        info.content_type = head.get_str("content-type");
        info.head = Some(head.clone());
        if let Some(answer) = challenge_answer(spec, &hop, head) {
            drain_into_pool(ex, ctx)?;
            obs.info(&format!("Issue another request to this URL: '{}'", hop.url));
            hop.authorization = Some(answer);
            continue;
        }
        let location = head.get_str("location").filter(|_| (300..400).contains(&head.status) && head.status != 304);
        let Some(location) = location else { return Ok((ex, info)) };
        let next = hop.url.join(&location)?;
        info.redirect_url = Some(next.to_string());
        if !spec.follow {
            return Ok((ex, info));
        }
        if spec.max_redirs.is_some_and(|m| info.num_redirects >= m) {
            return Err(Error::TooManyRedirects(info.num_redirects));
        }
        // curl's default redirect protocols: a server must never make us
        // read local files (file://) or speak other protocols.
        if !REDIRECT_SCHEMES.contains(&next.scheme()) {
            return Err(Error::UnsupportedProtocol(next.scheme().to_owned()));
        }
        drain_into_pool(ex, ctx)?;
        obs.info(&format!("Issue another request to this URL: '{next}'"));
        hop = redirect::next_hop(spec, &hop, info.http_code, next);
        info.num_redirects += 1;
        info.time_redirect += hop_started.elapsed();
        info.redirect_url = None;
    }
}

/// Reads the rest of a response that is not the transfer's result (a
/// redirect, a challenge) so its connection can be reused.
fn drain_into_pool(mut ex: Box<dyn Exchange>, ctx: &mut Ctx) -> Result<(), Error> {
    let mut sink = [0u8; 16 * 1024];
    while ex.read_body(&mut sink)? > 0 {}
    if let Some((key, conn)) = ex.into_reusable() {
        ctx.pool.put(key, conn);
    }
    Ok(())
}

/// The `Authorization` value answering a 401 once, when the scheme
/// negotiates and the server offered something we can answer.
fn challenge_answer(spec: &Spec, hop: &Hop, head: &ResponseHead) -> Option<String> {
    if head.status != 401 || !hop.awaits_challenge(spec) {
        return None;
    }
    let (user, password) = credentials(spec, &hop.url)?;
    let offered = head
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
        .filter_map(|(_, v)| std::str::from_utf8(v).ok());
    let challenges = crate::auth::challenge::parse(offered);
    let target = hop.url.request_target();
    let request = crate::auth::digest::Request { user: &user, password: &password, method: &hop.method, uri: &target };
    crate::auth::answer(&spec.auth, &challenges, &request, &mut |buf| {
        use purecrypto::rng::RngCore as _;
        purecrypto::rng::OsRng.fill_bytes(buf);
    })
}
