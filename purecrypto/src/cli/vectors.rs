//! `purecrypto vectors FILE...`: runs Wycheproof / ACVP files through the
//! library and prints `FILE: N passed, M failed, K skipped (...)` per file.
//!
//! Entry point: [`run`]; exit status 1 when any case failed or any file
//! could not be run.

use std::string::String;

use super::{CliError, Io};

/// `vectors [-v] FILE...`; `-v` also lists the first failures.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let verbose = args.iter().any(|a| a == "-v");
    let files: std::vec::Vec<&String> = args.iter().filter(|a| a.as_str() != "-v").collect();
    if files.is_empty() {
        return Err(CliError::usage("usage: purecrypto vectors [-v] FILE..."));
    }
    let mut status = 0;
    for file in files {
        match crate::vectors::run_file(std::path::Path::new(file)) {
            Ok(report) => {
                writeln!(io.stdout, "{file}: {report}").map_err(CliError::io("stdout"))?;
                if report.failed > 0 {
                    status = 1;
                    if verbose {
                        for f in &report.failures {
                            writeln!(io.stdout, "  {f}").map_err(CliError::io("stdout"))?;
                        }
                    }
                }
            }
            Err(e) => {
                let _ = writeln!(io.stderr, "{file}: {e}");
                status = 1;
            }
        }
    }
    Ok(status)
}
