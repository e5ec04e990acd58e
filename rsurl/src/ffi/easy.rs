//! The easy handle: stored options, one transfer through the engine with
//! libcurl's callback semantics, and the facts `curl_easy_getinfo` reads.

use core::ffi::{c_char, c_int, c_long, c_void};
use std::ffi::CString;
use std::io::Write as _;
use std::time::{Duration, Instant};

use super::options::{AUTH_BASIC, AUTH_BEARER, AUTH_DIGEST};
use super::{CURLE_BAD_FUNCTION_ARGUMENT, CURLE_OK, CurlCode};
use crate::error::Error;
use crate::http1::response::ResponseHead;
use crate::transfer::body::Stream;
use crate::transfer::{self, Body, Ctx, Observer, Spec};
use crate::url::Url;

/// `size_t write_callback(char *ptr, size_t size, size_t nmemb, void *userdata)`.
pub(super) type WriteFn = unsafe extern "C" fn(*const c_char, usize, usize, *mut c_void) -> usize;
/// `size_t read_callback(char *buffer, size_t size, size_t nitems, void *userdata)`.
pub(super) type ReadFn = unsafe extern "C" fn(*mut c_char, usize, usize, *mut c_void) -> usize;
/// `int xferinfo(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)`.
pub(super) type ProgressFn = unsafe extern "C" fn(*mut c_void, i64, i64, i64, i64) -> c_int;

const CURLE_HTTP_RETURNED_ERROR: CurlCode = 22;
const CURLE_WRITE_ERROR: CurlCode = 23;
const CURLE_ABORTED_BY_CALLBACK: CurlCode = 42;
/// `CURL_ERROR_SIZE`: the error buffer's size.
const ERROR_SIZE: usize = 256;
/// A read callback returning this aborts the transfer.
const READFUNC_ABORT: usize = 0x1000_0000;

/// Marks a read callback's `CURL_READFUNC_ABORT` inside the I/O error
/// the engine reports, so perform returns `CURLE_ABORTED_BY_CALLBACK`.
#[derive(Debug)]
struct CallbackAbort;

impl std::fmt::Display for CallbackAbort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("operation aborted by callback")
    }
}

impl std::error::Error for CallbackAbort {}

/// The application's `CURLOPT_READFUNCTION`, read as the body is sent.
struct CallbackReader {
    read: ReadFn,
    data: *mut c_void,
}

// SAFETY: the reader lives only inside the one `curl_easy_perform` call
// that created it, on the caller's thread; libcurl's contract makes the
// callback and its userdata valid for that call. `Send` is needed only
// because request bodies are `Send` for the CLI's parallel transfers.
unsafe impl Send for CallbackReader {}

impl std::io::Read for CallbackReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // SAFETY: a read callback of libcurl's signature; `buf` is
        // writable for its length.
        let n = unsafe { (self.read)(buf.as_mut_ptr().cast(), 1, buf.len(), self.data) };
        match n {
            READFUNC_ABORT => Err(std::io::Error::other(CallbackAbort)),
            n if n > buf.len() => Err(std::io::Error::other("read callback returned too much")),
            n => Ok(n),
        }
    }
}

/// `CURLOPT_POSTFIELDS` (the caller's memory, read at perform time, as
/// libcurl does) or `CURLOPT_COPYPOSTFIELDS` (copied at setopt time).
#[derive(Debug)]
pub(super) enum PostFields {
    Borrowed(*const c_char),
    Copied(Vec<u8>),
}

/// Options as set; raw pointers are the caller's and only dereferenced
/// during `curl_easy_perform`.
#[derive(Debug)]
pub(super) struct Options {
    pub(super) url: Option<String>,
    pub(super) userpwd: Option<String>,
    pub(super) useragent: Option<String>,
    pub(super) referer: Option<String>,
    pub(super) cookie: Option<String>,
    pub(super) customrequest: Option<String>,
    pub(super) accept_encoding: Option<String>,
    pub(super) bearer: Option<String>,
    pub(super) postfields: Option<PostFields>,
    pub(super) postfieldsize: Option<i64>,
    pub(super) headers: *const super::CurlSlist,
    pub(super) write_fn: Option<WriteFn>,
    pub(super) write_data: *mut c_void,
    pub(super) header_fn: Option<WriteFn>,
    pub(super) header_data: *mut c_void,
    pub(super) read_fn: Option<ReadFn>,
    pub(super) read_data: *mut c_void,
    pub(super) progress_fn: Option<ProgressFn>,
    pub(super) progress_data: *mut c_void,
    pub(super) error_buffer: *mut c_char,
    pub(super) noprogress: bool,
    pub(super) nobody: bool,
    pub(super) header_in_body: bool,
    pub(super) failonerror: bool,
    pub(super) upload: bool,
    pub(super) post: bool,
    pub(super) follow: bool,
    pub(super) maxredirs: i64,
    pub(super) infilesize: Option<i64>,
    pub(super) timeout_ms: i64,
    pub(super) connect_timeout_ms: i64,
    pub(super) httpauth: c_long,
    /// `CURLOPT_SSL_VERIFYPEER`, `_VERIFYHOST`, `CAINFO`, `CAPATH`,
    /// `PINNEDPUBLICKEY`, `SSL_VERIFYSTATUS`.
    pub(super) tls: crate::conn::tls::TlsOptions,
    /// `CURLOPT_HTTP_VERSION`.
    pub(super) http_version: crate::transfer::HttpVersion,
    /// `CURLOPT_INTERFACE`.
    pub(super) interface: Option<crate::conn::socket::Interface>,
    /// `CURLOPT_LOCALPORT` and `CURLOPT_LOCALPORTRANGE` (how many ports
    /// from it may be tried; 1 when unset).
    pub(super) localport: Option<u16>,
    pub(super) localportrange: Option<u16>,
    /// `CURLOPT_UNIX_SOCKET_PATH` / `CURLOPT_ABSTRACT_UNIX_SOCKET`.
    pub(super) unix_socket: Option<crate::conn::unix::UnixTarget>,
    /// `CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS`.
    pub(super) happy_eyeballs_ms: Option<u64>,
    /// `CURLOPT_PROXY` and the other proxy options.
    pub(super) proxy: super::proxy::ProxyOptions,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            url: None,
            userpwd: None,
            useragent: None,
            referer: None,
            cookie: None,
            customrequest: None,
            accept_encoding: None,
            bearer: None,
            postfields: None,
            postfieldsize: None,
            headers: core::ptr::null(),
            write_fn: None,
            write_data: core::ptr::null_mut(),
            header_fn: None,
            header_data: core::ptr::null_mut(),
            read_fn: None,
            read_data: core::ptr::null_mut(),
            progress_fn: None,
            progress_data: core::ptr::null_mut(),
            error_buffer: core::ptr::null_mut(),
            noprogress: true,
            nobody: false,
            header_in_body: false,
            failonerror: false,
            upload: false,
            post: false,
            follow: false,
            maxredirs: -1,
            infilesize: None,
            timeout_ms: 0,
            connect_timeout_ms: 0,
            httpauth: 1,
            tls: crate::conn::tls::TlsOptions::default(),
            http_version: crate::transfer::HttpVersion::Default,
            interface: None,
            localport: None,
            localportrange: None,
            unix_socket: None,
            happy_eyeballs_ms: None,
            proxy: super::proxy::ProxyOptions::default(),
        }
    }
}

/// What the last transfer left for `curl_easy_getinfo`.
#[derive(Debug, Default)]
struct Facts {
    response_code: c_long,
    effective_url: Option<CString>,
    content_type: Option<CString>,
    total_time: Duration,
    size_download: i64,
    redirect_count: c_long,
    ssl_verify_result: c_long,
    proxy_ssl_verify_result: c_long,
    http_connectcode: c_long,
    /// `CURLproxycode` of a failed SOCKS handshake; 0 otherwise.
    proxy_error: c_long,
}

/// A `CURL *` easy handle.
#[derive(Debug)]
pub struct Easy {
    pub(super) options: Options,
    facts: Facts,
    /// Connections stay pooled across performs on one handle.
    ctx: Ctx,
    /// `CURLOPT_HSTS*` and `CURLOPT_ALTSVC*`: the stores live in `ctx`.
    pub(super) caches: super::caches::Caches,
}

impl Drop for Easy {
    /// `curl_easy_cleanup` writes the HSTS and alt-svc caches, as libcurl.
    fn drop(&mut self) {
        self.caches.save(&self.ctx);
    }
}

/// Calls a write-style callback (or writes to stdout when none is set, as
/// libcurl does) and checks that everything was taken.
fn deliver(callback: Option<WriteFn>, data: *mut c_void, bytes: &[u8], stdout_default: bool) -> Result<(), CurlCode> {
    if bytes.is_empty() {
        return Ok(());
    }
    match callback {
        // SAFETY: `cb` was set through CURLOPT_*FUNCTION with libcurl's
        // write-callback signature; `bytes` is valid for the call.
        Some(cb) => match unsafe { cb(bytes.as_ptr().cast(), 1, bytes.len(), data) } {
            n if n == bytes.len() => Ok(()),
            _ => Err(CURLE_WRITE_ERROR),
        },
        None if stdout_default => std::io::stdout().write_all(bytes).map_err(|_| CURLE_WRITE_ERROR),
        None => Ok(()),
    }
}

/// Adds libcurl-style header lines to `out`: `Name: value` replaces
/// earlier fields of that name, `Name:` removes a built-in one, `Name;`
/// sends it empty.
fn custom_headers(lines: Vec<String>, out: &mut Vec<(String, Option<String>)>) {
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            let entry = if value.is_empty() { None } else { Some(value.to_owned()) };
            out.retain(|(n, _)| !n.eq_ignore_ascii_case(name.trim()));
            out.push((name.trim().to_owned(), entry));
        } else if let Some(name) = line.strip_suffix(';') {
            out.push((name.trim().to_owned(), Some(String::new())));
        }
    }
}

/// Forwards each response head to the header callback, line by line.
struct HeaderSink<'a> {
    options: &'a Options,
    failed: Option<CurlCode>,
}

impl Observer for HeaderSink<'_> {
    fn response_head(&mut self, head: &ResponseHead) {
        if self.failed.is_some() {
            return;
        }
        let in_body = self.options.header_in_body;
        for line in head.raw.split_inclusive(|&b| b == b'\n') {
            let result = match (self.options.header_fn, in_body) {
                (Some(cb), _) => deliver(Some(cb), self.options.header_data, line, false),
                (None, true) => deliver(self.options.write_fn, self.options.write_data, line, true),
                (None, false) => Ok(()),
            };
            if let Err(code) = result {
                self.failed = Some(code);
                return;
            }
        }
    }
}

impl Easy {
    pub(super) fn new() -> Self {
        Self {
            options: Options::default(),
            facts: Facts::default(),
            ctx: Ctx::new(),
            caches: super::caches::Caches::default(),
        }
    }

    pub(super) fn reset(&mut self) {
        self.options = Options::default();
        self.facts = Facts::default();
    }

    /// Writes `message` into CURLOPT_ERRORBUFFER, if set.
    fn set_error(&self, message: &str) {
        if self.options.error_buffer.is_null() {
            return;
        }
        let bytes = message.as_bytes();
        let n = bytes.len().min(ERROR_SIZE - 1);
        // SAFETY: libcurl's contract: the error buffer holds at least
        // CURL_ERROR_SIZE bytes and lives while the handle is used.
        unsafe {
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), self.options.error_buffer.cast::<u8>(), n);
            *self.options.error_buffer.add(n) = 0;
        }
    }

    /// The request body: POSTFIELDS, or the read callback streamed (with
    /// Content-Length when `CURLOPT_INFILESIZE` is set, chunked otherwise).
    fn body(&self) -> Result<Body, CurlCode> {
        let o = &self.options;
        if o.upload {
            let len = o.infilesize.and_then(|n| u64::try_from(n).ok());
            let reader: Box<dyn std::io::Read + Send> = match o.read_fn {
                Some(read) => Box::new(CallbackReader { read, data: o.read_data }),
                None => Box::new(std::io::empty()),
            };
            return Ok(Body::UploadStream(Stream::new(reader, len)));
        }
        let bytes = match &o.postfields {
            None if o.post => Vec::new(),
            None => return Ok(Body::None),
            Some(PostFields::Copied(v)) => v.clone(),
            Some(PostFields::Borrowed(ptr)) => match o.postfieldsize.filter(|&n| n >= 0) {
                // SAFETY: libcurl's contract: POSTFIELDS points to
                // POSTFIELDSIZE bytes (or a NUL-terminated string when no
                // size is set), valid during perform.
                Some(n) => unsafe { core::slice::from_raw_parts(ptr.cast::<u8>(), n as usize) }.to_vec(),
                // SAFETY: as above, the NUL-terminated form.
                None => unsafe { core::ffi::CStr::from_ptr(*ptr) }.to_bytes().to_vec(),
            },
        };
        Ok(Body::Bytes(bytes))
    }

    fn spec(&self) -> Result<Spec, CurlCode> {
        let o = &self.options;
        let url = o.url.as_deref().ok_or(3)?;
        let mut spec = Spec::new(Url::parse(url).map_err(|e| CurlCode::from(Error::Url(e).exit_code().get()))?);
        spec.body = self.body()?;
        // libcurl sends no User-Agent unless one is set.
        spec.user_agent = Some(o.useragent.clone().unwrap_or_default());
        spec.referer.clone_from(&o.referer);
        spec.cookie.clone_from(&o.cookie);
        spec.custom_method.clone_from(&o.customrequest);
        spec.head_only = o.nobody;
        spec.follow = o.follow;
        spec.tls.clone_from(&o.tls);
        spec.http_version = o.http_version;
        spec.max_redirs = u32::try_from(o.maxredirs).ok();
        spec.timeout = u64::try_from(o.timeout_ms).ok().filter(|&t| t > 0).map(Duration::from_millis);
        spec.routing.connect_timeout =
            u64::try_from(o.connect_timeout_ms).ok().filter(|&t| t > 0).map(Duration::from_millis);
        spec.routing.unix_socket.clone_from(&o.unix_socket);
        spec.routing.local.interface.clone_from(&o.interface);
        spec.routing.local.ports = o.localport.filter(|&p| p > 0).map(|p| {
            let extra = o.localportrange.unwrap_or(1).max(1) - 1;
            (p, p.saturating_add(extra))
        });
        spec.routing.happy_eyeballs = o.happy_eyeballs_ms.map(Duration::from_millis);
        if let Some(up) = &o.userpwd {
            let (user, pass) = up.split_once(':').unwrap_or((up, ""));
            spec.credentials = Some((user.to_owned(), pass.to_owned()));
        }
        spec.auth = match (&o.bearer, o.httpauth) {
            (Some(token), a) if a & AUTH_BEARER != 0 => crate::auth::Scheme::Bearer(token.clone()),
            (_, a) if a & AUTH_DIGEST != 0 && a & AUTH_BASIC != 0 => crate::auth::Scheme::Any,
            (_, a) if a & AUTH_DIGEST != 0 => crate::auth::Scheme::Digest,
            _ => crate::auth::Scheme::Basic,
        };
        if let Some(enc) = &o.accept_encoding {
            spec.compressed = true;
            if !enc.is_empty() {
                spec.headers.push(("Accept-Encoding".into(), Some(enc.clone())));
            }
        }
        // SAFETY: CURLOPT_HTTPHEADER's list stays valid during perform.
        custom_headers(unsafe { super::slist::strings(o.headers) }, &mut spec.headers);
        let mut proxy_headers = Vec::new();
        // SAFETY: CURLOPT_PROXYHEADER's list stays valid during perform.
        custom_headers(unsafe { super::slist::strings(o.proxy.headers) }, &mut proxy_headers);
        o.proxy.apply(&mut spec.routing, &proxy_headers)?;
        Ok(spec)
    }

    /// Runs one transfer; the `CURLcode`.
    pub(super) fn perform(&mut self) -> CurlCode {
        let started = Instant::now();
        self.facts = Facts::default();
        self.caches.prepare(&mut self.ctx);
        let spec = match self.spec() {
            Ok(s) => s,
            Err(code) => return code,
        };
        let result = self.transfer(&spec, started);
        self.facts.total_time = started.elapsed();
        match result {
            Ok(()) => CURLE_OK,
            Err(Outcome::Code(code)) => code,
            Err(Outcome::Error(Error::Read(e))) if e.get_ref().is_some_and(|x| x.is::<CallbackAbort>()) => {
                self.set_error("operation aborted by callback");
                CURLE_ABORTED_BY_CALLBACK
            }
            Err(Outcome::Error(e)) => {
                self.facts.proxy_error = e.proxy_code().map_or(0, |c| c_long::from(c.number()));
                self.set_error(&e.to_string());
                CurlCode::from(e.exit_code().get())
            }
        }
    }

    fn transfer(&mut self, spec: &Spec, started: Instant) -> Result<(), Outcome> {
        let mut sink = HeaderSink { options: &self.options, failed: None };
        let (mut ex, info) = transfer::perform(spec, &mut self.ctx, &mut sink, started).inspect_err(|e| {
            if let crate::error::Error::PeerVerification { verify_result, proxy, .. } = e {
                let v = c_long::try_from(*verify_result).unwrap_or(c_long::MAX);
                match proxy {
                    true => self.facts.proxy_ssl_verify_result = v,
                    false => self.facts.ssl_verify_result = v,
                }
            }
        })?;
        if let Some(code) = sink.failed {
            return Err(Outcome::Code(code));
        }
        self.facts.response_code = c_long::from(info.http_code);
        self.facts.effective_url = CString::new(info.url_effective.clone()).ok();
        self.facts.content_type = info.content_type.clone().and_then(|c| CString::new(c).ok());
        self.facts.redirect_count = c_long::from(info.num_redirects);
        self.facts.ssl_verify_result = c_long::try_from(info.ssl_verify_result).unwrap_or(c_long::MAX);
        self.facts.proxy_ssl_verify_result = c_long::try_from(info.proxy_ssl_verify_result).unwrap_or(c_long::MAX);
        self.facts.http_connectcode = c_long::from(info.http_connect);
        if self.options.failonerror && info.http_code >= 400 {
            self.set_error(&format!("The requested URL returned error: {}", info.http_code));
            return Err(Outcome::Code(CURLE_HTTP_RETURNED_ERROR));
        }
        let coding = ex.head().and_then(|h| h.get_str("content-encoding")).filter(|_| spec.compressed);
        let mut stack = match coding {
            Some(c) => Some(crate::decode::Stack::new(&c, crate::decode::CODINGS, u64::MAX)?),
            None => None,
        };
        let total = ex.expected_len().and_then(|n| i64::try_from(n).ok()).unwrap_or(0);
        let upload = i64::try_from(info.size_upload).unwrap_or(i64::MAX);
        let mut buf = vec![0u8; 64 * 1024];
        let o = &self.options;
        loop {
            let n = ex.read_body(&mut buf)?;
            self.facts.size_download += n as i64;
            if n == 0 {
                break;
            }
            let chunk = buf.get(..n).unwrap_or_default();
            let delivered = match stack.as_mut().filter(|s| !s.is_identity()) {
                Some(s) => {
                    let mut failed = None;
                    s.push(chunk, &mut |plain: &[u8]| {
                        deliver(o.write_fn, o.write_data, plain, true).map_err(|code| {
                            failed = Some(code);
                            Error::Decoding("write callback refused data".into())
                        })
                    })
                    .map_err(|e| failed.map_or(Outcome::Error(e), Outcome::Code))
                }
                None => deliver(o.write_fn, o.write_data, chunk, true).map_err(Outcome::Code),
            };
            delivered?;
            if let (false, Some(progress)) = (o.noprogress, o.progress_fn) {
                // SAFETY: an xferinfo callback of libcurl's signature.
                let stop = unsafe { progress(o.progress_data, total, self.facts.size_download, upload, upload) };
                if stop != 0 {
                    return Err(Outcome::Code(CURLE_ABORTED_BY_CALLBACK));
                }
            }
        }
        if let Some((key, conn)) = ex.into_reusable() {
            self.ctx.pool.put(key, conn);
        }
        Ok(())
    }

    /// Writes one fact to `out`.
    ///
    /// # Safety
    /// `out` points to the type libcurl documents for `info`.
    pub(super) unsafe fn getinfo(&self, info: c_int, out: *mut c_void) -> CurlCode {
        if out.is_null() {
            return CURLE_BAD_FUNCTION_ARGUMENT;
        }
        let string = |s: &Option<CString>| s.as_ref().map_or(core::ptr::null(), |c| c.as_ptr());
        // SAFETY: each arm writes the type libcurl documents for its info
        // number, which the caller's `out` points to.
        unsafe {
            match info {
                INFO_EFFECTIVE_URL => *out.cast::<*const c_char>() = string(&self.facts.effective_url),
                INFO_CONTENT_TYPE => *out.cast::<*const c_char>() = string(&self.facts.content_type),
                INFO_RESPONSE_CODE => *out.cast::<c_long>() = self.facts.response_code,
                INFO_REDIRECT_COUNT => *out.cast::<c_long>() = self.facts.redirect_count,
                INFO_SSL_VERIFYRESULT => *out.cast::<c_long>() = self.facts.ssl_verify_result,
                INFO_PROXY_SSL_VERIFYRESULT => *out.cast::<c_long>() = self.facts.proxy_ssl_verify_result,
                INFO_HTTP_CONNECTCODE => *out.cast::<c_long>() = self.facts.http_connectcode,
                INFO_PROXY_ERROR => *out.cast::<c_long>() = self.facts.proxy_error,
                INFO_TOTAL_TIME => *out.cast::<f64>() = self.facts.total_time.as_secs_f64(),
                INFO_SIZE_DOWNLOAD_T => *out.cast::<i64>() = self.facts.size_download,
                INFO_TOTAL_TIME_T => {
                    *out.cast::<i64>() = i64::try_from(self.facts.total_time.as_micros()).unwrap_or(i64::MAX);
                }
                _ => return CURLE_BAD_FUNCTION_ARGUMENT,
            }
        }
        CURLE_OK
    }
}

/// Why a transfer stopped early.
enum Outcome {
    Code(CurlCode),
    Error(Error),
}

impl From<Error> for Outcome {
    fn from(e: Error) -> Self {
        Self::Error(e)
    }
}

const INFO_EFFECTIVE_URL: c_int = 0x10_0001;
const INFO_CONTENT_TYPE: c_int = 0x10_0012;
const INFO_RESPONSE_CODE: c_int = 0x20_0002;
const INFO_REDIRECT_COUNT: c_int = 0x20_0014;
const INFO_SSL_VERIFYRESULT: c_int = 0x20_000D;
const INFO_HTTP_CONNECTCODE: c_int = 0x20_0016;
const INFO_PROXY_SSL_VERIFYRESULT: c_int = 0x20_002F;
const INFO_PROXY_ERROR: c_int = 0x20_003B;
const INFO_TOTAL_TIME: c_int = 0x30_0003;
const INFO_SIZE_DOWNLOAD_T: c_int = 0x60_0008;
const INFO_TOTAL_TIME_T: c_int = 0x60_0032;

/// `curl_easy_strerror` texts (NUL-terminated) for the codes this library
/// returns.
pub(super) fn strerror(code: CurlCode) -> &'static str {
    match code {
        0 => "No error\0",
        1 => "Unsupported protocol\0",
        2 => "Failed initialization\0",
        3 => "URL using bad/illegal format or missing URL\0",
        5 => "Couldn't resolve proxy name\0",
        6 => "Couldn't resolve host name\0",
        7 => "Couldn't connect to server\0",
        8 => "Weird server reply\0",
        18 => "Transferred a partial file\0",
        22 => "HTTP response code said error\0",
        23 => "Failed writing received data to disk/application\0",
        26 => "Failed to open/read local data from file/application\0",
        27 => "Out of memory\0",
        4 => {
            "A requested feature, protocol or option was not found built-in in this libcurl due to a build-time decision.\0"
        }
        28 => "Timeout was reached\0",
        35 => "SSL connect error\0",
        42 => "Operation was aborted by an application callback\0",
        43 => "A libcurl function was given a bad argument\0",
        47 => "Number of redirects hit maximum amount\0",
        48 => "An unknown option was passed in to libcurl\0",
        52 => "Server returned nothing (no headers, no data)\0",
        55 => "Failed sending data to the peer\0",
        56 => "Failure when receiving data from the peer\0",
        60 => "SSL peer certificate or SSH remote key was not OK\0",
        61 => "Unrecognized or bad HTTP Content or Transfer-Encoding\0",
        63 => "Maximum file size exceeded\0",
        77 => "Problem with the SSL CA cert (path? access rights?)\0",
        90 => "SSL public key does not match pinned public key\0",
        91 => "SSL server certificate status verification FAILED\0",
        97 => "Proxy handshake error\0",
        _ => "Unknown error\0",
    }
}
