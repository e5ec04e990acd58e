//! The purecrypto integration test binary: one binary, one module per area
//! (see `tests/all/`), faster to link than one binary per file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

#[path = "all/ca.rs"]
mod ca;
#[path = "all/cipher_vectors.rs"]
mod cipher_vectors;
#[path = "all/cli.rs"]
mod cli;
#[path = "all/ctgrind.rs"]
mod ctgrind;
#[path = "all/ec.rs"]
mod ec;
#[path = "all/edwards.rs"]
mod edwards;
#[path = "all/gnutls.rs"]
mod gnutls;
#[path = "all/gnutls_rpk.rs"]
mod gnutls_rpk;
#[path = "all/hybrid.rs"]
mod hybrid;
#[path = "all/mldsa.rs"]
mod mldsa;
#[path = "all/mlkem.rs"]
mod mlkem;
#[path = "all/ocsp.rs"]
mod ocsp;
#[path = "all/parallel.rs"]
mod parallel;
#[path = "all/pkcs.rs"]
mod pkcs;
#[path = "all/pkey.rs"]
mod pkey;
#[path = "all/pkey_classic.rs"]
mod pkey_classic;
#[path = "all/pkey_cli.rs"]
mod pkey_cli;
#[path = "all/req.rs"]
mod req;
#[path = "all/rsa.rs"]
mod rsa;
#[path = "all/s_server.rs"]
mod s_server;
#[path = "all/slhdsa.rs"]
mod slhdsa;
#[path = "all/stack_py.rs"]
mod stack_py;
#[path = "all/tls.rs"]
mod tls;
#[path = "all/tls_ccm.rs"]
mod tls_ccm;
#[cfg(feature = "cert-compression")]
#[path = "all/tls_certcomp.rs"]
mod tls_certcomp;
#[path = "all/tls_early.rs"]
mod tls_early;
#[path = "all/tls_ext.rs"]
mod tls_ext;
#[path = "all/tls_features.rs"]
mod tls_features;
#[path = "all/tls_hybrid.rs"]
mod tls_hybrid;
#[path = "all/tls_middlebox.rs"]
mod tls_middlebox;
#[path = "all/tls_pha.rs"]
mod tls_pha;
#[path = "all/vectors.rs"]
mod vectors;
#[path = "all/x509.rs"]
mod x509;
