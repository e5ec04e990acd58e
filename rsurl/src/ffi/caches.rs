//! The HSTS and alt-svc caches of an easy handle: `CURLOPT_HSTS`,
//! `CURLOPT_HSTS_CTRL`, `CURLOPT_ALTSVC` and `CURLOPT_ALTSVC_CTRL`.
//!
//! Entry points: [`set`] stores one option, [`Caches::prepare`] runs
//! before each perform (reads the files named since the last one, turns
//! the stores on or off), [`Caches::save`] runs when the handle is
//! cleaned up. This is libcurl's life cycle: its documentation says the
//! HSTS cache is stored "when the easy handle is closed", and libcurl
//! writes the alt-svc cache at the same point (`Curl_close`), not after
//! each transfer. The files are curl's formats (`crate::cache_file`);
//! a missing file is an empty cache and write errors are ignored, as in
//! libcurl. `curl_easy_reset` keeps both caches and their files (libcurl
//! documents that reset keeps the alt-svc cache).

use core::ffi::{c_int, c_long, c_void};
use std::path::PathBuf;
use std::sync::Arc;

use super::{CURLE_BAD_FUNCTION_ARGUMENT, CURLE_OK, CurlCode};
use crate::transfer::{Ctx, lock};

pub(super) const ALTSVC_CTRL: c_int = 286;
pub(super) const ALTSVC: c_int = 10_287;
pub(super) const HSTS_CTRL: c_int = 299;
pub(super) const HSTS: c_int = 10_300;

/// `CURLHSTS_*` bits.
const HSTS_ENABLE: c_long = 1 << 0;
const HSTS_READONLYFILE: c_long = 1 << 1;
/// `CURLALTSVC_*` bits.
const ALTSVC_READONLYFILE: c_long = 1 << 2;
const ALTSVC_H1: c_long = 1 << 3;
const ALTSVC_H2: c_long = 1 << 4;
const ALTSVC_H3: c_long = 1 << 5;

/// Cache settings; invariant: a store is live in the handle's `Ctx`
/// after [`Caches::prepare`] exactly when it is enabled here.
#[derive(Debug, Default)]
pub(super) struct Caches {
    hsts_enabled: bool,
    hsts_readonly: bool,
    /// Files named by `CURLOPT_HSTS` and not read yet.
    hsts_pending: Vec<PathBuf>,
    /// The last file named: the one written at cleanup.
    hsts_file: Option<PathBuf>,
    /// `CURLOPT_ALTSVC_CTRL`; `None` while the engine is off.
    altsvc_ctrl: Option<c_long>,
    altsvc_pending: Option<PathBuf>,
    altsvc_file: Option<PathBuf>,
}

/// A non-empty file name.
fn file(text: Option<String>) -> Option<PathBuf> {
    text.filter(|t| !t.is_empty()).map(PathBuf::from)
}

/// Stores one cache option; `None` when `option` is not one.
///
/// # Safety
/// `value` is what libcurl documents for `option`.
pub(super) unsafe fn set(c: &mut Caches, option: c_int, value: *mut c_void) -> Option<CurlCode> {
    let long = value as usize as i64;
    // SAFETY: called only in the arms of string options, whose argument
    // libcurl documents as NULL or a NUL-terminated string.
    let text = || unsafe { super::options::string(value) };
    match option {
        // A name enables HSTS, is read at the next perform and is where
        // the cache goes at cleanup; NULL forgets the names (HSTS stays
        // on, without a file); "" enables HSTS without a file.
        HSTS => {
            c.hsts_enabled = true;
            match text() {
                None => {
                    c.hsts_pending.clear();
                    c.hsts_file = None;
                }
                Some(t) => {
                    c.hsts_file = file(Some(t));
                    c.hsts_pending.extend(c.hsts_file.clone());
                }
            }
        }
        HSTS_CTRL => {
            let bits = c_long::try_from(long).unwrap_or(0);
            c.hsts_enabled = bits & HSTS_ENABLE != 0;
            c.hsts_readonly = bits & HSTS_READONLYFILE != 0;
        }
        // A name turns the engine on with every protocol allowed, unless
        // CURLOPT_ALTSVC_CTRL already chose.
        ALTSVC => {
            c.altsvc_ctrl.get_or_insert(ALTSVC_H1 | ALTSVC_H2 | ALTSVC_H3);
            c.altsvc_file = file(text());
            c.altsvc_pending.clone_from(&c.altsvc_file);
        }
        // libcurl refuses 0; any other value turns the engine on.
        ALTSVC_CTRL => match c_long::try_from(long) {
            Ok(0) | Err(_) => return Some(CURLE_BAD_FUNCTION_ARGUMENT),
            Ok(bits) => c.altsvc_ctrl = Some(bits),
        },
        _ => return None,
    }
    Some(CURLE_OK)
}

impl Caches {
    /// Before a perform: reads the files named since the last one into
    /// `ctx`'s stores and turns each store on or off.
    pub(super) fn prepare(&mut self, ctx: &mut Ctx) {
        if self.hsts_enabled {
            for path in self.hsts_pending.drain(..) {
                crate::cache_file::load(&mut ctx.hsts, &path);
            }
            ctx.hsts.get_or_insert_with(Arc::default);
        } else {
            self.hsts_pending.clear();
            ctx.hsts = None;
        }
        match self.altsvc_ctrl {
            Some(bits) => {
                if let Some(path) = self.altsvc_pending.take() {
                    crate::cache_file::load(&mut ctx.alt_svc, &path);
                }
                let cache = ctx.alt_svc.get_or_insert_with(Arc::default);
                lock(cache).set_usable(bits & ALTSVC_H1 != 0, bits & ALTSVC_H2 != 0, bits & ALTSVC_H3 != 0);
            }
            None => ctx.alt_svc = None,
        }
    }

    /// At cleanup: writes each enabled cache to its file, unless it is
    /// read-only.
    pub(super) fn save(&self, ctx: &Ctx) {
        if let (true, false, Some(path), Some(store)) =
            (self.hsts_enabled, self.hsts_readonly, &self.hsts_file, &ctx.hsts)
        {
            let _ = crate::cache_file::save(store, path);
        }
        if let (Some(bits), Some(path), Some(cache)) = (self.altsvc_ctrl, &self.altsvc_file, &ctx.alt_svc) {
            if bits & ALTSVC_READONLYFILE == 0 {
                let _ = crate::cache_file::save(cache, path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_text(c: &mut Caches, opt: c_int, text: Option<&str>) -> Option<CurlCode> {
        let owned = text.map(|t| std::ffi::CString::new(t).unwrap());
        let ptr = owned.as_ref().map_or(core::ptr::null_mut(), |s| s.as_ptr().cast_mut().cast());
        // SAFETY: NULL or a NUL-terminated string for a string option.
        unsafe { set(c, opt, ptr) }
    }

    fn set_long(c: &mut Caches, opt: c_int, v: i64) -> Option<CurlCode> {
        // SAFETY: a long option gets a long.
        unsafe { set(c, opt, v as usize as *mut c_void) }
    }

    #[test]
    fn hsts_names_and_control_bits() {
        let mut c = Caches::default();
        assert_eq!(set_text(&mut c, HSTS, Some("/a")), Some(CURLE_OK));
        assert_eq!(set_text(&mut c, HSTS, Some("/b")), Some(CURLE_OK));
        assert!(c.hsts_enabled);
        // Both are read; only the last is written.
        assert_eq!(c.hsts_pending, [PathBuf::from("/a"), PathBuf::from("/b")]);
        assert_eq!(c.hsts_file.as_deref(), Some(std::path::Path::new("/b")));
        assert_eq!(set_text(&mut c, HSTS, None), Some(CURLE_OK));
        assert!(c.hsts_enabled && c.hsts_pending.is_empty() && c.hsts_file.is_none());
        assert_eq!(set_text(&mut c, HSTS, Some("")), Some(CURLE_OK));
        assert!(c.hsts_enabled && c.hsts_pending.is_empty() && c.hsts_file.is_none());
        assert_eq!(set_long(&mut c, HSTS_CTRL, HSTS_ENABLE | HSTS_READONLYFILE), Some(CURLE_OK));
        assert!(c.hsts_enabled && c.hsts_readonly);
        assert_eq!(set_long(&mut c, HSTS_CTRL, 0), Some(CURLE_OK));
        assert!(!c.hsts_enabled);
        let mut ctx = Ctx::new();
        ctx.hsts = Some(Arc::default());
        c.prepare(&mut ctx);
        assert!(ctx.hsts.is_none(), "HSTS turned off drops the store");
        assert_eq!(set_long(&mut c, HSTS_CTRL, HSTS_ENABLE), Some(CURLE_OK));
        c.prepare(&mut ctx);
        assert!(ctx.hsts.is_some() && ctx.alt_svc.is_none());
    }

    #[test]
    fn altsvc_names_and_control_bits() {
        let mut c = Caches::default();
        assert_eq!(set_long(&mut c, ALTSVC_CTRL, 0), Some(CURLE_BAD_FUNCTION_ARGUMENT));
        assert_eq!(c.altsvc_ctrl, None);
        assert_eq!(set_text(&mut c, ALTSVC, Some("/alt")), Some(CURLE_OK));
        assert_eq!(c.altsvc_ctrl, Some(ALTSVC_H1 | ALTSVC_H2 | ALTSVC_H3));
        assert_eq!(c.altsvc_pending.as_deref(), Some(std::path::Path::new("/alt")));
        assert_eq!(set_long(&mut c, ALTSVC_CTRL, ALTSVC_READONLYFILE | ALTSVC_H2), Some(CURLE_OK));
        assert_eq!(c.altsvc_ctrl, Some(ALTSVC_READONLYFILE | ALTSVC_H2));
        // A later name keeps the chosen bits.
        assert_eq!(set_text(&mut c, ALTSVC, Some("")), Some(CURLE_OK));
        assert_eq!((c.altsvc_ctrl, c.altsvc_file.as_ref()), (Some(ALTSVC_READONLYFILE | ALTSVC_H2), None));
        let mut ctx = Ctx::new();
        c.prepare(&mut ctx);
        assert!(ctx.alt_svc.is_some() && ctx.hsts.is_none());
        // SAFETY: not one of ours; the value is not read.
        assert_eq!(unsafe { set(&mut c, 10_002, core::ptr::null_mut()) }, None);
    }
}
