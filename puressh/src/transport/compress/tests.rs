//! Unit tests of the zlib payload layer: flush shape, one stream across
//! packets, the decompression limit and hostile input (with the `zlib`
//! feature: without it there is no codec to test).
#![cfg(feature = "zlib")]

use super::*;

fn compress_all(payloads: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut c = Compressor::new().unwrap();
    payloads
        .iter()
        .map(|p| {
            let mut out = Vec::new();
            c.compress(p, &mut out).unwrap();
            out
        })
        .collect()
}

#[test]
fn names_and_start_points() {
    assert_eq!(start_of(names::NONE), Some(Start::Never));
    assert_eq!(start_of(names::ZLIB), Some(Start::AtNewKeys));
    assert_eq!(start_of(names::ZLIB_OPENSSH), Some(Start::AfterAuth));
    assert_eq!(start_of("lz4@example.com"), None);
}

#[test]
fn each_packet_ends_in_a_sync_flush_and_the_stream_persists() {
    let line = b"the same line, again and again, compresses against the history\n";
    let packets = compress_all(&[line, line, b"", line]);
    // One zlib header (deflate, 32 KiB window), at the start only.
    assert_eq!(packets[0][0], 0x78);
    assert_ne!(packets[1][0], 0x78, "no second header: one stream per direction");
    // (The empty payload adds nothing; SSH payloads are never empty.)
    for p in packets.iter().filter(|p| !p.is_empty()) {
        assert!(p.ends_with(&[0, 0, 0xff, 0xff]), "sync flush: {p:02x?}");
    }
    assert!(packets[1].len() < packets[0].len() / 2, "the second copy refers back to the first");
    let mut d = Decompressor::new().unwrap();
    for p in &packets {
        let plain = d.decompress(p, 1000).unwrap();
        assert!(plain == line || plain.is_empty());
    }
}

#[test]
fn bomb_stops_at_the_limit() {
    // 1 MiB of zeros packs into about a kilobyte.
    let packed = compress_all(&[&vec![0u8; 1 << 20]]).remove(0);
    assert!(packed.len() < 2048, "{}", packed.len());
    let mut d = Decompressor::new().unwrap();
    assert_eq!(d.decompress(&packed, 256 << 10), Err(CompressionError::TooLong { limit: 256 << 10 }));
    // Exactly at the limit is fine.
    let packed = compress_all(&[&vec![7u8; 4096]]).remove(0);
    assert_eq!(Decompressor::new().unwrap().decompress(&packed, 4096).unwrap(), vec![7u8; 4096]);
    let err = Decompressor::new().unwrap().decompress(&packed, 4095).unwrap_err();
    assert_eq!(err, CompressionError::TooLong { limit: 4095 });
}

#[test]
fn garbage_and_finished_streams_are_typed_errors() {
    let mut d = Decompressor::new().unwrap();
    let err = d.decompress(b"\x14not zlib at all", 1000).unwrap_err();
    assert!(matches!(err, CompressionError::Codec { .. }), "{err:?}");
    assert!(d.decompress(&compress_all(&[b"x"])[0], 1000).is_err(), "stays failed");
    // A good header, then a reserved block type (BTYPE 11).
    let err = Decompressor::new().unwrap().decompress(&[0x78, 0x9c, 0x07, 0, 0], 1000).unwrap_err();
    assert!(matches!(err, CompressionError::Codec { .. }), "{err:?}");
    // A complete zlib stream: SSH streams never end.
    let whole = compcol::zlib::compress_to_vec(b"hello", 6).unwrap();
    assert_eq!(Decompressor::new().unwrap().decompress(&whole, 1000), Err(CompressionError::StreamEnded));
    // An FDICT header (preset dictionary).
    let err = Decompressor::new().unwrap().decompress(&[0x78, 0xbb, 0, 0, 0, 1], 1000).unwrap_err();
    assert_eq!(err, CompressionError::Dictionary);
}

#[test]
fn every_prefix_of_a_packet_decodes_without_panicking() {
    let packed = compress_all(&[&b"abcabcabc".repeat(100)]).remove(0);
    for n in 0..packed.len() {
        // A truncated packet is an incomplete deflate block: the inflater
        // waits for more; the limit still holds.
        let _ = Decompressor::new().unwrap().decompress(&packed[..n], 100);
    }
}
