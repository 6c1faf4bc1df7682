//! The HTML pages and the static site (SPEC §5): one page per document, an overview page
//! per language, the language choice at the root, and the stylesheet.
//!
//! Every page is a Tera HTML template (`templates/html/*.html`, rendered with HTML
//! autoescaping) fed with a [`Page`]: the document's HTML from [`super::html`], the site's
//! navigation, and on overview pages the packet's [`view::Context`](crate::view::Context).
//! Every link is relative, so the site works from `file://` and from any sub-path; nothing
//! is fetched from the network. The files under `templates/html/assets/` are copied to
//! `assets/`.
//!
//! The words of the site's own interface (navigation, badges, table headers) are in the
//! [`UI`] table, one line per phrase with all three languages, so none can be missing.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context as _, Result};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::arrangement::{Lang, Platform};
use crate::cli::Format;
use crate::documents::{self, Document, Scope};
use crate::output::Output;
use crate::register::{CertKind, Status};
use crate::render::html::{self, Heading};
use crate::render::markdown::{Plan, Rendered};
use crate::templates::TemplateSet;
use crate::templates::capitalise;
use crate::view::{Context, MemberView};
use crate::words::Words;

/// What the site is built from: the rendered documents with their views (the overview
/// pages show the overview document's view), the plan (formats, languages, the catalogue)
/// and the templates.
pub struct SiteInput<'a> {
    /// The rendered Markdown documents.
    pub docs: &'a [Rendered],
    /// The build plan.
    pub plan: &'a Plan<'a>,
    /// The templates.
    pub templates: &'a TemplateSet,
}

/// Ids that the page layout uses, which headings of a document must not take.
const LAYOUT_IDS: [&str; 8] = [
    "main",
    "site-header",
    "site-nav",
    "nav-members",
    "toc",
    "footnotes",
    "members",
    "servers",
];

/// The site's own words (navigation, badges, table headers): the messages `site-…` of the
/// word catalogue, shown to the page templates as `t.<key>` with `-` written `_`.
const SITE_WORDS: &[&str] = &[
    "site_name",
    "site_tagline",
    "skip",
    "language",
    "choose_language",
    "documents_in_language",
    "site_nav",
    "breadcrumb",
    "home",
    "all_languages",
    "packet_documents",
    "members",
    "documents",
    "on_this_page",
    "files",
    "markdown_file",
    "pdf_file",
    "docx_file",
    "packet_pdf",
    "draft",
    "draft_notice",
    "owner",
    "business_id",
    "member_class",
    "date",
    "place",
    "environments",
    "document_language",
    "subsystems",
    "progress",
    "phases_done",
    "member_side",
    "owner_side",
    "servers",
    "instance",
    "fqdn",
    "ipv4",
    "platform",
    "server_id",
    "certificates",
    "certificate",
    "holder",
    "expires",
    "renew_from",
    "status",
    "not_known",
    "generated_by",
];

/// The words a page template sees as `t`, in one language: the [`SITE_WORDS`], and the
/// groups `docs`, `kinds`, `statuses`, `platforms`, `lang_names` and `in_lang` by code.
pub fn ui_strings(words: &Words, lang: Lang) -> Value {
    let mut root = Map::new();
    for key in SITE_WORDS {
        root.insert((*key).to_string(), Value::String(ui(words, lang, key)));
    }
    let group = |id: &str, arg: &str, codes: &[&str], cap: bool| {
        let map: Map<String, Value> = codes
            .iter()
            .map(|c| {
                let w = words.get(lang, id, &[(arg, (*c).into())]);
                let w = if cap { capitalise(&w) } else { w };
                ((*c).to_string(), Value::String(w))
            })
            .collect();
        Value::Object(map)
    };
    let docs: Vec<&str> = documents::DOCUMENTS.iter().map(|d| d.id).collect();
    let langs: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    root.insert("docs".into(), group("doc-short", "doc", &docs, false));
    root.insert(
        "kinds".into(),
        group("cert-kind", "kind", &CertKind::CODES, true),
    );
    root.insert(
        "statuses".into(),
        group("cert-status", "status", &Status::CODES, true),
    );
    root.insert(
        "platforms".into(),
        group("platform-short", "platform", &Platform::CODES, false),
    );
    root.insert(
        "lang_names".into(),
        group("lang-name", "lang", &langs, false),
    );
    root.insert("in_lang".into(), group("in-lang", "lang", &langs, false));
    Value::Object(root)
}

/// One of the [`SITE_WORDS`].
fn ui(words: &Words, lang: Lang, key: &str) -> String {
    words.word(lang, &format!("site-{}", key.replace('_', "-")))
}

/// A link as the templates see it. `href` is relative to the page and holds only URL-safe
/// characters, so templates print it with `| safe`.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The visible text.
    pub label: String,
    /// The relative URL.
    pub href: String,
    /// Whether it leads to the page itself.
    pub current: bool,
    /// The language of the target, when it differs from the page's.
    pub hreflang: Option<&'static str>,
    /// The MIME type of a file link.
    pub mime: Option<&'static str>,
    /// For the current document: its sections.
    pub toc: Vec<Heading>,
}

/// A language in the language switcher or the language choice.
#[derive(Debug, Clone, Serialize)]
pub struct LangLink {
    /// `fi`, `sv` or `en`.
    pub code: &'static str,
    /// The language's name in itself.
    pub name: String,
    /// The same page in that language where built, else that language's overview page.
    pub href: String,
    /// Whether this is the page's language.
    pub current: bool,
    /// On the language choice: the site's name in that language.
    pub site_name: String,
    /// On the language choice: "the documents in English" in that language.
    pub blurb: String,
    /// On the language choice: "choose a language" in that language.
    pub choose: String,
}

/// A member in the side navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavMember {
    /// Member id.
    pub id: String,
    /// Organisation name.
    pub name: String,
    /// Whether the page is one of this member's documents.
    pub open: bool,
    /// Its documents.
    pub docs: Vec<Link>,
}

/// The side navigation of a language.
#[derive(Debug, Clone, Serialize)]
pub struct Nav {
    /// The language's overview page.
    pub home: Link,
    /// The packet documents.
    pub packet: Vec<Link>,
    /// The members and their documents.
    pub members: Vec<NavMember>,
}

/// A member on the overview page.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    /// The member's view.
    pub member: MemberView,
    /// Its documents.
    pub docs: Vec<Link>,
    /// Its whole packet as PDF, when built.
    pub packet_pdf: Option<Link>,
    /// Phases done, both sides.
    pub done: usize,
    /// Phases in all, both sides.
    pub total: usize,
}

/// The data of a language's overview page.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    /// The packet's view, as the overview document sees it.
    pub packet: Context,
    /// Each member.
    pub cards: Vec<Card>,
    /// Certificates per status, in the order ok, renew-soon, expired, unknown; only
    /// statuses that occur.
    pub status_counts: Vec<(String, usize)>,
}

/// Facts about the site shown on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// The owner's name.
    pub owner: String,
    /// The packet date in the page's language.
    pub date: String,
    /// Whether the documents are drafts.
    pub draft: bool,
    /// The tool's version.
    pub version: &'static str,
}

/// Everything a page template sees.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// The page's language.
    pub lang: Lang,
    /// `languages`, `index` or `document`.
    pub kind: &'static str,
    /// The `<title>`.
    pub title: String,
    /// The document id, on document pages.
    pub doc_id: Option<&'static str>,
    /// The relative URL of the `assets/` folder, ending in `/`.
    pub assets: String,
    /// The relative URL of the language's overview page.
    pub home: String,
    /// The relative URL of the root language choice.
    pub root_index: String,
    /// The [`UI`] words in the page's language.
    pub t: Value,
    /// Facts about the site.
    pub site: SiteView,
    /// The language switcher (the language choice on the root page).
    pub languages: Vec<LangLink>,
    /// The same page in other languages, for `<link rel="alternate">`.
    pub alternates: Vec<LangLink>,
    /// The side navigation.
    pub nav: Option<Nav>,
    /// The breadcrumbs, the last one the page itself.
    pub breadcrumbs: Vec<Link>,
    /// The page's document as other files.
    pub files: Vec<Link>,
    /// The document's HTML.
    pub content: String,
    /// The overview page's data.
    pub index: Option<IndexView>,
}

/// The path of `to` relative to the page at `from`, both relative to the output root with
/// `/` separators (e.g. from `fi/members/a/agreement.html` to `fi/overview.html` is
/// `../../overview.html`).
pub fn relative(from: &str, to: &str) -> String {
    let mut from_dirs: Vec<&str> = from.split('/').collect();
    from_dirs.pop();
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, to_file) = to_parts.split_at(to_parts.len() - 1);
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    for d in &to_dirs[common..] {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(to_file[0]);
    url_safe(&out)
}

/// Percent-encodes everything but unreserved characters, `/` and `#`, so that a URL can be
/// printed in an attribute as it is.
fn url_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b'#') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The site being built: which documents exist, in which languages.
struct Site<'a> {
    input: &'a SiteInput<'a>,
    /// Documents by output stem.
    by_stem: BTreeMap<&'a str, &'a Rendered>,
    /// Languages built, in site order.
    langs: Vec<Lang>,
    /// The members built, in input order: id and name.
    members: Vec<(String, String)>,
}

impl<'a> Site<'a> {
    fn new(input: &'a SiteInput<'a>) -> Site<'a> {
        let langs: BTreeSet<Lang> = input.docs.iter().map(|d| d.lang).collect();
        let members = input
            .docs
            .iter()
            .find(|d| d.doc.scope == Scope::Packet)
            .map(|d| {
                d.context
                    .members
                    .iter()
                    .map(|m| (m.id.clone(), m.org.name.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Site {
            input,
            by_stem: input.docs.iter().map(|d| (d.stem.as_str(), d)).collect(),
            langs: langs.into_iter().collect(),
            members,
        }
    }

    fn words(&self) -> &Words {
        &self.input.plan.words
    }

    fn formats(&self) -> &BTreeSet<Format> {
        &self.input.plan.formats
    }

    /// The view of a language's overview document (every language built has one).
    fn packet(&self, lang: Lang) -> Result<&'a Context> {
        self.by_stem
            .get(documents::OVERVIEW.stem(lang, None).as_str())
            .map(|d| d.context.as_ref())
            .with_context(|| format!("the overview in `{}` was not built", lang.code()))
    }

    fn has(&self, stem: &str) -> bool {
        self.by_stem.contains_key(stem)
    }

    fn site_view(&self, lang: Lang) -> Result<SiteView> {
        let p = self.packet(lang)?;
        Ok(SiteView {
            owner: p.owner.name.clone(),
            date: p.date.clone(),
            draft: p.draft,
            version: env!("CARGO_PKG_VERSION"),
        })
    }

    /// The switcher: for each language built, the same document there, else its overview.
    fn languages(
        &self,
        page: &str,
        doc: Option<(&Document, Option<&str>)>,
        current: Lang,
    ) -> Vec<LangLink> {
        self.langs
            .iter()
            .map(|&l| {
                let target = match doc {
                    Some((d, member)) if self.has(&d.stem(l, member)) => {
                        format!("{}.html", d.stem(l, member))
                    }
                    _ => format!("{}/index.html", l.code()),
                };
                LangLink {
                    code: l.code(),
                    name: self.words().word(l, "lang-autonym"),
                    href: relative(page, &target),
                    current: l == current,
                    site_name: ui(self.words(), l, "site_name"),
                    blurb: ui(self.words(), l, "documents_in_language"),
                    choose: ui(self.words(), l, "choose_language"),
                }
            })
            .collect()
    }

    /// Links to the files of a document in the formats built besides HTML.
    fn files(&self, page: &str, stem: &str, lang: Lang) -> Vec<Link> {
        let mut out = Vec::new();
        if self.formats().contains(&Format::Md) {
            out.push(file_link(
                page,
                &format!("{stem}.md"),
                &ui(self.words(), lang, "markdown_file"),
                "text/markdown",
            ));
        }
        if self.formats().contains(&Format::Pdf) {
            out.push(file_link(
                page,
                &format!("{stem}.pdf"),
                &ui(self.words(), lang, "pdf_file"),
                "application/pdf",
            ));
        }
        if self.formats().contains(&Format::Docx) {
            out.push(file_link(
                page,
                &format!("{stem}.docx"),
                &ui(self.words(), lang, "docx_file"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ));
        }
        out
    }

    /// A member's documents as links from `page`: in `lang` where built, else in the first
    /// language they were built in.
    fn member_docs(
        &self,
        page: &str,
        lang: Lang,
        member: &str,
        current: Option<&str>,
        toc: &[Heading],
    ) -> Vec<Link> {
        let in_lang = documents::member_documents().any(|d| self.has(&d.stem(lang, Some(member))));
        let target_lang = if in_lang {
            lang
        } else {
            self.langs
                .iter()
                .copied()
                .find(|&l| {
                    documents::member_documents().any(|d| self.has(&d.stem(l, Some(member))))
                })
                .unwrap_or(lang)
        };
        documents::member_documents()
            .filter(|d| self.has(&d.stem(target_lang, Some(member))))
            .map(|d| {
                let stem = d.stem(target_lang, Some(member));
                let is_current = current == Some(stem.as_str());
                let mut label = self.words().get(lang, "doc-short", &[("doc", d.id.into())]);
                if target_lang != lang {
                    label = format!(
                        "{label} ({})",
                        self.words()
                            .get(lang, "in-lang", &[("lang", target_lang.code().into())])
                    );
                }
                Link {
                    label,
                    href: relative(page, &format!("{stem}.html")),
                    current: is_current,
                    hreflang: (target_lang != lang).then_some(target_lang.code()),
                    mime: None,
                    toc: if is_current { toc.to_vec() } else { Vec::new() },
                }
            })
            .collect()
    }

    fn nav(&self, page: &str, lang: Lang, current: Option<&str>, toc: &[Heading]) -> Nav {
        let index = format!("{}/index.html", lang.code());
        // The overview first: it is the way into the others.
        let mut packet_docs: Vec<&Document> = documents::packet_documents().collect();
        packet_docs.sort_by_key(|d| d.id != "overview");
        let packet = packet_docs
            .into_iter()
            .filter(|d| self.has(&d.stem(lang, None)))
            .map(|d| {
                let stem = d.stem(lang, None);
                let is_current = current == Some(stem.as_str());
                Link {
                    label: self.words().get(lang, "doc-short", &[("doc", d.id.into())]),
                    href: relative(page, &format!("{stem}.html")),
                    current: is_current,
                    hreflang: None,
                    mime: None,
                    toc: if is_current { toc.to_vec() } else { Vec::new() },
                }
            })
            .collect();
        let members = self
            .members
            .iter()
            .map(|(id, name)| {
                let docs = self.member_docs(page, lang, id, current, toc);
                NavMember {
                    id: id.clone(),
                    name: name.clone(),
                    open: docs.iter().any(|d| d.current),
                    docs,
                }
            })
            .collect();
        Nav {
            home: Link {
                label: ui(self.words(), lang, "home"),
                href: relative(page, &index),
                current: page == index,
                hreflang: None,
                mime: None,
                toc: Vec::new(),
            },
            packet,
            members,
        }
    }

    fn base(&self, page: &str, lang: Lang, kind: &'static str, title: String) -> Result<Page> {
        Ok(Page {
            lang,
            kind,
            title,
            doc_id: None,
            assets: relative(page, "assets/"),
            home: relative(page, &format!("{}/index.html", lang.code())),
            root_index: relative(page, "index.html"),
            t: ui_strings(self.words(), lang),
            site: self.site_view(lang)?,
            languages: Vec::new(),
            alternates: Vec::new(),
            nav: None,
            breadcrumbs: Vec::new(),
            files: Vec::new(),
            content: String::new(),
            index: None,
        })
    }

    /// The root page: the choice of language.
    fn root_page(&self) -> Result<Page> {
        let default = self.input.plan.language;
        let lang = if self.langs.contains(&default) {
            default
        } else {
            self.langs[0]
        };
        let owner = self.packet(lang)?.owner.name.clone();
        let names: Vec<String> = self
            .langs
            .iter()
            .map(|&l| ui(self.words(), l, "site_name"))
            .collect();
        let mut page = self.base(
            "index.html",
            lang,
            "languages",
            format!("{} · {}", names.join(" · "), owner),
        )?;
        page.languages = self.languages("index.html", None, lang);
        for l in &mut page.languages {
            l.current = false;
        }
        Ok(page)
    }

    /// A language's overview page.
    fn index_page(&self, lang: Lang) -> Result<Page> {
        let path = format!("{}/index.html", lang.code());
        let packet = self.packet(lang)?.clone();
        let cards = packet
            .members
            .iter()
            .map(|m| {
                let pdf_stem = format!("{}/members/{}/packet", lang.code(), m.id);
                let packet_pdf = (self.formats().contains(&Format::Pdf)
                    && self.has(&format!("{}/members/{}/agreement", lang.code(), m.id)))
                .then(|| {
                    file_link(
                        &path,
                        &format!("{pdf_stem}.pdf"),
                        &ui(self.words(), lang, "packet_pdf"),
                        "application/pdf",
                    )
                });
                Card {
                    member: m.clone(),
                    docs: self.member_docs(&path, lang, &m.id, None, &[]),
                    packet_pdf,
                    done: m.progress.member_done + m.progress.owner_done,
                    total: m.progress.member_total + m.progress.owner_total,
                }
            })
            .collect();
        let mut counts: Vec<(String, usize)> = Vec::new();
        for status in Status::ALL {
            let n = packet
                .certificates
                .iter()
                .filter(|c| c.status == status)
                .count();
            if n > 0 {
                counts.push((status.code().to_string(), n));
            }
        }
        let mut page = self.base(
            &path,
            lang,
            "index",
            format!(
                "{} · {}",
                ui(self.words(), lang, "site_name"),
                packet.owner.name
            ),
        )?;
        page.languages = self.languages(&path, None, lang);
        page.alternates = page
            .languages
            .iter()
            .filter(|l| !l.current)
            .cloned()
            .collect();
        page.nav = Some(self.nav(&path, lang, None, &[]));
        page.index = Some(IndexView {
            packet,
            cards,
            status_counts: counts,
        });
        Ok(page)
    }

    /// A document's page.
    fn document_page(&self, doc: &Rendered) -> Result<Page> {
        let path = format!("{}.html", doc.stem);
        let lang = doc.lang;
        let fragment = html::to_html(
            &doc.markdown,
            &html::FootnoteWords::new(self.words(), lang),
            &LAYOUT_IDS,
        );
        let toc: Vec<Heading> = fragment
            .headings
            .iter()
            .filter(|h| h.level == 2)
            .cloned()
            .collect();
        let mut page = self.base(
            &path,
            lang,
            "document",
            format!("{} · {}", doc.title, doc.context.owner.name),
        )?;
        page.doc_id = Some(doc.doc.id);
        // A document's page shows its own stage: a member that has signed is final in a
        // packet that is still a draft.
        page.site.draft = doc.context.draft;
        page.languages = self.languages(&path, Some((doc.doc, doc.member.as_deref())), lang);
        page.alternates = self
            .langs
            .iter()
            .filter(|&&l| l != lang && self.has(&doc.doc.stem(l, doc.member.as_deref())))
            .map(|&l| {
                let stem = doc.doc.stem(l, doc.member.as_deref());
                LangLink {
                    code: l.code(),
                    name: self.words().word(l, "lang-autonym"),
                    href: relative(&path, &format!("{stem}.html")),
                    current: false,
                    site_name: ui(self.words(), l, "site_name"),
                    blurb: ui(self.words(), l, "documents_in_language"),
                    choose: ui(self.words(), l, "choose_language"),
                }
            })
            .collect();
        page.nav = Some(self.nav(&path, lang, Some(&doc.stem), &toc));
        let home = format!("{}/index.html", lang.code());
        let mut crumbs = vec![crumb(
            &ui(self.words(), lang, "home"),
            relative(&path, &home),
        )];
        if doc.doc.scope == Scope::Member
            && let Some(id) = &doc.member
        {
            let name = self
                .members
                .iter()
                .find(|(m, _)| m == id)
                .map_or(id.clone(), |(_, name)| name.clone());
            crumbs.push(crumb(
                &name,
                relative(&path, &format!("{home}#member-{id}")),
            ));
        }
        let mut last = crumb(
            &self
                .words()
                .get(lang, "doc-short", &[("doc", doc.doc.id.into())]),
            relative(&path, &path),
        );
        last.current = true;
        crumbs.push(last);
        page.breadcrumbs = crumbs;
        page.files = self.files(&path, &doc.stem, lang);
        page.content = fragment.html;
        Ok(page)
    }
}

fn crumb(label: &str, href: String) -> Link {
    Link {
        label: label.to_string(),
        href,
        current: false,
        hreflang: None,
        mime: None,
        toc: Vec::new(),
    }
}

fn file_link(page: &str, target: &str, label: &str, mime: &'static str) -> Link {
    Link {
        label: label.to_string(),
        href: relative(page, target),
        current: false,
        hreflang: None,
        mime: Some(mime),
        toc: Vec::new(),
    }
}

fn render(
    tera: &tera::Tera,
    templates: &TemplateSet,
    name: &str,
    page: &Page,
    path: &str,
) -> Result<String> {
    let context = tera::Context::from_serialize(page).context("cannot prepare the page context")?;
    tera.render(name, &context).with_context(|| {
        format!(
            "cannot render the page `{path}` from the template {}",
            templates.describe(name)
        )
    })
}

/// Writes the HTML pages, the overview pages, the language choice and the assets.
pub fn write_site(input: &SiteInput<'_>, out: &mut Output) -> Result<()> {
    let site = Site::new(input);
    if site.langs.is_empty() {
        return Ok(());
    }
    let mut engines = BTreeMap::new();
    for lang in Lang::ALL {
        engines.insert(lang, input.templates.html_engine(lang, &input.plan.words)?);
    }
    let templates = input.templates;
    for (name, _) in templates.list() {
        if let Some(rel) = name.strip_prefix("html/assets/")
            && let Some(text) = templates.get(name)
        {
            let path = format!("assets/{rel}");
            out.write(&path, text.as_bytes())
                .with_context(|| format!("cannot write `{path}`"))?;
        }
    }
    let mut pages: Vec<(String, &str, Page)> = vec![(
        "index.html".to_string(),
        "html/languages.html",
        site.root_page()?,
    )];
    for &lang in &site.langs {
        pages.push((
            format!("{}/index.html", lang.code()),
            "html/index.html",
            site.index_page(lang)?,
        ));
    }
    for doc in input.docs {
        pages.push((
            format!("{}.html", doc.stem),
            "html/document.html",
            site.document_page(doc)?,
        ));
    }
    for (path, template, page) in &pages {
        let text = render(&engines[&page.lang], templates, template, page, path)?;
        out.write(path, text.as_bytes())
            .with_context(|| format!("cannot write the page `{path}`"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Relative links climb out of the page's folder and back down.
    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(
                "fi/members/a/agreement.html",
                "fi/members/a/authorisation.html"
            ),
            "authorisation.html"
        );
        assert_eq!(
            relative("fi/members/a/agreement.html", "fi/overview.html"),
            "../../overview.html"
        );
        assert_eq!(
            relative("fi/members/a/agreement.html", "sv/members/a/agreement.html"),
            "../../../sv/members/a/agreement.html"
        );
        assert_eq!(relative("fi/index.html", "assets/"), "../assets/");
        assert_eq!(relative("index.html", "fi/index.html"), "fi/index.html");
        assert_eq!(
            relative("fi/overview.html", "fi/index.html#member-a"),
            "index.html#member-a"
        );
        assert_eq!(relative("index.html", "a b\"<.html"), "a%20b%22%3C.html");
    }

    // Every phrase of the interface comes from the catalogue, in every language, and the
    // site shows a certificate's status in the documents' words.
    #[test]
    fn ui_words_are_complete() {
        let words = Words::builtin();
        for lang in Lang::ALL {
            for key in SITE_WORDS {
                let id = format!("site-{}", key.replace('_', "-"));
                assert!(words.try_get(lang, &id, &[]).is_ok(), "{lang:?}: `{id}`");
            }
            let t = ui_strings(&words, lang);
            for d in documents::DOCUMENTS {
                assert!(t["docs"][d.id].is_string(), "no label for `{}`", d.id);
            }
        }
        assert_eq!(
            ui_strings(&words, Lang::Sv)["statuses"]["renew-soon"],
            "Ska förnyas nu"
        );
    }
}

/// Whole builds of the site: hostile input stays inert text, `--public` leaves out contacts.
#[cfg(test)]
mod build_tests {
    use std::path::{Path, PathBuf};

    const EXAMPLE: &str = include_str!("../../data/example.toml");

    /// Runs `xroad-share build` in-process; panics with its stderr when it fails.
    fn build(input: &Path, out: &Path, extra: &[&str]) {
        let mut args: Vec<std::ffi::OsString> = vec![
            "xroad-share".into(),
            "build".into(),
            input.into(),
            "--out".into(),
            out.into(),
        ];
        args.extend(["--lang", "fi,sv,en"].iter().chain(extra).map(Into::into));
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let exit = crate::run(
            args,
            &mut crate::Io {
                out: &mut stdout,
                err: &mut stderr,
                color: false,
            },
        );
        assert_eq!(
            exit,
            crate::Exit::Success,
            "{}",
            String::from_utf8_lossy(&stderr)
        );
    }

    /// Every file under `dir`, sorted.
    fn files(dir: &Path) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        v.sort();
        v
    }

    /// One tag of an HTML file: its name and attributes (name, value).
    type Tag = (String, Vec<(String, String)>);

    /// A small HTML tokenizer, enough for our own output: the tags and the decoded text.
    fn parse_html(html: &str) -> (Vec<Tag>, String) {
        let (mut tags, mut text) = (Vec::new(), String::new());
        let b = html.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'<' && html[i..].starts_with("<!--") {
                i += html[i..].find("-->").map_or(b.len() - i, |e| e + 3);
            } else if b[i] == b'<'
                && (b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
                    || b.get(i + 1) == Some(&b'/')
                    || b.get(i + 1) == Some(&b'!'))
            {
                let mut j = i + 1;
                let mut quote = None;
                while j < b.len() {
                    match (quote, b[j]) {
                        (None, b'"' | b'\'') => quote = Some(b[j]),
                        (Some(q), c) if c == q => quote = None,
                        (None, b'>') => break,
                        _ => {}
                    }
                    j += 1;
                }
                tags.push(parse_tag(&html[i + 1..j.min(b.len())]));
                i = j + 1;
            } else {
                let end = html[i..].find('<').map_or(b.len(), |e| i + e.max(1));
                text.push_str(&decode(&html[i..end]));
                i = end;
            }
        }
        (tags, text)
    }

    fn parse_tag(inner: &str) -> Tag {
        let inner = inner.trim_end_matches('/');
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut rest = inner[name_end..].trim_start();
        while !rest.is_empty() {
            let key_end = rest
                .find(|c: char| c.is_whitespace() || c == '=')
                .unwrap_or(rest.len());
            let key = rest[..key_end].to_ascii_lowercase();
            rest = rest[key_end..].trim_start();
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (v, r) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let close = after[1..].find(q).map_or(after.len(), |e| e + 1);
                        (&after[1..close], after.get(close + 1..).unwrap_or(""))
                    }
                    _ => {
                        let e = after.find(char::is_whitespace).unwrap_or(after.len());
                        (&after[..e], &after[e..])
                    }
                };
                value = decode(v);
                rest = r.trim_start();
            }
            if !key.is_empty() {
                attrs.push((key, value));
            }
        }
        (name, attrs)
    }

    /// Decodes the character references our output uses.
    fn decode(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            rest = &rest[amp..];
            let Some(semi) = rest.find(';').filter(|&e| e < 12) else {
                out.push('&');
                rest = &rest[1..];
                continue;
            };
            let entity = &rest[1..semi];
            let c = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            match c {
                Some(c) => {
                    out.push(c);
                    rest = &rest[semi + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Replacements in data/example.toml. Pikkula keeps its name: its CSR file names it.
    const HOSTILE: [(&str, &str); 7] = [
        (
            "name = \"Järvenrannan kaupunki\"",
            "name = \"<script>alert(1)</script> Järvenranta\"",
        ),
        (
            "name = \"Strandby kommun\"",
            "name = \"\\\" onmouseover=\\\"x {{ y }} {% raw %} **x** Strandby\"",
        ),
        (
            "name = \"Lakeside Digital Services Oy\"",
            "name = \"[Lakeside](javascript:alert(1)) <img src=x onerror=alert(1)>\"",
        ),
        (
            "address = \"PL 1, 99999 Järvenranta\"",
            "address = \"javascript:alert(1)\"",
        ),
        (
            "purpose = \"Kaupungin sähköinen asiointi\"",
            "purpose = \"<iframe src='https://evil.example/'></iframe>\"",
        ),
        (
            "name = \"Tiina Lehtonen\"",
            "name = \"</td><svg onload=alert(1)> ' onfocus='y\"",
        ),
        (
            "place = \"Järvenranta\"",
            "place = \"{% endraw %}{{ 7*7 }}\"",
        ),
    ];

    // Hostile organisation names and free text show as visible text on every HTML page,
    // never as elements, attributes or links.
    #[test]
    fn hostile_text_stays_inert_in_html() {
        let dir = tempfile::tempdir().unwrap();
        // Without the names in other languages, every page shows the hostile official names.
        let mut input: String = EXAMPLE
            .lines()
            .filter(|l| !l.starts_with("names = "))
            .map(|l| format!("{l}\n"))
            .collect();
        for (from, to) in HOSTILE {
            assert!(input.contains(from), "the example lacks {from}");
            input = input.replacen(from, to, 1);
        }
        // Beside it, the files the example refers to (certificates, CSRs).
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for file in files(&data) {
            let to = dir.path().join(file.strip_prefix(&data).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&file, &to).unwrap();
        }
        let path = dir.path().join("hostile.toml");
        std::fs::write(&path, &input).unwrap();
        let out = dir.path().join("out");
        build(&path, &out, &["--format", "md,html"]);
        let pages: Vec<PathBuf> = files(&out)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect();
        assert!(pages.len() > 40, "{} pages", pages.len());
        let mut seen_on_overview = false;
        for page in &pages {
            let html = std::fs::read_to_string(page).unwrap();
            let where_ = page.strip_prefix(&out).unwrap().display().to_string();
            let lower = html.to_ascii_lowercase();
            for banned in [
                "<script",
                "<svg",
                "<iframe",
                "onerror=alert",
                "javascript:alert",
            ] {
                let allowed_as_text = matches!(banned, "javascript:alert" | "onerror=alert");
                assert!(
                    allowed_as_text || !lower.contains(banned),
                    "{where_}: raw `{banned}`"
                );
            }
            let (tags, text) = parse_html(&html);
            for (name, attrs) in &tags {
                assert!(
                    !matches!(
                        name.as_str(),
                        "script" | "svg" | "iframe" | "object" | "embed"
                    ),
                    "{where_}: a <{name}> element"
                );
                if name == "img" {
                    // Only the site's own icon.
                    assert!(
                        attrs
                            .iter()
                            .any(|(k, v)| k == "src" && v.ends_with("assets/icon.svg")),
                        "{where_}: an <img> {attrs:?}"
                    );
                }
                for (key, value) in attrs {
                    assert!(
                        !key.starts_with("on"),
                        "{where_}: attribute `{key}` on <{name}>"
                    );
                    assert!(
                        !key.contains('"') && !key.contains('\''),
                        "{where_}: broken attribute `{key}`"
                    );
                    if matches!(key.as_str(), "href" | "src") {
                        assert!(
                            !value.to_ascii_lowercase().trim().starts_with("javascript:"),
                            "{where_}: {key}={value}"
                        );
                    }
                }
            }
            // The names are shown as text.
            let names: &[&str] = if where_ == "index.html" {
                &["<script>alert(1)</script> Järvenranta"]
            } else {
                &[
                    "<script>alert(1)</script> Järvenranta",
                    "\" onmouseover=\"x {{ y }} {% raw %} **x** Strandby",
                ]
            };
            for visible in names {
                assert!(
                    text.contains(visible),
                    "{where_}: `{visible}` is not visible text"
                );
            }
            if where_.ends_with("index.html") && where_.len() > "index.html".len() {
                assert!(
                    text.contains("[Lakeside](javascript:alert(1)) <img src=x onerror=alert(1)>"),
                    "{where_}"
                );
                assert!(
                    text.contains("{% endraw %}{{ 7*7 }}"),
                    "{where_}: the place is not shown as it is"
                );
                seen_on_overview = true;
            }
        }
        assert!(seen_on_overview);
    }

    /// The contact details of data/example.toml: names, phone numbers, and the e-mail
    /// addresses that name their person (role addresses such as `kirjaamo@` may stay).
    fn contact_details() -> Vec<String> {
        let doc: toml::Table = toml::from_str(EXAMPLE).unwrap();
        let mut contacts: Vec<&toml::Table> = Vec::new();
        let owner = doc["owner"].as_table().unwrap();
        contacts.extend(
            owner["contacts"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|c| c.as_table()),
        );
        for m in doc["members"].as_array().unwrap() {
            contacts.extend(
                m["contacts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|c| c.as_table()),
            );
        }
        let fold = |s: &str| s.to_lowercase().replace(['ä', 'å'], "a").replace('ö', "o");
        let mut out = Vec::new();
        for c in contacts {
            let name = c["name"].as_str().unwrap();
            out.push(name.to_string());
            if let Some(phone) = c.get("phone").and_then(|p| p.as_str()) {
                out.push(phone.to_string());
            }
            if let Some(email) = c.get("email").and_then(|e| e.as_str()) {
                let local = fold(email.split('@').next().unwrap());
                if fold(name)
                    .split(|ch: char| !ch.is_alphanumeric())
                    .any(|part| part.chars().count() >= 3 && local.contains(part))
                {
                    out.push(email.to_string());
                }
            }
        }
        out
    }

    /// Text made comparable across formats: letters, digits, `@` and `.` only, lowercased
    /// (Markdown escapes, entities, line breaks and spaces vanish).
    fn squash(s: &str) -> String {
        decode(s)
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '@' | '.'))
            .flat_map(char::to_lowercase)
            .collect()
    }

    fn find_details(out: &Path, details: &[String]) -> Vec<String> {
        let mut found = Vec::new();
        for file in files(out) {
            let text = if file.extension().is_some_and(|e| e == "pdf") {
                let run = std::process::Command::new("pdftotext")
                    .arg(&file)
                    .arg("-")
                    .output()
                    .expect("pdftotext runs (scripts/setup pdf-tools installs it)");
                String::from_utf8_lossy(&run.stdout).into_owned()
            } else {
                String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned()
            };
            let text = squash(&text);
            for d in details {
                if text.contains(&squash(d)) {
                    found.push(format!(
                        "{}: {d}",
                        file.strip_prefix(out).unwrap().display()
                    ));
                }
            }
        }
        found
    }

    // `--public` leaves every contact name, personal e-mail address and phone number of the
    // input out of every file of every format built; without it they are there.
    #[test]
    fn public_build_has_no_contact_details() {
        let details = contact_details();
        assert!(
            details.iter().any(|d| d.contains('@')),
            "the example has personal addresses: {details:?}"
        );
        assert!(
            details.iter().any(|d| d.starts_with('+')),
            "the example has phone numbers"
        );
        let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example.toml");
        // Every format, PDFs included: the test command installs typst and pdftotext, and a
        // missing one fails this test rather than narrowing it.
        let formats = "md,html,pdf";
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        build(&input, &public, &["--format", formats, "--public"]);
        assert_eq!(find_details(&public, &details), Vec::<String>::new());
        assert!(files(&public).len() > 100);
        assert!(
            files(&public)
                .iter()
                .any(|f| f.extension().is_some_and(|e| e == "pdf")),
            "PDFs are checked too"
        );
        // The same build without --public shows them, so the search can find them.
        let private = dir.path().join("private");
        build(&input, &private, &["--format", "md,html"]);
        let found = find_details(&private, &details);
        for d in &details {
            assert!(
                found.iter().any(|f| f.ends_with(&format!(": {d}"))),
                "`{d}` not found in a private build"
            );
        }
    }

    // Two builds of the same input write byte-identical sites.
    #[test]
    fn site_is_reproducible() {
        let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example.toml");
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        build(&input, &a, &["--format", "html"]);
        build(&input, &b, &["--format", "html"]);
        let (fa, fb) = (files(&a), files(&b));
        assert_eq!(
            fa.iter()
                .map(|p| p.strip_prefix(&a).unwrap())
                .collect::<Vec<_>>(),
            fb.iter()
                .map(|p| p.strip_prefix(&b).unwrap())
                .collect::<Vec<_>>()
        );
        for (x, y) in fa.iter().zip(&fb) {
            assert!(
                std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
                "{} differs",
                x.display()
            );
        }
    }
}
