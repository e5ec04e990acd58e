//! Message authentication codes: HMAC over every hash, KMAC, and the
//! cipher-based MACs.
//!
//! Entry points: [`Hmac`] (generic, e.g. `Hmac::<Sha256>::new(key)`),
//! [`DynHmac`] / [`hmac`] when the hash is chosen at run time,
//! [`Kmac128`] / [`Kmac256`], [`poly1305::Poly1305`] (the one-time
//! authenticator of RFC 8439), [`cmac::Cmac`] (AES-CMAC, SP 800-38B) and
//! [`gmac::Gmac`] (GCM with no plaintext, SP 800-38D). Tags are checked
//! with `verify`, which compares in constant time.

pub mod cmac;
pub mod gmac;
mod hmac;
mod kmac;
pub mod poly1305;

pub use hmac::{DynHmac, Hmac, hmac};
pub use kmac::{Kmac128, Kmac256};
