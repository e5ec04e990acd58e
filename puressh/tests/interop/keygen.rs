//! Keys made by `puressh keygen` log in to OpenSSH's sshd, through
//! OpenSSH's own `ssh` and through `puressh ssh`: one key per type.

use std::process::Command;

#[test]
fn generated_keys_log_in_with_both_clients() {
    let Some(sshd) = peerctl::start_or_skip("sshd") else { return };
    let user = sshd.var("USER").unwrap_or("root").to_owned();
    let known = sshd.var("KNOWN_HOSTS").unwrap().to_owned();
    let port = sshd.port().to_string();
    let authorized = sshd.dir().join("authorized_keys");
    let mut keys = std::fs::read_to_string(&authorized).unwrap();
    let mut made = Vec::new();
    for (t, bits) in [("ed25519", "256"), ("ecdsa", "521"), ("rsa", "2048")] {
        let path = sshd.dir().join(format!("generated_{t}"));
        let out = Command::new(env!("CARGO_BIN_EXE_puressh"))
            .args(["keygen", "-q", "-t", t, "-b", bits, "-N", "", "-C", "generated", "-f"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{t}: {}", String::from_utf8_lossy(&out.stderr));
        keys.push_str(&std::fs::read_to_string(format!("{}.pub", path.display())).unwrap());
        made.push((t, path));
    }
    std::fs::write(&authorized, keys).unwrap();
    for (t, path) in &made {
        let openssh = Command::new("ssh")
            .args(["-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes"])
            .args(["-o", &format!("UserKnownHostsFile={known}"), "-o", "StrictHostKeyChecking=yes"])
            .args(["-p", &port, "-i"])
            .arg(path)
            .arg(format!("{user}@127.0.0.1"))
            .args(["echo", "openssh-ok"])
            .output()
            .unwrap();
        assert_eq!(openssh.stdout, b"openssh-ok\n", "{t}: {}", String::from_utf8_lossy(&openssh.stderr));
        let ours = Command::new(env!("CARGO_BIN_EXE_puressh"))
            .args(["ssh", "-p", &port, "-i"])
            .arg(path)
            .args(["-o", &format!("UserKnownHostsFile={known}"), "-o", "StrictHostKeyChecking=yes"])
            .arg(format!("{user}@127.0.0.1"))
            .args(["echo", "puressh-ok"])
            .output()
            .unwrap();
        assert_eq!(ours.stdout, b"puressh-ok\n", "{t}: {}", String::from_utf8_lossy(&ours.stderr));
        assert_eq!(ours.status.code(), Some(0));
    }
}
