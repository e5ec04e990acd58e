//! Keying material exporters: RFC 8446 section 7.5 for TLS 1.3 and
//! RFC 5705 for TLS 1.2 (with the RFC 7627 extended master secret, which
//! TLS 1.2 here always uses, so the RFC 7627 section 5.4 restriction on
//! exporters without it never applies).
//!
//! Entry point: [`Exporter::export`], reached through
//! `Connection::export_keying_material` once the handshake is done.

use zeroize::Zeroizing;

use super::error::Error;
use super::key_schedule::Secret;
use super::tls12::keys::MasterSecret;
use crate::hash::HashAlgorithm;
use crate::kdf::{derive_secret, hkdf_expand_label, tls12_prf};

/// Labels RFC 5705 section 4 reserves for TLS's own PRF uses: exporting
/// under them would hand out key-block or Finished material.
const RESERVED_LABELS: [&[u8]; 5] =
    [b"client finished", b"server finished", b"master secret", b"key expansion", b"extended master secret"];

/// What a finished handshake keeps for exporting keys.
pub(crate) enum Exporter {
    /// TLS 1.3: `exporter_master_secret` and its hash.
    Tls13 { hash: HashAlgorithm, secret: Secret },
    /// TLS 1.2: the master secret, the PRF hash and
    /// `client_random || server_random`.
    Tls12 { hash: HashAlgorithm, master: MasterSecret, randoms: [u8; 64] },
}

impl Exporter {
    /// The TLS 1.2 exporter state from the handshake's values.
    pub(crate) fn tls12(
        hash: HashAlgorithm,
        master: &MasterSecret,
        client_random: &[u8; 32],
        server_random: &[u8; 32],
    ) -> Self {
        let mut randoms = [0u8; 64];
        for (d, s) in randoms.iter_mut().zip(client_random.iter().chain(server_random.iter())) {
            *d = *s;
        }
        Self::Tls12 { hash, master: master.clone(), randoms }
    }

    /// Fills `out` with keying material for `label` and an optional
    /// `context`. In TLS 1.3 no context and an empty one are the same
    /// (RFC 8446 section 7.5); in TLS 1.2 they differ (RFC 5705 section 4).
    ///
    /// # Errors
    /// [`Error::Config`] for a reserved TLS 1.2 label or a context longer
    /// than 65535 bytes; a crypto error for an output HKDF cannot give.
    pub(crate) fn export(&self, label: &[u8], context: Option<&[u8]>, out: &mut [u8]) -> Result<(), Error> {
        match self {
            Self::Tls13 { hash, secret } => {
                let empty = hash.hash(b"");
                let derived = Zeroizing::new(derive_secret(*hash, secret, label, &empty)?);
                let context_hash = hash.hash(context.unwrap_or_default());
                hkdf_expand_label(*hash, &derived, b"exporter", &context_hash, out)?;
                Ok(())
            }
            Self::Tls12 { hash, master, randoms } => {
                if RESERVED_LABELS.contains(&label) {
                    return Err(Error::Config { what: "exporter label reserved by TLS" });
                }
                let mut seed = randoms.to_vec();
                if let Some(context) = context {
                    let len = u16::try_from(context.len())
                        .map_err(|_| Error::Config { what: "exporter context longer than 65535 bytes" })?;
                    seed.extend_from_slice(&len.to_be_bytes());
                    seed.extend_from_slice(context);
                }
                tls12_prf(*hash, &**master, label, &seed, out);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_tls12_labels_are_refused_and_context_matters() {
        let ex = Exporter::tls12(HashAlgorithm::Sha256, &Zeroizing::new([3u8; 48]), &[1; 32], &[2; 32]);
        let mut out = [0u8; 32];
        for label in RESERVED_LABELS {
            assert!(ex.export(label, None, &mut out).is_err());
        }
        let (mut a, mut b, mut c) = ([0u8; 32], [0u8; 32], [0u8; 32]);
        ex.export(b"EXPERIMENTAL test", None, &mut a).unwrap();
        ex.export(b"EXPERIMENTAL test", Some(b""), &mut b).unwrap();
        ex.export(b"EXPERIMENTAL test", Some(b"x"), &mut c).unwrap();
        assert!(a != b && b != c && a != c);
        // RFC 5705: PRF(master, label, client_random || server_random).
        let mut seed = [1u8; 64];
        seed[32..].fill(2);
        let mut want = [0u8; 32];
        tls12_prf(HashAlgorithm::Sha256, &[3u8; 48], b"EXPERIMENTAL test", &seed, &mut want);
        assert_eq!(a, want);
    }

    #[test]
    fn tls13_no_context_equals_empty_context() {
        let ex = Exporter::Tls13 { hash: HashAlgorithm::Sha256, secret: Zeroizing::new(alloc::vec![9u8; 32]) };
        let (mut a, mut b, mut c) = ([0u8; 20], [0u8; 20], [0u8; 20]);
        ex.export(b"label", None, &mut a).unwrap();
        ex.export(b"label", Some(b""), &mut b).unwrap();
        ex.export(b"label", Some(b"ctx"), &mut c).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
