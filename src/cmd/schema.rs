//! `schema`: print the JSON Schema of the input file, derived from the model types.

use super::Failure;
use crate::{Exit, Io};

/// Runs `schema`.
pub fn run(io: &mut Io<'_>) -> Result<Exit, Failure> {
    io.out
        .write_all(crate::model::json_schema().as_bytes())
        .map_err(|e| Failure::Render(anyhow::Error::new(e).context("cannot write the schema")))?;
    Ok(Exit::Success)
}
