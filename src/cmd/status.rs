//! `status [FILE] [--member ID] [--all] [--json]`: each member's progress on both sides and
//! the next step; every phase with `--all`; machine-readable with `--json`.

use serde::Serialize;

use super::{Failure, Ui, find_input, load_checked};
use crate::arrangement::{Arrangement, Member};
use crate::cli::StatusArgs;
use crate::diagnostic::nearest;
use crate::phases::{Phase, Side};
use crate::register::Status;
use crate::term::Table;
use crate::{Exit, Io};

/// What `status --json` prints.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The day certificates are judged on.
    pub today: String,
    /// Each member shown.
    pub members: Vec<MemberStatus>,
    /// Certificates that expired or are due for renewal.
    pub certificates: Vec<CertificateStatus>,
}

/// One member's progress.
#[derive(Debug, Serialize)]
pub struct MemberStatus {
    /// The member's id.
    pub id: String,
    /// The organisation's name.
    pub name: String,
    /// The member's side.
    pub member: SideStatus,
    /// The owner's side for this member.
    pub owner: SideStatus,
}

/// One side's checklist for a member.
#[derive(Debug, Serialize)]
pub struct SideStatus {
    /// Phases done.
    pub done: usize,
    /// Phases in all.
    pub total: usize,
    /// The first phase that is not done, if any.
    pub next: Option<PhaseStatus>,
    /// Every phase, in order.
    pub phases: Vec<PhaseStatus>,
}

/// One phase.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseStatus {
    /// The phase id, as `progress` and `done` take it.
    pub id: String,
    /// The day it was done, if it was.
    pub done: Option<String>,
    /// What the phase is.
    pub what: String,
    /// While open: the other side's phase it waits for (`owner:sign-cert-installed/FI`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waits_for: Option<String>,
}

/// A certificate that needs attention.
#[derive(Debug, Serialize)]
pub struct CertificateStatus {
    /// The certificate kind.
    pub kind: String,
    /// The instance.
    pub instance: String,
    /// Whose certificate it is.
    pub holder: String,
    /// The subsystem, for TLS client certificates.
    pub subsystem: Option<String>,
    /// Its expiry date.
    pub expires: Option<String>,
    /// `expired` or `renew-soon`.
    pub status: String,
}

/// Runs `status`.
pub fn run(args: &StatusArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let file = find_input(args.file.as_deref())?;
    let checked = load_checked(&file, false, io, ui)?;
    let a = &checked.arrangement;
    let members = match &args.member {
        None => a.members.iter().collect::<Vec<_>>(),
        Some(id) => vec![member(a, id)?],
    };
    let today = args.today.unwrap_or_else(super::today);
    let report = Report {
        today: today.to_string(),
        members: members.iter().map(|m| member_status(m)).collect(),
        certificates: attention(a, today, args.member.as_deref()),
    };
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::Render(anyhow::Error::new(e)))?;
        s.push('\n');
        s
    } else if args.all {
        crate::term::visible(&every_phase(&report, ui.width)).into_owned()
    } else {
        crate::term::visible(&summary(&report, ui.width)).into_owned()
    };
    io.out
        .write_all(text.as_bytes())
        .map_err(|e| Failure::Render(anyhow::Error::new(e).context("cannot write the status")))?;
    Ok(Exit::Success)
}

/// The member with `id`, else a usage error naming the nearest id.
pub fn member<'a>(a: &'a Arrangement, id: &str) -> Result<&'a Member, Failure> {
    a.member(id).ok_or_else(|| {
        let known: Vec<&str> = a.members.iter().map(|m| m.id.as_str()).collect();
        let hint = match nearest(id, known.iter().copied()) {
            Some(n) => format!("; did you mean `{n}`?"),
            None => format!("; members: {}", known.join(", ")),
        };
        Failure::Usage(anyhow::anyhow!("no member with the id `{id}`{hint}"))
    })
}

fn member_status(m: &Member) -> MemberStatus {
    let side = |side: Side| {
        let phases: Vec<PhaseStatus> = m
            .checklist(side)
            .iter()
            .map(|(p, d)| PhaseStatus {
                id: p.id(),
                done: d.map(|d| d.to_string()),
                what: describe(p),
                waits_for: d.is_none().then(|| m.waiting_on(side, p)).flatten().map(
                    |(other, w)| {
                        let who = match other {
                            Side::Member => "member",
                            Side::Owner => "owner",
                        };
                        format!("{who}:{}", w.id())
                    },
                ),
            })
            .collect();
        SideStatus {
            done: phases.iter().filter(|p| p.done.is_some()).count(),
            total: phases.len(),
            next: phases.iter().find(|p| p.done.is_none()).cloned(),
            phases,
        }
    };
    MemberStatus {
        id: m.id.clone(),
        name: m.org.name.clone(),
        member: side(Side::Member),
        owner: side(Side::Owner),
    }
}

fn attention(
    a: &Arrangement,
    today: jiff::civil::Date,
    only: Option<&str>,
) -> Vec<CertificateStatus> {
    let mut rows = crate::register::register(a, today);
    rows.retain(|r| matches!(r.status, Status::Expired | Status::RenewSoon));
    if let Some(id) = only
        && let Some(m) = a.member(id)
    {
        rows.retain(|r| r.holder == m.org.name);
    }
    rows.into_iter()
        .map(|r| CertificateStatus {
            kind: r.kind.code().to_string(),
            instance: r.instance.to_string(),
            holder: r.holder.clone(),
            subsystem: r.subsystem.clone(),
            expires: r.expires.map(|e| e.to_string()),
            status: if r.status == Status::Expired {
                "expired"
            } else {
                "renew-soon"
            }
            .to_string(),
        })
        .collect()
}

/// One line per member: how far each side is and its next step.
fn summary(r: &Report, width: usize) -> String {
    let mut t = Table::new(&[
        "id",
        "name",
        "member",
        "next (member)",
        "owner",
        "next (owner)",
    ]);
    let next = |s: &SideStatus| {
        s.next.as_ref().map_or_else(
            || "done".to_string(),
            |n| match &n.waits_for {
                Some(w) => format!("{} (waits for {w})", n.id),
                None => n.id.clone(),
            },
        )
    };
    for m in &r.members {
        t.row(vec![
            m.id.clone(),
            m.name.clone(),
            format!("{}/{}", m.member.done, m.member.total),
            next(&m.member),
            format!("{}/{}", m.owner.done, m.owner.total),
            next(&m.owner),
        ]);
    }
    let mut out = if t.is_empty() {
        "No members.\n".to_string()
    } else {
        t.render(width)
    };
    out.push_str(&certificate_lines(r, width));
    out
}

/// Every phase of both sides, per member.
fn every_phase(r: &Report, width: usize) -> String {
    let mut out = String::new();
    for m in &r.members {
        out.push_str(&lines(
            &format!(
                "{} ({}): member {}/{}, owner {}/{} phases done",
                m.name, m.id, m.member.done, m.member.total, m.owner.done, m.owner.total
            ),
            width,
        ));
        let mut t = Table::new(&["side", "phase", "status", "what"]);
        for (name, side) in [("member", &m.member), ("owner", &m.owner)] {
            let next = side.next.as_ref().map(|n| n.id.as_str());
            for p in &side.phases {
                let status = match &p.done {
                    Some(d) => format!("done {d}"),
                    None if Some(p.id.as_str()) == next => "NEXT".to_string(),
                    None => "open".to_string(),
                };
                t.row(vec![name.to_string(), p.id.clone(), status, p.what.clone()]);
            }
        }
        out.push_str(&t.render(width));
        for (name, side) in [("member", &m.member), ("owner", &m.owner)] {
            let line = match &side.next {
                Some(n) => format!("next step ({name}): {} — {}", n.id, n.what),
                None => format!("next step ({name}): none, every phase is done"),
            };
            out.push_str(&lines(&line, width));
        }
        out.push('\n');
    }
    out.push_str(&certificate_lines(r, width));
    out
}

/// `text` wrapped between words to `width`, later lines indented, each ending in a newline.
fn lines(text: &str, width: usize) -> String {
    crate::term::wrap(text, width, 2)
        .into_iter()
        .map(|l| l + "\n")
        .collect()
}

fn certificate_lines(r: &Report, width: usize) -> String {
    if r.certificates.is_empty() {
        return lines(
            &format!(
                "certificates: none expired or due for renewal on {}",
                r.today
            ),
            width,
        );
    }
    let mut out = String::new();
    for c in &r.certificates {
        let holder = match &c.subsystem {
            Some(s) => format!("{} / {s}", c.holder),
            None => c.holder.clone(),
        };
        let verb = if c.status == "expired" {
            "expired on"
        } else {
            "is due for renewal; it expires on"
        };
        out.push_str(&lines(
            &format!(
                "warning: the {} certificate of {holder} in {} {verb} {}; see `xroad-share renewals`",
                c.kind,
                c.instance,
                c.expires.as_deref().unwrap_or("")
            ),
            width,
        ));
    }
    out
}

/// A phase in the terminal's words: the documents' `phase` message.
pub fn describe(p: &Phase) -> String {
    let instance = p.instance.map(|i| i.code()).unwrap_or("FI");
    crate::words::Words::shared().get(
        super::renewals::TERMINAL,
        "phase",
        &[("phase", p.key.into()), ("instance", instance.into())],
    )
}
