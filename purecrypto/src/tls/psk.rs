//! The TLS 1.3 resumption PSK arithmetic shared by client and server
//! (RFC 8446 sections 4.2.11, 4.6.1 and 7.1): the PSK a ticket stands
//! for, the binder over a truncated ClientHello, and ticket ages.
//!
//! Entry points: [`resumption_psk`], [`binder`], [`truncated_len`].

use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::error::Error;
use super::key_schedule::{KeySchedule, Secret, finished_verify_data};
use super::msgs::OfferedPsks;
use crate::hash::HashAlgorithm;
use crate::kdf::hkdf_expand_label;

/// The one PSK key-exchange mode we offer and accept: PSK with
/// (EC)DHE, so resumption keeps forward secrecy (`psk_dhe_ke`).
pub(crate) const PSK_DHE_KE: u8 = 1;

/// `HKDF-Expand-Label(resumption_master_secret, "resumption", nonce,
/// Hash.length)`: the PSK a NewSessionTicket with `nonce` names.
pub(crate) fn resumption_psk(hash: HashAlgorithm, resumption_master: &[u8], nonce: &[u8]) -> Result<Secret, Error> {
    let mut out = Zeroizing::new(alloc::vec![0u8; hash.output_len()]);
    hkdf_expand_label(hash, resumption_master, b"resumption", nonce, &mut out)?;
    Ok(out)
}

/// The binder for `psk` over `transcript_hash` (the hash of everything
/// before this ClientHello plus the ClientHello truncated before the
/// binders): a Finished computed with the `res binder` key.
pub(crate) fn binder(hash: HashAlgorithm, psk: &[u8], transcript_hash: &[u8]) -> Result<Vec<u8>, Error> {
    let early = KeySchedule::early(hash, Some(psk));
    let binder_key = early.derive(b"res binder", &hash.hash(b""))?;
    finished_verify_data(hash, &binder_key, transcript_hash)
}

/// How many bytes at the end of a framed ClientHello the binders list
/// takes (its two-byte length and each length-prefixed binder).
pub(crate) fn binders_len(psks: &OfferedPsks) -> usize {
    2 + psks.binders.iter().map(|b| 1 + b.len()).sum::<usize>()
}

/// The length of `message` (a framed ClientHello) without its binders.
pub(crate) fn truncated_len(message: &[u8], psks: &OfferedPsks) -> Result<usize, Error> {
    message.len().checked_sub(binders_len(psks)).ok_or(Error::Decode { what: "pre_shared_key binders" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binder_depends_on_psk_and_transcript() {
        let h = HashAlgorithm::Sha256;
        let a = binder(h, &[1; 32], &[2; 32]).unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, binder(h, &[3; 32], &[2; 32]).unwrap());
        assert_ne!(a, binder(h, &[1; 32], &[4; 32]).unwrap());
        assert_eq!(resumption_psk(HashAlgorithm::Sha384, &[0; 48], &[0]).unwrap().len(), 48);
    }
}
