//! libcurl's easy interface as a C ABI (`ffi` feature): `curl_easy_init`,
//! `curl_easy_setopt`, `curl_easy_perform`, `curl_easy_getinfo`,
//! `curl_easy_cleanup` with write, header, read and progress callbacks,
//! plus `curl_slist_*`, `curl_easy_strerror`, `curl_global_*` and
//! `curl_version`. The header is `include/curl/curl.h`; option and info
//! numbers are libcurl's, so programs written against libcurl compile
//! unchanged for the options listed there.
//!
//! Entry points: the `extern "C"` functions below. No panic crosses the
//! ABI: every entry point runs under `catch_unwind` and reports a
//! `CURLcode` instead.
//!
//! `curl_easy_setopt` and `curl_easy_getinfo` are variadic in C; stable
//! Rust cannot define variadic functions, so they are defined with one
//! pointer-sized third argument. On the x86-64 System V and AArch64
//! Linux calling conventions a variadic `long`, pointer or `curl_off_t`
//! argument travels exactly where a fixed third integer argument does,
//! which is what makes this sound on those targets (the only ones this
//! surface is built for; see `compile_error!` below).
#![allow(unsafe_code)]

#[cfg(not(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))))]
compile_error!("the rsurl C ABI relies on the Linux x86-64 / AArch64 variadic calling convention");

mod caches;
mod easy;
mod options;
mod proxy;
mod slist;

use core::ffi::{c_char, c_int, c_long, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};

pub use easy::Easy;
pub use slist::CurlSlist;

/// `CURLcode`: 0 for success, else the error (equal to curl's exit codes).
pub type CurlCode = c_int;

const CURLE_OK: CurlCode = 0;
const CURLE_FAILED_INIT: CurlCode = 2;
const CURLE_BAD_FUNCTION_ARGUMENT: CurlCode = 43;

/// Runs `f`, turning a panic into `on_panic`.
fn guarded<T>(on_panic: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(on_panic)
}

/// `curl_global_init`: nothing to set up; always `CURLE_OK`.
#[unsafe(no_mangle)]
pub extern "C" fn curl_global_init(_flags: c_long) -> CurlCode {
    CURLE_OK
}

/// `curl_global_cleanup`: nothing to tear down.
#[unsafe(no_mangle)]
pub extern "C" fn curl_global_cleanup() {}

/// `curl_version`: `rsurl/VERSION` as a static C string.
#[unsafe(no_mangle)]
pub extern "C" fn curl_version() -> *const c_char {
    concat!("rsurl/", env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// `curl_easy_init`: a new handle, or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn curl_easy_init() -> *mut Easy {
    guarded(core::ptr::null_mut(), || Box::into_raw(Box::new(Easy::new())))
}

/// `curl_easy_cleanup`: frees a handle from [`curl_easy_init`] (NULL is
/// ignored).
///
/// # Safety
/// `handle` is NULL or a live handle from `curl_easy_init`, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn curl_easy_cleanup(handle: *mut Easy) {
    if handle.is_null() {
        return;
    }
    // SAFETY: the caller hands back ownership of a pointer that came from
    // `Box::into_raw` in `curl_easy_init`.
    let easy = unsafe { Box::from_raw(handle) };
    guarded((), move || drop(easy));
}

/// `curl_easy_reset`: back to the defaults, keeping the connection pool.
///
/// # Safety
/// `handle` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn curl_easy_reset(handle: *mut Easy) {
    // SAFETY: the caller guarantees a live, exclusively used handle or NULL.
    if let Some(easy) = unsafe { handle.as_mut() } {
        guarded((), || easy.reset());
    }
}

/// `curl_easy_setopt(handle, option, value)`.
///
/// # Safety
/// `handle` is a live handle; `value` is what libcurl documents for
/// `option` (a `long`, a NUL-terminated string, a callback, a user
/// pointer or a `curl_slist`), valid for as long as libcurl requires.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn curl_easy_setopt(handle: *mut Easy, option: c_int, value: *mut c_void) -> CurlCode {
    // SAFETY: the caller guarantees a live, exclusively used handle or NULL.
    let Some(easy) = (unsafe { handle.as_mut() }) else { return CURLE_BAD_FUNCTION_ARGUMENT };
    // SAFETY: forwarded from this function's contract on `value`.
    guarded(CURLE_BAD_FUNCTION_ARGUMENT, || unsafe { options::set(easy, option, value) })
}

/// `curl_easy_perform`: runs the transfer, calling the callbacks.
///
/// # Safety
/// `handle` is a live handle whose options satisfy `curl_easy_setopt`'s
/// contract; callbacks are safe to call with the documented arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn curl_easy_perform(handle: *mut Easy) -> CurlCode {
    // SAFETY: the caller guarantees a live, exclusively used handle or NULL.
    let Some(easy) = (unsafe { handle.as_mut() }) else { return CURLE_BAD_FUNCTION_ARGUMENT };
    guarded(CURLE_FAILED_INIT, || easy.perform())
}

/// `curl_easy_getinfo(handle, info, out)`.
///
/// # Safety
/// `handle` is a live handle and `out` points to the type libcurl
/// documents for `info` (`long *`, `char **`, `double *`, `curl_off_t *`).
/// Strings stay valid until the next perform or cleanup.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn curl_easy_getinfo(handle: *mut Easy, info: c_int, out: *mut c_void) -> CurlCode {
    // SAFETY: the caller guarantees a live handle or NULL.
    let Some(easy) = (unsafe { handle.as_ref() }) else { return CURLE_BAD_FUNCTION_ARGUMENT };
    // SAFETY: forwarded from this function's contract on `out`.
    guarded(CURLE_BAD_FUNCTION_ARGUMENT, || unsafe { easy.getinfo(info, out) })
}

/// `curl_easy_strerror`: a static description of a `CURLcode`.
#[unsafe(no_mangle)]
pub extern "C" fn curl_easy_strerror(code: CurlCode) -> *const c_char {
    easy::strerror(code).as_ptr().cast()
}

/// `curl_slist_append`: appends a copy of `text`; returns the list head
/// (a new one when `list` is NULL), or NULL on failure (the old list is
/// then unchanged).
///
/// # Safety
/// `list` is NULL or a list from this function; `text` is a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn curl_slist_append(list: *mut CurlSlist, text: *const c_char) -> *mut CurlSlist {
    // SAFETY: forwarded from this function's contract.
    guarded(core::ptr::null_mut(), || unsafe { slist::append(list, text) })
}

/// `curl_slist_free_all`: frees a whole list (NULL is ignored).
///
/// # Safety
/// `list` is NULL or a list from [`curl_slist_append`], not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn curl_slist_free_all(list: *mut CurlSlist) {
    // SAFETY: forwarded from this function's contract.
    guarded((), || unsafe { slist::free_all(list) });
}
