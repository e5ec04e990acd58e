//! RFC 8439 / XChaCha draft known answers and backend agreement.

use super::*;
use alloc::{format, vec};
use hex_literal::hex;
use proptest::prelude::*;

const KEY: [u8; 32] = hex!("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const SUNSCREEN: &[u8] = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";

#[test]
fn rfc8439_2_3_2_block() {
    let c = ChaCha20::new(&KEY, &hex!("000000090000004a00000000"), 1).unwrap();
    assert_eq!(
        c.block(),
        hex!(
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"
        )
    );
}

#[test]
fn rfc8439_2_4_2_encryption() {
    let mut buf = SUNSCREEN.to_vec();
    ChaCha20::new(&KEY, &hex!("000000000000004a00000000"), 1).unwrap().apply_keystream(&mut buf);
    assert_eq!(
        buf,
        hex!(
            "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
            "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
            "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
            "5af90bbf74a35be6b40b8eedf2785e42874d"
        )
    );
}

#[test]
fn xchacha_draft_hchacha20() {
    assert_eq!(
        hchacha20(&KEY, &hex!("000000090000004a0000000031415927")),
        hex!("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc")
    );
}

#[test]
fn bad_lengths_are_typed_errors() {
    assert!(matches!(ChaCha20::new(&[0; 31], &[0; 12], 0), Err(Error::InvalidLength { actual: 31, .. })));
    assert!(matches!(ChaCha20::new(&[0; 32], &[0; 8], 0), Err(Error::InvalidLength { actual: 8, .. })));
    assert!(matches!(ChaCha20::new_x(&[0; 32], &[0; 12], 0), Err(Error::InvalidLength { actual: 12, .. })));
    assert_eq!(format!("{:?}", ChaCha20::new(&[0; 32], &[0; 12], 0).unwrap()), "ChaCha20 { .. }");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The AVX2 path equals the portable one for any length, offset
    /// (alignment sweep) and counter, including a counter about to wrap.
    #[test]
    fn simd_matches_soft(data in prop::collection::vec(any::<u8>(), 0..2000), offset in 0usize..16,
                         counter in prop::sample::select(vec![0u32, 1, u32::MAX - 3, u32::MAX]),
                         key in any::<[u8; 32]>(), nonce in any::<[u8; 12]>()) {
        let mut a = vec![0u8; offset + data.len()];
        a[offset..].copy_from_slice(&data);
        let mut b = a.clone();
        let mut fast = ChaCha20::new(&key, &nonce, counter).unwrap();
        let mut soft = ChaCha20::new(&key, &nonce, counter).unwrap();
        fast.apply_keystream(&mut a[offset..]);
        soft.apply_keystream_soft(&mut b[offset..]);
        prop_assert_eq!(a, b);
        prop_assert_eq!(fast.state, soft.state);
    }
}

/// Counters that cross the 32-bit wrap inside one call of every kernel
/// step (16-block, 8-block, 4-block) or sit right before it.
const WRAP_COUNTERS: [u32; 6] = [0, 1, u32::MAX - 17, u32::MAX - 6, u32::MAX - 1, u32::MAX];

/// Lengths 0..=1100 one by one, then the boundaries of the 16-block
/// steps up to 4 KiB.
fn kernel_lengths() -> impl Iterator<Item = usize> {
    (0..=1100).chain([1535, 1536, 1537, 2047, 2048, 2049, 3071, 3072, 3073, 4096])
}

/// Runs `kernel` against the portable code from a fresh state for every
/// length and counter: same output bytes, same next counter.
fn check_kernel(name: &str, kernel: &mut dyn FnMut(&mut [u32; 16], &mut [u8])) {
    let key: [u8; 32] = core::array::from_fn(|i| (i * 13 + 1) as u8);
    for counter in WRAP_COUNTERS {
        for len in kernel_lengths() {
            let data: alloc::vec::Vec<u8> = (0..len).map(|i| (i ^ len) as u8).collect();
            let mut soft = ChaCha20::new(&key, &[9; 12], counter).unwrap();
            let mut want = data.clone();
            soft.apply_keystream_soft(&mut want);
            let mut state = ChaCha20::new(&key, &[9; 12], counter).unwrap().state;
            let mut got = data;
            kernel(&mut state, &mut got);
            assert!(got == want, "{name}: counter {counter:#x} len {len}");
            assert_eq!(state, soft.state, "{name}: counter {counter:#x} len {len}");
        }
    }
}

/// Prints a loud line when a kernel cannot run on this CPU (its check
/// then runs on a machine that has it, and `Tier::Best` falls back).
#[cfg(target_arch = "x86_64")]
fn missing(kernel: &str) {
    #[cfg(feature = "std")]
    std::eprintln!("SKIPPED: {kernel} kernel check (this CPU lacks it)");
    let _ = kernel;
}

#[cfg(target_arch = "x86_64")]
#[test]
fn avx512_kernel_matches_soft() {
    match crate::arch::x86_avx512_chacha::Avx512::detect() {
        Some(t) => check_kernel("avx512", &mut |s, d| t.xor(s, d)),
        None => missing("AVX-512"),
    }
}

#[cfg(target_arch = "x86_64")]
#[test]
fn avx2_kernel_matches_soft() {
    match crate::arch::x86_avx2_chacha::Avx2::detect() {
        Some(t) => check_kernel("avx2", &mut |s, d| {
            let done = t.xor_blocks(s, d);
            t.xor_tail(s, &mut d[done..]);
        }),
        None => missing("AVX2"),
    }
}

#[test]
fn tiers_match_soft() {
    use crate::arch::Tier;
    for tier in [Tier::Best, Tier::Avx2, Tier::Soft] {
        let mut chacha = |s: &mut [u32; 16], d: &mut [u8]| {
            let mut c = ChaCha20 { state: *s };
            c.apply_keystream_tier(d, tier);
            *s = c.state;
        };
        check_kernel("tier", &mut chacha);
    }
}
