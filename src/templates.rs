//! The template set: built-in templates embedded in the binary, overridden file by file
//! from `--templates DIR`, and the Tera engines that render them.
//!
//! Markdown templates (`*.md`) are rendered with autoescaping by [`escape_markdown`], so a
//! value can never become Markdown, HTML or template syntax. HTML templates (`*.html`) use
//! Tera's HTML escaping.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use tera::Tera;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// Where a template came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary.
    BuiltIn,
    /// A file of the `--templates` folder.
    Override(PathBuf),
}

/// The templates in effect: the built-in ones with overrides applied.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    files: BTreeMap<String, (String, Origin)>,
}

impl TemplateSet {
    /// Only the built-in templates.
    pub fn builtin() -> TemplateSet {
        TemplateSet {
            files: BUILTIN
                .iter()
                .map(|(n, c)| ((*n).to_string(), ((*c).to_string(), Origin::BuiltIn)))
                .collect(),
        }
    }

    /// The built-in templates, overridden by every file under `dir` (found with walkdir,
    /// named by their path relative to `dir`, e.g. `fi/agreement.md`).
    pub fn with_overrides(dir: &Path) -> Result<TemplateSet> {
        let mut set = TemplateSet::builtin();
        if !dir.is_dir() {
            bail!("the templates folder `{}` does not exist", dir.display());
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry
                .with_context(|| format!("cannot read the templates folder `{}`", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if name.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).with_context(|| {
                format!("cannot read the template `{}`", entry.path().display())
            })?;
            set.files
                .insert(name, (text, Origin::Override(entry.path().to_path_buf())));
        }
        Ok(set)
    }

    /// Every template's name and origin, sorted by name.
    pub fn list(&self) -> impl Iterator<Item = (&str, &Origin)> {
        self.files.iter().map(|(n, (_, o))| (n.as_str(), o))
    }

    /// A template's text.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(|(t, _)| t.as_str())
    }

    /// Where a template came from, for error messages.
    pub fn describe(&self, name: &str) -> String {
        match self.files.get(name) {
            Some((_, Origin::Override(p))) => format!("`{name}` (from `{}`)", p.display()),
            _ => format!("`{name}` (built in)"),
        }
    }

    /// A Tera engine for the Markdown templates, with Markdown autoescaping.
    pub fn markdown_engine(&self) -> Result<Tera> {
        self.engine(".md", escape_markdown)
    }

    /// A Tera engine for the HTML templates, with HTML autoescaping.
    pub fn html_engine(&self) -> Result<Tera> {
        self.engine(".html", escape_html)
    }

    fn engine(&self, suffix: &'static str, escape: fn(&str) -> String) -> Result<Tera> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![suffix]);
        tera.set_escape_fn(escape);
        tera.register_filter("code", CodeSpan);
        let templates: Vec<(&str, &str)> = self
            .files
            .iter()
            .filter(|(n, _)| n.ends_with(suffix))
            .map(|(n, (t, _))| (n.as_str(), t.as_str()))
            .collect();
        tera.add_raw_templates(templates).map_err(|e| {
            let name = tera_template_name(&e)
                .map(|n| self.describe(&n))
                .unwrap_or_else(|| "a template".into());
            anyhow::Error::new(e).context(format!("the template {name} has an error"))
        })?;
        Ok(tera)
    }

    /// Copies every template into `dir`, keeping files that already exist there.
    /// Returns (written, kept) names.
    pub fn eject(&self, dir: &Path) -> Result<(Vec<String>, Vec<String>)> {
        let (mut written, mut kept) = (Vec::new(), Vec::new());
        for (name, (text, _)) in &self.files {
            let path = dir.join(name);
            if path.exists() {
                kept.push(name.clone());
                continue;
            }
            crate::output::write_atomic(&path, text.as_bytes())?;
            written.push(name.clone());
        }
        Ok((written, kept))
    }
}

fn tera_template_name(e: &tera::Error) -> Option<String> {
    let text = e.to_string();
    let start = text.find('\'')? + 1;
    let end = start + text[start..].find('\'')?;
    Some(text[start..end].to_string())
}

/// Escapes text for Markdown so that it is shown literally: every character that can start
/// inline markup or raw HTML is backslash-escaped, whitespace runs and line breaks become one
/// space (no value can start a block; no-break spaces stay), and a leading list or heading
/// marker is escaped.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut last_space = true;
    for c in s.trim().chars() {
        // Line breaks and tabs become one space; a no-break space stays (amounts and dates use it).
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        if c.is_control() {
            continue;
        }
        let at_start = out.is_empty();
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '#' | '~' | '$'
        ) || (at_start && matches!(c, '-' | '+' | '='))
        {
            out.push('\\');
        }
        out.push(c);
    }
    // `1. text` or `1) text` at the start would begin an ordered list.
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && matches!(out.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(out.as_bytes().get(digits + 1), None | Some(b' '))
    {
        out.insert(digits, '\\');
    }
    out
}

/// Escapes text for HTML element content and quoted attribute values: `&`, `<`, `>`, `"`
/// and `'`. Unlike Tera's default it leaves `/` alone, so `DVV/1234/2026` stays readable in
/// the page source.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The `code` filter: shows a value as a Markdown code span, with a fence longer than any
/// run of backticks inside it.
struct CodeSpan;

impl tera::Filter for CodeSpan {
    fn filter(
        &self,
        value: &tera::Value,
        _: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let text = match value {
            tera::Value::String(s) => s.clone(),
            tera::Value::Null => return Ok(tera::Value::String(String::new())),
            other => other.to_string(),
        };
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Ok(tera::Value::String(String::new()));
        }
        let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest + 1);
        let pad = if text.starts_with('`') || text.ends_with('`') {
            " "
        } else {
            ""
        };
        Ok(tera::Value::String(format!(
            "{fence}{pad}{text}{pad}{fence}"
        )))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_markdown("**x** <script>"),
            "\\*\\*x\\*\\* \\<script\\>"
        );
        assert_eq!(
            escape_markdown("[a](javascript:alert(1))"),
            "\\[a\\](javascript:alert(1))"
        );
        assert_eq!(escape_markdown("- item"), "\\- item");
        assert_eq!(escape_markdown("1. item"), "1\\. item");
        assert_eq!(escape_markdown("1.12.2026"), "1.12.2026");
        assert_eq!(escape_markdown("a  b\n\n# c"), "a b \\# c");
        assert_eq!(
            escape_markdown("Järvenranta-Pikkula"),
            "Järvenranta-Pikkula"
        );
    }
}
