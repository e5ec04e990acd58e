//! Fuzzing entry point for the Edwards-curve decoders (re-exported from
//! `crate::internal` for `fuzz/fuzz_targets/edwards_decode_verify.rs`).
//!
//! Entry point: [`fuzz_edwards_decode_verify`]: the first byte picks
//! Ed25519, Ed448, ristretto255 or X25519/X448; the rest is split into a
//! public key, a signature and a message. Decoding hostile bytes must give
//! a typed error or a value whose encoding is the input again; verifying
//! must return without panicking.

use crate::{ed448, ed25519, ristretto255, x448, x25519};

/// Splits off `n` bytes (fewer if the input is short).
fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, tail) = data.split_at(n.min(data.len()));
    *data = tail;
    head
}

/// Decodes and verifies arbitrary bytes; panics only on a broken invariant.
#[allow(clippy::panic)]
pub fn fuzz_edwards_decode_verify(data: &[u8]) {
    let mut data = data;
    let selector = take(&mut data, 1).first().copied().unwrap_or(0);
    match selector % 5 {
        0 => {
            let key = take(&mut data, 32);
            let sig = take(&mut data, 64);
            if let Ok(vk) = ed25519::VerifyingKey::from_slice(key) {
                if vk.point.compress().as_slice() != key {
                    panic!("Ed25519 key decoding is not canonical");
                }
                if let Ok(sig) = ed25519::Signature::from_slice(sig) {
                    let _ = vk.verify(data, &sig);
                    let _ = vk.verify_ctx(b"ctx", data, &sig);
                    let _ = vk.verify_prehashed(b"", data, &sig);
                }
            }
        }
        1 => {
            let key = take(&mut data, 57);
            let sig = take(&mut data, 114);
            if let Ok(vk) = ed448::VerifyingKey::from_slice(key) {
                if vk.reencoded().as_slice() != key {
                    panic!("Ed448 key decoding is not canonical");
                }
                if let Ok(sig) = ed448::Signature::from_slice(sig) {
                    let _ = vk.verify(b"", data, &sig);
                    let _ = vk.verify_prehashed(b"ctx", data, &sig);
                }
            }
        }
        2 => {
            let Ok(bytes) = <[u8; 32]>::try_from(take(&mut data, 32)) else { return };
            if let Ok(p) = ristretto255::RistrettoPoint::from_bytes(&bytes)
                && p.to_bytes() != bytes
            {
                panic!("ristretto255 decoding accepted a non-canonical encoding");
            }
        }
        3 => {
            let Ok(bytes) = <[u8; 32]>::try_from(take(&mut data, 32)) else { return };
            let _ = x25519::PrivateKey::from_bytes([7; 32]).diffie_hellman(&x25519::PublicKey::from_bytes(bytes));
        }
        _ => {
            let Ok(bytes) = <[u8; 56]>::try_from(take(&mut data, 56)) else { return };
            let _ = x448::PrivateKey::from_bytes([7; 56]).diffie_hellman(&x448::PublicKey::from_bytes(bytes));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_shape_without_panicking() {
        let key = ed25519::SigningKey::from_seed(&[1; 32]);
        let mut valid = alloc::vec![0u8];
        valid.extend_from_slice(&key.verifying_key().to_bytes());
        valid.extend_from_slice(&key.sign(b"m").to_bytes());
        valid.push(b'm');
        fuzz_edwards_decode_verify(&valid);
        for selector in 0..5u8 {
            for len in [0usize, 1, 31, 32, 56, 57, 100, 200] {
                let mut input = alloc::vec![0xffu8; len + 1];
                input[0] = selector;
                fuzz_edwards_decode_verify(&input);
                input.iter_mut().skip(1).for_each(|b| *b = 0);
                fuzz_edwards_decode_verify(&input);
            }
        }
    }
}
