//! `done [FILE] MEMBER PHASE [--date D] [--force]`: record a phase as done in the member's
//! `[members.progress]`, changing only that line of the file (src/tomledit.rs).

use super::{Failure, Ui, find_input, load_checked};
use crate::cli::DoneArgs;
use crate::diagnostic::nearest;
use crate::tomledit::{Edit, Editor, Overwrite};
use crate::{Exit, Io, phases};

/// Runs `done`.
pub fn run(args: &DoneArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let (file, member_id, phase) = match args.args.as_slice() {
        [member, phase] => (None, member, phase),
        [file, member, phase] => (Some(std::path::Path::new(file)), member, phase),
        _ => {
            return Err(Failure::Usage(anyhow::anyhow!(
                "`done` takes [FILE] MEMBER PHASE"
            )));
        }
    };
    let path = find_input(file)?;
    let checked = load_checked(&path, false, io, ui)?;
    let member = super::status::member(&checked.arrangement, member_id)?;
    let ids = phases::all_ids(&member.instances());
    if !ids.iter().any(|i| i == phase) {
        let hint = match nearest(phase, ids.iter().map(String::as_str)) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!("its phases: {}", ids.join(", ")),
        };
        return Err(Failure::Usage(anyhow::anyhow!(
            "member `{member_id}` has no phase `{phase}`; {hint}"
        )));
    }
    let date = args.date.unwrap_or_else(super::today);
    let overwrite = if args.force {
        Overwrite::Always
    } else {
        Overwrite::Never
    };
    let mut editor = Editor::parse(&path, &checked.source).map_err(Failure::Input)?;
    let edit = editor
        .set_progress(member_id, phase, date, overwrite)
        .map_err(|e| Failure::Render(anyhow::Error::new(e)))?;
    let name = path.display();
    match edit {
        Edit::AlreadySet(old) if old == date => {
            ui.notice(
                io,
                format!("`{phase}` of `{member_id}` is already recorded as done on {old}"),
            );
        }
        Edit::AlreadySet(old) => {
            ui.notice(
                io,
                format!(
                    "notice: `{phase}` of `{member_id}` is already recorded as done on {old}; nothing changed (`--force` replaces the date)"
                ),
            );
        }
        Edit::Changed { previous } => {
            let base = path.parent().unwrap_or(std::path::Path::new("."));
            still_valid(&editor.text(), base).map_err(Failure::Render)?;
            editor.save().map_err(Failure::Render)?;
            let was = previous.map(|p| format!(" (was {p})")).unwrap_or_default();
            ui.notice(
                io,
                format!("recorded `{phase}` of `{member_id}` as done on {date}{was} in `{name}`"),
            );
        }
    }
    Ok(Exit::Success)
}

/// Fails when the edited text has an error that the original did not: the edit must never
/// leave a file that `check` refuses.
pub(super) fn still_valid(text: &str, base: &std::path::Path) -> anyhow::Result<()> {
    let checked = crate::check::check_source(text, base, crate::check::Options::default());
    let errors: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    match errors.first() {
        None => Ok(()),
        Some(e) => anyhow::bail!("the edit would make the file invalid ({e}); nothing was written"),
    }
}
