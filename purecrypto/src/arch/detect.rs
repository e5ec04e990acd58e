//! Run-time CPU feature detection, cached in one atomic.
//!
//! Entry point: [`features`]. The first call runs CPUID (and XGETBV, to
//! confirm the OS saves the wide registers) and stores the result; later
//! calls are one relaxed load. Features the compiler already guarantees via
//! `target_feature` are reported without running CPUID.

use core::sync::atomic::{AtomicU32, Ordering};

/// One CPU capability a backend can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u32)]
pub enum Feature {
    /// AES-NI round instructions.
    Aes = 1 << 0,
    /// Carry-less multiplication (GHASH, POLYVAL, CRC folding).
    Pclmulqdq = 1 << 1,
    /// SSSE3 byte shuffles.
    Ssse3 = 1 << 2,
    /// SSE4.1.
    Sse41 = 1 << 3,
    /// 256-bit AVX2 integer operations (with OS support for YMM state).
    Avx2 = 1 << 4,
    /// BMI2 (`mulx`).
    Bmi2 = 1 << 5,
    /// ADX (`adcx` / `adox`).
    Adx = 1 << 6,
    /// SHA-1 / SHA-256 extensions.
    Sha = 1 << 7,
    /// 256-bit vector AES (with OS support for YMM state).
    Vaes = 1 << 8,
    /// 256-bit vector carry-less multiplication.
    Vpclmulqdq = 1 << 9,
    /// AVX-512 Foundation (with OS support for opmask and ZMM state).
    Avx512f = 1 << 10,
    /// AVX-512 byte and word operations (masked byte loads and stores).
    Avx512bw = 1 << 11,
    /// AVX-512 instructions on 128- and 256-bit registers.
    Avx512vl = 1 << 12,
    /// AVX-512 52-bit integer multiply-add (`vpmadd52luq` / `vpmadd52huq`).
    Avx512ifma = 1 << 13,
}

/// The set of features this CPU has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Features(u32);

impl Features {
    /// Whether `feature` is available.
    #[must_use]
    #[inline(always)]
    pub const fn has(self, feature: Feature) -> bool {
        self.0 & feature as u32 != 0
    }

    /// Whether every feature in `all` is available.
    #[must_use]
    pub fn has_all(self, all: &[Feature]) -> bool {
        all.iter().all(|&f| self.has(f))
    }
}

/// Bit 31 marks the cache as filled, so an empty feature set is cached too.
const DETECTED: u32 = 1 << 31;
static CACHE: AtomicU32 = AtomicU32::new(0);

/// The CPU's features, detected once per process.
///
/// Always empty when built with `--cfg purecrypto_backend="soft"`, or (in
/// `std` builds) when the process starts with `PURECRYPTO_BACKEND=soft` in
/// its environment.
///
/// The cached path is inlined (per-operation dispatchers such as the
/// P-256 field kernels call this often); the first call's probe is not.
#[must_use]
#[inline]
pub fn features() -> Features {
    if cfg!(purecrypto_backend = "soft") {
        return Features(0);
    }
    let cached = CACHE.load(Ordering::Relaxed);
    if cached & DETECTED != 0 {
        return Features(cached & !DETECTED);
    }
    detect_and_cache()
}

/// The first call of [`features`]: probes and fills the cache.
#[cold]
#[inline(never)]
fn detect_and_cache() -> Features {
    let bits = if soft_requested() { 0 } else { probe() };
    CACHE.store(bits | DETECTED, Ordering::Relaxed);
    Features(bits)
}

/// Whether the environment asks for the portable backends only.
///
/// The run-time twin of `--cfg purecrypto_backend="soft"`, in the spirit of
/// OpenSSL's `OPENSSL_ia32cap`: it can only take features away, and it lets
/// one compiled test binary run the whole suite on the portable code too
/// (CI does so instead of compiling everything a second time).
#[cfg(feature = "std")]
fn soft_requested() -> bool {
    std::env::var_os("PURECRYPTO_BACKEND").is_some_and(|v| v == "soft")
}

#[cfg(not(feature = "std"))]
fn soft_requested() -> bool {
    false
}

#[cfg(target_arch = "x86_64")]
// CPUID intrinsics are safe fns on recent compilers and unsafe on the
// MSRV; the blocks stay (with their SAFETY notes) for the older ones.
#[allow(unused_unsafe)]
fn probe() -> u32 {
    use core::arch::x86_64::{__cpuid, __cpuid_count};

    const fn bit(reg: u32, n: u32) -> bool {
        reg >> n & 1 == 1
    }
    // SAFETY: CPUID exists on every x86_64 CPU; leaf 0 reports the highest
    // leaf, checked below before leaf 7 is read.
    let max_leaf = unsafe { __cpuid(0) }.eax;
    // SAFETY: as above; leaf 1 always exists.
    let leaf1 = unsafe { __cpuid(1) };
    let leaf7 = if max_leaf >= 7 {
        // SAFETY: leaf 7 exists (max_leaf checked).
        Some(unsafe { __cpuid_count(7, 0) })
    } else {
        None
    };
    let (ebx7, ecx7) = leaf7.map_or((0, 0), |l| (l.ebx, l.ecx));

    let osxsave = bit(leaf1.ecx, 27);
    let ymm_saved = osxsave && {
        // SAFETY: XGETBV is available when CPUID reports OSXSAVE (checked
        // by the `&&` above); register 0 is XCR0.
        let xcr0 = unsafe { xgetbv0() };
        xcr0 & 0b110 == 0b110
    };
    // AVX-512 also needs the OS to save the opmask registers and both
    // halves of the ZMM file: XCR0 bits 5, 6 and 7 on top of SSE and AVX.
    let zmm_saved = osxsave && {
        // SAFETY: as above, OSXSAVE was checked by the `&&`.
        let xcr0 = unsafe { xgetbv0() };
        xcr0 & 0b1110_0110 == 0b1110_0110
    };
    let avx512f = zmm_saved && bit(ebx7, 16);

    let mut bits = 0;
    let mut set = |on: bool, f: Feature| {
        if on {
            bits |= f as u32;
        }
    };
    set(bit(leaf1.ecx, 25), Feature::Aes);
    set(bit(leaf1.ecx, 1), Feature::Pclmulqdq);
    set(bit(leaf1.ecx, 9), Feature::Ssse3);
    set(bit(leaf1.ecx, 19), Feature::Sse41);
    set(ymm_saved && bit(leaf1.ecx, 28) && bit(ebx7, 5), Feature::Avx2);
    set(bit(ebx7, 8), Feature::Bmi2);
    set(bit(ebx7, 19), Feature::Adx);
    set(bit(ebx7, 29), Feature::Sha);
    set(ymm_saved && bit(ecx7, 9), Feature::Vaes);
    set(ymm_saved && bit(ecx7, 10), Feature::Vpclmulqdq);
    set(avx512f, Feature::Avx512f);
    set(avx512f && bit(ebx7, 30), Feature::Avx512bw);
    set(avx512f && bit(ebx7, 31), Feature::Avx512vl);
    set(avx512f && bit(ebx7, 21), Feature::Avx512ifma);
    bits
}

/// Reads XCR0.
///
/// # Safety
/// The CPU must support XGETBV (CPUID.1:ECX.OSXSAVE).
#[cfg(target_arch = "x86_64")]
unsafe fn xgetbv0() -> u64 {
    let (eax, edx): (u32, u32);
    // SAFETY: the caller guarantees XGETBV exists; ECX = 0 selects XCR0,
    // which is always readable; the instruction touches no memory.
    unsafe {
        core::arch::asm!("xgetbv", in("ecx") 0u32, out("eax") eax, out("edx") edx, options(nomem, nostack, preserves_flags));
    }
    u64::from(edx) << 32 | u64::from(eax)
}

#[cfg(not(target_arch = "x86_64"))]
fn probe() -> u32 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_is_cached_and_stable() {
        let first = features();
        assert_eq!(features(), first);
        assert!(CACHE.load(Ordering::Relaxed) & DETECTED != 0 || cfg!(purecrypto_backend = "soft"));
        if soft_requested() {
            assert_eq!(first, Features(0));
        }
    }

    #[cfg(all(target_arch = "x86_64", feature = "std"))]
    #[test]
    fn agrees_with_std_detection() {
        if cfg!(purecrypto_backend = "soft") || soft_requested() {
            assert_eq!(features(), Features(0));
            return;
        }
        let f = features();
        assert_eq!(f.has(Feature::Aes), std::is_x86_feature_detected!("aes"));
        assert_eq!(f.has(Feature::Pclmulqdq), std::is_x86_feature_detected!("pclmulqdq"));
        assert_eq!(f.has(Feature::Avx2), std::is_x86_feature_detected!("avx2"));
        assert_eq!(f.has(Feature::Sha), std::is_x86_feature_detected!("sha"));
        assert_eq!(f.has(Feature::Bmi2), std::is_x86_feature_detected!("bmi2"));
        assert_eq!(f.has(Feature::Adx), std::is_x86_feature_detected!("adx"));
        assert_eq!(f.has(Feature::Vaes), std::is_x86_feature_detected!("vaes"));
        assert_eq!(f.has(Feature::Vpclmulqdq), std::is_x86_feature_detected!("vpclmulqdq"));
        assert_eq!(f.has(Feature::Avx512f), std::is_x86_feature_detected!("avx512f"));
        assert_eq!(f.has(Feature::Avx512bw), std::is_x86_feature_detected!("avx512bw"));
        assert_eq!(f.has(Feature::Avx512vl), std::is_x86_feature_detected!("avx512vl"));
        assert_eq!(f.has(Feature::Avx512ifma), std::is_x86_feature_detected!("avx512ifma"));
    }
}
