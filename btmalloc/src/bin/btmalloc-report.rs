//! `btmalloc-report FILE [N]`: prints the top `N` (default 10) call sites
//! of a `BTMALLOC_PROFILE` file by live bytes, by peak bytes and by
//! allocation count, symbolised through `addr2line` when it is installed.

use std::process::ExitCode;

use btmalloc::report::{self, Profile, Rank};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), n) = (args.first(), args.get(1)) else {
        eprintln!("usage: btmalloc-report FILE [N]");
        return ExitCode::from(2);
    };
    let Some(n) = n.map_or(Some(10), |n| n.parse().ok()) else {
        eprintln!("btmalloc-report: N must be a number");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("btmalloc-report: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let profile = match Profile::parse(&text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("btmalloc-report: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let symbols = report::have_addr2line().then(|| {
        let mut shown = Vec::new();
        for rank in [Rank::Live, Rank::Peak, Rank::Count] {
            shown.extend(profile.top(rank, n));
        }
        report::symbolise(&shown)
    });
    print!("{}", report::render(&profile, n, symbols.as_ref()));
    ExitCode::SUCCESS
}
