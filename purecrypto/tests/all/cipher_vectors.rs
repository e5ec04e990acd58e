//! Runs every cipher / AEAD / MAC vector file copied into `tests/data`
//! through `purecrypto::vectors::run_file` and fails on any failure,
//! naming the file and the failing test ids.

use std::path::Path;

/// The files of this area, relative to `tests/data`, each with the only
/// skip reasons allowed for it.
const FILES: &[(&str, &[&str])] = &[
    ("wycheproof/aes_gcm_test.json", &[]),
    ("wycheproof/aes_ccm_test.json", &[]),
    ("wycheproof/aes_gcm_siv_test.json", &[]),
    ("wycheproof/chacha20_poly1305_test.json", &[]),
    ("wycheproof/aes_cbc_pkcs5_test.json", &[]),
    ("wycheproof/aes_xts_test.json", &[]),
    ("wycheproof/aes_cmac_test.json", &[]),
    ("wycheproof/aes_wrap_test.json", &[]),
    ("acvp/ACVP-AES-ECB-1.0/internalProjection.json", &[]),
    ("acvp/ACVP-AES-CBC-1.0/internalProjection.json", &[]),
    ("acvp/ACVP-AES-CTR-1.0/internalProjection.json", &[]),
    ("acvp/ACVP-AES-GCM-1.0/internalProjection.json", &[]),
];

#[test]
fn cipher_vector_files_pass() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut problems = Vec::new();
    for (file, allowed_skips) in FILES {
        let report = purecrypto::vectors::run_file(&data.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        eprintln!("{file}: {report}");
        if report.failed > 0 {
            problems.push(format!("{file}: {report}: {}", report.failures.join("; ")));
        }
        if report.passed == 0 {
            problems.push(format!("{file}: no case passed"));
        }
        for what in &report.unsupported {
            if !allowed_skips.contains(&what.as_str()) {
                problems.push(format!("{file}: unexpected skips ({what})"));
            }
        }
    }
    assert!(problems.is_empty(), "vector failures:\n{}", problems.join("\n"));
}
