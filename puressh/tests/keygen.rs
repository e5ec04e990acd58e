//! `puressh keygen` against OpenSSH's `ssh-keygen`: keys made by one are
//! read by the other with identical output (each key type, with and
//! without a passphrase; PEM and PKCS #8 too), RFC 4716 and PEM
//! export/import both ways, `-p`, `-F`/`-R`/`-H` on known_hosts files,
//! and the program-name dispatch of the multi-call binary.
//!
//! `ssh-keygen` is the reference: without it the tests fail in CI (the
//! `CI` variable set) and print a loud SKIPPED banner elsewhere.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SSH_KEYGEN: &str = "/usr/bin/ssh-keygen";

fn have_ssh_keygen() -> bool {
    if Path::new(SSH_KEYGEN).exists() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "{SSH_KEYGEN} is missing (ci-templates/peers/sshd installs it)");
    eprintln!("\n*** SKIPPED: {SSH_KEYGEN} is missing (run ci-templates/peers/sshd install) ***\n");
    false
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("puressh-keygen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ours(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_puressh")).arg("keygen").args(args).output().unwrap()
}

fn theirs(args: &[&str]) -> Output {
    Command::new(SSH_KEYGEN).args(args).output().unwrap()
}

fn ok(out: Output, what: &str) -> String {
    assert!(out.status.success(), "{what}: {:?} {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// One representative per key type plus the other curves and sizes.
const TYPES: [(&str, &str); 5] =
    [("ed25519", "256"), ("ecdsa", "256"), ("ecdsa", "384"), ("ecdsa", "521"), ("rsa", "2048")];

#[test]
fn ssh_keygen_keys_read_by_puressh() {
    if !have_ssh_keygen() {
        return;
    }
    let dir = scratch("theirs");
    for (i, (t, bits)) in TYPES.iter().enumerate() {
        // Every key type unencrypted and encrypted.
        for pass in ["", "secret words"] {
            let key = dir.join(format!("k{i}{}", pass.len()));
            let k = s(&key);
            ok(theirs(&["-q", "-t", t, "-b", bits, "-N", pass, "-C", "made-by-openssh", "-f", k]), "ssh-keygen");
            let y = ok(theirs(&["-y", "-P", pass, "-f", k]), "ssh-keygen -y");
            assert_eq!(ok(ours(&["-y", "-P", pass, "-f", k]), "-y"), y, "{t} {bits}");
            assert_eq!(ok(ours(&["-l", "-f", k]), "-l"), ok(theirs(&["-l", "-f", k]), "-l"), "{t}");
            let pubf = format!("{k}.pub");
            let md5 = ["-l", "-E", "md5", "-f", pubf.as_str()];
            assert_eq!(ok(ours(&md5), "-l -E md5"), ok(theirs(&md5), "-l -E md5"), "{t}");
            if !pass.is_empty() {
                // Without the .pub file: the clear header, "no comment".
                std::fs::remove_file(&pubf).unwrap();
                assert_eq!(ok(ours(&["-l", "-f", k]), "-l"), ok(theirs(&["-l", "-f", k]), "-l"), "{t}");
                let wrong = ours(&["-y", "-P", "wrong", "-f", k]);
                assert_eq!(wrong.status.code(), Some(255));
                let message = String::from_utf8_lossy(&wrong.stderr).into_owned();
                assert_eq!(message, String::from_utf8_lossy(&theirs(&["-y", "-P", "wrong", "-f", k]).stderr));
            }
        }
    }
    // PEM (PKCS #1 / SEC1) and PKCS #8 private keys.
    for (t, format) in [("rsa", "PEM"), ("ecdsa", "PEM"), ("ecdsa", "PKCS8"), ("ed25519", "PKCS8")] {
        let key = dir.join(format!("{t}-{format}"));
        let k = s(&key);
        ok(theirs(&["-q", "-t", t, "-m", format, "-N", "", "-f", k]), "ssh-keygen -m");
        let text = std::fs::read_to_string(&key).unwrap();
        if text.contains("OPENSSH PRIVATE KEY") {
            continue; // ssh-keygen 9.2 writes ed25519 in its own format whatever -m says
        }
        let y = ok(theirs(&["-y", "-f", k]), "ssh-keygen -y");
        assert_eq!(ok(ours(&["-y", "-f", k]), "-y PEM"), y, "{t} {format}");
    }
}

#[test]
fn puressh_keys_read_by_ssh_keygen() {
    if !have_ssh_keygen() {
        return;
    }
    let dir = scratch("ours");
    for (i, (t, bits)) in TYPES.iter().enumerate() {
        // Passphrases on alternate keys, RSA included.
        let pass = if i % 2 == 0 { "pass phrase" } else { "" };
        let key = dir.join(format!("k{i}"));
        let k = s(&key);
        let out = ours(&["-t", t, "-b", bits, "-N", pass, "-C", "made-by-puressh", "-f", k]);
        let text = ok(out, "generate");
        assert!(text.contains("The key's randomart image is:"), "{text}");
        let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key).unwrap().permissions());
        assert_eq!(mode & 0o777, 0o600);
        let public = std::fs::read_to_string(format!("{k}.pub")).unwrap();
        assert_eq!(ok(theirs(&["-y", "-P", pass, "-f", k]), "ssh-keygen -y"), public, "{t} {bits}");
        assert_eq!(ok(theirs(&["-l", "-f", k]), "ssh-keygen -l"), ok(ours(&["-l", "-f", k]), "-l"));
        if !pass.is_empty() {
            assert_eq!(theirs(&["-y", "-P", "wrong", "-f", k]).status.code(), Some(255));
        }
    }
    // -m PEM / PKCS8: OpenSSL's containers, which ssh-keygen reads.
    for (t, form, label) in
        [("rsa", "PEM", "RSA PRIVATE KEY"), ("ecdsa", "PEM", "EC PRIVATE KEY"), ("ecdsa", "PKCS8", "BEGIN PRIVATE KEY")]
    {
        let key = dir.join(format!("{t}-{form}"));
        let k = s(&key);
        ok(ours(&["-q", "-t", t, "-b", if t == "rsa" { "2048" } else { "384" }, "-m", form, "-N", "", "-f", k]), "-m");
        assert!(std::fs::read_to_string(&key).unwrap().contains(label), "{t} {form}");
        let public = std::fs::read_to_string(format!("{k}.pub")).unwrap();
        let bare = public.rsplit_once(' ').unwrap().0;
        assert_eq!(ok(theirs(&["-y", "-f", k]), "ssh-keygen -y").trim_end(), bare, "{t} {form}");
    }
    // Refusals a script would notice.
    let k = dir.join("bad");
    for args in [["-t", "rsa", "-b", "1024"], ["-t", "ecdsa", "-b", "300"], ["-t", "dsa", "-b", "1024"]] {
        let out = ours(&[args[0], args[1], args[2], args[3], "-N", "", "-f", s(&k)]);
        assert_eq!(out.status.code(), Some(255), "{args:?}");
        assert!(!k.exists());
    }
    // An existing file is not overwritten without a yes (exit 1).
    let existing = dir.join("k0");
    let before = std::fs::read(&existing).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_puressh"))
        .args(["keygen", "-q", "-N", "", "-f", s(&existing)])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&existing).unwrap(), before);
}

#[test]
fn export_import_round_trips() {
    if !have_ssh_keygen() {
        return;
    }
    let dir = scratch("convert");
    for (i, (t, bits)) in [TYPES[0], TYPES[2], TYPES[4]].iter().enumerate() {
        let key = dir.join(format!("k{i}"));
        let k = s(&key);
        ok(theirs(&["-q", "-t", t, "-b", bits, "-N", "", "-C", "c", "-f", k]), "ssh-keygen");
        let bare: String = std::fs::read_to_string(format!("{k}.pub")).unwrap().rsplit_once(' ').unwrap().0.into();
        let pubf = format!("{k}.pub");
        let forms: &[&str] = if *t == "ed25519" { &["RFC4716"] } else { &["RFC4716", "PKCS8", "PEM"] };
        for form in forms {
            // Ours exported, theirs imports; theirs exported, ours imports.
            let exported = dir.join(format!("k{i}.{form}.ours"));
            let text = ok(ours(&["-e", "-m", form, "-f", &pubf]), "-e");
            assert_eq!(text, ok(theirs(&["-e", "-m", form, "-f", &pubf]), "ssh-keygen -e"), "{t} {form}");
            std::fs::write(&exported, text).unwrap();
            // ssh-keygen -e -m PEM writes ECDSA as a SubjectPublicKeyInfo
            // that its own -i -m PEM refuses; everything else must import.
            if !(*t == "ecdsa" && *form == "PEM") {
                let back = ok(theirs(&["-i", "-m", form, "-f", s(&exported)]), "ssh-keygen -i");
                assert_eq!(back.trim_end(), bare, "{t} {form}");
            }
            assert_eq!(ok(ours(&["-i", "-m", form, "-f", s(&exported)]), "-i").trim_end(), bare);
            let theirs_out = dir.join(format!("k{i}.{form}.theirs"));
            std::fs::write(&theirs_out, ok(theirs(&["-e", "-m", form, "-f", &pubf]), "ssh-keygen -e")).unwrap();
            assert_eq!(ok(ours(&["-i", "-m", form, "-f", s(&theirs_out)]), "-i").trim_end(), bare, "{t} {form}");
            // From the private key file too, as ssh-keygen allows.
            assert_eq!(
                ok(ours(&["-e", "-m", form, "-f", k]), "-e private"),
                ok(ours(&["-e", "-m", form, "-f", &pubf]), "-e")
            );
        }
    }
    let ed = dir.join("k0.pub");
    assert_eq!(ours(&["-e", "-m", "PEM", "-f", s(&ed)]).status.code(), Some(255));
    let junk = dir.join("junk");
    std::fs::write(&junk, "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n").unwrap();
    assert_eq!(ours(&["-i", "-f", s(&junk)]).status.code(), Some(255));
}

#[test]
fn passphrase_change() {
    if !have_ssh_keygen() {
        return;
    }
    let dir = scratch("passphrase");
    let key = dir.join("k");
    let k = s(&key);
    ok(theirs(&["-q", "-t", "ed25519", "-N", "old", "-C", "note", "-f", k]), "ssh-keygen");
    let out = ok(ours(&["-p", "-P", "old", "-N", "new", "-f", k]), "-p");
    assert_eq!(out, "Key has comment 'note'\nYour identification has been saved with the new passphrase.\n");
    assert!(theirs(&["-y", "-P", "new", "-f", k]).status.success());
    assert_eq!(theirs(&["-y", "-P", "old", "-f", k]).status.code(), Some(255));
    let wrong = ours(&["-p", "-P", "old", "-N", "x", "-f", k]);
    assert_eq!(wrong.status.code(), Some(255));
    assert_eq!(wrong.stderr, theirs(&["-p", "-P", "old", "-N", "x", "-f", k]).stderr);
    // Removing the passphrase, then ssh-keygen adding one back that we read.
    ok(ours(&["-p", "-P", "new", "-N", "", "-f", k]), "-p to none");
    assert!(theirs(&["-y", "-f", k]).status.success());
    ok(theirs(&["-p", "-N", "again", "-f", k]), "ssh-keygen -p");
    assert!(ok(ours(&["-y", "-P", "again", "-f", k]), "-y").ends_with(" note\n"));
}

#[test]
fn known_hosts_find_remove_hash() {
    if !have_ssh_keygen() {
        return;
    }
    let dir = scratch("known");
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/openssh-keys");
    let key = |name: &str| {
        let line = std::fs::read_to_string(format!("{data}/id_{name}.pub")).unwrap();
        line.rsplit_once(' ').unwrap().0.to_owned()
    };
    let (ed, ec) = (key("ed25519"), key("ecdsa256"));
    let text =
        format!("host1,10.0.0.1 {ec}\n[host2]:2222 {ed}\n# a comment\n*.wild {ec}\nhost1 {ed}\n@revoked host3 {ec}\n");
    let file = |name: &str| {
        let path = dir.join(name);
        std::fs::write(&path, &text).unwrap();
        path
    };
    let (a, b) = (file("ours"), file("theirs"));
    // -F: identical output and exit codes on plain entries.
    for host in ["host1", "[host2]:2222", "x.wild", "10.0.0.1", "nope"] {
        let mine = ours(&["-F", host, "-f", s(&a)]);
        let reference = theirs(&["-F", host, "-f", s(&b)]);
        assert_eq!(mine.status.code(), reference.status.code(), "{host}");
        assert_eq!(String::from_utf8_lossy(&mine.stdout), String::from_utf8_lossy(&reference.stdout), "{host}");
    }
    // -l on a known_hosts file: host names stand in for comments.
    assert_eq!(ok(ours(&["-l", "-f", s(&a)]), "-l known_hosts"), ok(theirs(&["-l", "-f", s(&b)]), "-l known_hosts"));
    let authorized = dir.join("authorized_keys");
    std::fs::write(&authorized, format!("command=\"echo hi\",no-pty {ed} in-authorized-keys\n{ec} second\n")).unwrap();
    // (A line without comment is left out: ssh-keygen 9.2 prints a piece
    // of the base64 there, we print the file name as for a .pub file.)
    let reference = ok(theirs(&["-l", "-f", s(&authorized)]), "-l authorized_keys");
    assert_eq!(ok(ours(&["-l", "-f", s(&authorized)]), "-l authorized_keys"), reference);
    // -F with -H prints the matching line hashed, one line per name;
    // ssh-keygen finds the host in what we print.
    let mine = ok(ours(&["-F", "10.0.0.1", "-H", "-f", s(&a)]), "-F -H");
    let reference = ok(theirs(&["-F", "10.0.0.1", "-H", "-f", s(&b)]), "ssh-keygen -F -H");
    let shape = |t: &str| -> Vec<String> {
        t.lines().map(|l| if l.starts_with("|1|") { "HASHED".to_owned() } else { l.to_owned() }).collect()
    };
    assert_eq!(shape(&mine), shape(&reference));
    let printed = dir.join("printed");
    std::fs::write(&printed, &mine).unwrap();
    for host in ["host1", "10.0.0.1"] {
        assert!(theirs(&["-F", host, "-f", s(&printed)]).status.success(), "{host}");
    }
    // -R: the same remaining file and messages.
    for host in ["host1", "nope", "host3"] {
        let mine = ours(&["-R", host, "-f", s(&a)]);
        let reference = theirs(&["-R", host, "-f", s(&b)]);
        assert_eq!(mine.status.code(), reference.status.code(), "{host}");
        let strip = |o: &Output, p: &Path| String::from_utf8_lossy(&o.stdout).replace(s(p), "FILE");
        assert_eq!(strip(&mine, &a), strip(&reference, &b), "{host}");
        assert_eq!(std::fs::read_to_string(&a).unwrap(), std::fs::read_to_string(&b).unwrap(), "{host}");
    }
    // -H: our hashed entries are matched by ssh-keygen -F (and ours), the
    // unhashable lines are kept, and the layout matches ssh-keygen's.
    let (a, b) = (file("ours-h"), file("theirs-h"));
    ok(ours(&["-H", "-f", s(&a)]), "-H");
    ok(theirs(&["-H", "-f", s(&b)]), "ssh-keygen -H");
    let hashed = std::fs::read_to_string(&a).unwrap();
    let reference = std::fs::read_to_string(&b).unwrap();
    let shape =
        |t: &str| t.lines().map(|l| if l.starts_with("|1|") { "HASHED" } else { l }).collect::<Vec<_>>().join("\n");
    assert_eq!(shape(&hashed), shape(&reference));
    assert!(!hashed.contains("host1") && !hashed.contains("10.0.0.1") && !hashed.contains("host2"));
    assert_eq!(std::fs::read_to_string(dir.join("ours-h.old")).unwrap(), text);
    for host in ["host1", "10.0.0.1", "[host2]:2222"] {
        for (name, tool_out) in
            [("ssh-keygen", theirs(&["-F", host, "-f", s(&a)])), ("ours", ours(&["-F", host, "-f", s(&b)]))]
        {
            assert!(tool_out.status.success(), "{name} -F {host}");
        }
        let mine = ours(&["-F", host, "-f", s(&a)]);
        assert_eq!(mine.stdout, theirs(&["-F", host, "-f", s(&a)]).stdout, "{host}");
    }
    assert_eq!(theirs(&["-F", "host2", "-f", s(&a)]).status.code(), Some(1));
    // -R on a hashed file removes the hashed lines for the host.
    ok(ours(&["-R", "host1", "-f", s(&a)]), "-R hashed");
    assert_eq!(theirs(&["-F", "host1", "-f", s(&a)]).status.code(), Some(1));
    assert!(theirs(&["-F", "10.0.0.1", "-f", s(&a)]).status.success());
}

#[test]
fn program_name_selects_the_tool() {
    let dir = scratch("argv0");
    let link = dir.join("ssh-keygen");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_puressh"), &link).unwrap();
    let public = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/openssh-keys/id_ed25519.pub");
    let out = Command::new(&link).args(["-l", "-f", public]).output().unwrap();
    let expected =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/openssh-keys/fingerprints.txt"))
            .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim_end(), expected.lines().next().unwrap());
    let ssh = dir.join("ssh");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_puressh"), &ssh).unwrap();
    let out = Command::new(&ssh).output().unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: ssh "), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(env!("CARGO_BIN_EXE_puressh")).arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(255));
}

/// Without `-N` / `-P` the passphrase is asked on the terminal (a pty
/// from util-linux's `script` here): twice when setting it, once to read.
#[test]
fn passphrase_prompts_on_the_terminal() {
    if !have_ssh_keygen() {
        return;
    }
    if !Path::new("/usr/bin/script").exists() {
        assert!(std::env::var_os("CI").is_none(), "/usr/bin/script (util-linux) is missing");
        eprintln!("\n*** SKIPPED: /usr/bin/script is missing ***\n");
        return;
    }
    let dir = scratch("tty");
    let key = dir.join("k");
    let in_pty = |command: String, input: &str| {
        // Its own process group: `script` signals its group, which would
        // otherwise reach (and interrupt) the test runner's other threads.
        let mut child = std::os::unix::process::CommandExt::process_group(&mut Command::new("/usr/bin/script"), 0)
            .args(["-qec", &command, "/dev/null"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let bin = env!("CARGO_BIN_EXE_puressh");
    let out = in_pty(format!("{bin} keygen -q -t ed25519 -C tty -f {}", s(&key)), "typed words\ntyped words\n");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Enter same passphrase again: "));
    let public = std::fs::read_to_string(dir.join("k.pub")).unwrap();
    assert_eq!(ok(theirs(&["-y", "-P", "typed words", "-f", s(&key)]), "ssh-keygen -y"), public);
    let out = in_pty(format!("{bin} keygen -y -f {}", s(&key)), "typed words\n");
    assert!(String::from_utf8_lossy(&out.stdout).contains(public.trim_end()));
    let other = dir.join("mismatch");
    let out = in_pty(format!("{bin} keygen -q -t ed25519 -f {}", s(&other)), "one\ntwo\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Passphrases do not match"));
    assert!(!other.exists());
}
