//! RFC 6979 deterministic nonces (section 3.2), with the section 3.6
//! variant that mixes extra entropy into the HMAC-DRBG seed ("hedged"
//! signing: still safe if the RNG fails, no longer deterministic).
//!
//! Entry points: [`generate_k`], and [`bits2int`] / [`digest_to_scalar`]
//! which ECDSA uses for the message representative.

use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::field::Field;
use crate::hash::HashAlgorithm;
use crate::mac::DynHmac;

/// RFC 6979 `bits2int` as bytes of length `ceil(qlen / 8)`: the leftmost
/// `qlen` bits of `input`, as an integer (not reduced).
pub(crate) fn bits2int(input: &[u8], qlen: usize) -> Vec<u8> {
    let qbytes = qlen.div_ceil(8);
    let mut out = alloc::vec![0u8; qbytes];
    if input.len() * 8 <= qlen {
        // Shorter: the whole input, right-aligned.
        let start = qbytes - input.len();
        if let Some(dst) = out.get_mut(start..) {
            dst.copy_from_slice(input);
        }
        return out;
    }
    // Longer: take qbytes bytes then shift right by the excess bits.
    let taken = input.get(..qbytes).unwrap_or(input);
    out.copy_from_slice(taken);
    let shift = qbytes * 8 - qlen;
    if shift > 0 {
        let mut carry = 0u8;
        for b in &mut out {
            let next = *b << (8 - shift);
            *b = (*b >> shift) | carry;
            carry = next;
        }
    }
    out
}

/// `bits2int(digest) mod n` as a scalar (the ECDSA `e`).
pub(crate) fn digest_to_scalar<S: Field>(digest: &[u8]) -> S {
    S::reduce_be_bytes(&bits2int(digest, S::BITS))
}

/// HMAC under one DRBG key, keyed once: the DRBG runs two or more MACs
/// under each key it derives, and keying (two compressions and two
/// fresh hash states) costs as much as a short MAC itself, so each MAC
/// starts from a clone of the keyed state.
struct Keyed(DynHmac);

impl Keyed {
    fn new(alg: HashAlgorithm, key: &[u8]) -> Self {
        Self(DynHmac::new(alg, key))
    }

    fn mac(&self, parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
        let mut m = self.0.clone();
        for p in parts {
            m.update(p);
        }
        Zeroizing::new(m.finalize())
    }
}

/// The RFC 6979 nonce for private key `x` and message digest `h1`, with
/// optional extra input (section 3.6). `hash` is the HMAC hash.
pub(crate) fn generate_k<S: Field>(hash: HashAlgorithm, x: &S, h1: &[u8], extra: &[u8]) -> S {
    let qlen = S::BITS;
    let hlen = hash.output_len();
    let mut xb = Zeroizing::new(alloc::vec![0u8; S::BYTES]);
    x.write_be_bytes(&mut xb);
    let mut h1b = alloc::vec![0u8; S::BYTES];
    digest_to_scalar::<S>(h1).write_be_bytes(&mut h1b);

    let mut v = Zeroizing::new(alloc::vec![0x01u8; hlen]);
    // K = 0...0; K = HMAC_K(V || 00 || x || h1); V = HMAC_K(V);
    // K = HMAC_K(V || 01 || x || h1); V = HMAC_K(V).
    let mut key = Keyed::new(hash, &alloc::vec![0u8; hlen]);
    key = Keyed::new(hash, &key.mac(&[&v, &[0x00], &xb, &h1b, extra]));
    v = key.mac(&[&v]);
    key = Keyed::new(hash, &key.mac(&[&v, &[0x01], &xb, &h1b, extra]));
    v = key.mac(&[&v]);
    loop {
        let mut t = Zeroizing::new(Vec::with_capacity(S::BYTES + hlen));
        while t.len() * 8 < qlen {
            v = key.mac(&[&v]);
            t.extend_from_slice(&v);
        }
        let candidate = Zeroizing::new(bits2int(&t, qlen));
        let k_opt = S::from_be_bytes(&candidate);
        let value = k_opt.unwrap_or(S::ZERO);
        // The accept/reject decision reveals only whether this candidate
        // was in range; a rejected candidate is discarded and independent
        // of the nonce finally used.
        if (k_opt.is_some() & !value.ct_eq(&S::ZERO)).unwrap_u8() == 1 {
            return value;
        }
        key = Keyed::new(hash, &key.mac(&[&v, &[0x00]]));
        v = key.mac(&[&v]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec::{ScalarP256, ScalarP521};

    #[test]
    fn bits2int_truncates_and_pads() {
        assert_eq!(bits2int(&[0xff, 0x80], 12), [0x0f, 0xf8]);
        assert_eq!(bits2int(&[0x01], 16), [0x00, 0x01]);
        // P-521 with SHA-512: no truncation, left-padded to 66 bytes.
        let d = [0xabu8; 64];
        let b = bits2int(&d, ScalarP521::BITS);
        assert_eq!(b.len(), 66);
        assert_eq!(&b[2..], &d[..]);
    }

    /// RFC 6979 A.2.5, P-256 with SHA-256, message "sample".
    #[test]
    fn rfc6979_p256_sha256_sample() {
        let x = ScalarP256::from_be_bytes(&hex_literal::hex!(
            "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"
        ))
        .unwrap();
        let h = HashAlgorithm::Sha256.hash(b"sample");
        let k = generate_k::<ScalarP256>(HashAlgorithm::Sha256, &x, &h, &[]);
        let mut out = [0u8; 32];
        k.write_be_bytes(&mut out);
        assert_eq!(out, hex_literal::hex!("A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60"));
    }
}
