//! The call-site profiler end to end: a C program compiled at test time
//! runs under `LD_PRELOAD` with `BTMALLOC_PROFILE`; the profile it leaves
//! (at a signal and at exit) must name its three allocating functions with
//! their exact byte counts, and `btmalloc-report` must rank and symbolise
//! them. Needs `cc` (and `addr2line` for the symbol check): missing tools
//! fail under CI and are skipped loudly elsewhere.

use std::path::Path;
use std::process::Command;

use btmalloc::report::{Profile, Rank, Site};

use crate::support::{TempDir, have, preload_lib};

/// Three call sites with known figures: `keep_alive` leaves 10 x 100 B
/// live; `churn` allocates and frees 5 x 1000 B one at a time; `burst`
/// holds 4 x 3000 B at once, then frees them; `grow` allocates 100 B and
/// `realloc`s it to 5000 B (the new block belongs to the `realloc` call
/// site, the old one counts as freed at the `malloc` site). With an argument, the
/// program raises SIGUSR2, allocates once (the safe point where the dump
/// happens) and prints the file the signal produced.
const PROGRAM: &str = r#"
#include <stdlib.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
void *kept[10];
__attribute__((noinline)) void keep_alive(void) {
    for (int i = 0; i < 10; i++) kept[i] = malloc(100);
}
__attribute__((noinline)) void churn(void) {
    for (int i = 0; i < 5; i++) { char *p = malloc(1000); memset(p, 1, 1000); free(p); }
}
__attribute__((noinline)) void burst(void) {
    void *p[4];
    for (int i = 0; i < 4; i++) p[i] = malloc(3000);
    for (int i = 0; i < 4; i++) free(p[i]);
}
void *grown;
__attribute__((noinline)) void grow(void) {
    char *p = malloc(100);
    grown = realloc(p, 5000);
}
int main(int argc, char **argv) {
    keep_alive(); churn(); burst(); grow();
    if (argc > 1) {
        raise(SIGUSR2);
        free(malloc(8));
        FILE *f = fopen(argv[1], "r");
        if (!f) return 3;
        char buf[4096]; size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
        fclose(f);
    }
    return 0;
}
"#;

fn compile(dir: &Path) -> std::path::PathBuf {
    let src = dir.join("prog.c");
    std::fs::write(&src, PROGRAM).unwrap();
    let exe = dir.join("prog");
    let out = Command::new("cc").args(["-g", "-O0", "-o"]).arg(&exe).arg(&src).output().unwrap();
    assert!(out.status.success(), "cc failed: {}", String::from_utf8_lossy(&out.stderr));
    exe
}

/// The program's own sites (module = the executable), sorted by offset.
fn program_sites<'a>(p: &'a Profile, exe: &Path) -> Vec<&'a Site> {
    let exe = exe.canonicalize().unwrap();
    let mut v: Vec<&Site> = p.sites.iter().filter(|s| Path::new(&s.module) == exe).collect();
    v.sort_by_key(|s| s.offset);
    v
}

/// `(live, peak, allocs, frees, bytes)` of each site.
fn figures(sites: &[&Site]) -> Vec<(u64, u64, u64, u64, u64)> {
    let mut v: Vec<_> = sites.iter().map(|s| (s.live, s.peak, s.allocs, s.frees, s.bytes)).collect();
    v.sort_unstable();
    v
}

#[test]
fn profile_names_call_sites_with_their_bytes() {
    if !have("cc") {
        return;
    }
    let dir = TempDir::new("profile");
    let exe = compile(&dir.0);
    let file = dir.0.join("heap.prof");

    // Unset: nothing is written.
    let plain = Command::new(&exe).env("LD_PRELOAD", preload_lib()).output().unwrap();
    assert!(plain.status.success());
    assert!(!file.exists(), "a profile appeared without BTMALLOC_PROFILE");

    let out = Command::new(&exe)
        .arg(&file)
        .env("LD_PRELOAD", preload_lib())
        .env("BTMALLOC_PROFILE", &file)
        .env("BTMALLOC_PROFILE_SIGNAL", "USR2")
        .output()
        .unwrap();
    assert!(out.status.success(), "program failed: {}", String::from_utf8_lossy(&out.stderr));

    let expected = vec![
        (0, 100, 1, 1, 100),
        (0, 1000, 5, 5, 5000),
        (0, 12000, 4, 4, 12000),
        (1000, 1000, 10, 0, 1000),
        (5000, 5000, 1, 0, 5000),
    ];
    // The dump the signal asked for, written at the next malloc.
    let at_signal = Profile::parse(&String::from_utf8_lossy(&out.stdout)).unwrap();
    let sites = program_sites(&at_signal, &exe);
    assert_eq!(figures(&sites[..5.min(sites.len())]), expected, "at the signal: {sites:?}");
    // At exit: the same five sites plus the `free(malloc(8))` one.
    let at_exit = Profile::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let sites = program_sites(&at_exit, &exe);
    assert_eq!(sites.len(), 6, "{sites:?}");
    assert_eq!(figures(&sites[..5]), expected);
    assert_eq!(figures(&sites[5..]), vec![(0, 8, 1, 1, 8)]);
    assert_eq!(at_exit.top(Rank::Peak, 1)[0].peak, 12000);
    assert!(at_exit.total[0] >= 6000 && at_exit.total[2] >= 22, "totals {:?}", at_exit.total);

    let report = env!("CARGO_BIN_EXE_btmalloc-report");
    // Without addr2line on PATH: module + offset, and it says so.
    let bare = Command::new(report).arg(&file).env("PATH", "/nonexistent").output().unwrap();
    let bare = String::from_utf8(bare.stdout).unwrap();
    assert!(bare.contains("addr2line not available"), "{bare}");
    let kept = sites.iter().find(|s| s.allocs == 10).unwrap();
    assert!(bare.contains(&format!("{}+{:#x}", kept.module, kept.offset)), "{bare}");

    if !have("addr2line") {
        return;
    }
    let text = Command::new(report).args([file.as_os_str(), "5".as_ref()]).output().unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    // The rows of one ranking (after its title and column header).
    let section = |title: &str| -> Vec<String> {
        let start = text.find(title).unwrap_or_else(|| panic!("no {title} in {text}"));
        text[start..].lines().skip(2).take_while(|l| !l.is_empty()).map(str::to_owned).collect()
    };
    // keep_alive is the program's site with the most live bytes and the
    // most allocations (stdio's buffer in libc may outrank it by live
    // bytes); burst has the highest peak.
    let live = section("by live bytes");
    let row = live.iter().find(|l| l.contains("keep_alive at")).unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains("prog.c:") && row.trim_start().starts_with("1000 "), "{text}");
    assert!(section("by peak bytes")[0].contains("burst at"), "{text}");
    assert!(section("by allocations")[0].contains("keep_alive at"), "{text}");
    assert!(text.contains("churn at"), "{text}");
    let grow = section("by live bytes").into_iter().filter(|l| l.contains("grow at")).collect::<Vec<_>>();
    assert!(grow.len() == 1 && grow[0].trim_start().starts_with("5000 "), "the realloc site holds 5000 B: {text}");
}
