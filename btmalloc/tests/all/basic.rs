//! Basic behaviour of the engine through `btmalloc::internal`.

use btmalloc::internal::{aligned, double_frees, free, invalid_frees, malloc, realloc, usable_size};

#[test]
fn small_blocks_are_distinct_aligned_and_big_enough() {
    let mut ptrs = Vec::new();
    for size in (0..5000).chain([32 * 1024, 32 * 1024 + 1, 200_000, 5 << 20]) {
        let p = malloc(size, size * 31);
        assert!(!p.is_null());
        assert_eq!(p as usize % 16, 0);
        assert!(usable_size(p) >= size);
        // SAFETY: the block is live and at least this many bytes long.
        unsafe { core::ptr::write_bytes(p, (size % 251) as u8, size) };
        ptrs.push((p, size));
    }
    let mut sorted: Vec<_> = ptrs.iter().map(|&(p, n)| (p as usize, usable_size(p).max(n))).collect();
    sorted.sort();
    for w in sorted.windows(2) {
        assert!(w[0].0 + w[0].1 <= w[1].0, "overlap {:x?}", w);
    }
    for (p, size) in ptrs {
        // SAFETY: the block is live and at least this many bytes long.
        let s = unsafe { core::slice::from_raw_parts(p, size) };
        assert!(s.iter().all(|&b| b == (size % 251) as u8));
        free(p);
    }
}

#[test]
fn aligned_allocations_honour_alignment() {
    for shift in 4..=22 {
        let align = 1usize << shift;
        for size in [1, align / 2 + 1, align, 3 * align + 5, 40_000] {
            let p = aligned(size, align, 9);
            assert!(!p.is_null());
            assert_eq!(p as usize % align, 0, "size {size} align {align}");
            assert!(usable_size(p) >= size);
            // SAFETY: the block is live and at least this many bytes long.
            unsafe { core::ptr::write_bytes(p, 0xab, size) };
            free(p);
        }
    }
}

#[test]
fn realloc_preserves_contents_and_follows_glibc_for_zero() {
    let mut p = malloc(10, 1);
    // SAFETY: the block is live and at least this many bytes long.
    unsafe { core::ptr::write_bytes(p, 7, 10) };
    let mut n = 10;
    for next in [100, 5000, 40_000, 3 << 20, 9 << 20, 1000, 17] {
        p = realloc(p, next, 2);
        assert!(!p.is_null());
        let keep = n.min(next);
        // SAFETY: the block is live and at least this many bytes long.
        let s = unsafe { core::slice::from_raw_parts(p, keep) };
        assert!(s.iter().all(|&b| b == 7), "lost contents growing {n} -> {next}");
        // SAFETY: the block is live and at least this many bytes long.
        unsafe { core::ptr::write_bytes(p, 7, next) };
        n = next;
    }
    assert!(realloc(p, 0, 3).is_null());
    let q = realloc(core::ptr::null_mut(), 64, 3);
    assert!(!q.is_null());
    free(q);
}

#[test]
fn foreign_and_double_frees_are_ignored() {
    let before = invalid_frees();
    let local = 5u64;
    free((&raw const local).cast_mut().cast());
    let boxed = Box::new([0u8; 64]);
    free(Box::into_raw(boxed).cast::<u8>().wrapping_add(8));
    free(0x10 as *mut u8);
    free(usize::MAX as *mut u8);
    let p = malloc(64, 5);
    free(p.wrapping_add(16));
    assert!(invalid_frees() >= before + 4);
    let d = double_frees();
    free(p);
    free(p);
    assert!(double_frees() > d);
    let q = malloc(64, 5);
    let r = malloc(64, 5);
    assert_ne!(q, r, "a double free must not hand the block out twice");
    free(q);
    free(r);
}

#[test]
fn corrupted_freelist_link_is_detected_not_followed() {
    let site = 0xdead_0000;
    let a = malloc(1000, site);
    let b = malloc(1000, site);
    free(b);
    free(a);
    // A use-after-free write over the freelist link stored in `a`.
    // SAFETY: deliberately writing into a freed block of ours (still mapped).
    unsafe { *(a as *mut usize) = 0x4141_4141_4141_4141 };
    let before = btmalloc::internal::corruptions();
    let x = malloc(1000, site);
    assert_eq!(x, a, "LIFO reuse of the last freed block");
    assert!(btmalloc::internal::corruptions() > before, "corrupted link not detected");
    let y = malloc(1000, site);
    assert!(!y.is_null());
    assert_ne!(y as usize, 0x4141_4141_4141_4141);
    free(x);
    free(y);
}

/// A bin's empty reserve slabs are set aside (their free list out of reach
/// until the bin allocates again) and may be decommitted by the releaser:
/// frees into them are rejected, and the blocks come back whole, from the
/// kept list or carved afresh after a purge.
#[test]
fn reserve_slabs_set_aside_reject_frees_and_come_back_whole() {
    const N: usize = 96;
    let site = 0x5e7a_51de;
    let fill = |round: u8| -> Vec<*mut u8> {
        let v: Vec<*mut u8> = (0..N).map(|_| malloc(1000, site)).collect();
        for (i, &p) in v.iter().enumerate() {
            assert!(!p.is_null());
            // SAFETY: a fresh 1000-byte block of ours.
            unsafe { core::ptr::write_bytes(p, round ^ i as u8, 1000) };
        }
        let mut sorted = v.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), N, "a block was handed out twice");
        for (i, &p) in v.iter().enumerate() {
            // SAFETY: as above; every block must still hold its own bytes.
            assert!(unsafe { core::slice::from_raw_parts(p, 1000) }.iter().all(|&b| b == round ^ i as u8));
        }
        v
    };
    // Several slabs (4, 16, then 64 KiB): the bin keeps the last two.
    let v = fill(1);
    v.iter().rev().for_each(|&p| free(p));
    let (invalid, double) = (invalid_frees(), double_frees());
    free(v[0]);
    assert!(invalid_frees() + double_frees() > invalid + double, "a free into an empty slab was accepted");
    let v = fill(2);
    v.iter().rev().for_each(|&p| free(p));
    // Whether the releaser decommitted the kept slabs meanwhile or not
    // (the C program of the releaser suite waits for it), the blocks come
    // back whole.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let v = fill(3);
    v.iter().for_each(|&p| free(p));
}
