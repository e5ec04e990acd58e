//! User authentication against an asyncssh server (PyPI, in the
//! `/opt/stack-py` venv that `ci-templates/install-deps` creates):
//! password, a password change, keyboard-interactive, `none`, partial
//! success (publickey + password) and a server whose keyboard-interactive
//! never ends. The server is `tests/data/asyncssh/auth_server.py`, started
//! once for the whole binary and stopped when the binary exits (it reads
//! its stdin until EOF).

use puressh::auth::MAX_INFO_ROUNDS;
use puressh::client::{Client, ClientConfig, ClientError, Prompter};
use puressh::config::known_hosts::KnownHosts;
use puressh::error::AuthError;
use puressh::keys::private::PrivateKey;
use puressh::msg::{InfoRequest, Password};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

struct Server {
    port: u16,
    host_key: String,
    /// Held open for the life of the test binary: the server exits on EOF.
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(path)
}

fn start() -> Option<Server> {
    let python = super::common::stack_python("asyncssh", "2.24.1")?;
    let mut child = Command::new(python)
        .arg(data("asyncssh/auth_server.py"))
        .arg(data("openssh-keys/id_ed25519.pub"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the asyncssh server");
    let stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut value = |key: &str| {
        let line = lines.next().expect("the server printed nothing").unwrap();
        line.strip_prefix(key).unwrap_or_else(|| panic!("expected {key}, got {line:?}")).to_owned()
    };
    let port = value("PORT=").parse().unwrap();
    let host_key = value("HOSTKEY=");
    Some(Server { port, host_key, _stdin: Mutex::new(stdin), _child: Mutex::new(child) })
}

fn server() -> Option<&'static Server> {
    static SERVER: OnceLock<Option<Server>> = OnceLock::new();
    SERVER.get_or_init(start).as_ref()
}

fn config(server: &Server, user: &str) -> ClientConfig {
    let mut config = ClientConfig::new(user);
    config.known_hosts = KnownHosts::parse(&format!("[127.0.0.1]:{} {}\n", server.port, server.host_key)).unwrap();
    config
}

fn connect(server: &Server, config: ClientConfig) -> Result<puressh::client::Session, ClientError> {
    Client::connect(("127.0.0.1", server.port), config)
}

/// Runs one command and checks the server saw the right user.
fn exec_as(server: &Server, config: ClientConfig, user: &str) {
    let mut session = connect(server, config).unwrap_or_else(|e| panic!("{user}: {e}"));
    let out = session.exec("id").unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("user={user} command=id\n"));
    assert_eq!(out.status, Some(0));
    session.disconnect().unwrap();
}

fn auth_failed(result: Result<puressh::client::Session, ClientError>) -> Vec<String> {
    match result {
        Err(ClientError::AuthFailed(methods)) => methods,
        other => panic!("expected AuthFailed, got {other:?}"),
    }
}

/// Answers by prompt text and records every round it saw.
#[derive(Default, Clone)]
struct Scripted {
    answers: Vec<(&'static str, &'static str)>,
    new_password: Option<&'static str>,
    seen: Arc<Mutex<Vec<InfoRequest>>>,
}

impl Prompter for Scripted {
    fn answer(&mut self, request: &InfoRequest) -> Option<Vec<Password>> {
        self.seen.lock().unwrap().push(request.clone());
        request
            .prompts
            .iter()
            .map(|p| self.answers.iter().find(|(q, _)| *q == p.prompt).map(|(_, a)| Password::from(*a)))
            .collect()
    }

    fn new_password(&mut self, _prompt: &str) -> Option<Password> {
        self.new_password.map(Password::from)
    }
}

#[test]
fn password_right_and_wrong() {
    let Some(server) = server() else { return };
    let mut c = config(server, "alice");
    c.password = Some("correct horse battery staple".into());
    exec_as(server, c, "alice");
    // A wrong password is sent once, then the client gives up with the server's list.
    let mut c = config(server, "alice");
    c.password = Some("Tr0ub4dor&3".into());
    assert_eq!(auth_failed(connect(server, c)), ["password"]);
}

#[test]
fn password_change_request() {
    let Some(server) = server() else { return };
    // No prompter: the change request is a typed outcome.
    let mut c = config(server, "chg");
    c.password = Some("old pw".into());
    match connect(server, c) {
        Err(ClientError::PasswordChangeRequired(prompt)) => assert!(prompt.contains("expired"), "{prompt}"),
        other => panic!("{other:?}"),
    }
    // A prompter that supplies the new password logs in.
    let mut c = config(server, "chg");
    c.password = Some("old pw".into());
    c.prompter = Some(Box::new(Scripted { new_password: Some("new pw"), ..Scripted::default() }));
    exec_as(server, c, "chg");
}

#[test]
fn keyboard_interactive_right_and_wrong_answers() {
    let Some(server) = server() else { return };
    let right = Scripted { answers: vec![("Password: ", "s3cret"), ("Token: ", "424242")], ..Scripted::default() };
    let seen = Arc::clone(&right.seen);
    let mut c = config(server, "kbd");
    c.prompter = Some(Box::new(right));
    exec_as(server, c, "kbd");
    let seen = seen.lock().unwrap();
    // Two prompts (echo off, then on), then a round with a message only.
    assert_eq!(seen.len(), 2);
    let echo: Vec<(&str, bool)> = seen[0].prompts.iter().map(|p| (p.prompt.as_str(), p.echo)).collect();
    assert_eq!(echo, [("Password: ", false), ("Token: ", true)]);
    assert_eq!((seen[0].name.as_str(), seen[0].instruction.as_str()), ("Login", "Answer both"));
    assert!(seen[1].prompts.is_empty() && seen[1].name == "Welcome");
    let wrong = Scripted { answers: vec![("Password: ", "s3cret"), ("Token: ", "000000")], ..Scripted::default() };
    let mut c = config(server, "kbd");
    c.prompter = Some(Box::new(wrong));
    assert_eq!(auth_failed(connect(server, c)), ["keyboard-interactive"]);
    // A prompter that declines ends authentication with a typed error.
    let mut c = config(server, "kbd");
    c.prompter = Some(Box::new(Scripted::default()));
    assert!(matches!(connect(server, c), Err(ClientError::AuthCancelled)));
}

#[test]
fn partial_success_publickey_then_password() {
    let Some(server) = server() else { return };
    let key = std::fs::read_to_string(data("openssh-keys/id_ed25519")).unwrap();
    let with = |methods: Option<&[&str]>, password: Option<&str>| {
        let mut c = config(server, "both");
        c.identities.push(PrivateKey::from_openssh(&key, None).unwrap());
        c.password = password.map(Password::from);
        if let Some(methods) = methods {
            c.auth_methods = methods.iter().map(|m| (*m).to_owned()).collect();
        }
        c
    };
    // Default order: the key (partial success), then the password.
    exec_as(server, with(None, Some("second factor")), "both");
    // Password first, then the key.
    exec_as(server, with(Some(&["password", "publickey"]), Some("second factor")), "both");
    // The key alone is not enough: the server still wants the password.
    assert_eq!(auth_failed(connect(server, with(None, None))), ["password"]);
}

#[test]
fn none_accepted_or_rejected_then_fallback() {
    let Some(server) = server() else { return };
    // "anon" needs nothing: the `none` request itself succeeds.
    exec_as(server, config(server, "anon"), "anon");
    // For "alice" `none` is rejected with the list; without credentials that is the end...
    assert_eq!(auth_failed(connect(server, config(server, "alice"))), ["password"]);
    // ...and with a password the client falls back to it (and, offered
    // methods the server does not list, skips them).
    let mut c = config(server, "alice");
    c.password = Some("correct horse battery staple".into());
    c.prompter = Some(Box::new(Scripted::default()));
    exec_as(server, c, "alice");
}

#[test]
fn endless_info_requests_end_with_a_typed_error() {
    let Some(server) = server() else { return };
    let patient = Scripted { answers: vec![("Again: ", "yes")], ..Scripted::default() };
    let seen = Arc::clone(&patient.seen);
    let mut c = config(server, "loop");
    c.prompter = Some(Box::new(patient));
    match connect(server, c) {
        Err(ClientError::Ssh(puressh::Error::Auth(AuthError::TooManyInfoRequests { limit }))) => {
            assert_eq!(limit, MAX_INFO_ROUNDS);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(seen.lock().unwrap().len(), MAX_INFO_ROUNDS);
}
