//! `puressh ssh` sessions against OpenSSH's sshd: a login shell on a pty
//! driven through a pseudo-terminal (`tests/data/pty/drive.py`, Debian's
//! python3: prompt, TERM, size, terminal modes, a resize, `exit 3`, the
//! `~?` and `~.` escapes, `-e none`, SIGTERM; the local terminal's mode
//! restored after each), stdin piped to a shell without a pty, and
//! `-W`, `ProxyCommand` and `-J` (nested channels, bulk data both
//! ways) through the same sshd to itself.
//!
//! The remote login profile may print to stderr (pyenv on the dev
//! machine): only markers the remote shell computes are compared.

use puressh::client::{ChannelOutcome, Client, ClientConfig, ClientError, PtyRequest, SessionKind, SessionStart};
use puressh::config::known_hosts::KnownHosts;
use puressh::connection::Event;
use puressh::connection::tty_modes::Opcode;
use puressh::keys::private::PrivateKey;
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
    // A child that exits early closes its stdin: the status and stderr
    // below say why, so a failed write is not the error to report.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn pty_shell_size_resize_and_exit_status() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut args = base_args(&sshd);
    args.extend(["-p".into(), sshd.port().to_string(), target(&sshd)]);
    let report = drive("shell", &args);
    assert!(report.ends_with("RESTORED yes\nEXIT 3\n"), "{report}");
    assert!(report.contains("Connection to 127.0.0.1 closed."), "{report}");
}

#[test]
fn escape_help_and_disconnect() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let mut args = base_args(&sshd);
    args.extend(["-p".into(), sshd.port().to_string(), target(&sshd)]);
    let report = drive("escape", &args);
    assert!(report.ends_with("RESTORED yes\nEXIT 255\n"), "{report}");
    // With `-e none` the same keys reach the shell: `~.` is a command
    // there, and the session ends by our `exit` instead.
    args.splice(0..0, ["-e".to_owned(), "none".to_owned()]);
    let report = drive("no-escape", &args);
    assert!(report.ends_with("RESTORED yes\nEXIT 6\n"), "{report}");
    // SIGTERM ends the session with 255 and the terminal restored.
    let report = drive("term", &args);
    assert!(report.ends_with("RESTORED yes\nEXIT 255\n"), "{report}");
    assert!(report.contains("Killed by signal 15."), "{report}");
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
    // Bulk both ways through two nested hops: more than a channel window
    // (2 MiB) each way, so window adjusts cross every hop.
    let two_hops = format!("{0}:{port},{0}:{port}", target(&sshd));
    let mut args = base.clone();
    args.extend(["-J".into(), two_hops, "-p".into(), port.clone(), target(&sshd)]);
    args.push("wc -c; head -c 3000000 /dev/zero".into());
    let out = run(&args, &vec![b'x'; 3 << 20]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout.len(), 3_000_000 + "3145728\n".len());
    assert!(out.stdout.starts_with(b"3145728\n"));
    // ProxyCommand from an ssh_config file (-F).
    let config = sshd.dir().join("proxy_config");
    std::fs::write(&config, format!("Host 127.0.0.1\n    ProxyCommand {proxy}\n")).unwrap();
    let mut args = base.clone();
    args.extend(["-F".into(), config.to_string_lossy().into_owned(), "-p".into(), port.clone(), target(&sshd)]);
    args.extend(command.iter().cloned());
    check("ssh_config ProxyCommand", run(&args, b""));
    // A ProxyCommand that fails is a connection error: 255.
    let mut args = base.clone();
    args.extend(["-o".into(), "ProxyCommand=exit 1".into(), "-p".into(), port, target(&sshd), "true".into()]);
    assert_eq!(run(&args, b"").status.code(), Some(255));
}

/// The library API without the binary: a pty with modes on an `exec`,
/// `window-change`, `signal`, and `exit-signal`.
#[test]
fn library_pty_window_change_and_signal() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let key = std::fs::read_to_string(sshd.var("KEY").unwrap()).unwrap();
    let known = std::fs::read_to_string(sshd.var("KNOWN_HOSTS").unwrap()).unwrap();
    let mut config = ClientConfig::new(sshd.var("USER").unwrap_or("root"));
    config.identities.push(PrivateKey::from_openssh(&key, None).unwrap());
    config.known_hosts = KnownHosts::parse(&known).unwrap();
    let mut session = Client::connect(("127.0.0.1", sshd.port()), config).unwrap();

    // Collects a channel's output until `done` holds for it or the
    // channel closes.
    let collect = |session: &mut puressh::client::Session, channel: u32, done: &dyn Fn(&[u8]) -> bool| {
        let (mut out, mut outcome) = (Vec::new(), ChannelOutcome::default());
        loop {
            while let Some(event) = session.poll_channel_event() {
                match event {
                    Event::Data { channel: c, data } if c == channel => out.extend_from_slice(&data),
                    Event::Request { channel: c, kind } if c == channel => {
                        outcome.observe(&kind);
                    }
                    Event::Closed { channel: c } if c == channel => return (out, outcome),
                    _ => {}
                }
            }
            if done(&out) {
                return (out, outcome);
            }
            session.receive().unwrap();
        }
    };
    let closed = |_: &[u8]| false;

    // The first line is printed before the resize (the `read` waits for
    // our input), the second after it.
    let mut pty = PtyRequest::new("vt100", 91, 27);
    pty.modes.set_flag(Opcode::ECHO, false);
    let script =
        "stty size; echo term=$TERM; stty -a | grep -q -- '-echo ' && echo echo-off; read x; stty size; exit 9";
    let mut start = SessionStart::new(SessionKind::Exec(script.as_bytes().to_vec()));
    start.pty = Some(pty);
    let started = session.start_session(&start).unwrap();
    assert!(started.pty_granted);
    let (before, _) = collect(&mut session, started.channel, &|out| out.ends_with(b"echo-off\r\n"));
    assert_eq!(String::from_utf8_lossy(&before), "27 91\r\nterm=vt100\r\necho-off\r\n");
    session.window_change(started.channel, 132, 43, 0, 0).unwrap();
    session.send_data(started.channel, b"go\n").unwrap();
    let (after, outcome) = collect(&mut session, started.channel, &closed);
    assert_eq!(String::from_utf8_lossy(&after), "43 132\r\n");
    assert_eq!((outcome.status, outcome.exit_code()), (Some(9), 9));

    // `signal`: OpenSSH's sshd honours it only under privilege
    // separation, which a root login does not use (the peer logs in as
    // root): the log shows sshd parsed our request and refused it, and
    // the command runs on.
    let started = session.start_session(&SessionStart::new(SessionKind::Exec(b"sleep 1".to_vec()))).unwrap();
    assert!(!started.pty_granted);
    session.signal(started.channel, "TERM").unwrap();
    let (_, outcome) = collect(&mut session, started.channel, &closed);
    assert_eq!(outcome.status, Some(0));
    let log = std::fs::read_to_string(sshd.dir().join("log")).unwrap();
    assert!(log.contains("session_signal_req"), "sshd log:\n{log}");

    // `exit-signal`: a command that dies by a signal.
    let started = session.start_session(&SessionStart::new(SessionKind::Exec(b"kill -TERM $$".to_vec()))).unwrap();
    let (_, outcome) = collect(&mut session, started.channel, &closed);
    assert_eq!((outcome.signal.as_deref(), outcome.status, outcome.exit_code()), (Some("TERM"), None, 255));

    // Refusals are typed errors, and the session goes on after them.
    let unknown = SessionStart::new(SessionKind::Subsystem("no-such-subsystem".into()));
    assert!(matches!(session.start_session(&unknown), Err(ClientError::Refused(_))));
    assert!(matches!(session.open_direct_tcpip("127.0.0.1", 1), Err(ClientError::Refused(_))));
    assert_eq!(session.exec("echo still-here").unwrap().stdout, b"still-here\n");
    session.disconnect().unwrap();
}
