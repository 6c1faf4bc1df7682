//! `check FILE`: parse and validate, print every diagnostic, write nothing.

use super::{Failure, load_checked, summary};
use crate::cli::CheckArgs;
use crate::{Exit, Io};

/// Runs `check`.
pub fn run(args: &CheckArgs, io: &mut Io<'_>) -> Result<Exit, Failure> {
    let checked = load_checked(&args.file, args.final_mode, io)?;
    let _ = writeln!(
        io.err,
        "{}",
        summary(
            &checked.path.display().to_string(),
            0,
            checked.warnings.len()
        )
    );
    Ok(Exit::Success)
}
