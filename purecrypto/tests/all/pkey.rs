//! The `pkey` facade against OpenSSL 4 (through the Python `cryptography`
//! 50 package): fixture keys Python wrote (tests/data/pqc-keys, made by
//! its generate.py) load to the same bytes, and a live round trip through
//! tests/data/pqc-keys/interop.py checks both directions byte for byte,
//! plus encapsulation / signatures across the two.

use std::path::{Path, PathBuf};
use std::process::Command;

use purecrypto::hash::HashAlgorithm;
use purecrypto::pkey::{Algorithm, PrivateKey, PrivateKeyForm, PublicKey};
use purecrypto::rng::HmacDrbg;

/// The algorithms `cryptography` 50 handles (no ML-KEM-512, no SLH-DSA).
pub(crate) const PYTHON_ALGORITHMS: [&str; 5] = ["ML-KEM-768", "ML-KEM-1024", "ML-DSA-44", "ML-DSA-65", "ML-DSA-87"];

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pqc-keys")
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The interpreter of the venv `ci-templates/install-deps` makes, with
/// `cryptography` 50 (see [`crate::stack_py`]).
pub(crate) fn stack_python() -> Option<PathBuf> {
    crate::stack_py::python_with(
        "import cryptography.hazmat.primitives.asymmetric.mlkem",
        "PQC key interop with OpenSSL 4",
    )
}

pub(crate) fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("purecrypto-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn loads_the_keys_python_wrote() {
    let dir = fixture_dir();
    for name in PYTHON_ALGORITHMS {
        let alg = Algorithm::from_name(name).unwrap();
        let der = read(&dir, &format!("{name}.priv.der"));
        let key = PrivateKey::from_pkcs8_der(&der).unwrap();
        assert_eq!(key.algorithm(), alg);
        // cryptography writes the seed form; we write it back identically.
        assert_eq!(*key.to_pkcs8_der(PrivateKeyForm::Seed).unwrap(), der, "{name} private DER");
        let pem = read(&dir, &format!("{name}.priv.pem"));
        assert_eq!(*key.to_pkcs8_pem(PrivateKeyForm::Seed).unwrap().as_bytes(), *pem, "{name} private PEM");
        let encrypted = read(&dir, &format!("{name}.priv.enc.pem"));
        let decrypted = PrivateKey::read(&encrypted, Some(b"fixture-pass")).unwrap();
        assert_eq!(*decrypted.to_pkcs8_der(PrivateKeyForm::Seed).unwrap(), der, "{name} encrypted PEM");

        let spki = read(&dir, &format!("{name}.pub.der"));
        assert_eq!(key.public_key().to_spki_der(), spki, "{name} public key derived from the private key");
        let public = PublicKey::from_spki_der(&spki).unwrap();
        assert_eq!(public, key.public_key());
        assert_eq!(public.to_spki_pem().as_bytes(), read(&dir, &format!("{name}.pub.pem")), "{name} public PEM");

        if alg.is_signature() {
            let sig = read(&dir, &format!("{name}.sig.bin"));
            public.verify(b"purecrypto pqc-keys fixture message", b"fixture-ctx", &sig).unwrap();
            assert!(public.verify(b"purecrypto pqc-keys fixture message", b"other-ctx", &sig).is_err());
        } else {
            let secret = key.decapsulate(&read(&dir, &format!("{name}.ct.bin"))).unwrap();
            assert_eq!(secret.as_bytes().as_slice(), read(&dir, &format!("{name}.ss.bin")), "{name} decapsulation");
        }
    }
}

#[test]
fn live_round_trip_with_python() {
    let Some(python) = stack_python() else { return };
    let dir = scratch_dir("pkey-interop");
    let mut rng = HmacDrbg::new(HashAlgorithm::Sha256, &[5; 32], b"pkey interop", b"").unwrap();
    let mut keys = Vec::new();
    for name in PYTHON_ALGORITHMS {
        let key = PrivateKey::generate(Algorithm::from_name(name).unwrap(), &mut rng).unwrap();
        for (form, label) in
            [(PrivateKeyForm::Seed, "seed"), (PrivateKeyForm::Both, "both"), (PrivateKeyForm::Expanded, "expanded")]
        {
            std::fs::write(dir.join(format!("{name}.{label}.der")), &*key.to_pkcs8_der(form).unwrap()).unwrap();
        }
        std::fs::write(dir.join(format!("{name}.pub.der")), key.public_key().to_spki_der()).unwrap();
        if key.algorithm().is_signature() {
            let sig = key.sign(b"purecrypto live interop message", b"live-ctx", Some(&mut rng)).unwrap();
            std::fs::write(dir.join(format!("{name}.sig.bin")), sig).unwrap();
        } else {
            let (ct, ss) = key.public_key().encapsulate(&mut rng).unwrap();
            std::fs::write(dir.join(format!("{name}.ct.bin")), ct).unwrap();
            std::fs::write(dir.join(format!("{name}.ss.bin")), ss.as_bytes()).unwrap();
        }
        keys.push((name, key));
    }

    let script = fixture_dir().join("interop.py");
    let out = Command::new(&python).arg(&script).arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "interop.py failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    for (name, key) in keys {
        let public = key.public_key();
        // Python's fresh key: we read it and write it back identically.
        let py_der = read(&dir, &format!("{name}.py.priv.der"));
        let py_key = PrivateKey::from_pkcs8_der(&py_der).unwrap();
        assert_eq!(*py_key.to_pkcs8_der(PrivateKeyForm::Seed).unwrap(), py_der, "{name}");
        assert_eq!(py_key.public_key().to_spki_der(), read(&dir, &format!("{name}.py.pub.der")), "{name}");
        if key.algorithm().is_signature() {
            let sig = read(&dir, &format!("{name}.py.sig.bin"));
            public.verify(b"purecrypto live interop message", b"live-ctx", &sig).unwrap();
        } else {
            let secret = key.decapsulate(&read(&dir, &format!("{name}.py.ct.bin"))).unwrap();
            assert_eq!(secret.as_bytes().as_slice(), read(&dir, &format!("{name}.py.ss.bin")), "{name}");
        }
        let forms = String::from_utf8(read(&dir, &format!("{name}.forms.txt"))).unwrap();
        eprintln!("{name}: cryptography reads our {}", forms.trim());
    }
    std::fs::remove_dir_all(&dir).ok();
}
