//! The `purecrypto` command-line tool: openssl-style subcommands.
//!
//! Entry point: `main`, which hands the arguments to
//! `purecrypto::cli::run` (the table of subcommands lives there).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(purecrypto::cli::run_std(&args));
}
