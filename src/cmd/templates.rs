//! `templates [--eject DIR]`: list the built-in templates, or copy them out.

use super::{Failure, Ui};
use crate::cli::TemplatesArgs;
use crate::templates::TemplateSet;
use crate::{Exit, Io};

/// Runs `templates`.
pub fn run(args: &TemplatesArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let set = TemplateSet::builtin();
    match &args.eject {
        None => {
            for (name, _) in set.list() {
                let _ = writeln!(io.out, "{name}");
            }
        }
        Some(dir) => {
            let (written, kept) = set.eject(dir).map_err(Failure::Render)?;
            for name in &kept {
                ui.notice(
                    io,
                    format!("kept `{}` (it exists)", dir.join(name).display()),
                );
            }
            ui.notice(
                io,
                format!(
                    "copied {} templates into `{}`; build with `--templates {}` to use them",
                    written.len(),
                    dir.display(),
                    dir.display()
                ),
            );
        }
    }
    Ok(Exit::Success)
}
