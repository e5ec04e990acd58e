//! PKCS #12: MAC, decryption and bags under tiny cost limits; never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_pkcs12(data));
