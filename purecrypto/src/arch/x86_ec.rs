//! BMI2 + ADX builds of the elliptic-curve point addition and doubling.
//!
//! Entry points: [`point_add`] and [`point_double`], the P-256
//! Montgomery kernels [`p256_mont_mul`] / [`p256_mont_square`], and the
//! P-256 field addition and subtraction [`p256_add`] / [`p256_sub`]
//! (plain x86_64 instructions on register operands, so they need no
//! feature check and serve every x86_64 build). The point
//! operations run the
//! portable complete formulas of `crate::ec::point` (whose Montgomery
//! field arithmetic is fully inlined) compiled with `bmi2,adx` enabled,
//! so every field product in them uses `mulx`, the flag-free 64x64
//! multiply that lets the CIOS carry chains interleave. Dispatching once
//! per point operation rather than per field product keeps the field
//! code inlined in both builds. Both return `None` when the CPU lacks a
//! feature, and the caller runs the portable build.

use super::detect::{Feature, features};
use crate::ec::point::jacobian::fixed_base::CombTable;
use crate::ec::{Curve, ProjectivePoint};

#[inline(always)]
fn available() -> bool {
    let f = features();
    f.has(Feature::Bmi2) && f.has(Feature::Adx)
}

/// `p + q` (complete, constant time), if BMI2 and ADX are available.
#[inline(always)]
pub(crate) fn point_add<C: Curve>(p: &ProjectivePoint<C>, q: &ProjectivePoint<C>) -> Option<ProjectivePoint<C>> {
    if !available() {
        return None;
    }
    // SAFETY: the CPU has BMI2 and ADX (checked above); the body is safe
    // Rust compiled for those features.
    Some(unsafe { point_add_bmi2_adx(p, q) })
}

/// `2 * p` (constant time), if BMI2 and ADX are available.
#[inline(always)]
pub(crate) fn point_double<C: Curve>(p: &ProjectivePoint<C>) -> Option<ProjectivePoint<C>> {
    if !available() {
        return None;
    }
    // SAFETY: as in `point_add`.
    Some(unsafe { point_double_bmi2_adx(p) })
}

/// `a * b * 2^-256 mod p256` for `a, b < p`, if BMI2 and ADX are
/// available (`crate::ec::p256`'s special-form reduction, in assembly).
#[inline(always)]
pub(crate) fn p256_mont_mul(a: &[u64; 4], b: &[u64; 4]) -> Option<[u64; 4]> {
    if !available() {
        return None;
    }
    // SAFETY: the CPU has BMI2 and ADX (checked above).
    Some(unsafe { p256_mont_mul_adx(a, b) })
}

/// `a^2 * 2^-256 mod p256` for `a < p`, if BMI2 and ADX are available.
#[inline(always)]
pub(crate) fn p256_mont_square(a: &[u64; 4]) -> Option<[u64; 4]> {
    if !available() {
        return None;
    }
    // SAFETY: the CPU has BMI2 and ADX (checked above).
    Some(unsafe { p256_mont_square_adx(a) })
}

/// `a + b mod p256` for `a, b < p`, in registers: the four-limb sum
/// with its carry, then `p` subtracted from a copy and the sum kept when
/// that borrows (`cmovc`, no branch). Plain x86_64 instructions, so no
/// feature check; the portable `limbs::add_mod` compiled to about three
/// times as many instructions, and the point formulas do more field
/// additions than products.
#[inline(always)]
pub(crate) fn p256_add(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let [mut a0, mut a1, mut a2, mut a3] = *a;
    let [mut b0, mut b1, mut b2, mut b3] = *b;
    // SAFETY: register-only arithmetic on the operands declared below; no
    // memory or stack access.
    unsafe {
        core::arch::asm!(
            "add {a0}, {b0}",
            "adc {a1}, {b1}",
            "adc {a2}, {b2}",
            "adc {a3}, {b3}",
            // c = -carry; the subtraction below borrows out of it only
            // when the carry was 0 and the sum is below p.
            "sbb {c}, {c}",
            "mov {b0}, {a0}",
            "mov {b1}, {a1}",
            "mov {b2}, {a2}",
            "mov {b3}, {a3}",
            "sub {b0}, -1",
            "sbb {b1}, {p1}",
            "sbb {b2}, 0",
            "sbb {b3}, {p3}",
            "sbb {c}, 0",
            "cmovc {b0}, {a0}",
            "cmovc {b1}, {a1}",
            "cmovc {b2}, {a2}",
            "cmovc {b3}, {a3}",
            a0 = inout(reg) a0,
            a1 = inout(reg) a1,
            a2 = inout(reg) a2,
            a3 = inout(reg) a3,
            b0 = inout(reg) b0,
            b1 = inout(reg) b1,
            b2 = inout(reg) b2,
            b3 = inout(reg) b3,
            c = out(reg) _,
            p1 = in(reg) 0xffff_ffffu64,
            p3 = in(reg) 0xffff_ffff_0000_0001u64,
            options(pure, nomem, nostack),
        );
    }
    let _ = (a0, a1, a2, a3);
    [b0, b1, b2, b3]
}

/// `a - b mod p256` for `a, b < p`, in registers: the four-limb
/// difference, its borrow spread to a mask, and `p & mask` added back
/// (P-256's limbs make that mask, `mask >> 32`, 0 and
/// `(mask << 32) - mask`). Plain x86_64 instructions, as [`p256_add`].
#[inline(always)]
pub(crate) fn p256_sub(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let [mut a0, mut a1, mut a2, mut a3] = *a;
    let [b0, b1, b2, b3] = *b;
    // SAFETY: register-only arithmetic on the operands declared below; no
    // memory or stack access.
    unsafe {
        core::arch::asm!(
            "sub {a0}, {b0}",
            "sbb {a1}, {b1}",
            "sbb {a2}, {b2}",
            "sbb {a3}, {b3}",
            "sbb {m}, {m}",
            "mov {m1}, {m}",
            "shr {m1}, 32",
            "mov {m3}, {m}",
            "shl {m3}, 32",
            "sub {m3}, {m}",
            "add {a0}, {m}",
            "adc {a1}, {m1}",
            "adc {a2}, 0",
            "adc {a3}, {m3}",
            a0 = inout(reg) a0,
            a1 = inout(reg) a1,
            a2 = inout(reg) a2,
            a3 = inout(reg) a3,
            b0 = in(reg) b0,
            b1 = in(reg) b1,
            b2 = in(reg) b2,
            b3 = in(reg) b3,
            m = out(reg) _,
            m1 = out(reg) _,
            m3 = out(reg) _,
            options(pure, nomem, nostack),
        );
    }
    [a0, a1, a2, a3]
}

/// Montgomery multiplication modulo the P-256 prime, operand scanning
/// with the reduction interleaved (CIOS). Row `i` adds `a * b[i]` to the
/// running sum `u < 2p` with `mulx` and two carry chains (`adcx` for the
/// low halves, `adox` for the high halves); then one reduction step with
/// `m = u0` (since `-p^-1 mod 2^64 = 1`) forms `(u + m*p) / 2^64` as
/// `u1 + (m << 32)`, `u2 + (m >> 32)`, `u3 + lo(m*p3)`, `u4 + hi(m*p3)`
/// with one carry chain (`u0 + m*p0 = m*2^64` and `m + m*p1 = m*2^32`
/// exactly), which keeps `u` below `2p` and shifts it down a limb. The registers rotate instead of moving: the limb freed
/// by a reduction becomes the next row's top. The final `u - p` is kept
/// unless it borrows, chosen with `cmovc` (no branch).
///
/// # Safety
/// The CPU must support BMI2 (`mulx`) and ADX (`adcx`, `adox`).
#[inline(always)]
unsafe fn p256_mont_mul_adx(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    const P3: u64 = 0xffff_ffff_0000_0001;
    let (r0, r1, r2, r3): (u64, u64, u64, u64);
    // SAFETY: `a` and `b` point to four readable limbs each; the block
    // reads only those, writes only the registers declared below, and
    // does not touch the stack. The caller guarantees BMI2 and ADX.
    unsafe {
        core::arch::asm!(
            "xor r14d, r14d",
            "mov rdx, qword ptr [rdi]",
            "mulx r9, r8, qword ptr [rsi]",
            "mulx r10, rax, qword ptr [rsi + 8]",
            "add r9, rax",
            "mulx r11, rax, qword ptr [rsi + 16]",
            "adc r10, rax",
            "mulx r12, rax, qword ptr [rsi + 24]",
            "adc r11, rax",
            "adc r12, 0",
            "xor r13d, r13d",
            "mov rdx, r8",
            "mulx rcx, rax, r15",
            "shl r8, 32",
            "shr rdx, 32",
            "add r9, r8",
            "adc r10, rdx",
            "adc r11, rax",
            "adc r12, rcx",
            "adc r13, 0",
            "mov rdx, qword ptr [rdi + 8]",
            "xor r8d, r8d",
            "mulx rcx, rax, qword ptr [rsi]",
            "adcx r9, rax",
            "adox r10, rcx",
            "mulx rcx, rax, qword ptr [rsi + 8]",
            "adcx r10, rax",
            "adox r11, rcx",
            "mulx rcx, rax, qword ptr [rsi + 16]",
            "adcx r11, rax",
            "adox r12, rcx",
            "mulx rcx, rax, qword ptr [rsi + 24]",
            "adcx r12, rax",
            "adox r13, rcx",
            "adcx r13, r14",
            "adox r8, r14",
            "adcx r8, r14",
            "mov rdx, r9",
            "mulx rcx, rax, r15",
            "shl r9, 32",
            "shr rdx, 32",
            "add r10, r9",
            "adc r11, rdx",
            "adc r12, rax",
            "adc r13, rcx",
            "adc r8, 0",
            "mov rdx, qword ptr [rdi + 16]",
            "xor r9d, r9d",
            "mulx rcx, rax, qword ptr [rsi]",
            "adcx r10, rax",
            "adox r11, rcx",
            "mulx rcx, rax, qword ptr [rsi + 8]",
            "adcx r11, rax",
            "adox r12, rcx",
            "mulx rcx, rax, qword ptr [rsi + 16]",
            "adcx r12, rax",
            "adox r13, rcx",
            "mulx rcx, rax, qword ptr [rsi + 24]",
            "adcx r13, rax",
            "adox r8, rcx",
            "adcx r8, r14",
            "adox r9, r14",
            "adcx r9, r14",
            "mov rdx, r10",
            "mulx rcx, rax, r15",
            "shl r10, 32",
            "shr rdx, 32",
            "add r11, r10",
            "adc r12, rdx",
            "adc r13, rax",
            "adc r8, rcx",
            "adc r9, 0",
            "mov rdx, qword ptr [rdi + 24]",
            "xor r10d, r10d",
            "mulx rcx, rax, qword ptr [rsi]",
            "adcx r11, rax",
            "adox r12, rcx",
            "mulx rcx, rax, qword ptr [rsi + 8]",
            "adcx r12, rax",
            "adox r13, rcx",
            "mulx rcx, rax, qword ptr [rsi + 16]",
            "adcx r13, rax",
            "adox r8, rcx",
            "mulx rcx, rax, qword ptr [rsi + 24]",
            "adcx r8, rax",
            "adox r9, rcx",
            "adcx r9, r14",
            "adox r10, r14",
            "adcx r10, r14",
            "mov rdx, r11",
            "mulx rcx, rax, r15",
            "shl r11, 32",
            "shr rdx, 32",
            "add r12, r11",
            "adc r13, rdx",
            "adc r8, rax",
            "adc r9, rcx",
            "adc r10, 0",
            "mov rax, r12",
            "mov rcx, r13",
            "mov rdx, r8",
            "mov r14, r9",
            "mov esi, 0xffffffff",
            "sub rax, -1",
            "sbb rcx, rsi",
            "sbb rdx, 0",
            "sbb r14, r15",
            "sbb r10, 0",
            "cmovc rax, r12",
            "cmovc rcx, r13",
            "cmovc rdx, r8",
            "cmovc r14, r9",
            inout("rsi") a.as_ptr() => _,
            in("rdi") b.as_ptr(),
            in("r15") P3,
            out("rax") r0,
            out("rcx") r1,
            out("rdx") r2,
            out("r14") r3,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("r13") _,
            options(pure, readonly, nostack),
        );
    }
    [r0, r1, r2, r3]
}

/// Montgomery squaring modulo the P-256 prime: the six cross products
/// `a_i * a_j` (`i < j`) into `t1..t6`, then one pass that doubles them
/// (`adcx t, t`) while adding the diagonal squares `a_i^2` (`adox`), so
/// 10 `mulx` instead of 16. The low half `t0..t3` is then reduced by
/// four special-form steps as in [`p256_mont_mul_adx`] (each step's
/// freed register takes the new top limb, so the names come back round
/// after four), the high half `t4..t7` added, and `p` subtracted once
/// under `cmovc`.
///
/// # Safety
/// The CPU must support BMI2 (`mulx`) and ADX (`adcx`, `adox`).
#[inline(always)]
unsafe fn p256_mont_square_adx(a: &[u64; 4]) -> [u64; 4] {
    let (r0, r1, r2, r3): (u64, u64, u64, u64);
    // SAFETY: `a` points to four readable limbs; the block reads only
    // those, writes only the registers declared below, and does not
    // touch the stack. The caller guarantees BMI2 and ADX.
    unsafe {
        core::arch::asm!(
            "xor edi, edi",
            "mov rdx, qword ptr [rsi]",
            "mulx r10, r9, qword ptr [rsi + 8]",
            "mulx r11, rax, qword ptr [rsi + 16]",
            "add r10, rax",
            "mulx r12, rax, qword ptr [rsi + 24]",
            "adc r11, rax",
            "adc r12, 0",
            "mov rdx, qword ptr [rsi + 8]",
            "xor r13d, r13d",
            "mulx rcx, rax, qword ptr [rsi + 16]",
            "adcx r11, rax",
            "adox r12, rcx",
            "mulx rcx, rax, qword ptr [rsi + 24]",
            "adcx r12, rax",
            "adox r13, rcx",
            "adcx r13, rdi",
            "mov rdx, qword ptr [rsi + 16]",
            "mulx r14, rax, qword ptr [rsi + 24]",
            "add r13, rax",
            "adc r14, 0",
            "xor r15d, r15d",
            "mov rdx, qword ptr [rsi]",
            "mulx rcx, r8, rdx",
            "adcx r9, r9",
            "adox r9, rcx",
            "mov rdx, qword ptr [rsi + 8]",
            "mulx rcx, rax, rdx",
            "adcx r10, r10",
            "adox r10, rax",
            "adcx r11, r11",
            "adox r11, rcx",
            "mov rdx, qword ptr [rsi + 16]",
            "mulx rcx, rax, rdx",
            "adcx r12, r12",
            "adox r12, rax",
            "adcx r13, r13",
            "adox r13, rcx",
            "mov rdx, qword ptr [rsi + 24]",
            "mulx rcx, rax, rdx",
            "adcx r14, r14",
            "adox r14, rax",
            "adcx r15, r15",
            "adox r15, rcx",
            "movabs rdi, 0xffffffff00000001",
            "mov rdx, r8",
            "mulx rcx, rax, rdi",
            "shl r8, 32",
            "shr rdx, 32",
            "add r9, r8",
            "adc r10, rdx",
            "adc r11, rax",
            "adc rcx, 0",
            "mov r8, rcx",
            "mov rdx, r9",
            "mulx rcx, rax, rdi",
            "shl r9, 32",
            "shr rdx, 32",
            "add r10, r9",
            "adc r11, rdx",
            "adc r8, rax",
            "adc rcx, 0",
            "mov r9, rcx",
            "mov rdx, r10",
            "mulx rcx, rax, rdi",
            "shl r10, 32",
            "shr rdx, 32",
            "add r11, r10",
            "adc r8, rdx",
            "adc r9, rax",
            "adc rcx, 0",
            "mov r10, rcx",
            "mov rdx, r11",
            "mulx rcx, rax, rdi",
            "shl r11, 32",
            "shr rdx, 32",
            "add r8, r11",
            "adc r9, rdx",
            "adc r10, rax",
            "adc rcx, 0",
            "mov r11, rcx",
            "xor edx, edx",
            "add r8, r12",
            "adc r9, r13",
            "adc r10, r14",
            "adc r11, r15",
            "adc rdx, 0",
            "mov r12, r8",
            "mov r13, r9",
            "mov r14, r10",
            "mov r15, r11",
            "mov eax, 0xffffffff",
            "sub r12, -1",
            "sbb r13, rax",
            "sbb r14, 0",
            "sbb r15, rdi",
            "sbb rdx, 0",
            "cmovc r12, r8",
            "cmovc r13, r9",
            "cmovc r14, r10",
            "cmovc r15, r11",
            inout("rsi") a.as_ptr() => _,
            out("rdi") _,
            out("rax") _,
            out("rcx") _,
            out("rdx") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") r0,
            out("r13") r1,
            out("r14") r2,
            out("r15") r3,
            options(pure, readonly, nostack),
        );
    }
    [r0, r1, r2, r3]
}

/// Whether AVX2 is there too, for the builds of the secret-scalar
/// multiplications whose table scans (a masked select of every entry
/// per digit) LLVM then vectorises with 256-bit registers instead of
/// 128-bit ones.
#[inline(always)]
fn with_avx2() -> bool {
    features().has(Feature::Avx2)
}

/// `k * p` in constant time (`k` big-endian, below the order), if BMI2
/// and ADX are available: `crate::ec::point::jacobian::mul_ct` built for
/// them (and for AVX2 when the CPU has it).
#[inline(always)]
pub(crate) fn point_mul<C: Curve>(p: &ProjectivePoint<C>, k: &[u8]) -> Option<ProjectivePoint<C>> {
    if !available() {
        return None;
    }
    if with_avx2() {
        // SAFETY: the CPU has BMI2, ADX (checked above) and AVX2.
        return Some(unsafe { point_mul_bmi2_adx_avx2(p, k) });
    }
    // SAFETY: as in `point_add`.
    Some(unsafe { point_mul_bmi2_adx(p, k) })
}

/// # Safety
/// The CPU must support BMI2, ADX and AVX2.
#[target_feature(enable = "bmi2,adx,avx2")]
unsafe fn point_mul_bmi2_adx_avx2<C: Curve>(p: &ProjectivePoint<C>, k: &[u8]) -> ProjectivePoint<C> {
    crate::ec::point::jacobian::mul_ct(p, k)
}

/// # Safety
/// The CPU must support BMI2 and ADX.
#[target_feature(enable = "bmi2,adx")]
unsafe fn point_mul_bmi2_adx<C: Curve>(p: &ProjectivePoint<C>, k: &[u8]) -> ProjectivePoint<C> {
    crate::ec::point::jacobian::mul_ct(p, k)
}

/// `k * G` in constant time through the comb `table` (`k` big-endian,
/// below the order), if BMI2 and ADX are available:
/// `crate::ec::point::jacobian::fixed_base::mul_base_ct` built for them
/// (and for AVX2 when the CPU has it, as [`point_mul`]).
#[inline(always)]
pub(crate) fn mul_base<C: Curve>(table: &CombTable<C>, k: &[u8]) -> Option<ProjectivePoint<C>> {
    if !available() {
        return None;
    }
    if with_avx2() {
        // SAFETY: the CPU has BMI2, ADX (checked above) and AVX2.
        return Some(unsafe { mul_base_bmi2_adx_avx2(table, k) });
    }
    // SAFETY: as in `point_add`.
    Some(unsafe { mul_base_bmi2_adx(table, k) })
}

/// # Safety
/// The CPU must support BMI2, ADX and AVX2.
#[target_feature(enable = "bmi2,adx,avx2")]
unsafe fn mul_base_bmi2_adx_avx2<C: Curve>(table: &CombTable<C>, k: &[u8]) -> ProjectivePoint<C> {
    crate::ec::point::jacobian::fixed_base::mul_base_ct(table, k)
}

/// # Safety
/// The CPU must support BMI2 and ADX.
#[target_feature(enable = "bmi2,adx")]
unsafe fn mul_base_bmi2_adx<C: Curve>(table: &CombTable<C>, k: &[u8]) -> ProjectivePoint<C> {
    crate::ec::point::jacobian::fixed_base::mul_base_ct(table, k)
}

/// `a * G + b * q` in variable time (public inputs only), if BMI2 and
/// ADX are available: the Jacobian wNAF loop of
/// `crate::ec::point::jacobian` with its formulas built for them.
#[inline(always)]
pub(crate) fn mul2_vartime<C: Curve>(a: &[u8], b: &[u8], q: &ProjectivePoint<C>) -> Option<ProjectivePoint<C>> {
    if !available() {
        return None;
    }
    // SAFETY: as in `point_add`.
    Some(unsafe { mul2_vartime_bmi2_adx(a, b, q) })
}

/// # Safety
/// The CPU must support BMI2 and ADX.
#[target_feature(enable = "bmi2,adx")]
unsafe fn mul2_vartime_bmi2_adx<C: Curve>(a: &[u8], b: &[u8], q: &ProjectivePoint<C>) -> ProjectivePoint<C> {
    crate::ec::point::jacobian::mul2_vartime(a, b, q)
}

/// # Safety
/// The CPU must support BMI2 and ADX.
#[target_feature(enable = "bmi2,adx")]
unsafe fn point_add_bmi2_adx<C: Curve>(p: &ProjectivePoint<C>, q: &ProjectivePoint<C>) -> ProjectivePoint<C> {
    p.add_portable(q)
}

/// # Safety
/// The CPU must support BMI2 and ADX.
#[target_feature(enable = "bmi2,adx")]
unsafe fn point_double_bmi2_adx<C: Curve>(p: &ProjectivePoint<C>) -> ProjectivePoint<C> {
    p.double_portable()
}

#[cfg(test)]
mod tests {
    use crate::ec::field::Field;
    use crate::ec::{Curve, P256, P521, ProjectivePoint, Secp256k1};

    fn agrees<C: Curve>() {
        let g = ProjectivePoint::<C>::generator();
        let mut p = g.mul(&C::Scalar::from_u64(0xdead_beef).square());
        for _ in 0..16 {
            if let Some(fast) = super::point_add(&p, &g) {
                assert_eq!(fast, p.add_portable(&g));
            }
            if let Some(fast) = super::point_double(&p) {
                assert_eq!(fast, p.double_portable());
            }
            p = p.double_portable().add_portable(&g);
        }
    }

    #[test]
    fn bmi2_adx_build_agrees_with_portable() {
        agrees::<P256>();
        agrees::<P521>();
        agrees::<Secp256k1>();
    }

    /// Scalars for [`mul_builds_agree`]: small ones, `n - j`, and
    /// pseudo-random ones (xorshift, fixed seed; 255 bits, below `n`).
    fn scalars<C: Curve>() -> alloc::vec::Vec<C::Scalar> {
        let mut out: alloc::vec::Vec<C::Scalar> = [0u64, 1, 2, 15, 16, 17, 31, 32, 33, u64::MAX]
            .iter()
            .flat_map(|&v| [C::Scalar::from_u64(v), C::Scalar::from_u64(v).neg()])
            .collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..16 {
            let mut bytes = [0u8; 32];
            for b in &mut bytes {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = state as u8;
            }
            bytes[0] &= 0x7f;
            out.push(C::Scalar::reduce_be_bytes(&bytes));
        }
        out
    }

    /// Both builds of the secret-scalar multiplications (with and
    /// without AVX2, whichever the CPU runs) against the portable ones.
    fn mul_builds_agree<C: Curve>() {
        use crate::ec::point::jacobian::{fixed_base, mul_ct};
        if !super::available() {
            return;
        }
        let g = ProjectivePoint::<C>::generator();
        let q = g.mul(&C::Scalar::from_u64(0x5eed)).double();
        let comb = fixed_base::CombTable::<C>::new();
        for k in scalars::<C>() {
            let (buf, len) = crate::ec::point::scalar_bytes::<C>(&k);
            let k = &buf[..len];
            for p in [g, q] {
                let want = mul_ct(&p, k);
                // SAFETY: BMI2 and ADX checked above.
                assert!(unsafe { super::point_mul_bmi2_adx(&p, k) } == want, "{}", C::NAME);
                if super::with_avx2() {
                    // SAFETY: AVX2 checked as well.
                    assert!(unsafe { super::point_mul_bmi2_adx_avx2(&p, k) } == want, "{}", C::NAME);
                }
            }
            let want = fixed_base::mul_base_ct(&comb, k);
            assert!(want == g.mul(&C::Scalar::reduce_be_bytes(k)), "{}", C::NAME);
            // SAFETY: as above.
            assert!(unsafe { super::mul_base_bmi2_adx(&comb, k) } == want, "{}", C::NAME);
            if super::with_avx2() {
                // SAFETY: as above.
                assert!(unsafe { super::mul_base_bmi2_adx_avx2(&comb, k) } == want, "{}", C::NAME);
            }
        }
    }

    #[test]
    fn mul_builds_agree_with_portable() {
        mul_builds_agree::<P256>();
        mul_builds_agree::<Secp256k1>();
    }
}
