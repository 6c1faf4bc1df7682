//! The Typst sources of the PDFs: one per rendered document and one packet per member and
//! language, with every value escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::arrangement::{Arrangement, Lang, Member, Stage};
use crate::documents::{self, Scope};
use crate::render::markdown::Rendered;
use crate::render::typst::{escape_text, markdown_to_typst, string_literal};
use crate::view::format_date;
use crate::xroad;

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
/// packet per member and language, with that member's documents in catalogue order.
pub fn jobs(a: &Arrangement, docs: &[Rendered], words: &crate::words::Words) -> Vec<Job> {
    let mut out: Vec<Job> = docs
        .iter()
        .map(|d| {
            let member = d.member.as_deref().and_then(|id| a.member(id));
            Job {
                rel: format!("{}.pdf", d.stem),
                packet: false,
                show: show_rule(
                    "document",
                    a,
                    &PdfWords::new(words, d.lang, a.stage),
                    d.lang,
                    member,
                    &d.title,
                    d.doc.id,
                    &[],
                ),
                body: markdown_to_typst(&d.markdown),
            }
        })
        .collect();
    // Packets, in the order the members' documents came.
    let mut packets: BTreeMap<(Lang, usize), Vec<&Rendered>> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.doc.scope == Scope::Member) {
        if let Some(i) = d
            .member
            .as_deref()
            .and_then(|id| a.members.iter().position(|m| m.id == id))
        {
            packets.entry((d.lang, i)).or_default().push(d);
        }
    }
    for ((lang, i), mut parts) in packets {
        let Some(m) = a.members.get(i) else { continue };
        parts.sort_by_key(|d| documents::DOCUMENTS.iter().position(|x| x.id == d.doc.id));
        out.push(packet_job(
            a,
            m,
            lang,
            &parts,
            &PdfWords::new(words, lang, a.stage),
        ));
    }
    out
}

pub(super) fn packet_job(
    a: &Arrangement,
    m: &Member,
    lang: Lang,
    parts: &[&Rendered],
    w: &PdfWords,
) -> Job {
    let extra = [
        (
            "subtitle",
            string_literal(&format!("{}: {}", w.packet_subtitle, m.org.name)),
        ),
        ("cover", format!("[\n{}]", cover(a, m, lang, w))),
        ("toc-title", string_literal(&w.contents)),
    ];
    let mut body = String::new();
    for d in parts {
        body.push_str("#pagebreak(weak: true)\n");
        body.push_str(&markdown_to_typst(&d.markdown));
        body.push('\n');
    }
    Job {
        rel: format!("{}/members/{}/packet.pdf", lang.code(), m.id),
        packet: true,
        show: show_rule(
            "packet",
            a,
            w,
            lang,
            Some(m),
            &w.packet_title,
            "packet",
            &extra,
        ),
        body,
    }
}

/// The `#show: xroad.<entry>.with(..)` rule of a document or packet.
#[allow(clippy::too_many_arguments)]
pub(super) fn show_rule(
    entry: &str,
    a: &Arrangement,
    w: &PdfWords,
    lang: Lang,
    member: Option<&Member>,
    title: &str,
    id: &str,
    extra: &[(&str, String)],
) -> String {
    let parties = match member {
        Some(m) => format!("{} – {}", a.owner.name, m.org.name),
        None => a.owner.name.clone(),
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
    arg("lang", &string_literal(lang.code()));
    arg(
        "draft",
        if a.stage == Stage::Draft {
            "true"
        } else {
            "false"
        },
    );
    arg("draft-label", &string_literal(&w.draft));
    arg("date", &string_literal(&format_date(a.date, lang)));
    arg("parties", &string_literal(&parties));
    arg("page-label", &string_literal(&w.page));
    // The date comes from --creation-timestamp.
    arg("pdf-date", "none");
    arg("keywords", &format!("({},)", keywords.join(", ")));
    arg("author", &format!("({},)", string_literal(&a.owner.name)));
    for (k, v) in extra {
        arg(k, v);
    }
    s.push(')');
    s
}

/// The cover page of a member's packet (Typst markup): the parties, the servers it uses
/// with their identifiers, the date and the stage.
pub(super) fn cover(a: &Arrangement, m: &Member, lang: Lang, w: &PdfWords) -> String {
    let t = |s: &str| escape_text(s);
    let code = |s: &str| format!("#raw({})", string_literal(s));
    let org = |o: &crate::arrangement::Organisation| {
        let mut c = format!("#strong[{}]", t(&o.name));
        let _ = write!(
            c,
            " \\\n{} · {} {}",
            o.class.code(),
            w.business_id,
            t(&o.code)
        );
        if let Some(addr) = &o.address {
            let _ = write!(c, " \\\n{}", t(addr));
        }
        c
    };
    let instances = m.instances();
    let servers: Vec<_> = a
        .servers
        .iter()
        .filter(|s| instances.is_empty() || instances.contains(&s.instance))
        .collect();
    let mut server_cell = String::new();
    for (i, s) in servers.iter().enumerate() {
        if i > 0 {
            server_cell.push_str(" \\\n");
        }
        let id = xroad::server_id(s.instance, a.owner.class.code(), &a.owner.code, &s.code);
        let _ = write!(
            server_cell,
            "{}: {} ({}) \\\n{}",
            t(s.instance.code()),
            t(&s.fqdn),
            t(&s.ipv4),
            code(&id)
        );
    }
    let mut subsystem_cell = String::new();
    for (i, s) in m.org.subsystems.iter().enumerate() {
        for (j, inst) in s.instances.iter().enumerate() {
            if i + j > 0 {
                subsystem_cell.push_str(" \\\n");
            }
            let id = xroad::subsystem_id(*inst, m.org.class.code(), &m.org.code, &s.code);
            subsystem_cell.push_str(&code(&id));
        }
    }
    let mut date = t(&format_date(a.date, lang));
    if let Some(place) = &a.place {
        let _ = write!(date, ", {}", t(place));
    }
    let mut rows = vec![
        (&w.owner, org(&a.owner)),
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
