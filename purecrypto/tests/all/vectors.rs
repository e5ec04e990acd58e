//! Runs every vector file under `tests/data/{acvp,wycheproof,cavp}` through
//! `purecrypto::vectors::run_file` and fails naming the file and test ids.

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "json" || e == "rsp") {
            out.push(path);
        }
    }
}

fn run_all(family: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(family);
    let mut files = Vec::new();
    files_under(&root, &mut files);
    // Biggest files first, so a long one does not start last and run alone.
    files.sort_by_cached_key(|f| (std::cmp::Reverse(std::fs::metadata(f).map_or(0, |m| m.len())), f.clone()));
    assert!(!files.is_empty(), "no vector files under {}", root.display());
    // Files are independent: every core takes the next one.
    let reports = crate::parallel::map(&files, |file| {
        let report = purecrypto::vectors::run_file(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        eprintln!("{}: {report}", file.display());
        assert!(report.passed > 0, "{}: nothing passed ({report})", file.display());
        report
    });
    let failures: Vec<String> = files
        .iter()
        .zip(&reports)
        .filter(|(_, report)| report.failed > 0)
        .map(|(file, report)| format!("{}: {report}\n  {}", file.display(), report.failures.join("\n  ")))
        .collect();
    assert!(failures.is_empty(), "vector failures:\n{}", failures.join("\n"));
}

#[test]
fn acvp() {
    run_all("acvp");
}

#[test]
fn wycheproof() {
    run_all("wycheproof");
}

#[test]
fn cavp() {
    run_all("cavp");
}
