//! 64 distinct call sites of `malloc`: each function has its own call
//! instruction (and a distinct constant, so the compiler cannot merge them).

use core::hint::black_box;

unsafe extern "C" {
    fn malloc(size: usize) -> *mut u8;
}

macro_rules! sites {
    ($($n:literal),*) => {
        /// Every site, indexed by number.
        pub(crate) static SITES: &[fn(usize) -> *mut u8] = &[$({
            #[inline(never)]
            fn site(size: usize) -> *mut u8 {
                black_box($n);
                // SAFETY: plain malloc call.
                unsafe { malloc(size) }
            }
            site
        }),*];
    };
}

sites!(
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
    31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
    60, 61, 62, 63
);
