//! The PKCS #12 key derivation of RFC 7292 appendix B, and the password
//! encoding it takes.
//!
//! Entry points: [`derive`] and [`bmp_password`]. OpenSSL 3 still uses
//! this KDF for the integrity MAC (ID 3) even when the contents are
//! PBES2-encrypted; the legacy PBE schemes would use IDs 1 (key) and 2
//! (IV).

use alloc::vec::Vec;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::hash::{HashAlgorithm, Hasher};

/// Diversifier for the MAC key (RFC 7292 B.3).
pub(crate) const ID_MAC: u8 = 3;

/// The password as a `BMPString` with a two-byte NUL terminator, as
/// appendix B.1 requires: UTF-16BE of the UTF-8 text (surrogate pairs
/// above the BMP), or each byte widened when the input is not UTF-8
/// (what OpenSSL does for such passwords).
pub(crate) fn bmp_password(password: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(2 * password.len() + 2));
    match core::str::from_utf8(password) {
        Ok(text) => {
            for unit in text.encode_utf16() {
                out.extend_from_slice(&unit.to_be_bytes());
            }
        }
        Err(_) => {
            for &b in password {
                out.extend_from_slice(&[0, b]);
            }
        }
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// Fills `out` with the appendix B.2 derivation of diversifier `id` from
/// the BMP-encoded `password` and `salt`, iterating `hash` `iterations`
/// times.
///
/// # Errors
/// [`Error::InvalidParameter`] for zero iterations or a hash without a
/// block structure (BLAKE3, SHA-3 are not used by PKCS #12).
pub(crate) fn derive(
    alg: HashAlgorithm,
    id: u8,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<(), Error> {
    if iterations == 0 {
        return Err(Error::InvalidParameter { what: "PKCS #12 KDF iterations", reason: "must be at least 1" });
    }
    let v = alg.block_len();
    let u = alg.output_len();
    if v == 0 || u == 0 {
        return Err(Error::InvalidParameter { what: "PKCS #12 KDF hash", reason: "needs a block hash" });
    }
    let d = alloc::vec![id; v];
    // I = S || P, each the input repeated to a multiple of v bytes.
    // Sized up front: a reallocation would leave a copy of the password
    // behind in freed memory.
    let padded = |len: usize| len.div_ceil(v) * v;
    let mut i_buf = Zeroizing::new(Vec::with_capacity(padded(salt.len()) + padded(password.len())));
    for input in [salt, password] {
        i_buf.extend(input.iter().cycle().take(padded(input.len())));
    }
    let mut b = Zeroizing::new(alloc::vec![0u8; v]);
    for chunk in out.chunks_mut(u) {
        let mut h = Hasher::new(alg);
        h.update(&d);
        h.update(&i_buf);
        let mut a = Zeroizing::new(h.finalize());
        for _ in 1..iterations {
            let mut h = Hasher::new(alg);
            h.update(&a);
            let mut next = h.finalize();
            a.copy_from_slice(&next);
            next.zeroize();
        }
        for (o, x) in chunk.iter_mut().zip(a.iter()) {
            *o = *x;
        }
        // B = A repeated to v bytes; every v-byte block of I becomes
        // (I_j + B + 1) mod 2^(8v).
        for (bb, x) in b.iter_mut().zip(a.iter().cycle()) {
            *bb = *x;
        }
        for block in i_buf.chunks_exact_mut(v) {
            let mut carry: u16 = 1;
            for (ij, bj) in block.iter_mut().rev().zip(b.iter().rev()) {
                let sum = u16::from(*ij) + u16::from(*bj) + carry;
                *ij = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    fn run(alg: HashAlgorithm, id: u8, password: &str, salt: &[u8], iterations: u32, len: usize) -> Vec<u8> {
        let mut out = alloc::vec![0u8; len];
        derive(alg, id, &bmp_password(password.as_bytes()), salt, iterations, &mut out).unwrap();
        out
    }

    /// Expected values from `openssl kdf ... PKCS12KDF` with `hexpass:` set
    /// to the BMP password (OpenSSL's KDF takes the password pre-encoded).
    #[test]
    fn matches_openssl_pkcs12kdf() {
        let salt = hex!("0A58CF64530D823F");
        assert_eq!(
            run(HashAlgorithm::Sha1, 1, "smeg", &salt, 1, 24),
            hex!("8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3")
        );
        assert_eq!(
            run(HashAlgorithm::Sha1, 2, "smeg", &salt, 1, 24),
            hex!("79993DFE048D3B76BA33EDF670C54CA09C58CB5CF20FC18C")
        );
        assert_eq!(
            run(HashAlgorithm::Sha256, 3, "queeg", &hex!("05DEC959ACFF72F7"), 1000, 32),
            hex!("64BD552BB4ECEC8224B888D4FA1DC49C6FF894BFC59B10402D83AD46C0D8DA4B")
        );
        assert_eq!(
            run(HashAlgorithm::Sha512, 1, "p\u{e4}ssw\u{f6}rd\u{1f600}", &hex!("00112233"), 3, 70),
            hex!(
                "13A8B93B7044AD4CBECEE18E32F6A03FA192CD3B5C97A750582F54110CC69B7A362C962C16FEC79A56AC471BA9B112B3"
                "9774297E746857CF3E25149118C356D1C59DD50322CF"
            )
        );
        assert_eq!(
            run(HashAlgorithm::Sha1, 3, "", &hex!("0102030405060708"), 2048, 20),
            hex!("422271A0229A8E68E59672D9278FE548EB74B013")
        );
    }

    #[test]
    fn password_encoding() {
        assert_eq!(bmp_password(b"ab").as_slice(), [0, 0x61, 0, 0x62, 0, 0]);
        assert_eq!(bmp_password(b"").as_slice(), [0, 0]);
        assert_eq!(bmp_password(&[0xff]).as_slice(), [0, 0xff, 0, 0]);
        assert_eq!(bmp_password("\u{1f600}".as_bytes()).as_slice(), [0xd8, 0x3d, 0xde, 0x00, 0, 0]);
    }

    #[test]
    fn zero_iterations_refused() {
        assert!(derive(HashAlgorithm::Sha256, 3, &[0, 0], b"salt", 0, &mut [0; 8]).is_err());
    }
}
