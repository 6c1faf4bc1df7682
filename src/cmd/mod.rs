//! One module per subcommand; orchestration only.

mod build;
mod check;
mod init;
mod renewals;
mod schema;
mod status;
mod sync;
mod templates;

use std::path::{Path, PathBuf};

use crate::arrangement::Arrangement;
use crate::cli::Command;
use crate::diagnostic::{self, Diagnostic, Report};
use crate::{Exit, Io, load, validate};

/// Runs one subcommand.
pub fn run(command: Command, io: &mut Io<'_>) -> Exit {
    let result = match command {
        Command::Init(args) => init::run(&args, io),
        Command::Check(args) => check::run(&args, io),
        Command::Build(args) => build::run(&args, io),
        Command::Status(args) => status::run(&args, io),
        Command::Renewals(args) => renewals::run(&args, io),
        Command::Schema => schema::run(io),
        Command::Templates(args) => templates::run(&args, io),
        Command::Sync(args) => sync::run(&args, io),
    };
    match result {
        Ok(exit) => exit,
        Err(failure) => failure.report(io),
    }
}

/// Why a command stopped.
#[derive(Debug)]
pub enum Failure {
    /// The input is invalid; its diagnostics were already printed.
    Invalid,
    /// The input could not be read or another input-side problem.
    Input(anyhow::Error),
    /// A usage problem (arguments that clap could not judge).
    Usage(anyhow::Error),
    /// Rendering or writing failed.
    Render(anyhow::Error),
}

impl Failure {
    fn report(self, io: &mut Io<'_>) -> Exit {
        let (exit, error) = match self {
            Failure::Invalid => return Exit::Invalid,
            Failure::Input(e) => (Exit::Invalid, e),
            Failure::Usage(e) => (Exit::Usage, e),
            Failure::Render(e) => (Exit::Render, e),
        };
        print_error(io, &error);
        exit
    }
}

/// Prints an error with its whole cause chain, like mdBook's `Caused by:`.
pub fn print_error(io: &mut Io<'_>, error: &anyhow::Error) {
    let _ = writeln!(io.err, "error: {error}");
    for cause in error.chain().skip(1) {
        let _ = writeln!(io.err, "  caused by: {cause}");
    }
}

/// An input file that passed validation, with its warnings.
pub struct Checked {
    /// The path as the user gave it.
    pub path: PathBuf,
    /// The file's text.
    pub source: String,
    /// The checked model.
    pub arrangement: Arrangement,
    /// Warnings (no errors, or loading would have failed).
    pub warnings: Vec<Diagnostic>,
}

/// Reads, parses and validates `path`; prints every diagnostic to stderr. Fails with
/// [`Failure::Invalid`] when there is an error.
pub fn load_checked(path: &Path, final_mode: bool, io: &mut Io<'_>) -> Result<Checked, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::Input(anyhow::Error::new(e).context(format!("cannot read `{}`", path.display())))
    })?;
    let name = path.display().to_string();
    let source = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let d = Diagnostic::error(
                "encoding",
                offset..offset + 1,
                "the file is not valid UTF-8",
            )
            .with_help("save the file as UTF-8");
            print_diagnostics(io, &name, &text, &[d]);
            return Err(Failure::Invalid);
        }
    };
    let loaded = load::load(&source);
    let mut diagnostics = loaded.diagnostics;
    let input = loaded.input;
    let mut facts = Vec::new();
    if let Some(input) = &input {
        diagnostics.extend(validate::validate(input, validate::Options { final_mode }));
        let base = path.parent().unwrap_or(Path::new("."));
        let (file_diagnostics, f) = crate::certs::check_files(input, base);
        diagnostics.extend(file_diagnostics);
        diagnostics.extend(crate::sync::config::check(input, base).0);
        facts = f;
    }
    diagnostic::sort(&mut diagnostics);
    print_diagnostics(io, &name, &source, &diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    match input {
        Some(input) if errors == 0 => {
            let mut arrangement = Arrangement::from_input(&input, final_mode);
            crate::certs::apply(&mut arrangement, &facts);
            Ok(Checked {
                path: path.to_path_buf(),
                source,
                arrangement,
                warnings: diagnostics,
            })
        }
        _ => {
            let warnings = diagnostics.len() - errors;
            let _ = writeln!(io.err, "{}", summary(&name, errors, warnings));
            Err(Failure::Invalid)
        }
    }
}

fn print_diagnostics(io: &mut Io<'_>, name: &str, source: &str, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let text = Report::new(name, source).render(diagnostics, io.color);
    let _ = io.err.write_all(text.as_bytes());
}

/// A one-line summary such as "`x.toml`: 2 errors, 1 warning".
pub fn summary(name: &str, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    if errors > 0 {
        format!(
            "`{name}` is invalid: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    } else {
        format!("`{name}` is valid: {}", plural(warnings, "warning"))
    }
}

/// Today's date in the system's time zone: used only by commands that ask "as of today"
/// (`status`, `renewals`), never in rendering.
pub fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}
