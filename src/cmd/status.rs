//! `status FILE`: each member's phases on both sides, done or open, and the next step.

use comfy_table::{Cell, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::{Failure, load_checked};
use crate::cli::StatusArgs;
use crate::phases::{Phase, Side};
use crate::register::Status;
use crate::{Exit, Io};

/// Runs `status`.
pub fn run(args: &StatusArgs, io: &mut Io<'_>) -> Result<Exit, Failure> {
    let checked = load_checked(&args.file, false, io)?;
    let a = &checked.arrangement;
    let mut out = String::new();
    for m in &a.members {
        let member = m.checklist(Side::Member);
        let owner = m.checklist(Side::Owner);
        let done = |l: &[(Phase, Option<jiff::civil::Date>)]| {
            l.iter().filter(|(_, d)| d.is_some()).count()
        };
        out.push_str(&format!(
            "{} ({}): member {}/{}, owner {}/{} phases done\n",
            m.org.name,
            m.id,
            done(&member),
            member.len(),
            done(&owner),
            owner.len()
        ));
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        table.set_header(vec!["side", "phase", "status", "what"]);
        for (side, list) in [(Side::Member, &member), (Side::Owner, &owner)] {
            let next = list.iter().position(|(_, d)| d.is_none());
            for (i, (p, d)) in list.iter().enumerate() {
                let status = match d {
                    Some(d) => format!("done {d}"),
                    None if Some(i) == next => "NEXT".to_string(),
                    None => "open".to_string(),
                };
                table.add_row(vec![
                    Cell::new(side_name(side)),
                    Cell::new(p.id()),
                    Cell::new(status),
                    Cell::new(describe(p)),
                ]);
            }
        }
        out.push_str(&table.to_string());
        out.push('\n');
        for (side, list) in [(Side::Member, &member), (Side::Owner, &owner)] {
            match list.iter().find(|(_, d)| d.is_none()) {
                Some((p, _)) => out.push_str(&format!(
                    "next step ({}): {} — {}\n",
                    side_name(side),
                    p.id(),
                    describe(p)
                )),
                None => out.push_str(&format!(
                    "next step ({}): none, every phase is done\n",
                    side_name(side)
                )),
            }
        }
        out.push('\n');
    }
    let today = args.today.unwrap_or_else(super::today);
    let attention: Vec<_> = crate::register::register(a, today)
        .into_iter()
        .filter(|r| matches!(r.status, Status::Expired | Status::RenewSoon))
        .collect();
    if attention.is_empty() {
        out.push_str(&format!(
            "certificates: none expired or due for renewal on {today}\n"
        ));
    }
    for r in attention {
        let expires = r.expires.map(|e| e.to_string()).unwrap_or_default();
        let holder = r
            .subsystem
            .as_ref()
            .map(|s| format!("{} / {s}", r.holder))
            .unwrap_or_else(|| r.holder.clone());
        let verb = if r.status == Status::Expired {
            "expired on"
        } else {
            "is due for renewal; it expires on"
        };
        out.push_str(&format!(
            "warning: the {} certificate of {holder} in {} {verb} {expires}; see `xroad-share renewals`\n",
            r.kind.code(),
            r.instance,
        ));
    }
    io.out.write_all(out.as_bytes()).map_err(|e| {
        Failure::Render(anyhow::Error::new(e).context("cannot write the status table"))
    })?;
    Ok(Exit::Success)
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Member => "member",
        Side::Owner => "owner",
    }
}

/// A short English description of a phase for the terminal.
pub fn describe(p: &Phase) -> String {
    let inst = p.instance.map(|i| i.code()).unwrap_or("");
    match p.key {
        "agreement" => "agreement on using the shared server signed".into(),
        "policies" => "TLS certificates and other server policies agreed".into(),
        "server-details" => "server FQDN, IPv4 and owner's member class received".into(),
        "authorisation" => {
            "authorisation for the owner to apply for certificates documented".into()
        }
        "permit" => format!("user permit application for {inst} sent and decided"),
        "client-tls" => "TLS client certificate created and exchanged".into(),
        "sign-cert-confirmed" => {
            format!("owner confirmed the signing certificate in use in {inst}")
        }
        "central-registration" => {
            format!("Maintenance team added the member and subsystem in {inst}")
        }
        "add-subsystem" => format!("subsystem added to the {inst} security server"),
        "sign-key" => format!("sign key and CSR created in {inst}"),
        "sign-cert-applied" => {
            format!("signing certificate for {inst} applied for in DVV's e-services")
        }
        "sign-cert-installed" => {
            format!("signing certificate installed in {inst} and confirmed to the member")
        }
        "registration-request" => {
            format!("subsystems' registration request sent from the {inst} security server")
        }
        "sign-cert-registered" => {
            format!("Maintenance team approved the signing certificate's registration in {inst}")
        }
        "renewals-scheduled" => "certificate renewals scheduled".into(),
        other => other.to_string(),
    }
}
