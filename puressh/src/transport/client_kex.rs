//! The client's side of a key exchange, driven by the
//! [`Transport`] events: pick the method on
//! [`Event::Negotiated`](super::machine::Event::Negotiated), send its
//! value, check the server's reply (host key policy, signature over the
//! exchange hash), derive the keys and switch both directions.
//!
//! Entry point: [`ClientKex`]; the host key policy comes in through
//! [`HostKeyVerifier`]. The first exchange hash becomes the session id;
//! rekeys must present the same host key.

use super::cipher::{self, KeySizes};
use super::kdf::DirectionKeys;
use super::kex::{self, KexMethod, KexReply, Transcript, gex};
use super::machine::Transport;
use super::negotiate::Negotiated;
use crate::error::{Error, KexError};
use crate::keys::PublicKey;
use crate::keys::cert::{self, Certificate};
use crate::msg::{Message, MsgNumber};
use std::time::Instant;

/// Decides whether a server host key is acceptable (known_hosts and
/// StrictHostKeyChecking, or a pinned key).
pub trait HostKeyVerifier {
    /// `blob` is the key as sent; `key` its parsed form.
    ///
    /// # Errors
    /// [`KexError::HostKeyRejected`] with the reason.
    fn verify(&mut self, key: &PublicKey, blob: &[u8]) -> Result<(), KexError>;

    /// Judges a host certificate (negotiated through a
    /// `*-cert-v01@openssh.com` algorithm); its key signs the exchange.
    /// The default refuses every certificate: a verifier that knows no
    /// certificate authority has nothing to check one against.
    ///
    /// # Errors
    /// [`KexError::HostKeyRejected`] with the reason.
    fn verify_certificate(&mut self, certificate: &Certificate) -> Result<(), KexError> {
        Err(KexError::HostKeyRejected {
            reason: format!("host certificates are not accepted (key id \"{}\")", certificate.key_id),
        })
    }
}

/// What an exchange in flight waits for.
enum Stage {
    /// Group exchange: the server's group (message 31), after our request.
    GexGroup,
    /// The server's reply to our value.
    Reply(Box<dyn KexMethod>),
}

impl Stage {
    fn name(&self) -> &'static str {
        match self {
            Self::GexGroup => crate::names::DH_GEX_SHA256,
            Self::Reply(method) => method.name(),
        }
    }
}

/// A key exchange waiting for the server.
struct InFlight {
    stage: Stage,
    negotiated: Negotiated,
    ours: Vec<u8>,
    theirs: Vec<u8>,
}

/// Client key-exchange state across the initial exchange and rekeys.
#[derive(Default)]
pub struct ClientKex {
    in_flight: Option<InFlight>,
    session_id: Option<Vec<u8>>,
    host_key: Option<Vec<u8>>,
    exchanges: u32,
}

impl core::fmt::Debug for ClientKex {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientKex")
            .field("in_flight", &self.in_flight.as_ref().map(|k| k.stage.name()))
            .field("exchanges", &self.exchanges)
            .finish_non_exhaustive()
    }
}

impl ClientKex {
    /// No exchange yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The session identifier (the first exchange hash), once known.
    #[must_use]
    pub fn session_id(&self) -> Option<&[u8]> {
        self.session_id.as_deref()
    }

    /// The server's host key blob from the first exchange.
    #[must_use]
    pub fn host_key(&self) -> Option<&[u8]> {
        self.host_key.as_deref()
    }

    /// Completed exchanges (1 after the initial one; more after rekeys).
    #[must_use]
    pub const fn exchanges(&self) -> u32 {
        self.exchanges
    }

    /// Whether an exchange is waiting for the server's reply.
    #[must_use]
    pub const fn in_progress(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Starts the negotiated method: sends its value (message 30), or
    /// for group exchange the group request (message 34).
    ///
    /// # Errors
    /// [`KexError::Unsupported`] for a method or host key algorithm we do
    /// not implement; transport errors.
    pub fn on_negotiated(
        &mut self,
        transport: &mut Transport,
        negotiated: Negotiated,
        ours: Vec<u8>,
        theirs: Vec<u8>,
    ) -> Result<(), Error> {
        if negotiated.kex == crate::names::DH_GEX_SHA256 {
            transport.send(&Message::Other { number: gex::MSG_REQUEST, body: gex::request_body() })?;
            self.in_flight = Some(InFlight { stage: Stage::GexGroup, negotiated, ours, theirs });
            return Ok(());
        }
        let method = kex::method_for(&negotiated.kex)?;
        let body = kex::init_body(method.as_ref());
        transport.send(&Message::Other { number: MsgNumber::KEX_ECDH_INIT, body })?;
        self.in_flight = Some(InFlight { stage: Stage::Reply(method), negotiated, ours, theirs });
        Ok(())
    }

    /// Handles a KEX-method message: the server's reply finishes the
    /// exchange, installs the keys and sends NEWKEYS.
    ///
    /// # Errors
    /// [`KexError::Unexpected`] for anything but the reply,
    /// [`KexError::BadPublicValue`], [`KexError::BadSignature`],
    /// [`KexError::HostKeyRejected`], decode errors.
    pub fn on_kex_message(
        &mut self,
        transport: &mut Transport,
        message: &Message,
        verifier: &mut dyn HostKeyVerifier,
        now: Instant,
    ) -> Result<(), Error> {
        let unexpected = || KexError::Unexpected { number: message.number().0 };
        let (number, body) = match message {
            Message::Other { number, body } => (*number, body),
            _ => return Err(unexpected().into()),
        };
        let InFlight { stage, negotiated, ours, theirs } = self.in_flight.take().ok_or_else(unexpected)?;
        let method = match stage {
            Stage::GexGroup if number == gex::MSG_GROUP => {
                // The group arrives: check it, then send our value in it.
                let group = gex::Group::parse(body, &mut purecrypto::rng::OsRng)?;
                let method: Box<dyn KexMethod> = Box::new(
                    gex::GroupExchange::generate(group, &mut purecrypto::rng::OsRng)
                        .ok_or(KexError::BadPublicValue { what: "GEX group" })?,
                );
                let init = kex::init_body(method.as_ref());
                transport.send(&Message::Other { number: gex::MSG_INIT, body: init })?;
                self.in_flight = Some(InFlight { stage: Stage::Reply(method), negotiated, ours, theirs });
                return Ok(());
            }
            Stage::Reply(method) => {
                let expected = if method.name() == crate::names::DH_GEX_SHA256 {
                    gex::MSG_REPLY
                } else {
                    MsgNumber::KEX_ECDH_REPLY
                };
                if number != expected {
                    return Err(unexpected().into());
                }
                method
            }
            Stage::GexGroup => return Err(unexpected().into()),
        };
        let reply = KexReply::parse(body, method.public_is_mpint())?;
        let (host_key, signature_algorithm) = self.check_host_key(&reply.host_key, &negotiated.host_key, verifier)?;
        let hash = method.hash();
        let method_fields = method.exchange_hash_fields();
        let outcome = method.finish(&reply.server_public)?;
        let server_version = transport.peer_version().map(|v| v.raw.clone()).unwrap_or_default();
        let transcript = Transcript {
            client_version: transport.our_version().as_bytes(),
            server_version: server_version.as_bytes(),
            client_kexinit: &ours,
            server_kexinit: &theirs,
        };
        let h = kex::exchange_hash_with(
            hash,
            &transcript,
            &reply.host_key,
            &method_fields,
            &outcome.client_value,
            &reply.server_public,
            &outcome.shared_secret,
        );
        host_key.verify(signature_algorithm, &h, &reply.signature).map_err(|_| KexError::BadSignature)?;
        let session_id = self.session_id.get_or_insert_with(|| h.clone()).clone();
        self.host_key.get_or_insert(reply.host_key);

        let (c2s, s2c) = directions(&negotiated)?;
        let keys = |sizes: KeySizes, client_to_server: bool| {
            DirectionKeys::derive(hash, &outcome.shared_secret, &h, &session_id, sizes, client_to_server)
        };
        let out = keys(c2s.1, true);
        let inn = keys(s2c.1, false);
        let outgoing = cipher::select(&negotiated.cipher_c2s, c2s.0, &out.key, &out.iv, &out.mac_key)?;
        let incoming = cipher::select(&negotiated.cipher_s2c, s2c.0, &inn.key, &inn.iv, &inn.mac_key)?;
        transport.set_incoming_keys(incoming);
        transport.send_newkeys(outgoing, now)?;
        self.exchanges = self.exchanges.saturating_add(1);
        Ok(())
    }
}

impl ClientKex {
    /// Parses the server's host key (a plain key or, for a certificate
    /// algorithm, a certificate), has the verifier judge it on the first
    /// exchange and requires the same blob on rekeys. Returns the key that
    /// signs the exchange hash and the signature algorithm it must use.
    fn check_host_key<'a>(
        &self,
        blob: &[u8],
        algorithm: &'a str,
        verifier: &mut dyn HostKeyVerifier,
    ) -> Result<(PublicKey, &'a str), KexError> {
        let unusable =
            |e: crate::error::KeyError| KexError::HostKeyRejected { reason: format!("unusable host key: {e}") };
        let not_fitting = || KexError::HostKeyRejected { reason: format!("not a {algorithm} key") };
        let first = match &self.host_key {
            // A rekey must present the key already verified.
            Some(first) if first != blob => {
                return Err(KexError::HostKeyRejected { reason: "host key changed during rekey".into() });
            }
            Some(_) => false,
            None => true,
        };
        match cert::signature_algorithm(algorithm) {
            Some(plain) => {
                let certificate = Certificate::from_blob(blob).map_err(unusable)?;
                if !certificate.fits(algorithm) {
                    return Err(not_fitting());
                }
                certificate.key.check_size().map_err(unusable)?;
                certificate.signature_key.check_size().map_err(unusable)?;
                if first {
                    verifier.verify_certificate(&certificate)?;
                }
                Ok((certificate.key, plain))
            }
            None => {
                let key = PublicKey::from_blob(blob).map_err(unusable)?;
                if !key.fits(algorithm) {
                    return Err(not_fitting());
                }
                key.check_size().map_err(unusable)?;
                if first {
                    verifier.verify(&key, blob)?;
                }
                Ok((key, algorithm))
            }
        }
    }
}

/// A direction's MAC name (empty for AEADs) and key sizes.
type Direction = (&'static str, KeySizes);

/// The MAC name and key sizes of each direction.
fn directions(n: &Negotiated) -> Result<(Direction, Direction), KexError> {
    let one = |cipher: &str, mac: &Option<String>| -> Result<Direction, KexError> {
        let unsupported = || KexError::Unsupported { name: cipher.to_owned() };
        let mac_name = mac.as_deref().unwrap_or("");
        let sizes = cipher::key_sizes(cipher, mac_name).ok_or_else(unsupported)?;
        let mac_static = crate::names::MAC.iter().find(|m| **m == mac_name).copied().unwrap_or("");
        Ok((mac_static, sizes))
    };
    let c2s = one(&n.cipher_c2s, &n.mac_c2s)?;
    let s2c = one(&n.cipher_s2c, &n.mac_s2c)?;
    Ok((c2s, s2c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names;

    /// Accepts everything it is asked about, so the checks before it show.
    struct TrustAll;
    impl HostKeyVerifier for TrustAll {
        fn verify(&mut self, _: &PublicKey, _: &[u8]) -> Result<(), KexError> {
            Ok(())
        }
        fn verify_certificate(&mut self, _: &Certificate) -> Result<(), KexError> {
            Ok(())
        }
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/data/certs/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn reason(result: Result<(PublicKey, &str), KexError>) -> String {
        match result {
            Err(KexError::HostKeyRejected { reason }) => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn host_keys_are_parsed_by_the_negotiated_algorithm() {
        let kex = ClientKex::new();
        let (small, _) = PublicKey::from_openssh_line(&fixture("rsa1024.pub")).unwrap();
        let r = reason(kex.check_host_key(&small.to_blob(), names::RSA_SHA2_256, &mut TrustAll));
        assert!(r.contains("RSA key of 1024 bits is too small"), "{r}");

        let (cert, _) = Certificate::from_openssh_line(&fixture("host_any-cert.pub")).unwrap();
        let (key, algorithm) = kex.check_host_key(cert.blob(), names::SSH_ED25519_CERT, &mut TrustAll).unwrap();
        assert_eq!((key, algorithm), (cert.key.clone(), names::SSH_ED25519));
        // A certificate under a plain algorithm, or the other way round.
        assert!(kex.check_host_key(cert.blob(), names::SSH_ED25519, &mut TrustAll).is_err());
        let plain = cert.key.to_blob();
        assert!(kex.check_host_key(&plain, names::SSH_ED25519_CERT, &mut TrustAll).is_err());
        assert!(
            reason(kex.check_host_key(cert.blob(), names::ECDSA_SHA2_NISTP256_CERT, &mut TrustAll)).contains("not a")
        );
        // A verifier without certificate support refuses them.
        struct PlainOnly;
        impl HostKeyVerifier for PlainOnly {
            fn verify(&mut self, _: &PublicKey, _: &[u8]) -> Result<(), KexError> {
                Ok(())
            }
        }
        let r = reason(kex.check_host_key(cert.blob(), names::SSH_ED25519_CERT, &mut PlainOnly));
        assert!(r.contains("host certificates are not accepted"), "{r}");
    }
}
