//! CTR mode (SP 800-38A): the whole 16-byte counter block is incremented
//! as one big-endian integer, wrapping modulo 2^128.
//!
//! Entry point: [`apply_keystream`]; encryption and decryption are the
//! same operation.

use super::iv16;
use crate::Error;
use crate::cipher::aes::Aes;

/// XORs the keystream for initial counter block `iv` into `data`.
///
/// # Errors
/// [`Error::InvalidLength`] for a counter block other than 16 bytes.
pub fn apply_keystream(aes: &Aes, iv: &[u8], data: &mut [u8]) -> Result<(), Error> {
    let ctr = iv16("CTR counter block", iv)?;
    aes.ctr_xor::<128>(ctr, data);
    Ok(())
}
