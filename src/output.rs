//! Writing files: atomically (a temporary file in the same folder, then a rename), never
//! touching a file whose contents are already right, and recording every file in
//! `manifest.json` with its SHA-256.
//!
//! New files get the permissions the umask gives (0644 under umask 022), a file that is
//! replaced keeps its permissions. The previous build's manifest tells which files the
//! tool wrote: those that this build does not write are removed ([`Output::remove_stale`]),
//! or after a failed build kept listed ([`Output::keep_previous`]), and the keys of the parts of the build ([`Output::unit_key`]) let a rebuild skip what
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
/// one, never half-written, and it is on the disk when this returns. Parent folders are
/// created. Returns whether the file changed.
///
/// A symbolic link, a FIFO, a device or a folder at `path` is never read or written through:
/// that is an error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    replace(path, bytes, true)
}

/// [`write_atomic`], with the flush to the disk left to the caller when `sync` is false.
///
/// Without the flush the file is still whole or absent to every reader and after the
/// process is killed (the rename happens after the last byte is written); only a crash of
/// the whole machine can leave it empty or missing, which the next build notices (see
/// [`Output::write_manifest`]).
fn replace(path: &Path, bytes: &[u8], sync: bool) -> Result<bool> {
    let old = match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_file() => anyhow::bail!(
            "refusing to write `{}`: it is {}, not a regular file",
            path.display(),
            kind_of(&meta)
        ),
        Ok(meta) => Some(meta),
        Err(_) => None,
    };
    if let Some(meta) = &old
        && meta.len() == bytes.len() as u64
        && read_bounded(path, bytes.len() as u64).is_ok_and(|old| old == bytes)
    {
        return Ok(false);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if old.is_none() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    }
    let mut tmp = temp_file(dir, path, old.as_ref())?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    if sync {
        tmp.as_file()
            .sync_all()
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(true)
}

/// Flushes a folder's entries (the renames into it) to the disk.
fn sync_folder(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush the folder `{}` to the disk", dir.display()))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
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
fn temp_file(
    dir: &Path,
    path: &Path,
    old: Option<&std::fs::Metadata>,
) -> Result<tempfile::NamedTempFile> {
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
    if let Some(old) = old {
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
    /// Its size in bytes.
    pub size: u64,
    /// Whether it was new or changed.
    pub changed: bool,
}

/// A file as a manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// Its SHA-256.
    sha256: String,
    /// Its size in bytes (not known from the manifests of older versions).
    size: Option<u64>,
}

/// What the previous build recorded in `manifest.json`.
#[derive(Debug, Default)]
struct Previous {
    /// Every file it wrote.
    files: BTreeMap<String, Entry>,
    /// The key of every part of that build.
    units: BTreeMap<String, String>,
}

impl Previous {
    /// The previous manifest under `root` (read bounded, never through a link); nothing
    /// when there is none or it cannot be read.
    fn read(root: &Path) -> Previous {
        let path = root.join("manifest.json");
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return Previous::default();
        }
        let Ok(bytes) = read_bounded(&path, MAX_INPUT_FILE << 2) else {
            return Previous::default();
        };
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            return Previous::default();
        };
        let files = json["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| {
                let rel = f["path"].as_str().filter(|p| safe_rel(p))?;
                let entry = Entry {
                    sha256: f["sha256"].as_str()?.to_string(),
                    size: f["size"].as_u64(),
                };
                Some((rel.to_string(), entry))
            })
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
///
/// The manifest it writes lists the files the tool wrote and that are there as it wrote
/// them. After a build that went through, those are the files this build wrote
/// ([`Output::remove_stale`] removes the rest of the previous build's); after one that
/// failed, also the previous build's files that this one did not get to
/// ([`Output::keep_previous`]), so that the next build still knows the tool wrote them.
#[derive(Debug)]
pub struct Output {
    root: PathBuf,
    files: BTreeMap<String, Entry>,
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
    /// [`Output::note`] records it. The file is not flushed to the disk one by one (see
    /// [`Output::write_manifest`]).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<Written> {
        let changed = replace(&self.checked_path(rel)?, bytes, false)?;
        Ok(Written {
            rel: rel.to_string(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
            changed,
        })
    }

    /// Records a file written by [`Output::put`].
    pub fn note(&mut self, w: Written) {
        if w.changed {
            self.changed += 1;
        }
        self.files.insert(
            w.rel,
            Entry {
                sha256: w.sha256,
                size: Some(w.size),
            },
        );
    }

    /// Records a file that another step (such as a PDF compile) wrote at `rel`.
    pub fn record(&mut self, rel: &str, changed: bool) -> Result<()> {
        let path = self.checked_path(rel)?;
        let bytes = read_bounded(&path, 1 << 30)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        self.note(Written {
            rel: rel.to_string(),
            sha256: sha256_hex(&bytes),
            size: bytes.len() as u64,
            changed,
        });
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
    /// kept as they are ([`Output::note`]) when every one is still there as the tool
    /// wrote it (a regular file of the recorded size); None when one is not, or there are
    /// none.
    pub fn previous_under(&self, prefix: &str) -> Option<Vec<Written>> {
        self.unchanged(
            self.previous
                .files
                .range(prefix.to_string()..)
                .take_while(|(p, _)| p.starts_with(prefix)),
        )
    }

    /// The files of the previous build that `keep` selects, as [`Output::previous_under`].
    pub fn previous_matching(&self, keep: impl Fn(&str) -> bool) -> Option<Vec<Written>> {
        self.unchanged(self.previous.files.iter().filter(|(p, _)| keep(p)))
    }

    fn unchanged<'f>(
        &self,
        files: impl Iterator<Item = (&'f String, &'f Entry)>,
    ) -> Option<Vec<Written>> {
        let mut out = Vec::new();
        for (rel, entry) in files {
            out.push(Written {
                rel: rel.clone(),
                sha256: entry.sha256.clone(),
                size: self.still_there(rel, entry)?,
                changed: false,
            });
        }
        (!out.is_empty()).then_some(out)
    }

    /// The size of the previous build's file `rel` when it is still there as the tool
    /// wrote it, as far as one `stat` tells: a regular file reached through real folders,
    /// of the size the manifest recorded. (Reading every file to compare its hash would
    /// cost a no-op rebuild as much as writing them; [`Output::remove_stale`] compares the
    /// hash before it removes anything.)
    fn still_there(&self, rel: &str, entry: &Entry) -> Option<u64> {
        let size = self.plain_file(rel)?.len();
        entry.size.is_none_or(|s| s == size).then_some(size)
    }

    /// After a failed build: keeps listing the previous build's files that this one did not
    /// write and that are still there as the tool wrote them (as [`Output::previous_under`]), so
    /// that a later build still knows the tool wrote them and removes them when they are
    /// stale. A file gone or changed in size since is dropped from the list.
    pub fn keep_previous(&mut self) {
        let kept: Vec<(String, Entry)> = self
            .previous
            .files
            .iter()
            .filter(|(rel, _)| !self.files.contains_key(*rel))
            .filter_map(|(rel, entry)| {
                let size = self.still_there(rel, entry)?;
                Some((
                    rel.clone(),
                    Entry {
                        sha256: entry.sha256.clone(),
                        size: Some(size),
                    },
                ))
            })
            .collect();
        self.files.extend(kept);
    }

    /// Removes the files that the previous build wrote and this one did not, and the
    /// folders left empty by that. Only regular files are removed, reached through real
    /// folders (no symbolic links), and only when their contents are still what the tool
    /// wrote: a file changed by hand since, and any file the tool never wrote, stay.
    pub fn remove_stale(&mut self) -> Result<Stale> {
        let mut stale = Stale::default();
        let gone: Vec<(&String, &Entry)> = self
            .previous
            .files
            .iter()
            .filter(|(p, _)| !self.files.contains_key(*p))
            .collect();
        for (rel, entry) in gone {
            let path = self.path(rel);
            let Some(meta) = self.plain_file(rel) else {
                continue;
            };
            match read_bounded(&path, meta.len()) {
                Ok(bytes) if sha256_hex(&bytes) == entry.sha256 => {}
                Ok(_) => {
                    stale.kept.push(rel.clone());
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

    /// The metadata of `rel` when it names a regular file reached through folders that are
    /// not symbolic links.
    fn plain_file(&self, rel: &str) -> Option<std::fs::Metadata> {
        let mut p = self.root.clone();
        let parts: Vec<&str> = rel.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            p.push(part);
            let m = std::fs::symlink_metadata(&p).ok()?;
            let last = i + 1 == parts.len();
            if last {
                return m.file_type().is_file().then_some(m);
            }
            if !m.file_type().is_dir() {
                return None;
            }
        }
        None
    }

    /// Writes `manifest.json`: the tool and version, the input's name and SHA-256, every
    /// file with its SHA-256 and size, sorted, and the keys of the build's parts (for the
    /// next build to skip what did not change), without timestamps so that it is
    /// reproducible.
    ///
    /// Only the manifest is flushed to the disk, and its folder after it. The documents are
    /// not: a flush per file made a build of a thousand members wait for the disk ten
    /// thousand times, and flushing the whole file system once (`syncfs`) makes a build
    /// wait for every other program's writes there too. A killed build leaves whole files
    /// in any case (each is renamed into place after its last byte); a crash of the machine
    /// can leave a file the manifest lists empty or missing, and the next build then
    /// writes it again, as its size is not the one recorded ([`Output::previous_under`]).
    pub fn write_manifest(&mut self, input_name: &str, input_sha256: &str) -> Result<()> {
        let manifest = serde_json::json!({
            "tool": env!("CARGO_PKG_NAME"),
            "version": env!("CARGO_PKG_VERSION"),
            "input": { "name": input_name, "sha256": input_sha256 },
            "files": self.files.iter().map(|(p, e)| {
                let mut f = serde_json::json!({"path": p, "sha256": e.sha256});
                if let Some(size) = e.size {
                    f["size"] = size.into();
                }
                f
            }).collect::<Vec<_>>(),
            "units": self.units,
        });
        let mut text =
            serde_json::to_string_pretty(&manifest).context("cannot serialise the manifest")?;
        text.push('\n');
        let path = self.checked_path("manifest.json")?;
        if replace(&path, text.as_bytes(), true)? {
            self.changed += 1;
            sync_folder(&self.root)?;
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
