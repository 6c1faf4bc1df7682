//! `templates [--eject DIR] [--sections]`: list the built-in templates, copy them out, or
//! list the agreement's section ids for `[[members.clauses]]`.

use super::{Failure, Ui};
use crate::cli::TemplatesArgs;
use crate::templates::TemplateSet;
use crate::{Exit, Io};

/// Runs `templates`.
pub fn run(args: &TemplatesArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let set = TemplateSet::builtin();
    if args.sections {
        for id in crate::documents::AGREEMENT_SECTIONS {
            let _ = writeln!(io.out, "{id}");
        }
        return Ok(Exit::Success);
    }
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
