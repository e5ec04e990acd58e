//! The `getrandom(2)` system call, through libc.
//!
//! Entry point: [`fill`]. Lives in `arch` because calling C is `unsafe`;
//! the safe wrapper is `rng::OsRng`.

/// Fills `dest` with kernel randomness, retrying on `EINTR` and partial
/// reads.
///
/// # Errors
/// The OS error for anything but `EINTR`.
pub(crate) fn fill(dest: &mut [u8]) -> Result<(), std::io::Error> {
    let mut done = 0;
    while let Some(rest) = dest.get_mut(done..) {
        if rest.is_empty() {
            break;
        }
        // SAFETY: `rest` is a live, writable buffer of `rest.len()` bytes
        // for the whole call; getrandom writes at most that many bytes.
        let n = unsafe { libc::getrandom(rest.as_mut_ptr().cast(), rest.len(), 0) };
        if n < 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        done += n.unsigned_abs();
    }
    Ok(())
}
