//! What an X-Road administrator checks in the documents (issue 11, SPEC §6.2–§6.4): the
//! owner's signing certificate in the register, the internal TLS certificate made by the
//! owner, HTTPS only for information systems, service providers' duties and the phase ids.

use std::path::Path;

use xroad_share::Exit;

use crate::documents::build_md;
use crate::{repo, run};

const LANGS: [&str; 3] = ["fi", "sv", "en"];

/// The minimal fixture with `edit` applied, written into a new folder.
fn variant(edit: impl Fn(String) -> String) -> (tempfile::TempDir, String) {
    let src = std::fs::read_to_string(repo().join("tests/fixtures/valid/minimal.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sharing.toml");
    std::fs::write(&path, edit(src)).unwrap();
    let p = path.to_str().unwrap().to_string();
    (dir, p)
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every Markdown document under `root`, with its path.
fn documents(root: &Path) -> Vec<(String, String)> {
    crate::documents::files(root)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".md"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

// The owner has no subsystems, yet the register lists its signing certificate in every
// instance of its servers, in every language.
#[test]
fn owner_signing_certificate_without_owner_subsystems() {
    let (_d, input) = variant(|s| {
        s.replace(
            "[[members]]",
            "[[servers]]\ninstance = \"FI\"\nfqdn = \"jarvenrantalp01.jarvenranta.fi\"\nipv4 = \"194.100.0.11\"\nplatform = \"rhel\"\n\n[[members]]",
        )
    });
    assert!(
        !std::fs::read_to_string(&input)
            .unwrap()
            .contains("[[owner.subsystems]]")
    );
    let (dir, o) = build_md(&input, &["--lang", "fi,sv,en"]);
    assert_eq!(o.exit, Exit::Success, "{}", o.stderr);
    for lang in LANGS {
        let reg = read(dir.path(), &format!("{lang}/certificates.md"));
        for id in ["MEMBER:FI-TEST/MUN/1234567-1", "MEMBER:FI/MUN/1234567-1"] {
            let row = reg
                .lines()
                .find(|l| l.contains(&format!("`{id}`")))
                .unwrap_or_else(|| panic!("{lang}: no row for {id}"));
            let signing = [
                "allekirjoitusvarmenne",
                "signeringscertifikat",
                "signing certificate",
            ];
            assert!(signing.iter().any(|w| row.contains(w)), "{lang}: {row}");
        }
    }
}

// No document in any language says that the joining organisation creates the internal TLS
// certificate: the owner does, and hands its public part to the member.
#[test]
fn internal_tls_is_the_owners() {
    let (dir, o) = build_md(
        repo().join("data/example.toml").to_str().unwrap(),
        &["--lang", "fi,sv,en"],
    );
    assert_eq!(o.exit, Exit::Success, "{}", o.stderr);
    let wrong = [
        "Liittyvä organisaatio luo sen",
        "luo sisäisen TLS-varmenteen (liittyvä",
        "Den anslutande organisationen skapar det endast",
        "internal TLS certificate (joining organisation)",
        "The joining organisation creates it only",
        "The organisations agree on who creates it",
    ];
    for (path, text) in documents(dir.path()) {
        for w in wrong {
            assert!(!text.contains(w), "{path} says `{w}`");
        }
    }
    for (lang, said) in [
        (
            "fi",
            "Liityntäpalvelimen sisäisen TLS-varmenteen luominen ja sen julkisen osan toimittaminen",
        ),
        (
            "sv",
            "Att skapa anslutningsserverns interna TLS-certifikat och överlämna dess publika del",
        ),
        (
            "en",
            "Creating the security server's internal TLS certificate and handing its public part",
        ),
    ] {
        let member = if lang == "fi" {
            "pikkula"
        } else if lang == "sv" {
            "strandby"
        } else {
            "lakeside"
        };
        let a = read(dir.path(), &format!("{lang}/members/{member}/agreement.md"));
        let row = a
            .lines()
            .find(|l| l.contains(said))
            .unwrap_or_else(|| panic!("{lang}"));
        assert!(
            row.ends_with("| Omistaja |")
                || row.ends_with("| Ägaren |")
                || row.ends_with("| Owner |"),
            "{row}"
        );
    }
}

// Port 8080 (plain HTTP) is never offered; the agreements name HTTPS on 8443.
#[test]
fn plain_http_is_not_offered() {
    let (dir, o) = build_md(
        repo().join("data/example.toml").to_str().unwrap(),
        &["--lang", "fi,sv,en"],
    );
    assert_eq!(o.exit, Exit::Success, "{}", o.stderr);
    for (path, text) in documents(dir.path()) {
        assert!(!text.contains("8080"), "{path} mentions 8080");
        if path.ends_with("agreement.md") {
            assert!(
                text.contains("8443") && text.contains("5588") && text.contains("4000"),
                "{path}"
            );
        }
    }
}

// A subsystem with `provides_services = true` gives the agreement the service provider's
// duties: service descriptions and access rights on written request, in every language.
#[test]
fn service_providers_duties() {
    let (_d, input) = variant(|s| {
        s.replace(
            "instances = [\"FI-TEST\"]\n\n[members.agreement]",
            "instances = [\"FI-TEST\"]\nprovides_services = true\n\n[members.agreement]",
        )
    });
    let (dir, o) = build_md(&input, &["--lang", "fi,sv,en"]);
    assert_eq!(o.exit, Exit::Success, "{}", o.stderr);
    for (lang, words) in [
        (
            "fi",
            ["palvelukuvau", "käyttöoikeu", "kirjallisesta pyynnöstä"],
        ),
        (
            "sv",
            [
                "tjänstebeskrivning",
                "åtkomsträttighet",
                "skriftliga begäran",
            ],
        ),
        (
            "en",
            ["service description", "access right", "written request"],
        ),
    ] {
        let a = read(dir.path(), &format!("{lang}/members/pikkula/agreement.md"));
        for w in words {
            assert!(a.contains(w), "{lang}: no `{w}`");
        }
    }
    // Without the flag, no such duties.
    let (dir, _) = build_md("tests/fixtures/valid/minimal.toml", &["--lang", "en"]);
    let a = read(dir.path(), "en/members/pikkula/agreement.md");
    assert!(!a.contains("service description"));
}

// The phase ids of SPEC §6.4 are accepted; the old `client-tls` is an error whose help
// names the new ids; `internal_tls_by` is a `deprecated-key` warning.
#[test]
fn phase_ids_and_deprecated_key() {
    let (_d, input) = variant(|s| {
        s.replace(
            "agreement = 2026-11-20",
            "agreement = 2026-11-20\nauthorisation-received = 2026-11-21\n\"permit-reference/FI-TEST\" = 2026-11-22\n\"client-tls/FI-TEST\" = 2026-11-23",
        )
    });
    let o = run(["check", input.as_str()]);
    assert_eq!(o.exit, Exit::Success, "{}", o.stderr);

    let (_d, input) = variant(|s| {
        s.replace(
            "agreement = 2026-11-20",
            "agreement = 2026-11-20\nclient-tls = 2026-11-23",
        )
    });
    let o = run(["check", input.as_str()]);
    assert_eq!(o.exit, Exit::Invalid);
    assert!(o.stderr.contains("client-tls"), "{}", o.stderr);
    assert!(o.stderr.contains("`client-tls/FI-TEST`"), "{}", o.stderr);

    let (_d, input) = variant(|s| {
        s.replace(
            "member_code = \"2345678-0\"",
            "member_code = \"2345678-0\"\ninternal_tls_by = \"member\"",
        )
    });
    let o = run(["check", input.as_str()]);
    assert_eq!(o.exit, Exit::Success, "{}", o.stderr);
    assert!(o.stderr.contains("deprecated-key"), "{}", o.stderr);
    assert!(o.stderr.contains("ignored"), "{}", o.stderr);
}

// A step that waits for the other side says so and names the other side's checklist.
#[test]
fn waiting_steps_name_the_other_side() {
    let (dir, o) = build_md(
        repo().join("data/example.toml").to_str().unwrap(),
        &["--lang", "fi,sv,en"],
    );
    assert_eq!(o.exit, Exit::Success, "{}", o.stderr);
    for (lang, waits) in [
        ("fi", "odottaa omistajan vaihetta"),
        ("sv", "väntar på ägarens steg"),
        ("en", "waits for the owner's step"),
    ] {
        let c = read(
            dir.path(),
            &format!("{lang}/members/pikkula/member-checklist.md"),
        );
        assert!(c.contains(waits), "{lang}");
    }
}
