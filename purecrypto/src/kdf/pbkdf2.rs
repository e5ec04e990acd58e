//! PBKDF2 (RFC 8018 section 5.2) with HMAC.
//!
//! Entry points: [`pbkdf2_hmac`] for a hash fixed at compile time,
//! [`pbkdf2`] for a run-time [`HashAlgorithm`]. The HMAC key (the password)
//! is absorbed once; each iteration clones the keyed state.

use super::{MAX_PRF_LEN, Prf};
use crate::Error;
use crate::hash::{Hash, HashAlgorithm};
use crate::mac::{DynHmac, Hmac};
use zeroize::Zeroize;

fn pbkdf2_with<P: Prf>(prf: &P, salt: &[u8], iterations: u32, out: &mut [u8]) -> Result<(), Error> {
    if iterations == 0 {
        return Err(Error::InvalidParameter { what: "PBKDF2 iterations", reason: "must be at least 1" });
    }
    let n = prf.output_len();
    let mut u = [0u8; MAX_PRF_LEN];
    let mut t = [0u8; MAX_PRF_LEN];
    for (i, chunk) in out.chunks_mut(n).enumerate() {
        let block_index = u32::try_from(i + 1).map_err(|_| Error::InvalidLength {
            what: "PBKDF2 output",
            expected: "below 2^32 blocks",
            actual: i,
        })?;
        let mut m = prf.clone();
        m.absorb(salt);
        m.absorb(&block_index.to_be_bytes());
        m.finish(&mut u);
        t = u;
        for _ in 1..iterations {
            let mut m = prf.clone();
            m.absorb(u.get(..n).unwrap_or_default());
            m.finish(&mut u);
            for (a, b) in t.iter_mut().zip(u.iter()) {
                *a ^= b;
            }
        }
        chunk.copy_from_slice(t.get(..chunk.len()).unwrap_or_default());
    }
    u.zeroize();
    t.zeroize();
    Ok(())
}

/// PBKDF2-HMAC-`H`: fills `out` from `password` and `salt`.
///
/// # Errors
/// [`Error::InvalidParameter`] for zero iterations.
pub fn pbkdf2_hmac<H: Hash>(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) -> Result<(), Error> {
    pbkdf2_with(&Hmac::<H>::new(password), salt, iterations, out)
}

/// PBKDF2 with HMAC over a run-time hash.
///
/// # Errors
/// [`Error::InvalidParameter`] for zero iterations.
pub fn pbkdf2(alg: HashAlgorithm, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) -> Result<(), Error> {
    pbkdf2_with(&DynHmac::new(alg, password), salt, iterations, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{Sha1, Sha256};
    use hex_literal::hex;

    /// RFC 6070 (SHA-1) and RFC 7914 section 11 (SHA-256).
    #[test]
    fn rfc_6070_and_7914() {
        let mut out = [0u8; 20];
        pbkdf2_hmac::<Sha1>(b"password", b"salt", 1, &mut out).unwrap();
        assert_eq!(out, hex!("0c60c80f961f0e71f3a9b524af6012062fe037a6"));
        pbkdf2_hmac::<Sha1>(b"password", b"salt", 4096, &mut out).unwrap();
        assert_eq!(out, hex!("4b007901b765489abead49d926f721d065a429c1"));
        let mut out = [0u8; 25];
        pbkdf2(
            HashAlgorithm::Sha1,
            b"passwordPASSWORDpassword",
            b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
            4096,
            &mut out,
        )
        .unwrap();
        assert_eq!(out, hex!("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"));
        let mut out = [0u8; 64];
        pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out).unwrap();
        assert_eq!(
            out,
            hex!(
                "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
            )
        );
        assert!(pbkdf2_hmac::<Sha256>(b"p", b"s", 0, &mut out).is_err());
    }
}
