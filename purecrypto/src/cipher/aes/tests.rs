//! FIPS 197 known answers and backend agreement for [`Aes`].

use super::*;
use alloc::{format, vec, vec::Vec};
use hex_literal::hex;
use proptest::prelude::*;

const PT: [u8; 16] = hex!("00112233445566778899aabbccddeeff");

#[test]
fn fips197_appendix_c() {
    let cases: [(&[u8], [u8; 16]); 3] = [
        (&hex!("000102030405060708090a0b0c0d0e0f"), hex!("69c4e0d86a7b0430d8cdb78070b4c55a")),
        (&hex!("000102030405060708090a0b0c0d0e0f1011121314151617"), hex!("dda97ca4864cdfe06eaf70a0ec0d7191")),
        (
            &hex!("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
            hex!("8ea2b7ca516745bfeafc49904b496089"),
        ),
    ];
    for (key, ct) in cases {
        for aes in [Aes::new(key).unwrap(), Aes::new_soft(key).unwrap()] {
            let mut b = PT;
            aes.encrypt_block(&mut b);
            assert_eq!(b, ct, "key {} bytes", key.len());
            aes.decrypt_block(&mut b);
            assert_eq!(b, PT);
            assert_eq!(aes.key_len(), key.len());
        }
    }
}

#[test]
fn fips197_appendix_a1_key_expansion() {
    let aes = Aes::new_soft(&hex!("2b7e151628aed2a6abf7158809cf4f3c")).unwrap();
    assert_eq!(aes.enc[1], hex!("a0fafe1788542cb123a339392a6c7605"));
    assert_eq!(aes.enc[10], hex!("d014f9a8c9ee2589e13f0cc8b6630ca6"));
}

#[test]
fn bad_key_lengths_are_typed_errors() {
    for n in [0usize, 1, 15, 17, 23, 25, 31, 33, 64] {
        let err = Aes::new(&vec![0u8; n]).unwrap_err();
        assert!(matches!(err, Error::InvalidLength { what: "AES key", actual, .. } if actual == n));
    }
    assert_eq!(format!("{:?}", Aes::new(&[7; 16]).unwrap()), "Aes { .. }");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Accelerated and portable backends agree for any key, any number of
    /// blocks and any starting offset of the data (alignment sweep 0..16).
    #[test]
    fn simd_matches_soft(key in prop::sample::select(vec![16usize, 24, 32]).prop_flat_map(|n| prop::collection::vec(any::<u8>(), n)),
                         data in prop::collection::vec(any::<u8>(), 0..300), offset in 0usize..16) {
        let fast = Aes::new(&key).unwrap();
        let soft = Aes::new_soft(&key).unwrap();
        let mut buf = vec![0u8; offset + data.len()];
        buf[offset..].copy_from_slice(&data);
        let n = data.len() / 16;
        let mut a: Vec<[u8; 16]> = buf[offset..offset + 16 * n].chunks_exact(16).map(|c| c.try_into().unwrap()).collect();
        let mut b = a.clone();
        fast.encrypt_blocks(&mut a);
        soft.encrypt_blocks(&mut b);
        prop_assert_eq!(&a, &b);
        fast.decrypt_blocks(&mut a);
        soft.decrypt_blocks(&mut b);
        prop_assert_eq!(&a, &b);
        let mut x = buf.clone();
        let mut y = buf.clone();
        let ctr = [0xffu8; 16];
        let c1 = fast.ctr_xor::<32>(ctr, &mut x[offset..]);
        let c2 = soft.ctr_xor::<32>(ctr, &mut y[offset..]);
        prop_assert_eq!(&x, &y);
        prop_assert_eq!(c1, c2);
        // The full-block counter, wrapping modulo 2^128.
        let c1 = fast.ctr_xor::<128>(ctr, &mut x[offset..]);
        let c2 = soft.ctr_xor::<128>(ctr, &mut y[offset..]);
        prop_assert_eq!(&x, &y);
        prop_assert_eq!(c1, c2);
    }
}
