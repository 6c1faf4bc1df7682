//! The checked model: the input after validation, with enumerations parsed, defaults
//! applied, and servers ordered test before production. [`crate::check`] builds it (through
//! [`crate::validate`]); views are built from it, never from the raw input.

use std::collections::BTreeMap;

use crate::phases::{self, Phase, Side};
use crate::xroad::{CertKind, Instance, MemberClass};

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
    /// Whether the e-mail address is a shared mailbox that a public build keeps: `shared`
    /// when given, else true for the technical and administrative roles.
    pub email_shared: bool,
    /// For a signatory: the right to sign (a decision, a delegation).
    pub authority: Option<String>,
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
    /// Whether it provides services (not only consumes them).
    pub provides_services: bool,
}

/// An organisation: the owner or a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Official name.
    pub name: String,
    /// The name in other document languages.
    pub names: BTreeMap<Lang, String>,
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
    /// The name a document in `lang` uses: the one given for that language, else the official name.
    pub fn name_in(&self, lang: Lang) -> &str {
        self.names
            .get(&lang)
            .map_or(self.name.as_str(), String::as_str)
    }

    /// The signatories in input order.
    pub fn signatories(&self) -> impl Iterator<Item = &Contact> {
        self.contacts.iter().filter(|c| c.role == Role::Signatory)
    }

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

crate::codes! {
    /// How an agreement's fee relates to value added tax.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Vat {
        /// VAT is added to the fee.
        Excluded = "excluded",
        /// The fee includes VAT.
        Included = "included",
        /// No VAT is charged on the fee.
        NotCharged = "none",
    }
}

/// The agreement's conditions: `[terms]` with `[members.agreement]`'s overrides applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conditions {
    /// The court of first instance.
    pub venue: Option<String>,
    /// The liability cap in euros per calendar year, when given.
    pub liability_cap_eur: Option<f64>,
    /// The target availability in percent per month.
    pub availability_percent: Option<f64>,
    /// The regular maintenance window.
    pub maintenance_window: Option<String>,
    /// Incident response time in working hours.
    pub response_hours: Option<u32>,
    /// How the fee relates to VAT.
    pub vat: Option<Vat>,
    /// Days to pay an invoice.
    pub payment_days: Option<u32>,
}

/// The GDPR Art. 28 annex's facts, with X-Road's defaults applied (the view shows them as
/// they are).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DataProcessing {
    /// Whether the message log keeps message bodies.
    pub message_body_logging: bool,
    /// Days the message log keeps records.
    pub log_retention_days: u32,
    /// Categories of personal data.
    pub data_categories: Vec<String>,
    /// Categories of data subjects.
    pub data_subjects: Vec<String>,
    /// Hours to notify the member of a personal data breach.
    pub breach_notice_hours: u32,
    /// The owner's sub-processors.
    pub sub_processors: Vec<String>,
}

impl DataProcessing {
    /// X-Road's message log keeps message bodies unless told otherwise (UG-SYSPAR `message-body-logging`).
    pub const BODY_LOGGING: bool = true;
    /// X-Road's message log keeps records 30 days in the server's database (UG-SYSPAR `keep-records-for`).
    pub const RETENTION_DAYS: u32 = 30;
    /// The breach notice time unless given: a day, so that the controller can meet GDPR Art. 33's 72 hours.
    pub const BREACH_NOTICE_HOURS: u32 = 24;
}

impl Default for DataProcessing {
    fn default() -> Self {
        DataProcessing {
            message_body_logging: Self::BODY_LOGGING,
            log_retention_days: Self::RETENTION_DAYS,
            data_categories: Vec::new(),
            data_subjects: Vec::new(),
            breach_notice_hours: Self::BREACH_NOTICE_HOURS,
            sub_processors: Vec::new(),
        }
    }
}

/// An extra clause of a member's agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraClause {
    /// The section id it goes in.
    pub section: String,
    /// Its text per language.
    pub texts: BTreeMap<Lang, String>,
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
    /// This member's stage (its own, else the packet's; final with `--final`).
    pub stage: Stage,
    /// The agreement's conditions.
    pub conditions: Conditions,
    /// The data processing annex.
    pub data_processing: DataProcessing,
    /// Extra clauses of the agreement, in input order.
    pub clauses: Vec<ExtraClause>,
}

impl Member {
    /// The instances the member uses, test before production.
    pub fn instances(&self) -> Vec<Instance> {
        self.org.instances()
    }

    /// Whether any of its subsystems provides services.
    pub fn provides_services(&self) -> bool {
        self.org.subsystems.iter().any(|s| s.provides_services)
    }

    /// The other side's phase that `phase` of `side` waits for, while that one is not done.
    pub fn waiting_on(&self, side: Side, phase: &Phase) -> Option<(Side, Phase)> {
        let (other, key) = phases::waits_for(side, phase.key, self.client_tls_by)?;
        let p = Phase {
            key,
            instance: phase.instance,
        };
        (!self.progress.contains_key(&p.id())).then_some((other, p))
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
    /// Kind.
    pub kind: CertKind,
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
    /// The key algorithm, e.g. `RSA`.
    pub key_algorithm: String,
    /// The key size in bits, for RSA and DSA keys.
    pub key_bits: Option<u32>,
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
    /// The place of signing in other languages.
    pub places: BTreeMap<Lang, String>,
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
    /// The owner's server in an instance.
    pub fn server(&self, instance: Instance) -> Option<&Server> {
        self.servers.iter().find(|s| s.instance == instance)
    }

    /// A member by id.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// The place of signing in a language: the one given for it, else `place`.
    pub fn place_in(&self, lang: Lang) -> Option<&str> {
        self.places
            .get(&lang)
            .or(self.place.as_ref())
            .map(String::as_str)
    }

    /// The language a member's documents are written in by default.
    pub fn language_of(&self, member: &Member) -> Lang {
        member.language.unwrap_or(self.language)
    }
}
