//! NIST CAVP CTR_DRBG known answers ([AES-256 use df]) and error paths.

use super::*;
use hex_literal::hex;

#[test]
fn cavp_aes256_use_df_no_reseed_count0() {
    let mut drbg = CtrDrbg::new(
        &hex!("36401940fa8b1fba91a1661f211d78a0b9389a74e5bccfece8d766af1a6d3b14"),
        &hex!("496f25b0f1301b4f501be30380a137eb"),
        b"",
    )
    .unwrap();
    assert_eq!(drbg.v, hex!("9ee8d2e9c618ccbb8e66b5eb5333dce1"));
    let mut out = [0u8; 64];
    drbg.generate(&mut out, b"").unwrap();
    drbg.generate(&mut out, b"").unwrap();
    assert_eq!(
        out,
        hex!(
            "5862eb38bd558dd978a696e6df164782ddd887e7e9a6c9f3f1fbafb78941b535"
            "a64912dfd224c6dc7454e5250b3d97165e16260c2faf1cc7735cb75fb4f07e1d"
        )
    );
}

#[test]
fn cavp_aes256_use_df_reseed_count0() {
    let mut drbg = CtrDrbg::new(
        &hex!("5a194d5e2b31581454def675fb7958fec7db873e5689fc9d03217c68d8033820"),
        &hex!("1b54b8ff0642bff521f15c1c0b665f3f"),
        b"",
    )
    .unwrap();
    let mut out = [0u8; 16];
    drbg.generate(&mut out, b"").unwrap();
    // The vector's intermediate values after the first generate.
    assert_eq!(drbg.v, hex!("b0ee8dfa67ecfd5c8dca69adc0b75e8d"));
    assert_eq!(out, hex!("3f6db52dff53ae68e92abcd8131ef8bf"));
    drbg.reseed(&hex!("f9e65e04d856f3a9c44a4cbdc1d00846f5983d771c1b137e4e0f9d8ef409f92e"), b"").unwrap();
    drbg.generate(&mut out, b"").unwrap();
    assert_eq!(out, hex!("a054303d8a7ea9889d903e077c6f218f"));
}

#[test]
fn limits_are_typed_errors() {
    assert!(matches!(CtrDrbg::new(&[0; 31], b"", b""), Err(Error::InvalidLength { actual: 31, .. })));
    let mut drbg = CtrDrbg::new(&[1; 32], &[2; 16], b"app").unwrap();
    let mut big = alloc::vec![0u8; MAX_REQUEST + 1];
    assert!(matches!(drbg.generate(&mut big, b""), Err(Error::InvalidLength { .. })));
    drbg.reseed_counter = RESEED_INTERVAL + 1;
    assert_eq!(drbg.generate(&mut [0; 4], b""), Err(Error::ReseedRequired));
    drbg.reseed(&[3; 32], b"more").unwrap();
    let (mut a, mut b) = ([0u8; 40], [0u8; 40]);
    drbg.generate(&mut a, b"x").unwrap();
    drbg.generate(&mut b, b"x").unwrap();
    assert_ne!(a, b);
    assert_eq!(alloc::format!("{drbg:?}"), "CtrDrbg { .. }");
}
