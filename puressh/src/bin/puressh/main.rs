//! `puressh`: the multi-call binary. `puressh ssh ...` and `puressh
//! keygen ...` run the client and the key tool; installed as links named
//! `ssh` or `ssh-keygen`, the program name picks the tool, as with
//! busybox.
//!
//! Modules: [`ssh`] (the client), [`keygen`] (OpenSSH's `ssh-keygen`
//! options), [`tty`] (passphrase prompts: the only `unsafe`, terminal
//! echo through libc, lives there and not in the library).

mod keygen;
mod ssh;
mod terminal;
mod tty;

use std::process::ExitCode;

const USAGE: &str = "usage: puressh ssh [options] [user@]host [command ...]\n       puressh keygen [options]";

/// The tool a program name selects (`ssh`, `ssh-keygen`, with any
/// directory in front), or `None` for the multi-call name itself.
fn tool_of_program(argv0: &str) -> Option<&'static str> {
    let name = argv0.rsplit('/').next().unwrap_or(argv0);
    match name {
        "ssh" => Some("ssh"),
        "ssh-keygen" => Some("keygen"),
        _ => None,
    }
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    let argv0 = if args.is_empty() { String::new() } else { args.remove(0) };
    let tool = match tool_of_program(&argv0) {
        Some(tool) => tool.to_owned(),
        None if args.is_empty() => {
            eprintln!("{USAGE}");
            return ExitCode::from(255);
        }
        None => args.remove(0),
    };
    match tool.as_str() {
        "ssh" => ssh::main(args),
        "keygen" | "ssh-keygen" => keygen::main(args),
        other => {
            eprintln!("puressh: unknown tool {other}\n{USAGE}");
            ExitCode::from(255)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tool_of_program;

    #[test]
    fn program_names_pick_the_tool() {
        assert_eq!(tool_of_program("/usr/bin/ssh"), Some("ssh"));
        assert_eq!(tool_of_program("ssh-keygen"), Some("keygen"));
        assert_eq!(tool_of_program("./target/puressh"), None);
        assert_eq!(tool_of_program("sshd"), None);
    }
}
