//! The phases of joining a shared security server, for the joining member and for the owner
//! (SPEC §6.4, after DVV's guidance). Once-only phases use their id; per-instance phases use
//! `id/INSTANCE`, one for each instance that the member's subsystems use. Some phases wait for
//! a phase of the other side ([`waits_for`]), so that each side's next step can say whom it
//! waits for.

use crate::arrangement::Party;
use crate::xroad::Instance;

/// Whose checklist a phase belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The joining organisation.
    Member,
    /// The organisation that owns the server.
    Owner,
}

/// A phase kind: its id and whether it repeats per instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseKind {
    /// The phase id, e.g. `permit`.
    pub key: &'static str,
    /// Whether the phase is done once per instance.
    pub per_instance: bool,
}

const fn once(key: &'static str) -> PhaseKind {
    PhaseKind {
        key,
        per_instance: false,
    }
}

const fn each(key: &'static str) -> PhaseKind {
    PhaseKind {
        key,
        per_instance: true,
    }
}

/// The member's phases, in order.
pub const MEMBER: [PhaseKind; 8] = [
    once("agreement"),
    once("policies"),
    once("server-details"),
    once("authorisation"),
    each("permit"),
    each("permit-reference"),
    each("client-tls"),
    each("sign-cert-confirmed"),
];

/// The owner's phases, in order.
pub const OWNER: [PhaseKind; 13] = [
    once("agreement"),
    once("policies"),
    once("server-details"),
    once("authorisation-received"),
    each("central-registration"),
    each("add-subsystem"),
    each("sign-key"),
    each("sign-cert-applied"),
    each("sign-cert-installed"),
    each("registration-request"),
    each("sign-cert-registered"),
    each("client-tls"),
    once("renewals-scheduled"),
];

/// Phase ids of earlier versions that are no longer valid, each with the ids that replace it.
pub const RETIRED: [(&str, &str); 1] = [(
    "client-tls",
    "`client-tls/FI-TEST`, `client-tls/FI` (one per instance)",
)];

/// The phase of the other side that a phase waits for, when there is one: the owner cannot
/// apply for a signing certificate before the member has given the permit decision's
/// reference, the member cannot confirm a certificate the owner has not installed, and so on.
/// `client_tls_by` is the party that creates the TLS client certificates.
pub fn waits_for(side: Side, key: &str, client_tls_by: Party) -> Option<(Side, &'static str)> {
    match (side, key) {
        (Side::Member, "sign-cert-confirmed") => Some((Side::Owner, "sign-cert-installed")),
        (Side::Member, "client-tls") if client_tls_by == Party::Owner => {
            Some((Side::Owner, "client-tls"))
        }
        (Side::Owner, "authorisation-received") => Some((Side::Member, "authorisation")),
        (Side::Owner, "central-registration") => Some((Side::Member, "permit")),
        (Side::Owner, "sign-cert-applied") => Some((Side::Member, "permit-reference")),
        (Side::Owner, "client-tls") if client_tls_by == Party::Member => {
            Some((Side::Member, "client-tls"))
        }
        _ => None,
    }
}

/// One concrete phase of one member's checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// The phase kind's key, e.g. `permit`.
    pub key: &'static str,
    /// The instance, for per-instance phases.
    pub instance: Option<Instance>,
}

impl Phase {
    /// The id used in `progress`, e.g. `permit/FI-TEST`.
    pub fn id(&self) -> String {
        match self.instance {
            Some(i) => format!("{}/{}", self.key, i),
            None => self.key.to_string(),
        }
    }
}

/// The concrete phases of one side for a member using `instances` (in the given order).
///
/// A run of consecutive per-instance phases is expanded instance by instance, so that the
/// owner finishes the test environment before production, as DVV advises.
pub fn phases(side: Side, instances: &[Instance]) -> Vec<Phase> {
    let kinds: &[PhaseKind] = match side {
        Side::Member => &MEMBER,
        Side::Owner => &OWNER,
    };
    let mut out = Vec::new();
    for run in kinds.chunk_by(|a, b| a.per_instance && b.per_instance) {
        if run[0].per_instance {
            for &i in instances {
                out.extend(run.iter().map(|k| Phase {
                    key: k.key,
                    instance: Some(i),
                }));
            }
        } else {
            out.extend(run.iter().map(|k| Phase {
                key: k.key,
                instance: None,
            }));
        }
    }
    out
}

/// Every valid phase id for a member using `instances`, both sides.
pub fn all_ids(instances: &[Instance]) -> Vec<String> {
    let mut ids: Vec<String> = phases(Side::Member, instances)
        .iter()
        .map(Phase::id)
        .collect();
    for p in phases(Side::Owner, instances) {
        let id = p.id();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_phases_per_instance() {
        let ids: Vec<String> = phases(Side::Member, &[Instance::Test, Instance::Prod])
            .iter()
            .map(Phase::id)
            .collect();
        assert_eq!(
            ids,
            [
                "agreement",
                "policies",
                "server-details",
                "authorisation",
                "permit/FI-TEST",
                "permit-reference/FI-TEST",
                "client-tls/FI-TEST",
                "sign-cert-confirmed/FI-TEST",
                "permit/FI",
                "permit-reference/FI",
                "client-tls/FI",
                "sign-cert-confirmed/FI"
            ]
        );
    }

    #[test]
    fn owner_phases_group_by_instance() {
        let ids: Vec<String> = phases(Side::Owner, &[Instance::Test, Instance::Prod])
            .iter()
            .map(Phase::id)
            .collect();
        assert_eq!(
            ids[..4],
            [
                "agreement",
                "policies",
                "server-details",
                "authorisation-received"
            ]
        );
        assert_eq!(
            ids[4..12],
            [
                "central-registration/FI-TEST",
                "add-subsystem/FI-TEST",
                "sign-key/FI-TEST",
                "sign-cert-applied/FI-TEST",
                "sign-cert-installed/FI-TEST",
                "registration-request/FI-TEST",
                "sign-cert-registered/FI-TEST",
                "client-tls/FI-TEST"
            ]
        );
        assert_eq!(ids[12], "central-registration/FI");
        assert_eq!(
            ids[ids.len() - 2..],
            ["client-tls/FI", "renewals-scheduled"]
        );
        assert_eq!(ids.len(), 4 + 8 * 2 + 1);
    }

    #[test]
    fn waits_name_a_phase_of_the_other_side() {
        for side in [Side::Member, Side::Owner] {
            let (own, other) = match side {
                Side::Member => (&MEMBER[..], &OWNER[..]),
                Side::Owner => (&OWNER[..], &MEMBER[..]),
            };
            for by in [Party::Owner, Party::Member] {
                for k in own {
                    if let Some((s, key)) = waits_for(side, k.key, by) {
                        assert_ne!(s, side);
                        let target = other.iter().find(|o| o.key == key).expect("a phase");
                        assert_eq!(target.per_instance, k.per_instance, "{}", k.key);
                    }
                }
            }
        }
    }

    #[test]
    fn shared_ids_appear_once() {
        let ids = all_ids(&[Instance::Test]);
        assert_eq!(ids.iter().filter(|i| *i == "agreement").count(), 1);
        assert!(ids.contains(&"renewals-scheduled".to_string()));
    }
}
