//! Certificate files against DVV's FI profile, the register, `renewals` and its calendar.
//! Certificates and CSRs are generated here with rcgen (P-256 keys: rcgen with ring cannot
//! make RSA keys, so every file also gets the "not RSA" warning).

use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, date_time_ymd};

use crate::run;

const MINIMAL: &str = include_str!("../fixtures/valid/minimal.toml");

const SIGN_OK: &[(&str, &str)] = &[
    ("C", "FI"),
    ("O", "Pikkulan kunta"),
    ("CN", "2345678-0"),
    ("serialNumber", "FI-TEST/jarvenrantalptest01/MUN"),
];

fn params(subject: &[(&str, &str)], not_after: (i32, u8, u8)) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    let mut dn = DistinguishedName::new();
    for (k, v) in subject {
        let ty = match *k {
            "C" => DnType::CountryName,
            "O" => DnType::OrganizationName,
            "CN" => DnType::CommonName,
            "serialNumber" => DnType::CustomDnType(vec![2, 5, 4, 5]),
            other => panic!("no DnType for {other}"),
        };
        dn.push(ty, *v);
    }
    p.distinguished_name = dn;
    p.not_before = date_time_ymd(2026, 1, 1);
    p.not_after = date_time_ymd(not_after.0, not_after.1, not_after.2);
    p
}

fn cert(subject: &[(&str, &str)], not_after: (i32, u8, u8)) -> String {
    params(subject, not_after)
        .self_signed(&KeyPair::generate().unwrap())
        .unwrap()
        .pem()
}

fn csr(subject: &[(&str, &str)]) -> String {
    params(subject, (2030, 1, 1))
        .serialize_request(&KeyPair::generate().unwrap())
        .unwrap()
        .pem()
        .unwrap()
}

/// Writes the minimal input plus `certificates` and the given files into
/// `target/cert-fixtures/<name>/`, and returns the input's path (relative, so that
/// snapshots are the same on every machine).
fn fixture(name: &str, certificates: &str, files: &[(&str, &str)]) -> String {
    let dir = format!("target/cert-fixtures/{name}");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(format!("{dir}/{file}"), text).unwrap();
    }
    let path = format!("{dir}/sharing.toml");
    std::fs::write(&path, format!("{MINIMAL}\n{certificates}")).unwrap();
    path
}

/// A `[[certificates]]` entry for Pikkula's FI-TEST signing certificate read from `file`.
fn signing(file: &str) -> String {
    format!(
        "[[certificates]]\nkind = \"signing\"\ninstance = \"FI-TEST\"\nmember = \"pikkula\"\nfile = \"{file}\"\n"
    )
}

fn check(path: &str) -> String {
    let o = run(["check", path]);
    format!("exit: {}\n{}", o.exit as i32, o.stderr)
}

/// A CSR that fits the profile passes; the authorisation record shows its subject and fingerprint.
#[test]
fn matching_csr_is_shown_in_the_authorisation() {
    let pem = csr(SIGN_OK);
    let path = fixture("csr-ok", &signing("sign.csr"), &[("sign.csr", &pem)]);
    let o = run(["check", &path]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("certificate-profile"), "{}", o.stderr);
    let out = tempfile::tempdir().unwrap();
    let o = run([
        "build",
        &path,
        "--format",
        "md",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let doc =
        std::fs::read_to_string(out.path().join("fi/members/pikkula/authorisation.md")).unwrap();
    let file = xroad_share::x509::read(pem.as_bytes()).unwrap();
    // The fingerprint is shown in two rows of 16 bytes.
    let (first, second) = file.sha256_fingerprint.split_at(47);
    assert!(
        doc.contains(first) && doc.contains(&second[1..]),
        "fingerprint missing:\n{doc}"
    );
    assert!(
        doc.contains("serialNumber=FI-TEST/jarvenrantalptest01/MUN"),
        "subject missing:\n{doc}"
    );
}

/// A signing certificate with the member's own server code in `serialNumber` is rejected,
/// naming the field, the expected and the found value.
#[test]
fn wrong_serial_number() {
    let pem = cert(
        &[
            ("C", "FI"),
            ("O", "Pikkulan kunta"),
            ("CN", "2345678-0"),
            ("serialNumber", "FI-TEST/pikkulalp01/MUN"),
        ],
        (2028, 11, 20),
    );
    let path = fixture("wrong-serial", &signing("sign.pem"), &[("sign.pem", &pem)]);
    insta::assert_snapshot!("cert-wrong-serial-number", check(&path));
}

/// An authentication certificate whose `CN` is not the server's FQDN is rejected.
#[test]
fn wrong_authentication_cn() {
    let pem = cert(
        &[
            ("C", "FI"),
            ("O", "Jarvenrannan kaupunki"),
            ("CN", "jarvenrantalp01.jarvenranta.fi"),
            ("serialNumber", "FI-TEST/jarvenrantalptest01/MUN"),
        ],
        (2027, 6, 30),
    );
    let path = fixture(
        "wrong-cn",
        "[[certificates]]\nkind = \"authentication\"\ninstance = \"FI-TEST\"\nfile = \"auth.pem\"\n",
        &[("auth.pem", &pem)],
    );
    insta::assert_snapshot!("cert-wrong-authentication-cn", check(&path));
}

/// Nordic letters in `O` and a wrong `CN` are both reported.
#[test]
fn nordic_letters_and_wrong_cn() {
    let pem = csr(&[
        ("C", "FI"),
        ("O", "Pikkulan kunta ä"),
        ("CN", "2345678-1"),
        ("serialNumber", "FI-TEST/jarvenrantalptest01/MUN"),
    ]);
    let path = fixture("nordic", &signing("sign.csr"), &[("sign.csr", &pem)]);
    insta::assert_snapshot!("cert-nordic-o-and-wrong-cn", check(&path));
}

/// An expired certificate file is a warning, and its expiry wins over a different `expires`.
#[test]
fn expired_file_and_disagreeing_expiry() {
    let pem = cert(SIGN_OK, (2026, 10, 31));
    let path = fixture(
        "expired",
        "[[certificates]]\nkind = \"signing\"\ninstance = \"FI-TEST\"\nmember = \"pikkula\"\nexpires = 2028-11-20\nfile = \"sign.pem\"\n",
        &[("sign.pem", &pem)],
    );
    insta::assert_snapshot!("cert-expired-file", check(&path));
    let o = run(["renewals", &path, "--today", "2026-12-01", "--within", "30"]);
    assert!(
        o.stdout.contains("2026-10-31"),
        "the file's expiry is used:\n{}",
        o.stdout
    );
}

/// Garbage, a private key and a missing file are rejected with a precise message.
#[test]
fn unreadable_files() {
    let key = KeyPair::generate().unwrap().serialize_pem();
    let path = fixture(
        "garbage",
        "[[certificates]]\nkind = \"signing\"\ninstance = \"FI-TEST\"\nmember = \"pikkula\"\nfile = \"garbage.pem\"\n\n\
         [[certificates]]\nkind = \"authentication\"\ninstance = \"FI-TEST\"\nfile = \"key.pem\"\n\n\
         [[certificates]]\nkind = \"internal-tls\"\ninstance = \"FI-TEST\"\nfile = \"missing.pem\"\n",
        &[
            (
                "garbage.pem",
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
            ),
            ("key.pem", &key),
        ],
    );
    let out = check(&path);
    assert!(out.starts_with("exit: 1\n"), "{out}");
    let missing = "cannot read `target/cert-fixtures/garbage/missing.pem`";
    assert!(out.contains(missing), "{out}");
    insta::assert_snapshot!("cert-unreadable-files", out);
}

/// `renewals` lists every needed certificate with its status, soonest expiry first.
#[test]
fn renewals_table() {
    let o = run(["renewals", "data/example.toml", "--today", "2026-12-01"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    insta::assert_snapshot!("renewals-example", o.stdout);
}

/// `--fail-within` exits 4 when something expires within the days, 0 otherwise.
#[test]
fn fail_within_for_monitors() {
    let o = run([
        "renewals",
        "data/example.toml",
        "--today",
        "2026-12-01",
        "--fail-within",
        "30",
    ]);
    assert_eq!(o.exit as i32, 4, "{}", o.stderr);
    let o = run([
        "renewals",
        "data/example.toml",
        "--today",
        "2026-12-01",
        "--fail-within",
        "10",
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
}

/// The calendar parses with a real iCalendar parser: one event per known expiry, on the
/// renewal start, with a reminder and a stable UID; importing it again gives the same UIDs.
#[test]
fn renewal_calendar() {
    use icalendar::{Calendar, CalendarComponent, Component};
    let dir = tempfile::tempdir().unwrap();
    let ics = dir.path().join("r.ics");
    let o = run([
        "renewals",
        "data/example.toml",
        "--today",
        "2026-12-01",
        "--ics",
        ics.to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let text = std::fs::read_to_string(&ics).unwrap();
    let calendar: Calendar = text.parse().expect("a valid iCalendar file");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    // data/example.toml states four expiries.
    assert_eq!(events.len(), 4);
    let uids: std::collections::BTreeSet<_> = events
        .iter()
        .map(|e| e.get_uid().unwrap().to_string())
        .collect();
    assert_eq!(uids.len(), 4, "UIDs are unique");
    assert!(
        uids.contains("signing/FI-TEST/lakeside.1234567-1@xroad-share"),
        "{uids:?}"
    );
    let auth = events
        .iter()
        .find(|e| e.get_uid() == Some("authentication/FI.1234567-1@xroad-share"))
        .unwrap();
    // Expires 2027-01-15: renewal starts 30 days earlier.
    assert_eq!(auth.property_value("DTSTART"), Some("20261216"));
    let description = auth.get_description().unwrap();
    assert!(description.contains("DVV"), "{description}");
    assert!(text.contains("BEGIN:VALARM"), "every event has a reminder");
    assert_eq!(text.matches("BEGIN:VALARM").count(), 4);
    // A second run gives the same bytes, so re-importing updates rather than duplicates.
    let again = dir.path().join("r2.ics");
    run([
        "renewals",
        "data/example.toml",
        "--today",
        "2026-12-01",
        "--ics",
        again.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&again).unwrap(), text.as_bytes());
}

/// A CSR with a 2048-bit RSA key (made with openssl; rcgen cannot make RSA keys) passes the
/// profile but warns that the Finnish package uses 3072-bit keys.
#[test]
fn short_rsa_key_is_a_warning() {
    let pem =
        std::fs::read_to_string("tests/fixtures/certs/pikkula-sign-test-rsa2048.csr").unwrap();
    let path = fixture("rsa2048", &signing("sign.csr"), &[("sign.csr", &pem)]);
    insta::assert_snapshot!("cert-short-rsa-key", check(&path));
}

/// The example's 3072-bit CSR fits the profile without any finding.
#[test]
fn example_csr_fits_the_profile() {
    let o = run(["check", "data/example.toml"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("certificate-"), "{}", o.stderr);
}
