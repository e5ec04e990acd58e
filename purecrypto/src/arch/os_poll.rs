//! Waiting on standard input with a timeout (`poll(2)` on fd 0).
//!
//! Entry point: [`stdin_ready`]. `s_client` reads standard input on a
//! second thread; polling in short slices lets that thread notice that the
//! connection has ended instead of blocking in `read` until the next line.

use std::io;

/// Whether fd 0 has input (or EOF, or an error to report) within
/// `timeout_ms` milliseconds.
///
/// # Errors
/// What `poll` reports, other than an interrupted wait (which is "not
/// ready").
pub(crate) fn stdin_ready(timeout_ms: i32) -> io::Result<bool> {
    let mut fd = libc::pollfd { fd: 0, events: libc::POLLIN, revents: 0 };
    // SAFETY: `fd` is one live, writable pollfd for the whole call and the
    // count passed is 1.
    let rc = unsafe { libc::poll(&mut fd, 1, timeout_ms) };
    if rc < 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::Interrupted { Ok(false) } else { Err(e) };
    }
    Ok(rc > 0)
}
