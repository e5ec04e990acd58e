//! Unit tests of the `ssh_config` parser.

use super::*;
use std::collections::BTreeMap;

/// Serves included files from a map; globs are not expanded here.
struct Files(BTreeMap<&'static str, &'static str>);

impl IncludeLoader for Files {
    fn load(&mut self, pattern: &str) -> Result<Vec<(String, String)>, String> {
        self.0
            .get(pattern)
            .map(|text| vec![(pattern.to_owned(), (*text).to_owned())])
            .ok_or_else(|| "no such file".into())
    }
}

#[test]
fn first_value_wins_and_blocks_apply() {
    let text = "\
# comment
Host web*.example.org !web9.example.org
    HostName 10.0.0.1
    Port=2222
    User \"deploy user\"
    IdentityFile ~/.ssh/a
    CertificateFile ~/.ssh/a-cert.pub
Host *
    Port 22
    User nobody
    IdentityFile ~/.ssh/b
    Ciphers ^aes256-ctr
    StrictHostKeyChecking accept-new
    ConnectTimeout 5
";
    let config = SshConfig::parse("cfg", text, &mut NoIncludes).unwrap();
    let web = config.resolve("web1.example.org", "me");
    assert_eq!(web.host_name.as_deref(), Some("10.0.0.1"));
    assert_eq!(web.port, Some(2222));
    assert_eq!(web.user.as_deref(), Some("deploy user"));
    assert_eq!(web.identity_files, ["~/.ssh/a", "~/.ssh/b"]);
    assert_eq!(web.certificate_files, ["~/.ssh/a-cert.pub"]);
    assert_eq!(web.ciphers.as_ref().unwrap()[0], "aes256-ctr");
    assert_eq!(web.strict_host_key_checking, Some(StrictHostKeyChecking::AcceptNew));
    assert_eq!(web.connect_timeout, Some(5));
    let excluded = config.resolve("web9.example.org", "me");
    assert_eq!(excluded.port, Some(22));
    assert_eq!(excluded.host_name, None);
}

#[test]
fn match_host_user_and_negation() {
    let text = "\
Host alias
    HostName real.example.org
Match host real.example.org user root
    Port 2200
Match !user root originalhost alias
    Port 2300
Match all
    ServerAliveInterval 30
";
    let config = SshConfig::parse("cfg", text, &mut NoIncludes).unwrap();
    assert_eq!(config.resolve("alias", "root").port, Some(2200));
    assert_eq!(config.resolve("alias", "me").port, Some(2300));
    assert_eq!(config.resolve("other", "root").port, None);
    assert_eq!(config.resolve("other", "root").server_alive_interval, Some(30));
}

#[test]
fn include_applies_under_its_block_and_restores_it() {
    let mut files = Files(BTreeMap::from([("inc", "Port 1111\nHost b\n  User bee\n"), ("loop", "Include loop\n")]));
    let text = "Host a\n  Include inc\n  ProxyJump jump\nHost *\n  User default\n";
    let config = SshConfig::parse("main", text, &mut files).unwrap();
    let a = config.resolve("a", "me");
    assert_eq!(a.port, Some(1111));
    assert_eq!(a.proxy_jump.as_deref(), Some("jump"), "Host a holds again after the Include");
    assert_eq!(config.resolve("b", "me").port, None, "included lines stay under Host a");
    assert_eq!(config.resolve("b", "me").user.as_deref(), Some("default"));

    let err = SshConfig::parse("main", "Include loop\n", &mut files).unwrap_err();
    assert_eq!(err.kind, ConfigErrorKind::IncludeDepth(MAX_INCLUDE_DEPTH));
    assert_eq!((err.file.as_str(), err.line), ("loop", 1));
    let err = SshConfig::parse("main", "\nInclude missing\n", &mut files).unwrap_err();
    assert_eq!(err.line, 2);
    assert!(matches!(err.kind, ConfigErrorKind::Include { .. }));
}

#[test]
fn typed_errors_with_line_numbers() {
    let cases: [(&str, ConfigErrorKind); 9] = [
        ("Bogus yes", ConfigErrorKind::UnknownKeyword("bogus".into())),
        ("Port 0", ConfigErrorKind::BadValue { keyword: "Port", value: "0".into() }),
        ("Port 70000", ConfigErrorKind::BadValue { keyword: "Port", value: "70000".into() }),
        ("IdentitiesOnly maybe", ConfigErrorKind::BadValue { keyword: "IdentitiesOnly", value: "maybe".into() }),
        ("HostName a b", ConfigErrorKind::Arguments("HostName")),
        ("User \"open", ConfigErrorKind::UnterminatedQuote),
        ("Match exec true", ConfigErrorKind::UnsupportedMatch("exec".into())),
        ("Ciphers +aes128-cbc", ConfigErrorKind::UnknownAlgorithm("aes128-cbc".into())),
        ("Host", ConfigErrorKind::Arguments("Host")),
    ];
    for (line, kind) in cases {
        let text = format!("Host *\n{line}\n");
        let err = SshConfig::parse("f", &text, &mut NoIncludes).unwrap_err();
        assert_eq!(err, ConfigError { file: "f".into(), line: 2, kind }, "{line}");
    }
    let ok =
        SshConfig::parse("f", "IgnoreUnknown Use*\nUseKeychain yes\nHostKeyAlgorithms +ssh-rsa\n", &mut NoIncludes);
    let host_keys = ok.unwrap().resolve("h", "u").host_key_algorithms.unwrap();
    assert_eq!(host_keys.last().map(String::as_str), Some("ssh-rsa"));
}

#[test]
fn agent_and_keepalive_keywords() {
    let text = "\
Host agent
    ForwardAgent yes
    IdentityAgent ~/.ssh/agent.sock
    ServerAliveInterval 15
    ServerAliveCountMax 2
    ConnectTimeout 7
Host *
    ForwardAgent $OTHER_SOCK
    IdentityAgent none
    ServerAliveCountMax 9
";
    let config = SshConfig::parse("f", text, &mut NoIncludes).unwrap();
    let agent = config.resolve("agent", "u");
    assert_eq!(agent.forward_agent.as_deref(), Some("yes"));
    assert_eq!(agent.identity_agent.as_deref(), Some("~/.ssh/agent.sock"));
    assert_eq!(
        (agent.server_alive_interval, agent.server_alive_count_max, agent.connect_timeout),
        (Some(15), Some(2), Some(7))
    );
    let other = config.resolve("other", "u");
    assert_eq!(other.forward_agent.as_deref(), Some("$OTHER_SOCK"));
    assert_eq!(other.identity_agent.as_deref(), Some("none"));
    assert_eq!((other.server_alive_interval, other.server_alive_count_max), (None, Some(9)));
    for (line, keyword) in [("ForwardAgent maybe", "ForwardAgent"), ("ServerAliveCountMax -1", "ServerAliveCountMax")] {
        let err = SshConfig::parse("f", &format!("{line}\n"), &mut NoIncludes).unwrap_err();
        assert!(matches!(err.kind, ConfigErrorKind::BadValue { keyword: k, .. } if k == keyword), "{line}: {err:?}");
    }
}

#[test]
fn compression_keyword() {
    let text = "Host fast\n    Compression yes\nHost *\n    Compression no\n";
    let config = SshConfig::parse("f", text, &mut NoIncludes).unwrap();
    assert_eq!(config.resolve("fast", "u").compression, Some(true));
    assert_eq!(config.resolve("other", "u").compression, Some(false));
    let err = SshConfig::parse("f", "Compression 9\n", &mut NoIncludes).unwrap_err();
    assert!(matches!(err.kind, ConfigErrorKind::BadValue { keyword: "Compression", .. }), "{err:?}");
}
