//! Fuzz target: random malloc / aligned / realloc / free / foreign-free
//! sequences, checked for contents, alignment and usable size.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| btmalloc::internal::fuzz_api_sequence(data));
