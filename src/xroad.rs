//! The X-Road domain kernel: instances, member classes, Business IDs, host names,
//! addresses and identifiers, as DVV and the X-Road message protocol define them.
//!
//! Every function here is pure and total: it answers for any string, never panics,
//! and is unit-tested over real and tricky values.

use std::fmt;
use std::net::Ipv4Addr;

crate::codes! {
    /// An X-Road instance of the Suomi.fi Data Exchange Layer. `ALL` is in the order a
    /// member goes through them: development, test, production.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Instance {
        /// `FI-DEV`, the development environment.
        Dev = "FI-DEV",
        /// `FI-TEST`, the test environment.
        Test = "FI-TEST",
        /// `FI`, production.
        Prod = "FI",
    }
}

impl Instance {
    /// The usual validity of the security server's authentication certificate, in months.
    pub fn auth_cert_months(self) -> u32 {
        match self {
            Instance::Prod => 6,
            Instance::Test | Instance::Dev => 12,
        }
    }
}

crate::codes! {
    /// A member class of the Finnish X-Road instances.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum MemberClass {
        /// Government.
        Gov = "GOV",
        /// Municipalities and joint municipal authorities.
        Mun = "MUN",
        /// Companies.
        Com = "COM",
        /// Education and research.
        Edu = "EDU",
        /// Non-profit organisations.
        Org = "ORG",
        /// Private persons (only in FI-DEV).
        Pri = "PRI",
    }
}

crate::codes! {
    /// The four certificate kinds of a shared security server, with their codes in the input
    /// file.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum CertKind {
        /// The server's authentication certificate, one per server.
        Authentication = "authentication",
        /// A member's signing certificate, one per member per server.
        Signing = "signing",
        /// The server's internal TLS certificate towards information systems.
        InternalTls = "internal-tls",
        /// A subsystem's TLS client certificate.
        ClientTls = "client-tls",
    }
}

impl CertKind {
    /// Whether DVV issues it (applied for in DVV's e-services).
    pub fn via_dvv(self) -> bool {
        matches!(self, CertKind::Authentication | CertKind::Signing)
    }

    /// Whether it belongs to the server rather than to an organisation or subsystem.
    pub fn is_server(self) -> bool {
        matches!(self, CertKind::Authentication | CertKind::InternalTls)
    }

    /// Whether an entry of this kind names the member it belongs to.
    pub fn names_member(self) -> bool {
        matches!(self, CertKind::Signing | CertKind::ClientTls)
    }

    /// Whether an entry of this kind names a subsystem.
    pub fn names_subsystem(self) -> bool {
        self == CertKind::ClientTls
    }
}

/// Why a string is not a valid Finnish Business ID (Y-tunnus).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusinessIdError {
    /// Not of the form `NNNNNNN-C`.
    Format,
    /// Six digits before the dash: an old-style ID that needs a leading zero.
    SixDigits {
        /// The ID padded with a leading zero (with the right check digit).
        padded: String,
    },
    /// The body's remainder is 1, so no check digit can make it valid.
    NoValidCheckDigit,
    /// The check digit is wrong.
    CheckDigit {
        /// The check digit that the body requires.
        expected: char,
        /// The ID with the right check digit.
        corrected: String,
    },
}

impl fmt::Display for BusinessIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BusinessIdError::Format => {
                f.write_str("not a Finnish Business ID of the form `NNNNNNN-C`")
            }
            BusinessIdError::SixDigits { .. } => {
                f.write_str("the Business ID has only six digits before the dash")
            }
            BusinessIdError::NoValidCheckDigit => {
                f.write_str("no check digit can make this Business ID valid (its remainder is 1)")
            }
            BusinessIdError::CheckDigit { expected, .. } => {
                write!(f, "wrong check digit: the body requires `{expected}`")
            }
        }
    }
}

/// The check digit of a seven-digit Business ID body, or `None` when no digit is valid.
///
/// Weights 7, 9, 10, 5, 8, 4, 2; `r = sum mod 11`; `r = 0` gives 0, `r = 1` has no valid
/// digit, otherwise `11 - r`.
pub fn business_id_check_digit(body: &[u8; 7]) -> Option<u8> {
    const WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    match sum % 11 {
        0 => Some(0),
        1 => None,
        r => Some((11 - r) as u8),
    }
}

/// Checks a Finnish Business ID `NNNNNNN-C`.
pub fn check_business_id(s: &str) -> Result<(), BusinessIdError> {
    let Some((body, check)) = s.split_once('-') else {
        return Err(BusinessIdError::Format);
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(body) || check.len() != 1 || !all_digits(check) {
        return Err(BusinessIdError::Format);
    }
    let digits = |t: &str| -> Vec<u8> { t.bytes().map(|b| b - b'0').collect() };
    match body.len() {
        7 => {}
        6 => {
            let mut padded = [0u8; 7];
            padded[1..].copy_from_slice(&digits(body));
            return Err(match business_id_check_digit(&padded) {
                Some(c) => BusinessIdError::SixDigits {
                    padded: format!("0{body}-{c}"),
                },
                None => BusinessIdError::NoValidCheckDigit,
            });
        }
        _ => return Err(BusinessIdError::Format),
    }
    let mut b = [0u8; 7];
    b.copy_from_slice(&digits(body));
    let given = check.as_bytes()[0] - b'0';
    match business_id_check_digit(&b) {
        None => Err(BusinessIdError::NoValidCheckDigit),
        Some(c) if c == given => Ok(()),
        Some(c) => Err(BusinessIdError::CheckDigit {
            expected: char::from(b'0' + c),
            corrected: format!("{body}-{c}"),
        }),
    }
}

/// Whether a character is allowed in X-Road's strict identifiers.
pub fn is_strict_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "'()+,-.=?".contains(c)
}

/// Why a string is not a strict X-Road identifier code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentifierError {
    /// The code is empty.
    Empty,
    /// Longer than 255 characters.
    TooLong(usize),
    /// A character outside `A-Z a-z 0-9 ' ( ) + , - . = ?`.
    BadChar(char),
}

impl fmt::Display for IdentifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentifierError::Empty => f.write_str("the code is empty"),
            IdentifierError::TooLong(n) => write!(
                f,
                "the code is {n} characters long; at most 255 are allowed"
            ),
            IdentifierError::BadChar(c) => write!(
                f,
                "{} is not allowed in X-Road identifiers (allowed: `A-Z a-z 0-9 ' ( ) + , - . = ?`)",
                describe_char(*c)
            ),
        }
    }
}

/// Describes a character for a message: printable ones in backticks, others by code point.
pub fn describe_char(c: char) -> String {
    if c == ' ' {
        "a space".to_string()
    } else if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

/// Checks a code (subsystem or security server code) against X-Road's strict identifier rules.
pub fn check_identifier(s: &str) -> Result<(), IdentifierError> {
    if s.is_empty() {
        return Err(IdentifierError::Empty);
    }
    let n = s.chars().count();
    if n > 255 {
        return Err(IdentifierError::TooLong(n));
    }
    match s.chars().find(|c| !is_strict_identifier_char(*c)) {
        Some(c) => Err(IdentifierError::BadChar(c)),
        None => Ok(()),
    }
}

/// A finding about a host name (FQDN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FqdnIssue {
    /// Error: the name is empty.
    Empty,
    /// Error: upper-case letters; the lower-cased name is the fix.
    UpperCase {
        /// The name in lower case.
        lowercase: String,
    },
    /// Error: Nordic or other non-ASCII letters.
    NonAscii(char),
    /// Error: only one label.
    SingleLabel,
    /// Error: longer than 253 characters.
    TooLong(usize),
    /// Error: an empty label (two dots, or a dot at either end).
    EmptyLabel,
    /// Error: a label longer than 63 characters.
    LabelTooLong(String),
    /// Error: a label starting or ending with `-`.
    LabelHyphen(String),
    /// Error: a character outside `a-z 0-9 - _ .`.
    BadChar(char),
    /// Warning: `_` is allowed in host names by DVV but not in X-Road identifiers.
    Underscore,
    /// Error: the name is an IPv4 address, not a host name.
    Ipv4Address,
    /// Error: the last label is all digits, which no top-level domain is.
    NumericTopLabel(String),
    /// Error: an `xn--` label that does not decode as IDNA (Punycode).
    InvalidIdna(String),
    /// Error: an `xn--` label whose decoded form has a non-ASCII letter, such as a Nordic
    /// one: the encoded form does not get round the rule.
    EncodedNonAscii {
        /// The label as written.
        label: String,
        /// The label decoded.
        decoded: String,
        /// The first non-ASCII character of the decoded label.
        c: char,
    },
}

impl FqdnIssue {
    /// Whether the issue is only a warning.
    pub fn is_warning(&self) -> bool {
        matches!(self, FqdnIssue::Underscore)
    }
}

impl fmt::Display for FqdnIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FqdnIssue::Empty => f.write_str("the host name is empty"),
            FqdnIssue::UpperCase { .. } => f.write_str("the host name has upper-case letters; DVV requires lower case"),
            FqdnIssue::NonAscii(c) => write!(
                f,
                "the host name has {}; only ASCII letters `a-z`, digits, `-` and `.` are allowed (no Nordic letters)",
                describe_char(*c)
            ),
            FqdnIssue::SingleLabel => f.write_str("the host name must be fully qualified (at least two labels, e.g. `host.example.fi`)"),
            FqdnIssue::TooLong(n) => write!(f, "the host name is {n} characters long; at most 253 are allowed"),
            FqdnIssue::EmptyLabel => f.write_str("the host name has an empty label (two dots in a row, or a dot at an end)"),
            FqdnIssue::LabelTooLong(l) => write!(f, "the label `{l}` is longer than 63 characters"),
            FqdnIssue::LabelHyphen(l) => write!(f, "the label `{l}` starts or ends with `-`"),
            FqdnIssue::BadChar(c) => write!(f, "the host name has {}, which is not allowed", describe_char(*c)),
            FqdnIssue::Underscore => f.write_str(
                "the host name has `_`: DVV allows it in host names, but X-Road identifiers such as the server code do not",
            ),
            FqdnIssue::Ipv4Address => f.write_str("this is an IPv4 address, not a host name"),
            FqdnIssue::NumericTopLabel(l) => write!(
                f,
                "the last label `{l}` is all digits, so this is not a host name in public DNS"
            ),
            FqdnIssue::InvalidIdna(l) => write!(
                f,
                "the label `{l}` starts with `xn--` but is not a valid IDNA (Punycode) label"
            ),
            FqdnIssue::EncodedNonAscii { label, decoded, c } => write!(
                f,
                "the label `{label}` is the encoded form of `{decoded}`, which has {}; no Nordic or other non-ASCII letters are allowed, also not encoded",
                describe_char(*c)
            ),
        }
    }
}

/// Checks a security server's host name; returns every finding, errors first.
pub fn check_fqdn(s: &str) -> Vec<FqdnIssue> {
    let mut out = Vec::new();
    if s.is_empty() {
        return vec![FqdnIssue::Empty];
    }
    if let Some(c) = s.chars().find(|c| !c.is_ascii()) {
        out.push(FqdnIssue::NonAscii(c));
        return out;
    }
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        out.push(FqdnIssue::UpperCase {
            lowercase: s.to_ascii_lowercase(),
        });
    }
    let lower = s.to_ascii_lowercase();
    if let Some(c) = lower
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_')))
    {
        out.push(FqdnIssue::BadChar(c));
    }
    if s.len() > 253 {
        out.push(FqdnIssue::TooLong(s.len()));
    }
    let labels: Vec<&str> = lower.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        out.push(FqdnIssue::EmptyLabel);
    } else if labels.len() < 2 {
        out.push(FqdnIssue::SingleLabel);
    }
    if parse_ipv4(&lower).is_some() {
        out.push(FqdnIssue::Ipv4Address);
    } else if let Some(last) = labels.last()
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
    {
        out.push(FqdnIssue::NumericTopLabel((*last).to_string()));
    }
    for l in labels.iter().filter(|l| l.starts_with("xn--")) {
        let (decoded, result) = idna::domain_to_unicode(l);
        if result.is_err() || decoded == *l {
            out.push(FqdnIssue::InvalidIdna((*l).to_string()));
        } else if let Some(c) = decoded.chars().find(|c| !c.is_ascii()) {
            out.push(FqdnIssue::EncodedNonAscii {
                label: (*l).to_string(),
                decoded,
                c,
            });
        }
    }
    for l in &labels {
        if l.len() > 63 {
            out.push(FqdnIssue::LabelTooLong((*l).to_string()));
        }
        if l.starts_with('-') || l.ends_with('-') {
            out.push(FqdnIssue::LabelHyphen((*l).to_string()));
        }
    }
    if lower.contains('_') {
        out.push(FqdnIssue::Underscore);
    }
    out
}

/// The security server code that DVV's convention derives from a host name: its first label.
pub fn server_code_from_fqdn(fqdn: &str) -> &str {
    fqdn.split('.').next().unwrap_or(fqdn)
}

/// The class of an IPv4 address, as far as a security server's reachability is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ipv4Kind {
    /// A public unicast address.
    Public,
    /// A documentation range (RFC 5737): fine as a placeholder in a draft.
    Documentation,
    /// An address other security servers cannot reach; the text names the range.
    Unreachable(&'static str),
}

/// Parses a dotted-quad IPv4 address strictly (four decimal octets, no leading zeros).
pub fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut octets = [0u8; 4];
    for (o, p) in octets.iter_mut().zip(&parts) {
        if p.is_empty()
            || p.len() > 3
            || !p.bytes().all(|b| b.is_ascii_digit())
            || (p.len() > 1 && p.starts_with('0'))
        {
            return None;
        }
        *o = p.parse().ok()?;
    }
    Some(Ipv4Addr::from(octets))
}

/// Classifies an IPv4 address for use as a security server's public address.
pub fn classify_ipv4(ip: Ipv4Addr) -> Ipv4Kind {
    let [a, b, c, _] = ip.octets();
    if ip.is_unspecified() {
        Ipv4Kind::Unreachable("the unspecified address 0.0.0.0")
    } else if ip.is_broadcast() {
        Ipv4Kind::Unreachable("the broadcast address")
    } else if a == 0 {
        Ipv4Kind::Unreachable("the \"this network\" range 0.0.0.0/8")
    } else if ip.is_private() {
        Ipv4Kind::Unreachable("a private range (RFC 1918)")
    } else if ip.is_loopback() {
        Ipv4Kind::Unreachable("the loopback range 127.0.0.0/8")
    } else if ip.is_link_local() {
        Ipv4Kind::Unreachable("the link-local range 169.254.0.0/16")
    } else if a == 100 && (64..128).contains(&b) {
        Ipv4Kind::Unreachable("the carrier-grade NAT range 100.64.0.0/10")
    } else if ip.is_multicast() {
        Ipv4Kind::Unreachable("the multicast range 224.0.0.0/4")
    } else if a >= 240 {
        Ipv4Kind::Unreachable("the reserved range 240.0.0.0/4")
    } else if a == 192 && b == 0 && c == 0 {
        Ipv4Kind::Unreachable("the IETF protocol assignments range 192.0.0.0/24")
    } else if a == 198 && (b == 18 || b == 19) {
        Ipv4Kind::Unreachable("the benchmarking range 198.18.0.0/15")
    } else if ip.is_documentation() {
        Ipv4Kind::Documentation
    } else {
        Ipv4Kind::Public
    }
}

/// `MEMBER:<instance>/<class>/<code>`.
pub fn member_id(instance: Instance, class: &str, code: &str) -> String {
    format!("MEMBER:{instance}/{class}/{code}")
}

/// `SUBSYSTEM:<instance>/<class>/<code>/<subsystem>`.
pub fn subsystem_id(instance: Instance, class: &str, code: &str, subsystem: &str) -> String {
    format!("SUBSYSTEM:{instance}/{class}/{code}/{subsystem}")
}

/// `SERVER:<instance>/<owner class>/<owner code>/<server code>`.
pub fn server_id(instance: Instance, class: &str, code: &str, server_code: &str) -> String {
    format!("SERVER:{instance}/{class}/{code}/{server_code}")
}

/// The `serialNumber` of a signing or authentication certificate subject:
/// `<instance>/<server code>/<class>`.
pub fn cert_serial_number(instance: Instance, server_code: &str, class: &str) -> String {
    format!("{instance}/{server_code}/{class}")
}

/// Whether a member id (used in file names) is valid: `a-z 0-9 -`, 1..=40 characters.
pub fn is_valid_member_id(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_business_ids_are_valid() {
        for id in ["0245437-2", "0201256-6", "1234567-1", "2345678-0"] {
            assert_eq!(check_business_id(id), Ok(()), "{id}");
        }
    }

    #[test]
    fn dvv_example_id_fails_the_check_digit() {
        assert_eq!(
            check_business_id("0123456-7"),
            Err(BusinessIdError::CheckDigit {
                expected: '2',
                corrected: "0123456-2".into()
            })
        );
    }

    #[test]
    fn wrong_check_digit_names_the_right_one() {
        assert_eq!(
            check_business_id("0245437-3"),
            Err(BusinessIdError::CheckDigit {
                expected: '2',
                corrected: "0245437-2".into()
            })
        );
    }

    #[test]
    fn six_digit_body_is_padded_with_its_check_digit() {
        assert_eq!(
            check_business_id("245437-2"),
            Err(BusinessIdError::SixDigits {
                padded: "0245437-2".into()
            })
        );
    }

    #[test]
    fn remainder_one_has_no_valid_id() {
        // 0000030: 3 × 4 = 12, 12 mod 11 = 1.
        assert_eq!(
            check_business_id("0000030-0"),
            Err(BusinessIdError::NoValidCheckDigit)
        );
    }

    #[test]
    fn malformed_business_ids() {
        for id in [
            "",
            "-",
            "1234567",
            "1234567-",
            "1234567-12",
            "12345678-1",
            "abcdefg-1",
            "1234567-x",
            "１２３４５６７-1",
            "1234567—1",
        ] {
            assert_eq!(
                check_business_id(id),
                Err(BusinessIdError::Format),
                "{id:?}"
            );
        }
    }

    #[test]
    fn strict_identifiers() {
        assert!(check_identifier("vtj-pikkula-client").is_ok());
        assert!(check_identifier("A'(+,-.=?)9").is_ok());
        assert_eq!(check_identifier(""), Err(IdentifierError::Empty));
        assert_eq!(
            check_identifier("vtj_client"),
            Err(IdentifierError::BadChar('_'))
        );
        assert_eq!(
            check_identifier("vtj/client"),
            Err(IdentifierError::BadChar('/'))
        );
        assert_eq!(check_identifier("äly"), Err(IdentifierError::BadChar('ä')));
        assert_eq!(
            check_identifier(&"a".repeat(256)),
            Err(IdentifierError::TooLong(256))
        );
        assert!(check_identifier(&"a".repeat(255)).is_ok());
    }

    #[test]
    fn fqdn_rules() {
        assert!(check_fqdn("jarvenrantalp01.jarvenranta.fi").is_empty());
        assert_eq!(
            check_fqdn("JarvenrantaLP01.jarvenranta.fi"),
            vec![FqdnIssue::UpperCase {
                lowercase: "jarvenrantalp01.jarvenranta.fi".into()
            }]
        );
        assert_eq!(check_fqdn("järvenranta.fi"), vec![FqdnIssue::NonAscii('ä')]);
        assert_eq!(check_fqdn("localhost"), vec![FqdnIssue::SingleLabel]);
        assert_eq!(check_fqdn("a..fi"), vec![FqdnIssue::EmptyLabel]);
        assert_eq!(check_fqdn("host.fi."), vec![FqdnIssue::EmptyLabel]);
        assert_eq!(
            check_fqdn("-lp01.example.fi"),
            vec![FqdnIssue::LabelHyphen("-lp01".into())]
        );
        assert_eq!(check_fqdn("lp_01.example.fi"), vec![FqdnIssue::Underscore]);
        assert!(check_fqdn("lp_01.example.fi")[0].is_warning());
        assert_eq!(
            check_fqdn("lp 01.example.fi"),
            vec![FqdnIssue::BadChar(' ')]
        );
        let long_label = format!("{}.fi", "a".repeat(64));
        assert_eq!(
            check_fqdn(&long_label),
            vec![FqdnIssue::LabelTooLong("a".repeat(64))]
        );
        let long = format!("{}.fi", vec!["a".repeat(60); 5].join("."));
        assert!(check_fqdn(&long).contains(&FqdnIssue::TooLong(long.len())));
    }

    #[test]
    fn server_code_is_first_label() {
        assert_eq!(server_code_from_fqdn("csclp01.domain.fi"), "csclp01");
        assert_eq!(server_code_from_fqdn("nodots"), "nodots");
    }

    #[test]
    fn ipv4_parsing_is_strict() {
        assert_eq!(
            parse_ipv4("203.0.113.10"),
            Some(Ipv4Addr::new(203, 0, 113, 10))
        );
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3.-4",
            "1.2.3.4 ",
            "a.b.c.d",
            "1..3.4",
        ] {
            assert_eq!(parse_ipv4(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ipv4_classes() {
        let k = |s: &str| classify_ipv4(parse_ipv4(s).unwrap());
        assert_eq!(k("195.197.54.100"), Ipv4Kind::Public);
        assert_eq!(k("203.0.113.10"), Ipv4Kind::Documentation);
        assert_eq!(k("198.51.100.1"), Ipv4Kind::Documentation);
        assert_eq!(k("192.0.2.255"), Ipv4Kind::Documentation);
        for unreachable in [
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "224.0.0.1",
            "239.255.255.255",
            "240.0.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "198.18.0.1",
        ] {
            assert!(
                matches!(k(unreachable), Ipv4Kind::Unreachable(_)),
                "{unreachable}"
            );
        }
        assert_eq!(k("172.32.0.1"), Ipv4Kind::Public);
        assert_eq!(k("100.128.0.1"), Ipv4Kind::Public);
    }

    #[test]
    fn identifier_strings() {
        assert_eq!(
            subsystem_id(Instance::Test, "MUN", "2345678-0", "vtj-pikkula-client"),
            "SUBSYSTEM:FI-TEST/MUN/2345678-0/vtj-pikkula-client"
        );
        assert_eq!(
            server_id(Instance::Prod, "MUN", "1234567-1", "jarvenrantalp01"),
            "SERVER:FI/MUN/1234567-1/jarvenrantalp01"
        );
        assert_eq!(
            member_id(Instance::Prod, "GOV", "0245437-2"),
            "MEMBER:FI/GOV/0245437-2"
        );
        assert_eq!(
            cert_serial_number(Instance::Test, "jarvenrantalptest01", "MUN"),
            "FI-TEST/jarvenrantalptest01/MUN"
        );
    }

    #[test]
    fn member_ids() {
        assert!(is_valid_member_id("pikkula"));
        assert!(is_valid_member_id("a-1"));
        for bad in [
            "",
            "Pikkula",
            "../x",
            "a/b",
            "a.b",
            "a b",
            "ä",
            &"a".repeat(41),
        ] {
            assert!(!is_valid_member_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn instances_and_classes_parse_exactly() {
        assert_eq!(Instance::parse("FI-TEST"), Some(Instance::Test));
        assert_eq!(Instance::parse("fi"), None);
        assert_eq!(MemberClass::parse("MUN"), Some(MemberClass::Mun));
        assert_eq!(MemberClass::parse("mun"), None);
        assert_eq!(Instance::Prod.auth_cert_months(), 6);
        assert_eq!(Instance::Test.auth_cert_months(), 12);
    }
}
