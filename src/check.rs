//! Building the checked model: from an input file's text to the [`Arrangement`] and every
//! diagnostic, in one library call that commands and tests share.
//!
//! The steps are those of the data flow: [`crate::load`] parses the text into the model,
//! [`crate::certs`] reads the certificate files the input names (the one step with I/O), and
//! [`crate::validate`] checks the rules and assembles the arrangement from the parsed values,
//! joining each certificate entry with what its file said.

use std::path::Path;

use crate::model::Input;
use crate::{certs, diagnostic, load, validate};

pub use crate::validate::{Checked, Options};

/// Checks a parsed input: reads its certificate files relative to `base_dir`, checks every
/// rule, and builds the arrangement when there is no error.
pub fn check(input: &Input, base_dir: &Path, options: Options) -> Checked {
    let (file_diagnostics, facts) = certs::check_files(input, base_dir);
    let mut checked = validate::validate(input, &facts, options);
    if file_diagnostics.iter().any(|d| d.is_error()) {
        checked.arrangement = None;
    }
    checked.diagnostics.extend(file_diagnostics);
    diagnostic::sort(&mut checked.diagnostics);
    checked
}

/// Parses and checks an input file's text; certificate files are read relative to
/// `base_dir`, the input file's folder.
pub fn check_source(source: &str, base_dir: &Path, options: Options) -> Checked {
    check_source_allowing(source, base_dir, options, &[])
}

/// [`check_source`], leaving out the warnings whose codes the file's `[lints] allow` or
/// `allow` (the command line's `--allow`) name.
pub fn check_source_allowing(
    source: &str,
    base_dir: &Path,
    options: Options,
    allow: &[String],
) -> Checked {
    let loaded = load::load(source);
    let mut checked = match &loaded.input {
        Some(input) => {
            let mut checked = check(input, base_dir, options);
            checked.diagnostics.extend(crate::lints::check(input));
            checked
                .diagnostics
                .extend(crate::sync::config::check(input, base_dir).0);
            checked
        }
        None => Checked {
            arrangement: None,
            diagnostics: Vec::new(),
        },
    };
    checked.diagnostics.extend(loaded.diagnostics);
    let allowed = crate::lints::allowed(loaded.input.as_ref(), allow);
    checked
        .diagnostics
        .retain(|d| d.is_error() || !allowed.contains(d.code));
    diagnostic::sort(&mut checked.diagnostics);
    if checked.errors() > 0 {
        checked.arrangement = None;
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xroad::CertKind;

    const MINIMAL: &str = include_str!("../tests/fixtures/valid/minimal.toml");

    /// A self-signed certificate that expires at the end of `year`.
    fn cert_expiring(year: i32) -> String {
        let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        p.not_before = rcgen::date_time_ymd(2026, 1, 1);
        p.not_after = rcgen::date_time_ymd(year, 12, 31);
        p.self_signed(&rcgen::KeyPair::generate().unwrap())
            .unwrap()
            .pem()
    }

    fn entry(kind: &str, extra: &str, file: &str) -> String {
        format!(
            "[[certificates]]\nkind = \"{kind}\"\ninstance = \"FI-TEST\"\n{extra}file = \"{file}\"\n"
        )
    }

    /// The expiry and fingerprint each certificate got from its file, by kind.
    fn facts_by_kind(entries: &[&str], base: &Path) -> Vec<(CertKind, String, jiff::civil::Date)> {
        let text = format!("{MINIMAL}\n{}", entries.concat());
        let a = check_source(&text, base, Options::default())
            .into_arrangement()
            .unwrap();
        let mut facts: Vec<_> = a
            .certificates
            .iter()
            .map(|c| {
                let info = c.file_info.as_ref().expect("file facts joined");
                (c.kind, info.fingerprint.clone(), c.expires.unwrap())
            })
            .collect();
        facts.sort();
        facts
    }

    /// Each certificate entry gets the facts of its own file, whatever the order of the
    /// entries: reversing the list does not swap two certificates' expiry or fingerprint.
    #[test]
    fn file_facts_follow_their_entries() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("internal.pem"), cert_expiring(2027)).unwrap();
        std::fs::write(dir.path().join("client.pem"), cert_expiring(2029)).unwrap();
        let internal = entry("internal-tls", "", "internal.pem");
        let client = entry(
            "client-tls",
            "member = \"pikkula\"\nsubsystem = \"vtj-pikkula-client\"\n",
            "client.pem",
        );
        let forward = facts_by_kind(&[&internal, &client], dir.path());
        let reverse = facts_by_kind(&[&client, &internal], dir.path());
        assert_eq!(forward, reverse);
        assert_eq!(forward[0].0, CertKind::InternalTls);
        assert_eq!(forward[0].2, jiff::civil::date(2027, 12, 31));
        assert_eq!(forward[1].0, CertKind::ClientTls);
        assert_eq!(forward[1].2, jiff::civil::date(2029, 12, 31));
        assert_ne!(forward[0].1, forward[1].1);
    }

    /// The facts are keyed by entry: an entry without a readable file has none, and the
    /// entries after it keep theirs.
    #[test]
    fn facts_are_keyed_by_entry() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.pem"), cert_expiring(2028)).unwrap();
        let text = format!(
            "{MINIMAL}\n{}{}",
            "[[certificates]]\nkind = \"internal-tls\"\ninstance = \"FI-TEST\"\n",
            entry(
                "client-tls",
                "member = \"pikkula\"\nsubsystem = \"vtj-pikkula-client\"\n",
                "b.pem"
            ),
        );
        let input = load::load(&text).input.unwrap();
        let (_, facts) = certs::check_files(&input, dir.path());
        assert_eq!(facts.len(), 1);
        assert!(facts.get(certs::Entry(0)).is_none());
        assert!(facts.get(certs::Entry(1)).is_some());
    }

    /// A clean input gives the arrangement with parsed values; an error gives none.
    #[test]
    fn arrangement_only_without_errors() {
        let ok = check_source(MINIMAL, Path::new("."), Options::default());
        assert_eq!(ok.errors(), 0);
        let a = ok.arrangement.unwrap();
        assert_eq!(a.language, crate::arrangement::Lang::Fi);
        assert_eq!(a.stage, crate::arrangement::Stage::Draft);
        let bad = MINIMAL.replace("platform = \"ubuntu\"", "platform = \"ubunto\"");
        let checked = check_source(&bad, Path::new("."), Options::default());
        assert!(checked.arrangement.is_none());
        assert_eq!(checked.errors(), 1);
        let fin = check_source(
            MINIMAL,
            Path::new("."),
            Options {
                final_mode: true,
                ..Default::default()
            },
        );
        assert_eq!(
            fin.arrangement.unwrap().stage,
            crate::arrangement::Stage::Final
        );
    }
}
