//! The Markdown documents: reviewed snapshots of the example in every language, the content
//! that SPEC §4 requires, escaping of hostile names, determinism and safe output.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::run;

/// Builds `input` as Markdown with extra arguments into a new temporary folder.
pub fn build_md(input: &str, extra: &[&str]) -> (tempfile::TempDir, crate::Outcome) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_string();
    let mut args = vec!["build", input, "--format", "md", "--out", out.as_str()];
    args.extend_from_slice(extra);
    let o = run(args);
    (dir, o)
}

/// Every file under `root`, relative path → bytes.
pub fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The example's documents in Finnish, Swedish and English, as reviewed snapshots.
#[test]
fn example_documents() {
    let (dir, o) = build_md("data/example.toml", &["--lang", "fi,sv,en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let all = files(dir.path());
    let docs: Vec<_> = all.keys().filter(|k| k.ends_with(".md")).collect();
    // 3 languages × (2 packet documents + 3 members × 5 member documents).
    assert_eq!(docs.len(), 3 * (2 + 3 * 5), "{docs:?}");
    for rel in docs {
        let name = format!("doc-{}", rel.trim_end_matches(".md").replace('/', "-"));
        insta::assert_snapshot!(name, String::from_utf8(all[rel].clone()).unwrap());
    }
}

/// Without `--lang`, each member's documents are in its own language and the packet
/// documents in every language used.
#[test]
fn default_languages_follow_members() {
    let (dir, o) = build_md("data/example.toml", &[]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let all = files(dir.path());
    assert!(all.contains_key("fi/members/pikkula/agreement.md"));
    assert!(all.contains_key("sv/members/strandby/agreement.md"));
    assert!(all.contains_key("en/members/lakeside/agreement.md"));
    assert!(!all.contains_key("fi/members/strandby/agreement.md"));
    for lang in ["fi", "sv", "en"] {
        assert!(all.contains_key(&format!("{lang}/overview.md")), "{lang}");
    }
}

/// `--member` limits the build to those members.
#[test]
fn member_filter() {
    let (dir, o) = build_md(
        "data/example.toml",
        &["--member", "strandby", "--lang", "en"],
    );
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let all = files(dir.path());
    assert!(all.contains_key("en/members/strandby/agreement.md"));
    assert!(
        !all.keys()
            .any(|k| k.contains("pikkula") || k.contains("lakeside")),
        "{:?}",
        all.keys()
    );
    let overview = read(dir.path(), "en/overview.md");
    assert!(overview.contains("Strandby kommun") && !overview.contains("Pikkulan kunta"));
}

/// What SPEC §4 requires of each document, in each language.
#[test]
fn documents_have_the_required_content() {
    let (dir, o) = build_md("data/example.toml", &["--lang", "fi,sv,en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let root = dir.path();
    let draft = [("fi", "LUONNOS"), ("sv", "UTKAST"), ("en", "DRAFT")];
    let may6 = [("fi", "6.5.2026"), ("sv", "6.5.2026"), ("en", "6 May 2026")];
    for (lang, mark) in draft {
        let has = |rel: &str, needles: &[&str]| {
            let text = read(root, rel);
            for n in needles {
                assert!(text.contains(n), "{rel} lacks {n:?}");
            }
            text
        };
        let m = "members/pikkula";
        let ids = [
            "SERVER:FI-TEST/MUN/1234567-1/jarvenrantalptest01",
            "SERVER:FI/MUN/1234567-1/jarvenrantalp01",
            "SUBSYSTEM:FI-TEST/MUN/2345678-0/vtj-pikkula-client",
            "SUBSYSTEM:FI/MUN/2345678-0/vtj-pikkula-client",
            "MEMBER:FI/MUN/2345678-0",
        ];
        // The agreement: parties, servers, subsystems, responsibilities, certificates, costs, term, signatures.
        let agreement = has(
            &format!("{lang}/{m}/agreement.md"),
            &[
                mark,
                "Järvenrannan kaupunki",
                "Pikkulan kunta",
                "1234567-1",
                "2345678-0",
                "PL 1, 99999 Järvenranta",
                "Kunnantie 1, 99998 Pikkula",
                "it@pikkula.example",
                "palveluvayla@jarvenranta.example",
                "Kaisa Kunnanjohtaja",
                "Kalle Kaupunginjohtaja",
                "jarvenrantalptest01.jarvenranta.fi",
                "203.0.113.10",
                "203.0.113.11",
                "<!-- signatures -->",
                "<!-- /signatures -->",
                if lang == "en" {
                    "1 January 2027"
                } else {
                    "1.1.2027"
                },
                if lang == "en" { "1,200" } else { "1\u{a0}200" },
            ],
        );
        for id in ids {
            assert!(agreement.contains(id), "{lang} agreement lacks {id}");
        }
        let tables = agreement.matches("\n| --- |").count();
        assert!(
            tables >= 3,
            "{lang} agreement has the server, responsibility and certificate tables"
        );
        // The authorisation: principal and agent, the 6 May 2026 rule, permits, validity.
        let (_, date) = may6.iter().find(|(l, _)| *l == lang).unwrap();
        has(
            &format!("{lang}/{m}/authorisation.md"),
            &[
                mark,
                "1234567-1",
                "2345678-0",
                date,
                "DVV/1234/2026",
                if lang == "en" {
                    "31 December 2028"
                } else {
                    "31.12.2028"
                },
                "FI-TEST/jarvenrantalptest01/MUN",
                "<!-- signatures -->",
            ],
        );
        // The permit field sheet: every field per instance.
        has(
            &format!("{lang}/{m}/permit-fields.md"),
            &[
                mark,
                "Pikkulan kunta",
                "2345678-0",
                "vtj-pikkula-client",
                "jarvenrantalptest01.jarvenranta.fi",
                "203.0.113.10",
                "jarvenrantalp01",
                "MUN",
                "Järvenrannan kaupunki",
                "kirjaamo@pikkula.example",
                "it@pikkula.example",
                "- [ ]",
            ],
        );
        // The checklists: one task per phase, ticked with the date where progress has one.
        let member = has(&format!("{lang}/{m}/member-checklist.md"), &[mark]);
        assert_eq!(
            member.matches("- [x]").count() + member.matches("- [ ]").count(),
            12,
            "{lang} member checklist"
        );
        assert_eq!(
            member.matches("- [x]").count(),
            5,
            "{lang} member checklist ticks"
        );
        let owner = has(&format!("{lang}/{m}/owner-checklist.md"), &[mark]);
        assert_eq!(
            owner.matches("- [x]").count() + owner.matches("- [ ]").count(),
            21,
            "{lang} owner checklist"
        );
        assert_eq!(
            owner.matches("- [x]").count(),
            4,
            "{lang} owner checklist ticks"
        );
        let nov25 = if lang == "en" {
            "25 November 2026"
        } else {
            "25.11.2026"
        };
        assert!(member.contains(nov25), "{lang}: the permit's date is shown");
        // The register: every certificate of the arrangement, with renewal starts.
        let register = has(
            &format!("{lang}/certificates.md"),
            &[
                "MEMBER:FI-TEST/COM/2847361-9",
                "SUBSYSTEM:FI-TEST/MUN/4567890-7/kartta-strandby-service",
                "SERVER:FI/MUN/1234567-1/jarvenrantalp01",
            ],
        );
        let renew = if lang == "en" {
            "16 December 2026"
        } else {
            "16.12.2026"
        };
        assert!(
            register.contains(renew),
            "{lang}: the renewal start of the FI authentication certificate"
        );
        // The overview: servers, members, subsystems and progress.
        has(
            &format!("{lang}/overview.md"),
            &[
                "jarvenrantalp01.jarvenranta.fi",
                "Strandby kommun",
                "Lakeside Digital Services Ltd",
                "SUBSYSTEM:FI-TEST/COM/2847361-9/booking-lakeside-service",
                "5/12",
            ],
        );
    }
}

/// Final mode removes the draft marking.
#[test]
fn final_documents_have_no_draft_marking() {
    let (dir, o) = build_md(
        "tests/fixtures/valid/minimal.toml",
        &["--final", "--lang", "fi,sv,en"],
    );
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    for (rel, bytes) in files(dir.path()) {
        let text = String::from_utf8(bytes).unwrap();
        for mark in ["LUONNOS", "UTKAST", "DRAFT"] {
            assert!(!text.contains(mark), "{rel} still says {mark}");
        }
    }
}

/// Text of every document rendered through pulldown-cmark: names must come out as literal
/// text, and nothing from the data may become a link, an image, emphasis, code or HTML.
#[test]
fn hostile_names_stay_text() {
    let (dir, o) = build_md("tests/fixtures/valid/hostile.toml", &["--lang", "fi,sv,en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let literal = [
        "**Bold** Owner <script>alert(1)</script> {{ owner }}",
        "\" onmouseover=\"alert(1)\" x=\" Member",
        "{{ __tera_context }} {% include \"en/agreement.md\" %} <style>body{}</style>",
        "[click](javascript:alert(1)) & &amp; entity",
        "<b onmouseover=alert(1)>tech</b>",
        "1. not a list - not a bullet > not a quote",
    ];
    let mut seen = vec![false; literal.len()];
    for (rel, bytes) in files(dir.path())
        .into_iter()
        .filter(|(r, _)| r.ends_with(".md"))
    {
        let md = String::from_utf8(bytes).unwrap();
        let mut text = String::new();
        for event in Parser::new_ext(
            &md,
            Options::ENABLE_TABLES
                | Options::ENABLE_FOOTNOTES
                | Options::ENABLE_STRIKETHROUGH
                | Options::ENABLE_TASKLISTS,
        ) {
            match event {
                Event::Text(t) => text.push_str(&t),
                // Code spans come from the templates' `code` filter; their content is literal too.
                Event::Code(c) => text.push_str(&c),
                Event::Html(h) | Event::InlineHtml(h) => {
                    assert!(
                        matches!(
                            h.trim(),
                            "<!-- signatures -->"
                                | "<!-- /signatures -->"
                                | "<!-- signatory -->"
                                | "<!-- /signatory -->"
                        ),
                        "{rel}: raw HTML {h:?}"
                    )
                }
                Event::Start(Tag::Link { dest_url, .. })
                | Event::Start(Tag::Image { dest_url, .. }) => {
                    panic!("{rel}: a link or image to {dest_url} came from data")
                }
                Event::Start(Tag::Heading { .. }) | Event::Start(Tag::BlockQuote(_)) => {
                    text.push('\n')
                }
                _ => {}
            }
        }
        for (i, l) in literal.iter().enumerate() {
            if text.contains(l) {
                seen[i] = true;
            }
        }
        assert!(
            !text.contains("Järvenrannan kaupunki"),
            "{rel}: template code from data was executed"
        );
    }
    for (l, s) in literal.iter().zip(seen) {
        assert!(s, "{l:?} never appears as literal text");
    }
}

/// Two builds of the same input give the same bytes; a rebuild changes no file.
#[test]
fn builds_are_reproducible() {
    let (a, o) = build_md("data/example.toml", &["--lang", "fi,sv,en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let (b, _) = build_md("data/example.toml", &["--lang", "fi,sv,en"]);
    assert_eq!(files(a.path()), files(b.path()));
    let out = a.path().to_str().unwrap();
    let o = run([
        "build",
        "data/example.toml",
        "--format",
        "md",
        "--lang",
        "fi,sv,en",
        "--out",
        out,
    ]);
    assert!(
        o.stderr.contains("(0 files written or changed)"),
        "{}",
        o.stderr
    );
}

/// The manifest lists every file written with its SHA-256, the input's hash and the version.
#[test]
fn manifest_lists_every_file() {
    let (dir, o) = build_md("data/example.toml", &[]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(dir.path(), "manifest.json")).unwrap();
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        manifest["input"]["sha256"],
        xroad_share::output::sha256_hex(&std::fs::read("data/example.toml").unwrap())
    );
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let on_disk: Vec<String> = files(dir.path())
        .into_keys()
        .filter(|k| k != "manifest.json" && k != xroad_share::output::LOCK_FILE)
        .collect();
    assert_eq!(listed, on_disk);
    for f in manifest["files"].as_array().unwrap() {
        let bytes = std::fs::read(dir.path().join(f["path"].as_str().unwrap())).unwrap();
        assert_eq!(f["sha256"], xroad_share::output::sha256_hex(&bytes));
    }
}

/// An invalid input writes nothing; files the tool did not write are never deleted.
#[test]
fn output_is_safe() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run([
        "build",
        "tests/fixtures/invalid/business-id-check-digit.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 1);
    assert!(!out.exists(), "nothing is written for an invalid input");
    std::fs::create_dir_all(out.join("fi")).unwrap();
    std::fs::write(out.join("fi/notes.txt"), "mine").unwrap();
    let o = run([
        "build",
        "data/example.toml",
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("fi/notes.txt")).unwrap(),
        "mine"
    );
    let leftovers: Vec<_> = files(&out)
        .into_keys()
        .filter(|k| k.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `--templates` overrides a built-in template; a template error exits 3 naming the file and line.
#[test]
fn template_overrides_and_errors() {
    let tpl = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tpl.path().join("en")).unwrap();
    // The shared structure of a document, overridden as a whole.
    std::fs::write(
        tpl.path().join("overview.md"),
        "# Our overview\n\nOwner: {{ owner.name }}\n",
    )
    .unwrap();
    let t = tpl.path().to_str().unwrap();
    let (dir, o) = build_md("data/example.toml", &["--lang", "en", "--templates", t]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert_eq!(
        read(dir.path(), "en/overview.md"),
        "# Our overview\n\nOwner: Järvenrannan kaupunki\n"
    );
    // A broken prose file is named, with its line.
    std::fs::remove_file(tpl.path().join("overview.md")).unwrap();
    std::fs::write(
        tpl.path().join("en/overview.md"),
        "{# Broken #}\n\n{% macro header() %}\nno end\n",
    )
    .unwrap();
    let (dir, o) = build_md("data/example.toml", &["--lang", "en", "--templates", t]);
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains("en/overview.md"), "{}", o.stderr);
    // Tera names the line where the unclosed macro ends: the end of the file.
    assert!(
        o.stderr.contains("--> 5:"),
        "the line is named: {}",
        o.stderr
    );
    assert!(
        files(dir.path()).is_empty(),
        "a template error writes nothing"
    );
}
