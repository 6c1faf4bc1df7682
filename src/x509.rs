//! Reading certificate files and checking them against DVV's FI certificate profile.
//!
//! The input file may hold an X.509 certificate or a PKCS#10 certificate signing request
//! (CSR), PEM- or DER-encoded. [`read`] turns it into a [`CertFile`]: the subject as
//! OpenSSL and DVV's e-services show it, validity, key, and the SHA-256 fingerprint that the
//! authorisation document quotes. [`check_profile`] compares the subject with what SPEC §3
//! requires of a signing or an authentication certificate, and [`weak_key`] tells when the
//! key is weaker than the Finnish X-Road package creates (RSA 3072).
//!
//! Parsing is done by `x509-parser`; this module only picks what the documents need. Nothing
//! here panics on any input: a file that is not what it claims to be is a [`ReadError`].

use std::fmt;
use std::io::Cursor;

use jiff::civil::DateTime;
use sha2::{Digest, Sha256};
use x509_parser::asn1_rs::{Any, Tag};
use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::error::{PEMError, X509Error};
use x509_parser::objects::{oid_registry, oid2sn};
use x509_parser::oid_registry::Oid;
use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::{AttributeTypeAndValue, SubjectPublicKeyInfo, X509Name};

/// The smallest RSA key size that raises no warning: the Finnish X-Road package's default.
pub const MIN_RSA_BITS: u32 = 3072;

/// What kind of object a certificate file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// An X.509 certificate (PEM label `CERTIFICATE`).
    Certificate,
    /// A PKCS#10 certificate signing request (PEM label `CERTIFICATE REQUEST`).
    Request,
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Certificate => "certificate",
            FileKind::Request => "certificate signing request",
        })
    }
}

/// The public key of a certificate or CSR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// The algorithm: `RSA`, `EC P-256`, `EC P-384`, `EC P-521`, `Ed25519`, `Ed448`, `DSA`,
    /// or the algorithm's name or dotted OID when it is none of these.
    pub algorithm: String,
    /// The key size in bits: the modulus length for RSA and DSA, the curve size for the
    /// named EC curves; `None` where there is no meaningful single number (`EdDSA`, unknown).
    pub bits: Option<u32>,
}

impl KeyInfo {
    /// Tells whether this is an RSA key.
    #[must_use]
    pub fn is_rsa(&self) -> bool {
        self.algorithm == "RSA"
    }
}

impl fmt::Display for KeyInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.bits {
            Some(bits) if self.is_rsa() || self.algorithm == "DSA" => {
                write!(f, "{} {bits} bits", self.algorithm)
            }
            _ => f.write_str(&self.algorithm),
        }
    }
}

/// A certificate or CSR read from a file, reduced to what the documents and checks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFile {
    /// Whether the file holds a certificate or a signing request.
    pub kind: FileKind,
    /// The subject's attributes in the order they are encoded, with OpenSSL's short names
    /// (`C`, `O`, `OU`, `CN`, `serialNumber`, …) and their values as text.
    pub subject: Vec<(String, String)>,
    /// The subject in one line, e.g.
    /// `C=FI, O=Pikkulan kunta, CN=2345678-0, serialNumber=FI-TEST/jarvenrantalptest01/MUN`.
    pub subject_line: String,
    /// The issuer's attributes, like [`CertFile::subject`]; certificates only.
    pub issuer: Option<Vec<(String, String)>>,
    /// The issuer in one line, like [`CertFile::subject_line`]; certificates only.
    pub issuer_line: Option<String>,
    /// The start of the validity period; certificates only.
    pub not_before: Option<DateTime>,
    /// The end of the validity period; certificates only.
    pub not_after: Option<DateTime>,
    /// The public key.
    pub key: KeyInfo,
    /// The SHA-256 fingerprint of the DER encoding of the certificate or CSR, as upper-case
    /// hex pairs joined with `:` (the form OpenSSL's `-fingerprint` prints).
    pub sha256_fingerprint: String,
    /// The hash of the signature when it is a broken one (`SHA-1`, `MD5`); `None` for
    /// SHA-256 and other sound ones.
    pub weak_signature: Option<&'static str>,
}

impl CertFile {
    /// Returns the first value of the subject attribute with the given short name
    /// (e.g. `"CN"`), or `None` when the subject has no such attribute.
    #[must_use]
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.subject
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Returns every value of the subject attribute with the given short name, in order.
    pub fn attrs<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.subject
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The calendar day (UTC) on which a certificate's validity ends; `None` for a signing
    /// request, which never expires.
    #[must_use]
    pub fn expires_on(&self) -> Option<jiff::civil::Date> {
        self.not_after.map(|end| end.date())
    }
}

/// Why a certificate file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The file is empty or holds only whitespace.
    Empty,
    /// The file holds neither a PEM block nor DER data.
    NotPem,
    /// A PEM block is malformed; the string says how.
    Pem(String),
    /// The file holds PEM blocks, but none of them is a certificate or a CSR; the string is
    /// the label of the first block.
    UnknownLabel(String),
    /// The file holds a private key; the string is its PEM label.
    PrivateKey(String),
    /// A certificate's DER encoding does not parse; the string says why.
    Certificate(String),
    /// A CSR's DER encoding does not parse; the string says why.
    Request(String),
    /// Binary data that parses neither as a certificate nor as a CSR; the string says why.
    Der(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Empty => f.write_str("the file is empty"),
            ReadError::NotPem => f.write_str(
                "not a PEM file (no `-----BEGIN …-----` line) and not DER-encoded either",
            ),
            ReadError::Pem(why) => write!(f, "malformed PEM block: {why}"),
            ReadError::UnknownLabel(label) => write!(
                f,
                "unsupported PEM block `{label}`: expected `CERTIFICATE` or `CERTIFICATE REQUEST`"
            ),
            ReadError::PrivateKey(label) => write!(
                f,
                "the file holds a private key (`{label}`): give the certificate or the CSR, \
                 and keep the key secret"
            ),
            ReadError::Certificate(why) => {
                write!(f, "the certificate does not parse as X.509: {why}")
            }
            ReadError::Request(why) => {
                write!(
                    f,
                    "the certificate signing request does not parse as PKCS#10: {why}"
                )
            }
            ReadError::Der(why) => write!(
                f,
                "binary data that is neither an X.509 certificate nor a PKCS#10 request: {why}"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads a certificate or a certificate signing request from the bytes of a file.
///
/// PEM files may hold several blocks: the first `CERTIFICATE`, `X509 CERTIFICATE`,
/// `CERTIFICATE REQUEST` or `NEW CERTIFICATE REQUEST` block is read and text around the
/// blocks is ignored (so a chain file gives its first certificate). A file with a private
/// key in it is refused. Without any PEM block the bytes are read as DER, first as a
/// certificate, then as a CSR.
///
/// # Errors
///
/// Returns a [`ReadError`] saying what is wrong when the file is empty, not PEM or DER,
/// has no supported PEM block, holds a private key, or its DER does not parse.
pub fn read(bytes: &[u8]) -> Result<CertFile, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    if contains(bytes, b"-----BEGIN ") {
        let (kind, der) = pem_block(bytes)?;
        match kind {
            FileKind::Certificate => parse_certificate(&der).map_err(ReadError::Certificate),
            FileKind::Request => parse_request(&der).map_err(ReadError::Request),
        }
    } else if bytes.first() == Some(&0x30) {
        parse_certificate(bytes)
            .or_else(|cert_error| parse_request(bytes).map_err(|_| ReadError::Der(cert_error)))
    } else {
        Err(ReadError::NotPem)
    }
}

/// Finds the first supported PEM block and returns its kind and its decoded DER.
fn pem_block(bytes: &[u8]) -> Result<(FileKind, Vec<u8>), ReadError> {
    let mut cursor = Cursor::new(bytes);
    let mut found = None;
    let mut first_label = None;
    loop {
        match Pem::read(&mut cursor) {
            Ok((pem, _)) => {
                if pem.label.contains("PRIVATE KEY") {
                    return Err(ReadError::PrivateKey(pem.label));
                }
                let kind = match pem.label.as_str() {
                    "CERTIFICATE" | "X509 CERTIFICATE" => Some(FileKind::Certificate),
                    "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => Some(FileKind::Request),
                    _ => None,
                };
                match kind {
                    Some(kind) if found.is_none() => found = Some((kind, pem.contents)),
                    Some(_) => {}
                    None => {
                        first_label.get_or_insert(pem.label);
                    }
                }
            }
            Err(PEMError::MissingHeader) => break,
            // A broken block after the one that is used does not spoil the file.
            Err(_) if found.is_some() => break,
            Err(error) => return Err(ReadError::Pem(pem_error_text(&error))),
        }
    }
    match (found, first_label) {
        (Some(block), _) => Ok(block),
        (None, Some(label)) => Err(ReadError::UnknownLabel(label)),
        (None, None) => Err(ReadError::NotPem),
    }
}

/// Describes a PEM decoding error in lowercase words.
fn pem_error_text(error: &PEMError) -> String {
    match error {
        PEMError::Base64DecodeError => "its base64 content does not decode".to_owned(),
        PEMError::IncompletePEM => "it has no `-----END …-----` line".to_owned(),
        PEMError::InvalidHeader => "its `-----BEGIN …-----` line is malformed".to_owned(),
        PEMError::MissingHeader => "it has no `-----BEGIN …-----` line".to_owned(),
        PEMError::IOError(io) => format!("it cannot be read as text ({io})"),
    }
}

/// Tells whether `haystack` contains `needle`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Describes an `x509-parser` error in lowercase words.
fn der_error_text(error: &x509_parser::nom::Err<X509Error>) -> String {
    match error {
        x509_parser::nom::Err::Incomplete(_) => "the data is truncated".to_owned(),
        x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => e.to_string(),
    }
}

/// Parses the DER of a certificate.
fn parse_certificate(der: &[u8]) -> Result<CertFile, String> {
    let (rest, cert) = X509Certificate::from_der(der).map_err(|error| der_error_text(&error))?;
    if !rest.is_empty() {
        return Err(format!(
            "{} bytes of trailing data after the certificate",
            rest.len()
        ));
    }
    let validity = cert.validity();
    let not_before = timestamp(validity.not_before.timestamp())?;
    let not_after = timestamp(validity.not_after.timestamp())?;
    let (subject, subject_line) = name(cert.subject());
    let (issuer, issuer_line) = name(cert.issuer());
    Ok(CertFile {
        kind: FileKind::Certificate,
        subject,
        subject_line,
        issuer: Some(issuer),
        issuer_line: Some(issuer_line),
        not_before: Some(not_before),
        not_after: Some(not_after),
        key: key_info(cert.public_key()),
        sha256_fingerprint: fingerprint(cert.as_raw()),
        weak_signature: weak_signature(&cert.signature_algorithm.algorithm),
    })
}

/// Parses the DER of a PKCS#10 certificate signing request.
fn parse_request(der: &[u8]) -> Result<CertFile, String> {
    let (rest, csr) =
        X509CertificationRequest::from_der(der).map_err(|error| der_error_text(&error))?;
    if !rest.is_empty() {
        return Err(format!(
            "{} bytes of trailing data after the request",
            rest.len()
        ));
    }
    let info = &csr.certification_request_info;
    let (subject, subject_line) = name(&info.subject);
    Ok(CertFile {
        kind: FileKind::Request,
        subject,
        subject_line,
        issuer: None,
        issuer_line: None,
        not_before: None,
        not_after: None,
        key: key_info(&info.subject_pki),
        sha256_fingerprint: fingerprint(csr.as_raw()),
        weak_signature: weak_signature(&csr.signature_algorithm.algorithm),
    })
}

/// Converts a validity time in Unix seconds to the date and time in UTC. Counted in days
/// from 1970 rather than through a [`jiff::Timestamp`], whose range ends a day before
/// 9999-12-31 23:59:59, the "no expiry" of RFC 5280 (a GeneralizedTime).
fn timestamp(seconds: i64) -> Result<DateTime, String> {
    let out_of_range = || format!("its validity time ({seconds} s after 1970) is out of range");
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let date = jiff::civil::date(1970, 1, 1)
        .checked_add(
            jiff::Span::new()
                .try_days(days)
                .map_err(|_| out_of_range())?,
        )
        .map_err(|_| out_of_range())?;
    let time = jiff::civil::Time::MIN
        .checked_add(jiff::Span::new().seconds(second_of_day))
        .map_err(|_| out_of_range())?;
    Ok(date.to_datetime(time))
}

/// The broken hash of a signature algorithm, if it has one: SHA-1 (RSA, DSA, ECDSA) or MD5.
fn weak_signature(algorithm: &Oid<'_>) -> Option<&'static str> {
    match algorithm.to_id_string().as_str() {
        // sha1WithRSAEncryption, dsa-with-sha1, ecdsa-with-SHA1, RSA-SHA1 (OIW)
        "1.2.840.113549.1.1.5" | "1.2.840.10040.4.3" | "1.2.840.10045.4.1" | "1.3.14.3.2.29" => {
            Some("SHA-1")
        }
        // md5WithRSAEncryption, md2WithRSAEncryption
        "1.2.840.113549.1.1.4" | "1.2.840.113549.1.1.2" => Some("MD5"),
        _ => None,
    }
}

/// The SHA-256 fingerprint of `der` as upper-case hex pairs joined with `:`.
fn fingerprint(der: &[u8]) -> String {
    let digest = Sha256::digest(der);
    let mut out = String::with_capacity(digest.len() * 3);
    for (i, byte) in digest.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(&hex::encode_upper([*byte]));
    }
    out
}

/// Flattens a distinguished name into (short name, value) pairs and one display line.
///
/// Relative distinguished names are joined with `, `, several attributes of one RDN with
/// ` + `; `,`, `+` and `\` in values are escaped with a backslash in the line.
fn name(name: &X509Name<'_>) -> (Vec<(String, String)>, String) {
    let mut pairs = Vec::new();
    let mut line = String::new();
    for (i, rdn) in name.iter_rdn().enumerate() {
        if i > 0 {
            line.push_str(", ");
        }
        for (j, attr) in rdn.iter().enumerate() {
            if j > 0 {
                line.push_str(" + ");
            }
            let key = short_name(attr.attr_type());
            let value = attr_text(attr);
            line.push_str(&key);
            line.push('=');
            for ch in value.chars() {
                if matches!(ch, ',' | '+' | '\\') {
                    line.push('\\');
                }
                line.push(ch);
            }
            pairs.push((key, value));
        }
    }
    (pairs, line)
}

/// OpenSSL's short name of a name attribute, as DVV's e-services and `openssl req -text` show
/// them; for others the OID registry's short name, or the dotted OID.
fn short_name(oid: &Oid<'_>) -> String {
    let dotted = oid.to_id_string();
    let known = match dotted.as_str() {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "title",
        "2.5.4.15" => "businessCategory",
        "2.5.4.17" => "postalCode",
        "2.5.4.42" => "GN",
        "2.5.4.97" => "organizationIdentifier",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    match oid2sn(oid, oid_registry()) {
        Ok(sn) => sn.to_owned(),
        Err(_) => dotted,
    }
}

/// The text of an attribute value; values that are not strings become `#` and hex.
fn attr_text(attr: &AttributeTypeAndValue<'_>) -> String {
    let value: &Any<'_> = attr.attr_value();
    let data = value.data;
    match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::NumericString
        | Tag::VisibleString
        | Tag::T61String => String::from_utf8_lossy(data).into_owned(),
        Tag::BmpString => {
            let units = data.chunks(2).map(|pair| match pair {
                [high, low] => u16::from_be_bytes([*high, *low]),
                _ => 0xFFFD,
            });
            char::decode_utf16(units)
                .map(|ch| ch.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
        Tag::UniversalString => data
            .chunks(4)
            .map(|quad| {
                let mut buf = [0u8; 4];
                for (slot, byte) in buf.iter_mut().zip(quad) {
                    *slot = *byte;
                }
                char::from_u32(u32::from_be_bytes(buf)).unwrap_or(char::REPLACEMENT_CHARACTER)
            })
            .collect(),
        _ => format!("#{}", hex::encode_upper(data)),
    }
}

/// Describes the public key of a subject public key info.
fn key_info(spki: &SubjectPublicKeyInfo<'_>) -> KeyInfo {
    let oid = spki.algorithm.algorithm.to_id_string();
    match oid.as_str() {
        "1.2.840.113549.1.1.1" => KeyInfo {
            algorithm: "RSA".to_owned(),
            bits: match spki.parsed() {
                Ok(PublicKey::RSA(rsa)) => Some(significant_bits(rsa.modulus)),
                _ => None,
            },
        },
        "1.2.840.10045.2.1" => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|params| params.as_oid().ok())
                .map(|curve| curve.to_id_string());
            let (name, bits) = match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => ("P-256".to_owned(), Some(256)),
                Some("1.3.132.0.34") => ("P-384".to_owned(), Some(384)),
                Some("1.3.132.0.35") => ("P-521".to_owned(), Some(521)),
                Some("1.3.132.0.10") => ("secp256k1".to_owned(), Some(256)),
                Some(other) => (other.to_owned(), None),
                None => ("with unnamed curve".to_owned(), None),
            };
            KeyInfo {
                algorithm: format!("EC {name}"),
                bits,
            }
        }
        "1.3.101.112" => KeyInfo {
            algorithm: "Ed25519".to_owned(),
            bits: None,
        },
        "1.3.101.113" => KeyInfo {
            algorithm: "Ed448".to_owned(),
            bits: None,
        },
        "1.2.840.10040.4.1" => KeyInfo {
            algorithm: "DSA".to_owned(),
            bits: match spki.parsed() {
                Ok(PublicKey::DSA(y)) => Some(significant_bits(y)),
                _ => None,
            },
        },
        _ => KeyInfo {
            algorithm: match oid2sn(&spki.algorithm.algorithm, oid_registry()) {
                Ok(sn) => sn.to_owned(),
                Err(_) => oid,
            },
            bits: None,
        },
    }
}

/// The number of significant bits in a big-endian unsigned integer.
fn significant_bits(bytes: &[u8]) -> u32 {
    let Some(start) = bytes.iter().position(|&byte| byte != 0) else {
        return 0;
    };
    let rest = u32::try_from(bytes.len() - start).unwrap_or(u32::MAX / 8);
    let leading = bytes.get(start).map_or(0, |byte| byte.leading_zeros());
    rest.saturating_mul(8).saturating_sub(leading)
}

/// A reason to warn about a file's key: it works, but is not what the FI profile expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WeakKey {
    /// An RSA key shorter than [`MIN_RSA_BITS`].
    ShortRsa {
        /// The key's size in bits.
        bits: u32,
    },
    /// A key that is not RSA.
    NotRsa {
        /// The key's algorithm, as in [`KeyInfo::algorithm`].
        algorithm: String,
    },
}

impl fmt::Display for WeakKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeakKey::ShortRsa { bits } => write!(
                f,
                "the RSA key has {bits} bits; the Finnish X-Road package creates {MIN_RSA_BITS}-bit keys"
            ),
            WeakKey::NotRsa { algorithm } => write!(
                f,
                "the key is {algorithm}; DVV's FI profile expects an RSA key of {MIN_RSA_BITS} bits"
            ),
        }
    }
}

/// Tells whether the file's key is weaker than, or different from, what the FI profile
/// expects: RSA of at least [`MIN_RSA_BITS`] bits. This is a warning for the caller, not an
/// error: DVV decides what it accepts.
#[must_use]
pub fn weak_key(file: &CertFile) -> Option<WeakKey> {
    if !file.key.is_rsa() {
        return Some(WeakKey::NotRsa {
            algorithm: file.key.algorithm.clone(),
        });
    }
    match file.key.bits {
        Some(bits) if bits < MIN_RSA_BITS => Some(WeakKey::ShortRsa { bits }),
        _ => None,
    }
}

/// What a certificate file's subject is expected to say, per certificate kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A member's signing certificate on a security server.
    Signing {
        /// The member's code (Business ID), expected in `CN`.
        member_code: String,
        /// The member's name; when given, `O` must be this name (written without å, ä and ö,
        /// compared without regard to case).
        member_name: Option<String>,
        /// The X-Road instance, e.g. `FI-TEST`.
        instance: String,
        /// The code of the security server; on a shared server the owner's server's code.
        server_code: String,
        /// The member's class, e.g. `MUN`.
        member_class: String,
    },
    /// A security server's authentication certificate.
    Authentication {
        /// The server's fully qualified domain name, expected in `CN`.
        fqdn: String,
        /// The X-Road instance, e.g. `FI`.
        instance: String,
        /// The code of the security server.
        server_code: String,
        /// The class of the server owner, e.g. `MUN`.
        owner_class: String,
    },
}

/// One way in which a subject differs from DVV's FI profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The subject attribute's short name, e.g. `serialNumber`.
    pub field: String,
    /// What the attribute should hold, in words or as the exact value.
    pub expected: String,
    /// What the attribute holds, or `None` when it is missing.
    pub found: Option<String>,
    /// A hint that helps fixing it, if there is one.
    pub note: Option<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.found {
            Some(found) => write!(
                f,
                "`{}` is `{found}`, expected {}",
                self.field, self.expected
            )?,
            None => write!(f, "`{}` is missing, expected {}", self.field, self.expected)?,
        }
        if let Some(note) = &self.note {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

/// Compares a file's subject with DVV's FI certificate profile and returns every mismatch,
/// in subject order (`C`, `O`, `CN`, `serialNumber`); an empty list means the subject fits.
///
/// Signing: `C=FI`, `O` present and without å/ä/ö (and matching the member's name when
/// given), `CN` = member code, `serialNumber` = `<instance>/<server code>/<member class>`.
/// Authentication: `C=FI`, `CN` = the server's FQDN (compared without regard to case),
/// `serialNumber` = `<instance>/<server code>/<owner class>`. An attribute that occurs more
/// than once is a mismatch too.
#[must_use]
pub fn check_profile(file: &CertFile, expected: &Expected) -> Vec<Mismatch> {
    let mut out = Vec::new();
    check_exact(file, "C", "FI", None, &mut out);
    match expected {
        Expected::Signing {
            member_code,
            member_name,
            instance,
            server_code,
            member_class,
        } => {
            check_organisation(file, member_name.as_deref(), &mut out);
            check_exact(
                file,
                "CN",
                member_code,
                Some("the member code (Business ID) of the member the key belongs to"),
                &mut out,
            );
            check_exact(
                file,
                "serialNumber",
                &format!("{instance}/{server_code}/{member_class}"),
                Some(
                    "`<instance>/<security server code>/<member class>`; on a shared server \
                     the server code is the owner's server's",
                ),
                &mut out,
            );
        }
        Expected::Authentication {
            fqdn,
            instance,
            server_code,
            owner_class,
        } => {
            check_field(
                file,
                "CN",
                &format!("`{fqdn}`"),
                Some("the security server's fully qualified domain name"),
                |cn| cn.eq_ignore_ascii_case(fqdn),
                &mut out,
            );
            check_exact(
                file,
                "serialNumber",
                &format!("{instance}/{server_code}/{owner_class}"),
                Some("`<instance>/<security server code>/<owner's member class>`"),
                &mut out,
            );
        }
    }
    out
}

/// Checks that `field` occurs exactly once and that its value satisfies `fits`; pushes a
/// mismatch saying `expected` otherwise. Returns the value when it occurs once.
fn check_field<'a>(
    file: &'a CertFile,
    field: &str,
    expected: &str,
    note: Option<&str>,
    fits: impl Fn(&str) -> bool,
    out: &mut Vec<Mismatch>,
) -> Option<&'a str> {
    let values: Vec<&str> = file.attrs(field).collect();
    let (found, note) = match values.as_slice() {
        [] => (None, note.map(str::to_owned)),
        [one] if fits(one) => return Some(one),
        [one] => (Some((*one).to_owned()), note.map(str::to_owned)),
        many => (
            Some(many.join(", ")),
            Some(format!(
                "`{field}` occurs {} times; it must occur once",
                many.len()
            )),
        ),
    };
    out.push(Mismatch {
        field: field.to_owned(),
        expected: expected.to_owned(),
        found,
        note,
    });
    values.first().copied().filter(|_| values.len() == 1)
}

/// Checks that `field` occurs once and holds exactly `want`.
fn check_exact(
    file: &CertFile,
    field: &str,
    want: &str,
    note: Option<&str>,
    out: &mut Vec<Mismatch>,
) {
    check_field(
        file,
        field,
        &format!("`{want}`"),
        note,
        |found| found == want,
        out,
    );
}

/// Checks `O`: present once, without Scandinavian letters, and the member's name if given.
fn check_organisation(file: &CertFile, member_name: Option<&str>, out: &mut Vec<Mismatch>) {
    let expected = match member_name {
        Some(name) => format!("`{}`", without_nordic_letters(name)),
        None => "the organisation's name".to_owned(),
    };
    let Some(org) = check_field(file, "O", &expected, None, |_| true, out) else {
        return;
    };
    // One finding per field: a wrong name says what the name should be; a right name with
    // Nordic letters says how to write it.
    if member_name.is_some_and(|name| comparable(org) != comparable(name)) {
        out.push(Mismatch {
            field: "O".to_owned(),
            expected,
            found: Some(org.to_owned()),
            note: Some("the member's name, written without å, ä and ö".to_owned()),
        });
    } else if has_nordic_letters(org) {
        out.push(Mismatch {
            field: "O".to_owned(),
            expected: format!("`{}`", without_nordic_letters(org)),
            found: Some(org.to_owned()),
            note: Some("DVV's profile does not allow å, ä or ö in `O`".to_owned()),
        });
    }
}

/// Tells whether `text` has å, ä or ö, precomposed or with a combining mark.
fn has_nordic_letters(text: &str) -> bool {
    text.chars().any(|ch| {
        matches!(
            ch,
            'å' | 'ä' | 'ö' | 'Å' | 'Ä' | 'Ö' | '\u{0308}' | '\u{030A}'
        )
    })
}

/// Writes å and ä as a, ö as o (keeping case), dropping combining diaeresis and ring.
pub fn without_nordic_letters(text: &str) -> String {
    text.chars()
        .filter(|ch| !matches!(ch, '\u{0308}' | '\u{030A}'))
        .map(|ch| match ch {
            'å' | 'ä' => 'a',
            'Å' | 'Ä' => 'A',
            'ö' => 'o',
            'Ö' => 'O',
            other => other,
        })
        .collect()
}

/// A form of a name for comparison: without å/ä/ö, lower case, single spaces.
fn comparable(text: &str) -> String {
    without_nordic_letters(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{
        CertificateParams, DistinguishedName, DnType, DnValue, KeyPair, PKCS_ECDSA_P384_SHA384,
        PKCS_ED25519, date_time_ymd,
    };

    /// A CSR made with `openssl req -new -newkey rsa:2048 -sha256 -utf8 -subj
    /// "/C=FI/O=Pikkulan kunta/CN=2345678-0/serialNumber=FI-TEST\/jarvenrantalptest01\/MUN"`
    /// (`rcgen` with `ring` cannot create RSA keys).
    const OPENSSL_RSA2048_CSR: &str = "-----BEGIN CERTIFICATE REQUEST-----
MIICqTCCAZECAQAwZDELMAkGA1UEBhMCRkkxFzAVBgNVBAoMDlBpa2t1bGFuIGt1
bnRhMRIwEAYDVQQDDAkyMzQ1Njc4LTAxKDAmBgNVBAUTH0ZJLVRFU1QvamFydmVu
cmFudGFscHRlc3QwMS9NVU4wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIB
AQDPWEWKcBVlyMRBeT790Z820zuHXEucP7g5DrKTRzV8S2BhV5YRXLYEuIA89+Br
VYmhRQTIUErxsvz1zMs2F24HnEr9e4gfdOQB2H4HohCHmP7kckuRIqlPVgc7Cx39
hSA1b9PJ0gu6UBeQ7oEHEzIqZYyoIZBcc77gzlL2n8vHalzx92KGSIxkVWYlo9lk
lRWxydYPRBiHKYjY9TnSpa6ZFyw9xwaWsF+2tonpGKJxANjYJoKAxunrfM+BJZtS
pPP6G7eeft7drDhT2oKuUu0Oxtpaiz6SyB45H+M4RzhLH66gM0mDwXLbGckVLPHG
aD4Gi0z3J30U3IQLmJgB9nxNAgMBAAGgADANBgkqhkiG9w0BAQsFAAOCAQEADTki
zOvzDAJaeJqWzt71W4wENcczCcG++2uuHPA+ucGLuQem+uzt4ZQ4F5Ly8PAve5bX
MSvgyYibw/vBco7mVua3KKpjwkqoRqnzWRLou82GGpTjvL8zdsxwOi1dt0+XhOxR
FKTOpairnUZIJjxz12JySJj6e16LGQvI1ZKaXdjpFcrtSzfQmF943D53n7jT7hLs
IMMOpiBKEA42TmLNp/PIZxuwicv830v2QK6y94XacdBBKZzw/+kE8DXnN2SLVtq3
AM33fO2UAjNhdiuuOiTl2vsX/SX4nuhwDwArKKtbS8FfLz6yV8FrWGsPf/wOWyua
Yc5ThNSnS+AwD7y66w==
-----END CERTIFICATE REQUEST-----
";

    /// `sha256sum` of the DER of [`OPENSSL_RSA2048_CSR`] (`openssl req -outform DER`).
    const OPENSSL_RSA2048_CSR_SHA256: &str = "ED:8E:61:CF:13:CD:D3:07:99:AB:78:9F:2C:74:2D:8F:75:AD:53:F3:67:60:FB:B1:72:AE:D2:39:0C:E5:63:F0";

    /// A self-signed certificate made with `openssl req -x509 -newkey rsa:3072 -sha256 -utf8
    /// -days 3650 -subj "/C=FI/O=Järvenrannan kaupunki/CN=jarvenrantalp01.jarvenranta.fi/
    /// serialNumber=FI\/jarvenrantalp01\/MUN"`.
    const OPENSSL_RSA3072_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIE0TCCAzmgAwIBAgIUWyZGWHronmMz6sQqV45BiRTRRYswDQYJKoZIhvcNAQEL
BQAweDELMAkGA1UEBhMCRkkxHzAdBgNVBAoMFkrDpHJ2ZW5yYW5uYW4ga2F1cHVu
a2kxJzAlBgNVBAMMHmphcnZlbnJhbnRhbHAwMS5qYXJ2ZW5yYW50YS5maTEfMB0G
A1UEBRMWRkkvamFydmVucmFudGFscDAxL01VTjAeFw0yNjExMjkyMjEyNTlaFw0z
NjExMjYyMjEyNTlaMHgxCzAJBgNVBAYTAkZJMR8wHQYDVQQKDBZKw6RydmVucmFu
bmFuIGthdXB1bmtpMScwJQYDVQQDDB5qYXJ2ZW5yYW50YWxwMDEuamFydmVucmFu
dGEuZmkxHzAdBgNVBAUTFkZJL2phcnZlbnJhbnRhbHAwMS9NVU4wggGiMA0GCSqG
SIb3DQEBAQUAA4IBjwAwggGKAoIBgQCSe6YbuIs+faiJHWxKweV28+STqrjvkE0H
wkBVeduKCwL+iIYH40sKmKxwUZgELsMlBJZaV8c35DlBT+QyDq6ZrLUR+2Ocp8YZ
xY4JouYkkntZKF1nwCQ5use4UsAmK2hK+i6nwWWsUGdzq9pD7YCon/2ZIrOcwfqj
XDyIF+czkwX10OPpCsj8N3HEDLxMLoNg1NJXCWF7/j9bER4y/tURMCTZFG4tnNs4
FEfRnwQyOSVuOwC5xS5Pz2SXMTX8NDERe5Ng7XmL4FrBF2DVA+NUCDjOW81gQLRo
69NwNeqVLNzSDkI8tjM2l4ZPJ+JwHAxxfMEtXaurAC+/eYmUlGhZgQq3X6DjLFut
ZPoa8qP8J1URWVvMSplSTUQeA9+rXdszNFfPtoD4eDFhohwdkP40JpqCayRjqfwR
zDf/OZJuXpMSR5owdheoFvjRY/UZW/53LU1dZoijGp2N+9NiXQSzogb1W1xps6cX
/y/plnE8ne0ibUkmJdvrELrIP6R4W40CAwEAAaNTMFEwHQYDVR0OBBYEFLbXA2sa
sUASc5JDWa/YTfAOr5IcMB8GA1UdIwQYMBaAFLbXA2sasUASc5JDWa/YTfAOr5Ic
MA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggGBAC5hfWL1R0QnE/hW
tS7jMPiz4XCZj1dAFg2kFkP/xmiGcVb1MYar+s94sDl7Zxlp3rtjCqiY2T55TlQW
KQJWiSdf4N6um2vh7C2QFDflTJLSArbSi8mVmOVOcJnS+A8SVQ3tmOhBCPabnEoo
bCF9PBNh43nUEIAYNDqo9cxR8kXEx6MGQDNXqOFux9zLmyqAk//9D9h6y1zHAMAN
L56zq2uNGVIDHnRs0ywG8jRnmCuJh32F5chxblC+uG1Op3SLn+UdFTHyc2px9V+4
ZBUOJ11kdb50R53h/4LKfXjEo6MBLwtH/6p7cvTYsM/UWcR9fNbgt6/fpSDdfqBV
Z2wgTGEO/ec0wX8GQxcHxiAg9WnuFJXoXROpRWSTYUIk4i0r+s9n3PfaOoN12hPT
FZNBOxqWNsYpEH7otfkOi9VdllgREFI6X22N2mYKlVaInTfs2E5S7c1Uv9ksui9g
fmVXQeouWO1zvdxn0usGqckV5Kf6zSuyDgXcugNsvBSR+bPU+w==
-----END CERTIFICATE-----
";

    /// `openssl x509 -fingerprint -sha256` of [`OPENSSL_RSA3072_CERT`].
    const OPENSSL_RSA3072_CERT_SHA256: &str = "42:2E:4B:4A:B7:04:B3:CD:97:7D:76:7D:90:61:0C:ED:3A:2A:94:E8:8A:11:03:6D:D6:22:86:CF:95:48:D8:A7";

    /// The subject SPEC §3 expects of Pikkula's signing key on the FI-TEST server.
    const PIKKULA: &[(&str, &str)] = &[
        ("C", "FI"),
        ("O", "Pikkulan kunta"),
        ("CN", "2345678-0"),
        ("serialNumber", "FI-TEST/jarvenrantalptest01/MUN"),
    ];

    /// The subject SPEC §3 expects of the FI-TEST server's authentication key.
    const AUTH: &[(&str, &str)] = &[
        ("C", "FI"),
        ("O", "Jarvenrannan kaupunki"),
        ("CN", "jarvenrantalptest01.jarvenranta.fi"),
        ("serialNumber", "FI-TEST/jarvenrantalptest01/MUN"),
    ];

    fn signing() -> Expected {
        Expected::Signing {
            member_code: "2345678-0".to_owned(),
            member_name: Some("Pikkulan kunta".to_owned()),
            instance: "FI-TEST".to_owned(),
            server_code: "jarvenrantalptest01".to_owned(),
            member_class: "MUN".to_owned(),
        }
    }

    fn authentication() -> Expected {
        Expected::Authentication {
            fqdn: "jarvenrantalptest01.jarvenranta.fi".to_owned(),
            instance: "FI-TEST".to_owned(),
            server_code: "jarvenrantalptest01".to_owned(),
            owner_class: "MUN".to_owned(),
        }
    }

    fn params(subject: &[(&str, &str)]) -> CertificateParams {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("empty SAN list");
        let mut dn = DistinguishedName::new();
        for (key, value) in subject {
            let ty = match *key {
                "C" => DnType::CountryName,
                "O" => DnType::OrganizationName,
                "OU" => DnType::OrganizationalUnitName,
                "CN" => DnType::CommonName,
                "serialNumber" => DnType::CustomDnType(vec![2, 5, 4, 5]),
                other => panic!("no DnType for {other}"),
            };
            dn.push(ty, *value);
        }
        params.distinguished_name = dn;
        params
    }

    fn csr_pem(subject: &[(&str, &str)]) -> String {
        let key = KeyPair::generate().expect("P-256 key");
        params(subject)
            .serialize_request(&key)
            .expect("CSR")
            .pem()
            .expect("CSR PEM")
    }

    fn cert_pem(subject: &[(&str, &str)]) -> String {
        let key = KeyPair::generate().expect("P-256 key");
        params(subject)
            .self_signed(&key)
            .expect("certificate")
            .pem()
    }

    fn read_ok(pem: &str) -> CertFile {
        read(pem.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{pem}"))
    }

    fn fields(mismatches: &[Mismatch]) -> Vec<&str> {
        mismatches.iter().map(|m| m.field.as_str()).collect()
    }

    fn at(text: &str) -> DateTime {
        let t: jiff::Timestamp = text.parse().expect("timestamp");
        jiff::tz::TimeZone::UTC.to_datetime(t)
    }

    // A CSR with exactly the profile's subject is read in order and passes the check.
    #[test]
    fn fitting_signing_csr_has_no_mismatch() {
        let file = read_ok(&csr_pem(PIKKULA));
        assert_eq!(file.kind, FileKind::Request);
        let subject: Vec<(&str, &str)> = file
            .subject
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(subject, PIKKULA);
        assert_eq!(
            file.subject_line,
            "C=FI, O=Pikkulan kunta, CN=2345678-0, serialNumber=FI-TEST/jarvenrantalptest01/MUN"
        );
        assert_eq!(file.attr("CN"), Some("2345678-0"));
        assert_eq!(file.attr("OU"), None);
        assert_eq!(file.issuer, None);
        assert_eq!(file.not_after, None);
        assert_eq!(check_profile(&file, &signing()), []);
    }

    // A certificate has an issuer and a validity; a self-signed one is its own issuer.
    #[test]
    fn fitting_signing_certificate_has_issuer_and_validity() {
        let file = read_ok(&cert_pem(PIKKULA));
        assert_eq!(file.kind, FileKind::Certificate);
        assert_eq!(file.issuer.as_ref(), Some(&file.subject));
        assert_eq!(file.issuer_line.as_ref(), Some(&file.subject_line));
        let (start, end) = (file.not_before.unwrap(), file.not_after.unwrap());
        assert!(start < end);
        assert_eq!(check_profile(&file, &signing()), []);
    }

    // serialNumber with the member's own server code instead of the owner's is named.
    #[test]
    fn wrong_serial_number_is_named() {
        let mut subject = PIKKULA.to_vec();
        subject[3] = ("serialNumber", "FI-TEST/pikkulass01/MUN");
        let mismatches = check_profile(&read_ok(&csr_pem(&subject)), &signing());
        assert_eq!(fields(&mismatches), ["serialNumber"]);
        assert_eq!(mismatches[0].expected, "`FI-TEST/jarvenrantalptest01/MUN`");
        assert_eq!(
            mismatches[0].found.as_deref(),
            Some("FI-TEST/pikkulass01/MUN")
        );
        assert_eq!(
            mismatches[0].to_string(),
            "`serialNumber` is `FI-TEST/pikkulass01/MUN`, expected \
             `FI-TEST/jarvenrantalptest01/MUN` (`<instance>/<security server code>/<member \
             class>`; on a shared server the server code is the owner's server's)"
        );
    }

    // A serialNumber for the wrong instance is a mismatch too.
    #[test]
    fn serial_number_of_other_instance_is_named() {
        let mut subject = PIKKULA.to_vec();
        subject[3] = ("serialNumber", "FI/jarvenrantalptest01/MUN");
        let mismatches = check_profile(&read_ok(&cert_pem(&subject)), &signing());
        assert_eq!(fields(&mismatches), ["serialNumber"]);
    }

    // CN holding the owner's code instead of the member's is named.
    #[test]
    fn wrong_common_name_is_named() {
        let mut subject = PIKKULA.to_vec();
        subject[2] = ("CN", "1234567-1");
        let mismatches = check_profile(&read_ok(&csr_pem(&subject)), &signing());
        assert_eq!(fields(&mismatches), ["CN"]);
        assert_eq!(mismatches[0].expected, "`2345678-0`");
        assert_eq!(mismatches[0].found.as_deref(), Some("1234567-1"));
    }

    // Å, ä and ö in O are refused, with the name written without them as the fix.
    #[test]
    fn nordic_letters_in_organisation_are_named() {
        let mut subject = PIKKULA.to_vec();
        subject[1] = ("O", "Järvenrannan kaupunki Åbo");
        let expected = Expected::Signing {
            member_code: "2345678-0".to_owned(),
            member_name: None,
            instance: "FI-TEST".to_owned(),
            server_code: "jarvenrantalptest01".to_owned(),
            member_class: "MUN".to_owned(),
        };
        let mismatches = check_profile(&read_ok(&csr_pem(&subject)), &expected);
        assert_eq!(fields(&mismatches), ["O"]);
        assert_eq!(mismatches[0].expected, "`Jarvenrannan kaupunki Abo`");
        assert_eq!(
            mismatches[0].found.as_deref(),
            Some("Järvenrannan kaupunki Åbo")
        );
    }

    // A decomposed ä (a + combining diaeresis) is caught as well.
    #[test]
    fn decomposed_nordic_letter_is_named() {
        let mut subject = PIKKULA.to_vec();
        subject[1] = ("O", "Pikkula\u{0308}n kunta");
        let mismatches = check_profile(&read_ok(&csr_pem(&subject)), &signing());
        assert_eq!(fields(&mismatches), ["O"]);
        assert_eq!(mismatches[0].expected, "`Pikkulan kunta`");
    }

    // O names the member: transliteration, case and spacing do not matter, another name does.
    #[test]
    fn organisation_is_compared_with_member_name() {
        let expected = Expected::Signing {
            member_code: "2345678-0".to_owned(),
            member_name: Some("Pikkulan Kunta  ".to_owned()),
            instance: "FI-TEST".to_owned(),
            server_code: "jarvenrantalptest01".to_owned(),
            member_class: "MUN".to_owned(),
        };
        assert_eq!(check_profile(&read_ok(&csr_pem(PIKKULA)), &expected), []);

        let ylakyla = Expected::Signing {
            member_code: "2345678-0".to_owned(),
            member_name: Some("Yläkylän kunta".to_owned()),
            instance: "FI-TEST".to_owned(),
            server_code: "jarvenrantalptest01".to_owned(),
            member_class: "MUN".to_owned(),
        };
        let mismatches = check_profile(&read_ok(&csr_pem(PIKKULA)), &ylakyla);
        assert_eq!(fields(&mismatches), ["O"]);
        assert_eq!(mismatches[0].expected, "`Ylakylan kunta`");
    }

    // Missing attributes are mismatches, in the profile's order.
    #[test]
    fn missing_attributes_are_named() {
        let subject = [
            ("CN", "2345678-0"),
            ("serialNumber", "FI-TEST/jarvenrantalptest01/MUN"),
        ];
        let mismatches = check_profile(&read_ok(&csr_pem(&subject)), &signing());
        assert_eq!(fields(&mismatches), ["C", "O"]);
        assert_eq!(mismatches[0].found, None);
        assert_eq!(mismatches[0].to_string(), "`C` is missing, expected `FI`");
        assert_eq!(mismatches[1].expected, "`Pikkulan kunta`");
    }

    // A repeated attribute is a mismatch (rcgen cannot repeat one, so the file is built here).
    #[test]
    fn repeated_attribute_is_named() {
        let mut file = read_ok(&csr_pem(PIKKULA));
        file.subject.push(("CN".to_owned(), "1234567-1".to_owned()));
        let mismatches = check_profile(&file, &signing());
        assert_eq!(fields(&mismatches), ["CN"]);
        assert_eq!(mismatches[0].found.as_deref(), Some("2345678-0, 1234567-1"));
        assert_eq!(
            mismatches[0].note.as_deref(),
            Some("`CN` occurs 2 times; it must occur once")
        );
    }

    // C must be exactly FI.
    #[test]
    fn other_country_is_named() {
        let mut subject = PIKKULA.to_vec();
        subject[0] = ("C", "SE");
        let mismatches = check_profile(&read_ok(&cert_pem(&subject)), &signing());
        assert_eq!(fields(&mismatches), ["C"]);
    }

    // An authentication subject with the FQDN (any case) and the owner's class fits.
    #[test]
    fn fitting_authentication_csr_has_no_mismatch() {
        let mut subject = AUTH.to_vec();
        subject[2] = ("CN", "JarvenrantaLPtest01.jarvenranta.fi");
        let file = read_ok(&csr_pem(&subject));
        assert_eq!(check_profile(&file, &authentication()), []);
    }

    // An authentication subject with another host and the member's class is named twice.
    #[test]
    fn authentication_mismatches_are_named() {
        let subject = [
            ("C", "FI"),
            ("O", "Jarvenrannan kaupunki"),
            ("CN", "jarvenrantalp01.jarvenranta.fi"),
            ("serialNumber", "FI-TEST/jarvenrantalptest01/GOV"),
        ];
        let mismatches = check_profile(&read_ok(&csr_pem(&subject)), &authentication());
        assert_eq!(fields(&mismatches), ["CN", "serialNumber"]);
        assert_eq!(
            mismatches[0].expected,
            "`jarvenrantalptest01.jarvenranta.fi`"
        );
    }

    // An OpenSSL RSA 2048 CSR: key size and fingerprint as OpenSSL computes them, a warning.
    #[test]
    fn openssl_rsa_2048_csr_is_read_and_warned() {
        let file = read_ok(OPENSSL_RSA2048_CSR);
        assert_eq!(file.kind, FileKind::Request);
        assert_eq!(
            file.key,
            KeyInfo {
                algorithm: "RSA".to_owned(),
                bits: Some(2048)
            }
        );
        assert_eq!(file.key.to_string(), "RSA 2048 bits");
        assert_eq!(file.sha256_fingerprint, OPENSSL_RSA2048_CSR_SHA256);
        assert_eq!(check_profile(&file, &signing()), []);
        let warning = weak_key(&file);
        assert_eq!(warning, Some(WeakKey::ShortRsa { bits: 2048 }));
        assert_eq!(
            warning.unwrap().to_string(),
            "the RSA key has 2048 bits; the Finnish X-Road package creates 3072-bit keys"
        );
    }

    // An OpenSSL RSA 3072 certificate: no key warning, UTF-8 O decoded, dates and fingerprint.
    #[test]
    fn openssl_rsa_3072_certificate_is_read() {
        let file = read_ok(OPENSSL_RSA3072_CERT);
        assert_eq!(file.kind, FileKind::Certificate);
        assert_eq!(file.key.bits, Some(3072));
        assert_eq!(weak_key(&file), None);
        assert_eq!(file.sha256_fingerprint, OPENSSL_RSA3072_CERT_SHA256);
        assert_eq!(file.attr("O"), Some("Järvenrannan kaupunki"));
        assert_eq!(file.not_before, Some(at("2026-11-29T22:12:59Z")));
        assert_eq!(file.not_after, Some(at("2036-11-26T22:12:59Z")));
        let expected = Expected::Authentication {
            fqdn: "jarvenrantalp01.jarvenranta.fi".to_owned(),
            instance: "FI".to_owned(),
            server_code: "jarvenrantalp01".to_owned(),
            owner_class: "MUN".to_owned(),
        };
        assert_eq!(check_profile(&file, &expected), []);
    }

    // A certificate whose validity ended is expired; a CSR never is.
    #[test]
    fn expired_certificate_is_recognised() {
        let key = KeyPair::generate().expect("P-256 key");
        let mut params = params(PIKKULA);
        params.not_before = date_time_ymd(2020, 1, 1);
        params.not_after = date_time_ymd(2022, 1, 1);
        let file = read_ok(&params.self_signed(&key).expect("certificate").pem());
        assert_eq!(file.not_after, Some(at("2022-01-01T00:00:00Z")));
        assert_eq!(file.expires_on(), Some(jiff::civil::date(2022, 1, 1)));
        let csr = read_ok(&csr_pem(PIKKULA));
        assert_eq!(csr.expires_on(), None);
    }

    // Attack 9: "no expiry" (9999-12-31T23:59:59Z, a GeneralizedTime) and a validity
    // before 1970 are read, as PEM and as DER.
    #[test]
    fn validity_to_the_end_of_year_9999() {
        let key = KeyPair::generate().expect("P-256 key");
        let mut params = params(PIKKULA);
        params.not_before = date_time_ymd(1960, 1, 1);
        params.not_after =
            rcgen::date_time_ymd(9999, 12, 31) + std::time::Duration::from_secs(86_399);
        let cert = params.self_signed(&key).expect("certificate");
        for bytes in [cert.pem().into_bytes(), cert.der().to_vec()] {
            let file = read(&bytes).expect("a certificate to 9999-12-31");
            assert_eq!(file.expires_on(), Some(jiff::civil::date(9999, 12, 31)));
            assert_eq!(
                file.not_after,
                Some(jiff::civil::date(9999, 12, 31).at(23, 59, 59, 0))
            );
            assert_eq!(
                file.not_before,
                Some(jiff::civil::date(1960, 1, 1).at(0, 0, 0, 0))
            );
        }
    }

    // Attack 17: a SHA-1 signature is recognised (the OpenSSL certificate with its
    // sha256WithRSAEncryption OIDs turned into sha1WithRSAEncryption; signatures are not
    // verified here); SHA-256 is sound.
    #[test]
    fn sha1_signatures_are_recognised() {
        let good = read_ok(OPENSSL_RSA3072_CERT);
        assert_eq!(good.weak_signature, None);
        let (_, pem) =
            x509_parser::pem::parse_x509_pem(OPENSSL_RSA3072_CERT.as_bytes()).expect("pem");
        let sha256 = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
        let mut der = pem.contents;
        let mut patched = 0;
        for i in 0..der.len() - sha256.len() {
            if der[i..i + sha256.len()] == sha256 {
                der[i + sha256.len() - 1] = 0x05;
                patched += 1;
            }
        }
        assert_eq!(patched, 2);
        assert_eq!(read(&der).expect("DER").weak_signature, Some("SHA-1"));
    }

    // The keys rcgen can make are named with their curve, and none is RSA.
    #[test]
    fn non_rsa_keys_are_described_and_warned() {
        let p256 = read_ok(&csr_pem(PIKKULA));
        assert_eq!(p256.key.algorithm, "EC P-256");
        assert_eq!(p256.key.bits, Some(256));
        assert_eq!(
            weak_key(&p256).map(|w| w.to_string()).as_deref(),
            Some("the key is EC P-256; DVV's FI profile expects an RSA key of 3072 bits")
        );

        let p384 = KeyPair::generate_for(&PKCS_ECDSA_P384_SHA384).expect("P-384 key");
        let csr = params(PIKKULA).serialize_request(&p384).expect("CSR");
        let file = read_ok(&csr.pem().expect("PEM"));
        assert_eq!(
            (file.key.algorithm.as_str(), file.key.bits),
            ("EC P-384", Some(384))
        );

        let ed = KeyPair::generate_for(&PKCS_ED25519).expect("Ed25519 key");
        let cert = params(PIKKULA).self_signed(&ed).expect("certificate");
        let file = read_ok(&cert.pem());
        assert_eq!(
            (file.key.algorithm.as_str(), file.key.bits),
            ("Ed25519", None)
        );
        assert_eq!(file.key.to_string(), "Ed25519");
    }

    // DER input gives the same result as PEM, for certificates and CSRs.
    #[test]
    fn der_is_read_like_pem() {
        let key = KeyPair::generate().expect("P-256 key");
        let cert = params(PIKKULA).self_signed(&key).expect("certificate");
        assert_eq!(read(cert.der()), read(cert.pem().as_bytes()));
        let csr = params(PIKKULA).serialize_request(&key).expect("CSR");
        assert_eq!(read(csr.der()), read(csr.pem().expect("PEM").as_bytes()));
        assert_eq!(read(csr.der()).map(|f| f.kind), Ok(FileKind::Request));
    }

    // The fingerprint is the SHA-256 of the DER, in OpenSSL's notation.
    #[test]
    fn fingerprint_is_sha256_of_der() {
        let key = KeyPair::generate().expect("P-256 key");
        let cert = params(PIKKULA).self_signed(&key).expect("certificate");
        let file = read_ok(&cert.pem());
        let digest = hex::encode_upper(Sha256::digest(cert.der().as_ref()));
        assert_eq!(file.sha256_fingerprint.replace(':', ""), digest);
        assert_eq!(file.sha256_fingerprint.len(), 32 * 3 - 1);
    }

    // A chain file with comments, CRLF line ends and a BOM gives its first certificate.
    #[test]
    fn first_certificate_of_a_chain_is_read() {
        let leaf = cert_pem(PIKKULA);
        let other = cert_pem(AUTH);
        let text = format!("\u{FEFF}Subject: the leaf\n{leaf}\nIssuer: someone\n{other}")
            .replace('\n', "\r\n");
        let file = read_ok(&text);
        assert_eq!(file.attr("CN"), Some("2345678-0"));
    }

    // The legacy `NEW CERTIFICATE REQUEST` label is accepted.
    #[test]
    fn new_certificate_request_label_is_accepted() {
        let pem = csr_pem(PIKKULA).replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
        assert_eq!(read_ok(&pem).kind, FileKind::Request);
    }

    // A BMPString value is decoded, and `,` is escaped in the subject line.
    #[test]
    fn bmp_string_and_comma_are_handled() {
        let mut params = params(&[("C", "FI")]);
        params.distinguished_name.push(
            DnType::OrganizationName,
            DnValue::BmpString("Kylä, Oy".try_into().expect("BMP")),
        );
        let key = KeyPair::generate().expect("P-256 key");
        let file = read_ok(
            &params
                .serialize_request(&key)
                .expect("CSR")
                .pem()
                .expect("PEM"),
        );
        assert_eq!(file.attr("O"), Some("Kylä, Oy"));
        assert_eq!(file.subject_line, "C=FI, O=Kylä\\, Oy");
    }

    // Empty and whitespace-only files are "empty".
    #[test]
    fn empty_file_is_refused() {
        assert_eq!(read(b""), Err(ReadError::Empty));
        assert_eq!(read(b" \r\n\t\n"), Err(ReadError::Empty));
        assert_eq!(read(b"\xEF\xBB\xBF"), Err(ReadError::Empty));
        assert_eq!(ReadError::Empty.to_string(), "the file is empty");
    }

    // Text and binary garbage are refused with different messages.
    #[test]
    fn garbage_is_refused() {
        assert_eq!(read(b"hello, world\n"), Err(ReadError::NotPem));
        assert_eq!(
            read(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Err(ReadError::NotPem)
        );
        let der_garbage = read(&[0x30, 0x03, 0x02, 0x01, 0x00]);
        assert!(
            matches!(der_garbage, Err(ReadError::Der(_))),
            "{der_garbage:?}"
        );
        assert!(
            ReadError::NotPem.to_string().starts_with("not a PEM file"),
            "{}",
            ReadError::NotPem
        );
    }

    // A PEM block of another kind is refused and its label named.
    #[test]
    fn wrong_pem_label_is_refused() {
        let pem = csr_pem(PIKKULA).replace("CERTIFICATE REQUEST", "PUBLIC KEY");
        let error = read(pem.as_bytes());
        assert_eq!(error, Err(ReadError::UnknownLabel("PUBLIC KEY".to_owned())));
        assert_eq!(
            error.unwrap_err().to_string(),
            "unsupported PEM block `PUBLIC KEY`: expected `CERTIFICATE` or `CERTIFICATE REQUEST`"
        );
    }

    // A private key is refused even next to a certificate.
    #[test]
    fn private_key_is_refused() {
        let key = KeyPair::generate().expect("P-256 key");
        let cert = params(PIKKULA).self_signed(&key).expect("certificate");
        let text = format!("{}{}", cert.pem(), key.serialize_pem());
        assert_eq!(
            read(text.as_bytes()),
            Err(ReadError::PrivateKey("PRIVATE KEY".to_owned()))
        );
    }

    // Broken PEM (bad base64, no END line) and a CSR labelled as certificate are refused.
    #[test]
    fn broken_pem_is_refused() {
        let pem = csr_pem(PIKKULA);
        let bad_base64 = pem.replacen("MII", "M!I", 1);
        assert!(matches!(
            read(bad_base64.as_bytes()),
            Err(ReadError::Pem(_))
        ));
        let no_end = pem.lines().take(3).collect::<Vec<_>>().join("\n");
        assert_eq!(
            read(no_end.as_bytes()),
            Err(ReadError::Pem(
                "it has no `-----END …-----` line".to_owned()
            ))
        );
        let mislabelled = pem.replace("CERTIFICATE REQUEST", "CERTIFICATE");
        let error = read(mislabelled.as_bytes());
        assert!(matches!(error, Err(ReadError::Certificate(_))), "{error:?}");
    }

    // Every truncation and every single-byte change of a certificate reads without panicking.
    #[test]
    fn damaged_input_never_panics() {
        let key = KeyPair::generate().expect("P-256 key");
        let cert = params(PIKKULA).self_signed(&key).expect("certificate");
        let der = cert.der().to_vec();
        for len in 0..der.len() {
            assert!(read(&der[..len]).is_err(), "truncated to {len} bytes");
        }
        for i in 0..der.len() {
            for value in [0x00, 0x80, 0xFF] {
                let mut damaged = der.clone();
                damaged[i] = value;
                let _ = read(&damaged);
            }
        }
        let pem = cert.pem();
        for len in 0..pem.len() {
            let _ = read(&pem.as_bytes()[..len]);
        }
    }
}
