//! Against Debian's OpenSSH sshd: our version exchange, our KEXINIT, the
//! server's first binary packet through our framing, and negotiation.

use puressh::config::known_hosts::{KnownHosts, Marker};
use puressh::msg::{KexInit, Message};
use puressh::names;
use puressh::transport::Role;
use puressh::transport::cipher::Random;
use puressh::transport::kex_rules::{KexRules, Verdict};
use puressh::transport::negotiate::{Preferences, negotiate, our_kexinit};
use puressh::transport::packet::{PacketDecoder, PacketEncoder};
use puressh::transport::version::{VersionExchange, VersionLimits};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Deterministic filler for the cookie and padding: the "none" state
/// before NEWKEYS protects nothing, and no key is derived in this test.
struct Counter(u8);

impl Random for Counter {
    fn fill(&mut self, out: &mut [u8]) {
        for b in out {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
    }
}

#[test]
fn version_exchange_kexinit_and_negotiation() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut stream = TcpStream::connect(("127.0.0.1", sshd.port())).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();

    let mut vx = VersionExchange::new(Role::Client, "puressh_0.1", None, VersionLimits::default()).unwrap();
    stream.write_all(vx.output()).unwrap();
    let n = vx.output().len();
    vx.consume_output(n);

    let mut random = Counter(0);
    let ours = our_kexinit(Role::Client, &Preferences::registry_defaults(), true, &mut random);
    let mut encoder = PacketEncoder::default();
    let mut out = Vec::new();
    encoder.encode(&Message::KexInit(ours.clone()).to_bytes(), &mut random, &mut out).unwrap();
    stream.write_all(&out).unwrap();

    let mut decoder = PacketDecoder::default();
    let mut rules = KexRules::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    let server_kexinit: KexInit = loop {
        let got = stream.read(&mut buf).unwrap();
        assert!(got > 0, "sshd closed the connection");
        pending.extend_from_slice(&buf[..got]);
        if vx.peer().is_none() {
            let used = vx.input(&pending).unwrap();
            pending.drain(..used);
            if vx.peer().is_none() {
                continue;
            }
        }
        let used = decoder.input(&pending).unwrap();
        pending.drain(..used);
        if let Some(packet) = decoder.take_packet() {
            let message = Message::decode(&packet.payload).unwrap();
            assert_eq!(rules.on_receive(message.number(), packet.sequence).unwrap(), Verdict::Accept);
            match message {
                Message::KexInit(k) => {
                    assert_eq!(packet.sequence, 0, "KEXINIT is the server's first packet");
                    break k;
                }
                other => panic!("unexpected first packet {other:?}"),
            }
        }
    };
    let peer = vx.peer().unwrap();
    assert!(peer.software.starts_with("OpenSSH_"), "{peer:?}");

    // What OpenSSH 9.2 offers.
    for name in [names::CURVE25519_SHA256, names::KEX_STRICT_S, names::SNTRUP761X25519_SHA512_OPENSSH] {
        assert!(server_kexinit.kex.iter().any(|n| n == name), "{name} missing from {:?}", server_kexinit.kex);
    }
    assert!(server_kexinit.cipher_s2c.iter().any(|n| n == names::CHACHA20_POLY1305));
    for name in [names::SSH_ED25519, names::SSH_ED25519_CERT, names::RSA_SHA2_512_CERT] {
        assert!(server_kexinit.host_key.iter().any(|n| n == name), "{name} missing");
    }

    let negotiated = negotiate(&ours, &server_kexinit).unwrap();
    rules.negotiated(negotiated.strict).unwrap();
    assert!(negotiated.strict, "OpenSSH 9.2 speaks strict KEX");
    // OpenSSH 9.2 has no mlkem768x25519-sha256: sntrup761 is the first
    // of ours it supports, under its @openssh.com name.
    assert!(
        [names::SNTRUP761X25519_SHA512, names::SNTRUP761X25519_SHA512_OPENSSH].contains(&negotiated.kex.as_str()),
        "{negotiated:?}"
    );
    assert_eq!(negotiated.cipher_c2s, names::CHACHA20_POLY1305);
    assert_eq!(negotiated.cipher_s2c, names::CHACHA20_POLY1305);
    assert_eq!(negotiated.mac_c2s, None);
    // The peer's host keys are certified (HOST_CA), and certificate
    // algorithms lead our list as OpenSSH's.
    assert_eq!(negotiated.host_key, names::SSH_ED25519_CERT);
    assert_eq!(negotiated.compression_c2s, names::NONE);
    assert!(!negotiated.ignore_server_guess);

    // Our KEXINIT round-trips through our codec the way the server saw it.
    assert_eq!(Message::decode(&Message::KexInit(ours.clone()).to_bytes()).unwrap(), Message::KexInit(ours));

    // The known_hosts file the peer script wrote parses with our parser.
    let path = sshd.var("KNOWN_HOSTS").unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let known = KnownHosts::parse(&text).unwrap();
    assert_eq!(known.entries().len(), 3);
    let types: Vec<&str> = known.entries().iter().map(|e| e.key_type.as_str()).collect();
    assert_eq!(types, ["ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"]);
    for entry in known.entries() {
        assert_eq!(entry.marker, None::<Marker>);
        assert!(entry.matches_host("127.0.0.1", sshd.port(), None).unwrap());
        assert!(!entry.matches_host("127.0.0.1", 22, None).unwrap());
    }
}

/// The same exchange through the `Transport` state machine: it must reach
/// `Negotiated` with strict KEX on, and the sshd must still be waiting for
/// our KEX method's first message (no error, no disconnect).
#[test]
fn transport_machine_reaches_negotiation() {
    use puressh::transport::machine::{Event, Transport};

    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut stream = TcpStream::connect(("127.0.0.1", sshd.port())).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut transport =
        Transport::new(Role::Client, "puressh_0.1", Preferences::registry_defaults(), Box::new(Counter(7))).unwrap();
    let mut buf = [0u8; 4096];
    let mut seen = Vec::new();
    let negotiated = 'outer: loop {
        let out = transport.output_buf().to_vec();
        stream.write_all(&out).unwrap();
        transport.consume_output(out.len());
        let got = stream.read(&mut buf).unwrap();
        assert!(got > 0, "sshd closed the connection after {seen:?}");
        assert_eq!(transport.input(&buf[..got]).unwrap(), got);
        while let Some(event) = transport.poll_event() {
            if let Event::Negotiated { negotiated, theirs, .. } = &event {
                assert_eq!(theirs.first(), Some(&20), "the server's KEXINIT payload");
                break 'outer negotiated.clone();
            }
            seen.push(event);
        }
    };
    assert!(matches!(&seen[..], [Event::PeerVersion(v)] if v.software.starts_with("OpenSSH_")), "{seen:?}");
    assert!(negotiated.strict && negotiated.client_ext_info);
    assert_eq!(negotiated.cipher_s2c, names::CHACHA20_POLY1305);
}
