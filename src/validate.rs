//! The rules of SPEC §3: from a typed [`Input`] to diagnostics. Pure: no I/O, no clock.
//!
//! Certificate files are read by the caller and checked by [`crate::certs`]; everything else
//! about the input is checked here.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, nearest};
use crate::model::{Contact, Date, Input, Member, Sp, Subsystem};
use crate::phases;
use crate::xroad::{
    self, BusinessIdError, FqdnIssue, IdentifierError, Instance, Ipv4Kind, MemberClass,
};

/// How strictly to validate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Final mode (`stage = "final"` or `--final`): placeholders become errors.
    pub final_mode: bool,
}

/// Languages the documents are written in.
pub const LANGUAGES: [&str; 3] = ["fi", "sv", "en"];
const STAGES: [&str; 2] = ["draft", "final"];
const PLATFORMS: [&str; 3] = ["ubuntu", "rhel", "sidecar"];
const ROLES: [&str; 3] = ["technical", "administrative", "signatory"];
const PARTIES: [&str; 2] = ["owner", "member"];
/// The certificate kinds of SPEC §2.
pub const CERT_KINDS: [&str; 4] = ["authentication", "signing", "internal-tls", "client-tls"];

/// Whether the input asks for final mode by itself.
pub fn is_final(input: &Input) -> bool {
    input
        .packet
        .stage
        .as_ref()
        .is_some_and(|s| s.value == "final")
}

/// Checks every rule; returns the diagnostics sorted by position.
pub fn validate(input: &Input, options: Options) -> Vec<Diagnostic> {
    let mut v = Validator {
        out: Vec::new(),
        final_mode: options.final_mode || is_final(input),
    };
    v.input(input);
    crate::diagnostic::sort(&mut v.out);
    v.out
}

struct Validator {
    out: Vec<Diagnostic>,
    final_mode: bool,
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

    fn one_of(
        &mut self,
        code: &'static str,
        what: &str,
        value: &Sp<String>,
        allowed: &[&str],
    ) -> bool {
        if allowed.contains(&value.as_str()) {
            return true;
        }
        let mut d = Diagnostic::error(
            code,
            value.span(),
            format!("unknown {what} `{}`", value.value),
        );
        d = match nearest(value, allowed.iter().copied()) {
            Some(n) => d.with_help(format!("did you mean `{n}`?")),
            None => d.with_help(format!("use one of {}", backticks(allowed))),
        };
        self.out.push(d);
        false
    }

    fn input(&mut self, input: &Input) {
        let p = &input.packet;
        self.one_of("language", "language", &p.language, &LANGUAGES);
        if let Some(stage) = &p.stage {
            self.one_of("stage", "stage", stage, &STAGES);
        }
        self.date(&p.date);
        let packet_date = p.date.civil();

        // Servers.
        let mut server_set: BTreeSet<Instance> = BTreeSet::new();
        for s in &input.servers {
            if self.one_of("instance", "instance", &s.instance, &codes_of_instances())
                && let Some(i) = Instance::parse(&s.instance)
                && !server_set.insert(i)
            {
                self.out.push(
                    Diagnostic::error("duplicate-server", s.instance.span(), format!("a second server for instance `{i}`"))
                        .with_help("each instance needs exactly one server of the owner: remove or merge one of the `[[servers]]`"),
                );
            }
            self.one_of("platform", "platform", &s.platform, &PLATFORMS);
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
        }

        // The owner.
        let o = &input.owner;
        let owner_instances: BTreeSet<Instance> = server_set
            .iter()
            .copied()
            .chain(instances_of(&o.subsystems))
            .collect();
        self.organisation(
            &o.name,
            &o.member_class,
            &o.member_code,
            &owner_instances,
            "the owner",
        );
        self.contacts(&o.contacts, &o.name, "the owner");
        self.subsystems(&o.subsystems, &server_set);

        // Members.
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        let mut codes: BTreeSet<&str> = BTreeSet::new();
        for m in &input.members {
            self.member_id(&m.id, &mut ids);
            let instances = instances_of(&m.subsystems);
            self.organisation(
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
            if let Some(lang) = &m.language {
                self.one_of("language", "language", lang, &LANGUAGES);
            }
            for tls in [&m.internal_tls_by, &m.client_tls_by].into_iter().flatten() {
                self.one_of("tls-by", "party", tls, &PARTIES);
            }
            self.contacts(&m.contacts, &m.id, &format!("member `{}`", m.id.value));
            self.subsystems(&m.subsystems, &server_set);
            if m.subsystems.is_empty() {
                self.out.push(
                    Diagnostic::warning("no-subsystems", m.id.span(), format!("member `{}` has no subsystems", m.id.value))
                        .with_help("add `[[members.subsystems]]` with a `code` and the `instances` it is used in"),
                );
            }
            self.member_terms(m);
            self.permits(m, &instances);
            self.progress(m, &instances);
        }

        // Certificates.
        for c in &input.certificates {
            self.certificate(c, input, &server_set, packet_date);
        }
    }

    fn date(&mut self, d: &Sp<Date>) -> Option<jiff::civil::Date> {
        let civil = d.civil();
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
                    FqdnIssue::NonAscii(_) => d.with_help(format!(
                        "write the name without Nordic letters, e.g. `{}`",
                        deaccent(fqdn)
                    )),
                    FqdnIssue::SingleLabel => {
                        d.with_help("write the full name in public DNS, e.g. `orglp01.example.fi`")
                    }
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
    ) {
        if name.trim().is_empty() {
            self.out.push(Diagnostic::error(
                "empty-value",
                name.span(),
                format!("the name of {who} is empty"),
            ));
        }
        let class_ok = self.member_class(class);
        let pri = MemberClass::parse(class) == Some(MemberClass::Pri);
        let only_dev = !instances.is_empty() && instances.iter().all(|i| *i == Instance::Dev);
        if class_ok && pri && !only_dev {
            self.out.push(
                Diagnostic::warning("pri-outside-dev", class.span(), format!("{who} has member class `PRI` outside `FI-DEV`"))
                    .with_help("DVV lists private persons only in the development environment; organisations use GOV, MUN, COM, EDU or ORG"),
            );
        }
        if pri && only_dev {
            return;
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
                        d.with_help(format!("pad the body with a leading 0: `{padded}`"))
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
    }

    fn member_class(&mut self, class: &Sp<String>) -> bool {
        if MemberClass::parse(class).is_some() {
            return true;
        }
        let all: Vec<&str> = MemberClass::ALL.iter().map(|c| c.code()).collect();
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
        false
    }

    fn contacts(&mut self, contacts: &[Contact], anchor: &Sp<String>, who: &str) {
        let mut roles = BTreeSet::new();
        for c in contacts {
            if self.one_of("contact-role", "contact role", &c.role, &ROLES) {
                roles.insert(c.role.value.as_str());
            } else if let Some(n) = nearest(&c.role, ROLES) {
                // Already reported with `n` as help: don't also report `n` as missing.
                roles.insert(n);
            }
            if let Some(email) = &c.email {
                if !is_email(email) {
                    self.out.push(
                        Diagnostic::error(
                            "email",
                            email.span(),
                            format!("`{}` is not an e-mail address", email.value),
                        )
                        .with_help("write it as `name@domain.fi`"),
                    );
                }
            } else if matches!(c.role.as_str(), "technical" | "administrative") {
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
        }
        for role in ["technical", "administrative"] {
            if !roles.contains(role) {
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
        if !roles.contains("signatory") {
            self.placeholder(
                "missing-signatory",
                anchor.span(),
                format!("{who} has no signatory"),
                "add a `contacts` entry with `role = \"signatory\"`, the person who signs the agreement",
            );
        }
    }

    fn subsystems(&mut self, subsystems: &[Subsystem], servers: &BTreeSet<Instance>) {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
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
            for i in &s.instances {
                if !self.one_of("instance", "instance", i, &codes_of_instances()) {
                    continue;
                }
                let Some(inst) = Instance::parse(i) else {
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
        }
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

    fn member_terms(&mut self, m: &Member) {
        let mut agreement_end: Option<Option<jiff::civil::Date>> = None;
        if let Some(a) = &m.agreement {
            let starts = self.date(&a.starts);
            let ends = a.ends.as_ref().and_then(|e| self.date(e).map(|d| (d, e)));
            if let (Some(s), Some((e, sp))) = (starts, ends)
                && e < s
            {
                self.out.push(
                    Diagnostic::error("date-order", sp.span(), format!("the agreement ends ({e}) before it starts ({s})"))
                        .with_help("check `starts` and `ends`, or omit `ends` for an agreement until further notice"),
                );
            }
            agreement_end = Some(ends.map(|(d, _)| d));
            if let Some(fee) = &a.annual_fee_eur
                && !(fee.0.is_finite() && fee.0 >= 0.0)
            {
                self.out.push(Diagnostic::error(
                    "invalid-value",
                    fee.span(),
                    "the annual fee must be zero or more euros",
                ));
            }
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
        match &m.authorisation {
            Some(auth) => {
                if let (Some(until), Some(end)) = (self.date(&auth.valid_until), agreement_end) {
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
            }
            None => self.out.push(
                Diagnostic::warning("missing-authorisation", m.id.span(), format!("member `{}` has no `[members.authorisation]`", m.id.value))
                    .with_help("since 6 May 2026 the owner applies for the member's certificates; add `valid_until` for the documented authorisation"),
            ),
        }
    }

    fn permits(&mut self, m: &Member, instances: &BTreeSet<Instance>) {
        let valid: Vec<&str> = instances.iter().map(|i| i.code()).collect();
        for (key, reference) in &m.permits {
            if !valid.contains(&key.as_str()) {
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
            if !m.permits.keys().any(|k| k.value == i.code()) {
                self.placeholder(
                    "missing-permit",
                    m.id.span(),
                    format!(
                        "member `{}` has no user permit decision reference for `{i}`",
                        m.id.value
                    ),
                    &format!(
                        "add `{i} = \"DVV/…\"` under `[members.permits]` when the decision arrives"
                    ),
                );
            }
        }
    }

    fn progress(&mut self, m: &Member, instances: &BTreeSet<Instance>) {
        let ordered: Vec<Instance> = instances.iter().copied().collect();
        let ids = phases::all_ids(&ordered);
        for (key, date) in &m.progress {
            if !ids.contains(&key.value) {
                self.unknown_reference(
                    key,
                    "phase",
                    &ids.iter().map(String::as_str).collect::<Vec<_>>(),
                    &format!("member `{}` has", m.id.value),
                );
            }
            self.date(date);
        }
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
    ) {
        let kind_ok = self.one_of("certificate-kind", "certificate kind", &c.kind, &CERT_KINDS);
        if self.one_of("instance", "instance", &c.instance, &codes_of_instances())
            && let Some(i) = Instance::parse(&c.instance)
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
        let needs_member = matches!(c.kind.as_str(), "signing" | "client-tls");
        let member = match &c.member {
            Some(mid) => {
                let found = input.members.iter().find(|m| m.id.value == mid.value);
                if found.is_none() {
                    let ids: Vec<&str> = input.members.iter().map(|m| m.id.as_str()).collect();
                    self.unknown_reference(mid, "member", &ids, "are listed");
                }
                if kind_ok && !needs_member {
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
                if kind_ok && needs_member {
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
                if kind_ok && c.kind.value != "client-tls" {
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
                if kind_ok && c.kind.value == "client-tls" {
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
        if let Some(exp) = &c.expires
            && let (Some(e), Some(today)) = (self.date(exp), packet_date)
            && e < today
        {
            self.out.push(
                Diagnostic::warning("certificate-expired", exp.span(), format!("this certificate expired on {e}, before the packet date {today}"))
                    .with_help("renew it now: a new key and CSR, an application in DVV's e-services, installation and registration"),
            );
        }
    }
}

fn codes_of_instances() -> [&'static str; 3] {
    Instance::ALL.map(Instance::code)
}

fn backticks(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn deaccent(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ä' | 'å' | 'Ä' | 'Å' => 'a',
            'ö' | 'Ö' => 'o',
            'ü' | 'Ü' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect()
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

/// A plain check of an e-mail address: one `@`, a non-empty local part without spaces, a
/// domain with a dot and valid host characters.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && domain.contains('.')
        && domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
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
