//! The one place compcol uses `unsafe`: x86-64 SIMD kernels for CRC-32
//! (PCLMULQDQ folding) and Adler-32 (AVX2), picked at run time.
//!
//! Entry points: [`crc32_update`], [`crc32c_update`] (SSE4.2) and
//! [`adler32_update`]. Each returns
//! `None` when the CPU lacks the instructions (or the input is too short
//! to be worth it) and the caller then runs the portable kernel, which is
//! always compiled and tested. [`with_bmi2`] runs safe code compiled for
//! BMI2 (the bit readers of the zstd decoder: shifts by a register
//! without the `cl` dance). CPU detection runs once and is cached in an
//! atomic (0 = not yet detected). Building with
//! `RUSTFLAGS='--cfg compcol_backend="soft"'` forces the portable path.
#![allow(unsafe_code)]

#[cfg(target_arch = "x86_64")]
mod x86_avx2;
#[cfg(all(target_arch = "x86_64", feature = "snappy"))]
mod x86_crc32c;
#[cfg(target_arch = "x86_64")]
mod x86_pclmul;

use core::sync::atomic::{AtomicU8, Ordering};

/// Set once detection has run, so a cached 0 means "not yet detected".
const DETECTED: u8 = 1 << 7;
const HAS_PCLMUL: u8 = 1 << 0;
const HAS_AVX2: u8 = 1 << 1;
const HAS_BMI2: u8 = 1 << 2;
const HAS_SSE42: u8 = 1 << 3;

static FEATURES: AtomicU8 = AtomicU8::new(0);

/// Reads CPUID/XGETBV once.
#[cfg(target_arch = "x86_64")]
fn detect() -> u8 {
    use core::arch::x86_64::{__cpuid, __cpuid_count};
    let mut found = DETECTED;
    if cfg!(compcol_backend = "soft") {
        return found;
    }
    let leaf1 = __cpuid(1);
    let pclmul = leaf1.ecx & (1 << 1) != 0;
    let sse41 = leaf1.ecx & (1 << 19) != 0;
    let osxsave = leaf1.ecx & (1 << 27) != 0;
    let avx = leaf1.ecx & (1 << 28) != 0;
    if pclmul && sse41 {
        found |= HAS_PCLMUL;
    }
    if leaf1.ecx & (1 << 20) != 0 {
        found |= HAS_SSE42;
    }
    let max_leaf = __cpuid(0).eax;
    let leaf7 = if max_leaf >= 7 { __cpuid_count(7, 0).ebx } else { 0 };
    let avx2 = leaf7 & (1 << 5) != 0;
    // BMI1 (bit 3) and BMI2 (bit 8): general-purpose registers only, no
    // OS support needed.
    if leaf7 & (1 << 3) != 0 && leaf7 & (1 << 8) != 0 {
        found |= HAS_BMI2;
    }
    if avx2 && avx && osxsave {
        /// XCR0, read only after CPUID said OSXSAVE is set.
        #[target_feature(enable = "xsave")]
        fn xcr0() -> u64 {
            // SAFETY: XGETBV with ECX = 0 is valid whenever OSXSAVE is set,
            // which the caller checked.
            unsafe { core::arch::x86_64::_xgetbv(0) }
        }
        // SAFETY: the CPU supports XSAVE (implied by OSXSAVE, checked above).
        let xcr0 = unsafe { xcr0() };
        // The OS saves XMM (bit 1) and YMM (bit 2) state.
        if xcr0 & 0b110 == 0b110 {
            found |= HAS_AVX2;
        }
    }
    found
}

#[cfg(target_arch = "x86_64")]
fn features() -> u8 {
    // Built for a CPU that has everything (e.g. -C target-cpu=native):
    // no detection needed.
    if cfg!(all(
        target_feature = "pclmulqdq",
        target_feature = "sse4.1",
        target_feature = "sse4.2",
        target_feature = "avx2",
        target_feature = "bmi1",
        target_feature = "bmi2"
    )) && !cfg!(compcol_backend = "soft")
    {
        return DETECTED | HAS_PCLMUL | HAS_AVX2 | HAS_BMI2 | HAS_SSE42;
    }
    let f = FEATURES.load(Ordering::Relaxed);
    if f != 0 {
        return f;
    }
    let f = detect();
    FEATURES.store(f, Ordering::Relaxed);
    f
}

/// Advances the raw (pre-inverted) CRC-32 state with PCLMULQDQ folding, or
/// `None` when unavailable.
#[cfg(target_arch = "x86_64")]
pub(crate) fn crc32_update(state: u32, data: &[u8]) -> Option<u32> {
    if data.len() < x86_pclmul::MIN_LEN || features() & HAS_PCLMUL == 0 {
        return None;
    }
    let bulk = data.len() & !15;
    let (head, tail) = data.split_at(bulk);
    // SAFETY: PCLMULQDQ and SSE4.1 are present (checked just above), and
    // `head` is at least MIN_LEN bytes and a multiple of 16.
    let state = unsafe { x86_pclmul::crc32_fold(state, head) };
    Some(crate::checksum::portable::crc32_update(state, tail))
}

/// Advances the raw (pre-inverted) CRC-32C state with SSE4.2's `crc32`
/// instruction, or `None` when unavailable.
#[cfg(all(target_arch = "x86_64", feature = "snappy"))]
pub(crate) fn crc32c_update(state: u32, data: &[u8]) -> Option<u32> {
    if features() & HAS_SSE42 == 0 {
        return None;
    }
    // SAFETY: SSE4.2 is present (checked just above).
    Some(unsafe { x86_crc32c::crc32c_sse42(state, data) })
}

/// Advances the packed Adler-32 value with AVX2, or `None` when
/// unavailable.
#[cfg(target_arch = "x86_64")]
pub(crate) fn adler32_update(adler: u32, data: &[u8]) -> Option<u32> {
    if data.len() < 64 || features() & HAS_AVX2 == 0 {
        return None;
    }
    // SAFETY: AVX2 is present and enabled by the OS (checked just above).
    Some(unsafe { x86_avx2::adler32(adler, data) })
}

/// Runs `k`, compiled for BMI1/BMI2 when the CPU has them: its
/// `#[inline(always)]` body is inlined into a function built with those
/// features, so it is the same safe code, only encoded with more
/// instructions to choose from.
#[cfg(all(target_arch = "x86_64", feature = "zstd"))]
#[inline(always)]
pub(crate) fn with_bmi2<K: crate::zstd::Kernel>(k: K) -> K::Output {
    /// The BMI-enabled frame `k` is inlined into.
    #[target_feature(enable = "bmi1,bmi2")]
    fn run<K: crate::zstd::Kernel>(k: K) -> K::Output {
        k.run()
    }
    if features() & HAS_BMI2 != 0 {
        // SAFETY: the CPU has BMI1 and BMI2 (checked just above); `run`
        // only needs those.
        unsafe { run(k) }
    } else {
        k.run()
    }
}

/// Runs `k` as it is (not x86-64: no BMI2 to ask for).
#[cfg(all(not(target_arch = "x86_64"), feature = "zstd"))]
#[inline(always)]
pub(crate) fn with_bmi2<K: crate::zstd::Kernel>(k: K) -> K::Output {
    k.run()
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::checksum::portable;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    #[test]
    fn kernels_run_on_this_machine_when_detected() {
        let f = features();
        assert_ne!(f & DETECTED, 0);
        let data: Vec<u8> = (0..4096u32).map(|i| (i * 131 + 7) as u8).collect();
        if f & HAS_PCLMUL != 0 {
            assert_eq!(crc32_update(!0, &data), Some(portable::crc32_update(!0, &data)));
        }
        if f & HAS_AVX2 != 0 {
            assert_eq!(adler32_update(1, &data), Some(portable::adler32_update(1, &data)));
        }
        #[cfg(feature = "snappy")]
        if f & HAS_SSE42 != 0 {
            // CRC-32C of "123456789" is 0xE3069283 (raw state, so inverted).
            assert_eq!(crc32c_update(!0, b"123456789").map(|s| !s), Some(0xE306_9283));
        }
    }

    #[cfg(feature = "zstd")]
    #[test]
    fn bmi2_frame_runs_the_kernel() {
        struct Shifts<'a>(&'a [u64]);
        impl crate::zstd::Kernel for Shifts<'_> {
            type Output = u64;
            #[inline(always)]
            fn run(self) -> u64 {
                self.0.iter().enumerate().map(|(i, &v)| v >> (i % 61)).fold(0, u64::wrapping_add)
            }
        }
        // Whichever frame runs it, the result is the kernel's own.
        let data: Vec<u64> = (0..64u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
        let want: u64 = data.iter().enumerate().map(|(i, &v)| v >> (i % 61)).fold(0, u64::wrapping_add);
        assert_eq!(with_bmi2(Shifts(&data)), want);
    }

    proptest! {
        #[test]
        fn simd_equals_portable(data in proptest::collection::vec(any::<u8>(), 0..3000), seed in any::<u32>()) {
            // Every start alignment 0..16 of the same random buffer.
            for offset in 0..16 {
                let d = data.get(offset.min(data.len())..).unwrap_or(&[]);
                let want = portable::crc32_update(seed, d);
                prop_assert_eq!(crc32_update(seed, d).unwrap_or(want), want);
                let adler = (seed % 65_521) | ((seed >> 16) % 65_521) << 16;
                let want = portable::adler32_update(adler, d);
                prop_assert_eq!(adler32_update(adler, d).unwrap_or(want), want);
            }
        }

        #[test]
        fn simd_equals_portable_on_all_ff(len in 0usize..20_000, offset in 0usize..16) {
            let data = alloc::vec![0xffu8; len + offset];
            let d = &data[offset..];
            let want = portable::adler32_update(0xfff0_fff0, d);
            prop_assert_eq!(adler32_update(0xfff0_fff0, d).unwrap_or(want), want);
            let want = portable::crc32_update(0, d);
            prop_assert_eq!(crc32_update(0, d).unwrap_or(want), want);
        }
    }
}
