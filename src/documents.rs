//! The catalogue of documents (SPEC §4): their ids, scope, template names and output paths.

use crate::arrangement::Lang;

/// Whether a document is made per member or once per packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One per `[[members]]`.
    Member,
    /// One per packet.
    Packet,
}

/// A kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Document {
    /// The id, also the file stem.
    pub id: &'static str,
    /// Per member or per packet.
    pub scope: Scope,
}

/// The overview, the site's way into every language.
pub const OVERVIEW: Document = Document {
    id: "overview",
    scope: Scope::Packet,
};

/// Every document, in the order a member's packet presents them: the agreement, then its
/// data processing annex.
pub const DOCUMENTS: [Document; 8] = [
    Document {
        id: "agreement",
        scope: Scope::Member,
    },
    Document {
        id: "data-processing",
        scope: Scope::Member,
    },
    Document {
        id: "authorisation",
        scope: Scope::Member,
    },
    Document {
        id: "permit-fields",
        scope: Scope::Member,
    },
    Document {
        id: "member-checklist",
        scope: Scope::Member,
    },
    Document {
        id: "owner-checklist",
        scope: Scope::Member,
    },
    Document {
        id: "certificates",
        scope: Scope::Packet,
    },
    Document {
        id: "overview",
        scope: Scope::Packet,
    },
];

impl Document {
    /// The name of the document's structure, the same in every language, e.g.
    /// `agreement.md`; it imports the language's prose, `<lang>/agreement.md`.
    pub fn template(&self) -> String {
        format!("{}.md", self.id)
    }

    /// The output path without extension, relative to the output root, e.g.
    /// `fi/members/pikkula/agreement` or `fi/overview`.
    pub fn stem(&self, lang: Lang, member: Option<&str>) -> String {
        match (self.scope, member) {
            (Scope::Member, Some(id)) => format!("{}/members/{id}/{}", lang.code(), self.id),
            _ => format!("{}/{}", lang.code(), self.id),
        }
    }
}

/// The member documents.
pub fn member_documents() -> impl Iterator<Item = &'static Document> {
    DOCUMENTS.iter().filter(|d| d.scope == Scope::Member)
}

/// The packet documents.
pub fn packet_documents() -> impl Iterator<Item = &'static Document> {
    DOCUMENTS.iter().filter(|d| d.scope == Scope::Packet)
}

/// The ids of the agreement's sections in the built-in template, in order: the places a
/// `[[members.clauses]]` entry may name (`xroad-share templates --sections`). `services` is
/// there only for a member whose subsystems provide services.
pub const AGREEMENT_SECTIONS: [&str; 14] = [
    "parties",
    "purpose",
    "servers",
    "network",
    "subsystems",
    "tasks",
    "certificates",
    "services",
    "service-level",
    "costs",
    "liability",
    "data-protection",
    "term",
    "general",
];

/// The agreement section that only a member providing services has.
pub const SERVICES_SECTION: &str = "services";
