//! Runs independent test cases on every core. The long vector walks
//! (Wycheproof, the SLH-DSA "s" sets) are single `#[test]`s whose files or
//! cases do not depend on each other; spread over the cores they stop
//! being the tail of the whole suite's wall time.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, on `available_parallelism` threads that
/// take the next unclaimed item; the results come back in `items` order.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, usize::from).min(items.len().max(1));
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { return done };
                        done.push((i, f(item)));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn results_come_back_in_input_order() {
    let items: Vec<u32> = (0..100).collect();
    assert_eq!(map(&items, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
    assert!(map(&[] as &[u32], |x| *x).is_empty());
}
