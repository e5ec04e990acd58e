//! Key derivation after a key exchange (RFC 4253 section 7.2): each key
//! is `HASH(K || H || letter || session_id)`, extended with
//! `HASH(K || H || K1 || ... )` until long enough.
//!
//! Entry points: [`derive()`] and [`DirectionKeys::derive`]. `K` is passed
//! already encoded as the exchange sends it (an mpint for (EC)DH, a string
//! for the post-quantum hybrids), so this module never guesses.

use purecrypto::hash::HashAlgorithm;
use zeroize::Zeroizing;

use super::cipher::KeySizes;

/// One derived key of `len` bytes for `letter` (`b'A'`..=`b'F'`).
#[must_use]
pub fn derive(
    hash: HashAlgorithm,
    shared_secret: &[u8],
    exchange_hash: &[u8],
    letter: u8,
    session_id: &[u8],
    len: usize,
) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 64));
    let mut input =
        Zeroizing::new(Vec::with_capacity(shared_secret.len() + exchange_hash.len() + session_id.len() + 1));
    input.extend_from_slice(shared_secret);
    input.extend_from_slice(exchange_hash);
    input.push(letter);
    input.extend_from_slice(session_id);
    out.extend_from_slice(&hash.hash(&input));
    while out.len() < len {
        input.truncate(shared_secret.len() + exchange_hash.len());
        input.extend_from_slice(&out);
        let next = Zeroizing::new(hash.hash(&input));
        out.extend_from_slice(&next);
    }
    out.truncate(len);
    out
}

/// The IV, encryption key and integrity key of one direction.
pub struct DirectionKeys {
    /// Initial IV (letter A client-to-server, B server-to-client).
    pub iv: Zeroizing<Vec<u8>>,
    /// Encryption key (C / D).
    pub key: Zeroizing<Vec<u8>>,
    /// Integrity key (E / F); empty for AEAD ciphers.
    pub mac_key: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for DirectionKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("DirectionKeys { <redacted> }")
    }
}

impl DirectionKeys {
    /// Derives the keys of one direction in the sizes its negotiated
    /// cipher and MAC need.
    #[must_use]
    pub fn derive(
        hash: HashAlgorithm,
        shared_secret: &[u8],
        exchange_hash: &[u8],
        session_id: &[u8],
        sizes: KeySizes,
        client_to_server: bool,
    ) -> Self {
        let [iv, key, mac] = if client_to_server { [b'A', b'C', b'E'] } else { [b'B', b'D', b'F'] };
        let d = |letter, len| derive(hash, shared_secret, exchange_hash, letter, session_id, len);
        Self { iv: d(iv, sizes.iv), key: d(key, sizes.key), mac_key: d(mac, sizes.mac_key) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// Expected values computed with Python's hashlib following RFC 4253
    /// section 7.2 literally (see the comment in each case).
    #[test]
    fn matches_rfc4253_construction() {
        // K = mpint 0x0102..20 (32 bytes, high bit clear), H = 32 x 0x11,
        // session_id = 32 x 0x22.
        let mut k = vec![0, 0, 0, 32];
        k.extend(1u8..=32);
        let h = [0x11u8; 32];
        let sid = [0x22u8; 32];
        // sha256(K||H||"C"||sid) = first 32 bytes; 64 needs one extension.
        let c64 = derive(HashAlgorithm::Sha256, &k, &h, b'C', &sid, 64);
        assert_eq!(c64.as_slice(), hex(KAT_C64_SHA256).as_slice());
        let a12 = derive(HashAlgorithm::Sha512, &k, &h, b'A', &sid, 12);
        assert_eq!(a12.as_slice(), hex(KAT_A12_SHA512).as_slice());
        let keys =
            DirectionKeys::derive(HashAlgorithm::Sha256, &k, &h, &sid, KeySizes { key: 64, iv: 0, mac_key: 0 }, true);
        assert_eq!(keys.key.as_slice(), c64.as_slice());
        assert!(keys.iv.is_empty() && keys.mac_key.is_empty());
        let other =
            DirectionKeys::derive(HashAlgorithm::Sha256, &k, &h, &sid, KeySizes { key: 64, iv: 0, mac_key: 0 }, false);
        assert_ne!(other.key.as_slice(), c64.as_slice());
    }

    const KAT_C64_SHA256: &str = "5069068aa9749add4d61d1d5ceff418d2e74890fde11c71adc4310ed904c9914f968cfcaf1a28b1ec231a03d9dd6ed8ed7a9aec1a11a27f45d00d223e6177bb3";
    const KAT_A12_SHA512: &str = "8541d749e3cd9b9191693ac9";
}
