//! Multi-threaded stress: cross-thread frees, thread churn, and fork while
//! other threads allocate.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use btmalloc::internal::{free, malloc, usable_size};

fn fill(p: *mut u8, n: usize, tag: u8) {
    // SAFETY: the block is live and at least this many bytes long.
    unsafe { core::ptr::write_bytes(p, tag, n) };
}

fn verify(p: *mut u8, n: usize, tag: u8) {
    // SAFETY: the block is live and at least this many bytes long.
    let s = unsafe { core::slice::from_raw_parts(p, n) };
    assert!(s.iter().all(|&b| b == tag), "block {p:p} of {n} bytes was overwritten");
}

#[derive(Clone, Copy)]
struct Block(usize, usize, u8);

#[test]
fn cross_thread_frees_with_thread_churn() {
    let pool: Arc<Mutex<Vec<Block>>> = Arc::new(Mutex::new(Vec::new()));
    for wave in 0..6u32 {
        let handles: Vec<_> = (0..6u32)
            .map(|t| {
                let pool = Arc::clone(&pool);
                std::thread::spawn(move || {
                    let mut x = (wave * 31 + t + 1).wrapping_mul(2_654_435_761);
                    let mut mine = Vec::new();
                    for i in 0..20_000u32 {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        let size = if x % 97 == 0 { (x % 100_000) as usize } else { (x % 600) as usize };
                        let tag = (x >> 24) as u8;
                        let p = malloc(size, (x % 8) as usize * 64);
                        assert!(!p.is_null());
                        assert!(usable_size(p) >= size);
                        fill(p, size, tag);
                        if i % 3 == 0 {
                            pool.lock().unwrap().push(Block(p as usize, size, tag));
                        } else {
                            mine.push(Block(p as usize, size, tag));
                        }
                        if mine.len() > 500 {
                            let Block(p, n, tag) = mine.swap_remove((x as usize) % mine.len());
                            verify(p as *mut u8, n, tag);
                            free(p as *mut u8);
                        }
                        if i % 64 == 0 {
                            // Free a batch allocated by other threads.
                            let batch: Vec<Block> = {
                                let mut g = pool.lock().unwrap();
                                let k = g.len().min(40);
                                let start = g.len() - k;
                                g.drain(start..).collect()
                            };
                            for Block(p, n, tag) in batch {
                                verify(p as *mut u8, n, tag);
                                free(p as *mut u8);
                            }
                        }
                    }
                    for Block(p, n, tag) in mine {
                        verify(p as *mut u8, n, tag);
                        free(p as *mut u8);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    }
    for Block(p, n, tag) in pool.lock().unwrap().drain(..) {
        verify(p as *mut u8, n, tag);
        free(p as *mut u8);
    }
}

#[test]
fn fork_while_other_threads_allocate() {
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..3)
        .map(|t| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut held = Vec::new();
                let mut i = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    let size = (i * 37 + t * 11) % 3000 + if i.is_multiple_of(500) { 70_000 } else { 0 };
                    let p = malloc(size, t * 4096);
                    fill(p, size, t as u8);
                    held.push((p as usize, size));
                    if held.len() > 200 {
                        let (p, n) = held.swap_remove(i % held.len());
                        verify(p as *mut u8, n, t as u8);
                        free(p as *mut u8);
                    }
                    i += 1;
                }
                for (p, _) in held {
                    free(p as *mut u8);
                }
            })
        })
        .collect();
    let before_fork = malloc(100, 1);
    fill(before_fork, 100, 0x5a);
    for round in 0..20 {
        // SAFETY: plain libc call with valid arguments.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            // Child: only this thread exists; the allocator must still work.
            let mut ok = true;
            let mut v = Vec::new();
            for i in 0..5000usize {
                let n = (i * 13) % 5000 + if i % 1000 == 0 { 100_000 } else { 0 };
                let p = malloc(n, i % 16);
                ok &= !p.is_null();
                fill(p, n, 3);
                v.push(p);
            }
            for p in v {
                free(p);
            }
            // SAFETY: the block is live and at least this many bytes long.
            let s = unsafe { core::slice::from_raw_parts(before_fork, 100) };
            ok &= s.iter().all(|&b| b == 0x5a);
            free(before_fork);
            let t = std::thread::spawn(|| {
                let p = malloc(64, 1);
                free(p);
            });
            ok &= t.join().is_ok();
            // SAFETY: plain libc call with valid arguments.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        let mut status = 0;
        let mut waited = 0;
        loop {
            // SAFETY: plain libc call with valid arguments.
            let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
            if r == pid {
                break;
            }
            waited += 1;
            if waited > 3000 {
                // SAFETY: plain libc call with valid arguments.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                panic!("child {round} hung after fork (allocator lock held?)");
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "child {round} failed: {status:#x}");
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    free(before_fork);
}

#[test]
fn medium_blocks_freed_by_another_thread_are_reused() {
    for round in 0..3u8 {
        let blocks: Vec<Block> = (0..64usize)
            .map(|i| {
                let n = 33_000 + i * 15_000;
                let p = malloc(n, 77);
                fill(p, n, round ^ i as u8);
                Block(p as usize, n, round ^ i as u8)
            })
            .collect();
        std::thread::spawn(move || {
            for Block(p, n, tag) in blocks {
                verify(p as *mut u8, n, tag);
                free(p as *mut u8);
            }
        })
        .join()
        .unwrap();
    }
    // The owner takes the pages back through its reclaim stack.
    let p = malloc(500_000, 77);
    fill(p, 500_000, 1);
    verify(p, 500_000, 1);
    free(p);
}

#[test]
fn reused_medium_pages_are_not_mistaken_for_double_frees() {
    // Untouched blocks keep whatever the previous owner of the pages left,
    // including the canary that marks a freed block.
    let mut seen = std::collections::HashSet::new();
    for _ in 0..500 {
        let p = malloc(1 << 20, 99);
        seen.insert(p as usize);
        free(p);
    }
    assert!(seen.len() < 50, "medium frees were ignored: {} distinct blocks", seen.len());
}

/// Resident KiB less the pages given back with `MADV_FREE` (the default
/// purge mode) that the kernel has not reclaimed yet: they stay in VmRSS
/// as `LazyFree` until it needs the memory.
fn rss_kib() -> usize {
    let field = |path: &str, name: &str| -> usize {
        let text = std::fs::read_to_string(path).unwrap();
        let line = text.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    field("/proc/self/status", "VmRSS:") - field("/proc/self/smaps_rollup", "LazyFree:")
}

#[test]
fn freed_memory_goes_back_to_the_system() {
    // In a forked child, so that other tests' allocations do not blur RSS.
    // SAFETY: plain libc call with valid arguments.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let base = rss_kib();
        let mut v = Vec::with_capacity(600_000);
        for i in 0..600_000usize {
            let n = 32 + (i * 7919) % 400;
            let p = malloc(n, i % 32);
            fill(p, n, 1);
            v.push(p);
        }
        let peak = rss_kib();
        for p in v {
            free(p);
        }
        drop(Vec::<u8>::with_capacity(1));
        let after = rss_kib();
        // Peak grew by ~130 MB; at most the 8 MiB dirty allowance plus the
        // bins' retained slabs may stay.
        let ok = peak > base + 100_000 && after < base + 40_000;
        if !ok {
            eprintln!("rss: base {base} KiB, peak {peak} KiB, after free {after} KiB");
        }
        // SAFETY: plain libc call with valid arguments.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: plain libc call with valid arguments.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "RSS not released after freeing");
}

static LATE_DESTRUCTOR_OK: AtomicBool = AtomicBool::new(false);

unsafe extern "C" fn late_destructor(_: *mut libc::c_void) {
    // Runs after btmalloc's own key destructor (keys are destroyed in
    // creation order) released this thread's heap: allocation must still
    // work (through the orphan heap).
    let mut ok = btmalloc::internal::thread_heap_released();
    let mut v = Vec::new();
    for i in 0..2000usize {
        let p = malloc(16 + i % 3000, 5);
        ok &= !p.is_null();
        fill(p, 16 + i % 3000, 9);
        v.push(p);
    }
    for (i, p) in v.into_iter().enumerate() {
        verify(p, 16 + i % 3000, 9);
        free(p);
    }
    LATE_DESTRUCTOR_OK.store(ok, Ordering::SeqCst);
}

#[test]
fn allocation_in_a_destructor_after_the_heap_is_released() {
    free(malloc(8, 1)); // btmalloc's key exists before ours.
    let mut key: libc::pthread_key_t = 0;
    // SAFETY: plain libc call with valid arguments.
    assert_eq!(unsafe { libc::pthread_key_create(&mut key, Some(late_destructor)) }, 0);
    std::thread::spawn(move || {
        free(malloc(100, 2)); // this thread gets a heap
        // SAFETY: plain libc call with valid arguments.
        unsafe { libc::pthread_setspecific(key, std::ptr::dangling::<libc::c_void>()) };
    })
    .join()
    .unwrap();
    assert!(LATE_DESTRUCTOR_OK.load(Ordering::SeqCst));
    // SAFETY: plain libc call with valid arguments.
    unsafe { libc::pthread_key_delete(key) };
}
