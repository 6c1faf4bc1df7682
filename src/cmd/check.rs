//! `check [FILE]`: parse and validate, print every diagnostic, write nothing.

use super::{Failure, Ui, find_input, load_checked, summary};
use crate::cli::CheckArgs;
use crate::{Exit, Io};

/// Runs `check`.
pub fn run(args: &CheckArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let path = find_input(args.file.as_deref())?;
    let checked = load_checked(&path, args.final_mode, io, ui)?;
    ui.notice(
        io,
        summary(
            &checked.path.display().to_string(),
            0,
            checked.warnings.len(),
        ),
    );
    Ok(Exit::Success)
}
