//! The LAMPS private-key `CHOICE` shared by ML-KEM and ML-DSA
//! (draft-ietf-lamps-kyber-certificates, RFC 9881):
//!
//! ```text
//! PrivateKey ::= CHOICE {
//!   seed        [0] IMPLICIT OCTET STRING,
//!   expandedKey OCTET STRING,
//!   both        SEQUENCE { seed OCTET STRING, expandedKey OCTET STRING } }
//! ```
//!
//! Entry points: [`decode`] and [`encode`]. Lengths are checked here;
//! whether the seed regenerates the expanded key is the caller's check,
//! since only the algorithm can run its key generation.

use alloc::vec::Vec;
use zeroize::Zeroizing;

use super::PrivateKeyForm;
use crate::Error;
use crate::asn1::der::{Reader, TAG_OCTET_STRING, TAG_SEQUENCE};

/// `[0] IMPLICIT OCTET STRING`, primitive.
const TAG_SEED: u8 = 0x80;

/// A decoded private key: the seed, the expanded key, or both, borrowing
/// from the PKCS #8 `privateKey` octets.
#[derive(Clone, Copy)]
pub(crate) struct Decoded<'a> {
    pub(crate) seed: Option<&'a [u8]>,
    pub(crate) expanded: Option<&'a [u8]>,
}

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "ML-KEM / ML-DSA private key", reason }
}

fn check_len(what: &'static str, bytes: &[u8], expected: usize) -> Result<(), Error> {
    if bytes.len() == expected {
        Ok(())
    } else {
        Err(Error::InvalidLength { what, expected: "the parameter set's length", actual: bytes.len() })
    }
}

/// Decodes the `CHOICE`, checking the seed and expanded-key lengths.
///
/// # Errors
/// [`Error::Malformed`] for another tag or bad DER, [`Error::InvalidLength`]
/// for a wrong-size seed or expanded key.
pub(crate) fn decode(octets: &[u8], seed_len: usize, expanded_len: usize) -> Result<Decoded<'_>, Error> {
    let mut r = Reader::new(octets);
    let (tag, contents) = r.any()?;
    r.finish()?;
    let decoded = match tag {
        TAG_SEED => Decoded { seed: Some(contents), expanded: None },
        TAG_OCTET_STRING => Decoded { seed: None, expanded: Some(contents) },
        TAG_SEQUENCE => {
            let mut both = Reader::new(contents);
            let seed = both.octet_string()?;
            let expanded = both.octet_string()?;
            both.finish()?;
            Decoded { seed: Some(seed), expanded: Some(expanded) }
        }
        _ => return Err(malformed("neither seed, expandedKey nor both")),
    };
    if let Some(seed) = decoded.seed {
        check_len("private key seed", seed, seed_len)?;
    }
    if let Some(expanded) = decoded.expanded {
        check_len("expanded private key", expanded, expanded_len)?;
    }
    Ok(decoded)
}

/// Encodes the `CHOICE` in `form`; `seed` is `None` for a key decoded
/// from its expanded form, which can then only be written expanded.
///
/// # Errors
/// [`Error::InvalidParameter`] when `form` needs a seed the key lacks.
pub(crate) fn encode(form: PrivateKeyForm, seed: Option<&[u8]>, expanded: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let form = match (form, seed) {
        (PrivateKeyForm::Default, Some(_)) => PrivateKeyForm::Both,
        (PrivateKeyForm::Default, None) => PrivateKeyForm::Expanded,
        (other, _) => other,
    };
    // Built in one buffer of its final size, so no partial copy of the key
    // is left behind in freed memory.
    let body = match (form, seed) {
        (PrivateKeyForm::Expanded, _) => return Ok(tlv(TAG_OCTET_STRING, &[expanded])),
        (PrivateKeyForm::Seed, Some(seed)) => return Ok(tlv(TAG_SEED, &[seed])),
        (PrivateKeyForm::Both, Some(seed)) => [seed, expanded],
        _ => {
            return Err(Error::InvalidParameter {
                what: "private key form",
                reason: "the key was loaded without its seed; only the expanded form can be written",
            });
        }
    };
    let inner_len: usize = body.iter().map(|part| header_len(part.len()) + part.len()).sum();
    let mut out = Zeroizing::new(Vec::with_capacity(header_len(inner_len) + inner_len));
    push_header(&mut out, TAG_SEQUENCE, inner_len);
    for part in body {
        push_header(&mut out, TAG_OCTET_STRING, part.len());
        out.extend_from_slice(part);
    }
    Ok(out)
}

/// One TLV whose contents are `parts` concatenated, in a buffer of its
/// final size.
pub(crate) fn tlv(tag: u8, parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Zeroizing::new(Vec::with_capacity(header_len(len) + len));
    push_header(&mut out, tag, len);
    for part in parts {
        out.extend_from_slice(part);
    }
    out
}

/// Bytes of a DER tag and length header for `len` content bytes.
fn header_len(len: usize) -> usize {
    let significant = (usize::BITS - len.leading_zeros()).div_ceil(8) as usize;
    if len < 0x80 { 2 } else { 2 + significant }
}

/// Appends a DER tag and minimal length.
fn push_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
}
