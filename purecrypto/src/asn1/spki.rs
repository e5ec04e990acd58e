//! `SubjectPublicKeyInfo` (RFC 5280 section 4.1.2.7): an algorithm
//! identifier and the encoded public key, the wrapper every public-key
//! format shares.
//!
//! Entry point: [`SubjectPublicKeyInfo::from_der`]. The algorithm
//! parameters stay raw: only the algorithm knows their type (a curve OID,
//! `NULL`, PSS parameters, or absent).

use alloc::vec::Vec;

use super::der::{Reader, Writer};
use crate::Error;

/// A decoded `SubjectPublicKeyInfo`, borrowing from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubjectPublicKeyInfo<'a> {
    /// The algorithm OID's contents (compare with [`oid`](super::oid)).
    pub algorithm: &'a [u8],
    /// The parameters' whole encoding (tag included), `None` when absent.
    pub parameters: Option<&'a [u8]>,
    /// The `subjectPublicKey` bit string's bytes.
    pub public_key: &'a [u8],
}

impl<'a> SubjectPublicKeyInfo<'a> {
    /// Decodes a DER `SubjectPublicKeyInfo`; nothing may follow it.
    ///
    /// # Errors
    /// [`Error::Malformed`] on any deviation from strict DER.
    pub fn from_der(der: &'a [u8]) -> Result<Self, Error> {
        let mut outer = Reader::new(der);
        let mut spki = outer.sequence()?;
        let mut algorithm_id = spki.sequence()?;
        let algorithm = algorithm_id.oid()?;
        let parameters = if algorithm_id.is_empty() { None } else { Some(algorithm_id.any_raw()?) };
        algorithm_id.finish()?;
        let public_key = spki.bit_string()?;
        spki.finish()?;
        outer.finish()?;
        Ok(Self { algorithm, parameters, public_key })
    }

    /// The DER encoding.
    #[must_use]
    pub fn to_der(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.sequence(|w| {
            w.sequence(|w| {
                w.oid(self.algorithm);
                if let Some(parameters) = self.parameters {
                    w.raw(parameters);
                }
            });
            w.bit_string(self.public_key);
        });
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asn1::oid;

    /// An Ed25519 key from RFC 8410 section 10.1.
    const ED25519_SPKI: [u8; 44] =
        hex_literal::hex!("302a300506032b6570032100 19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");

    #[test]
    fn reads_and_rewrites_rfc8410_key() {
        let spki = SubjectPublicKeyInfo::from_der(&ED25519_SPKI).unwrap();
        assert_eq!(spki.algorithm, oid::ED25519);
        assert_eq!(spki.parameters, None);
        assert_eq!(spki.public_key.len(), 32);
        assert_eq!(spki.to_der(), ED25519_SPKI);
    }

    #[test]
    fn keeps_raw_parameters() {
        let mut w = Writer::new();
        w.oid(oid::SECP256R1);
        let curve = w.finish();
        let spki =
            SubjectPublicKeyInfo { algorithm: oid::EC_PUBLIC_KEY, parameters: Some(&curve), public_key: &[4, 1, 2] };
        let der = spki.to_der();
        assert_eq!(SubjectPublicKeyInfo::from_der(&der).unwrap(), spki);
    }

    #[test]
    fn rejects_trailing_bytes_and_truncation() {
        let mut long = ED25519_SPKI.to_vec();
        long.push(0);
        assert!(SubjectPublicKeyInfo::from_der(&long).is_err());
        for len in 0..ED25519_SPKI.len() {
            assert!(SubjectPublicKeyInfo::from_der(&ED25519_SPKI[..len]).is_err());
        }
    }
}
