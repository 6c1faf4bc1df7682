//! The renewal calendar: one iCalendar event per certificate with a known expiry, on the
//! day its renewal should start, in the language of the packet.

use crate::arrangement::{Arrangement, Lang};
use crate::ical::{self, RenewalEvent};
use crate::register::{CertKind, CertRow};

/// Days before the renewal start when the calendar reminds.
pub const REMINDER_DAYS: u32 = 7;

fn kind_name(kind: CertKind, lang: Lang) -> &'static str {
    match (lang, kind) {
        (Lang::Fi, CertKind::Authentication) => "autentikointivarmenne",
        (Lang::Fi, CertKind::Signing) => "allekirjoitusvarmenne",
        (Lang::Fi, CertKind::InternalTls) => "sisäinen TLS-varmenne",
        (Lang::Fi, CertKind::ClientTls) => "TLS-asiakasvarmenne",
        (Lang::Sv, CertKind::Authentication) => "autentiseringscertifikat",
        (Lang::Sv, CertKind::Signing) => "signeringscertifikat",
        (Lang::Sv, CertKind::InternalTls) => "internt TLS-certifikat",
        (Lang::Sv, CertKind::ClientTls) => "TLS-klientcertifikat",
        (Lang::En, CertKind::Authentication) => "authentication certificate",
        (Lang::En, CertKind::Signing) => "signing certificate",
        (Lang::En, CertKind::InternalTls) => "internal TLS certificate",
        (Lang::En, CertKind::ClientTls) => "TLS client certificate",
    }
}

/// The event summary, e.g. "Renew the signing certificate: Pikkulan kunta, FI-TEST".
pub fn summary(row: &CertRow, lang: Lang) -> String {
    let what = match &row.subsystem {
        Some(s) => format!("{}, {s}", row.holder),
        None => row.holder.clone(),
    };
    let kind = kind_name(row.kind, lang);
    match lang {
        Lang::Fi => format!("Uusi {kind}: {what}, {}", row.instance),
        Lang::Sv => format!("Förnya {kind}: {what}, {}", row.instance),
        Lang::En => format!("Renew the {kind}: {what}, {}", row.instance),
    }
}

/// The steps of renewing, as a description.
pub fn steps(row: &CertRow, lang: Lang, permit: Option<&str>) -> String {
    let expiry = row.expires.map(|d| d.to_string()).unwrap_or_default();
    let permit = permit.unwrap_or("—");
    if row.kind.via_dvv() {
        match lang {
            Lang::Fi => format!(
                "Varmenne vanhenee {expiry} ({}, {}).\n1. Luo uusi avain ja varmennepyyntö (CSR) liityntäpalvelimen hallintakäyttöliittymässä.\n2. Hae varmennetta DVV:n asiointipalvelussa palvelinomistajan asiakastilillä, liitä CSR ja käyttölupapäätöksen diaarinumero ({permit}).\n3. Asenna DVV:n toimittama varmenne liityntäpalvelimelle ja ota se käyttöön.\n4. Varmista, että palveluväylän ylläpito on hyväksynyt varmenteen rekisteröinnin, ja poista vanha varmenne käytöstä.\nUusiminen kestää vähintään viikon; vanha ja uusi varmenne voivat olla rinnakkain.",
                row.subject_id, row.server
            ),
            Lang::Sv => format!(
                "Certifikatet går ut {expiry} ({}, {}).\n1. Skapa en ny nyckel och certifikatbegäran (CSR) i anslutningsserverns administrationsgränssnitt.\n2. Ansök om certifikatet i DVV:s e-tjänst med serverägarens kundkonto, bifoga CSR och diarienumret för beslutet om användningstillstånd ({permit}).\n3. Installera certifikatet som DVV levererar på anslutningsservern och ta det i bruk.\n4. Kontrollera att tjänstekanalens underhåll har godkänt registreringen av certifikatet och ta det gamla ur bruk.\nFörnyelsen tar minst en vecka; det gamla och det nya certifikatet kan användas samtidigt.",
                row.subject_id, row.server
            ),
            Lang::En => format!(
                "The certificate expires on {expiry} ({}, {}).\n1. Create a new key and certificate signing request (CSR) in the security server's admin UI.\n2. Apply for the certificate in DVV's e-services with the server owner's customer account, attaching the CSR and the user permit decision reference ({permit}).\n3. Install the certificate that DVV delivers on the security server and take it into use.\n4. Check that the Maintenance team has approved the certificate's registration, then retire the old certificate.\nRenewal takes at least a week; the old and the new certificate can coexist.",
                row.subject_id, row.server
            ),
        }
    } else {
        match lang {
            Lang::Fi => format!(
                "Varmenne vanhenee {expiry} ({}, {}).\nLuo uusi varmenne, vaihda se liityntäpalvelimelle ja tietojärjestelmään sovitulla tavalla ja varmista yhteys ennen vanhan poistamista.",
                row.subject_id, row.server
            ),
            Lang::Sv => format!(
                "Certifikatet går ut {expiry} ({}, {}).\nSkapa ett nytt certifikat, byt ut det på anslutningsservern och i informationssystemet enligt överenskommelsen och kontrollera förbindelsen innan det gamla tas bort.",
                row.subject_id, row.server
            ),
            Lang::En => format!(
                "The certificate expires on {expiry} ({}, {}).\nCreate a new certificate, exchange it on the security server and in the information system as agreed, and test the connection before removing the old one.",
                row.subject_id, row.server
            ),
        }
    }
}

/// The calendar of every renewal start, with event UIDs stable per certificate and owner,
/// so that importing it again updates the events instead of duplicating them.
pub fn calendar(a: &Arrangement, rows: &[CertRow], lang: Lang, stamp: jiff::Timestamp) -> String {
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
                summary: summary(r, lang),
                description: steps(r, lang, permit),
                alarm_days_before: REMINDER_DAYS,
            })
        })
        .collect();
    let name = match lang {
        Lang::Fi => format!("Varmenteiden uusiminen – {}", a.owner.name),
        Lang::Sv => format!("Förnyelse av certifikat – {}", a.owner.name),
        Lang::En => format!("Certificate renewals – {}", a.owner.name),
    };
    ical::calendar(&name, &events, stamp)
}

/// Midnight UTC of a date, as a timestamp: the calendar's `DTSTAMP` for a packet date.
pub fn stamp_of(date: jiff::civil::Date) -> jiff::Timestamp {
    jiff::tz::TimeZone::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
