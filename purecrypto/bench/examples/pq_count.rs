//! Runs one PQC operation (ours or a peer's) a given number of times, for
//! instruction counts under callgrind (`valgrind --tool=callgrind`): the
//! difference between two iteration counts divided by their difference is
//! the per-operation count, setup excluded.
//!
//!   pq_count OP ITERS
//!
//! OP: mlkem768-{keygen,encaps,decaps}-{ours,libcrux,rustcrypto},
//! mlkem768-decaps-ours-bytes (`ParameterSet::decapsulate` on the bytes),
//! slh-sha2-{sign,verify}-{ours,rustcrypto}. `callgrind-pq.sh` runs it.

use ml_kem::Decapsulate;
use std::hint::black_box;

const SEED: [u8; 64] = [0x5a; 64];
const M: [u8; 32] = [0xa5; 32];
const MSG: &[u8] = b"a 32-byte message to be signed..";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let op = args.get(1).map_or("mlkem768-decaps-ours", String::as_str);
    let iters: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    use purecrypto::mlkem::ml_kem_768 as ours;
    if op.starts_with("mlkem") {
        let (dk, ek) = ours::generate_from_seed(&SEED);
        let (ct, _) = ek.encapsulate_derand(&M);
        let rc_dk = ml_kem::DecapsulationKey::<ml_kem::MlKem768>::from_seed(ml_kem::Seed::from(SEED));
        let rc_ek = rc_dk.encapsulation_key().clone();
        let m = ml_kem::B32::from(M);
        let (rc_ct, _) = rc_ek.encapsulate_deterministic(&m);
        let lc = libcrux_ml_kem::mlkem768::generate_key_pair(SEED);
        let (lc_ct, _) = libcrux_ml_kem::mlkem768::encapsulate(lc.public_key(), M);
        for _ in 0..iters {
            match op {
                "mlkem768-keygen-ours" => drop(black_box(ours::generate_from_seed(black_box(&SEED)))),
                "mlkem768-encaps-ours" => drop(black_box(black_box(&ek).encapsulate_derand(&M))),
                "mlkem768-decaps-ours" => drop(black_box(black_box(&dk).decapsulate(&ct))),
                // The byte-slice API: hash check, then decoding and matrix
                // sampling on every call (what the key object keeps).
                "mlkem768-decaps-ours-bytes" => drop(black_box(
                    purecrypto::mlkem::ParameterSet::MlKem768.decapsulate(black_box(dk.as_bytes()), ct.as_bytes()),
                )),
                "mlkem768-keygen-libcrux" => {
                    drop(black_box(libcrux_ml_kem::mlkem768::generate_key_pair(black_box(SEED))))
                }
                "mlkem768-encaps-libcrux" => {
                    drop(black_box(libcrux_ml_kem::mlkem768::encapsulate(black_box(lc.public_key()), M)))
                }
                "mlkem768-decaps-libcrux" => {
                    let _ = black_box(libcrux_ml_kem::mlkem768::decapsulate(black_box(lc.private_key()), &lc_ct));
                }
                "mlkem768-keygen-rustcrypto" => drop(black_box(
                    ml_kem::DecapsulationKey::<ml_kem::MlKem768>::from_seed(black_box(ml_kem::Seed::from(SEED))),
                )),
                "mlkem768-encaps-rustcrypto" => drop(black_box(black_box(&rc_ek).encapsulate_deterministic(&m))),
                "mlkem768-decaps-rustcrypto" => drop(black_box(black_box(&rc_dk).decapsulate(&rc_ct))),
                other => panic!("unknown op {other}"),
            }
        }
    } else {
        let (s1, s2, s3) = ([1u8; 16], [2u8; 16], [3u8; 16]);
        let sk =
            purecrypto::slhdsa::SigningKey::<purecrypto::slhdsa::SlhDsaSha2_128f>::from_seeds(&s1, &s2, &s3).unwrap();
        let vk = sk.verifying_key();
        let sig = sk.sign_deterministic(MSG, b"").unwrap();
        let psk = slh_dsa::SigningKey::<slh_dsa::Sha2_128f>::slh_keygen_internal(&s1, &s2, &s3);
        let pvk: &slh_dsa::VerifyingKey<slh_dsa::Sha2_128f> = psk.as_ref();
        let psig = psk.try_sign_with_context(MSG, b"", None).unwrap();
        for _ in 0..iters {
            match op {
                "slh-sha2-sign-ours" => drop(black_box(sk.sign_deterministic(black_box(MSG), b"").unwrap())),
                "slh-sha2-verify-ours" => vk.verify(black_box(MSG), b"", &sig).unwrap(),
                "slh-sha2-sign-rustcrypto" => {
                    drop(black_box(psk.try_sign_with_context(black_box(MSG), b"", None).unwrap()))
                }
                "slh-sha2-verify-rustcrypto" => pvk.try_verify_with_context(black_box(MSG), b"", &psig).unwrap(),
                other => panic!("unknown op {other}"),
            }
        }
    }
}
