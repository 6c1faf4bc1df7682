//! PDF output: the documents as Typst sources, compiled by the typst program (typst-cli,
//! pinned to [`TYPST_VERSION`]), which is called as an external program the way mdBook's
//! `CmdRenderer` calls a renderer.
//!
//! - [`jobs`] makes one Typst source per PDF: one per rendered document and one `packet`
//!   per member and language (a cover page, a table of contents, then the member's
//!   documents). Each source imports `xroad.typ`, the page design of the template set, so
//!   `--templates` can override it. Every value enters the source escaped
//!   ([`escape_text`] in markup, [`string_literal`] in code).
//! - [`Typst::find`] finds the program: `--typst PATH`, else `$TYPST`, else `typst` on `PATH`,
//!   and asks its version (remembered in the cache, so a build with no change runs no typst).
//! - [`write_pdfs`] makes the PDFs: from the cache when nothing changed, otherwise by
//!   compiling in a private temporary folder, several processes at once (`--jobs`), each with
//!   a timeout, and writes each PDF through [`Output`] only once it is complete.
//!
//! # Reproducible
//!
//! typst runs with `--ignore-system-fonts` (only the fonts built into typst, the same on every
//! machine), a fixed `--creation-timestamp` (the packet date at midnight UTC, or
//! `SOURCE_DATE_EPOCH`), the PDF standard of `--pdf-standard` (PDF/A-2b by default, tagged),
//! and without the `TYPST_*` variables that would change its output. The same input gives
//! byte-identical PDFs.
//!
//! # Fast
//!
//! The cache key of a PDF is the SHA-256 of its Typst source, `xroad.typ`, typst's version
//! line and the flags above, so an unchanged document is never compiled twice. The cache is
//! [`cache_dir`] (`$XROAD_SHARE_CACHE`, else `${XDG_CACHE_HOME:-$HOME/.cache}/xroad-share/pdf`),
//! kept under [`CACHE_LIMIT`] by removing the oldest entries.
//!
//! Documents that do need compiling go to typst's experimental *bundle* export (one process
//! writing many PDFs, `--features bundle --format bundle`) when typst is 0.15 and there are
//! at least four of them: it gives byte for byte the PDFs of separate compiles, and about 1.1
//! to 1.45 times as many per second (`scripts/bench --per-document`). A bundle that fails is
//! compiled again document by document, which also names the failing one;
//! `XROAD_SHARE_PDF_BUNDLE=0` turns bundles off. Packets are always compiled on their own: in
//! a bundle, their table of contents and running headers would see the headings of every
//! document in it (and a bundle of packets is slower than separate processes anyway).

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use rayon::prelude::*;

use super::markdown::Rendered;
use super::typst::{escape_text, markdown_to_typst, string_literal};
use crate::arrangement::{Arrangement, Lang, Member, Stage};
use crate::documents::{self, Scope};
use crate::output::{Output, sha256_hex, write_atomic};
use crate::view::format_date;
use crate::xroad;

/// The typst version the page design is made and tested with.
pub const TYPST_VERSION: &str = "0.15.1";

/// The command that installs [`TYPST_VERSION`].
pub const INSTALL_COMMAND: &str = "cargo install --locked typst-cli --version 0.15.1";

/// The template set's name of the page design.
pub const TEMPLATE: &str = "typst/xroad.typ";

/// How long one typst process may run before it is stopped, plus [`TIMEOUT_PER_DOCUMENT`]
/// for each document of a bundle.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The extra time a bundle gets per document.
pub const TIMEOUT_PER_DOCUMENT: Duration = Duration::from_secs(2);

/// The most bytes of PDFs the cache keeps; beyond it, the oldest entries are removed.
pub const CACHE_LIMIT: u64 = 1 << 30;

/// Bundles are used from this many documents to compile; below it, separate processes are
/// as fast.
const BUNDLE_MIN: usize = 4;

/// The most documents in one bundle. typst 0.15.1 holds a whole bundle in memory (about
/// 4 MB per document here) and overflows its stack somewhere between 200 and 300 documents;
/// from about 30 documents on, larger bundles are no faster.
const BUNDLE_MAX: usize = 40;

/// The variables that change what typst does (`SOURCE_DATE_EPOCH` is passed as a flag
/// instead); they are removed from its environment so that its output depends only on the
/// sources and our flags.
const TYPST_ENV: [&str; 9] = [
    "TYPST_ROOT",
    "TYPST_FONT_PATHS",
    "TYPST_IGNORE_SYSTEM_FONTS",
    "TYPST_IGNORE_EMBEDDED_FONTS",
    "TYPST_PACKAGE_PATH",
    "TYPST_PACKAGE_CACHE_PATH",
    "TYPST_FEATURES",
    "TYPST_CERT",
    "SOURCE_DATE_EPOCH",
];

/// What typst prints on every bundle compile; left out of the warnings passed on.
const BUNDLE_WARNING: &str = "warning: bundle export is experimental";

// ---------------------------------------------------------------------------------------
// The Typst sources.

/// One PDF to make: where it goes and its Typst source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The output path relative to the output root, e.g. `fi/members/pikkula/agreement.pdf`;
    /// also the document's name in messages.
    pub rel: String,
    /// Whether it is a packet (compiled on its own, never in a bundle).
    pub packet: bool,
    /// The `#show: xroad.document.with(..)` rule that applies the page design.
    pub show: String,
    /// The body: Typst markup.
    pub body: String,
}

impl Job {
    /// The Typst source that compiles to this PDF on its own, next to `xroad.typ`.
    pub fn source(&self) -> String {
        format!(
            "#import \"xroad.typ\" as xroad\n{}\n{}",
            self.show, self.body
        )
    }
}

/// The words the page design and the packet's cover need, in each language.
struct Words {
    draft: &'static str,
    page: &'static str,
    contents: &'static str,
    packet_title: &'static str,
    packet_subtitle: &'static str,
    owner: &'static str,
    member: &'static str,
    business_id: &'static str,
    servers: &'static str,
    subsystems: &'static str,
    date: &'static str,
    stage: &'static str,
    draft_stage: &'static str,
    final_stage: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const FI: Words = Words {
        draft: "LUONNOS",
        page: "Sivu",
        contents: "Sisällys",
        packet_title: "Liityntäpalvelimen yhteiskäyttö",
        packet_subtitle: "Asiakirjat",
        owner: "Liityntäpalvelimen omistaja",
        member: "Liittyvä organisaatio",
        business_id: "Y-tunnus",
        servers: "Liityntäpalvelimet",
        subsystems: "Alijärjestelmät",
        date: "Päiväys",
        stage: "Tila",
        draft_stage: "Luonnos",
        final_stage: "Lopullinen",
    };
    const SV: Words = Words {
        draft: "UTKAST",
        page: "Sida",
        contents: "Innehåll",
        packet_title: "Gemensam användning av anslutningsserver",
        packet_subtitle: "Dokument",
        owner: "Anslutningsserverns ägare",
        member: "Anslutande organisation",
        business_id: "FO-nummer",
        servers: "Anslutningsservrar",
        subsystems: "Undersystem",
        date: "Datum",
        stage: "Status",
        draft_stage: "Utkast",
        final_stage: "Slutlig version",
    };
    const EN: Words = Words {
        draft: "DRAFT",
        page: "Page",
        contents: "Contents",
        packet_title: "Shared use of a security server",
        packet_subtitle: "Documents",
        owner: "Owner of the security server",
        member: "Joining organisation",
        business_id: "Business ID",
        servers: "Security servers",
        subsystems: "Subsystems",
        date: "Date",
        stage: "Status",
        draft_stage: "Draft",
        final_stage: "Final",
    };
    match lang {
        Lang::Fi => &FI,
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}

/// The PDFs to make for the rendered documents: one per document, in their order, then one
/// packet per member and language, with that member's documents in catalogue order.
pub fn jobs(a: &Arrangement, docs: &[Rendered]) -> Vec<Job> {
    let mut out: Vec<Job> = docs
        .iter()
        .map(|d| {
            let member = d.member.as_deref().and_then(|id| a.member(id));
            Job {
                rel: format!("{}.pdf", d.stem),
                packet: false,
                show: show_rule("document", a, d.lang, member, &d.title, d.doc.id, &[]),
                body: markdown_to_typst(&d.markdown),
            }
        })
        .collect();
    // Packets, in the order the members' documents came.
    let mut packets: BTreeMap<(Lang, usize), Vec<&Rendered>> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.doc.scope == Scope::Member) {
        if let Some(i) = d
            .member
            .as_deref()
            .and_then(|id| a.members.iter().position(|m| m.id == id))
        {
            packets.entry((d.lang, i)).or_default().push(d);
        }
    }
    for ((lang, i), mut parts) in packets {
        let Some(m) = a.members.get(i) else { continue };
        parts.sort_by_key(|d| documents::DOCUMENTS.iter().position(|x| x.id == d.doc.id));
        out.push(packet_job(a, m, lang, &parts));
    }
    out
}

fn packet_job(a: &Arrangement, m: &Member, lang: Lang, parts: &[&Rendered]) -> Job {
    let w = words(lang);
    let extra = [
        (
            "subtitle",
            string_literal(&format!("{}: {}", w.packet_subtitle, m.org.name)),
        ),
        ("cover", format!("[\n{}]", cover(a, m, lang))),
        ("toc-title", string_literal(w.contents)),
    ];
    let mut body = String::new();
    for d in parts {
        body.push_str("#pagebreak(weak: true)\n");
        body.push_str(&markdown_to_typst(&d.markdown));
        body.push('\n');
    }
    Job {
        rel: format!("{}/members/{}/packet.pdf", lang.code(), m.id),
        packet: true,
        show: show_rule("packet", a, lang, Some(m), w.packet_title, "packet", &extra),
        body,
    }
}

/// The `#show: xroad.<entry>.with(..)` rule of a document or packet.
fn show_rule(
    entry: &str,
    a: &Arrangement,
    lang: Lang,
    member: Option<&Member>,
    title: &str,
    id: &str,
    extra: &[(&str, String)],
) -> String {
    let w = words(lang);
    let parties = match member {
        Some(m) => format!("{} – {}", a.owner.name, m.org.name),
        None => a.owner.name.clone(),
    };
    let mut keywords = vec![string_literal("X-Road"), string_literal(id)];
    if let Some(m) = member {
        keywords.push(string_literal(&m.org.name));
    }
    let mut s = format!("#show: xroad.{entry}.with(\n");
    let mut arg = |k: &str, v: &str| {
        let _ = writeln!(s, "  {k}: {v},");
    };
    arg("title", &string_literal(title));
    arg("lang", &string_literal(lang.code()));
    arg(
        "draft",
        if a.stage == Stage::Draft {
            "true"
        } else {
            "false"
        },
    );
    arg("draft-label", &string_literal(w.draft));
    arg("date", &string_literal(&format_date(a.date, lang)));
    arg("parties", &string_literal(&parties));
    arg("page-label", &string_literal(w.page));
    // The date comes from --creation-timestamp.
    arg("pdf-date", "none");
    arg("keywords", &format!("({},)", keywords.join(", ")));
    arg("author", &format!("({},)", string_literal(&a.owner.name)));
    for (k, v) in extra {
        arg(k, v);
    }
    s.push(')');
    s
}

/// The cover page of a member's packet (Typst markup): the parties, the servers it uses
/// with their identifiers, the date and the stage.
fn cover(a: &Arrangement, m: &Member, lang: Lang) -> String {
    let w = words(lang);
    let t = |s: &str| escape_text(s);
    let code = |s: &str| format!("#raw({})", string_literal(s));
    let org = |o: &crate::arrangement::Organisation| {
        let mut c = format!("#strong[{}]", t(&o.name));
        let _ = write!(
            c,
            " \\\n{} · {} {}",
            o.class.code(),
            w.business_id,
            t(&o.code)
        );
        if let Some(addr) = &o.address {
            let _ = write!(c, " \\\n{}", t(addr));
        }
        c
    };
    let instances = m.instances();
    let servers: Vec<_> = a
        .servers
        .iter()
        .filter(|s| instances.is_empty() || instances.contains(&s.instance))
        .collect();
    let mut server_cell = String::new();
    for (i, s) in servers.iter().enumerate() {
        if i > 0 {
            server_cell.push_str(" \\\n");
        }
        let id = xroad::server_id(s.instance, a.owner.class.code(), &a.owner.code, &s.code);
        let _ = write!(
            server_cell,
            "{}: {} ({}) \\\n{}",
            t(s.instance.code()),
            t(&s.fqdn),
            t(&s.ipv4),
            code(&id)
        );
    }
    let mut subsystem_cell = String::new();
    for (i, s) in m.org.subsystems.iter().enumerate() {
        for (j, inst) in s.instances.iter().enumerate() {
            if i + j > 0 {
                subsystem_cell.push_str(" \\\n");
            }
            let id = xroad::subsystem_id(*inst, m.org.class.code(), &m.org.code, &s.code);
            subsystem_cell.push_str(&code(&id));
        }
    }
    let mut date = t(&format_date(a.date, lang));
    if let Some(place) = &a.place {
        let _ = write!(date, ", {}", t(place));
    }
    let stage = match a.stage {
        Stage::Draft => w.draft_stage,
        Stage::Final => w.final_stage,
    };
    let mut rows = vec![
        (w.owner, org(&a.owner)),
        (w.member, org(&m.org)),
        (w.servers, server_cell),
    ];
    if !subsystem_cell.is_empty() {
        rows.push((w.subsystems, subsystem_cell));
    }
    rows.push((w.date, date));
    rows.push((w.stage, t(stage)));
    let mut s = String::from("#table(\n  columns: (auto, 1fr),\n  row-gutter: 8pt,\n");
    for (label, value) in rows {
        let _ = writeln!(s, "  [#strong[{}]], [{}],", t(label), value);
    }
    s.push_str(")\n");
    s
}

// ---------------------------------------------------------------------------------------
// The typst program.

/// A typst program that runs, with its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typst {
    /// The program.
    pub program: PathBuf,
    /// The first line `typst --version` printed, e.g. `typst 0.15.1 (unknown commit)`.
    pub version_line: String,
}

/// Why no typst program can be used: where it was looked for, or why it did not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The reason, e.g. "`typst` is not on PATH".
    pub reason: String,
}

impl Missing {
    /// The one-line notice of a build whose default formats leave the PDFs out.
    pub fn notice(&self) -> String {
        format!(
            "notice: PDFs skipped: {}; install typst with `{INSTALL_COMMAND}`",
            self.reason
        )
    }

    /// The error of a build that was asked for PDFs.
    pub fn error(&self) -> anyhow::Error {
        anyhow!(
            "cannot make PDFs: {}\n  help: install typst with `{INSTALL_COMMAND}`, or name it with `--typst PATH` or `$TYPST`",
            self.reason
        )
    }
}

impl Typst {
    /// Finds the typst program: `explicit` (`--typst`), else `$TYPST`, else `typst` on `PATH`;
    /// then asks its version (or takes it from `cache`, when the program is unchanged).
    pub fn find(explicit: Option<&Path>, cache: Option<&Path>) -> Result<Typst, Missing> {
        Typst::find_in(
            explicit,
            std::env::var_os("TYPST").filter(|v| !v.is_empty()),
            std::env::var_os("PATH"),
            cache,
        )
    }

    /// [`Typst::find`] with the environment given.
    pub fn find_in(
        explicit: Option<&Path>,
        env_typst: Option<OsString>,
        path: Option<OsString>,
        cache: Option<&Path>,
    ) -> Result<Typst, Missing> {
        let (program, origin) = match (explicit, env_typst) {
            (Some(p), _) => (p.to_path_buf(), "--typst"),
            (None, Some(p)) => (PathBuf::from(p), "$TYPST"),
            (None, None) => match on_path(OsStr::new("typst"), path.as_deref()) {
                Some(p) => (p, "PATH"),
                None => {
                    return Err(Missing {
                        reason: "no `typst` program on PATH".into(),
                    });
                }
            },
        };
        // A bare name (`TYPST=typst-0.15`) is looked up on PATH as a shell would.
        let program = if program.components().count() == 1 && !program.is_file() {
            on_path(program.as_os_str(), path.as_deref()).unwrap_or(program)
        } else {
            program
        };
        if !program.is_file() {
            return Err(Missing {
                reason: format!("`{}` (from {origin}) does not exist", program.display()),
            });
        }
        match version_of(&program, cache) {
            Ok(version_line) => Ok(Typst {
                program,
                version_line,
            }),
            Err(e) => Err(Missing {
                reason: format!(
                    "`{} --version` (from {origin}) failed: {e:#}",
                    program.display()
                ),
            }),
        }
    }

    /// The version number, e.g. `0.15.1`.
    pub fn version(&self) -> &str {
        self.version_line.split_whitespace().nth(1).unwrap_or("")
    }

    /// A warning when the version is not the one the page design is made for.
    pub fn version_warning(&self) -> Option<String> {
        (self.version() != TYPST_VERSION).then(|| {
            format!(
                "warning: `{}` is typst {}, but xroad-share is made for typst {TYPST_VERSION}; the PDFs may differ or fail\n  help: `{INSTALL_COMMAND}`",
                self.program.display(),
                if self.version().is_empty() { "of an unknown version" } else { self.version() },
            )
        })
    }

    /// Whether this typst has the bundle export used for speed (0.15).
    pub fn has_bundle(&self) -> bool {
        self.version().starts_with("0.15.")
    }
}

/// The first `name` in the folders of a `PATH` value that is an executable file.
fn on_path(name: &OsStr, path: Option<&OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file() || p.with_extension("exe").is_file()
}

/// The first line of `program --version`, from the cache when the program file (its path,
/// size and modification time) is the one asked before.
fn version_of(program: &Path, cache: Option<&Path>) -> Result<String> {
    let stamp = std::fs::canonicalize(program)
        .and_then(|p| {
            let m = p.metadata()?;
            let modified = m
                .modified()?
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            Ok(format!(
                "{}\0{}\0{}",
                p.display(),
                m.len(),
                modified.as_nanos()
            ))
        })
        .ok();
    let remembered = cache
        .zip(stamp.as_ref())
        .map(|(dir, stamp)| dir.join("typst-version").join(sha256_hex(stamp.as_bytes())));
    if let Some(line) = remembered
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .filter(|l| l.starts_with("typst "))
    {
        return Ok(line.trim_end().to_string());
    }
    let ran = run(
        Command::new(program).arg("--version"),
        Duration::from_secs(30),
    )?;
    if !ran.status.success() {
        bail!("{}{}", ran.status, stderr_block(&ran.stderr));
    }
    let stdout = String::from_utf8_lossy(&ran.stdout);
    let line = stdout.lines().next().unwrap_or("").trim().to_string();
    if !line.starts_with("typst ") {
        bail!("it printed {line:?}, not `typst VERSION`");
    }
    if let Some(p) = remembered {
        // The cache is an optimisation: a failure to write it is no failure of the build.
        let _ = write_atomic(&p, format!("{line}\n").as_bytes());
    }
    Ok(line)
}

// ---------------------------------------------------------------------------------------
// Settings.

/// How the PDFs are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The PDF standard(s), as typst's `--pdf-standard` takes them, e.g. `a-2b`.
    pub standard: String,
    /// The creation timestamp: seconds since 1970 (see [`creation_timestamp`]).
    pub timestamp: i64,
    /// How many typst processes run at once.
    pub jobs: usize,
    /// The cache folder, if any (see [`cache_dir`]).
    pub cache: Option<PathBuf>,
    /// Whether to use typst's bundle export when it is faster.
    pub bundle: bool,
    /// How long one typst process may run.
    pub timeout: Duration,
}

/// The PDFs' creation timestamp: `SOURCE_DATE_EPOCH` when it is set, else midnight UTC at
/// the start of `date` (the packet date).
pub fn creation_timestamp(date: jiff::civil::Date) -> Result<i64> {
    timestamp_from(date, std::env::var_os("SOURCE_DATE_EPOCH"))
}

/// [`creation_timestamp`] with the value of `SOURCE_DATE_EPOCH` given.
fn timestamp_from(date: jiff::civil::Date, epoch: Option<OsString>) -> Result<i64> {
    if let Some(v) = epoch.filter(|v| !v.is_empty()) {
        let text = v.to_string_lossy();
        return text
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| *s >= 0)
            .with_context(|| {
                format!("`SOURCE_DATE_EPOCH` is {text:?}, not a number of seconds since 1970")
            });
    }
    let midnight = jiff::tz::TimeZone::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .with_context(|| format!("the date {date} has no midnight in UTC"))?;
    Ok(midnight.as_second())
}

/// The folder of cached PDFs: `$XROAD_SHARE_CACHE` (an empty value turns the cache off),
/// else `$XDG_CACHE_HOME/xroad-share/pdf`, else `$HOME/.cache/xroad-share/pdf`.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(v) = std::env::var_os("XROAD_SHARE_CACHE") {
        return (!v.is_empty()).then(|| PathBuf::from(v));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(base.join("xroad-share").join("pdf"))
}

/// Whether typst's bundle export may be used: yes, unless `XROAD_SHARE_PDF_BUNDLE` is `0`
/// (to compare it with separate compiles, or to step around a problem of the experimental
/// feature).
pub fn bundle_allowed() -> bool {
    std::env::var_os("XROAD_SHARE_PDF_BUNDLE").is_none_or(|v| v != "0")
}

// ---------------------------------------------------------------------------------------
// Making the PDFs.

/// What [`write_pdfs`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// PDFs compiled by typst in this build.
    pub compiled: usize,
    /// PDFs taken from the cache.
    pub cached: usize,
    /// typst processes run.
    pub processes: usize,
    /// typst's warnings, each with the document it is about.
    pub warnings: Vec<String>,
}

/// Makes the PDF of every job and writes it through `out`: from the cache when its key is
/// there, otherwise compiled by typst with `template` as `xroad.typ`.
///
/// A PDF is written only when it is complete. When some compiles fail, the others are still
/// written and cached, and the error names the failing documents with typst's messages.
pub fn write_pdfs(
    typst: &Typst,
    template: &str,
    jobs: &[Job],
    settings: &Settings,
    out: &mut Output,
) -> Result<Report> {
    write_pdfs_with(typst, template, jobs, settings, out, &NoProgress)
}

/// Told how the compiles of [`write_pdfs_with`] advance, e.g. to draw a progress bar.
pub trait Progress: Sync {
    /// typst is about to compile `total` PDFs (the others come from the cache).
    fn start(&self, total: usize);
    /// `n` more PDFs were compiled, or failed.
    fn advance(&self, n: usize);
    /// The compiles are over.
    fn finish(&self);
}

/// No progress to show.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: usize) {}
    fn advance(&self, _: usize) {}
    fn finish(&self) {}
}

/// [`write_pdfs`], telling `progress` how the compiles advance.
pub fn write_pdfs_with(
    typst: &Typst,
    template: &str,
    jobs: &[Job],
    settings: &Settings,
    out: &mut Output,
    progress: &dyn Progress,
) -> Result<Report> {
    let mut report = Report::default();
    let template_sha = sha256_hex(template.as_bytes());
    let keys: Vec<String> = jobs
        .iter()
        .map(|j| cache_key(typst, &template_sha, settings, &j.source()))
        .collect();
    let cache = settings.cache.as_deref();
    let mut results: Vec<Option<Result<Vec<u8>>>> = keys
        .iter()
        .map(|k| cache.and_then(|c| cache_get(c, k)).map(Ok))
        .collect();
    report.cached = results.iter().filter(|r| r.is_some()).count();
    let misses: Vec<usize> = (0..jobs.len()).filter(|&i| results[i].is_none()).collect();
    if !misses.is_empty() {
        let compiler = Compiler {
            typst,
            template,
            settings,
            progress,
        };
        progress.start(misses.len());
        let done = compiler.compile(jobs, &misses, &mut report);
        progress.finish();
        let done = done?;
        for (i, r) in done {
            if let (Ok(bytes), Some(dir)) = (&r, cache) {
                // A failure to cache is no failure of the build.
                let _ = write_atomic(&cache_path(dir, &keys[i]), bytes);
            }
            if r.is_ok() {
                report.compiled += 1;
            }
            results[i] = Some(r);
        }
    }
    if let Some(dir) = cache.filter(|_| report.compiled > 0) {
        prune(dir, CACHE_LIMIT);
    }
    let mut failures = Vec::new();
    for (job, r) in jobs.iter().zip(results) {
        match r {
            Some(Ok(bytes)) => out
                .write(&job.rel, &bytes)
                .with_context(|| format!("cannot write the PDF `{}`", job.rel))?,
            Some(Err(e)) => failures.push((job, e)),
            None => failures.push((job, anyhow!("it was not compiled"))),
        }
    }
    if let Some((job, e)) = failures.first() {
        let others: Vec<String> = failures
            .iter()
            .skip(1)
            .map(|(j, _)| format!("`{}`", j.rel))
            .collect();
        let more = match others.len() {
            0 => String::new(),
            n if n <= 5 => format!(" (nor {})", others.join(", ")),
            n => format!(" (nor {} and {} more)", others[..5].join(", "), n - 5),
        };
        return Err(
            anyhow!("{e:#}").context(format!("typst could not make the PDF `{}`{more}", job.rel))
        );
    }
    Ok(report)
}

/// The cache key of a PDF: everything that decides its bytes.
fn cache_key(typst: &Typst, template_sha: &str, settings: &Settings, source: &str) -> String {
    let text = format!(
        "xroad-share pdf 1\0{}\0--pdf-standard {}\0--ignore-system-fonts\0--creation-timestamp {}\0{template_sha}\0{source}",
        typst.version_line, settings.standard, settings.timestamp
    );
    sha256_hex(text.as_bytes())
}

fn cache_path(dir: &Path, key: &str) -> PathBuf {
    dir.join(&key[..2]).join(format!("{key}.pdf"))
}

/// A cached PDF, if it is there and whole.
fn cache_get(dir: &Path, key: &str) -> Option<Vec<u8>> {
    let bytes = std::fs::read(cache_path(dir, key)).ok()?;
    is_whole_pdf(&bytes).then_some(bytes)
}

/// Removes the oldest cached PDFs until the cache holds at most `limit` bytes. Errors are
/// ignored: another build may be removing the same files.
fn prune(dir: &Path, limit: u64) {
    let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = walkdir::WalkDir::new(dir)
        .min_depth(2)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "pdf"))
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((m.modified().ok()?, m.len(), e.into_path()))
        })
        .collect();
    let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
    if total <= limit {
        return;
    }
    entries.sort();
    for (_, len, path) in entries {
        if total <= limit {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total = total.saturating_sub(len);
        }
    }
}

/// Whether `bytes` look like a complete PDF file: the header and the end-of-file marker.
fn is_whole_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(32)..];
    bytes.starts_with(b"%PDF-") && tail.windows(5).any(|w| w == b"%%EOF")
}

/// Runs typst over jobs that are not cached.
struct Compiler<'a> {
    typst: &'a Typst,
    template: &'a str,
    settings: &'a Settings,
    progress: &'a dyn Progress,
}

/// One unit of work for a typst process: a bundle of documents or one document.
enum Task {
    Bundle(Vec<usize>),
    Single(usize),
}

type Compiled = Vec<(usize, Result<Vec<u8>>)>;

/// What one typst process gave.
struct Outcome {
    /// The PDFs made (or the errors of single documents).
    compiled: Compiled,
    /// The documents of a bundle that failed, with its error.
    failed_bundle: Option<(Vec<usize>, anyhow::Error)>,
    /// typst's warnings.
    warnings: Vec<String>,
}

impl Compiler<'_> {
    /// Compiles the jobs `todo` (indices into `jobs`), in parallel. The documents of a bundle
    /// that fails are compiled again one by one.
    fn compile(&self, jobs: &[Job], todo: &[usize], report: &mut Report) -> Result<Compiled> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.settings.jobs.max(1))
            .thread_name(|i| format!("xroad-share-typst-{i}"))
            .build()
            .context("cannot start the compile threads")?;
        let tasks = self.plan(jobs, todo);
        report.processes += tasks.len();
        let outcomes: Vec<Outcome> = pool.install(|| {
            tasks
                .par_iter()
                .map(|t| self.run_task_told(jobs, t))
                .collect()
        });
        let mut done = Compiled::new();
        let mut again = Vec::new();
        for o in outcomes {
            report.warnings.extend(o.warnings);
            done.extend(o.compiled);
            if let Some((ids, e)) = o.failed_bundle {
                report.warnings.push(format!(
                    "warning: typst's bundle export failed for {} documents; compiling them one by one\n{}",
                    ids.len(),
                    indent(&format!("{e:#}"))
                ));
                again.extend(ids);
            }
        }
        if !again.is_empty() {
            report.processes += again.len();
            let retried: Vec<Outcome> = pool.install(|| {
                again
                    .par_iter()
                    .map(|&i| self.run_task_told(jobs, &Task::Single(i)))
                    .collect()
            });
            for o in retried {
                report.warnings.extend(o.warnings);
                done.extend(o.compiled);
            }
        }
        done.sort_by_key(|(i, _)| *i);
        Ok(done)
    }

    /// The processes to run: documents in bundles (when typst has them and there are enough
    /// documents), packets on their own.
    fn plan(&self, jobs: &[Job], todo: &[usize]) -> Vec<Task> {
        let (packets, documents): (Vec<usize>, Vec<usize>) =
            todo.iter().partition(|&&i| jobs[i].packet);
        let mut tasks = Vec::new();
        if self.settings.bundle && self.typst.has_bundle() && documents.len() >= BUNDLE_MIN {
            // Enough bundles to keep every process slot busy, none larger than BUNDLE_MAX.
            let count = documents.len().div_ceil(BUNDLE_MAX).max(
                self.settings
                    .jobs
                    .clamp(1, documents.len().div_ceil(BUNDLE_MIN)),
            );
            let size = documents.len().div_ceil(count);
            tasks.extend(documents.chunks(size).map(|c| Task::Bundle(c.to_vec())));
        } else {
            tasks.extend(documents.into_iter().map(Task::Single));
        }
        tasks.extend(packets.into_iter().map(Task::Single));
        tasks
    }

    /// [`Compiler::run_task`], then tells the progress how many PDFs it gave.
    fn run_task_told(&self, jobs: &[Job], task: &Task) -> Outcome {
        let outcome = self.run_task(jobs, task);
        self.progress.advance(outcome.compiled.len());
        outcome
    }

    /// Runs one typst process in a private temporary folder.
    fn run_task(&self, jobs: &[Job], task: &Task) -> Outcome {
        match task {
            Task::Single(i) => {
                let job = &jobs[*i];
                match self.single(job) {
                    Ok((bytes, warning)) => Outcome {
                        compiled: vec![(*i, Ok(bytes))],
                        failed_bundle: None,
                        warnings: warning
                            .map(|w| format!("warning: typst on `{}`:\n{w}", job.rel))
                            .into_iter()
                            .collect(),
                    },
                    Err(e) => Outcome {
                        compiled: vec![(*i, Err(e))],
                        failed_bundle: None,
                        warnings: Vec::new(),
                    },
                }
            }
            Task::Bundle(ids) => match self.bundle(jobs, ids) {
                Ok((pdfs, warning)) => Outcome {
                    compiled: ids.iter().copied().zip(pdfs.into_iter().map(Ok)).collect(),
                    failed_bundle: None,
                    warnings: warning
                        .map(|w| {
                            format!(
                                "warning: typst on a bundle of {} documents:\n{w}",
                                ids.len()
                            )
                        })
                        .into_iter()
                        .collect(),
                },
                Err(e) => Outcome {
                    compiled: Vec::new(),
                    failed_bundle: Some((ids.clone(), e)),
                    warnings: Vec::new(),
                },
            },
        }
    }

    /// A temporary folder with `xroad.typ` and `main.typ`.
    fn folder(&self, main: &str) -> Result<tempfile::TempDir> {
        let dir = tempfile::Builder::new()
            .prefix("xroad-share-typst-")
            .tempdir()
            .context("cannot create a temporary folder for typst")?;
        std::fs::write(dir.path().join("xroad.typ"), self.template)
            .and_then(|()| std::fs::write(dir.path().join("main.typ"), main))
            .with_context(|| {
                format!(
                    "cannot write the Typst sources in `{}`",
                    dir.path().display()
                )
            })?;
        Ok(dir)
    }

    /// The `typst compile` command with the reproducible flags, run in `dir`.
    fn command(&self, dir: &Path) -> Command {
        let mut cmd = Command::new(&self.typst.program);
        cmd.current_dir(dir)
            .arg("compile")
            .arg("--root")
            .arg(".")
            .arg("--ignore-system-fonts")
            .arg("--pdf-standard")
            .arg(&self.settings.standard)
            .arg("--creation-timestamp")
            .arg(self.settings.timestamp.to_string())
            .arg("--diagnostic-format")
            .arg("human");
        for var in TYPST_ENV {
            cmd.env_remove(var);
        }
        cmd.env("NO_COLOR", "1");
        cmd
    }

    /// Compiles one document; returns the PDF and typst's warnings, if it printed any.
    fn single(&self, job: &Job) -> Result<(Vec<u8>, Option<String>)> {
        let dir = self.folder(&job.source())?;
        let mut cmd = self.command(dir.path());
        cmd.arg("main.typ").arg("main.pdf");
        let ran = self.run_typst(&mut cmd, self.settings.timeout)?;
        let bytes = read_pdf(&dir.path().join("main.pdf"))?;
        Ok((bytes, warnings_of(&ran.stderr)))
    }

    /// Compiles several documents in one bundle; returns their PDFs in order.
    fn bundle(&self, jobs: &[Job], ids: &[usize]) -> Result<(Vec<Vec<u8>>, Option<String>)> {
        let mut main = String::from("#import \"xroad.typ\" as xroad\n");
        for (n, &i) in ids.iter().enumerate() {
            let job = &jobs[i];
            let _ = write!(
                main,
                "#document(\"{n:05}.pdf\")[\n{}\n{}\n]\n",
                job.show, job.body
            );
        }
        let dir = self.folder(&main)?;
        let mut cmd = self.command(dir.path());
        cmd.args([
            "--features",
            "bundle",
            "--format",
            "bundle",
            "main.typ",
            "out",
        ]);
        let timeout = self.settings.timeout + TIMEOUT_PER_DOCUMENT * ids.len() as u32;
        let ran = self.run_typst(&mut cmd, timeout)?;
        let pdfs = (0..ids.len())
            .map(|n| read_pdf(&dir.path().join("out").join(format!("{n:05}.pdf"))))
            .collect::<Result<Vec<_>>>()?;
        Ok((pdfs, warnings_of(&ran.stderr)))
    }

    /// Runs typst; a failure carries its exit status and its messages.
    fn run_typst(&self, cmd: &mut Command, timeout: Duration) -> Result<Ran> {
        let program = self.typst.program.display();
        let ran = run(cmd, timeout).with_context(|| format!("cannot run `{program}`"))?;
        if !ran.status.success() {
            bail!(
                "`{program}` failed ({}){}",
                ran.status,
                stderr_block(&ran.stderr)
            );
        }
        Ok(ran)
    }
}

/// Reads a PDF that typst wrote, making sure it is whole.
fn read_pdf(path: &Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("typst succeeded but wrote no `{}`", path.display()))?;
    if !is_whole_pdf(&bytes) {
        bail!("typst wrote an incomplete PDF `{}`", path.display());
    }
    Ok(bytes)
}

/// typst's messages on success, without the notice that bundle export is experimental.
fn warnings_of(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let mut kept = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with(BUNDLE_WARNING) {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(" = hint") || line.trim().is_empty()) {
            continue;
        }
        skipping = false;
        kept.push_str(line);
        kept.push('\n');
    }
    let kept = kept.trim_end();
    (!kept.is_empty()).then(|| indent(kept))
}

/// typst's standard error as an indented block after a colon, or nothing.
fn stderr_block(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim_end();
    if text.is_empty() {
        String::new()
    } else {
        format!(":\n{}", indent(text))
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------
// Running a program with a timeout.

/// What a finished program printed and how it ended.
#[derive(Debug)]
struct Ran {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs `cmd` to its end, reading its output, and stops it (kill, then wait, so that no
/// zombie is left) when it takes longer than `timeout`.
fn run(cmd: &mut Command, timeout: Duration) -> Result<Ran> {
    let deadline = Instant::now() + timeout;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = spawn(cmd)?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let mut err = None;
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e.into());
            }
        }
        let now = Instant::now();
        if now >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!("it was stopped after {} seconds", timeout.as_secs_f32());
        }
        let slice = (deadline - now).min(Duration::from_millis(100));
        if err.is_none() {
            // Wakes up as soon as the program closes its standard error, usually as it ends.
            match stderr.recv_timeout(slice) {
                Ok(bytes) => err = Some(bytes),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => err = Some(Vec::new()),
            }
        } else {
            std::thread::sleep(pause.min(slice));
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    };
    // A program that left a child behind holding the pipes open: don't wait for it long.
    let until = Instant::now() + Duration::from_secs(1);
    let left = || until.saturating_duration_since(Instant::now());
    let stderr = err.or_else(|| stderr.recv_timeout(left()).ok());
    Ok(Ran {
        status,
        stdout: stdout.recv_timeout(left()).unwrap_or_default(),
        stderr: stderr.unwrap_or_default(),
    })
}

/// Starts `cmd`, retrying for a moment when the program file is busy: a script that was
/// just written can be briefly held open by a process that another thread is starting.
fn spawn(cmd: &mut Command) -> std::io::Result<std::process::Child> {
    let mut tries = 0;
    loop {
        match cmd.spawn() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 20 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(25));
            }
            r => return r,
        }
    }
}

/// Reads a pipe to its end on a thread; the bytes arrive on the channel.
fn drain<R: std::io::Read + Send + 'static>(pipe: Option<R>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            let _ = tx.send(buf);
        });
    } else {
        let _ = tx.send(Vec::new());
    }
    rx
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::arrangement::Arrangement;
    use crate::render::markdown::{Plan, render};
    use crate::templates::TemplateSet;

    /// The typst program: `$TYPST`, else `typst` on PATH, else `~/.cargo/bin/typst`. The tests
    /// that need it fail without it.
    fn real_typst() -> Typst {
        let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/typst"));
        Typst::find(None, None)
            .or_else(|e| Typst::find(home.as_deref(), None).map_err(|_| e))
            .unwrap_or_else(|e| panic!("{}", e.error()))
    }

    /// A shell script in `dir` called `name`.
    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt as _;
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// The example's documents in all three languages, and its arrangement.
    fn example_jobs() -> (Arrangement, Vec<Job>) {
        let text = std::fs::read_to_string("data/example.toml").unwrap();
        let input = crate::load::load(&text).input.unwrap();
        let a = Arrangement::from_input(&input, false);
        let register = crate::register::register(&a, a.date);
        let csrs = |_: &str| Vec::new();
        let plan = Plan {
            arrangement: &a,
            members: a.members.iter().map(|m| (m, Lang::ALL.to_vec())).collect(),
            packet_langs: Lang::ALL.to_vec(),
            public: false,
            register: &register,
            csrs: &csrs,
        };
        let docs = render(&plan, &TemplateSet::builtin()).unwrap();
        let jobs = jobs(&a, &docs);
        (a, jobs)
    }

    fn settings(bundle: bool) -> Settings {
        Settings {
            standard: "a-2b".into(),
            timestamp: 1_796_083_200,
            jobs: 2,
            cache: None,
            bundle,
            timeout: TIMEOUT,
        }
    }

    fn template() -> String {
        TemplateSet::builtin().get(TEMPLATE).unwrap().to_string()
    }

    /// The creation timestamp is the packet date at midnight UTC, unless
    /// `SOURCE_DATE_EPOCH` says otherwise.
    #[test]
    fn timestamp_is_midnight_utc_of_the_date() {
        let date = jiff::civil::date(2026, 12, 1);
        assert_eq!(timestamp_from(date, None).unwrap(), 1_796_083_200);
        assert_eq!(
            timestamp_from(date, Some("".into())).unwrap(),
            1_796_083_200
        );
        assert_eq!(
            timestamp_from(date, Some("1700000000".into())).unwrap(),
            1_700_000_000
        );
        assert!(timestamp_from(date, Some("yesterday".into())).is_err());
    }

    /// One PDF per document and one packet per member and language, the packet with the
    /// member's five documents in catalogue order, each after a weak page break.
    #[test]
    fn jobs_cover_documents_and_packets() {
        let (_, jobs) = example_jobs();
        assert_eq!(jobs.iter().filter(|j| !j.packet).count(), 3 * (2 + 3 * 5));
        let packets: Vec<&str> = jobs
            .iter()
            .filter(|j| j.packet)
            .map(|j| j.rel.as_str())
            .collect();
        assert_eq!(packets.len(), 9);
        assert!(
            packets.contains(&"sv/members/lakeside/packet.pdf"),
            "{packets:?}"
        );
        let p = jobs
            .iter()
            .find(|j| j.rel == "fi/members/pikkula/packet.pdf")
            .unwrap();
        assert_eq!(p.body.matches("#pagebreak(weak: true)").count(), 5);
        let order: Vec<usize> = [
            "Sopimus liityntäpalvelimen",
            "Valtakirja varmenteiden",
            "Käyttölupahakemuksen tiedot",
            "Liittyvän organisaation tarkistuslista",
            "Omistajan tarkistuslista",
        ]
        .iter()
        .map(|t| p.body.find(t).unwrap_or_else(|| panic!("{t}")))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert!(
            p.show.starts_with("#show: xroad.packet.with("),
            "{}",
            p.show
        );
        assert!(p.show.contains("toc-title: \"Sisällys\""), "{}", p.show);
    }

    /// Values reach the Typst source escaped: a name cannot close the string or the markup.
    #[test]
    fn values_are_escaped_in_the_source() {
        let text = std::fs::read_to_string("tests/fixtures/valid/hostile.toml").unwrap();
        let input = crate::load::load(&text).input.unwrap();
        let a = Arrangement::from_input(&input, false);
        let cover = cover(&a, &a.members[0], Lang::En);
        assert!(
            cover.contains(r#"\" onmouseover\=\"alert(1)\" x\=\" Member"#),
            "{cover}"
        );
        assert!(cover.contains(r"\# Not a heading | not a cell"), "{cover}");
        let show = show_rule(
            "document",
            &a,
            Lang::En,
            Some(&a.members[0]),
            "T",
            "agreement",
            &[],
        );
        assert!(show.contains(r#"parties: "**Bold** Owner <script>alert(1)</script> {{ owner }} – \" onmouseover=\"alert(1)\" x=\" Member","#), "{show}");
        assert!(show.contains("draft: true,"), "{show}");
        let fin = Arrangement::from_input(&input, true);
        let show = show_rule("document", &fin, Lang::En, None, "T", "overview", &[]);
        assert!(show.contains("draft: false,"), "{show}");
        assert!(super::cover(&fin, &fin.members[0], Lang::En).contains("[Final]"));
    }

    /// The cache key changes with the source, the template, the flags and typst's version.
    #[test]
    fn cache_key_covers_what_decides_the_bytes() {
        let t = Typst {
            program: "typst".into(),
            version_line: "typst 0.15.1 (x)".into(),
        };
        let s = settings(true);
        let base = cache_key(&t, "tpl", &s, "src");
        assert_eq!(
            base,
            cache_key(&t, "tpl", &settings(false), "src"),
            "the bundle does not change the bytes"
        );
        assert_ne!(base, cache_key(&t, "tpl", &s, "src2"));
        assert_ne!(base, cache_key(&t, "tpl2", &s, "src"));
        let other = Settings {
            standard: "a-3b".into(),
            ..settings(true)
        };
        assert_ne!(base, cache_key(&t, "tpl", &other, "src"));
        let later = Settings {
            timestamp: 1,
            ..settings(true)
        };
        assert_ne!(base, cache_key(&t, "tpl", &later, "src"));
        let newer = Typst {
            version_line: "typst 0.15.2".into(),
            ..t.clone()
        };
        assert_ne!(base, cache_key(&newer, "tpl", &s, "src"));
    }

    /// typst is looked up on PATH; a missing or broken program says why.
    #[test]
    fn finding_typst() {
        let dir = tempfile::tempdir().unwrap();
        let path = Some(dir.path().as_os_str().to_owned());
        let missing = Typst::find_in(None, None, path.clone(), None).unwrap_err();
        assert_eq!(missing.reason, "no `typst` program on PATH");
        assert!(missing.notice().contains(INSTALL_COMMAND));
        script(dir.path(), "typst", "echo 'typst 0.15.1 (abc)'");
        let found = Typst::find_in(None, None, path.clone(), None).unwrap();
        assert_eq!(found.version(), "0.15.1");
        assert!(found.version_warning().is_none() && found.has_bundle());
        let old = script(dir.path(), "typst-old", "echo 'typst 0.13.0'");
        let t = Typst::find_in(None, Some("typst-old".into()), path.clone(), None).unwrap();
        assert_eq!(t.program, old);
        assert!(t.version_warning().unwrap().contains("typst 0.13.0"));
        assert!(!t.has_bundle());
        let broken = script(dir.path(), "typst-broken", "echo 'no' >&2; exit 2");
        let e = Typst::find_in(Some(&broken), None, path, None).unwrap_err();
        assert!(
            e.reason.contains("--version` (from --typst) failed") && e.reason.contains("no"),
            "{}",
            e.reason
        );
    }

    /// The version is asked once per program file and then taken from the cache.
    #[test]
    fn version_is_remembered_in_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let t = script(
            dir.path(),
            "typst",
            &format!("echo x >> '{}'; echo 'typst 0.15.1'", log.display()),
        );
        let cache = dir.path().join("cache");
        for _ in 0..3 {
            let found = Typst::find(Some(&t), Some(&cache)).unwrap();
            assert_eq!(found.version_line, "typst 0.15.1");
        }
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "x\n");
    }

    /// A program that runs too long is stopped (and waited for) when its time is up.
    #[test]
    fn timeout_stops_the_program() {
        let dir = tempfile::tempdir().unwrap();
        let slow = script(dir.path(), "slow", "exec sleep 30");
        let start = Instant::now();
        let e = run(&mut Command::new(&slow), Duration::from_millis(300)).unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(10));
        assert!(e.to_string().contains("stopped after 0.3 seconds"), "{e}");
    }

    /// A program that ends but leaves a child holding its output open is not waited for
    /// until that child ends.
    #[test]
    fn a_child_left_behind_does_not_hold_up_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let quick = script(dir.path(), "quick", "sleep 5 &\necho bye >&2\nexit 0");
        let start = Instant::now();
        let ran = run(&mut Command::new(&quick), Duration::from_secs(20)).unwrap();
        assert!(ran.status.success());
        assert!(
            start.elapsed() < Duration::from_secs(4),
            "{:?}",
            start.elapsed()
        );
    }

    /// The notice that bundle export is experimental is not passed on; other messages are.
    #[test]
    fn bundle_notice_is_dropped_from_warnings() {
        let stderr = b"warning: bundle export is experimental\n = hint: its behaviour may change at any time\n = hint: do not rely on this feature for production use cases\n\n";
        assert_eq!(warnings_of(stderr), None);
        let more = [&stderr[..], b"warning: unknown font family: x\n"].concat();
        assert_eq!(
            warnings_of(&more).as_deref(),
            Some("    warning: unknown font family: x")
        );
    }

    /// Bundles give byte for byte the PDFs that separate compiles give, and packets are
    /// never bundled.
    #[test]
    fn bundle_and_separate_compiles_give_the_same_bytes() {
        let typst = real_typst();
        let (_, jobs) = example_jobs();
        let docs: Vec<Job> = jobs.into_iter().filter(|j| !j.packet).collect();
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut bundled = Output::new(one.path());
        let r1 = write_pdfs(&typst, &template(), &docs, &settings(true), &mut bundled).unwrap();
        assert!(r1.processes < docs.len() / 4, "{r1:?}");
        let mut separate = Output::new(two.path());
        let r2 = write_pdfs(&typst, &template(), &docs, &settings(false), &mut separate).unwrap();
        assert_eq!(r2.processes, docs.len());
        for j in &docs {
            let a = std::fs::read(bundled.path(&j.rel)).unwrap();
            let b = std::fs::read(separate.path(&j.rel)).unwrap();
            assert!(a == b, "{} differs", j.rel);
        }
    }

    /// When the bundle fails, its documents are compiled one by one, with a warning.
    #[test]
    fn failed_bundle_falls_back_to_separate_compiles() {
        let real = real_typst();
        let dir = tempfile::tempdir().unwrap();
        let body = format!(
            "case \"$*\" in *bundle*) echo 'error: no bundles here' >&2; exit 1;; esac\nexec '{}' \"$@\"",
            real.program.display()
        );
        let typst = Typst {
            program: script(dir.path(), "typst", &body),
            version_line: real.version_line.clone(),
        };
        let (_, jobs) = example_jobs();
        let docs: Vec<Job> = jobs
            .into_iter()
            .filter(|j| j.rel.starts_with("en/members/lakeside/"))
            .collect();
        assert_eq!(docs.len(), 6);
        let mut out = Output::new(dir.path().join("out"));
        let r = write_pdfs(&typst, &template(), &docs, &settings(true), &mut out).unwrap();
        assert_eq!(r.compiled, 6);
        // Two bundles and the packet, then the five documents one by one.
        assert_eq!(r.processes, 3 + 5, "{r:?}");
        assert!(
            r.warnings
                .iter()
                .any(|w| w.contains("bundle export failed") && w.contains("no bundles here")),
            "{:?}",
            r.warnings
        );
        for j in &docs {
            assert!(
                is_whole_pdf(&std::fs::read(out.path(&j.rel)).unwrap()),
                "{}",
                j.rel
            );
        }
    }

    /// The cache: a second run compiles nothing, and a damaged entry is compiled again.
    #[test]
    fn cache_serves_unchanged_documents() {
        let typst = real_typst();
        let (_, jobs) = example_jobs();
        let docs: Vec<Job> = jobs
            .into_iter()
            .filter(|j| j.rel.starts_with("en/members/lakeside/") && !j.packet)
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let s = Settings {
            cache: Some(dir.path().join("cache")),
            ..settings(true)
        };
        let mut out = Output::new(dir.path().join("out"));
        let first = write_pdfs(&typst, &template(), &docs, &s, &mut out).unwrap();
        assert_eq!((first.compiled, first.cached), (5, 0));
        let second = write_pdfs(&typst, &template(), &docs, &s, &mut out).unwrap();
        assert_eq!(
            (second.compiled, second.cached, second.processes),
            (0, 5, 0)
        );
        let key = cache_key(
            &typst,
            &sha256_hex(template().as_bytes()),
            &s,
            &docs[0].source(),
        );
        let entry = cache_path(s.cache.as_deref().unwrap(), &key);
        std::fs::write(&entry, b"%PDF-1.7 cut off").unwrap();
        let third = write_pdfs(&typst, &template(), &docs, &s, &mut out).unwrap();
        assert_eq!((third.compiled, third.cached), (1, 4));
        assert!(is_whole_pdf(&std::fs::read(&entry).unwrap()));
    }

    /// Pruning removes the oldest entries first, down to the limit.
    #[test]
    fn prune_keeps_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        for (i, name) in ["aa/old.pdf", "bb/mid.pdf", "cc/new.pdf"]
            .iter()
            .enumerate()
        {
            let p = dir.path().join(name);
            write_atomic(&p, &[0u8; 100]).unwrap();
            let f = std::fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(std::time::UNIX_EPOCH + Duration::from_secs(1000 * (i as u64 + 1)))
                .unwrap();
        }
        prune(dir.path(), 250);
        assert!(!dir.path().join("aa/old.pdf").exists());
        assert!(dir.path().join("bb/mid.pdf").exists() && dir.path().join("cc/new.pdf").exists());
    }
}
