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

        /// The BMI2 builds of SHA-512 and Keccak-f, and the SHA-512 vector
        /// schedule kernels (AVX-512VL and AVX2), equal the portable code,
        /// at every alignment 0..16, for 0..6 blocks (odd and even counts).
        #[test]
        fn bmi2_kernels_equal_soft(data in proptest::collection::vec(any::<u8>(), 0..900), offset in 0usize..16) {
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
            let mut s3 = [1u64, 2, 3, 4, 5, 6, 7, 8];
            if !crate::arch::x86_avx2_sha512::sha512_compress(&mut s3, blocks) {
                super::super::sha512::compress_soft(&mut s3, blocks);
            }
            prop_assert_eq!(s1, s3);
            let mut s4 = [1u64, 2, 3, 4, 5, 6, 7, 8];
            if !crate::arch::x86_avx2_sha512::sha512_compress_avx2_only(&mut s4, blocks) {
                super::super::sha512::compress_soft(&mut s4, blocks);
            }
            prop_assert_eq!(s1, s4);
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

/// The official BLAKE3 test vectors (BLAKE3-team/BLAKE3
/// `test_vectors/test_vectors.json`): input `i % 251`, 131-byte extended
/// outputs; a selection covering one block, chunk boundaries and deep trees.
#[test]
fn blake3_official_vectors() {
    const KEY: &[u8; 32] = b"whats the Elvish word for friend";
    const CONTEXT: &str = "BLAKE3 2019-12-27 16:29:52 test vectors context";
    fn input(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }
    fn check(mut h: Blake3, len: usize, want: &str) {
        h.update(&input(len));
        let mut xof = alloc::vec![0u8; 131];
        h.finalize_xof().read(&mut xof);
        assert_eq!(hex(&xof), want, "len {len}");
        assert_eq!(hex(&h.finalize()), want[..64], "len {len} default output");
    }
    let hashes: [(usize, &str); 11] = [
        (
            0,
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262e00f03e7b69af26b7faaf09fcd333050338ddfe085b8cc869ca98b206c08243a26f5487789e8f660afe6c99ef9e0c52b92e7393024a80459cf91f476f9ffdbda7001c22e159b402631f277ca96f2defdf1078282314e763699a31c5363165421cce14d",
        ),
        (
            1,
            "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213c3a6cb8bf623e20cdb535f8d1a5ffb86342d9c0b64aca3bce1d31f60adfa137b358ad4d79f97b47c3d5e79f179df87a3b9776ef8325f8329886ba42f07fb138bb502f4081cbcec3195c5871e6c23e2cc97d3c69a613eba131e5f1351f3f1da786545e5",
        ),
        (
            1023,
            "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11a182d27a591b05592b15607500e1e8dd56bc6c7fc063715b7a1d737df5bad3339c56778957d870eb9717b57ea3d9fb68d1b55127bba6a906a4a24bbd5acb2d123a37b28f9e9a81bbaae360d58f85e5fc9d75f7c370a0cc09b6522d9c8d822f2f28f485",
        ),
        (
            1024,
            "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af71cf8107265ecdaf8505b95d8fcec83a98a6a96ea5109d2c179c47a387ffbb404756f6eeae7883b446b70ebb144527c2075ab8ab204c0086bb22b7c93d465efc57f8d917f0b385c6df265e77003b85102967486ed57db5c5ca170ba441427ed9afa684e",
        ),
        (
            1025,
            "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444f4c4a22b4b399155358a994e52bf255de60035742ec71bd08ac275a1b51cc6bfe332b0ef84b409108cda080e6269ed4b3e2c3f7d722aa4cdc98d16deb554e5627be8f955c98e1d5f9565a9194cad0c4285f93700062d9595adb992ae68ff12800ab67a",
        ),
        (
            2049,
            "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b687952256303096de31d71d74103403822a2e0bc1eb193e7aecc9643a76b7bbc0c9f9c52e8783aae98764ca468962b5c2ec92f0c74eb5448d519713e09413719431c802f948dd5d90425a4ecdadece9eb178d80f26efccae630734dff63340285adec2aed3b51073ad3",
        ),
        (
            3073,
            "7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd39a27ae3b79d68d89da9bf25bc27139ae65a324918a5f9b7828181e52cf373c84f35b639b7fccbb985b6f2fa56aea0c18f531203497b8bbd3a07ceb5926f1cab74d14bd66486d9a91eba99059a98bd1cd25876b2af5a76c3e9eed554ed72ea952b603bf",
        ),
        (
            8193,
            "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3bb2282aa69be089359ea1154b9a9286c4a56af4de975a9aa4a5c497654914d279bea60bb6d2cf7225a2fa0ff5ef56bbe4b149f3ed15860f78b4e2ad04e158e375c1e0c0b551cd7dfc82f1b155c11b6b3ed51ec9edb30d133653bb5709d1dbd55f4e1ff6",
        ),
        (
            16384,
            "f875d6646de28985646f34ee13be9a576fd515f76b5b0a26bb324735041ddde49d764c270176e53e97bdffa58d549073f2c660be0e81293767ed4e4929f9ad34bbb39a529334c57c4a381ffd2a6d4bfdbf1482651b172aa883cc13408fa67758a3e47503f93f87720a3177325f7823251b85275f64636a8f1d599c2e49722f42e93893",
        ),
        (
            31744,
            "62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47860cc51f2b0c28a7b77304bd55fe73af663c02d3f52ea053ba43431ca5bab7bfea2f5e9d7121770d88f70ae9649ea713087d1914f7f312147e247f87eb2d4ffef0ac978bf7b6579d57d533355aa20b8b77b13fd09748728a5cc327a8ec470f4013226f",
        ),
        (
            102400,
            "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085e01c59dab908c04c3342b816941a26d69c2605ebee5ec5291cc55e15b76146e6745f0601156c3596cb75065a9c57f35585a52e1ac70f69131c23d611ce11ee4ab1ec2c009012d236648e77be9295dd0426f29b764d65de58eb7d01dd42248204f45f8e",
        ),
    ];
    for (len, want) in hashes {
        check(Blake3::new(), len, want);
    }
    check(
        Blake3::new_keyed(KEY),
        1024,
        "75c46f6f3d9eb4f55ecaaee480db732e6c2105546f1e675003687c31719c7ba4a78bc838c72852d4f49c864acb7adafe2478e824afe51c8919d06168414c265f298a8094b1ad813a9b8614acabac321f24ce61c5a5346eb519520d38ecc43e89b5000236df0597243e4d2493fd626730e2ba17ac4d8824d09d1a4a8f57b8227778e2de",
    );
    check(
        Blake3::new_keyed(KEY),
        102400,
        "1c35d1a5811083fd7119f5d5d1ba027b4d01c0c6c49fb6ff2cf75393ea5db4a7f9dbdd3e1d81dcbca3ba241bb18760f207710b751846faaeb9dff8262710999a59b2aa1aca298a032d94eacfadf1aa192418eb54808db23b56e34213266aa08499a16b354f018fc4967d05f8b9d2ad87a7278337be9693fc638a3bfdbe314574ee6fc4",
    );
    check(
        Blake3::new_derive_key(CONTEXT),
        0,
        "2cc39783c223154fea8dfb7c1b1660f2ac2dcbd1c1de8277b0b0dd39b7e50d7d905630c8be290dfcf3e6842f13bddd573c098c3f17361f1f206b8cad9d088aa4a3f746752c6b0ce6a83b0da81d59649257cdf8eb3e9f7d4998e41021fac119deefb896224ac99f860011f73609e6e0e4540f93b273e56547dfd3aa1a035ba6689d89a0",
    );
    check(
        Blake3::new_derive_key(CONTEXT),
        8193,
        "af1e0346e389b17c23200270a64aa4e1ead98c61695d917de7d5b00491c9b0f12f20a01d6d622edf3de026a4db4e4526225debb93c1237934d71c7340bb5916158cbdafe9ac3225476b6ab57a12357db3abbad7a26c6e66290e44034fb08a20a8d0ec264f309994d2810c49cfba6989d7abb095897459f5425adb48aba07c5fb3c83c0",
    );
}

/// SHAKE output read in pieces that start on and off lane boundaries and
/// cross block boundaries equals one read.
#[test]
fn shake_output_in_uneven_pieces() {
    let mut whole = [0u8; 700];
    let mut x = Shake256::new();
    x.update(b"uneven");
    let mut r = x.finalize_xof();
    let mut r2 = r.clone();
    r.read(&mut whole);
    let mut got = [0u8; 700];
    let mut at = 0;
    for step in [3usize, 5, 8, 200, 13, 71, 16, 1, 7, 136, 240] {
        r2.read(&mut got[at..at + step]);
        at += step;
    }
    assert_eq!(at, 700);
    assert_eq!(got, whole);
}

/// XOF readers give the same bytes when asked one byte at a time.
#[test]
fn xof_output_one_byte_at_a_time() {
    let mut whole = [0u8; 300];
    let mut x = Shake128::new();
    x.update(b"input");
    let mut r = x.finalize_xof();
    let mut r2 = r.clone();
    r.read(&mut whole);
    for (i, want) in whole.iter().enumerate() {
        let mut one = [0u8; 1];
        r2.read(&mut one);
        assert_eq!(one[0], *want, "byte {i}");
    }
    let mut h = Blake3::new();
    h.update(b"input");
    let mut r = h.finalize_xof();
    let mut r2 = r.clone();
    r.read(&mut whole);
    for want in whole {
        let mut one = [0u8; 1];
        r2.read(&mut one);
        assert_eq!(one[0], want);
    }
}
