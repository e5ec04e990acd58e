//! SEC1 `ECPrivateKey` (RFC 5915) DER, and `SubjectPublicKeyInfo` for EC
//! public keys (RFC 5480: `id-ecPublicKey` with a `namedCurve`).
//!
//! Entry points: [`decode_private_key`], [`encode_private_key`],
//! [`decode_spki`], [`encode_spki`]. Decoding checks the version, the
//! curve OID when present, the scalar range, and that an embedded public
//! key matches the private scalar.
//!
//! ```text
//! ECPrivateKey ::= SEQUENCE {
//!   version        INTEGER { ecPrivkeyVer1(1) },
//!   privateKey     OCTET STRING,
//!   parameters [0] ECParameters {{ NamedCurve }} OPTIONAL,
//!   publicKey  [1] BIT STRING OPTIONAL }
//! ```

use alloc::vec::Vec;

use super::curve::Curve;
use super::field::Field;
use super::keys::{PublicKey, SecretKey};
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::oid;
use crate::asn1::spki::SubjectPublicKeyInfo;

const WHAT: &str = "SEC1 ECPrivateKey";
/// The context-specific constructed tag `[1]` of the public key.
const TAG_PUBLIC_KEY: u8 = 0xa1;

/// Decodes an RFC 5915 `ECPrivateKey` for curve `C`.
///
/// # Errors
/// [`Error::Malformed`] for bad DER or version, [`Error::Unsupported`] for
/// another curve, [`Error::InvalidKey`] for an out-of-range scalar or a
/// public key that does not match it.
pub fn decode_private_key<C: Curve>(der: &[u8]) -> Result<SecretKey<C>, Error> {
    let mut reader = Reader::new(der);
    let mut seq = reader.sequence()?;
    if seq.small_unsigned()? != 1 {
        return Err(Error::Malformed { what: WHAT, reason: "version is not 1" });
    }
    let scalar = seq.octet_string()?;
    if scalar.len() != C::Scalar::BYTES {
        return Err(Error::InvalidKey { reason: "EC private key has the wrong length for the curve" });
    }
    let secret = SecretKey::<C>::from_bytes(scalar)?;
    if let Some(mut params) = seq.optional_explicit(0)? {
        let curve = params.oid()?;
        params.finish()?;
        if curve != C::OID {
            return Err(Error::Unsupported { what: "EC private key for another curve" });
        }
    }
    if seq.peek_tag() == Some(TAG_PUBLIC_KEY) {
        let mut public = seq.explicit(1)?;
        let point = public.bit_string()?;
        public.finish()?;
        if !PublicKey::<C>::from_sec1(point)?.matches(&secret) {
            return Err(Error::InvalidKey { reason: "EC public key does not match the private key" });
        }
    }
    seq.finish()?;
    reader.finish()?;
    Ok(secret)
}

/// Encodes an RFC 5915 `ECPrivateKey` with the named-curve parameters
/// and the uncompressed public key (the form OpenSSL writes).
#[must_use]
pub fn encode_private_key<C: Curve>(secret: &SecretKey<C>) -> zeroize::Zeroizing<Vec<u8>> {
    let scalar = secret.to_bytes();
    let public = secret.public_key().to_sec1(false);
    let mut w = Writer::new();
    w.sequence(|w| {
        w.small_unsigned(1);
        w.octet_string(&scalar);
        w.explicit(0, |w| w.oid(C::OID));
        w.explicit(1, |w| w.bit_string(&public));
    });
    zeroize::Zeroizing::new(w.finish())
}

/// Decodes an EC `SubjectPublicKeyInfo` for curve `C`.
///
/// # Errors
/// [`Error::Malformed`] for bad DER, [`Error::Unsupported`] for another
/// algorithm, implicit or explicit curve parameters, or another curve;
/// [`Error::InvalidKey`] / [`Error::Malformed`] for a bad point.
pub fn decode_spki<C: Curve>(der: &[u8]) -> Result<PublicKey<C>, Error> {
    let spki = SubjectPublicKeyInfo::from_der(der)?;
    if spki.algorithm != oid::EC_PUBLIC_KEY {
        return Err(Error::Unsupported { what: "public key algorithm other than id-ecPublicKey" });
    }
    let params = spki.parameters.ok_or(Error::Unsupported { what: "EC key without curve parameters" })?;
    let mut r = Reader::new(params);
    if r.peek_tag() != Some(0x06) {
        return Err(Error::Unsupported { what: "explicit or implicit EC curve parameters" });
    }
    let curve = r.oid()?;
    r.finish()?;
    if curve != C::OID {
        return Err(Error::Unsupported { what: "EC public key for another curve" });
    }
    PublicKey::from_sec1(spki.public_key)
}

/// Encodes an EC `SubjectPublicKeyInfo` (uncompressed point).
#[must_use]
pub fn encode_spki<C: Curve>(public: &PublicKey<C>) -> Vec<u8> {
    let mut params = Writer::new();
    params.oid(C::OID);
    let params = params.finish();
    let point = public.to_sec1(false);
    SubjectPublicKeyInfo { algorithm: oid::EC_PUBLIC_KEY, parameters: Some(&params), public_key: &point }.to_der()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec::{P256, P384};

    #[test]
    fn private_key_round_trip_and_checks() {
        let key = SecretKey::<P256>::from_bytes(&[0x42; 32]).unwrap();
        let der = encode_private_key(&key);
        let back = decode_private_key::<P256>(&der).unwrap();
        assert_eq!(back.to_bytes(), key.to_bytes());
        assert!(matches!(decode_private_key::<P384>(&der), Err(Error::InvalidKey { .. } | Error::Unsupported { .. })));
        let mut tampered = der.to_vec();
        if let Some(last) = tampered.last_mut() {
            *last ^= 1;
        }
        assert!(decode_private_key::<P256>(&tampered).is_err());
        for cut in 0..der.len() {
            assert!(decode_private_key::<P256>(&der[..cut]).is_err());
        }
    }

    #[test]
    fn spki_round_trip() {
        let key = SecretKey::<P256>::from_bytes(&[0x42; 32]).unwrap().public_key();
        let der = encode_spki(&key);
        assert_eq!(decode_spki::<P256>(&der).unwrap(), key);
        assert!(decode_spki::<P384>(&der).is_err());
    }
}
