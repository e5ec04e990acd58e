//! BMI2 + ADX build of the elliptic-curve field multiplication.
//!
//! Entry point: [`mont_mul`], which runs the portable Montgomery kernel
//! (`crate::ec` limbs) compiled with `bmi2,adx` enabled, so LLVM emits
//! `mulx` (a flag-free 64x64 multiply that lets the two carry chains of
//! CIOS interleave) and `adcx`/`adox` where it can. Returns `None` when
//! the CPU lacks either feature, and the caller uses the portable build.

use super::detect::{Feature, features};

/// `a * b * 2^(-64N) mod p`, if BMI2 and ADX are available.
#[inline]
pub(crate) fn mont_mul<const N: usize>(a: &[u64; N], b: &[u64; N], p: &[u64; N], n0: u64) -> Option<[u64; N]> {
    let f = features();
    if !(f.has(Feature::Bmi2) && f.has(Feature::Adx)) {
        return None;
    }
    // SAFETY: the CPU has BMI2 and ADX (checked above); the kernel is safe
    // Rust compiled for those features.
    Some(unsafe { mont_mul_bmi2_adx(a, b, p, n0) })
}

/// # Safety
/// The CPU must support BMI2 and ADX.
#[target_feature(enable = "bmi2,adx")]
unsafe fn mont_mul_bmi2_adx<const N: usize>(a: &[u64; N], b: &[u64; N], p: &[u64; N], n0: u64) -> [u64; N] {
    crate::ec::mont_mul_kernel(a, b, p, n0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn agrees_with_portable_kernel() {
        let p: [u64; 4] = [0xffff_ffff_ffff_ffff, 0x0000_0000_ffff_ffff, 0, 0xffff_ffff_0000_0001];
        let n0 = 1u64;
        let mut a = [0x0123_4567_89ab_cdefu64, 0xfedc_ba98_7654_3210, 0x1111, 0x7fff_ffff_0000_0000];
        let b = [0x5555u64, 0xaaaa_aaaa_aaaa_aaaa, 0x3333_3333, 0x0000_0001_0000_0000];
        for _ in 0..100 {
            let want = crate::ec::mont_mul_kernel(&a, &b, &p, n0);
            if let Some(got) = super::mont_mul(&a, &b, &p, n0) {
                assert_eq!(got, want);
            }
            a = want;
        }
    }
}
