//! The `rsurl` command: curl's flags, output, messages and exit codes.
//!
//! Entry point: [`main`], which the `rsurl` binary calls with the real
//! process streams (tests call it with buffers). Options are parsed by
//! `args.rs` from the table in `options.rs`; each URL runs through
//! `run.rs`; errors print as `rsurl: (N) message`, with curl's N and
//! message, and the process exits with the last transfer's code.

mod args;
mod certinfo;
mod glob;
mod netrc;
mod options;
mod output;
mod parallel;
mod progress;
mod run;
mod trace;
pub(crate) mod write_out;

use std::ffi::OsString;
use std::io::Write;

use crate::exit::ExitCode;
use crate::transfer::Ctx;

/// The process streams a command writes to.
pub struct Io<'a> {
    /// Where bodies (and `-i` heads, `-w` output) go by default.
    pub stdout: &'a mut dyn Write,
    /// Where messages, `-v` trace and the progress meter go.
    pub stderr: &'a mut dyn Write,
    /// Whether stdout is a terminal (the meter hides when the body goes there).
    pub stdout_tty: bool,
}

const TRY_HELP: &str = "rsurl: try 'rsurl --help' or 'rsurl --manual' for more information";

/// Runs one command line (`args` without the program name) and returns
/// the process exit code: the last transfer's. `--next` (`-:`) starts a
/// new group of options and URLs; groups share the connection pool and
/// cookie jar, and every group is parsed before any transfer starts.
pub fn main(args: &[OsString], io: &mut Io<'_>) -> ExitCode {
    let mut groups = Vec::new();
    for group in args.split(|a| a == "--next" || a == "-:") {
        match args::parse(group) {
            Ok(c) => groups.push(c),
            Err(e) => {
                let _ = writeln!(io.stderr, "rsurl: {e}");
                let _ = writeln!(io.stderr, "{TRY_HELP}");
                return match e {
                    args::ArgError::Read(_) => ExitCode::READ_ERROR,
                    _ => ExitCode::FAILED_INIT,
                };
            }
        }
    }
    let mut ctx = Ctx::new();
    let mut code = ExitCode::OK;
    let mut jar_path = None;
    for cfg in &groups {
        // A group without `--hsts` / `--alt-svc` neither uses nor changes
        // the stores other groups loaded.
        let hsts = if cfg.hsts.is_none() { ctx.hsts.take() } else { None };
        let alt_svc = if cfg.alt_svc.is_none() { ctx.alt_svc.take() } else { None };
        if let Some(path) = &cfg.hsts {
            crate::cache_file::load(&mut ctx.hsts, path.as_ref());
        }
        if let Some(path) = &cfg.alt_svc {
            crate::cache_file::load(&mut ctx.alt_svc, path.as_ref());
        }
        code = run_group(cfg, &mut ctx, io);
        // Each group writes its own file when it ends, as curl does.
        if let (Some(path), Some(store)) = (&cfg.hsts, &ctx.hsts) {
            let _ = crate::cache_file::save(store, path.as_ref());
        }
        if let (Some(path), Some(cache)) = (&cfg.alt_svc, &ctx.alt_svc) {
            let _ = crate::cache_file::save(cache, path.as_ref());
        }
        ctx.hsts = ctx.hsts.take().or(hsts);
        ctx.alt_svc = ctx.alt_svc.take().or(alt_svc);
        if cfg.help || cfg.version || code == ExitCode::FAILED_INIT {
            return code;
        }
        if cfg.cookie_jar.is_some() {
            jar_path.clone_from(&cfg.cookie_jar);
        }
    }
    if let (Some(path), Some(jar)) = (&jar_path, &ctx.jar) {
        let text = jar.to_netscape(crate::cookie::now());
        let written = if path == "-" { io.stdout.write_all(text.as_bytes()) } else { std::fs::write(path, text) };
        if written.is_err() {
            let _ = writeln!(io.stderr, "rsurl: WARNING: failed to save cookies in {path}");
        }
    }
    let _ = io.stdout.flush();
    code
}

/// Opens the `--trace` / `--trace-ascii` destination of `cfg`, if any (a
/// file that cannot be created is a warning, as in curl).
fn open_tracer(cfg: &args::Config, io: &mut Io<'_>) -> Option<crate::trace::Tracer> {
    let (mode, path) = cfg.trace.as_ref()?;
    let out: Box<dyn Write + Send> = match path.as_str() {
        "-" => Box::new(std::io::stdout()),
        "%" => Box::new(std::io::stderr()),
        p => match std::fs::File::create(p) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(_) => {
                let _ = writeln!(io.stderr, "Warning: Failed to create/open output");
                return None;
            }
        },
    };
    Some(crate::trace::Tracer::new(out, *mode, cfg.trace_time))
}

/// Runs one `--next` group; returns the code of its last transfer.
fn run_group(cfg: &args::Config, ctx: &mut Ctx, io: &mut Io<'_>) -> ExitCode {
    for w in &cfg.warnings {
        let _ = writeln!(io.stderr, "{w}");
    }
    if cfg.help {
        let _ = io.stdout.write_all(options::help_text().as_bytes());
        return ExitCode::OK;
    }
    if cfg.version {
        let _ = writeln!(io.stdout, "rsurl {} (pure Rust)\nProtocols: file http", env!("CARGO_PKG_VERSION"));
        return ExitCode::OK;
    }
    if cfg.urls.is_empty() {
        let _ = writeln!(io.stderr, "{TRY_HELP}");
        return ExitCode::FAILED_INIT;
    }
    if cfg.head && (cfg.data.is_some() || cfg.form.is_some()) && !cfg.get {
        let _ = writeln!(io.stderr, "Warning: You can only select one HTTP request method! You asked for both POST ");
        let _ = writeln!(io.stderr, "Warning: (-d, --data) and HEAD (-I, --head).");
        return ExitCode::FAILED_INIT;
    }
    let opened;
    let cfg = match open_tracer(cfg, io) {
        Some(t) => {
            let mut with = cfg.clone();
            with.tracer = Some(t);
            opened = with;
            &opened
        }
        None => cfg,
    };
    let mut dump = match cfg.dump_header.as_deref() {
        None => None,
        Some("-") => Some(trace::Dump::Stdout),
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Some(trace::Dump::File(f)),
            Err(_) => {
                let _ = writeln!(io.stderr, "Warning: Failed to open {path}");
                None
            }
        },
    };
    if !cfg.cookie_files.is_empty() || cfg.cookie_jar.is_some() {
        let jar = ctx.jar.get_or_insert_with(crate::cookie::Jar::default);
        for f in &cfg.cookie_files {
            // A missing cookie file only turns the engine on, as in curl.
            if let Ok(text) = std::fs::read_to_string(f) {
                jar.load(&text, crate::cookie::now());
            }
        }
        if cfg.junk_session {
            jar.discard_session();
        }
    }
    let jobs = match jobs(cfg) {
        Ok(j) => j,
        Err(e) => {
            let _ = writeln!(io.stderr, "rsurl: (3) {}", e.0);
            return ExitCode::URL_MALFORMAT;
        }
    };
    let mut code = ExitCode::OK;
    if cfg.parallel && jobs.len() > 1 && dump.is_none() {
        parallel::run_all(cfg, &jobs, ctx, |done| {
            let _ = done.stdout.drain_into(io.stdout);
            let _ = io.stderr.write_all(&done.stderr);
            code = finish(cfg, done.outcome, io);
        });
    } else {
        for job in &jobs {
            let outcome = run::run_url(cfg, job, ctx, io, &mut dump);
            code = finish(cfg, outcome, io);
        }
    }
    code
}

/// Expands each URL's glob (unless `-g`) and pairs every result with its
/// output name (`#N` filled in).
fn jobs(cfg: &args::Config) -> Result<Vec<run::Job>, glob::GlobError> {
    let mut jobs = Vec::new();
    for (i, url) in cfg.urls.iter().enumerate() {
        let expanded = if cfg.globoff { vec![(url.clone(), Vec::new())] } else { glob::expand(url)? };
        for (u, caps) in expanded {
            let output = cfg.outputs.get(i).map(|o| match o {
                args::OutSpec::File(name) => args::OutSpec::File(glob::fill_output(name, &caps)),
                other => other.clone(),
            });
            jobs.push(run::Job { url: u, output, urlnum: jobs.len() });
        }
    }
    Ok(jobs)
}

/// What curl adds below a certificate verification failure.
const VERIFY_HELP: &str = "More details here: https://curl.se/docs/sslcerts.html\n\n\
rsurl failed to verify the legitimacy of the server and therefore could not\n\
establish a secure connection to it. To learn more about this situation and\n\
how to fix it, please visit the web page mentioned above.\n";

/// Reports one finished transfer (error line, `-w`) and returns its code.
fn finish(cfg: &args::Config, mut outcome: run::Outcome, io: &mut Io<'_>) -> ExitCode {
    let code = match &outcome.result {
        Ok(()) => ExitCode::OK,
        Err(e) => {
            if !cfg.silent || cfg.show_error {
                let _ = writeln!(io.stderr, "rsurl: ({}) {e}", e.exit_code().get());
                if e.exit_code() == ExitCode::PEER_FAILED_VERIFICATION {
                    let _ = io.stderr.write_all(VERIFY_HELP.as_bytes());
                }
            }
            outcome.vars.errormsg = Some(e.to_string());
            e.exit_code()
        }
    };
    outcome.vars.exitcode = code.get();
    if let Some(fmt) = &cfg.write_out {
        run::write_out(fmt, &outcome.vars, io);
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> (ExitCode, Vec<u8>, String) {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = main(&args, &mut Io { stdout: &mut out, stderr: &mut err, stdout_tty: false });
        (code, out, String::from_utf8_lossy(&err).into_owned())
    }

    #[test]
    fn usage_errors() {
        let (code, _, err) = run(&["--foo"]);
        assert_eq!(code, ExitCode::FAILED_INIT);
        assert_eq!(err, format!("rsurl: option --foo: is unknown\n{TRY_HELP}\n"));
        assert_eq!(run(&[]).0, ExitCode::FAILED_INIT);
        assert_eq!(run(&["-h"]).0, ExitCode::OK);
    }

    #[test]
    fn file_urls_and_write_out() {
        let dir = std::env::temp_dir().join(format!("rsurl-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("data.txt");
        std::fs::write(&f, b"0123456789").unwrap();
        let url = format!("file://{}", f.display());
        let (code, out, _) = run(&["-s", "-r", "2-4", &url, "-w", "|%{size_download}|%{url_effective}"]);
        assert_eq!(code, ExitCode::OK);
        assert_eq!(String::from_utf8(out).unwrap(), format!("234|3|{url}"));
        let (code, _, err) = run(&["file:///nonexistent/x"]);
        assert_eq!(code, ExitCode::FILE_COULDNT_READ_FILE);
        assert_eq!(err, "rsurl: (37) Couldn't open file /nonexistent/x\n");
        let (code, _, err) = run(&["-sS", "ftps://example.invalid/"]);
        assert_eq!(code, ExitCode::UNSUPPORTED_PROTOCOL);
        assert_eq!(err, "rsurl: (1) Protocol \"ftps\" not supported or disabled in libcurl\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
