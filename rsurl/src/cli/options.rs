//! The option table, as data: every flag rsurl understands, its short
//! form, whether it takes an argument, and its help line.
//!
//! Entry points: [`OPTIONS`], [`find_long`] and [`find_short`]. The parser
//! in `args.rs` applies options by [`Id`]; `--help` prints this table.

/// Which option was given (one variant per table row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Id {
    Url,
    Next,
    Config,
    Globoff,
    Request,
    Header,
    Data,
    DataAscii,
    DataBinary,
    DataRaw,
    DataUrlencode,
    Json,
    Get,
    Form,
    UploadFile,
    UserAgent,
    Referer,
    User,
    Location,
    LocationTrusted,
    MaxRedirs,
    Output,
    RemoteName,
    OutputDir,
    RemoteHeaderName,
    RemoteTime,
    CreateDirs,
    DumpHeader,
    Include,
    Head,
    Verbose,
    Trace,
    TraceAscii,
    TraceTime,
    Silent,
    ShowError,
    Fail,
    FailWithBody,
    WriteOut,
    ConnectTimeout,
    MaxTime,
    Resolve,
    ConnectTo,
    Range,
    TimeCond,
    LimitRate,
    MaxFilesize,
    ContinueAt,
    Retry,
    RetryDelay,
    RetryMaxTime,
    ProgressBar,
    NoProgressMeter,
    Compressed,
    Cookie,
    CookieJar,
    Hsts,
    AltSvc,
    Proxy,
    Ipv4,
    Ipv6,
    UnixSocket,
    Interface,
    LocalPort,
    HappyEyeballsTimeoutMs,
    AbstractUnixSocket,
    Parallel,
    ParallelImmediate,
    ParallelMax,
    Post301,
    Post302,
    Post303,
    ProxyUser,
    Netrc,
    NetrcFile,
    NetrcOptional,
    ProxyTunnel,
    JunkSessionCookies,
    NoProxy,
    Socks4,
    Socks4a,
    Socks5,
    Socks5Hostname,
    Basic,
    Digest,
    AnyAuth,
    OAuth2Bearer,
    AwsSigV4,
    NoBuffer,
    Insecure,
    CaCert,
    CaPath,
    PinnedPubKey,
    CertStatus,
    TlsV1,
    TlsV10,
    TlsV11,
    TlsV12,
    TlsV13,
    TlsMax,
    Cert,
    CertType,
    Key,
    KeyType,
    Pass,
    Ciphers,
    Tls13Ciphers,
    Curves,
    SessionReuse,
    ProxyInsecure,
    ProxyCaCert,
    ProxyCaPath,
    ProxyPinnedPubKey,
    ProxyTlsV1,
    ProxyCiphers,
    ProxyTls13Ciphers,
    ProxyCert,
    ProxyCertType,
    ProxyKey,
    ProxyKeyType,
    ProxyPass,
    Http11,
    Http2,
    Http2PriorKnowledge,
    Help,
    Version,
}

/// One row of the option table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Opt {
    pub(crate) long: &'static str,
    pub(crate) short: Option<char>,
    /// Argument name, when the option takes one.
    pub(crate) arg: Option<&'static str>,
    pub(crate) id: Id,
    /// Boolean options accept a `--no-` prefix.
    pub(crate) boolean: bool,
    pub(crate) help: &'static str,
}

const fn flag(long: &'static str, short: Option<char>, id: Id, help: &'static str) -> Opt {
    Opt { long, short, arg: None, id, boolean: true, help }
}

const fn with_arg(long: &'static str, short: Option<char>, arg: &'static str, id: Id, help: &'static str) -> Opt {
    Opt { long, short, arg: Some(arg), id, boolean: false, help }
}

/// Every option, in `--help` order.
pub(crate) static OPTIONS: &[Opt] = &[
    with_arg("url", None, "<url>", Id::Url, "URL to work with"),
    flag("next", Some(':'), Id::Next, "Make next URL use its separate set of options"),
    with_arg("config", Some('K'), "<file>", Id::Config, "Read config from a file"),
    flag("globoff", Some('g'), Id::Globoff, "Disable URL sequences and ranges using {} and []"),
    with_arg("request", Some('X'), "<method>", Id::Request, "Specify request method to use"),
    with_arg("header", Some('H'), "<header>", Id::Header, "Pass custom header(s) to server"),
    with_arg("data", Some('d'), "<data>", Id::Data, "HTTP POST data"),
    with_arg("data-ascii", None, "<data>", Id::DataAscii, "HTTP POST ASCII data"),
    with_arg("data-binary", None, "<data>", Id::DataBinary, "HTTP POST binary data"),
    with_arg("data-raw", None, "<data>", Id::DataRaw, "HTTP POST data, '@' allowed"),
    with_arg("data-urlencode", None, "<data>", Id::DataUrlencode, "HTTP POST data URL encoded"),
    with_arg("json", None, "<data>", Id::Json, "HTTP POST JSON"),
    flag("get", Some('G'), Id::Get, "Put the post data in the URL and use GET"),
    with_arg("form", Some('F'), "<name=content>", Id::Form, "Specify multipart MIME data"),
    with_arg("upload-file", Some('T'), "<file>", Id::UploadFile, "Transfer local FILE to destination"),
    with_arg("user-agent", Some('A'), "<name>", Id::UserAgent, "Send User-Agent <name> to server"),
    with_arg("referer", Some('e'), "<URL>", Id::Referer, "Referrer URL"),
    with_arg("user", Some('u'), "<user:password>", Id::User, "Server user and password"),
    flag("location", Some('L'), Id::Location, "Follow redirects"),
    flag("location-trusted", None, Id::LocationTrusted, "Like --location, and send auth to other hosts"),
    flag("post301", None, Id::Post301, "Do not switch to GET after following a 301"),
    flag("post302", None, Id::Post302, "Do not switch to GET after following a 302"),
    flag("post303", None, Id::Post303, "Do not switch to GET after following a 303"),
    with_arg("max-redirs", None, "<num>", Id::MaxRedirs, "Maximum number of redirects allowed"),
    with_arg("output", Some('o'), "<file>", Id::Output, "Write to file instead of stdout"),
    flag("remote-name", Some('O'), Id::RemoteName, "Write output to a file named as the remote file"),
    flag("remote-header-name", Some('J'), Id::RemoteHeaderName, "Use the header-provided filename"),
    flag("remote-time", Some('R'), Id::RemoteTime, "Set the remote file's time on the local output"),
    with_arg("output-dir", None, "<dir>", Id::OutputDir, "Directory to save files in"),
    flag("create-dirs", None, Id::CreateDirs, "Create necessary local directory hierarchy"),
    with_arg("dump-header", Some('D'), "<filename>", Id::DumpHeader, "Write the received headers to <filename>"),
    flag("include", Some('i'), Id::Include, "Include protocol response headers in the output"),
    flag("head", Some('I'), Id::Head, "Show document info only"),
    flag("verbose", Some('v'), Id::Verbose, "Make the operation more talkative"),
    with_arg("trace", None, "<file>", Id::Trace, "Write a debug trace to FILE"),
    with_arg("trace-ascii", None, "<file>", Id::TraceAscii, "Like --trace, but without hex output"),
    flag("trace-time", None, Id::TraceTime, "Add time stamps to trace/verbose output"),
    flag("silent", Some('s'), Id::Silent, "Silent mode"),
    flag("show-error", Some('S'), Id::ShowError, "Show error even when -s is used"),
    flag("fail", Some('f'), Id::Fail, "Fail silently (no output at all) on HTTP errors"),
    flag("fail-with-body", None, Id::FailWithBody, "Fail on HTTP errors but save the body"),
    with_arg("write-out", Some('w'), "<format>", Id::WriteOut, "Use output FORMAT after completion"),
    with_arg(
        "connect-timeout",
        None,
        "<fractional seconds>",
        Id::ConnectTimeout,
        "Maximum time allowed for connection",
    ),
    with_arg("max-time", Some('m'), "<fractional seconds>", Id::MaxTime, "Maximum time allowed for transfer"),
    flag("parallel", Some('Z'), Id::Parallel, "Perform transfers in parallel"),
    flag("parallel-immediate", None, Id::ParallelImmediate, "Do not wait for multiplexing (with --parallel)"),
    with_arg("parallel-max", None, "<num>", Id::ParallelMax, "Maximum concurrency for parallel transfers"),
    flag("ipv4", Some('4'), Id::Ipv4, "Resolve names to IPv4 addresses"),
    flag("ipv6", Some('6'), Id::Ipv6, "Resolve names to IPv6 addresses"),
    with_arg("interface", None, "<name>", Id::Interface, "Use network INTERFACE (or address)"),
    with_arg("local-port", None, "<num/range>", Id::LocalPort, "Force use of RANGE for local port numbers"),
    with_arg(
        "happy-eyeballs-timeout-ms",
        None,
        "<milliseconds>",
        Id::HappyEyeballsTimeoutMs,
        "Time for IPv6 before trying IPv4",
    ),
    with_arg("unix-socket", None, "<path>", Id::UnixSocket, "Connect through this Unix domain socket"),
    with_arg("abstract-unix-socket", None, "<path>", Id::AbstractUnixSocket, "Connect via abstract Unix domain socket"),
    with_arg("resolve", None, "<[+]host:port:addr[,addr]...>", Id::Resolve, "Resolve the host+port to this address"),
    with_arg("connect-to", None, "<HOST1:PORT1:HOST2:PORT2>", Id::ConnectTo, "Connect to host"),
    with_arg("range", Some('r'), "<range>", Id::Range, "Retrieve only the bytes within RANGE"),
    with_arg("time-cond", Some('z'), "<time>", Id::TimeCond, "Transfer based on a time condition"),
    with_arg("limit-rate", None, "<speed>", Id::LimitRate, "Limit transfer speed to RATE"),
    with_arg("max-filesize", None, "<bytes>", Id::MaxFilesize, "Maximum file size to download"),
    with_arg("continue-at", Some('C'), "<offset>", Id::ContinueAt, "Resumed transfer offset"),
    with_arg("retry", None, "<num>", Id::Retry, "Retry request if transient problems occur"),
    with_arg("retry-delay", None, "<seconds>", Id::RetryDelay, "Wait time between retries"),
    with_arg("retry-max-time", None, "<seconds>", Id::RetryMaxTime, "Retry only within this period"),
    flag("progress-bar", Some('#'), Id::ProgressBar, "Display transfer progress as a bar"),
    flag("no-progress-meter", None, Id::NoProgressMeter, "Do not show the progress meter"),
    flag("compressed", None, Id::Compressed, "Request compressed response"),
    with_arg("cookie", Some('b'), "<data|filename>", Id::Cookie, "Send cookies from string/file"),
    with_arg("cookie-jar", Some('c'), "<filename>", Id::CookieJar, "Write cookies to <filename> after operation"),
    with_arg("hsts", None, "<file name>", Id::Hsts, "Enable HSTS with this cache file"),
    with_arg("alt-svc", None, "<file name>", Id::AltSvc, "Enable alt-svc with this cache file"),
    with_arg("proxy", Some('x'), "[protocol://]host[:port]", Id::Proxy, "Use this proxy"),
    with_arg("noproxy", None, "<no-proxy-list>", Id::NoProxy, "List of hosts which do not use proxy"),
    with_arg("socks4", None, "<host[:port]>", Id::Socks4, "SOCKS4 proxy on given host + port"),
    with_arg("socks4a", None, "<host[:port]>", Id::Socks4a, "SOCKS4a proxy on given host + port"),
    with_arg("socks5", None, "<host[:port]>", Id::Socks5, "SOCKS5 proxy on given host + port"),
    with_arg("socks5-hostname", None, "<host[:port]>", Id::Socks5Hostname, "SOCKS5 proxy, pass host name to proxy"),
    flag("netrc", Some('n'), Id::Netrc, "Must read .netrc for user name and password"),
    with_arg("netrc-file", None, "<filename>", Id::NetrcFile, "Specify FILE for netrc"),
    flag("netrc-optional", None, Id::NetrcOptional, "Use either .netrc or URL"),
    with_arg("proxy-user", Some('U'), "<user:password>", Id::ProxyUser, "Proxy user and password"),
    flag("proxytunnel", Some('p'), Id::ProxyTunnel, "Operate through an HTTP proxy tunnel (using CONNECT)"),
    flag("junk-session-cookies", Some('j'), Id::JunkSessionCookies, "Ignore session cookies read from file"),
    flag("basic", None, Id::Basic, "Use HTTP Basic Authentication"),
    flag("digest", None, Id::Digest, "Use HTTP Digest Authentication"),
    flag("anyauth", None, Id::AnyAuth, "Pick any authentication method"),
    with_arg("oauth2-bearer", None, "<token>", Id::OAuth2Bearer, "OAuth 2 Bearer Token"),
    with_arg(
        "aws-sigv4",
        None,
        "<provider1[:provider2[:region[:service]]]>",
        Id::AwsSigV4,
        "Use AWS V4 signature authentication",
    ),
    flag("no-buffer", Some('N'), Id::NoBuffer, "Disable buffering of the output stream"),
    flag("insecure", Some('k'), Id::Insecure, "Allow insecure server connections"),
    with_arg("cacert", None, "<file>", Id::CaCert, "CA certificate to verify peer against"),
    with_arg("capath", None, "<dir>", Id::CaPath, "CA directory to verify peer against"),
    with_arg("pinnedpubkey", None, "<hashes>", Id::PinnedPubKey, "FILE/HASHES Public key to verify peer against"),
    flag("cert-status", None, Id::CertStatus, "Verify the status of the server cert via OCSP-staple"),
    flag("tlsv1", Some('1'), Id::TlsV1, "Use TLSv1.0 or greater"),
    flag("tlsv1.0", None, Id::TlsV10, "Use TLSv1.0 or greater"),
    flag("tlsv1.1", None, Id::TlsV11, "Use TLSv1.1 or greater"),
    flag("tlsv1.2", None, Id::TlsV12, "Use TLSv1.2 or greater"),
    flag("tlsv1.3", None, Id::TlsV13, "Use TLSv1.3 or greater"),
    with_arg("tls-max", None, "<VERSION>", Id::TlsMax, "Set maximum allowed TLS version"),
    with_arg("cert", Some('E'), "<certificate[:password]>", Id::Cert, "Client certificate file and password"),
    with_arg("cert-type", None, "<type>", Id::CertType, "Certificate type (DER/PEM)"),
    with_arg("key", None, "<key>", Id::Key, "Private key file name"),
    with_arg("key-type", None, "<type>", Id::KeyType, "Private key file type (DER/PEM)"),
    with_arg("pass", None, "<phrase>", Id::Pass, "Pass phrase for the private key"),
    with_arg("ciphers", None, "<list of ciphers>", Id::Ciphers, "SSL ciphers to use"),
    with_arg("tls13-ciphers", None, "<ciphersuite list>", Id::Tls13Ciphers, "TLS 1.3 cipher suites to use"),
    flag("proxy-insecure", None, Id::ProxyInsecure, "Do HTTPS proxy connections without verifying the proxy"),
    with_arg("proxy-cacert", None, "<file>", Id::ProxyCaCert, "CA certificate to verify peer against for proxy"),
    with_arg("proxy-capath", None, "<dir>", Id::ProxyCaPath, "CA directory to verify peer against for proxy"),
    with_arg(
        "proxy-pinnedpubkey",
        None,
        "<hashes>",
        Id::ProxyPinnedPubKey,
        "FILE/HASHES public key to verify proxy with",
    ),
    flag("proxy-tlsv1", None, Id::ProxyTlsV1, "Use TLSv1 for HTTPS proxy"),
    with_arg("proxy-ciphers", None, "<list>", Id::ProxyCiphers, "SSL ciphers to use for proxy"),
    with_arg("proxy-tls13-ciphers", None, "<ciphersuite list>", Id::ProxyTls13Ciphers, "TLS 1.3 proxy cipher suites"),
    with_arg("proxy-cert", None, "<cert[:passwd]>", Id::ProxyCert, "Set client certificate for proxy"),
    with_arg("proxy-cert-type", None, "<type>", Id::ProxyCertType, "Client certificate type for HTTPS proxy"),
    with_arg("proxy-key", None, "<key>", Id::ProxyKey, "Private key for HTTPS proxy"),
    with_arg("proxy-key-type", None, "<type>", Id::ProxyKeyType, "Private key file type for proxy"),
    with_arg("proxy-pass", None, "<phrase>", Id::ProxyPass, "Pass phrase for the private key for HTTPS proxy"),
    with_arg("curves", None, "<algorithm list>", Id::Curves, "(EC) TLS key exchange algorithm(s) to request"),
    flag("sessionid", None, Id::SessionReuse, "Use SSL session-ID reuse (--no-sessionid disables)"),
    flag("http1.1", None, Id::Http11, "Use HTTP 1.1"),
    flag("http2", None, Id::Http2, "Use HTTP/2"),
    flag("http2-prior-knowledge", None, Id::Http2PriorKnowledge, "Use HTTP 2 without HTTP/1.1 Upgrade"),
    flag("help", Some('h'), Id::Help, "Get help for commands"),
    flag("version", Some('V'), Id::Version, "Show version number and quit"),
];

/// Finds an option by long name; the second value is false for `--no-NAME`.
pub(crate) fn find_long(name: &str) -> Option<(&'static Opt, bool)> {
    if let Some(o) = OPTIONS.iter().find(|o| o.long == name) {
        return Some((o, true));
    }
    let base = name.strip_prefix("no-")?;
    OPTIONS.iter().find(|o| o.long == base && o.boolean).map(|o| (o, false))
}

/// Finds an option by its one-letter form.
pub(crate) fn find_short(c: char) -> Option<&'static Opt> {
    OPTIONS.iter().find(|o| o.short == Some(c))
}

/// The `--help` text, generated from the table.
pub(crate) fn help_text() -> String {
    let mut out = String::from("Usage: rsurl [options...] <url>\n");
    for o in OPTIONS {
        let short = o.short.map_or_else(|| "    ".to_owned(), |c| format!("-{c}, "));
        let name = match o.arg {
            Some(a) => format!("--{} {a}", o.long),
            None => format!("--{}", o.long),
        };
        out.push_str(&format!(" {short}{name:<34} {}\n", o.help));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for (i, a) in OPTIONS.iter().enumerate() {
            for b in OPTIONS.iter().skip(i + 1) {
                assert_ne!(a.long, b.long);
                assert!(a.short.is_none() || a.short != b.short, "{} and {}", a.long, b.long);
            }
        }
        assert_eq!(find_long("no-location").map(|(o, on)| (o.id, on)), Some((Id::Location, false)));
        assert!(find_long("no-output").is_none());
        assert_eq!(find_short('X').map(|o| o.id), Some(Id::Request));
        assert!(help_text().contains("-X, --request <method>"));
    }
}
