//! `renewals [FILE]`: certificates that expire soon, a renewal calendar, and an exit code for
//! monitors.

use super::{Failure, Ui, find_input, load_checked, today};
use crate::arrangement::Lang;
use crate::cli::RenewalsArgs;
use crate::output::write_atomic;
use crate::register::{self, Status};
use crate::term::Table;
use crate::words::{Arg, Words};
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

    let today_text = today.to_string();
    let mut out = String::new();
    let soon: Vec<_> = rows.iter().filter(|r| within(r, args.within)).collect();
    if soon.is_empty() {
        out.push_str(&term_with(
            "term-none-expiring",
            &[
                ("days", args.within.into()),
                ("today", today_text.as_str().into()),
            ],
        ));
        out.push_str("\n\n");
    } else {
        out.push_str(&term_with(
            "term-expiring",
            &[
                ("days", args.within.into()),
                ("today", today_text.as_str().into()),
            ],
        ));
        out.push('\n');
        let head = [
            "term-certificate",
            "term-instance",
            "term-holder",
            "term-expires",
            "term-days",
            "term-action",
        ]
        .map(term);
        let mut t = Table::new(&head.iter().map(String::as_str).collect::<Vec<_>>());
        for r in &soon {
            let d = days_left(r).unwrap_or(0);
            let action = term(if d < 0 {
                "term-action-expired"
            } else if r.kind.via_dvv() {
                "term-action-dvv"
            } else {
                "term-action-own"
            });
            t.row(vec![
                r.kind.code().to_string(),
                r.instance.to_string(),
                holder(r),
                r.expires.map(|e| e.to_string()).unwrap_or_default(),
                d.to_string(),
                action,
            ]);
        }
        out.push_str(&t.render(ui.width));
        out.push('\n');
    }
    out.push_str(&term_with(
        "term-all-certificates",
        &[("today", today_text.as_str().into())],
    ));
    out.push('\n');
    let head = [
        "term-certificate",
        "term-instance",
        "term-holder",
        "term-applies",
        "term-expires",
        "term-renew-from",
        "term-status",
    ]
    .map(term);
    let mut t = Table::new(&head.iter().map(String::as_str).collect::<Vec<_>>());
    for r in &rows {
        t.row(vec![
            r.kind.code().to_string(),
            r.instance.to_string(),
            holder(r),
            format!("{:?}", r.applies).to_lowercase(),
            r.expires
                .map(|e| e.to_string())
                .unwrap_or_else(|| term("term-not-known")),
            r.renew_from.map(|e| e.to_string()).unwrap_or_default(),
            status_name(r.status),
        ]);
    }
    out.push_str(&t.render(ui.width));
    let out = crate::term::visible(&out);
    io.out.write_all(out.as_bytes()).map_err(|e| {
        Failure::Render(anyhow::Error::new(e).context("cannot write the renewals table"))
    })?;

    if let Some(path) = &args.ics {
        // The same calendar as `build` writes: the register as of the packet date, in its
        // order, stamped with the packet date, whatever today is.
        let text = renewals::calendar(
            a,
            &register::register(a, a.date),
            Words::shared(),
            a.language,
            renewals::stamp_of(a.date),
        );
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

/// The status as a word for the terminal: the documents' word (`cert-status`), an expired
/// certificate in capitals so that it stands out.
pub fn status_name(s: Status) -> String {
    let word = Words::shared().get(TERMINAL, "cert-status", &[("status", s.code().into())]);
    if s == Status::Expired {
        word.to_uppercase()
    } else {
        word
    }
}

/// The language of the terminal's tables (that of the diagnostics).
pub const TERMINAL: Lang = Lang::En;

/// A word of the terminal's tables (`term-…` in the catalogue).
pub fn term(id: &str) -> String {
    Words::shared().word(TERMINAL, id)
}

/// A message of the terminal's tables with arguments.
pub fn term_with(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    Words::shared().get(TERMINAL, id, args)
}
