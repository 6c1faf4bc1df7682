//! Regression tests of the attacks of the hardening review, one test per attack, each
//! named after it: injection through table cells, unbounded reads, hanging or leaking
//! processes, unsafe output paths, template limits, hostile text, dates and amounts.

use std::path::{Path, PathBuf};

use crate::run;

/// The example input.
const EXAMPLE: &str = include_str!("../../data/example.toml");

/// A folder with the example's certificate files and `text` as `sharing.toml`.
fn workspace(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    for entry in std::fs::read_dir(crate::repo().join("data/certs")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), certs.join(entry.file_name())).unwrap();
    }
    let input = dir.path().join("sharing.toml");
    std::fs::write(&input, text).unwrap();
    (dir, input)
}

/// Replaces the first occurrence of `from` in the example by `to`.
fn example_with(from: &str, to: &str) -> String {
    assert!(EXAMPLE.contains(from), "the example has no {from:?}");
    EXAMPLE.replacen(from, to, 1)
}

/// Builds `input` into `dir/out` with the given formats.
fn build(input: &Path, formats: &str, extra: &[&str]) -> (PathBuf, crate::Outcome) {
    let out = input.parent().unwrap().join("out");
    let mut args = vec![
        "build".to_string(),
        input.display().to_string(),
        "--format".into(),
        formats.into(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_string()));
    let o = run(args);
    (out, o)
}

/// Every file under `root` with the given extension, as (relative path, text).
fn texts(root: &Path, ext: &str) -> Vec<(String, String)> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The number of cells in each row of every GFM table of a Markdown text, with the row's
/// expected count (that of its table's header).
fn table_rows(markdown: &str) -> Vec<(usize, usize)> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut rows = Vec::new();
    let (mut head, mut cells) = (0, 0);
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead) => head = cells,
            Event::End(TagEnd::TableRow) => rows.push((cells, head)),
            _ => {}
        }
    }
    rows
}

/// Asserts that no document of `out` has a link or a table cell that came from data: no
/// `evil.example` link in HTML or Typst, and every table row as wide as its header (GFM
/// pads or truncates rows, so a split cell shows as text moved to another column).
fn assert_no_injection(out: &Path, marker: &str) {
    for (rel, md) in texts(out, "md") {
        for (cells, head) in table_rows(&md) {
            assert_eq!(cells, head, "{rel}: a row has another number of cells");
        }
        let typst = xroad_share::render::typst::markdown_to_typst(&md);
        assert!(
            !typst.contains(&format!("#link(\"http://{marker}")),
            "{rel}: a live link in the PDF source"
        );
    }
    for (rel, html) in texts(out, "html") {
        assert!(
            !html.contains(&format!("href=\"http://{marker}")),
            "{rel}: a live link"
        );
    }
}

// Attack 1: a `|` in a name, a CSR subject or any value never splits a table cell or makes a
// live link in the Markdown, HTML or PDF source.
#[test]
fn attack_01_table_cell_injection() {
    let text = EXAMPLE
        .replace(
            "name = \"Pikkulan kunta\"",
            "name = \"Evil [click here](http://evil.example/login) | Oy\"",
        )
        .replace("file = \"certs/pikkula-sign-test.csr\"\n", "");
    let (_dir, input) = workspace(&text);
    let (out, o) = build(&input, "md,html", &["--lang", "fi,en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert_no_injection(&out, "evil.example");
    // Links with unsafe schemes are text in the PDF, as in HTML.
    for url in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "JaVa\tScRiPt:x",
    ] {
        let typst = xroad_share::render::typst::markdown_to_typst(&format!("[x](<{url}>)"));
        assert!(!typst.contains("#link("), "{url}: {typst}");
    }
    let typst = xroad_share::render::typst::markdown_to_typst("[x](https://dvv.fi/)");
    assert!(typst.contains("#link("), "{typst}");
}
