//! `xroad-share`: from one TOML file describing a shared X-Road security server to the
//! paperwork the organisations need.
//!
//! Data flows one way: file → [`model`] (via [`load`]) → [`validate`] → checked
//! [`arrangement`] → views → rendered documents → files on disk.

pub mod arrangement;
pub mod certs;
pub mod cli;
pub mod cmd;
pub mod diagnostic;
pub mod documents;
pub mod ical;
pub mod load;
pub mod model;
pub mod output;
pub mod phases;
pub mod register;
pub mod render;
pub mod renewals;
pub mod sync;
pub mod templates;
pub mod validate;
pub mod view;
pub mod x509;
pub mod xroad;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};

use clap::Parser;

/// The process exit codes of SPEC §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success, warnings allowed.
    Success = 0,
    /// The input is invalid; nothing was written.
    Invalid = 1,
    /// A usage error.
    Usage = 2,
    /// A rendering step failed.
    Render = 3,
    /// `renewals --fail-within`: something expires soon.
    Expiring = 4,
}

/// Where a command writes: standard output, standard error, and whether to use colour.
pub struct Io<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error: diagnostics, notices, progress.
    pub err: &'a mut dyn Write,
    /// Whether diagnostics may use ANSI colours.
    pub color: bool,
}

/// Runs the program with the process's real standard streams and returns the exit code.
pub fn main_with_args(args: impl IntoIterator<Item = OsString>) -> u8 {
    let color = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (mut out, mut err) = (io::stdout().lock(), io::stderr().lock());
    let code = run(
        args,
        &mut Io {
            out: &mut out,
            err: &mut err,
            color,
        },
    );
    let _ = out.flush();
    code as u8
}

/// Parses `args` (the first is the program name) and runs the command.
pub fn run(args: impl IntoIterator<Item = OsString>, io: &mut Io<'_>) -> Exit {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = if io.color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            return if e.use_stderr() {
                let _ = io.err.write_all(text.as_bytes());
                Exit::Usage
            } else {
                let _ = io.out.write_all(text.as_bytes());
                Exit::Success
            };
        }
    };
    cmd::run(cli.command, io)
}
