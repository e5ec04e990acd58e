//! `compcol`: a gzip-style command-line filter over compcol's codecs.
//!
//! Entry point: `main`. Modules: `args` (flag parsing), `files` (output
//! names, temp file + rename), `ops` (the streaming work), and for `-T N`
//! `pool` (ordered worker threads) driving `parallel` (gzip) and
//! `zstd_mt` (zstd). Exit codes as gzip: 0 ok, 1 error, 2 warning; every
//! message names the file.

#[path = "compcol/args.rs"]
mod args;
#[path = "compcol/files.rs"]
mod files;
#[path = "compcol/ops.rs"]
mod ops;
#[path = "compcol/parallel.rs"]
mod parallel;
#[path = "compcol/pool.rs"]
mod pool;
#[path = "compcol/zstd_cli.rs"]
mod zstd_cli;
#[cfg(feature = "zstd")]
#[path = "compcol/zstd_mt.rs"]
mod zstd_mt;

use args::{Args, HELP, Mode};
use files::AtomicFile;
use std::fs::{self, File};
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// Outcome of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Warning,
    Error,
}

impl Outcome {
    /// gzip's exit code for this outcome.
    fn code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Error => 1,
            Self::Warning => 2,
        }
    }
    /// The more severe of two outcomes (error > warning > ok).
    fn worst(self, other: Self) -> Self {
        let rank = |o: Self| match o {
            Self::Ok => 0,
            Self::Warning => 1,
            Self::Error => 2,
        };
        if rank(other) > rank(self) { other } else { self }
    }
}

fn ratio(plain: u64, packed: u64) -> f64 {
    if plain == 0 { 0.0 } else { 100.0 * (1.0 - packed as f64 / plain as f64) }
}

fn format_name(a: &Args) -> &str {
    a.format.as_deref().unwrap_or("gzip")
}

/// Compresses with the chosen codec; gzip and zstd with -T N > 1 run in
/// parallel; other formats have no parallel path and run on one thread,
/// as they always have (the help text says so).
fn compress_with<R: io::Read, W: Write>(a: &Args, input: R, out: W) -> io::Result<(u64, u64)> {
    let format = format_name(a);
    if a.threads > 1 && format.eq_ignore_ascii_case("gzip") {
        return parallel::compress(input, out, a.level, a.threads);
    }
    #[cfg(feature = "zstd")]
    if a.threads > 1 && zstd_cli::is_zstd(format) {
        let opts = zstd_cli::options(a.level)?;
        let job = zstd_mt::job_size(&opts, a.block_size)?;
        return zstd_mt::compress(input, out, &opts, job, a.threads);
    }
    ops::compress(input, out, format, a.level)
}

/// Handles standard input to standard output.
fn run_stdio(a: &Args) -> io::Result<Outcome> {
    let stdin = io::stdin().lock();
    let stdout = io::stdout();
    match a.mode {
        Mode::Compress => {
            if stdout.is_terminal() && !a.force && a.output.is_none() {
                eprintln!("compcol: compressed data not written to a terminal. Use -f to force compression.");
                return Ok(Outcome::Error);
            }
            if let Some(o) = &a.output {
                let mut out = AtomicFile::create(Path::new(o), a.force)?;
                compress_with(a, stdin, &mut out)?;
                out.commit()?;
            } else {
                compress_with(a, stdin, stdout.lock())?;
            }
        }
        Mode::Decompress => {
            if let Some(o) = &a.output {
                let mut out = AtomicFile::create(Path::new(o), a.force)?;
                let (_, _, t) = ops::decompress(stdin, &mut out, a.format.as_deref())?;
                out.commit()?;
                return Ok(trailing(a, "(stdin)", t));
            } else {
                let (_, _, t) = ops::decompress(stdin, stdout.lock(), a.format.as_deref())?;
                return Ok(trailing(a, "(stdin)", t));
            }
        }
        Mode::Test => {
            let (_, _, t) = ops::decompress(stdin, io::sink(), a.format.as_deref())?;
            return Ok(trailing(a, "(stdin)", t));
        }
        Mode::List => {
            let (packed, plain, _) = ops::decompress(stdin, io::sink(), a.format.as_deref())?;
            println!("{packed:>12} {plain:>12} {:>5.1}% (stdin)", ratio(plain, packed));
        }
    }
    Ok(Outcome::Ok)
}

/// Handles one named file.
fn run_file(a: &Args, name: &str) -> io::Result<Outcome> {
    let meta = fs::metadata(name)?;
    if !meta.is_file() {
        if !a.quiet {
            eprintln!("compcol: {name}: not a regular file -- ignored");
        }
        return Ok(Outcome::Warning);
    }
    let input = File::open(name)?;
    let to_stdout = a.stdout;
    // Formats without a magic number are known by their extension.
    let forced = a
        .format
        .as_deref()
        .or_else(|| (name.ends_with(".br") && compcol::factory::extension("brotli").is_some()).then_some("brotli"));
    match a.mode {
        Mode::Test => {
            let (_, _, t) = ops::decompress(input, io::sink(), forced)?;
            if a.verbose {
                eprintln!("{name}:\tOK");
            }
            return Ok(trailing(a, name, t));
        }
        Mode::List => {
            let (packed, plain, _) = ops::decompress(input, io::sink(), forced)?;
            let shown = files::decompressed_name(name).unwrap_or_else(|| name.to_string());
            println!("{packed:>12} {plain:>12} {:>5.1}% {shown}", ratio(plain, packed));
            return Ok(Outcome::Ok);
        }
        Mode::Compress | Mode::Decompress => {}
    }
    let compress = a.mode == Mode::Compress;
    if to_stdout {
        let stdout = io::stdout();
        if compress && stdout.is_terminal() && !a.force {
            eprintln!("compcol: compressed data not written to a terminal. Use -f to force compression.");
            return Ok(Outcome::Error);
        }
        let (i, o, t) = if compress {
            let (i, o) = compress_with(a, input, stdout.lock())?;
            (i, o, false)
        } else {
            ops::decompress(input, stdout.lock(), forced)?
        };
        report(a, name, compress, i, o);
        return Ok(trailing(a, name, t));
    }
    let dest = match (&a.output, compress) {
        (Some(o), _) => o.clone(),
        (None, true) => {
            let ext = compcol::factory::extension(format_name(a)).unwrap_or("gz");
            match files::compressed_name(name, ext) {
                Some(d) => d,
                None => {
                    if !a.quiet {
                        eprintln!("compcol: {name} already has .{ext} suffix -- unchanged");
                    }
                    return Ok(Outcome::Warning);
                }
            }
        }
        (None, false) => match files::decompressed_name(name) {
            Some(d) => d,
            None => {
                if !a.quiet {
                    eprintln!("compcol: {name}: unknown suffix -- ignored");
                }
                return Ok(Outcome::Warning);
            }
        },
    };
    let mut out =
        AtomicFile::create(Path::new(&dest), a.force).map_err(|e| io::Error::new(e.kind(), format!("{dest}: {e}")))?;
    let (i, o, t) = if compress {
        let (i, o) = compress_with(a, input, &mut out)?;
        (i, o, false)
    } else {
        ops::decompress(input, &mut out, forced)?
    };
    out.commit()?;
    // With -o the caller named the output; the input is kept, as with -k.
    if !a.keep && a.output.is_none() {
        fs::remove_file(name)?;
    }
    report(a, name, compress, i, o);
    Ok(trailing(a, name, t))
}

/// gzip's warning for data after the end of the compressed stream.
fn trailing(a: &Args, name: &str, found: bool) -> Outcome {
    if !found {
        return Outcome::Ok;
    }
    if !a.quiet {
        eprintln!("compcol: {name}: decompression OK, trailing garbage ignored");
    }
    Outcome::Warning
}

fn report(a: &Args, name: &str, compress: bool, read: u64, written: u64) {
    if a.verbose {
        let (plain, packed) = if compress { (read, written) } else { (written, read) };
        eprintln!("{name}:\t{:5.1}%", ratio(plain, packed));
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let a = match args::parse(&argv) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("compcol: {msg}\nTry 'compcol --help' for more information.");
            return ExitCode::from(1);
        }
    };
    if a.help {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    if a.version {
        println!("compcol {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    if let Some(f) = &a.format
        && compcol::factory::extension(f).is_none()
    {
        eprintln!("compcol: unknown format '{f}' (known: {})", compcol::factory::names().join(", "));
        return ExitCode::from(1);
    }
    if let Err(e) = zstd_cli::configure(&a) {
        eprintln!("compcol: {e}");
        return ExitCode::from(1);
    }
    if a.train {
        return match zstd_cli::train(&a) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("compcol: --train: {e}");
                ExitCode::from(1)
            }
        };
    }
    let mut worst = Outcome::Ok;
    let inputs: Vec<String> = if a.files.is_empty() { vec!["-".into()] } else { a.files.clone() };
    for name in &inputs {
        let r = if name == "-" { run_stdio(&a) } else { run_file(&a, name) };
        let outcome = match r {
            Ok(o) => o,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Outcome::Error,
            Err(e) => {
                let shown = if name == "-" { "(stdin)" } else { name };
                eprintln!("compcol: {shown}: {e}");
                Outcome::Error
            }
        };
        worst = worst.worst(outcome);
    }
    let _ = io::stdout().flush();
    ExitCode::from(worst.code())
}
