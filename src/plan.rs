//! The build plan, made once per build: which members and languages are built, in which
//! formats, with the certificate register and the word catalogue that every renderer shares
//! (mdBook's driver: load → preprocess → render). The renderers get the plan and the
//! rendered documents, each with its view, and never reach back into the arrangement.

use std::collections::BTreeSet;
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
        Plan {
            arrangement,
            members,
            packet_langs,
            language: arrangement.language,
            formats,
            public,
            register: register::register(arrangement, arrangement.date),
            words,
        }
    }

    /// Every document to render, in a stable order: by language, then the packet
    /// documents, then the members in input order with their documents in catalogue order.
    pub fn entries(&self) -> Vec<Entry<'a>> {
        let mut langs: BTreeSet<Lang> = self.packet_langs.iter().copied().collect();
        langs.extend(self.members.iter().flat_map(|(_, ls)| ls.iter().copied()));
        let mut out = Vec::new();
        for lang in langs {
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
