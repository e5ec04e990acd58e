//! Path validation of fuzzed certificates against a fixed trust anchor
//! (the generated test root).
#![no_main]

static ROOT_PEM: &[u8] = include_bytes!("../../tests/data/x509/root.pem");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(root) = purecrypto::asn1::pem::decode(ROOT_PEM) {
        purecrypto::internal::fuzz_chain(&root.contents, data);
    }
});
