//! Sections and clauses numbered by the tool, never typed in a template.
//!
//! A template marks what a heading or paragraph is, and labels it where another place refers
//! to it:
//!
//! | in a template | becomes |
//! | --- | --- |
//! | `## {{ section(id="costs") }} Costs` | `## 7. Costs` — the next section |
//! | `{{ clause(id="fee") }} The member pays …` | `**7.1** The member pays …` — the next clause of the section |
//! | `### {{ number() }} Server x` | `### 7.2 Server x` — a clause shown as a heading |
//! | `see clause {{ ref(id="fee") }}` | `see clause 7.1`; `ref(id="costs")` gives `7` |
//!
//! The functions print markers made of private-use characters, and one pass over the
//! rendered Markdown replaces them with numbers, so a clause left out by a condition
//! renumbers the rest and a reference may point forward. Every value from the input goes
//! through the escaping, which removes these characters, so no value can fake a marker.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Result, bail};

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Whether a character belongs to the markers (the escaping drops them from values).
pub fn is_marker_char(c: char) -> bool {
    c == OPEN || c == CLOSE
}

/// Registers `section`, `clause`, `number` and `ref` with a Tera engine.
pub fn register(tera: &mut tera::Tera) {
    tera.register_function("section", Marker('S'));
    tera.register_function("clause", Marker('C'));
    tera.register_function("number", Marker('N'));
    tera.register_function("ref", Marker('R'));
}

struct Marker(char);

impl tera::Function for Marker {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let id = match args.get("id") {
            Some(tera::Value::String(s)) => s.as_str(),
            Some(other) => {
                return Err(tera::Error::msg(format!(
                    "a clause label must be text, found `{other}`"
                )));
            }
            None if self.0 == 'R' => {
                return Err(tera::Error::msg("`ref` needs `id`, the label it refers to"));
            }
            None => "",
        };
        if id.chars().any(|c| is_marker_char(c) || c.is_control()) {
            return Err(tera::Error::msg(
                "a clause label cannot hold control characters",
            ));
        }
        Ok(tera::Value::String(format!("{OPEN}{}{id}{CLOSE}", self.0)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// A numbered place: a section (`7`) or a clause (`7.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Number {
    section: u32,
    clause: Option<u32>,
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.clause {
            Some(c) => write!(f, "{}.{c}", self.section),
            None => write!(f, "{}", self.section),
        }
    }
}

/// One marker found in the text.
struct Found<'t> {
    kind: char,
    id: &'t str,
    range: std::ops::Range<usize>,
}

fn markers(text: &str) -> Result<Vec<Found<'_>>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = text[at..].find(OPEN).map(|i| i + at) {
        let body = start + OPEN.len_utf8();
        let Some(end) = text[body..].find(CLOSE).map(|i| i + body) else {
            bail!("a clause marker is not closed");
        };
        let mut chars = text[body..end].chars();
        let kind = chars.next().unwrap_or('?');
        out.push(Found {
            kind,
            id: chars.as_str(),
            range: start..end + CLOSE.len_utf8(),
        });
        at = end + CLOSE.len_utf8();
    }
    Ok(out)
}

/// Replaces the markers of a rendered document with section and clause numbers.
pub fn apply(text: &str) -> Result<String> {
    let found = markers(text)?;
    if found.is_empty() {
        return Ok(text.to_string());
    }
    let mut labels: BTreeMap<&str, Number> = BTreeMap::new();
    let mut numbers: Vec<Option<Number>> = Vec::with_capacity(found.len());
    let (mut section, mut clause) = (0u32, 0u32);
    for f in &found {
        let n = match f.kind {
            'S' => {
                section += 1;
                clause = 0;
                Number {
                    section,
                    clause: None,
                }
            }
            'C' | 'N' => {
                if section == 0 {
                    bail!("a clause stands before the first section");
                }
                clause += 1;
                Number {
                    section,
                    clause: Some(clause),
                }
            }
            'R' => {
                numbers.push(None);
                continue;
            }
            other => bail!("unknown clause marker `{other}`"),
        };
        if !f.id.is_empty() && labels.insert(f.id, n).is_some() {
            bail!("the clause label `{}` is used twice", f.id);
        }
        numbers.push(Some(n));
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (f, n) in found.iter().zip(numbers) {
        out.push_str(&text[at..f.range.start]);
        match (f.kind, n) {
            ('S', Some(n)) => out.push_str(&format!("{n}.")),
            ('C', Some(n)) => out.push_str(&format!("**{n}**")),
            ('N', Some(n)) => out.push_str(&n.to_string()),
            _ => match labels.get(f.id) {
                Some(n) => out.push_str(&n.to_string()),
                None => bail!(
                    "a reference to `{}`, which no section or clause is labelled",
                    f.id
                ),
            },
        }
        at = f.range.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(kind: char, id: &str) -> String {
        format!("{OPEN}{kind}{id}{CLOSE}")
    }

    /// Sections and clauses count in order; a clause restarts at each section; references
    /// may point forward and back.
    #[test]
    fn numbers_and_references() {
        let text = format!(
            "## {} A\n\n{} see {}.\n\n{} x\n\n## {} B\n\n{} y, {} and {}\n\n### {} h\n",
            m('S', "a"),
            m('C', ""),
            m('R', "fee"),
            m('C', "two"),
            m('S', ""),
            m('C', "fee"),
            m('R', "two"),
            m('R', "a"),
            m('N', ""),
        );
        assert_eq!(
            apply(&text).unwrap(),
            "## 1. A\n\n**1.1** see 2.1.\n\n**1.2** x\n\n## 2. B\n\n**2.1** y, 1.2 and 1\n\n### 2.2 h\n"
        );
    }

    /// A reference to a label that is not there, and a label used twice, are errors.
    #[test]
    fn bad_labels() {
        let unknown = format!("## {} A\n{}", m('S', ""), m('R', "nope"));
        assert!(apply(&unknown).unwrap_err().to_string().contains("`nope`"));
        let twice = format!("## {} A\n{} {}", m('S', ""), m('C', "x"), m('C', "x"));
        assert!(apply(&twice).unwrap_err().to_string().contains("twice"));
    }

    /// Text without markers is left as it is.
    #[test]
    fn plain_text() {
        assert_eq!(apply("**6.4** typed").unwrap(), "**6.4** typed");
    }
}
