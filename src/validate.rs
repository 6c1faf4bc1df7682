//! The rules of SPEC §3: from a typed [`Input`] to the checked [`Arrangement`] and
//! diagnostics. Pure: no I/O, no clock.
//!
//! Each rule that reads an enumerated value parses it once, reports an unknown one, and hands
//! the parsed value on: the arrangement is assembled from what the rules returned, so it
//! holds enums, never strings to be parsed again. Certificate files are read by
//! [`crate::check`] through [`crate::certs`]; their facts come in keyed by entry.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::arrangement::{
    self as checked, Arrangement, KnownCertificate, Lang, Party, Platform, Role, Stage, Terms,
};
use crate::certs::{self, Entry, Facts};
use crate::codes::{Code, backticks};
use crate::diagnostic::{Diagnostic, nearest};
use crate::model::{Contact, Date, Input, Member, Sp, Subsystem};
use crate::phases;
use crate::xroad::{
    self, BusinessIdError, CertKind, FqdnIssue, IdentifierError, Instance, Ipv4Kind, MemberClass,
};

/// How strictly to validate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Final mode (`stage = "final"` or `--final`): placeholders become errors.
    pub final_mode: bool,
    /// The languages every member's documents are built in besides its own (`--lang`): each
    /// extra clause needs a text in them.
    pub langs: Vec<Lang>,
}

/// The outcome of checking: the checked model when nothing is wrong, and every diagnostic.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The checked model; `None` exactly when a diagnostic is an error.
    pub arrangement: Option<Arrangement>,
    /// Errors and warnings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// How many diagnostics are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The arrangement, or the error diagnostics (`code: message`) when there is none.
    pub fn into_arrangement(self) -> Result<Arrangement, Vec<String>> {
        match self.arrangement {
            Some(a) => Ok(a),
            None => Err(self
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect()),
        }
    }
}

/// Whether the input asks for final mode by itself.
pub fn is_final(input: &Input) -> bool {
    input
        .packet
        .stage
        .as_ref()
        .is_some_and(|s| Stage::parse(s) == Some(Stage::Final))
}

/// Checks every rule and builds the checked model from the parsed values, joining each
/// certificate entry with what its file said (`facts`, keyed by entry). The diagnostics are
/// sorted by position; the model is there only when none is an error.
pub fn validate(input: &Input, facts: &Facts, options: Options) -> Checked {
    let final_mode = options.final_mode
        || is_final(input)
        || input
            .members
            .iter()
            .any(|m| member_is_final(input, m, options.final_mode));
    let mut v = Validator {
        out: Vec::new(),
        final_mode,
        cli_final: options.final_mode,
        langs: options.langs.clone(),
    };
    let arrangement = v.input(input, facts);
    let mut diagnostics = v.out;
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    let arrangement = match arrangement {
        _ if has_errors => None,
        Some(a) => Some(a),
        None => {
            diagnostics.push(
                Diagnostic::error(
                    "internal",
                    0..0,
                    "the checked model could not be built, though no rule failed",
                )
                .with_help("this is a bug in xroad-share: please report it with the input file"),
            );
            None
        }
    };
    crate::diagnostic::sort(&mut diagnostics);
    Checked {
        arrangement,
        diagnostics,
    }
}

struct Validator {
    out: Vec<Diagnostic>,
    /// Whether placeholders are errors where the check is now: for the servers and the owner,
    /// when any document is final; for a member, when that member's documents are.
    final_mode: bool,
    /// `--final`.
    cli_final: bool,
    /// `--lang`.
    langs: Vec<Lang>,
}

fn instances_of(subsystems: &[Subsystem]) -> BTreeSet<Instance> {
    subsystems
        .iter()
        .flat_map(|s| s.instances.iter().filter_map(|i| Instance::parse(i)))
        .collect()
}

impl Validator {
    /// A placeholder finding: a warning in draft mode, an error in final mode.
    fn placeholder(&mut self, code: &'static str, span: Range<usize>, message: String, help: &str) {
        let d = if self.final_mode {
            Diagnostic::error(code, span, format!("{message} (not allowed in final mode)"))
        } else {
            Diagnostic::warning(code, span, message)
        };
        self.out.push(d.with_help(help));
    }

    /// Parses an enumerated value; reports an unknown one with the nearest code as help.
    fn one_of<T: Code>(&mut self, code: &'static str, what: &str, value: &Sp<String>) -> Option<T> {
        if let Some(v) = T::parse(value) {
            return Some(v);
        }
        let mut d = Diagnostic::error(
            code,
            value.span(),
            format!("unknown {what} `{}`", value.value),
        );
        d = match nearest(value, T::CODES.iter().copied()) {
            Some(n) => d.with_help(format!("did you mean `{n}`?")),
            None => d.with_help(format!("use one of {}", backticks(T::CODES))),
        };
        self.out.push(d);
        None
    }

    /// An optional enumerated value: its default when absent, `None` when unknown.
    fn one_of_or<T: Code>(
        &mut self,
        code: &'static str,
        what: &str,
        value: &Option<Sp<String>>,
        default: T,
    ) -> Option<T> {
        match value {
            Some(v) => self.one_of(code, what, v),
            None => Some(default),
        }
    }

    /// Checks the whole input; returns the checked model when every value it needs parsed.
    fn input(&mut self, input: &Input, facts: &Facts) -> Option<Arrangement> {
        let p = &input.packet;
        let language = self.one_of::<Lang>("language", "language", &p.language);
        let stage = self.one_of_or("stage", "stage", &p.stage, Stage::Draft);
        let date = self.date(&p.date);
        let packet_date = p.date.civil();
        let places = self.per_language(&p.places, "place");
        let default_terms = input.terms.clone().unwrap_or_default();

        // Servers.
        let mut server_set: BTreeSet<Instance> = BTreeSet::new();
        let mut servers = Vec::new();
        for s in &input.servers {
            let instance = self.one_of::<Instance>("instance", "instance", &s.instance);
            if let Some(i) = instance
                && !server_set.insert(i)
            {
                self.out.push(
                    Diagnostic::error("duplicate-server", s.instance.span(), format!("a second server for instance `{i}`"))
                        .with_help("each instance needs exactly one server of the owner: remove or merge one of the `[[servers]]`"),
                );
            }
            let platform = self.one_of::<Platform>("platform", "platform", &s.platform);
            self.fqdn(&s.fqdn);
            self.ipv4(&s.ipv4);
            let first_label = xroad::server_code_from_fqdn(&s.fqdn).to_ascii_lowercase();
            if let Some(code) = &s.security_server_code {
                match xroad::check_identifier(code) {
                    Err(e) => self.identifier_error("server-code", code, &e),
                    Ok(()) if code.value != first_label => self.out.push(
                        Diagnostic::warning(
                            "server-code-differs",
                            code.span(),
                            format!("the security server code `{}` differs from the first label of the FQDN", code.value),
                        )
                        .with_help(format!("in Finland the code is the first label of the FQDN: `{first_label}`")),
                    ),
                    Ok(()) => {}
                }
            }
            servers.push(
                instance
                    .zip(platform)
                    .map(|(instance, platform)| checked::Server {
                        instance,
                        fqdn: s.fqdn.value.clone(),
                        ipv4: s.ipv4.value.clone(),
                        platform,
                        code: match &s.security_server_code {
                            Some(code) => code.value.clone(),
                            None => xroad::server_code_from_fqdn(&s.fqdn).to_string(),
                        },
                    }),
            );
        }

        // The owner.
        let o = &input.owner;
        let owner_instances: BTreeSet<Instance> = server_set
            .iter()
            .copied()
            .chain(instances_of(&o.subsystems))
            .collect();
        let owner_class = self.organisation(
            &o.name,
            &o.member_class,
            &o.member_code,
            &owner_instances,
            "the owner",
        );
        let owner_contacts = self.contacts(&o.contacts, &o.name, "the owner");
        let owner_subsystems = self.subsystems(&o.subsystems, &server_set);
        let owner_names = self.per_language(&o.names, "name");
        let owner = organisation(
            &o.name,
            owner_class,
            &o.member_code,
            &o.address,
            owner_contacts,
            owner_subsystems,
        )
        .zip(owner_names)
        .map(|(org, names)| checked::Organisation { names, ..org });

        // Members.
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        let mut codes: BTreeSet<&str> = BTreeSet::new();
        let mut members = Vec::new();
        let shared_final = self.final_mode;
        for m in &input.members {
            let stage = self.member_stage(m, stage);
            self.final_mode = member_is_final(input, m, self.cli_final);
            self.member_id(&m.id, &mut ids);
            let instances = instances_of(&m.subsystems);
            let class = self.organisation(
                &m.name,
                &m.member_class,
                &m.member_code,
                &instances,
                &format!("member `{}`", m.id.value),
            );
            if m.member_code.value == o.member_code.value {
                self.out.push(
                    Diagnostic::error(
                        "member-is-owner",
                        m.member_code.span(),
                        format!("member `{}` has the owner's member code `{}`", m.id.value, m.member_code.value),
                    )
                    .with_help("the owner does not join its own server; list only other organisations under `[[members]]`"),
                );
            } else if !codes.insert(m.member_code.as_str()) {
                self.out.push(
                    Diagnostic::error(
                        "duplicate-member-code",
                        m.member_code.span(),
                        format!("the member code `{}` is used by another member too", m.member_code.value),
                    )
                    .with_help("one organisation is one member: put all of its subsystems under one `[[members]]`"),
                );
            }
            let language = match &m.language {
                Some(lang) => self.one_of::<Lang>("language", "language", lang).map(Some),
                None => Some(None),
            };
            if let Some(key) = &m.internal_tls_by {
                self.out.push(
                    Diagnostic::warning(
                        "deprecated-key",
                        key.span(),
                        format!("`internal_tls_by` of member `{}` is deprecated and ignored", m.id.value),
                    )
                    .with_help("the internal TLS certificate is the security server's own: the owner creates it and hands its public part to every member; remove the key"),
                );
            }
            let client_tls_by = self.one_of_or("tls-by", "party", &m.client_tls_by, Party::Member);
            let contacts = self.contacts(&m.contacts, &m.id, &format!("member `{}`", m.id.value));
            let subsystems = self.subsystems(&m.subsystems, &server_set);
            if m.subsystems.is_empty() {
                self.out.push(
                    Diagnostic::warning("no-subsystems", m.id.span(), format!("member `{}` has no subsystems", m.id.value))
                        .with_help("add `[[members.subsystems]]` with a `code` and the `instances` it is used in"),
                );
            }
            let (terms, authorisation_until) = self.member_terms(m);
            let permits = self.permits(m, &instances);
            let progress = self.progress(m, &instances);
            let names = self.per_language(&m.names, "name");
            let conditions = self.conditions(&default_terms, m.agreement.as_ref());
            let data_processing = self.data_processing(m.data_processing.as_ref());
            let member_lang = language.flatten().or(self.packet_language(input));
            let clauses = self.extra_clauses(m, member_lang);
            self.final_mode = shared_final;
            members.push((|| {
                Some(checked::Member {
                    id: m.id.value.clone(),
                    org: checked::Organisation {
                        names: names?,
                        ..organisation(
                            &m.name,
                            class,
                            &m.member_code,
                            &m.address,
                            contacts,
                            subsystems,
                        )?
                    },
                    stage: stage?,
                    conditions: conditions?,
                    data_processing: data_processing?,
                    clauses: clauses?,
                    language: language?,
                    client_tls_by: client_tls_by?,
                    terms: terms?,
                    authorisation_until: authorisation_until?,
                    permits: permits?,
                    progress: progress?,
                })
            })());
        }

        // Certificates, each with what its file said; one entry per slot.
        let mut slots: BTreeMap<(CertKind, Instance, Option<String>, Option<String>), usize> =
            BTreeMap::new();
        let certificates: Vec<Option<KnownCertificate>> = input
            .certificates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut known = self.certificate(c, input, &server_set, packet_date)?;
                let slot = (
                    known.kind,
                    known.instance,
                    known.member.clone(),
                    known.subsystem.clone(),
                );
                if let Some(&first) = slots.get(&slot) {
                    let whose = match (&known.member, &known.subsystem) {
                        (Some(m), Some(s)) => format!(" of member `{m}`'s subsystem `{s}`"),
                        (Some(m), None) => format!(" of member `{m}`"),
                        _ => String::new(),
                    };
                    self.out.push(
                        Diagnostic::error(
                            "duplicate-certificate",
                            c.kind.span(),
                            format!(
                                "a second `{}` certificate{whose} in `{}` (the first is `[[certificates]]` number {})",
                                known.kind.code(),
                                known.instance,
                                first + 1
                            ),
                        )
                        .with_help("one entry per certificate slot: when a certificate was renewed, keep only the entry of the new one"),
                    );
                } else {
                    slots.insert(slot, i);
                }
                if let Some(file) = facts.get(Entry(i)) {
                    certs::apply(&mut known, file);
                }
                Some(known)
            })
            .collect();

        let mut servers: Vec<checked::Server> = servers.into_iter().collect::<Option<_>>()?;
        servers.sort_by_key(|s| s.instance);
        Some(Arrangement {
            language: language?,
            date: date?,
            place: p.place.as_ref().map(|p| p.value.clone()),
            places: places?,
            stage: stage.map(|s| if self.cli_final { Stage::Final } else { s })?,
            owner: owner?,
            servers,
            members: members.into_iter().collect::<Option<_>>()?,
            certificates: certificates.into_iter().collect::<Option<_>>()?,
        })
    }

    fn date(&mut self, d: &Sp<Date>) -> Option<jiff::civil::Date> {
        let civil = d.civil();
        if let Some(c) = civil
            && c.year() < 1970
        {
            self.out.push(
                Diagnostic::error(
                    "date-range",
                    d.span(),
                    format!("the date {c} is before 1970-01-01"),
                )
                .with_help("dates from 1970-01-01 to 9999-12-31 are supported; check the year"),
            );
            return None;
        }
        if civil.is_none() {
            self.out.push(
                Diagnostic::error(
                    "invalid-date",
                    d.span(),
                    format!("`{}` is not a calendar date", d.value),
                )
                .with_help(days_in_month_help(d.value)),
            );
        }
        civil
    }

    fn identifier_error(&mut self, code: &'static str, value: &Sp<String>, e: &IdentifierError) {
        let mut d = Diagnostic::error(
            code,
            value.span(),
            format!("invalid code `{}`: {e}", value.value),
        );
        if let IdentifierError::BadChar(_) = e {
            let fixed: String = value
                .chars()
                .map(|c| match c {
                    'ä' | 'å' => 'a',
                    'Ä' | 'Å' => 'A',
                    'ö' => 'o',
                    'Ö' => 'O',
                    c if xroad::is_strict_identifier_char(c) => c,
                    _ => '-',
                })
                .collect();
            d = d.with_help(format!("for example `{fixed}`"));
        }
        self.out.push(d);
    }

    fn fqdn(&mut self, fqdn: &Sp<String>) {
        for issue in xroad::check_fqdn(fqdn) {
            let d = if issue.is_warning() {
                Diagnostic::warning("fqdn-underscore", fqdn.span(), issue.to_string())
                    .with_help("prefer `-` in the host name, since the server code is taken from its first label")
            } else {
                let d = Diagnostic::error(
                    "fqdn",
                    fqdn.span(),
                    format!("invalid FQDN `{}`: {issue}", fqdn.value),
                );
                match &issue {
                    FqdnIssue::UpperCase { lowercase } => {
                        d.with_help(format!("write `{lowercase}`"))
                    }
                    FqdnIssue::NonAscii(_) => d.with_help(ascii_host_help(fqdn)),
                    FqdnIssue::EncodedNonAscii { label, decoded, .. } => {
                        d.with_help(ascii_host_help(&fqdn.replace(label.as_str(), decoded)))
                    }
                    FqdnIssue::SingleLabel => {
                        d.with_help("write the full name in public DNS, e.g. `orglp01.example.fi`")
                    }
                    FqdnIssue::Ipv4Address => d.with_help(
                        "put the address in `ipv4` and the server's host name in public DNS in `fqdn`, e.g. `orglp01.example.fi`",
                    ),
                    FqdnIssue::NumericTopLabel(_) => d.with_help(
                        "write the full name in public DNS, ending with its top-level domain, e.g. `orglp01.example.fi`",
                    ),
                    FqdnIssue::InvalidIdna(_) => d.with_help(
                        "write the host name with ASCII letters `a-z`, digits and `-`; check the label if it was copied",
                    ),
                    _ => d,
                }
            };
            self.out.push(d);
        }
    }

    fn ipv4(&mut self, ip: &Sp<String>) {
        let Some(addr) = xroad::parse_ipv4(ip) else {
            self.out.push(
                Diagnostic::error(
                    "ipv4",
                    ip.span(),
                    format!("`{}` is not an IPv4 address", ip.value),
                )
                .with_help("write four decimal numbers 0–255 separated by dots, e.g. `195.0.2.10`"),
            );
            return;
        };
        match xroad::classify_ipv4(addr) {
            Ipv4Kind::Public => {}
            Ipv4Kind::Documentation => self.placeholder(
                "ipv4-placeholder",
                ip.span(),
                format!("`{addr}` is in a documentation range: a placeholder, not a real address"),
                "put the server's public IPv4 address here before the permit application is sent",
            ),
            Ipv4Kind::Unreachable(range) => self.out.push(
                Diagnostic::error("ipv4-unreachable", ip.span(), format!("`{addr}` is in {range}: other security servers cannot reach it"))
                    .with_help("give the public address that other security servers connect to (TCP 5500 and 5577)"),
            ),
        }
    }

    fn organisation(
        &mut self,
        name: &Sp<String>,
        class: &Sp<String>,
        code: &Sp<String>,
        instances: &BTreeSet<Instance>,
        who: &str,
    ) -> Option<MemberClass> {
        if name.trim().is_empty() {
            self.out.push(Diagnostic::error(
                "empty-value",
                name.span(),
                format!("the name of {who} is empty"),
            ));
        }
        let parsed = self.member_class(class);
        let pri = parsed == Some(MemberClass::Pri);
        let only_dev = !instances.is_empty() && instances.iter().all(|i| *i == Instance::Dev);
        if pri && !only_dev {
            self.out.push(
                Diagnostic::warning("pri-outside-dev", class.span(), format!("{who} has member class `PRI` outside `FI-DEV`"))
                    .with_help("DVV lists private persons only in the development environment; organisations use GOV, MUN, COM, EDU or ORG"),
            );
        }
        if pri && only_dev {
            return parsed;
        }
        match xroad::check_business_id(code) {
            Ok(()) => {}
            Err(e) => {
                let d = Diagnostic::error(
                    "business-id",
                    code.span(),
                    format!("invalid Business ID `{}`: {e}", code.value),
                );
                let d = match &e {
                    BusinessIdError::CheckDigit { corrected, .. } => {
                        d.with_help(format!("if the digits are right, the ID is `{corrected}`"))
                    }
                    BusinessIdError::SixDigits { padded } => {
                        let given = code.value.rsplit('-').next().unwrap_or("");
                        let right = padded.rsplit('-').next().unwrap_or("");
                        if given == right {
                            d.with_help(format!("pad the body with a leading 0: `{padded}`"))
                        } else {
                            d.with_help(format!(
                                "pad the body with a leading 0; the check digit of the padded body is `{right}`, not `{given}`: `{padded}`"
                            ))
                        }
                    }
                    BusinessIdError::NoValidCheckDigit => d.with_help(
                        "check the digits against the Business Information System (YTJ)",
                    ),
                    BusinessIdError::Format => d.with_help(
                        "write seven digits, a dash and the check digit, e.g. `0245437-2`",
                    ),
                };
                self.out.push(d);
            }
        }
        parsed
    }

    fn member_class(&mut self, class: &Sp<String>) -> Option<MemberClass> {
        if let Some(parsed) = MemberClass::parse(class) {
            return Some(parsed);
        }
        let all = MemberClass::CODES;
        let upper = class.to_ascii_uppercase();
        let d = Diagnostic::error(
            "member-class",
            class.span(),
            format!("unknown member class `{}`", class.value),
        );
        let d = if all.contains(&upper.as_str()) {
            d.with_help(format!("member classes are upper case: `{upper}`"))
        } else {
            match nearest(class, all.iter().copied()) {
                Some(n) => d.with_help(format!(
                    "did you mean `{n}`? (classes: {})",
                    backticks(&all)
                )),
                None => d.with_help(format!("use one of {}", backticks(&all))),
            }
        };
        self.out.push(d);
        None
    }

    fn contacts(
        &mut self,
        contacts: &[Contact],
        anchor: &Sp<String>,
        who: &str,
    ) -> Option<Vec<checked::Contact>> {
        let mut roles = BTreeSet::new();
        let mut parsed = Vec::new();
        for c in contacts {
            let role = self.one_of::<Role>("contact-role", "contact role", &c.role);
            match role {
                Some(r) => {
                    roles.insert(r);
                }
                None => {
                    // Already reported with the nearest role as help: don't also report that
                    // role as missing.
                    if let Some(n) = nearest(&c.role, Role::CODES).and_then(Role::parse) {
                        roles.insert(n);
                    }
                }
            }
            if let Some(email) = &c.email {
                self.placeholder_email(email);
                if let Some(why) = email_problem(email) {
                    self.out.push(
                        Diagnostic::error(
                            "email",
                            email.span(),
                            format!("`{}` is not an e-mail address: {why}", email.value),
                        )
                        .with_help("write it as `name@domain.fi`"),
                    );
                }
            } else if matches!(role, Some(Role::Technical | Role::Administrative)) {
                self.out.push(
                    Diagnostic::error(
                        "missing-email",
                        c.name.span(),
                        format!(
                            "the {} contact `{}` has no e-mail address",
                            c.role.value, c.name.value
                        ),
                    )
                    .with_help("add `email = \"…\"`; DVV asks for a general, non-personal address"),
                );
            }
            if let Some(phone) = &c.phone
                && !is_international_phone(phone)
            {
                self.out.push(
                    Diagnostic::warning(
                        "phone",
                        phone.span(),
                        format!(
                            "the phone number `{}` is not in international form",
                            phone.value
                        ),
                    )
                    .with_help(international_phone_help(phone)),
                );
            }
            parsed.push(role.map(|role| checked::Contact {
                role,
                name: c.name.value.clone(),
                email: c.email.as_ref().map(|e| e.value.clone()),
                phone: c.phone.as_ref().map(|p| p.value.clone()),
                title: c.title.as_ref().map(|t| t.value.clone()),
                email_shared: c.shared.as_ref().map_or(
                    matches!(role, Role::Technical | Role::Administrative),
                    |s| s.value,
                ),
                authority: c.authority.as_ref().map(|t| t.value.clone()),
            }));
        }
        for role in [Role::Technical, Role::Administrative] {
            if !roles.contains(&role) {
                self.out.push(
                    Diagnostic::error(
                        "missing-contact",
                        anchor.span(),
                        format!("{who} has no {role} contact"),
                    )
                    .with_help(format!("add a `contacts` entry with `role = \"{role}\"`")),
                );
            }
        }
        if !roles.contains(&Role::Signatory) {
            self.placeholder(
                "missing-signatory",
                anchor.span(),
                format!("{who} has no signatory"),
                "add a `contacts` entry with `role = \"signatory\"`, the person who signs the agreement",
            );
        }
        parsed.into_iter().collect()
    }

    fn subsystems(
        &mut self,
        subsystems: &[Subsystem],
        servers: &BTreeSet<Instance>,
    ) -> Option<Vec<checked::Subsystem>> {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut parsed = Vec::new();
        for s in subsystems {
            match xroad::check_identifier(&s.code) {
                Err(e) => self.identifier_error("subsystem-code", &s.code, &e),
                Ok(()) if s.code.bytes().all(|b| b.is_ascii_digit()) => self.out.push(
                    Diagnostic::warning("subsystem-digits", s.code.span(), format!("the subsystem code `{}` has only digits", s.code.value))
                        .with_help("DVV recommends `[service]-[organisation]-[client|service]`, e.g. `vtj-pikkula-client`"),
                ),
                Ok(()) => {}
            }
            if !seen.insert(s.code.as_str()) {
                self.out.push(
                    Diagnostic::error(
                        "duplicate-subsystem",
                        s.code.span(),
                        format!("the subsystem code `{}` is used twice", s.code.value),
                    )
                    .with_help("list each subsystem once, with all its `instances`"),
                );
            }
            if s.instances.is_empty() {
                self.out.push(
                    Diagnostic::warning(
                        "no-instances",
                        s.code.span(),
                        format!("the subsystem `{}` is in no instance", s.code.value),
                    )
                    .with_help("add `instances = [\"FI-TEST\", \"FI\"]`"),
                );
            }
            let mut seen_instances = BTreeSet::new();
            let mut all_known = true;
            for i in &s.instances {
                let Some(inst) = self.one_of::<Instance>("instance", "instance", i) else {
                    all_known = false;
                    continue;
                };
                if !seen_instances.insert(inst) {
                    self.out.push(Diagnostic::warning(
                        "duplicate-instance",
                        i.span(),
                        format!("the instance `{inst}` is listed twice"),
                    ));
                }
                if !servers.contains(&inst) {
                    self.out.push(
                        Diagnostic::error("instance-without-server", i.span(), format!("no `[[servers]]` entry for instance `{inst}`"))
                            .with_help(format!("add the owner's `{inst}` security server under `[[servers]]`, or remove `{inst}` here")),
                    );
                }
            }
            parsed.push(all_known.then(|| checked::Subsystem {
                code: s.code.value.clone(),
                instances: seen_instances.into_iter().collect(),
                purpose: s.purpose.as_ref().map(|p| p.value.clone()),
                provides_services: s.provides_services.as_ref().is_some_and(|p| p.value),
            }));
        }
        parsed.into_iter().collect()
    }

    fn member_id<'a>(&mut self, id: &'a Sp<String>, ids: &mut BTreeSet<&'a str>) {
        if !xroad::is_valid_member_id(id) {
            let tricky =
                id.contains('/') || id.contains('\\') || id.contains("..") || id.starts_with('.');
            let suggestion: String = deaccent(id)
                .chars()
                .map(|c| {
                    if c.is_ascii_lowercase() || c.is_ascii_digit() {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
                .split('-')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let message = if tricky {
                format!(
                    "the member id `{}` looks like a path; ids name output folders and may only use `a-z`, `0-9` and `-`",
                    id.value
                )
            } else if id.is_empty() {
                "the member id is empty".to_string()
            } else if id.len() > 40 {
                format!("the member id `{}` is longer than 40 characters", id.value)
            } else {
                format!(
                    "invalid member id `{}`: only `a-z`, `0-9` and `-` are allowed",
                    id.value
                )
            };
            let mut d = Diagnostic::error("member-id", id.span(), message);
            let suggestion: String = suggestion.chars().take(40).collect();
            if xroad::is_valid_member_id(&suggestion) {
                d = d.with_help(format!("for example `{suggestion}`"));
            }
            self.out.push(d);
        }
        if !ids.insert(id.as_str()) {
            self.out.push(
                Diagnostic::error(
                    "duplicate-member-id",
                    id.span(),
                    format!("the member id `{}` is used twice", id.value),
                )
                .with_help("each member needs its own id: it names the member's output folder"),
            );
        }
    }

    /// The agreement's terms and the authorisation's last day, each `Some(None)` when not
    /// given and `None` when invalid.
    fn member_terms(
        &mut self,
        m: &Member,
    ) -> (Option<Option<Terms>>, Option<Option<jiff::civil::Date>>) {
        let mut agreement_end: Option<Option<jiff::civil::Date>> = None;
        let mut terms = Some(None);
        if let Some(a) = &m.agreement {
            let starts = self.date(&a.starts);
            let ends_date = a.ends.as_ref().map(|e| self.date(e));
            let ends = ends_date.flatten().zip(a.ends.as_ref());
            if let (Some(s), Some((e, sp))) = (starts, ends)
                && e < s
            {
                self.out.push(
                    Diagnostic::error("date-order", sp.span(), format!("the agreement ends ({e}) before it starts ({s})"))
                        .with_help("check `starts` and `ends`, or omit `ends` for an agreement until further notice"),
                );
            }
            agreement_end = Some(ends.map(|(d, _)| d));
            if let Some(d) = a
                .annual_fee_eur
                .as_ref()
                .and_then(|fee| euros(fee, "the annual fee"))
            {
                self.out.push(d);
            }
            terms = (|| {
                Some(Some(Terms {
                    starts: starts?,
                    ends: ends_date.map_or(Some(None), |e| e.map(Some))?,
                    notice_months: a.notice_months.as_ref().map(|n| n.value),
                    annual_fee_eur: a.annual_fee_eur.as_ref().map(|f| f.0),
                    cost_note: a.cost_note.as_ref().map(|c| c.value.clone()),
                }))
            })();
        } else {
            self.out.push(
                Diagnostic::warning(
                    "missing-agreement",
                    m.id.span(),
                    format!("member `{}` has no `[members.agreement]` terms", m.id.value),
                )
                .with_help("add `[members.agreement]` with at least `starts = YYYY-MM-DD`"),
            );
        }
        let authorisation_until = match &m.authorisation {
            Some(auth) => {
                let valid_until = self.date(&auth.valid_until);
                if let (Some(until), Some(end)) = (valid_until, agreement_end) {
                    let short = match end {
                        Some(end) => until < end,
                        None => true,
                    };
                    if short {
                        let ends = match end {
                            Some(e) => format!("the agreement ends on {e}"),
                            None => "the agreement runs until further notice".to_string(),
                        };
                        self.out.push(
                            Diagnostic::warning(
                                "authorisation-short",
                                auth.valid_until.span(),
                                format!("the authorisation ends on {until}, but {ends}"),
                            )
                            .with_help("renew the authorisation in time, or make it valid as long as the agreement"),
                        );
                    }
                }
                valid_until.map(Some)
            }
            None => {
                self.out.push(
                    Diagnostic::warning("missing-authorisation", m.id.span(), format!("member `{}` has no `[members.authorisation]`", m.id.value))
                        .with_help("since 6 May 2026 the owner applies for the member's certificates; add `valid_until` for the documented authorisation"),
                );
                Some(None)
            }
        };
        (terms, authorisation_until)
    }

    fn permits(
        &mut self,
        m: &Member,
        instances: &BTreeSet<Instance>,
    ) -> Option<BTreeMap<Instance, String>> {
        let valid: Vec<&str> = instances.iter().map(|i| i.code()).collect();
        let mut permits = Some(BTreeMap::new());
        for (key, reference) in &m.permits {
            let instance = instances.iter().copied().find(|i| i.code() == key.as_str());
            match (instance, permits.as_mut()) {
                (Some(i), Some(p)) => _ = p.insert(i, reference.value.clone()),
                (Some(_), None) => {}
                (None, _) => permits = None,
            }
            if instance.is_none() {
                self.unknown_reference(
                    key,
                    "instance",
                    &valid,
                    &format!("member `{}` uses", m.id.value),
                );
            } else if reference.trim().is_empty() {
                self.out.push(Diagnostic::error(
                    "empty-value",
                    reference.span(),
                    "the permit reference is empty",
                ));
            }
        }
        for i in instances {
            // Not a placeholder: the decision comes after the agreement is signed, so final
            // documents say that the reference is still to be given (SPEC §6.3).
            if !m.permits.keys().any(|k| k.value == i.code()) {
                self.out.push(
                    Diagnostic::warning(
                        "missing-permit",
                        m.id.span(),
                        format!(
                            "member `{}` has no user permit decision reference for `{i}`",
                            m.id.value
                        ),
                    )
                    .with_help(format!(
                        "add `{i} = \"DVV/…\"` under `[members.permits]` when the decision arrives"
                    )),
                );
            }
        }
        permits
    }

    fn progress(
        &mut self,
        m: &Member,
        instances: &BTreeSet<Instance>,
    ) -> Option<BTreeMap<String, jiff::civil::Date>> {
        let ordered: Vec<Instance> = instances.iter().copied().collect();
        let ids = phases::all_ids(&ordered);
        let mut progress = Some(BTreeMap::new());
        for (key, date) in &m.progress {
            let known = ids.contains(&key.value);
            let retired = phases::RETIRED.iter().find(|(old, _)| *old == key.value);
            if let Some((old, new)) = retired {
                self.out.push(
                    Diagnostic::error(
                        "unknown-reference",
                        key.span(),
                        format!(
                            "the phase `{old}` of member `{}` is now done once per instance",
                            m.id.value
                        ),
                    )
                    .with_help(format!(
                        "use {new}, for the instances the member's subsystems use"
                    )),
                );
            } else if !known {
                self.unknown_reference(
                    key,
                    "phase",
                    &ids.iter().map(String::as_str).collect::<Vec<_>>(),
                    &format!("member `{}` has", m.id.value),
                );
            }
            match (known, self.date(date), &mut progress) {
                (true, Some(d), Some(p)) => {
                    p.insert(key.value.clone(), d);
                }
                _ => progress = None,
            }
        }
        progress
    }

    fn unknown_reference(&mut self, value: &Sp<String>, what: &str, valid: &[&str], context: &str) {
        let mut d = Diagnostic::error(
            "unknown-reference",
            value.span(),
            format!("unknown {what} `{}`", value.value),
        );
        d = match nearest(value, valid.iter().copied()) {
            Some(n) => d.with_help(format!("did you mean `{n}`?")),
            None if valid.is_empty() => d.with_help(format!("there is no {what} that {context}")),
            None => d.with_help(format!("{what}s that {context}: {}", backticks(valid))),
        };
        self.out.push(d);
    }

    fn certificate(
        &mut self,
        c: &crate::model::Certificate,
        input: &Input,
        servers: &BTreeSet<Instance>,
        packet_date: Option<jiff::civil::Date>,
    ) -> Option<KnownCertificate> {
        let kind = self.one_of::<CertKind>("certificate-kind", "certificate kind", &c.kind);
        let instance = self.one_of::<Instance>("instance", "instance", &c.instance);
        if let Some(i) = instance
            && !servers.contains(&i)
        {
            self.out.push(
                Diagnostic::error(
                    "unknown-reference",
                    c.instance.span(),
                    format!("no server for instance `{i}`"),
                )
                .with_help(format!(
                    "servers exist for {}",
                    backticks(&servers.iter().map(|i| i.code()).collect::<Vec<_>>())
                )),
            );
        }
        let member = match &c.member {
            Some(mid) => {
                let found = input.members.iter().find(|m| m.id.value == mid.value);
                if found.is_none() {
                    let ids: Vec<&str> = input.members.iter().map(|m| m.id.as_str()).collect();
                    self.unknown_reference(mid, "member", &ids, "are listed");
                }
                if let Some(k) = kind
                    && !k.names_member()
                {
                    self.out.push(
                        Diagnostic::error(
                            "certificate-fields",
                            mid.span(),
                            format!(
                                "an `{}` certificate belongs to the server, not to a member",
                                c.kind.value
                            ),
                        )
                        .with_help("remove `member`"),
                    );
                }
                found
            }
            None => {
                if kind.is_some_and(CertKind::names_member) {
                    self.out.push(
                        Diagnostic::error(
                            "certificate-fields",
                            c.kind.span(),
                            format!("a `{}` certificate needs `member`", c.kind.value),
                        )
                        .with_help("add `member = \"<member id>\"`"),
                    );
                }
                None
            }
        };
        match &c.subsystem {
            Some(sub) => {
                if kind.is_some_and(|k| !k.names_subsystem()) {
                    self.out.push(
                        Diagnostic::error(
                            "certificate-fields",
                            sub.span(),
                            "only `client-tls` certificates name a subsystem",
                        )
                        .with_help("remove `subsystem`"),
                    );
                } else if let Some(m) = member
                    && !m.subsystems.iter().any(|s| s.code.value == sub.value)
                {
                    let codes: Vec<&str> = m.subsystems.iter().map(|s| s.code.as_str()).collect();
                    self.unknown_reference(
                        sub,
                        "subsystem",
                        &codes,
                        &format!("member `{}` has", m.id.value),
                    );
                }
            }
            None => {
                if kind.is_some_and(CertKind::names_subsystem) {
                    self.out.push(
                        Diagnostic::error(
                            "certificate-fields",
                            c.kind.span(),
                            "a `client-tls` certificate needs `subsystem`",
                        )
                        .with_help("add `subsystem = \"<subsystem code>\"`"),
                    );
                }
            }
        }
        let expires = match &c.expires {
            Some(exp) => {
                let date = self.date(exp);
                if let (Some(e), Some(today)) = (date, packet_date)
                    && e < today
                {
                    self.out.push(
                        Diagnostic::warning("certificate-expired", exp.span(), format!("this certificate expired on {e}, before the packet date {today}"))
                            .with_help("renew it now: a new key and CSR, an application in DVV's e-services, installation and registration"),
                    );
                }
                date.map(Some)
            }
            None => Some(None),
        };
        Some(KnownCertificate {
            kind: kind?,
            instance: instance?,
            member: c.member.as_ref().map(|m| m.value.clone()),
            subsystem: c.subsystem.as_ref().map(|s| s.value.clone()),
            expires: expires?,
            file: c.file.as_ref().map(|f| f.value.clone()),
            file_info: None,
        })
    }
}

/// An organisation of the checked model, from its parsed parts.
fn organisation(
    name: &Sp<String>,
    class: Option<MemberClass>,
    code: &Sp<String>,
    address: &Option<Sp<String>>,
    contacts: Option<Vec<checked::Contact>>,
    subsystems: Option<Vec<checked::Subsystem>>,
) -> Option<checked::Organisation> {
    Some(checked::Organisation {
        name: name.value.clone(),
        names: BTreeMap::new(),
        class: class?,
        code: code.value.clone(),
        address: address.as_ref().map(|a| a.value.clone()),
        contacts: contacts?,
        subsystems: subsystems?,
    })
}

/// `s` in lower-case ASCII: accents dropped (`ä` → `a`, `é` → `e`, by canonical
/// decomposition), `ø` → `o`, `æ` → `ae`, `ß` → `ss` and the like; any other non-ASCII
/// character becomes `-`.
fn deaccent(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let mut out = String::with_capacity(s.len());
    for c in s.to_lowercase().nfd() {
        match c {
            c if c.is_ascii() => out.push(c),
            '\u{300}'..='\u{36f}' => {}
            'ø' => out.push('o'),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ß' => out.push_str("ss"),
            'đ' | 'ð' => out.push('d'),
            'ł' => out.push('l'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ => out.push('-'),
        }
    }
    out
}

/// The help for a host name with non-ASCII letters: the name written in ASCII, when that
/// gives a valid host name, else how to write one.
fn ascii_host_help(fqdn: &str) -> String {
    let ascii = deaccent(fqdn);
    let valid = xroad::check_fqdn(&ascii).iter().all(FqdnIssue::is_warning);
    if valid && ascii != fqdn {
        format!("write the name without Nordic or other non-ASCII letters, e.g. `{ascii}`")
    } else {
        "write the name with ASCII letters `a-z`, digits and `-` only (no Nordic or other non-ASCII letters)".to_string()
    }
}

fn days_in_month_help(d: Date) -> String {
    if !(1..=12).contains(&d.month) {
        return "months are 01–12".to_string();
    }
    let last = (28..=31u8)
        .rev()
        .find(|day| jiff::civil::Date::new(d.year as i16, d.month as i8, *day as i8).is_ok())
        .unwrap_or(28);
    format!("{:04}-{:02} has {last} days", d.year, d.month)
}

/// The largest fee or cap accepted, in euros (SPEC §6.3).
pub const MAX_EUROS: f64 = 1_000_000_000.0;

/// Checks an amount in euros (a fee, a liability cap): zero or more, at most
/// [`MAX_EUROS`], at most two decimals (cents). `what` names it in the message, e.g. "the
/// annual fee". The error points at the value.
pub fn euros(amount: &Sp<crate::model::Euros>, what: &str) -> Option<Diagnostic> {
    let v = amount.0;
    let error = |message: String, help: &str| {
        Some(Diagnostic::error("amount", amount.span(), message).with_help(help))
    };
    if !v.is_finite() || v < 0.0 {
        return error(
            format!("{what} must be zero or more euros"),
            "write the amount in euros without a sign, e.g. `1200` or `1200.50`",
        );
    }
    if v > MAX_EUROS {
        return error(
            format!("{what} of {v} EUR is above 1,000,000,000 EUR"),
            "write the amount in euros, not in cents; an amount above one billion euros is a mistake",
        );
    }
    // The shortest text that reads back as the same number is what the file wrote.
    let text = v.to_string();
    if text
        .split_once('.')
        .is_some_and(|(_, decimals)| decimals.len() > 2)
    {
        return error(
            format!("{what} `{text}` has more than two decimals"),
            "write euros with at most two decimals (cents), e.g. `1200.50`",
        );
    }
    None
}

/// A plain check of an e-mail address: one `@`, a non-empty local part without spaces, a
/// domain with a dot and valid host characters, within the limits of RFC 5321.
pub fn is_email(s: &str) -> bool {
    email_problem(s).is_none()
}

/// What is wrong with an e-mail address, if anything: the limits of RFC 5321 (local part at
/// most 64 characters, the address at most 254, domain labels 1–63) and a domain that is a
/// host name rather than an IP literal.
pub fn email_problem(s: &str) -> Option<&'static str> {
    let Some((local, domain)) = s.split_once('@') else {
        return Some("it has no `@`");
    };
    if s.len() > 254 {
        return Some("it is longer than 254 characters");
    }
    let local_ok = !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    if !local_ok {
        return Some("the part before `@` is empty or has characters not allowed there");
    }
    if local.len() > 64 {
        return Some("the part before `@` is longer than 64 characters");
    }
    if domain.starts_with('[') || xroad::parse_ipv4(domain).is_some() {
        return Some("its domain is an IP address; give a domain name");
    }
    if !domain.contains('.') {
        return Some("its domain has no `.`");
    }
    for l in domain.split('.') {
        if l.is_empty()
            || l.starts_with('-')
            || l.ends_with('-')
            || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Some(
                "a label of its domain is empty, starts or ends with `-`, or has characters other than `a-z`, digits and `-`",
            );
        }
        if l.len() > 63 {
            return Some("a label of its domain is longer than 63 characters");
        }
    }
    if domain
        .rsplit('.')
        .next()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some("its domain ends in digits, which no top-level domain is");
    }
    None
}

/// Whether a phone number is in international form: `+`, a country code, digits, spaces and dashes.
pub fn is_international_phone(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('+') else {
        return false;
    };
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    rest.starts_with(|c: char| c.is_ascii_digit() && c != '0')
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && (7..=15).contains(&digits)
}

fn international_phone_help(s: &str) -> String {
    let digits: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    match digits.strip_prefix('0') {
        Some(rest) if !rest.starts_with('0') && rest.chars().all(|c| c.is_ascii_digit()) => {
            format!("a Finnish number in international form: `+358 {rest}`")
        }
        _ => "write it with the country code, e.g. `+358 40 123 4567`".to_string(),
    }
}

/// Whether a member's documents are final: `--final`, else its own `stage`, else the packet's.
fn member_is_final(input: &Input, m: &Member, cli_final: bool) -> bool {
    cli_final
        || match m.stage.as_ref().and_then(|s| Stage::parse(s)) {
            Some(stage) => stage == Stage::Final,
            None => is_final(input),
        }
}

/// E-mail domains that are reserved for examples and tests (RFC 2606, RFC 6761): a
/// placeholder, not an address anyone reads.
pub fn is_placeholder_email(email: &str) -> bool {
    let domain = email
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let last = domain.rsplit('.').next().unwrap_or("");
    ["example", "test", "invalid", "localhost"].contains(&last)
        || ["example.com", "example.net", "example.org"]
            .iter()
            .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
}

/// The rules of SPEC §6.2's agreement terms, names per language, the data processing annex
/// and extra clauses.
impl Validator {
    /// A member's stage: its own, else the packet's; `--final` makes it final.
    fn member_stage(&mut self, m: &Member, packet: Option<Stage>) -> Option<Stage> {
        let stage = match &m.stage {
            Some(s) => self.one_of::<Stage>("stage", "stage", s)?,
            None => packet?,
        };
        Some(if self.cli_final { Stage::Final } else { stage })
    }

    /// The packet's language, when it parsed.
    fn packet_language(&self, input: &Input) -> Option<Lang> {
        Lang::parse(&input.packet.language)
    }

    /// A placeholder e-mail address: a warning in draft mode, an error in final mode.
    fn placeholder_email(&mut self, email: &Sp<String>) {
        if is_placeholder_email(email) {
            self.placeholder(
                "email-placeholder",
                email.span(),
                format!(
                    "`{}` is in a domain reserved for examples: a placeholder, not a real address",
                    email.value
                ),
                "put the organisation's real address here before the documents are sent",
            );
        }
    }

    /// Values given per language (`names`, `places`): each key a language, each value not empty.
    fn per_language(
        &mut self,
        values: &BTreeMap<Sp<String>, Sp<String>>,
        what: &str,
    ) -> Option<BTreeMap<Lang, String>> {
        let mut out = Some(BTreeMap::new());
        for (key, value) in values {
            let lang = self.one_of::<Lang>("language", "language", key);
            if value.trim().is_empty() {
                self.out.push(
                    Diagnostic::error("empty-value", value.span(), format!("the {what} in `{}` is empty", key.value))
                        .with_help(format!("give the {what} in that language, or remove the key to use the official one")),
                );
                out = None;
            }
            match (lang, out.as_mut()) {
                (Some(l), Some(o)) => _ = o.insert(l, value.value.clone()),
                (None, _) => out = None,
                _ => {}
            }
        }
        out
    }

    /// The agreement's conditions: each from `[members.agreement]`, else from `[terms]`.
    fn conditions(
        &mut self,
        terms: &crate::model::Terms,
        own: Option<&crate::model::Agreement>,
    ) -> Option<checked::Conditions> {
        fn pick<'a, T>(own: Option<&'a Option<T>>, default: &'a Option<T>) -> Option<&'a T> {
            own.and_then(Option::as_ref).or(default.as_ref())
        }
        let venue = pick(own.map(|a| &a.venue), &terms.venue);
        let cap = pick(own.map(|a| &a.liability_cap_eur), &terms.liability_cap_eur);
        let availability = pick(
            own.map(|a| &a.availability_percent),
            &terms.availability_percent,
        );
        let window = pick(
            own.map(|a| &a.maintenance_window),
            &terms.maintenance_window,
        );
        let response = pick(own.map(|a| &a.response_hours), &terms.response_hours);
        let vat = pick(own.map(|a| &a.vat), &terms.vat);
        let payment = pick(own.map(|a| &a.payment_days), &terms.payment_days);
        let mut ok = true;
        for text in [venue, window].into_iter().flatten() {
            if text.trim().is_empty() {
                self.out.push(
                    Diagnostic::error("empty-value", text.span(), "the value is empty")
                        .with_help("give a value or remove the key"),
                );
                ok = false;
            }
        }
        if let Some(c) = cap
            && !(c.0.is_finite() && c.0 >= 0.0)
        {
            self.out.push(Diagnostic::error(
                "invalid-value",
                c.span(),
                "the liability cap must be zero or more euros",
            ));
            ok = false;
        }
        if let Some(a) = availability
            && !(a.value.is_finite() && a.value > 0.0 && a.value <= 100.0)
        {
            self.out.push(
                Diagnostic::error(
                    "invalid-value",
                    a.span(),
                    format!(
                        "an availability of {} % is not a share of the time",
                        a.value
                    ),
                )
                .with_help("give a percentage above 0 and at most 100, e.g. `99.5`"),
            );
            ok = false;
        }
        for (n, what) in [(response, "response time"), (payment, "payment term")] {
            if let Some(n) = n
                && n.value == 0
            {
                self.out.push(
                    Diagnostic::error(
                        "invalid-value",
                        n.span(),
                        format!("a {what} of 0 cannot be met"),
                    )
                    .with_help("give at least 1, or remove the key for the usual text"),
                );
                ok = false;
            }
        }
        let vat = match vat {
            Some(v) => Some(self.one_of::<checked::Vat>("vat", "VAT treatment", v)?),
            None => None,
        };
        ok.then(|| checked::Conditions {
            venue: venue.map(|v| v.value.clone()),
            liability_cap_eur: cap.map(|c| c.0),
            availability_percent: availability.map(|a| a.value),
            maintenance_window: window.map(|w| w.value.clone()),
            response_hours: response.map(|r| r.value),
            vat,
            payment_days: payment.map(|p| p.value),
        })
    }

    /// The data processing annex's facts with X-Road's defaults.
    fn data_processing(
        &mut self,
        dp: Option<&crate::model::DataProcessing>,
    ) -> Option<checked::DataProcessing> {
        let Some(dp) = dp else {
            return Some(checked::DataProcessing::default());
        };
        let mut ok = true;
        if let Some(days) = &dp.log_retention_days
            && days.value == 0
        {
            self.out.push(
                Diagnostic::error("invalid-value", days.span(), "the message log cannot keep records for 0 days")
                    .with_help("give the days the server keeps log records (X-Road's `keep-records-for`, 30 by default), or turn body logging off with `message_body_logging = false`"),
            );
            ok = false;
        }
        if let Some(h) = &dp.breach_notice_hours {
            if h.value == 0 {
                self.out.push(
                    Diagnostic::error(
                        "invalid-value",
                        h.span(),
                        "a breach notice time of 0 hours cannot be met",
                    )
                    .with_help("give the hours, e.g. `24`"),
                );
                ok = false;
            } else if h.value >= 72 {
                self.out.push(
                    Diagnostic::warning("breach-notice-late", h.span(), format!("a breach notice {} hours after the owner learns of it leaves the member no time to notify the supervisory authority within 72 hours", h.value))
                        .with_help("GDPR Art. 33 gives the controller 72 hours in all; 24 hours is usual for a processor"),
                );
            }
        }
        for v in dp
            .data_categories
            .iter()
            .chain(&dp.data_subjects)
            .chain(&dp.sub_processors)
        {
            if v.trim().is_empty() {
                self.out.push(
                    Diagnostic::error("empty-value", v.span(), "the list entry is empty")
                        .with_help("remove the empty entry"),
                );
                ok = false;
            }
        }
        let list = |v: &[Sp<String>]| v.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
        ok.then(|| checked::DataProcessing {
            message_body_logging: dp
                .message_body_logging
                .as_ref()
                .map_or(checked::DataProcessing::BODY_LOGGING, |b| b.value),
            log_retention_days: dp
                .log_retention_days
                .as_ref()
                .map_or(checked::DataProcessing::RETENTION_DAYS, |d| d.value),
            data_categories: list(&dp.data_categories),
            data_subjects: list(&dp.data_subjects),
            breach_notice_hours: dp
                .breach_notice_hours
                .as_ref()
                .map_or(checked::DataProcessing::BREACH_NOTICE_HOURS, |h| h.value),
            sub_processors: list(&dp.sub_processors),
        })
    }

    /// A member's extra clauses: a section of its agreement, and a text in every language its
    /// documents are built in (its own and `--lang`'s).
    fn extra_clauses(
        &mut self,
        m: &Member,
        own: Option<Lang>,
    ) -> Option<Vec<checked::ExtraClause>> {
        let provides = m
            .subsystems
            .iter()
            .any(|s| s.provides_services.as_ref().is_some_and(|p| p.value));
        let mut needed: BTreeSet<Lang> = self.langs.iter().copied().collect();
        needed.extend(own);
        let mut out = Some(Vec::new());
        for c in &m.clauses {
            let sections = crate::documents::AGREEMENT_SECTIONS;
            let mut ok = true;
            if !sections.contains(&c.section.as_str()) {
                self.unknown_reference(&c.section, "section", &sections, "the agreement has");
                ok = false;
            } else if c.section.value == crate::documents::SERVICES_SECTION && !provides {
                self.out.push(
                    Diagnostic::error(
                        "unknown-reference",
                        c.section.span(),
                        format!("member `{}`'s agreement has no `services` section: none of its subsystems provides services", m.id.value),
                    )
                    .with_help("put the clause in another section, e.g. `subsystems`, or mark the subsystem with `provides_services = true`"),
                );
                ok = false;
            }
            let mut texts = BTreeMap::new();
            for lang in Lang::ALL {
                match c.text(lang) {
                    Some(t) if t.trim().is_empty() => {
                        self.out.push(
                            Diagnostic::error("empty-value", t.span(), "the clause text is empty")
                                .with_help("write the clause, or remove the key"),
                        );
                        ok = false;
                    }
                    Some(t) => _ = texts.insert(lang, t.value.clone()),
                    None if needed.contains(&lang) => {
                        self.out.push(
                            Diagnostic::error(
                                "missing-translation",
                                c.section.span(),
                                format!("the extra clause has no `{}` text, but member `{}`'s documents are built in that language", lang.code(), m.id.value),
                            )
                            .with_help(format!("add `{} = \"…\"` to this `[[members.clauses]]` entry", lang.code())),
                        );
                        ok = false;
                    }
                    None => {}
                }
            }
            match (ok, out.as_mut()) {
                (true, Some(o)) => o.push(checked::ExtraClause {
                    section: c.section.value.clone(),
                    texts,
                }),
                _ => out = None,
            }
        }
        out
    }
}

#[cfg(test)]
mod agreement_tests {
    use super::is_placeholder_email;

    /// The domains reserved for examples and tests (RFC 2606, RFC 6761) are placeholders;
    /// a real domain that merely contains such a word is not.
    #[test]
    fn placeholder_email_domains() {
        for e in [
            "it@pikkula.example",
            "a@b.test",
            "a@b.invalid",
            "a@localhost.localhost",
            "a@example.com",
            "a@mail.example.net",
            "a@EXAMPLE.ORG",
            "a@x.example.",
        ] {
            assert!(is_placeholder_email(e), "{e}");
        }
        for e in [
            "it@pikkula.fi",
            "a@example.fi",
            "a@myexample.com",
            "a@test.fi",
        ] {
            assert!(!is_placeholder_email(e), "{e}");
        }
    }
}
