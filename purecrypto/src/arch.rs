//! CPU-specific backends: the only module of purecrypto allowed `unsafe`.
//!
//! Entry point: [`detect::features`], the cached run-time CPU feature set
//! that each primitive's dispatcher consults before trying a backend here
//! (one file per ISA: `x86_aesni.rs`, `x86_pclmul.rs`, ...), falling back
//! to the portable `soft` code otherwise. Building with
//! `RUSTFLAGS='--cfg purecrypto_backend="soft"'` makes every dispatcher
//! take the portable path, so CI runs the whole suite both ways.
#![allow(unsafe_code)]

mod barrier;
pub mod detect;
#[cfg(feature = "std")]
pub(crate) mod os_entropy;
#[cfg(feature = "std")]
pub(crate) mod os_poll;
#[cfg(feature = "std")]
pub(crate) mod os_time;
pub(crate) mod x86_adx;
pub(crate) mod x86_avx2_keccak4;
pub(crate) mod x86_avx2_mldsa;
pub(crate) mod x86_avx2_mlkem;
pub(crate) mod x86_avx2_sha512;
pub(crate) mod x86_bmi2;
pub(crate) mod x86_sha;
pub(crate) mod x86_sha_x4;

pub(crate) use barrier::value_barrier;

#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_aesni;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_avx2_chacha;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_avx2_poly1305;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_avx512_chacha;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_avx512ifma_monty;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_avx512ifma_poly1305;
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) mod x86_ec;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_pclmul;
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86_vaes;

/// The widest backend tier a dispatcher may pick (for primitives with
/// several SIMD tiers, so tests can run each tier on a CPU that has the
/// wider ones too). Tiers the CPU lacks fall through to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// The best backend the CPU supports.
    Best,
    /// At most AVX2 (only tests pin this tier).
    #[cfg_attr(not(test), allow(dead_code))]
    Avx2,
    /// The portable code only.
    Soft,
}
