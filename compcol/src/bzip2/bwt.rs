//! The Burrows-Wheeler transform over a block's cyclic rotations.
//!
//! Entry points: [`sort_rotations`] (encoder) and [`inverse`] (decoder).
//!
//! bzip2 sorts the *cyclic* rotations of the block (not suffixes), so the
//! sorted order is unique except between rotations that are equal as
//! whole strings, which happens only for periodic blocks. Equal rotations
//! end in the same byte, so the transformed column is unique too; only
//! the origin pointer depends on how ties are broken. libbzip2 places the
//! original rotation last among the rotations equal to it (observed on
//! periodic blocks of every size, with both of its sorting strategies),
//! and so do we.
//!
//! The sort is prefix doubling: rotations are ranked by their first `h`
//! bytes, then by `2h` using the pair (rank of `i`, rank of `i + h`),
//! each round one stable counting sort, until all ranks differ or `h`
//! covers the block.

use alloc::vec;
use alloc::vec::Vec;

/// Sorts the cyclic rotations of `block` (non-empty): returns the
/// transformed column (the byte before each sorted rotation) and the
/// origin pointer (where rotation 0 sits in sorted order).
#[allow(clippy::indexing_slicing)] // every index is a rotation start < n or a rank < n
pub(crate) fn sort_rotations(block: &[u8]) -> (Vec<u8>, u32) {
    let n = block.len();
    if n == 0 {
        return (Vec::new(), 0);
    }
    // Round 0: order by the first two bytes (counting sort over 65536
    // buckets), ranks = bucket.
    let mut order = vec![0u32; n];
    let mut rank = vec![0u32; n];
    let mut tmp = vec![0u32; n];
    let at = |i: usize| block[if i >= n { i - n } else { i }];
    {
        let mut count = vec![0u32; 65537];
        for (i, &b) in block.iter().enumerate() {
            let key = usize::from(b) << 8 | usize::from(at(i + 1));
            count[key + 1] += 1;
        }
        for k in 1..count.len() {
            count[k] += count[k - 1];
        }
        for (i, &b) in block.iter().enumerate() {
            let key = usize::from(b) << 8 | usize::from(at(i + 1));
            order[count[key] as usize] = i as u32;
            count[key] += 1;
        }
        let mut classes = 0u32;
        let mut prev = usize::MAX;
        for &i in &order {
            let i = i as usize;
            let key = usize::from(block[i]) << 8 | usize::from(at(i + 1));
            if key != prev {
                classes += 1;
                prev = key;
            }
            rank[i] = classes - 1;
        }
        if classes as usize == n {
            return finish(block, &order, &rank);
        }
    }
    let mut h = 2usize;
    let mut count = vec![0u32; n + 1];
    while h < n {
        // Sorted by the second half: rotation i-h for each i in order.
        for (t, &i) in tmp.iter_mut().zip(&order) {
            let j = i as usize;
            *t = (if j >= h { j - h } else { j + n - h }) as u32;
        }
        // Stable counting sort by the first half's rank.
        count.fill(0);
        for &i in &tmp {
            count[rank[i as usize] as usize + 1] += 1;
        }
        for k in 1..count.len() {
            count[k] += count[k - 1];
        }
        for &i in &tmp {
            let r = rank[i as usize] as usize;
            order[count[r] as usize] = i;
            count[r] += 1;
        }
        // New ranks from the pairs.
        let second = |i: usize| rank[if i + h >= n { i + h - n } else { i + h }];
        let mut classes = 0u32;
        let mut prev = (u32::MAX, u32::MAX);
        for (t, &i) in tmp.iter_mut().zip(&order) {
            let i = i as usize;
            let key = (rank[i], second(i));
            if key != prev {
                classes += 1;
                prev = key;
            }
            *t = classes - 1;
        }
        // tmp holds the new ranks in sorted order; scatter them back.
        for (&i, &r) in order.iter().zip(tmp.iter()) {
            rank[i as usize] = r;
        }
        if classes as usize == n {
            break;
        }
        h *= 2;
    }
    finish(block, &order, &rank)
}

/// The column and origin from a sorted order and final ranks.
#[allow(clippy::indexing_slicing)] // rotation starts are < n
fn finish(block: &[u8], order: &[u32], rank: &[u32]) -> (Vec<u8>, u32) {
    let n = block.len();
    let column = order.iter().map(|&i| block[if i == 0 { n - 1 } else { i as usize - 1 }]).collect();
    // Rotations ranked at or below rotation 0's class come first; rotation
    // 0 closes its class of equal rotations.
    let r0 = rank[0];
    let origin = rank.iter().filter(|&&r| r <= r0).count() as u32 - 1;
    (column, origin)
}

/// Builds the forward links for the inverse transform in place: on entry
/// `tt[i]` holds the transformed byte `i` in its low 8 bits; on exit it
/// additionally holds, in its high 24 bits, the index of the next entry
/// to visit. Returns the first index to visit, or `None` when `origin`
/// is out of range.
#[allow(clippy::indexing_slicing)] // counts sum to tt.len(), so every slot is < len
pub(crate) fn inverse(tt: &mut [u32], origin: u32) -> Option<u32> {
    let n = tt.len();
    if origin as usize >= n {
        return None;
    }
    let mut start = [0u32; 256];
    for &e in tt.iter() {
        start[(e & 0xff) as usize] += 1;
    }
    let mut sum = 0u32;
    for s in &mut start {
        let c = *s;
        *s = sum;
        sum += c;
    }
    for i in 0..n {
        let c = (tt[i] & 0xff) as usize;
        let j = start[c] as usize;
        tt[j] |= (i as u32) << 8;
        start[c] += 1;
    }
    Some(tt[origin as usize] >> 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(block: &[u8]) -> (Vec<u8>, u32) {
        let n = block.len();
        let mut rots: Vec<usize> = (0..n).collect();
        let rot = |i: usize| block[i..].iter().chain(&block[..i]).copied().collect::<Vec<u8>>();
        rots.sort_by(|&a, &b| rot(a).cmp(&rot(b)).then(a.cmp(&b)));
        let column = rots.iter().map(|&i| block[(i + n - 1) % n]).collect();
        let origin = rots.iter().rposition(|&i| rot(i) == rot(0)).unwrap() as u32;
        (column, origin)
    }

    fn round_trip(block: &[u8]) -> Vec<u8> {
        let (column, origin) = sort_rotations(block);
        let mut tt: Vec<u32> = column.iter().map(|&b| u32::from(b)).collect();
        let mut pos = inverse(&mut tt, origin).unwrap();
        let mut out = Vec::new();
        for _ in 0..block.len() {
            let e = tt[pos as usize];
            out.push(e as u8);
            pos = e >> 8;
        }
        out
    }

    #[test]
    fn matches_naive_sort_and_inverts() {
        let cases: [&[u8]; 8] =
            [b"a", b"ab", b"banana", b"abababab", b"aaaa", b"mississippi", b"abcabcabx", b"zyxzyxzyx"];
        for c in cases {
            assert_eq!(sort_rotations(c), naive(c), "{c:?}");
            assert_eq!(round_trip(c), c);
        }
        let mut x = 12345u32;
        for len in [2usize, 3, 17, 300, 1000] {
            for alphabet in [2u32, 3, 256] {
                let data: Vec<u8> = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        ((x >> 16) % alphabet) as u8
                    })
                    .collect();
                assert_eq!(sort_rotations(&data), naive(&data));
                assert_eq!(round_trip(&data), data);
            }
        }
    }
}
