//! ML-KEM key generation, encapsulation and decapsulation: purecrypto side
//! by side with RustCrypto `ml-kem` 0.3 and `libcrux-ml-kem` (AVX2 build) in
//! one run. All three run deterministically from fixed seeds, so no
//! generator cost is measured. `compare-mlkem.sh` turns the criterion
//! medians into ours/peer ratios.

use criterion::{Criterion, criterion_group, criterion_main};
use ml_kem::Decapsulate;
use std::hint::black_box;

const SEED: [u8; 64] = [0x5a; 64];
const M: [u8; 32] = [0xa5; 32];

macro_rules! bench_set {
    ($fn_name:ident, $label:literal, $ours:ident, $rc:ty, $lc:ident) => {
        fn $fn_name(c: &mut Criterion) {
            use purecrypto::mlkem::$ours as ours;
            let (dk, ek) = ours::generate_from_seed(&SEED);
            let (ct, _) = ek.encapsulate_derand(&M);

            let rc_seed = ml_kem::Seed::from(SEED);
            let m = ml_kem::B32::from(M);
            let rc_dk = ml_kem::DecapsulationKey::<$rc>::from_seed(rc_seed);
            let rc_ek = rc_dk.encapsulation_key().clone();
            let (rc_ct, _) = rc_ek.encapsulate_deterministic(&m);

            let lc_pair = libcrux_ml_kem::$lc::generate_key_pair(SEED);
            let (lc_ct, _) = libcrux_ml_kem::$lc::encapsulate(lc_pair.public_key(), M);

            let mut g = c.benchmark_group(concat!($label, "-keygen"));
            g.bench_function("purecrypto", |b| b.iter(|| ours::generate_from_seed(black_box(&SEED))));
            g.bench_function("rustcrypto", |b| {
                b.iter(|| ml_kem::DecapsulationKey::<$rc>::from_seed(black_box(rc_seed)))
            });
            g.bench_function("libcrux", |b| b.iter(|| libcrux_ml_kem::$lc::generate_key_pair(black_box(SEED))));
            g.finish();

            let mut g = c.benchmark_group(concat!($label, "-encaps"));
            g.bench_function("purecrypto", |b| b.iter(|| black_box(&ek).encapsulate_derand(&M)));
            g.bench_function("rustcrypto", |b| b.iter(|| black_box(&rc_ek).encapsulate_deterministic(&m)));
            g.bench_function("libcrux", |b| {
                b.iter(|| libcrux_ml_kem::$lc::encapsulate(black_box(lc_pair.public_key()), M))
            });
            g.finish();

            let mut g = c.benchmark_group(concat!($label, "-decaps"));
            g.bench_function("purecrypto", |b| b.iter(|| black_box(&dk).decapsulate(&ct)));
            g.bench_function("rustcrypto", |b| b.iter(|| black_box(&rc_dk).decapsulate(&rc_ct)));
            g.bench_function("libcrux", |b| {
                b.iter(|| libcrux_ml_kem::$lc::decapsulate(black_box(lc_pair.private_key()), &lc_ct))
            });
            g.finish();
        }
    };
}

bench_set!(mlkem512, "mlkem512", ml_kem_512, ml_kem::MlKem512, mlkem512);
bench_set!(mlkem768, "mlkem768", ml_kem_768, ml_kem::MlKem768, mlkem768);
bench_set!(mlkem1024, "mlkem1024", ml_kem_1024, ml_kem::MlKem1024, mlkem1024);

criterion_group!(benches, mlkem512, mlkem768, mlkem1024);
criterion_main!(benches);
