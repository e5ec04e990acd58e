//! Fuzz target: `rsurl::internal::fuzz_hsts`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rsurl::internal::fuzz_hsts(data);
});
