//! One module per subcommand; orchestration only.

pub mod build;
mod check;
mod completions;
mod done;
mod init;
mod renewals;
mod schema;
mod serve;
mod status;
mod sync;
mod templates;

use std::path::{Path, PathBuf};

use crate::arrangement::Arrangement;
use crate::cli::Command;
use crate::diagnostic::{Diagnostic, Report};
use crate::{Exit, Io};

/// How the user asked the commands to talk: the global options, and the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ui {
    /// `-q`: no warnings and no notices; errors are still shown.
    pub quiet: bool,
    /// `--allow`: warning codes to leave out.
    pub allow: Vec<String>,
    /// The width that tables on standard output must fit.
    pub width: usize,
    /// Whether progress bars may be drawn on standard error.
    pub progress: bool,
}

impl Ui {
    /// Prints a notice or a warning line on standard error, unless `-q` hides it.
    pub fn notice(&self, io: &mut Io<'_>, text: impl std::fmt::Display) {
        if !self.quiet {
            let _ = writeln!(io.err, "{}", crate::term::visible(&text.to_string()));
        }
    }
}

/// Runs one subcommand.
pub fn run(command: Command, io: &mut Io<'_>, ui: &Ui) -> Exit {
    let result = match command {
        Command::Init(args) => init::run(&args, io, ui),
        Command::Check(args) => check::run(&args, io, ui),
        Command::Build(args) => build::run(&args, io, ui),
        Command::Serve(args) => serve::run(&args, io, ui),
        Command::Done(args) => done::run(&args, io, ui),
        Command::Status(args) => status::run(&args, io, ui),
        Command::Renewals(args) => renewals::run(&args, io, ui),
        Command::Schema => schema::run(io),
        Command::Templates(args) => templates::run(&args, io, ui),
        Command::Completions(args) => completions::completions(&args, io),
        Command::Manpage => completions::manpage(io),
        Command::Sync(args) => sync::run(&args, io, ui),
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
    let _ = writeln!(
        io.err,
        "error: {}",
        crate::term::visible(&error.to_string())
    );
    for cause in error.chain().skip(1) {
        let _ = writeln!(
            io.err,
            "  caused by: {}",
            crate::term::visible(&cause.to_string())
        );
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

/// The name of the input file that commands look for when none is given.
pub const INPUT_NAME: &str = "sharing.toml";

/// The input file a command works on: `file` when it is a file; `file/sharing.toml` when
/// it is a folder; and when no file is given, `sharing.toml` in `cwd` or the nearest
/// parent folder that has one, as cargo finds `Cargo.toml`.
pub fn input_path(file: Option<&Path>, cwd: &Path) -> Result<PathBuf, Failure> {
    match file {
        Some(f) if f.is_dir() => {
            let p = f.join(INPUT_NAME);
            if p.is_file() {
                Ok(p)
            } else {
                Err(Failure::Usage(anyhow::anyhow!(
                    "the folder `{}` has no `{INPUT_NAME}`\n  help: create one with `xroad-share init {}`",
                    f.display(),
                    f.display()
                )))
            }
        }
        Some(f) => Ok(f.to_path_buf()),
        None => {
            for dir in cwd.ancestors() {
                let p = dir.join(INPUT_NAME);
                if p.is_file() {
                    // Shown relative to the current folder, as the user would type it.
                    return Ok(p.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or(p));
                }
            }
            Err(Failure::Usage(anyhow::anyhow!(
                "no `{INPUT_NAME}` in `{}` or any parent folder\n  help: name the input file, or create one with `xroad-share init`",
                cwd.display()
            )))
        }
    }
}

/// [`input_path`] from the process's current folder.
pub fn find_input(file: Option<&Path>) -> Result<PathBuf, Failure> {
    let cwd = std::env::current_dir().map_err(|e| {
        Failure::Usage(anyhow::Error::new(e).context("cannot read the current folder"))
    })?;
    input_path(file, &cwd)
}

/// Reads `path` and checks it with [`crate::check::check_source_allowing`]; prints every
/// diagnostic to stderr (warnings only without `-q`, and without the codes that `--allow` or
/// the file's `[lints] allow` name). Fails with [`Failure::Invalid`] when there is an error.
pub fn load_checked(
    path: &Path,
    final_mode: bool,
    io: &mut Io<'_>,
    ui: &Ui,
) -> Result<Checked, Failure> {
    let options = crate::check::Options {
        final_mode,
        ..Default::default()
    };
    load_checked_with(path, options, io, ui)
}

/// [`load_checked`] with every option, e.g. the languages `build` writes.
pub fn load_checked_with(
    path: &Path,
    options: crate::check::Options,
    io: &mut Io<'_>,
    ui: &Ui,
) -> Result<Checked, Failure> {
    let bytes = crate::output::read_bounded(path, crate::output::MAX_INPUT_FILE).map_err(|e| {
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
    let base = path.parent().unwrap_or(Path::new("."));
    let mut checked = crate::check::check_source_allowing(&source, base, options, &ui.allow);
    let errors = checked.errors();
    let warnings = checked.diagnostics.len() - errors;
    if ui.quiet {
        checked.diagnostics.retain(Diagnostic::is_error);
    }
    print_diagnostics(io, &name, &source, &checked.diagnostics);
    match checked.arrangement {
        Some(arrangement) => Ok(Checked {
            path: path.to_path_buf(),
            source,
            arrangement,
            warnings: checked.diagnostics,
        }),
        None => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_is_found_here_or_in_a_parent_folder() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        let nested = top.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert!(matches!(input_path(None, &nested), Err(Failure::Usage(_))));
        std::fs::write(top.join(INPUT_NAME), "").unwrap();
        assert_eq!(input_path(None, top).unwrap(), PathBuf::from(INPUT_NAME));
        assert_eq!(input_path(None, &nested).unwrap(), top.join(INPUT_NAME));
        std::fs::write(top.join("a").join(INPUT_NAME), "").unwrap();
        assert_eq!(
            input_path(None, &nested).unwrap(),
            top.join("a").join(INPUT_NAME),
            "the nearest wins"
        );
        assert_eq!(
            input_path(Some(top), &nested).unwrap(),
            top.join(INPUT_NAME)
        );
        assert!(matches!(
            input_path(Some(&nested), top),
            Err(Failure::Usage(_))
        ));
        let named = top.join("other.toml");
        assert_eq!(input_path(Some(&named), top).unwrap(), named);
    }
}
