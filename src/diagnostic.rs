//! Diagnostics: what is wrong with an input file, where, and how to fix it.
//!
//! A [`Diagnostic`] carries a severity, a stable code, a lowercase message, the byte span
//! in the source and an optional `help:` line. [`Report`] renders them with
//! `codespan-reporting` as `FILE:LINE:COLUMN`, the source line and a caret.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, Config};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported; the build goes on.
    Warning,
}

/// One finding about the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code, such as `business-id`, listed in the README.
    pub code: &'static str,
    /// What is wrong, in lowercase, with identifiers in backticks.
    pub message: String,
    /// The byte range in the source file that the diagnostic points at.
    pub span: Range<usize>,
    /// How to fix it, when a fix is known.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(code: &'static str, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(code: &'static str, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position, then severity and code, and drops exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.severity, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.severity,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup();
}

/// The nearest candidate to `word` by edit distance, when one is close enough to be a likely
/// typo; else the one candidate that `word` (three characters or more) abbreviates, as
/// `admin` does `administrative`.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let close = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| {
            *d <= (c.chars().count().max(word.chars().count()) / 3).max(1)
                || c.to_lowercase() == lower
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    if close.is_some() || lower.chars().count() < 3 {
        return close;
    }
    let mut prefixed = candidates
        .iter()
        .filter(|c| c.to_lowercase().starts_with(&lower));
    match (prefixed.next(), prefixed.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// A source file with its name, ready to have diagnostics printed against it.
///
/// What reaches the terminal is made harmless: in the source lines shown, each control,
/// bidirectional or invisible character is replaced by one visible character (its control
/// picture such as `␛`, else `�`), so that columns stay right; messages and help show such
/// characters as escapes (`\u{1b}`).
pub struct Report<'a> {
    file: SimpleFile<&'a str, String>,
    /// For each replaced character: its byte offset in the source and in the shown text.
    shifts: Vec<(usize, usize)>,
}

impl<'a> Report<'a> {
    /// Wraps a file's display name and contents.
    pub fn new(name: &'a str, source: &'a str) -> Self {
        let mut shown = String::with_capacity(source.len());
        let mut shifts = Vec::new();
        for (i, c) in source.char_indices() {
            if crate::term::needs_escape(c) && c != '\r' {
                shown.push(control_picture(c));
                shifts.push((i + c.len_utf8(), shown.len()));
            } else {
                shown.push(c);
            }
        }
        Report {
            file: SimpleFile::new(name, shown),
            shifts,
        }
    }

    /// The offset in the shown text of the source offset `at`.
    fn shown_offset(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|(from, _)| *from <= at);
        match i.checked_sub(1).map(|i| self.shifts[i]) {
            Some((from, to)) => to + (at - from),
            None => at,
        }
    }

    /// Renders diagnostics as text, with ANSI colours when `color` is set.
    pub fn render(&self, diagnostics: &[Diagnostic], color: bool) -> String {
        let mut buf = Vec::new();
        if color {
            self.emit(&mut Ansi::new(&mut buf), diagnostics);
        } else {
            self.emit(&mut NoColor::new(&mut buf), diagnostics);
        }
        String::from_utf8_lossy(&buf).into_owned()
    }

    fn emit(&self, out: &mut dyn WriteColor, diagnostics: &[Diagnostic]) {
        let config = Config::default();
        let source = self.file.source().as_str();
        for d in diagnostics {
            let span = self.shown_offset(d.span.start)..self.shown_offset(d.span.end);
            let span = first_line(source, span);
            let base = match d.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            };
            let mut cs = base
                .with_code(d.code)
                .with_message(crate::term::visible(&d.message))
                .with_labels(vec![Label::primary((), span)]);
            if let Some(help) = &d.help {
                cs = cs.with_notes(vec![format!("help: {}", crate::term::visible(help))]);
            }
            // Writing to an in-memory buffer cannot fail; a span past the end is clamped above.
            let _ = term::emit_to_write_style(out, &config, &self.file, &cs);
        }
    }
}

/// One visible character in place of a control, bidirectional or invisible one: the
/// control picture of a C0 control or DEL (`␀`, `␛`), else the replacement character.
fn control_picture(c: char) -> char {
    match u32::from(c) {
        n @ 0..=0x1F => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

/// Clamps a span to the source and to its first line, so that a caret underlines one line.
fn first_line(source: &str, span: Range<usize>) -> Range<usize> {
    let len = source.len();
    let mut start = span.start.min(len);
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, len);
    while !source.is_char_boundary(end) {
        end += 1;
    }
    if let Some(nl) = source[start..end].find('\n') {
        end = start + nl;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_caret_and_help() {
        let src = "a = 1\nmember_code = \"1234567-2\"\n";
        let d = Diagnostic::error("business-id", 20..31, "wrong check digit")
            .with_help("use `1234567-1`");
        let out = Report::new("x.toml", src).render(&[d], false);
        assert!(
            out.contains("error[business-id]: wrong check digit"),
            "{out}"
        );
        assert!(out.contains("x.toml:2:15"), "{out}");
        assert!(out.contains("^^^^^^^^^^^"), "{out}");
        assert!(out.contains("help: use `1234567-1`"), "{out}");
    }

    /// A raw escape or bidirectional override in the file never reaches the terminal: the
    /// source line shows a visible character in its place, at the same column, and the
    /// message shows an escape.
    #[test]
    fn hostile_source_lines_are_shown_harmless() {
        let src = "a = 1\nname = \"x\u{1b}[31m\u{202e}y\"\n";
        let at = src.find('\u{202e}').unwrap();
        let d = Diagnostic::error("forbidden-char", at..at + 3, "bad \u{1b}[2J here");
        let out = Report::new("x.toml", src).render(&[d], false);
        assert!(!out.chars().any(crate::term::needs_escape), "{out:?}");
        assert!(out.contains("x.toml:2:15"), "{out}");
        assert!(out.contains("name = \"x␛[31m\u{FFFD}y\""), "{out}");
        assert!(out.contains("bad \\u{1b}[2J here"), "{out}");
        assert!(out.contains("│               ^"), "{out}");
    }

    #[test]
    fn nearest_key() {
        assert_eq!(
            nearest("membr_class", ["member_class", "member_code", "name"]),
            Some("member_class")
        );
        assert_eq!(nearest("zzz", ["member_class", "name"]), None);
        assert_eq!(nearest("FQDN", ["fqdn", "ipv4"]), Some("fqdn"));
        let roles = ["technical", "administrative", "signatory"];
        assert_eq!(nearest("admin", roles), Some("administrative"));
        assert_eq!(nearest("tech", roles), Some("technical"));
        assert_eq!(nearest("ad", roles), None);
        assert_eq!(
            nearest("member", ["members", "member_class"]),
            Some("members")
        );
    }

    #[test]
    fn spans_are_clamped() {
        assert_eq!(first_line("abc\ndef", 1..6), 1..3);
        assert_eq!(first_line("abc", 10..20), 3..3);
        assert_eq!(first_line("ä", 1..1), 0..2);
    }
}
