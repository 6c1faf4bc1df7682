//! Print and Word (SPEC §6.5): identifiers and fingerprints that never break, a register
//! that fits its page, room to sign, accessible archival PDFs, and Word documents that hold
//! what the Markdown holds. The PDFs are read with poppler's `pdftotext` and `pdfinfo` and
//! with pikepdf, the Word documents with python-docx and LibreOffice (all installed by
//! `scripts/setup`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::run;

const LANGS: [&str; 3] = ["fi", "sv", "en"];

/// 15 mm in PostScript points.
const WRITING_SPACE_PT: f64 = 15.0 / 25.4 * 72.0;

/// The example built in every format and language, once per test process (nextest runs
/// each test in a process of its own) for the tests that only read it.
fn example() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("print-example-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let typst = crate::pdf::typst();
        let o = run([
            "build",
            "data/example.toml",
            "--format",
            "md,pdf,docx",
            "--lang",
            "fi,sv,en",
            "--out",
            dir.to_str().unwrap(),
            "--typst",
            typst.to_str().unwrap(),
        ]);
        assert_eq!(o.exit as i32, 0, "{}", o.stderr);
        dir
    })
}

/// Runs a program and returns its standard output; panics when it is missing or fails.
fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{program}` is missing ({e}); run scripts/setup"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The Python that has the test packages (Debian's, which `scripts/setup` installs them for).
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").is_file() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// Runs one of the Python helpers under `tests/print/` on `file`.
fn helper(script: &str, file: &Path) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/print")
        .join(script);
    tool(
        python(),
        &[script.to_str().unwrap(), file.to_str().unwrap()],
    )
}

/// The lines of a PDF's text as laid out on the page.
fn pdf_lines(path: &Path) -> Vec<String> {
    tool(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", path.to_str().unwrap(), "-"],
    )
    .lines()
    .map(str::to_owned)
    .collect()
}

/// Every X-Road identifier and every SHA-256 fingerprint in a Markdown document.
fn identifiers(markdown: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut ids = BTreeSet::new();
    let mut halves = BTreeSet::new();
    for span in markdown.split('`').skip(1).step_by(2) {
        if ["SUBSYSTEM:", "SERVER:", "MEMBER:"]
            .iter()
            .any(|p| span.starts_with(p))
        {
            ids.insert(span.to_owned());
        }
        let is_half = span.len() == 47
            && span
                .split(':')
                .all(|b| b.len() == 2 && b.chars().all(|c| c.is_ascii_hexdigit()));
        if is_half {
            halves.insert(span.to_owned());
        }
    }
    (ids, halves)
}

/// A word on a page, as `pdftotext -bbox` gives it.
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
    text: String,
}

/// The pages (width, height) and words of a PDF.
fn bbox(path: &Path) -> (Vec<(f64, f64)>, Vec<Word>) {
    let html = tool("pdftotext", &["-bbox", path.to_str().unwrap(), "-"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let at = tag.find(&key).unwrap() + key.len();
        tag[at..tag[at..].find('"').unwrap() + at].parse().unwrap()
    };
    let (mut pages, mut words) = (Vec::new(), Vec::new());
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            pages.push((attr(line, "width"), attr(line, "height")));
        } else if line.starts_with("<word ") {
            let text = line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()].to_owned();
            words.push(Word {
                page: pages.len(),
                x_min: attr(line, "xMin"),
                y_min: attr(line, "yMin"),
                x_max: attr(line, "xMax"),
                y_max: attr(line, "yMax"),
                text,
            });
        }
    }
    (pages, words)
}

/// In every language, the PDFs show each identifier of the documents people copy from (the
/// permit sheet, the authorisation, the register) and each half of the CSR's fingerprint on
/// one line, and the two halves on consecutive lines make the whole fingerprint.
#[test]
fn identifiers_and_fingerprints_stay_on_one_line() {
    let root = example();
    let mut seen_fingerprint = false;
    for lang in LANGS {
        for rel in [
            format!("{lang}/members/pikkula/permit-fields"),
            format!("{lang}/members/pikkula/authorisation"),
            format!("{lang}/members/strandby/permit-fields"),
            format!("{lang}/certificates"),
            format!("{lang}/overview"),
        ] {
            let md = std::fs::read_to_string(root.join(format!("{rel}.md"))).unwrap();
            let (ids, halves) = identifiers(&md);
            assert!(!ids.is_empty(), "{rel}.md names no identifier");
            let lines = pdf_lines(&root.join(format!("{rel}.pdf")));
            for id in &ids {
                assert!(
                    lines.iter().any(|l| l.contains(id.as_str())),
                    "{rel}.pdf breaks {id}"
                );
            }
            for h in &halves {
                assert!(
                    lines.iter().any(|l| l.contains(h.as_str())),
                    "{rel}.pdf breaks the fingerprint half {h}"
                );
            }
            if rel.ends_with("authorisation") {
                let md_full: Vec<&str> = halves.iter().map(String::as_str).collect();
                assert_eq!(md_full.len(), 2, "{rel}: one fingerprint in two halves");
                let first = lines
                    .iter()
                    .position(|l| l.contains(md_full[0]) || l.contains(md_full[1]));
                let first = first.expect("a half");
                let (a, b) = (&lines[first], &lines[(first + 1)..]);
                let next = b
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .expect("the second half");
                let other = if a.contains(md_full[0]) {
                    md_full[1]
                } else {
                    md_full[0]
                };
                assert!(
                    next.contains(other),
                    "{rel}: the halves are not on consecutive lines"
                );
                seen_fingerprint = true;
            }
        }
    }
    assert!(seen_fingerprint);
}

/// The register is printed on landscape pages and no word of it lies outside the page box.
#[test]
fn register_fits_its_page() {
    let root = example();
    for lang in LANGS {
        let (pages, words) = bbox(&root.join(format!("{lang}/certificates.pdf")));
        assert!(!words.is_empty());
        for &(w, h) in &pages {
            assert!(w > h, "{lang}: the register is not landscape ({w} × {h})");
        }
        for word in &words {
            let (w, h) = pages[word.page - 1];
            assert!(
                word.x_min >= 0.0 && word.y_min >= 0.0 && word.x_max <= w && word.y_max <= h,
                "{lang}: {word:?} lies outside the page"
            );
        }
        // Nor does any identifier run into the column after it: the words of a row that
        // start right of an identifier start after its end.
        for id in words.iter().filter(|w| w.text.starts_with("SUBSYSTEM:")) {
            for other in words
                .iter()
                .filter(|o| o.page == id.page && (o.y_min - id.y_min).abs() < 1.0)
            {
                if other.x_min > id.x_min {
                    assert!(
                        other.x_min > id.x_max,
                        "{lang}: {} overlaps {}",
                        other.text,
                        id.text
                    );
                }
            }
        }
    }
}

/// Every line to write on by hand in a signatory's block has at least 15 mm of room above
/// it, and each block stays on one page.
#[test]
fn signature_blocks_leave_room_to_sign() {
    let root = example();
    for lang in LANGS {
        for doc in ["agreement", "authorisation"] {
            let rel = format!("{lang}/members/pikkula/{doc}.pdf");
            let (_, words) = bbox(&root.join(&rel));
            let blanks: Vec<&Word> = words
                .iter()
                .filter(|w| w.text.contains("________"))
                .collect();
            assert!(
                blanks.len() >= 4,
                "{rel}: {} lines to write on",
                blanks.len()
            );
            for b in blanks {
                // The letters of the draft watermark (88 pt, behind the text) do not count.
                let above = words
                    .iter()
                    .filter(|w| w.y_max - w.y_min < 30.0)
                    .filter(|w| w.page == b.page && w.y_max < b.y_min - 0.5)
                    .map(|w| w.y_max)
                    .fold(f64::MIN, f64::max);
                let gap = b.y_min - above;
                assert!(
                    gap >= WRITING_SPACE_PT - 0.5,
                    "{rel}: only {gap:.1} pt above a signature line on page {}",
                    b.page
                );
            }
        }
    }
}

/// The PDFs are PDF/A-2a and PDF/UA-1: the XMP says so, they are tagged, have a language,
/// a title, a structure tree with headings and table headers, and the draft watermark,
/// headers and footers are artifacts.
#[test]
fn pdfs_are_accessible_and_archival() {
    let root = example();
    for lang in LANGS {
        for rel in [
            format!("{lang}/members/pikkula/authorisation.pdf"),
            format!("{lang}/certificates.pdf"),
            format!("{lang}/members/pikkula/packet.pdf"),
        ] {
            let path = root.join(&rel);
            let p = path.to_str().unwrap();
            let xmp = tool("pdfinfo", &["-meta", p]);
            for n in [
                "<pdfaid:part>2</pdfaid:part>",
                "<pdfaid:conformance>A</pdfaid:conformance>",
                "<pdfuaid:part>1</pdfuaid:part>",
            ] {
                assert!(xmp.contains(n), "{rel}: the XMP lacks {n}");
            }
            let info = tool("pdfinfo", &[p]);
            assert!(
                info.lines()
                    .any(|l| l.starts_with("Tagged:") && l.ends_with("yes"))
            );
            let s = helper("pdf_structure.py", &path);
            assert!(s.contains(&format!("lang\t{lang}\n")), "{rel}:\n{s}");
            assert!(s.contains("marked\tTrue\n"), "{rel}:\n{s}");
            for t in ["H1", "H2", "Table", "TH", "TD"] {
                assert!(
                    s.contains(&format!("struct\t{t}\n")),
                    "{rel} has no {t}:\n{s}"
                );
            }
            let artifacts: usize = s
                .lines()
                .find_map(|l| l.strip_prefix("artifacts\t"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            assert!(artifacts > 0, "{rel}: no artifacts");
            assert!(!s.contains("title\t\n"), "{rel}: no title");
        }
    }
}

/// The text of a Word document as python-docx reads it.
fn docx_text(path: &Path) -> String {
    helper("docx_text.py", path)
}

/// The clause and section numbers of a Markdown document: `## 3. …`, `**3.2**`.
fn clause_numbers(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in markdown.lines() {
        let rest = line
            .trim_start_matches('#')
            .trim_start()
            .trim_start_matches("**");
        let number: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let counts = (line.starts_with('#') || line.starts_with("**"))
            && number.chars().next().is_some_and(|c| c.is_ascii_digit());
        if counts {
            out.push(number);
        }
    }
    out
}

/// Every Word document holds every identifier, name and clause number of its Markdown, in
/// Word's own heading styles, with repeating table headers, the draft marking in the page
/// header and the document's properties.
#[test]
fn docx_holds_what_the_markdown_holds() {
    let root = example();
    let names = [
        "Järvenrannan kaupunki",
        "Pikkulan kunta",
        "Kaisa Kunnanjohtaja",
        "Kalle Kaupunginjohtaja",
    ];
    for lang in LANGS {
        for doc in [
            "agreement",
            "authorisation",
            "permit-fields",
            "member-checklist",
        ] {
            let rel = format!("{lang}/members/pikkula/{doc}");
            let md = std::fs::read_to_string(root.join(format!("{rel}.md"))).unwrap();
            let text = docx_text(&root.join(format!("{rel}.docx")));
            let (ids, halves) = identifiers(&md);
            for v in ids.iter().chain(&halves) {
                assert!(text.contains(v.as_str()), "{rel}.docx lacks {v}");
            }
            for n in names.iter().filter(|n| md.contains(*n)) {
                assert!(text.contains(n), "{rel}.docx lacks {n}");
            }
            let numbers = clause_numbers(&md);
            if doc != "member-checklist" {
                assert!(!numbers.is_empty(), "{rel}.md has no clause numbers");
            }
            for n in &numbers {
                assert!(
                    text.lines().any(|l| l
                        .split_once('\t')
                        .is_some_and(|(_, t)| t.starts_with(n.as_str()))),
                    "{rel}.docx lacks the clause {n}"
                );
            }
            assert!(
                text.contains("p:Heading 1\t"),
                "{rel}.docx: no heading style"
            );
            assert!(text.contains("p:Heading 2\t"), "{rel}.docx: no heading 2");
            if md.contains("| --- |") {
                assert!(text.contains("cell:header\t"), "{rel}.docx: no header rows");
            }
            assert!(text.contains("header\t"), "{rel}.docx: no page header");
            let title = md.lines().next().unwrap().trim_start_matches("# ");
            assert!(
                text.contains(&format!("title\t{title}\n")),
                "{rel}:\n{text}"
            );
            // The owner's name in the document's language (`names` in the example).
            let owner = match lang {
                "sv" => "Järvenranta stad",
                "en" => "City of Järvenranta",
                _ => "Järvenrannan kaupunki",
            };
            assert!(
                text.contains(&format!("author\t{owner}\n")),
                "{rel}.docx:\n{text}"
            );
            assert!(text.contains(&format!("language\t{lang}-")));
            assert!(text.contains("created\t2026-12-01T00:00:00"));
        }
    }
}

/// Two builds give byte-identical Word documents whose zip entries carry a fixed time.
#[test]
fn docx_is_reproducible() {
    let root = example();
    let dir = tempfile::tempdir().unwrap();
    let o = run([
        "build",
        "data/example.toml",
        "--format",
        "docx",
        "--lang",
        "fi,sv,en",
        "-j",
        "1",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let mut count = 0;
    for entry in walkdir::WalkDir::new(dir.path()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "docx") {
            let rel = entry.path().strip_prefix(dir.path()).unwrap();
            let a = std::fs::read(entry.path()).unwrap();
            let b = std::fs::read(root.join(rel)).unwrap();
            assert!(a == b, "{} differs between builds", rel.display());
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
            for i in 0..zip.len() {
                let f = zip.by_index(i).unwrap();
                let t = f.last_modified().unwrap();
                assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{}", f.name());
            }
            count += 1;
        }
    }
    assert_eq!(count, 3 * (3 * 6 + 2));
}

/// LibreOffice opens the Word documents and converts them to PDF without errors, and lays
/// out every identifier on one line (the columns are wide enough for them).
#[test]
fn docx_converts_with_libreoffice() {
    let root = example();
    let dir = tempfile::tempdir().unwrap();
    let docs = [
        "en/members/pikkula/authorisation",
        "en/members/pikkula/permit-fields",
        "en/certificates",
    ];
    let out = Command::new("soffice")
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir.path())
        .args(docs.iter().map(|d| root.join(format!("{d}.docx"))))
        .env("HOME", dir.path())
        .output()
        .expect("LibreOffice (soffice) is missing; run scripts/setup office");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for d in docs {
        let name = d.rsplit('/').next().unwrap();
        let lines = pdf_lines(&dir.path().join(format!("{name}.pdf")));
        let md = std::fs::read_to_string(root.join(format!("{d}.md"))).unwrap();
        let (ids, halves) = identifiers(&md);
        assert!(!ids.is_empty());
        for v in ids.iter().chain(&halves) {
            assert!(
                lines.iter().any(|l| l.contains(v.as_str())),
                "LibreOffice breaks {v} in {name}"
            );
        }
    }
}

/// The site links each document's Word file where it links the other formats, and the
/// manifest lists every Word file.
#[test]
fn site_and_manifest_know_the_word_files() {
    let dir = tempfile::tempdir().unwrap();
    let o = run([
        "build",
        "data/example.toml",
        "--format",
        "html,docx",
        "--lang",
        "en",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let page =
        std::fs::read_to_string(dir.path().join("en/members/pikkula/authorisation.html")).unwrap();
    assert!(page.contains("href=\"authorisation.docx\""), "{page}");
    let manifest = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    let docx = manifest.matches(".docx\"").count();
    assert_eq!(docx, 3 * 6 + 2, "{manifest}");
}
