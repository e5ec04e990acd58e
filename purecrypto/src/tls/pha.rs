//! Post-handshake client authentication (RFC 8446 section 4.6.2).
//!
//! A client that offered `post_handshake_auth` may get a
//! CertificateRequest with a fresh, non-empty context at any time after
//! the handshake; it answers Certificate, CertificateVerify (when it sent
//! a certificate) and Finished. Each exchange hashes the handshake
//! transcript (ClientHello through the client's Finished) followed by its
//! own messages, and its Finished is keyed from the client's current
//! application traffic secret (section 4.4).
//!
//! Entry point: [`PostHandshakeAuth`], kept in the connection's core once
//! the handshake completes; [`request`] starts an exchange on a server,
//! [`answer`] and [`receive`] handle the messages on each side.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::cert::{ClientCertVerifier, leaf_spki, signed_content, verify_signature};
use super::client::send_client_certificate;
use super::config::ClientConfig;
use super::conn::{Core, Event};
use super::error::Error;
use super::key_schedule::{check_finished, finished_verify_data};
use super::msgs::{self, CertificateMsg, CertificateRequest, CertificateVerify, HandshakeType};
use super::server::REQUESTED_SCHEMES;
use super::transcript::Transcript;

/// Length of the certificate_request_context a server picks: random, so
/// unique within the connection (section 4.3.2) with overwhelming
/// probability.
const CONTEXT_LEN: usize = 16;

/// What a TLS 1.3 connection keeps after its handshake when the client
/// offered `post_handshake_auth`.
pub(crate) enum PostHandshakeAuth {
    /// Client side: what to answer a request with, and the transcript
    /// through our Finished.
    Client { config: Arc<ClientConfig>, base: Transcript },
    /// Server side: the transcript through the client's Finished, and
    /// the one exchange in progress, if any.
    Server { base: Transcript, request: Option<Box<Request>> },
}

/// A server's outstanding request.
pub(crate) struct Request {
    context: Vec<u8>,
    verifier: Arc<dyn ClientCertVerifier>,
    /// `base` + CertificateRequest + what the client sent so far.
    transcript: Transcript,
    expect: Expect,
    /// The chain the client sent, verified; empty when it sent none.
    chain: Vec<Vec<u8>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    Certificate,
    CertificateVerify,
    Finished,
}

/// Server: sends a CertificateRequest whose answer `verifier` judges.
///
/// # Errors
/// [`Error::Config`] when the client did not offer `post_handshake_auth`
/// or a request is still outstanding; the connection is not poisoned.
pub(crate) fn request(core: &mut Core, verifier: Arc<dyn ClientCertVerifier>) -> Result<(), Error> {
    match &core.pha {
        Some(PostHandshakeAuth::Server { request: None, .. }) => {}
        Some(PostHandshakeAuth::Server { request: Some(_), .. }) => {
            return Err(Error::Config { what: "a post-handshake certificate request is outstanding" });
        }
        _ => return Err(Error::Config { what: "the client did not offer post_handshake_auth" }),
    }
    let mut context = alloc::vec![0u8; CONTEXT_LEN];
    core.rng().try_fill_bytes(&mut context)?;
    // No compress_certificate: the answer is read as a plain Certificate.
    let cr = CertificateRequest {
        context: context.clone(),
        signature_algorithms: REQUESTED_SCHEMES.to_vec(),
        compress_certificate: Vec::new(),
    };
    let out = msgs::frame(HandshakeType::CertificateRequest, |o| cr.encode(o));
    if let Some(PostHandshakeAuth::Server { base, request }) = &mut core.pha {
        let mut transcript = base.clone();
        transcript.add(&out);
        *request =
            Some(Box::new(Request { context, verifier, transcript, expect: Expect::Certificate, chain: Vec::new() }));
    }
    core.send_handshake(&out)
}

/// Client: answers a post-handshake CertificateRequest (`message`, the
/// whole handshake message). Without `post_handshake_auth` offered the
/// request is an `unexpected_message`.
pub(crate) fn answer(core: &mut Core, message: &[u8]) -> Result<(), Error> {
    let Some(PostHandshakeAuth::Client { config, base }) = &core.pha else {
        return Err(Error::UnexpectedMessage { what: "CertificateRequest without post_handshake_auth" });
    };
    let (config, mut transcript) = (config.clone(), base.clone());
    let request = CertificateRequest::decode(msgs::body(message))?;
    transcript.add(message);
    if core.sent_close() {
        // Nothing more may be written; the request goes unanswered.
        return Ok(());
    }
    send_client_certificate(core, &mut transcript, &config, &request)?;
    let secrets = core.app_secrets.as_ref().ok_or(Error::UnexpectedMessage { what: "CertificateRequest" })?;
    let verify_data = finished_verify_data(secrets.hash, &secrets.write, &transcript.current_hash())?;
    let verify_data = core.outgoing_finished(verify_data);
    let fin = msgs::frame(HandshakeType::Finished, |o| o.extend_from_slice(&verify_data));
    core.send_handshake(&fin)
}

/// Server: the client's Certificate, CertificateVerify or Finished for
/// the outstanding request; anything else (or any of these with no
/// request outstanding) is an `unexpected_message`. After the Finished
/// verifies, a sent chain becomes the peer's certificates and
/// [`Event::PostHandshakeAuth`] is queued.
pub(crate) fn receive(core: &mut Core, typ: HandshakeType, message: &[u8]) -> Result<(), Error> {
    let pending = match &mut core.pha {
        Some(PostHandshakeAuth::Server { request, .. }) => request.take(),
        _ => None,
    };
    let mut r = pending.ok_or(Error::UnexpectedMessage { what: "handshake message after the handshake" })?;
    let body = msgs::body(message);
    match (r.expect, typ) {
        (Expect::Certificate, HandshakeType::Certificate) => {
            let cert = CertificateMsg::decode(body)?;
            if cert.context != r.context {
                return Err(Error::IllegalParameter { what: "certificate_request_context" });
            }
            // Our CertificateRequest asks for no OCSP response.
            if cert.ocsp_response.is_some() {
                return Err(Error::UnsupportedExtension { what: "status_request in a client Certificate" });
            }
            r.transcript.add(message);
            if cert.chain.is_empty() {
                if r.verifier.client_auth_mandatory() {
                    return Err(Error::CertificateRequired);
                }
                r.expect = Expect::Finished;
            } else {
                let chain: Vec<&[u8]> = cert.chain.iter().map(Vec::as_slice).collect();
                r.verifier.verify(&chain, core.now_unix)?;
                r.chain = cert.chain;
                r.expect = Expect::CertificateVerify;
            }
        }
        (Expect::CertificateVerify, HandshakeType::CertificateVerify) => {
            let cv = CertificateVerify::decode(body)?;
            if !REQUESTED_SCHEMES.contains(&cv.scheme) {
                return Err(Error::IllegalParameter { what: "signature scheme not requested" });
            }
            let leaf = r.chain.first().ok_or(Error::BadCertificate { what: "no leaf" })?;
            let content = signed_content(false, &r.transcript.current_hash());
            verify_signature(leaf_spki(leaf)?, cv.scheme, &content, &cv.signature)?;
            r.transcript.add(message);
            r.expect = Expect::Finished;
        }
        (Expect::Finished, HandshakeType::Finished) => {
            let secrets = core.app_secrets.as_ref().ok_or(Error::UnexpectedMessage { what: "Finished" })?;
            check_finished(secrets.hash, &secrets.read, &r.transcript.current_hash(), body)?;
            let authenticated = !r.chain.is_empty();
            if authenticated {
                core.negotiated.peer_chain = r.chain;
            }
            core.push_event(Event::PostHandshakeAuth { authenticated });
            return Ok(());
        }
        _ => return Err(Error::UnexpectedMessage { what: "post-handshake authentication message out of order" }),
    }
    if let Some(PostHandshakeAuth::Server { request, .. }) = &mut core.pha {
        *request = Some(r);
    }
    Ok(())
}
