//! `ci-templates/demo`, the stack's quick-start command, run end to end
//! with the binaries this test build made (`RSURL_DEMO_BIN_DIR`, so the
//! script does not call cargo under the running cargo): it must exit 0,
//! show the progress meter and the `-w` summary, and report the resource
//! decoded whole.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn quick_start_demo_runs_offline() {
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let bin_dir = rsurl.parent().unwrap().to_path_buf();
    let server = bin_dir.join("examples/demo_server");
    assert!(
        server.exists(),
        "{} missing: plain `cargo test` builds the examples (with `--test all` alone, run `cargo build --example demo_server` first)",
        server.display()
    );
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ci-templates/demo");
    let out = Command::new("bash").arg(&script).env("RSURL_DEMO_BIN_DIR", &bin_dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stderr.contains("% Total    % Received % Xferd"), "no progress meter:\n{stderr}");
    for want in [
        "http code:        200",
        "certificate:      0 (0 = verified)",
        "*  SSL certificate verify ok.",
        "decoded by compcol: 1114112 bytes, 16384 lines",
        "exit code: 60",
        "demo finished",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in:\n{stdout}");
    }
    // The server the script started is gone.
    let pid = stdout.split("server pid ").nth(1).and_then(|s| s.split_whitespace().next()).unwrap();
    assert!(!PathBuf::from(format!("/proc/{pid}")).exists(), "demo server {pid} still running");
}
