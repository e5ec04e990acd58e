//! Model-based property test: random malloc / calloc / realloc / free /
//! aligned sequences checked against a shadow model (no overlap, contents
//! kept across realloc, alignment, usable size >= requested).

use btmalloc::internal::{aligned, calloc, free, malloc, realloc, usable_size};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Malloc { size: usize, site: usize },
    Calloc { n: usize, size: usize },
    Aligned { size: usize, shift: u32 },
    Realloc { idx: usize, size: usize },
    Free { idx: usize },
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        8 => 0usize..=256,
        4 => 0usize..=4096,
        2 => 4096usize..=40_000,
        1 => 40_000usize..=400_000,
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (size(), 0usize..8).prop_map(|(size, site)| Op::Malloc { size, site: site * 0x1000 }),
        1 => (0usize..64, 0usize..300).prop_map(|(n, size)| Op::Calloc { n, size }),
        1 => (size(), 4u32..=16).prop_map(|(size, shift)| Op::Aligned { size, shift }),
        2 => (any::<prop::sample::Index>(), size()).prop_map(|(i, size)| Op::Realloc { idx: i.index(1 << 20), size }),
        3 => any::<prop::sample::Index>().prop_map(|i| Op::Free { idx: i.index(1 << 20) }),
    ]
}

/// A live block in the model: address, requested size, fill byte.
#[derive(Clone, Copy, Debug)]
struct Live {
    addr: usize,
    size: usize,
    fill: u8,
}

fn check_contents(b: &Live, upto: usize) {
    // SAFETY: the block is live and at least this many bytes long.
    let s = unsafe { core::slice::from_raw_parts(b.addr as *const u8, upto) };
    if let Some(pos) = s.iter().position(|&x| x != b.fill) {
        panic!("block {:#x} byte {pos} is {:#x}, expected {:#x}", b.addr, s[pos], b.fill);
    }
}

fn admit(live: &mut Vec<Live>, addr: *mut u8, size: usize, align: usize, fill: u8) {
    assert!(!addr.is_null(), "allocation of {size} failed");
    let a = addr as usize;
    assert_eq!(a % align, 0, "alignment {align} of {a:#x}");
    let usable = usable_size(addr);
    assert!(usable >= size, "usable {usable} < requested {size}");
    for other in live.iter() {
        let disjoint = a + usable.max(1) <= other.addr || other.addr + other.size.max(1) <= a;
        assert!(disjoint, "{a:#x}+{usable} overlaps {:#x}+{}", other.addr, other.size);
    }
    // SAFETY: the block is live and at least this many bytes long.
    unsafe { core::ptr::write_bytes(addr, fill, size) };
    live.push(Live { addr: a, size, fill });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn allocator_matches_shadow_model(ops in prop::collection::vec(op(), 1..300)) {
        let mut live: Vec<Live> = Vec::new();
        for (step, op) in ops.into_iter().enumerate() {
            let fill = (step % 251) as u8 + 1;
            match op {
                Op::Malloc { size, site } => admit(&mut live, malloc(size, site), size, 16, fill),
                Op::Calloc { n, size } => {
                    let p = calloc(n, size, 3);
                    // SAFETY: the block is live and at least this many bytes long.
                    let zeros = unsafe { core::slice::from_raw_parts(p, n * size) };
                    assert!(zeros.iter().all(|&b| b == 0), "calloc memory not zeroed");
                    admit(&mut live, p, n * size, 16, fill);
                }
                Op::Aligned { size, shift } => admit(&mut live, aligned(size, 1 << shift, 5), size, 1 << shift, fill),
                Op::Realloc { idx, size } => {
                    if live.is_empty() { continue; }
                    let b = live.swap_remove(idx % live.len());
                    check_contents(&b, b.size);
                    let q = realloc(b.addr as *mut u8, size, 9);
                    if size == 0 {
                        assert!(q.is_null(), "realloc(p, 0) must free and return null");
                        continue;
                    }
                    assert!(!q.is_null());
                    let kept = Live { addr: q as usize, size: b.size.min(size), fill: b.fill };
                    check_contents(&kept, kept.size);
                    admit(&mut live, q, size, 16, fill);
                }
                Op::Free { idx } => {
                    if live.is_empty() { continue; }
                    let b = live.swap_remove(idx % live.len());
                    check_contents(&b, b.size);
                    free(b.addr as *mut u8);
                }
            }
        }
        for b in live {
            check_contents(&b, b.size);
            free(b.addr as *mut u8);
        }
    }
}

#[test]
fn fuzz_entry_point_runs_a_fixed_sequence() {
    let data: Vec<u8> = (0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    btmalloc::internal::fuzz_api_sequence(&data);
}
