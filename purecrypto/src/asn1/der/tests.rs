use super::*;
use hex_literal::hex;
use proptest::prelude::*;

fn read_unsigned(bytes: &[u8]) -> Result<&[u8], Error> {
    let mut r = Reader::new(bytes);
    let v = r.unsigned_integer()?;
    r.finish()?;
    Ok(v)
}

#[test]
fn lengths_must_be_minimal_and_definite() {
    // Short form.
    assert_eq!(Reader::new(&hex!("0401aa")).octet_string().unwrap(), [0xaa]);
    // Long form for a short length, leading zero length byte, indefinite.
    assert!(Reader::new(&hex!("048101aa")).octet_string().is_err());
    let mut padded = hex!("04820080").to_vec();
    padded.extend([0u8; 0x80]);
    assert!(Reader::new(&padded).octet_string().is_err());
    assert!(Reader::new(&hex!("3080 0500 0000")).sequence().is_err());
    // Long form, exact.
    let mut long = hex!("048180").to_vec();
    long.extend([7u8; 0x80]);
    assert_eq!(Reader::new(&long).octet_string().unwrap().len(), 0x80);
    // Length beyond the input, five length bytes, multi-byte tags.
    assert!(Reader::new(&hex!("0405aabb")).octet_string().is_err());
    assert!(Reader::new(&hex!("04850000000001aa")).octet_string().is_err());
    assert!(Reader::new(&hex!("1f2201aa")).any().is_err());
}

#[test]
fn integers_must_be_minimal_and_unsigned_when_asked() {
    assert_eq!(read_unsigned(&hex!("020100")).unwrap(), [0]);
    assert_eq!(read_unsigned(&hex!("02020080")).unwrap(), [0x80]);
    assert_eq!(read_unsigned(&hex!("02017f")).unwrap(), [0x7f]);
    assert!(read_unsigned(&hex!("0200")).is_err());
    assert!(read_unsigned(&hex!("0202007f")).is_err());
    assert!(read_unsigned(&hex!("0202ff80")).is_err());
    assert!(read_unsigned(&hex!("020180")).is_err());
    assert_eq!(Reader::new(&hex!("020180")).integer_bytes().unwrap(), [0x80]);
    assert_eq!(Reader::new(&hex!("02020100")).small_unsigned().unwrap(), 256);
    assert!(Reader::new(&hex!("0209 010000000000000000")).small_unsigned().is_err());
}

#[test]
fn booleans_null_and_bit_strings_follow_der() {
    assert!(Reader::new(&hex!("0101ff")).boolean().unwrap());
    assert!(!Reader::new(&hex!("010100")).boolean().unwrap());
    assert!(Reader::new(&hex!("010101")).boolean().is_err());
    assert!(Reader::new(&hex!("0500")).null().is_ok());
    assert!(Reader::new(&hex!("050100")).null().is_err());
    assert_eq!(Reader::new(&hex!("030300abcd")).bit_string().unwrap(), hex!("abcd"));
    assert!(Reader::new(&hex!("030201f0")).bit_string().is_err());
    assert_eq!(Reader::new(&hex!("030204f0")).bit_string_with_unused().unwrap(), (4, &hex!("f0")[..]));
    assert!(Reader::new(&hex!("030204f8")).bit_string_with_unused().is_err());
    assert!(Reader::new(&hex!("030108")).bit_string_with_unused().is_err());
    assert!(Reader::new(&hex!("0300")).bit_string().is_err());
}

#[test]
fn context_fields_and_trailing_bytes() {
    let der = hex!("3009 a003 020105 8102 abcd");
    let mut outer = Reader::new(&der);
    let mut seq = outer.sequence().unwrap();
    assert!(seq.optional_explicit(1).unwrap().is_none());
    let mut zero = seq.explicit(0).unwrap();
    assert_eq!(zero.small_unsigned().unwrap(), 5);
    zero.finish().unwrap();
    assert_eq!(seq.optional_implicit(1).unwrap(), Some(&hex!("abcd")[..]));
    seq.finish().unwrap();
    outer.finish().unwrap();
    let mut trailing = Reader::new(&hex!("0500 00"));
    trailing.null().unwrap();
    assert!(trailing.finish().is_err());
}

#[test]
fn writer_produces_what_reader_accepts() {
    let mut w = Writer::new();
    w.sequence(|w| {
        w.unsigned_integer(&hex!("0000ff"));
        w.unsigned_integer(&[]);
        w.small_unsigned(300);
        w.oid(crate::asn1::oid::SHA256);
        w.null();
        w.octet_string(&[1; 200]);
        w.bit_string(&[2, 3]);
        w.boolean(true);
        w.explicit(2, |w| w.small_unsigned(1));
        w.implicit(3, b"x");
    });
    let der = w.finish();
    let mut outer = Reader::new(&der);
    let mut seq = outer.sequence().unwrap();
    assert_eq!(seq.unsigned_integer().unwrap(), [0xff]);
    assert_eq!(seq.unsigned_integer().unwrap(), [0]);
    assert_eq!(seq.small_unsigned().unwrap(), 300);
    assert_eq!(seq.oid().unwrap(), crate::asn1::oid::SHA256);
    seq.null().unwrap();
    assert_eq!(seq.octet_string().unwrap(), [1; 200]);
    assert_eq!(seq.bit_string().unwrap(), [2, 3]);
    assert!(seq.boolean().unwrap());
    assert_eq!(seq.explicit(2).unwrap().small_unsigned().unwrap(), 1);
    assert_eq!(seq.optional_implicit(3).unwrap(), Some(&b"x"[..]));
    seq.finish().unwrap();
    outer.finish().unwrap();
}

proptest! {
    #[test]
    fn unsigned_integers_round_trip(magnitude in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut w = Writer::new();
        w.unsigned_integer(&magnitude);
        let der = w.finish();
        let read = read_unsigned(&der).unwrap();
        let start = magnitude.iter().position(|&b| b != 0);
        let expected: &[u8] = match start { Some(i) => &magnitude[i..], None => &[0] };
        prop_assert_eq!(read, expected);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut r = Reader::new(&bytes);
        while let Ok((tag, contents)) = r.any() {
            let mut inner = Reader::new(contents);
            let _ = (tag, inner.unsigned_integer(), inner.oid(), inner.bit_string_with_unused(), inner.sequence());
        }
    }
}
