//! The checked model: the input after validation, with enumerations parsed, defaults
//! applied, and servers ordered test before production. Views are built from this, never
//! from the raw input.

use std::collections::BTreeMap;

use crate::model::{self, Input};
use crate::phases::{self, Phase, Side};
use crate::xroad::{self, Instance, MemberClass};

crate::codes! {
    /// A document language. `ALL` is in the order the site lists them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Lang {
        /// Finnish.
        Fi = "fi",
        /// Swedish.
        Sv = "sv",
        /// English.
        En = "en",
    }
}

crate::value_enum!(Lang);

crate::codes! {
    /// Who does something: the owner of the server or the joining member.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Party {
        /// The organisation that owns the server.
        Owner = "owner",
        /// The joining organisation.
        Member = "member",
    }
}

crate::codes! {
    /// A contact's role.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub enum Role {
        /// Technical contact.
        Technical = "technical",
        /// Administrative contact.
        Administrative = "administrative",
        /// The person who signs.
        Signatory = "signatory",
    }
}

/// A contact person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Role.
    pub role: Role,
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Job title.
    pub title: Option<String>,
}

/// A subsystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subsystem {
    /// Code.
    pub code: String,
    /// Instances, test before production.
    pub instances: Vec<Instance>,
    /// Purpose.
    pub purpose: Option<String>,
}

/// An organisation: the owner or a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Official name.
    pub name: String,
    /// Member class.
    pub class: MemberClass,
    /// Member code (Business ID).
    pub code: String,
    /// Postal address.
    pub address: Option<String>,
    /// Contacts in input order.
    pub contacts: Vec<Contact>,
    /// Subsystems in input order.
    pub subsystems: Vec<Subsystem>,
}

impl Organisation {
    /// The first contact with the role.
    pub fn contact(&self, role: Role) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.role == role)
    }

    /// The instances its subsystems use, test before production.
    pub fn instances(&self) -> Vec<Instance> {
        let mut v: Vec<Instance> = self
            .subsystems
            .iter()
            .flat_map(|s| s.instances.iter().copied())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

crate::codes! {
    /// A security server platform.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Platform {
        /// Ubuntu LTS host.
        Ubuntu = "ubuntu",
        /// Red Hat Enterprise Linux host.
        Rhel = "rhel",
        /// The Security Server Sidecar container.
        Sidecar = "sidecar",
    }
}

/// A security server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// Instance.
    pub instance: Instance,
    /// Host name.
    pub fqdn: String,
    /// Public IPv4 address.
    pub ipv4: String,
    /// Platform.
    pub platform: Platform,
    /// Security server code.
    pub code: String,
}

/// The agreement's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    /// First day.
    pub starts: jiff::civil::Date,
    /// Last day, or until further notice.
    pub ends: Option<jiff::civil::Date>,
    /// Notice period in months.
    pub notice_months: Option<u32>,
    /// Annual fee in euros.
    pub annual_fee_eur: Option<f64>,
    /// Free text on costs.
    pub cost_note: Option<String>,
}

/// A joining organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Short id used in file names.
    pub id: String,
    /// The organisation.
    pub org: Organisation,
    /// Its document language, when set.
    pub language: Option<Lang>,
    /// Who creates the internal TLS certificate.
    pub internal_tls_by: Party,
    /// Who creates the TLS client certificates.
    pub client_tls_by: Party,
    /// Agreement terms, when given.
    pub terms: Option<Terms>,
    /// Last day of the authorisation, when given.
    pub authorisation_until: Option<jiff::civil::Date>,
    /// Permit decision references per instance.
    pub permits: BTreeMap<Instance, String>,
    /// Phase id → date done.
    pub progress: BTreeMap<String, jiff::civil::Date>,
}

impl Member {
    /// The instances the member uses, test before production.
    pub fn instances(&self) -> Vec<Instance> {
        self.org.instances()
    }

    /// One side's checklist: each phase with its date when done.
    pub fn checklist(&self, side: Side) -> Vec<(Phase, Option<jiff::civil::Date>)> {
        phases::phases(side, &self.instances())
            .into_iter()
            .map(|p| {
                let done = self.progress.get(&p.id()).copied();
                (p, done)
            })
            .collect()
    }
}

/// A certificate listed in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownCertificate {
    /// `authentication`, `signing`, `internal-tls` or `client-tls`.
    pub kind: String,
    /// Instance.
    pub instance: Instance,
    /// Member id, for signing and client TLS certificates.
    pub member: Option<String>,
    /// Subsystem code, for client TLS certificates.
    pub subsystem: Option<String>,
    /// Stated expiry.
    pub expires: Option<jiff::civil::Date>,
    /// The file, relative to the input.
    pub file: Option<String>,
    /// What the file says, once read.
    pub file_info: Option<FileInfo>,
}

/// What a certificate or CSR file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// Whether it is a certificate request (CSR) rather than a certificate.
    pub is_request: bool,
    /// The subject, e.g. `C=FI, O=Pikkulan kunta, CN=2345678-0, serialNumber=…`.
    pub subject: String,
    /// SHA-256 fingerprint.
    pub fingerprint: String,
    /// Key algorithm and size.
    pub key: String,
}

crate::codes! {
    /// The document stage.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Stage {
        /// A draft: documents carry a DRAFT marking.
        Draft = "draft",
        /// Final documents.
        Final = "final",
    }
}

/// The whole checked arrangement.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrangement {
    /// Default language.
    pub language: Lang,
    /// The packet date.
    pub date: jiff::civil::Date,
    /// Place of signing.
    pub place: Option<String>,
    /// Draft or final.
    pub stage: Stage,
    /// The owner.
    pub owner: Organisation,
    /// The owner's servers, test before production.
    pub servers: Vec<Server>,
    /// The members in input order.
    pub members: Vec<Member>,
    /// Certificates from the input.
    pub certificates: Vec<KnownCertificate>,
}

impl Arrangement {
    /// Builds the checked model. Call only when validation found no errors; values that
    /// would be invalid fall back to harmless defaults rather than panicking.
    pub fn from_input(input: &Input, force_final: bool) -> Arrangement {
        let date = input.packet.date.civil().unwrap_or_default();
        let mut servers: Vec<Server> = input
            .servers
            .iter()
            .filter_map(|s| {
                let instance = Instance::parse(&s.instance)?;
                let code = s
                    .security_server_code
                    .as_ref()
                    .map(|c| c.value.clone())
                    .unwrap_or_else(|| xroad::server_code_from_fqdn(&s.fqdn).to_string());
                Some(Server {
                    instance,
                    fqdn: s.fqdn.value.clone(),
                    ipv4: s.ipv4.value.clone(),
                    platform: match s.platform.as_str() {
                        "rhel" => Platform::Rhel,
                        "sidecar" => Platform::Sidecar,
                        _ => Platform::Ubuntu,
                    },
                    code,
                })
            })
            .collect();
        servers.sort_by_key(|s| s.instance);
        servers.dedup_by_key(|s| s.instance);
        let stage = if force_final || crate::validate::is_final(input) {
            Stage::Final
        } else {
            Stage::Draft
        };
        Arrangement {
            language: Lang::parse(&input.packet.language).unwrap_or(Lang::Fi),
            date,
            place: input.packet.place.as_ref().map(|p| p.value.clone()),
            stage,
            owner: organisation(
                &input.owner.name,
                &input.owner.member_class,
                &input.owner.member_code,
                &input.owner.address,
                &input.owner.contacts,
                &input.owner.subsystems,
            ),
            servers,
            members: input.members.iter().map(member).collect(),
            certificates: input
                .certificates
                .iter()
                .filter_map(|c| {
                    Some(KnownCertificate {
                        kind: c.kind.value.clone(),
                        instance: Instance::parse(&c.instance)?,
                        member: c.member.as_ref().map(|m| m.value.clone()),
                        subsystem: c.subsystem.as_ref().map(|s| s.value.clone()),
                        expires: c.expires.as_ref().and_then(|e| e.civil()),
                        file: c.file.as_ref().map(|f| f.value.clone()),
                        file_info: None,
                    })
                })
                .collect(),
        }
    }

    /// The owner's server in an instance.
    pub fn server(&self, instance: Instance) -> Option<&Server> {
        self.servers.iter().find(|s| s.instance == instance)
    }

    /// A member by id.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// The language a member's documents are written in by default.
    pub fn language_of(&self, member: &Member) -> Lang {
        member.language.unwrap_or(self.language)
    }
}

fn organisation(
    name: &model::Sp<String>,
    class: &model::Sp<String>,
    code: &model::Sp<String>,
    address: &Option<model::Sp<String>>,
    contacts: &[model::Contact],
    subsystems: &[model::Subsystem],
) -> Organisation {
    Organisation {
        name: name.value.clone(),
        class: MemberClass::parse(class).unwrap_or(MemberClass::Org),
        code: code.value.clone(),
        address: address.as_ref().map(|a| a.value.clone()),
        contacts: contacts
            .iter()
            .map(|c| Contact {
                role: match c.role.as_str() {
                    "technical" => Role::Technical,
                    "administrative" => Role::Administrative,
                    _ => Role::Signatory,
                },
                name: c.name.value.clone(),
                email: c.email.as_ref().map(|e| e.value.clone()),
                phone: c.phone.as_ref().map(|p| p.value.clone()),
                title: c.title.as_ref().map(|t| t.value.clone()),
            })
            .collect(),
        subsystems: subsystems
            .iter()
            .map(|s| {
                let mut instances: Vec<Instance> = s
                    .instances
                    .iter()
                    .filter_map(|i| Instance::parse(i))
                    .collect();
                instances.sort();
                instances.dedup();
                Subsystem {
                    code: s.code.value.clone(),
                    instances,
                    purpose: s.purpose.as_ref().map(|p| p.value.clone()),
                }
            })
            .collect(),
    }
}

fn party(p: &Option<model::Sp<String>>, default: Party) -> Party {
    match p.as_ref().map(|p| p.as_str()) {
        Some("owner") => Party::Owner,
        Some("member") => Party::Member,
        _ => default,
    }
}

fn member(m: &model::Member) -> Member {
    Member {
        id: m.id.value.clone(),
        org: organisation(
            &m.name,
            &m.member_class,
            &m.member_code,
            &m.address,
            &m.contacts,
            &m.subsystems,
        ),
        language: m.language.as_ref().and_then(|l| Lang::parse(l)),
        internal_tls_by: party(&m.internal_tls_by, Party::Owner),
        client_tls_by: party(&m.client_tls_by, Party::Member),
        terms: m.agreement.as_ref().and_then(|a| {
            Some(Terms {
                starts: a.starts.civil()?,
                ends: a.ends.as_ref().and_then(|e| e.civil()),
                notice_months: a.notice_months.as_ref().map(|n| n.value),
                annual_fee_eur: a.annual_fee_eur.as_ref().map(|f| f.0),
                cost_note: a.cost_note.as_ref().map(|c| c.value.clone()),
            })
        }),
        authorisation_until: m.authorisation.as_ref().and_then(|a| a.valid_until.civil()),
        permits: m
            .permits
            .iter()
            .filter_map(|(k, v)| Some((Instance::parse(k)?, v.value.clone())))
            .collect(),
        progress: m
            .progress
            .iter()
            .filter_map(|(k, v)| Some((k.value.clone(), v.civil()?)))
            .collect(),
    }
}
