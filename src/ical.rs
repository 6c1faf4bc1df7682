//! The renewal calendar: certificate renewals as an RFC 5545 iCalendar file (`renewals.ics`).
//!
//! Each [`RenewalEvent`] becomes an all-day `VEVENT` with a display `VALARM` some days ahead.
//! The output depends only on the arguments: `DTSTAMP` is the caller's timestamp, every `UID`
//! is the caller's, the clock is never read, and events keep the order they are given in.
//!
//! The file is written here rather than with the `icalendar` crate, which cannot produce it
//! deterministically and within RFC 5545: `icalendar` 0.17 writes `DTSTAMP` with the current
//! time and a random `UID` into every component that lacks them, the `VALARM` included, where
//! RFC 5545 allows neither; keeping the clock and randomness out would take a non-conforming
//! `DTSTAMP` in each alarm. What this module writes is small: a fixed set of properties,
//! text escaping (RFC 5545 §3.3.11), and line folding at 75 octets without splitting a UTF-8
//! character (§3.1). The tests read the output back with `icalendar`'s parser.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The product identifier written into every calendar.
pub const PRODID: &str = "-//xroad-share//xroad-share//EN";

/// The local time of day (hours) at which a reminder goes off.
const ALARM_HOUR: u32 = 9;

/// The longest content line RFC 5545 allows, in octets, without the line break.
const MAX_LINE_OCTETS: usize = 75;

/// One renewal to remember: an all-day event with a reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalEvent {
    /// The event's globally unique and stable identifier, e.g.
    /// `sign/FI-TEST/pikkula@xroad-share`; calendars use it to update an imported event.
    pub uid: String,
    /// The day of the event, e.g. when the renewal should start.
    pub date: Date,
    /// The event's title.
    pub summary: String,
    /// The event's longer text; may have several lines. Left out when empty.
    pub description: String,
    /// How many days before [`RenewalEvent::date`] the reminder goes off, at 09:00 local
    /// time; 0 means 09:00 on the day itself.
    pub alarm_days_before: u32,
}

/// Writes an iCalendar file with one all-day event per renewal.
///
/// `name` is the calendar's display name (`NAME` and `X-WR-CALNAME`); `stamp` becomes every
/// event's `DTSTAMP`, so the same arguments always give the same bytes. Lines end in CRLF
/// and are folded at 75 octets. With no events the calendar has no components, which
/// calendar programs accept although RFC 5545 asks for at least one.
#[must_use]
pub fn calendar(name: &str, events: &[RenewalEvent], stamp: Timestamp) -> String {
    let mut out = Lines::default();
    out.raw("BEGIN:VCALENDAR");
    out.raw("VERSION:2.0");
    out.raw(&format!("PRODID:{PRODID}"));
    out.raw("CALSCALE:GREGORIAN");
    out.text("NAME", name);
    out.text("X-WR-CALNAME", name);
    let dtstamp = utc_date_time(stamp);
    for event in events {
        out.raw("BEGIN:VEVENT");
        out.text("UID", &event.uid);
        out.raw(&format!("DTSTAMP:{dtstamp}"));
        out.raw(&format!("DTSTART;VALUE=DATE:{}", date(event.date)));
        // RFC 5545 §3.6.1: an all-day event without DTEND lasts one day, which is what the
        // very last representable date gets.
        if let Ok(next) = event.date.tomorrow() {
            out.raw(&format!("DTEND;VALUE=DATE:{}", date(next)));
        }
        out.text("SUMMARY", &event.summary);
        if !event.description.is_empty() {
            out.text("DESCRIPTION", &event.description);
        }
        out.raw("TRANSP:TRANSPARENT");
        out.raw("BEGIN:VALARM");
        out.raw("ACTION:DISPLAY");
        out.text("DESCRIPTION", &event.summary);
        out.raw(&format!("TRIGGER:{}", trigger(event.alarm_days_before)));
        out.raw("END:VALARM");
        out.raw("END:VEVENT");
    }
    out.raw("END:VCALENDAR");
    out.0
}

/// Content lines being written: each folded and ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// Writes a content line as it is, folded.
    fn raw(&mut self, line: &str) {
        let mut octets = 0;
        for ch in line.chars() {
            let len = ch.len_utf8();
            if octets + len > MAX_LINE_OCTETS {
                self.0.push_str("\r\n ");
                octets = 1;
            }
            self.0.push(ch);
            octets += len;
        }
        self.0.push_str("\r\n");
    }

    /// Writes a property whose value is TEXT, escaping the value.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(&format!("{name}:{}", escape_text(value)));
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\`, `;` and `,` get a backslash, line breaks
/// (LF, CRLF or CR) become `\n`, and other control characters but tab, which TEXT cannot
/// hold, are left out.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            ch if ch.is_control() => {}
            ch => out.push(ch),
        }
    }
    out
}

/// A DATE value: `YYYYMMDD`.
fn date(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// A DATE-TIME value in UTC: `YYYYMMDDTHHMMSSZ`.
fn utc_date_time(stamp: Timestamp) -> String {
    let dt = TimeZone::UTC.to_datetime(stamp);
    let mut out = date(dt.date());
    let _ = write!(
        out,
        "T{:02}{:02}{:02}Z",
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    out
}

/// The alarm's trigger relative to the start of an all-day event (local midnight): 09:00
/// `days_before` days earlier.
fn trigger(days_before: u32) -> String {
    match days_before {
        0 => format!("PT{ALARM_HOUR}H"),
        1 => format!("-PT{}H", 24 - ALARM_HOUR),
        days => format!("-P{}DT{}H", days - 1, 24 - ALARM_HOUR),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::parser::{Component, read_calendar, unfold};
    use jiff::civil::date as ymd;

    fn stamp() -> Timestamp {
        "2026-11-20T08:30:05Z".parse().expect("timestamp")
    }

    fn event(uid: &str, date: Date, summary: &str, description: &str, days: u32) -> RenewalEvent {
        RenewalEvent {
            uid: uid.to_owned(),
            date,
            summary: summary.to_owned(),
            description: description.to_owned(),
            alarm_days_before: days,
        }
    }

    fn sample() -> Vec<RenewalEvent> {
        vec![
            event(
                "sign/FI-TEST/pikkula@xroad-share",
                ymd(2027, 12, 31),
                "Uusi Pikkulan kunnan allekirjoitusvarmenne (FI-TEST)",
                "Varmenne vanhenee 2028-01-30.\nHae uusi DVV:n asiointipalvelussa.",
                7,
            ),
            event(
                "auth/FI/jarvenrantalp01@xroad-share",
                ymd(2028, 2, 29),
                "Renew the authentication certificate of jarvenrantalp01",
                "",
                0,
            ),
        ]
    }

    /// The value of the component's property `name`, panicking when it is missing.
    fn prop<'a>(component: &'a Component<'_>, name: &str) -> &'a str {
        component
            .find_prop(name)
            .unwrap_or_else(|| panic!("no {name} in {}", component.name.as_str()))
            .val
            .as_str()
    }

    /// The value of the parameter `key` of the component's property `name`.
    fn param<'a>(component: &'a Component<'_>, name: &str, key: &str) -> Option<&'a str> {
        component
            .find_prop(name)?
            .params
            .iter()
            .find(|p| p.key.as_str() == key)
            .and_then(|p| p.val.as_ref())
            .map(|v| v.as_str())
    }

    // Every event parses back with its UID, dates, stamp, texts and alarm.
    #[test]
    fn events_parse_back_with_a_real_parser() {
        let events = sample();
        let text = calendar("Järvenranta: varmenteet", &events, stamp());
        let unfolded = unfold(&text);
        let parsed = read_calendar(&unfolded).expect("parses");
        let calendar_prop = |name: &str| {
            parsed
                .properties
                .iter()
                .find(|p| p.name.as_str() == name)
                .map(|p| p.val.as_str())
        };
        assert_eq!(calendar_prop("VERSION"), Some("2.0"));
        assert_eq!(calendar_prop("PRODID"), Some(PRODID));
        assert_eq!(
            calendar_prop("X-WR-CALNAME"),
            Some("Järvenranta: varmenteet")
        );

        let vevents: Vec<&Component<'_>> = parsed
            .components
            .iter()
            .filter(|c| c.name.as_str() == "VEVENT")
            .collect();
        assert_eq!(vevents.len(), 2);

        let first = vevents[0];
        assert_eq!(prop(first, "UID"), "sign/FI-TEST/pikkula@xroad-share");
        assert_eq!(prop(first, "DTSTAMP"), "20261120T083005Z");
        assert_eq!(prop(first, "DTSTART"), "20271231");
        assert_eq!(param(first, "DTSTART", "VALUE"), Some("DATE"));
        assert_eq!(prop(first, "DTEND"), "20280101");
        assert_eq!(param(first, "DTEND", "VALUE"), Some("DATE"));
        assert_eq!(prop(first, "SUMMARY"), events[0].summary);
        assert_eq!(prop(first, "DESCRIPTION"), events[0].description);
        let alarm = &first.components[0];
        assert_eq!(alarm.name.as_str(), "VALARM");
        assert_eq!(prop(alarm, "ACTION"), "DISPLAY");
        assert_eq!(prop(alarm, "TRIGGER"), "-P6DT15H");
        assert_eq!(prop(alarm, "DESCRIPTION"), events[0].summary);

        let second = vevents[1];
        assert_eq!(prop(second, "UID"), "auth/FI/jarvenrantalp01@xroad-share");
        assert_eq!(prop(second, "DTSTART"), "20280229");
        assert_eq!(prop(second, "DTEND"), "20280301");
        assert!(second.find_prop("DESCRIPTION").is_none());
        assert_eq!(prop(&second.components[0], "TRIGGER"), "PT9H");
    }

    // The crate's calendar model reads the file too, and sees the same events.
    #[test]
    fn icalendar_model_reads_the_events() {
        use icalendar::Component as _;
        let events = sample();
        let text = calendar("Renewals", &events, stamp());
        let model: icalendar::Calendar = text.parse().expect("parses");
        let parsed: Vec<(Option<&str>, Option<&str>)> = model
            .events()
            .map(|e| (e.get_uid(), e.get_summary()))
            .collect();
        assert_eq!(
            parsed,
            events
                .iter()
                .map(|e| (Some(e.uid.as_str()), Some(e.summary.as_str())))
                .collect::<Vec<_>>()
        );
    }

    // The whole output of one event, byte for byte: the format at a glance.
    #[test]
    fn output_is_exact() {
        let events = [event(
            "sign/FI/pikkula@xroad-share",
            ymd(2028, 10, 1),
            "Renew signing certificate, Pikkula; FI",
            "Expires 2028-10-31.",
            14,
        )];
        let expected = "BEGIN:VCALENDAR\r\n\
            VERSION:2.0\r\n\
            PRODID:-//xroad-share//xroad-share//EN\r\n\
            CALSCALE:GREGORIAN\r\n\
            NAME:Renewals\r\n\
            X-WR-CALNAME:Renewals\r\n\
            BEGIN:VEVENT\r\n\
            UID:sign/FI/pikkula@xroad-share\r\n\
            DTSTAMP:20261120T083005Z\r\n\
            DTSTART;VALUE=DATE:20281001\r\n\
            DTEND;VALUE=DATE:20281002\r\n\
            SUMMARY:Renew signing certificate\\, Pikkula\\; FI\r\n\
            DESCRIPTION:Expires 2028-10-31.\r\n\
            TRANSP:TRANSPARENT\r\n\
            BEGIN:VALARM\r\n\
            ACTION:DISPLAY\r\n\
            DESCRIPTION:Renew signing certificate\\, Pikkula\\; FI\r\n\
            TRIGGER:-P13DT15H\r\n\
            END:VALARM\r\n\
            END:VEVENT\r\n\
            END:VCALENDAR\r\n";
        assert_eq!(calendar("Renewals", &events, stamp()), expected);
    }

    // Lines end in CRLF only, never a bare CR or LF.
    #[test]
    fn lines_end_in_crlf() {
        let mut events = sample();
        events[0].description = "one\r\ntwo\rthree\nfour".to_owned();
        let text = calendar("Renewals", &events, stamp());
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        let bytes = text.as_bytes();
        for (i, byte) in bytes.iter().enumerate() {
            match byte {
                b'\r' => assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}"),
                b'\n' => assert_eq!(bytes[i - 1], b'\r', "bare LF at {i}"),
                _ => {}
            }
        }
        assert!(text.contains("DESCRIPTION:one\\ntwo\\nthree\\nfour\r\n"));
    }

    // Long Finnish text is folded into lines of at most 75 octets and unfolds unchanged.
    #[test]
    fn long_finnish_text_is_folded_and_round_trips() {
        let long = "Järvenrannan kaupungin ylläpitämän liityntäpalvelimen käyttöön liittyvän \
                    allekirjoitusvarmenteen uusiminen: hae uusi varmenne Digi- ja \
                    väestötietoviraston asiointipalvelussa viimeistään kuukautta ennen \
                    vanhenemista, sillä käsittely kestää vähintään viikon. Älä unohda \
                    päivittää öisin ajettavia eräajoja.";
        let events = [event("x@y", ymd(2027, 3, 1), long, long, 30)];
        let text = calendar("Varmenteet", &events, stamp());
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert!(
            lines.iter().all(|line| line.len() <= MAX_LINE_OCTETS),
            "{text}"
        );
        let continued = lines.iter().filter(|line| line.starts_with(' ')).count();
        assert!(continued >= 8, "only {continued} continuation lines");
        let unfolded = unfold(&text);
        let parsed = read_calendar(&unfolded).expect("parses");
        assert_eq!(prop(&parsed.components[0], "SUMMARY"), long);
        assert_eq!(prop(&parsed.components[0], "DESCRIPTION"), long);
    }

    // A fold never splits a 2-, 3- or 4-octet character: it moves the whole one down.
    #[test]
    fn fold_keeps_multibyte_characters_whole() {
        for wide in ['ä', '€', '🦀'] {
            // "SUMMARY:" and 66 letters fill 74 octets; the wide character does not fit.
            let summary = format!("{}{wide}{wide}", "a".repeat(66));
            let events = [event("u", ymd(2027, 1, 1), &summary, "", 0)];
            let text = calendar("c", &events, stamp());
            let expected = format!("SUMMARY:{}\r\n {wide}{wide}\r\n", "a".repeat(66));
            assert!(text.contains(&expected), "{wide}: {text}");
        }
        // Exactly 75 octets stays on one line; 76 folds.
        let events = [event("u", ymd(2027, 1, 1), &"b".repeat(67), "", 0)];
        let text = calendar("c", &events, stamp());
        assert!(text.contains(&format!("SUMMARY:{}\r\n", "b".repeat(67))));
        let events = [event("u", ymd(2027, 1, 1), &"b".repeat(68), "", 0)];
        let text = calendar("c", &events, stamp());
        assert!(text.contains(&format!("SUMMARY:{}\r\n b\r\n", "b".repeat(67))));
    }

    // `\`, `;`, `,` and line breaks are escaped; other control characters are dropped.
    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape_text("1\n2\r\n3\r4"), r"1\n2\n3\n4");
        assert_eq!(
            escape_text("tab\there\u{7}bell\u{0}nul"),
            "tab\therebellnul"
        );
        assert_eq!(escape_text(r"C:\new"), r"C:\\new");
        assert_eq!(escape_text("ääkköset: ok"), "ääkköset: ok");
    }

    // Escaped text parses back to the original (avoiding a backslash before `n`, which the
    // `icalendar` parser unescapes in the wrong order).
    #[test]
    fn escaped_text_round_trips() {
        let tricky = "Kunta, kaupunki; \\ tausta\nuusi rivi: \"lainaus\"";
        let events = [event("a,b;c", ymd(2027, 5, 5), tricky, tricky, 3)];
        let text = calendar("x, y; z", &events, stamp());
        assert!(text.contains("UID:a\\,b\\;c\r\n"));
        let unfolded = unfold(&text);
        let parsed = read_calendar(&unfolded).expect("parses");
        let vevent = &parsed.components[0];
        assert_eq!(prop(vevent, "SUMMARY"), tricky);
        assert_eq!(prop(vevent, "DESCRIPTION"), tricky);
        assert_eq!(prop(vevent, "UID"), "a,b;c");
    }

    // The same input gives the same bytes; only the stamp changes with the stamp.
    #[test]
    fn output_is_deterministic() {
        let events = sample();
        let first = calendar("Renewals", &events, stamp());
        let second = calendar("Renewals", &events.clone(), stamp());
        assert_eq!(first.as_bytes(), second.as_bytes());
        let later: Timestamp = "2027-01-02T03:04:05Z".parse().expect("timestamp");
        let third = calendar("Renewals", &events, later);
        assert_ne!(first, third);
        assert_eq!(first.replace("20261120T083005Z", "20270102T030405Z"), third);
    }

    // Reminders go off at 09:00 the given number of days before the event.
    #[test]
    fn alarm_triggers_at_nine() {
        assert_eq!(trigger(0), "PT9H");
        assert_eq!(trigger(1), "-PT15H");
        assert_eq!(trigger(2), "-P1DT15H");
        assert_eq!(trigger(30), "-P29DT15H");
        assert_eq!(trigger(u32::MAX), format!("-P{}DT15H", u32::MAX - 1));
    }

    // The last representable date has no next day: DTEND is left out, nothing panics.
    #[test]
    fn last_date_has_no_dtend() {
        let events = [event("end", Date::MAX, "end of time", "", 0)];
        let text = calendar("c", &events, stamp());
        assert!(text.contains("DTSTART;VALUE=DATE:99991231\r\n"));
        assert!(!text.contains("DTEND"));
    }

    // A calendar without events is still a well-formed file.
    #[test]
    fn no_events_gives_an_empty_calendar() {
        let text = calendar("c", &[], stamp());
        let unfolded = unfold(&text);
        let parsed = read_calendar(&unfolded).expect("parses");
        assert!(parsed.components.is_empty());
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    }
}
