//! Fuzzing entry points for the AEADs (re-exported from
//! `crate::internal` for `fuzz/fuzz_targets/aead_*.rs`).
//!
//! Entry points: [`fuzz_aead_open`] (hostile ciphertexts, nonces and tags
//! must be rejected without panicking) and [`fuzz_aead_roundtrip`] (seal
//! then open gives the message back; a flipped bit is rejected).

use alloc::boxed::Box;

use super::Aead;
use super::ccm::AesCcm;
use super::chacha20poly1305::{ChaCha20Poly1305, XChaCha20Poly1305};
use super::gcm::AesGcm;
use super::gcm_siv::AesGcmSiv;

/// Splits off `n` bytes (fewer if the input is short).
fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, tail) = data.split_at(n.min(data.len()));
    *data = tail;
    head
}

/// Picks an AEAD from one selector byte and a key from the input; the key
/// length may be wrong on purpose (the constructor must reject it).
fn pick(data: &mut &[u8]) -> Option<Box<dyn Aead>> {
    let sel = take(data, 1).first().copied().unwrap_or(0);
    let key_len = usize::from(take(data, 1).first().copied().unwrap_or(0) % 40);
    let key = take(data, key_len);
    let aead: Box<dyn Aead> = match sel % 6 {
        0 => Box::new(AesGcm::with_tag_len(key, usize::from(sel / 6 % 17)).ok()?),
        1 => Box::new(AesCcm::new(key, usize::from(sel / 6 % 17)).ok()?),
        2 => Box::new(AesGcmSiv::new(key).ok()?),
        3 => Box::new(ChaCha20Poly1305::new(key).ok()?),
        4 => Box::new(XChaCha20Poly1305::new(key).ok()?),
        _ => Box::new(AesGcm::new(key).ok()?),
    };
    Some(aead)
}

/// Opens attacker-chosen input with an attacker-chosen AEAD, key, nonce
/// and AAD. Never panics; a successful open of random bytes would mean a
/// forgery, which cannot happen with a real tag.
pub fn fuzz_aead_open(mut data: &[u8]) {
    let Some(aead) = pick(&mut data) else { return };
    let nonce_len = usize::from(take(&mut data, 1).first().copied().unwrap_or(0) % 32);
    let nonce = take(&mut data, nonce_len);
    let aad_len = usize::from(take(&mut data, 1).first().copied().unwrap_or(0));
    let aad = take(&mut data, aad_len);
    if let Ok(plain) = aead.decrypt(nonce, aad, data) {
        // Only the empty-tag-free corner could get here; it must still be
        // consistent: re-sealing gives the input back.
        let again = aead.encrypt(nonce, aad, &plain).ok();
        assert_eq!(again.as_deref(), Some(data), "open accepted a non-canonical ciphertext");
    }
}

/// Seals the input, checks that opening restores it and that flipping
/// any bit makes opening fail.
pub fn fuzz_aead_roundtrip(mut data: &[u8]) {
    let Some(aead) = pick(&mut data) else { return };
    let nonce_len = usize::from(take(&mut data, 1).first().copied().unwrap_or(0) % 32);
    let nonce = take(&mut data, nonce_len);
    let Ok(sealed) = aead.encrypt(nonce, b"ad", data) else { return };
    assert_eq!(aead.decrypt(nonce, b"ad", &sealed).ok().as_deref(), Some(data), "round trip failed");
    let flip = data.len().wrapping_mul(31) % (8 * sealed.len()).max(1);
    let mut bad = sealed.clone();
    if let Some(b) = bad.get_mut(flip / 8) {
        *b ^= 1 << (flip % 8);
    }
    assert!(aead.decrypt(nonce, b"ad", &bad).is_err(), "tampered ciphertext accepted");
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// No AEAD panics for any key, nonce, AAD, tag or message length
        /// (the same paths the fuzz targets drive).
        #[test]
        fn no_input_length_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            fuzz_aead_open(&data);
            fuzz_aead_roundtrip(&data);
        }
    }

    #[test]
    fn fuzz_entry_points_run_on_simple_inputs() {
        // Also the checked-in seed corpus shape (fuzz/corpus/aead_*).
        for sel in [96u8, 97, 2, 3, 4, 5] {
            let mut seed = alloc::vec![sel, 16];
            seed.extend(0..16u8);
            seed.push(12);
            seed.extend([0x11; 12]);
            seed.extend(b"a message that spans more than one sixteen-byte block");
            fuzz_aead_roundtrip(&seed);
            fuzz_aead_open(&seed);
        }
        for sel in 0u8..12 {
            let mut input = alloc::vec![sel, 32];
            input.extend_from_slice(&[7; 32]);
            input.extend_from_slice(&[12]);
            input.extend_from_slice(&[1; 12]);
            input.extend_from_slice(b"message body, long enough to span a couple of blocks");
            fuzz_aead_roundtrip(&input);
            fuzz_aead_open(&input);
            for cut in 0..input.len() {
                fuzz_aead_open(&input[..cut]);
                fuzz_aead_roundtrip(&input[..cut]);
            }
        }
    }
}
