//! The integration tests: one binary over the fixture folders in `tests/fixtures/`.
//!
//! Commands run in-process through `xroad_share::run`, with standard output and error
//! captured, exactly as a user would see them (without colour).

mod certificates;
mod cli;
mod diagnostics;
mod documents;
mod pdf;
mod robustness;
mod sync;

use std::ffi::OsString;

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
