//! Every hash, fed in fuzzer-chosen pieces, equals the one-shot digest.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_hash_streaming(data));
