//! Clause numbers and cross-references, assigned by the tool: consecutive over input
//! variants that add or drop clauses, references that point at existing clauses, numbers that
//! move when a template adds a clause; and no Finnish or Swedish words in the program's code.

use std::collections::BTreeSet;
use std::path::Path;

use crate::documents::{build_md, files};
use crate::run;

const MINIMAL: &str = include_str!("../fixtures/valid/minimal.toml");

/// The minimal fixture with lines added to the member, to its agreement, and at the end.
fn variant(member: &str, agreement: &str, drop_end: bool, tail: &str) -> String {
    let mut text = MINIMAL.replace(
        "member_code = \"2345678-0\"\n",
        &format!("member_code = \"2345678-0\"\n{member}"),
    );
    text = text.replace(
        "[members.agreement]\nstarts = 2027-01-01\n",
        &format!("[members.agreement]\nstarts = 2027-01-01\n{agreement}"),
    );
    if drop_end {
        text = text.replace("ends = 2028-12-31\n", "");
    }
    text.push_str(tail);
    text
}

/// The variants: with and without fee, cost note and end date, TLS client certificates by
/// either side, the internal TLS line, and a known certificate (which adds a clause).
fn variants() -> Vec<(&'static str, String)> {
    let cert = "\n[[certificates]]\nkind = \"signing\"\ninstance = \"FI-TEST\"\nmember = \"pikkula\"\nexpires = 2028-11-20\n";
    vec![
        ("plain", variant("", "", false, "")),
        (
            "fee-note",
            variant(
                "",
                "annual_fee_eur = 1200\ncost_note = \"Laskutetaan vuosittain.\"\nnotice_months = 6\n",
                false,
                "",
            ),
        ),
        ("open-ended", variant("", "notice_months = 1\n", true, "")),
        (
            "owner-tls",
            variant("client_tls_by = \"owner\"\n", "", false, cert),
        ),
        (
            "member-tls",
            variant(
                "client_tls_by = \"member\"\ninternal_tls_by = \"member\"\n",
                "annual_fee_eur = 99.5\n",
                true,
                cert,
            ),
        ),
        (
            "terms-and-clauses",
            variant(
                "",
                "annual_fee_eur = 800\nliability_cap_eur = 2000\nvat = \"included\"\n",
                true,
                concat!(
                    "\n[terms]\nvenue = \"Vaasan käräjäoikeus\"\navailability_percent = 99\n",
                    "maintenance_window = \"Tue 18–20\"\nresponse_hours = 4\n",
                    "\n[[members.clauses]]\nsection = \"liability\"\nfi = \"Lisäehto.\"\nsv = \"Tillägg.\"\nen = \"Extra.\"\n",
                    "\n[[members.clauses]]\nsection = \"parties\"\nfi = \"Toinen.\"\nsv = \"Annan.\"\nen = \"Another.\"\n",
                    "\n[members.data_processing]\nmessage_body_logging = false\nsub_processors = [\"IT Oy\"]\n",
                ),
            ),
        ),
        (
            "services",
            variant(
                "",
                "",
                false,
                "\n[[members.subsystems]]\ncode = \"kartta-pikkula-service\"\ninstances = [\"FI-TEST\"]\nprovides_services = true\n\n[[members.clauses]]\nsection = \"services\"\nfi = \"Palvelu.\"\nsv = \"Tjänst.\"\nen = \"Service.\"\n",
            ),
        ),
    ]
}

/// Sections (`## N.`) and clauses (`**N.M**`, `**N.M …**`, `### N.M`) of a document, in order.
fn numbers(md: &str) -> Vec<(u32, Option<u32>)> {
    let mut out = Vec::new();
    for line in md.lines() {
        if let Some(rest) = line.strip_prefix("## ") {
            if let Some((n, _)) = rest.split_once(". ")
                && let Ok(n) = n.parse()
            {
                out.push((n, None));
            }
            continue;
        }
        let body = line
            .strip_prefix("### ")
            .or_else(|| line.strip_prefix("**"))
            .unwrap_or("");
        let head: String = body
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if let Some((s, c)) = head.split_once('.')
            && let (Ok(s), Ok(c)) = (s.parse(), c.parse())
        {
            out.push((s, Some(c)));
        }
    }
    out
}

/// The numbers a document refers to: "clause 3", "clauses 5 and 6", "kohdassa 3.2",
/// "kohdat 5 ja 6", "punkt 3", "punkterna 5 och 6".
fn references(md: &str) -> Vec<String> {
    let words = [
        "clause ",
        "clauses ",
        "kohta ",
        "kohdan ",
        "kohdassa ",
        "kohdat ",
        "Kohdan ",
        "punkt ",
        "punkten ",
        "punkterna ",
    ];
    let mut out = Vec::new();
    for w in words {
        for (i, _) in md.match_indices(w) {
            let rest = &md[i + w.len()..];
            for (k, part) in rest.split([' ', ')', ',']).take(3).enumerate() {
                let num: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let num = num.trim_end_matches('.').to_string();
                if !num.is_empty() && num.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    out.push(num);
                } else if k == 0 || !["and", "ja", "och"].contains(&part) {
                    break;
                }
            }
        }
    }
    out
}

/// Checks one document: sections 1..n in order, each section's clauses 1..k, and every
/// reference naming a section or clause that exists. Returns how many references it has.
fn check(name: &str, md: &str) -> usize {
    let found = numbers(md);
    let (mut section, mut clause) = (0, 0);
    for (s, c) in &found {
        match c {
            None => {
                assert_eq!(*s, section + 1, "{name}: section {s} after {section}\n{md}");
                section = *s;
                clause = 0;
            }
            Some(c) => {
                assert_eq!(
                    *s, section,
                    "{name}: clause {s}.{c} in section {section}\n{md}"
                );
                assert_eq!(
                    *c,
                    clause + 1,
                    "{name}: clause {s}.{c} after {s}.{clause}\n{md}"
                );
                clause = *c;
            }
        }
    }
    assert!(section >= 5, "{name}: only {section} sections\n{md}");
    let known: BTreeSet<String> = found
        .iter()
        .map(|(s, c)| match c {
            Some(c) => format!("{s}.{c}"),
            None => s.to_string(),
        })
        .collect();
    let refs = references(md);
    for r in &refs {
        assert!(
            known.contains(r),
            "{name}: a reference to {r}, which is not there\n{md}"
        );
    }
    refs.len()
}

/// Over every variant and language, the agreement, its data processing annex and the
/// authorisation have consecutive section and clause numbers, and every cross-reference
/// points at an existing one.
#[test]
fn numbers_are_consecutive_and_references_exist() {
    let dir = tempfile::tempdir().unwrap();
    for (label, text) in variants() {
        let input = dir.path().join(format!("{label}.toml"));
        std::fs::write(&input, &text).unwrap();
        let (out, o) = build_md(input.to_str().unwrap(), &["--lang", "fi,sv,en"]);
        assert_eq!(o.exit as i32, 0, "{label}: {}", o.stderr);
        let all = files(out.path());
        for lang in ["fi", "sv", "en"] {
            let mut refs = 0;
            for doc in ["agreement", "data-processing", "authorisation"] {
                let rel = format!("{lang}/members/pikkula/{doc}.md");
                let md = String::from_utf8(all[&rel].clone()).unwrap();
                refs += check(&format!("{label} {rel}"), &md);
            }
            assert!(
                refs >= 3,
                "{label} {lang}: only {refs} references were found"
            );
        }
    }
}

/// The number and reference that precede a heading's text, e.g. `("3", "The shared …")`.
fn sections(md: &str) -> Vec<(String, String)> {
    md.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|l| l.split_once(". "))
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

/// A section added in the middle of an ejected agreement moves every later section number
/// and every reference to them; nothing before it changes.
#[test]
fn a_clause_added_in_an_ejected_template_renumbers_the_rest() {
    let tpl = tempfile::tempdir().unwrap();
    let o = run(["templates", "--eject", tpl.path().to_str().unwrap()]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let structure = tpl.path().join("agreement.md");
    let text = std::fs::read_to_string(&structure).unwrap();
    let anchor = "## {{ section(id=\"servers\") }}";
    assert!(
        text.contains(anchor),
        "the ejected agreement has the servers section"
    );
    let added = text.replacen(
        anchor,
        &format!(
            "## {{{{ section(id=\"added\") }}}} Added section\n\n{{{{ clause() }}}} A new clause, see clause {{{{ ref(id=\"servers\") }}}}.\n\n{anchor}"
        ),
        1,
    );
    std::fs::write(&structure, added).unwrap();
    let (before, o) = build_md(
        "data/example.toml",
        &["--lang", "en", "--member", "pikkula"],
    );
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let t = tpl.path().to_str().unwrap();
    let (after, o) = build_md(
        "data/example.toml",
        &["--lang", "en", "--member", "pikkula", "--templates", t],
    );
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let read =
        |d: &Path| std::fs::read_to_string(d.join("en/members/pikkula/agreement.md")).unwrap();
    let (old, new) = (read(before.path()), read(after.path()));
    let (old_s, new_s) = (sections(&old), sections(&new));
    assert_eq!(new_s.len(), old_s.len() + 1);
    let at = new_s
        .iter()
        .position(|(_, t)| t == "Added section")
        .unwrap();
    assert_eq!(
        new_s[..at],
        old_s[..at],
        "sections before the new one keep their numbers"
    );
    for (o, n) in old_s[at..].iter().zip(&new_s[at + 1..]) {
        assert_eq!(o.1, n.1);
        let (o, n): (u32, u32) = (o.0.parse().unwrap(), n.0.parse().unwrap());
        assert_eq!(n, o + 1, "a later section moves by one");
    }
    let servers = &old_s[at].0;
    let moved = (servers.parse::<u32>().unwrap() + 1).to_string();
    assert!(
        old.contains(&format!("listed in clause {servers} ")),
        "{old}"
    );
    assert!(new.contains(&format!("listed in clause {moved} ")), "{new}");
    assert!(
        new.contains(&format!("A new clause, see clause {moved}.")),
        "{new}"
    );
    check("ejected", &new);
}

/// A value that holds the private-use characters of the clause markers cannot become a
/// marker: it is printed without them, and the numbering stays intact.
#[test]
fn values_cannot_fake_a_clause_marker() {
    let text = MINIMAL.replace(
        "name = \"Pikkulan kunta\"",
        "name = \"Pikkula \u{E000}S\u{E001} \u{E000}Rnope\u{E001} kunta\"",
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("fake.toml");
    std::fs::write(&input, text).unwrap();
    let (out, o) = build_md(input.to_str().unwrap(), &["--lang", "en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let md = std::fs::read_to_string(out.path().join("en/members/pikkula/agreement.md")).unwrap();
    assert!(md.contains("Pikkula"), "{md}");
    assert!(!md.contains('\u{E000}') && !md.contains('\u{E001}'), "{md}");
    check("fake", &md);
}

/// The Finnish and Swedish words of the catalogues (those not also in the English one).
fn nordic_words() -> BTreeSet<String> {
    let words = |lang: &str| -> BTreeSet<String> {
        let text = std::fs::read_to_string(format!("templates/{lang}/words.ftl")).unwrap();
        text.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .filter_map(|l| {
                l.split_once(" = ")
                    .map(|(_, v)| v.to_string())
                    .or(Some(l.to_string()))
            })
            .flat_map(|v| {
                v.split(|c: char| !c.is_alphabetic())
                    .filter(|w| w.chars().count() >= 5)
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let en = words("en");
    // Words that Swedish or Finnish share with English code and messages.
    let shared = ["version", "status", "server", "standard"];
    let mut nordic: BTreeSet<String> = words("fi").union(&words("sv")).cloned().collect();
    nordic.retain(|w| !en.contains(w) && !shared.contains(&w.as_str()));
    nordic
}

/// The program's own code (outside its tests) holds no Finnish or Swedish words: every word
/// a user sees in those languages comes from the templates and the catalogues.
#[test]
fn no_finnish_or_swedish_words_in_the_code() {
    let nordic = nordic_words();
    assert!(
        nordic.len() > 100,
        "too few words to check: {}",
        nordic.len()
    );
    // The check would notice the words that the code used to hold.
    for w in ["allekirjoitusvarmenne", "förnyelse", "sisällys"] {
        assert!(nordic.contains(w), "`{w}` is not among the words checked");
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new("src")
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // The code before the first test module; doc comments and comments are not shown.
        let end = ["#[cfg(test)]", "#[cfg(all(test"]
            .iter()
            .filter_map(|m| text.find(m))
            .min()
            .unwrap_or(text.len());
        let code = &text[..end];
        for (n, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or("");
            // Word's own markup and style references name the built-in style `Normal`: a
            // name of the format, not a word of the documents.
            if ["<w:", ".based_on(\"", ".next(\""]
                .iter()
                .any(|m| line.contains(m))
            {
                continue;
            }
            for lit in line.split('"').skip(1).step_by(2) {
                for w in lit.split(|c: char| !c.is_alphabetic()) {
                    if nordic.contains(&w.to_lowercase()) {
                        found.push(format!("{}:{}: {w}", entry.path().display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "Finnish or Swedish words in the code:\n{}",
        found.join("\n")
    );
}
