//! The agent client against OpenSSH's `ssh-agent` and `ssh-add` (a
//! private agent on a socket in the peer's directory) and sshd: logging
//! in with agent keys only (Ed25519 and RSA with the SHA-2 flags),
//! `IdentitiesOnly`, `IdentityAgent none`, and agent forwarding checked
//! by running `ssh-add` on the server through the forwarded agent.

use puressh::agent::AgentClient;
use puressh::client::{Client, ClientConfig, ClientError};
use puressh::config::known_hosts::KnownHosts;
use puressh::keys::PublicKey;
use puressh::keys::private::{KeySpec, PrivateKey};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// A private `ssh-agent -D` on its own socket; killed on drop.
struct Agent {
    child: Child,
    socket: PathBuf,
}

impl Agent {
    fn start(dir: &Path, name: &str) -> Self {
        let socket = dir.join(name);
        let child = Command::new("ssh-agent")
            .args(["-D", "-a"])
            .arg(&socket)
            // Confirmations (`ssh-add -c`) are always declined.
            .env("SSH_ASKPASS", "/bin/false")
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", ":0")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ssh-agent (openssh-client) must be installed");
        let agent = Self { child, socket };
        for _ in 0..200 {
            if agent.socket.exists() {
                return agent;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("ssh-agent did not create {}", agent.socket.display());
    }

    fn add(&self, key: &Path) {
        self.add_with(&[], key);
    }

    fn add_with(&self, flags: &[&str], key: &Path) {
        let out = Command::new("ssh-add").args(flags).arg(key).env("SSH_AUTH_SOCK", &self.socket).output().unwrap();
        assert!(out.status.success(), "ssh-add: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// `ssh-add -L` here: the public keys the agent holds.
    fn listing(&self) -> Vec<u8> {
        let out = Command::new("ssh-add").arg("-L").env("SSH_AUTH_SOCK", &self.socket).output().unwrap();
        assert!(out.status.success());
        out.stdout
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base_config(sshd: &peerctl::Peer) -> ClientConfig {
    let known = std::fs::read_to_string(sshd.var("KNOWN_HOSTS").unwrap()).unwrap();
    let mut config = ClientConfig::new(sshd.var("USER").unwrap_or("root"));
    config.known_hosts = KnownHosts::parse(&known).unwrap();
    config
}

/// An RSA key made by `ssh-keygen`, authorized on the server.
fn authorized_rsa_key(sshd: &peerctl::Peer) -> PathBuf {
    let path = sshd.dir().join("agent_rsa");
    let out = Command::new("ssh-keygen").args(["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f"]).arg(&path).output();
    assert!(out.unwrap().status.success());
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    let authorized = sshd.dir().join("authorized_keys");
    let mut text = std::fs::read_to_string(&authorized).unwrap();
    text.push_str(&public);
    std::fs::write(&authorized, text).unwrap();
    path
}

#[test]
fn agent_keys_log_in_without_identity_files() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let agent = Agent::start(sshd.dir(), "agent.sock");
    let rsa = authorized_rsa_key(&sshd);
    agent.add(&rsa);
    // RSA through the agent: the sign request carries the SHA-2 flag.
    let client = AgentClient::connect(&agent.socket).unwrap();
    let ids = client.identities().unwrap();
    assert_eq!(ids.len(), 1);
    assert!(matches!(ids[0].public, PublicKey::Rsa { .. }));
    for algorithm in ["rsa-sha2-256", "rsa-sha2-512"] {
        let signature = client.sign(&ids[0].blob, b"data", algorithm).unwrap();
        ids[0].public.verify(algorithm, b"data", &signature).unwrap();
    }
    let mut config = base_config(&sshd);
    config.agent = Some(client);
    let mut session = Client::connect(("127.0.0.1", sshd.port()), config).unwrap();
    assert_eq!(session.exec("echo rsa").unwrap().stdout, b"rsa\n");
    session.disconnect().unwrap();

    // The peer's Ed25519 key added second: both listed, agent order.
    agent.add(Path::new(sshd.var("KEY").unwrap()));
    let client = AgentClient::connect(&agent.socket).unwrap();
    let ids = client.identities().unwrap();
    assert_eq!(ids.len(), 2);
    assert!(matches!(ids[1].public, PublicKey::Ed25519(_)));
    let mut config = base_config(&sshd);
    config.agent = Some(client);
    let mut session = Client::connect(("127.0.0.1", sshd.port()), config).unwrap();
    assert_eq!(session.exec("true").unwrap().status, Some(0));
    session.disconnect().unwrap();
}

/// `ssh-add KEY` loads `KEY-cert.pub` too: the agent then lists the key
/// and its certificate, and a key sshd does not list in authorized_keys
/// logs in by the certificate, the agent signing for it (RSA and Ed25519).
#[test]
fn agent_held_certificates_log_in() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let agent = Agent::start(sshd.dir(), "agent_cert.sock");
    for kind in ["ed25519", "rsa"] {
        let path = sshd.dir().join(format!("agent_cert_{kind}"));
        let out = Command::new("ssh-keygen").args(["-q", "-t", kind, "-N", "", "-f"]).arg(&path).output().unwrap();
        assert!(out.status.success());
        let out = Command::new("ssh-keygen")
            .args(["-q", "-s", sshd.var("USER_CA").unwrap(), "-I", "agent-cert", "-n"])
            .arg(sshd.var("USER").unwrap_or("root"))
            .arg(path.with_extension("pub"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        agent.add(&path);
    }
    let client = AgentClient::connect(&agent.socket).unwrap();
    let ids = client.identities().unwrap();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert_eq!(ids.iter().filter(|id| id.certificate.is_some()).count(), 2);
    let mut config = base_config(&sshd);
    config.agent = Some(client);
    let mut session = Client::connect(("127.0.0.1", sshd.port()), config).unwrap();
    assert_eq!(session.exec("echo certified").unwrap().stdout, b"certified\n");
    session.disconnect().unwrap();
    // Without the certificates the same keys are refused.
    let out = Command::new("ssh-add").arg("-D").env("SSH_AUTH_SOCK", &agent.socket).output().unwrap();
    assert!(out.status.success());
    for kind in ["ed25519", "rsa"] {
        let path = sshd.dir().join(format!("agent_cert_{kind}"));
        std::fs::remove_file(sshd.dir().join(format!("agent_cert_{kind}-cert.pub"))).unwrap();
        agent.add(&path);
    }
    let mut config = base_config(&sshd);
    config.agent = Some(AgentClient::connect(&agent.socket).unwrap());
    assert!(matches!(Client::connect(("127.0.0.1", sshd.port()), config), Err(ClientError::AuthFailed(_))));
}

#[test]
fn identities_only_limits_the_agent_to_identity_files() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let agent = Agent::start(sshd.dir(), "agent.sock");
    agent.add(Path::new(sshd.var("KEY").unwrap()));
    let connect = |identities_only: bool| {
        let mut config = base_config(&sshd);
        config.agent = Some(AgentClient::connect(&agent.socket).unwrap());
        // A key the server does not know.
        config.identities.push(PrivateKey::generate(KeySpec::Ed25519, "stranger").unwrap());
        config.identities_only = identities_only;
        Client::connect(("127.0.0.1", sshd.port()), config)
    };
    // Without IdentitiesOnly the agent's (authorized) key is offered first.
    connect(false).unwrap().disconnect().unwrap();
    match connect(true) {
        Err(ClientError::AuthFailed(methods)) => assert_eq!(methods, ["publickey"]),
        other => panic!("{other:?}"),
    }
}

/// An agent key whose use is declined (`ssh-add -c`, no confirmation)
/// is passed over for the next key, as `ssh` does.
#[test]
fn a_refused_agent_signature_moves_on_to_the_next_key() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let agent = Agent::start(sshd.dir(), "agent.sock");
    agent.add_with(&["-c"], Path::new(sshd.var("KEY").unwrap()));
    let rsa = authorized_rsa_key(&sshd);
    let client = AgentClient::connect(&agent.socket).unwrap();
    let ids = client.identities().unwrap();
    assert!(matches!(client.sign(&ids[0].blob, b"x", "ssh-ed25519"), Err(puressh::agent::AgentError::Refused)));
    let mut config = base_config(&sshd);
    config.agent = Some(client);
    let text = std::fs::read_to_string(&rsa).unwrap();
    config.identities.push(PrivateKey::from_openssh(&text, None).unwrap());
    let mut session = Client::connect(("127.0.0.1", sshd.port()), config).unwrap();
    assert_eq!(session.exec("true").unwrap().status, Some(0));
}

#[test]
fn forwarded_agent_answers_ssh_add_on_the_server() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let agent = Agent::start(sshd.dir(), "agent.sock");
    agent.add(Path::new(sshd.var("KEY").unwrap()));
    let local = agent.listing();
    let mut config = base_config(&sshd);
    config.agent = Some(AgentClient::connect(&agent.socket).unwrap());
    config.forward_agent = Some(agent.socket.clone());
    let mut session = Client::connect(("127.0.0.1", sshd.port()), config).unwrap();
    let out = session.exec("ssh-add -L").unwrap();
    assert_eq!(out.status, Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, local);
    // Twice on one connection: each use opens and closes its own channel.
    let out = session.exec("ssh-add -l && ssh-add -L").unwrap();
    assert_eq!(out.status, Some(0));
    assert!(out.stdout.ends_with(&local));
    session.disconnect().unwrap();
}

fn ssh(sshd: &peerctl::Peer, home: &Path, socket: Option<&Path>, extra: &[&str], command: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_puressh"));
    cmd.args(["ssh", "-p", &sshd.port().to_string()])
        .args(["-o", &format!("UserKnownHostsFile={}", sshd.var("KNOWN_HOSTS").unwrap())])
        .args(extra)
        .arg(format!("{}@127.0.0.1", sshd.var("USER").unwrap_or("root")))
        .arg(command)
        .env("HOME", home)
        .env_remove("SSH_AUTH_SOCK")
        .stdin(Stdio::null());
    if let Some(socket) = socket {
        cmd.env("SSH_AUTH_SOCK", socket);
    }
    cmd.output().unwrap()
}

/// `puressh ssh` with no identity file: the agent from `SSH_AUTH_SOCK`
/// logs in; `-A` forwards it, `-a` and the default do not;
/// `IdentityAgent` names another socket or turns the agent off.
#[test]
fn ssh_binary_uses_and_forwards_the_agent() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let agent = Agent::start(sshd.dir(), "agent.sock");
    agent.add(Path::new(sshd.var("KEY").unwrap()));
    let local = agent.listing();
    // A home without ~/.ssh: no default identity files.
    let home = sshd.dir().join("empty-home");
    std::fs::create_dir_all(&home).unwrap();
    let sock = agent.socket.as_path();

    let out = ssh(&sshd, &home, Some(sock), &[], "echo in");
    assert_eq!((out.stdout.as_slice(), out.status.code()), (&b"in\n"[..], Some(0)), "{out:?}");

    let out = ssh(&sshd, &home, Some(sock), &["-A"], "ssh-add -L");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, local);
    let out = ssh(
        &sshd,
        &home,
        None,
        &["-o", &format!("IdentityAgent={}", sock.display()), "-o", "ForwardAgent=yes"],
        "ssh-add -L",
    );
    assert_eq!(out.stdout, local, "{}", String::from_utf8_lossy(&out.stderr));

    // Not forwarded: ssh-add on the server finds no agent (its exit 2).
    for flags in [&["-A", "-a"][..], &[]] {
        let out = ssh(&sshd, &home, Some(sock), flags, "ssh-add -l");
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("Could not open a connection"), "{out:?}");
    }

    // No agent at all: nothing to log in with.
    let out = ssh(&sshd, &home, Some(sock), &["-o", "IdentityAgent=none"], "true");
    assert_eq!(out.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&out.stderr).contains("authentication failed"), "{out:?}");
}
