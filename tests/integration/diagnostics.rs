//! One fixture per validation rule in `tests/fixtures/invalid/`: each file's first line says
//! what it breaks; the snapshot is exactly what `check` prints, with the exit code.

use crate::run;

/// Checks a fixture and returns the snapshot text: exit code, then standard error.
fn check(name: &str, extra: &[&str]) -> String {
    let path = format!("tests/fixtures/invalid/{name}.toml");
    let mut args = vec!["check", path.as_str()];
    args.extend_from_slice(extra);
    let o = run(args);
    assert!(
        o.stdout.is_empty(),
        "check prints diagnostics on stderr only"
    );
    format!("exit: {}\n{}", o.exit as i32, o.stderr)
}

macro_rules! fixtures {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                insta::assert_snapshot!($name, check($name, &[]));
            }
        )*
    };
}

fixtures! {
    syntax_error => "syntax-error",
    syntax_duplicate_key => "syntax-duplicate-key",
    not_utf8 => "not-utf8",
    unknown_key => "unknown-key",
    unknown_key_and_more => "unknown-key-server",
    unknown_table => "unknown-table",
    invalid_type => "invalid-type",
    invalid_type_date => "invalid-type-date",
    missing_key => "missing-key",
    business_id_check_digit => "business-id-check-digit",
    business_id_six_digits => "business-id-six-digits",
    business_id_format => "business-id-format",
    business_id_dvv_example => "business-id-dvv-example",
    member_class_unknown => "member-class-unknown",
    member_class_lowercase => "member-class-lowercase",
    pri_outside_dev => "pri-outside-dev",
    instance_unknown => "instance-unknown",
    instance_without_server => "instance-without-server",
    duplicate_server => "duplicate-server",
    fqdn_uppercase => "fqdn-uppercase",
    fqdn_nordic => "fqdn-nordic",
    fqdn_underscore => "fqdn-underscore",
    fqdn_single_label => "fqdn-single-label",
    server_code_invalid => "server-code-invalid",
    server_code_differs => "server-code-differs",
    ipv4_private => "ipv4-private",
    ipv4_cgnat => "ipv4-cgnat",
    ipv4_malformed => "ipv4-malformed",
    ipv4_placeholder => "ipv4-placeholder",
    final_placeholder => "final-placeholder",
    subsystem_code_invalid => "subsystem-code-invalid",
    subsystem_duplicate => "subsystem-duplicate",
    subsystem_digits => "subsystem-digits",
    missing_contact => "missing-contact",
    missing_signatory => "missing-signatory",
    email_malformed => "email-malformed",
    phone_national => "phone-national",
    contact_role_unknown => "contact-role-unknown",
    member_id_invalid => "member-id-invalid",
    member_id_path => "member-id-path",
    member_id_duplicate => "member-id-duplicate",
    member_is_owner => "member-is-owner",
    unknown_phase => "unknown-phase",
    unknown_permit_instance => "unknown-permit-instance",
    unknown_certificate_member => "unknown-certificate-member",
    certificate_fields => "certificate-fields",
    certificate_expired => "certificate-expired",
    invalid_date => "invalid-date",
    date_order => "date-order",
    authorisation_short => "authorisation-short",
    language_unknown => "language-unknown",
    stage_unknown => "stage-unknown",
    platform_unknown => "platform-unknown",
    tls_by_unknown => "tls-by-unknown",
    many_errors => "many-errors",
}

/// Every fixture in the folder has a test above, so none is silently left out.
#[test]
fn every_fixture_is_tested() {
    let source = include_str!("diagnostics.rs");
    for entry in std::fs::read_dir("tests/fixtures/invalid").unwrap() {
        let name = entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".toml")
            .to_string();
        assert!(
            source.contains(&format!("=> \"{name}\"")),
            "fixture `{name}` has no test"
        );
    }
}

/// `--final` on the command line has the same effect as `stage = "final"`.
#[test]
fn final_flag_turns_placeholders_into_errors() {
    let draft = check("ipv4-placeholder", &[]);
    assert!(
        draft.starts_with("exit: 0\nwarning[ipv4-placeholder]"),
        "{draft}"
    );
    insta::assert_snapshot!(
        "ipv4-placeholder-final",
        check("ipv4-placeholder", &["--final"])
    );
}

/// The valid fixture, the bundled example and the `init` starter pass `check`.
#[test]
fn valid_inputs_pass() {
    let o = run(["check", "tests/fixtures/valid/minimal.toml"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(
        !o.stderr.contains("warning["),
        "the minimal fixture has no warnings: {}",
        o.stderr
    );
    let o = run(["check", "data/example.toml"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("error["), "{}", o.stderr);
}

/// A file that does not exist is an input error with the path named.
#[test]
fn missing_file() {
    let o = run(["check", "tests/fixtures/no-such-file.toml"]);
    assert_eq!(o.exit as i32, 1);
    assert!(
        o.stderr
            .starts_with("error: cannot read `tests/fixtures/no-such-file.toml`"),
        "{}",
        o.stderr
    );
}
