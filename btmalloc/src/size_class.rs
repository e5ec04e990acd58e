//! Size classes: the table of block sizes small allocations are rounded to.
//!
//! Entry points: [`class_of`] and [`class_size`]. Sizes up to 128 bytes go
//! in 16-byte steps; above that each power-of-two range is split into four
//! classes, so the rounding waste is below 25% (at most 1/5 of the rounded
//! size) and every class size is a multiple of 16, which keeps every block
//! 16-byte aligned as `malloc` must be on x86_64.
//!
//! Invariants, checked by the tests for every size:
//! `class_size(class_of(n)) >= n`, and `class_size(class_of(n) - 1) < n`.

/// The largest size served from size-class slabs; larger requests take a
/// run of pages (up to 1 MiB) or are mapped directly.
pub const MAX_SMALL: usize = 32 * 1024;

/// Number of classes (index 0 is 16 bytes).
pub const CLASS_COUNT: usize = 8 + 4 * (MAX_SMALL.trailing_zeros() as usize - 7);

const LINEAR_LIMIT: usize = 128;
const LINEAR_STEP: usize = 16;
const LINEAR_CLASSES: usize = LINEAR_LIMIT / LINEAR_STEP;

/// The class serving `size` bytes, or `None` above [`MAX_SMALL`].
/// A zero-byte request gets the smallest class.
#[must_use]
pub const fn class_of(size: usize) -> Option<usize> {
    if size > MAX_SMALL {
        return None;
    }
    if size <= LINEAR_LIMIT {
        return Some(size.saturating_sub(1) / LINEAR_STEP);
    }
    // size in (2^k, 2^(k+1)] with k >= 7: four classes of 2^(k-2) each.
    let k = (usize::BITS - 1 - (size - 1).leading_zeros()) as usize;
    let quarter = 1usize << (k - 2);
    let step_in_range = (size - 1 - (1 << k)) / quarter;
    Some(LINEAR_CLASSES + 4 * (k - 7) + step_in_range)
}

/// The block size of `class`, or `None` for an index past the table.
#[must_use]
pub const fn class_size(class: usize) -> Option<usize> {
    if class >= CLASS_COUNT {
        return None;
    }
    if class < LINEAR_CLASSES {
        return Some((class + 1) * LINEAR_STEP);
    }
    let k = 7 + (class - LINEAR_CLASSES) / 4;
    let step = (class - LINEAR_CLASSES) % 4 + 1;
    Some((1 << k) + step * (1 << (k - 2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_gets_the_smallest_class_that_fits() {
        for size in 1..=MAX_SMALL {
            let class = class_of(size).unwrap();
            let block = class_size(class).unwrap();
            assert!(block >= size, "size {size}: class {class} holds only {block}");
            if class > 0 {
                assert!(class_size(class - 1).unwrap() < size, "size {size}: class {class} is not the smallest");
            }
            assert!((block - size) * 4 < block || size <= LINEAR_LIMIT, "size {size}: waste over 25% in {block}");
        }
        assert_eq!(class_of(0), Some(0));
        assert_eq!(class_of(MAX_SMALL + 1), None);
    }

    #[test]
    fn classes_are_aligned_increasing_and_end_at_max_small() {
        let sizes: Vec<usize> = (0..CLASS_COUNT).map(|c| class_size(c).unwrap()).collect();
        assert!(sizes.iter().all(|s| s % 16 == 0));
        assert!(sizes.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(sizes.last(), Some(&MAX_SMALL));
        assert_eq!(class_size(CLASS_COUNT), None);
    }
}
