//! Reading and ranking the files the call-site profiler writes
//! (`BTMALLOC_PROFILE`); the library half of the `btmalloc-report` binary.
//!
//! Entry points: [`Profile::parse`], [`Profile::top`], [`render`]. Parsing
//! is lenient about unknown lines (later format versions may add some) and
//! strict about the ones it knows: a malformed `site` line is an error
//! naming its line number, never a panic.
//!
//! Symbolisation runs `addr2line -f -C -e MODULE ADDR...` once per module
//! with each return address minus one (the call instruction, not the one
//! after it); without `addr2line` the report prints module + offset and
//! says so.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;

/// One call site's figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// Bytes allocated here and not yet freed.
    pub live: u64,
    /// Highest value `live` reached.
    pub peak: u64,
    /// Allocations made here.
    pub allocs: u64,
    /// Of those, how many were freed.
    pub frees: u64,
    /// Bytes allocated here over the whole run.
    pub bytes: u64,
    /// Return address relative to the module's load bias (absolute if the
    /// module is unknown).
    pub offset: u64,
    /// Path of the module holding the call site, `?` if unknown.
    pub module: String,
}

/// A parsed profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// Process id that wrote it.
    pub pid: u64,
    /// Totals: live, peak, allocations, frees.
    pub total: [u64; 4],
    /// Every site, in file order.
    pub sites: Vec<Site>,
}

/// What ranks [`Profile::top`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rank {
    /// Live bytes.
    Live,
    /// Peak live bytes.
    Peak,
    /// Allocation count.
    Count,
}

/// A profile file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub reason: &'static str,
}

impl core::fmt::Display for ParseError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ParseError {}

fn number(field: Option<&str>, line: usize, what: &'static str) -> Result<u64, ParseError> {
    field.and_then(|f| f.parse().ok()).ok_or(ParseError { line, reason: what })
}

impl Profile {
    /// Parses the text of a profile file.
    ///
    /// # Errors
    /// [`ParseError`] if the header is missing or a known line is malformed.
    pub fn parse(text: &str) -> Result<Profile, ParseError> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, "btmalloc-profile 1")) => {}
            _ => return Err(ParseError { line: 1, reason: "not a btmalloc profile (version 1)" }),
        }
        let mut p = Profile::default();
        for (i, line) in lines {
            let n = i + 1;
            let mut fields = line.splitn(2, ' ');
            let tag = fields.next().unwrap_or("");
            let rest = fields.next().unwrap_or("");
            match tag {
                "pid" => p.pid = number(Some(rest.trim()), n, "bad pid")?,
                "total" => {
                    let mut f = rest.split_whitespace();
                    for slot in &mut p.total {
                        *slot = number(f.next(), n, "bad total")?;
                    }
                }
                "site" => {
                    let mut f = rest.splitn(7, ' ');
                    let mut v = [0u64; 5];
                    for slot in &mut v {
                        *slot = number(f.next(), n, "bad site figure")?;
                    }
                    let offset = f
                        .next()
                        .and_then(|o| o.strip_prefix("0x"))
                        .and_then(|o| u64::from_str_radix(o, 16).ok())
                        .ok_or(ParseError { line: n, reason: "bad site offset" })?;
                    let module =
                        f.next().filter(|m| !m.is_empty()).ok_or(ParseError { line: n, reason: "no module" })?;
                    let [live, peak, allocs, frees, bytes] = v;
                    p.sites.push(Site { live, peak, allocs, frees, bytes, offset, module: module.to_owned() });
                }
                _ => {}
            }
        }
        Ok(p)
    }

    /// The `n` sites ranked highest by `rank` (ties by module, offset).
    #[must_use]
    pub fn top(&self, rank: Rank, n: usize) -> Vec<&Site> {
        let key = |s: &Site| match rank {
            Rank::Live => s.live,
            Rank::Peak => s.peak,
            Rank::Count => s.allocs,
        };
        let mut v: Vec<&Site> = self.sites.iter().filter(|s| key(s) > 0).collect();
        v.sort_by(|a, b| key(b).cmp(&key(a)).then_with(|| (&a.module, a.offset).cmp(&(&b.module, b.offset))));
        v.truncate(n);
        v
    }
}

/// Names for call sites: `(module, offset) -> "function at file:line"`.
pub type Symbols = BTreeMap<(String, u64), String>;

/// Whether `addr2line` can be run.
#[must_use]
pub fn have_addr2line() -> bool {
    Command::new("addr2line").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Symbolises `sites` through `addr2line`, one run per module. Sites whose
/// module cannot be read, or that `addr2line` cannot name, are left out.
#[must_use]
pub fn symbolise(sites: &[&Site]) -> Symbols {
    let mut by_module: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for s in sites {
        if s.module != "?" {
            by_module.entry(&s.module).or_default().push(s.offset);
        }
    }
    let mut out = Symbols::new();
    for (module, mut offsets) in by_module {
        offsets.sort_unstable();
        offsets.dedup();
        let Ok(o) = Command::new("addr2line")
            .args(["-f", "-C", "-e", module])
            .args(offsets.iter().map(|o| format!("{:#x}", o.saturating_sub(1))))
            .output()
        else {
            continue;
        };
        if !o.status.success() {
            continue;
        }
        let text = String::from_utf8_lossy(&o.stdout);
        let lines: Vec<&str> = text.lines().collect();
        for (offset, pair) in offsets.iter().zip(lines.chunks(2)) {
            let (func, place) = match pair {
                [f, p] => (*f, *p),
                _ => continue,
            };
            if func == "??" && place.starts_with("??") {
                continue;
            }
            let place = place.split(" (discriminator").next().unwrap_or(place);
            out.insert((module.to_owned(), *offset), format!("{func} at {place}"));
        }
    }
    out
}

/// The report: totals, then the top `n` sites by live bytes, by peak bytes
/// and by allocation count. `symbols` names the sites it can.
#[must_use]
pub fn render(p: &Profile, n: usize, symbols: Option<&Symbols>) -> String {
    let mut s = String::new();
    let [live, peak, allocs, frees] = p.total;
    let _ = writeln!(
        s,
        "btmalloc profile of pid {}: {live} B live, {peak} B peak, {allocs} allocations, {frees} frees",
        p.pid
    );
    if symbols.is_none() {
        let _ = writeln!(s, "(addr2line not available: sites shown as module + offset)");
    }
    for (rank, title) in [(Rank::Live, "live bytes"), (Rank::Peak, "peak bytes"), (Rank::Count, "allocations")] {
        let _ = writeln!(s, "\ntop {n} sites by {title}:");
        let _ = writeln!(s, "{:>12} {:>12} {:>10} {:>10}  site", "live B", "peak B", "allocs", "frees");
        for site in p.top(rank, n) {
            let name = symbols.and_then(|m| m.get(&(site.module.clone(), site.offset)));
            let _ = write!(s, "{:>12} {:>12} {:>10} {:>10}  ", site.live, site.peak, site.allocs, site.frees);
            match name {
                Some(name) => {
                    let _ = writeln!(s, "{name} ({}+{:#x})", site.module, site.offset);
                }
                None => {
                    let _ = writeln!(s, "{}+{:#x}", site.module, site.offset);
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "btmalloc-profile 1\npid 42\ntotal 1100 5100 115 105 \n\
        site 1000 1000 10 0 1000 0x1139 /bin/a b\n\
        site 0 4000 4 4 4000 0x1200 /bin/a b\n\
        site 100 100 101 100 4040 0x7f00 ?\nfuture-line x\n";

    #[test]
    fn parses_and_ranks() {
        let p = Profile::parse(SAMPLE).unwrap();
        assert_eq!(p.pid, 42);
        assert_eq!(p.total, [1100, 5100, 115, 105]);
        assert_eq!(p.sites.len(), 3);
        assert_eq!(p.sites[0].module, "/bin/a b", "module paths may hold spaces");
        assert_eq!(p.top(Rank::Live, 1)[0].offset, 0x1139);
        assert_eq!(p.top(Rank::Peak, 1)[0].offset, 0x1200);
        assert_eq!(p.top(Rank::Count, 1)[0].offset, 0x7f00);
        assert_eq!(p.top(Rank::Live, 10).len(), 2, "sites with nothing live are not ranked by live");
        let text = render(&p, 5, None);
        assert!(text.contains("addr2line not available"));
        assert!(text.contains("/bin/a b+0x1139"));
    }

    #[test]
    fn malformed_lines_are_errors() {
        assert_eq!(Profile::parse("hello").unwrap_err().line, 1);
        let bad = "btmalloc-profile 1\nsite 1 2 x 4 5 0x10 m\n";
        assert_eq!(Profile::parse(bad).unwrap_err(), ParseError { line: 2, reason: "bad site figure" });
        assert!(Profile::parse("btmalloc-profile 1\nsite 1 2 3 4 5 10 m\n").is_err());
        assert!(Profile::parse("btmalloc-profile 1\nsite 1 2 3 4 5 0x10\n").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn parse_never_panics(tail in ".{0,200}") {
            let _ = Profile::parse(&format!("btmalloc-profile 1\n{tail}"));
        }
    }
}
