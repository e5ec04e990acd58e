//! Fuzz target: `rsurl::internal::fuzz_response`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rsurl::internal::fuzz_response(data);
});
