//! The values templates see: Serialize-only structs built from the checked
//! [`Arrangement`], never the raw input. Their field names are the template interface;
//! `templates/README.md` documents them.
//!
//! Dates and amounts are formatted here in the document's language, so templates only
//! place them. Every string is raw text: the template engine escapes it on output.

use serde::Serialize;

use crate::arrangement::{
    Arrangement, Contact, Lang, Member, Organisation, Party, Role, Server, Stage,
};
use crate::phases::Side;
use crate::register::{CertRow, Status};
use crate::xroad::{self, CertKind, Instance};

/// The context of every document.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    /// The document language: `fi`, `sv` or `en`.
    pub lang: Lang,
    /// The document id, e.g. `agreement`.
    pub doc: &'static str,
    /// Whether the documents are drafts (shown with a DRAFT / LUONNOS / UTKAST marking).
    pub draft: bool,
    /// `draft` or `final`.
    pub stage: Stage,
    /// The packet date in the language's usual form.
    pub date: String,
    /// The packet date as `YYYY-MM-DD`.
    pub date_iso: String,
    /// The place of signing.
    pub place: Option<String>,
    /// Whether contact details of persons are left out (`build --public`).
    pub public: bool,
    /// The owner of the servers.
    pub owner: OrgView,
    /// The owner's servers, test before production.
    pub servers: Vec<ServerView>,
    /// For member documents: the member.
    pub member: Option<MemberView>,
    /// For packet documents: every member built.
    pub members: Vec<MemberView>,
    /// Certificate register rows: for member documents that member's and the servers', for
    /// packet documents all of them.
    pub certificates: Vec<CertView>,
    /// The certificates with a known expiry, soonest renewal start first: the renewal calendar.
    pub renewals: Vec<CertView>,
    /// The ids of the documents made for each member, in catalogue order.
    pub member_documents: Vec<&'static str>,
}

/// An organisation.
#[derive(Debug, Clone, Serialize)]
pub struct OrgView {
    /// The name in the document's language (`names`), else the official name.
    pub name: String,
    /// The official (registered) name, used in identifiers, certificates and DVV's forms.
    pub official_name: String,
    /// Member class code, e.g. `MUN`.
    pub class: &'static str,
    /// Member code (Business ID).
    pub code: String,
    /// Postal address.
    pub address: Option<String>,
    /// All contacts.
    pub contacts: Vec<ContactView>,
    /// The technical contact.
    pub technical: Option<ContactView>,
    /// The administrative contact.
    pub administrative: Option<ContactView>,
    /// The first signatory.
    pub signatory: Option<ContactView>,
    /// Every signatory, in input order; each signs in a block of its own.
    pub signatories: Vec<ContactView>,
    /// Subsystems.
    pub subsystems: Vec<SubsystemView>,
    /// Member identifiers per instance used, e.g. `MEMBER:FI/MUN/1234567-1`.
    pub ids: Vec<InstanceId>,
}

/// A contact person. In a `--public` build, `name`, `phone` and personal e-mail are `None`.
#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    /// `technical`, `administrative` or `signatory`.
    pub role: Role,
    /// Name.
    pub name: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// For a signatory: the right to sign.
    pub authority: Option<String>,
}

/// An identifier in one instance.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceId {
    /// `FI-TEST`, `FI` or `FI-DEV`.
    pub instance: Instance,
    /// The identifier string.
    pub id: String,
}

/// A subsystem.
#[derive(Debug, Clone, Serialize)]
pub struct SubsystemView {
    /// Code.
    pub code: String,
    /// Purpose.
    pub purpose: Option<String>,
    /// Instances, test first.
    pub instances: Vec<Instance>,
    /// `SUBSYSTEM:` identifiers per instance.
    pub ids: Vec<InstanceId>,
    /// Whether it provides services (not only consumes them).
    pub provides_services: bool,
}

/// A security server.
#[derive(Debug, Clone, Serialize)]
pub struct ServerView {
    /// Instance.
    pub instance: Instance,
    /// Host name.
    pub fqdn: String,
    /// Public IPv4 address.
    pub ipv4: String,
    /// Whether the address is from a documentation range (RFC 5737), i.e. a placeholder.
    pub ipv4_placeholder: bool,
    /// `ubuntu`, `rhel` or `sidecar`.
    pub platform: crate::arrangement::Platform,
    /// Security server code.
    pub code: String,
    /// `SERVER:` identifier.
    pub id: String,
    /// The usual validity of its authentication certificate in months (6 in FI, 12 in FI-TEST).
    pub auth_validity_months: u32,
}

/// A joining member.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    /// Short id (folder name).
    pub id: String,
    /// The organisation.
    pub org: OrgView,
    /// Document language.
    pub language: Lang,
    /// Who creates the TLS client certificates: `owner` or `member`.
    pub client_tls_by: Party,
    /// Whether any of its subsystems provides services.
    pub provides_services: bool,
    /// Instances used, test first.
    pub instances: Vec<Instance>,
    /// Per instance used (test first): the server, identifiers and permit reference.
    pub uses: Vec<UseView>,
    /// Agreement terms.
    pub agreement: Option<TermsView>,
    /// Authorisation validity.
    pub authorisation: Option<AuthorisationView>,
    /// The member's own phases.
    pub member_checklist: Vec<StepView>,
    /// The owner's phases for this member.
    pub owner_checklist: Vec<StepView>,
    /// Progress counts.
    pub progress: ProgressView,
    /// Certificate requests given as files, for the authorisation record.
    pub csrs: Vec<CsrView>,
    /// This member's stage.
    pub stage: Stage,
    /// Whether this member's documents are drafts.
    pub draft: bool,
    /// The agreement's conditions (`[terms]` and `[members.agreement]`), formatted.
    pub conditions: ConditionsView,
    /// The data processing annex's facts.
    pub data_processing: crate::arrangement::DataProcessing,
    /// Extra clauses in the document's language, in input order.
    pub clauses: Vec<ClauseView>,
}

/// The agreement's conditions, formatted in the document's language; `None` where the
/// template writes its usual text.
#[derive(Debug, Clone, Serialize)]
pub struct ConditionsView {
    /// The court of first instance.
    pub venue: Option<String>,
    /// The liability cap per calendar year: the one given, else the annual fee.
    pub liability_cap: Option<String>,
    /// Whether the cap is the annual fee (none was given).
    pub cap_is_fee: bool,
    /// Target availability, e.g. `99,5 %`.
    pub availability: Option<String>,
    /// The regular maintenance window.
    pub maintenance_window: Option<String>,
    /// Incident response time in working hours.
    pub response_hours: Option<u32>,
    /// `excluded`, `included` or `none`, when given.
    pub vat: Option<crate::arrangement::Vat>,
    /// Days to pay an invoice (21 unless given).
    pub payment_days: u32,
}

/// An extra clause.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseView {
    /// The agreement section it goes in.
    pub section: String,
    /// Its text in the document's language.
    pub text: String,
}

/// Days to pay an invoice when the terms do not say: the usual term of Finnish public procurement.
pub const PAYMENT_DAYS: u32 = 21;

/// Formats a percentage: `99,5 %` in Finnish and Swedish, `99.5%` in English.
pub fn format_percent(p: f64, lang: Lang) -> String {
    let text = format!("{}", (p * 1000.0).round() / 1000.0);
    match lang {
        Lang::En => format!("{text}%"),
        Lang::Fi | Lang::Sv => format!("{}\u{a0}%", text.replace('.', ",")),
    }
}

/// What a member has in one instance.
#[derive(Debug, Clone, Serialize)]
pub struct UseView {
    /// Instance.
    pub instance: Instance,
    /// The owner's server there.
    pub server: Option<ServerView>,
    /// `MEMBER:` identifier.
    pub member_id: String,
    /// The member's subsystems in this instance.
    pub subsystems: Vec<SubsystemInstanceView>,
    /// The user permit decision reference.
    pub permit: Option<String>,
    /// The signing certificate subject's `serialNumber`, `<instance>/<server code>/<class>`.
    pub sign_serial_number: Option<String>,
    /// The subject of the member's signing certificate request on the server there, as DVV's
    /// profile has it: `C=FI, O=<name without å, ä, ö>, CN=<Business ID>, serialNumber=…`.
    pub sign_subject: Option<String>,
}

/// A subsystem in one instance.
#[derive(Debug, Clone, Serialize)]
pub struct SubsystemInstanceView {
    /// Code.
    pub code: String,
    /// `SUBSYSTEM:` identifier.
    pub id: String,
    /// Purpose.
    pub purpose: Option<String>,
    /// Whether it provides services (not only consumes them).
    pub provides_services: bool,
}

/// Agreement terms.
#[derive(Debug, Clone, Serialize)]
pub struct TermsView {
    /// First day.
    pub starts: String,
    /// Last day, or `None` for until further notice.
    pub ends: Option<String>,
    /// Notice period in months.
    pub notice_months: Option<u32>,
    /// Annual fee, formatted with the currency, e.g. `1 200 €`.
    pub annual_fee: Option<String>,
    /// Free text on costs.
    pub cost_note: Option<String>,
}

/// Authorisation validity.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorisationView {
    /// Last valid day.
    pub valid_until: String,
}

/// One checklist step.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    /// Phase id, e.g. `permit/FI-TEST`.
    pub id: String,
    /// Phase key, e.g. `permit`.
    pub key: &'static str,
    /// Instance for per-instance phases.
    pub instance: Option<Instance>,
    /// Whether done.
    pub done: bool,
    /// When done.
    pub date: Option<String>,
    /// Whether this is the first open step.
    pub next: bool,
    /// While it is open: the other side's phase it waits for, when that is not done yet.
    pub waits_for: Option<WaitView>,
}

/// The other side's phase that a step waits for.
#[derive(Debug, Clone, Serialize)]
pub struct WaitView {
    /// `member` or `owner`.
    pub side: Side,
    /// Phase key, e.g. `permit-reference`.
    pub key: &'static str,
    /// Instance for per-instance phases.
    pub instance: Option<Instance>,
}

/// Progress counts.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressView {
    /// Member phases done.
    pub member_done: usize,
    /// Member phases in all.
    pub member_total: usize,
    /// Owner phases done.
    pub owner_done: usize,
    /// Owner phases in all.
    pub owner_total: usize,
    /// Both sides, percent done (0–100).
    pub percent: usize,
}

/// A certificate request file.
#[derive(Debug, Clone, Serialize)]
pub struct CsrView {
    /// Instance.
    pub instance: Instance,
    /// Subject, e.g. `C=FI, O=…, CN=…, serialNumber=…`.
    pub subject: String,
    /// SHA-256 fingerprint.
    pub fingerprint: String,
    /// Key algorithm and size.
    pub key: String,
    /// The key algorithm, e.g. `RSA`; the template writes it with `key_bits` in its language.
    pub key_algorithm: String,
    /// The key size in bits, for RSA and DSA keys.
    pub key_bits: Option<u32>,
}

/// A certificate register row.
#[derive(Debug, Clone, Serialize)]
pub struct CertView {
    /// `authentication`, `signing`, `internal-tls` or `client-tls`.
    pub kind: &'static str,
    /// Instance.
    pub instance: Instance,
    /// The holder's name (the owner for server certificates).
    pub holder: String,
    /// The member id, for member certificates.
    pub member_id: Option<String>,
    /// The subsystem code, for TLS client certificates.
    pub subsystem: Option<String>,
    /// The identifier the certificate belongs to (`SERVER:`, `MEMBER:` or `SUBSYSTEM:`).
    pub subject_id: String,
    /// The server's host name.
    pub server: String,
    /// Who applies for (or creates) it.
    pub applies: Party,
    /// Who renews it.
    pub renews: Party,
    /// Whether it is applied for in DVV's e-services (authentication and signing).
    pub via_dvv: bool,
    /// The usual validity in months, when there is one.
    pub validity_months: Option<u32>,
    /// Known expiry.
    pub expires: Option<String>,
    /// When renewal should start (30 days before expiry).
    pub renew_from: Option<String>,
    /// Known expiry as `YYYY-MM-DD`.
    pub expires_iso: Option<String>,
    /// Renewal start as `YYYY-MM-DD`.
    pub renew_from_iso: Option<String>,
    /// `ok`, `renew-soon`, `expired` or `unknown`.
    pub status: Status,
    /// SHA-256 fingerprint, when read from a file.
    pub fingerprint: Option<String>,
}

/// Formats a date in the language's usual form: `1.12.2026` in Finnish and Swedish,
/// `1 December 2026` in English.
pub fn format_date(d: jiff::civil::Date, lang: Lang) -> String {
    match lang {
        Lang::Fi | Lang::Sv => format!("{}.{}.{}", d.day(), d.month(), d.year()),
        Lang::En => {
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            let m = MONTHS.get((d.month() - 1) as usize).copied().unwrap_or("");
            format!("{} {m} {}", d.day(), d.year())
        }
    }
}

/// Formats euros: `1 200 €` / `1 500,50 €` in Finnish and Swedish, `EUR 1,500.50` in English.
pub fn format_euros(amount: f64, lang: Lang) -> String {
    let cents = (amount * 100.0).round() as i64;
    let (whole, frac) = (cents / 100, cents % 100);
    let sep = match lang {
        Lang::En => ',',
        Lang::Fi | Lang::Sv => '\u{a0}',
    };
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    match (lang, frac) {
        (Lang::En, 0) => format!("EUR {grouped}"),
        (Lang::En, f) => format!("EUR {grouped}.{f:02}"),
        (_, 0) => format!("{grouped}\u{a0}€"),
        (_, f) => format!("{grouped},{f:02}\u{a0}€"),
    }
}

/// Builds views in one language.
pub struct Builder<'a> {
    /// The arrangement.
    pub arrangement: &'a Arrangement,
    /// The language.
    pub lang: Lang,
    /// Whether personal contact details are left out.
    pub public: bool,
    /// The certificate register (statuses as of the packet date).
    pub register: &'a [CertRow],
}

impl Builder<'_> {
    fn date(&self, d: jiff::civil::Date) -> String {
        format_date(d, self.lang)
    }

    /// The context of a member document.
    pub fn member_context(&self, doc: &'static str, member: &Member) -> Context {
        let m = self.member(member);
        // Once, not per row: the register has a row per subsystem, and so has the list.
        let instances = member.instances();
        let certificates: Vec<CertView> = self
            .register
            .iter()
            .filter(|r| r.kind.is_server() || r.member_id.as_deref() == Some(member.id.as_str()))
            .filter(|r| instances.contains(&r.instance))
            .map(|r| self.cert(r))
            .collect();
        Context {
            draft: m.draft,
            stage: m.stage,
            member: Some(m),
            renewals: self.renewals(&certificates),
            certificates,
            ..self.base(doc)
        }
    }

    /// The context of a packet document, with the given members.
    pub fn packet_context(&self, doc: &'static str, members: &[&Member]) -> Context {
        let ids: std::collections::BTreeSet<&str> = members.iter().map(|m| m.id.as_str()).collect();
        let certificates: Vec<CertView> = self
            .register
            .iter()
            .filter(|r| r.member_id.as_deref().is_none_or(|id| ids.contains(id)))
            .map(|r| self.cert(r))
            .collect();
        Context {
            members: members.iter().map(|m| self.member(m)).collect(),
            renewals: self.renewals(&certificates),
            certificates,
            ..self.base(doc)
        }
    }

    /// The rows with a known renewal start, soonest first (ties in register order).
    fn renewals(&self, rows: &[CertView]) -> Vec<CertView> {
        let mut v: Vec<CertView> = rows
            .iter()
            .filter(|c| c.renew_from_iso.is_some())
            .cloned()
            .collect();
        v.sort_by(|a, b| a.renew_from_iso.cmp(&b.renew_from_iso));
        v
    }

    fn base(&self, doc: &'static str) -> Context {
        let a = self.arrangement;
        let owner_instances: Vec<Instance> = a.servers.iter().map(|s| s.instance).collect();
        Context {
            lang: self.lang,
            doc,
            draft: a.stage == Stage::Draft,
            stage: a.stage,
            date: self.date(a.date),
            date_iso: a.date.to_string(),
            place: a.place_in(self.lang).map(str::to_string),
            public: self.public,
            owner: self.org(&a.owner, &owner_instances),
            servers: a.servers.iter().map(|s| self.server(s)).collect(),
            member: None,
            members: Vec::new(),
            certificates: Vec::new(),
            renewals: Vec::new(),
            member_documents: crate::documents::member_documents().map(|d| d.id).collect(),
        }
    }

    fn server(&self, s: &Server) -> ServerView {
        let o = &self.arrangement.owner;
        ServerView {
            instance: s.instance,
            fqdn: s.fqdn.clone(),
            ipv4: s.ipv4.clone(),
            ipv4_placeholder: xroad::parse_ipv4(&s.ipv4)
                .is_some_and(|ip| xroad::classify_ipv4(ip) == xroad::Ipv4Kind::Documentation),
            platform: s.platform,
            code: s.code.clone(),
            id: xroad::server_id(s.instance, o.class.code(), &o.code, &s.code),
            auth_validity_months: s.instance.auth_cert_months(),
        }
    }

    fn contact(&self, c: &Contact) -> ContactView {
        if self.public {
            ContactView {
                role: c.role,
                name: None,
                title: c.title.clone(),
                email: c.email.clone().filter(|_| c.email_shared),
                phone: None,
                authority: c.authority.clone(),
            }
        } else {
            ContactView {
                role: c.role,
                name: Some(c.name.clone()),
                title: c.title.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                authority: c.authority.clone(),
            }
        }
    }

    fn org(&self, o: &Organisation, instances: &[Instance]) -> OrgView {
        let pick = |r: Role| o.contact(r).map(|c| self.contact(c));
        OrgView {
            name: o.name_in(self.lang).to_string(),
            official_name: o.name.clone(),
            class: o.class.code(),
            code: o.code.clone(),
            address: o.address.clone(),
            contacts: o.contacts.iter().map(|c| self.contact(c)).collect(),
            technical: pick(Role::Technical),
            administrative: pick(Role::Administrative),
            signatory: pick(Role::Signatory),
            signatories: o.signatories().map(|c| self.contact(c)).collect(),
            subsystems: o
                .subsystems
                .iter()
                .map(|s| SubsystemView {
                    code: s.code.clone(),
                    purpose: s.purpose.clone(),
                    instances: s.instances.clone(),
                    ids: s
                        .instances
                        .iter()
                        .map(|&i| InstanceId {
                            instance: i,
                            id: xroad::subsystem_id(i, o.class.code(), &o.code, &s.code),
                        })
                        .collect(),
                    provides_services: s.provides_services,
                })
                .collect(),
            ids: instances
                .iter()
                .map(|&i| InstanceId {
                    instance: i,
                    id: xroad::member_id(i, o.class.code(), &o.code),
                })
                .collect(),
        }
    }

    fn steps(&self, m: &Member, side: Side) -> Vec<StepView> {
        let list = m.checklist(side);
        let next = list.iter().position(|(_, d)| d.is_none());
        list.into_iter()
            .enumerate()
            .map(|(i, (p, d))| StepView {
                id: p.id(),
                key: p.key,
                instance: p.instance,
                done: d.is_some(),
                date: d.map(|d| self.date(d)),
                next: Some(i) == next,
                waits_for: d.is_none().then(|| m.waiting_on(side, &p)).flatten().map(
                    |(side, w)| WaitView {
                        side,
                        key: w.key,
                        instance: w.instance,
                    },
                ),
            })
            .collect()
    }

    /// The view of one member.
    pub fn member(&self, m: &Member) -> MemberView {
        let a = self.arrangement;
        let instances = m.instances();
        let member_checklist = self.steps(m, Side::Member);
        let owner_checklist = self.steps(m, Side::Owner);
        let done = |l: &[StepView]| l.iter().filter(|s| s.done).count();
        let (md, od) = (done(&member_checklist), done(&owner_checklist));
        let total = member_checklist.len() + owner_checklist.len();
        MemberView {
            id: m.id.clone(),
            org: self.org(&m.org, &instances),
            language: a.language_of(m),
            provides_services: m.provides_services(),
            client_tls_by: m.client_tls_by,
            instances: instances.clone(),
            uses: instances
                .iter()
                .map(|&i| {
                    let server = a.server(i);
                    UseView {
                        instance: i,
                        server: server.map(|s| self.server(s)),
                        member_id: xroad::member_id(i, m.org.class.code(), &m.org.code),
                        subsystems: m
                            .org
                            .subsystems
                            .iter()
                            .filter(|s| s.instances.contains(&i))
                            .map(|s| SubsystemInstanceView {
                                code: s.code.clone(),
                                id: xroad::subsystem_id(
                                    i,
                                    m.org.class.code(),
                                    &m.org.code,
                                    &s.code,
                                ),
                                purpose: s.purpose.clone(),
                                provides_services: s.provides_services,
                            })
                            .collect(),
                        permit: m.permits.get(&i).cloned(),
                        sign_serial_number: server
                            .map(|s| xroad::cert_serial_number(i, &s.code, m.org.class.code())),
                        sign_subject: server.map(|s| {
                            format!(
                                "C=FI, O={}, CN={}, serialNumber={}",
                                crate::x509::without_nordic_letters(&m.org.name),
                                m.org.code,
                                xroad::cert_serial_number(i, &s.code, m.org.class.code())
                            )
                        }),
                    }
                })
                .collect(),
            agreement: m.terms.as_ref().map(|t| TermsView {
                starts: self.date(t.starts),
                ends: t.ends.map(|d| self.date(d)),
                notice_months: t.notice_months,
                annual_fee: t.annual_fee_eur.map(|f| format_euros(f, self.lang)),
                cost_note: t.cost_note.clone(),
            }),
            authorisation: m.authorisation_until.map(|d| AuthorisationView {
                valid_until: self.date(d),
            }),
            progress: ProgressView {
                member_done: md,
                member_total: member_checklist.len(),
                owner_done: od,
                owner_total: owner_checklist.len(),
                percent: ((md + od) * 100).checked_div(total).unwrap_or(0),
            },
            member_checklist,
            owner_checklist,
            csrs: self.csrs(m),
            stage: m.stage,
            draft: m.stage == Stage::Draft,
            conditions: self.conditions(m),
            data_processing: m.data_processing.clone(),
            clauses: m
                .clauses
                .iter()
                .filter_map(|c| {
                    Some(ClauseView {
                        section: c.section.clone(),
                        text: c.texts.get(&self.lang)?.clone(),
                    })
                })
                .collect(),
        }
    }

    /// A member's agreement conditions; the cap defaults to the annual fee.
    fn conditions(&self, m: &Member) -> ConditionsView {
        let c = &m.conditions;
        let fee = m.terms.as_ref().and_then(|t| t.annual_fee_eur);
        ConditionsView {
            venue: c.venue.clone(),
            liability_cap: c
                .liability_cap_eur
                .or(fee)
                .map(|f| format_euros(f, self.lang)),
            cap_is_fee: c.liability_cap_eur.is_none() && fee.is_some(),
            availability: c.availability_percent.map(|p| format_percent(p, self.lang)),
            maintenance_window: c.maintenance_window.clone(),
            response_hours: c.response_hours,
            vat: c.vat,
            payment_days: c.payment_days.unwrap_or(PAYMENT_DAYS),
        }
    }

    /// The certificate requests given as files for a member's signing certificates.
    fn csrs(&self, m: &Member) -> Vec<CsrView> {
        self.arrangement
            .certificates
            .iter()
            .filter(|c| c.kind == CertKind::Signing && c.member.as_deref() == Some(m.id.as_str()))
            .filter_map(|c| {
                let f = c.file_info.as_ref().filter(|f| f.is_request)?;
                Some(CsrView {
                    instance: c.instance,
                    subject: f.subject.clone(),
                    fingerprint: f.fingerprint.clone(),
                    key: f.key.clone(),
                    key_algorithm: f.key_algorithm.clone(),
                    key_bits: f.key_bits,
                })
            })
            .collect()
    }

    fn cert(&self, r: &CertRow) -> CertView {
        CertView {
            kind: r.kind.code(),
            instance: r.instance,
            holder: r.holder.clone(),
            member_id: r.member_id.clone(),
            subsystem: r.subsystem.clone(),
            subject_id: r.subject_id.clone(),
            server: r.server.clone(),
            applies: r.applies,
            renews: r.renews,
            via_dvv: r.kind.via_dvv(),
            validity_months: r.validity_months,
            expires: r.expires.map(|d| self.date(d)),
            renew_from: r.renew_from.map(|d| self.date(d)),
            expires_iso: r.expires.map(|d| d.to_string()),
            renew_from_iso: r.renew_from.map(|d| d.to_string()),
            status: r.status,
            fingerprint: r.fingerprint.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_each_language() {
        let d = jiff::civil::date(2026, 12, 1);
        assert_eq!(format_date(d, Lang::Fi), "1.12.2026");
        assert_eq!(format_date(d, Lang::Sv), "1.12.2026");
        assert_eq!(format_date(d, Lang::En), "1 December 2026");
    }

    #[test]
    fn euros_in_each_language() {
        assert_eq!(format_euros(1200.0, Lang::Fi), "1\u{a0}200\u{a0}€");
        assert_eq!(format_euros(1500.5, Lang::Sv), "1\u{a0}500,50\u{a0}€");
        assert_eq!(format_euros(1500.5, Lang::En), "EUR 1,500.50");
        assert_eq!(format_euros(999.0, Lang::En), "EUR 999");
        assert_eq!(format_euros(1234567.0, Lang::En), "EUR 1,234,567");
    }

    #[test]
    fn percents_in_each_language() {
        assert_eq!(format_percent(99.5, Lang::Fi), "99,5\u{a0}%");
        assert_eq!(format_percent(99.95, Lang::Sv), "99,95\u{a0}%");
        assert_eq!(format_percent(100.0, Lang::En), "100%");
    }
}
