//! `renewals [FILE]`: certificates that expire soon, a renewal calendar, and an exit code for
//! monitors.

use super::{Failure, Ui, find_input, load_checked, today};
use crate::cli::RenewalsArgs;
use crate::output::write_atomic;
use crate::register::{self, Status};
use crate::term::Table;
use crate::{Exit, Io, renewals};

/// Runs `renewals`.
pub fn run(args: &RenewalsArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let file = find_input(args.file.as_deref())?;
    let checked = load_checked(&file, false, io, ui)?;
    let a = &checked.arrangement;
    let today = args.today.unwrap_or_else(today);
    let mut rows = register::register(a, today);
    rows.sort_by_key(|r| (r.expires.is_none(), r.expires));
    let days_left = |r: &register::CertRow| r.expires.map(|e| (e - today).get_days());
    let within = |r: &register::CertRow, days: u32| days_left(r).is_some_and(|d| d <= days as i32);

    let mut out = String::new();
    let soon: Vec<_> = rows.iter().filter(|r| within(r, args.within)).collect();
    if soon.is_empty() {
        out.push_str(&format!(
            "No certificate expires within {} days of {today}.\n\n",
            args.within
        ));
    } else {
        out.push_str(&format!(
            "Expiring within {} days of {today}, soonest first:\n",
            args.within
        ));
        let mut t = Table::new(&[
            "certificate",
            "instance",
            "holder",
            "expires",
            "days",
            "what to do",
        ]);
        for r in &soon {
            let d = days_left(r).unwrap_or(0);
            let action = if d < 0 {
                "expired: renew now and replace it on the server"
            } else if r.kind.via_dvv() {
                "new key and CSR in the admin UI, apply in DVV's e-services, install, register"
            } else {
                "create a new certificate and exchange it as agreed"
            };
            t.row(vec![
                r.kind.code().to_string(),
                r.instance.to_string(),
                holder(r),
                r.expires.map(|e| e.to_string()).unwrap_or_default(),
                d.to_string(),
                action.to_string(),
            ]);
        }
        out.push_str(&t.render(ui.width));
        out.push('\n');
    }
    out.push_str(&format!(
        "All certificates the arrangement needs, as of {today}:\n"
    ));
    let mut t = Table::new(&[
        "certificate",
        "instance",
        "holder",
        "applies",
        "expires",
        "renew from",
        "status",
    ]);
    for r in &rows {
        t.row(vec![
            r.kind.code().to_string(),
            r.instance.to_string(),
            holder(r),
            format!("{:?}", r.applies).to_lowercase(),
            r.expires
                .map(|e| e.to_string())
                .unwrap_or_else(|| "unknown".into()),
            r.renew_from.map(|e| e.to_string()).unwrap_or_default(),
            status_name(r.status).to_string(),
        ]);
    }
    out.push_str(&t.render(ui.width));
    io.out.write_all(out.as_bytes()).map_err(|e| {
        Failure::Render(anyhow::Error::new(e).context("cannot write the renewals table"))
    })?;

    if let Some(path) = &args.ics {
        let text = renewals::calendar(a, &rows, a.language, renewals::stamp_of(today));
        write_atomic(path, text.as_bytes()).map_err(Failure::Render)?;
        let events = rows.iter().filter(|r| r.renew_from.is_some()).count();
        ui.notice(
            io,
            format!("wrote `{}` with {events} renewal events", path.display()),
        );
    }
    if let Some(days) = args.fail_within
        && rows.iter().any(|r| within(r, days))
    {
        let _ = writeln!(io.err, "error: a certificate expires within {days} days");
        return Ok(Exit::Expiring);
    }
    Ok(Exit::Success)
}

fn holder(r: &register::CertRow) -> String {
    match &r.subsystem {
        Some(s) => format!("{} / {s}", r.holder),
        None => r.holder.clone(),
    }
}

/// The status as a word for the terminal.
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::RenewSoon => "renew soon",
        Status::Expired => "EXPIRED",
        Status::Unknown => "unknown",
    }
}
