//! `completions SHELL` and `manpage`: generated from the clap definition of the command
//! line, so that they never disagree with `--help`.

use clap::CommandFactory;

use super::Failure;
use crate::cli::{Cli, CompletionsArgs};
use crate::{Exit, Io};

/// Runs `completions`: the completion script for the shell on standard output.
pub fn completions(args: &CompletionsArgs, io: &mut Io<'_>) -> Result<Exit, Failure> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "xroad-share", &mut buf);
    io.out.write_all(&buf).map_err(|e| {
        Failure::Render(anyhow::Error::new(e).context("cannot write the completion script"))
    })?;
    Ok(Exit::Success)
}

/// Runs `manpage`: the roff manual page (name, synopsis, description, options, the
/// subcommands and the version) on standard output.
pub fn manpage(io: &mut Io<'_>) -> Result<Exit, Failure> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| Failure::Render(anyhow::Error::new(e)))?;
    io.out.write_all(&buf).map_err(|e| {
        Failure::Render(anyhow::Error::new(e).context("cannot write the manual page"))
    })?;
    Ok(Exit::Success)
}
