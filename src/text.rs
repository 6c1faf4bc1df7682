//! Free text in the input: the characters that no field may hold (SPEC §6.3 "Text fields").
//!
//! Every string of the parsed file, keys as well as values, in every table and array, is
//! walked once with its span, so that a field added to the model later is covered without
//! a rule of its own. A control character (other than line break and tab), a bidirectional
//! control or a zero-width character is an error, and so is a character that the PDF fonts
//! cannot show (emoji, CJK…): found at `check`, not as a font failure in `build`. Each
//! error names the character as `U+XXXX` and points at it, also when the file writes it as
//! an escape such as `\u202e`.
//!
//! Which characters the fonts show is derived at build time from the font files that the
//! typst CLI embeds (see `build.rs`).

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;

mod coverage {
    include!(concat!(env!("OUT_DIR"), "/font_coverage.rs"));
}

/// The diagnostic code of a control, bidirectional or zero-width character.
pub const FORBIDDEN: &str = "forbidden-char";
/// The diagnostic code of a character that the PDF fonts cannot show.
pub const NO_GLYPH: &str = "no-glyph";

/// Why a character may not appear in a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forbidden {
    /// A control character: C0 (NUL, backspace, ESC…), DEL or C1.
    Control,
    /// A bidirectional control (embedding, override, isolate or mark).
    Bidi,
    /// A zero-width or otherwise invisible formatting character.
    Invisible,
}

/// Whether `c` is forbidden in text, and why. Line breaks and tabs are allowed.
pub fn forbidden(c: char) -> Option<Forbidden> {
    match c {
        '\n' | '\t' => None,
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => Some(Forbidden::Bidi),
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Some(Forbidden::Invisible),
        c if c.is_control() => Some(Forbidden::Control),
        _ => None,
    }
}

/// Whether the PDF fonts show `c` in every style (line breaks and tabs count as shown).
pub fn shown_in_pdf(c: char) -> bool {
    if matches!(c, '\n' | '\t' | '\r') {
        return true;
    }
    let cp = u32::from(c);
    coverage::SHOWN
        .binary_search_by(|&(a, b)| {
            if cp < a {
                std::cmp::Ordering::Greater
            } else if cp > b {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The font families whose coverage [`shown_in_pdf`] follows.
pub fn pdf_fonts() -> &'static [&'static str] {
    coverage::FONTS
}

/// Keys whose values are paths on this machine, never printed in a document: only the
/// forbidden characters are checked there, not the fonts.
const PATH_KEYS: &[&str] = &["file", "ca_file"];

/// Checks every string (key or value) of the parsed file `root` of `source`.
pub fn check(root: &DeTable<'_>, source: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    table(root, source, "", &mut out);
    out
}

fn table(t: &DeTable<'_>, source: &str, path: &str, out: &mut Vec<Diagnostic>) {
    for (key, value) in t.iter() {
        let name: &str = key.get_ref();
        let child = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        string(name, key.span(), source, &child, false, "key", out);
        let is_path = PATH_KEYS.contains(&name);
        self::value(value, source, &child, is_path, out);
    }
}

fn value(
    v: &Spanned<DeValue<'_>>,
    source: &str,
    path: &str,
    is_path: bool,
    out: &mut Vec<Diagnostic>,
) {
    match v.get_ref() {
        DeValue::String(s) => string(s, v.span(), source, path, is_path, "value", out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                self::value(item, source, &format!("{path}[{}]", i + 1), is_path, out);
            }
        }
        DeValue::Table(t) => table(t, source, path, out),
        _ => {}
    }
}

/// Reports the forbidden and unshowable characters of one string, each distinct character
/// once, at its position in the source.
fn string(
    text: &str,
    span: Range<usize>,
    source: &str,
    path: &str,
    is_path: bool,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let bad = |c: char| forbidden(c).is_some() || (!is_path && !shown_in_pdf(c));
    if !text.chars().any(bad) {
        return;
    }
    let positions = source
        .get(span.clone())
        .and_then(|literal| positions(literal, span.start))
        .filter(|p| p.iter().map(|(c, _)| *c).eq(text.chars()));
    let mut seen: Vec<char> = Vec::new();
    for (i, c) in text.chars().enumerate() {
        if !bad(c) || seen.contains(&c) {
            continue;
        }
        seen.push(c);
        let at = positions
            .as_ref()
            .and_then(|p| p.get(i))
            .map_or_else(|| span.clone(), |(_, r)| r.clone());
        let code = format!("U+{:04X}", u32::from(c));
        let d = match forbidden(c) {
            Some(kind) => {
                let (kind, help) = match kind {
                    Forbidden::Control => (
                        "the control character",
                        "remove it: text may hold line breaks and tabs, no other control characters",
                    ),
                    Forbidden::Bidi => (
                        "the bidirectional control",
                        "remove it: a bidirectional control makes text read in another order than it is stored (a permit number can show reversed)",
                    ),
                    Forbidden::Invisible => (
                        "the invisible character",
                        "remove it: an invisible character makes names that look equal differ",
                    ),
                };
                Diagnostic::error(
                    FORBIDDEN,
                    at,
                    format!("{kind} {code}{} in the {what} `{path}`", name_of(c)),
                )
                .with_help(help)
            }
            None => Diagnostic::error(
                NO_GLYPH,
                at,
                format!(
                    "the PDF fonts cannot show `{c}` ({code}) in the {what} `{path}`"
                ),
            )
            .with_help(format!(
                "the documents' fonts ({}) have no glyph for it: write it with Latin, Greek or Cyrillic letters",
                pdf_fonts().join(", ")
            )),
        };
        out.push(d);
    }
}

/// A name for the characters that have a well-known one, as ` (name)`.
fn name_of(c: char) -> &'static str {
    match c {
        '\0' => " (NUL)",
        '\u{8}' => " (backspace)",
        '\u{1B}' => " (escape)",
        '\r' => " (carriage return)",
        '\u{7F}' => " (delete)",
        '\u{202A}' => " (left-to-right embedding)",
        '\u{202B}' => " (right-to-left embedding)",
        '\u{202C}' => " (pop directional formatting)",
        '\u{202D}' => " (left-to-right override)",
        '\u{202E}' => " (right-to-left override)",
        '\u{2066}' => " (left-to-right isolate)",
        '\u{2067}' => " (right-to-left isolate)",
        '\u{2068}' => " (first strong isolate)",
        '\u{2069}' => " (pop directional isolate)",
        '\u{200B}' => " (zero width space)",
        '\u{200C}' => " (zero width non-joiner)",
        '\u{200D}' => " (zero width joiner)",
        '\u{2060}' => " (word joiner)",
        '\u{FEFF}' => " (zero width no-break space)",
        _ => "",
    }
}

/// Each character of a TOML string literal or key as written at `start` in the source,
/// with the byte range that writes it (the character itself, or its escape). `None` when
/// the literal is not one this reader knows; the caller then points at the whole value.
fn positions(literal: &str, start: usize) -> Option<Vec<(char, Range<usize>)>> {
    let (open, escapes, multiline) = if literal.starts_with("\"\"\"") {
        (3, true, true)
    } else if literal.starts_with("'''") {
        (3, false, true)
    } else if literal.starts_with('"') {
        (1, true, false)
    } else if literal.starts_with('\'') {
        (1, false, false)
    } else {
        // A bare key: its characters as they are.
        return Some(
            literal
                .char_indices()
                .map(|(i, c)| (c, start + i..start + i + c.len_utf8()))
                .collect(),
        );
    };
    if literal.len() < 2 * open {
        return None;
    }
    let body = &literal[open..literal.len() - open];
    let base = start + open;
    let mut chars = body.char_indices().peekable();
    // A line break right after the opening quotes of a multi-line string is not part of it.
    if multiline {
        if body.starts_with("\r\n") {
            chars.next();
            chars.next();
        } else if body.starts_with('\n') {
            chars.next();
        }
    }
    let mut out = Vec::new();
    while let Some((i, c)) = chars.next() {
        if !(escapes && c == '\\') {
            out.push((c, base + i..base + i + c.len_utf8()));
            continue;
        }
        let (_, e) = chars.next()?;
        let simple = match e {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push((s, base + i..base + i + 2));
            continue;
        }
        let digits = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ if multiline && e.is_whitespace() => {
                // A line-ending backslash: the whitespace up to the next other character goes.
                while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                    chars.next();
                }
                continue;
            }
            _ => return None,
        };
        let mut value = 0u32;
        for _ in 0..digits {
            let (_, d) = chars.next()?;
            value = value * 16 + d.to_digit(16)?;
        }
        out.push((char::from_u32(value)?, base + i..base + i + 2 + digits));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostics(source: &str) -> Vec<Diagnostic> {
        let (root, errors) = DeTable::parse_recoverable(source);
        assert!(errors.is_empty(), "{errors:?}");
        check(root.get_ref(), source)
    }

    /// Each forbidden character is reported at the bytes that write it, raw or escaped.
    #[test]
    fn forbidden_characters_are_located() {
        let src = "a = \"x\\u202Ey\"\nb = 'p\u{200B}q'\n[t]\nc = \"\"\"\nok\\e\"\"\"\n";
        let d = diagnostics(src);
        let found: Vec<(&str, &str)> = d.iter().map(|d| (d.code, &src[d.span.clone()])).collect();
        assert_eq!(
            found,
            vec![
                (FORBIDDEN, "\\u202E"),
                (FORBIDDEN, "\u{200B}"),
                (FORBIDDEN, "\\e"),
            ]
        );
        assert!(
            d[0].message.contains("U+202E (right-to-left override)"),
            "{}",
            d[0].message
        );
        assert!(d[2].message.contains("`t.c`"), "{}", d[2].message);
    }

    /// Emoji and CJK are not in the fonts; Nordic, German, French, Greek and Cyrillic
    /// letters, dashes and the euro sign are.
    #[test]
    fn font_coverage() {
        for c in "åäöÅÄÖüÜßéèçøæ€–—„“”’…αβΩжЯ§½°".chars() {
            assert!(shown_in_pdf(c), "{c} U+{:04X}", u32::from(c));
        }
        for c in ['😀', '中', '日', 'ㅎ', '\u{1F1EB}'] {
            assert!(!shown_in_pdf(c), "{c}");
        }
        let d = diagnostics("name = \"Oy 😀 Ab\"\nfile = \"certs/😀.pem\"\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, NO_GLYPH);
        assert_eq!(d[0].span, 11..15);
    }

    /// Keys are checked too, and literal strings have no escapes.
    #[test]
    fn keys_and_literals() {
        let d = diagnostics("\"FI\\u0000\" = 1\nx = 'a\\u202e'\n");
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("U+0000 (NUL) in the key"),
            "{}",
            d[0].message
        );
    }
}
