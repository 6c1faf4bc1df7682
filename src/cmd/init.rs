//! `init [DIR|FILE]`: write a commented starter `sharing.toml` (or the `.toml` file named)
//! and the JSON Schema beside it for editors, never over an existing file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{Failure, INPUT_NAME, Ui};
use crate::cli::InitArgs;
use crate::{Exit, Io};

/// The starter file: a complete, commented arrangement that passes `check`.
pub const STARTER: &str = include_str!("starter.toml");

/// The name of the schema file that `init` writes beside the input.
pub const SCHEMA_NAME: &str = "xroad-share.schema.json";

/// The first line of a file that `init` writes: tells TOML editors (taplo, tombi) where
/// the schema is.
pub fn schema_line() -> String {
    format!("#:schema ./{SCHEMA_NAME}\n")
}

/// Runs `init`.
pub fn run(args: &InitArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let path = target(&args.path);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))
        .map_err(Failure::Render)?;
    let text = format!("{}{STARTER}", schema_line());
    match create_new(&path, text.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Failure::Usage(anyhow::anyhow!(
                "`{}` already exists; init never overwrites a file (remove it or choose another folder)",
                path.display()
            )));
        }
        Err(e) => {
            return Err(Failure::Render(
                anyhow::Error::new(e).context(format!("cannot write `{}`", path.display())),
            ));
        }
    }
    let schema_path = dir.join(SCHEMA_NAME);
    let schema = crate::model::json_schema();
    match create_new(&schema_path, schema.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if std::fs::read_to_string(&schema_path).ok().as_deref() != Some(schema.as_str()) {
                ui.notice(
                    io,
                    format!(
                        "notice: kept the existing `{}`; `xroad-share schema > {}` brings it up to date",
                        schema_path.display(),
                        schema_path.display()
                    ),
                );
            }
        }
        Err(e) => {
            return Err(Failure::Render(
                anyhow::Error::new(e).context(format!("cannot write `{}`", schema_path.display())),
            ));
        }
    }
    // In the current folder, `check` finds the file by itself.
    let next = if path == Path::new(".").join(INPUT_NAME) {
        "xroad-share check".to_string()
    } else {
        format!("xroad-share check {}", path.display())
    };
    ui.notice(
        io,
        format!(
            "wrote `{}` and `{}`; next: {next}",
            path.display(),
            schema_path.display()
        ),
    );
    Ok(Exit::Success)
}

/// The file `init PATH` writes: PATH itself when it ends in `.toml`, else `PATH/sharing.toml`.
fn target(path: &Path) -> PathBuf {
    if path.extension().is_some_and(|e| e == "toml") && !path.is_dir() {
        path.to_path_buf()
    } else {
        path.join(INPUT_NAME)
    }
}

/// Writes a new file; `create_new` refuses atomically when it exists, so nothing is ever
/// overwritten. A failed write leaves no file behind.
fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .inspect_err(|_| {
            let _ = std::fs::remove_file(path);
        })
}
