//! The integration tests: one binary over the fixture folders in `tests/fixtures/`.
//!
//! Commands run in-process through `xroad_share::run`, with standard output and error
//! captured, exactly as a user would see them (without colour).

mod admin;
mod agreement;
mod attacks;
mod certificates;
mod cli;
mod diagnostics;
mod documents;
mod fuzz;
mod numbering;
mod pdf;
mod print;
mod robustness;
mod site_scale;
mod sync;
mod workflow;

use std::ffi::OsString;
use std::path::Path;

use xroad_share::{Exit, Io};

/// What a command printed and how it ended.
pub struct Outcome {
    /// The exit code.
    pub exit: Exit,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `xroad-share` with `args` in-process.
pub fn run<I, S>(args: I) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let argv: Vec<OsString> = std::iter::once(OsString::from("xroad-share"))
        .chain(args.into_iter().map(Into::into))
        .collect();
    let exit = xroad_share::run(
        argv,
        &mut Io {
            out: &mut out,
            err: &mut err,
            color: false,
        },
    );
    Outcome {
        exit,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// Runs the `xroad-share` binary as a separate process in the folder `cwd`, with `env`
/// set (a `None` value removes the variable), for what needs a process of its own: the
/// current folder, the environment, the terminal width.
pub fn run_process(args: &[&str], cwd: &Path, env: &[(&str, Option<&str>)]) -> Outcome {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_xroad-share"));
    cmd.args(args).current_dir(cwd).env_remove("COLUMNS");
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let o = cmd.output().expect("the binary runs");
    let exit = match o.status.code() {
        Some(0) => Exit::Success,
        Some(1) => Exit::Invalid,
        Some(2) => Exit::Usage,
        Some(3) => Exit::Render,
        Some(4) => Exit::Expiring,
        other => panic!(
            "unexpected exit {other:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
    };
    Outcome {
        exit,
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The repository's root folder.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub use xroad_share::tomledit::changed_lines;
