//! Entry points for the fuzz targets in `fuzz/` (STYLE rule 5): not part
//! of the public API, no stability promise.
//!
//! Each function must return normally for any input: parsers report
//! errors, never panic; round-trip targets assert that what decodes
//! re-encodes to the same bytes.

use crate::agent::AgentMessage;
use crate::config::known_hosts::KnownHosts;
use crate::config::ssh_config::{NoIncludes, SshConfig};
use crate::connection::Connection;
use crate::msg::{
    Codec, InfoRequest, InfoResponse, KexEcdhInit, KexEcdhReply, KexInit, Message, PasswdChangeReq, UserauthPkOk,
};
use crate::transport::Role;
use crate::transport::cipher::Random;
use crate::transport::machine::Transport;
use crate::transport::negotiate::Preferences;
use crate::transport::packet::PacketDecoder;
use crate::transport::version::{VersionExchange, VersionLimits};
use crate::wire::Reader;

/// Decodes any payload as a message; if it decodes, it must re-encode to
/// exactly the input (every field is kept, unknowns included).
///
/// # Panics
/// When the round trip differs: that is the bug the fuzzer looks for.
#[allow(clippy::panic)] // the fuzzer's oracle
pub fn fuzz_message(data: &[u8]) {
    if let Ok(message) = Message::decode(data) {
        let again = message.to_bytes();
        if again != data {
            panic!("message round trip differs: {message:?}");
        }
    }
}

/// Parses a KEXINIT body and checks the round trip.
///
/// # Panics
/// When the round trip differs.
#[allow(clippy::panic)] // the fuzzer's oracle
pub fn fuzz_kexinit(data: &[u8]) {
    let mut r = Reader::new(data);
    if let Ok(kexinit) = KexInit::read(&mut r) {
        if r.finish().is_ok() {
            let mut out = Vec::new();
            kexinit.encode(&mut out);
            if out != data {
                panic!("KEXINIT round trip differs");
            }
        }
    }
}

/// Reads one body with `T`'s parser; if it parses completely, it must
/// re-encode to the same bytes.
fn round_trip<T: Codec>(data: &[u8]) -> bool {
    let mut r = Reader::new(data);
    match T::read(&mut r) {
        Ok(value) if r.finish().is_ok() => {
            let mut out = Vec::new();
            value.encode(&mut out);
            out == data
        }
        _ => true,
    }
}

/// The bodies that share method-specific numbers (KEX 30-49, auth
/// 60-79), which [`Message::decode`] leaves raw: the first byte picks the
/// parser, the rest is the body.
///
/// # Panics
/// When a round trip differs.
#[allow(clippy::panic)] // the fuzzer's oracle
pub fn fuzz_method_bodies(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else { return };
    let same = match which % 6 {
        0 => round_trip::<KexEcdhInit>(body),
        1 => round_trip::<KexEcdhReply>(body),
        2 => round_trip::<UserauthPkOk>(body),
        3 => round_trip::<InfoRequest>(body),
        4 => round_trip::<InfoResponse>(body),
        _ => round_trip::<PasswdChangeReq>(body),
    };
    if !same {
        panic!("method body round trip differs (parser {})", which % 6);
    }
}

/// Fills with a counter: deterministic, for fuzzing only.
struct Counter(u8);

impl Random for Counter {
    fn fill(&mut self, out: &mut [u8]) {
        for b in out {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
    }
}

/// Feeds the input to a client [`Transport`] as if a server sent it.
pub fn fuzz_transport(data: &[u8]) {
    let Ok(mut transport) =
        Transport::new(Role::Client, "fuzz", Preferences::registry_defaults(), Box::new(Counter(0)))
    else {
        return;
    };
    for chunk in data.chunks(97) {
        if transport.input(chunk).is_err() {
            return;
        }
        while transport.poll_event().is_some() {}
    }
}

/// Feeds bytes to a packet decoder in chunks whose sizes come from the
/// input, taking packets as they complete.
pub fn fuzz_packet(data: &[u8]) {
    let mut decoder = PacketDecoder::new(64 * 1024);
    let (&step, mut rest) = data.split_first().unwrap_or((&1, &[]));
    let step = usize::from(step).max(1);
    while !rest.is_empty() {
        let (now, _) = rest.split_at(step.min(rest.len()));
        match decoder.input(now) {
            Ok(used) => rest = rest.get(used..).unwrap_or_default(),
            Err(_) => return,
        }
        let _ = decoder.take_packet();
    }
}

/// The decompressing side of `zlib` payload compression. The first
/// byte picks a mode and a chunk size; the rest is cut into "packets"
/// of that size:
/// - even mode: the packets go to one
///   [`Decompressor`](crate::transport::compress::Decompressor) (64 KiB limit),
///   which must answer each with a payload within the limit or a typed
///   error;
/// - odd mode: the packets are compressed through one stream and must
///   decompress to themselves.
///
/// Without the `zlib` feature there is no codec and nothing to do.
///
/// # Panics
/// When a payload passes the limit or a round trip differs.
#[allow(clippy::panic)] // the fuzzer's oracle
pub fn fuzz_compression(data: &[u8]) {
    #[cfg(feature = "zlib")]
    {
        use crate::transport::compress::{Compressor, Decompressor};
        const LIMIT: usize = 64 * 1024;
        let (&mode, rest) = data.split_first().unwrap_or((&0, &[]));
        let chunk = usize::from(mode >> 1).max(1) * 3;
        let (Some(mut c), Some(mut d)) = (Compressor::new(), Decompressor::new()) else { return };
        for packet in rest.chunks(chunk) {
            if mode & 1 == 0 {
                match d.decompress(packet, LIMIT) {
                    Ok(payload) if payload.len() > LIMIT => panic!("payload past the limit"),
                    Ok(_) => {}
                    Err(_) => return,
                }
            } else {
                let mut packed = Vec::new();
                let back = c.compress(packet, &mut packed).map(|()| d.decompress(&packed, LIMIT));
                if !matches!(back, Ok(Ok(ref p)) if p == packet) {
                    panic!("compression round trip differs");
                }
            }
        }
    }
    #[cfg(not(feature = "zlib"))]
    let _ = data;
}

/// Runs the client version exchange over the input.
pub fn fuzz_version(data: &[u8]) {
    if let Ok(mut vx) = VersionExchange::new(Role::Client, "fuzz", None, VersionLimits::default()) {
        let _ = vx.input(data);
    }
}

/// Feeds length-prefixed payloads (u16 big-endian lengths) to a
/// connection with one session channel opened first.
pub fn fuzz_connection(data: &[u8]) {
    let mut conn = Connection::default();
    // Agent channels too, when the first byte is odd: the server opens those.
    conn.accept_agent_channels(data.first().is_some_and(|b| b & 1 == 1));
    let _ = conn.open_session();
    let mut rest = data;
    while let [hi, lo, tail @ ..] = rest {
        let len = usize::from(u16::from_be_bytes([*hi, *lo])).min(tail.len());
        let (payload, next) = tail.split_at(len);
        if conn.handle(payload).is_err() {
            return;
        }
        while conn.poll_output().is_some() {}
        while conn.poll_event().is_some() {}
        while conn.poll_agent_event().is_some() {}
        rest = next;
    }
}

/// Splits the input into agent frames as the forwarding relay does and
/// decodes each; what decodes must re-encode to exactly its bytes.
///
/// # Panics
/// When a round trip differs.
#[allow(clippy::panic)] // the fuzzer's oracle
pub fn fuzz_agent(data: &[u8]) {
    let mut rest = data;
    while let Ok(Some(len)) = crate::agent::frame_len(rest) {
        let Some(frame) = rest.get(4..len) else { return };
        if let Ok(message) = AgentMessage::decode(frame) {
            if message.encode() != frame {
                panic!("agent message round trip differs: {message:?}");
            }
            let framed = message.to_frame();
            if framed.get(..len) != rest.get(..len) {
                panic!("agent frame round trip differs: {message:?}");
            }
        }
        rest = rest.get(len..).unwrap_or_default();
    }
}

/// Parses an `ssh_config` and resolves one host.
pub fn fuzz_ssh_config(data: &[u8]) {
    if let Ok(text) = core::str::from_utf8(data) {
        if let Ok(config) = SshConfig::parse("fuzz", text, &mut NoIncludes) {
            let _ = config.resolve("host.example", "user");
        }
    }
}

/// Parses a `known_hosts` file and looks one host up.
pub fn fuzz_known_hosts(data: &[u8]) {
    if let Ok(text) = core::str::from_utf8(data) {
        if let Ok(kh) = KnownHosts::parse(text) {
            let _ = kh.check("host.example", 2222, "ssh-ed25519", b"key", None);
        }
    }
}

/// Feeds length-prefixed server replies (u16 lengths) to a client
/// authentication: a key probe first, then after each error the next
/// request in turn (keyboard-interactive, password, probe), so message 60
/// is read as PK_OK, INFO_REQUEST and PASSWD_CHANGEREQ; INFO_REQUESTs
/// are answered so the round and prompt bounds are reached.
pub fn fuzz_auth(data: &[u8]) {
    use crate::auth::{AuthEvent, ClientAuth};
    let mut auth = ClientAuth::new("user", "ssh-connection");
    let _ = auth.probe_public_key("ssh-ed25519", b"key");
    let mut turn = 0u8;
    let mut rest = data;
    while let [hi, lo, tail @ ..] = rest {
        let len = usize::from(u16::from_be_bytes([*hi, *lo])).min(tail.len());
        let (payload, next) = tail.split_at(len);
        match auth.handle(payload) {
            Ok(AuthEvent::InfoRequest(request)) => {
                let _ = auth.info_response_owned(vec![crate::msg::Password::default(); request.prompts.len()]);
            }
            Ok(_) => {}
            Err(_) => {
                turn = turn.wrapping_add(1);
                let _ = match turn % 3 {
                    0 => auth.probe_public_key("ssh-ed25519", b"key"),
                    1 => auth.keyboard_interactive(),
                    _ => auth.password("pw"),
                };
            }
        }
        rest = next;
    }
}

/// The client's handling of a KEX reply: parse it (classic DH and
/// string forms), parse its host key, run every method's `finish` on the
/// public value and verify the signature blob against a fixed hash.
/// Errors are fine; panics are the bug.
pub fn fuzz_kex_reply(data: &[u8]) {
    let (&selector, body) = match data.split_first() {
        Some(split) => split,
        None => return,
    };
    let mpint = selector & 1 == 1;
    if let Ok(reply) = crate::transport::kex::KexReply::parse(body, mpint) {
        let names = crate::transport::kex::SUPPORTED;
        // The 8192-bit group is slow: fuzz the cheaper ones.
        let name = names.get(usize::from(selector >> 1) % 6).copied().unwrap_or(crate::names::CURVE25519_SHA256);
        if let Ok(method) = crate::transport::kex::method_for(name) {
            let _ = method.finish(&reply.server_public);
        }
        if let Ok(key) = crate::keys::PublicKey::from_blob(&reply.host_key) {
            for alg in crate::names::HOST_KEY {
                let _ = key.verify(alg, &[0u8; 32], &reply.signature);
            }
        }
    }
}

/// Public key blobs (round trip) and OpenSSH private key files (without
/// a passphrase: bcrypt rounds would make each run slow).
///
/// # Panics
/// When a parsed public key blob does not re-encode to its input.
#[allow(clippy::panic)] // the fuzzer's oracle
pub fn fuzz_keys(data: &[u8]) {
    if let Ok(key) = crate::keys::PublicKey::from_blob(data) {
        if key.to_blob() != data {
            panic!("public key blob round trip differs: {key:?}");
        }
    }
    let _ = crate::keys::private::PrivateKey::from_binary(data, None);
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = crate::keys::private::PrivateKey::from_openssh(text, None);
    }
}

/// Parses an OpenSSH certificate blob (a server's host key, a user's
/// `-cert.pub`): when it parses, its checks run and its line form reads
/// back to the same certificate.
///
/// # Panics
/// When the line round trip differs.
#[allow(clippy::panic)] // the fuzzer's oracle
pub fn fuzz_certificate(data: &[u8]) {
    use crate::keys::cert::{CertType, Certificate};
    let Ok(cert) = Certificate::from_blob(data) else { return };
    let _ = cert.verify_signature();
    let _ = cert.check(CertType::Host, "host.example", 1_700_000_000);
    let _ = cert.check(CertType::User, "alice", u64::MAX);
    let again = Certificate::from_openssh_line(&cert.to_openssh_line("c"));
    if again.as_ref().map(|(c, _)| c) != Ok(&cert) {
        panic!("certificate line round trip differs: {cert:?}");
    }
}

/// Parses text key forms: RFC 4716 and OpenSSH public key lines (each
/// must survive a write-then-read round trip), PEM public keys, and
/// private key files in every format `PrivateKey::from_text` reads.
///
/// # Panics
/// When a round trip changes the key or the comment.
#[allow(clippy::panic)] // the fuzzer's oracle
pub fn fuzz_key_text(data: &[u8]) {
    use crate::keys::rfc4716;
    let Ok(text) = core::str::from_utf8(data) else { return };
    if let Ok(parsed) = rfc4716::from_rfc4716(text) {
        let comment = parsed.comment.clone().unwrap_or_default();
        let again = rfc4716::from_rfc4716(&rfc4716::to_rfc4716(&parsed.key, &comment));
        if again.as_ref().map(|a| &a.key) != Ok(&parsed.key) {
            panic!("RFC 4716 round trip differs: {parsed:?}");
        }
    }
    if let Ok((key, comment)) = crate::keys::PublicKey::from_openssh_line(text) {
        let again = crate::keys::PublicKey::from_openssh_line(&key.to_openssh_line(&comment));
        if again != Ok((key.clone(), comment.clone())) {
            panic!("public key line round trip differs: {key:?} {comment:?}");
        }
    }
    let _ = rfc4716::from_pem(text);
    // No passphrase: a hostile KDF cost would only measure the KDF.
    let _ = crate::keys::private::PrivateKey::from_text(text, None);
}

/// Parses any bytes as a group-exchange group (message 31) with its
/// checks; a group that passes gets a client value and `finish` on the
/// rest of the input as `f`. Errors are fine; panics are the bug.
pub fn fuzz_kex_gex_group(data: &[u8]) {
    use crate::transport::kex::{KexMethod, gex};
    let mut r = Reader::new(data);
    let Ok(body) = r.string() else { return };
    let rest = r.rest();
    if let Ok(group) = gex::Group::parse(body, &mut purecrypto::rng::OsRng) {
        if let Some(method) = gex::GroupExchange::with_exponent(group, &[0x55; 28]) {
            let _ = method.exchange_hash_fields();
            let _ = Box::new(method).finish(rest);
        }
    }
}
