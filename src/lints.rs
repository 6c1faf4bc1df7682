//! Which diagnostics may be silenced: the catalogue of diagnostic codes by severity, the
//! `--allow CODE` option and the input's `[lints] allow = [...]` list (SPEC §6.1, §6.2).
//!
//! Only warnings can be allowed. Allowing a code that is always an error is itself an
//! error: a usage error for `--allow`, a diagnostic at the entry for `[lints]`. A code that
//! is a warning in draft mode and an error in final mode (a placeholder) may be allowed; in
//! final mode its errors are still reported.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, nearest};
use crate::model::Input;

/// The diagnostic code of a wrong `[lints]` entry.
pub const CODE: &str = "lints";

/// Every code that can be reported as a warning, sorted.
pub const WARNINGS: &[&str] = &[
    "api-unused",
    "api-url-path",
    "authorisation-short",
    "breach-notice-late",
    "certificate-expired",
    "certificate-expiry-mismatch",
    "certificate-key",
    "certificate-not-yet-valid",
    "certificate-organisation",
    "certificate-signature",
    "deprecated-key",
    "duplicate-instance",
    "email-placeholder",
    "fqdn-underscore",
    "ipv4-placeholder",
    "missing-agreement",
    "missing-authorisation",
    "missing-permit",
    "missing-signatory",
    "no-instances",
    "no-subsystems",
    "phone",
    "pri-outside-dev",
    "server-code-differs",
    "subsystem-digits",
];

/// Every code that is only ever an error, sorted.
pub const ERRORS: &[&str] = &[
    "amount",
    "api-key-env",
    "api-url",
    "business-id",
    "ca-file",
    "certificate-fields",
    "certificate-file",
    "certificate-kind",
    "certificate-profile",
    "contact-role",
    "date-order",
    "date-range",
    "duplicate-certificate",
    "duplicate-member-code",
    "duplicate-member-id",
    "duplicate-server",
    "duplicate-subsystem",
    "email",
    "empty-value",
    "encoding",
    "forbidden-char",
    "fqdn",
    "instance",
    "instance-without-server",
    "internal",
    "invalid-date",
    "invalid-type",
    "invalid-value",
    "ipv4",
    "ipv4-unreachable",
    "language",
    CODE,
    "member-class",
    "member-id",
    "member-is-owner",
    "missing-contact",
    "missing-email",
    "missing-key",
    "missing-translation",
    "no-glyph",
    "platform",
    "server-code",
    "stage",
    "subsystem-code",
    "syntax",
    "tls-by",
    "unknown-key",
    "unknown-reference",
    "vat",
];

/// Why a code cannot be allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAllowed {
    /// The code is always an error.
    Error(String),
    /// No diagnostic has this code; the nearest warning code, if one is close.
    Unknown(String, Option<&'static str>),
}

impl std::fmt::Display for NotAllowed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotAllowed::Error(code) => write!(
                f,
                "`{code}` is an error, and only warnings can be allowed; fix what it reports instead"
            ),
            NotAllowed::Unknown(code, Some(n)) => {
                write!(f, "no warning has the code `{code}`; did you mean `{n}`?")
            }
            NotAllowed::Unknown(code, None) => write!(
                f,
                "no warning has the code `{code}`; the warning codes are listed in the README"
            ),
        }
    }
}

impl std::error::Error for NotAllowed {}

/// Whether `code` may be allowed.
pub fn allowable(code: &str) -> Result<&'static str, NotAllowed> {
    if let Some(w) = WARNINGS.iter().find(|w| **w == code) {
        return Ok(w);
    }
    if ERRORS.contains(&code) {
        return Err(NotAllowed::Error(code.to_string()));
    }
    Err(NotAllowed::Unknown(
        code.to_string(),
        nearest(code, WARNINGS.iter().copied()),
    ))
}

/// The value parser of `--allow`: a warning code, else a usage error.
pub fn parse_allow(code: &str) -> Result<String, NotAllowed> {
    allowable(code).map(str::to_string)
}

/// The diagnostics of the input's `[lints]` table: an error at each entry that names an
/// error code or no code at all.
pub fn check(input: &Input) -> Vec<Diagnostic> {
    let Some(lints) = &input.lints else {
        return Vec::new();
    };
    lints
        .allow
        .iter()
        .filter_map(|entry| match allowable(&entry.value) {
            Ok(_) => None,
            Err(e @ NotAllowed::Error(_)) => Some(
                Diagnostic::error(CODE, entry.span(), e.to_string())
                    .with_help("remove this entry from `[lints] allow`"),
            ),
            Err(NotAllowed::Unknown(code, near)) => {
                let d = Diagnostic::error(
                    CODE,
                    entry.span(),
                    format!("no warning has the code `{code}`"),
                );
                Some(match near {
                    Some(n) => d.with_help(format!("did you mean `{n}`?")),
                    None => d.with_help("the warning codes are listed in the README"),
                })
            }
        })
        .collect()
}

/// The warning codes to leave out: those of `--allow` and of the input's `[lints] allow`.
pub fn allowed<'a>(input: Option<&'a Input>, cli: &'a [String]) -> BTreeSet<&'a str> {
    let from_file = input
        .and_then(|i| i.lints.as_ref())
        .into_iter()
        .flat_map(|l| l.allow.iter().map(|e| e.value.as_str()));
    cli.iter()
        .map(String::as_str)
        .chain(from_file)
        .filter(|c| allowable(c).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_can_be_allowed_errors_cannot() {
        assert_eq!(allowable("missing-permit"), Ok("missing-permit"));
        assert_eq!(
            allowable("business-id"),
            Err(NotAllowed::Error("business-id".into()))
        );
        assert_eq!(
            allowable("missing-permt"),
            Err(NotAllowed::Unknown(
                "missing-permt".into(),
                Some("missing-permit")
            ))
        );
        assert_eq!(
            allowable("zzz"),
            Err(NotAllowed::Unknown("zzz".into(), None))
        );
    }

    #[test]
    fn catalogue_is_sorted_and_disjoint() {
        let mut w = WARNINGS.to_vec();
        w.sort_unstable();
        assert_eq!(w, WARNINGS);
        let mut e = ERRORS.to_vec();
        e.sort_unstable();
        e.dedup();
        assert_eq!(e.len(), ERRORS.len());
        assert!(WARNINGS.iter().all(|c| !ERRORS.contains(c)));
    }

    /// The codes that the source gives `Diagnostic::warning`, `Diagnostic::error` and the
    /// validator's helpers, read from the source files, so that a new rule cannot be
    /// missing from the catalogue.
    fn codes_in_source(calls: &[&str]) -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut codes = BTreeSet::new();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for call in calls {
                for (at, _) in text.match_indices(call) {
                    let rest = text[at + call.len()..].trim_start();
                    if let Some(rest) = rest.strip_prefix('"')
                        && let Some(end) = rest.find('"')
                        && rest[..end]
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                        && !rest[..end].is_empty()
                    {
                        codes.insert(rest[..end].to_string());
                    }
                }
            }
        }
        codes
    }

    #[test]
    fn every_warning_in_the_source_is_in_the_catalogue() {
        let found = codes_in_source(&["Diagnostic::warning(", ".placeholder("]);
        assert!(found.contains("missing-permit"), "{found:?}");
        for code in &found {
            assert!(WARNINGS.contains(&code.as_str()), "`{code}` is missing");
        }
    }

    #[test]
    fn every_error_in_the_source_is_in_the_catalogue() {
        let found = codes_in_source(&["Diagnostic::error(", ".identifier_error(", ".one_of("]);
        assert!(found.contains("business-id"), "{found:?}");
        for code in &found {
            assert!(
                ERRORS.contains(&code.as_str()) || WARNINGS.contains(&code.as_str()),
                "`{code}` is missing"
            );
        }
    }
}
