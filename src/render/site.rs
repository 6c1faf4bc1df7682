//! The HTML pages and the static site (SPEC §5): one page per document, an overview page
//! and a member index per language, the language choice at the root, and the stylesheet.
//!
//! Every page is a Tera HTML template (`templates/html/*.html`, rendered with HTML
//! autoescaping) fed with a [`Page`]: the document's HTML from [`super::html`], the site's
//! navigation, and on overview pages the packet's [`view::Context`](crate::view::Context).
//! Every link is relative, so the site works from `file://` and from any sub-path; nothing
//! is fetched from the network. The files under `templates/html/assets/` are copied to
//! `assets/`.
//!
//! No page but the member index grows with the number of members (mdBook's lesson): a
//! document's page links the packet documents, its own member's documents, the language
//! switcher and the member index; the overview page shows a summary. The member index
//! lists every member, as a plain list, with a small script (`assets/filter.js`) that
//! filters it as one types, also from `file://`.
//!
//! The words of the site's own interface (navigation, badges, table headers) are the
//! `site-…` messages of the word catalogue ([`SITE_WORDS`]), so none can be missing.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use anyhow::{Context as _, Result};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::arrangement::{Lang, Platform};
use crate::cli::Format;
use crate::documents::{self, Document, Scope};
use crate::output::{Output, Written};
use crate::register::{CertKind, Status};
use crate::render::html::{self, Heading};
use crate::render::markdown::{Plan, Rendered};
use crate::templates::TemplateSet;
use crate::templates::capitalise;
use crate::view::Context;
use crate::words::Words;

/// Ids that the page layout uses, which headings of a document must not take.
const LAYOUT_IDS: [&str; 12] = [
    "main",
    "site-header",
    "site-nav",
    "nav-members",
    "nav-member",
    "toc",
    "footnotes",
    "members",
    "servers",
    "member-filter",
    "member-list",
    "member-count",
];

/// The site's own words (navigation, badges, table headers): the messages `site-…` of the
/// word catalogue, shown to the page templates as `t.<key>` with `-` written `_`.
pub const SITE_WORDS: &[&str] = &[
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
    "member_index",
    "all_members",
    "member_count",
    "filter_members",
    "filter_hint",
    "members_shown",
    "member_documents",
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

/// The page's own member in the side navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavMember {
    /// Member id.
    pub id: String,
    /// Organisation name.
    pub name: String,
    /// Its documents.
    pub docs: Vec<Link>,
}

/// The side navigation of a page: of a size that does not depend on the members.
#[derive(Debug, Clone, Serialize)]
pub struct Nav {
    /// The language's overview page.
    pub home: Link,
    /// The packet documents.
    pub packet: Vec<Link>,
    /// The member index.
    pub members: Link,
    /// On a member's document: that member and its documents.
    pub member: Option<NavMember>,
}

/// A member on the member index.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Member id.
    pub id: String,
    /// Organisation name.
    pub name: String,
    /// Business ID.
    pub code: String,
    /// Member class.
    pub class: &'static str,
    /// Its first document (where its others are linked).
    pub link: Link,
    /// Its whole packet as PDF, when built.
    pub packet_pdf: Option<Link>,
    /// Phases done, both sides.
    pub done: usize,
    /// Phases in all, both sides.
    pub total: usize,
    /// Done, in per cent.
    pub percent: usize,
}

/// The data of a language's overview page: a summary, never a list of the members.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView<'a> {
    /// The packet's view, as the overview document sees it (its members are not listed).
    pub packet: &'a Context,
    /// How many members.
    pub member_count: usize,
    /// Phases done of all members, both sides.
    pub done: usize,
    /// Phases in all.
    pub total: usize,
    /// Certificates per status, in the order ok, renew-soon, expired, unknown; only
    /// statuses that occur.
    pub status_counts: Vec<(String, usize)>,
    /// The member index.
    pub members: Link,
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
pub struct Page<'a> {
    /// The page's language.
    pub lang: Lang,
    /// `languages`, `index`, `members` or `document`.
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
    /// The interface words in the page's language.
    pub t: &'a Value,
    /// Facts about the site.
    pub site: &'a SiteView,
    /// Whether the page is marked as a draft: the site's stage, or on a document's page that
    /// document's own.
    pub draft: bool,
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
    pub index: Option<IndexView<'a>>,
    /// The member index's members.
    pub entries: Vec<Entry>,
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

/// The member index of a language, relative to the root.
fn members_index(lang: Lang) -> String {
    format!("{}/members/index.html", lang.code())
}

/// The site being built: its languages, the words and engines per language, and the
/// packet's views. Shared by the threads that write the members' pages.
pub struct Site<'a> {
    plan: &'a Plan<'a>,
    templates: &'a TemplateSet,
    /// Languages built, in site order.
    langs: Vec<Lang>,
    /// The interface words per language.
    t: BTreeMap<Lang, Value>,
    /// The overview's view and the site facts per packet language, set once the packet's
    /// views are made ([`Site::set_packets`]).
    packets: OnceLock<BTreeMap<Lang, (Arc<Context>, SiteView)>>,
    /// The HTML engines, made when first needed.
    engines: BTreeMap<Lang, OnceLock<std::result::Result<tera::Tera, String>>>,
}

impl<'a> Site<'a> {
    /// The site of `plan`; the overviews come later ([`Site::set_packets`]).
    pub fn new(plan: &'a Plan<'a>, templates: &'a TemplateSet) -> Site<'a> {
        let langs = plan.site_langs();
        let words = &plan.words;
        Site {
            plan,
            templates,
            t: langs.iter().map(|&l| (l, ui_strings(words, l))).collect(),
            packets: OnceLock::new(),
            engines: langs.iter().map(|&l| (l, OnceLock::new())).collect(),
            langs,
        }
    }

    /// Sets the overview's view in each packet language (once; a second call changes
    /// nothing).
    pub fn set_packets(&self, packets: BTreeMap<Lang, Arc<Context>>) {
        let _ = self.packets.set(
            packets
                .into_iter()
                .map(|(l, p)| {
                    let view = SiteView {
                        owner: p.owner.name.clone(),
                        date: p.date.clone(),
                        draft: p.draft,
                        version: env!("CARGO_PKG_VERSION"),
                    };
                    (l, (p, view))
                })
                .collect(),
        );
    }

    fn packets(&self) -> Option<&BTreeMap<Lang, (Arc<Context>, SiteView)>> {
        self.packets.get()
    }

    fn words(&self) -> &Words {
        &self.plan.words
    }

    fn formats(&self) -> &std::collections::BTreeSet<Format> {
        &self.plan.formats
    }

    /// Makes the engines of every language now, so that a broken template is found before
    /// anything is written.
    pub fn prepare(&self) -> Result<()> {
        for &l in &self.langs {
            self.engine(l)?;
        }
        Ok(())
    }

    fn engine(&self, lang: Lang) -> Result<&tera::Tera> {
        let cell = self
            .engines
            .get(&lang)
            .with_context(|| format!("the language `{}` is not built", lang.code()))?;
        cell.get_or_init(|| {
            self.templates
                .html_engine(lang, &self.plan.words)
                .map_err(|e| format!("{e:#}"))
        })
        .as_ref()
        .map_err(|e| anyhow::anyhow!("{e}"))
    }

    fn packet(&self, lang: Lang) -> Result<&Context> {
        self.packets()
            .and_then(|p| p.get(&lang))
            .map(|(p, _)| p.as_ref())
            .with_context(|| format!("the overview in `{}` was not built", lang.code()))
    }

    fn has_packet(&self, lang: Lang) -> bool {
        self.packets().is_some_and(|p| p.contains_key(&lang))
    }

    fn lang_link(&self, l: Lang, href: String, current: bool) -> LangLink {
        LangLink {
            code: l.code(),
            name: self.words().word(l, "lang-autonym"),
            href,
            current,
            site_name: ui(self.words(), l, "site_name"),
            blurb: ui(self.words(), l, "documents_in_language"),
            choose: ui(self.words(), l, "choose_language"),
        }
    }

    /// The switcher: for each language built, the same page there (`target` gives it, or
    /// None where it is not built), else that language's overview.
    fn languages(
        &self,
        page: &str,
        current: Lang,
        target: impl Fn(Lang) -> Option<String>,
    ) -> Vec<LangLink> {
        self.langs
            .iter()
            .map(|&l| {
                let to = target(l).unwrap_or_else(|| format!("{}/index.html", l.code()));
                self.lang_link(l, relative(page, &to), l == current)
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

    fn doc_label(&self, lang: Lang, doc: &Document) -> String {
        self.words()
            .get(lang, "doc-short", &[("doc", doc.id.into())])
    }

    /// The languages a member's documents are built in.
    fn member_langs(&self, member: &str) -> &[Lang] {
        self.plan.langs_of(member)
    }

    /// The navigation of a page: home, the packet documents, the member index, and on a
    /// member's document that member's documents.
    fn nav(
        &self,
        page: &str,
        lang: Lang,
        current: Option<&str>,
        toc: &[Heading],
        member: Option<(&str, &str)>,
    ) -> Nav {
        let index = format!("{}/index.html", lang.code());
        let link = |d: &Document, m: Option<&str>| {
            let stem = d.stem(lang, m);
            let is_current = current == Some(stem.as_str());
            Link {
                label: self.doc_label(lang, d),
                href: relative(page, &format!("{stem}.html")),
                current: is_current,
                hreflang: None,
                mime: None,
                toc: if is_current { toc.to_vec() } else { Vec::new() },
            }
        };
        // The overview first: it is the way into the others.
        let mut packet_docs: Vec<&Document> = documents::packet_documents().collect();
        packet_docs.sort_by_key(|d| d.id != "overview");
        let packet = if self.has_packet(lang) {
            packet_docs.into_iter().map(|d| link(d, None)).collect()
        } else {
            Vec::new()
        };
        let members_page = members_index(lang);
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
            members: Link {
                label: ui(self.words(), lang, "all_members"),
                href: relative(page, &members_page),
                current: page == members_page,
                hreflang: None,
                mime: None,
                toc: Vec::new(),
            },
            member: member.map(|(id, name)| NavMember {
                id: id.to_string(),
                name: name.to_string(),
                docs: documents::member_documents()
                    .map(|d| link(d, Some(id)))
                    .collect(),
            }),
        }
    }

    fn base(&self, page: &str, lang: Lang, kind: &'static str, title: String) -> Result<Page<'_>> {
        let site = self
            .packets()
            .and_then(|p| p.get(&lang).or_else(|| p.values().next()))
            .map(|(_, v)| v)
            .context("no overview was built")?;
        Ok(Page {
            lang,
            kind,
            title,
            doc_id: None,
            assets: relative(page, "assets/"),
            home: relative(page, &format!("{}/index.html", lang.code())),
            root_index: relative(page, "index.html"),
            t: &self.t[&lang],
            site,
            draft: site.draft,
            languages: Vec::new(),
            alternates: Vec::new(),
            nav: None,
            breadcrumbs: Vec::new(),
            files: Vec::new(),
            content: String::new(),
            index: None,
            entries: Vec::new(),
        })
    }

    /// The root page: the choice of language.
    fn root_page(&self) -> Result<Page<'_>> {
        let default = self.plan.language;
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
        page.languages = self.languages("index.html", lang, |_| None);
        for l in &mut page.languages {
            l.current = false;
        }
        Ok(page)
    }

    fn with_alternates(&self, mut page: Page<'a>) -> Page<'a> {
        page.alternates = page
            .languages
            .iter()
            .filter(|l| !l.current)
            .cloned()
            .collect();
        page
    }

    /// A language's overview page: the packet's facts, servers and a summary of the members
    /// and certificates, with links to the member index and the packet documents.
    fn index_page(&self, lang: Lang) -> Result<Page<'_>> {
        let path = format!("{}/index.html", lang.code());
        let packet = self.packet(lang)?;
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
        page.languages = self.languages(&path, lang, |l| {
            self.has_packet(l)
                .then(|| format!("{}/index.html", l.code()))
        });
        let mut page = self.with_alternates(page);
        let nav = self.nav(&path, lang, None, &[], None);
        let p = &packet.members;
        page.index = Some(IndexView {
            packet,
            member_count: p.len(),
            done: p
                .iter()
                .map(|m| m.progress.member_done + m.progress.owner_done)
                .sum(),
            total: p
                .iter()
                .map(|m| m.progress.member_total + m.progress.owner_total)
                .sum(),
            status_counts: counts,
            members: nav.members.clone(),
        });
        page.nav = Some(nav);
        Ok(page)
    }

    /// A language's member index: every member with a link to its documents.
    fn members_page(&self, lang: Lang) -> Result<Page<'_>> {
        let path = members_index(lang);
        let packet = self.packet(lang)?;
        let mut page = self.base(
            &path,
            lang,
            "members",
            format!(
                "{} · {}",
                ui(self.words(), lang, "member_index"),
                packet.owner.name
            ),
        )?;
        page.languages = self.languages(&path, lang, |l| {
            self.has_packet(l).then(|| members_index(l))
        });
        let mut page = self.with_alternates(page);
        let first = documents::member_documents()
            .next()
            .context("no member documents")?;
        page.entries = packet
            .members
            .iter()
            .map(|m| {
                let langs = self.member_langs(&m.id);
                let target = if langs.contains(&lang) || langs.is_empty() {
                    lang
                } else {
                    langs[0]
                };
                let mut label = m.org.name.clone();
                if target != lang {
                    label = format!(
                        "{label} ({})",
                        self.words()
                            .get(lang, "in-lang", &[("lang", target.code().into())])
                    );
                }
                let stem = first.stem(target, Some(&m.id));
                let packet_pdf = self.formats().contains(&Format::Pdf).then(|| {
                    file_link(
                        &path,
                        &format!("{}/members/{}/packet.pdf", target.code(), m.id),
                        &ui(self.words(), lang, "packet_pdf"),
                        "application/pdf",
                    )
                });
                Entry {
                    id: m.id.clone(),
                    name: m.org.name.clone(),
                    code: m.org.code.clone(),
                    class: m.org.class,
                    link: Link {
                        label,
                        href: relative(&path, &format!("{stem}.html")),
                        current: false,
                        hreflang: (target != lang).then_some(target.code()),
                        mime: None,
                        toc: Vec::new(),
                    },
                    packet_pdf,
                    done: m.progress.member_done + m.progress.owner_done,
                    total: m.progress.member_total + m.progress.owner_total,
                    percent: m.progress.percent,
                }
            })
            .collect();
        page.nav = Some(self.nav(&path, lang, None, &[], None));
        let home = format!("{}/index.html", lang.code());
        let mut last = crumb(
            &ui(self.words(), lang, "member_index"),
            relative(&path, &path),
        );
        last.current = true;
        page.breadcrumbs = vec![
            crumb(&ui(self.words(), lang, "home"), relative(&path, &home)),
            last,
        ];
        Ok(page)
    }

    /// A document's page.
    fn document_page(&self, doc: &Rendered) -> Result<Page<'_>> {
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
        page.draft = doc.context.draft;
        let member = doc.member.as_deref();
        let built = |l: Lang| match member {
            Some(m) => self.member_langs(m).contains(&l),
            None => self.has_packet(l),
        };
        page.languages = self.languages(&path, lang, |l| {
            built(l).then(|| format!("{}.html", doc.doc.stem(l, member)))
        });
        page.alternates = self
            .langs
            .iter()
            .filter(|&&l| l != lang && built(l))
            .map(|&l| {
                let stem = doc.doc.stem(l, member);
                self.lang_link(l, relative(&path, &format!("{stem}.html")), false)
            })
            .collect();
        let name = doc
            .context
            .member
            .as_ref()
            .map(|m| m.org.name.clone())
            .unwrap_or_default();
        let own = match (doc.doc.scope, member) {
            (Scope::Member, Some(id)) => Some((id, name.as_str())),
            _ => None,
        };
        page.nav = Some(self.nav(&path, lang, Some(&doc.stem), &toc, own));
        let home = format!("{}/index.html", lang.code());
        let mut crumbs = vec![crumb(
            &ui(self.words(), lang, "home"),
            relative(&path, &home),
        )];
        if let Some((id, name)) = own {
            crumbs.push(crumb(
                name,
                relative(&path, &format!("{}#member-{id}", members_index(lang))),
            ));
        }
        let mut last = crumb(&self.doc_label(lang, doc.doc), relative(&path, &path));
        last.current = true;
        crumbs.push(last);
        page.breadcrumbs = crumbs;
        page.files = self.files(&path, &doc.stem, lang);
        page.content = fragment.html;
        Ok(page)
    }

    fn render(&self, name: &str, page: &Page<'_>, path: &str) -> Result<String> {
        let context =
            tera::Context::from_serialize(page).context("cannot prepare the page context")?;
        self.engine(page.lang)?
            .render(name, &context)
            .with_context(|| {
                format!(
                    "cannot render the page `{path}` from the template {}",
                    self.templates.describe(name)
                )
            })
    }

    /// Writes the root's language choice and the assets.
    pub fn write_root(&self, out: &mut Output) -> Result<()> {
        if self.langs.is_empty() {
            return Ok(());
        }
        for (name, _) in self.templates.list() {
            if let Some(rel) = name.strip_prefix("html/assets/")
                && let Some(text) = self.templates.get(name)
            {
                let path = format!("assets/{rel}");
                out.write(&path, text.as_bytes())
                    .with_context(|| format!("cannot write `{path}`"))?;
            }
        }
        let text = self.render("html/languages.html", &self.root_page()?, "index.html")?;
        out.write("index.html", text.as_bytes())
            .context("cannot write the page `index.html`")
    }

    /// Writes a language's overview page and member index.
    pub fn write_lang(&self, lang: Lang, out: &Output) -> Result<Vec<Written>> {
        let mut files = Vec::new();
        for (path, template, page) in [
            (
                format!("{}/index.html", lang.code()),
                "html/index.html",
                self.index_page(lang)?,
            ),
            (
                members_index(lang),
                "html/members.html",
                self.members_page(lang)?,
            ),
        ] {
            let text = self.render(template, &page, &path)?;
            files.push(
                out.put(&path, text.as_bytes())
                    .with_context(|| format!("cannot write the page `{path}`"))?,
            );
        }
        Ok(files)
    }

    /// Writes a document's page; several threads may call this at once.
    pub fn write_document(&self, doc: &Rendered, out: &Output) -> Result<Written> {
        let path = format!("{}.html", doc.stem);
        let text = self.render("html/document.html", &self.document_page(doc)?, &path)?;
        out.put(&path, text.as_bytes())
            .with_context(|| format!("cannot write the page `{path}`"))
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
            // The member index loads the site's own filter script, and nothing else does.
            let member_index = where_.ends_with("members/index.html");
            if member_index {
                assert_eq!(lower.matches("<script").count(), 1, "{where_}");
            }
            for banned in [
                "<script",
                "<svg",
                "<iframe",
                "onerror=alert",
                "javascript:alert",
            ] {
                let allowed_as_text = matches!(banned, "javascript:alert" | "onerror=alert")
                    || (member_index && banned == "<script");
                assert!(
                    allowed_as_text || !lower.contains(banned),
                    "{where_}: raw `{banned}`"
                );
            }
            let (tags, text) = parse_html(&html);
            for (name, attrs) in &tags {
                let own_script = member_index
                    && name == "script"
                    && attrs
                        .iter()
                        .any(|(k, v)| k == "src" && v.ends_with("assets/filter.js"));
                assert!(
                    own_script
                        || !matches!(
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
            // The names are shown as text: the owner's on every page, a member's on its own
            // pages, the member index and the packet documents.
            let shows_strandby = member_index
                || where_.contains("/members/strandby/")
                || where_.ends_with("/overview.html")
                || where_.ends_with("/certificates.html");
            let names: &[&str] = if !shows_strandby {
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
            if member_index {
                assert!(
                    text.contains("[Lakeside](javascript:alert(1)) <img src=x onerror=alert(1)>"),
                    "{where_}"
                );
            } else if where_.ends_with("index.html") && where_.len() > "index.html".len() {
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
