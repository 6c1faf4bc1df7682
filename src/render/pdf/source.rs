//! The Typst sources of the PDFs: one per rendered document and one packet per member and
//! language, with every value escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::arrangement::{Lang, Stage};
use crate::documents::{self, Scope};
use crate::render::markdown::Rendered;
use crate::render::typst::{
    WIDE_TABLE, escape_text, markdown_to_typst, string_literal, widest_table,
};
use crate::view::{Context, MemberView, OrgView};

/// One PDF to make: where it goes and its Typst source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The output path relative to the output root, e.g. `fi/members/pikkula/agreement.pdf`;
    /// also the document's name in messages.
    pub rel: String,
    /// Whether it is a packet (compiled on its own, never in a bundle).
    pub packet: bool,
    /// The `#show: xroad.document.with(..)` rule that applies the page design.
    pub show: String,
    /// The body: Typst markup.
    pub body: String,
}

impl Job {
    /// The Typst source that compiles to this PDF on its own, next to `xroad.typ`.
    pub fn source(&self) -> String {
        format!(
            "#import \"xroad.typ\" as xroad\n{}\n{}",
            self.show, self.body
        )
    }
}

/// The words the page design and the packet's cover need, from the word catalogue.
pub(super) struct PdfWords {
    draft: String,
    page: String,
    contents: String,
    packet_title: String,
    packet_subtitle: String,
    owner: String,
    member: String,
    business_id: String,
    servers: String,
    subsystems: String,
    date: String,
    stage: String,
    stage_value: String,
}

impl PdfWords {
    pub(super) fn new(words: &crate::words::Words, lang: Lang, stage: Stage) -> PdfWords {
        let w = |id: &str| words.word(lang, id);
        PdfWords {
            draft: w("draft-mark"),
            page: w("pdf-page"),
            contents: w("pdf-contents"),
            packet_title: w("pdf-packet-title"),
            packet_subtitle: w("pdf-packet-subtitle"),
            owner: w("pdf-owner"),
            member: w("pdf-member"),
            business_id: w("pdf-business-id"),
            servers: w("pdf-servers"),
            subsystems: w("pdf-subsystems"),
            date: w("pdf-date"),
            stage: w("pdf-stage"),
            stage_value: words.get(lang, "pdf-stage-value", &[("stage", stage.code().into())]),
        }
    }
}

/// The PDFs to make for the rendered documents: one per document, in their order, then one
/// packet per member and language, with that member's documents in catalogue order. All
/// comes from the documents' views and Markdown.
pub fn jobs(docs: &[Rendered], words: &crate::words::Words) -> Vec<Job> {
    let mut out: Vec<Job> = docs
        .iter()
        .map(|d| {
            let c = &d.context;
            Job {
                rel: format!("{}.pdf", d.stem),
                packet: false,
                show: show_rule(
                    "document",
                    c,
                    &PdfWords::new(words, d.lang, c.stage),
                    c.member.as_ref(),
                    &d.title,
                    d.doc.id,
                    &landscape(&d.markdown),
                ),
                body: markdown_to_typst(&d.markdown),
            }
        })
        .collect();
    // Packets, in the order the members' documents came.
    let mut order: Vec<&str> = Vec::new();
    let mut packets: BTreeMap<(Lang, usize), Vec<&Rendered>> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.doc.scope == Scope::Member) {
        let Some(id) = d.member.as_deref() else {
            continue;
        };
        let i = order.iter().position(|x| *x == id).unwrap_or_else(|| {
            order.push(id);
            order.len() - 1
        });
        packets.entry((d.lang, i)).or_default().push(d);
    }
    for ((lang, _), mut parts) in packets {
        parts.sort_by_key(|d| documents::DOCUMENTS.iter().position(|x| x.id == d.doc.id));
        let c = &parts[0].context;
        out.push(packet_job(
            c,
            lang,
            &parts,
            &PdfWords::new(words, lang, c.stage),
        ));
    }
    out
}

/// The `landscape` argument of a document whose widest table has [`WIDE_TABLE`] columns or
/// more, so that its columns have room; none otherwise.
fn landscape(markdown: &str) -> Vec<(&'static str, String)> {
    if widest_table(markdown) >= WIDE_TABLE {
        vec![("landscape", "true".to_owned())]
    } else {
        Vec::new()
    }
}

pub(super) fn packet_job(c: &Context, lang: Lang, parts: &[&Rendered], w: &PdfWords) -> Job {
    let m = c.member.as_ref();
    let name = m.map(|m| m.org.name.as_str()).unwrap_or_default();
    let id = m.map(|m| m.id.as_str()).unwrap_or_default();
    let extra = [
        (
            "subtitle",
            string_literal(&format!("{}: {name}", w.packet_subtitle)),
        ),
        ("cover", format!("[\n{}]", cover(c, w))),
        ("toc-title", string_literal(&w.contents)),
    ];
    let mut body = String::new();
    for d in parts {
        body.push_str("#pagebreak(weak: true)\n");
        body.push_str(&markdown_to_typst(&d.markdown));
        body.push('\n');
    }
    Job {
        rel: format!("{}/members/{id}/packet.pdf", lang.code()),
        packet: true,
        show: show_rule("packet", c, w, m, &w.packet_title, "packet", &extra),
        body,
    }
}

/// The `#show: xroad.<entry>.with(..)` rule of a document or packet.
pub(super) fn show_rule(
    entry: &str,
    c: &Context,
    w: &PdfWords,
    member: Option<&MemberView>,
    title: &str,
    id: &str,
    extra: &[(&str, String)],
) -> String {
    let parties = match member {
        Some(m) => format!("{} – {}", c.owner.name, m.org.name),
        None => c.owner.name.clone(),
    };
    let mut keywords = vec![string_literal("X-Road"), string_literal(id)];
    if let Some(m) = member {
        keywords.push(string_literal(&m.org.name));
    }
    let mut s = format!("#show: xroad.{entry}.with(\n");
    let mut arg = |k: &str, v: &str| {
        let _ = writeln!(s, "  {k}: {v},");
    };
    arg("title", &string_literal(title));
    arg("lang", &string_literal(c.lang.code()));
    arg("draft", if c.draft { "true" } else { "false" });
    arg("draft-label", &string_literal(&w.draft));
    arg("date", &string_literal(&c.date));
    arg("parties", &string_literal(&parties));
    arg("page-label", &string_literal(&w.page));
    // The date comes from --creation-timestamp.
    arg("pdf-date", "none");
    arg("keywords", &format!("({},)", keywords.join(", ")));
    arg("author", &format!("({},)", string_literal(&c.owner.name)));
    for (k, v) in extra {
        arg(k, v);
    }
    s.push(')');
    s
}

/// The cover page of a member's packet (Typst markup): the parties, the servers it uses
/// with their identifiers, the date and the stage.
pub(super) fn cover(c: &Context, w: &PdfWords) -> String {
    let t = |s: &str| escape_text(s);
    let code = |s: &str| format!("#raw({})", string_literal(s));
    let org = |o: &OrgView| {
        let mut s = format!("#strong[{}]", t(&o.name));
        let _ = write!(s, " \\\n{} · {} {}", o.class, w.business_id, t(&o.code));
        if let Some(addr) = &o.address {
            let _ = write!(s, " \\\n{}", t(addr));
        }
        s
    };
    let Some(m) = c.member.as_ref() else {
        return String::new();
    };
    let servers: Vec<_> = c
        .servers
        .iter()
        .filter(|s| m.instances.is_empty() || m.instances.contains(&s.instance))
        .collect();
    let mut server_cell = String::new();
    for (i, s) in servers.iter().enumerate() {
        if i > 0 {
            server_cell.push_str(" \\\n");
        }
        let _ = write!(
            server_cell,
            "{}: {} ({}) \\\n{}",
            t(s.instance.code()),
            t(&s.fqdn),
            t(&s.ipv4),
            code(&s.id)
        );
    }
    let ids: Vec<&str> = m
        .org
        .subsystems
        .iter()
        .flat_map(|s| s.ids.iter().map(|x| x.id.as_str()))
        .collect();
    let subsystem_cell = ids
        .iter()
        .map(|id| code(id))
        .collect::<Vec<_>>()
        .join(" \\\n");
    let mut date = t(&c.date);
    if let Some(place) = &c.place {
        let _ = write!(date, ", {}", t(place));
    }
    let mut rows = vec![
        (&w.owner, org(&c.owner)),
        (&w.member, org(&m.org)),
        (&w.servers, server_cell),
    ];
    if !subsystem_cell.is_empty() {
        rows.push((&w.subsystems, subsystem_cell));
    }
    rows.push((&w.date, date));
    rows.push((&w.stage, t(&w.stage_value)));
    let mut s = String::from("#table(\n  columns: (auto, 1fr),\n  row-gutter: 8pt,\n");
    for (label, value) in rows {
        let _ = writeln!(s, "  [#strong[{}]], [{}],", t(label), value);
    }
    s.push_str(")\n");
    s
}
