//! The PDF cache: PDFs by the SHA-256 of everything that decides their bytes.

use std::path::{Path, PathBuf};

use super::{Settings, Typst};
use crate::output::sha256_hex;

/// The cache key of a PDF: everything that decides its bytes.
pub(super) fn cache_key(
    typst: &Typst,
    template_sha: &str,
    settings: &Settings,
    source: &str,
) -> String {
    let text = format!(
        "xroad-share pdf 1\0{}\0--pdf-standard {}\0--ignore-system-fonts\0--creation-timestamp {}\0{template_sha}\0{source}",
        typst.version_line, settings.standard, settings.timestamp
    );
    sha256_hex(text.as_bytes())
}

pub(super) fn cache_path(dir: &Path, key: &str) -> PathBuf {
    dir.join(&key[..2]).join(format!("{key}.pdf"))
}

/// A cached PDF, if it is there and whole.
pub(super) fn cache_get(dir: &Path, key: &str) -> Option<Vec<u8>> {
    let bytes = std::fs::read(cache_path(dir, key)).ok()?;
    is_whole_pdf(&bytes).then_some(bytes)
}

/// Removes the oldest cached PDFs until the cache holds at most `limit` bytes. Errors are
/// ignored: another build may be removing the same files.
pub(super) fn prune(dir: &Path, limit: u64) {
    let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = walkdir::WalkDir::new(dir)
        .min_depth(2)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "pdf"))
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((m.modified().ok()?, m.len(), e.into_path()))
        })
        .collect();
    let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
    if total <= limit {
        return;
    }
    entries.sort();
    for (_, len, path) in entries {
        if total <= limit {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total = total.saturating_sub(len);
        }
    }
}

/// Whether `bytes` look like a complete PDF file: the header and the end-of-file marker.
pub(super) fn is_whole_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(32)..];
    bytes.starts_with(b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")
}
