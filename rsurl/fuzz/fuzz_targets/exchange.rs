//! Fuzz target: `rsurl::internal::fuzz_exchange` (stateful: the HTTP driver).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rsurl::internal::fuzz_exchange(data);
});
