//! Fuzz target: `rsurl::internal::fuzz_h2_frames`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rsurl::internal::fuzz_h2_frames(data);
});
