//! The input file of SPEC §2 as strict serde types.
//!
//! Every value that a diagnostic may point at is wrapped in [`Sp`], which keeps its byte
//! span in the source. Enumerated values (classes, instances, roles…) are read as strings
//! here and parsed once by [`crate::validate`], which reports an unknown one with the nearest
//! valid value and hands the enum on to the checked model; the JSON Schema lists the allowed
//! values for editors, taken from each enumeration's one list of codes.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};

use crate::arrangement::{Lang, Party, Platform, Role, Stage};
use crate::xroad::{CertKind, Instance, MemberClass};

/// A value with the byte span it came from.
#[derive(Debug, Clone)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the source file.
    pub span: Range<usize>,
}

impl<T> Sp<T> {
    /// The span, cloned, for a diagnostic.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Sp<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T: Eq> Eq for Sp<T> {}
impl<T: Ord> PartialOrd for Sp<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Ord> Ord for Sp<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = toml::Spanned::<T>::deserialize(d)?;
        let span = s.span();
        Ok(Sp {
            value: s.into_inner(),
            span,
        })
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A calendar date as written in TOML (`2026-12-01`), kept as its parts so that an
/// impossible date can be reported by validation rather than lost in parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12 when valid.
    pub month: u8,
    /// Day, 1–31 when valid.
    pub day: u8,
}

impl Date {
    /// The date as a `jiff` civil date, or `None` when it is not a real calendar date.
    pub fn civil(self) -> Option<jiff::civil::Date> {
        jiff::civil::Date::new(self.year as i16, self.month as i8, self.day as i8).ok()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => Ok(Date {
                year: date.year,
                month: date.month,
                day: date.day,
            }),
            _ => Err(D::Error::custom(format!(
                "expected a date without a time, like `2026-12-01`, found `{dt}`"
            ))),
        }
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "format": "date", "description": "A TOML local date, e.g. 2026-12-01."})
    }
}

/// An amount of money in euros, written as an integer or a decimal number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Euros(pub f64);

impl<'de> Deserialize<'de> for Euros {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Euros;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount in euros")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Euros, E> {
                Ok(Euros(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Euros, E> {
                Ok(Euros(v as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Euros, E> {
                Ok(Euros(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Euros {
    fn schema_name() -> Cow<'static, str> {
        "Euros".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "number", "minimum": 0, "maximum": 1_000_000_000})
    }
}

/// The whole input file: one owner, its servers and the organisations that join them.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "xroad-share input",
    description = "A shared X-Road security server arrangement."
)]
pub struct Input {
    /// Settings for the documents as a whole.
    pub packet: Packet,
    /// The organisation that owns and administers the security servers.
    pub owner: Owner,
    /// The owner's security servers, one per instance.
    #[serde(default)]
    pub servers: Vec<Server>,
    /// Every organisation that joins the owner's servers.
    #[serde(default)]
    pub members: Vec<Member>,
    /// Known certificates.
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// Which warnings to silence.
    #[serde(default)]
    pub lints: Option<Lints>,
    /// Defaults for every member's agreement; `[members.agreement]` may override each.
    #[serde(default)]
    pub terms: Option<Terms>,
}

/// The terms every agreement uses unless `[members.agreement]` says otherwise (SPEC §6.2).
/// Finnish law always applies.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// The court of first instance for disputes, e.g. `Vaasan käräjäoikeus`.
    #[serde(default)]
    pub venue: Option<Sp<String>>,
    /// The cap on either party's liability in euros per calendar year; default: the annual fee.
    #[serde(default)]
    pub liability_cap_eur: Option<Sp<Euros>>,
    /// The security server's availability the owner aims at, in percent per calendar month.
    #[serde(default)]
    pub availability_percent: Option<Sp<f64>>,
    /// The regular maintenance window, e.g. `Tue 18–20`.
    #[serde(default)]
    pub maintenance_window: Option<Sp<String>>,
    /// How soon the owner starts handling a reported incident, in working hours.
    #[serde(default)]
    pub response_hours: Option<Sp<u32>>,
    /// How the fee relates to VAT: `excluded` (VAT is added), `included` or `none` (no VAT is charged).
    #[serde(default)]
    #[schemars(extend("enum" = crate::arrangement::Vat::CODES))]
    pub vat: Option<Sp<String>>,
    /// Days to pay an invoice.
    #[serde(default)]
    pub payment_days: Option<Sp<u32>>,
}

/// The GDPR Art. 28 annex of one member (SPEC §6.4); defaults are X-Road's.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataProcessing {
    /// Whether the message log keeps message bodies (X-Road's default: `true`); `false` keeps
    /// only the metadata of the member's messages.
    #[serde(default)]
    pub message_body_logging: Option<Sp<bool>>,
    /// Days the message log keeps records on the server (X-Road's default: 30).
    #[serde(default)]
    pub log_retention_days: Option<Sp<u32>>,
    /// Categories of personal data in the member's messages, e.g. `henkilötunnus`.
    #[serde(default)]
    pub data_categories: Vec<Sp<String>>,
    /// Categories of data subjects, e.g. `kunnan asukkaat`.
    #[serde(default)]
    pub data_subjects: Vec<Sp<String>>,
    /// Hours from becoming aware of a personal data breach to telling the member (default 24).
    #[serde(default)]
    pub breach_notice_hours: Option<Sp<u32>>,
    /// The owner's sub-processors, e.g. its IT service provider; none when empty.
    #[serde(default)]
    pub sub_processors: Vec<Sp<String>>,
}

/// An extra clause of one member's agreement (SPEC §6.2), numbered by the tool.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtraClause {
    /// The agreement's section it goes in, e.g. `costs` (`xroad-share templates --sections`).
    pub section: Sp<String>,
    /// The text in Finnish.
    #[serde(default)]
    pub fi: Option<Sp<String>>,
    /// The text in Swedish.
    #[serde(default)]
    pub sv: Option<Sp<String>>,
    /// The text in English.
    #[serde(default)]
    pub en: Option<Sp<String>>,
}

impl ExtraClause {
    /// The text in a language, when given.
    pub fn text(&self, lang: Lang) -> Option<&Sp<String>> {
        match lang {
            Lang::Fi => self.fi.as_ref(),
            Lang::Sv => self.sv.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }
}

/// Which warnings to silence (SPEC §6.2).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lints {
    /// Warning codes that are not reported, e.g. `missing-permit`; errors cannot be allowed.
    #[serde(default)]
    #[schemars(extend("items" = {"enum": crate::lints::WARNINGS}))]
    pub allow: Vec<Sp<String>>,
}

/// Settings for the documents as a whole.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Packet {
    /// The default document language: `fi`, `sv` or `en`.
    #[schemars(extend("enum" = Lang::CODES))]
    pub language: Sp<String>,
    /// The date printed on the documents; also the PDF creation date.
    pub date: Sp<Date>,
    /// The place of signing.
    #[serde(default)]
    pub place: Option<Sp<String>>,
    /// `draft` (default) or `final`; final turns placeholder warnings into errors.
    #[serde(default)]
    #[schemars(extend("enum" = Stage::CODES))]
    pub stage: Option<Sp<String>>,
    /// The place of signing in other languages, e.g. `{ sv = "Vasa" }`.
    #[serde(default)]
    pub places: BTreeMap<Sp<String>, Sp<String>>,
}

/// A person to contact at an organisation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// `technical`, `administrative` or `signatory`.
    #[schemars(extend("enum" = Role::CODES))]
    pub role: Sp<String>,
    /// The person's name.
    pub name: Sp<String>,
    /// E-mail address; DVV asks for a general, non-personal address for technical and administrative contacts.
    #[serde(default)]
    pub email: Option<Sp<String>>,
    /// Phone number in international form, e.g. `+358 40 123 4567`.
    #[serde(default)]
    pub phone: Option<Sp<String>>,
    /// Job title, e.g. for a signatory.
    #[serde(default)]
    pub title: Option<Sp<String>>,
    /// Whether `email` is a shared mailbox (of a team, an office or a position), not a person's: only shared addresses stay in `build --public`. Default: true for technical and administrative contacts, whose addresses DVV requires to be general and non-personal; false for signatories.
    #[serde(default)]
    pub shared: Option<Sp<bool>>,
    /// For a signatory: the right to sign, e.g. `kaupunginhallituksen päätös 12.11.2026 § 45`.
    #[serde(default)]
    pub authority: Option<Sp<String>>,
}

/// A subsystem of an organisation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subsystem {
    /// The subsystem code, e.g. `vtj-pikkula-client`.
    pub code: Sp<String>,
    /// The instances where the subsystem is registered: `FI-TEST`, `FI`, `FI-DEV`.
    #[schemars(extend("items" = {"enum": Instance::CODES}))]
    pub instances: Vec<Sp<String>>,
    /// What the subsystem is used for.
    #[serde(default)]
    pub purpose: Option<Sp<String>>,
    /// Whether the subsystem provides services to other members (not only consumes them): the
    /// owner then adds its service descriptions and grants access rights on the member's written request.
    #[serde(default)]
    pub provides_services: Option<Sp<bool>>,
}

/// The organisation that owns and administers the servers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// The organisation's official name.
    pub name: Sp<String>,
    /// The name in other document languages, e.g. `{ sv = "Länsikustannus Ab" }`; `name`
    /// stays the official one in identifiers and certificates.
    #[serde(default)]
    pub names: BTreeMap<Sp<String>, Sp<String>>,
    /// Member class: GOV, MUN, COM, EDU, ORG or PRI.
    #[schemars(extend("enum" = MemberClass::CODES))]
    pub member_class: Sp<String>,
    /// Member code: the Finnish Business ID (Y-tunnus), `NNNNNNN-C`.
    pub member_code: Sp<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<Sp<String>>,
    /// Contacts: technical, administrative and a signatory.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// The owner's own subsystems on its servers.
    #[serde(default)]
    pub subsystems: Vec<Subsystem>,
}

/// A security server of the owner.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// `FI`, `FI-TEST` or `FI-DEV`.
    #[schemars(extend("enum" = Instance::CODES))]
    pub instance: Sp<String>,
    /// The host name, in public DNS.
    pub fqdn: Sp<String>,
    /// The public IPv4 address other security servers connect to.
    pub ipv4: Sp<String>,
    /// `ubuntu`, `rhel` or `sidecar`.
    #[schemars(extend("enum" = Platform::CODES))]
    pub platform: Sp<String>,
    /// The security server code; defaults to the first label of the FQDN.
    #[serde(default)]
    pub security_server_code: Option<Sp<String>>,
    /// The server's management REST API, e.g. `https://orglptest01.example.fi:4000/api/v1`, for `xroad-share sync`; HTTPS only.
    #[serde(default)]
    pub api_url: Option<Sp<String>>,
    /// The name of the environment variable that holds the API key for `api_url` (the key itself never goes in this file).
    #[serde(default)]
    pub api_key_env: Option<Sp<String>>,
    /// The admin UI's TLS certificate or its CA (PEM), relative to this file; without it, the server's certificate must chain to a public root CA.
    #[serde(default)]
    pub ca_file: Option<Sp<String>>,
}

/// An organisation that joins the owner's servers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// A short id for file names: `a-z`, `0-9` and `-`, 1–40 characters.
    pub id: Sp<String>,
    /// The organisation's official name.
    pub name: Sp<String>,
    /// The name in other document languages, e.g. `{ sv = "Kristinestads stad" }`; `name`
    /// stays the official one in identifiers and certificates.
    #[serde(default)]
    pub names: BTreeMap<Sp<String>, Sp<String>>,
    /// This member's stage, `draft` or `final`; overrides `[packet] stage`.
    #[serde(default)]
    #[schemars(extend("enum" = Stage::CODES))]
    pub stage: Option<Sp<String>>,
    /// Member class: GOV, MUN, COM, EDU, ORG or PRI.
    #[schemars(extend("enum" = MemberClass::CODES))]
    pub member_class: Sp<String>,
    /// Member code: the Finnish Business ID (Y-tunnus).
    pub member_code: Sp<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<Sp<String>>,
    /// This member's document language: `fi`, `sv` or `en`.
    #[serde(default)]
    #[schemars(extend("enum" = Lang::CODES))]
    pub language: Option<Sp<String>>,
    /// Deprecated and ignored: the internal TLS certificate is the server's own, created by the owner, who hands its public part to every member.
    #[serde(default)]
    #[schemars(extend("enum" = Party::CODES))]
    pub internal_tls_by: Option<Sp<String>>,
    /// Who creates the TLS client certificate: `owner` or `member` (default).
    #[serde(default)]
    #[schemars(extend("enum" = Party::CODES))]
    pub client_tls_by: Option<Sp<String>>,
    /// Contacts: technical, administrative and a signatory.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// The member's subsystems on the owner's servers.
    #[serde(default)]
    pub subsystems: Vec<Subsystem>,
    /// The agreement's term and costs.
    #[serde(default)]
    pub agreement: Option<Agreement>,
    /// The authorisation for the owner to apply for the member's certificates.
    #[serde(default)]
    pub authorisation: Option<Authorisation>,
    /// Reference numbers of the user permit decisions, per instance.
    #[serde(default)]
    pub permits: BTreeMap<Sp<String>, Sp<String>>,
    /// Checklist state: phase id = date done.
    #[serde(default)]
    pub progress: BTreeMap<Sp<String>, Sp<Date>>,
    /// The data processing annex (GDPR Art. 28); X-Road's defaults when omitted.
    #[serde(default)]
    pub data_processing: Option<DataProcessing>,
    /// Extra clauses of this member's agreement.
    #[serde(default)]
    pub clauses: Vec<ExtraClause>,
}

/// The agreement's term and costs.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// The first day of the agreement.
    pub starts: Sp<Date>,
    /// The last day; omitted means until further notice.
    #[serde(default)]
    pub ends: Option<Sp<Date>>,
    /// Period of notice in months.
    #[serde(default)]
    pub notice_months: Option<Sp<u32>>,
    /// The annual fee in euros; `vat` says how it relates to VAT.
    #[serde(default)]
    pub annual_fee_eur: Option<Sp<Euros>>,
    /// Free text about costs and invoicing.
    #[serde(default)]
    pub cost_note: Option<Sp<String>>,
    /// Overrides `[terms] venue`.
    #[serde(default)]
    pub venue: Option<Sp<String>>,
    /// Overrides `[terms] liability_cap_eur`.
    #[serde(default)]
    pub liability_cap_eur: Option<Sp<Euros>>,
    /// Overrides `[terms] availability_percent`.
    #[serde(default)]
    pub availability_percent: Option<Sp<f64>>,
    /// Overrides `[terms] maintenance_window`.
    #[serde(default)]
    pub maintenance_window: Option<Sp<String>>,
    /// Overrides `[terms] response_hours`.
    #[serde(default)]
    pub response_hours: Option<Sp<u32>>,
    /// Overrides `[terms] vat`.
    #[serde(default)]
    #[schemars(extend("enum" = crate::arrangement::Vat::CODES))]
    pub vat: Option<Sp<String>>,
    /// Overrides `[terms] payment_days`.
    #[serde(default)]
    pub payment_days: Option<Sp<u32>>,
}

/// The member's authorisation for the owner.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Authorisation {
    /// The last day the authorisation is valid.
    pub valid_until: Sp<Date>,
}

/// A known certificate.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// `authentication`, `signing`, `internal-tls` or `client-tls`.
    #[schemars(extend("enum" = CertKind::CODES))]
    pub kind: Sp<String>,
    /// The instance of the server it belongs to.
    #[schemars(extend("enum" = Instance::CODES))]
    pub instance: Sp<String>,
    /// For signing and client-tls: the member id whose certificate it is.
    #[serde(default)]
    pub member: Option<Sp<String>>,
    /// For client-tls: the subsystem code.
    #[serde(default)]
    pub subsystem: Option<Sp<String>>,
    /// The expiry date.
    #[serde(default)]
    pub expires: Option<Sp<Date>>,
    /// A PEM certificate or CSR, relative to the input file.
    #[serde(default)]
    pub file: Option<Sp<String>>,
}

/// The JSON Schema of the input file, as pretty JSON (see [`crate::schema`]).
pub fn json_schema() -> String {
    crate::schema::json_schema()
}
