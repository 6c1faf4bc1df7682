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

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use rayon::prelude::*;

use crate::output::{Output, sha256_hex, write_atomic};

/// The typst version the page design is made and tested with.
pub const TYPST_VERSION: &str = "0.15.1";

/// The command that installs [`TYPST_VERSION`].
pub const INSTALL_COMMAND: &str = "cargo install --locked typst-cli --version 0.15.1";

/// The template set's name of the page design.
pub const TEMPLATE: &str = "typst/xroad.typ";

/// How long one typst process may run before it is stopped, plus [`TIMEOUT_PER_DOCUMENT`]
/// for each document of a bundle.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The extra time a bundle gets per document.
pub const TIMEOUT_PER_DOCUMENT: Duration = Duration::from_secs(1);

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

mod cache;
mod process;
mod source;

use cache::{cache_get, cache_key, cache_path, is_whole_pdf, prune};
pub use process::{Missing, Typst};
use process::{Ran, indent, run, stderr_block};
pub use source::{Job, jobs};

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

/// The PDFs' creation timestamp: `epoch` (`--creation-timestamp`, or `SOURCE_DATE_EPOCH`
/// through clap) when given, else midnight UTC at the start of `date` (the packet date).
pub fn creation_timestamp(date: jiff::civil::Date, epoch: Option<i64>) -> Result<i64> {
    if let Some(seconds) = epoch {
        return Ok(seconds);
    }
    // Counted in days rather than through a timestamp, whose range ends before the last
    // day of year 9999.
    let seconds = date.duration_since(jiff::civil::date(1970, 1, 1)).as_secs();
    anyhow::ensure!(
        seconds >= 0,
        "the date {date} is before 1970-01-01, the earliest PDF creation date"
    );
    Ok(seconds)
}

/// The folder of cached PDFs: `explicit` (`--pdf-cache`; `off` or empty for none), else
/// `<xdg_cache_home>/xroad-share/pdf`, else `<home>/.cache/xroad-share/pdf`.
pub fn cache_dir(
    explicit: Option<&Path>,
    xdg_cache_home: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    if let Some(p) = explicit {
        let off = p.as_os_str().is_empty() || p == Path::new("off");
        return (!off).then(|| p.to_path_buf());
    }
    let base = xdg_cache_home
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            home.filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(base.join("xroad-share").join("pdf"))
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
                if e.chain().any(|c| c.is::<process::TimedOut>()) {
                    let names: Vec<&str> = ids.iter().map(|&i| jobs[i].rel.as_str()).collect();
                    return Err(e.context(format!(
                        "typst timed out on the documents {}",
                        names.join(", ")
                    )));
                }
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
        static CLEANED: std::sync::Once = std::sync::Once::new();
        CLEANED.call_once(|| process::remove_stale_folders(&std::env::temp_dir()));
        let dir = tempfile::Builder::new()
            .prefix(&process::folder_prefix())
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
        bail!(
            "typst wrote a damaged PDF `{}` (no readable cross-reference table, catalogue or pages)",
            path.display()
        );
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

#[cfg(all(test, unix))]
mod tests {
    use std::time::Instant;

    use super::source::{PdfWords, cover, show_rule};
    use super::*;
    use crate::arrangement::{Arrangement, Lang, Stage};
    use crate::render::markdown::{Plan, Rendered, render};
    use crate::templates::TemplateSet;

    /// The typst program: `$TYPST`, else `typst` on PATH, else `~/.cargo/bin/typst`. The tests
    /// that need it fail without it.
    fn real_typst() -> Typst {
        let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/typst"));
        let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        Typst::find_in(None, env("TYPST"), env("PATH"), None)
            .or_else(|e| Typst::find_in(home.as_deref(), None, None, None).map_err(|_| e))
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

    /// The checked arrangement of an input file.
    fn checked_arrangement(path: &str) -> Arrangement {
        let text = std::fs::read_to_string(path).unwrap();
        let base = Path::new(path).parent().unwrap();
        let options = crate::check::Options::default();
        crate::check::check_source(&text, base, options)
            .into_arrangement()
            .unwrap()
    }

    /// The documents of an arrangement in all three languages.
    fn example_docs(a: &Arrangement, _path: &str) -> Vec<Rendered> {
        let words = std::sync::Arc::new(crate::words::Words::builtin());
        let formats = [crate::cli::Format::Md].into_iter().collect();
        let plan = Plan::new(
            a,
            a.members.iter().collect(),
            &Lang::ALL,
            formats,
            false,
            words,
        );
        render(&plan, &TemplateSet::builtin()).unwrap()
    }

    /// The example's documents in all three languages, and its arrangement.
    fn example_jobs() -> (Arrangement, Vec<Job>) {
        let a = checked_arrangement("data/example.toml");
        let docs = example_docs(&a, "data/example.toml");
        let jobs = jobs(&docs, &crate::words::Words::builtin());
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
        assert_eq!(creation_timestamp(date, None).unwrap(), 1_796_083_200);
        let last = jiff::civil::date(9999, 12, 31);
        assert_eq!(creation_timestamp(last, None).unwrap(), 253_402_214_400);
        assert!(creation_timestamp(jiff::civil::date(1926, 12, 1), None).is_err());
        assert_eq!(
            creation_timestamp(date, Some(1_700_000_000)).unwrap(),
            1_700_000_000
        );
    }

    /// The cache folder: the one given (`off` for none), else under `XDG_CACHE_HOME`, else
    /// under `HOME`, else none.
    #[test]
    fn cache_folder() {
        let p = |s: &str| Some(PathBuf::from(s));
        assert_eq!(cache_dir(Some(Path::new("/c")), None, None), p("/c"));
        assert_eq!(
            cache_dir(Some(Path::new("off")), Some("/x".into()), None),
            None
        );
        assert_eq!(
            cache_dir(None, Some("/x".into()), Some("/h".into())),
            p("/x/xroad-share/pdf")
        );
        assert_eq!(
            cache_dir(None, Some("".into()), Some("/h".into())),
            p("/h/.cache/xroad-share/pdf")
        );
        assert_eq!(cache_dir(None, None, None), None);
    }

    /// One PDF per document and one packet per member and language, the packet with the
    /// member's six documents in catalogue order, each after a weak page break.
    #[test]
    fn jobs_cover_documents_and_packets() {
        let (_, jobs) = example_jobs();
        assert_eq!(jobs.iter().filter(|j| !j.packet).count(), 3 * (2 + 3 * 6));
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
        assert_eq!(p.body.matches("#pagebreak(weak: true)").count(), 6);
        let order: Vec<usize> = [
            "Sopimus liityntäpalvelimen",
            "Sopimus henkilötietojen käsittelystä",
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
        let a = checked_arrangement("tests/fixtures/valid/hostile.toml");
        let docs = example_docs(&a, "");
        let c = &docs
            .iter()
            .find(|d| d.lang == Lang::En && d.member.is_some())
            .unwrap()
            .context;
        let words = crate::words::Words::builtin();
        let w = PdfWords::new(&words, Lang::En, a.stage);
        let cover = cover(c, &w);
        assert!(
            cover.contains(r#"\" onmouseover\=\"alert(1)\" x\=\" Member"#),
            "{cover}"
        );
        assert!(cover.contains(r"\# Not a heading | not a cell"), "{cover}");
        let show = show_rule("document", c, &w, c.member.as_ref(), "T", "agreement", &[]);
        assert!(show.contains(r#"parties: "**Bold** Owner <script>alert(1)</script> {{ owner }} – \" onmouseover=\"alert(1)\" x=\" Member","#), "{show}");
        assert!(show.contains("draft: true,"), "{show}");
        let mut fin = Arrangement {
            stage: Stage::Final,
            ..a.clone()
        };
        for m in &mut fin.members {
            m.stage = Stage::Final;
        }
        let docs = example_docs(&fin, "");
        let cf = &docs
            .iter()
            .find(|d| d.lang == Lang::En && d.member.is_some())
            .unwrap()
            .context;
        let wf = PdfWords::new(&words, Lang::En, fin.stage);
        let show = show_rule("document", cf, &wf, None, "T", "overview", &[]);
        assert!(show.contains("draft: false,"), "{show}");
        assert!(super::source::cover(cf, &wf).contains("[Final]"));
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
            let found = Typst::find_in(Some(&t), None, None, Some(&cache)).unwrap();
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
        assert!(
            format!("{e:#}").contains("did not finish within 0.3 seconds"),
            "{e}"
        );
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
        assert_eq!(docs.len(), 7);
        let mut out = Output::new(dir.path().join("out"));
        let r = write_pdfs(&typst, &template(), &docs, &settings(true), &mut out).unwrap();
        assert_eq!(r.compiled, 7);
        // Two bundles and the packet, then the six documents one by one.
        assert_eq!(r.processes, 3 + 6, "{r:?}");
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
        assert_eq!((first.compiled, first.cached), (6, 0));
        let second = write_pdfs(&typst, &template(), &docs, &s, &mut out).unwrap();
        assert_eq!(
            (second.compiled, second.cached, second.processes),
            (0, 6, 0)
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
        assert_eq!((third.compiled, third.cached), (1, 5));
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
