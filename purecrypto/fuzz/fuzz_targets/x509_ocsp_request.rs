//! OCSP request decoding, as a responder sees it (decode, print, re-encode).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_ocsp_request(data));
