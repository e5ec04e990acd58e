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
