//! The word catalogue: every word the tool shows outside the documents' prose (labels,
//! statuses, roles, certificate kinds, environment names, site chrome, the PDF cover, the
//! calendar, the terminal tables), one [Project Fluent](https://projectfluent.org) file per
//! language, `templates/<lang>/words.ftl`.
//!
//! The files are templates like any other: built in, and overridden message by message by a
//! `words.ftl` in the `--templates` folder. Plural and case rules go through Fluent's
//! selectors (`{ $n -> [one] … *[other] … }`), with the CLDR plural rules of each language.

use std::collections::BTreeSet;

use anyhow::{Context as _, Result, bail};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::arrangement::Lang;
use crate::templates::TemplateSet;

/// A value passed to a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    /// Text, e.g. a certificate kind's code.
    Str(&'a str),
    /// A number, e.g. a count for a plural.
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Num(f64::from(n))
    }
}

/// The catalogue of all three languages.
pub struct Words {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Words")
    }
}

/// The template name of a language's catalogue.
pub fn file_name(lang: Lang) -> String {
    format!("{}/words.ftl", lang.code())
}

impl Words {
    /// The built-in catalogue.
    pub fn builtin() -> Words {
        // The built-in files are checked by the tests; a parse error here is a bug.
        Words::from_templates(&TemplateSet::builtin()).unwrap_or_else(|e| {
            panic!("the built-in word catalogue is invalid: {e:#}");
        })
    }

    /// The built-in catalogue, made once per process: for the terminal's words, which the
    /// `--templates` folder does not change.
    pub fn shared() -> &'static Words {
        static SHARED: std::sync::LazyLock<Words> = std::sync::LazyLock::new(Words::builtin);
        &SHARED
    }

    /// The catalogue of a template set: the built-in messages, with those of an overriding
    /// `words.ftl` replacing them one by one.
    pub fn from_templates(set: &TemplateSet) -> Result<Words> {
        let mut bundles = Vec::new();
        for lang in Lang::ALL {
            let name = file_name(lang);
            let locale = lang
                .code()
                .parse()
                .with_context(|| format!("`{}` is not a language tag", lang.code()))?;
            let mut bundle = FluentBundle::new_concurrent(vec![locale]);
            bundle.set_use_isolating(false);
            for text in set.layers(&name) {
                let resource = parse(text).with_context(|| {
                    format!("the word catalogue {} has an error", set.describe(&name))
                })?;
                bundle.add_resource_overriding(resource);
            }
            bundles.push((lang, bundle));
        }
        Ok(Words { bundles })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        // Every language has a bundle: `from_templates` makes one for each of `Lang::ALL`.
        &self
            .bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .expect("a bundle per language")
            .1
    }

    /// The message `id` in `lang` with `args`, or an error naming the message.
    pub fn try_get(&self, lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> Result<String> {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            bail!(
                "the word catalogue `{}` has no message `{id}`",
                file_name(lang)
            );
        };
        let mut fluent_args = FluentArgs::new();
        for (k, v) in args {
            match v {
                Arg::Str(s) => fluent_args.set(*k, FluentValue::from(*s)),
                Arg::Num(n) => fluent_args.set(*k, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if let Some(e) = errors.first() {
            bail!(
                "the message `{id}` of `{}` cannot be formatted: {e}",
                file_name(lang)
            );
        }
        Ok(text.into_owned())
    }

    /// The message `id` in `lang` with `args`. The ids that the program itself uses are
    /// checked in every language by the tests; a missing one shows as its id.
    pub fn get(&self, lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.try_get(lang, id, args)
            .unwrap_or_else(|_| id.to_string())
    }

    /// A message without arguments.
    pub fn word(&self, lang: Lang, id: &str) -> String {
        self.get(lang, id, &[])
    }
}

fn parse(text: &str) -> Result<FluentResource> {
    FluentResource::try_new(text.to_string()).map_err(|(_, errors)| {
        let e = &errors[0];
        let line = text[..e.pos.start.min(text.len())].lines().count().max(1);
        anyhow::anyhow!("line {line}: {}", e.kind)
    })
}

/// The message ids of a catalogue file, for the completeness test.
pub fn message_ids(text: &str) -> Result<BTreeSet<String>> {
    let resource = parse(text)?;
    Ok(resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every language's catalogue has the same messages.
    #[test]
    fn every_language_has_every_message() {
        let set = TemplateSet::builtin();
        let ids: Vec<(Lang, BTreeSet<String>)> = Lang::ALL
            .iter()
            .map(|&l| {
                let text = set.get(&file_name(l)).expect("a built-in catalogue");
                (l, message_ids(text).expect("a valid catalogue"))
            })
            .collect();
        let all: BTreeSet<&String> = ids.iter().flat_map(|(_, s)| s).collect();
        for (lang, set) in &ids {
            let missing: Vec<&&String> = all.iter().filter(|id| !set.contains(**id)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", file_name(*lang));
        }
        assert!(all.len() > 50, "the catalogue looks empty: {}", all.len());
    }

    /// Plurals follow each language's rules.
    #[test]
    fn plurals() {
        let w = Words::builtin();
        let months = |lang, n: u32| w.get(lang, "months", &[("n", n.into())]);
        assert_eq!(months(Lang::Fi, 1), "1 kuukausi");
        assert_eq!(months(Lang::Fi, 3), "3 kuukautta");
        assert_eq!(months(Lang::Sv, 1), "1 månad");
        assert_eq!(months(Lang::Sv, 6), "6 månader");
        assert_eq!(months(Lang::En, 1), "1 month");
        assert_eq!(months(Lang::En, 24), "24 months");
    }

    /// A missing message is an error that names it.
    #[test]
    fn missing_message() {
        let w = Words::builtin();
        let e = w.try_get(Lang::Sv, "no-such-message", &[]).unwrap_err();
        assert!(e.to_string().contains("no-such-message"), "{e}");
    }
}
