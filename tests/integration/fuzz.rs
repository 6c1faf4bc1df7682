//! A fuzz target over the free-text fields: hostile strings (markup of Markdown, HTML and
//! Typst, table separators, links with any scheme, control and bidirectional characters,
//! emoji) and random text go into every free-text field of the example. Whatever they are,
//! the tool never panics, exits with a code of SPEC §1 (0–4), and when it builds, the
//! Markdown, HTML and Typst outputs hold no markup that came from data.
//!
//! The number of cases is `PROPTEST_CASES` (default 8 here, for CI); a long run:
//! `PROPTEST_CASES=100000 cargo nextest run --release --test integration -E 'test(/fuzz/)'`.

use proptest::prelude::*;

use crate::run;

/// The example input.
const EXAMPLE: &str = include_str!("../../data/example.toml");

/// The free-text values of the example that documents print.
const FIELDS: &[&str] = &[
    "name = \"Pikkulan kunta\"",
    "address = \"Kunnantie 1, 99998 Pikkula\"",
    "name = \"Pekka Pikkulainen\"",
    "title = \"Kunnanjohtaja\"",
    "place = \"Järvenranta\"",
    "FI-TEST = \"DVV/1234/2026\"",
];

/// Pieces that have a meaning in one of the output languages.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "| x |",
        "[evil](http://evil.example/)",
        "<script>alert(1)</script>",
        "<b>b</b>",
        "*e*",
        "_u_",
        "`c`",
        "#link(\"http://evil.example\")[x]",
        "#set page(width: 1pt)",
        "$x^2$",
        "@ref",
        "<label>",
        "\\",
        "\"",
        "'",
        "]",
        "[",
        "{{ 1 }}",
        "{% if %}",
        "&amp;",
        "\n# Heading\n",
        "\n| a | b |\n|---|---|\n",
        "<!-- c -->",
        "javascript:x",
        "Ærø",
        "–",
        "http://evil.example/",
        "![i](http://evil.example/i.png)",
        "<http://evil.example>",
        "=",
        "//",
        "/*",
    ]);
    // Characters that `check` refuses: rarer, so that most cases reach the documents.
    let refused = prop::sample::select(vec![
        "\u{1b}[2J",
        "\u{202e}",
        "\u{200b}",
        "\u{0}",
        "😀",
        "町",
    ]);
    let piece = prop_oneof![
        8 => pieces.prop_map(String::from),
        1 => refused.prop_map(String::from),
        3 => "[ -~]{0,6}",
    ];
    prop::collection::vec(piece, 1..5).prop_map(|v| v.concat())
}

/// Whether `code` occurs in Typst markup `typst` as code: not escaped by a backslash and
/// not inside the string literal of a `#raw("…")` (inline code, shown as it is).
fn live(typst: &str, code: &str) -> bool {
    let mut markup = String::with_capacity(typst.len());
    let mut rest = typst;
    while let Some(at) = rest.find("#raw(\"") {
        markup.push_str(&rest[..at]);
        let literal = &rest[at + 6..];
        let mut end = literal.len();
        let mut escaped = false;
        for (i, c) in literal.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = i + 1;
                    break;
                }
                _ => escaped = false,
            }
        }
        rest = &literal[end..];
    }
    markup.push_str(rest);
    markup
        .match_indices(code)
        .any(|(at, _)| !markup[..at].ends_with('\\'))
}

/// `s` as a TOML basic string (escaped).
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(8),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    // Hostile text in every free-text field: no panic, an exit code of 0–4, and no markup
    // from data in the Markdown, HTML and Typst outputs.
    #[test]
    fn fuzz_free_text_fields(values in prop::collection::vec(hostile(), FIELDS.len())) {
        let mut text = EXAMPLE.to_string();
        for (field, value) in FIELDS.iter().zip(&values) {
            let (key, _) = field.split_once(" = ").unwrap();
            text = text.replacen(field, &format!("{key} = {}", toml_string(value)), 1);
        }
        let dir = tempfile::tempdir().unwrap();
        let certs = dir.path().join("certs");
        std::fs::create_dir(&certs).unwrap();
        for entry in std::fs::read_dir(crate::repo().join("data/certs")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), certs.join(entry.file_name())).unwrap();
        }
        // Without the CSR, whose subject would have to match the name.
        let text = text.replace("file = \"certs/pikkula-sign-test.csr\"\n", "");
        let input = dir.path().join("sharing.toml");
        std::fs::write(&input, &text).unwrap();
        let out = dir.path().join("out");
        let o = run([
            "build", input.to_str().unwrap(), "--format", "md,html", "--out",
            out.to_str().unwrap(), "--member", "pikkula", "--lang", "fi",
        ]);
        let code = o.exit as i32;
        prop_assert!((0..=4).contains(&code), "exit {code}: {}", o.stderr);
        prop_assert!(!o.stderr.contains('\u{1b}'), "raw escape: {:?}", o.stderr);
        if code == 0 {
            for entry in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok) {
                let path = entry.path();
                let Some(ext) = path.extension().and_then(|e| e.to_str()) else { continue };
                let Ok(body) = std::fs::read_to_string(path) else { continue };
                match ext {
                    "md" => {
                        let typst = xroad_share::render::typst::markdown_to_typst(&body);
                        prop_assert!(!live(&typst, "#link(\"http://evil.example"), "{}", path.display());
                        prop_assert!(!live(&typst, "#set page(width: 1pt)"), "{}", path.display());
                        use pulldown_cmark::{Event, Options, Parser, Tag};
                        for event in Parser::new_ext(&body, Options::ENABLE_TABLES) {
                            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
                                prop_assert!(!dest_url.contains("evil.example"), "{}: {dest_url}", path.display());
                            }
                            if let Event::Html(h) | Event::InlineHtml(h) = &event {
                                prop_assert!(!h.contains("<script") && !h.contains("<b>"), "{}: {h}", path.display());
                            }
                        }
                    }
                    "html" => {
                        prop_assert!(!body.contains("href=\"http://evil.example"), "{}", path.display());
                        prop_assert!(!body.contains("<script>alert"), "{}", path.display());
                        prop_assert!(!body.contains("src=\"http://evil.example"), "{}", path.display());
                        prop_assert!(!body.contains("<b>b</b>"), "{}", path.display());
                    }
                    _ => {}
                }
            }
        }
    }
}
