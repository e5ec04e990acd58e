//! `struct curl_slist`: the singly linked list of strings libcurl uses for
//! header lists. Nodes and strings are allocated and freed here only.

use core::ffi::{CStr, c_char};
use std::ffi::CString;

/// `struct curl_slist { char *data; struct curl_slist *next; }`.
#[repr(C)]
#[derive(Debug)]
pub struct CurlSlist {
    /// A NUL-terminated string owned by the node.
    pub data: *mut c_char,
    /// The next node, or NULL.
    pub next: *mut CurlSlist,
}

/// Appends a copy of `text` at the end of `list`.
///
/// # Safety
/// `list` is NULL or a list built by this function; `text` is NULL or a
/// NUL-terminated string.
pub(super) unsafe fn append(list: *mut CurlSlist, text: *const c_char) -> *mut CurlSlist {
    if text.is_null() {
        return core::ptr::null_mut();
    }
    // SAFETY: `text` is a non-NULL NUL-terminated string per the contract.
    let copy = CString::from(unsafe { CStr::from_ptr(text) });
    let node = Box::into_raw(Box::new(CurlSlist { data: copy.into_raw(), next: core::ptr::null_mut() }));
    if list.is_null() {
        return node;
    }
    let mut last = list;
    // SAFETY: every node of a list built here is a live Box allocation.
    unsafe {
        while !(*last).next.is_null() {
            last = (*last).next;
        }
        (*last).next = node;
    }
    list
}

/// Frees every node and string of `list`.
///
/// # Safety
/// `list` is NULL or a list built by [`append`], not used afterwards.
pub(super) unsafe fn free_all(mut list: *mut CurlSlist) {
    while !list.is_null() {
        // SAFETY: nodes and their strings came from `Box::into_raw` and
        // `CString::into_raw` in `append`; each is freed exactly once.
        let node = unsafe { Box::from_raw(list) };
        if !node.data.is_null() {
            // SAFETY: as above.
            drop(unsafe { CString::from_raw(node.data) });
        }
        list = node.next;
    }
}

/// The strings of `list`, lossily decoded.
///
/// # Safety
/// `list` is NULL or a live list.
pub(super) unsafe fn strings(mut list: *const CurlSlist) -> Vec<String> {
    let mut out = Vec::new();
    // SAFETY: a live list's nodes and strings are valid until freed.
    while let Some(node) = unsafe { list.as_ref() } {
        if !node.data.is_null() {
            // SAFETY: as above.
            out.push(unsafe { CStr::from_ptr(node.data) }.to_string_lossy().into_owned());
        }
        list = node.next;
    }
    out
}
