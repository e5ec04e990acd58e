//! RFC 7541 Appendix C examples (decoder and encoder), integer edge
//! cases, malformed blocks, and a round-trip property.

use super::*;
use proptest::prelude::*;

fn unhex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

fn owned(list: &[(&str, &str)]) -> Vec<Field> {
    list.iter().map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec())).collect()
}

fn encode(enc: &mut Encoder, list: &[(&str, &str)]) -> Vec<u8> {
    let fields: Vec<(&[u8], &[u8])> = list.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect();
    let mut out = Vec::new();
    enc.encode(&fields, &mut out);
    out
}

/// One step of a sequence: (encoded block, header list, table size after).
type Step<'a> = (&'a str, &'a [(&'a str, &'a str)], usize);

/// Decodes and encodes a sequence on one connection (shared tables).
fn sequence(table: usize, huffman: bool, steps: &[Step<'_>]) {
    let mut dec = Decoder::new(table, 64 * 1024);
    let mut enc = Encoder::new(table);
    enc.huffman = Some(huffman);
    for (i, (hex, list, size)) in steps.iter().enumerate() {
        let block = unhex(hex);
        assert_eq!(dec.decode(&block).unwrap(), owned(list), "decode step {i}");
        assert_eq!(dec.table_size(), *size, "decoder table step {i}");
        assert_eq!(encode(&mut enc, list), block, "encode step {i}");
        assert_eq!(enc.table_size(), *size, "encoder table step {i}");
    }
}

const REQ1: &[(&str, &str)] =
    &[(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")];
const REQ2: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "http"),
    (":path", "/"),
    (":authority", "www.example.com"),
    ("cache-control", "no-cache"),
];
const REQ3: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "https"),
    (":path", "/index.html"),
    (":authority", "www.example.com"),
    ("custom-key", "custom-value"),
];
const RESP1: &[(&str, &str)] = &[
    (":status", "302"),
    ("cache-control", "private"),
    ("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
    ("location", "https://www.example.com"),
];
const RESP2: &[(&str, &str)] = &[
    (":status", "307"),
    ("cache-control", "private"),
    ("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
    ("location", "https://www.example.com"),
];
const RESP3: &[(&str, &str)] = &[
    (":status", "200"),
    ("cache-control", "private"),
    ("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
    ("location", "https://www.example.com"),
    ("content-encoding", "gzip"),
    ("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
];

#[test]
fn c2_single_representations() {
    let mut d = Decoder::new(4096, 1 << 16);
    let hex = "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572";
    assert_eq!(d.decode(&unhex(hex)).unwrap(), owned(&[("custom-key", "custom-header")]));
    assert_eq!(d.table_size(), 55);
    // C.2.2: literal without indexing leaves the table alone.
    let mut d = Decoder::new(4096, 1 << 16);
    assert_eq!(d.decode(&unhex("040c 2f73 616d 706c 652f 7061 7468")).unwrap(), owned(&[(":path", "/sample/path")]));
    assert_eq!(d.table_size(), 0);
    // C.2.3: never indexed.
    let block = unhex("1008 7061 7373 776f 7264 0673 6563 7265 74");
    assert_eq!(d.decode(&block).unwrap(), owned(&[("password", "secret")]));
    assert_eq!(d.table_size(), 0);
    // C.2.4: indexed.
    assert_eq!(d.decode(&[0x82]).unwrap(), owned(&[(":method", "GET")]));
}

#[test]
fn c3_requests_without_huffman() {
    sequence(
        4096,
        false,
        &[
            ("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", REQ1, 57),
            ("8286 84be 5808 6e6f 2d63 6163 6865", REQ2, 110),
            ("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65", REQ3, 164),
        ],
    );
}

#[test]
fn c4_requests_with_huffman() {
    sequence(
        4096,
        true,
        &[
            ("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", REQ1, 57),
            ("8286 84be 5886 a8eb 1064 9cbf", REQ2, 110),
            ("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", REQ3, 164),
        ],
    );
}

#[test]
fn c5_responses_without_huffman_evict() {
    sequence(
        256,
        false,
        &[
            (
                "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
                 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
                 6c65 2e63 6f6d",
                RESP1,
                222,
            ),
            ("4803 3330 37c1 c0bf", RESP2, 222),
            (
                "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
                 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
                 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
                 3d31",
                RESP3,
                215,
            ),
        ],
    );
}

#[test]
fn c6_responses_with_huffman_evict() {
    sequence(
        256,
        true,
        &[
            (
                "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
                 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
                RESP1,
                222,
            ),
            ("4883 640e ffc1 c0bf", RESP2, 222),
            (
                "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
                 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
                 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
                RESP3,
                215,
            ),
        ],
    );
}

#[test]
fn integers_per_c1() {
    let mut out = Vec::new();
    encode_int(10, 5, 0, &mut out);
    encode_int(1337, 5, 0, &mut out);
    encode_int(42, 8, 0, &mut out);
    assert_eq!(out, [0x0a, 0x1f, 0x9a, 0x0a, 0x2a]);
    assert_eq!(decode_int(&[0x1f, 0x9a, 0x0a], 5), Ok((1337, 3)));
    assert_eq!(decode_int(&[0x1f, 0x9a], 5), Err(HpackError::Truncated));
    assert_eq!(decode_int(&[0x1f, 0xff, 0xff, 0xff, 0xff, 0x7f], 5), Err(HpackError::IntegerOverflow));
    assert_eq!(decode_int(&[0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 5), Err(HpackError::IntegerOverflow));
}

#[test]
fn malformed_blocks_are_compression_errors() {
    let mut d = Decoder::new(4096, 1 << 16);
    assert_eq!(d.decode(&[0x80]), Err(HpackError::BadIndex(0)));
    assert_eq!(d.decode(&[0xbe]), Err(HpackError::BadIndex(62)));
    assert_eq!(d.decode(&[0x40, 0x05, b'a']), Err(HpackError::Truncated));
    // A size update above what we announced, and one after a field.
    assert_eq!(d.decode(&unhex("3fe2 1f")), Err(HpackError::BadSizeUpdate));
    assert_eq!(d.decode(&unhex("8220")), Err(HpackError::BadSizeUpdate));
    assert_eq!(d.decode(&unhex("3fe1 1f 20 82")).unwrap(), owned(&[(":method", "GET")]));
    // The header list limit, counted with the 32-byte overhead.
    let mut small = Decoder::new(4096, 45);
    assert_eq!(small.decode(&[0x82]).unwrap().len(), 1);
    assert_eq!(small.decode(&[0x82, 0x82]), Err(HpackError::ListTooLarge(45)));
    let mut long = vec![0x40, 0x7f, 0x81, 0x01];
    long.extend([b'x'; 200]);
    long.push(0);
    assert_eq!(small.decode(&long), Err(HpackError::StringTooLong));
}

#[test]
fn table_shrink_is_announced_and_evicts() {
    let mut enc = Encoder::new(4096);
    let first = encode(&mut enc, &[("custom-key", "custom-value")]);
    assert_eq!(enc.table_size(), 54);
    enc.set_max_size(0);
    let second = encode(&mut enc, &[("custom-key", "custom-value")]);
    assert_eq!(second.first(), Some(&0x20));
    let mut dec = Decoder::new(4096, 1 << 16);
    dec.decode(&first).unwrap();
    assert_eq!(dec.decode(&second).unwrap(), owned(&[("custom-key", "custom-value")]));
    assert_eq!(dec.table_size(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn encoder_and_decoder_agree(
        blocks in proptest::collection::vec(
            proptest::collection::vec(
                (proptest::collection::vec(any::<u8>(), 0..40), proptest::collection::vec(any::<u8>(), 0..80)),
                0..8,
            ),
            1..6,
        ),
        table in 0usize..600,
    ) {
        let mut enc = Encoder::new(4096);
        enc.set_max_size(table);
        let mut dec = Decoder::new(4096, 1 << 20);
        for fields in &blocks {
            let refs: Vec<(&[u8], &[u8])> = fields.iter().map(|(n, v)| (&n[..], &v[..])).collect();
            let mut block = Vec::new();
            enc.encode(&refs, &mut block);
            prop_assert_eq!(&dec.decode(&block).unwrap(), fields);
            prop_assert_eq!(dec.table_size(), enc.table_size());
        }
    }

    #[test]
    fn decoder_never_panics(block in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Decoder::new(4096, 4096).decode(&block);
    }
}
