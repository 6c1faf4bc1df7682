//! The daily workflow: finding the input file, `init` of a path, `-q`, `--allow` and
//! `[lints]`, `done`, `status --json`, tables that fit the width, completions and the
//! manual page, early PDF errors, and `serve`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::{changed_lines, repo, run, run_process};

const EXAMPLE: &str = "data/example.toml";

/// A copy of the example (with the certificate files it names) in a new folder, as
/// `sharing.toml`.
fn example_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sharing.toml");
    std::fs::copy(repo().join(EXAMPLE), &path).unwrap();
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    for entry in std::fs::read_dir(repo().join("data/certs")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("certs").join(entry.file_name()),
        )
        .unwrap();
    }
    (dir, path)
}

/// `check` without FILE finds `sharing.toml` in the current folder or the nearest parent,
/// and says so when there is none.
#[test]
fn check_finds_sharing_toml_in_the_current_or_a_parent_folder() {
    let (dir, _) = example_copy();
    let o = run_process(&["check"], dir.path(), &[]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(o.stderr.contains("`sharing.toml` is valid"), "{}", o.stderr);
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    let o = run_process(&["check", "-q"], &nested, &[]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let empty = tempfile::tempdir().unwrap();
    let o = run_process(&["check"], empty.path(), &[]);
    assert_eq!(o.exit as i32, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("no `sharing.toml` in") && o.stderr.contains("xroad-share init"),
        "{}",
        o.stderr
    );
}

/// `check DIR` reads `DIR/sharing.toml`; a folder without one is a usage error.
#[test]
fn check_of_a_folder_reads_its_sharing_toml() {
    let (dir, _) = example_copy();
    let o = run(["check", dir.path().to_str().unwrap()]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let empty = tempfile::tempdir().unwrap();
    let o = run(["check", empty.path().to_str().unwrap()]);
    assert_eq!(o.exit as i32, 2, "{}", o.stderr);
    assert!(o.stderr.contains("has no `sharing.toml`"), "{}", o.stderr);
}

/// `init x.toml` writes that file (not a folder), with a `#:schema` line that points at the
/// schema file written beside it, and the result passes `check`.
#[test]
fn init_of_a_toml_path_writes_that_file_and_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.toml");
    let o = run(["init", path.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(path.is_file(), "a file, not a folder");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.lines().next(),
        Some("#:schema ./xroad-share.schema.json")
    );
    let schema = std::fs::read_to_string(dir.path().join("xroad-share.schema.json")).unwrap();
    assert_eq!(schema, run(["schema"]).stdout);
    let o = run(["check", path.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    // A second `init` beside it writes `sharing.toml` and keeps the schema file.
    let o = run(["init", dir.path().to_str().unwrap()]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(dir.path().join("sharing.toml").is_file());
}

/// `-q` prints nothing for a valid file that has warnings; without it the warnings show.
#[test]
fn quiet_prints_nothing_for_a_valid_file_with_warnings() {
    let loud = run(["check", EXAMPLE]);
    assert_eq!(loud.exit as i32, 0, "{}", loud.stderr);
    assert!(loud.stderr.contains("warning["), "{}", loud.stderr);
    for args in [["check", "-q", EXAMPLE], ["-q", "check", EXAMPLE]] {
        let o = run(args);
        assert_eq!(o.exit as i32, 0, "{}", o.stderr);
        assert_eq!(o.stdout, "");
        assert_eq!(o.stderr, "");
    }
}

/// `-q` keeps errors.
#[test]
fn quiet_keeps_errors() {
    let o = run([
        "check",
        "--quiet",
        "tests/fixtures/invalid/business-id-check-digit.toml",
    ]);
    assert_eq!(o.exit as i32, 1);
    assert!(o.stderr.contains("error[business-id]"), "{}", o.stderr);
    assert!(!o.stderr.contains("warning["), "{}", o.stderr);
}

/// `--allow missing-permit` removes those warnings and only those.
#[test]
fn allow_removes_the_warnings_of_a_code() {
    let loud = run(["check", EXAMPLE]);
    assert!(
        loud.stderr.contains("warning[missing-permit]"),
        "{}",
        loud.stderr
    );
    let o = run(["check", EXAMPLE, "--allow", "missing-permit"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("missing-permit"), "{}", o.stderr);
    assert!(
        o.stderr.contains("warning[authorisation-short]"),
        "{}",
        o.stderr
    );
    let o = run([
        "check",
        EXAMPLE,
        "--allow",
        "missing-permit",
        "--allow",
        "authorisation-short",
    ]);
    assert!(!o.stderr.contains("authorisation-short"), "{}", o.stderr);
}

/// `--allow` of an error code or of no code at all is a usage error that names the nearest code.
#[test]
fn allowing_an_error_or_an_unknown_code_is_a_usage_error() {
    let o = run(["check", EXAMPLE, "--allow", "business-id"]);
    assert_eq!(o.exit as i32, 2);
    assert!(
        o.stderr
            .contains("`business-id` is an error, and only warnings can be allowed"),
        "{}",
        o.stderr
    );
    let o = run(["check", EXAMPLE, "--allow", "missing-permt"]);
    assert_eq!(o.exit as i32, 2);
    assert!(
        o.stderr.contains("did you mean `missing-permit`?"),
        "{}",
        o.stderr
    );
}

/// `[lints] allow` in the file silences warnings; an error code there is an error that
/// points at the entry.
#[test]
fn lints_table_in_the_file() {
    let (_dir, path) = example_copy();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}\n[lints]\nallow = [\"missing-permit\"]\n"),
    )
    .unwrap();
    let o = run(["check", path.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("missing-permit"), "{}", o.stderr);
    std::fs::write(
        &path,
        format!("{text}\n[lints]\nallow = [\"missing-permit\", \"business-id\"]\n"),
    )
    .unwrap();
    let o = run(["check", path.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("error[lints]: `business-id` is an error"),
        "{}",
        o.stderr
    );
    let line = text.lines().count() + 3;
    assert!(
        o.stderr.contains(&format!("sharing.toml:{line}:")),
        "points at the entry on line {line}:\n{}",
        o.stderr
    );
}

/// `done` changes exactly one line of a commented file, keeps every comment, leaves a file
/// that passes `check`, and keeps a date that is already there.
#[test]
fn done_changes_exactly_one_line() {
    let (_dir, path) = example_copy();
    let file = path.to_str().unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    assert!(
        before.lines().filter(|l| l.contains('#')).count() > 5,
        "a commented file"
    );
    let o = run([
        "done",
        file,
        "pikkula",
        "authorisation",
        "--date",
        "2026-12-02",
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        changed_lines(&before, &after),
        ["+authorisation = 2026-12-02"]
    );
    let o = run(["check", file]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    // Again: the date stays, nothing is written.
    let o = run([
        "done",
        file,
        "pikkula",
        "authorisation",
        "--date",
        "2026-12-09",
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("already recorded as done on 2026-12-02"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
    // `--force` replaces it, on the same line.
    let o = run([
        "done",
        file,
        "pikkula",
        "authorisation",
        "--date",
        "2026-12-09",
        "--force",
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert_eq!(
        changed_lines(&after, &std::fs::read_to_string(&path).unwrap()),
        ["-authorisation = 2026-12-02", "+authorisation = 2026-12-09"]
    );
}

/// `done` without FILE finds `sharing.toml`; a per-instance phase id is quoted.
#[test]
fn done_finds_the_file_and_quotes_phase_ids() {
    let (dir, path) = example_copy();
    let before = std::fs::read_to_string(&path).unwrap();
    let o = run_process(
        &["done", "pikkula", "permit/FI", "--date", "2026-12-03"],
        dir.path(),
        &[],
    );
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert_eq!(
        changed_lines(&before, &std::fs::read_to_string(&path).unwrap()),
        ["+\"permit/FI\" = 2026-12-03"]
    );
}

/// `done` refuses a member or a phase that does not exist, with the nearest name, and
/// writes nothing.
#[test]
fn done_refuses_unknown_members_and_phases() {
    let (_dir, path) = example_copy();
    let file = path.to_str().unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    let o = run(["done", file, "pikula", "agreement"]);
    assert_eq!(o.exit as i32, 2);
    assert!(o.stderr.contains("did you mean `pikkula`?"), "{}", o.stderr);
    let o = run(["done", file, "pikkula", "authorisaton"]);
    assert_eq!(o.exit as i32, 2);
    assert!(
        o.stderr.contains("did you mean `authorisation`?"),
        "{}",
        o.stderr
    );
    // pikkula uses FI-TEST and FI, not FI-DEV.
    let o = run(["done", file, "pikkula", "permit/FI-DEV"]);
    assert_eq!(o.exit as i32, 2);
    assert!(
        o.stderr.contains("has no phase `permit/FI-DEV`"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

/// `status --json` is JSON with each member's sides, next steps and phases.
#[test]
fn status_json_parses_and_has_the_fields() {
    let o = run(["status", EXAMPLE, "--json", "--today", "2026-12-01"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("valid JSON");
    assert_eq!(v["today"], "2026-12-01");
    let members = v["members"].as_array().unwrap();
    assert!(members.len() >= 2);
    let m = &members[0];
    assert_eq!(m["id"], "pikkula");
    for side in ["member", "owner"] {
        let s = &m[side];
        assert!(s["done"].as_u64().unwrap() <= s["total"].as_u64().unwrap());
        let phases = s["phases"].as_array().unwrap();
        assert_eq!(phases.len() as u64, s["total"].as_u64().unwrap());
        assert!(
            phases
                .iter()
                .all(|p| p["id"].is_string() && p["what"].is_string())
        );
        assert!(s["next"]["id"].is_string());
    }
    assert_eq!(m["member"]["phases"][0]["id"], "agreement");
    assert_eq!(m["member"]["phases"][0]["done"], "2026-11-20");
    assert!(v["certificates"].is_array());
    let one = run([
        "status",
        EXAMPLE,
        "--json",
        "--member",
        "pikkula",
        "--today",
        "2026-12-01",
    ]);
    let v: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(v["members"].as_array().unwrap().len(), 1);
    let o = run(["status", EXAMPLE, "--member", "pikula"]);
    assert_eq!(o.exit as i32, 2);
    assert!(o.stderr.contains("did you mean `pikkula`?"), "{}", o.stderr);
}

/// `status` is one line per member with the next step; `--all` lists every phase.
#[test]
fn status_summary_and_every_phase() {
    let o = run(["status", EXAMPLE, "--today", "2026-12-01"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    insta::assert_snapshot!("status-summary", o.stdout);
    let all = run(["status", EXAMPLE, "--all", "--today", "2026-12-01"]);
    assert!(all.stdout.lines().count() > 3 * o.stdout.lines().count());
    assert!(
        all.stdout.contains("sign-cert-registered/FI-TEST"),
        "{}",
        all.stdout
    );
}

/// Whether every date-like run of characters in `text` is a whole `YYYY-MM-DD`.
fn dates_whole(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(4)).all(|i| {
        let starts = b[i..i + 4].iter().all(u8::is_ascii_digit)
            && b[i + 4] == b'-'
            && (i == 0 || !b[i - 1].is_ascii_digit());
        !starts
            || (b.len() >= i + 10
                && b[i + 5..i + 7].iter().all(u8::is_ascii_digit)
                && b[i + 7] == b'-'
                && b[i + 8..i + 10].iter().all(u8::is_ascii_digit))
    })
}

/// `renewals` at `COLUMNS=80` has no line longer than 80 columns and breaks no date;
/// piped without `COLUMNS` it fits 100.
#[test]
fn renewals_fit_80_columns_without_breaking_dates() {
    let args = ["renewals", EXAMPLE, "--today", "2026-12-01"];
    for (columns, width) in [(Some("80"), 80), (None, 100), (Some("60"), 60)] {
        let o = run_process(&args, repo(), &[("COLUMNS", columns)]);
        assert_eq!(o.exit as i32, 0, "{}", o.stderr);
        for line in o.stdout.lines() {
            assert!(
                line.chars().count() <= width,
                "wider than {width}: {line:?}\n{}",
                o.stdout
            );
        }
        assert!(
            dates_whole(&o.stdout),
            "a broken date at {width}:\n{}",
            o.stdout
        );
        assert!(o.stdout.contains("vtj-pikkula-client"), "{}", o.stdout);
    }
    assert!(!dates_whole("expires 2026-12-2\n0"));
}

/// `status` tables fit 80 columns too.
#[test]
fn status_fits_80_columns() {
    let o = run_process(
        &["status", EXAMPLE, "--all", "--today", "2026-12-01"],
        repo(),
        &[("COLUMNS", Some("80"))],
    );
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(
        o.stdout.lines().all(|l| l.chars().count() <= 80),
        "{}",
        o.stdout
    );
    assert!(dates_whole(&o.stdout), "{}", o.stdout);
}

/// `completions SHELL` prints a script for every shell and `manpage` a roff page, both
/// naming the subcommands.
#[test]
fn completions_and_manpage_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(["completions", shell]);
        assert_eq!(o.exit as i32, 0, "{shell}: {}", o.stderr);
        assert!(o.stdout.len() > 1000, "{shell}: {}", o.stdout);
        for word in ["xroad-share", "renewals", "serve", "allow", "pdf-standard"] {
            assert!(o.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    let o = run(["completions", "tcsh"]);
    assert_eq!(o.exit as i32, 2);
    let o = run(["manpage"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(
        o.stdout.starts_with(".ie \\n(.g .ds Aq"),
        "{}",
        &o.stdout[..80]
    );
    for word in [".TH xroad-share", "serve", "renewals", "quiet"] {
        assert!(o.stdout.contains(word), "the manual page lacks {word}");
    }
}

/// `--typst` naming a program that does not exist with PDFs asked for exits 3 before
/// anything is written, with the default formats too.
#[test]
fn missing_typst_program_exits_3_and_writes_nothing() {
    for format in [&["--format", "pdf"][..], &[][..]] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut args = vec![
            "build",
            EXAMPLE,
            "--typst",
            "/nonexistent",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(format);
        let o = run(args);
        assert_eq!(o.exit as i32, 3, "{}", o.stderr);
        assert!(
            o.stderr
                .contains("`/nonexistent` (from --typst) does not exist"),
            "{}",
            o.stderr
        );
        assert!(!out.exists(), "nothing is written");
    }
}

/// `--pdf-standard` is a closed list, and standards that cannot be combined are refused,
/// both with exit 2 before anything is written.
#[test]
fn pdf_standard_is_checked_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    for (standard, says) in [
        ("foo", "invalid value 'foo' for '--pdf-standard"),
        (
            "a-2b,a-3b",
            "names `a-2b` and `a-3b`, but a PDF conforms to at most one PDF/A part",
        ),
        (
            "1.7,a-4",
            "names `a-4` with `1.7`: they have no PDF version in common",
        ),
        ("a-4,ua-1", "names `ua-1` with `a-4`"),
    ] {
        let o = run([
            "build",
            EXAMPLE,
            "--out",
            out,
            "--format",
            "md,pdf",
            "--pdf-standard",
            standard,
        ]);
        assert_eq!(o.exit as i32, 2, "{standard}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{standard}: {}", o.stderr);
        assert!(!Path::new(out).exists(), "{standard}: nothing is written");
    }
    let o = run(["build", "--help"]);
    for standard in ["a-2b", "a-2a", "a-2u", "a-3b", "ua-1"] {
        assert!(o.stdout.contains(standard), "{standard}");
    }
}

/// The reload script is only in what `serve` sends, never in what `build` writes.
#[test]
fn build_output_has_no_reload_script() {
    let dir = tempfile::tempdir().unwrap();
    let o = run([
        "build",
        EXAMPLE,
        "--format",
        "md,html",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(dir.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&text).contains("__xroad-share"),
                "{}",
                entry.path().display()
            );
            pages += usize::from(entry.path().extension().is_some_and(|e| e == "html"));
        }
    }
    assert!(pages > 5);
}

/// A `serve` process, killed when dropped.
struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends a GET request to 127.0.0.1:`port` and returns the status line and the body.
fn get(port: u16, path: &str) -> (String, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (
        head.lines().next().unwrap_or("").to_string(),
        body.to_string(),
    )
}

/// `serve` answers on 127.0.0.1 with the built pages and the reload script, shows an error
/// page while the input is invalid, and serves the fixed input again after it.
#[test]
fn serve_answers_rebuilds_and_shows_errors() {
    let (dir, path) = example_copy();
    let out = dir.path().join("site");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_xroad-share"))
        .args(["serve", "--port", "0", "--out", out.to_str().unwrap(), "-q"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let served = Served(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    let port: u16 = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let (status, body) = get(port, "/fi/index.html");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("/__xroad-share/poll"), "{body}");
    let on_disk = std::fs::read_to_string(out.join("fi/index.html")).unwrap();
    assert!(!on_disk.contains("__xroad-share"));
    let (status, _) = get(port, "/../../etc/passwd");
    assert!(status.contains("400") || status.contains("404"), "{status}");

    // Break the input: the pages become the error page with the diagnostic.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("2345678-0", "2345678-9", 1)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut body = String::new();
    while Instant::now() < deadline {
        let (status, b) = get(port, "/fi/index.html");
        if status.contains("500") {
            body = b;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(body.contains("error[business-id]"), "{body}");
    assert!(body.contains("/__xroad-share/poll"), "{body}");
    std::fs::write(&path, &text).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut fixed = false;
    while Instant::now() < deadline && !fixed {
        fixed = get(port, "/fi/index.html").0.contains("200");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(fixed, "the fixed input is served again");
    drop(served);
}

/// `--color always` colours the diagnostics even on a pipe; `--color never` does not.
#[test]
fn color_option() {
    let file = "tests/fixtures/invalid/business-id-check-digit.toml";
    let o = run(["check", file, "--color", "always"]);
    assert!(o.stderr.contains("\u{1b}["), "{}", o.stderr);
    let o = run(["--color", "never", "check", file]);
    assert!(!o.stderr.contains('\u{1b}'), "{}", o.stderr);
    assert!(o.stderr.contains("error[business-id]"), "{}", o.stderr);
}
