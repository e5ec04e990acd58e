//! KMAC128 and KMAC256 (SP 800-185 section 4), including the XOF variants.
//!
//! Entry points: [`Kmac128::new`] / [`Kmac256::new`], `update`, then
//! `finalize_into` (fixed length, the length is bound into the tag),
//! `finalize_xof` (KMACXOF) or `verify`.

use crate::Error;
use crate::hash::internal::{absorb_bytepad_prefix, absorb_encoded_string, right_encode};
use crate::hash::{CShake128, CShake256, XofReader};

macro_rules! kmac {
    ($name:ident, $cshake:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name($cshake);

        impl $name {
            /// Keys a KMAC with customization string `custom` (may be empty).
            #[must_use]
            pub fn new(key: &[u8], custom: &[u8]) -> Self {
                let mut c = $cshake::new(b"KMAC", custom);
                let sponge = c.sponge_mut();
                absorb_bytepad_prefix(sponge);
                absorb_encoded_string(sponge, key);
                sponge.pad_to_rate();
                Self(c)
            }

            /// Absorbs message bytes.
            pub fn update(&mut self, data: &[u8]) {
                self.0.update(data);
            }

            /// Writes an `out.len()`-byte tag (the length is part of the input).
            pub fn finalize_into(mut self, out: &mut [u8]) {
                let (enc, n) = right_encode((out.len() as u64).wrapping_mul(8));
                self.0.update(enc.get(..n).unwrap_or_default());
                self.0.finalize_xof().read(out);
            }

            /// KMACXOF: output of any length, read incrementally.
            #[must_use]
            pub fn finalize_xof(mut self) -> XofReader {
                let (enc, n) = right_encode(0);
                self.0.update(enc.get(..n).unwrap_or_default());
                self.0.finalize_xof()
            }

            /// Checks a tag of `tag.len()` bytes in constant time.
            ///
            /// # Errors
            /// [`Error::VerificationFailed`] on a mismatch.
            pub fn verify(self, tag: &[u8]) -> Result<(), Error> {
                let mut want = alloc::vec![0u8; tag.len()];
                self.finalize_into(&mut want);
                if crate::ct::eq(&want, tag) { Ok(()) } else { Err(Error::VerificationFailed) }
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
    };
}

kmac!(Kmac128, CShake128, "KMAC128: a Keccak MAC on cSHAKE128.");
kmac!(Kmac256, CShake256, "KMAC256: a Keccak MAC on cSHAKE256.");

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    /// NIST SP 800-185 example values (KMAC_samples.pdf, samples 1-6).
    #[test]
    fn nist_samples() {
        let key: [u8; 32] = core::array::from_fn(|i| 0x40 + i as u8);
        let short = hex!("00010203");
        let long: [u8; 200] = core::array::from_fn(|i| i as u8);
        let tagged = b"My Tagged Application";

        let mut out = [0u8; 32];
        let mut k = Kmac128::new(&key, b"");
        k.update(&short);
        k.finalize_into(&mut out);
        assert_eq!(out, hex!("e5780b0d3ea6f7d3a429c5706aa43a00fadbd7d49628839e3187243f456ee14e"));

        let mut k = Kmac128::new(&key, tagged);
        k.update(&short);
        k.finalize_into(&mut out);
        assert_eq!(out, hex!("3b1fba963cd8b0b59e8c1a6d71888b7143651af8ba0a7070c0979e2811324aa5"));

        let mut k = Kmac128::new(&key, tagged);
        k.update(&long);
        k.finalize_into(&mut out);
        assert_eq!(out, hex!("1f5b4e6cca02209e0dcb5ca635b89a15e271ecc760071dfd805faa38f9729230"));

        let mut out = [0u8; 64];
        let mut k = Kmac256::new(&key, tagged);
        k.update(&short);
        k.finalize_into(&mut out);
        assert_eq!(
            out,
            hex!(
                "20c570c31346f703c9ac36c61c03cb64c3970d0cfc787e9b79599d273a68d2f7f69d4cc3de9d104a351689f27cf6f5951f0103f33f4f24871024d9c27773a8dd"
            )
        );

        let k = Kmac256::new(&key, tagged);
        let mut k2 = k.clone();
        k2.update(&short);
        assert!(k2.verify(&out).is_ok());
        assert!(k.verify(&out).is_err());
    }
}
