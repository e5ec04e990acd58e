//! Message authentication codes built on the ciphers.
//!
//! Entry points: [`poly1305::Poly1305`] (one-time authenticator of RFC
//! 8439), [`cmac::Cmac`] (AES-CMAC, SP 800-38B) and [`gmac::Gmac`] (GCM
//! with no plaintext, SP 800-38D). Verify tags with their `verify`
//! methods, which compare in constant time.

pub mod cmac;
pub mod gmac;
pub mod poly1305;
