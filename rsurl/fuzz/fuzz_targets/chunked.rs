//! Fuzz target: `rsurl::internal::fuzz_chunked`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rsurl::internal::fuzz_chunked(data);
});
