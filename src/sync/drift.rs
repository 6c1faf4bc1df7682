//! The difference between the file and what one security server says, and what the server
//! proves: phases done and certificate expiries. Pure: no I/O, no clock.
//!
//! The server proves, per member and instance (SPEC §6.4 phase ids):
//!
//! | phase | when |
//! | --- | --- |
//! | `add-subsystem/I` | every subsystem of the member in `I` is a client of the server |
//! | `registration-request/I` | …and each one's registration request was sent (`REGISTRATION_IN_PROGRESS` or later) |
//! | `central-registration/I` | …and each one is registered (`REGISTERED`, or a disabling state, which only a registered client can reach) |
//! | `sign-key/I` | a signing key holds a CSR or a certificate for the member |
//! | `sign-cert-installed/I` | a signing key holds a certificate for the member |
//! | `sign-cert-registered/I` | such a certificate is `REGISTERED` |
//!
//! Certificate expiries: the member's signing certificate per instance, the server's
//! authentication certificate and its internal TLS certificate. Where a key holds several
//! certificates (a renewal), the latest expiry among the registered ones counts, else the
//! latest of all.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::api::{CertificateDetails, CertificateStatus, ClientStatus, KeyUsage, MemberId};
use super::client::Snapshot;
use crate::arrangement::Arrangement;
use crate::phases;
use crate::register::CertKind;
use crate::xroad::{self, Instance};

/// What kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftKind {
    /// The server reports a different instance than the file's server.
    InstanceDiffers,
    /// A subsystem on the server is not in the file (for this instance).
    SubsystemNotInFile,
    /// A subsystem in the file is not on the server.
    SubsystemNotOnServer,
    /// The server has the member (by code) in another member class.
    MemberClassDiffers,
    /// The server has the subsystem under another member code.
    MemberCodeDiffers,
    /// A member client on the server that the file does not know.
    MemberNotInFile,
    /// A certificate's expiry on the server differs from the file's.
    ExpiryDiffers,
    /// A signing key or certificate for a member the file does not know.
    SigningForUnknownMember,
}

impl DriftKind {
    /// A short description for the terminal table.
    pub fn describe(self) -> &'static str {
        match self {
            DriftKind::InstanceDiffers => "other instance",
            DriftKind::SubsystemNotInFile => "on the server, not in the file",
            DriftKind::SubsystemNotOnServer => "in the file, not on the server",
            DriftKind::MemberClassDiffers => "member class differs",
            DriftKind::MemberCodeDiffers => "member code differs",
            DriftKind::MemberNotInFile => "member not in the file",
            DriftKind::ExpiryDiffers => "expiry differs",
            DriftKind::SigningForUnknownMember => "signing for an unknown member",
        }
    }
}

/// One difference between the file and the server.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Drift {
    /// What kind.
    pub kind: DriftKind,
    /// The X-Road identifier or certificate concerned.
    pub identifier: String,
    /// The file's member id, when the difference belongs to a member of the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// What the file says, if anything.
    pub file: Option<String>,
    /// What the server says, if anything.
    pub server: Option<String>,
}

/// A phase that the server proves done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvenPhase {
    /// The member id.
    pub member: String,
    /// The phase id, e.g. `add-subsystem/FI-TEST`.
    pub phase: String,
    /// What on the server proves it.
    pub evidence: String,
    /// The date already in the file's `progress`, which is kept.
    #[serde(serialize_with = "super::report::optional_date")]
    pub recorded: Option<jiff::civil::Date>,
}

/// A certificate expiry that the server shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvenExpiry {
    /// Which certificate.
    pub kind: CertKind,
    /// The instance.
    pub instance: Instance,
    /// The member id, for a signing certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// The expiry on the server (UTC date of `not_after`).
    #[serde(serialize_with = "super::report::date")]
    pub expires: jiff::civil::Date,
    /// The expiry the file knows (from `expires`, or the entry's certificate file).
    #[serde(serialize_with = "super::report::optional_date")]
    pub file: Option<jiff::civil::Date>,
    /// The entry's certificate file, when it has one: the file's expiry wins, so `expires`
    /// is not written; the file should be replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_file: Option<String>,
    /// What on the server shows it.
    pub evidence: String,
}

impl ProvenExpiry {
    /// Whether `[[certificates]]` should get this expiry.
    pub fn to_write(&self) -> bool {
        self.certificate_file.is_none() && self.file != Some(self.expires)
    }
}

/// Everything found on one server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Findings {
    /// Differences, sorted.
    pub drift: Vec<Drift>,
    /// Phases the server proves, in checklist order per member.
    pub progress: Vec<ProvenPhase>,
    /// Certificate expiries the server shows.
    pub certificates: Vec<ProvenExpiry>,
}

/// An organisation of the file: the owner (`member` is `None`) or a member.
struct Org<'a> {
    member: Option<&'a str>,
    class: &'a str,
    code: &'a str,
    subsystems: Vec<&'a str>,
}

/// Compares the file with a snapshot of the file's server in `instance`.
pub fn compare(a: &Arrangement, instance: Instance, snap: &Snapshot) -> Findings {
    let inst = instance.code();
    let mut orgs = vec![Org {
        member: None,
        class: a.owner.class.code(),
        code: &a.owner.code,
        subsystems: subsystems_in(&a.owner.subsystems, instance),
    }];
    orgs.extend(a.members.iter().map(|m| Org {
        member: Some(&m.id),
        class: m.org.class.code(),
        code: &m.org.code,
        subsystems: subsystems_in(&m.org.subsystems, instance),
    }));
    let by_code = |code: &str| orgs.iter().find(|o| o.code == code);

    let mut drift: BTreeSet<Drift> = BTreeSet::new();
    // (org index, subsystem code) → status, for the file's subsystems found on the server.
    let mut seen: BTreeMap<(usize, String), Option<ClientStatus>> = BTreeMap::new();
    // The file's subsystems found under another member class or code (already reported).
    let mut explained: BTreeSet<(usize, String)> = BTreeSet::new();

    for c in &snap.clients {
        let c_inst = c
            .instance_id
            .clone()
            .or_else(|| {
                c.id.as_ref()
                    .and_then(|i| i.split(':').next().map(str::to_string))
            })
            .unwrap_or_else(|| inst.to_string());
        let status = c.status.map(|s| s.code().to_string());
        let ident = match &c.subsystem_code {
            Some(s) => format!(
                "SUBSYSTEM:{c_inst}/{}/{}/{s}",
                c.member_class, c.member_code
            ),
            None => format!("MEMBER:{c_inst}/{}/{}", c.member_class, c.member_code),
        };
        if c_inst != inst {
            drift.insert(Drift {
                kind: DriftKind::InstanceDiffers,
                identifier: ident,
                member: None,
                file: Some(inst.to_string()),
                server: Some(c_inst),
            });
            continue;
        }
        let Some(sub) = c.subsystem_code.as_deref() else {
            // A member client: the owner, or a member added as a client.
            if c.owner == Some(true) && c.member_code != a.owner.code {
                drift.insert(Drift {
                    kind: DriftKind::MemberCodeDiffers,
                    identifier: ident,
                    member: None,
                    file: Some(format!("owner {}", a.owner.code)),
                    server: Some(format!("owner {}", c.member_code)),
                });
                continue;
            }
            match by_code(&c.member_code) {
                Some(o) if o.class != c.member_class => {
                    drift.insert(class_differs(ident, o, &c.member_class));
                }
                Some(_) => {}
                None => {
                    drift.insert(Drift {
                        kind: DriftKind::MemberNotInFile,
                        identifier: ident,
                        member: None,
                        file: None,
                        server: c.member_name.clone().or(status),
                    });
                }
            }
            continue;
        };
        let exact = orgs
            .iter()
            .position(|o| o.code == c.member_code && o.class == c.member_class);
        if let Some(i) = exact
            && orgs[i].subsystems.contains(&sub)
        {
            seen.insert((i, sub.to_string()), c.status);
            continue;
        }
        if let Some(i) = orgs
            .iter()
            .position(|o| o.code == c.member_code && o.class != c.member_class)
        {
            drift.insert(class_differs(ident, &orgs[i], &c.member_class));
            explained.insert((i, sub.to_string()));
            continue;
        }
        // No member has this code: if exactly one lists the subsystem, its code differs.
        let holders: Vec<usize> = (0..orgs.len())
            .filter(|&i| orgs[i].subsystems.contains(&sub))
            .collect();
        if exact.is_none()
            && let [i] = holders[..]
        {
            drift.insert(Drift {
                kind: DriftKind::MemberCodeDiffers,
                identifier: ident,
                member: orgs[i].member.map(str::to_string),
                file: Some(orgs[i].code.to_string()),
                server: Some(c.member_code.clone()),
            });
            explained.insert((i, sub.to_string()));
            continue;
        }
        drift.insert(Drift {
            kind: DriftKind::SubsystemNotInFile,
            identifier: ident,
            member: exact.and_then(|i| orgs[i].member.map(str::to_string)),
            file: None,
            server: status,
        });
    }
    for (i, o) in orgs.iter().enumerate() {
        for sub in &o.subsystems {
            let key = (i, sub.to_string());
            if !seen.contains_key(&key) && !explained.contains(&key) {
                drift.insert(Drift {
                    kind: DriftKind::SubsystemNotOnServer,
                    identifier: xroad::subsystem_id(instance, o.class, o.code, sub),
                    member: o.member.map(str::to_string),
                    file: Some(match o.member {
                        Some(m) => format!("member `{m}`"),
                        None => "owner".into(),
                    }),
                    server: None,
                });
            }
        }
    }

    // Keys and certificates.
    let mut sign_keys: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut sign_certs: BTreeMap<usize, Vec<&CertEntry>> = BTreeMap::new();
    let mut auth_certs: Vec<&CertEntry> = Vec::new();
    let entries = cert_entries(snap);
    for e in &entries {
        let Some(owner) = &e.owner else {
            if e.usage == KeyUsage::Authentication {
                auth_certs.push(e);
            }
            continue;
        };
        if owner.instance != inst {
            drift.insert(Drift {
                kind: DriftKind::InstanceDiffers,
                identifier: format!("{} of {owner}", e.what()),
                member: None,
                file: Some(inst.to_string()),
                server: Some(owner.instance.clone()),
            });
            continue;
        }
        match e.usage {
            KeyUsage::Authentication => {
                if e.details.is_some() {
                    auth_certs.push(e);
                }
            }
            KeyUsage::Signing => {
                let exact = orgs
                    .iter()
                    .position(|o| o.code == owner.code && o.class == owner.class);
                match exact {
                    Some(i) => {
                        sign_keys.entry(i).or_default().push(e.evidence());
                        if e.details.is_some() {
                            sign_certs.entry(i).or_default().push(e);
                        }
                    }
                    None => match by_code(&owner.code) {
                        Some(o) => {
                            drift.insert(class_differs(owner.to_string(), o, &owner.class));
                        }
                        None => {
                            drift.insert(Drift {
                                kind: DriftKind::SigningForUnknownMember,
                                identifier: owner.to_string(),
                                member: None,
                                file: None,
                                server: Some(e.evidence()),
                            });
                        }
                    },
                }
            }
            KeyUsage::Other => {}
        }
    }

    // What the server proves, per member using this instance.
    let mut progress = Vec::new();
    let mut signing = Vec::new();
    for (i, o) in orgs.iter().enumerate() {
        let Some(member_id) = o.member else { continue };
        let Some(m) = a.member(member_id) else {
            continue;
        };
        if !m.instances().contains(&instance) {
            continue;
        }
        let valid = phases::all_ids(&m.instances());
        let mut prove = |key: &str, evidence: String| {
            let phase = format!("{key}/{inst}");
            if valid.contains(&phase) {
                progress.push(ProvenPhase {
                    member: member_id.to_string(),
                    recorded: m.progress.get(&phase).copied(),
                    phase,
                    evidence,
                });
            }
        };
        let statuses: Vec<(&str, Option<Option<ClientStatus>>)> = o
            .subsystems
            .iter()
            .map(|s| (*s, seen.get(&(i, s.to_string())).copied()))
            .collect();
        let all = |f: &dyn Fn(Option<ClientStatus>) -> bool| {
            !statuses.is_empty() && statuses.iter().all(|(_, st)| st.is_some_and(f))
        };
        let listing = || {
            statuses
                .iter()
                .map(|(s, st)| {
                    let st = st.flatten().map_or("no status", ClientStatus::code);
                    format!("{s} {st}")
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if all(&|_| true) {
            prove("add-subsystem", listing());
        }
        if all(&|s| s.is_some_and(ClientStatus::registered)) {
            prove("central-registration", listing());
        }
        let keys = sign_keys.get(&i).cloned().unwrap_or_default();
        if !keys.is_empty() {
            prove("sign-key", keys.join(", "));
        }
        let certs = sign_certs.get(&i).cloned().unwrap_or_default();
        if !certs.is_empty() {
            prove(
                "sign-cert-installed",
                certs
                    .iter()
                    .map(|e| e.evidence())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if all(&|s| s.is_some_and(ClientStatus::request_sent)) {
            prove("registration-request", listing());
        }
        let registered: Vec<String> = certs
            .iter()
            .filter(|e| e.status == Some(CertificateStatus::Registered))
            .map(|e| e.evidence())
            .collect();
        if !registered.is_empty() {
            prove("sign-cert-registered", registered.join(", "));
        }
        if let Some(best) = latest(&certs) {
            signing.push(expiry(
                a,
                CertKind::Signing,
                instance,
                Some(member_id),
                best,
            ));
        }
    }
    progress.sort_by_key(|p| {
        let order = phases::phases(phases::Side::Owner, &[instance])
            .iter()
            .position(|ph| ph.id() == p.phase)
            .unwrap_or(usize::MAX);
        let member = a.members.iter().position(|m| m.id == p.member);
        (member, order)
    });
    let mut certificates = Vec::new();
    if let Some(best) = latest(&auth_certs) {
        certificates.push(expiry(a, CertKind::Authentication, instance, None, best));
    }
    let tls = CertEntry {
        usage: KeyUsage::Other,
        owner: None,
        status: None,
        details: Some(snap.internal_tls.clone()),
        is_csr: false,
    };
    certificates.push(expiry(a, CertKind::InternalTls, instance, None, &tls));
    certificates.append(&mut signing);
    for c in &certificates {
        if let Some(file) = c.file
            && file != c.expires
        {
            drift.insert(Drift {
                kind: DriftKind::ExpiryDiffers,
                identifier: match &c.member {
                    Some(m) => format!("{} certificate of `{m}` in {}", c.kind.code(), c.instance),
                    None => format!("{} certificate of the {} server", c.kind.code(), c.instance),
                },
                member: c.member.clone(),
                file: Some(file.to_string()),
                server: Some(c.expires.to_string()),
            });
        }
    }
    Findings {
        drift: drift.into_iter().collect(),
        progress,
        certificates,
    }
}

fn subsystems_in(subsystems: &[crate::arrangement::Subsystem], instance: Instance) -> Vec<&str> {
    subsystems
        .iter()
        .filter(|s| s.instances.contains(&instance))
        .map(|s| s.code.as_str())
        .collect()
}

fn class_differs(identifier: String, o: &Org<'_>, server_class: &str) -> Drift {
    Drift {
        kind: DriftKind::MemberClassDiffers,
        identifier,
        member: o.member.map(str::to_string),
        file: Some(o.class.to_string()),
        server: Some(server_class.to_string()),
    }
}

/// A certificate, or a CSR, of a key, flattened.
struct CertEntry {
    usage: KeyUsage,
    owner: Option<MemberId>,
    status: Option<CertificateStatus>,
    /// `None` for a CSR.
    details: Option<CertificateDetails>,
    is_csr: bool,
}

impl CertEntry {
    fn what(&self) -> &'static str {
        match (self.usage, self.is_csr) {
            (KeyUsage::Authentication, false) => "authentication certificate",
            (KeyUsage::Authentication, true) => "authentication CSR",
            (_, false) => "signing certificate",
            (_, true) => "signing CSR",
        }
    }

    fn evidence(&self) -> String {
        match &self.details {
            Some(d) => format!(
                "{} {}, expires {}",
                self.what(),
                self.status
                    .map_or("without status", CertificateStatus::code),
                d.expires_on()
            ),
            None => self.what().to_string(),
        }
    }
}

fn cert_entries(snap: &Snapshot) -> Vec<CertEntry> {
    let mut out = Vec::new();
    for key in snap.tokens.iter().flat_map(|t| &t.keys) {
        let Some(usage) = key.usage else { continue };
        for c in &key.certificates {
            out.push(CertEntry {
                usage,
                owner: c.owner_id.as_deref().and_then(MemberId::parse),
                status: c.status,
                details: Some(c.certificate_details.clone()),
                is_csr: false,
            });
        }
        for r in &key.certificate_signing_requests {
            out.push(CertEntry {
                usage,
                owner: MemberId::parse(&r.owner_id),
                status: None,
                details: None,
                is_csr: true,
            });
        }
    }
    out
}

/// The certificate whose expiry counts: the latest among the registered ones, else the
/// latest of all.
fn latest<'a>(entries: &[&'a CertEntry]) -> Option<&'a CertEntry> {
    let certs: Vec<&CertEntry> = entries
        .iter()
        .copied()
        .filter(|e| e.details.is_some())
        .collect();
    let registered: Vec<&CertEntry> = certs
        .iter()
        .copied()
        .filter(|e| e.status == Some(CertificateStatus::Registered))
        .collect();
    let pool = if registered.is_empty() {
        certs
    } else {
        registered
    };
    pool.into_iter()
        .max_by_key(|e| e.details.as_ref().map(|d| d.not_after))
}

fn expiry(
    a: &Arrangement,
    kind: CertKind,
    instance: Instance,
    member: Option<&str>,
    entry: &CertEntry,
) -> ProvenExpiry {
    let known = a.certificates.iter().find(|c| {
        c.kind == kind
            && c.instance == instance
            && c.member.as_deref() == member
            && c.subsystem.is_none()
    });
    let details = entry.details.as_ref();
    ProvenExpiry {
        kind,
        instance,
        member: member.map(str::to_string),
        expires: details
            .map(CertificateDetails::expires_on)
            .unwrap_or_default(),
        file: known.and_then(|k| k.expires),
        certificate_file: known.and_then(|k| k.file.clone()),
        evidence: match kind {
            CertKind::InternalTls => format!(
                "internal TLS certificate{}",
                details
                    .and_then(|d| d.subject_common_name.as_ref())
                    .map(|cn| format!(" CN={cn}"))
                    .unwrap_or_default()
            ),
            _ => entry.evidence(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arrangement::KnownCertificate;
    use serde_json::json;

    /// The minimal fixture: owner `1234567-1`, member `pikkula` (`MUN/2345678-0`) with
    /// `vtj-pikkula-client` in FI-TEST.
    fn arrangement() -> Arrangement {
        let text = include_str!("../../tests/fixtures/valid/minimal.toml");
        crate::check::check_source(
            text,
            std::path::Path::new("tests/fixtures/valid"),
            crate::check::Options::default(),
        )
        .into_arrangement()
        .expect("the minimal fixture is valid")
    }

    fn client(class: &str, code: &str, sub: &str, status: &str) -> serde_json::Value {
        json!({"instance_id": "FI-TEST", "member_class": class, "member_code": code,
               "subsystem_code": sub, "status": status})
    }

    fn cert(owner: &str, status: &str, not_after: &str) -> serde_json::Value {
        json!({"owner_id": owner, "status": status, "certificate_details": {"not_after": not_after}})
    }

    fn snapshot(clients: serde_json::Value, sign_certs: serde_json::Value) -> Snapshot {
        let tokens = json!([{"id": "0", "name": "softToken-0", "keys": [
            {"id": "k1", "usage": "SIGNING", "certificates": sign_certs, "certificate_signing_requests": []}
        ]}]);
        Snapshot {
            clients: serde_json::from_value(clients).expect("clients"),
            tokens: serde_json::from_value(tokens).expect("tokens"),
            internal_tls: serde_json::from_value(json!({"not_after": "2040-01-01T00:00:00.000Z"}))
                .expect("certificate"),
        }
    }

    fn phases(f: &Findings) -> Vec<&str> {
        f.progress.iter().map(|p| p.phase.as_str()).collect()
    }

    /// A subsystem under an unknown member code, listed by exactly one member, is that
    /// member's code differing, not a subsystem missing on either side; nothing is proven.
    #[test]
    fn a_member_code_differs() {
        let s = snapshot(
            json!([client(
                "MUN",
                "2345679-9",
                "vtj-pikkula-client",
                "REGISTERED"
            )]),
            json!([]),
        );
        let f = compare(&arrangement(), Instance::Test, &s);
        let kinds: Vec<DriftKind> = f.drift.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [DriftKind::MemberCodeDiffers]);
        assert_eq!(f.drift[0].member.as_deref(), Some("pikkula"));
        assert!(f.progress.is_empty());
    }

    /// A disabled subsystem was registered first; a saved one was only added.
    #[test]
    fn statuses_prove_what_they_follow() {
        let a = arrangement();
        let disabled = snapshot(
            json!([client("MUN", "2345678-0", "vtj-pikkula-client", "DISABLED")]),
            json!([]),
        );
        assert_eq!(
            phases(&compare(&a, Instance::Test, &disabled)),
            [
                "central-registration/FI-TEST",
                "add-subsystem/FI-TEST",
                "registration-request/FI-TEST"
            ]
        );
        let saved = snapshot(
            json!([client("MUN", "2345678-0", "vtj-pikkula-client", "SAVED")]),
            json!([]),
        );
        assert_eq!(
            phases(&compare(&a, Instance::Test, &saved)),
            ["add-subsystem/FI-TEST"]
        );
    }

    /// During a renewal the registered certificate's expiry counts, not the newer one's that
    /// is not registered yet.
    #[test]
    fn a_renewal_counts_the_registered_certificate() {
        let s = snapshot(
            json!([]),
            json!([
                cert(
                    "FI-TEST:MUN:2345678-0",
                    "REGISTERED",
                    "2027-01-31T12:00:00.000Z"
                ),
                cert("FI-TEST:MUN:2345678-0", "SAVED", "2029-01-31T12:00:00.000Z")
            ]),
        );
        let f = compare(&arrangement(), Instance::Test, &s);
        let signing = f
            .certificates
            .iter()
            .find(|c| c.kind == CertKind::Signing)
            .expect("the signing certificate");
        assert_eq!(signing.expires, jiff::civil::date(2027, 1, 31));
        assert_eq!(
            phases(&f),
            [
                "sign-key/FI-TEST",
                "sign-cert-installed/FI-TEST",
                "sign-cert-registered/FI-TEST"
            ]
        );
        // The subsystem is not on the server.
        assert_eq!(f.drift[0].kind, DriftKind::SubsystemNotOnServer);
    }

    /// A client of another instance is drift and proves nothing here.
    #[test]
    fn another_instance_is_drift() {
        let mut c = client("MUN", "2345678-0", "vtj-pikkula-client", "REGISTERED");
        c["instance_id"] = json!("FI");
        let f = compare(
            &arrangement(),
            Instance::Test,
            &snapshot(json!([c]), json!([])),
        );
        assert!(
            f.drift
                .iter()
                .any(|d| d.kind == DriftKind::InstanceDiffers && d.server.as_deref() == Some("FI"))
        );
        assert!(f.progress.is_empty());
    }

    /// An entry whose expiry comes from a certificate file is not given `expires`.
    #[test]
    fn an_entry_with_a_file_is_not_written() {
        let mut a = arrangement();
        a.certificates.push(KnownCertificate {
            kind: CertKind::Signing,
            instance: Instance::Test,
            member: Some("pikkula".into()),
            subsystem: None,
            expires: Some(jiff::civil::date(2026, 12, 31)),
            file: Some("certs/pikkula.pem".into()),
            file_info: None,
        });
        let s = snapshot(
            json!([]),
            json!([cert(
                "FI-TEST:MUN:2345678-0",
                "REGISTERED",
                "2028-12-31T12:00:00.000Z"
            )]),
        );
        let f = compare(&a, Instance::Test, &s);
        let signing = f
            .certificates
            .iter()
            .find(|c| c.kind == CertKind::Signing)
            .expect("the signing certificate");
        assert!(!signing.to_write());
        assert!(f.drift.iter().any(|d| d.kind == DriftKind::ExpiryDiffers));
        let internal = &f.certificates[0];
        assert_eq!(internal.kind, CertKind::InternalTls);
        assert!(internal.to_write());
    }
}
