//! The build plan, made once per build: which members and languages are built, in which
//! formats, with the certificate register and the word catalogue that every renderer shares
//! (mdBook's driver: load → preprocess → render). The renderers get the plan and the
//! rendered documents, each with its view, and never reach back into the arrangement.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::arrangement::{Arrangement, Lang, Member};
use crate::cli::Format;
use crate::documents::{self, Document};
use crate::register::{self, CertRow};
use crate::words::Words;

/// What a build makes.
pub struct Plan<'a> {
    /// The arrangement the views are built from.
    pub arrangement: &'a Arrangement,
    /// The members built, in input order, each with its languages.
    pub members: Vec<(&'a Member, Vec<Lang>)>,
    /// The languages of the packet documents (overview, register).
    pub packet_langs: Vec<Lang>,
    /// The arrangement's default language (the site's entry page).
    pub language: Lang,
    /// The formats written.
    pub formats: BTreeSet<Format>,
    /// Whether contact details of persons are left out (`--public`).
    pub public: bool,
    /// The certificate register as of the packet date.
    pub register: Vec<CertRow>,
    /// The word catalogue.
    pub words: Arc<Words>,
    /// Where each member is in `members`, by id.
    index: HashMap<String, usize>,
    /// The rows of `register` of the servers (shown to every member).
    server_rows: Vec<usize>,
    /// The rows of `register` of each member, by id.
    member_rows: HashMap<String, Vec<usize>>,
}

/// One document to render.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Which document.
    pub doc: &'static Document,
    /// Its language.
    pub lang: Lang,
    /// The member, for member documents.
    pub member: Option<&'a Member>,
}

impl<'a> Plan<'a> {
    /// Plans a build of `members` (in input order): in `langs` when given, else each member
    /// in its own language and the packet documents in every language used and the default.
    pub fn new(
        arrangement: &'a Arrangement,
        members: Vec<&'a Member>,
        langs: &[Lang],
        formats: BTreeSet<Format>,
        public: bool,
        words: Arc<Words>,
    ) -> Plan<'a> {
        let explicit: Vec<Lang> = langs
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let members: Vec<(&Member, Vec<Lang>)> = members
            .into_iter()
            .map(|m| {
                let ls = if explicit.is_empty() {
                    vec![arrangement.language_of(m)]
                } else {
                    explicit.clone()
                };
                (m, ls)
            })
            .collect();
        let packet_langs = if explicit.is_empty() {
            let mut l: BTreeSet<Lang> = members
                .iter()
                .flat_map(|(_, ls)| ls.iter().copied())
                .collect();
            l.insert(arrangement.language);
            l.into_iter().collect()
        } else {
            explicit
        };
        let register = register::register(arrangement, arrangement.date);
        let mut server_rows = Vec::new();
        let mut member_rows: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in register.iter().enumerate() {
            if r.kind.is_server() {
                server_rows.push(i);
            } else if let Some(id) = &r.member_id {
                member_rows.entry(id.clone()).or_default().push(i);
            }
        }
        Plan {
            arrangement,
            index: members
                .iter()
                .enumerate()
                .map(|(i, (m, _))| (m.id.clone(), i))
                .collect(),
            members,
            packet_langs,
            language: arrangement.language,
            formats,
            public,
            register,
            words,
            server_rows,
            member_rows,
        }
    }

    /// Every language of the site: the packet's and the members', in order.
    pub fn site_langs(&self) -> Vec<Lang> {
        let mut langs: BTreeSet<Lang> = self.packet_langs.iter().copied().collect();
        langs.extend(self.members.iter().flat_map(|(_, ls)| ls.iter().copied()));
        langs.into_iter().collect()
    }

    /// The languages of the member `id`'s documents (none when it is not built).
    pub fn langs_of(&self, id: &str) -> &[Lang] {
        self.index
            .get(id)
            .map_or(&[], |&i| self.members[i].1.as_slice())
    }

    /// The rows of the register that a member's documents can show: the servers' own and
    /// the member's, in register order. The same as the whole register for
    /// [`crate::view::Builder::member_context`], found without going through every row.
    pub fn register_for(&self, id: &str) -> Vec<CertRow> {
        let mut rows: Vec<usize> = self.server_rows.clone();
        if let Some(own) = self.member_rows.get(id) {
            rows.extend(own);
        }
        rows.sort_unstable();
        rows.into_iter().map(|i| self.register[i].clone()).collect()
    }

    /// Every document to render, in a stable order: by language, then the packet
    /// documents, then the members in input order with their documents in catalogue order.
    pub fn entries(&self) -> Vec<Entry<'a>> {
        let mut out = Vec::new();
        for lang in self.site_langs() {
            if self.packet_langs.contains(&lang) {
                out.extend(documents::packet_documents().map(|doc| Entry {
                    doc,
                    lang,
                    member: None,
                }));
            }
            for (m, ls) in &self.members {
                if ls.contains(&lang) {
                    out.extend(documents::member_documents().map(|doc| Entry {
                        doc,
                        lang,
                        member: Some(*m),
                    }));
                }
            }
        }
        out
    }

    /// The members built, in input order.
    pub fn built_members(&self) -> impl Iterator<Item = &'a Member> + '_ {
        self.members.iter().map(|(m, _)| *m)
    }
}
