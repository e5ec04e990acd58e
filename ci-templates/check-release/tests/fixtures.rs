//! Runs `check-release` on the good fixture tree and on one broken copy per
//! rule: the good tree must pass, each broken one must fail naming exactly
//! the rules it breaks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The good tree with `overlay`'s files laid over it, in a fresh temp dir.
fn tree(overlay: &str) -> PathBuf {
    // Tests run in parallel and may lay out the same overlay: one dir each.
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "check-release-{}-{n}-{overlay}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    copy_tree(&fixtures().join("good"), &dir);
    if overlay != "good" {
        copy_tree(&fixtures().join(overlay), &dir);
    }
    dir
}

/// Runs the binary; returns its exit code and the rules it printed.
fn run(root: &Path) -> (i32, BTreeSet<String>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_check-release"))
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let rules = stderr
        .lines()
        .filter_map(|l| {
            l.split_once(": [")
                .and_then(|(_, rest)| rest.split_once(']'))
                .map(|(r, _)| r.to_owned())
        })
        .collect();
    (out.status.code().unwrap_or(-1), rules, stderr)
}

#[test]
fn the_good_tree_passes() {
    let root = tree("good");
    let (code, rules, stderr) = run(&root);
    assert_eq!(code, 0, "{stderr}");
    assert!(rules.is_empty());
    fs::remove_dir_all(root).unwrap();
}

#[test]
fn each_fixture_fails_with_its_rule() {
    let cases: &[(&str, &[&str])] = &[
        ("version-pin", &["version-pin"]),
        ("requirement", &["requirement"]),
        ("edge", &["edge"]),
        // A cycle among layers always includes an edge that points up.
        ("cycle", &["cycle", "edge"]),
        ("runtime-dependency", &["runtime-dependency"]),
        ("dev-dependency", &["dev-dependency"]),
        ("changelog", &["changelog"]),
        ("package-contents", &["package-contents"]),
        // A set without btmalloc also leaves btmalloc's version unpinned.
        ("set", &["set", "version-pin"]),
        ("sibling-by-path", &["sibling-by-path"]),
    ];
    let on_disk: BTreeSet<String> = fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "good")
        .collect();
    let covered: BTreeSet<String> = cases.iter().map(|(name, _)| (*name).to_owned()).collect();
    assert_eq!(
        on_disk, covered,
        "every fixture folder has a case and every case a folder"
    );

    for (fixture, expected) in cases {
        let root = tree(fixture);
        let (code, rules, stderr) = run(&root);
        assert_eq!(code, 1, "{fixture}: expected failure\n{stderr}");
        let expected: BTreeSet<String> = expected.iter().map(|r| (*r).to_owned()).collect();
        assert_eq!(rules, expected, "{fixture}: wrong rules\n{stderr}");
        fs::remove_dir_all(root).unwrap();
    }
}

#[test]
fn messages_name_the_crate_and_what_is_wrong() {
    let root = tree("requirement");
    let (_, _, stderr) = run(&root);
    assert!(
        stderr.contains(
            "purecrypto: [requirement] requires compcol ^0.2 but the newest set first pins 0.1.0"
        ),
        "{stderr}"
    );
    fs::remove_dir_all(root).unwrap();
}
