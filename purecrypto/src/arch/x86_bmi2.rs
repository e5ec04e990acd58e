//! BMI2 builds of portable kernels: SHA-512 compression and Keccak-f[1600].
//!
//! Entry points: [`sha512_compress`] and [`keccak_f`], which run the same
//! Rust code as the portable path compiled with `bmi1,bmi2` enabled (LLVM
//! then emits `rorx` and `andn`, which shorten the round functions), and
//! return `false` when the CPU lacks BMI2 or the soft backend is forced.

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
use super::detect::{Feature, features};

/// SHA-512 over `blocks.len() / 128` blocks, if BMI2 is available.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) fn sha512_compress(state: &mut [u64; 8], blocks: &[u8]) -> bool {
    if !features().has(Feature::Bmi2) {
        return false;
    }
    // SAFETY: the CPU has BMI2 (checked above); BMI1 ships with every
    // BMI2 CPU. The kernel is safe Rust compiled for those features.
    unsafe { sha512_bmi2(state, blocks) };
    true
}

/// Keccak-f[1600] on `state`, if BMI2 is available.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) fn keccak_f(state: &mut [u64; 25]) -> bool {
    if !features().has(Feature::Bmi2) {
        return false;
    }
    // SAFETY: as in `sha512_compress`.
    unsafe { keccak_bmi2(state) };
    true
}

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn sha512_compress(_state: &mut [u64; 8], _blocks: &[u8]) -> bool {
    false
}

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn keccak_f(_state: &mut [u64; 25]) -> bool {
    false
}

/// # Safety
/// The CPU must support BMI1 and BMI2.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[target_feature(enable = "bmi1,bmi2")]
unsafe fn sha512_bmi2(state: &mut [u64; 8], blocks: &[u8]) {
    crate::hash::sha512_compress_body(state, blocks);
}

/// # Safety
/// The CPU must support BMI1 and BMI2.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[target_feature(enable = "bmi1,bmi2")]
unsafe fn keccak_bmi2(state: &mut [u64; 25]) {
    crate::hash::keccak_f_body(state);
}
