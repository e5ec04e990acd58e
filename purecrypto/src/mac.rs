//! Message authentication codes: HMAC over every hash, and KMAC.
//!
//! Entry points: [`Hmac`] (generic, e.g. `Hmac::<Sha256>::new(key)`),
//! [`DynHmac`] / [`hmac`] when the hash is chosen at run time, and
//! [`Kmac128`] / [`Kmac256`]. Tags are checked with `verify`, which compares
//! in constant time.

mod hmac;
mod kmac;

pub use hmac::{DynHmac, Hmac, hmac};
pub use kmac::{Kmac128, Kmac256};
