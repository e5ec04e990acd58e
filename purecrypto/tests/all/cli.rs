//! The `purecrypto` binary against the installed `openssl` binary: `dgst`,
//! `mac` and `kdf` output must be byte-identical; `vectors`, `rand` and
//! `speed` are checked for format and exit status.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn ours(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_purecrypto")).args(args).output().unwrap()
}

fn ours_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_purecrypto"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// `openssl` with `args`, or `None` (after a loud note) when it is not
/// installed outside CI. In CI a missing openssl is a failure.
fn openssl(args: &[&str]) -> Option<Output> {
    match Command::new("openssl").args(args).output() {
        Ok(out) => Some(out),
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "openssl is required in CI: {e}");
            eprintln!("SKIPPED: openssl not installed ({e})");
            None
        }
    }
}

fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("purecrypto-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn same_as_openssl(args: &[&str]) {
    let Some(theirs) = openssl(args) else { return };
    assert!(theirs.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&theirs.stderr));
    let mine = ours(args);
    assert!(mine.status.success(), "purecrypto {args:?} failed: {}", String::from_utf8_lossy(&mine.stderr));
    assert_eq!(
        String::from_utf8_lossy(&mine.stdout),
        String::from_utf8_lossy(&theirs.stdout),
        "output differs for {args:?}"
    );
    assert_eq!(mine.stdout, theirs.stdout, "bytes differ for {args:?}");
}

#[test]
fn dgst_matches_openssl() {
    let big: Vec<u8> = (0..200_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let files = [scratch("empty", b""), scratch("abc", b"abc"), scratch("big", &big)];
    let algs = [
        "-md5",
        "-sha1",
        "-sha224",
        "-sha256",
        "-sha384",
        "-sha512",
        "-sha512-224",
        "-sha512-256",
        "-sha3-224",
        "-sha3-256",
        "-sha3-384",
        "-sha3-512",
        "-blake2b512",
        "-blake2s256",
        "-shake128",
        "-shake256",
    ];
    for file in &files {
        let f = file.to_str().unwrap();
        for alg in algs {
            same_as_openssl(&["dgst", alg, f]);
        }
        same_as_openssl(&["dgst", f]);
        same_as_openssl(&["dgst", "-sha256", "-binary", f]);
        same_as_openssl(&["dgst", "-sha256", "-r", f]);
        same_as_openssl(&["dgst", "-sha1", "-c", f]);
        same_as_openssl(&["dgst", "-sha256", "-hex", f, f]);
        for alg in ["-sha256", "-sha512", "-sha3-256", "-md5", "-blake2b512"] {
            same_as_openssl(&["dgst", alg, "-hmac", "a secret key", f]);
        }
    }
    let out = ours_stdin(&["dgst", "-sha256"], b"abc");
    assert_eq!(out.stdout, b"SHA2-256(stdin)= ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
    let out = ours(&["dgst", "-sha256", "/nonexistent/file"]);
    assert_eq!(out.status.code(), Some(1));
    let out = ours(&["dgst", "-nosuchalg"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn mac_and_kdf_match_openssl() {
    let f = scratch("mac-input", b"The quick brown fox");
    let f = f.to_str().unwrap();
    same_as_openssl(&["mac", "-digest", "SHA256", "-macopt", "key:k", "-in", f, "HMAC"]);
    same_as_openssl(&["mac", "-digest", "SHA3-512", "-macopt", "hexkey:00112233", "-in", f, "HMAC"]);
    same_as_openssl(&["mac", "-macopt", "key:0123456789abcdef0123456789abcdef", "-in", f, "KMAC128"]);
    same_as_openssl(&[
        "mac",
        "-macopt",
        "key:0123456789abcdef0123456789abcdef",
        "-macopt",
        "custom:app",
        "-in",
        f,
        "KMAC256",
    ]);
    same_as_openssl(&["mac", "-macopt", "key:0123456789abcdef", "-in", f, "BLAKE2BMAC"]);
    same_as_openssl(&["mac", "-macopt", "hexkey:00112233", "-macopt", "size:16", "-in", f, "BLAKE2SMAC"]);
    let kdf = |alg: &str, opts: &[&str]| {
        let mut args = vec!["kdf", "-keylen", "42"];
        for o in opts {
            args.push("-kdfopt");
            args.push(o);
        }
        args.push(alg);
        same_as_openssl(&args);
    };
    kdf("HKDF", &["digest:SHA256", "key:secret", "salt:salt", "info:label"]);
    kdf("HKDF", &["digest:SHA512", "hexkey:0b0b0b0b", "hexsalt:0001", "hexinfo:f0f1"]);
    kdf("PBKDF2", &["digest:SHA256", "pass:password", "salt:saltsaltsaltsalt", "iter:1000"]);
    kdf("TLS1-PRF", &["digest:SHA384", "secret:s", "seed:x"]);
    kdf("SCRYPT", &["pass:password", "salt:NaCl", "n:1024", "r:8", "p:2"]);
}

#[test]
fn vectors_reports_per_file_and_fails_on_failure() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/wycheproof/hmac_sha256_test.json");
    let out = ours(&["vectors", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.ends_with(": 174 passed, 0 failed, 0 skipped\n"), "{text}");

    // Corrupt one valid tag: the runner must notice, name it, and exit 1.
    let original = std::fs::read_to_string(&root).unwrap();
    let tampered = original.replacen(
        "\"tag\": \"b175b57d89ea6cb606fb3363f2538abd73a4c00b4a1386905bac809004cf1933\"",
        "\"tag\": \"0175b57d89ea6cb606fb3363f2538abd73a4c00b4a1386905bac809004cf1933\"",
        1,
    );
    assert!(tampered != original, "fixture changed: update the tampered tag");
    let bad = scratch("tampered.json", tampered.as_bytes());
    let out = ours(&["vectors", "-v", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("173 passed, 1 failed") && text.contains("tcId 1: valid case rejected"), "{text}");
}

#[test]
fn rand_and_speed() {
    let out = ours(&["rand", "-hex", "16"]);
    assert!(out.status.success());
    assert_eq!(out.stdout.len(), 33);
    let again = ours(&["rand", "-hex", "16"]);
    assert_ne!(out.stdout, again.stdout);
    assert_eq!(ours(&["rand", "100"]).stdout.len(), 100);

    let out = ours(&["speed", "-seconds", "1", "-bytes", "64", "sha256", "blake3"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "The 'numbers' are in 1000s of bytes per second processed.");
    assert_eq!(lines[1], "type             64 bytes");
    assert!(lines[2].starts_with("sha256        ") && lines[3].starts_with("blake3        "), "{text}");
    // The AEAD rows, by name and through openssl's -evp spelling.
    let out = ours(&["speed", "-seconds", "1", "-bytes", "1024", "-evp", "chacha20-poly1305", "aes-128-gcm"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{text}");
    for row in rows {
        let rate: f64 = row.split_whitespace().last().unwrap().trim_end_matches('k').parse().unwrap();
        assert!(rate > 0.0, "{text}");
    }
    assert_eq!(ours(&["nosuchcommand"]).status.code(), Some(1));
}

#[test]
fn kdf_beyond_openssl_uses_published_vectors() {
    // RFC 9106 section 5.3 (Argon2id) through the command line.
    let out = ours(&[
        "kdf",
        "-keylen",
        "32",
        "-kdfopt",
        "hexpass:0101010101010101010101010101010101010101010101010101010101010101",
        "-kdfopt",
        "hexsalt:02020202020202020202020202020202",
        "-kdfopt",
        "hexsecret:0303030303030303",
        "-kdfopt",
        "hexad:040404040404040404040404",
        "-kdfopt",
        "iter:3",
        "-kdfopt",
        "memcost:32",
        "-kdfopt",
        "lanes:4",
        "ARGON2ID",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "0D:64:0D:F5:8D:78:76:6C:08:C0:37:A3:4A:8B:53:C9:D0:1E:F0:45:2D:75:B6:5E:B5:25:20:E9:6B:01:E6:59\n\n"
    );
    // OpenBSD's bcrypt_pbkdf regress vector.
    let out = ours(&[
        "kdf",
        "-keylen",
        "32",
        "-binary",
        "-kdfopt",
        "pass:password",
        "-kdfopt",
        "salt:salt",
        "-kdfopt",
        "rounds:4",
        "BCRYPT-PBKDF",
    ]);
    assert_eq!(out.stdout[..4], [0x5b, 0xbf, 0x0c, 0xc2]);
    assert_eq!(ours(&["kdf", "-keylen", "32", "-kdfopt", "pass:p", "NOSUCHKDF"]).status.code(), Some(1));
}
