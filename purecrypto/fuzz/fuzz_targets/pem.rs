//! PEM blocks from arbitrary text must survive encode then decode.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_pem(data));
