//! The renewal calendar: one iCalendar event per certificate with a known expiry, on the
//! day its renewal should start, in the language of the packet, with the words of the
//! catalogue (`calendar-…`).

use crate::arrangement::{Arrangement, Lang};
use crate::ical::{self, RenewalEvent};
use crate::register::CertRow;
use crate::words::Words;

/// Days before the renewal start when the calendar reminds.
pub const REMINDER_DAYS: u32 = 7;

/// The event summary, e.g. "Renew the signing certificate: Pikkulan kunta, FI-TEST".
pub fn summary(row: &CertRow, words: &Words, lang: Lang) -> String {
    let what = match &row.subsystem {
        Some(s) => format!("{}, {s}", row.holder),
        None => row.holder.clone(),
    };
    let kind = words.get(lang, "cert-kind", &[("kind", row.kind.code().into())]);
    words.get(
        lang,
        "calendar-summary",
        &[
            ("kind", kind.as_str().into()),
            ("what", what.as_str().into()),
            ("instance", row.instance.code().into()),
        ],
    )
}

/// The steps of renewing, as a description.
pub fn steps(row: &CertRow, words: &Words, lang: Lang, permit: Option<&str>) -> String {
    let expiry = row.expires.map(|d| d.to_string()).unwrap_or_default();
    // The owner's own certificates rest on the owner's own user permit, which the input does
    // not record: their steps name no member's permit decision.
    let id = if row.kind.via_dvv() && row.member_id.is_none() {
        "calendar-steps-dvv-owner"
    } else if row.kind.via_dvv() {
        "calendar-steps-dvv"
    } else {
        "calendar-steps-own"
    };
    words.get(
        lang,
        id,
        &[
            ("expires", expiry.as_str().into()),
            ("id", row.subject_id.as_str().into()),
            ("server", row.server.as_str().into()),
            ("permit", permit.unwrap_or("—").into()),
        ],
    )
}

/// The calendar of every renewal start, with event UIDs stable per certificate and owner,
/// so that importing it again updates the events instead of duplicating them.
pub fn calendar(
    a: &Arrangement,
    rows: &[CertRow],
    words: &Words,
    lang: Lang,
    stamp: jiff::Timestamp,
) -> String {
    let events: Vec<RenewalEvent> = rows
        .iter()
        .filter_map(|r| {
            let date = r.renew_from?;
            let permit = r
                .member_id
                .as_deref()
                .and_then(|id| a.member(id))
                .and_then(|m| m.permits.get(&r.instance))
                .map(String::as_str);
            Some(RenewalEvent {
                uid: format!("{}.{}@xroad-share", r.key(), a.owner.code),
                date,
                summary: summary(r, words, lang),
                description: steps(r, words, lang, permit),
                alarm_days_before: REMINDER_DAYS,
            })
        })
        .collect();
    let name = words.get(
        lang,
        "calendar-name",
        &[("owner", a.owner.name.as_str().into())],
    );
    ical::calendar(&name, &events, stamp)
}

/// Midnight UTC of a date, as a timestamp: the calendar's `DTSTAMP` for a packet date
/// (for 9999-12-31, past the range of timestamps, their last moment).
pub fn stamp_of(date: jiff::civil::Date) -> jiff::Timestamp {
    jiff::tz::TimeZone::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(jiff::Timestamp::MAX)
}
