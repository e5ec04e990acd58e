//! Property tests: typed messages round-trip through encode/decode, and
//! every parser returns (Ok or a typed error) on arbitrary input.

use proptest::collection::vec;
use proptest::prelude::*;
use puressh::msg::{
    AuthMethod, ChannelData, ChannelOpen, ChannelOpenKind, ChannelRequest, ChannelRequestKind, ChannelWindowAdjust,
    Disconnect, DisconnectReason, ExtInfo, Extension, GlobalRequest, GlobalRequestKind, KexInit, Message, MsgNumber,
    UserauthFailure, UserauthRequest,
};

fn name() -> impl Strategy<Value = String> {
    "[a-z0-9@.+-]{1,64}"
}

fn names() -> impl Strategy<Value = Vec<String>> {
    vec(name(), 0..6)
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,20}"
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..40)
}

/// An `Other` name that is not one of the typed ones (so it stays `Other`).
fn other_name(typed: &'static [&'static str]) -> impl Strategy<Value = String> {
    name().prop_filter("typed name", move |n| !typed.contains(&n.as_str()))
}

fn kexinit() -> impl Strategy<Value = KexInit> {
    (any::<[u8; 16]>(), vec(names(), 10), any::<bool>(), any::<u32>()).prop_map(
        |(cookie, mut lists, follows, reserved)| {
            let mut next = || lists.pop().unwrap_or_default();
            KexInit {
                cookie,
                kex: next(),
                host_key: next(),
                cipher_c2s: next(),
                cipher_s2c: next(),
                mac_c2s: next(),
                mac_s2c: next(),
                compression_c2s: next(),
                compression_s2c: next(),
                language_c2s: next(),
                language_s2c: next(),
                first_kex_packet_follows: follows,
                reserved,
            }
        },
    )
}

fn request_kind() -> impl Strategy<Value = ChannelRequestKind> {
    const TYPED: &[&str] =
        &["pty-req", "env", "shell", "exec", "subsystem", "window-change", "signal", "exit-status", "exit-signal"];
    prop_oneof![
        (text(), any::<[u32; 4]>(), bytes()).prop_map(|(term, [cols, rows, width_px, height_px], modes)| {
            ChannelRequestKind::PtyReq { term, cols, rows, width_px, height_px, modes }
        }),
        (text(), text()).prop_map(|(name, value)| ChannelRequestKind::Env { name, value }),
        Just(ChannelRequestKind::Shell),
        bytes().prop_map(|command| ChannelRequestKind::Exec { command }),
        text().prop_map(|name| ChannelRequestKind::Subsystem { name }),
        any::<[u32; 4]>().prop_map(|[cols, rows, width_px, height_px]| ChannelRequestKind::WindowChange {
            cols,
            rows,
            width_px,
            height_px
        }),
        text().prop_map(|name| ChannelRequestKind::Signal { name }),
        any::<u32>().prop_map(|status| ChannelRequestKind::ExitStatus { status }),
        (text(), any::<bool>(), text(), text()).prop_map(|(signal, core_dumped, message, language)| {
            ChannelRequestKind::ExitSignal { signal, core_dumped, message, language }
        }),
        (other_name(TYPED), bytes()).prop_map(|(name, data)| ChannelRequestKind::Other { name, data }),
    ]
}

fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        kexinit().prop_map(Message::KexInit),
        (any::<u32>(), text(), text()).prop_map(|(r, description, language)| Message::Disconnect(Disconnect {
            reason: DisconnectReason(r),
            description,
            language
        })),
        vec((text(), bytes()), 0..4).prop_map(|exts| Message::ExtInfo(ExtInfo {
            extensions: exts.into_iter().map(|(name, value)| Extension { name, value }).collect()
        })),
        (text(), text(), name(), bytes(), proptest::option::of(bytes())).prop_map(
            |(user, service, algorithm, key, signature)| {
                Message::UserauthRequest(UserauthRequest {
                    user,
                    service,
                    method: AuthMethod::PublicKey { algorithm, key, signature },
                })
            }
        ),
        (names(), any::<bool>()).prop_map(|(methods, partial_success)| Message::UserauthFailure(UserauthFailure {
            methods,
            partial_success
        })),
        (any::<bool>(), text(), any::<u32>()).prop_map(|(want_reply, address, port)| Message::GlobalRequest(
            GlobalRequest { want_reply, kind: GlobalRequestKind::TcpipForward { address, port } }
        )),
        (any::<[u32; 3]>(), text(), any::<u32>()).prop_map(|([a, b, c], host, port)| Message::ChannelOpen(
            ChannelOpen {
                sender_channel: a,
                initial_window: b,
                max_packet: c,
                kind: ChannelOpenKind::DirectTcpip {
                    host,
                    port,
                    originator_address: String::new(),
                    originator_port: 0
                }
            }
        )),
        (any::<u32>(), any::<bool>(), request_kind()).prop_map(|(recipient_channel, want_reply, kind)| {
            Message::ChannelRequest(ChannelRequest { recipient_channel, want_reply, kind })
        }),
        (any::<u32>(), bytes())
            .prop_map(|(recipient_channel, data)| Message::ChannelData(ChannelData { recipient_channel, data })),
        (any::<u32>(), any::<u32>()).prop_map(|(recipient_channel, bytes_to_add)| Message::ChannelWindowAdjust(
            ChannelWindowAdjust { recipient_channel, bytes_to_add }
        )),
        ((30u8..50), bytes()).prop_map(|(n, body)| Message::Other { number: MsgNumber(n), body }),
        ((101u8..=255), bytes()).prop_map(|(n, body)| Message::Other { number: MsgNumber(n), body }),
    ]
}

proptest! {
    #[test]
    fn messages_round_trip(m in message()) {
        let bytes = m.to_bytes();
        prop_assert_eq!(&Message::decode(&bytes).unwrap(), &m);
        // One byte more is refused, unless the message ends in a raw
        // field that runs to the end of the payload.
        let raw_tail = matches!(
            &m,
            Message::Other { .. } | Message::ChannelRequest(ChannelRequest { kind: ChannelRequestKind::Other { .. }, .. })
        );
        let mut longer = bytes.clone();
        longer.push(0);
        prop_assert_eq!(Message::decode(&longer).is_err(), !raw_tail);
    }

    #[test]
    fn decoded_messages_re_encode_exactly(data in vec(any::<u8>(), 0..200)) {
        puressh::internal::fuzz_message(&data);
    }

    #[test]
    fn message_bodies_under_every_number_never_panic(n in any::<u8>(), body in vec(any::<u8>(), 0..64)) {
        let mut payload = vec![n];
        payload.extend_from_slice(&body);
        puressh::internal::fuzz_message(&payload);
    }

    #[test]
    fn kexinit_parser_never_panics(data in vec(any::<u8>(), 0..300)) {
        puressh::internal::fuzz_kexinit(&data);
    }

    #[test]
    fn packet_decoder_never_panics(data in vec(any::<u8>(), 0..300)) {
        puressh::internal::fuzz_packet(&data);
    }

    #[test]
    fn version_exchange_never_panics(data in vec(any::<u8>(), 0..600)) {
        puressh::internal::fuzz_version(&data);
    }

    #[test]
    fn connection_never_panics(data in vec(any::<u8>(), 0..300)) {
        puressh::internal::fuzz_connection(&data);
    }

    #[test]
    fn certificate_parser_never_panics(
        which in 0usize..6,
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
    ) {
        // Real certificates (ssh-keygen's), bytes overwritten and the tail
        // cut: every path through the parser and the checks.
        let names = ["host_any", "host_ed25519", "host_sha1", "user_ecdsa", "user_ed25519", "user_rsa"];
        let path = format!("{}/tests/data/certs/{}-cert.pub", env!("CARGO_MANIFEST_DIR"), names[which]);
        let text = std::fs::read_to_string(path).unwrap();
        let (cert, _) = puressh::keys::cert::Certificate::from_openssh_line(&text).unwrap();
        let mut blob = cert.blob().to_vec();
        for (at, byte) in edits {
            let i = at.index(blob.len());
            blob[i] = byte;
        }
        blob.truncate(cut.index(blob.len() + 1));
        puressh::internal::fuzz_certificate(&blob);
    }

    #[test]
    fn config_parsers_never_panic(text in "(\\PC|\n|=|\"|#|!|\\*){0,200}") {
        puressh::internal::fuzz_ssh_config(text.as_bytes());
        puressh::internal::fuzz_known_hosts(text.as_bytes());
    }

    #[test]
    fn config_lines_with_keywords_never_panic(
        lines in vec((prop_oneof![Just("Host"), Just("Match"), Just("Port"), Just("Ciphers"), Just("@revoked"), Just("[h]:")], "[ -~]{0,30}"), 0..8)
    ) {
        let text: String = lines.iter().map(|(k, v)| format!("{k} {v}\n")).collect();
        puressh::internal::fuzz_ssh_config(text.as_bytes());
        puressh::internal::fuzz_known_hosts(text.as_bytes());
    }
}

proptest! {
    #[test]
    fn passwd_changereq_and_info_request_round_trip(
        prompt in "\\PC{0,40}",
        language in "[a-z-]{0,8}",
        prompts in vec(("\\PC{0,20}", any::<bool>()), 0..4),
    ) {
        use puressh::msg::{Codec, InfoRequest, PasswdChangeReq, Prompt};
        use puressh::wire::Reader;
        let change = PasswdChangeReq { prompt: prompt.clone(), language: language.clone() };
        let mut body = Vec::new();
        change.encode(&mut body);
        prop_assert_eq!(PasswdChangeReq::read(&mut Reader::new(&body)).unwrap(), change);
        let prompts = prompts.into_iter().map(|(prompt, echo)| Prompt { prompt, echo }).collect();
        let request = InfoRequest { name: prompt, instruction: String::new(), language, prompts };
        let mut body = Vec::new();
        request.encode(&mut body);
        prop_assert_eq!(InfoRequest::read(&mut Reader::new(&body)).unwrap(), request);
    }

    #[test]
    fn method_bodies_transport_and_auth_never_panic(data in vec(any::<u8>(), 0..300)) {
        puressh::internal::fuzz_method_bodies(&data);
        puressh::internal::fuzz_transport(&data);
        puressh::internal::fuzz_auth(&data);
    }

    #[test]
    fn transport_survives_a_valid_prefix_then_noise(noise in vec(any::<u8>(), 0..300)) {
        let mut data = b"SSH-2.0-OpenSSH_9.2p1\r\n".to_vec();
        data.extend_from_slice(&noise);
        puressh::internal::fuzz_transport(&data);
    }
}

proptest! {
    /// KEX replies, host key blobs and key files: any input is a value or
    /// a typed error, never a panic; blobs that parse re-encode exactly.
    #[test]
    fn kex_reply_and_key_parsers_never_panic(data in vec(any::<u8>(), 0..200), selector in any::<u8>()) {
        let mut input = vec![selector];
        input.extend_from_slice(&data);
        puressh::internal::fuzz_kex_reply(&input);
        puressh::internal::fuzz_keys(&data);
    }

    /// A reply built from arbitrary parts parses back to those parts.
    #[test]
    fn kex_reply_round_trips(host_key in bytes(), public in bytes(), signature in bytes()) {
        let mut w = puressh::wire::Writer::new();
        w.string(&host_key).string(&public).string(&signature);
        let reply = puressh::transport::kex::KexReply::parse(&w.into_bytes(), false).unwrap();
        prop_assert_eq!((reply.host_key, reply.server_public, reply.signature), (host_key, public, signature));
    }

    /// Ed25519 host key blobs round-trip for any 32 bytes.
    #[test]
    fn ed25519_blob_round_trips(raw in proptest::array::uniform32(any::<u8>())) {
        let key = puressh::keys::PublicKey::Ed25519(raw);
        prop_assert_eq!(puressh::keys::PublicKey::from_blob(&key.to_blob()).unwrap(), key);
    }
}

proptest! {
    /// Text key forms (RFC 4716, public key lines, PEM): any text is a key
    /// or a typed error, and what parses survives a write-then-read.
    #[test]
    fn key_text_parsers_never_panic(text in "(\\PC|\n|:|\\\\|\"|-){0,300}") {
        puressh::internal::fuzz_key_text(text.as_bytes());
        let framed = format!("---- BEGIN SSH2 PUBLIC KEY ----\n{text}\n---- END SSH2 PUBLIC KEY ----\n");
        puressh::internal::fuzz_key_text(framed.as_bytes());
    }

    /// RFC 4716 files and public key lines round-trip key and comment.
    #[test]
    fn rfc4716_and_lines_round_trip(raw in proptest::array::uniform32(any::<u8>()), comment in "[ -~]{0,100}") {
        use puressh::keys::rfc4716;
        let key = puressh::keys::PublicKey::Ed25519(raw);
        let comment = comment.trim().to_owned();
        let parsed = rfc4716::from_rfc4716(&rfc4716::to_rfc4716(&key, &comment)).unwrap();
        prop_assert_eq!(&parsed.key, &key);
        prop_assert_eq!(parsed.comment.unwrap_or_default(), comment.clone());
        let line = key.to_openssh_line(&comment);
        prop_assert_eq!(puressh::keys::PublicKey::from_openssh_line(&line).unwrap(), (key, comment));
    }
}

proptest! {
    /// Group-exchange groups: any bytes are a checked group or a typed error.
    #[test]
    fn gex_group_parser_never_panics(data in vec(any::<u8>(), 0..300)) {
        puressh::internal::fuzz_kex_gex_group(&data);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// A good group (RFC 3526 group 14, g = 2) with any `f`: a shared
    /// secret or `BadPublicValue`, never a panic.
    #[test]
    fn gex_with_a_good_group_takes_any_f(f in vec(any::<u8>(), 0..260)) {
        let mut w = puressh::wire::Writer::new();
        w.mpint_unsigned(purecrypto::ffdh::Group::MODP_2048.prime()).mpint_unsigned(&[2]);
        let mut data = puressh::wire::Writer::new();
        data.string(&w.into_bytes());
        let mut input = data.into_bytes();
        input.extend_from_slice(&f);
        puressh::internal::fuzz_kex_gex_group(&input);
    }
}

proptest! {
    /// Agent messages: identity answers and sign requests built from any
    /// parts round-trip through a frame; any bytes are messages or typed
    /// errors, never a panic.
    #[test]
    fn agent_messages_round_trip(
        keys in vec((bytes(), bytes()), 0..4),
        data in bytes(),
        flags in any::<u32>(),
        junk in vec(any::<u8>(), 0..200),
    ) {
        use puressh::agent::{AgentMessage, IdentityEntry, frame_len};
        let entries = keys.into_iter().map(|(key, comment)| IdentityEntry { key, comment }).collect();
        for message in [
            AgentMessage::IdentitiesAnswer(entries),
            AgentMessage::SignRequest { key: data.clone(), data: data.clone(), flags },
            AgentMessage::SignResponse(data.clone()),
        ] {
            let frame = message.to_frame();
            prop_assert_eq!(frame_len(&frame).unwrap(), Some(frame.len()));
            prop_assert_eq!(AgentMessage::decode(&frame[4..]).unwrap(), message);
        }
        puressh::internal::fuzz_agent(&junk);
        let _ = AgentMessage::decode(&junk);
    }
}

/// A payload that is sometimes compressible (runs of a few symbols),
/// sometimes not (any bytes).
#[cfg(feature = "zlib")]
fn compression_payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![vec(any::<u8>(), 0..3000), vec(prop_oneof![Just(b'a'), Just(b'b'), Just(0u8)], 0..20_000)]
}

#[cfg(feature = "zlib")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any sequence of payloads compresses, packet by packet through one
    /// stream, and decompresses to the same payloads; through the packet
    /// codec too, fed in chunks of any size.
    #[test]
    fn compression_round_trips(payloads in vec(compression_payload(), 1..8), chunk in 1usize..300) {
        use puressh::transport::compress::{Compressor, Decompressor};
        use puressh::transport::packet::{DEFAULT_MAX_PACKET_LEN, PacketDecoder, PacketEncoder};
        struct Zero;
        impl puressh::transport::cipher::Random for Zero {
            fn fill(&mut self, out: &mut [u8]) {
                out.fill(0);
            }
        }
        let (mut c, mut d) = (Compressor::new().unwrap(), Decompressor::new().unwrap());
        for p in &payloads {
            let mut packed = Vec::new();
            c.compress(p, &mut packed).unwrap();
            prop_assert_eq!(&d.decompress(&packed, p.len()).unwrap(), p);
        }
        let mut enc = PacketEncoder::new(DEFAULT_MAX_PACKET_LEN);
        enc.set_compression(Compressor::new());
        let mut dec = PacketDecoder::new(DEFAULT_MAX_PACKET_LEN);
        dec.set_decompression(Decompressor::new());
        let mut wire = Vec::new();
        for p in &payloads {
            enc.encode(p, &mut Zero, &mut wire).unwrap();
        }
        let mut got = Vec::new();
        for piece in wire.chunks(chunk) {
            let mut rest = piece;
            while !rest.is_empty() {
                let used = dec.input(rest).unwrap();
                rest = &rest[used..];
                if let Some(packet) = dec.take_packet() {
                    got.push(packet.payload);
                }
            }
        }
        prop_assert_eq!(got, payloads);
    }

    /// Any bytes given to the decompressing side: payloads or a typed
    /// error, never a panic, never past the limit.
    #[test]
    fn decompression_takes_any_bytes(data in vec(any::<u8>(), 0..400)) {
        puressh::internal::fuzz_compression(&data);
    }
}
