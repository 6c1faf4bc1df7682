//! Writing files: atomically (a temporary file in the same folder, then a rename), never
//! touching a file whose contents are already right, and recording every file in
//! `manifest.json` with its SHA-256.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// The hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes `bytes` to `path` atomically: the file is either the old one or the whole new
/// one, never half-written. Parent folders are created. Returns whether the file changed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".xroad-share-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(true)
}

/// The output folder of one build: writes files under its root and remembers them.
#[derive(Debug)]
pub struct Output {
    root: PathBuf,
    files: BTreeMap<String, String>,
    changed: usize,
}

impl Output {
    /// An output folder.
    pub fn new(root: impl Into<PathBuf>) -> Output {
        Output {
            root: root.into(),
            files: BTreeMap::new(),
            changed: 0,
        }
    }

    /// Writes a file at `rel` (with `/` separators) under the root.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(rel);
        if write_atomic(&path, bytes)? {
            self.changed += 1;
        }
        self.files.insert(rel.to_string(), sha256_hex(bytes));
        Ok(())
    }

    /// Records a file that another step (such as a PDF compile) wrote at `rel`.
    pub fn record(&mut self, rel: &str, changed: bool) -> Result<()> {
        let path = self.path(rel);
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
        if changed {
            self.changed += 1;
        }
        self.files.insert(rel.to_string(), sha256_hex(&bytes));
        Ok(())
    }

    /// The full path of `rel`.
    pub fn path(&self, rel: &str) -> PathBuf {
        rel.split('/')
            .fold(self.root.clone(), |p, part| p.join(part))
    }

    /// How many files were new or changed.
    pub fn changed(&self) -> usize {
        self.changed
    }

    /// Writes `manifest.json`: the tool and version, the input's name and SHA-256, and every
    /// file with its SHA-256, sorted, without timestamps so that it is reproducible.
    pub fn write_manifest(&mut self, input_name: &str, input_sha256: &str) -> Result<()> {
        let manifest = serde_json::json!({
            "tool": env!("CARGO_PKG_NAME"),
            "version": env!("CARGO_PKG_VERSION"),
            "input": { "name": input_name, "sha256": input_sha256 },
            "files": self.files.iter().map(|(p, h)| serde_json::json!({"path": p, "sha256": h})).collect::<Vec<_>>(),
        });
        let mut text =
            serde_json::to_string_pretty(&manifest).context("cannot serialise the manifest")?;
        text.push('\n');
        let path = self.path("manifest.json");
        if write_atomic(&path, text.as_bytes())? {
            self.changed += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_skips_identical() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.txt");
        assert!(write_atomic(&p, b"one").unwrap());
        assert!(!write_atomic(&p, b"one").unwrap());
        assert!(write_atomic(&p, b"two").unwrap());
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("a"))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("b.txt")]);
    }
}
