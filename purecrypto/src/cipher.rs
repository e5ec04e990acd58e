//! Block and stream ciphers and their confidentiality-only modes.
//!
//! Entry points: [`aes::Aes`] (AES-128/192/256, constant-time on every
//! backend), [`chacha20`] (ChaCha20 and XChaCha20) and the modes in
//! [`modes`] (ECB for test vectors, CBC with PKCS#7, CTR, CFB, XTS and the
//! RFC 3394 / 5649 key wraps). For encryption with integrity use
//! [`crate::aead`] instead.

pub mod aes;
pub mod chacha20;
// Legacy ciphers for reading old PKCS #12 files; crate-private, decrypt
// only outside tests, not constant-time.
pub(crate) mod des;
pub mod modes;
pub(crate) mod rc2;
