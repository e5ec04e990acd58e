//! Unit tests of the packet framing.

use super::*;

/// Deterministic bytes for padding in tests (never a real random source).
struct Counter(u8);

impl Random for Counter {
    fn fill(&mut self, out: &mut [u8]) {
        for b in out {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
    }
}

fn encode(payloads: &[&[u8]]) -> Vec<u8> {
    let mut enc = PacketEncoder::default();
    let mut out = Vec::new();
    for p in payloads {
        enc.encode(p, &mut Counter(0), &mut out).unwrap();
    }
    out
}

fn decode_all(dec: &mut PacketDecoder, mut bytes: &[u8], chunk: usize) -> Result<Vec<Packet>, Error> {
    let mut packets = Vec::new();
    while !bytes.is_empty() {
        let (now, _) = bytes.split_at(chunk.min(bytes.len()));
        let used = dec.input(now)?;
        bytes = &bytes[used..];
        if let Some(p) = dec.take_packet() {
            packets.push(p);
        }
    }
    Ok(packets)
}

#[test]
fn round_trip_split_at_every_size() {
    let payloads: [&[u8]; 4] = [b"\x14hello", b"", &[0xaa; 300], b"\x02abc"];
    let wire = encode(&payloads);
    for chunk in 1..=17 {
        let mut dec = PacketDecoder::default();
        let got = decode_all(&mut dec, &wire, chunk).unwrap();
        let want: Vec<Packet> =
            payloads.iter().enumerate().map(|(i, p)| Packet { sequence: i as u32, payload: p.to_vec() }).collect();
        assert_eq!(got, want, "chunk {chunk}");
        assert_eq!(dec.sequence().get(), 4);
    }
}

#[test]
fn padding_is_at_least_four_and_aligned() {
    for len in 0..40 {
        let wire = encode(&[&vec![1u8; len]]);
        assert_eq!(wire.len() % 8, 0);
        let padding = wire[4];
        assert!((4..4 + 8).contains(&padding), "len {len} padding {padding}");
        assert_eq!(u32::from_be_bytes(wire[..4].try_into().unwrap()) as usize, wire.len() - 4);
    }
}

fn raw_packet(length: u32, padding: u8, body: usize) -> Vec<u8> {
    let mut v = length.to_be_bytes().to_vec();
    v.push(padding);
    v.resize(4 + body, 0);
    v
}

#[test]
fn hostile_lengths_and_padding_are_refused() {
    let mut dec = PacketDecoder::default();
    assert_eq!(
        dec.input(&u32::MAX.to_be_bytes()),
        Err(Error::Packet(PacketError::TooLong { length: u32::MAX, limit: DEFAULT_MAX_PACKET_LEN }))
    );
    assert!(matches!(dec.input(&[0]), Err(Error::Packet(PacketError::TooLong { .. }))), "poisoned");
    assert!(dec.take_packet().is_none());

    let mut dec = PacketDecoder::default();
    assert!(matches!(dec.input(&[0, 0, 0, 1]), Err(Error::Packet(PacketError::TooShort { .. }))));

    let mut dec = PacketDecoder::default();
    assert!(matches!(dec.input(&[0, 0, 0, 13]), Err(Error::Packet(PacketError::Misaligned { .. }))));

    // padding_length > packet_length
    let mut dec = PacketDecoder::default();
    let bytes = raw_packet(12, 200, 12);
    assert_eq!(
        decode_all(&mut dec, &bytes, 64),
        Err(Error::Packet(PacketError::PaddingOverrun { padding: 200, length: 12 }))
    );
    // padding_length == packet_length leaves -1 bytes of payload.
    let mut dec = PacketDecoder::default();
    assert!(decode_all(&mut dec, &raw_packet(12, 12, 12), 64).is_err());
    // padding below 4
    let mut dec = PacketDecoder::default();
    assert_eq!(
        decode_all(&mut dec, &raw_packet(12, 3, 12), 64),
        Err(Error::Packet(PacketError::PaddingTooShort { padding: 3 }))
    );
}

#[test]
fn length_check_happens_before_the_body_arrives() {
    // Only the 4 length bytes are needed to refuse a 1 GiB packet.
    let mut dec = PacketDecoder::new(35_000);
    assert!(matches!(dec.input(&(1u32 << 30).to_be_bytes()), Err(Error::Packet(PacketError::TooLong { .. }))));
}

#[test]
fn sequence_numbers_never_wrap_silently() {
    let mut seq = SequenceNumber::from_value(u32::MAX - 1);
    seq.advance().unwrap();
    assert_eq!(seq.get(), u32::MAX);
    assert_eq!(seq.advance(), Err(PacketError::SequenceWrapped));
    let mut enc = PacketEncoder { sequence: SequenceNumber::from_value(u32::MAX), ..PacketEncoder::default() };
    assert_eq!(enc.encode(b"x", &mut Counter(0), &mut Vec::new()), Err(Error::Packet(PacketError::SequenceWrapped)));
}

#[test]
fn oversized_payloads_are_refused_on_send() {
    let mut enc = PacketEncoder::new(1024);
    let mut out = Vec::new();
    assert!(matches!(
        enc.encode(&[0; 2000], &mut Counter(0), &mut out),
        Err(Error::Packet(PacketError::PayloadTooLong { length: 2000 }))
    ));
    assert!(out.is_empty());
}

#[cfg(feature = "zlib")]
mod compressed {
    use super::*;
    use crate::error::CompressionError;
    use crate::transport::compress::{Compressor, Decompressor};

    fn zlib_encoder(max_len: u32) -> PacketEncoder {
        let mut enc = PacketEncoder::new(max_len);
        enc.set_compression(Compressor::new());
        enc
    }

    fn zlib_decoder() -> PacketDecoder {
        let mut dec = PacketDecoder::default();
        dec.set_decompression(Decompressor::new());
        dec
    }

    #[test]
    fn round_trip_split_at_every_size() {
        let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let payloads: [&[u8]; 5] = [b"\x14hello", b"", &[0xaa; 300], &big, b"\x02abc"];
        let mut enc = zlib_encoder(DEFAULT_MAX_PACKET_LEN);
        let mut wire = Vec::new();
        for p in payloads {
            enc.encode(p, &mut Counter(0), &mut wire).unwrap();
        }
        assert!(wire.len() < big.len() / 2, "compressed: {} bytes", wire.len());
        for chunk in 1..=17 {
            let mut dec = zlib_decoder();
            let got = decode_all(&mut dec, &wire, chunk).unwrap();
            let got: Vec<&[u8]> = got.iter().map(|p| p.payload.as_slice()).collect();
            assert_eq!(got, payloads, "chunk {chunk}");
        }
    }

    #[test]
    fn both_directions_through_one_stream_each() {
        // Two encoders and two decoders: the streams do not mix.
        let (mut a_out, mut b_out) = (zlib_encoder(DEFAULT_MAX_PACKET_LEN), zlib_encoder(DEFAULT_MAX_PACKET_LEN));
        let (mut a_in, mut b_in) = (zlib_decoder(), zlib_decoder());
        for round in 0..50u8 {
            let ping = vec![round; 1000 + usize::from(round)];
            let pong = format!("pong {round}").into_bytes();
            let mut wire = Vec::new();
            a_out.encode(&ping, &mut Counter(round), &mut wire).unwrap();
            assert_eq!(decode_all(&mut b_in, &wire, 4096).unwrap()[0].payload, ping);
            wire.clear();
            b_out.encode(&pong, &mut Counter(round), &mut wire).unwrap();
            assert_eq!(decode_all(&mut a_in, &wire, 4096).unwrap()[0].payload, pong);
        }
    }

    #[test]
    fn a_bomb_is_refused_with_the_limit() {
        // 1 MiB of zeros: a packet of about a kilobyte on the wire.
        let mut enc = zlib_encoder(4 << 20);
        let mut wire = Vec::new();
        enc.encode(&vec![0u8; 1 << 20], &mut Counter(0), &mut wire).unwrap();
        assert!(wire.len() < 4096);
        let mut dec = zlib_decoder();
        let err = decode_all(&mut dec, &wire, 4096).unwrap_err();
        let limit = DEFAULT_MAX_PACKET_LEN as usize;
        assert_eq!(err, Error::Compression(CompressionError::TooLong { limit }));
        assert_eq!(dec.input(b"x"), Err(err), "poisoned");
        // The sender refuses payloads over its own limit before compressing.
        let mut enc = zlib_encoder(DEFAULT_MAX_PACKET_LEN);
        let too_big = vec![0u8; limit + 1];
        assert_eq!(
            enc.encode(&too_big, &mut Counter(0), &mut wire),
            Err(PacketError::PayloadTooLong { length: limit + 1 }.into())
        );
    }

    #[test]
    fn garbage_is_a_typed_error() {
        // An uncompressed packet where compressed ones are expected.
        let wire = encode(&[b"\x05\x00\x00\x00\x0cssh-userauth"]);
        let mut dec = zlib_decoder();
        let err = decode_all(&mut dec, &wire, 3).unwrap_err();
        assert!(matches!(err, Error::Compression(CompressionError::Codec { .. })), "{err:?}");
        assert_eq!(
            err.disconnect_reason(),
            Some(crate::msg::DisconnectReason::COMPRESSION_ERROR),
            "ends the connection as a compression error"
        );
    }
}
