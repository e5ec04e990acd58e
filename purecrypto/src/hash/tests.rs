//! Known answers for every hash, streaming splits, and SIMD == soft.

use super::*;
use alloc::vec::Vec;

fn hex(bytes: &[u8]) -> alloc::string::String {
    bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
}

#[test]
fn fips_180_and_202_short_messages() {
    let abc = b"abc";
    assert_eq!(hex(&Sha1::digest(abc)), "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_eq!(hex(&Sha224::digest(abc)), "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
    assert_eq!(hex(&Sha256::digest(abc)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(
        hex(&Sha384::digest(abc)),
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
    );
    assert_eq!(
        hex(&Sha512::digest(abc)),
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    );
    assert_eq!(hex(&Sha512_224::digest(abc)), "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa");
    assert_eq!(hex(&Sha512_256::digest(abc)), "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23");
    assert_eq!(hex(&Sha3_256::digest(b"")), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
    assert_eq!(hex(&Sha3_224::digest(abc)), "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf");
    assert_eq!(
        hex(&Sha3_512::digest(abc)),
        "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"
    );
    let mut out = [0u8; 32];
    Shake128::digest(b"", &mut out);
    assert_eq!(hex(&out), "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
    Shake256::digest(b"", &mut out);
    assert_eq!(hex(&out), "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f");
    assert_eq!(hex(&Md5::digest(b"")), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(hex(&Md5::digest(b"message digest")), "f96b697d7cb7938d525a2f31aaf161d0");
    assert_eq!(
        hex(&Md5::digest(b"12345678901234567890123456789012345678901234567890123456789012345678901234567890")),
        "57edf4a22be3c955ac49da2e2107b67a"
    );
}

#[test]
fn two_block_messages() {
    let m = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_eq!(hex(&Sha1::digest(m)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    assert_eq!(hex(&Sha256::digest(m)), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    let million_a: Vec<u8> = alloc::vec![b'a'; 1_000_000];
    assert_eq!(hex(&Sha1::digest(&million_a)), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    assert_eq!(hex(&Sha256::digest(&million_a)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

#[test]
fn blake2_rfc_7693_appendix() {
    assert_eq!(
        hex(&Blake2b512::digest(b"abc")),
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
    );
    assert_eq!(hex(&Blake2s256::digest(b"abc")), "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
    assert_eq!(
        hex(&Blake2b512::digest(b"")),
        "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
    );
}

/// RFC 7693 Appendix E self-test: BLAKE2b/2s over many input, output and
/// key lengths, folded into one digest.
#[test]
fn blake2_rfc_7693_selftest() {
    fn selftest_seq(out: &mut [u8], seed: u32) {
        let mut a = 0xDEAD4BADu32.wrapping_mul(seed);
        let mut b = 1u32;
        for o in out.iter_mut() {
            let t = a.wrapping_add(b);
            a = b;
            b = t;
            *o = (t >> 24) as u8;
        }
    }
    let mut outer = Blake2b::new(32).unwrap();
    for &outlen in &[20usize, 32, 48, 64] {
        for &inlen in &[0usize, 3, 128, 129, 255, 1024] {
            let mut input = alloc::vec![0u8; inlen];
            selftest_seq(&mut input, inlen as u32);
            let mut md = alloc::vec![0u8; outlen];
            let mut h = Blake2b::new(outlen).unwrap();
            h.update(&input);
            h.finalize_into(&mut md);
            outer.update(&md);
            let mut key = alloc::vec![0u8; outlen];
            selftest_seq(&mut key, outlen as u32);
            let mut h = Blake2b::new_keyed(&key, outlen).unwrap();
            h.update(&input);
            h.finalize_into(&mut md);
            outer.update(&md);
        }
    }
    let mut res = [0u8; 32];
    outer.finalize_into(&mut res);
    assert_eq!(hex(&res), "c23a7800d98123bd10f506c61e29da5603d763b8bbad2e737f5e765a7bccd475");

    let mut outer = Blake2s::new(32).unwrap();
    for &outlen in &[16usize, 20, 28, 32] {
        for &inlen in &[0usize, 3, 64, 65, 255, 1024] {
            let mut input = alloc::vec![0u8; inlen];
            selftest_seq(&mut input, inlen as u32);
            let mut md = alloc::vec![0u8; outlen];
            let mut h = Blake2s::new(outlen).unwrap();
            h.update(&input);
            h.finalize_into(&mut md);
            outer.update(&md);
            let mut key = alloc::vec![0u8; outlen];
            selftest_seq(&mut key, outlen as u32);
            let mut h = Blake2s::new_keyed(&key, outlen).unwrap();
            h.update(&input);
            h.finalize_into(&mut md);
            outer.update(&md);
        }
    }
    let mut res = [0u8; 32];
    outer.finalize_into(&mut res);
    assert_eq!(hex(&res), "6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe");
}

#[test]
fn blake2_rejects_bad_lengths() {
    assert!(Blake2b::new(0).is_err());
    assert!(Blake2b::new(65).is_err());
    assert!(Blake2s::new(33).is_err());
    assert!(Blake2s::new_keyed(&[0; 33], 32).is_err());
}

#[test]
fn blake3_empty_and_abc() {
    assert_eq!(hex(&Blake3::digest(b"")), "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
}

/// Feeds every hash in pieces of every size 1..17 and one byte at a time.
#[test]
fn streaming_splits_match_one_shot() {
    let data: Vec<u8> = (0..3000u32).map(|i| (i * 7 + 3) as u8).collect();
    for &alg in HashAlgorithm::ALL {
        let want = alg.hash(&data);
        assert_eq!(want.len(), alg.output_len());
        for step in 1..=17 {
            let mut h = Hasher::new(alg);
            for piece in data.chunks(step) {
                h.update(piece);
            }
            assert_eq!(h.finalize(), want, "{} split {step}", alg.name());
        }
        let mut h = Hasher::new(alg);
        h.update(b"garbage");
        h.reset();
        h.update(&data);
        assert_eq!(h.finalize(), want, "{} reset", alg.name());
    }
}

#[test]
fn names_round_trip() {
    for &alg in HashAlgorithm::ALL {
        assert_eq!(HashAlgorithm::from_name(alg.name()), Some(alg));
    }
    assert_eq!(HashAlgorithm::from_name("SHA2-512/256"), Some(HashAlgorithm::Sha512_256));
    assert_eq!(HashAlgorithm::from_name("nope"), None);
}

#[test]
fn debug_does_not_print_state() {
    assert_eq!(alloc::format!("{:?}", Sha256::new()), "Sha256 { .. }");
}

#[cfg(feature = "std")]
mod simd {

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The dispatched SHA-1 / SHA-256 (SHA-NI when present) equals the
        /// portable compression function, at every alignment 0..16.
        #[test]
        fn sha_ni_equals_soft(data in proptest::collection::vec(any::<u8>(), 0..600), offset in 0usize..16) {
            let mut buf = alloc::vec![0u8; offset];
            buf.extend_from_slice(&data);
            let input = &buf[offset..];
            let blocks = &input[..input.len() / 64 * 64];
            let mut s1 = [1u32, 2, 3, 4, 5, 6, 7, 8];
            let mut s2 = s1;
            super::super::sha256::compress_soft(&mut s1, blocks);
            if !crate::arch::x86_sha::sha256_compress(&mut s2, blocks) {
                super::super::sha256::compress_soft(&mut s2, blocks);
            }
            prop_assert_eq!(s1, s2);
            let mut t1 = [9u32, 8, 7, 6, 5];
            let mut t2 = t1;
            super::super::sha1::compress_soft(&mut t1, blocks);
            if !crate::arch::x86_sha::sha1_compress(&mut t2, blocks) {
                super::super::sha1::compress_soft(&mut t2, blocks);
            }
            prop_assert_eq!(t1, t2);
        }

        /// The BMI2 builds of SHA-512 and Keccak-f equal the portable
        /// code, at every alignment 0..16.
        #[test]
        fn bmi2_kernels_equal_soft(data in proptest::collection::vec(any::<u8>(), 0..800), offset in 0usize..16) {
            let mut buf = alloc::vec![0u8; offset];
            buf.extend_from_slice(&data);
            let input = &buf[offset..];
            let blocks = &input[..input.len() / 128 * 128];
            let mut s1 = [1u64, 2, 3, 4, 5, 6, 7, 8];
            let mut s2 = s1;
            super::super::sha512::compress_soft(&mut s1, blocks);
            if !crate::arch::x86_bmi2::sha512_compress(&mut s2, blocks) {
                super::super::sha512::compress_soft(&mut s2, blocks);
            }
            prop_assert_eq!(s1, s2);
            let mut k1 = [0u64; 25];
            for (lane, chunk) in k1.iter_mut().zip(input.chunks(8)) {
                *lane = chunk.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
            }
            let mut k2 = k1;
            super::super::keccak::keccak_f_soft(&mut k1);
            if !crate::arch::x86_bmi2::keccak_f(&mut k2) {
                super::super::keccak::keccak_f_soft(&mut k2);
            }
            prop_assert_eq!(k1, k2);
        }
    }
}
