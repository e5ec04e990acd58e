//! Command-line parsing into a [`Config`], driven by the option table.
//!
//! Entry point: [`parse`]. Short options bundle (`-sSL`, `-XPOST`,
//! `-o file`); boolean long options take a `--no-` prefix; values are read
//! the way curl reads them (`-d @file` strips newlines, `--data-binary
//! @file` does not, `-H @file` reads one header per line).

use std::ffi::OsString;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use super::options::{self, Id, Opt};
use crate::conn::unix::UnixTarget;
use crate::transfer::body::Multipart;
use crate::url::percent;

/// Where one URL's body goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OutSpec {
    /// `-o FILE` (`-` is stdout).
    File(String),
    /// `-O`: the URL's last path segment.
    Remote,
}

/// `-C`: where to resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContinueAt {
    /// `-C -`: from the output file's size.
    Auto,
    /// `-C N`.
    Offset(u64),
}

/// Everything the command line asked for.
#[derive(Debug, Default, Clone)]
pub(crate) struct Config {
    pub(crate) urls: Vec<String>,
    pub(crate) globoff: bool,
    pub(crate) outputs: Vec<OutSpec>,
    pub(crate) method: Option<String>,
    pub(crate) headers: Vec<(String, Option<String>)>,
    pub(crate) data: Option<Vec<u8>>,
    pub(crate) get: bool,
    pub(crate) form: Option<Multipart>,
    pub(crate) upload: Option<PathBuf>,
    pub(crate) user_agent: Option<String>,
    pub(crate) referer: Option<String>,
    pub(crate) user: Option<String>,
    /// `--basic`, `--digest`, `--anyauth`, `--oauth2-bearer`, `--aws-sigv4`: the last one wins.
    pub(crate) auth: crate::auth::Scheme,
    pub(crate) follow: bool,
    pub(crate) location_trusted: bool,
    pub(crate) max_redirs: Option<i64>,
    pub(crate) output_dir: Option<PathBuf>,
    pub(crate) create_dirs: bool,
    pub(crate) dump_header: Option<String>,
    pub(crate) include: bool,
    pub(crate) head: bool,
    pub(crate) verbose: bool,
    /// `--trace` / `--trace-ascii`: mode and destination (`-` stdout,
    /// `%` stderr); the last of these and `-v` wins, as in curl.
    pub(crate) trace: Option<(crate::trace::Mode, String)>,
    pub(crate) trace_time: bool,
    /// The opened `trace` destination, set when the group runs.
    pub(crate) tracer: Option<crate::trace::Tracer>,
    pub(crate) silent: bool,
    pub(crate) show_error: bool,
    pub(crate) fail: bool,
    pub(crate) fail_with_body: bool,
    pub(crate) write_out: Option<String>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) max_time: Option<Duration>,
    pub(crate) resolve: Vec<(String, u16, Vec<String>)>,
    pub(crate) connect_to: Vec<(String, String, String, String)>,
    pub(crate) range: Option<String>,
    pub(crate) time_condition: Option<(bool, u64)>,
    /// `--limit-rate`, bytes per second.
    pub(crate) limit_rate: Option<u64>,
    /// Warnings to print before any transfer (curl prints them while parsing).
    pub(crate) warnings: Vec<String>,
    pub(crate) max_filesize: Option<u64>,
    pub(crate) continue_at: Option<ContinueAt>,
    pub(crate) retry: u32,
    pub(crate) retry_delay: Option<u64>,
    pub(crate) retry_max_time: Option<u64>,
    pub(crate) progress_bar: bool,
    pub(crate) no_progress_meter: bool,
    pub(crate) compressed: bool,
    /// `-b name=value` strings, joined with `; `.
    pub(crate) cookie: Option<String>,
    /// `-b FILE` cookie files to load.
    pub(crate) cookie_files: Vec<String>,
    pub(crate) cookie_jar: Option<String>,
    /// `--hsts FILE`: read before the group's transfers, written after.
    pub(crate) hsts: Option<String>,
    /// `--alt-svc FILE`: read before the group's transfers, written after.
    pub(crate) alt_svc: Option<String>,
    pub(crate) junk_session: bool,
    pub(crate) proxy: Option<String>,
    pub(crate) proxy_user: Option<String>,
    /// `--noproxy`: overrides `NO_PROXY`.
    pub(crate) noproxy: Option<String>,
    /// `-n` / `--netrc-optional` / `--netrc-file`: where to read credentials.
    pub(crate) netrc: Option<String>,
    pub(crate) proxytunnel: bool,
    pub(crate) ip_version: Option<u8>,
    /// `--interface`, `--local-port`.
    pub(crate) local: crate::conn::socket::LocalBind,
    /// `--happy-eyeballs-timeout-ms`.
    pub(crate) happy_eyeballs: Option<Duration>,
    /// `--unix-socket` / `--abstract-unix-socket` (the last wins).
    pub(crate) unix_socket: Option<UnixTarget>,
    pub(crate) post30x: [bool; 3],
    pub(crate) parallel: bool,
    pub(crate) remote_header_name: bool,
    pub(crate) remote_time: bool,
    pub(crate) parallel_max: Option<usize>,
    /// `--parallel-immediate`: open new connections rather than wait for
    /// one being set up to the same origin to offer multiplexing.
    pub(crate) parallel_immediate: bool,
    pub(crate) help: bool,
    pub(crate) version: bool,
    /// `-k`, `--cacert`, `--capath`, `--pinnedpubkey`, `--tlsv1.x`, `--tls-max`.
    pub(crate) tls: crate::conn::tls::TlsOptions,
    /// `--proxy-insecure`, `--proxy-cacert`, ...: TLS to an `https://` proxy.
    pub(crate) proxy_tls: crate::conn::tls::TlsOptions,
    /// `--http1.1`, `--http2`, `--http2-prior-knowledge` (the last wins).
    pub(crate) http_version: crate::transfer::HttpVersion,
}

/// Why the command line was refused (curl exit code 2 for all but
/// unreadable files, which are 26).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArgError {
    /// `option --foo: is unknown`.
    Unknown(String),
    /// `option -H: requires parameter`.
    MissingArg(String),
    /// A bad value; the message follows curl's `option X: ...` shape.
    Bad(String),
    /// A `@file` argument could not be read.
    Read(String),
}

impl core::fmt::Display for ArgError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Unknown(o) => write!(f, "option {o}: is unknown"),
            Self::MissingArg(o) => write!(f, "option {o}: requires parameter"),
            Self::Bad(m) => f.write_str(m),
            Self::Read(p) => write!(f, "Failed to open {p}"),
        }
    }
}

fn read_source(name: &str) -> Result<Vec<u8>, ArgError> {
    if name == "-" {
        let mut v = Vec::new();
        std::io::stdin().read_to_end(&mut v).map_err(|_| ArgError::Read("stdin".into()))?;
        return Ok(v);
    }
    std::fs::read(name).map_err(|_| ArgError::Read(name.to_owned()))
}

fn seconds(opt: &str, v: &str) -> Result<Duration, ArgError> {
    v.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| ArgError::Bad(format!("option {opt}: expected a proper numerical parameter")))
}

fn number<T: core::str::FromStr>(opt: &str, v: &str) -> Result<T, ArgError> {
    v.trim().parse().map_err(|_| ArgError::Bad(format!("option {opt}: expected a proper numerical parameter")))
}

/// `-E` / `--cert-type` / `--key` / `--key-type` / `--pass`, and their
/// `--proxy-` twins for an HTTPS proxy.
fn set_client_cert(cc: &mut crate::conn::tls::client_cert::ClientCert, id: Id, v: &str) {
    use crate::conn::tls::client_cert::{Passphrase, split_cert_arg};
    match id {
        Id::Cert | Id::ProxyCert => {
            let (file, pass) = split_cert_arg(v);
            cc.cert = Some(file.into());
            if let Some(p) = pass {
                cc.pass = Some(Passphrase::new(&p));
            }
        }
        Id::CertType | Id::ProxyCertType => cc.cert_type = Some(v.to_owned()),
        Id::Key | Id::ProxyKey => cc.key = Some(v.into()),
        Id::KeyType | Id::ProxyKeyType => cc.key_type = Some(v.to_owned()),
        _ => cc.pass = Some(Passphrase::new(v)),
    }
}

/// Splits on `:` outside `[...]` (IPv6 literals in --resolve/--connect-to).
fn split_colons(s: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ':' if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

impl Config {
    fn add_data(&mut self, piece: &[u8], joiner: bool) {
        let data = self.data.get_or_insert_with(Vec::new);
        if joiner && !data.is_empty() {
            data.push(b'&');
        }
        data.extend_from_slice(piece);
    }

    fn add_header(&mut self, h: &str) -> Result<(), ArgError> {
        if let Some(file) = h.strip_prefix('@') {
            let text = read_source(file)?;
            for line in String::from_utf8_lossy(&text).lines() {
                self.add_header(line.trim_end_matches('\r'))?;
            }
            return Ok(());
        }
        if let Some((name, value)) = h.split_once(':') {
            let value = value.trim_start_matches([' ', '\t']);
            if value.is_empty() {
                self.headers.push((name.to_owned(), None));
            } else {
                self.headers.push((name.to_owned(), Some(value.to_owned())));
            }
        } else if let Some(name) = h.strip_suffix(';') {
            self.headers.push((name.to_owned(), Some(String::new())));
        }
        Ok(())
    }

    fn apply(&mut self, opt: &Opt, on: bool, name: &str, v: &str) -> Result<(), ArgError> {
        match opt.id {
            Id::Url => self.urls.push(v.to_owned()),
            Id::Globoff => self.globoff = on,
            // `--next` splits the command line before parsing; one that
            // reaches here was bundled (`-s:`), which curl refuses too.
            Id::Next => return Err(ArgError::Bad(format!("option {name}: must stand alone"))),
            // Config files are spliced in before parsing; a bundled -K
            // (such as -sK) is not supported.
            Id::Config => return Err(ArgError::Bad(format!("option {name}: use -K FILE on its own"))),
            Id::Request => self.method = Some(v.to_owned()).filter(|m| !m.is_empty()),
            Id::Header => self.add_header(v)?,
            Id::Data | Id::DataAscii => {
                let piece = match v.strip_prefix('@') {
                    Some(f) => read_source(f)?.into_iter().filter(|&b| b != b'\r' && b != b'\n').collect(),
                    None => v.as_bytes().to_vec(),
                };
                self.add_data(&piece, true);
            }
            Id::DataBinary => {
                let piece = match v.strip_prefix('@') {
                    Some(f) => read_source(f)?,
                    None => v.as_bytes().to_vec(),
                };
                self.add_data(&piece, true);
            }
            Id::DataRaw => self.add_data(v.as_bytes(), true),
            Id::DataUrlencode => {
                let piece = if let Some(content) = v.strip_prefix('=') {
                    percent::encode_form(content.as_bytes())
                } else if let Some((n, content)) = v.split_once('=') {
                    format!("{n}={}", percent::encode_form(content.as_bytes()))
                } else if let Some((n, file)) = v.split_once('@') {
                    let enc = percent::encode_form(&read_source(file)?);
                    if n.is_empty() { enc } else { format!("{n}={enc}") }
                } else {
                    percent::encode_form(v.as_bytes())
                };
                self.add_data(piece.as_bytes(), true);
            }
            Id::Json => {
                let piece = match v.strip_prefix('@') {
                    Some(f) => read_source(f)?,
                    None => v.as_bytes().to_vec(),
                };
                if self.data.is_none() {
                    self.headers.push(("Content-Type".into(), Some("application/json".into())));
                    self.headers.push(("Accept".into(), Some("application/json".into())));
                }
                self.add_data(&piece, false);
            }
            Id::Get => self.get = on,
            Id::Form => {
                self.form.get_or_insert_with(Multipart::new).parse_field(v).map_err(ArgError::Bad)?;
            }
            Id::UploadFile => self.upload = Some(PathBuf::from(v)),
            Id::UserAgent => self.user_agent = Some(v.to_owned()),
            Id::Referer => self.referer = Some(v.to_owned()),
            Id::User => self.user = Some(v.to_owned()),
            Id::Location => self.follow = on,
            Id::LocationTrusted => {
                self.follow = on;
                self.location_trusted = on;
            }
            Id::MaxRedirs => self.max_redirs = Some(number(name, v)?),
            Id::Output => self.outputs.push(OutSpec::File(v.to_owned())),
            Id::RemoteName => self.outputs.push(OutSpec::Remote),
            Id::OutputDir => self.output_dir = Some(PathBuf::from(v)),
            Id::CreateDirs => self.create_dirs = on,
            Id::DumpHeader => self.dump_header = Some(v.to_owned()),
            Id::Include => self.include = on,
            Id::Head => self.head = on,
            Id::Verbose => {
                self.verbose = on;
                self.trace = None;
            }
            Id::Trace | Id::TraceAscii => {
                let mode = if opt.id == Id::Trace { crate::trace::Mode::Hex } else { crate::trace::Mode::Ascii };
                self.trace = Some((mode, v.to_owned()));
                self.verbose = false;
            }
            Id::TraceTime => self.trace_time = on,
            Id::Silent => self.silent = on,
            Id::ShowError => self.show_error = on,
            Id::Fail => self.fail = on,
            Id::FailWithBody => self.fail_with_body = on,
            Id::WriteOut => {
                let fmt = match v.strip_prefix('@') {
                    Some(f) => String::from_utf8_lossy(&read_source(f)?).into_owned(),
                    None => v.to_owned(),
                };
                self.write_out = Some(fmt);
            }
            Id::ConnectTimeout => self.connect_timeout = Some(seconds(name, v)?),
            Id::MaxTime => self.max_time = Some(seconds(name, v)?),
            Id::Resolve => self.add_resolve(name, v)?,
            Id::ConnectTo => {
                let p = split_colons(v);
                let [h1, p1, h2, p2] = p.as_slice() else {
                    return Err(ArgError::Bad(format!("option {name}: bad argument '{v}'")));
                };
                self.connect_to.push((h1.clone(), p1.clone(), h2.clone(), p2.clone()));
            }
            Id::Range => self.range = Some(v.to_owned()),
            Id::LimitRate => {
                let (digits, mult) = match v.char_indices().last() {
                    Some((i, 'k' | 'K')) => (v.get(..i).unwrap_or(""), 1024),
                    Some((i, 'm' | 'M')) => (v.get(..i).unwrap_or(""), 1024 * 1024),
                    Some((i, 'g' | 'G')) => (v.get(..i).unwrap_or(""), 1024 * 1024 * 1024),
                    _ => (v, 1),
                };
                let n: u64 = number(name, digits)?;
                self.limit_rate = Some(n.saturating_mul(mult)).filter(|r| *r > 0);
            }
            Id::TimeCond => {
                let (unmodified, text) = match v.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, v.strip_prefix('+').unwrap_or(v)),
                };
                let from_file = std::fs::metadata(text)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_secs());
                match from_file.or_else(|| crate::date::parse(text)) {
                    Some(t) => self.time_condition = Some((unmodified, t)),
                    None => {
                        self.time_condition = None;
                        self.warnings.push(
                        "Warning: Illegal date format for -z, --time-cond (and not a file name). \nWarning: Disabling time condition. See curl_getdate(3) for valid date syntax."
                            .to_owned(),
                        );
                    }
                }
            }
            Id::MaxFilesize => self.max_filesize = Some(number(name, v)?),
            Id::ContinueAt => {
                self.continue_at = Some(if v == "-" { ContinueAt::Auto } else { ContinueAt::Offset(number(name, v)?) });
            }
            Id::Retry => self.retry = number(name, v)?,
            Id::RetryDelay => self.retry_delay = Some(number(name, v)?),
            Id::RetryMaxTime => self.retry_max_time = Some(number(name, v)?),
            Id::ProgressBar => self.progress_bar = on,
            Id::NoProgressMeter => self.no_progress_meter = on,
            Id::Compressed => self.compressed = on,
            Id::Cookie => {
                if v.contains('=') {
                    self.cookie = Some(match self.cookie.take() {
                        Some(prev) => format!("{prev}; {v}"),
                        None => v.to_owned(),
                    });
                } else {
                    self.cookie_files.push(v.to_owned());
                }
            }
            Id::CookieJar => self.cookie_jar = Some(v.to_owned()),
            Id::Hsts => self.hsts = Some(v.to_owned()),
            Id::AltSvc => self.alt_svc = Some(v.to_owned()),
            // `-x ""` is kept: it turns the environment's proxies off too.
            Id::Proxy => self.proxy = Some(v.to_owned()),
            Id::NoProxy => self.noproxy = Some(v.to_owned()),
            Id::Socks4 => self.proxy = Some(format!("socks4://{v}")),
            Id::Socks4a => self.proxy = Some(format!("socks4a://{v}")),
            Id::Socks5 => self.proxy = Some(format!("socks5://{v}")),
            Id::Socks5Hostname => self.proxy = Some(format!("socks5h://{v}")),
            Id::ProxyUser => self.proxy_user = Some(v.to_owned()),
            Id::Netrc | Id::NetrcOptional => {
                if on && self.netrc.is_none() {
                    let home = std::env::var("HOME").unwrap_or_default();
                    self.netrc = Some(format!("{home}/.netrc"));
                }
            }
            Id::NetrcFile => self.netrc = Some(v.to_owned()),
            Id::ProxyTunnel => self.proxytunnel = on,
            Id::Insecure => self.tls.verify_peer = !on,
            Id::CaCert => self.tls.ca_file = Some(v.into()),
            Id::CaPath => self.tls.ca_path = Some(v.into()),
            Id::PinnedPubKey => self.tls.pinned_key = Some(v.to_owned()),
            Id::CertStatus => self.tls.cert_status = on,
            Id::TlsV1 | Id::TlsV10 => self.tls.min_minor = 0,
            Id::TlsV11 => self.tls.min_minor = 1,
            Id::TlsV12 => self.tls.min_minor = 2,
            Id::TlsV13 => self.tls.min_minor = 3,
            Id::Http11 | Id::Http2 | Id::Http2PriorKnowledge => {
                use crate::transfer::HttpVersion;
                self.http_version = match opt.id {
                    Id::Http11 => HttpVersion::Http11,
                    Id::Http2PriorKnowledge => HttpVersion::Http2PriorKnowledge,
                    _ => HttpVersion::Default,
                };
                self.tls.alpn_h2 = self.http_version != HttpVersion::Http11;
            }
            Id::Cert | Id::CertType | Id::Key | Id::KeyType | Id::Pass => {
                set_client_cert(&mut self.tls.client_cert, opt.id, v);
            }
            Id::ProxyCert | Id::ProxyCertType | Id::ProxyKey | Id::ProxyKeyType | Id::ProxyPass => {
                set_client_cert(&mut self.proxy_tls.client_cert, opt.id, v);
            }
            Id::Ciphers => self.tls.ciphers = Some(v.to_owned()),
            Id::Tls13Ciphers => self.tls.tls13_ciphers = Some(v.to_owned()),
            Id::Curves => self.tls.curves = Some(v.to_owned()),
            Id::SessionReuse => self.tls.session_id = on,
            Id::ProxyInsecure => self.proxy_tls.verify_peer = !on,
            Id::ProxyCaCert => self.proxy_tls.ca_file = Some(v.into()),
            Id::ProxyCaPath => self.proxy_tls.ca_path = Some(v.into()),
            Id::ProxyPinnedPubKey => self.proxy_tls.pinned_key = Some(v.to_owned()),
            Id::ProxyTlsV1 => self.proxy_tls.min_minor = 0,
            Id::ProxyCiphers => self.proxy_tls.ciphers = Some(v.to_owned()),
            Id::ProxyTls13Ciphers => self.proxy_tls.tls13_ciphers = Some(v.to_owned()),
            Id::TlsMax => {
                self.tls.max_minor = crate::conn::tls::parse_version(v)
                    .ok_or_else(|| ArgError::Bad(format!("option {name}: is badly used here")))?;
            }
            Id::Ipv4 => self.ip_version = Some(4).filter(|_| on),
            Id::Ipv6 => self.ip_version = Some(6).filter(|_| on),
            Id::Interface => self.local.interface = Some(crate::conn::socket::Interface::parse(v)),
            Id::LocalPort => {
                let ports = crate::conn::socket::parse_ports(v);
                self.local.ports =
                    Some(ports.ok_or_else(|| ArgError::Bad(format!("option {name}: is badly used here")))?);
            }
            Id::HappyEyeballsTimeoutMs => {
                self.happy_eyeballs = Some(Duration::from_millis(number(name, v)?));
            }
            Id::UnixSocket => self.unix_socket = Some(UnixTarget::Path(v.into())),
            Id::AbstractUnixSocket => self.unix_socket = Some(UnixTarget::Abstract(v.as_bytes().to_vec())),
            Id::Parallel => self.parallel = on,
            Id::ParallelImmediate => self.parallel_immediate = on,
            Id::RemoteHeaderName => self.remote_header_name = on,
            Id::RemoteTime => self.remote_time = on,
            Id::ParallelMax => self.parallel_max = Some(number(name, v)?),
            Id::Post301 => self.post30x[0] = on,
            Id::Post302 => self.post30x[1] = on,
            Id::Post303 => self.post30x[2] = on,
            Id::JunkSessionCookies => self.junk_session = on,
            Id::Basic => self.auth = crate::auth::Scheme::Basic,
            Id::Digest if on => self.auth = crate::auth::Scheme::Digest,
            Id::AnyAuth if on => self.auth = crate::auth::Scheme::Any,
            Id::Digest | Id::AnyAuth => self.auth = crate::auth::Scheme::Basic,
            Id::OAuth2Bearer => self.auth = crate::auth::Scheme::Bearer(v.to_owned()),
            Id::AwsSigV4 => {
                let provider = crate::auth::sigv4::Provider::parse(v)
                    .ok_or_else(|| ArgError::Bad(format!("option {name}: invalid provider string '{v}'")))?;
                self.auth = crate::auth::Scheme::AwsSigV4(provider);
            }
            // -N changes nothing (output is never buffered).
            Id::NoBuffer => {}
            Id::Help => self.help = on,
            Id::Version => self.version = on,
        }
        Ok(())
    }

    fn add_resolve(&mut self, name: &str, v: &str) -> Result<(), ArgError> {
        let v = v.strip_prefix('+').unwrap_or(v);
        if v.starts_with('-') {
            return Ok(());
        }
        let parts = split_colons(v);
        let bad = || ArgError::Bad(format!("option {name}: bad argument '{v}'"));
        let (host, rest) = parts.split_first().ok_or_else(bad)?;
        let (port, addrs) = rest.split_first().ok_or_else(bad)?;
        let port: u16 = port.parse().map_err(|_| bad())?;
        let addrs: Vec<String> = addrs.join(":").split(',').map(|a| a.trim().to_owned()).collect();
        if addrs.iter().all(String::is_empty) {
            return Err(bad());
        }
        self.resolve.push((host.clone(), port, addrs));
        Ok(())
    }
}

/// Reads a `-K` config file into arguments: one option per line, with or
/// without leading dashes (no dashes means a long option), separated from
/// its value by spaces, `=` or `:`; values may be double-quoted with
/// backslash escapes; `#` starts a comment line.
fn config_args(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let end = line.find(|c: char| c.is_whitespace() || c == '=' || c == ':').unwrap_or(line.len());
        let (name, rest) = line.split_at(end);
        let opt = if name.starts_with('-') { name.to_owned() } else { format!("--{name}") };
        out.push(opt);
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '=' || c == ':').trim_end();
        if rest.is_empty() {
            continue;
        }
        let value = match rest.strip_prefix('"') {
            Some(q) => {
                let mut v = String::new();
                let mut chars = q.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('t') => v.push('\t'),
                            Some('n') => v.push('\n'),
                            Some('r') => v.push('\r'),
                            Some('v') => v.push('\u{b}'),
                            Some(o) => v.push(o),
                            None => {}
                        },
                        c => v.push(c),
                    }
                }
                v
            }
            None => rest.split_whitespace().next().unwrap_or("").to_owned(),
        };
        out.push(value);
    }
    out
}

/// Most nested `-K` files (a file that includes itself must not loop).
const MAX_CONFIG_DEPTH: usize = 8;

/// Replaces `-K FILE` / `--config FILE` with the file's arguments.
fn splice_configs(args: Vec<String>, depth: usize) -> Result<Vec<String>, ArgError> {
    let mut out = Vec::with_capacity(args.len());
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let file = match a.as_str() {
            "-K" | "--config" => Some(it.next().ok_or_else(|| ArgError::MissingArg(a.clone()))?),
            s if s.starts_with("-K") && s.len() > 2 => s.get(2..).map(str::to_owned),
            _ => None,
        };
        match file {
            Some(f) if depth < MAX_CONFIG_DEPTH => {
                let text = read_source(&f)?;
                out.extend(splice_configs(config_args(&String::from_utf8_lossy(&text)), depth + 1)?);
            }
            Some(f) => return Err(ArgError::Bad(format!("config file {f} nests too deeply"))),
            None => out.push(a),
        }
    }
    Ok(out)
}

/// Parses the arguments after the program name.
///
/// # Errors
/// An [`ArgError`] for an unknown option, a missing or bad value.
pub(crate) fn parse(args: &[OsString]) -> Result<Config, ArgError> {
    let mut cfg = Config::default();
    let args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let args = splice_configs(args, 0)?;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if let Some(long) = arg.strip_prefix("--") {
            let shown = format!("--{long}");
            let (opt, on) = options::find_long(long).ok_or_else(|| ArgError::Unknown(shown.clone()))?;
            let value = match opt.arg {
                Some(_) => it.next().ok_or_else(|| ArgError::MissingArg(shown.clone()))?.as_str(),
                None => "",
            };
            cfg.apply(opt, on, &shown, value)?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg.chars().skip(1).collect();
            let mut i = 0;
            while let Some(&c) = chars.get(i) {
                let shown = format!("-{c}");
                let opt = options::find_short(c).ok_or_else(|| ArgError::Unknown(shown.clone()))?;
                if opt.arg.is_some() {
                    let rest: String = chars.get(i + 1..).unwrap_or(&[]).iter().collect();
                    let value = if rest.is_empty() {
                        it.next().ok_or_else(|| ArgError::MissingArg(shown.clone()))?.clone()
                    } else {
                        rest
                    };
                    cfg.apply(opt, true, &shown, &value)?;
                    break;
                }
                cfg.apply(opt, true, &shown, "")?;
                i += 1;
            }
        } else {
            cfg.urls.push(arg.clone());
        }
    }
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Config, ArgError> {
        parse(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn bundles_and_values() {
        let c =
            p(&["-sSLXPOST", "-H", "X: 1", "-HAccept:", "-HEmpty;", "http://h/", "-o", "f", "--url", "u2"]).unwrap();
        assert!(c.silent && c.show_error && c.follow);
        assert_eq!(c.method.as_deref(), Some("POST"));
        assert_eq!(
            c.headers,
            vec![("X".into(), Some("1".into())), ("Accept".into(), None), ("Empty".into(), Some(String::new()))]
        );
        assert_eq!(c.urls, vec!["http://h/", "u2"]);
        assert_eq!(c.outputs, vec![OutSpec::File("f".into())]);
        assert!(!p(&["-L", "--no-location"]).unwrap().follow);
    }

    #[test]
    fn data_forms() {
        let c = p(&["-d", "a=1", "--data-raw", "@x", "--data-urlencode", "q=a b&c", "--data-urlencode", "=é"]).unwrap();
        assert_eq!(c.data.unwrap(), b"a=1&@x&q=a%20b%26c&%C3%A9");
        let c = p(&["--json", "{\"a\":", "--json", "1}"]).unwrap();
        assert_eq!(c.data.unwrap(), b"{\"a\":1}");
        assert_eq!(c.headers.len(), 2);
    }

    #[test]
    fn errors_have_curls_shape() {
        assert_eq!(p(&["--foo"]).unwrap_err().to_string(), "option --foo: is unknown");
        assert_eq!(p(&["-H"]).unwrap_err().to_string(), "option -H: requires parameter");
        assert_eq!(p(&["-m", "x"]).unwrap_err().to_string(), "option -m: expected a proper numerical parameter");
        assert!(matches!(p(&["-d", "@/nonexistent/file"]), Err(ArgError::Read(_))));
    }

    #[test]
    fn config_file_lines() {
        let text = "# comment\nsilent\n-L\nheader = \"X-A: a \\\"q\\\"\"\nmax-time: 5\nurl http://h/\n";
        assert_eq!(
            config_args(text),
            ["--silent", "-L", "--header", "X-A: a \"q\"", "--max-time", "5", "--url", "http://h/"]
        );
    }

    #[test]
    fn resolve_and_connect_to() {
        let c = p(&["--resolve", "h:80:127.0.0.1,[::1]", "--connect-to", "a:80:[::1]:81"]).unwrap();
        assert_eq!(c.resolve, vec![("h".into(), 80, vec!["127.0.0.1".into(), "[::1]".into()])]);
        assert_eq!(c.connect_to, vec![("a".into(), "80".into(), "[::1]".into(), "81".into())]);
        assert!(p(&["--resolve", "h:x:1.2.3.4"]).is_err());
        let c = p(&["-C", "-", "--max-redirs", "-1", "-m", "1.5"]).unwrap();
        assert_eq!(c.continue_at, Some(ContinueAt::Auto));
        assert_eq!(p(&["--limit-rate", "2k"]).unwrap().limit_rate, Some(2048));
        assert!(p(&["--limit-rate", "xk"]).is_err());
        assert_eq!(c.max_redirs, Some(-1));
        assert_eq!(c.max_time, Some(Duration::from_millis(1500)));
    }
}
