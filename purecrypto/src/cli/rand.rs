//! `purecrypto rand [-hex|-base64] N`: N random bytes from an HMAC-DRBG
//! (SHA-256) seeded from the OS, like `openssl rand`.
//!
//! Entry point: [`run`].

use std::string::String;

use super::{CliError, Io, hex};
use crate::rng::{HmacDrbg, RngCore};

/// Largest request, to keep a typo from filling the disk.
const MAX_BYTES: usize = 1 << 30;

/// `rand [-hex] N`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut as_hex = false;
    let mut count = None;
    for arg in args {
        match arg.as_str() {
            "-hex" => as_hex = true,
            n => {
                let parsed: usize = n.parse().map_err(|_| CliError::usage(std::format!("bad byte count '{n}'")))?;
                if parsed > MAX_BYTES {
                    return Err(CliError::usage("at most 2^30 bytes"));
                }
                count = Some(parsed);
            }
        }
    }
    let count = count.ok_or_else(|| CliError::usage("usage: purecrypto rand [-hex] NUM"))?;
    let mut drbg = HmacDrbg::from_os()?;
    let mut buf = std::vec![0u8; count.min(1 << 16)];
    let mut left = count;
    while left > 0 {
        let n = left.min(buf.len());
        let chunk = buf.get_mut(..n).unwrap_or_default();
        drbg.try_fill_bytes(chunk)?;
        if as_hex { io.stdout.write_all(hex(chunk).as_bytes()) } else { io.stdout.write_all(chunk) }
            .map_err(CliError::io("stdout"))?;
        left -= n;
    }
    if as_hex {
        io.stdout.write_all(b"\n").map_err(CliError::io("stdout"))?;
    }
    Ok(0)
}
