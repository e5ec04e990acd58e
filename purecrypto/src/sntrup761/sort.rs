//! A constant-time sort of `u32`s: a bitonic sorting network over the
//! next power of two (padded with `u32::MAX`), with branch-free
//! compare-exchange. `Short_random` sorts secret values with it.

use alloc::vec::Vec;
use zeroize::Zeroize;

/// `(min, max)` of `a` and `b` without a data-dependent branch.
#[inline]
fn minmax(a: &mut u32, b: &mut u32) {
    let diff = u64::from(*b).wrapping_sub(u64::from(*a));
    // All ones when b < a.
    let swap = (0u64.wrapping_sub(diff >> 63)) as u32;
    let t = swap & (*a ^ *b);
    *a ^= t;
    *b ^= t;
}

/// Sorts `values` ascending; the sequence of memory accesses depends only
/// on `values.len()`.
pub(super) fn sort_u32(values: &mut [u32]) {
    let n = values.len().next_power_of_two();
    let mut v: Vec<u32> = Vec::with_capacity(n);
    v.extend_from_slice(values);
    v.resize(n, u32::MAX);
    let mut k = 2;
    while k <= n {
        let mut j = k / 2;
        while j > 0 {
            for i in 0..n {
                let l = i ^ j;
                if l > i {
                    let ascending = i & k == 0;
                    let (lo, hi) = v.split_at_mut(l);
                    if let (Some(a), Some(b)) = (lo.get_mut(i), hi.first_mut()) {
                        if ascending { minmax(a, b) } else { minmax(b, a) }
                    }
                }
            }
            j /= 2;
        }
        k *= 2;
    }
    for (dst, src) in values.iter_mut().zip(&v) {
        *dst = *src;
    }
    v.zeroize();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_sort() {
        let mut x: u32 = 12345;
        for len in [0usize, 1, 2, 3, 7, 100, 761] {
            let mut v: Vec<u32> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    x ^ (x >> 7)
                })
                .collect();
            v.extend([u32::MAX, 0].iter().take(len.min(2)));
            let mut expected = v.clone();
            expected.sort_unstable();
            sort_u32(&mut v);
            assert_eq!(v, expected, "{len}");
        }
    }
}
