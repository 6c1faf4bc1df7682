//! `xroad-share`: from one TOML file describing a shared X-Road security server to the
//! paperwork the organisations need.
//!
//! Data flows one way: file → [`model`] (via [`load`]) → [`validate`] → checked
//! [`arrangement`] → views → rendered documents → files on disk. [`check`] is the one call
//! from a file's text to the checked arrangement.

pub mod arrangement;
pub mod certs;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod codes;
pub mod diagnostic;
pub mod documents;
pub mod ical;
pub mod lints;
pub mod load;
pub mod model;
pub mod output;
pub mod phases;
pub mod plan;
pub mod register;
pub mod render;
pub mod renewals;
pub mod schema;
pub mod sync;
pub mod templates;
pub mod term;
pub mod text;
pub mod tomledit;
pub mod validate;
pub mod view;
pub mod words;
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

/// What the program found out about its terminal, at the edge, for the commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    /// The width for tables on standard output: `COLUMNS`, else the terminal's width when
    /// standard output is one; `None` means the fixed width of piped output.
    pub width: Option<usize>,
    /// Whether standard error is a terminal, so that progress bars may be drawn there.
    pub progress: bool,
}

impl Terminal {
    /// The process's terminal: `COLUMNS`, the size of standard output, and whether
    /// standard error is a terminal.
    pub fn detect() -> Terminal {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c > 0);
        let width = columns.or_else(|| {
            terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| usize::from(w.0))
        });
        Terminal {
            width,
            progress: io::stderr().is_terminal(),
        }
    }
}

/// Runs the program with the process's real standard streams and returns the exit code.
pub fn main_with_args(args: impl IntoIterator<Item = OsString>) -> u8 {
    let color = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (mut out, mut err) = (io::stdout(), io::stderr());
    let code = run_on(
        args,
        &mut Io {
            out: &mut out,
            err: &mut err,
            color,
        },
        Terminal::detect(),
    );
    let _ = out.flush();
    code as u8
}

/// Parses `args` (the first is the program name) and runs the command, as on a pipe.
pub fn run(args: impl IntoIterator<Item = OsString>, io: &mut Io<'_>) -> Exit {
    run_on(args, io, Terminal::default())
}

/// [`run`] on the given terminal.
pub fn run_on(
    args: impl IntoIterator<Item = OsString>,
    io: &mut Io<'_>,
    terminal: Terminal,
) -> Exit {
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
    io.color = match cli.global.color {
        cli::ColorChoice::Auto => io.color,
        cli::ColorChoice::Always => true,
        cli::ColorChoice::Never => false,
    };
    let ui = cmd::Ui {
        quiet: cli.global.quiet,
        allow: cli.global.allow,
        width: terminal.width.unwrap_or(term::PIPE_WIDTH),
        progress: terminal.progress && !cli.global.quiet,
    };
    cmd::run(cli.command, io, &ui)
}
