//! bcrypt_pbkdf: the password KDF of OpenSSH's private key format (a
//! PBKDF2-like loop over SHA-512 and the Blowfish-based `bcrypt_hash`).
//!
//! Entry point: [`bcrypt_pbkdf`]. Output bytes are spread across blocks
//! with a stride (byte `i` of block `b` lands at `i * stride + b`), as
//! OpenBSD's reference does, so every key byte depends on all rounds.

mod blowfish;

use crate::Error;
use crate::hash::{Hash, Sha512};
use blowfish::State;
use zeroize::Zeroize;

/// Largest output OpenSSH's implementation accepts.
const MAX_KEY: usize = 1024;

/// `bcrypt_hash`: Eksblowfish keyed by the hashed password and salt,
/// encrypting "OxychromaticBlowfishSwatDynamite" 64 times.
fn bcrypt_hash(sha2pass: &[u8; 64], sha2salt: &[u8; 64]) -> [u8; 32] {
    let mut state = State::new();
    state.expand(sha2salt, sha2pass);
    for _ in 0..64 {
        state.expand0(sha2salt);
        state.expand0(sha2pass);
    }
    let mut words = [0u32; 8];
    for (w, c) in words.iter_mut().zip(b"OxychromaticBlowfishSwatDynamite".chunks_exact(4)) {
        let mut be = [0u8; 4];
        be.copy_from_slice(c);
        *w = u32::from_be_bytes(be);
    }
    for _ in 0..64 {
        for pair in words.chunks_exact_mut(2) {
            if let [l, r] = pair {
                (*l, *r) = state.encrypt(*l, *r);
            }
        }
    }
    let mut out = [0u8; 32];
    for (c, w) in out.chunks_exact_mut(4).zip(words.iter()) {
        c.copy_from_slice(&w.to_le_bytes());
    }
    words.zeroize();
    out
}

/// Derives `out.len()` bytes (1..=1024) from `password` and `salt` with
/// `rounds` rounds (OpenSSH uses 16 by default).
///
/// # Errors
/// [`Error::InvalidParameter`] for zero rounds, an empty salt or output, or
/// output over 1024 bytes.
pub fn bcrypt_pbkdf(password: &[u8], salt: &[u8], rounds: u32, out: &mut [u8]) -> Result<(), Error> {
    if rounds == 0 {
        return Err(Error::InvalidParameter { what: "bcrypt_pbkdf rounds", reason: "at least 1" });
    }
    if salt.is_empty() || out.is_empty() || out.len() > MAX_KEY {
        return Err(Error::InvalidParameter {
            what: "bcrypt_pbkdf salt/output",
            reason: "non-empty salt, 1..=1024 output bytes",
        });
    }
    let stride = out.len().div_ceil(32);
    let amt = out.len().div_ceil(stride);
    let mut sha2pass = Sha512::digest(password);
    let mut block = 1u32;
    let mut remaining = out.len();
    while remaining > 0 {
        let mut h = Sha512::new();
        h.update(salt);
        h.update(&block.to_be_bytes());
        let mut sha2salt = h.finalize();
        let mut tmp = bcrypt_hash(&sha2pass, &sha2salt);
        let mut acc = tmp;
        for _ in 1..rounds {
            sha2salt = Sha512::digest(&tmp);
            tmp = bcrypt_hash(&sha2pass, &sha2salt);
            for (a, t) in acc.iter_mut().zip(tmp.iter()) {
                *a ^= t;
            }
        }
        let take = amt.min(remaining);
        let mut written = 0;
        for (i, byte) in acc.iter().take(take).enumerate() {
            let dest = i * stride + (block as usize - 1);
            let Some(slot) = out.get_mut(dest) else { break };
            *slot = *byte;
            written += 1;
        }
        remaining -= written.max(1).min(remaining);
        block += 1;
        sha2salt.zeroize();
        tmp.zeroize();
        acc.zeroize();
    }
    sha2pass.zeroize();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    /// OpenBSD's regress/lib/libutil/bcrypt_pbkdf vectors.
    #[test]
    fn openbsd_vectors() {
        let mut out = [0u8; 32];
        bcrypt_pbkdf(b"password", b"salt", 4, &mut out).unwrap();
        assert_eq!(out, hex!("5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9"));
        let mut out = [0u8; 16];
        bcrypt_pbkdf(b"password", b"\0", 4, &mut out).unwrap();
        assert_eq!(out, hex!("c12b566235eee04c212598970a579a67"));
        bcrypt_pbkdf(b"\0", b"salt", 4, &mut out).unwrap();
        assert_eq!(out, hex!("6051be18c2f4f82cbf0efee5471b4bb9"));
        let mut out = [0u8; 32];
        bcrypt_pbkdf(b"password\0", b"salt\0", 4, &mut out).unwrap();
        assert_eq!(out, hex!("7410e44cf4fa07bfaac8a928b1727fac001375e7bf7384370f48efd121743050"));
        assert!(bcrypt_pbkdf(b"p", b"s", 0, &mut out).is_err());
        assert!(bcrypt_pbkdf(b"p", b"", 1, &mut out).is_err());
    }

    /// A 48-byte output (aes256-ctr key and IV) exercises the stride.
    #[test]
    fn multi_block_output() {
        let mut out = [0u8; 48];
        bcrypt_pbkdf(b"pleaseletmein", b"saltSALTsalt", 8, &mut out).unwrap();
        assert_eq!(
            out,
            hex!("e4fccb5ea673c95d04a7f141d1a990c6e406e5a8fa67f88fc66200dd3728ce6164dda652e14fd1d4fde83a0071fb2561")
        );
    }
}
