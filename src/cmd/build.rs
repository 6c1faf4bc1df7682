//! `build [FILE]`: validate, then render the documents in the SPEC §5 layout. `serve`
//! builds through [`run`] too.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use anyhow::Context as _;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::{Failure, Ui, find_input, load_checked_with};
use crate::arrangement::{Arrangement, Lang, Member};
use crate::cli::{BuildArgs, Format, PdfStandard};
use crate::diagnostic::nearest;
use crate::documents::{self, Document};
use crate::output::{Output, Written, sha256_hex};
use crate::register::CertRow;
use crate::render::markdown::{self, Plan};
use crate::render::pdf::{self, Typst};
use crate::render::site::Site;
use crate::templates::TemplateSet;
use crate::view::{Builder, Context};
use crate::words::Words;
use crate::{Exit, Io, renewals};

/// Runs `build`.
pub fn run(args: &BuildArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let file = find_input(args.file.as_deref())?;
    let options = crate::check::Options {
        final_mode: args.final_mode,
        langs: args.lang.clone(),
    };
    let checked = load_checked_with(&file, options, io, ui)?;
    let a = &checked.arrangement;
    let members = select_members(a, &args.members)?;
    // PDF: `formats` also finds the typst program (src/render/pdf.rs).
    let (formats, typst) = formats(args, io, ui)?;
    let out_dir = args.out_dir();
    crate::output::check_root(out_dir, &file).map_err(|e| Failure::Usage(anyhow::anyhow!(e)))?;
    let templates = match &args.templates {
        Some(dir) => TemplateSet::with_overrides(dir).map_err(Failure::Render)?,
        None => TemplateSet::builtin(),
    };
    let words = Arc::new(Words::from_templates(&templates).map_err(Failure::Render)?);
    let plan = Plan::new(a, members, &args.lang, formats, args.public, words);
    // The template engines first, so that a broken template is found before anything is
    // written, the lock file included.
    let engines = markdown::Engines::new(&plan, &templates);
    engines
        .prepare(&plan.site_langs())
        .map_err(Failure::Render)?;
    let site = plan
        .formats
        .contains(&Format::Html)
        .then(|| Site::new(&plan, &templates));
    if let Some(site) = &site {
        site.prepare().map_err(Failure::Render)?;
    }
    let mut out = Output::new(out_dir);
    let _lock = out.lock().map_err(Failure::Render)?;
    let mut pdf_report = None;
    let mut counts = Counts::default();
    let result = (|| -> anyhow::Result<()> {
        let jobs = write_documents(
            args,
            &plan,
            &templates,
            &engines,
            site.as_ref(),
            &mut out,
            &mut counts,
        )?;
        // PDFs through the typst program (src/render/pdf.rs).
        if let Some(typst) = &typst {
            pdf_report = Some(write_pdfs(
                args, ui, a.date, &jobs, &templates, typst, &mut out,
            )?);
        }
        let ics = renewals::calendar(
            a,
            &plan.register,
            &plan.words,
            a.language,
            renewals::stamp_of(a.date),
        );
        out.write("renewals.ics", ics.as_bytes())
            .context("cannot write the renewal calendar")?;
        Ok(())
    })();
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // What the previous build wrote and this one did not is removed, only after a build
    // that went through; after a failed one the manifest still lists those files.
    let stale = match &result {
        Ok(()) => out.remove_stale().map(Some),
        Err(_) => {
            if !out.is_empty() {
                out.keep_previous();
            }
            Ok(None)
        }
    };
    // A build that failed before writing anything leaves no manifest either.
    let manifest = if result.is_err() && out.is_empty() {
        Ok(())
    } else {
        out.write_manifest(&name, &sha256_hex(checked.source.as_bytes()))
    };
    let stale = result
        .and(stale)
        .and_then(|s| manifest.map(|()| s))
        .map_err(Failure::Render)?;
    if let Some(r) = pdf_report {
        for w in &r.warnings {
            ui.notice(io, w);
        }
        ui.notice(
            io,
            format!(
                "PDF: {} compiled by typst in {} processes, {} from the cache",
                r.compiled, r.processes, r.cached
            ),
        );
    }
    if let Some(stale) = stale {
        if stale.removed > 0 {
            ui.notice(
                io,
                format!(
                    "removed {} files that the previous build wrote and this one did not",
                    stale.removed
                ),
            );
        }
        for kept in &stale.kept {
            ui.notice(
                io,
                format!("kept `{kept}`: the previous build wrote it, but it was changed since"),
            );
        }
    }
    ui.notice(
        io,
        format!(
            "built {} documents into `{}` ({} files written or changed){}",
            counts.rendered + counts.kept,
            out_dir.display(),
            out.changed(),
            if counts.kept > 0 {
                format!(
                    "; {} of them unchanged since the last build, not rendered again",
                    counts.kept
                )
            } else {
                String::new()
            }
        ),
    );
    Ok(Exit::Success)
}

/// How many documents a build rendered, and how many it kept from the build before.
#[derive(Debug, Default)]
struct Counts {
    rendered: usize,
    kept: usize,
}

/// What a build's output depends on besides the views: the tool's version, the
/// templates (the word catalogue among them), the formats and options, the site's
/// languages and the facts every page shows. A part of the output whose views and this
/// key are unchanged since the last build is not rendered again.
fn build_key(args: &BuildArgs, plan: &Plan<'_>, templates: &TemplateSet, facts: &str) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for (name, _) in templates.list() {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(templates.get(name).unwrap_or_default().as_bytes());
        h.update([0]);
    }
    let formats: Vec<String> = plan.formats.iter().map(|f| format!("{f:?}")).collect();
    let langs: Vec<&str> = plan.site_langs().iter().map(|l| l.code()).collect();
    let packet: Vec<&str> = plan.packet_langs.iter().map(|l| l.code()).collect();
    h.update(
        format!(
            "{formats:?} {langs:?} {packet:?} {} {} {:?} {:?} {} {facts}",
            plan.public,
            plan.language.code(),
            args.pdf_standard,
            args.creation_timestamp,
            args.pdf_bundle,
        )
        .as_bytes(),
    );
    hex::encode(h.finalize())
}

/// The key of one part of the build: the build's key and the views it is made from.
fn unit_key(build: &str, parts: &[&str], views: &[&Context]) -> anyhow::Result<String> {
    let mut h = Sha256::new();
    h.update(build.as_bytes());
    for p in parts {
        h.update([0]);
        h.update(p.as_bytes());
    }
    for v in views {
        h.update([0]);
        serde_json::to_writer(HashWriter(&mut h), v)
            .context("cannot serialise a document's view")?;
    }
    Ok(hex::encode(h.finalize()))
}

/// Feeds serialised bytes straight into a hash.
struct HashWriter<'h>(&'h mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What writing one part of the build gave.
enum Part {
    /// Unchanged since the last build: its files, as they are.
    Kept(Vec<Written>, usize),
    /// Rendered and written: its files and its PDFs to make.
    Done(Vec<Written>, Vec<pdf::Job>, usize),
}

/// Renders and writes every document in Markdown and HTML (the site), part by part: the
/// packet documents and pages of each language, then each member in each of its
/// languages, the members in parallel, each written as soon as it is rendered so that no
/// more than a few members' documents are in memory at once. A part whose key is the one
/// the last build recorded, with its files still there, is skipped. Returns the PDFs to
/// make.
#[allow(clippy::too_many_arguments)]
fn write_documents(
    args: &BuildArgs,
    plan: &Plan<'_>,
    templates: &TemplateSet,
    engines: &markdown::Engines<'_>,
    site: Option<&Site<'_>>,
    out: &mut Output,
    counts: &mut Counts,
) -> anyhow::Result<Vec<pdf::Job>> {
    let formats = &plan.formats;
    let members: Vec<&Member> = plan.built_members().collect();
    fn builder<'b>(plan: &Plan<'b>, lang: Lang, register: &'b [CertRow]) -> Builder<'b> {
        Builder {
            arrangement: plan.arrangement,
            lang,
            public: plan.public,
            register,
        }
    }
    // The packet documents' view, per language: one for all of them, which differ in it
    // only by the document's id (and list every member, so it is the largest view).
    let packet_docs: Vec<&'static Document> = documents::packet_documents().collect();
    let packets: BTreeMap<Lang, Context> = plan
        .packet_langs
        .iter()
        .map(|&lang| {
            let b = builder(plan, lang, &plan.register);
            (lang, b.packet_context(documents::OVERVIEW.id, &members))
        })
        .collect();
    let overviews: BTreeMap<Lang, Arc<Context>> = packets
        .iter()
        .map(|(&l, c)| (l, Arc::new(c.clone())))
        .collect();
    let facts: Vec<(&str, &str, &str, bool)> = overviews
        .iter()
        .map(|(l, c)| (l.code(), c.owner.name.as_str(), c.date.as_str(), c.draft))
        .collect();
    let key = build_key(args, plan, templates, &format!("{facts:?}"));
    if let Some(site) = site {
        site.set_packets(overviews);
        site.write_root(out)?;
    }
    let mut jobs = Vec::new();
    let mut take = |part: Part, out: &mut Output, jobs: &mut Vec<pdf::Job>| match part {
        Part::Kept(files, n) => {
            counts.kept += n;
            files.into_iter().for_each(|w| out.note(w));
        }
        Part::Done(files, more, n) => {
            counts.rendered += n;
            files.into_iter().for_each(|w| out.note(w));
            jobs.extend(more);
        }
    };
    // The packet's documents and pages, per language.
    for (lang, view) in packets {
        let unit = format!("{}/packet", lang.code());
        let ids: Vec<&str> = packet_docs.iter().map(|d| d.id).collect();
        let k = unit_key(&key, &[&unit, &ids.join(",")], &[&view])?;
        let code = lang.code();
        let mine = |p: &str| {
            p.strip_prefix(code)
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|r| r == "members/index.html" || !r.starts_with("members/"))
        };
        let kept = (out.unit_key(&unit) == Some(k.as_str()))
            .then(|| out.previous_matching(mine))
            .flatten();
        let part = match kept {
            Some(files) => Part::Kept(files, packet_docs.len()),
            None => {
                let rendered = engines.render_all(&packet_docs, lang, None, view)?;
                let mut files = write_rendered(&rendered, plan, site, out)?;
                if let Some(site) = site {
                    files.extend(site.write_lang(lang, out)?);
                }
                let pdfs = pdf_jobs(formats, &rendered, &plan.words);
                Part::Done(files, pdfs, rendered.len())
            }
        };
        out.set_unit_key(&unit, k);
        take(part, out, &mut jobs);
    }
    // The members, in parallel; each member's documents in each of its languages.
    let units: Vec<(&Member, Lang)> = plan
        .members
        .iter()
        .flat_map(|(m, langs)| langs.iter().map(move |&l| (*m, l)))
        .collect();
    let shared: &Output = out;
    let parts: Vec<anyhow::Result<Option<(String, String, Part)>>> = units
        .par_iter()
        .map(|&(m, lang)| {
            let register = plan.register_for(&m.id);
            let b = builder(plan, lang, &register);
            // A member's documents differ in their view only by the document's id: the view
            // is made, hashed and handed to the template engine once for all of them.
            let docs: Vec<&'static Document> = documents::member_documents().collect();
            let Some(first) = docs.first() else {
                return Ok(None);
            };
            let view = b.member_context(first.id, m);
            let unit = format!("{}/members/{}", lang.code(), m.id);
            let langs: Vec<&str> = plan.langs_of(&m.id).iter().map(|l| l.code()).collect();
            let langs = langs.join(",");
            let ids: Vec<&str> = docs.iter().map(|d| d.id).collect();
            let ids = ids.join(",");
            let k = unit_key(&key, &[&unit, &langs, &ids], &[&view])?;
            if shared.unit_key(&unit) == Some(k.as_str())
                && let Some(files) = shared.previous_under(&format!("{unit}/"))
            {
                return Ok(Some((unit, k, Part::Kept(files, docs.len()))));
            }
            let rendered = engines.render_all(&docs, lang, Some(&m.id), view)?;
            let files = write_rendered(&rendered, plan, site, shared)?;
            let pdfs = pdf_jobs(formats, &rendered, &plan.words);
            Ok(Some((unit, k, Part::Done(files, pdfs, rendered.len()))))
        })
        .collect();
    for part in parts {
        let Some((unit, k, part)) = part? else {
            continue;
        };
        out.set_unit_key(&unit, k);
        take(part, out, &mut jobs);
    }
    Ok(jobs)
}

/// Writes rendered documents as Markdown and as HTML pages (when those are built).
fn write_rendered(
    docs: &[markdown::Rendered],
    plan: &Plan<'_>,
    site: Option<&Site<'_>>,
    out: &Output,
) -> anyhow::Result<Vec<Written>> {
    let formats = &plan.formats;
    let mut files = Vec::new();
    for d in docs {
        if formats.contains(&Format::Md) {
            files.push(
                out.put(&format!("{}.md", d.stem), d.markdown.as_bytes())
                    .with_context(|| format!("cannot write the document `{}`", d.stem))?,
            );
        }
        if let Some(site) = site {
            files.push(site.write_document(d, out)?);
        }
        if formats.contains(&Format::Docx) {
            let rel = format!("{}.docx", d.stem);
            let bytes = docx_of(d, &plan.words, plan.arrangement.date)?;
            files.push(
                out.put(&rel, &bytes)
                    .with_context(|| format!("cannot write the Word document `{rel}`"))?,
            );
        }
    }
    Ok(files)
}

/// The PDFs of rendered documents (and of a member's packet), when PDFs are built.
fn pdf_jobs(
    formats: &BTreeSet<Format>,
    docs: &[markdown::Rendered],
    words: &Words,
) -> Vec<pdf::Job> {
    if formats.contains(&Format::Pdf) {
        pdf::jobs(docs, words)
    } else {
        Vec::new()
    }
}

/// The formats to write, and the typst program when PDFs are among them. By default md,
/// html, and pdf when typst is found (else a notice says that PDFs were skipped); PDFs asked
/// for, or a `--typst` program named, without a typst program that runs are an error
/// (exit 3), and so are PDF standards that cannot be combined (exit 2), both before
/// anything is written.
fn formats(
    args: &BuildArgs,
    io: &mut Io<'_>,
    ui: &Ui,
) -> Result<(BTreeSet<Format>, Option<Typst>), Failure> {
    let explicit = !args.format.is_empty();
    let mut formats: BTreeSet<Format> = if explicit {
        args.format.iter().copied().collect()
    } else {
        [Format::Md, Format::Html, Format::Pdf]
            .into_iter()
            .collect()
    };
    if !formats.contains(&Format::Pdf) {
        return Ok((formats, None));
    }
    pdf_standard(&args.pdf_standard).map_err(Failure::Usage)?;
    match Typst::find_in(
        args.typst.as_deref(),
        None,
        std::env::var_os("PATH"),
        pdf_cache(args).as_deref(),
    ) {
        Ok(typst) => {
            if let Some(w) = typst.version_warning() {
                ui.notice(io, w);
            }
            Ok((formats, Some(typst)))
        }
        Err(missing) if explicit || args.typst.is_some() => Err(Failure::Render(missing.error())),
        Err(missing) => {
            ui.notice(io, missing.notice());
            formats.remove(&Format::Pdf);
            Ok((formats, None))
        }
    }
}

/// The `--pdf-standard` value for typst: the standards, comma-separated. As typst has it,
/// at most one PDF version, one PDF/A part and one PDF/UA part may be named, and they must
/// have a PDF version in common (PDF/A-1: 1.4; PDF/A-2, A-3 and UA-1: 1.4–1.7; PDF/A-4: 2.0).
pub fn pdf_standard(standards: &[PdfStandard]) -> anyhow::Result<String> {
    let mut chosen: Vec<PdfStandard> = Vec::new();
    for &s in standards {
        if chosen.contains(&s) {
            continue;
        }
        if let Some(other) = chosen.iter().find(|c| c.kind() == s.kind()) {
            anyhow::bail!(
                "`--pdf-standard` names `{}` and `{}`, but a PDF conforms to at most one {}",
                other.code(),
                s.code(),
                s.kind()
            );
        }
        let (low, high) = chosen.iter().fold(s.versions(), |(l, h), c| {
            (l.max(c.versions().0), h.min(c.versions().1))
        });
        if low > high {
            let names: Vec<String> = chosen.iter().map(|c| format!("`{}`", c.code())).collect();
            anyhow::bail!(
                "`--pdf-standard` names `{}` with {}: they have no PDF version in common",
                s.code(),
                names.join(" and ")
            );
        }
        chosen.push(s);
    }
    Ok(chosen
        .iter()
        .map(|s| s.code())
        .collect::<Vec<_>>()
        .join(","))
}

/// Writes the PDF of every document and each member's packet (src/render/pdf.rs), with a
/// progress bar on a terminal.
#[allow(clippy::too_many_arguments)]
fn write_pdfs(
    args: &BuildArgs,
    ui: &Ui,
    date: jiff::civil::Date,
    jobs: &[pdf::Job],
    templates: &TemplateSet,
    typst: &Typst,
    out: &mut Output,
) -> anyhow::Result<pdf::Report> {
    let template = templates
        .get(pdf::TEMPLATE)
        .with_context(|| format!("the template `{}` is missing", pdf::TEMPLATE))?;
    let settings = pdf::Settings {
        standard: pdf_standard(&args.pdf_standard)?,
        timestamp: pdf::creation_timestamp(date, args.creation_timestamp.map(i64::from))?,
        jobs: args.jobs.filter(|&j| j > 0).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        }),
        cache: pdf_cache(args),
        bundle: args.pdf_bundle,
        // `XROAD_SHARE_PDF_TIMEOUT` (seconds, 1–3600) replaces the default, for slow machines
        // and for tests.
        timeout: std::env::var("XROAD_SHARE_PDF_TIMEOUT")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|s| (1..=3600).contains(s))
            .map_or(pdf::TIMEOUT, std::time::Duration::from_secs),
    };
    if ui.progress {
        pdf::write_pdfs_with(typst, template, jobs, &settings, out, &Bar::new())
    } else {
        pdf::write_pdfs(typst, template, jobs, &settings, out)
    }
}

/// A document as Word, from the same Markdown and view as its PDF.
fn docx_of(
    d: &markdown::Rendered,
    words: &Words,
    date: jiff::civil::Date,
) -> anyhow::Result<Vec<u8>> {
    use crate::render::docx::{Meta, markdown_to_docx, word_language};
    use crate::render::typst::{WIDE_TABLE, widest_table};
    let c = &d.context;
    let draft = words.word(d.lang, "draft-mark");
    let mut keywords = vec!["X-Road".to_owned(), d.doc.id.to_owned()];
    if let Some(m) = &c.member {
        keywords.push(m.org.name.clone());
    }
    let meta = Meta {
        title: &d.title,
        author: &c.owner.name,
        lang: word_language(d.lang.code()),
        date,
        date_text: &c.date,
        draft: c.draft.then_some(draft.as_str()),
        keywords: &keywords,
        landscape: widest_table(&d.markdown) >= WIDE_TABLE,
    };
    markdown_to_docx(&d.markdown, &meta)
        .with_context(|| format!("cannot make the Word document `{}`", d.stem))
}

/// A progress bar of the PDF compiles on standard error (only drawn on a terminal).
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new() -> Bar {
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "PDF {bar:30} {pos}/{len} compiled ({elapsed})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Bar(bar)
    }
}

impl pdf::Progress for Bar {
    fn start(&self, total: usize) {
        if total > 0 {
            self.0.set_length(total as u64);
            self.0
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
    fn advance(&self, n: usize) {
        self.0.inc(n as u64);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The PDF cache folder: `--pdf-cache` (`$XROAD_SHARE_CACHE`), else the user's cache folder.
fn pdf_cache(args: &BuildArgs) -> Option<std::path::PathBuf> {
    pdf::cache_dir(
        args.pdf_cache.as_deref(),
        std::env::var_os("XDG_CACHE_HOME"),
        std::env::var_os("HOME"),
    )
}

fn select_members<'a>(a: &'a Arrangement, ids: &[String]) -> Result<Vec<&'a Member>, Failure> {
    if ids.is_empty() {
        return Ok(a.members.iter().collect());
    }
    let mut out = Vec::new();
    for id in ids {
        match a.member(id) {
            Some(m) if !out.iter().any(|x: &&Member| x.id == m.id) => out.push(m),
            Some(_) => {}
            None => {
                let known: Vec<&str> = a.members.iter().map(|m| m.id.as_str()).collect();
                let hint = match nearest(id, known.iter().copied()) {
                    Some(n) => format!("; did you mean `{n}`?"),
                    None => format!("; members: {}", known.join(", ")),
                };
                return Err(Failure::Usage(anyhow::anyhow!(
                    "no member with the id `{id}`{hint}"
                )));
            }
        }
    }
    // Keep the input's order.
    out.sort_by_key(|m| a.members.iter().position(|x| x.id == m.id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PdfStandard::*;

    #[test]
    fn pdf_standards_that_typst_can_combine() {
        assert_eq!(pdf_standard(&[A2b]).unwrap(), "a-2b");
        assert_eq!(pdf_standard(&[A2a, Ua1]).unwrap(), "a-2a,ua-1");
        assert_eq!(pdf_standard(&[V1_7, A3b, A3b]).unwrap(), "1.7,a-3b");
        assert_eq!(pdf_standard(&[V2_0, A4f]).unwrap(), "2.0,a-4f");
        assert_eq!(pdf_standard(&[A1a, Ua1]).unwrap(), "a-1a,ua-1");
        assert!(pdf_standard(&[A2b, A2u]).is_err());
        assert!(pdf_standard(&[V1_7, V2_0]).is_err());
        assert!(pdf_standard(&[A4, Ua1]).is_err());
        assert!(pdf_standard(&[V1_7, A1b]).is_err());
    }
}
