//! No input makes the tool panic: random bytes, and random edits of a valid file.

use proptest::prelude::*;
use proptest::strategy::ValueTree;

const EXAMPLE: &str = include_str!("../../data/example.toml");

/// Loads and validates a text the way `check` does, minus the file system: the checked
/// model is there exactly when no diagnostic is an error.
fn check_text(text: &str) {
    let loaded = xroad_share::load::load(text);
    if let Some(input) = &loaded.input {
        let facts = xroad_share::certs::Facts::default();
        let checked = xroad_share::validate::validate(input, &facts, Default::default());
        assert_eq!(checked.arrangement.is_some(), checked.errors() == 0);
        if let Some(a) = &checked.arrangement {
            let _ = xroad_share::register::register(a, a.date);
        }
        let _ =
            xroad_share::diagnostic::Report::new("x.toml", text).render(&checked.diagnostics, true);
    }
    let _ = xroad_share::diagnostic::Report::new("x.toml", text).render(&loaded.diagnostics, false);
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Replace(usize, char),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), "[\\PC\\n\"'=\\[\\]{},.#-]{0,12}").prop_map(|(a, s)| Edit::Insert(a, s)),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Edit::Replace(a, c)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let len = chars.len().max(1);
        match e {
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(chars.len());
                if at < end {
                    chars.drain(at..end);
                }
            }
            Edit::Insert(at, s) => {
                let at = at % (chars.len() + 1);
                for (i, c) in s.chars().enumerate() {
                    chars.insert(at + i, c);
                }
            }
            Edit::Replace(at, c) => {
                if !chars.is_empty() {
                    let at = at % chars.len();
                    chars[at] = *c;
                }
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Random bytes, read leniently as text, never panic the loader or validator.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check_text(&String::from_utf8_lossy(&bytes));
    }

    /// Random edits of the bundled example never panic.
    #[test]
    fn mutated_example_never_panics(edits in proptest::collection::vec(edit(), 1..8)) {
        check_text(&apply(EXAMPLE, &edits));
    }

    /// The identifier rules answer for any string.
    #[test]
    fn identifier_rules_are_total(s in "\\PC{0,80}") {
        let _ = xroad_share::xroad::check_business_id(&s);
        let _ = xroad_share::xroad::check_fqdn(&s);
        let _ = xroad_share::xroad::check_identifier(&s);
        let _ = xroad_share::xroad::parse_ipv4(&s);
        let _ = xroad_share::templates::escape_markdown(&s);
    }
}

/// Random edits through the whole `check` command, files and all, never panic.
#[test]
fn mutated_files_through_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.toml");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..64 {
        let edits = proptest::collection::vec(edit(), 1..6)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        std::fs::write(&path, apply(EXAMPLE, &edits)).unwrap();
        let o = crate::run(["check", path.to_str().unwrap()]);
        assert!(
            matches!(o.exit as i32, 0 | 1),
            "exit {} for:\n{}",
            o.exit as i32,
            o.stderr
        );
    }
}
