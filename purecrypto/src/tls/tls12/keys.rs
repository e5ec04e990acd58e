//! TLS 1.2 key derivation with the suite's PRF hash: the extended
//! master secret (RFC 7627 section 4), the key block (RFC 5246 section
//! 6.3) cut into AEAD keys and IVs, and Finished `verify_data` (section
//! 7.4.9).
//!
//! Entry points: [`extended_master_secret`], [`record_ciphers`],
//! [`verify_data`], [`check_verify_data`].

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::hash::HashAlgorithm;
use crate::kdf::tls12_prf;
use crate::tls::error::Error;
use crate::tls::record::RecordCipher;
use crate::tls::suites::CipherSuite;

/// The 48-byte master secret.
pub(crate) type MasterSecret = Zeroizing<[u8; 48]>;

/// Length of Finished `verify_data` in TLS 1.2.
pub(crate) const VERIFY_DATA_LEN: usize = 12;

/// `PRF(pre_master_secret, "extended master secret", session_hash)`.
pub(crate) fn extended_master_secret(hash: HashAlgorithm, pre_master: &[u8], session_hash: &[u8]) -> MasterSecret {
    let mut ms = Zeroizing::new([0u8; 48]);
    tls12_prf(hash, pre_master, b"extended master secret", session_hash, &mut *ms);
    ms
}

/// The (client write, server write) record ciphers from the key block
/// `PRF(master, "key expansion", server_random || client_random)`.
pub(crate) fn record_ciphers(
    suite: CipherSuite,
    hash: HashAlgorithm,
    master: &[u8],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
) -> Result<(RecordCipher, RecordCipher), Error> {
    let key_len = suite.key_len();
    let iv_len = if suite.is_chacha() { 12 } else { 4 };
    let mut seed = [0u8; 64];
    for (d, s) in seed.iter_mut().zip(server_random.iter().chain(client_random.iter())) {
        *d = *s;
    }
    let mut block = Zeroizing::new(alloc::vec![0u8; 2 * (key_len + iv_len)]);
    tls12_prf(hash, master, b"key expansion", &seed, &mut block);
    let short = Error::Config { what: "key block" };
    let (client_key, rest) = block.split_at_checked(key_len).ok_or(short.clone())?;
    let (server_key, rest) = rest.split_at_checked(key_len).ok_or(short.clone())?;
    let (client_iv, server_iv) = rest.split_at_checked(iv_len).ok_or(short)?;
    Ok((RecordCipher::new_tls12(suite, client_key, client_iv)?, RecordCipher::new_tls12(suite, server_key, server_iv)?))
}

/// `PRF(master, label, handshake_hash)[..12]`; `client` picks the label.
pub(crate) fn verify_data(
    hash: HashAlgorithm,
    master: &[u8],
    client: bool,
    handshake_hash: &[u8],
) -> [u8; VERIFY_DATA_LEN] {
    let label: &[u8] = if client { b"client finished" } else { b"server finished" };
    let mut out = [0u8; VERIFY_DATA_LEN];
    tls12_prf(hash, master, label, handshake_hash, &mut out);
    out
}

/// Checks the peer's Finished in constant time: `decode_error` for a
/// wrong length, `decrypt_error` for a wrong value.
pub(crate) fn check_verify_data(
    hash: HashAlgorithm,
    master: &[u8],
    peer_is_client: bool,
    handshake_hash: &[u8],
    received: &[u8],
) -> Result<(), Error> {
    let expected = verify_data(hash, master, peer_is_client, handshake_hash);
    // A wrong length is malformed (`decode_error`), only a wrong value
    // is `decrypt_error`.
    if received.len() != VERIFY_DATA_LEN {
        return Err(Error::Decode { what: "Finished length" });
    }
    if bool::from(expected.ct_eq(received)) { Ok(()) } else { Err(Error::DecryptError { what: "Finished" }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_block_halves_pair_up_and_finished_labels_differ() {
        let suite = CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
        let hash = HashAlgorithm::Sha256;
        let ms = extended_master_secret(hash, &[7; 32], &[1; 32]);
        let (mut cw, mut sw) = record_ciphers(suite, hash, &*ms, &[1; 32], &[2; 32]).unwrap();
        let (mut cr, _) = record_ciphers(suite, hash, &*ms, &[1; 32], &[2; 32]).unwrap();
        let mut out = alloc::vec::Vec::new();
        cw.seal(crate::tls::record::ContentType::ApplicationData, b"hi", 0, &mut out).unwrap();
        let mut body = out[5..].to_vec();
        cr.open_tls12(crate::tls::record::ContentType::ApplicationData, &mut body).unwrap();
        assert_eq!(body, b"hi");
        // The server's write key does not open the client's records.
        let mut body = out[5..].to_vec();
        assert_eq!(
            sw.open_tls12(crate::tls::record::ContentType::ApplicationData, &mut body),
            Err(Error::BadRecordMac)
        );
        let c = verify_data(hash, &*ms, true, &[3; 32]);
        assert_ne!(c, verify_data(hash, &*ms, false, &[3; 32]));
        assert!(check_verify_data(hash, &*ms, true, &[3; 32], &c).is_ok());
        assert!(check_verify_data(hash, &*ms, false, &[3; 32], &c).is_err());
    }
}
