//! `init [DIR]`: write a commented starter `sharing.toml`, never over an existing file.

use std::io::Write;

use anyhow::Context;

use super::Failure;
use crate::cli::InitArgs;
use crate::{Exit, Io};

/// The starter file: a complete, commented arrangement that passes `check`.
pub const STARTER: &str = include_str!("starter.toml");

/// Runs `init`.
pub fn run(args: &InitArgs, io: &mut Io<'_>) -> Result<Exit, Failure> {
    let path = args.dir.join("sharing.toml");
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create the folder `{}`", args.dir.display()))
        .map_err(Failure::Render)?;
    // `create_new` refuses atomically when the file exists, so nothing is ever overwritten.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Failure::Usage(anyhow::anyhow!(
                "`{}` already exists; init never overwrites a file (remove it or choose another folder)",
                path.display()
            )));
        }
        Err(e) => {
            return Err(Failure::Render(
                anyhow::Error::new(e).context(format!("cannot create `{}`", path.display())),
            ));
        }
    };
    file.write_all(STARTER.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write `{}`", path.display()))
        .map_err(|e| {
            let _ = std::fs::remove_file(&path);
            Failure::Render(e)
        })?;
    let _ = writeln!(
        io.err,
        "wrote `{}`; next: xroad-share check {}",
        path.display(),
        path.display()
    );
    Ok(Exit::Success)
}
