//! `curl_easy_setopt`: option numbers (libcurl's) and how each is stored.
//! The number's range says the argument type: below 10000 a `long`, from
//! 10000 a pointer, from 20000 a function pointer, from 30000 a
//! `curl_off_t`.

use core::ffi::{CStr, c_char, c_int, c_long, c_void};

use super::easy::{Easy, ProgressFn, ReadFn, WriteFn};
use super::{CURLE_BAD_FUNCTION_ARGUMENT, CURLE_OK, CurlCode};
use crate::conn::unix::UnixTarget;

const CURLE_UNKNOWN_OPTION: CurlCode = 48;
const CURLE_UNSUPPORTED_PROTOCOL: CurlCode = 1;

pub(super) const WRITEDATA: c_int = 10_001;
pub(super) const URL: c_int = 10_002;
pub(super) const USERPWD: c_int = 10_005;
pub(super) const READDATA: c_int = 10_009;
pub(super) const ERRORBUFFER: c_int = 10_010;
pub(super) const WRITEFUNCTION: c_int = 20_011;
pub(super) const READFUNCTION: c_int = 20_012;
pub(super) const TIMEOUT: c_int = 13;
pub(super) const INFILESIZE: c_int = 14;
pub(super) const POSTFIELDS: c_int = 10_015;
pub(super) const REFERER: c_int = 10_016;
pub(super) const USERAGENT: c_int = 10_018;
pub(super) const COOKIE: c_int = 10_022;
pub(super) const HTTPHEADER: c_int = 10_023;
pub(super) const HEADERDATA: c_int = 10_029;
pub(super) const CUSTOMREQUEST: c_int = 10_036;
pub(super) const VERBOSE: c_int = 41;
pub(super) const HEADER: c_int = 42;
pub(super) const NOPROGRESS: c_int = 43;
pub(super) const NOBODY: c_int = 44;
pub(super) const FAILONERROR: c_int = 45;
pub(super) const UPLOAD: c_int = 46;
pub(super) const POST: c_int = 47;
pub(super) const FOLLOWLOCATION: c_int = 52;
pub(super) const XFERINFODATA: c_int = 10_057;
pub(super) const POSTFIELDSIZE: c_int = 60;
pub(super) const MAXREDIRS: c_int = 68;
pub(super) const CONNECTTIMEOUT: c_int = 78;
pub(super) const HEADERFUNCTION: c_int = 20_079;
pub(super) const HTTPGET: c_int = 80;
pub(super) const ACCEPT_ENCODING: c_int = 10_102;
pub(super) const HTTPAUTH: c_int = 107;
pub(super) const INFILESIZE_LARGE: c_int = 30_115;
pub(super) const POSTFIELDSIZE_LARGE: c_int = 30_120;
pub(super) const TIMEOUT_MS: c_int = 155;
pub(super) const CONNECTTIMEOUT_MS: c_int = 156;
pub(super) const COPYPOSTFIELDS: c_int = 10_165;
pub(super) const XFERINFOFUNCTION: c_int = 20_219;
pub(super) const XOAUTH2_BEARER: c_int = 10_220;
pub(super) const SSL_VERIFYPEER: c_int = 64;
pub(super) const CAINFO: c_int = 10_065;
pub(super) const SSL_VERIFYHOST: c_int = 81;
pub(super) const CAPATH: c_int = 10_097;
pub(super) const PINNEDPUBLICKEY: c_int = 10_230;
pub(super) const SSL_VERIFYSTATUS: c_int = 232;
pub(super) const HTTP_VERSION: c_int = 84;
pub(super) const SSLCERT: c_int = 10_025;
pub(super) const KEYPASSWD: c_int = 10_026;
pub(super) const SSL_CIPHER_LIST: c_int = 10_083;
pub(super) const SSLCERTTYPE: c_int = 10_086;
pub(super) const SSLKEY: c_int = 10_087;
pub(super) const SSLKEYTYPE: c_int = 10_088;
pub(super) const SSL_SESSIONID_CACHE: c_int = 150;
pub(super) const TLS13_CIPHERS: c_int = 10_276;
pub(super) const SSL_EC_CURVES: c_int = 10_298;
pub(super) const INTERFACE: c_int = 10_062;
pub(super) const LOCALPORT: c_int = 139;
pub(super) const LOCALPORTRANGE: c_int = 140;
pub(super) const UNIX_SOCKET_PATH: c_int = 10_231;
pub(super) const ABSTRACT_UNIX_SOCKET: c_int = 10_264;
pub(super) const HAPPY_EYEBALLS_TIMEOUT_MS: c_int = 271;

/// `CURLAUTH_BASIC`, `CURLAUTH_DIGEST`, `CURLAUTH_BEARER`.
pub(super) const AUTH_BASIC: c_long = 1;
pub(super) const AUTH_DIGEST: c_long = 2;
pub(super) const AUTH_BEARER: c_long = 64;

/// Copies a C string argument (NULL clears).
///
/// # Safety
/// `value` is NULL or a NUL-terminated string.
pub(super) unsafe fn string(value: *mut c_void) -> Option<String> {
    let ptr = value.cast::<c_char>().cast_const();
    // SAFETY: per the contract, non-NULL means NUL-terminated.
    (!ptr.is_null()).then(|| unsafe { CStr::from_ptr(ptr) }.to_string_lossy().into_owned())
}

/// Stores one option.
///
/// # Safety
/// `value` is what libcurl documents for `option`.
pub(super) unsafe fn set(easy: &mut Easy, option: c_int, value: *mut c_void) -> CurlCode {
    // `long` and `curl_off_t` arrive in the pointer-sized register.
    let long = value as usize as i64;
    let flag = long != 0;
    // SAFETY: called only in the arms of string options, whose argument
    // libcurl documents as NULL or a NUL-terminated string.
    let text = || unsafe { string(value) };
    let o = &mut easy.options;
    match option {
        URL => o.url = text(),
        USERPWD => o.userpwd = text(),
        USERAGENT => o.useragent = text(),
        REFERER => o.referer = text(),
        COOKIE => o.cookie = text(),
        CUSTOMREQUEST => o.customrequest = text(),
        ACCEPT_ENCODING => o.accept_encoding = text(),
        XOAUTH2_BEARER => o.bearer = text(),
        COPYPOSTFIELDS => {
            let Some(text) = text() else { return CURLE_BAD_FUNCTION_ARGUMENT };
            o.postfields = Some(super::easy::PostFields::Copied(text.into_bytes()));
        }
        POSTFIELDS => o.postfields = (!value.is_null()).then_some(super::easy::PostFields::Borrowed(value.cast())),
        POSTFIELDSIZE | POSTFIELDSIZE_LARGE => o.postfieldsize = Some(long),
        WRITEDATA => o.write_data = value,
        HEADERDATA => o.header_data = value,
        READDATA => o.read_data = value,
        XFERINFODATA => o.progress_data = value,
        ERRORBUFFER => o.error_buffer = value.cast(),
        HTTPHEADER => o.headers = value.cast_const().cast(),
        // For the callback options libcurl's contract is that `value` is a
        // function pointer of exactly the callback's signature, or NULL
        // (which becomes `None` through the niche).
        WRITEFUNCTION => {
            // SAFETY: see above.
            o.write_fn = unsafe { core::mem::transmute::<*mut c_void, Option<WriteFn>>(value) };
        }
        HEADERFUNCTION => {
            // SAFETY: see above.
            o.header_fn = unsafe { core::mem::transmute::<*mut c_void, Option<WriteFn>>(value) };
        }
        READFUNCTION => {
            // SAFETY: see above.
            o.read_fn = unsafe { core::mem::transmute::<*mut c_void, Option<ReadFn>>(value) };
        }
        XFERINFOFUNCTION => {
            // SAFETY: see above.
            o.progress_fn = unsafe { core::mem::transmute::<*mut c_void, Option<ProgressFn>>(value) };
        }
        NOPROGRESS => o.noprogress = flag,
        NOBODY => o.nobody = flag,
        HEADER => o.header_in_body = flag,
        FAILONERROR => o.failonerror = flag,
        UPLOAD => o.upload = flag,
        POST => o.post = flag,
        HTTPGET => {
            if flag {
                o.post = false;
                o.upload = false;
                o.nobody = false;
            }
        }
        FOLLOWLOCATION => o.follow = flag,
        VERBOSE => {}
        MAXREDIRS => o.maxredirs = long,
        INFILESIZE | INFILESIZE_LARGE => o.infilesize = Some(long),
        TIMEOUT => o.timeout_ms = long.saturating_mul(1000),
        TIMEOUT_MS => o.timeout_ms = long,
        CONNECTTIMEOUT => o.connect_timeout_ms = long.saturating_mul(1000),
        CONNECTTIMEOUT_MS => o.connect_timeout_ms = long,
        HTTPAUTH => o.httpauth = long as c_long,
        SSL_VERIFYPEER => o.tls.verify_peer = flag,
        // libcurl treats 1 like 2 since 7.66: any non-zero checks the name.
        SSL_VERIFYHOST => o.tls.verify_host = flag,
        CAINFO => o.tls.ca_file = text().map(Into::into),
        CAPATH => o.tls.ca_path = text().map(Into::into),
        PINNEDPUBLICKEY => o.tls.pinned_key = text(),
        SSL_VERIFYSTATUS => o.tls.cert_status = flag,
        SSLCERT => o.tls.client_cert.cert = text().map(Into::into),
        SSLCERTTYPE => o.tls.client_cert.cert_type = text(),
        SSLKEY => o.tls.client_cert.key = text().map(Into::into),
        SSLKEYTYPE => o.tls.client_cert.key_type = text(),
        KEYPASSWD => o.tls.client_cert.pass = text().map(|p| crate::conn::tls::client_cert::Passphrase::new(&p)),
        SSL_CIPHER_LIST => o.tls.ciphers = text(),
        TLS13_CIPHERS => o.tls.tls13_ciphers = text(),
        SSL_EC_CURVES => o.tls.curves = text(),
        SSL_SESSIONID_CACHE => o.tls.session_id = flag,
        INTERFACE => o.interface = text().map(|t| crate::conn::socket::Interface::parse(&t)),
        LOCALPORT => o.localport = u16::try_from(long).ok(),
        LOCALPORTRANGE => o.localportrange = u16::try_from(long).ok(),
        UNIX_SOCKET_PATH => o.unix_socket = text().map(|t| UnixTarget::Path(t.into())),
        ABSTRACT_UNIX_SOCKET => o.unix_socket = text().map(|t| UnixTarget::Abstract(t.into_bytes())),
        HAPPY_EYEBALLS_TIMEOUT_MS => o.happy_eyeballs_ms = u64::try_from(long).ok(),
        // CURL_HTTP_VERSION_NONE (0), 1_0 (1), 1_1 (2), 2_0 (3), 2TLS (4),
        // 2_PRIOR_KNOWLEDGE (5); 1.0 is sent as 1.1 here.
        HTTP_VERSION => {
            use crate::transfer::HttpVersion;
            o.http_version = match long {
                0 | 3 | 4 => HttpVersion::Default,
                1 | 2 => HttpVersion::Http11,
                5 => HttpVersion::Http2PriorKnowledge,
                _ => return CURLE_UNSUPPORTED_PROTOCOL,
            };
            o.tls.alpn_h2 = o.http_version != HttpVersion::Http11;
        }
        _ => {
            // SAFETY: forwarded from this function's contract on `value`.
            let known = unsafe { super::proxy::set(&mut o.proxy, option, value) }
                // SAFETY: as above.
                .or_else(|| unsafe { super::caches::set(&mut easy.caches, option, value) });
            return known.unwrap_or(CURLE_UNKNOWN_OPTION);
        }
    }
    CURLE_OK
}
