//! Regression tests of the attacks of the hardening review, one test per attack, each
//! named after it: injection through table cells, unbounded reads, hanging or leaking
//! processes, unsafe output paths, template limits, hostile text, dates and amounts.

use std::path::{Path, PathBuf};

use crate::run;

/// The example input.
const EXAMPLE: &str = include_str!("../../data/example.toml");

/// A folder with the example's certificate files and `text` as `sharing.toml`.
fn workspace(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    for entry in std::fs::read_dir(crate::repo().join("data/certs")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), certs.join(entry.file_name())).unwrap();
    }
    let input = dir.path().join("sharing.toml");
    std::fs::write(&input, text).unwrap();
    (dir, input)
}

/// Replaces the first occurrence of `from` in the example by `to`.
fn example_with(from: &str, to: &str) -> String {
    assert!(EXAMPLE.contains(from), "the example has no {from:?}");
    EXAMPLE.replacen(from, to, 1)
}

/// Builds `input` into `dir/out` with the given formats.
fn build(input: &Path, formats: &str, extra: &[&str]) -> (PathBuf, crate::Outcome) {
    let out = input.parent().unwrap().join("out");
    let mut args = vec![
        "build".to_string(),
        input.display().to_string(),
        "--format".into(),
        formats.into(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_string()));
    let o = run(args);
    (out, o)
}

/// Every file under `root` with the given extension, as (relative path, text).
fn texts(root: &Path, ext: &str) -> Vec<(String, String)> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The number of cells in each row of every GFM table of a Markdown text, with the row's
/// expected count (that of its table's header).
fn table_rows(markdown: &str) -> Vec<(usize, usize)> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut rows = Vec::new();
    let (mut head, mut cells) = (0, 0);
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead) => head = cells,
            Event::End(TagEnd::TableRow) => rows.push((cells, head)),
            _ => {}
        }
    }
    rows
}

/// Asserts that no document of `out` has a link or a table cell that came from data: no
/// `evil.example` link in HTML or Typst, and every table row as wide as its header (GFM
/// pads or truncates rows, so a split cell shows as text moved to another column).
fn assert_no_injection(out: &Path, marker: &str) {
    for (rel, md) in texts(out, "md") {
        for (cells, head) in table_rows(&md) {
            assert_eq!(cells, head, "{rel}: a row has another number of cells");
        }
        let typst = xroad_share::render::typst::markdown_to_typst(&md);
        assert!(
            !typst.contains(&format!("#link(\"http://{marker}")),
            "{rel}: a live link in the PDF source"
        );
    }
    for (rel, html) in texts(out, "html") {
        assert!(
            !html.contains(&format!("href=\"http://{marker}")),
            "{rel}: a live link"
        );
    }
}

// Attack 1: a `|` in a name, a CSR subject or any value never splits a table cell or makes a
// live link in the Markdown, HTML or PDF source.
#[test]
fn attack_01_table_cell_injection() {
    let text = EXAMPLE
        .replace(
            "name = \"Pikkulan kunta\"",
            "name = \"Evil [click here](http://evil.example/login) | Oy\"",
        )
        .replace("file = \"certs/pikkula-sign-test.csr\"\n", "");
    let (_dir, input) = workspace(&text);
    let (out, o) = build(&input, "md,html", &["--lang", "fi,en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert_no_injection(&out, "evil.example");
    // Links with unsafe schemes are text in the PDF, as in HTML.
    for url in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "JaVa\tScRiPt:x",
    ] {
        let typst = xroad_share::render::typst::markdown_to_typst(&format!("[x](<{url}>)"));
        assert!(!typst.contains("#link("), "{url}: {typst}");
    }
    let typst = xroad_share::render::typst::markdown_to_typst("[x](https://dvv.fi/)");
    assert!(typst.contains("#link("), "{typst}");
}

/// Runs `f` on its own thread and fails the test if it takes longer than `secs` seconds
/// (a hang is the attack; the thread is left behind).
fn within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("still running after {secs} s: a hang"))
}

/// Makes a FIFO at `path`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// The example with the first certificate file replaced by `file`.
fn with_certificate_file(file: &str) -> String {
    example_with(
        "file = \"certs/pikkula-sign-test.csr\"",
        &format!("file = \"{file}\""),
    )
}

// Attack 2: a certificate file that is a FIFO, a device or larger than 1 MiB is an error at
// once, and a FIFO, a device or a huge file as the input file too (exit 1), never a hang.
#[cfg(unix)]
#[test]
fn attack_02_unbounded_reads() {
    let (dir, input) = workspace(&with_certificate_file("certs/fifo.pem"));
    mkfifo(&dir.path().join("certs/fifo.pem"));
    let i = input.display().to_string();
    let o = within(20, move || run(["check", i.as_str()]));
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(o.stderr.contains("not a regular file"), "{}", o.stderr);

    std::fs::write(&input, with_certificate_file("/dev/zero")).unwrap();
    let i = input.display().to_string();
    let o = within(20, move || run(["check", i.as_str()]));
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(o.stderr.contains("not a regular file"), "{}", o.stderr);

    let big = std::fs::File::create(dir.path().join("certs/big.pem")).unwrap();
    big.set_len(2 << 30).unwrap();
    std::fs::write(&input, with_certificate_file("certs/big.pem")).unwrap();
    let i = input.display().to_string();
    let o = within(20, move || run(["check", i.as_str()]));
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(o.stderr.contains("larger than 1 MiB"), "{}", o.stderr);

    // The input file itself.
    let o = within(20, || run(["check", "/dev/zero"]));
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(o.stderr.contains("not a regular file"), "{}", o.stderr);
    let fifo = dir.path().join("input.toml");
    mkfifo(&fifo);
    let f = fifo.display().to_string();
    let o = within(20, move || run(["check", f.as_str()]));
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    let huge = dir.path().join("huge.toml");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(1 << 34)
        .unwrap();
    let h = huge.display().to_string();
    let o = within(20, move || run(["check", h.as_str()]));
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(o.stderr.contains("larger than 16 MiB"), "{}", o.stderr);
}

// Attack 15: a FIFO or a symbolic link at an output path, or a symbolic link to a folder
// outside, is never read or written through; `--out /`, a file or the input's folder: exit 2.
#[cfg(unix)]
#[test]
fn attack_15_output_safety() {
    let (dir, input) = workspace(EXAMPLE);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    mkfifo(&out.join("renewals.ics"));
    let i = input.display().to_string();
    let o = within(30, move || build(Path::new(&i), "md", &[]).1);
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains("a FIFO"), "{}", o.stderr);

    std::fs::remove_file(out.join("renewals.ics")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", out.join("renewals.ics")).unwrap();
    let i = input.display().to_string();
    let o = within(30, move || build(Path::new(&i), "md", &[]).1);
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains("symbolic link"), "{}", o.stderr);
    std::fs::remove_file(out.join("renewals.ics")).unwrap();

    let elsewhere = tempfile::tempdir().unwrap();
    let out = dir.path().join("linked");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), out.join("fi")).unwrap();
    let o = run([
        "build",
        input.to_str().unwrap(),
        "--format",
        "md",
        "--lang",
        "fi",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains("symbolic link"), "{}", o.stderr);
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);

    for bad in ["/", input.to_str().unwrap(), dir.path().to_str().unwrap()] {
        let o = run([
            "build",
            input.to_str().unwrap(),
            "--format",
            "md",
            "--out",
            bad,
        ]);
        assert_eq!(o.exit as i32, 2, "--out {bad}: {}", o.stderr);
    }
}

// Attack 14: a second build into a folder that a build is writing fails at once (exit 3), and
// a failed rebuild keeps the manifest entries of the files still there.
#[cfg(unix)]
#[test]
fn attack_14_concurrent_builds() {
    let (dir, input) = workspace(EXAMPLE);
    let out = dir.path().join("out");
    let held = xroad_share::output::Output::new(&out);
    let lock = held.lock().unwrap();
    let (_, o) = build(&input, "md", &[]);
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains("another build"), "{}", o.stderr);
    drop(lock);

    let (_, o) = build(&input, "md,html", &[]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let listed = |out: &Path| -> Vec<String> {
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    let before = listed(&out);
    assert!(before.iter().any(|p| p.ends_with(".html")));
    std::fs::remove_file(out.join("renewals.ics")).unwrap();
    mkfifo(&out.join("renewals.ics"));
    let (_, o) = build(&input, "md", &[]);
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    let after = listed(&out);
    for p in before.iter().filter(|p| p.as_str() != "renewals.ics") {
        assert!(after.contains(p), "{p} dropped from the manifest");
    }
}

/// A shell script at `path`.
#[cfg(unix)]
fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Whether a process is alive: it exists and is not a zombie (a killed orphan that the
/// container's init has not reaped yet).
#[cfg(unix)]
fn alive(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())) {
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

// Attack 3: a typst that hangs is stopped after the timeout with every process it started, with
// an error naming the documents, and its documents are not compiled again one by one.
#[cfg(unix)]
#[test]
fn attack_03_typst_timeout_kills_the_group() {
    let (dir, input) = workspace(EXAMPLE);
    let typst = dir.path().join("typst");
    let pids = dir.path().join("pids");
    script(
        &typst,
        &format!(
            "if [ \"$1\" = --version ]; then echo 'typst 0.15.1 (fake)'; exit 0; fi\n\
             sleep 300 &\necho $! >> '{0}'\necho $$ >> '{0}'\nsleep 300",
            pids.display()
        ),
    );
    let started = std::time::Instant::now();
    let o = crate::run_process(
        &[
            "build",
            input.to_str().unwrap(),
            "--format",
            "pdf",
            "--out",
            "out",
            "--typst",
            typst.to_str().unwrap(),
            "--pdf-cache",
            "off",
            "--member",
            "pikkula",
            "--lang",
            "en",
        ],
        dir.path(),
        &[("XROAD_SHARE_PDF_TIMEOUT", Some("2"))],
    );
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert!(o.stderr.contains("did not finish within"), "{}", o.stderr);
    assert!(o.stderr.contains("en/members/pikkula/"), "{}", o.stderr);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let pids = std::fs::read_to_string(&pids).unwrap();
    assert!(!pids.trim().is_empty());
    for pid in pids.lines() {
        assert!(!alive(pid), "process {pid} survived the timeout");
    }
}

// Attack 4: a relative `--typst bin/typst` or `TYPST=./typst` is resolved against the current
// folder, although typst runs in another one.
#[cfg(unix)]
#[test]
fn attack_04_relative_typst_program() {
    let (dir, input) = workspace(EXAMPLE);
    std::fs::create_dir(dir.path().join("bin")).unwrap();
    let marker = dir.path().join("ran");
    script(
        &dir.path().join("bin/typst"),
        &format!(
            "if [ \"$1\" = --version ]; then echo 'typst 0.15.1 (fake)'; exit 0; fi\n\
             touch '{}'\nexit 1",
            marker.display()
        ),
    );
    let args = [
        "build",
        input.to_str().unwrap(),
        "--format",
        "pdf",
        "--out",
        "out",
        "--pdf-cache",
        "off",
        "--member",
        "pikkula",
        "--lang",
        "en",
    ];
    let mut with_flag = args.to_vec();
    with_flag.extend(["--typst", "bin/typst"]);
    let o = crate::run_process(&with_flag, dir.path(), &[("TYPST", None)]);
    // The fake typst ran (and failed as it should): not "No such file or directory".
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(marker.exists(), "{}", o.stderr);
    assert!(!o.stderr.contains("No such file"), "{}", o.stderr);
    std::fs::remove_file(&marker).unwrap();
    let o = crate::run_process(&args, dir.path(), &[("TYPST", Some("./bin/typst"))]);
    assert!(marker.exists(), "{}", o.stderr);
    std::fs::remove_file(&marker).unwrap();
    let path = format!("bin:{}", std::env::var("PATH").unwrap_or_default());
    let o = crate::run_process(&args, dir.path(), &[("TYPST", None), ("PATH", Some(&path))]);
    assert!(marker.exists(), "{}", o.stderr);
}

/// Builds the example as Markdown with one template override `agreement.md` whose text is
/// `template` (placed as a symbolic link when `link`).
fn build_with_template(template: &str, link: bool) -> (tempfile::TempDir, crate::Outcome) {
    let (dir, input) = workspace(EXAMPLE);
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    if link {
        let real = dir.path().join("real-agreement.md");
        std::fs::write(&real, template).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&real, templates.join("agreement.md")).unwrap();
    } else {
        std::fs::write(templates.join("agreement.md"), template).unwrap();
    }
    let t = templates.display().to_string();
    let (_, o) = build(&input, "md", &["--lang", "fi", "--templates", t.as_str()]);
    (dir, o)
}

// Attack 10: a template cannot read the environment, recurse without end, loop over a huge
// `range`, and a symbolically linked override is read, never ignored.
#[cfg(unix)]
#[test]
fn attack_10_template_sandbox() {
    let (_d, o) = build_with_template("# A\n{{ get_env(name=\"HOME\") }}\n", false);
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains("get_env"), "{}", o.stderr);

    let recursive = "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}# A\n{{ self::f(n=1) }}\n";
    let (_d, o) = within(60, move || build_with_template(recursive, false));
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains("calls itself"), "{}", o.stderr);

    let huge = "# A\n{% for i in range(end=100000000) %}x{% endfor %}\n";
    let (_d, o) = within(60, move || build_with_template(huge, false));
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains("at most 10000"), "{}", o.stderr);

    let (d, o) = build_with_template("# Linked override\n\nLINKED-OVERRIDE-TEXT\n", true);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let agreement =
        std::fs::read_to_string(d.path().join("out/fi/members/pikkula/agreement.md")).unwrap();
    assert!(agreement.contains("LINKED-OVERRIDE-TEXT"), "{agreement}");
}

/// The 1-based line and column (in characters) of the first `needle` in `text`.
fn line_col(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("the needle is in the text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |n| n + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// Checks `text` and asserts exit 1 with an error `code` naming `char_code` at the place
/// where `needle` is written.
fn assert_char_error(text: &str, needle: &str, code: &str, char_code: &str) {
    let (_dir, input) = workspace(text);
    let o = run(["check", input.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 1, "{needle}: {}", o.stderr);
    let (line, col) = line_col(text, needle);
    let head = o
        .stderr
        .split("\n\n")
        .find(|block| block.contains(&format!("error[{code}]")) && block.contains(char_code))
        .unwrap_or_else(|| panic!("no {code} error naming {char_code}:\n{}", o.stderr));
    assert!(
        head.contains(&format!("sharing.toml:{line}:{col}")),
        "{needle} at {line}:{col}:\n{head}"
    );
    assert!(
        !o.stderr.chars().any(xroad_share::term::needs_escape),
        "raw: {:?}",
        o.stderr
    );
}

// Attack 6: NUL, backspace and other control characters in a name are errors at `check`
// naming the character and its place (never raw in a document); emoji and CJK, which the
// PDF fonts cannot show, are errors at `check` rather than a font failure in `build`.
#[test]
fn attack_06_control_characters_and_unprintable_text() {
    for (value, needle, code, char_code) in [
        (
            "Pikkulan \\u0000kunta",
            "\\u0000",
            "forbidden-char",
            "U+0000",
        ),
        ("Pikkulan \\bkunta", "\\b", "forbidden-char", "U+0008"),
        (
            "Pikkulan \\u007Fkunta",
            "\\u007F",
            "forbidden-char",
            "U+007F",
        ),
        (
            "Pikkulan kunta \u{1F600}",
            "\u{1F600}",
            "no-glyph",
            "U+1F600",
        ),
        ("Pikkulan 町", "町", "no-glyph", "U+753A"),
    ] {
        let text = example_with("name = \"Pikkulan kunta\"", &format!("name = \"{value}\""));
        assert_char_error(&text, needle, code, char_code);
    }
    // A field that the model does not know yet is covered too: the rule walks every
    // string of the file (here an unknown key, also reported as such).
    let text = example_with("[packet]\n", "[packet]\nmotto = \"a\\u001Bb\"\n");
    assert_char_error(&text, "\\u001B", "forbidden-char", "U+001B");
    // Text that the fonts show passes: Nordic, German, French letters, dashes, the euro.
    let text = example_with(
        "name = \"Pekka Heikkinen\"",
        "name = \"Pekka – Zoë Müller-Ærø, 5 € «Œ» ½\"",
    );
    let (_dir, input) = workspace(&text);
    let o = run(["check", input.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
}

// Attack 7: bidirectional controls and zero-width characters are errors naming the
// character and its place, whether written raw or as an escape.
#[test]
fn attack_07_bidi_and_invisible_characters() {
    let text = example_with(
        "FI-TEST = \"DVV/1234/2026\"",
        "FI-TEST = \"DVV/\\u202e6202/2222\\u202c\"",
    );
    assert_char_error(&text, "\\u202e", "forbidden-char", "U+202E");
    assert_char_error(&text, "\\u202c", "forbidden-char", "U+202C");
    for (raw, char_code) in [
        ('\u{2066}', "U+2066"),
        ('\u{200B}', "U+200B"),
        ('\u{200D}', "U+200D"),
        ('\u{2060}', "U+2060"),
        ('\u{FEFF}', "U+FEFF"),
    ] {
        let text = example_with(
            "name = \"Pikkulan kunta\"",
            &format!("name = \"Pikkulan{raw} kunta\""),
        );
        assert_char_error(&text, &raw.to_string(), "forbidden-char", char_code);
    }
}

// Attack 8: terminal escapes in a phone number or a name never reach the terminal raw:
// `check`, `status` and `renewals` show them escaped (and refuse the input).
#[test]
fn attack_08_terminal_escapes() {
    let text = example_with(
        "phone = \"+358 50 765 4321\"",
        "phone = \"+358 50 \\u001b]0;owned\\u0007\\u001b[2J765 4321\"",
    );
    assert_char_error(&text, "\\u001b]", "forbidden-char", "U+001B");
    let (_dir, input) = workspace(&text);
    for cmd in ["check", "status", "renewals"] {
        let o = run([cmd, input.to_str().unwrap()]);
        assert_eq!(o.exit as i32, 1, "{cmd}: {}", o.stderr);
        for s in [&o.stdout, &o.stderr] {
            assert!(
                !s.contains('\u{1b}') && !s.contains('\u{7}'),
                "{cmd}: {s:?}"
            );
        }
    }
    // A raw escape in the file (a TOML syntax error) is shown as a visible character.
    let text = example_with("name = \"Pikkulan kunta\"", "name = \"Pikkulan \u{1b}[2J\"");
    let (_dir, input) = workspace(&text);
    let o = run(["check", input.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(!o.stderr.contains('\u{1b}'), "{:?}", o.stderr);
    assert!(o.stderr.contains("Pikkulan ␛[2J"), "{}", o.stderr);
}

/// The example with every date (`= YYYY-MM-DD`) replaced by `date`.
fn example_dated(date: &str) -> String {
    let mut out = String::new();
    for line in EXAMPLE.lines() {
        match line.split_once("= ") {
            Some((key, value))
                if value.len() >= 10
                    && value.as_bytes()[4] == b'-'
                    && value[..4].bytes().all(|b| b.is_ascii_digit()) =>
            {
                out.push_str(&format!("{key}= {date}{}", &value[10..]));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

// Attack 9: `packet.date = 1926-12-01` is an error at the date, not a typst failure; every
// date at 1970-01-01 or at 9999-12-31 builds Markdown, HTML and PDF.
#[test]
fn attack_09_dates_at_the_ends_of_the_range() {
    let text = example_with("date = 2026-12-01", "date = 1926-12-01");
    let (_dir, input) = workspace(&text);
    let o = run(["check", input.to_str().unwrap()]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    let (line, col) = line_col(&text, "1926-12-01");
    assert!(
        o.stderr.contains("error[date-range]")
            && o.stderr.contains(&format!("sharing.toml:{line}:{col}")),
        "{}",
        o.stderr
    );
    for date in ["1970-01-01", "9999-12-31"] {
        let text = example_dated(date);
        assert!(text.contains(&format!("date = {date}")), "{text}");
        let (_dir, input) = workspace(&text);
        let (out, o) = build(
            &input,
            "md,html,pdf",
            &["--member", "pikkula", "--lang", "fi", "--pdf-cache", "off"],
        );
        assert_eq!(o.exit as i32, 0, "{date}: {}", o.stderr);
        for file in ["agreement.md", "agreement.html", "agreement.pdf"] {
            let path = out.join("fi/members/pikkula").join(file);
            assert!(path.is_file(), "{date}: no {}", path.display());
        }
    }
}

// Attack 13: a fee above 1,000,000,000 EUR or with more than two decimals is an error at
// the value; one billion with cents is the most.
#[test]
fn attack_13_amounts() {
    for (fee, ok) in [
        ("1e20", false),
        ("1000000000.01", false),
        ("12.345", false),
        ("-1", false),
        ("1000000000", true),
        ("999999999.99", true),
        ("0.5", true),
    ] {
        let text = example_with("annual_fee_eur = 1200", &format!("annual_fee_eur = {fee}"));
        let (_dir, input) = workspace(&text);
        let o = run(["check", input.to_str().unwrap()]);
        if ok {
            assert_eq!(o.exit as i32, 0, "{fee}: {}", o.stderr);
            continue;
        }
        assert_eq!(o.exit as i32, 1, "{fee}: {}", o.stderr);
        let (line, col) = line_col(&text, &format!("= {fee}"));
        let at = format!("sharing.toml:{line}:{}", col + 2);
        assert!(
            o.stderr.contains("error[amount]") && o.stderr.contains(&at),
            "{fee} at {at}: {}",
            o.stderr
        );
    }
}

// Attack 5: `--public` keeps an e-mail address only when the input says it is a shared
// mailbox (`shared = true`, or a technical or administrative contact's, which DVV requires
// to be non-personal), never by how the local part is spelled.
#[test]
fn attack_05_public_keeps_only_shared_addresses() {
    let text = example_with(
        "name = \"Daniel Forsman\"\ntitle = \"Chief Executive Officer\"\nemail = \"ceo@lakeside.fi\"",
        "name = \"Noah Bay\"\ntitle = \"Chief Executive Officer\"\nemail = \"nb@lakeside.fi\"",
    )
    .replacen(
        "name = \"Jussi Rantanen\"\nemail = \"xroad@lakeside.fi\"",
        "name = \"Li Wu\"\nemail = \"li.wu@lakeside.fi\"\nshared = false",
        1,
    )
    .replacen(
        "email = \"kommundirektor@strandby.fi\"",
        "email = \"zoe.mueller@strandby.fi\"",
        1,
    )
    .replacen(
        "email = \"kaisa.jarvinen@pikkula.fi\"",
        "email = \"kunnanjohtaja@pikkula.fi\"\nshared = true",
        1,
    );
    assert!(text.contains("li.wu@") && text.contains("shared = true"));
    let (_dir, input) = workspace(&text);
    let (out, o) = build(&input, "md,html", &["--public", "--lang", "en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let all: String = texts(&out, "md")
        .into_iter()
        .chain(texts(&out, "html"))
        .map(|(_, t)| t)
        .collect();
    for personal in [
        "nb@lakeside",
        "li.wu@lakeside",
        "zoe.mueller@",
        "Noah Bay",
        "Li Wu",
    ] {
        assert!(!all.contains(personal), "{personal} in a public build");
    }
    // Marked shared, or a technical or administrative contact's: kept.
    for shared in [
        "kunnanjohtaja@pikkula.fi",
        "office@lakeside.fi",
        "it@strandby.fi",
    ] {
        assert!(all.contains(shared), "{shared} left out");
    }
    // Without --public everything is there.
    let (out, o) = build(&input, "md", &["--lang", "en"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let all: String = texts(&out, "md").into_iter().map(|(_, t)| t).collect();
    assert!(all.contains("nb@lakeside.fi") && all.contains("li.wu@lakeside.fi"));
}

// Attack 12: a typst that prints the right version but writes junk PDFs fails the build
// (exit 3) and poisons nothing: no PDF is cached or copied, and the next build with a real
// typst compiles every document afresh.
#[cfg(unix)]
#[test]
fn attack_12_junk_pdfs_are_never_cached() {
    let (dir, input) = workspace(EXAMPLE);
    let typst = dir.path().join("typst");
    let junk = "{ echo '%PDF-1.7'; echo '1 0 obj << /Type /Catalog >> endobj'; echo '%%EOF'; }";
    script(
        &typst,
        &format!(
            "if [ \"$1\" = --version ]; then echo 'typst 0.15.1 (fake)'; exit 0; fi\n\
             for last; do :; done\n\
             if [ \"$last\" = out ]; then mkdir -p out\n\
               for f in $(grep -o '[0-9]\\{{5\\}}\\.pdf' main.typ); do {junk} > \"out/$f\"; done\n\
             else {junk} > \"$last\"; fi"
        ),
    );
    let cache = dir.path().join("cache");
    let args = |program: &str| {
        vec![
            "build".to_string(),
            input.display().to_string(),
            "--format".into(),
            "pdf".into(),
            "--out".into(),
            dir.path().join("out").display().to_string(),
            "--typst".into(),
            program.to_string(),
            "--pdf-cache".into(),
            cache.display().to_string(),
            "--member".into(),
            "pikkula".into(),
            "--lang".into(),
            "en".into(),
        ]
    };
    let o = run(args(typst.to_str().unwrap()));
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(o.stderr.contains("damaged PDF"), "{}", o.stderr);
    let pdfs = |root: &Path| {
        walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            .count()
    };
    assert_eq!(pdfs(&cache), 0, "a junk PDF was cached");
    assert_eq!(pdfs(&dir.path().join("out")), 0, "a junk PDF was copied");
    let o = run(args("typst"));
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(o.stderr.contains(", 0 from the cache"), "{}", o.stderr);
    assert!(pdfs(&cache) > 0);
}

/// The `check` of `text` (in a workspace with the example's certificate files and `files`).
fn check_with(text: &str, files: &[(&str, Vec<u8>)]) -> crate::Outcome {
    let (dir, input) = workspace(text);
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    run(["check", input.to_str().unwrap()])
}

/// The diagnostic block of `stderr` with the given code whose text has `needle`.
fn block<'a>(stderr: &'a str, code: &str, needle: &str) -> Option<&'a str> {
    stderr
        .split("\n\n")
        .find(|b| b.contains(&format!("[{code}]")) && b.contains(needle))
}

/// A self-signed EC (P-256) certificate or CSR with `subject` (short name, value) and the
/// given validity.
fn ec_file(subject: &[(rcgen::DnType, &str)], csr: bool, from_year: i32) -> Vec<u8> {
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    let mut dn = rcgen::DistinguishedName::new();
    for (k, v) in subject {
        dn.push(k.clone(), *v);
    }
    p.distinguished_name = dn;
    p.not_before = rcgen::date_time_ymd(from_year, 1, 1);
    p.not_after = rcgen::date_time_ymd(from_year + 3, 1, 1);
    let key = rcgen::KeyPair::generate().unwrap();
    if csr {
        p.serialize_request(&key)
            .unwrap()
            .pem()
            .unwrap()
            .into_bytes()
    } else {
        p.self_signed(&key).unwrap().pem().into_bytes()
    }
}

// Attack 17: the peer differences of the review: host names that are IPv4 addresses or end
// in digits, IDNA labels (decoded, then held to the Nordic-letter rule; broken ones refused),
// the help for other non-ASCII letters, e-mail limits, duplicate certificate slots, the key
// warning only for DVV's certificates, and the SHA-1 / missing `O` / not-yet-valid warnings.
#[test]
fn attack_17_peer_differences() {
    let fqdn = "fqdn = \"jarvenrantalptest01.jarvenranta.fi\"";
    for (value, needle) in [
        ("203.0.113.10", "an IPv4 address, not a host name"),
        ("host.123", "the last label `123` is all digits"),
        ("xn--jrvenranta-q5a.fi", "encoded form of `järvenranta`"),
        ("lp01.xn--99999999.fi", "not a valid IDNA"),
    ] {
        let o = check_with(&example_with(fqdn, &format!("fqdn = \"{value}\"")), &[]);
        assert_eq!(o.exit as i32, 1, "{value}: {}", o.stderr);
        assert!(
            block(&o.stderr, "fqdn", needle).is_some(),
            "{value}: {}",
            o.stderr
        );
    }
    // The help writes other non-ASCII letters in ASCII too, never repeating the bad name.
    for (value, fixed) in [
        ("tromsølp01.tromsø.no", "tromsolp01.tromso.no"),
        ("xn--jrvenranta-q5a.fi", "jarvenranta.fi"),
        ("cafélp01.straße.de", "cafelp01.strasse.de"),
    ] {
        let o = check_with(&example_with(fqdn, &format!("fqdn = \"{value}\"")), &[]);
        let b = block(&o.stderr, "fqdn", value).unwrap_or_else(|| panic!("{}", o.stderr));
        assert!(b.contains(&format!("e.g. `{fixed}`")), "{b}");
    }
    let email = "email = \"it@pikkula.fi\"";
    for value in [
        format!("it@{}.pikkula.example", "a".repeat(64)),
        format!(
            "it@{}.example",
            [
                "b".repeat(60),
                "c".repeat(60),
                "d".repeat(60),
                "e".repeat(60),
                "f".repeat(60)
            ]
            .join(".")
        ),
        "it@192.0.2.1".to_string(),
        "it@[192.0.2.1]".to_string(),
    ] {
        let o = check_with(&example_with(email, &format!("email = \"{value}\"")), &[]);
        assert_eq!(o.exit as i32, 1, "{value}: {}", o.stderr);
        assert!(
            block(&o.stderr, "email", &value).is_some(),
            "{value}: {}",
            o.stderr
        );
    }
    // A second entry for a slot is an error at it, not dropped silently.
    let entry =
        "[[certificates]]\nkind = \"authentication\"\ninstance = \"FI\"\nexpires = 2027-01-15\n";
    let text = format!("{EXAMPLE}\n{}", entry.replace("2027-01-15", "2027-07-15"));
    let o = check_with(&text, &[]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    let b = block(
        &o.stderr,
        "duplicate-certificate",
        "a second `authentication`",
    )
    .unwrap();
    let (line, _) = line_col(&text, "2027-07-15");
    assert!(b.contains(&format!("sharing.toml:{}:", line - 2)), "{b}");

    // Keys: an EC internal TLS certificate gets no key warning; an EC signing CSR does.
    use rcgen::DnType;
    let text = example_with(
        "instance = \"FI\"\nexpires = 2026-12-20\n",
        "instance = \"FI\"\nfile = \"certs/tls.pem\"\n",
    )
    .replacen(
        "instance = \"FI-TEST\"\nexpires = 2027-06-30\n",
        "instance = \"FI-TEST\"\nfile = \"certs/auth.csr\"\n",
        1,
    )
    .replacen(
        "member = \"lakeside\"\nexpires = 2028-11-27\n",
        "member = \"lakeside\"\nfile = \"certs/lakeside.csr\"\n",
        1,
    );
    let auth = ec_file(
        &[
            (DnType::CountryName, "FI"),
            (DnType::CommonName, "jarvenrantalptest01.jarvenranta.fi"),
        ],
        true,
        2026,
    );
    let tls = ec_file(
        &[(DnType::CommonName, "jarvenrantalp01.jarvenranta.fi")],
        false,
        2030,
    );
    let sign = ec_file(&[(DnType::CommonName, "x")], true, 2026);
    let o = check_with(
        &text,
        &[
            ("certs/tls.pem", tls),
            ("certs/auth.csr", auth),
            ("certs/lakeside.csr", sign),
        ],
    );
    assert!(
        block(&o.stderr, "certificate-key", "certs/tls.pem").is_none(),
        "{}",
        o.stderr
    );
    assert!(
        block(&o.stderr, "certificate-key", "certs/lakeside.csr").is_some(),
        "{}",
        o.stderr
    );
    assert!(
        block(&o.stderr, "certificate-organisation", "certs/auth.csr").is_some(),
        "{}",
        o.stderr
    );
    assert!(
        block(
            &o.stderr,
            "certificate-not-yet-valid",
            "valid only from 2030-01-01"
        )
        .is_some(),
        "{}",
        o.stderr
    );
}

// Attack 17: `renewals --ics` writes the very calendar that `build` writes (the packet date as
// DTSTAMP, the same events in the same order), whatever day it is run on.
#[test]
fn attack_17_renewals_calendar_equals_the_build() {
    let (dir, input) = workspace(EXAMPLE);
    let (out, o) = build(&input, "md", &["--lang", "fi"]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let ics = dir.path().join("r.ics");
    let o = run([
        "renewals",
        input.to_str().unwrap(),
        "--today",
        "2027-03-04",
        "--ics",
        ics.to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    let built = std::fs::read_to_string(out.join("renewals.ics")).unwrap();
    assert_eq!(std::fs::read_to_string(&ics).unwrap(), built);
    assert!(built.contains("DTSTAMP:20261201T000000Z"), "{built}");
}

// Attack 18: diagnostics that point at the cause: `[servers]` as one table, a negative
// `notice_months`, a `[[member]]` typo (one error at the typo, no clashes), the six-digit
// Business ID help naming the changed check digit, and `role = "admin"` with a "did you
// mean" and no second `missing-contact`.
#[test]
fn attack_18_diagnostics() {
    let o = check_with(&example_with("[[servers]]", "[servers]"), &[]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("write each entry under `[[servers]]`"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("[\"FI-TEST\", \"FI\"]"), "{}", o.stderr);

    let text = example_with("notice_months = ", "notice_months = -1 #");
    let o = check_with(&text, &[]);
    let (line, col) = line_col(&text, "-1 #");
    let b = block(&o.stderr, "invalid-value", "notice_months")
        .unwrap_or_else(|| panic!("{}", o.stderr));
    assert!(
        b.contains(&format!(":{line}:{col}")) && b.contains("help:"),
        "{b}"
    );

    let text = example_with("[[members]]", "[[member]]");
    let o = check_with(&text, &[]);
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(!o.stderr.contains("duplicate key"), "{}", o.stderr);
    let (line, col) = line_col(&text, "member]]");
    let b = block(&o.stderr, "unknown-key", "`member`").unwrap_or_else(|| panic!("{}", o.stderr));
    assert!(
        b.contains(&format!(":{line}:{col}")) && b.contains("`[[members]]`"),
        "{b}"
    );

    let o = check_with(
        &example_with("member_code = \"2345678-0\"", "member_code = \"245437-5\""),
        &[],
    );
    let b = block(&o.stderr, "business-id", "245437-5").unwrap_or_else(|| panic!("{}", o.stderr));
    assert!(b.contains("is `2`, not `5`: `0245437-2`"), "{b}");

    let o = check_with(
        &example_with("role = \"administrative\"", "role = \"admin\""),
        &[],
    );
    assert_eq!(o.exit as i32, 1, "{}", o.stderr);
    assert!(
        block(&o.stderr, "contact-role", "did you mean `administrative`").is_some(),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("error[missing-contact]"), "{}", o.stderr);
}

// Attack 11: what a build killed with `kill -9` left is removed by the next build: the
// hidden `.xroad-share-*.tmp` files of atomic writes in the output folder, and the
// `xroad-share-typst-<pid>-*` folders of a process that is gone in the temporary folder.
#[cfg(unix)]
#[test]
fn attack_11_leftovers_of_a_killed_build() {
    let (dir, input) = workspace(EXAMPLE);
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("en")).unwrap();
    let stale_tmp = out.join("en/.xroad-share-AbC123.tmp");
    std::fs::write(&stale_tmp, b"half").unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // A process id that is certainly gone: a child that has ended and been reaped.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let stale_dir = tmp.join(format!("xroad-share-typst-{dead}-XyZ"));
    std::fs::create_dir(&stale_dir).unwrap();
    std::fs::write(stale_dir.join("main.typ"), "x").unwrap();
    let other = tmp.join("someone-else");
    std::fs::create_dir(&other).unwrap();
    let typst = dir.path().join("typst");
    script(
        &typst,
        "if [ \"$1\" = --version ]; then echo 'typst 0.15.1 (fake)'; exit 0; fi\nexit 1",
    );
    let o = crate::run_process(
        &[
            "build",
            input.to_str().unwrap(),
            "--format",
            "md,pdf",
            "--out",
            out.to_str().unwrap(),
            "--typst",
            typst.to_str().unwrap(),
            "--pdf-cache",
            "off",
            "--member",
            "pikkula",
            "--lang",
            "en",
        ],
        dir.path(),
        &[("TMPDIR", Some(tmp.to_str().unwrap()))],
    );
    assert_eq!(o.exit as i32, 3, "{}", o.stderr);
    assert!(!stale_tmp.exists(), "the stale temporary file stayed");
    assert!(!stale_dir.exists(), "the dead build's typst folder stayed");
    assert!(other.exists(), "a folder the tool never made was removed");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("someone-else")],
        "{left:?}"
    );
}
