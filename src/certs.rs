//! Certificate files: reads the PEM certificates and CSRs named in `[[certificates]]`,
//! checks them against DVV's FI profile, and carries what they say (expiry, subject,
//! fingerprint) into the checked model. This is the one validation step that reads files,
//! so it is kept apart from the pure rules of [`crate::validate`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::arrangement::{FileInfo, KnownCertificate};
use crate::diagnostic::Diagnostic;
use crate::model::{Certificate, Input};
use crate::x509::{self, CertFile, Expected, FileKind};
use crate::xroad::{self, CertKind};

/// The position of a `[[certificates]]` entry in the input file: the key that joins what a
/// certificate file says to the entry that names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entry(pub usize);

/// What the certificate files said, keyed by the entry that names each file. An entry
/// without a file, or whose file could not be read, has no facts.
#[derive(Debug, Clone, Default)]
pub struct Facts(BTreeMap<Entry, CertFile>);

impl Facts {
    /// What the file of an entry said.
    pub fn get(&self, entry: Entry) -> Option<&CertFile> {
        self.0.get(&entry)
    }

    /// Records what the file of an entry said.
    pub fn insert(&mut self, entry: Entry, file: CertFile) {
        self.0.insert(entry, file);
    }

    /// How many entries have facts.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no entry has facts.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Reads and checks every certificate file. Returns the diagnostics and what each file said,
/// keyed by its entry in `input.certificates`.
pub fn check_files(input: &Input, base: &Path) -> (Vec<Diagnostic>, Facts) {
    let mut diags = Vec::new();
    let mut facts = Facts::default();
    for (i, c) in input.certificates.iter().enumerate() {
        if let Some(file) = check_one(input, c, base, &mut diags) {
            facts.insert(Entry(i), file);
        }
    }
    (diags, facts)
}

fn check_one(
    input: &Input,
    c: &Certificate,
    base: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<CertFile> {
    let rel = c.file.as_ref()?;
    let path = base.join(&rel.value);
    let bytes = match crate::output::read_bounded(&path, crate::output::MAX_CERTIFICATE_FILE) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "certificate-file",
                    rel.span(),
                    format!("cannot read `{}`: {e}", path.display()),
                )
                .with_help("the path is relative to the input file's folder"),
            );
            return None;
        }
    };
    let file = match x509::read(&bytes) {
        Ok(f) => f,
        Err(e) => {
            diags.push(
                Diagnostic::error("certificate-file", rel.span(), format!("`{}` is not a PEM certificate or CSR: {e}", rel.value))
                    .with_help("give a PEM file that starts with `-----BEGIN CERTIFICATE-----` or `-----BEGIN CERTIFICATE REQUEST-----`"),
            );
            return None;
        }
    };
    let what = match file.kind {
        FileKind::Certificate => "certificate",
        FileKind::Request => "certificate request",
    };
    if let Some(expected) = expected_subject(input, c) {
        for m in x509::check_profile(&file, &expected) {
            let d = Diagnostic::error(
                "certificate-profile",
                rel.span(),
                format!(
                    "the {what} `{}` does not fit DVV's FI profile of {} certificates: {m}",
                    rel.value, c.kind.value
                ),
            );
            let help = format!(
                "create a new CSR whose subject has `{}` = {}",
                m.field, m.expected
            );
            diags.push(d.with_help(help));
        }
    }
    let kind = crate::xroad::CertKind::parse(&c.kind);
    // The key profile is DVV's, for the certificates DVV issues; the self-created TLS
    // certificates may have any key the parties choose.
    if kind.is_some_and(crate::xroad::CertKind::via_dvv)
        && let Some(weak) = x509::weak_key(&file)
    {
        diags.push(
            Diagnostic::warning("certificate-key", rel.span(), format!("the {what} `{}`: {weak}", rel.value))
                .with_help("the Finnish X-Road package uses RSA keys of 3072 bits: create a new key and CSR in the admin UI"),
        );
    }
    if let Some(hash) = file.weak_signature {
        diags.push(
            Diagnostic::warning(
                "certificate-signature",
                rel.span(),
                format!(
                    "the {what} `{}` is signed with {hash}, which is broken",
                    rel.value
                ),
            )
            .with_help(
                "create a new CSR signed with SHA-256, as the admin UI of the security server does",
            ),
        );
    }
    if kind == Some(crate::xroad::CertKind::Authentication) && file.attr("O").is_none() {
        diags.push(
            Diagnostic::warning(
                "certificate-organisation",
                rel.span(),
                format!("the {what} `{}` has no `O` (organisation) in its subject", rel.value),
            )
            .with_help("DVV's authentication certificates name the server owner in `O`: create the CSR with the owner's name"),
        );
    }
    if let (Some(start), Some(today)) = (file.not_before, input.packet.date.civil())
        && start.date() > today
    {
        diags.push(
            Diagnostic::warning(
                "certificate-not-yet-valid",
                rel.span(),
                format!(
                    "the certificate `{}` is valid only from {}, after the packet date {today}",
                    rel.value,
                    start.date()
                ),
            )
            .with_help("check the file: a certificate that is not valid yet cannot be installed or registered before that day"),
        );
    }
    if let Some(file_date) = file.expires_on() {
        if let Some(today) = input.packet.date.civil()
            && file_date < today
        {
            diags.push(
                Diagnostic::warning("certificate-expired", rel.span(), format!("the certificate `{}` expired on {file_date}", rel.value))
                    .with_help("renew it now: a new key and CSR, an application in DVV's e-services, installation and registration"),
            );
        }
        if let Some(stated) = &c.expires
            && let Some(stated_date) = stated.civil()
            && stated_date != file_date
        {
            diags.push(
                Diagnostic::warning(
                    "certificate-expiry-mismatch",
                    stated.span(),
                    format!("`expires` says {stated_date}, but the certificate file says {file_date}; the file wins"),
                )
                .with_help(format!("write `expires = {file_date}` or remove `expires`")),
            );
        }
    }
    Some(file)
}

/// The subject DVV's FI profile expects for a signing or authentication certificate.
fn expected_subject(input: &Input, c: &Certificate) -> Option<Expected> {
    let server = input
        .servers
        .iter()
        .find(|s| s.instance.value == c.instance.value)?;
    let server_code = server
        .security_server_code
        .as_ref()
        .map(|s| s.value.clone())
        .unwrap_or_else(|| xroad::server_code_from_fqdn(&server.fqdn).to_string());
    match CertKind::parse(&c.kind)? {
        CertKind::Signing => {
            let m = input
                .members
                .iter()
                .find(|m| Some(&m.id.value) == c.member.as_ref().map(|x| &x.value))?;
            Some(Expected::Signing {
                member_code: m.member_code.value.clone(),
                member_name: Some(m.name.value.clone()),
                instance: c.instance.value.clone(),
                server_code,
                member_class: m.member_class.value.clone(),
            })
        }
        CertKind::Authentication => Some(Expected::Authentication {
            fqdn: server.fqdn.value.clone(),
            instance: c.instance.value.clone(),
            server_code,
            owner_class: input.owner.member_class.value.clone(),
        }),
        CertKind::InternalTls | CertKind::ClientTls => None,
    }
}

/// Carries a file's facts into a certificate of the checked model: the file's expiry wins
/// over `expires`.
pub fn apply(known: &mut KnownCertificate, file: &CertFile) {
    if let Some(expires) = file.expires_on() {
        known.expires = Some(expires);
    }
    known.file_info = Some(FileInfo {
        is_request: file.kind == FileKind::Request,
        subject: file.subject_line.clone(),
        fingerprint: file.sha256_fingerprint.clone(),
        key: file.key.to_string(),
        key_algorithm: file.key.algorithm.clone(),
        key_bits: file
            .key
            .bits
            .filter(|_| file.key.is_rsa() || file.key.algorithm == "DSA"),
    });
}
