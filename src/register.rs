//! The certificate register: every certificate the arrangement needs, derived from the
//! servers, members and subsystems, merged with the certificates the input lists.
//!
//! Who applies and who renews follows DVV's rules: since 6 May 2026 the owner applies in
//! DVV's e-services for the authentication certificates and for every organisation's
//! signing certificates on its server, its own signing certificate included (one per server,
//! even without subsystems of its own); the internal TLS certificate is the server's own and
//! made by the owner; TLS client certificates are made by the party the agreement names.

use crate::arrangement::{Arrangement, Party};
pub use crate::xroad::CertKind;
use crate::xroad::{self, Instance};

/// Days before expiry when renewal should start (DVV: about a month; it takes at least a week).
pub const RENEW_DAYS_BEFORE: i32 = 30;

crate::codes! {
    /// A certificate's state on a given day.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Status {
        /// Valid, renewal not due yet.
        Ok = "ok",
        /// Within 30 days of expiry: renew now.
        RenewSoon = "renew-soon",
        /// Expired.
        Expired = "expired",
        /// No known expiry.
        Unknown = "unknown",
    }
}

/// One certificate of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct CertRow {
    /// Kind.
    pub kind: CertKind,
    /// Instance.
    pub instance: Instance,
    /// Holder's name.
    pub holder: String,
    /// Member id, for a member's certificates.
    pub member_id: Option<String>,
    /// Subsystem code, for TLS client certificates.
    pub subsystem: Option<String>,
    /// The identifier it belongs to.
    pub subject_id: String,
    /// The server's host name.
    pub server: String,
    /// Who applies for (or creates) it.
    pub applies: Party,
    /// Who renews it.
    pub renews: Party,
    /// Usual validity in months.
    pub validity_months: Option<u32>,
    /// Known expiry.
    pub expires: Option<jiff::civil::Date>,
    /// Renewal start.
    pub renew_from: Option<jiff::civil::Date>,
    /// State on the register's day.
    pub status: Status,
    /// SHA-256 fingerprint, when read from a file.
    pub fingerprint: Option<String>,
}

impl CertRow {
    /// A stable identifier of the certificate, for calendar UIDs and anchors.
    pub fn key(&self) -> String {
        let mut k = format!("{}/{}", self.kind.code(), self.instance);
        if let Some(m) = &self.member_id {
            k.push('/');
            k.push_str(m);
        }
        if let Some(s) = &self.subsystem {
            k.push('/');
            k.push_str(s);
        }
        k
    }

    /// Sets the expiry and derives the renewal start and status on `today`.
    pub fn set_expiry(&mut self, expires: Option<jiff::civil::Date>, today: jiff::civil::Date) {
        self.expires = expires;
        self.renew_from = expires.and_then(|e| {
            e.checked_sub(jiff::Span::new().days(RENEW_DAYS_BEFORE))
                .ok()
        });
        self.status = status(expires, self.renew_from, today);
    }
}

/// The status of a certificate with the given expiry and renewal start on `today`.
pub fn status(
    expires: Option<jiff::civil::Date>,
    renew_from: Option<jiff::civil::Date>,
    today: jiff::civil::Date,
) -> Status {
    match (expires, renew_from) {
        (None, _) => Status::Unknown,
        (Some(e), _) if e < today => Status::Expired,
        (Some(_), Some(r)) if today >= r => Status::RenewSoon,
        _ => Status::Ok,
    }
}

/// Builds the register, with statuses as of `today`. Expiries and fingerprints come from the
/// arrangement's known certificates (where a certificate file's expiry already replaced the
/// stated one).
pub fn register(a: &Arrangement, today: jiff::civil::Date) -> Vec<CertRow> {
    let owner = &a.owner;
    let mut rows = Vec::new();
    let row = |kind,
               instance: Instance,
               holder: &str,
               member_id: Option<&str>,
               subsystem: Option<&str>,
               subject_id: String,
               server: &str,
               by: Party| CertRow {
        kind,
        instance,
        holder: holder.to_string(),
        member_id: member_id.map(str::to_string),
        subsystem: subsystem.map(str::to_string),
        subject_id,
        server: server.to_string(),
        applies: by,
        renews: by,
        // DVV publishes the validity of its certificates for FI and FI-TEST only.
        validity_months: match kind {
            _ if instance == Instance::Dev => None,
            CertKind::Authentication => Some(instance.auth_cert_months()),
            CertKind::Signing => Some(24),
            CertKind::InternalTls | CertKind::ClientTls => None,
        },
        expires: None,
        renew_from: None,
        status: Status::Unknown,
        fingerprint: None,
    };
    for s in &a.servers {
        let sid = xroad::server_id(s.instance, owner.class.code(), &owner.code, &s.code);
        rows.push(row(
            CertKind::Authentication,
            s.instance,
            &owner.name,
            None,
            None,
            sid.clone(),
            &s.fqdn,
            Party::Owner,
        ));
        // The internal TLS certificate is the server's own: the owner creates it and hands its
        // public part to every member for its information systems.
        rows.push(row(
            CertKind::InternalTls,
            s.instance,
            &owner.name,
            None,
            None,
            sid,
            &s.fqdn,
            Party::Owner,
        ));
        // The owner's own signing certificate is needed on every server, even when the owner
        // has no subsystems: the X-Road management services (registering the authentication
        // certificate, changing the server's address) are signed with it.
        let mid = xroad::member_id(s.instance, owner.class.code(), &owner.code);
        rows.push(row(
            CertKind::Signing,
            s.instance,
            &owner.name,
            None,
            None,
            mid,
            &s.fqdn,
            Party::Owner,
        ));
        for sub in owner
            .subsystems
            .iter()
            .filter(|x| x.instances.contains(&s.instance))
        {
            let id = xroad::subsystem_id(s.instance, owner.class.code(), &owner.code, &sub.code);
            rows.push(row(
                CertKind::ClientTls,
                s.instance,
                &owner.name,
                None,
                Some(&sub.code),
                id,
                &s.fqdn,
                Party::Owner,
            ));
        }
    }
    for m in &a.members {
        for i in m.instances() {
            let Some(s) = a.server(i) else { continue };
            let mid = xroad::member_id(i, m.org.class.code(), &m.org.code);
            // Since 6 May 2026 the owner applies for the member's signing certificate in DVV's e-services.
            rows.push(row(
                CertKind::Signing,
                i,
                &m.org.name,
                Some(&m.id),
                None,
                mid,
                &s.fqdn,
                Party::Owner,
            ));
            for sub in m.org.subsystems.iter().filter(|x| x.instances.contains(&i)) {
                let id = xroad::subsystem_id(i, m.org.class.code(), &m.org.code, &sub.code);
                rows.push(row(
                    CertKind::ClientTls,
                    i,
                    &m.org.name,
                    Some(&m.id),
                    Some(&sub.code),
                    id,
                    &s.fqdn,
                    m.client_tls_by,
                ));
            }
        }
    }
    for r in &mut rows {
        let known = a.certificates.iter().find(|c| {
            c.kind == r.kind
                && c.instance == r.instance
                && c.member.as_deref() == r.member_id.as_deref()
                && c.subsystem.as_deref() == r.subsystem.as_deref()
        });
        r.set_expiry(known.and_then(|c| c.expires), today);
        r.fingerprint = known
            .and_then(|c| c.file_info.as_ref())
            .filter(|f| !f.is_request)
            .map(|f| f.fingerprint.clone());
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn status_by_date() {
        let e = Some(date(2027, 1, 31));
        let r = Some(date(2027, 1, 1));
        assert_eq!(status(e, r, date(2026, 12, 31)), Status::Ok);
        assert_eq!(status(e, r, date(2027, 1, 1)), Status::RenewSoon);
        assert_eq!(status(e, r, date(2027, 1, 31)), Status::RenewSoon);
        assert_eq!(status(e, r, date(2027, 2, 1)), Status::Expired);
        assert_eq!(status(None, None, date(2027, 2, 1)), Status::Unknown);
    }
}
