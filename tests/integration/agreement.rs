//! The agreement a municipal lawyer would sign (SPEC §6.2–§6.4): every clause of the list in
//! every language and format, several signatories with their authority, the names of each
//! language, extra clauses, the data processing annex with every GDPR Art. 28(3) item, and the
//! per-member final mode.

use std::path::Path;

use crate::documents::{build_md, files};
use crate::pdf::{pdf_text, squash, typst};
use crate::run;

const INPUT: &str = "tests/fixtures/valid/agreement.toml";
const MINIMAL: &str = include_str!("../fixtures/valid/minimal.toml");

/// What each clause of SPEC §6.4's agreement list says, in Finnish, Swedish and English: a
/// phrase of the clause, or the value from the input that it shows.
const CLAUSES: &[(&str, [&str; 3])] = &[
    (
        "entry into force on signature",
        [
            "Sopimus tulee voimaan, kun molemmat osapuolet ovat allekirjoittaneet sen.",
            "Avtalet träder i kraft när båda parterna har undertecknat det.",
            "This agreement enters into force when both parties have signed it.",
        ],
    ),
    (
        "service and fees from starts",
        [
            "Palvelu ja sen maksut alkavat 1.1.2027.",
            "Tjänsten och avgifterna för den börjar 1.1.2027.",
            "The service and its fees start on 1 January 2027.",
        ],
    ),
    (
        "the data processing annex",
        [
            "Sopimus henkilötietojen käsittelystä",
            "Avtal om behandling av personuppgifter",
            "Data processing agreement",
        ],
    ),
    (
        "liability",
        [
            "välittömästä vahingosta",
            "direkt skada",
            "liable for the direct damage",
        ],
    ),
    (
        "liability cap from [terms]",
        ["5\u{a0}000\u{a0}€", "5\u{a0}000\u{a0}€", "EUR 5,000"],
    ),
    ("availability", ["99,5\u{a0}%", "99,5\u{a0}%", "99.5%"]),
    (
        "maintenance window",
        ["Tue 18–20", "Tue 18–20", "Tue 18–20"],
    ),
    (
        "response time",
        ["8 työtunnin", "8 arbetstimmar", "8 working hours"],
    ),
    (
        "termination for breach",
        ["purkaa sopimuksen", "häva avtalet", "materially breaches"],
    ),
    (
        "suspension of a subsystem that endangers the server",
        [
            "keskeyttää liittyvän organisaation alijärjestelmän käytön",
            "avbryta användningen av ett undersystem",
            "suspend the use of a subsystem",
        ],
    ),
    (
        "subcontracting",
        ["alihankkijoita", "underleverantörer", "subcontractors"],
    ),
    (
        "force majeure",
        ["ylivoimainen este", "force majeure", "force majeure"],
    ),
    (
        "assignment",
        ["kuntaliitoksen", "kommunsammanslagning", "municipal merger"],
    ),
    (
        "Finnish law",
        ["Suomen lakia", "finsk lag", "laws of Finland"],
    ),
    (
        "venue from [terms]",
        [
            "Vaasan käräjäoikeus",
            "Vaasan käräjäoikeus",
            "Vaasan käräjäoikeus",
        ],
    ),
    (
        "VAT",
        [
            "Maksuihin lisätään arvonlisävero",
            "Till avgifterna läggs mervärdesskatt",
            "Value added tax is added to the fees",
        ],
    ),
    (
        "payment term from [members.agreement] over [terms]",
        ["21 päivää netto", "21 dagar netto", "21 days net"],
    ),
    (
        "price revision",
        ["muuttaa maksuja", "ändra avgifterna", "change the fees"],
    ),
    (
        "proration",
        ["palvelupäivien", "tjänstedagar", "days of service"],
    ),
    ("openness", ["(621/1999)", "(621/1999)", "(621/1999)"]),
    (
        "confidentiality",
        ["pitävät salassa", "hemliga", "keep confidential"],
    ),
    (
        "signatories' authority",
        [
            "oikeus allekirjoittaa",
            "rätt att underteckna",
            "authorised to sign",
        ],
    ),
    (
        "keeping the authorisation valid",
        [
            "valtakirjan varmenteiden hakemiseen voimassa koko sopimuksen voimassaoloajan",
            "giltig under hela avtalstiden",
            "valid for the whole term of this agreement",
        ],
    ),
    (
        "exit: revoking the signing certificates",
        [
            "pyytää DVV:tä peruuttamaan",
            "ber ägaren DVV att återkalla",
            "asks DVV to revoke",
        ],
    ),
    (
        "exit: deleting the subsystems",
        [
            "poistopyynnöt keskuspalvelimelle",
            "ta bort undersystemen till centralservern",
            "delete the subsystems to the central server",
        ],
    ),
    (
        "service providers: service descriptions",
        [
            "palvelukuvaukset",
            "tjänstebeskrivningarna",
            "service descriptions",
        ],
    ),
    (
        "service providers: access rights on written request",
        [
            "vain liittyvän organisaation kirjallisesta pyynnöstä",
            "endast på den anslutande organisationens skriftliga begäran",
            "only on the joining organisation's written request",
        ],
    ),
    (
        "HTTPS on 8443 only",
        ["TCP-porttiin 8443", "TCP-port 8443", "TCP port 8443"],
    ),
    (
        "source addresses allow-listed or VPN",
        ["(VPN)", "(VPN)", "(VPN)"],
    ),
    (
        "the extra clause",
        [
            "Ensimmäisen vuoden maksu laskutetaan kahdessa erässä.",
            "Det första årets avgift faktureras i två poster.",
            "The first year's fee is invoiced in two instalments.",
        ],
    ),
];

/// Every GDPR Art. 28(3) item and the message log's terms in the data processing annex, in
/// Finnish, Swedish and English.
const ART_28: &[(&str, [&str; 3])] = &[
    (
        "subject matter",
        [
            "Käsittelyn kohteena",
            "Behandlingen gäller",
            "subject matter of the processing",
        ],
    ),
    (
        "duration",
        [
            "Käsittely kestää",
            "Behandlingen pågår",
            "The processing lasts",
        ],
    ),
    (
        "nature",
        [
            "Käsittely on teknistä",
            "Behandlingen är teknisk",
            "The processing is technical",
        ],
    ),
    (
        "purpose",
        [
            "Käsittelyn tarkoitus",
            "Ändamålet med behandlingen",
            "The purpose of the processing",
        ],
    ),
    (
        "data categories",
        ["personbeteckning", "personbeteckning", "personbeteckning"],
    ),
    (
        "data subjects",
        ["stadens invånare", "stadens invånare", "stadens invånare"],
    ),
    (
        "documented instructions",
        [
            "dokumentoitujen ohjeiden",
            "dokumenterade instruktioner",
            "documented instructions",
        ],
    ),
    (
        "confidentiality of staff",
        [
            "salassapitovelvollisuutta",
            "tystnadsplikt",
            "confidentiality",
        ],
    ),
    (
        "Art. 32 security",
        ["32 artiklan", "artikel 32", "Article 32"],
    ),
    (
        "sub-processors",
        [
            "Österbottens IT Ab",
            "Österbottens IT Ab",
            "Österbottens IT Ab",
        ],
    ),
    (
        "approval of sub-processors",
        [
            "vastustaa muutosta",
            "invända mot ändringen",
            "object to the change",
        ],
    ),
    (
        "data subjects' rights",
        ["III luku", "kapitel III", "Chapter III"],
    ),
    (
        "assistance with Art. 32–36",
        ["32–36 artiklan", "artiklarna 32–36", "Articles 32 to 36"],
    ),
    (
        "breach notice in fixed time",
        ["36 tunnin", "36 timmar", "36 hours"],
    ),
    ("deletion or return", ["palauttaa", "återlämna", "returns"]),
    ("audits", ["auditoinnit", "granskningar", "audits"]),
    (
        "body logging off",
        ["vain metatiedot", "endast metadata", "only metadata"],
    ),
    ("retention", ["90 päivää", "90 dagar", "90 days"]),
    (
        "who may read the log",
        [
            "nimetyt liityntäpalvelimen ylläpitäjät",
            "utsedda administratörer",
            "named administrators",
        ],
    ),
    (
        "who may export the log",
        [
            "vain rekisterinpitäjälle",
            "endast till den personuppgiftsansvarige",
            "only to the controller",
        ],
    ),
];

const LANGS: [&str; 3] = ["fi", "sv", "en"];

/// The visible text of an HTML page: tags removed, the entities the renderer writes decoded.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
}

/// Builds the rich input in every language and format into a new folder.
fn build_all(input: &str) -> (tempfile::TempDir, crate::Outcome) {
    let dir = tempfile::tempdir().unwrap();
    let typst = typst();
    let o = run([
        "build",
        input,
        "--lang",
        "fi,sv,en",
        "--format",
        "md,html,pdf",
        "--typst",
        typst.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    (dir, o)
}

/// Asserts that a document in one language holds the phrase of every listed item, in the
/// Markdown, the HTML page's text and the PDF's text.
fn assert_items(root: &Path, doc: &str, items: &[(&str, [&str; 3])]) {
    for (i, lang) in LANGS.iter().enumerate() {
        let stem = format!("{lang}/members/kristinestad/{doc}");
        let md = std::fs::read_to_string(root.join(format!("{stem}.md"))).unwrap();
        let html = html_text(&std::fs::read_to_string(root.join(format!("{stem}.html"))).unwrap());
        let pdf = squash(&pdf_text(&root.join(format!("{stem}.pdf")), None));
        for (what, phrases) in items {
            let p = phrases[i];
            assert!(md.contains(p), "{stem}.md lacks {what}: {p:?}\n{md}");
            assert!(html.contains(p), "{stem}.html lacks {what}: {p:?}");
            assert!(pdf.contains(&squash(p)), "{stem}.pdf lacks {what}: {p:?}");
        }
    }
}

/// Every clause of SPEC §6.4's agreement list is in the agreement in Finnish, Swedish and
/// English, as Markdown, HTML and PDF, and every Art. 28(3) item in the data processing annex.
#[test]
fn every_clause_in_every_language_and_format() {
    let (dir, o) = build_all(INPUT);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert_items(dir.path(), "agreement", CLAUSES);
    assert_items(dir.path(), "data-processing", ART_28);
}

/// Each signatory of each side has a block of its own, with name, title and authority, in
/// the agreement, the annex and the authorisation; the blocks are inside the signatures.
#[test]
fn every_signatory_has_a_signature_block() {
    let (dir, o) = build_md(INPUT, &["--lang", "fi,sv,en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let all = files(dir.path());
    for lang in LANGS {
        for (doc, blocks) in [
            ("agreement", 4),
            ("data-processing", 4),
            ("authorisation", 4),
        ] {
            let rel = format!("{lang}/members/kristinestad/{doc}.md");
            let md = String::from_utf8(all[&rel].clone()).unwrap();
            let signatures = md
                .split_once("<!-- signatures -->")
                .and_then(|(_, rest)| rest.split_once("<!-- /signatures -->"))
                .map(|(inside, _)| inside)
                .unwrap_or_else(|| panic!("{rel} has no signatures section"));
            assert_eq!(
                signatures.matches("\n<!-- signatory -->\n").count(),
                blocks,
                "{rel}"
            );
            assert_eq!(
                signatures.matches("\n<!-- /signatory -->\n").count(),
                blocks,
                "{rel}"
            );
            for block in signatures.split("<!-- signatory -->").skip(1) {
                let block = block.split("<!-- /signatory -->").next().unwrap();
                assert!(block.contains(r"\_\_\_\_"), "{rel}: a line to sign on");
            }
            for who in [
                "Kalle Nieminen",
                "Riikka Salonen",
                "Eva Granqvist",
                "Johan Nyman",
                "kaupunginhallituksen päätös 12.11.2026 § 45",
                "hallintosääntö 42 §",
                "stadsstyrelsens beslut 10.11.2026 § 120",
                "förvaltningsstadgan 30 §",
            ] {
                assert!(signatures.contains(who), "{rel} lacks {who}");
            }
        }
    }
}

/// Swedish documents use the Swedish names and place; the official names stay in the
/// identifiers' documents where DVV needs them: the permit sheet shows both.
#[test]
fn swedish_documents_use_the_swedish_names() {
    let (dir, o) = build_md(INPUT, &["--lang", "fi,sv"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let all = files(dir.path());
    let text = |rel: &str| String::from_utf8(all[rel].clone()).unwrap();
    let sv = text("sv/members/kristinestad/agreement.md");
    assert!(
        sv.contains("**Parter:** Vasa stad och Kristinestads stad"),
        "{sv}"
    );
    assert!(sv.contains("Ort och datum: Vasa, "), "{sv}");
    assert!(!sv.contains("Ort och datum: Vaasa"), "{sv}");
    assert!(sv.contains("Officiellt namn: Kristiinankaupunki"), "{sv}");
    let fi = text("fi/members/kristinestad/agreement.md");
    assert!(
        fi.contains("**Osapuolet:** Vaasan kaupunki ja Kristiinankaupunki"),
        "{fi}"
    );
    assert!(fi.contains("Paikka ja aika: Vaasa, "), "{fi}");
    // The permit sheet: the registered name first, the Swedish one beside it.
    let permit = text("sv/members/kristinestad/permit-fields.md");
    assert!(
        permit.contains("| Kristiinankaupunki (Kristinestads stad) |"),
        "{permit}"
    );
    assert!(
        permit.contains("| Vaasan kaupunki (Vasa stad) |"),
        "{permit}"
    );
    // The certificate's subject holds the official name.
    let auth = text("sv/members/kristinestad/authorisation.md");
    assert!(auth.contains("O=Kristiinankaupunki"), "{auth}");
}

/// `build --final` succeeds for a member without permit decision references: nothing is
/// marked as a draft, and the authorisation says the reference is to be given.
#[test]
fn final_without_permit_references() {
    let text = MINIMAL.replace("[members.permits]\nFI-TEST = \"DVV/1234/2026\"\n", "");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("no-permit.toml");
    std::fs::write(&input, text).unwrap();
    let (out, o) = build_md(input.to_str().unwrap(), &["--final", "--lang", "fi,sv,en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(o.stderr.contains("warning[missing-permit]"), "{}", o.stderr);
    for (rel, bytes) in files(out.path()) {
        let md = String::from_utf8(bytes).unwrap();
        for mark in ["LUONNOS", "UTKAST", "DRAFT"] {
            assert!(!md.contains(mark), "{rel} is marked {mark}");
        }
    }
    for (lang, given) in [
        ("fi", "Annetaan myöhemmin"),
        ("sv", "Lämnas senare"),
        ("en", "To be given"),
    ] {
        let md = std::fs::read_to_string(
            out.path()
                .join(format!("{lang}/members/pikkula/authorisation.md")),
        )
        .unwrap();
        assert!(md.contains(given), "{lang}: {md}");
    }
}

/// E-mail addresses in the domains reserved for examples are placeholders: a warning in a
/// draft, an error in final mode, for each reserved domain.
#[test]
fn placeholder_email_domains() {
    let dir = tempfile::tempdir().unwrap();
    for domain in [
        "pikkula.example",
        "x.test",
        "x.invalid",
        "x.localhost",
        "example.com",
        "mail.example.net",
        "example.org",
    ] {
        let text = MINIMAL.replace("it@pikkula.fi", &format!("it@{domain}"));
        let input = dir.path().join("p.toml");
        std::fs::write(&input, text).unwrap();
        let p = input.to_str().unwrap();
        let draft = run(["check", p]);
        assert_eq!(draft.exit as i32, 0, "{domain}: {}", draft.stderr);
        assert!(
            draft.stderr.contains("warning[email-placeholder]"),
            "{domain}: {}",
            draft.stderr
        );
        let fin = run(["check", p, "--final"]);
        assert_eq!(fin.exit as i32, 1, "{domain}: {}", fin.stderr);
        assert!(
            fin.stderr.contains("error[email-placeholder]"),
            "{domain}: {}",
            fin.stderr
        );
    }
    let ok = run(["check", "tests/fixtures/valid/minimal.toml"]);
    assert!(!ok.stderr.contains("email-placeholder"), "{}", ok.stderr);
}

/// A member's own `stage = "final"` makes its documents final in a draft packet; another
/// member stays a draft, and a placeholder address of the final member is an error.
#[test]
fn stage_per_member() {
    let (dir, o) = build_md("data/example.toml", &["--lang", "en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).unwrap();
    assert!(!read("en/members/pikkula/agreement.md").contains("DRAFT"));
    assert!(read("en/members/strandby/agreement.md").contains("DRAFT"));
    let text = MINIMAL.replace(
        "member_code = \"2345678-0\"\n",
        "member_code = \"2345678-0\"\nstage = \"final\"\n",
    );
    let text = text.replace("it@pikkula.fi", "it@pikkula.example");
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("s.toml");
    std::fs::write(&input, text).unwrap();
    let o = run(["check", input.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("error[email-placeholder]"),
        "{}",
        o.stderr
    );
}

/// An extra clause needs a text in every language its member's documents are built in: a
/// missing one is an error at the clause; an unknown section is an error with the nearest id.
#[test]
fn extra_clauses_are_checked_at_the_clause() {
    let base = MINIMAL.to_string();
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("c.toml");
    let clause = "\n[[members.clauses]]\nsection = \"costs\"\nfi = \"Lisäehto.\"\n";
    std::fs::write(&input, format!("{base}{clause}")).unwrap();
    let p = input.to_str().unwrap();
    let (_, o) = build_md(p, &["--lang", "fi"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let (_, o) = build_md(p, &["--lang", "fi,en"]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("error[missing-translation]"),
        "{}",
        o.stderr
    );
    let line = format!("{base}{clause}")
        .lines()
        .position(|l| l.starts_with("section = \"costs\""))
        .unwrap()
        + 1;
    assert!(
        o.stderr.contains(&format!("c.toml:{line}:11")),
        "{}",
        o.stderr
    );
    std::fs::write(
        &input,
        format!("{base}{}", clause.replace("\"costs\"", "\"cost\"")),
    )
    .unwrap();
    let o = run(["check", p]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(o.stderr.contains("unknown section `cost`"), "{}", o.stderr);
    assert!(o.stderr.contains("did you mean `costs`?"), "{}", o.stderr);
    // `services` only where a subsystem provides services.
    std::fs::write(
        &input,
        format!("{base}{}", clause.replace("\"costs\"", "\"services\"")),
    )
    .unwrap();
    let o = run(["check", p]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("has no `services` section"),
        "{}",
        o.stderr
    );
}

/// The extra clause is numbered as the last clause of its section.
#[test]
fn extra_clause_is_numbered_in_its_section() {
    let (dir, o) = build_md(INPUT, &["--lang", "en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let md =
        std::fs::read_to_string(dir.path().join("en/members/kristinestad/agreement.md")).unwrap();
    let costs = md
        .split("\n## ")
        .find(|s| s.contains("Fees and invoicing"))
        .unwrap();
    let number: String = costs.chars().take_while(char::is_ascii_digit).collect();
    let last = costs.lines().rfind(|l| l.starts_with("**")).unwrap();
    assert!(
        last.starts_with(&format!("**{number}."))
            && last.ends_with("The first year's fee is invoiced in two instalments."),
        "{costs}"
    );
}

/// `templates --sections` lists exactly the sections of the built-in agreement, in order.
#[test]
fn templates_lists_the_agreement_sections() {
    let o = run(["templates", "--sections"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let listed: Vec<&str> = o.stdout.lines().collect();
    let template = std::fs::read_to_string("templates/agreement.md").unwrap();
    let in_template: Vec<&str> = template
        .split("section(id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|id| *id != "signatures")
        .collect();
    assert_eq!(listed, in_template);
    assert!(listed.contains(&"costs") && listed.contains(&"liability"));
}
