//! Renders the Markdown documents from the Tera templates and the views.

use std::sync::Arc;

use anyhow::{Context as _, Result};

use crate::arrangement::{Arrangement, Lang, Member};
use crate::documents::{self, Document};
use crate::register::CertRow;
use crate::render::numbering;
use crate::templates::TemplateSet;
use crate::view::{Builder, CsrView};
use crate::words::Words;

/// One rendered Markdown document.
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
}

/// What to render.
pub struct Plan<'a> {
    /// The arrangement.
    pub arrangement: &'a Arrangement,
    /// The members to render, with the languages of each.
    pub members: Vec<(&'a Member, Vec<Lang>)>,
    /// The languages of the packet documents.
    pub packet_langs: Vec<Lang>,
    /// Whether personal contact details are left out.
    pub public: bool,
    /// The certificate register as of the packet date.
    pub register: &'a [CertRow],
    /// CSR details per member id.
    pub csrs: &'a dyn Fn(&str) -> Vec<CsrView>,
    /// The word catalogue.
    pub words: &'a Arc<Words>,
}

/// Renders every planned document, in a stable order: by language, then packet documents,
/// then members in input order, then documents in catalogue order.
pub fn render(plan: &Plan<'_>, templates: &TemplateSet) -> Result<Vec<Rendered>> {
    let mut langs: Vec<Lang> = plan.packet_langs.clone();
    for (_, ls) in &plan.members {
        langs.extend(ls.iter().copied());
    }
    langs.sort();
    langs.dedup();
    let mut out = Vec::new();
    for lang in langs {
        let tera = templates.markdown_engine(lang, plan.words)?;
        let builder = Builder {
            arrangement: plan.arrangement,
            lang,
            public: plan.public,
            register: plan.register,
            csrs: plan.csrs,
        };
        if plan.packet_langs.contains(&lang) {
            let members: Vec<&Member> = plan.members.iter().map(|(m, _)| *m).collect();
            for doc in documents::packet_documents() {
                let ctx = builder.packet_context(doc.id, &members);
                out.push(one(&tera, templates, doc, lang, None, &ctx)?);
            }
        }
        for (m, ls) in &plan.members {
            if !ls.contains(&lang) {
                continue;
            }
            for doc in documents::member_documents() {
                let ctx = builder.member_context(doc.id, m);
                out.push(one(&tera, templates, doc, lang, Some(&m.id), &ctx)?);
            }
        }
    }
    Ok(out)
}

fn one(
    tera: &tera::Tera,
    templates: &TemplateSet,
    doc: &'static Document,
    lang: Lang,
    member: Option<&str>,
    ctx: &crate::view::Context,
) -> Result<Rendered> {
    let name = doc.template();
    let context =
        tera::Context::from_serialize(ctx).context("cannot prepare the template context")?;
    let text = tera.render(&name, &context).with_context(|| {
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
