//! `check-release [ROOT]`: prints one line per violated release rule and
//! exits 1 if there is any (2 if the tree cannot be read). ROOT defaults to
//! the umbrella tree this tool lives in.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."));
    match check_release::check(&root) {
        Ok(violations) if violations.is_empty() => {
            println!(
                "check-release: ok (version sets, dependency policy, changelogs, package contents)"
            );
            ExitCode::SUCCESS
        }
        Ok(violations) => {
            for v in &violations {
                eprintln!("check-release: {v}");
            }
            eprintln!("check-release: {} violation(s)", violations.len());
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("check-release: cannot check {}: {e}", root.display());
            ExitCode::from(2)
        }
    }
}
