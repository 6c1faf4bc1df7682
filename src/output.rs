//! Writing files: atomically (a temporary file in the same folder, then a rename), never
//! touching a file whose contents are already right, and recording every file in
//! `manifest.json` with its SHA-256.
//!
//! New files get the permissions the umask gives (0644 under umask 022), a file that is
//! replaced keeps its permissions. The previous build's manifest tells which files the
//! tool wrote: those that this build does not write are removed ([`Output::remove_stale`]),
//! and the keys of the parts of the build ([`Output::unit_key`]) let a rebuild skip what
//! cannot have changed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// The hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The largest certificate file that is read: 1 MiB.
pub const MAX_CERTIFICATE_FILE: u64 = 1 << 20;

/// The largest input file that is read: 16 MiB.
pub const MAX_INPUT_FILE: u64 = 16 << 20;

/// Reads a regular file of at most `limit` bytes. A FIFO, a device, a folder or a larger
/// file is an error, never a hang or an unbounded read: the file's type is checked before it
/// is opened, it is opened without blocking (on Unix), checked again once open, and read
/// through a bounded `take`.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    let not_regular = || Error::new(ErrorKind::InvalidInput, "not a regular file");
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let too_large = || {
        Error::new(
            ErrorKind::InvalidData,
            format!("larger than {}", human_size(limit)),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A size in bytes for messages, e.g. `1 MiB`.
fn human_size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Writes `bytes` to `path` atomically: the file is either the old one or the whole new
/// one, never half-written. Parent folders are created. Returns whether the file changed.
///
/// A symbolic link, a FIFO, a device or a folder at `path` is never read or written through:
/// that is an error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.is_file() {
            anyhow::bail!(
                "refusing to write `{}`: it is {}, not a regular file",
                path.display(),
                kind_of(&meta)
            );
        }
        if read_bounded(path, bytes.len() as u64).is_ok_and(|old| old == bytes) {
            return Ok(false);
        }
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    let mut tmp = temp_file(dir, path)?;
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

/// What a file system entry is, for messages.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_symlink() {
        return "a symbolic link";
    }
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// The name of the lock file that one build holds in its output folder.
pub const LOCK_FILE: &str = ".xroad-share.lock";

/// Checks that `root` can be an output folder for the input file `input`: not the file
/// system's root, not an existing file, and not the input's own folder (where the documents
/// would mix with the input and its certificates). The message says which.
pub fn check_root(root: &Path, input: &Path) -> std::result::Result<(), String> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let resolved = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| absolute(p));
    let out = resolved(root);
    if out.parent().is_none() {
        return Err(format!(
            "`--out {}` is the root of the file system; name a folder of its own",
            root.display()
        ));
    }
    if out.exists() && !out.is_dir() {
        return Err(format!(
            "`--out {}` is a file, not a folder",
            root.display()
        ));
    }
    let input_dir = resolved(&absolute(input))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    if out == input_dir {
        return Err(format!(
            "`--out {}` is the folder of the input file; name a folder of its own, such as `output`",
            root.display()
        ));
    }
    Ok(())
}

/// The temporary file next to `path` that becomes it: created with mode 0666 less the
/// umask (as any new file), or with the permissions of the file it replaces, so that a
/// rebuild never tightens them.
fn temp_file(dir: &Path, path: &Path) -> Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".xroad-share-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
    if let Ok(old) = std::fs::symlink_metadata(path)
        && old.is_file()
    {
        std::fs::set_permissions(tmp.path(), old.permissions())
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    Ok(tmp)
}

/// A file written by [`Output::put`], to be recorded with [`Output::note`].
#[derive(Debug, Clone)]
pub struct Written {
    /// Its path relative to the output root.
    pub rel: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Whether it was new or changed.
    pub changed: bool,
}

/// What the previous build recorded in `manifest.json`.
#[derive(Debug, Default)]
struct Previous {
    /// Every file it wrote, with its SHA-256.
    files: BTreeMap<String, String>,
    /// The key of every part of that build.
    units: BTreeMap<String, String>,
}

impl Previous {
    /// The previous manifest under `root`; nothing when there is none or it cannot be read.
    fn read(root: &Path) -> Previous {
        let Ok(text) = std::fs::read_to_string(root.join("manifest.json")) else {
            return Previous::default();
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            return Previous::default();
        };
        let files = json["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| Some((f["path"].as_str()?, f["sha256"].as_str()?)))
            .filter(|(p, _)| safe_rel(p))
            .map(|(p, h)| (p.to_string(), h.to_string()))
            .collect();
        let units = json["units"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        Previous { files, units }
    }
}

/// Whether `rel` is a plain relative path below the root: `/`-separated names, none empty,
/// `.` or `..`, no backslash, not the manifest itself.
fn safe_rel(rel: &str) -> bool {
    rel != "manifest.json"
        && !rel.contains('\\')
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// What [`Output::remove_stale`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stale {
    /// Files removed.
    pub removed: usize,
    /// Files of the previous build changed by hand since, and therefore kept.
    pub kept: Vec<String>,
}

/// The output folder of one build: writes files under its root and remembers them.
#[derive(Debug)]
pub struct Output {
    root: PathBuf,
    files: BTreeMap<String, String>,
    changed: usize,
    previous: Previous,
    units: BTreeMap<String, String>,
}

impl Output {
    /// An output folder; the manifest of the build before, if any, is read.
    pub fn new(root: impl Into<PathBuf>) -> Output {
        let root = root.into();
        Output {
            previous: Previous::read(&root),
            root,
            files: BTreeMap::new(),
            changed: 0,
            units: BTreeMap::new(),
        }
    }

    /// Takes the output folder for this build: creates it, holds an exclusive lock on its
    /// lock file (a second build into the same folder fails at once, naming the folder), and
    /// removes the temporary files (`.xroad-share-*.tmp`) that a killed build left. The lock
    /// lasts as long as the returned file is open.
    pub fn lock(&self) -> Result<std::fs::File> {
        std::fs::create_dir_all(&self.root)
            .with_context(|| format!("cannot create the folder `{}`", self.root.display()))?;
        let path = self.root.join(LOCK_FILE);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            anyhow::bail!(
                "refusing to use `{}`: it is not a regular file",
                path.display()
            );
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot create the lock file `{}`", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "another build is writing into `{}`; wait for it to finish, or build into another folder",
                self.root.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(
                    anyhow::Error::new(e).context(format!("cannot lock `{}`", path.display()))
                );
            }
        }
        remove_stale_temporaries(&self.root);
        Ok(file)
    }

    /// Keeps the entries of the previous `manifest.json` whose files are still there
    /// unchanged and that this build did not write (after a failed rebuild, say, the PDFs
    /// of the previous build stay listed).
    pub fn keep_previous(&mut self) {
        let Ok(text) = read_bounded(&self.path("manifest.json"), MAX_INPUT_FILE) else {
            return;
        };
        let Ok(old) = serde_json::from_slice::<serde_json::Value>(&text) else {
            return;
        };
        for entry in old["files"].as_array().into_iter().flatten() {
            let (Some(rel), Some(hash)) = (entry["path"].as_str(), entry["sha256"].as_str()) else {
                continue;
            };
            if self.files.contains_key(rel) || self.checked_path(rel).is_err() {
                continue;
            }
            if read_bounded(&self.path(rel), 1 << 30).is_ok_and(|b| sha256_hex(&b) == hash) {
                self.files.insert(rel.to_string(), hash.to_string());
            }
        }
    }

    /// The full path of `rel`, checked: no part below the root is a symbolic link (nothing
    /// is written through a link out of the output folder), `..` and absolute parts refused.
    pub fn checked_path(&self, rel: &str) -> Result<PathBuf> {
        let mut path = self.root.clone();
        for part in rel.split('/') {
            if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
                anyhow::bail!("refusing the output path `{rel}`");
            }
            path.push(part);
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                anyhow::bail!(
                    "refusing to write through the symbolic link `{}` in the output folder",
                    path.display()
                );
            }
        }
        Ok(path)
    }

    /// Writes a file at `rel` (with `/` separators) under the root.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let w = self.put(rel, bytes)?;
        self.note(w);
        Ok(())
    }

    /// Writes a file at `rel` without recording it (several threads may write at once);
    /// [`Output::note`] records it.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<Written> {
        let changed = write_atomic(&self.checked_path(rel)?, bytes)?;
        Ok(Written {
            rel: rel.to_string(),
            sha256: sha256_hex(bytes),
            changed,
        })
    }

    /// Records a file written by [`Output::put`].
    pub fn note(&mut self, w: Written) {
        if w.changed {
            self.changed += 1;
        }
        self.files.insert(w.rel, w.sha256);
    }

    /// Records a file that another step (such as a PDF compile) wrote at `rel`.
    pub fn record(&mut self, rel: &str, changed: bool) -> Result<()> {
        let path = self.checked_path(rel)?;
        let bytes = read_bounded(&path, 1 << 30)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
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

    /// Whether no file was written (or kept) by this build.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// How many files were new or changed.
    pub fn changed(&self) -> usize {
        self.changed
    }

    /// The key that the previous build recorded for the part `unit` of the build.
    pub fn unit_key(&self, unit: &str) -> Option<&str> {
        self.previous.units.get(unit).map(String::as_str)
    }

    /// Records the key of the part `unit` of this build, for the next build.
    pub fn set_unit_key(&mut self, unit: &str, key: String) {
        self.units.insert(unit.to_string(), key);
    }

    /// The files of the previous build under the folder `prefix` (ending in `/`), to be
    /// kept as they are ([`Output::note`]) when every one is still a regular file; None when
    /// one is missing, or there are none.
    pub fn previous_under(&self, prefix: &str) -> Option<Vec<Written>> {
        self.still_there(
            self.previous
                .files
                .range(prefix.to_string()..)
                .take_while(|(p, _)| p.starts_with(prefix)),
        )
    }

    /// The files of the previous build that `keep` selects, as [`Output::previous_under`].
    pub fn previous_matching(&self, keep: impl Fn(&str) -> bool) -> Option<Vec<Written>> {
        self.still_there(self.previous.files.iter().filter(|(p, _)| keep(p)))
    }

    fn still_there<'f>(
        &self,
        files: impl Iterator<Item = (&'f String, &'f String)>,
    ) -> Option<Vec<Written>> {
        let mut out = Vec::new();
        for (rel, sha) in files {
            if !std::fs::symlink_metadata(self.path(rel)).is_ok_and(|m| m.file_type().is_file()) {
                return None;
            }
            out.push(Written {
                rel: rel.clone(),
                sha256: sha.clone(),
                changed: false,
            });
        }
        (!out.is_empty()).then_some(out)
    }

    /// After a failed build: keeps recording the previous build's files that this one did
    /// not get to, so that a later build still knows the tool wrote them.
    pub fn carry_previous(&mut self) {
        for (p, h) in &self.previous.files {
            self.files.entry(p.clone()).or_insert_with(|| h.clone());
        }
    }

    /// Removes the files that the previous build wrote and this one did not, and the
    /// folders left empty by that. Only regular files are removed, reached through real
    /// folders (no symbolic links), and only when their contents are still what the tool
    /// wrote: a file changed by hand since, and any file the tool never wrote, stay.
    pub fn remove_stale(&mut self) -> Result<Stale> {
        let mut stale = Stale::default();
        let gone: Vec<(String, String)> = self
            .previous
            .files
            .iter()
            .filter(|(p, _)| !self.files.contains_key(*p))
            .map(|(p, h)| (p.clone(), h.clone()))
            .collect();
        for (rel, sha) in gone {
            let path = self.path(&rel);
            if !self.plain_path(&rel) {
                continue;
            }
            match std::fs::read(&path) {
                Ok(bytes) if sha256_hex(&bytes) == sha => {}
                Ok(_) => {
                    stale.kept.push(rel);
                    continue;
                }
                Err(_) => continue,
            }
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove the stale file `{}`", path.display()))?;
            stale.removed += 1;
            let mut dir = path.parent();
            while let Some(d) = dir {
                if d == self.root || !d.starts_with(&self.root) || std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        Ok(stale)
    }

    /// Whether `rel` names a regular file reached through folders that are not symbolic
    /// links.
    fn plain_path(&self, rel: &str) -> bool {
        let mut p = self.root.clone();
        let parts: Vec<&str> = rel.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            p.push(part);
            let Ok(m) = std::fs::symlink_metadata(&p) else {
                return false;
            };
            let last = i + 1 == parts.len();
            if (last && !m.file_type().is_file()) || (!last && !m.file_type().is_dir()) {
                return false;
            }
        }
        true
    }

    /// Writes `manifest.json`: the tool and version, the input's name and SHA-256, every
    /// file with its SHA-256, sorted, and the keys of the build's parts (for the next
    /// build to skip what did not change), without timestamps so that it is reproducible.
    pub fn write_manifest(&mut self, input_name: &str, input_sha256: &str) -> Result<()> {
        let manifest = serde_json::json!({
            "tool": env!("CARGO_PKG_NAME"),
            "version": env!("CARGO_PKG_VERSION"),
            "input": { "name": input_name, "sha256": input_sha256 },
            "files": self.files.iter().map(|(p, h)| serde_json::json!({"path": p, "sha256": h})).collect::<Vec<_>>(),
            "units": self.units,
        });
        let mut text =
            serde_json::to_string_pretty(&manifest).context("cannot serialise the manifest")?;
        text.push('\n');
        let path = self.checked_path("manifest.json")?;
        if write_atomic(&path, text.as_bytes())? {
            self.changed += 1;
        }
        Ok(())
    }
}

/// Removes the temporary files of atomic writes (`.xroad-share-*.tmp`) under `root` that a
/// killed build left; called with the output folder locked, so none of them is in use. Links
/// are not followed.
fn remove_stale_temporaries(root: &Path) {
    for entry in walkdir::WalkDir::new(root)
        .follow_links(false)
        .max_depth(8)
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file()
            && name.starts_with(".xroad-share-")
            && name.ends_with(".tmp")
        {
            let _ = std::fs::remove_file(entry.path());
        }
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
