//! The command line: help texts, exit codes, `init`, `schema`, `status` and `templates`.

use crate::run;

/// `--help` of the program and of every subcommand, as users see it.
#[test]
fn help_texts() {
    for sub in [
        "",
        "init",
        "check",
        "build",
        "status",
        "renewals",
        "schema",
        "templates",
        "serve",
        "done",
        "completions",
        "manpage",
        "sync",
    ] {
        let args: Vec<&str> = if sub.is_empty() {
            vec!["--help"]
        } else {
            vec![sub, "--help"]
        };
        let o = run(args);
        assert_eq!(o.exit as i32, 0);
        let name = if sub.is_empty() {
            "help".to_string()
        } else {
            format!("help-{sub}")
        };
        insta::assert_snapshot!(name, o.stdout);
    }
}

/// Usage errors exit with 2 and say what is wrong.
#[test]
fn usage_errors_exit_2() {
    let o = run(["frobnicate"]);
    assert_eq!(o.exit as i32, 2);
    assert!(
        o.stderr.contains("unrecognized subcommand 'frobnicate'"),
        "{}",
        o.stderr
    );
    let o = run(["build", "data/example.toml", "--format", "rtf"]);
    assert_eq!(o.exit as i32, 2);
    assert!(o.stderr.contains("invalid value 'rtf'"), "{}", o.stderr);
    let out = tempfile::tempdir().unwrap();
    let o = run([
        "build",
        "data/example.toml",
        "--format",
        "md",
        "--member",
        "pikula",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 2);
    assert!(
        o.stderr
            .contains("no member with the id `pikula`; did you mean `pikkula`?"),
        "{}",
        o.stderr
    );
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing is written on a usage error"
    );
}

/// `init` writes a starter that passes `check`, and never overwrites it.
#[test]
fn init_writes_a_valid_starter_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let o = run(["init", d]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let path = dir.path().join("sharing.toml");
    let first = std::fs::read_to_string(&path).unwrap();
    let o = run(["check", path.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("error["), "{}", o.stderr);
    std::fs::write(&path, "# my own edits\n").unwrap();
    let o = run(["init", d]);
    assert_eq!(o.exit as i32, 2);
    assert!(o.stderr.contains("already exists"), "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# my own edits\n",
        "the existing file is untouched"
    );
    assert!(first.contains("[[members]]"));
}

/// `schema` prints a JSON Schema derived from the model: strict objects, enums for editors.
#[test]
fn schema_is_strict_json_schema() {
    let o = run(["schema"]);
    assert_eq!(o.exit as i32, 0);
    let schema: serde_json::Value = serde_json::from_str(&o.stdout).expect("valid JSON");
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
    assert_eq!(schema["required"], serde_json::json!(["packet", "owner"]));
    let member = &schema["$defs"]["Member"];
    assert_eq!(member["additionalProperties"], serde_json::json!(false));
    assert_eq!(
        member["properties"]["member_class"]["enum"],
        serde_json::json!(["GOV", "MUN", "COM", "EDU", "ORG", "PRI"])
    );
    assert_eq!(schema["$defs"]["Date"]["format"], serde_json::json!("date"));
    let allow = &schema["$defs"]["Lints"]["properties"]["allow"]["items"]["enum"];
    assert!(
        allow
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("missing-permit")),
        "{allow}"
    );
}

/// `status --all` shows each member's phases with the next step, and certificate warnings.
#[test]
fn status_table() {
    let o = run([
        "status",
        "data/example.toml",
        "--all",
        "--today",
        "2026-12-01",
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    insta::assert_snapshot!("status-example", o.stdout);
}

/// `templates` lists every built-in template, and `--eject` copies them without overwriting.
#[test]
fn templates_list_and_eject() {
    let o = run(["templates"]);
    assert_eq!(o.exit as i32, 0);
    for lang in ["fi", "sv", "en"] {
        for doc in [
            "agreement",
            "authorisation",
            "permit-fields",
            "member-checklist",
            "owner-checklist",
            "certificates",
            "overview",
        ] {
            assert!(
                o.stdout.lines().any(|l| l == format!("{lang}/{doc}.md")),
                "{lang}/{doc}.md missing:\n{}",
                o.stdout
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("fi")).unwrap();
    std::fs::write(dir.path().join("fi/agreement.md"), "mine").unwrap();
    let o = run(["templates", "--eject", dir.path().to_str().unwrap()]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("fi/agreement.md")).unwrap(),
        "mine"
    );
    assert!(dir.path().join("en/overview.md").is_file());
    assert!(o.stderr.contains("kept"), "{}", o.stderr);
}
