//! Secret-independence check in the "ctgrind" style: the payload marks
//! keys, nonces and secret inputs as *undefined* with valgrind memcheck's
//! client request, runs AES (portable and dispatched), GHASH (through GCM
//! and GMAC), ChaCha20, Poly1305, the AEAD seal paths, the tag compare and
//! ML-KEM-768 key generation and decapsulation, and only then declares the outputs defined again. Under memcheck any
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
    mlkem_payload();
}

/// ML-KEM-768: key generation from a secret seed (rho, which becomes part
/// of the public key, is declassified as soon as it is derived), and
/// decapsulation of an honest and a forged ciphertext with the secret part
/// of the key (`dk_pke` and `z`) undefined. The select between the real
/// key and the implicit-rejection key must not branch.
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
    // the embedded ek and H(ek) are public.
    secret(&dk.as_bytes()[..1152]);
    secret(&dk.as_bytes()[2368..]);
    let good = dk.decapsulate(&honest);
    let bad = dk.decapsulate(&forged);
    public(good.as_bytes());
    public(bad.as_bytes());
    public(dk.as_bytes());
    assert_eq!(good, expected);
    assert_ne!(bad, expected);
    secret_seed.fill(0);
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
}
