//! `build [FILE]`: validate, then render the documents in the SPEC §5 layout. `serve`
//! builds through [`run`] too.

use std::collections::BTreeSet;

use std::sync::Arc;

use anyhow::Context as _;

use super::{Failure, Ui, find_input, load_checked_with};
use crate::arrangement::{Arrangement, Member};
use crate::cli::{BuildArgs, Format, PdfStandard};
use crate::diagnostic::nearest;
use crate::output::{Output, sha256_hex};
use crate::render::markdown::{self, Plan};
use crate::render::pdf::{self, Typst};
use crate::templates::TemplateSet;
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
    let formats = &plan.formats;
    let docs = markdown::render(&plan, &templates).map_err(Failure::Render)?;
    let mut out = Output::new(out_dir);
    let _lock = out.lock().map_err(Failure::Render)?;
    let mut pdf_report = None;
    let result = (|| -> anyhow::Result<()> {
        if formats.contains(&Format::Md) {
            for d in &docs {
                out.write(&format!("{}.md", d.stem), d.markdown.as_bytes())
                    .with_context(|| format!("cannot write the document `{}`", d.stem))?;
            }
        }
        // HTML pages and the site (src/render/site.rs).
        if formats.contains(&Format::Html) {
            let input = crate::render::site::SiteInput {
                docs: &docs,
                plan: &plan,
                templates: &templates,
            };
            crate::render::site::write_site(&input, &mut out)?;
        }
        // PDFs through the typst program (src/render/pdf.rs).
        if formats.contains(&Format::Docx) {
            write_docx(&docs, &plan.words, a.date, &mut out)?;
        }
        if let Some(typst) = &typst {
            pdf_report = Some(write_pdfs(
                args,
                ui,
                a.date,
                &docs,
                &templates,
                &plan.words,
                typst,
                &mut out,
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
    if result.is_err() {
        out.keep_previous();
    }
    let manifest = out.write_manifest(&name, &sha256_hex(checked.source.as_bytes()));
    result.and(manifest).map_err(Failure::Render)?;
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
    ui.notice(
        io,
        format!(
            "built {} documents into `{}` ({} files written or changed)",
            docs.len(),
            out_dir.display(),
            out.changed()
        ),
    );
    Ok(Exit::Success)
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
    docs: &[markdown::Rendered],
    templates: &TemplateSet,
    words: &Words,
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
    let jobs = pdf::jobs(docs, words);
    if ui.progress {
        pdf::write_pdfs_with(typst, template, &jobs, &settings, out, &Bar::new())
    } else {
        pdf::write_pdfs(typst, template, &jobs, &settings, out)
    }
}

/// Writes every document as Word, from the same Markdown and view as its PDF.
fn write_docx(
    docs: &[markdown::Rendered],
    words: &Words,
    date: jiff::civil::Date,
    out: &mut Output,
) -> anyhow::Result<()> {
    use crate::render::docx::{Meta, markdown_to_docx, word_language};
    use crate::render::typst::{WIDE_TABLE, widest_table};
    use rayon::prelude::*;
    let files: Vec<(String, Vec<u8>)> = docs
        .par_iter()
        .map(|d| {
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
            let bytes = markdown_to_docx(&d.markdown, &meta)
                .with_context(|| format!("cannot make the Word document `{}`", d.stem))?;
            Ok((format!("{}.docx", d.stem), bytes))
        })
        .collect::<anyhow::Result<_>>()?;
    for (rel, bytes) in files {
        out.write(&rel, &bytes)
            .with_context(|| format!("cannot write the Word document `{rel}`"))?;
    }
    Ok(())
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
