//! Fuzz target: `rsurl::internal::fuzz_alt_svc`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rsurl::internal::fuzz_alt_svc(data);
});
