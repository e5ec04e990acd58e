//! One URL of a command line: build the transfer from the [`Config`], run
//! it (with `--retry`), stream the body to its destination with the
//! progress meter, apply `-f`, `--max-filesize`, `-C`, and print `-w`.
//!
//! Entry point: [`run_url`].

use std::time::{Duration, Instant};

use super::Io;
use super::args::{Config, ContinueAt, OutSpec};
use super::output::{Sink, Target};
use super::progress::{Meter, Style};
use super::trace::{CliObserver, Dump};
use super::write_out::{self, Stream, Vars};
use crate::conn::Routing;
use crate::conn::proxy::{Proxy, env_proxies, env_var};
use crate::decode;
use crate::error::Error;
use crate::transfer::{self, Body, Ctx, Info, Spec};
use crate::url::Url;

/// The most body bytes asked for at a time: the size of the reads from
/// the connection when the body goes straight through (fewer system calls
/// than curl's 100 KB for a bulk download).
const PIECE: usize = 256 * 1024;

/// The first read of a body asks for this much; each read that fills
/// the buffer quadruples it, up to [`PIECE`].
const FIRST_PIECE: usize = 16 * 1024;

/// What happened to one URL: the error (if any) and the `-w` facts.
pub(crate) struct Outcome {
    pub(crate) result: Result<(), Error>,
    pub(crate) vars: Vars,
}

/// Statuses `--retry` treats as transient (curl's list).
fn transient_status(code: u16) -> bool {
    matches!(code, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Builds the transfer description for one URL.
fn spec_for(cfg: &Config, url: Url, resume: Option<u64>) -> Result<Spec, Error> {
    let mut url = url;
    let mut spec_body = Body::None;
    if let Some(data) = &cfg.data {
        if cfg.get {
            let data = String::from_utf8_lossy(data).into_owned();
            let q = match url.query() {
                Some(q) if !q.is_empty() => format!("{q}&{data}"),
                _ => data,
            };
            // Re-parse so the query is normalised and checked like any URL.
            url.set_query(Some(q));
            url = Url::parse(&url.to_string())?;
        } else {
            spec_body = Body::Bytes(data.clone());
        }
    }
    if let Some(f) = &cfg.form {
        spec_body = Body::Multipart(f.clone());
    }
    if let Some(path) = &cfg.upload {
        if cfg.get || cfg.data.is_none() {
            spec_body = if path.as_os_str() == "-" {
                Body::UploadStream(crate::transfer::body::Stream::new(Box::new(std::io::stdin()), None))
            } else {
                Body::Upload(path.clone())
            };
            if url.path().ends_with('/') && path.as_os_str() != "-" {
                // curl appends the local file name to a URL ending in '/'.
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                url = url.join(&crate::url::percent::encode_form(name.as_bytes()))?;
            }
        }
    }
    let mut spec = Spec::new(url);
    spec.trace.clone_from(&cfg.tracer);
    spec.custom_method.clone_from(&cfg.method);
    spec.head_only = cfg.head;
    spec.headers.clone_from(&cfg.headers);
    spec.user_agent.clone_from(&cfg.user_agent);
    spec.referer.clone_from(&cfg.referer);
    if let Some(u) = &cfg.user {
        if u.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err(Error::BadArgument("user name or password contains control characters: refused".into()));
        }
        let (user, pass) = u.split_once(':').unwrap_or((u, ""));
        spec.credentials = Some((user.to_owned(), pass.to_owned()));
    }
    if spec.credentials.is_none() && spec.url.user().is_none() {
        if let (Some(file), Some(host)) = (&cfg.netrc, spec.url.host()) {
            if let Ok(text) = std::fs::read_to_string(file) {
                spec.credentials = super::netrc::lookup(&text, &host.connect_name());
            }
        }
    }
    spec.auth.clone_from(&cfg.auth);
    spec.cookie.clone_from(&cfg.cookie);
    spec.body = spec_body;
    spec.range.clone_from(&cfg.range);
    spec.time_condition = cfg.time_condition;
    spec.resume_from = resume;
    spec.compressed = cfg.compressed;
    spec.follow = cfg.follow;
    spec.location_trusted = cfg.location_trusted;
    spec.max_redirs = match cfg.max_redirs {
        Some(n) if n < 0 => None,
        Some(n) => Some(u32::try_from(n).unwrap_or(u32::MAX)),
        None => Some(50),
    };
    spec.timeout = cfg.max_time.filter(|t| !t.is_zero());
    let configure = |text: &str| -> Result<Proxy, Error> {
        let mut p = Proxy::parse(text)?;
        p.tunnel = cfg.proxytunnel;
        if let Some(u) = &cfg.proxy_user {
            if u.bytes().any(|b| b < 0x20 || b == 0x7f) {
                return Err(Error::BadArgument("proxy user contains control characters: refused".into()));
            }
            let (user, pass) = u.split_once(':').unwrap_or((u, ""));
            p.credentials = Some((user.to_owned(), pass.to_owned()));
        }
        Ok(p)
    };
    let proxy = match cfg.proxy.as_deref() {
        Some("") | None => None,
        Some(p) => Some(configure(p)?),
    };
    // `-x` (even `-x ""`) replaces the environment's proxies.
    let env_proxies = match cfg.proxy {
        Some(_) => Vec::new(),
        None => env_proxies().into_iter().map(|(s, p)| Ok((s, configure(&p)?))).collect::<Result<_, Error>>()?,
    };
    let no_proxy = cfg.noproxy.clone().or_else(|| env_var(&["no_proxy", "NO_PROXY"]));
    spec.routing = Routing {
        resolve: cfg.resolve.clone(),
        connect_to: cfg.connect_to.clone(),
        connect_timeout: cfg.connect_timeout.filter(|t| !t.is_zero()),
        proxy,
        env_proxies,
        no_proxy,
        ip_version: cfg.ip_version,
        proxy_tls: cfg.proxy_tls.clone(),
        unix_socket: cfg.unix_socket.clone(),
        local: cfg.local.clone(),
        happy_eyeballs: cfg.happy_eyeballs,
    };
    spec.post30x = cfg.post30x;
    spec.tls.clone_from(&cfg.tls);
    spec.http_version = cfg.http_version;
    Ok(spec)
}

/// The file name in a `Content-Disposition` value (`filename="x"` or
/// `filename=x`).
fn disposition_name(value: &str) -> Option<String> {
    value.split(';').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("filename") {
            return None;
        }
        let v = v.trim();
        let v = v.strip_prefix('"').and_then(|x| x.split('"').next()).unwrap_or(v);
        Some(v.to_owned()).filter(|n| !n.is_empty())
    })
}

/// Runs one attempt: the transfer and the body copy.
// The per-attempt state (sink, meter, counters) outlives one attempt for
// --retry, so it is passed in rather than bundled.
#[allow(clippy::too_many_arguments)]
fn attempt(
    cfg: &Config,
    output: Option<&OutSpec>,
    spec: &Spec,
    ctx: &mut Ctx,
    io: &mut Io<'_>,
    sink: &mut Sink,
    dump: Option<&mut Dump>,
    meter: &mut Meter,
    info: &mut Info,
    size_download: &mut u64,
    retry_now: bool,
) -> Result<bool, Error> {
    let started = Instant::now();
    if spec.url.scheme() != "file" {
        meter.update(io.stderr);
    }
    let mut obs = CliObserver {
        verbose: cfg.verbose,
        trace: cfg.tracer.clone(),
        include: cfg.include || cfg.head,
        stdout: &mut *io.stdout,
        stderr: &mut *io.stderr,
        sink: &mut *sink,
        dump,
        write_error: None,
    };
    let (mut ex, got) = transfer::perform(spec, ctx, &mut obs, started).inspect_err(|e| {
        // A refused certificate still reports its verify result, as curl's does.
        if let Error::PeerVerification { verify_result, proxy, .. } = e {
            let field = if *proxy { &mut info.proxy_ssl_verify_result } else { &mut info.ssl_verify_result };
            *field = *verify_result;
        }
    })?;
    if let Some(e) = obs.write_error.take() {
        return Err(Error::Write(e));
    }
    drop(obs);
    *info = got;
    let status = ex.head().map_or(0, |h| h.status);
    if retry_now && transient_status(status) {
        return Ok(true);
    }
    if status >= 400 && cfg.fail && !cfg.fail_with_body {
        return Err(Error::HttpStatus(status));
    }
    if let (Some(max), Some(len)) = (cfg.max_filesize, ex.expected_len()) {
        if len > max && ex.head().is_some() {
            return Err(Error::FileSize(max, len));
        }
    }
    if spec.resume_from.is_some_and(|r| r > 0) && status == 200 {
        return Err(Error::Range);
    }
    if cfg.remote_header_name && output == Some(&OutSpec::Remote) {
        if let Some(name) = ex.head().and_then(|h| h.get_str("content-disposition")).and_then(|v| disposition_name(&v))
        {
            sink.retarget(&name, cfg.output_dir.as_ref()).map_err(|m| Error::Write(std::io::Error::other(m)))?;
        }
    }
    if let (Some((false, since)), 200) = (spec.time_condition, status) {
        // curl checks the condition itself too: an older document is not
        // written ("The requested document is not new enough").
        let modified = ex.head().and_then(|h| h.get_str("last-modified")).and_then(|d| crate::date::parse(&d));
        if modified.is_some_and(|m| m <= since) {
            let mut sink_buf = [0u8; 16 * 1024];
            while ex.read_body(&mut sink_buf)? > 0 {}
            return Ok(false);
        }
    }
    let coding = ex.head().and_then(|h| h.get_str("content-encoding")).filter(|_| spec.compressed);
    let cap = cfg.max_filesize.unwrap_or(u64::MAX);
    let mut stack = match coding {
        Some(c) => Some(decode::Stack::new(&c, decode::CODINGS, cap)?),
        None => None,
    };
    meter.sample.dl_total = ex.expected_len();
    meter.sample.ul_total = info.size_upload;
    meter.sample.ul_now = info.size_upload;
    // With --limit-rate, read in pieces of at most a tenth of a second's
    // worth so the pacing below stays smooth.
    let piece = cfg.limit_rate.map_or(PIECE, |r| usize::try_from(r / 10).unwrap_or(PIECE).clamp(1, PIECE));
    // The buffer lives in the context: later transfers (and a `-Z`
    // worker's next URLs) reuse it instead of zeroing a fresh one.
    // It starts small and grows while reads fill it, so a body that comes
    // in small pieces (HTTP/2 frames, many `-Z` transfers) never pays for
    // zeroing the big one.
    let mut buf = std::mem::take(&mut ctx.body_buf);
    let mut want = piece.min(FIRST_PIECE);
    // `-v` says `{ [N bytes data]` for the body's first piece, as curl
    // does unless the body itself is going to the terminal.
    let mut announce_data = cfg.verbose && !(sink.is_stdout() && io.stdout_tty);
    let body_started = Instant::now();
    loop {
        if let Some(rate) = cfg.limit_rate {
            // Sleep until the average speed is back under the limit.
            let due = Duration::from_secs_f64(*size_download as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(body_started.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        meter.update(io.stderr);
        if buf.len() < want {
            buf.resize(want, 0);
        }
        let n = ex.read_body(buf.get_mut(..want).unwrap_or_default())?;
        if n == want {
            want = (want * 4).min(piece);
        }
        if n == 0 {
            break;
        }
        if std::mem::take(&mut announce_data) {
            let _ = writeln!(io.stderr, "{{ [{n} bytes data]");
        }
        let chunk = buf.get(..n).unwrap_or(&[]);
        *size_download += n as u64;
        meter.sample.dl_now = *size_download;
        if let Some(max) = cfg.max_filesize.filter(|_| ex.head().is_some()) {
            if *size_download > max {
                return Err(Error::FileSize(max, *size_download));
            }
        }
        match stack.as_mut().filter(|s| !s.is_identity()) {
            Some(s) => s.push(chunk, &mut |plain: &[u8]| sink.write(io.stdout, plain).map_err(Error::Write))?,
            None => sink.write(io.stdout, chunk).map_err(Error::Write)?,
        }
    }
    ctx.body_buf = buf;
    sink.touch(io.stdout).map_err(Error::Write)?;
    if cfg.remote_time {
        let modified = ex.head().and_then(|h| h.get_str("last-modified")).and_then(|d| crate::date::parse(&d));
        if let Some(secs) = modified {
            sink.set_mtime(std::time::UNIX_EPOCH + Duration::from_secs(secs));
        }
    }
    let host = spec.url.host().map(ToString::to_string).unwrap_or_default();
    let stays_open = ex.stays_open();
    let closing = match ex.into_reusable() {
        Some((key, conn)) => {
            ctx.pool.put(key, conn);
            Some(format!("Connection #0 to host {host} left intact"))
        }
        None if stays_open => Some(format!("Connection #0 to host {host} left intact")),
        None if spec.url.scheme() != "file" => Some("Closing connection 0".to_owned()),
        None => None,
    };
    if let Some(line) = closing {
        if cfg.verbose {
            if io.stdout_tty {
                // A terminal shows the body before the closing line, as
                // curl's line-buffered stdout does.
                let _ = io.stdout.flush();
            }
            let _ = writeln!(io.stderr, "* {line}");
        }
        if let Some(t) = &cfg.tracer {
            t.info(&line);
        }
    }
    if let Some(t) = &cfg.tracer {
        t.flush();
    }
    if status >= 400 && cfg.fail_with_body {
        return Err(Error::HttpStatus(status));
    }
    Ok(false)
}

/// Whether an error is worth a `--retry` (curl: timeouts and transient
/// server answers; connection refusals only with --retry-connrefused).
fn transient_error(e: &Error) -> bool {
    matches!(e, Error::Timeout { .. } | Error::ConnectTimeout { .. } | Error::ConnectTimedOut { .. })
}

/// One URL to transfer (after glob expansion) and where its body goes.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) url: String,
    pub(crate) output: Option<OutSpec>,
    /// Index for `%{urlnum}`.
    pub(crate) urlnum: usize,
}

/// Transfers one URL.
pub(crate) fn run_url(cfg: &Config, job: &Job, ctx: &mut Ctx, io: &mut Io<'_>, dump: &mut Option<Dump>) -> Outcome {
    let started = Instant::now();
    let mut vars = Vars { url: job.url.clone(), urlnum: job.urlnum, referer: cfg.referer.clone(), ..Vars::default() };
    let result = run_inner(cfg, &job.url, job.output.as_ref(), ctx, io, dump, &mut vars, started);
    vars.time_total = started.elapsed();
    Outcome { result, vars }
}

// The same reason as `attempt`: state owned by `run_url`.
#[allow(clippy::too_many_arguments)]
fn run_inner(
    cfg: &Config,
    raw_url: &str,
    output: Option<&OutSpec>,
    ctx: &mut Ctx,
    io: &mut Io<'_>,
    dump: &mut Option<Dump>,
    vars: &mut Vars,
    started: Instant,
) -> Result<(), Error> {
    let url = Url::parse(raw_url)?;
    let target = match Target::resolve(output, &url, cfg.output_dir.as_ref()) {
        Ok(t) => t,
        Err(msg) => {
            let _ = writeln!(io.stderr, "rsurl: {msg}");
            return Err(Error::Write(std::io::Error::other(msg)));
        }
    };
    vars.filename_effective = target.name();
    let resume = match (cfg.continue_at, &target) {
        (Some(ContinueAt::Offset(n)), _) => Some(n),
        (Some(ContinueAt::Auto), Target::File(p)) => Some(std::fs::metadata(p).map_or(0, |m| m.len())),
        (Some(ContinueAt::Auto), Target::Stdout) => Some(0),
        (None, _) => None,
    };
    let spec = spec_for(cfg, url, resume)?;
    let style = if cfg.silent || cfg.no_progress_meter || cfg.verbose || (io.stdout_tty && target == Target::Stdout) {
        Style::Off
    } else if cfg.progress_bar {
        Style::Bar
    } else {
        Style::Table
    };
    let mut meter = Meter::new(style);
    let mut tries_left = cfg.retry;
    let mut delay = Duration::from_secs(cfg.retry_delay.unwrap_or(1));
    loop {
        let mut sink = Sink::new(target.clone(), resume.is_some_and(|r| r > 0), cfg.create_dirs);
        let mut size = 0;
        let r = attempt(
            cfg,
            output,
            &spec,
            ctx,
            io,
            &mut sink,
            dump.as_mut(),
            &mut meter,
            &mut vars.info,
            &mut size,
            tries_left > 0,
        );
        vars.size_download = size;
        let retry = match &r {
            Ok(true) => Some("HTTP error"),
            Err(e) if tries_left > 0 && transient_error(e) => Some("timeout"),
            _ => None,
        };
        let within = cfg.retry_max_time.is_none_or(|m| (started.elapsed() + delay).as_secs() <= m);
        match retry {
            Some(what) if within => {
                if !cfg.silent {
                    let _ = writeln!(
                        io.stderr,
                        "Warning: Problem : {what}. Will retry in {} seconds. {tries_left} retries left.",
                        delay.as_secs()
                    );
                }
                std::thread::sleep(delay);
                tries_left -= 1;
                if cfg.retry_delay.is_none() {
                    delay = (delay * 2).min(Duration::from_secs(600));
                }
            }
            _ => {
                meter.finish(io.stderr);
                return match r {
                    Ok(true) | Ok(false) => Ok(()),
                    Err(e) => Err(e),
                };
            }
        }
    }
}

/// Prints the `-w` output for one finished transfer.
pub(crate) fn write_out(fmt: &str, vars: &Vars, io: &mut Io<'_>) {
    let mut warnings = Vec::new();
    let segments = write_out::render(fmt, vars, &mut |w| warnings.push(w));
    for w in warnings {
        let _ = writeln!(io.stderr, "rsurl: {w}");
    }
    for (stream, bytes) in segments {
        let _ = match stream {
            Stream::Stdout => io.stdout.write_all(&bytes),
            Stream::Stderr => io.stderr.write_all(&bytes),
        };
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_disposition_names() {
        assert_eq!(super::disposition_name("attachment; filename=\"a b.txt\"").as_deref(), Some("a b.txt"));
        assert_eq!(super::disposition_name("attachment; FileName=x.bin; size=3").as_deref(), Some("x.bin"));
        assert_eq!(super::disposition_name("inline"), None);
    }
}
