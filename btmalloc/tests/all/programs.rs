//! Real programs under `LD_PRELOAD=libbtmalloc.so`: each must print exactly
//! what it prints without the preload. Missing tools fail under CI and are
//! skipped loudly elsewhere.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{TempDir, have, preload_lib};

/// Runs `build()` without and with the preload; returns both outputs.
fn both(build: impl Fn() -> Command) -> (Output, Output) {
    let mut plain = build();
    plain.env_remove("LD_PRELOAD");
    let plain = plain.output().unwrap();
    let mut pre = build();
    pre.env("LD_PRELOAD", preload_lib());
    let pre = pre.output().unwrap();
    (plain, pre)
}

/// Runs `build()` both ways and asserts identical status and stdout.
fn same_output(what: &str, build: impl Fn() -> Command) -> Vec<u8> {
    let (plain, pre) = both(build);
    assert!(plain.status.success(), "{what} failed without preload: {}", String::from_utf8_lossy(&plain.stderr));
    assert!(pre.status.success(), "{what} failed under btmalloc: {}", String::from_utf8_lossy(&pre.stderr));
    assert!(plain.stdout == pre.stdout, "{what}: output differs under btmalloc");
    assert!(!plain.stdout.is_empty(), "{what} printed nothing");
    pre.stdout
}

#[test]
fn preload_is_really_active() {
    let mut c = Command::new("cat");
    c.arg("/proc/self/maps").env("LD_PRELOAD", preload_lib());
    let out = c.output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("libbtmalloc.so"));
}

const PYTHON_WORKLOAD: &str = r#"
import json, hashlib
d = {}
for i in range(60000):
    d["k%d" % i] = [i, str(i) * (i % 7), {"x": i * 0.5}]
s = json.dumps(d, sort_keys=True)
back = json.loads(s)
words = " ".join("w%d" % (i * 7919 % 10007) for i in range(50000)).split()
words.sort()
lst = [x for x in range(200000) if x % 3]
del d
print(len(s), len(back), words[:3], sum(lst), hashlib.sha256(s.encode()).hexdigest())
"#;

#[test]
fn python3_dict_list_string_json_workload() {
    if !have("python3") {
        return;
    }
    same_output("python3", || {
        let mut c = Command::new("python3");
        c.arg("-c").arg(PYTHON_WORKLOAD);
        c
    });
}

#[test]
fn partition_modes_keep_program_output() {
    if !have("python3") {
        return;
    }
    for (var, value) in
        [("BTMALLOC_PARTITIONS", "1"), ("BTMALLOC_PARTITION_MODE", "interned"), ("BTMALLOC_PARTITIONS", "1024")]
    {
        same_output("python3", || {
            let mut c = Command::new("python3");
            c.arg("-c").arg(PYTHON_WORKLOAD).env(var, value);
            c
        });
    }
}

#[test]
fn git_init_add_commit_log() {
    if !have("git") {
        return;
    }
    let run = |tag: &str, preload: bool| -> Vec<u8> {
        let dir = TempDir::new(tag);
        let git = |args: &[&str]| {
            let mut c = Command::new("git");
            c.args(args).current_dir(&dir.0);
            c.env("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z").env("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z");
            c.env("GIT_CONFIG_NOSYSTEM", "1").env("HOME", &dir.0);
            c.args::<[&str; 0], &str>([]);
            if preload {
                c.env("LD_PRELOAD", preload_lib());
            } else {
                c.env_remove("LD_PRELOAD");
            }
            let out = c.output().unwrap();
            assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        git(&["init", "-q", "-b", "main", "."]);
        for round in 0..3 {
            for f in 0..40 {
                let body: String = (0..200).map(|i| format!("{round} {f} {i}\n")).collect();
                std::fs::write(dir.0.join(format!("f{f}.txt")), body).unwrap();
            }
            git(&["add", "-A"]);
            git(&["-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", &format!("round {round}")]);
        }
        git(&["log", "--stat", "--format=%H %s"])
    };
    let plain = run("git-plain", false);
    let pre = run("git-pre", true);
    assert!(!plain.is_empty());
    assert!(plain == pre, "git log differs under btmalloc");
}

#[test]
fn sort_of_a_20_mb_file() {
    if !have("sort") {
        return;
    }
    let dir = TempDir::new("sort");
    let file = dir.0.join("in.txt");
    let mut data = Vec::with_capacity(21 << 20);
    let mut x: u64 = 0x1234_5678;
    while data.len() < 20 << 20 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let len = 4 + (x >> 59) as usize;
        for k in 0..len {
            data.push(b'a' + ((x >> (k * 3 % 40)) % 26) as u8);
        }
        data.push(b'\n');
    }
    std::fs::write(&file, &data).unwrap();
    let out = same_output("sort", || {
        let mut c = Command::new("sort");
        c.arg("-S").arg("64M").arg(&file).env("LC_ALL", "C");
        c
    });
    assert_eq!(out.len(), data.len());
}

#[test]
fn perl_hash_regex_sort_workload() {
    if !have("perl") {
        return;
    }
    let script = r#"my %h; for my $i (1..100000) { $h{"k$i"} = [$i, "x" x ($i % 13)]; }
my @k = sort { $h{$a}[0] <=> $h{$b}[0] } grep { /7/ } keys %h;
my $s = join ",", map { $_ . length($h{$_}[1]) } @k[0..50];
delete $h{$_} for @k; print scalar(@k), " ", scalar(keys %h), " $s\n";"#;
    same_output("perl", || {
        let mut c = Command::new("perl");
        c.arg("-e").arg(script);
        c
    });
}

const C_API_PROGRAM: &str = r#"
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define CHECK(c) do { if (!(c)) { printf("FAIL line %d: %s\n", __LINE__, #c); return 1; } } while (0)
int main(void) {
    Dl_info info; dladdr((void *)malloc, &info);
    fprintf(stderr, "malloc from %s\n", info.dli_fname);
    void *p = (void *)1;
    errno = 1234;
    CHECK(posix_memalign(&p, 3, 10) == EINVAL && p == (void *)1 && errno == 1234);
    CHECK(posix_memalign(&p, 4, 10) == EINVAL && errno == 1234);
    CHECK(posix_memalign(&p, 256, 100) == 0 && ((uintptr_t)p & 255) == 0 && errno == 1234);
    free(p);
    CHECK(posix_memalign(&p, 1 << 20, 3000000) == 0 && ((uintptr_t)p & ((1 << 20) - 1)) == 0);
    memset(p, 1, 3000000); free(p);
    errno = 0;
    CHECK(calloc(SIZE_MAX / 2, 4) == NULL && errno == ENOMEM);
    char *z = calloc(1000, 40);
    for (int i = 0; i < 40000; i++) CHECK(z[i] == 0);
    free(z);
    errno = 0;
    CHECK(reallocarray(NULL, SIZE_MAX / 2, 3) == NULL && errno == ENOMEM);
    char *a = reallocarray(NULL, 10, 10); CHECK(a != NULL); memset(a, 7, 100);
    a = realloc(a, 100000); CHECK(a != NULL && a[99] == 7);
    CHECK(malloc_usable_size(a) >= 100000);
    CHECK(realloc(a, 0) == NULL);
    CHECK(malloc_usable_size(NULL) == 0);
    void *b = aligned_alloc(64, 128); CHECK(b && ((uintptr_t)b & 63) == 0); free(b);
    b = memalign(4096, 10); CHECK(b && ((uintptr_t)b & 4095) == 0); free(b);
    b = valloc(5); CHECK(b && ((uintptr_t)b & 4095) == 0); free(b);
    b = pvalloc(5); CHECK(b && ((uintptr_t)b & 4095) == 0 && malloc_usable_size(b) >= 4096); free(b);
    b = malloc(0); CHECK(b != NULL); free(b);
    free(NULL);
    CHECK(mallopt(M_ARENA_MAX, 2) == 1);
    malloc_trim(0);
    void *many[10000];
    for (int i = 0; i < 10000; i++) { many[i] = malloc(i % 3000); memset(many[i], i, i % 3000); }
    for (int i = 0; i < 10000; i += 2) free(many[i]);
    for (int i = 1; i < 10000; i += 2) { unsigned char *c = many[i]; for (int j = 0; j < i % 3000; j++) CHECK(c[j] == (unsigned char)i); free(c); }
    puts("c api ok");
    return 0;
}
"#;

const CXX_PROGRAM: &str = r#"
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>
struct alignas(128) Wide { char b[200]; };
int main() {
    std::vector<std::thread> ts; std::mutex m;
    std::vector<std::unique_ptr<std::string>> shared; long total = 0;
    for (int t = 0; t < 4; t++) ts.emplace_back([&, t] {
        std::map<int, std::string> mp;
        for (int i = 0; i < 60000; i++) {
            mp[i % 1000] = std::string(i % 100 + 1, 'a' + t);
            if (i % 10 == 0) {
                std::lock_guard<std::mutex> g(m);
                shared.push_back(std::make_unique<std::string>(mp[i % 1000]));
                if (shared.size() > 500) shared.erase(shared.begin(), shared.begin() + 250);
            }
            if (i % 1000 == 0) {
                Wide *w = new Wide[3];
                if (reinterpret_cast<uintptr_t>(w) % 128 != 0) { std::puts("misaligned"); std::abort(); }
                delete[] w;
                int *n = new (std::nothrow) int[10];
                delete[] n;
            }
        }
        long s = 0; for (auto &kv : mp) s += kv.second.size();
        std::lock_guard<std::mutex> g(m); total += s;
    });
    for (auto &t : ts) t.join();
    std::printf("%ld %zu\n", total, shared.size());
}
"#;

fn compile(compiler: &str, src: &str, ext: &str, dir: &Path, extra: &[&str], preload: bool) -> std::path::PathBuf {
    let source = dir.join(format!("prog.{ext}"));
    std::fs::write(&source, src).unwrap();
    let exe = dir.join(format!("prog-{compiler}"));
    let mut c = Command::new(compiler);
    c.arg("-O2").arg(&source).arg("-o").arg(&exe).args(extra);
    if preload {
        c.env("LD_PRELOAD", preload_lib());
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{compiler}: {}", String::from_utf8_lossy(&out.stderr));
    exe
}

#[test]
fn gcc_compiles_under_btmalloc_and_the_c_api_behaves() {
    if !have("gcc") {
        return;
    }
    let dir = TempDir::new("gcc");
    std::fs::write(dir.0.join("prog.c"), C_API_PROGRAM).unwrap();
    // The compiler itself (cc1, as, collect2, ld) runs under btmalloc and
    // must produce the same assembly.
    same_output("gcc -S", || {
        let mut c = Command::new("gcc");
        c.args(["-O2", "-S", "-o", "-"]).arg(dir.0.join("prog.c"));
        c
    });
    let exe = compile("gcc", C_API_PROGRAM, "c", &dir.0, &["-ldl"], true);
    let (plain, pre) = both(|| Command::new(&exe));
    assert_eq!(String::from_utf8_lossy(&plain.stdout), "c api ok\n");
    assert_eq!(String::from_utf8_lossy(&pre.stdout), "c api ok\n");
    assert!(String::from_utf8_lossy(&pre.stderr).contains("libbtmalloc.so"), "preload not active");
}

#[test]
fn multithreaded_cxx_program_compiled_with_gxx() {
    if !have("g++") {
        return;
    }
    let dir = TempDir::new("gxx");
    let exe = compile("g++", CXX_PROGRAM, "cpp", &dir.0, &["-pthread", "-std=c++17"], true);
    let out = same_output("c++ threads", || Command::new(&exe));
    assert_eq!(String::from_utf8_lossy(&out), "202000 500\n");
}

#[test]
fn redis_server_under_btmalloc() {
    // Needs the Debian package redis-server (which pulls in redis-tools:
    // redis-cli, redis-benchmark).
    if !have("redis-server") || !have("redis-cli") || !have("redis-benchmark") {
        return;
    }
    let port = 20000 + (std::process::id() % 20000) as u16;
    let mut server = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .env("LD_PRELOAD", preload_lib())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut ok = false;
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let ping = Command::new("redis-cli").args(["-p", &port.to_string(), "ping"]).output();
        if ping.is_ok_and(|o| o.stdout.starts_with(b"PONG")) {
            ok = true;
            break;
        }
    }
    let cli = |args: &[&str]| {
        let out = Command::new("redis-cli").arg("-p").arg(port.to_string()).args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let bench = ok.then(|| {
        Command::new("redis-benchmark")
            .args(["-p", &port.to_string(), "-q", "-n", "20000", "-t", "set,get,lpush,lpop", "-d", "100"])
            .output()
            .unwrap()
    });
    let value = "v".repeat(5000);
    let stored = ok.then(|| (cli(&["set", "btmalloc-key", &value]), cli(&["get", "btmalloc-key"])));
    let alive = server.try_wait().unwrap().is_none();
    let maps = std::fs::read_to_string(format!("/proc/{}/maps", server.id())).unwrap_or_default();
    let _ = server.kill();
    let _ = server.wait();
    assert!(ok, "redis-server did not answer PING under btmalloc");
    let bench = bench.unwrap();
    assert!(bench.status.success(), "redis-benchmark failed");
    assert!(String::from_utf8_lossy(&bench.stdout).contains("SET:"), "redis-benchmark printed no SET result");
    assert_eq!(stored, Some(("OK".to_string(), value)), "redis lost a value under btmalloc");
    assert!(alive, "redis-server died under btmalloc");
    assert!(maps.contains("libbtmalloc.so"), "redis-server did not load the preload");
}
