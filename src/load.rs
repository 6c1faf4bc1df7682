//! Reading an input file: TOML syntax → strict structure → typed [`Input`].
//!
//! The file is parsed with error recovery, so every syntax error is reported at once. The
//! parsed tree is then walked against the JSON Schema derived from [`Input`]: unknown keys
//! (with the nearest known key as help), values of the wrong type and missing keys are
//! collected in one pass. Unknown keys are dropped from the tree so that the typed model can
//! still be built and validated in the same run.

use std::ops::Range;

use serde::Deserialize;
use serde_json::Value as Json;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, nearest};
use crate::model::Input;

/// The outcome of loading: the model when the structure allowed building it, and every
/// diagnostic found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The typed input, when the file's structure was sound enough to build it.
    pub input: Option<Input>,
    /// Syntax and structure diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and structurally checks `source`.
pub fn load(source: &str) -> Loaded {
    let (mut root, errors) = DeTable::parse_recoverable(source);
    let mut diagnostics: Vec<Diagnostic> = errors.iter().map(|e| syntax_error(source, e)).collect();
    if !diagnostics.is_empty() {
        // A misspelt header such as `[[member]]` makes the right tables after it clash with
        // it: point at the typo instead of listing every clash.
        let typos = header_typos(source);
        if !typos.is_empty()
            && diagnostics
                .iter()
                .any(|d| d.message.ends_with("duplicate key"))
        {
            diagnostics.retain(|d| !d.message.ends_with("duplicate key"));
            diagnostics.extend(typos);
        }
        return Loaded {
            input: None,
            diagnostics,
        };
    }
    diagnostics.extend(crate::text::check(root.get_ref(), source));
    let schema = serde_json::to_value(schemars::schema_for!(Input)).unwrap_or(Json::Null);
    let mut walker = Walker {
        root: &schema,
        diagnostics: Vec::new(),
        fatal: false,
    };
    let span = root.span();
    walker.table(root.get_mut(), span, &schema, "");
    diagnostics.append(&mut walker.diagnostics);
    if walker.fatal {
        return Loaded {
            input: None,
            diagnostics,
        };
    }
    match Input::deserialize(toml::de::Deserializer::from(root)) {
        Ok(input) => Loaded {
            input: Some(input),
            diagnostics,
        },
        Err(e) => {
            diagnostics.push(typed_error(&e));
            Loaded {
                input: None,
                diagnostics,
            }
        }
    }
}

fn syntax_error(source: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let span = if span.is_empty() && span.start < source.len() {
        span.start
            ..span.start
                + source[span.start..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8)
    } else {
        span
    };
    Diagnostic::error(
        "syntax",
        span,
        format!("invalid TOML: {}", first_sentence(e.message())),
    )
}

fn typed_error(e: &toml::de::Error) -> Diagnostic {
    Diagnostic::error(
        "invalid-value",
        e.span().unwrap_or(0..0),
        first_sentence(e.message()),
    )
}

fn first_sentence(m: &str) -> String {
    m.trim()
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches('.')
        .to_string()
}

struct Walker<'s> {
    root: &'s Json,
    diagnostics: Vec<Diagnostic>,
    fatal: bool,
}

impl<'s> Walker<'s> {
    /// Follows `$ref` and picks the non-null branch of an `Option`'s `anyOf`.
    fn resolve(&self, mut schema: &'s Json) -> &'s Json {
        for _ in 0..16 {
            if let Some(r) = schema.get("$ref").and_then(Json::as_str) {
                let name = r.rsplit('/').next().unwrap_or("");
                match self.root.get("$defs").and_then(|d| d.get(name)) {
                    Some(s) => schema = s,
                    None => return schema,
                }
            } else if let Some(branches) = schema
                .get("anyOf")
                .or_else(|| schema.get("oneOf"))
                .and_then(Json::as_array)
            {
                match branches
                    .iter()
                    .find(|b| b.get("type").and_then(Json::as_str) != Some("null"))
                {
                    Some(b) => schema = b,
                    None => return schema,
                }
            } else {
                return schema;
            }
        }
        schema
    }

    /// Checks one value; returns false when it has the wrong type and must be dropped.
    fn value(&mut self, v: &mut Spanned<DeValue<'_>>, schema: &'s Json, path: &str) -> bool {
        let schema = self.resolve(schema);
        let expected = expected_kind(schema);
        let span = v.span();
        let found = kind_of(v.get_ref());
        if let Some(expected) = expected
            && !expected.accepts(found)
        {
            self.fatal = true;
            // A table where a list of tables belongs: `[servers]` for `[[servers]]`.
            let of_tables = schema
                .get("items")
                .map(|i| self.resolve(i))
                .and_then(expected_kind)
                .is_some_and(|k| matches!(k, Expected::Kind(Kind::Table)));
            let help = if of_tables && found == Kind::Table {
                let header = header_of(path);
                format!(
                    "`{path}` is a list of tables: write each entry under `[[{header}]]`, with double brackets"
                )
            } else {
                expected.example().to_string()
            };
            self.diagnostics.push(
                Diagnostic::error(
                    "invalid-type",
                    span,
                    format!(
                        "`{path}` must be {}, found {}",
                        expected.describe(),
                        found.describe()
                    ),
                )
                .with_help(help),
            );
            return false;
        }
        if let DeValue::Integer(n) = v.get_ref()
            && matches!(expected, Some(Expected::Kind(Kind::Integer)))
            && let Some(min) = schema.get("minimum").and_then(Json::as_f64)
            && i128::from_str_radix(&n.as_str().replace('_', ""), n.radix())
                .is_ok_and(|n| (n as f64) < min)
        {
            self.fatal = true;
            self.diagnostics.push(
                Diagnostic::error(
                    "invalid-value",
                    span,
                    format!("`{path}` must be {min} or more, found {}", n.as_str()),
                )
                .with_help(format!("write a whole number of at least {min}, e.g. `6`")),
            );
            return false;
        }
        match v.get_mut() {
            DeValue::Table(t) => self.table(t, span, schema, path),
            DeValue::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter_mut().enumerate() {
                        self.value(item, item_schema, &format!("{path}[{}]", i + 1));
                    }
                }
            }
            _ => {}
        }
        true
    }

    fn table(&mut self, table: &mut DeTable<'_>, span: Range<usize>, schema: &'s Json, path: &str) {
        let schema = self.resolve(schema);
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties");
        let known: Vec<&str> = properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        // A key that is a likely typo of a known key that is absent is reported, then read as
        // that key, so that the rest of the file can still be checked in the same run.
        let present: Vec<String> = table.iter().map(|(k, _)| k.get_ref().to_string()).collect();
        let mut typos: Vec<(String, String)> = Vec::new();
        for name in &present {
            if properties.is_some_and(|p| p.contains_key(name.as_str())) {
                continue;
            }
            if let Some(n) = nearest(name, known.iter().copied())
                && !present.iter().any(|p| p == n)
                && !typos.iter().any(|(_, t)| t == n)
            {
                typos.push((name.clone(), n.to_string()));
            }
        }
        for (typo, fixed) in &typos {
            if let Some((key, value)) = table.remove_entry(typo.as_str()) {
                let where_ = if path.is_empty() {
                    "at the top level".to_string()
                } else {
                    format!("in `{path}`")
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        "unknown-key",
                        key.span(),
                        format!("unknown key `{typo}` {where_}"),
                    )
                    .with_help(format!("did you mean `{fixed}`?")),
                );
                table.insert(
                    Spanned::new(key.span(), std::borrow::Cow::Owned(fixed.clone())),
                    value,
                );
            }
        }
        let mut drop: Vec<String> = Vec::new();
        for (key, value) in table.iter_mut() {
            let name: &str = key.get_ref();
            let child_path = if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            };
            let child_schema = properties.and_then(|p| p.get(name)).or(match additional {
                Some(Json::Bool(false)) | None => None,
                Some(s) => Some(s),
            });
            match child_schema {
                Some(s) if !self.value(value, s, &child_path) => drop.push(name.to_string()),
                Some(_) => {}
                None if properties.is_some() => {
                    let where_ = if path.is_empty() {
                        "at the top level".to_string()
                    } else {
                        format!("in `{path}`")
                    };
                    let mut d = Diagnostic::error(
                        "unknown-key",
                        key.span(),
                        format!("unknown key `{name}` {where_}"),
                    );
                    d = match nearest(name, known.iter().copied()) {
                        Some(n) => d.with_help(format!("did you mean `{n}`?")),
                        None => d.with_help(format!("known keys here: {}", list(&known))),
                    };
                    self.diagnostics.push(d);
                    drop.push(name.to_string());
                }
                None => {}
            }
        }
        for d in &drop {
            table.remove(d.as_str());
        }
        if let Some(required) = schema.get("required").and_then(Json::as_array) {
            for r in required.iter().filter_map(Json::as_str) {
                if !table.iter().any(|(k, _)| k.get_ref() == r) && !drop.iter().any(|d| d == r) {
                    self.fatal = true;
                    let where_ = if path.is_empty() {
                        "the file".to_string()
                    } else {
                        format!("`{path}`")
                    };
                    let key_help = if path.is_empty() {
                        format!("add a `[{r}]` table")
                    } else {
                        format!("add `{r} = …`")
                    };
                    self.diagnostics.push(
                        Diagnostic::error(
                            "missing-key",
                            span.clone(),
                            format!("{where_} is missing the required key `{r}`"),
                        )
                        .with_help(key_help),
                    );
                }
            }
        }
    }
}

/// The table headers (`[name…]` or `[[name…]]`) whose first key is not a top-level key of
/// the input but a likely typo of one, each as an `unknown-key` error at that key.
fn header_typos(source: &str) -> Vec<Diagnostic> {
    let schema = serde_json::to_value(schemars::schema_for!(Input)).unwrap_or(Json::Null);
    let known: Vec<&str> = schema
        .get("properties")
        .and_then(Json::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix('[') else {
            continue;
        };
        let double = rest.starts_with('[');
        let inner = rest.trim_start_matches('[');
        let Some(first) = inner.split(['.', ']']).next() else {
            continue;
        };
        let name = first.trim().trim_matches(['"', '\'']);
        let at = start + (line.len() - trimmed.len()) + (trimmed.len() - inner.len());
        let at = at + (first.len() - first.trim_start().len());
        let span = at..at + first.trim().len();
        let is_list = schema
            .pointer(&format!("/properties/{name}/type"))
            .and_then(Json::as_str)
            == Some("array");
        let whole = inner.split(']').next().unwrap_or("");
        if !double && is_list && !whole.contains('.') {
            out.push(
                Diagnostic::error(
                    "invalid-type",
                    span,
                    format!("`{name}` is a list of tables, written here as one table"),
                )
                .with_help(format!(
                    "write each entry under `[[{name}]]`, with double brackets"
                )),
            );
            continue;
        }
        if name.is_empty() || known.contains(&name) {
            continue;
        }
        let Some(fixed) = nearest(name, known.iter().copied()) else {
            continue;
        };
        let (open, close) = if double { ("[[", "]]") } else { ("[", "]") };
        out.push(
            Diagnostic::error(
                "unknown-key",
                span,
                format!("unknown key `{name}` at the top level"),
            )
            .with_help(format!(
                "did you mean `{open}{fixed}{close}`? (the tables after it that use `{fixed}` clash with this one)"
            )),
        );
    }
    out
}

/// The table header of a path: `members[2].subsystems` → `members.subsystems`.
fn header_of(path: &str) -> String {
    path.split('.')
        .map(|part| part.split('[').next().unwrap_or(part))
        .collect::<Vec<_>>()
        .join(".")
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    String,
    Integer,
    Float,
    Boolean,
    Date,
    Array,
    Table,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Integer => "an integer",
            Kind::Float => "a number",
            Kind::Boolean => "true or false",
            Kind::Date => "a date",
            Kind::Array => "an array",
            Kind::Table => "a table",
        }
    }
}

fn kind_of(v: &DeValue<'_>) -> Kind {
    match v {
        DeValue::String(_) => Kind::String,
        DeValue::Integer(_) => Kind::Integer,
        DeValue::Float(_) => Kind::Float,
        DeValue::Boolean(_) => Kind::Boolean,
        DeValue::Datetime(_) => Kind::Date,
        DeValue::Array(_) => Kind::Array,
        DeValue::Table(_) => Kind::Table,
    }
}

#[derive(Debug, Clone, Copy)]
enum Expected {
    Kind(Kind),
    Number,
}

impl Expected {
    fn accepts(self, k: Kind) -> bool {
        match self {
            Expected::Kind(e) => e == k,
            Expected::Number => matches!(k, Kind::Integer | Kind::Float),
        }
    }
    fn describe(self) -> &'static str {
        match self {
            Expected::Kind(k) => k.describe(),
            Expected::Number => "a number",
        }
    }
    fn example(self) -> &'static str {
        match self {
            Expected::Kind(Kind::String) => "write the value in quotes, e.g. `\"text\"`",
            Expected::Kind(Kind::Integer) => "write a whole number without quotes, e.g. `6`",
            Expected::Kind(Kind::Date) => "write a date without quotes, e.g. `2026-12-01`",
            Expected::Kind(Kind::Array) => "write a list in brackets, e.g. `[\"FI-TEST\", \"FI\"]`",
            Expected::Kind(Kind::Table) => {
                "write a table, e.g. `[section]` followed by `key = value` lines"
            }
            Expected::Kind(Kind::Boolean) => "write `true` or `false`",
            Expected::Kind(Kind::Float) | Expected::Number => {
                "write a number without quotes, e.g. `1200`"
            }
        }
    }
}

fn expected_kind(schema: &Json) -> Option<Expected> {
    let ty = match schema.get("type")? {
        Json::String(s) => s.as_str(),
        Json::Array(a) => a.iter().filter_map(Json::as_str).find(|t| *t != "null")?,
        _ => return None,
    };
    Some(match ty {
        "string" if schema.get("format").and_then(Json::as_str) == Some("date") => {
            Expected::Kind(Kind::Date)
        }
        "string" => Expected::Kind(Kind::String),
        "integer" => Expected::Kind(Kind::Integer),
        "number" => Expected::Number,
        "boolean" => Expected::Kind(Kind::Boolean),
        "array" => Expected::Kind(Kind::Array),
        "object" => Expected::Kind(Kind::Table),
        _ => return None,
    })
}
