//! The template set: built-in templates embedded in the binary, overridden file by file
//! from `--templates DIR`, and the Tera engines that render them.
//!
//! Markdown templates (`*.md`) are rendered with autoescaping by [`escape_markdown`], so a
//! value can never become Markdown, HTML or template syntax. HTML templates (`*.html`) use
//! Tera's HTML escaping.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use tera::Tera;

use crate::arrangement::Lang;
use crate::words::{Arg, Words};

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The largest template file that is read: 1 MiB.
const MAX_TEMPLATE_FILE: u64 = 1 << 20;

/// The most items `range` gives a template.
pub const MAX_RANGE: usize = 10_000;

/// The largest document a template may render: 16 MiB.
pub const MAX_OUTPUT: usize = 16 << 20;

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
    /// Built-in texts that an override replaced, for files that merge (the word catalogues).
    replaced: BTreeMap<String, String>,
}

impl TemplateSet {
    /// Only the built-in templates.
    pub fn builtin() -> TemplateSet {
        TemplateSet {
            files: BUILTIN
                .iter()
                .map(|(n, c)| ((*n).to_string(), ((*c).to_string(), Origin::BuiltIn)))
                .collect(),
            replaced: BTreeMap::new(),
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
            if entry.file_type().is_dir() {
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
            // A symbolic link is read like the file it names; anything that is not a regular
            // file (a FIFO, a device, a dangling link) is an error, never silently ignored.
            let text = crate::output::read_bounded(entry.path(), MAX_TEMPLATE_FILE)
                .map_err(anyhow::Error::new)
                .and_then(|b| String::from_utf8(b).map_err(anyhow::Error::new))
                .with_context(|| {
                    format!("cannot read the template `{}`", entry.path().display())
                })?;
            if let Some((old, Origin::BuiltIn)) = set.files.insert(
                name.clone(),
                (text, Origin::Override(entry.path().to_path_buf())),
            ) {
                set.replaced.insert(name, old);
            }
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

    /// The texts of a file that merges with the built-in one, built-in first: the word
    /// catalogues, whose overriding file replaces messages one by one.
    pub fn layers(&self, name: &str) -> impl Iterator<Item = &str> {
        self.replaced
            .get(name)
            .map(String::as_str)
            .into_iter()
            .chain(self.get(name))
    }

    /// Where a template came from, for error messages.
    pub fn describe(&self, name: &str) -> String {
        match self.files.get(name) {
            Some((_, Origin::Override(p))) => format!("`{name}` (from `{}`)", p.display()),
            _ => format!("`{name}` (built in)"),
        }
    }

    /// The Tera engine for the Markdown documents in one language, with Markdown
    /// autoescaping, the word catalogue as `t(id=…)`, and the clause numbering functions of
    /// [`crate::render::numbering`].
    ///
    /// A document's structure is one shared file at the top of the set (e.g. `agreement.md`);
    /// in it, `@lang` stands for the language's code, so `{% import "@lang/agreement.md" as
    /// prose %}` brings in that language's prose. Everything else is registered as it is.
    pub fn markdown_engine(&self, lang: Lang, words: &Arc<Words>) -> Result<Tera> {
        // Only this language's prose: the structures at the top, the shared blocks and
        // `<lang>/…` (parsing the other languages' prose too made each engine three times the
        // work).
        let own = format!("{}/", lang.code());
        let keep = |name: &str| {
            !name.contains('/') || name.starts_with("shared/") || name.starts_with(&own)
        };
        let mut tera = self.engine(".md", escape_markdown, keep, |name, text| {
            if name.contains('/') {
                Cow::Borrowed(text)
            } else {
                Cow::Owned(text.replace("@lang", lang.code()))
            }
        })?;
        tera.register_function("t", Say::new(words, lang, escape_markdown));
        crate::render::numbering::register(&mut tera);
        Ok(tera)
    }

    /// The Tera engine for the HTML templates in one language, with HTML autoescaping and
    /// the word catalogue as `t(id=…)` (`t(id=…, lang="sv")` for another language).
    pub fn html_engine(&self, lang: Lang, words: &Arc<Words>) -> Result<Tera> {
        let mut tera = self.engine(
            ".html",
            escape_html,
            |_| true,
            |_, text| Cow::Borrowed(text),
        )?;
        tera.register_function("t", Say::new(words, lang, escape_html));
        Ok(tera)
    }

    fn engine(
        &self,
        suffix: &'static str,
        escape: fn(&str) -> String,
        keep: impl Fn(&str) -> bool,
        prepare: impl for<'t> Fn(&str, &'t str) -> Cow<'t, str>,
    ) -> Result<Tera> {
        let mut tera = Tera::default();
        sandbox(&mut tera);
        tera.autoescape_on(vec![suffix]);
        tera.set_escape_fn(escape);
        tera.register_filter("code", CodeSpan);
        tera.register_filter("cap", Capitalise);
        let templates: Vec<(&str, Cow<'_, str>)> = self
            .files
            .iter()
            .filter(|(n, _)| n.ends_with(suffix) && keep(n))
            .map(|(n, (t, _))| (n.as_str(), prepare(n, t)))
            .collect();
        if let Some(cycle) = recursive_macro(templates.iter().map(|(_, t)| t.as_ref())) {
            bail!(
                "the macro `{cycle}` calls itself (directly or through other macros); recursive macros are not allowed in templates"
            );
        }
        tera.add_raw_templates(templates.iter().map(|(n, t)| (*n, t.as_ref())))
            .map_err(|e| {
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

/// Takes away what a template must not reach: the environment (`get_env` is an error) and
/// unbounded loops (`range` gives at most [`MAX_RANGE`] items).
fn sandbox(tera: &mut Tera) {
    tera.register_function(
        "get_env",
        |_: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            Err(tera::Error::msg(
                "`get_env` is not available: templates cannot read the environment",
            ))
        },
    );
    tera.register_function(
        "range",
        |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let int = |k: &str, default: i64| -> tera::Result<i64> {
                match args.get(k) {
                    None => Ok(default),
                    Some(v) => v.as_i64().ok_or_else(|| {
                        tera::Error::msg(format!("`range`: `{k}` must be a whole number"))
                    }),
                }
            };
            let (start, end, step) = (int("start", 0)?, int("end", 0)?, int("step_by", 1)?);
            if step <= 0 {
                return Err(tera::Error::msg("`range`: `step_by` must be positive"));
            }
            let count = if end > start {
                usize::try_from((end - start - 1) / step + 1).unwrap_or(usize::MAX)
            } else {
                0
            };
            if count > MAX_RANGE {
                return Err(tera::Error::msg(format!(
                    "`range` of {count} items: at most {MAX_RANGE} are allowed"
                )));
            }
            Ok(tera::Value::Array(
                (0..count)
                    .map(|i| tera::Value::from(start + step * i as i64))
                    .collect(),
            ))
        },
    );
}

/// The name of a macro that can call itself, directly or through other macros, in the given
/// template texts (macros are matched by name, whatever their namespace); `None` if none can.
/// Tera has no recursion limit, so such a macro would overflow the stack.
pub fn recursive_macro<'t>(texts: impl Iterator<Item = &'t str>) -> Option<String> {
    let mut calls: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for text in texts {
        let mut rest = text;
        while let Some(at) = rest.find("macro ") {
            let before = &rest[..at];
            rest = &rest[at + 6..];
            if !before.trim_end_matches([' ', '-']).ends_with("{%") {
                continue;
            }
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body = rest.find("endmacro").map_or(rest, |end| &rest[..end]);
            let called = body
                .match_indices("::")
                .map(|(i, _)| {
                    body[i + 2..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .filter(|n| !n.is_empty())
                .collect();
            calls.entry(name).or_default().extend::<Vec<String>>(called);
        }
    }
    // Depth-first search for a cycle.
    fn visit(
        n: &str,
        calls: &BTreeMap<String, Vec<String>>,
        state: &mut BTreeMap<String, u8>,
    ) -> bool {
        match state.get(n) {
            Some(1) => return true,
            Some(_) => return false,
            None => {}
        }
        state.insert(n.to_string(), 1);
        for m in calls.get(n).into_iter().flatten() {
            if calls.contains_key(m) && visit(m, calls, state) {
                return true;
            }
        }
        state.insert(n.to_string(), 2);
        false
    }
    let mut state = BTreeMap::new();
    calls.keys().find(|n| visit(n, &calls, &mut state)).cloned()
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
        if c.is_control() || crate::render::numbering::is_marker_char(c) {
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

/// Stands for a `|` inside a code span until the rendered Markdown is known: in a table row it
/// must be written `\|` (GFM splits cells at `|` even inside code spans), elsewhere as `|`
/// (outside a table `\|` in a code span would show the backslash). See [`resolve_code_pipes`].
const CODE_PIPE: char = '\u{fdd0}';

/// Writes the `|` of code spans made by the `code` filter: `\|` on table rows (lines that
/// start with `|`; no value can start a line), `|` elsewhere. Called on every rendered
/// Markdown document.
#[must_use]
pub fn resolve_code_pipes(markdown: &str) -> String {
    if !markdown.contains(CODE_PIPE) {
        return markdown.to_string();
    }
    let mut out = String::with_capacity(markdown.len() + 16);
    for line in markdown.split_inclusive('\n') {
        let pipe = if line.trim_start().starts_with('|') {
            "\\|"
        } else {
            "|"
        };
        out.push_str(&line.replace(CODE_PIPE, pipe));
    }
    out
}

/// The `code` filter: shows a value as a Markdown code span, with a fence longer than any
/// run of backticks inside it; a `|` in it is escaped on table rows by [`resolve_code_pipes`].
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
        let text: String = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(crate::render::numbering::is_marker_char, "")
            .replace(CODE_PIPE, "")
            .replace('|', &CODE_PIPE.to_string());
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

/// The `cap` filter: capitalises the first letter only (Tera's `capitalize` would lowercase
/// the rest, e.g. "TLS").
struct Capitalise;

impl tera::Filter for Capitalise {
    fn filter(
        &self,
        value: &tera::Value,
        _: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let text = value.as_str().unwrap_or_default();
        let mut chars = text.chars();
        Ok(tera::Value::String(match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }))
    }
}

/// Capitalises the first letter of a text, as the `cap` filter does.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The `t` function: a message of the word catalogue, e.g. `t(id="cert-kind", kind=c.kind)`.
/// Its text is escaped for the output format like any value.
struct Say {
    words: Arc<Words>,
    lang: Lang,
    escape: fn(&str) -> String,
}

impl Say {
    fn new(words: &Arc<Words>, lang: Lang, escape: fn(&str) -> String) -> Say {
        Say {
            words: Arc::clone(words),
            lang,
            escape,
        }
    }
}

impl tera::Function for Say {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let id = args
            .get("id")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("`t` needs `id`, the message's name"))?;
        let lang = match args.get("lang").and_then(tera::Value::as_str) {
            Some(code) => Lang::parse(code)
                .ok_or_else(|| tera::Error::msg(format!("`t`: unknown language `{code}`")))?,
            None => self.lang,
        };
        let texts: Vec<(String, String)> = args
            .iter()
            .filter(|(k, _)| *k != "id" && *k != "lang")
            .filter_map(|(k, v)| match v {
                tera::Value::String(s) => Some((k.clone(), s.clone())),
                tera::Value::Bool(b) => Some((k.clone(), b.to_string())),
                tera::Value::Null => Some((k.clone(), String::new())),
                _ => None,
            })
            .collect();
        let mut fluent: Vec<(&str, Arg<'_>)> = texts
            .iter()
            .map(|(k, v)| (k.as_str(), Arg::Str(v.as_str())))
            .collect();
        for (k, v) in args {
            if let tera::Value::Number(n) = v {
                fluent.push((k.as_str(), Arg::Num(n.as_f64().unwrap_or_default())));
            }
        }
        let text = self
            .words
            .try_get(lang, id, &fluent)
            .map_err(|e| tera::Error::msg(format!("{e:#}")))?;
        Ok(tera::Value::String((self.escape)(&text)))
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
