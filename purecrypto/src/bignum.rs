//! Multi-precision integers for public-key cryptography.
//!
//! Entry points: [`BoxedUint`] (heap limbs, width fixed at construction:
//! RSA and finite-field DH sizes, 2048 to 16384 bits), [`Uint`] (a
//! const-generic fixed width on the stack), [`Modulus`] (Montgomery
//! multiplication, constant-time [`Modulus::pow`], [`Modulus::reduce`]),
//! [`inv_mod_odd`] / [`inv_small_mod`] (constant-time inversion) and the
//! primality functions in [`prime`].
//!
//! Everything runs in time that depends only on widths (which are public)
//! unless its name ends in `_vartime`; those take public values only.
//! Limbs are `u64`, least significant first; byte strings are big-endian.

mod boxed;
mod fixed;
mod inv;
pub(crate) mod limbs;
pub(crate) mod monty;
mod monty52;
pub mod prime;

pub use boxed::BoxedUint;
pub use fixed::Uint;
pub use inv::{gcd_odd, inv_mod_odd, inv_small_mod};
pub use monty::{MAX_LIMBS, Modulus};
