//! Secret-independence check in the "ctgrind" style: the payload marks
//! keys, nonces and secret inputs as *undefined* with valgrind memcheck's
//! client request, runs AES (portable and dispatched), GHASH (through GCM
//! and GMAC), ChaCha20, Poly1305, the AEAD seal paths and the tag compare,
//! the X25519 / X448 ladders and Ed25519 signing (see [`curves`]), the
//! ML-KEM-768 key generation and decapsulation, the RSA private
//! operation and the modular inversions, and the elliptic-curve scalar
//! multiplications, ECDSA signing and ECDH (see [`ec_cases`]), and only
//! then declares the outputs defined again. Under memcheck any
//! branch or memory address that depends on a secret is reported as a use
//! of an uninitialised value, and `--error-exitcode=1` turns it into a
//! failure.
//!
//! [`secret_independence_under_valgrind`] re-runs this test binary under
//! valgrind with only [`payload`] selected (as `tests/ctgrind.sh` does),
//! and checks that [`leaky_control`] is caught. Outside valgrind the client requests are no-ops
//! and the payload still checks its known answers.
#![allow(unsafe_code)]

use purecrypto::aead::Aead;

/// `VG_USERREQ_TOOL_BASE('M', 'C')`: memcheck's first request.
const MC_BASE: u64 = (b'M' as u64) << 24 | (b'C' as u64) << 16;
const MAKE_MEM_UNDEFINED: u64 = MC_BASE + 1;
const MAKE_MEM_DEFINED: u64 = MC_BASE + 2;

/// Issues a valgrind client request (the amd64 "special instruction"
/// preamble followed by `xchg rbx, rbx`); natively it does nothing and
/// returns 0.
#[cfg(target_arch = "x86_64")]
fn client_request(request: u64, addr: *const u8, len: usize) -> u64 {
    let args: [u64; 6] = [request, addr as u64, len as u64, 0, 0, 0];
    let result: u64;
    // SAFETY: the preamble rotates rdi by 3 + 13 + 61 + 51 = 128 bits
    // (a no-op) and `xchg rbx, rbx` exchanges a register with itself, so
    // natively nothing changes; under valgrind the core reads `args`
    // (which lives for the duration of the block) and writes rdx.
    unsafe {
        core::arch::asm!(
            "rol rdi, 3", "rol rdi, 13", "rol rdi, 61", "rol rdi, 51",
            "xchg rbx, rbx",
            inout("rdx") 0u64 => result,
            in("rax") args.as_ptr(),
            inout("rdi") 0u64 => _,
            options(nostack),
        );
    }
    result
}

#[cfg(not(target_arch = "x86_64"))]
fn client_request(_request: u64, _addr: *const u8, _len: usize) -> u64 {
    0
}

fn secret(bytes: &[u8]) {
    client_request(MAKE_MEM_UNDEFINED, bytes.as_ptr(), bytes.len());
}

fn public(bytes: &[u8]) {
    client_request(MAKE_MEM_DEFINED, bytes.as_ptr(), bytes.len());
}

fn secret_words(words: &[u64]) {
    client_request(MAKE_MEM_UNDEFINED, words.as_ptr().cast(), 8 * words.len());
}

fn public_words(words: &[u64]) {
    client_request(MAKE_MEM_DEFINED, words.as_ptr().cast(), 8 * words.len());
}

/// RSA private operation (CRT exponentiations, Garner recombination,
/// blinding, fault check) with the key's secret limbs undefined, and the
/// constant-time inversions on undefined inputs.
fn rsa_and_inversion() {
    use purecrypto::rng::HmacDrbg;
    let key = purecrypto::rsa::RsaPrivateKey::from_pkcs1_der(include_bytes!("../data/rsa/key2048.der")).unwrap();
    let mut rng = HmacDrbg::new(purecrypto::hash::HashAlgorithm::Sha256, &[1; 32], b"", b"ctgrind").unwrap();
    let input = [0x11u8; 256];
    for words in key.dangerous_secret_limbs() {
        secret_words(words);
    }
    // Twice: the first run draws a fresh blinding value, the second
    // uses the cached one.
    let (first, ok1) = key.raw_private_masked(&mut rng, &input).unwrap();
    let (second, ok2) = key.raw_private_masked(&mut rng, &input).unwrap();
    public(&first);
    public(&second);
    let oks = [ok1, ok2];
    public_words(&oks);
    for words in key.dangerous_secret_limbs() {
        public_words(words);
    }
    assert_eq!(oks, [1, 1]);
    assert_eq!(first, second);
    assert_eq!(key.public_key().raw_public(&first).unwrap(), input);

    // Inversion modulo a public odd modulus, and e^-1 modulo a secret
    // even one (how key generation derives dp and dq).
    let m = [0xffff_ffff_ffff_ffc5u64, 0x1234_5678_9abc_def1, 0x0fed_cba9_8765_4321];
    let a = [0x0123_4567_89ab_cdefu64, 42, 7];
    secret_words(&a);
    let (inv, ok) = purecrypto::bignum::inv_mod_odd(&a, &m);
    let even = [0xfeed_face_cafe_beeeu64, 0xdead_beef, 3];
    secret_words(&even);
    let (d, ok_small) = purecrypto::bignum::inv_small_mod(65537, &even);
    public_words(&inv);
    public_words(&d);
    let flags = [ok, ok_small];
    public_words(&flags);
    public_words(&a);
    public_words(&even);
    assert_eq!(flags, [1, 1]);
    let modulus = purecrypto::bignum::Modulus::new(&m).unwrap();
    let mut prod = [0u64; 3];
    modulus.mul(&mut prod, &modulus.to_monty(&a), &inv);
    assert_eq!(prod, [1, 0, 0]);
}

/// The checked workload. Every secret is marked undefined before use and
/// every result is declassified only after the primitive has finished.
#[test]
fn payload() {
    let mut key = [0x42u8; 32];
    let mut nonce = [0x24u8; 12];
    let mut msg = [0x5au8; 600];
    secret(&key);
    secret(&nonce);
    secret(&msg);

    // AES: portable key schedule and both block paths.
    let aes = purecrypto::cipher::aes::Aes::new(&key[..16]).unwrap();
    let mut blocks = [[7u8; 16]; 5];
    secret(blocks.as_flattened());
    aes.encrypt_blocks(&mut blocks);
    aes.decrypt_blocks(&mut blocks);
    let aes256 = purecrypto::cipher::aes::Aes::new(&key).unwrap();
    aes256.encrypt_blocks(&mut blocks);
    aes256.decrypt_blocks(&mut blocks);
    public(blocks.as_flattened());
    assert_eq!(blocks, [[7u8; 16]; 5]);

    // AES-GCM (CTR + GHASH), GMAC and the tag compare.
    let gcm = purecrypto::aead::gcm::AesGcm::new(&key).unwrap();
    let mut buf = msg;
    let tag = gcm.encrypt_in_place_detached(&nonce, b"header", &mut buf).unwrap();
    let gmac = purecrypto::mac::gmac::Gmac::new(&key[..16]).unwrap();
    let mac = gmac.compute(&nonce, &msg).unwrap();
    let mut same =
        [purecrypto::ct::eq(tag.as_bytes(), tag.as_bytes()) as u8, purecrypto::ct::eq(&mac, &msg[..16]) as u8];
    public(&same);
    assert_eq!(same, [1, 0]);
    same = [0; 2];
    let _ = same;

    // ChaCha20, Poly1305 and ChaCha20-Poly1305.
    let mut stream = msg;
    purecrypto::cipher::chacha20::ChaCha20::new(&key, &nonce, 1).unwrap().apply_keystream(&mut stream);
    let mut otk = [0u8; 32];
    otk.copy_from_slice(&stream[..32]);
    let mut poly = purecrypto::mac::poly1305::Poly1305::new(&otk);
    poly.update(&msg);
    let mut poly_tag = poly.finalize();
    let aead = purecrypto::aead::chacha20poly1305::ChaCha20Poly1305::new(&key).unwrap();
    // The short-message paths (one GHASH run, two-block ChaCha20).
    let mut short = [0x33u8; 20];
    secret(&short);
    let short_tags = (
        gcm.encrypt_in_place_detached(&nonce, b"", &mut short).unwrap(),
        aead.encrypt_in_place_detached(&nonce, b"", &mut short).unwrap(),
    );
    public(short_tags.0.as_bytes());
    public(short_tags.1.as_bytes());
    public(&short);
    let mut sealed = msg;
    let mut aead_tag =
        *aead.encrypt_in_place_detached(&nonce, b"", &mut sealed).unwrap().as_bytes().first_chunk::<16>().unwrap();

    public(&key);
    public(&nonce);
    public(&msg);
    public(&buf);
    public(&stream);
    public(&poly_tag);
    public(&sealed);
    public(&aead_tag);
    public(tag.as_bytes());
    // Round trips with fresh (public-key) instances give the payload a
    // way to fail outside valgrind too; the instances above hold key
    // material derived while it was undefined.
    let gcm = purecrypto::aead::gcm::AesGcm::new(&key).unwrap();
    let aead = purecrypto::aead::chacha20poly1305::ChaCha20Poly1305::new(&key).unwrap();
    assert_eq!(gcm.decrypt_in_place_detached(&nonce, b"header", &mut buf, tag.as_bytes()), Ok(()));
    assert_eq!(buf, msg);
    assert_eq!(aead.decrypt_in_place_detached(&nonce, b"", &mut sealed, &aead_tag), Ok(()));
    assert_eq!(sealed, msg);
    key.fill(0);
    nonce.fill(0);
    msg.fill(0);
    poly_tag.fill(0);
    aead_tag.fill(0);

    rsa_and_inversion();
    curves();
    ec_cases();
    mlkem_payload();
}

/// ML-DSA-44, -65 and -87 signing (hedged and deterministic) and SLH-DSA-SHAKE-128f
/// signing with the secret key parts marked undefined. The library
/// declassifies, through its ctgrind hook, only what FIPS 204 / 205 make
/// public: ML-DSA's restart decision, each attempt's c~, the accepted
/// hint and the key-validity verdict; SLH-DSA's R, FORS public key and
/// per-layer XMSS roots (all recomputed by verifiers from the signature).
#[test]
fn payload_pq_signatures() {
    purecrypto::mldsa::__set_ctgrind_public_hook(public);
    fn ml_dsa<P: purecrypto::mldsa::ParameterSet>() {
        let key = purecrypto::mldsa::SigningKey::<P>::from_seed(&[9; 32]);
        let vk = key.verifying_key();
        let mut sk = key.as_bytes().to_vec();
        // K (bytes 32..64) and s1, s2, t0 (128..) are secret; rho and tr are public.
        secret(&sk[32..64]);
        secret(&sk[128..]);
        let mut rnd = [0x77u8; 32];
        secret(&rnd);
        let signer = purecrypto::mldsa::SigningKey::<P>::from_bytes(&sk).unwrap();
        let mu = vk.compute_mu(b"ctgrind", b"").unwrap();
        let hedged = signer.sign_mu(&mu, &rnd).unwrap();
        let det = signer.sign_deterministic(b"ctgrind", b"ctx").unwrap();
        public(hedged.as_bytes());
        public(det.as_bytes());
        public(&sk);
        public(&rnd);
        assert_eq!(vk.verify_mu(&mu, &hedged), Ok(()));
        assert_eq!(vk.verify(b"ctgrind", b"ctx", &det), Ok(()));
        sk.fill(0);
        rnd.fill(0);
    }
    ml_dsa::<purecrypto::mldsa::MlDsa44>();
    ml_dsa::<purecrypto::mldsa::MlDsa65>();
    ml_dsa::<purecrypto::mldsa::MlDsa87>();

    use purecrypto::slhdsa::{SigningKey, SlhDsaShake128f};
    let key = SigningKey::<SlhDsaShake128f>::from_seeds(&[1; 16], &[2; 16], &[3; 16]).unwrap();
    let mut sk = key.as_bytes().to_vec();
    secret(&sk[..32]); // SK.seed and SK.prf
    let signer = SigningKey::<SlhDsaShake128f>::from_bytes(&sk).unwrap();
    let sig = signer.sign_deterministic(b"ctgrind", b"").unwrap();
    public(sig.as_bytes());
    public(&sk);
    assert_eq!(key.verifying_key().verify(b"ctgrind", b"", &sig), Ok(()));
    sk.fill(0);
}

/// Marks the bytes of a plain-data value (a key struct without heap
/// pointers) as secret or public.
fn mark_value<T>(value: &T, request: u64) {
    // SAFETY: `value` is a live reference; its `size_of` bytes are
    // readable for the duration of the call, and the client request only
    // changes valgrind's shadow state (natively it is a no-op).
    let bytes = unsafe { core::slice::from_raw_parts((value as *const T).cast::<u8>(), size_of::<T>()) };
    client_request(request, bytes.as_ptr(), bytes.len());
}

/// Elliptic curves: variable- and fixed-base scalar multiplication,
/// the ECDSA signing equation (a given nonce, through
/// `dangerous_sign_prehash_with_nonce`; RFC 6979's rejection loop
/// branches on whether a candidate is in range, by design) and ECDH, on
/// both formula families (a = -3: P-256, P-384; a = 0: secp256k1). Only
/// the final validity flags are declassified before they are looked at.
fn ec_cases() {
    use purecrypto::ec::ecdsa::{Signature, SigningKey};
    use purecrypto::ec::field::Field;
    use purecrypto::ec::{P256, P384, ProjectivePoint, ScalarP256, Secp256k1, SecretKey, ecdh};

    // Scalar multiplication with a secret scalar.
    let k = [0x5cu8; 32];
    secret(&k);
    let scalar = ScalarP256::from_be_bytes(&k).unwrap_or(ScalarP256::ONE);
    let g = ProjectivePoint::<P256>::generator();
    let (x1, _, ok1) = g.mul(&scalar).affine_parts();
    let (x2, _, ok2) = ProjectivePoint::<P256>::mul_base(&scalar).affine_parts();
    let mut xs = [0u8; 64];
    x1.write_be_bytes(&mut xs[..32]);
    x2.write_be_bytes(&mut xs[32..]);
    let mut oks = [ok1.unwrap_u8(), ok2.unwrap_u8()];
    public(&xs);
    public(&oks);
    assert_eq!(oks, [1, 1]);
    assert_eq!(xs[..32], xs[32..]);

    // The safegcd inversion of a secret scalar (the ECDSA nonce's path).
    let inv = scalar.invert();
    let mut one = [0u8; 32];
    inv.mul(&scalar).write_be_bytes(&mut one);
    public(&one);
    assert_eq!(one[31], 1);
    assert_eq!(one[..31], [0; 31]);

    // ECDSA signing with secret key, nonce and digest.
    let digest = [0x44u8; 32];
    secret(&digest);
    let p256 = SigningKey::<P256>::from_bytes(&[0x11; 32]).unwrap();
    let k1 = SigningKey::<Secp256k1>::from_bytes(&[0x12; 32]).unwrap();
    mark_value(&p256, MAKE_MEM_UNDEFINED);
    mark_value(&k1, MAKE_MEM_UNDEFINED);
    let s1 = p256.dangerous_sign_prehash_with_nonce(&digest, &k);
    let s2 = k1.dangerous_sign_prehash_with_nonce(&digest, &k);
    oks = [s1.is_some().unwrap_u8(), s2.is_some().unwrap_u8()];
    let mut sigs = [s1.unwrap_or(Signature::default()).to_p1363(), s2.unwrap_or(Signature::default()).to_p1363()];
    public(&oks);
    public(&sigs[0]);
    public(&sigs[1]);
    public(&digest);
    public(&k);
    mark_value(&p256, MAKE_MEM_DEFINED);
    mark_value(&k1, MAKE_MEM_DEFINED);
    assert_eq!(oks, [1, 1]);
    let s1 = Signature::<P256>::from_p1363(&sigs[0]).unwrap();
    p256.verifying_key().verify_prehash(&digest, &s1).unwrap();
    let s2 = Signature::<Secp256k1>::from_p1363(&sigs[1]).unwrap();
    k1.verifying_key().verify_prehash(&digest, &s2).unwrap();
    sigs[0].fill(0);

    // ECDH with a secret private key.
    let alice = SecretKey::<P384>::from_bytes(&[0x21; 48]).unwrap();
    let bob = SecretKey::<P384>::from_bytes(&[0x22; 48]).unwrap();
    let bob_public = bob.public_key();
    mark_value(&alice, MAKE_MEM_UNDEFINED);
    let (shared, ok) = ecdh::diffie_hellman_ct(&alice, &bob_public);
    let mut flag = [ok.unwrap_u8()];
    let mut z = shared.as_bytes().to_vec();
    public(&flag);
    public(&z);
    mark_value(&alice, MAKE_MEM_DEFINED);
    assert_eq!(flag, [1]);
    assert_eq!(z, ecdh::diffie_hellman(&bob, &alice.public_key()).unwrap().as_bytes());
    z.fill(0);

    // secp256k1 ECDH: the endomorphism's constant-time scalar split and
    // two-half multiplication.
    let alice = SecretKey::<Secp256k1>::from_bytes(&[0x23; 32]).unwrap();
    let bob = SecretKey::<Secp256k1>::from_bytes(&[0x24; 32]).unwrap();
    let bob_public = bob.public_key();
    mark_value(&alice, MAKE_MEM_UNDEFINED);
    let (shared, ok) = ecdh::diffie_hellman_ct(&alice, &bob_public);
    flag = [ok.unwrap_u8()];
    let mut z = shared.as_bytes().to_vec();
    public(&flag);
    public(&z);
    mark_value(&alice, MAKE_MEM_DEFINED);
    assert_eq!(flag, [1]);
    assert_eq!(z, ecdh::diffie_hellman(&bob, &alice.public_key()).unwrap().as_bytes());
    z.fill(0);
    flag[0] = 0;
    let _ = flag;
}

/// X25519, X448 (the ladders and the fixed-base public key) and Ed25519
/// key derivation and signing, on secrets marked undefined, checked
/// against the RFC 7748 / RFC 8032 answers once declassified. The
/// all-zero check of `diffie_hellman` branches on whether the peer key
/// has small order, a public fact, so the raw functions are checked here.
fn curves() {
    use hex_literal::hex;

    let mut k25519 = hex!("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    let u25519 = hex!("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
    secret(&k25519);
    let mut shared = purecrypto::x25519::x25519(&k25519, &u25519);
    let mut public25519 = purecrypto::x25519::PrivateKey::from_bytes(k25519).public_key().to_bytes();
    public(&shared);
    public(&public25519);
    public(&k25519);
    assert_eq!(shared, hex!("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
    assert_eq!(public25519, purecrypto::x25519::x25519(&k25519, &purecrypto::x25519::BASEPOINT));

    let mut k448 = hex!(
        "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3"
    );
    let u448 = hex!(
        "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086"
    );
    secret(&k448);
    let mut shared448 = purecrypto::x448::x448(&k448, &u448);
    public(&shared448);
    public(&k448);
    assert_eq!(
        shared448,
        hex!(
            "ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f"
        )
    );

    let mut seed = hex!("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    secret(&seed);
    let signing = purecrypto::ed25519::SigningKey::from_seed(&seed);
    let sig = signing.sign(b"").to_bytes();
    let prehashed = signing.sign_prehashed(b"ctx", b"abc").unwrap().to_bytes();
    let vk = signing.verifying_key().to_bytes();
    public(&sig);
    public(&prehashed);
    public(&vk);
    assert_eq!(vk, hex!("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    assert_eq!(
        sig,
        hex!(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        )
    );
    let verifier = purecrypto::ed25519::VerifyingKey::from_bytes(&vk).unwrap();
    // Read back from the declassified memory: with the signing inlined, the
    // optimiser may otherwise hand the verifier its own earlier copy of the
    // signature, which valgrind still sees as secret.
    // SAFETY: `prehashed` is a live, initialised local array.
    let prehashed = unsafe { core::ptr::read_volatile(&prehashed) };
    let prehashed = purecrypto::ed25519::Signature::from_bytes(&prehashed);
    assert_eq!(verifier.verify_prehashed(b"ctx", b"abc", &prehashed), Ok(()));
    public(&seed);
    drop(signing);
    seed.fill(0);
    k25519.fill(0);
    k448.fill(0);
    shared.fill(0);
    shared448.fill(0);
    public25519.fill(0);
}

/// ML-KEM-768: key generation from a secret seed (rho, which becomes part
/// of the public key, is declassified as soon as it is derived), and
/// decapsulation of an honest and a forged ciphertext with the whole key
/// object undefined (the secret `dk_pke` and `z`, and the decoded forms it
/// keeps). The select between the real key and the implicit-rejection key
/// must not branch.
fn mlkem_payload() {
    use purecrypto::mlkem::ml_kem_768::{Ciphertext, DecapsulationKey, EncapsulationKey, generate_from_seed};

    let seed = [0x17u8; 64];
    let (reference_dk, reference_ek) = generate_from_seed(&seed);
    let mut secret_seed = seed;
    secret(&secret_seed);
    let mut ek = [0u8; 1184];
    let mut dk = [0u8; 2400];
    let declassify = |rho: &[u8; 32]| public(rho);
    purecrypto::internal::ctgrind_keygen_768(&secret_seed, &mut ek, &mut dk, &declassify);
    public(&ek);
    public(&dk);
    assert_eq!(&ek, reference_ek.as_bytes());
    assert_eq!(&dk, reference_dk.as_bytes());

    let ek = EncapsulationKey::from_bytes(&ek).unwrap();
    let (honest, expected) = ek.encapsulate_derand(&[0x29; 32]);
    let mut forged_bytes = *honest.as_bytes();
    forged_bytes[100] ^= 4;
    let forged = Ciphertext::from_bytes(&forged_bytes).unwrap();

    let dk = DecapsulationKey::from_bytes(&dk).unwrap();
    // dk_pke (the first 1152 bytes) and z (the last 32) are the secrets;
    // the embedded ek and H(ek) are public. The key object also keeps the
    // decoded secret (and the public matrix and t): the whole object is
    // marked, so decapsulation may not branch on any of it.
    mark_value(&dk, MAKE_MEM_UNDEFINED);
    let good = dk.decapsulate(&honest);
    let bad = dk.decapsulate(&forged);
    public(good.as_bytes());
    public(bad.as_bytes());
    mark_value(&dk, MAKE_MEM_DEFINED);
    assert_eq!(good, expected);
    assert_ne!(bad, expected);
    secret_seed.fill(0);

    mlkem_decaps_512_1024();
}

/// ML-KEM-512 and ML-KEM-1024 decapsulation (honest and forged
/// ciphertexts) with the whole key object undefined.
fn mlkem_decaps_512_1024() {
    macro_rules! decaps {
        ($set:ident) => {{
            use purecrypto::mlkem::$set::{Ciphertext, generate_from_seed};
            let (dk, ek) = generate_from_seed(&[0x5du8; 64]);
            let (honest, expected) = ek.encapsulate_derand(&[0x3c; 32]);
            let mut forged_bytes = *honest.as_bytes();
            forged_bytes[7] ^= 0x80;
            let forged = Ciphertext::from_bytes(&forged_bytes).unwrap();
            // The whole key object (bytes and decoded form) is secret.
            mark_value(&dk, MAKE_MEM_UNDEFINED);
            let good = dk.decapsulate(&honest);
            let bad = dk.decapsulate(&forged);
            public(good.as_bytes());
            public(bad.as_bytes());
            mark_value(&dk, MAKE_MEM_DEFINED);
            assert_eq!(good, expected);
            assert_ne!(bad, expected);
        }};
    }
    decaps!(ml_kem_512);
    decaps!(ml_kem_1024);
}

/// A deliberately leaky workload (a secret-indexed table lookup) that the
/// check must catch: proof that the harness can fail.
#[test]
fn leaky_control() {
    static TABLE: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = (i as u8).wrapping_mul(7);
            i += 1;
        }
        t
    };
    let mut key = [3u8; 16];
    secret(&key);
    let mut out = [0u8; 16];
    for (o, k) in out.iter_mut().zip(&key) {
        *o = TABLE[usize::from(*k)];
    }
    public(&out);
    key.fill(0);
    assert_eq!(out, [21; 16]);
}

fn run_under_valgrind(exe: &std::path::Path, test: &str) -> std::process::Output {
    std::process::Command::new("valgrind")
        .args(["--error-exitcode=1", "--quiet"])
        .arg(exe)
        .args(["--exact", test, "--test-threads=1", "--nocapture"])
        .env("PURECRYPTO_UNDER_VALGRIND", "1")
        .output()
        .unwrap()
}

/// Runs [`payload`] under `valgrind --error-exitcode=1` (and checks that
/// [`leaky_control`] is caught).
#[test]
fn secret_independence_under_valgrind() {
    if std::env::var_os("PURECRYPTO_UNDER_VALGRIND").is_some() {
        return; // already the inner run
    }
    let found = std::process::Command::new("valgrind").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "valgrind is required in CI for the ctgrind check");
        eprintln!("SKIPPED: valgrind not installed (ctgrind secret-independence check)");
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let control = run_under_valgrind(&exe, "ctgrind::leaky_control");
    assert!(!control.status.success(), "valgrind missed a secret-indexed table lookup");
    let out = run_under_valgrind(&exe, "ctgrind::payload");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "valgrind reported secret-dependent behaviour:\n{stderr}");
    assert!(stdout.contains("1 passed"), "payload did not run under valgrind:\n{stdout}\n{stderr}");
    let out = run_under_valgrind(&exe, "ctgrind::payload_pq_signatures");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "valgrind reported secret-dependent behaviour in PQ signing:\n{stderr}");
    assert!(stdout.contains("1 passed"), "PQ signing payload did not run under valgrind:\n{stdout}\n{stderr}");
}
