//! ASN.1 in its Distinguished Encoding Rules, the container of every key,
//! signature and certificate format the crate reads or writes.
//!
//! Entry points: [`der::Reader`] and [`der::Writer`] (strict DER: exactly
//! one encoding of each value is accepted), the object identifiers in
//! [`oid`], and [`spki::SubjectPublicKeyInfo`], the public-key wrapper
//! shared by X.509, PKCS #8 tooling and the Wycheproof ECDH files.
//!
//! Strictness is the point: BER leniencies (indefinite lengths, non-minimal
//! lengths or integers, `BOOLEAN` values other than `00`/`FF`, trailing
//! bytes) let two parsers disagree about what a signed structure says, so
//! every one of them is an [`Error::Malformed`](crate::Error::Malformed).

pub mod der;
pub mod oid;
pub mod spki;
