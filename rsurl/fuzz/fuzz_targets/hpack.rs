//! Fuzz target: `rsurl::internal::fuzz_hpack`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rsurl::internal::fuzz_hpack(data);
});
