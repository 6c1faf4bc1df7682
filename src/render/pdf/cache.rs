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

/// Whether `bytes` are a PDF file that a reader can open: the header and the end-of-file
/// marker, and, parsed with `lopdf`, a cross-reference table or stream and a trailer that
/// lead to the document catalogue, whose page tree has at least one page. A typst that
/// prints the right version but writes something else is caught here, so that its output
/// is neither cached nor copied into the output folder.
pub(super) fn is_whole_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(32)..];
    if !(bytes.starts_with(b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")) {
        return false;
    }
    let Ok(doc) = lopdf::Document::load_mem(bytes) else {
        return false;
    };
    let pages = doc.get_pages();
    doc.catalog().is_ok()
        && !pages.is_empty()
        && pages.values().all(|&id| {
            doc.get_dictionary(id)
                .is_ok_and(|page| page.has_type(b"Page"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal, well-formed one-page PDF with a correct cross-reference table.
    fn one_page_pdf() -> Vec<u8> {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ];
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
        for off in offsets {
            pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        pdf
    }

    /// Attack 12: only a PDF whose structure holds is whole; a header and an end marker
    /// around junk, a PDF without pages, or one cut in the middle are not.
    #[test]
    fn structure_is_checked() {
        let good = one_page_pdf();
        assert!(is_whole_pdf(&good));
        assert!(!is_whole_pdf(b"%PDF-1.7\njunk junk junk\n%%EOF\n"));
        let no_pages = String::from_utf8(good.clone())
            .unwrap()
            .replace("/Kids [3 0 R] /Count 1", "/Kids [] /Count 0");
        assert!(!is_whole_pdf(no_pages.as_bytes()));
        let mut cut = good[..good.len() / 2].to_vec();
        cut.extend_from_slice(b"\n%%EOF\n");
        assert!(!is_whole_pdf(&cut));
    }
}
