//! PDF output through the typst program: the text of every document, the packet's pages and
//! outline, the PDF/A identification and metadata, byte-identical rebuilds, the cache,
//! hostile names, and what happens when typst is missing, fails or is another version.
//!
//! These tests need typst 0.15.1 and poppler-utils (`pdftotext`, `pdfinfo`) and qpdf; they
//! fail, never skip, when one is missing (`scripts/setup typst pdf-tools` installs them).
//! Builds use the default PDF cache; a test that must see typst run gives it a wrapper
//! script whose version line is unique to the test run, so its cache keys are new.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::documents::files;
use crate::run;

const INSTALL: &str = "cargo install --locked typst-cli --version 0.15.1";

/// The typst program: `$TYPST`, else `typst` on PATH, else `~/.cargo/bin/typst`.
pub fn typst() -> PathBuf {
    static TYPST: OnceLock<PathBuf> = OnceLock::new();
    TYPST
        .get_or_init(|| {
            let on_path = std::env::var_os("PATH").and_then(|p| {
                std::env::split_paths(&p)
                    .map(|d| d.join("typst"))
                    .find(|p| p.is_file())
            });
            let cargo_bin =
                std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/typst"));
            std::env::var_os("TYPST")
                .map(PathBuf::from)
                .or(on_path)
                .or(cargo_bin)
                .filter(|p| p.is_file())
                .unwrap_or_else(|| panic!("typst is missing; install it with `{INSTALL}`"))
        })
        .clone()
}

/// Runs a PDF tool and returns its standard output; panics when it is missing or fails.
fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("`{program}` is missing ({e}); install poppler-utils and qpdf (scripts/setup pdf-tools)")
    });
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF, or of one page of it, in the order it was written (`-raw`: without
/// it, pdftotext joins `vtj-` at the end of a line and `pikkula` on the next into `vtjpikkula`).
pub fn pdf_text(path: &Path, page: Option<usize>) -> String {
    let p = path.to_str().unwrap();
    match page {
        Some(n) => {
            let n = n.to_string();
            tool(
                "pdftotext",
                &["-raw", "-enc", "UTF-8", "-f", &n, "-l", &n, p, "-"],
            )
        }
        None => tool("pdftotext", &["-raw", "-enc", "UTF-8", p, "-"]),
    }
}

/// The number of pages of a PDF.
fn page_count(path: &Path) -> usize {
    let info = tool("pdfinfo", &[path.to_str().unwrap()]);
    let line = info
        .lines()
        .find(|l| l.starts_with("Pages:"))
        .expect("pdfinfo prints Pages");
    line["Pages:".len()..].trim().parse().unwrap()
}

/// Text without the line breaks and hyphens of the layout: soft hyphens and all whitespace
/// removed, so that a value wrapped in a table cell is still found.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
        .collect()
}

/// Asserts that the text of the PDF `rel` under `root` holds every needle.
fn assert_text(root: &Path, rel: &str, needles: &[&str]) {
    let text = squash(&pdf_text(&root.join(rel), None));
    for n in needles {
        assert!(text.contains(&squash(n)), "{rel} lacks {n:?}");
    }
}

/// A shell script standing in for typst: it logs each call's arguments to `log`, answers
/// `--version` with `version`, and otherwise runs `rest`.
struct Wrapper {
    _dir: tempfile::TempDir,
    path: PathBuf,
    log: PathBuf,
}

impl Wrapper {
    fn new(version: &str, rest: &str) -> Wrapper {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("typst");
        let log = dir.path().join("calls.log");
        let script = format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nif [ \"$1\" = --version ]; then echo '{version}'; exit 0; fi\n{rest}\n",
            log.display()
        );
        std::fs::write(&path, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Wrapper {
            _dir: dir,
            path,
            log,
        }
    }

    /// The real typst behind a version line unique to this wrapper, so that nothing it
    /// compiles can be in the cache already.
    fn fresh() -> Wrapper {
        let tag = tempfile::tempdir().unwrap();
        let version = format!("typst 0.15.1 (test {})", tag.path().display());
        Wrapper::new(&version, &format!("exec '{}' \"$@\"", typst().display()))
    }

    fn path(&self) -> &str {
        self.path.to_str().unwrap()
    }

    /// The calls logged so far.
    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// Builds `input` as PDF into a new folder with the given typst and extra arguments.
fn build_pdf(input: &str, typst: &str, extra: &[&str]) -> (tempfile::TempDir, crate::Outcome) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_string();
    let mut args = vec![
        "build",
        input,
        "--format",
        "pdf",
        "--out",
        out.as_str(),
        "--typst",
        typst,
    ];
    args.extend_from_slice(extra);
    let o = run(args);
    (dir, o)
}

/// The example built as PDF in all three languages, once for the tests that only read it.
fn example() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // A folder per test process: the test runner may run the tests that share this
        // build in processes of their own at once, and each builds it.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("pdf-example-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let typst = typst();
        let o = run([
            "build",
            "data/example.toml",
            "--format",
            "pdf",
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

const MEMBER_DOCS: [&str; 6] = [
    "agreement",
    "data-processing",
    "authorisation",
    "permit-fields",
    "member-checklist",
    "owner-checklist",
];

/// Every document has its PDF in the SPEC §5 layout, and each member a packet per language.
#[test]
fn every_document_and_packet_has_a_pdf() {
    let root = example();
    let pdfs: Vec<String> = files(root)
        .into_keys()
        .filter(|k| k.ends_with(".pdf"))
        .collect();
    let mut expected = Vec::new();
    for lang in ["en", "fi", "sv"] {
        expected.push(format!("{lang}/certificates.pdf"));
        expected.push(format!("{lang}/overview.pdf"));
        for m in ["lakeside", "pikkula", "strandby"] {
            for d in MEMBER_DOCS {
                expected.push(format!("{lang}/members/{m}/{d}.pdf"));
            }
            expected.push(format!("{lang}/members/{m}/packet.pdf"));
        }
    }
    expected.sort();
    assert_eq!(pdfs, expected);
}

/// The text of each PDF holds the key facts of its document: names, Business IDs, host
/// names, addresses, X-Road identifiers, permit references, signatories, the draft mark.
#[test]
fn pdf_text_holds_the_key_facts() {
    let root = example();
    for (lang, mark) in [("fi", "LUONNOS"), ("sv", "UTKAST"), ("en", "DRAFT")] {
        let m = format!("{lang}/members/pikkula");
        // The names in the document's language; Pikkula's documents are final, Strandby's drafts.
        let (owner, pikkula, strandby, lakeside) = match lang {
            "fi" => (
                "Järvenrannan kaupunki",
                "Pikkulan kunta",
                "Strandbyn kunta",
                "Lakeside Digital Services Oy",
            ),
            "sv" => (
                "Järvenranta stad",
                "Pikkula kommun",
                "Strandby kommun",
                "Lakeside Digital Services Oy",
            ),
            _ => (
                "City of Järvenranta",
                "Municipality of Pikkula",
                "Municipality of Strandby",
                "Lakeside Digital Services Ltd",
            ),
        };
        let parties = [owner, pikkula, "1234567-1", "2345678-0"];
        let servers = [
            "jarvenrantalptest01.jarvenranta.fi",
            "jarvenrantalp01.jarvenranta.fi",
            "194.100.0.10",
            "SERVER:FI-TEST/MUN/1234567-1/jarvenrantalptest01",
        ];
        let subsystem = "SUBSYSTEM:FI-TEST/MUN/2345678-0/vtj-pikkula-client";
        let agreement = [
            &parties[..],
            &servers[..],
            &[
                subsystem,
                "MEMBER:FI/MUN/2345678-0",
                "Kaisa Järvinen",
                "Kalle Nieminen",
                "Harri Mäkelä",
            ],
        ]
        .concat();
        assert_text(root, &format!("{m}/agreement.pdf"), &agreement);
        assert_text(
            root,
            &format!("{m}/data-processing.pdf"),
            &[owner, pikkula, subsystem, "henkilötunnus", "Kaisa Järvinen"],
        );
        assert_text(
            root,
            &format!("{lang}/members/strandby/agreement.pdf"),
            &[owner, strandby, mark],
        );
        let authorisation = [
            &parties[..],
            &[
                "jarvenrantalptest01.jarvenranta.fi",
                "DVV/1234/2026",
                "Kaisa Järvinen",
            ],
        ]
        .concat();
        assert_text(root, &format!("{m}/authorisation.pdf"), &authorisation);
        let permit = [
            &["Järvenrannan kaupunki", "Pikkulan kunta", "2345678-0"][..],
            &servers[..],
            &[subsystem, "DVV/1234/2026"],
        ]
        .concat();
        assert_text(root, &format!("{m}/permit-fields.pdf"), &permit);
        assert_text(
            root,
            &format!("{m}/member-checklist.pdf"),
            &[parties[0], parties[1], "DVV/1234/2026"],
        );
        assert_text(
            root,
            &format!("{m}/owner-checklist.pdf"),
            &[parties[0], parties[1], parties[3], subsystem],
        );
        let register = [
            &[owner, "1234567-1", "2345678-0", "Pikkulan kunta"][..],
            &[servers[0], servers[1], servers[3], "Strandby kommun"],
        ]
        .concat();
        assert_text(root, &format!("{lang}/certificates.pdf"), &register);
        let overview = [
            &parties[..],
            &servers[..],
            &[subsystem, strandby, lakeside, mark],
        ]
        .concat();
        assert_text(root, &format!("{lang}/overview.pdf"), &overview);
    }
}

/// The packet: a cover page with the parties, servers, date and stage, a table of contents,
/// then the member's documents in order, each from a new page; its outline lists them.
#[test]
fn packet_has_cover_contents_and_documents_in_order() {
    let root = example();
    let packet = root.join("fi/members/pikkula/packet.pdf");
    let cover = squash(&pdf_text(&packet, Some(1)));
    for n in [
        "Järvenrannan kaupunki",
        "Pikkulan kunta",
        "Y-tunnus 1234567-1",
        "Y-tunnus 2345678-0",
        "jarvenrantalptest01.jarvenranta.fi",
        "SERVER:FI/MUN/1234567-1/jarvenrantalp01",
        "SUBSYSTEM:FI/MUN/2345678-0/vtj-pikkula-client",
        "1.12.2026, Järvenranta",
        "Lopullinen",
    ] {
        assert!(cover.contains(&squash(n)), "the cover lacks {n:?}");
    }
    // Pages: the cover, the contents, then each document as long as on its own.
    let lengths: Vec<usize> = MEMBER_DOCS
        .iter()
        .map(|d| page_count(&root.join(format!("fi/members/pikkula/{d}.pdf"))))
        .collect();
    assert_eq!(
        page_count(&packet),
        2 + lengths.iter().sum::<usize>(),
        "{lengths:?}"
    );
    let titles = [
        "Sopimus liityntäpalvelimen yhteiskäytöstä",
        "Sopimus henkilötietojen käsittelystä",
        "Valtakirja varmenteiden hakemiseen",
        "Käyttölupahakemuksen tiedot",
        "Liittyvän organisaation tarkistuslista",
        "Omistajan tarkistuslista",
    ];
    let mut starts = Vec::new();
    let mut page = 3;
    for len in &lengths {
        starts.push(page);
        page += len;
    }
    // The outline (bookmarks): one top-level entry per document, at its first page.
    let json: serde_json::Value = serde_json::from_str(&tool(
        "qpdf",
        &["--json=2", "--json-key=outlines", packet.to_str().unwrap()],
    ))
    .unwrap();
    let outline: Vec<(String, usize)> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["title"].as_str().unwrap().to_string(),
                o["destpageposfrom1"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    let expected: Vec<(String, usize)> = titles
        .iter()
        .zip(&starts)
        .map(|(t, p)| (t.to_string(), *p))
        .collect();
    assert_eq!(outline, expected);
    // The table of contents on page 2 lists the titles in order with those page numbers,
    // and each document's title opens its first page.
    let contents = pdf_text(&packet, Some(2));
    let mut at = 0;
    for (title, start) in titles.iter().zip(&starts) {
        let line = contents[at..]
            .lines()
            .find(|l| l.starts_with(title))
            .unwrap_or_else(|| panic!("contents lack {title:?}:\n{contents}"));
        assert!(
            line.trim_end().ends_with(&format!(" {start}")),
            "{line:?} should end with page {start}"
        );
        at = contents.find(line).unwrap() + line.len();
        let (here, before) = (
            squash(&pdf_text(&packet, Some(*start))),
            squash(&pdf_text(&packet, Some(start - 1))),
        );
        // A checklist names the other one, so the page before may hold the title too; the
        // document's own first page begins with it (after the draft mark).
        let new_here = *start == 3
            || !before.contains(&squash(title))
            || here
                .trim_start_matches("LUONNOS")
                .starts_with(&squash(title));
        assert!(
            here.contains(&squash(title)) && new_here,
            "{title:?} should start on page {start}; it begins {:?}",
            here.chars().take(60).collect::<String>()
        );
    }
}

/// Every PDF identifies itself as PDF/A-2a and PDF/UA-1 (the default standards) in its XMP
/// metadata, is tagged, and carries the title, the owner as author, the language and the
/// packet date as its creation date.
#[test]
fn pdfs_are_pdfa_2a_and_pdfua_1_with_metadata() {
    let root = example();
    for (rel, title, lang) in [
        (
            "fi/members/pikkula/agreement.pdf",
            "Sopimus liityntäpalvelimen yhteiskäytöstä",
            "fi",
        ),
        (
            "sv/members/strandby/authorisation.pdf",
            "Fullmakt för ansökan om certifikat",
            "sv",
        ),
        (
            "en/overview.pdf",
            "Overview of the shared security server",
            "en",
        ),
        (
            "en/members/lakeside/packet.pdf",
            "Shared use of a security server",
            "en",
        ),
    ] {
        let path = root.join(rel);
        let xmp = tool("pdfinfo", &["-meta", path.to_str().unwrap()]);
        // The owner's name in the document's language.
        let owner = match lang {
            "fi" => "Järvenrannan kaupunki",
            "sv" => "Järvenranta stad",
            _ => "City of Järvenranta",
        };
        for n in [
            "<pdfaid:part>2</pdfaid:part>",
            "<pdfaid:conformance>A</pdfaid:conformance>",
            "<pdfuaid:part>1</pdfuaid:part>",
            &format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>"),
            &format!("<dc:creator><rdf:Seq><rdf:li>{owner}</rdf:li></rdf:Seq></dc:creator>"),
            &format!("<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>"),
            "<xmp:CreateDate>2026-12-01T00:00:00+00:00</xmp:CreateDate>",
        ] {
            assert!(xmp.contains(n), "{rel}: the XMP metadata lacks {n}");
        }
        let info = tool("pdfinfo", &[path.to_str().unwrap()]);
        assert!(
            info.lines()
                .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
            "{rel} is not tagged:\n{info}"
        );
    }
}

/// Two builds that each run typst give byte-identical PDFs.
#[test]
fn rebuilds_are_byte_identical() {
    let (a, b) = (Wrapper::fresh(), Wrapper::fresh());
    let (one, o1) = build_pdf("data/example.toml", a.path(), &["--member", "strandby"]);
    assert_eq!(o1.exit as i32, 0, "{}", o1.stderr);
    let (two, o2) = build_pdf(
        "data/example.toml",
        b.path(),
        &["--member", "strandby", "--jobs", "1"],
    );
    assert_eq!(o2.exit as i32, 0, "{}", o2.stderr);
    assert!(
        a.calls().iter().any(|c| c.starts_with("compile")),
        "{:?}",
        a.calls()
    );
    assert!(
        b.calls().iter().any(|c| c.starts_with("compile")),
        "{:?}",
        b.calls()
    );
    let (f1, f2) = (files(one.path()), files(two.path()));
    let pdfs: Vec<&String> = f1.keys().filter(|k| k.ends_with(".pdf")).collect();
    // Strandby's 6 documents and packet in Swedish; overview and certificates in Swedish
    // and in the packet's language, Finnish.
    assert_eq!(pdfs.len(), 6 + 1 + 2 * 2, "{pdfs:?}");
    for rel in pdfs {
        assert!(f1[rel] == f2[rel], "{rel} differs between two builds");
    }
}

/// A rebuild with no change runs no typst (not even `--version`) and writes no PDF.
#[test]
fn unchanged_rebuild_runs_no_typst_and_writes_no_pdf() {
    let w = Wrapper::fresh();
    let (dir, o) = build_pdf("data/example.toml", w.path(), &["--member", "pikkula"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let calls = w.calls();
    assert!(calls.iter().any(|c| c == "--version"), "{calls:?}");
    assert!(calls.iter().any(|c| c.starts_with("compile")), "{calls:?}");
    let stamp = |rel: &str| {
        std::fs::metadata(dir.path().join(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = stamp("fi/members/pikkula/packet.pdf");
    let out = dir.path().to_str().unwrap();
    let again = run([
        "build",
        "data/example.toml",
        "--format",
        "pdf",
        "--out",
        out,
        "--typst",
        w.path(),
        "--member",
        "pikkula",
    ]);
    assert_eq!(again.exit as i32, 0, "{}", again.stderr);
    assert_eq!(w.calls(), calls, "typst ran again");
    assert!(
        again
            .stderr
            .contains("PDF: 0 compiled by typst in 0 processes"),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains("(0 files written or changed)"),
        "{}",
        again.stderr
    );
    assert_eq!(stamp("fi/members/pikkula/packet.pdf"), before);
}

/// Organisation data that looks like markup or code comes out literally in the PDF text.
#[test]
fn hostile_names_appear_literally() {
    let (dir, o) = build_pdf(
        "tests/fixtures/valid/hostile.toml",
        typst().to_str().unwrap(),
        &[],
    );
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let root = dir.path();
    let owner = "**Bold** Owner <script>alert(1)</script> {{ owner }}";
    let member = "\" onmouseover=\"alert(1)\" x=\" Member";
    assert_text(
        root,
        "en/members/hostile/agreement.pdf",
        &[
            owner,
            member,
            "# Not a heading | not a cell",
            "`code` _under_ ~~strike~~",
            "[click](javascript:alert(1)) & &amp; entity",
            "{% raw %} Signatory {% endraw %}",
            "<b onmouseover=alert(1)>tech</b>",
            "![img](x) $math$ #hash @ref",
            "=== setext ---",
            "<!-- comment --> <!-- signatures --> */ /* // #let x = 1 $ \\ ]",
            "{{ __tera_context }} {% include \"en/agreement.md\" %} <style>body{}</style>",
        ],
    );
    assert_text(
        root,
        "en/members/hostile/authorisation.pdf",
        &[owner, member, "[ref](https://evil.example)"],
    );
    assert_text(
        root,
        "en/members/hostile/packet.pdf",
        &[
            owner,
            member,
            "<img src=x onerror=alert(1)> [place](javascript:alert(1))",
        ],
    );
}

/// Asking for PDFs without a typst program: exit 3 and the install command.
#[test]
fn missing_typst_exits_3_with_the_install_command() {
    let (dir, o) = build_pdf(
        "data/example.toml",
        "/nonexistent/typst",
        &["--member", "pikkula"],
    );
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains(INSTALL), "{}", o.stderr);
    assert!(o.stderr.contains("/nonexistent/typst"), "{}", o.stderr);
    assert!(!files(dir.path()).keys().any(|k| k.ends_with(".pdf")));
}

/// With the default formats and no typst (none on PATH, no `$TYPST`, no `--typst`), the
/// build succeeds without PDFs and says so in one line with the install command.
#[test]
fn default_formats_skip_pdf_without_typst() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = crate::run_process(
        &[
            "build",
            "data/example.toml",
            "--out",
            out,
            "--member",
            "pikkula",
        ],
        crate::repo(),
        &[("PATH", Some("/nonexistent")), ("TYPST", None)],
    );
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let notice: Vec<&str> = o
        .stderr
        .lines()
        .filter(|l| l.contains("PDFs skipped"))
        .collect();
    assert_eq!(notice.len(), 1, "{}", o.stderr);
    assert!(notice[0].contains(INSTALL), "{}", notice[0]);
    let all = files(dir.path());
    assert!(all.contains_key("fi/members/pikkula/agreement.md"));
    assert!(all.contains_key("fi/members/pikkula/agreement.html"));
    assert!(!all.keys().any(|k| k.ends_with(".pdf")), "{:?}", all.keys());
}

/// With the default formats and typst found, PDFs are made beside Markdown and HTML.
#[test]
fn default_formats_include_pdf_with_typst() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let typst = typst();
    let o = run([
        "build",
        "data/example.toml",
        "--out",
        out,
        "--member",
        "lakeside",
        "--typst",
        typst.to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let all = files(dir.path());
    for ext in ["md", "html", "pdf"] {
        assert!(
            all.contains_key(&format!("en/members/lakeside/agreement.{ext}")),
            "{ext}: {:?}",
            all.keys()
        );
    }
    assert!(all.contains_key("en/members/lakeside/packet.pdf"));
}

/// A failing typst: exit 3, its message shown with the document's name, and no PDF (nor
/// temporary file) left behind; the Markdown files already written stay.
#[test]
fn failing_typst_exits_3_with_its_message_and_leaves_no_pdf() {
    let w = Wrapper::new(
        "typst 0.15.1 (failing)",
        "echo 'error: the fake typst cannot compile' >&2\nexit 1",
    );
    let (dir, o) = build_pdf(
        "data/example.toml",
        w.path(),
        &["--member", "pikkula", "--format", "md,pdf"],
    );
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(
        o.stderr.contains("error: the fake typst cannot compile"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("fi/members/pikkula/agreement.pdf"),
        "{}",
        o.stderr
    );
    let all = files(dir.path());
    assert!(
        !all.keys()
            .any(|k| k.ends_with(".pdf") || k.contains(".tmp")),
        "{:?}",
        all.keys()
    );
    assert!(all.contains_key("fi/members/pikkula/agreement.md"));
}

/// A typst of another version is used, with a warning that names the version wanted.
#[test]
fn another_typst_version_gives_a_warning() {
    let w = Wrapper::new(
        "typst 0.14.2 (older)",
        &format!("exec '{}' \"$@\"", typst().display()),
    );
    let (dir, o) = build_pdf(
        "data/example.toml",
        w.path(),
        &["--member", "lakeside", "--lang", "en"],
    );
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("is typst 0.14.2, but xroad-share is made for typst 0.15.1"),
        "{}",
        o.stderr
    );
    assert!(dir.path().join("en/members/lakeside/packet.pdf").is_file());
}
