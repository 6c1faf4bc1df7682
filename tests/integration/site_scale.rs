//! Builds that scale: file permissions from the umask, stale files removed after the
//! previous build, rebuilds that skip what did not change, pages whose size does not grow
//! with the members. (Speed and memory are measured by `scripts/bench-site`, not here.)

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use super::{repo, run};

/// Runs the binary through `sh` with `umask` set, so that the build inherits it.
fn build_with_umask(umask: &str, out: &Path, extra: &str) {
    let cmd = format!(
        "umask {umask}; exec '{}' build data/example.toml --format md,html --lang fi,sv,en --out '{}' -q {extra}",
        env!("CARGO_BIN_EXE_xroad-share"),
        out.display()
    );
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(&cmd)
        .current_dir(repo())
        .output()
        .expect("sh runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

fn build(out: &Path, extra: &[&str]) -> super::Outcome {
    let mut args = vec![
        "build",
        "data/example.toml",
        "--format",
        "md,html",
        "--lang",
        "fi,sv,en",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = run(args);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    o
}

// Under umask 022 every file is 0644 (a web server running as another user can read the
// site), every folder 0755; a rebuild under a stricter umask does not tighten them.
#[test]
fn files_get_the_umask_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_with_umask("022", &out, "");
    let mut seen = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        let m = mode(e.path());
        if e.file_type().is_file() {
            assert_eq!(m, 0o644, "{}: {m:o}", e.path().display());
            seen += 1;
        } else {
            assert_eq!(m, 0o755, "{}: {m:o}", e.path().display());
        }
    }
    assert!(seen > 100, "{seen} files");
    // A different build (public) rewrites files under umask 077: they keep 0644.
    build_with_umask("077", &out, "--public");
    let agreement = out.join("fi/members/pikkula/agreement.md");
    assert_eq!(mode(&agreement), 0o644);
    assert_eq!(mode(&out.join("manifest.json")), 0o644);
}

// A member no longer built loses its files at the next build, and the folders left empty;
// a file put there by hand stays, as does its folder.
#[test]
fn stale_files_are_removed_and_hand_made_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&out, &[]);
    let lakeside = out.join("en/members/lakeside");
    assert!(lakeside.join("agreement.html").is_file());
    std::fs::write(lakeside.join("notes.txt"), "mine").unwrap();
    std::fs::write(out.join("README.txt"), "mine too").unwrap();
    let o = build(&out, &["--member", "pikkula", "--member", "strandby"]);
    assert!(o.stderr.contains("removed "), "{}", o.stderr);
    assert!(!lakeside.join("agreement.html").exists());
    assert!(!lakeside.join("agreement.md").exists());
    assert_eq!(
        std::fs::read_to_string(lakeside.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_dir(&lakeside).unwrap().count(),
        1,
        "only the hand-made file"
    );
    assert!(
        !out.join("fi/members/lakeside").exists(),
        "emptied folders go"
    );
    assert!(!out.join("sv/members/lakeside").exists());
    assert!(out.join("README.txt").is_file());
    assert!(out.join("en/members/pikkula/agreement.html").is_file());
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!manifest.contains("members/lakeside/"));
    // Without HTML, the pages of the build before go too.
    let o = run([
        "build",
        "data/example.toml",
        "--format",
        "md",
        "--lang",
        "fi,sv,en",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.exit as i32, 0, "{}", o.stderr);
    assert!(!out.join("en/members/pikkula/agreement.html").exists());
    assert!(!out.join("assets/style.css").exists());
    assert!(out.join("en/members/pikkula/agreement.md").is_file());
}

// A file of the previous build changed by hand since is not removed, and a manifest that
// names paths outside the output folder removes nothing there.
#[test]
fn stale_removal_touches_only_what_the_tool_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&out, &[]);
    let edited = out.join("sv/members/lakeside/agreement.md");
    std::fs::write(&edited, "edited by hand").unwrap();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "x").unwrap();
    let manifest = out.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap().replacen(
        "\"files\": [",
        &format!(
            "\"files\": [{{\"path\": \"../outside.txt\", \"sha256\": \"{}\"}},",
            xroad_share::output::sha256_hex(b"x")
        ),
        1,
    );
    std::fs::write(&manifest, text).unwrap();
    let o = build(&out, &["--member", "pikkula"]);
    assert!(edited.is_file(), "{}", o.stderr);
    assert!(o.stderr.contains("changed since"), "{}", o.stderr);
    assert!(outside.is_file());
}

// A rebuild without changes renders nothing again; a changed member is rendered again, the
// others are not; a deleted output file, or one changed by hand, is written again.
#[test]
fn rebuilds_skip_what_did_not_change() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&out, &[]);
    let o = build(&out, &[]);
    assert!(
        o.stderr
            .contains("(0 files written or changed); 60 of them unchanged"),
        "{}",
        o.stderr
    );
    std::fs::remove_file(out.join("fi/members/strandby/agreement.html")).unwrap();
    let o = build(&out, &[]);
    assert!(out.join("fi/members/strandby/agreement.html").is_file());
    assert!(
        o.stderr.contains("(1 files written or changed)"),
        "{}",
        o.stderr
    );
    // A document changed by hand since is the tool's again after the next build.
    let agreement = out.join("en/members/lakeside/agreement.md");
    let made = std::fs::read(&agreement).unwrap();
    std::fs::write(&agreement, [made.as_slice(), b"edited\n"].concat()).unwrap();
    let o = build(&out, &[]);
    assert_eq!(std::fs::read(&agreement).unwrap(), made, "{}", o.stderr);
    // The same build into a fresh folder gives the same bytes as the incremental one.
    let fresh = dir.path().join("fresh");
    build(&fresh, &[]);
    for e in walkdir::WalkDir::new(&fresh) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&fresh).unwrap();
            assert!(
                std::fs::read(e.path()).unwrap() == std::fs::read(out.join(rel)).unwrap(),
                "{} differs",
                rel.display()
            );
        }
    }
}

// A member's page does not list the other members; the member index lists them all.
#[test]
fn pages_link_their_own_member_and_the_member_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&out, &[]);
    let page = std::fs::read_to_string(out.join("fi/members/pikkula/agreement.html")).unwrap();
    assert!(page.contains("href=\"../index.html\""), "the member index");
    assert!(!page.contains("strandby") && !page.contains("lakeside"));
    let overview = std::fs::read_to_string(out.join("fi/index.html")).unwrap();
    assert!(!overview.contains("members/strandby/"));
    let index = std::fs::read_to_string(out.join("fi/members/index.html")).unwrap();
    for m in ["pikkula", "strandby", "lakeside"] {
        assert!(index.contains(&format!("id=\"member-{m}\"")), "{m}");
    }
}
