//! The CLI's transfer observer: `-v` trace lines on stderr (`*` info,
//! `>` request head, `<` response head), response heads into the output
//! for `-i`/`-I`, and into the `-D` file.
//!
//! Entry point: [`CliObserver`].

use std::io::Write;

use super::output::Sink;
use crate::http1::response::ResponseHead;
use crate::transfer::Observer;

/// Where `-D` writes.
#[derive(Debug)]
pub(crate) enum Dump {
    Stdout,
    File(std::fs::File),
}

/// Observer for one transfer of the CLI.
pub(crate) struct CliObserver<'a> {
    pub(crate) verbose: bool,
    /// `--trace`: info lines go there as `== Info:` blocks.
    pub(crate) trace: Option<crate::trace::Tracer>,
    pub(crate) include: bool,
    pub(crate) stdout: &'a mut dyn Write,
    pub(crate) stderr: &'a mut dyn Write,
    pub(crate) sink: &'a mut Sink,
    pub(crate) dump: Option<&'a mut Dump>,
    /// First write error to the output (reported as exit 23 afterwards).
    pub(crate) write_error: Option<std::io::Error>,
}

/// Writes each line of `raw` to `out` with `prefix` (trace output is best
/// effort: a closed stderr does not fail a transfer).
fn prefixed(out: &mut dyn Write, prefix: &str, raw: &[u8]) {
    for line in raw.split_inclusive(|&b| b == b'\n') {
        let _ = out.write_all(prefix.as_bytes());
        let _ = out.write_all(line);
    }
}

impl Observer for CliObserver<'_> {
    fn info(&mut self, text: &str) {
        if self.verbose {
            let _ = writeln!(self.stderr, "* {text}");
        }
        if let Some(t) = &self.trace {
            t.info(text);
        }
    }

    fn request_head(&mut self, raw: &[u8]) {
        if self.verbose {
            prefixed(self.stderr, "> ", raw);
        }
    }

    fn body_sent(&mut self, bytes: u64) {
        // curl announces the first piece of an upload; its upload buffer
        // is 64 KiB.
        if self.verbose && bytes > 0 {
            let _ = writeln!(self.stderr, "}} [{} bytes data]", bytes.min(64 * 1024));
        }
    }

    fn response_head(&mut self, head: &ResponseHead) {
        if self.verbose {
            prefixed(self.stderr, "< ", &head.raw);
        }
        if self.include {
            if let Err(e) = self.sink.write(self.stdout, &head.raw) {
                self.write_error.get_or_insert(e);
            }
        }
        match &mut self.dump {
            Some(Dump::Stdout) => {
                let _ = self.stdout.write_all(&head.raw);
            }
            Some(Dump::File(f)) => {
                let _ = f.write_all(&head.raw);
            }
            None => {}
        }
    }
}
