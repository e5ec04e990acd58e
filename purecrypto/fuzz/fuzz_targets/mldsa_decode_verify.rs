//! ML-DSA public-key and signature decoders plus verification on hostile
//! bytes: the first byte picks the parameter set, the rest is split into a
//! public key and a signature. Must never panic; may never accept.
#![no_main]

use purecrypto::mldsa::{MlDsa44, MlDsa65, MlDsa87, ParameterSet, Signature, VerifyingKey};

fn run<P: ParameterSet>(data: &[u8]) {
    let (pk, rest) = data.split_at(P::PUBLIC_KEY_LEN.min(data.len()));
    let (sig, msg) = rest.split_at(P::SIGNATURE_LEN.min(rest.len()));
    if let (Ok(vk), Ok(sig)) = (VerifyingKey::<P>::from_bytes(pk), Signature::<P>::from_bytes(sig)) {
        let _ = vk.verify(msg, b"", &sig);
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| match data.split_first() {
    Some((0, rest)) => run::<MlDsa44>(rest),
    Some((1, rest)) => run::<MlDsa65>(rest),
    Some((_, rest)) => run::<MlDsa87>(rest),
    None => {}
});
