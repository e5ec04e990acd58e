//! Object identifiers as DER contents bytes, and their dotted form.
//!
//! Entry points: the constants (compare a read [`Reader::oid`](super::der::Reader::oid)
//! with `==`), [`to_dotted`] for printing, and [`validate`].
//!
//! Identifiers are kept as encoded bytes because every use is a comparison
//! against a known value; decoding to arcs is needed only for display.

use alloc::string::String;
use core::fmt::Write as _;

use crate::Error;

/// rsaEncryption (PKCS #1): `1.2.840.113549.1.1.1`.
pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// sha1WithRSAEncryption: `1.2.840.113549.1.1.5`.
pub const SHA1_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
/// id-RSAES-OAEP: `1.2.840.113549.1.1.7`.
pub const RSAES_OAEP: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x07];
/// id-mgf1: `1.2.840.113549.1.1.8`.
pub const MGF1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];
/// id-pSpecified (OAEP label source): `1.2.840.113549.1.1.9`.
pub const P_SPECIFIED: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x09];
/// id-RSASSA-PSS: `1.2.840.113549.1.1.10`.
pub const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// sha256WithRSAEncryption: `1.2.840.113549.1.1.11`.
pub const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
/// sha384WithRSAEncryption: `1.2.840.113549.1.1.12`.
pub const SHA384_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
/// sha512WithRSAEncryption: `1.2.840.113549.1.1.13`.
pub const SHA512_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
/// sha224WithRSAEncryption: `1.2.840.113549.1.1.14`.
pub const SHA224_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e];
/// id-ecPublicKey (RFC 5480): `1.2.840.10045.2.1`.
pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// secp256r1 / prime256v1 / P-256: `1.2.840.10045.3.1.7`.
pub const SECP256R1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// secp384r1 / P-384: `1.3.132.0.34`.
pub const SECP384R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// secp521r1 / P-521: `1.3.132.0.35`.
pub const SECP521R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
/// secp256k1: `1.3.132.0.10`.
pub const SECP256K1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x0a];
/// ecdsa-with-SHA256: `1.2.840.10045.4.3.2`.
pub const ECDSA_WITH_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
/// ecdsa-with-SHA384: `1.2.840.10045.4.3.3`.
pub const ECDSA_WITH_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
/// ecdsa-with-SHA512: `1.2.840.10045.4.3.4`.
pub const ECDSA_WITH_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
/// id-X25519 (RFC 8410): `1.3.101.110`.
pub const X25519: &[u8] = &[0x2b, 0x65, 0x6e];
/// id-X448 (RFC 8410): `1.3.101.111`.
pub const X448: &[u8] = &[0x2b, 0x65, 0x6f];
/// id-Ed25519 (RFC 8410): `1.3.101.112`.
pub const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
/// id-Ed448 (RFC 8410): `1.3.101.113`.
pub const ED448: &[u8] = &[0x2b, 0x65, 0x71];
/// id-sha1: `1.3.14.3.2.26`.
pub const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
/// id-sha256: `2.16.840.1.101.3.4.2.1`.
pub const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/// id-sha384: `2.16.840.1.101.3.4.2.2`.
pub const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
/// id-sha512: `2.16.840.1.101.3.4.2.3`.
pub const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
/// id-sha224: `2.16.840.1.101.3.4.2.4`.
pub const SHA224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04];
/// id-sha512-224: `2.16.840.1.101.3.4.2.5`.
pub const SHA512_224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x05];
/// id-sha512-256: `2.16.840.1.101.3.4.2.6`.
pub const SHA512_256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x06];
/// id-sha3-224: `2.16.840.1.101.3.4.2.7`.
pub const SHA3_224: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x07];
/// id-sha3-256: `2.16.840.1.101.3.4.2.8`.
pub const SHA3_256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x08];
/// id-sha3-384: `2.16.840.1.101.3.4.2.9`.
pub const SHA3_384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x09];
/// id-sha3-512: `2.16.840.1.101.3.4.2.10`.
pub const SHA3_512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0a];
/// id-shake128: `2.16.840.1.101.3.4.2.11`.
pub const SHAKE128: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0b];
/// id-shake256: `2.16.840.1.101.3.4.2.12`.
pub const SHAKE256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0c];
/// id-ml-dsa-44 (FIPS 204): `2.16.840.1.101.3.4.3.17`.
pub const ML_DSA_44: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x11];
/// id-ml-dsa-65: `2.16.840.1.101.3.4.3.18`.
pub const ML_DSA_65: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12];
/// id-ml-dsa-87: `2.16.840.1.101.3.4.3.19`.
pub const ML_DSA_87: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x13];
/// id-slh-dsa-sha2-128s (FIPS 205): `2.16.840.1.101.3.4.3.20`.
pub const SLH_DSA_SHA2_128S: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x14];
/// id-slh-dsa-sha2-128f: `2.16.840.1.101.3.4.3.21`.
pub const SLH_DSA_SHA2_128F: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x15];
/// id-slh-dsa-sha2-192s: `2.16.840.1.101.3.4.3.22`.
pub const SLH_DSA_SHA2_192S: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x16];
/// id-slh-dsa-sha2-192f: `2.16.840.1.101.3.4.3.23`.
pub const SLH_DSA_SHA2_192F: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x17];
/// id-slh-dsa-sha2-256s: `2.16.840.1.101.3.4.3.24`.
pub const SLH_DSA_SHA2_256S: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x18];
/// id-slh-dsa-sha2-256f: `2.16.840.1.101.3.4.3.25`.
pub const SLH_DSA_SHA2_256F: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x19];
/// id-slh-dsa-shake-128s: `2.16.840.1.101.3.4.3.26`.
pub const SLH_DSA_SHAKE_128S: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x1a];
/// id-slh-dsa-shake-128f: `2.16.840.1.101.3.4.3.27`.
pub const SLH_DSA_SHAKE_128F: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x1b];
/// id-slh-dsa-shake-192s: `2.16.840.1.101.3.4.3.28`.
pub const SLH_DSA_SHAKE_192S: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x1c];
/// id-slh-dsa-shake-192f: `2.16.840.1.101.3.4.3.29`.
pub const SLH_DSA_SHAKE_192F: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x1d];
/// id-slh-dsa-shake-256s: `2.16.840.1.101.3.4.3.30`.
pub const SLH_DSA_SHAKE_256S: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x1e];
/// id-slh-dsa-shake-256f: `2.16.840.1.101.3.4.3.31`.
pub const SLH_DSA_SHAKE_256F: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x1f];
/// id-alg-ml-kem-512 (FIPS 203): `2.16.840.1.101.3.4.4.1`.
pub const ML_KEM_512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, 0x01];
/// id-alg-ml-kem-768: `2.16.840.1.101.3.4.4.2`.
pub const ML_KEM_768: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, 0x02];
/// id-alg-ml-kem-1024: `2.16.840.1.101.3.4.4.3`.
pub const ML_KEM_1024: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, 0x03];
/// id-PBKDF2 (PKCS #5): `1.2.840.113549.1.5.12`.
pub const PBKDF2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
/// id-PBES2 (PKCS #5): `1.2.840.113549.1.5.13`.
pub const PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
/// id-hmacWithSHA1: `1.2.840.113549.2.7`.
pub const HMAC_WITH_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07];
/// id-hmacWithSHA224: `1.2.840.113549.2.8`.
pub const HMAC_WITH_SHA224: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x08];
/// id-hmacWithSHA256: `1.2.840.113549.2.9`.
pub const HMAC_WITH_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09];
/// id-hmacWithSHA384: `1.2.840.113549.2.10`.
pub const HMAC_WITH_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0a];
/// id-hmacWithSHA512: `1.2.840.113549.2.11`.
pub const HMAC_WITH_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b];
/// aes128-CBC-PAD: `2.16.840.1.101.3.4.1.2`.
pub const AES128_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02];
/// aes192-CBC-PAD: `2.16.840.1.101.3.4.1.22`.
pub const AES192_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x16];
/// aes256-CBC-PAD: `2.16.840.1.101.3.4.1.42`.
pub const AES256_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a];
/// id-scrypt (RFC 7914): `1.3.6.1.4.1.11591.4.11`.
pub const SCRYPT: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b];

/// Checks that `contents` is a well-formed DER OID: non-empty, every
/// sub-identifier minimal (no leading `0x80`) and complete.
///
/// # Errors
/// [`Error::Malformed`] otherwise.
pub fn validate(contents: &[u8]) -> Result<(), Error> {
    let bad = |reason| Error::Malformed { what: "DER OBJECT IDENTIFIER", reason };
    if contents.last().is_none_or(|&b| b & 0x80 != 0) {
        return Err(bad("empty or truncated sub-identifier"));
    }
    let mut at_start = true;
    for &byte in contents {
        if at_start && byte == 0x80 {
            return Err(bad("non-minimal sub-identifier"));
        }
        at_start = byte & 0x80 == 0;
    }
    Ok(())
}

/// The dotted-decimal form (`1.2.840.113549.1.1.1`) of OID contents.
/// Sub-identifiers too large for a `u128` print as `?`.
#[must_use]
pub fn to_dotted(contents: &[u8]) -> String {
    let mut out = String::new();
    let mut value: u128 = 0;
    let mut overflow = false;
    let mut first = true;
    for &byte in contents {
        overflow |= value >> 121 != 0;
        value = (value << 7) | u128::from(byte & 0x7f);
        if byte & 0x80 != 0 {
            continue;
        }
        if overflow {
            out.push_str(if first { "?" } else { ".?" });
        } else if first {
            let (arc0, arc1) = match value {
                0..40 => (0, value),
                40..80 => (1, value - 40),
                _ => (2, value - 80),
            };
            let _ = write!(out, "{arc0}.{arc1}");
        } else {
            let _ = write!(out, ".{value}");
        }
        first = false;
        value = 0;
        overflow = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every constant against its dotted form, so a typo in the bytes
    /// cannot survive.
    #[test]
    fn constants_match_their_dotted_forms() {
        let table: &[(&[u8], &str)] = &[
            (RSA_ENCRYPTION, "1.2.840.113549.1.1.1"),
            (SHA1_WITH_RSA, "1.2.840.113549.1.1.5"),
            (RSAES_OAEP, "1.2.840.113549.1.1.7"),
            (MGF1, "1.2.840.113549.1.1.8"),
            (P_SPECIFIED, "1.2.840.113549.1.1.9"),
            (RSASSA_PSS, "1.2.840.113549.1.1.10"),
            (SHA256_WITH_RSA, "1.2.840.113549.1.1.11"),
            (SHA384_WITH_RSA, "1.2.840.113549.1.1.12"),
            (SHA512_WITH_RSA, "1.2.840.113549.1.1.13"),
            (SHA224_WITH_RSA, "1.2.840.113549.1.1.14"),
            (EC_PUBLIC_KEY, "1.2.840.10045.2.1"),
            (SECP256R1, "1.2.840.10045.3.1.7"),
            (SECP384R1, "1.3.132.0.34"),
            (SECP521R1, "1.3.132.0.35"),
            (SECP256K1, "1.3.132.0.10"),
            (ECDSA_WITH_SHA256, "1.2.840.10045.4.3.2"),
            (ECDSA_WITH_SHA384, "1.2.840.10045.4.3.3"),
            (ECDSA_WITH_SHA512, "1.2.840.10045.4.3.4"),
            (X25519, "1.3.101.110"),
            (X448, "1.3.101.111"),
            (ED25519, "1.3.101.112"),
            (ED448, "1.3.101.113"),
            (SHA1, "1.3.14.3.2.26"),
            (SHA256, "2.16.840.1.101.3.4.2.1"),
            (SHA384, "2.16.840.1.101.3.4.2.2"),
            (SHA512, "2.16.840.1.101.3.4.2.3"),
            (SHA224, "2.16.840.1.101.3.4.2.4"),
            (SHA512_224, "2.16.840.1.101.3.4.2.5"),
            (SHA512_256, "2.16.840.1.101.3.4.2.6"),
            (SHA3_224, "2.16.840.1.101.3.4.2.7"),
            (SHA3_256, "2.16.840.1.101.3.4.2.8"),
            (SHA3_384, "2.16.840.1.101.3.4.2.9"),
            (SHA3_512, "2.16.840.1.101.3.4.2.10"),
            (SHAKE128, "2.16.840.1.101.3.4.2.11"),
            (SHAKE256, "2.16.840.1.101.3.4.2.12"),
            (ML_DSA_44, "2.16.840.1.101.3.4.3.17"),
            (ML_DSA_65, "2.16.840.1.101.3.4.3.18"),
            (ML_DSA_87, "2.16.840.1.101.3.4.3.19"),
            (SLH_DSA_SHA2_128S, "2.16.840.1.101.3.4.3.20"),
            (SLH_DSA_SHA2_128F, "2.16.840.1.101.3.4.3.21"),
            (SLH_DSA_SHA2_192S, "2.16.840.1.101.3.4.3.22"),
            (SLH_DSA_SHA2_192F, "2.16.840.1.101.3.4.3.23"),
            (SLH_DSA_SHA2_256S, "2.16.840.1.101.3.4.3.24"),
            (SLH_DSA_SHA2_256F, "2.16.840.1.101.3.4.3.25"),
            (SLH_DSA_SHAKE_128S, "2.16.840.1.101.3.4.3.26"),
            (SLH_DSA_SHAKE_128F, "2.16.840.1.101.3.4.3.27"),
            (SLH_DSA_SHAKE_192S, "2.16.840.1.101.3.4.3.28"),
            (SLH_DSA_SHAKE_192F, "2.16.840.1.101.3.4.3.29"),
            (SLH_DSA_SHAKE_256S, "2.16.840.1.101.3.4.3.30"),
            (SLH_DSA_SHAKE_256F, "2.16.840.1.101.3.4.3.31"),
            (ML_KEM_512, "2.16.840.1.101.3.4.4.1"),
            (ML_KEM_768, "2.16.840.1.101.3.4.4.2"),
            (ML_KEM_1024, "2.16.840.1.101.3.4.4.3"),
            (PBKDF2, "1.2.840.113549.1.5.12"),
            (PBES2, "1.2.840.113549.1.5.13"),
            (HMAC_WITH_SHA1, "1.2.840.113549.2.7"),
            (HMAC_WITH_SHA224, "1.2.840.113549.2.8"),
            (HMAC_WITH_SHA256, "1.2.840.113549.2.9"),
            (HMAC_WITH_SHA384, "1.2.840.113549.2.10"),
            (HMAC_WITH_SHA512, "1.2.840.113549.2.11"),
            (AES128_CBC, "2.16.840.1.101.3.4.1.2"),
            (AES192_CBC, "2.16.840.1.101.3.4.1.22"),
            (AES256_CBC, "2.16.840.1.101.3.4.1.42"),
            (SCRYPT, "1.3.6.1.4.1.11591.4.11"),
        ];
        for (contents, dotted) in table {
            validate(contents).unwrap();
            assert_eq!(to_dotted(contents), *dotted);
        }
    }

    #[test]
    fn rejects_malformed_identifiers() {
        assert!(validate(&[]).is_err());
        assert!(validate(&[0x2a, 0x86]).is_err());
        assert!(validate(&[0x2a, 0x80, 0x01]).is_err());
        assert_eq!(to_dotted(&[0x88, 0x37, 0x03]), "2.999.3");
    }
}
