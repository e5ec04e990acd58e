//! Command-line parsing for `compcol` (gzip-style flags).
//!
//! Entry point: [`parse`], which turns the arguments into [`Args`] or a
//! message for a usage error (exit code 1).

/// What to do with each input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Compress,
    Decompress,
    Test,
    List,
}

/// Parsed command line.
#[derive(Debug, Clone)]
pub(crate) struct Args {
    pub(crate) mode: Mode,
    pub(crate) stdout: bool,
    pub(crate) keep: bool,
    pub(crate) force: bool,
    pub(crate) verbose: bool,
    pub(crate) quiet: bool,
    pub(crate) level: i32,
    pub(crate) format: Option<String>,
    pub(crate) threads: usize,
    pub(crate) output: Option<String>,
    pub(crate) files: Vec<String>,
    pub(crate) help: bool,
    pub(crate) version: bool,
    /// zstd: dictionary file (`-D`).
    pub(crate) dict: Option<String>,
    /// zstd: train a dictionary from the FILEs into `-o` (`--train`).
    pub(crate) train: bool,
    /// zstd: dictionary size for `--train` (`--maxdict`).
    pub(crate) maxdict: usize,
    /// zstd: long-distance window log (`--long[=N]`).
    pub(crate) long: Option<u32>,
    /// zstd: decoder window limit; xz / lzma: decoder memory limit, in
    /// bytes (`--memory=`).
    pub(crate) memory: Option<u64>,
    /// xz / lzma: search harder (`-e`, `--extreme`).
    pub(crate) extreme: bool,
    /// zstd: allow levels 20..=22 (`--ultra`).
    pub(crate) ultra: bool,
    /// zstd with `-T`: input bytes per job, each its own frame
    /// (`--block-size`, zstd's name for it; `None` = four windows).
    pub(crate) block_size: Option<u64>,
}

pub(crate) const HELP: &str = "\
Usage: compcol [OPTION]... [FILE]...
Compress or decompress FILEs (by default, compress to FILE.gz and remove FILE).
With no FILE, or when FILE is -, read standard input and write standard output.

  -z, --compress       compress (the default)
  -d, --decompress     decompress (format from the magic bytes, or -F)
  -c, --stdout         write to standard output, keep the input files
  -k, --keep           keep (do not delete) input files
  -f, --force          overwrite outputs; write compressed data to a terminal
  -t, --test           test compressed file integrity
  -l, --list           list compressed and uncompressed sizes
  -v, --verbose        report the ratio for each file
  -q, --quiet          suppress warnings
  -1 .. -9             fastest .. best compression (default 6)
      --level N        compression level 0..9 (zstd: -7..19, 20..22 with --ultra;
                       lz4: 1..12, 3 and up are HC; lzo: 1..6 LZO1X-1, 7..9 LZO1X-999)
  -F, --format NAME    codec: gzip (default), zlib, deflate, store, zstd, lz4,
                       snappy (framed .sz), snappy-raw, lzw (.Z), lzo (lzop),
                       bzip2 (.bz2; -1..-9 are bzip2's block sizes, its default is -9)
                       xz, lzma (.lzma), lzma2 (raw),
                       brotli (.br; --level 0..11, default 6; no magic, so -d needs
                       -F brotli or a .br name)
zstd only:
  -10 .. -19           zstd levels; --fast=N is level -N
      --ultra          allow levels 20..22
  -D FILE              compress/decompress with dictionary FILE
      --train          train a dictionary from FILEs into -o FILE (--maxdict=N bytes)
      --long[=N]       long-distance matching, window 2^N (default 27)
      --memory=SIZE    decoder window limit (e.g. 256MB; default 128MB)
      --block-size=SIZE  with -T: input per independent frame (default four
                       windows, 4 MiB..128 MiB; e.g. 8MB)
xz / lzma:
  -e, --extreme        search harder (xz's -e)
      --memory=SIZE    decoder memory limit; a larger dictionary is an error
  -T, --threads N      compress on N threads (0: one per core): gzip pigz-style
                       (one member), zstd as one frame per job (see --block-size);
                       other formats use one thread
  -o, --output FILE    write the (single) result to FILE
  -h, --help           show this help
  -V, --version        show the version

Exit status: 0 ok, 1 error, 2 warning.
";

/// Options that take a value.
fn takes_value(flag: &str) -> bool {
    matches!(
        flag,
        "-F" | "--format"
            | "-T"
            | "--threads"
            | "-o"
            | "--output"
            | "--level"
            | "-D"
            | "--maxdict"
            | "--memory"
            | "--block-size"
    )
}

fn set_value(a: &mut Args, flag: &str, value: &str) -> Result<(), String> {
    match flag {
        "-F" | "--format" => a.format = Some(value.to_string()),
        "-T" | "--threads" => {
            a.threads = match value.parse::<usize>().map_err(|_| format!("invalid thread count '{value}'"))? {
                // As zstd: 0 = one thread per core.
                0 => std::thread::available_parallelism().map_or(1, usize::from),
                n => n,
            };
        }
        "-o" | "--output" => a.output = Some(value.to_string()),
        "-D" => a.dict = Some(value.to_string()),
        "--maxdict" => a.maxdict = value.parse().map_err(|_| format!("invalid dictionary size '{value}'"))?,
        "--memory" => a.memory = Some(parse_size(value).ok_or(format!("invalid memory size '{value}'"))?),
        "--block-size" => {
            // Tiny frames only waste bytes; 1 KiB keeps tests cheap.
            let n = parse_size(value).filter(|&n| n >= 1024).ok_or(format!("invalid block size '{value}'"))?;
            a.block_size = Some(n);
        }
        _ => {
            // Codecs check their own range (gzip 0..9, lz4 1..12, zstd -7..22).
            a.level = value.parse().ok().filter(|l| (-7..=22).contains(l)).ok_or(format!("invalid level '{value}'"))?;
        }
    }
    Ok(())
}

fn long(a: &mut Args, flag: &str) -> Result<(), String> {
    match flag {
        "--compress" => a.mode = Mode::Compress,
        "--decompress" | "--uncompress" => a.mode = Mode::Decompress,
        "--stdout" | "--to-stdout" => a.stdout = true,
        "--keep" => a.keep = true,
        "--force" => a.force = true,
        "--test" => a.mode = Mode::Test,
        "--list" => a.mode = Mode::List,
        "--verbose" => a.verbose = true,
        "--quiet" => a.quiet = true,
        "--help" => a.help = true,
        "--version" => a.version = true,
        "--fast" => a.level = 1,
        "--ultra" => a.ultra = true,
        "--extreme" => a.extreme = true,
        "--train" => a.train = true,
        "--long" => a.long = Some(27),
        "--best" => a.level = 9,
        _ => return Err(format!("unknown option '{flag}'")),
    }
    Ok(())
}

fn short(a: &mut Args, c: char) -> Result<(), String> {
    match c {
        'z' => a.mode = Mode::Compress,
        'd' => a.mode = Mode::Decompress,
        'c' => a.stdout = true,
        'k' => a.keep = true,
        'f' => a.force = true,
        't' => a.mode = Mode::Test,
        'l' => a.mode = Mode::List,
        'v' => a.verbose = true,
        'q' => a.quiet = true,
        'h' => a.help = true,
        'V' => a.version = true,
        'e' => a.extreme = true,
        '0'..='9' => a.level = c as i32 - '0' as i32,
        _ => return Err(format!("unknown option '-{c}'")),
    }
    Ok(())
}

/// `128MB`, `64KiB`, `1G` or plain bytes.
fn parse_size(v: &str) -> Option<u64> {
    let digits = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let (n, unit) = v.split_at(digits);
    let n: u64 = n.parse().ok()?;
    let shift = match unit.trim_end_matches(['B', 'b']).trim_end_matches('i').to_ascii_uppercase().as_str() {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return None,
    };
    n.checked_mul(1 << shift)
}

/// zstd-style flags with an attached value: `--long=N`, `--fast=N`.
fn zstd_value(a: &mut Args, arg: &str) -> Result<bool, String> {
    if let Some(v) = arg.strip_prefix("--long=") {
        a.long = Some(v.parse().ok().filter(|n| (10..=31).contains(n)).ok_or(format!("invalid --long value '{v}'"))?);
        return Ok(true);
    }
    if let Some(v) = arg.strip_prefix("--fast=") {
        let n: i32 = v.parse().ok().filter(|n| (1..=7).contains(n)).ok_or(format!("invalid --fast value '{v}'"))?;
        a.level = -n;
        return Ok(true);
    }
    // -10 .. -22: zstd's two-digit levels (gzip would read -19 as -1 -9).
    if let Some(v) = arg.strip_prefix('-')
        && v.len() == 2
        && v.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = v.parse::<i32>()
        && (10..=22).contains(&n)
    {
        a.level = n;
        return Ok(true);
    }
    Ok(false)
}

/// Parses the arguments (without the program name).
pub(crate) fn parse(argv: &[String]) -> Result<Args, String> {
    let mut a = Args {
        mode: Mode::Compress,
        stdout: false,
        keep: false,
        force: false,
        verbose: false,
        quiet: false,
        level: 6,
        format: None,
        threads: 1,
        output: None,
        files: Vec::new(),
        help: false,
        version: false,
        dict: None,
        train: false,
        maxdict: 112_640,
        long: None,
        memory: None,
        extreme: false,
        ultra: false,
        block_size: None,
    };
    let mut it = argv.iter();
    let mut only_files = false;
    while let Some(arg) = it.next() {
        if only_files || arg == "-" || !arg.starts_with('-') {
            a.files.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_files = true;
            continue;
        }
        if zstd_value(&mut a, arg)? {
            continue;
        }
        if let Some(rest) = arg.strip_prefix("--") {
            if let Some((flag, value)) = rest.split_once('=') {
                let flag = format!("--{flag}");
                if !takes_value(&flag) {
                    return Err(format!("option '{flag}' takes no value"));
                }
                set_value(&mut a, &flag, value)?;
            } else if takes_value(arg) {
                let value = it.next().ok_or(format!("option '{arg}' needs a value"))?;
                set_value(&mut a, arg, value)?;
            } else {
                long(&mut a, arg)?;
            }
            continue;
        }
        // Grouped short flags: -dc, -9k, -T2, -o out.gz
        let chars: Vec<char> = arg.chars().skip(1).collect();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            let flag = format!("-{c}");
            if takes_value(&flag) {
                let attached: String = chars.get(i + 1..).unwrap_or(&[]).iter().collect();
                let value = if attached.is_empty() {
                    it.next().cloned().ok_or(format!("option '{flag}' needs a value"))?
                } else {
                    attached
                };
                set_value(&mut a, &flag, &value)?;
                break;
            }
            short(&mut a, c)?;
            i += 1;
        }
    }
    if a.level > 19 && !a.ultra {
        return Err(format!("level {} needs --ultra", a.level));
    }
    if a.output.is_some() && a.files.len() > 1 && !a.train {
        return Err("-o needs exactly one input".into());
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Args, String> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_gzip_style_flags() {
        let a = p(&["-dc", "-T2", "--format=zlib", "a", "--", "-b"]).unwrap();
        assert_eq!((a.mode, a.stdout, a.threads, a.format.as_deref()), (Mode::Decompress, true, 2, Some("zlib")));
        assert_eq!(a.files, ["a", "-b"]);
        let a = p(&["-9k", "--level", "3", "-o", "x.gz", "-"]).unwrap();
        assert_eq!((a.level, a.keep, a.output.as_deref()), (3, true, Some("x.gz")));
        assert!(p(&["-x"]).is_err());
        assert!(p(&["--level", "23"]).is_err());
        assert!(p(&["-o", "x", "a", "b"]).is_err());
        assert!(p(&["-T"]).is_err());
        assert!(p(&["-T", "x"]).is_err());
        assert!(p(&["-T0"]).unwrap().threads >= 1);
        let a = p(&["-F", "zstd", "-T3", "--block-size=2MiB"]).unwrap();
        assert_eq!((a.threads, a.block_size), (3, Some(2 << 20)));
        assert!(p(&["--block-size=12"]).is_err());
        let a = p(&["-19", "-D", "d", "--long=30", "--memory=256MB", "a"]).unwrap();
        assert_eq!((a.level, a.dict.as_deref(), a.long, a.memory), (19, Some("d"), Some(30), Some(256 << 20)));
        assert!(p(&["--level", "21"]).is_err());
        assert_eq!(p(&["--ultra", "--level", "22"]).unwrap().level, 22);
        assert_eq!(p(&["--fast=5"]).unwrap().level, -5);
        assert!(p(&["--train", "a", "b", "-o", "d"]).unwrap().train);
    }
}
