//! The parts of the X-Road Security Server Admin API's responses that `sync` reads: the
//! `Client`, `Token`, `Key`, `TokenCertificate`, `TokenCertificateSigningRequest` and
//! `CertificateDetails` schemas of its OpenAPI definition (`/api/v1`).
//!
//! The types read only the fields they need and ignore the rest, so that a newer server's
//! additions do not break `sync`. Enumerations have an `Other` value for the same reason. A
//! field the definition marks as required but that the server may leave out in practice
//! (`TokenCertificate.owner_id` of an authentication certificate, whose owner is the server)
//! is optional here.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A client of the security server: a member (no `subsystem_code`) or a subsystem.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Client {
    /// `<instance>:<class>:<code>[:<subsystem>]`.
    #[serde(default)]
    pub id: Option<String>,
    /// The X-Road instance, e.g. `FI-TEST`.
    #[serde(default)]
    pub instance_id: Option<String>,
    /// The member's name in the global configuration.
    #[serde(default)]
    pub member_name: Option<String>,
    /// Member class.
    pub member_class: String,
    /// Member code.
    pub member_code: String,
    /// Subsystem code; absent for a member.
    #[serde(default)]
    pub subsystem_code: Option<String>,
    /// Whether this is the server's owner member.
    #[serde(default)]
    pub owner: Option<bool>,
    /// Registration status.
    #[serde(default)]
    pub status: Option<ClientStatus>,
}

/// `ClientStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClientStatus {
    /// Registered on the central server.
    Registered,
    /// Added to the security server only.
    Saved,
    /// Registered, but missing from the global configuration.
    GlobalError,
    /// The registration request was sent.
    RegistrationInProgress,
    /// The deletion request was sent.
    DeletionInProgress,
    /// Registered and disabled.
    Disabled,
    /// Registered; a disabling request was sent.
    DisablingInProgress,
    /// Registered and disabled; an enabling request was sent.
    EnablingInProgress,
    /// A status this version does not know.
    #[serde(other)]
    Other,
}

impl ClientStatus {
    /// The status as the API writes it.
    pub fn code(self) -> &'static str {
        match self {
            ClientStatus::Registered => "REGISTERED",
            ClientStatus::Saved => "SAVED",
            ClientStatus::GlobalError => "GLOBAL_ERROR",
            ClientStatus::RegistrationInProgress => "REGISTRATION_IN_PROGRESS",
            ClientStatus::DeletionInProgress => "DELETION_IN_PROGRESS",
            ClientStatus::Disabled => "DISABLED",
            ClientStatus::DisablingInProgress => "DISABLING_IN_PROGRESS",
            ClientStatus::EnablingInProgress => "ENABLING_IN_PROGRESS",
            ClientStatus::Other => "unknown",
        }
    }

    /// Whether the subsystem's registration request was sent from the security server. A
    /// deletion request can follow a registration request (or a registration) only; the
    /// disabling states follow a registration only.
    pub fn request_sent(self) -> bool {
        matches!(
            self,
            ClientStatus::RegistrationInProgress
                | ClientStatus::Registered
                | ClientStatus::DeletionInProgress
                | ClientStatus::Disabled
                | ClientStatus::DisablingInProgress
                | ClientStatus::EnablingInProgress
        )
    }

    /// Whether the central server has registered the subsystem: a security server can
    /// disable only a registered client.
    pub fn registered(self) -> bool {
        matches!(
            self,
            ClientStatus::Registered
                | ClientStatus::Disabled
                | ClientStatus::DisablingInProgress
                | ClientStatus::EnablingInProgress
        )
    }
}

/// A token (software or hardware) with its keys.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Token {
    /// Token id.
    pub id: String,
    /// Token name.
    pub name: String,
    /// Its keys.
    pub keys: Vec<Key>,
}

/// A key with its certificates and certificate signing requests.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Key {
    /// Key id.
    pub id: String,
    /// Signing or authentication; absent before the first CSR.
    #[serde(default)]
    pub usage: Option<KeyUsage>,
    /// Certificates of this key.
    pub certificates: Vec<TokenCertificate>,
    /// CSRs of this key.
    pub certificate_signing_requests: Vec<SigningRequest>,
}

/// `KeyUsageType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KeyUsage {
    /// The server's authentication key.
    Authentication,
    /// A member's signing key.
    Signing,
    /// A usage this version does not know.
    #[serde(other)]
    Other,
}

/// A certificate stored in a token.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TokenCertificate {
    /// `<instance>:<class>:<code>` of the member the certificate belongs to.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Registration status.
    #[serde(default)]
    pub status: Option<CertificateStatus>,
    /// The certificate's contents.
    pub certificate_details: CertificateDetails,
}

/// `CertificateStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CertificateStatus {
    /// Installed, not registered.
    Saved,
    /// The registration request was sent.
    RegistrationInProgress,
    /// Registered on the central server.
    Registered,
    /// The deletion request was sent.
    DeletionInProgress,
    /// Not in the global configuration.
    GlobalError,
    /// A status this version does not know.
    #[serde(other)]
    Other,
}

impl CertificateStatus {
    /// The status as the API writes it.
    pub fn code(self) -> &'static str {
        match self {
            CertificateStatus::Saved => "SAVED",
            CertificateStatus::RegistrationInProgress => "REGISTRATION_IN_PROGRESS",
            CertificateStatus::Registered => "REGISTERED",
            CertificateStatus::DeletionInProgress => "DELETION_IN_PROGRESS",
            CertificateStatus::GlobalError => "GLOBAL_ERROR",
            CertificateStatus::Other => "unknown",
        }
    }
}

/// A certificate signing request stored with a key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SigningRequest {
    /// CSR id.
    pub id: String,
    /// `<instance>:<class>:<code>` of the member it is for.
    pub owner_id: String,
}

/// `CertificateDetails`: what `sync` needs of any certificate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CertificateDetails {
    /// The subject's common name.
    #[serde(default)]
    pub subject_common_name: Option<String>,
    /// The end of the validity period.
    #[serde(deserialize_with = "timestamp")]
    pub not_after: jiff::Timestamp,
    /// SHA-256 hash of the certificate.
    #[serde(default)]
    pub hash: Option<String>,
}

impl CertificateDetails {
    /// The last day of validity, as a UTC date (as for certificate files).
    pub fn expires_on(&self) -> jiff::civil::Date {
        jiff::tz::TimeZone::UTC.to_datetime(self.not_after).date()
    }
}

fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<jiff::Timestamp, D::Error> {
    let text = String::deserialize(d)?;
    text.parse::<jiff::Timestamp>().map_err(|_| {
        serde::de::Error::custom(format!(
            "expected a date-time such as `2028-11-20T10:00:00.000Z`, found `{text}`"
        ))
    })
}

/// A member identifier as the API writes it: `<instance>:<class>:<code>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MemberId {
    /// Instance, e.g. `FI-TEST`.
    pub instance: String,
    /// Member class.
    pub class: String,
    /// Member code.
    pub code: String,
}

impl MemberId {
    /// Parses `<instance>:<class>:<code>`; X-Road identifiers cannot hold a colon.
    pub fn parse(s: &str) -> Option<MemberId> {
        let mut parts = s.split(':');
        let (Some(instance), Some(class), Some(code), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        if [instance, class, code].iter().any(|p| p.is_empty()) {
            return None;
        }
        Some(MemberId {
            instance: instance.to_string(),
            class: class.to_string(),
            code: code.to_string(),
        })
    }
}

impl fmt::Display for MemberId {
    /// The standard form, `MEMBER:FI/MUN/2345678-0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MEMBER:{}/{}/{}", self.instance, self.class, self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids_have_three_parts() {
        let id = MemberId::parse("FI-TEST:MUN:2345678-0").expect("a member id");
        assert_eq!(id.to_string(), "MEMBER:FI-TEST/MUN/2345678-0");
        assert_eq!(MemberId::parse("FI-TEST:MUN:2345678-0:sub"), None);
        assert_eq!(MemberId::parse("FI-TEST:MUN"), None);
        assert_eq!(MemberId::parse("FI-TEST::2345678-0"), None);
    }

    #[test]
    fn expiry_is_the_utc_date() {
        let d: CertificateDetails =
            serde_json::from_str(r#"{"not_after": "2028-11-20T23:30:00.000-02:00"}"#)
                .expect("details");
        assert_eq!(d.expires_on(), jiff::civil::date(2028, 11, 21));
    }

    #[test]
    fn a_wrong_date_names_the_value() {
        let e = serde_json::from_str::<CertificateDetails>(r#"{"not_after": "tomorrow"}"#)
            .expect_err("not a date-time");
        assert!(e.to_string().contains("found `tomorrow`"), "{e}");
    }

    #[test]
    fn unknown_statuses_are_tolerated() {
        let c: Client = serde_json::from_str(
            r#"{"member_class": "MUN", "member_code": "1", "status": "SOMETHING_NEW"}"#,
        )
        .expect("client");
        assert_eq!(c.status, Some(ClientStatus::Other));
        assert!(!ClientStatus::Other.request_sent());
        assert!(ClientStatus::Disabled.registered());
        assert!(ClientStatus::RegistrationInProgress.request_sent());
        assert!(!ClientStatus::RegistrationInProgress.registered());
        assert!(!ClientStatus::Saved.request_sent());
    }
}
