//! `puressh ssh` sessions against OpenSSH's sshd: a login shell on a pty
//! driven through a pseudo-terminal (`tests/data/pty/drive.py`, Debian's
//! python3: prompt, TERM, size, terminal modes, a resize, `exit 3`, the
//! `~?` and `~.` escapes), stdin piped to a shell without a pty, and
//! `-W`, `ProxyCommand` and `-J` through the same sshd to itself.
//!
//! The remote login profile may print to stderr (pyenv on the dev
//! machine): only markers the remote shell computes are compared.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const DRIVER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pty/drive.py");
const PYTHON: &str = "/usr/bin/python3";

/// The arguments that reach the sshd peer (before `[user@]host`).
fn base_args(sshd: &peerctl::Peer) -> Vec<String> {
    vec![
        "-i".into(),
        sshd.var("KEY").unwrap().into(),
        "-o".into(),
        format!("UserKnownHostsFile={}", sshd.var("KNOWN_HOSTS").unwrap()),
        "-o".into(),
        "StrictHostKeyChecking=yes".into(),
    ]
}

fn target(sshd: &peerctl::Peer) -> String {
    format!("{}@127.0.0.1", sshd.var("USER").unwrap_or("root"))
}

/// Runs the driver's `scenario` on `puressh ssh ARGS`; returns its report.
fn drive(scenario: &str, args: &[String]) -> String {
    assert!(std::path::Path::new(PYTHON).exists(), "{PYTHON} is part of Debian's base system");
    let out = Command::new(PYTHON)
        .args([DRIVER, scenario, "--", env!("CARGO_BIN_EXE_puressh"), "ssh"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{scenario}: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// Runs `puressh ssh ARGS` with `stdin` piped in.
fn run(args: &[String], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_puressh"))
        .arg("ssh")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn pty_shell_size_resize_and_exit_status() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut args = base_args(&sshd);
    args.extend(["-p".into(), sshd.port().to_string(), target(&sshd)]);
    let report = drive("shell", &args);
    assert!(report.ends_with("EXIT 3\n"), "{report}");
    assert!(report.contains("Connection to 127.0.0.1 closed."), "{report}");
}

#[test]
fn escape_help_and_disconnect() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut args = base_args(&sshd);
    args.extend(["-p".into(), sshd.port().to_string(), target(&sshd)]);
    let report = drive("escape", &args);
    assert!(report.ends_with("EXIT 255\n"), "{report}");
    // With `-e none` the same keys reach the shell: `~.` is a command
    // there, and the session ends by our `exit` instead.
    args.splice(0..0, ["-e".to_owned(), "none".to_owned()]);
    let report = drive("no-escape", &args);
    assert!(report.ends_with("EXIT 6\n"), "{report}");
}

#[test]
fn shell_without_pty_reads_stdin() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut args = base_args(&sshd);
    args.extend(["-p".into(), sshd.port().to_string(), target(&sshd)]);
    let out = run(&args, b"echo tty=$(tty -s && echo yes || echo no) sum=$((40+2))\nexit 4\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("tty=no sum=42"), "{stdout}");
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    // `-tt` asks for a pty although stdin is a pipe.
    let mut forced = vec!["-tt".to_owned()];
    forced.extend(args.iter().cloned());
    forced.push("tty -s && echo has-tty; exit 5".into());
    let out = run(&forced, b"");
    assert!(String::from_utf8_lossy(&out.stdout).contains("has-tty"));
    assert_eq!(out.status.code(), Some(5));
}

#[test]
fn proxy_command_and_jump_hosts() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let port = sshd.port().to_string();
    let exe = env!("CARGO_BIN_EXE_puressh");
    let base = base_args(&sshd);
    let command = ["echo", "via-$((2*21))", ";", "exit", "7"].map(str::to_owned);
    let check = |what: &str, out: Output| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(String::from_utf8_lossy(&out.stdout).contains("via-42"), "{what}: {stderr}");
        assert_eq!(out.status.code(), Some(7), "{what}: {stderr}");
    };
    // ProxyCommand: another puressh doing `-W %h:%p` through the server.
    let proxy = format!("{exe} ssh {} -p {port} -W %h:%p {}", base.join(" "), target(&sshd));
    let mut args = base.clone();
    args.extend(["-o".into(), format!("ProxyCommand={proxy}"), "-p".into(), port.clone(), target(&sshd)]);
    args.extend(command.iter().cloned());
    check("ProxyCommand", run(&args, b""));
    // -J with one jump, then two (each hop through the one before).
    for jumps in [format!("{}:{port}", target(&sshd)), format!("{0}:{port},{0}:{port}", target(&sshd))] {
        let mut args = base.clone();
        args.extend(["-J".into(), jumps.clone(), "-p".into(), port.clone(), target(&sshd)]);
        args.extend(command.iter().cloned());
        check(&jumps, run(&args, b""));
    }
    // A ProxyCommand that fails is a connection error: 255.
    let mut args = base.clone();
    args.extend(["-o".into(), "ProxyCommand=exit 1".into(), "-p".into(), port, target(&sshd), "true".into()]);
    assert_eq!(run(&args, b"").status.code(), Some(255));
}
