//! The declarative CLI cases in `tests/data/cases/*.case` (format in
//! `tests/data/cases/README.md`), run against the in-tree server with the
//! `rsurl` binary and, for cases with a `diff` section, with `/usr/bin/curl`
//! too, comparing stdout bytes, written files and the exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::server::{Reply, Server};

/// One parsed case file.
#[derive(Debug, Default)]
struct Case {
    name: String,
    args: String,
    replies: Vec<Reply>,
    requests: Vec<Vec<u8>>,
    exit: Option<i32>,
    stdout: Option<Vec<u8>>,
    stderr: Vec<String>,
    files: Vec<(String, Vec<u8>)>,
    setup: Vec<(String, Vec<u8>)>,
    /// Bytes fed to the program's standard input (else it is empty).
    stdin: Option<Vec<u8>>,
    diff: bool,
    diff_files: Vec<String>,
}

/// Processes `\r`, `\n`, `\t`, `\\`, `\xHH` escapes.
fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            match b[i + 1] {
                b'r' => out.push(b'\r'),
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'\\' => out.push(b'\\'),
                b'x' if i + 3 < b.len() => {
                    out.push(u8::from_str_radix(&s[i + 2..i + 4], 16).unwrap());
                    i += 4;
                    continue;
                }
                other => {
                    out.push(b'\\');
                    out.push(other);
                }
            }
            i += 2;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// A message section: head lines get CRLF up to the first empty line,
/// `%flood N TEXT` repeats TEXT+CRLF N times; the body after the empty
/// line is taken verbatim (escapes processed) without the final newline.
fn message(lines: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut in_body = false;
    let mut body: Vec<&str> = Vec::new();
    for line in lines {
        if in_body {
            body.push(line);
            continue;
        }
        if line.is_empty() {
            out.extend_from_slice(b"\r\n");
            in_body = true;
            continue;
        }
        if let Some(rest) = line.strip_prefix("%flood ") {
            let (n, text) = rest.split_once(' ').unwrap();
            let mut one = unescape(text);
            one.extend_from_slice(b"\r\n");
            out.extend(one.repeat(n.parse().unwrap()));
            continue;
        }
        if let Some(rest) = line.strip_prefix("%pad ") {
            // `%pad N C TEXT`: TEXT, then N copies of C, then CRLF.
            let mut it = rest.splitn(3, ' ');
            let (n, c, text) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap_or(""));
            out.extend(unescape(text));
            out.extend(c.as_bytes().repeat(n.parse().unwrap()));
            out.extend_from_slice(b"\r\n");
            continue;
        }
        if let Some(rest) = line.strip_prefix("%raw ") {
            // A head line sent verbatim, without CRLF.
            out.extend(unescape(rest));
            continue;
        }
        out.extend(unescape(line));
        out.extend_from_slice(b"\r\n");
    }
    out.extend(unescape(&body.join("\n")));
    out
}

fn text(lines: &[&str], nonl: bool) -> Vec<u8> {
    let mut s = lines.join("\n");
    if !nonl && !lines.is_empty() {
        s.push('\n');
    }
    unescape(&s)
}

fn parse_case(path: &Path) -> Case {
    let src = std::fs::read_to_string(path).unwrap();
    let mut case = Case { name: path.file_name().unwrap().to_string_lossy().into_owned(), ..Case::default() };
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in src.lines() {
        if let Some(h) = line.strip_prefix("=== ") {
            sections.push((h.trim().to_owned(), Vec::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push(line);
        }
    }
    for (header, mut lines) in sections {
        let mut words = header.split_whitespace();
        let kind = words.next().unwrap_or("");
        let flags: Vec<&str> = words.collect();
        let nonl = flags.contains(&"nonl");
        // The blank lines before the next header separate sections.
        while lines.last() == Some(&"") {
            lines.pop();
        }
        if matches!(kind, "reply" | "request") && !lines.contains(&"") && !flags.contains(&"nohead") {
            lines.push("");
        }
        match kind {
            "args" => case.args = lines.join(" "),
            "reply" => case.replies.push(Reply {
                bytes: message(&lines),
                stall: flags.contains(&"stall"),
                keep_alive: flags.contains(&"keepalive"),
                no_continue: flags.contains(&"nocontinue"),
                trickle: flags.contains(&"trickle"),
            }),
            "request" => case.requests.push(message(&lines)),
            "exit" => case.exit = Some(lines.join("").trim().parse().unwrap()),
            "stdout" => case.stdout = Some(text(&lines, nonl)),
            "stderr" => case.stderr.extend(lines.iter().map(|l| l.to_string())),
            "file" => case.files.push((flags[0].to_owned(), text(&lines, nonl))),
            "setup" => case.setup.push((flags[0].to_owned(), text(&lines, nonl))),
            "stdin" => case.stdin = Some(text(&lines, nonl)),
            "diff" => {
                case.diff = true;
                case.diff_files.extend(flags.iter().map(|f| f.to_string()));
            }
            "#" | "" => {}
            other => panic!("{}: unknown section {other}", case.name),
        }
    }
    case
}

/// Splits a command line: whitespace-separated, `"..."` quoting with
/// backslash escapes (`\r`, `\n` make CRLF-injection arguments possible).
fn split_args(s: &str) -> Vec<Vec<u8>> {
    let mut args = Vec::new();
    let mut cur: Option<String> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut q = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next().unwrap() {
                            '"' => q.push('"'),
                            other => {
                                q.push('\\');
                                q.push(other);
                            }
                        },
                        c => q.push(c),
                    }
                }
                cur.get_or_insert_with(String::new).push_str(&q);
            }
            c if c.is_whitespace() => {
                if let Some(a) = cur.take() {
                    args.push(a);
                }
            }
            c => cur.get_or_insert_with(String::new).push(c),
        }
    }
    args.extend(cur);
    args.into_iter().map(|a| unescape(&a)).collect()
}

/// What one program run produced.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    requests: Vec<Vec<u8>>,
    files: Vec<(String, Option<Vec<u8>>)>,
    port: u16,
}

/// Replaces the `%NAME` placeholders, byte for byte: reply bodies may be
/// binary (compressed), so nothing here may go through UTF-8.
fn subst(s: &[u8], port: u16, dir: &Path) -> Vec<u8> {
    let vars = [
        ("%URL", format!("http://127.0.0.1:{port}")),
        ("%HOST", format!("127.0.0.1:{port}")),
        ("%PORT", port.to_string()),
        ("%DIR", dir.display().to_string()),
        ("%VERSION", env!("CARGO_PKG_VERSION").to_owned()),
    ];
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    'scan: while i < s.len() {
        for (name, value) in &vars {
            if s[i..].starts_with(name.as_bytes()) {
                out.extend_from_slice(value.as_bytes());
                i += name.len();
                continue 'scan;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

fn run_case(case: &Case, program: &Path, tag: &str) -> Run {
    use std::os::unix::ffi::OsStringExt;
    let dir = std::env::temp_dir().join(format!("rsurl-case-{}-{}-{tag}", std::process::id(), case.name));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let replies = case.replies.clone();
    let server = Server::start(move |port| {
        replies.into_iter().map(|r| Reply { bytes: subst(&r.bytes, port, Path::new(".")), ..r }).collect()
    });
    let port = server.port;
    for (name, content) in &case.setup {
        std::fs::write(dir.join(name), subst(content, port, &dir)).unwrap();
    }
    let args: Vec<std::ffi::OsString> =
        split_args(&case.args).iter().map(|a| std::ffi::OsString::from_vec(subst(a, port, &dir))).collect();
    let mut child = Command::new(program)
        .args(&args)
        .current_dir(&dir)
        .stdin(if case.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let (Some(mut pipe), Some(input)) = (child.stdin.take(), case.stdin.clone()) {
        std::thread::spawn(move || {
            let _ = std::io::Write::write_all(&mut pipe, &input);
        });
    }
    let out_pipe = child.stdout.take().unwrap();
    let err_pipe = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut { out_pipe }, &mut v).unwrap();
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut { err_pipe }, &mut v).unwrap();
        v
    });
    // A watchdog: no case may hang the suite.
    let deadline = Instant::now() + Duration::from_secs(30);
    let code = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break Some(-999);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = out_t.join().unwrap();
    let stderr = String::from_utf8_lossy(&err_t.join().unwrap()).into_owned();
    let requests = server.requests();
    drop(server);
    let mut names: Vec<String> = case.files.iter().map(|(n, _)| n.clone()).collect();
    names.extend(case.diff_files.iter().cloned());
    let files = names.into_iter().map(|n| (n.clone(), std::fs::read(dir.join(&n)).ok())).collect();
    let _ = std::fs::remove_dir_all(&dir);
    Run { code, stdout, stderr, requests, files, port }
}

fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cases");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    v.sort();
    v
}

fn check(case: &Case, run: &Run) -> Vec<String> {
    let mut errs = Vec::new();
    let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if let Some(want) = case.exit {
        if run.code != Some(want) {
            errs.push(format!("exit {:?}, want {want}; stderr: {}", run.code, run.stderr));
        }
    }
    if let Some(want) = &case.stdout {
        let want = subst(want, run.port, Path::new("."));
        if run.stdout != want {
            errs.push(format!("stdout {:?}\n   want {:?}", show(&run.stdout), show(&want)));
        }
    }
    for s in &case.stderr {
        let s = String::from_utf8(subst(s.as_bytes(), run.port, Path::new("."))).unwrap();
        if !run.stderr.contains(s.as_str()) {
            errs.push(format!("stderr lacks {s:?}: {:?}", run.stderr));
        }
    }
    if !case.requests.is_empty() {
        let want: Vec<Vec<u8>> = case.requests.iter().map(|r| subst(r, run.port, Path::new("."))).collect();
        if run.requests != want {
            errs.push(format!(
                "requests {:?}\n    want {:?}",
                run.requests.iter().map(|r| show(r)).collect::<Vec<_>>(),
                want.iter().map(|r| show(r)).collect::<Vec<_>>()
            ));
        }
    }
    for (name, want) in &case.files {
        let got = run.files.iter().find(|(n, _)| n == name).and_then(|(_, c)| c.clone());
        if got.as_deref() != Some(want.as_slice()) {
            errs.push(format!("file {name}: {:?}, want {:?}", got.map(|g| show(&g)), show(want)));
        }
    }
    errs
}

fn rsurl() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rsurl"))
}

/// Runs every case against rsurl; reports all failures at once.
#[test]
fn cli_cases() {
    let files = case_files();
    assert!(files.len() >= 20, "case files missing");
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(files.len().div_ceil(4))
            .map(|chunk| {
                scope.spawn(move || {
                    let mut f = Vec::new();
                    for path in chunk {
                        let case = parse_case(path);
                        let run = run_case(&case, &rsurl(), "rsurl");
                        for e in check(&case, &run) {
                            f.push(format!("{}: {e}", case.name));
                        }
                    }
                    f
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The curl binary, or `None` (a loud skip outside CI, a failure in CI).
pub(crate) fn curl() -> Option<PathBuf> {
    let p = PathBuf::from("/usr/bin/curl");
    if p.exists() {
        return Some(p);
    }
    assert!(std::env::var_os("CI").is_none(), "curl is required in CI (/usr/bin/curl missing)");
    eprintln!("SKIPPED: curl not installed");
    None
}

/// Normalises what legitimately differs between two runs: the port, and
/// in trace files the `== Info:` lines (free text that differs by design).
fn norm(b: &[u8], port: u16) -> Vec<u8> {
    let text = String::from_utf8_lossy(b).replace(&port.to_string(), "%PORT");
    let kept: Vec<&str> = text.split_inclusive('\n').filter(|l| !l.starts_with("== Info:")).collect();
    kept.concat().into_bytes()
}

/// The same command line with curl and with rsurl against the same
/// scripted server: stdout bytes, written files and exit code must match.
#[test]
fn differential_against_curl() {
    let Some(curl) = curl() else { return };
    let cases: Vec<Case> = case_files().iter().map(|p| parse_case(p)).filter(|c| c.diff).collect();
    assert!(cases.len() >= 20, "differential cases missing");
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(cases.len().div_ceil(4))
            .map(|chunk| {
                let curl = curl.clone();
                scope.spawn(move || {
                    let mut f = Vec::new();
                    for case in chunk {
                        let ours = run_case(case, &rsurl(), "d-rsurl");
                        let theirs = run_case(case, &curl, "d-curl");
                        if ours.code != theirs.code {
                            f.push(format!(
                                "{}: exit rsurl {:?} curl {:?} ({})",
                                case.name, ours.code, theirs.code, ours.stderr
                            ));
                        }
                        let (a, b) = (norm(&ours.stdout, ours.port), norm(&theirs.stdout, theirs.port));
                        if a != b {
                            f.push(format!(
                                "{}: stdout\n rsurl {:?}\n curl  {:?}",
                                case.name,
                                String::from_utf8_lossy(&a),
                                String::from_utf8_lossy(&b)
                            ));
                        }
                        for ((name, x), (_, y)) in ours.files.iter().zip(&theirs.files) {
                            let x = x.as_ref().map(|v| norm(v, ours.port));
                            let y = y.as_ref().map(|v| norm(v, theirs.port));
                            if x != y {
                                f.push(format!("{}: file {name} differs", case.name));
                            } else if x.is_none() && case.diff_files.contains(name) {
                                f.push(format!("{}: neither wrote {name}", case.name));
                            }
                        }
                    }
                    f
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}
