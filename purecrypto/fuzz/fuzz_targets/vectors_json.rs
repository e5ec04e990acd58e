//! The JSON reader and the vector runner on arbitrary documents: no panic,
//! bounded depth.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_vectors_json(data));
