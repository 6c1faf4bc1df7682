//! Renders the Markdown documents from the Tera templates and the views.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use anyhow::{Context as _, Result};

use crate::arrangement::{Lang, Member};
use crate::documents::Document;
pub use crate::plan::Plan;
use crate::render::numbering;
use crate::templates::TemplateSet;
use crate::view::{Builder, Context};

/// One rendered Markdown document, with the view it was rendered from: the HTML and PDF
/// renderers use this view, never the arrangement.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Its language.
    pub lang: Lang,
    /// Which document.
    pub doc: &'static Document,
    /// The member id, for member documents.
    pub member: Option<String>,
    /// The output path without extension, e.g. `fi/members/pikkula/agreement`.
    pub stem: String,
    /// The document's title: its first level-1 heading.
    pub title: String,
    /// The Markdown text.
    pub markdown: String,
    /// The view the template saw.
    pub context: Arc<Context>,
}

/// Renders every planned document ([`Plan::entries`]), each from a view built once.
pub fn render(plan: &Plan<'_>, templates: &TemplateSet) -> Result<Vec<Rendered>> {
    let mut engines: BTreeMap<Lang, tera::Tera> = BTreeMap::new();
    let members: Vec<&Member> = plan.built_members().collect();
    let mut out = Vec::new();
    for entry in plan.entries() {
        let lang = entry.lang;
        if let std::collections::btree_map::Entry::Vacant(e) = engines.entry(lang) {
            e.insert(templates.markdown_engine(lang, &plan.words)?);
        }
        let builder = Builder {
            arrangement: plan.arrangement,
            lang,
            public: plan.public,
            register: &plan.register,
        };
        let ctx = match entry.member {
            Some(m) => builder.member_context(entry.doc.id, m),
            None => builder.packet_context(entry.doc.id, &members),
        };
        let member = entry.member.map(|m| m.id.as_str());
        let context =
            tera::Context::from_serialize(&ctx).context("cannot prepare the template context")?;
        out.push(one(
            &engines[&lang],
            templates,
            &context,
            entry.doc,
            lang,
            member,
            Arc::new(ctx),
        )?);
    }
    Ok(out)
}

/// The Markdown engines of a build, one per language, each made when first needed; shared
/// by the threads that render the members' documents.
pub struct Engines<'a> {
    templates: &'a TemplateSet,
    words: Arc<crate::words::Words>,
    engines: BTreeMap<Lang, OnceLock<std::result::Result<tera::Tera, String>>>,
}

impl<'a> Engines<'a> {
    /// The engines for `plan`'s languages.
    pub fn new(plan: &Plan<'_>, templates: &'a TemplateSet) -> Engines<'a> {
        Engines {
            templates,
            words: plan.words.clone(),
            engines: Lang::ALL.iter().map(|&l| (l, OnceLock::new())).collect(),
        }
    }

    /// Makes the engines of `langs` now, so that a broken template is found before
    /// anything is written.
    pub fn prepare(&self, langs: &[Lang]) -> Result<()> {
        for &l in langs {
            self.engine(l)?;
        }
        Ok(())
    }

    fn engine(&self, lang: Lang) -> Result<&tera::Tera> {
        self.engines[&lang]
            .get_or_init(|| {
                self.templates
                    .markdown_engine(lang, &self.words)
                    .map_err(|e| format!("{e:#}"))
            })
            .as_ref()
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// Renders one document from its view.
    pub fn render(
        &self,
        doc: &'static Document,
        lang: Lang,
        member: Option<&str>,
        ctx: Arc<Context>,
    ) -> Result<Rendered> {
        let context = tera::Context::from_serialize(ctx.as_ref())
            .context("cannot prepare the template context")?;
        one(
            self.engine(lang)?,
            self.templates,
            &context,
            doc,
            lang,
            member,
            ctx,
        )
    }

    /// Renders the documents `docs` (of the member `member`, or of the packet), whose views
    /// are `view` but for the document's id: the view is handed to the template engine
    /// once, with `doc` set for each.
    pub fn render_all(
        &self,
        docs: &[&'static Document],
        lang: Lang,
        member: Option<&str>,
        view: Context,
    ) -> Result<Vec<Rendered>> {
        let tera = self.engine(lang)?;
        let mut context =
            tera::Context::from_serialize(&view).context("cannot prepare the template context")?;
        let mut out = Vec::with_capacity(docs.len());
        for doc in docs {
            context.insert("doc", doc.id);
            let ctx = Arc::new(Context {
                doc: doc.id,
                ..view.clone()
            });
            out.push(one(tera, self.templates, &context, doc, lang, member, ctx)?);
        }
        Ok(out)
    }
}

fn one(
    tera: &tera::Tera,
    templates: &TemplateSet,
    context: &tera::Context,
    doc: &'static Document,
    lang: Lang,
    member: Option<&str>,
    ctx: Arc<Context>,
) -> Result<Rendered> {
    let name = doc.template();
    let text = tera.render(&name, context).with_context(|| {
        let whom = member
            .map(|m| format!(" for member `{m}`"))
            .unwrap_or_default();
        format!(
            "cannot render the document `{}`{whom} from the template {}",
            doc.id,
            templates.describe(&name)
        )
    })?;
    if text.len() > crate::templates::MAX_OUTPUT {
        anyhow::bail!(
            "the document `{}` from the template {} is larger than {} MiB",
            doc.id,
            templates.describe(&name),
            crate::templates::MAX_OUTPUT >> 20
        );
    }
    let text = numbering::apply(&text).with_context(|| {
        format!(
            "cannot number the clauses of the document `{}` from the template {}",
            doc.id,
            templates.describe(&name)
        )
    })?;
    let markdown = tidy(&crate::templates::resolve_code_pipes(&text));
    Ok(Rendered {
        lang,
        doc,
        member: member.map(str::to_string),
        stem: doc.stem(lang, member),
        title: title_of(&markdown).unwrap_or_else(|| doc.id.to_string()),
        markdown,
        context: ctx,
    })
}

/// Normalises template output: no trailing spaces, at most one blank line in a row, one
/// final newline.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The text of the first level-1 ATX heading, with Markdown backslash escapes removed.
pub fn title_of(markdown: &str) -> Option<String> {
    let line = markdown.lines().find(|l| l.starts_with("# "))?;
    let mut out = String::new();
    let mut chars = line[2..].trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            continue;
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_collapses_blank_lines() {
        assert_eq!(tidy("\n\na  \n\n\n\nb\n\n"), "a\n\nb\n");
    }

    #[test]
    fn title_unescapes() {
        assert_eq!(title_of("x\n# A \\*b\\*\n"), Some("A *b*".into()));
    }
}
