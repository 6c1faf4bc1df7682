//! The command line, as clap derive types. The help text of each option is its doc comment.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::arrangement::Lang;

/// Turns one TOML file that describes a shared X-Road security server into the sharing
/// agreement, the authorisation record, permit application field sheets, checklists, a
/// certificate register and an overview, as Markdown, HTML and PDF in Finnish, Swedish and English.
#[derive(Debug, Parser)]
#[command(name = "xroad-share", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a commented starter `sharing.toml` (never overwrites a file).
    Init(InitArgs),
    /// Parse and validate an input file, print every diagnostic, write nothing.
    Check(CheckArgs),
    /// Validate, then render the documents.
    Build(BuildArgs),
    /// Show each member's phases, done or open, and the next step.
    Status(StatusArgs),
    /// List certificates that expire soon and write a renewal calendar.
    Renewals(RenewalsArgs),
    /// Print the JSON Schema of the input file.
    Schema,
    /// List the built-in templates, or copy them out for customisation.
    Templates(TemplatesArgs),
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write `sharing.toml` in.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The input file.
    pub file: PathBuf,
    /// Check as for final documents: placeholders are errors.
    #[arg(long = "final")]
    pub final_mode: bool,
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The input file.
    pub file: PathBuf,
    /// The output folder.
    #[arg(long, short, default_value = "output")]
    pub out: PathBuf,
    /// Formats to write, comma-separated: md, html, pdf [default: md,html and pdf when typst is found].
    #[arg(long, value_delimiter = ',', value_enum)]
    pub format: Vec<Format>,
    /// Languages, comma-separated: fi, sv, en [default: each member's language, else the packet's].
    #[arg(long, value_delimiter = ',', value_enum)]
    pub lang: Vec<Lang>,
    /// Build only these members (by id); may be repeated.
    #[arg(long = "member", value_name = "ID")]
    pub members: Vec<String>,
    /// A folder of templates that override the built-in ones, file by file.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Final documents: no DRAFT marking, and placeholders are errors.
    #[arg(long = "final")]
    pub final_mode: bool,
    /// A site fit for the open web: contact names, personal e-mail addresses and phone numbers left out.
    #[arg(long)]
    pub public: bool,
    /// The typst program [default: $TYPST, else `typst` on PATH].
    #[arg(long, value_name = "PATH")]
    pub typst: Option<PathBuf>,
    /// The PDF standard passed to typst.
    #[arg(
        long,
        value_delimiter = ',',
        value_enum,
        default_value = "a-2b",
        value_name = "STANDARD",
        hide_possible_values = true
    )]
    pub pdf_standard: Vec<PdfStandard>,
    /// How many typst processes to run at once [default: the number of cores].
    #[arg(long, short)]
    pub jobs: Option<usize>,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// Markdown.
    Md,
    /// HTML pages and a static site.
    Html,
    /// PDF through the typst CLI.
    Pdf,
}

crate::codes! {
    /// A PDF standard that typst 0.15 can enforce, with its code on typst's command line.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum PdfStandard {
        /// PDF 1.4.
        V1_4 = "1.4",
        /// PDF 1.5.
        V1_5 = "1.5",
        /// PDF 1.6.
        V1_6 = "1.6",
        /// PDF 1.7.
        V1_7 = "1.7",
        /// PDF 2.0.
        V2_0 = "2.0",
        /// PDF/A-1b.
        A1b = "a-1b",
        /// PDF/A-1a.
        A1a = "a-1a",
        /// PDF/A-2b.
        A2b = "a-2b",
        /// PDF/A-2u.
        A2u = "a-2u",
        /// PDF/A-2a.
        A2a = "a-2a",
        /// PDF/A-3b.
        A3b = "a-3b",
        /// PDF/A-3u.
        A3u = "a-3u",
        /// PDF/A-3a.
        A3a = "a-3a",
        /// PDF/A-4.
        A4 = "a-4",
        /// PDF/A-4f.
        A4f = "a-4f",
        /// PDF/A-4e.
        A4e = "a-4e",
        /// PDF/UA-1.
        Ua1 = "ua-1",
    }
}

crate::value_enum!(PdfStandard);

impl PdfStandard {
    /// The standards as typst's `--pdf-standard` takes them: codes joined by commas, e.g.
    /// `a-2a,ua-1`.
    pub fn argument(standards: &[PdfStandard]) -> String {
        standards
            .iter()
            .map(|s| s.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Arguments of `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The input file.
    pub file: PathBuf,
    /// The day to judge certificate status on [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,
}

/// Arguments of `renewals`.
#[derive(Debug, Args)]
pub struct RenewalsArgs {
    /// The input file.
    pub file: PathBuf,
    /// List certificates that expire within this many days.
    #[arg(long, default_value_t = 60, value_name = "DAYS")]
    pub within: u32,
    /// Write an iCalendar file with every renewal date.
    #[arg(long, value_name = "PATH")]
    pub ics: Option<PathBuf>,
    /// The day to count from [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,
    /// Exit with code 4 when a certificate expires within this many days (for cron jobs and monitors).
    #[arg(long, value_name = "DAYS")]
    pub fail_within: Option<u32>,
}

/// Arguments of `templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// Copy the built-in templates into this folder (existing files are kept).
    #[arg(long, value_name = "DIR")]
    pub eject: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build_args(extra: &[&str]) -> BuildArgs {
        let args = ["xroad-share", "build", "x.toml"].iter().chain(extra);
        match Cli::try_parse_from(args).unwrap().command {
            Command::Build(b) => b,
            other => panic!("{other:?}"),
        }
    }

    /// `--pdf-standard` takes typst's codes, comma-separated, and defaults to PDF/A-2b.
    #[test]
    fn pdf_standards_are_comma_separated_codes() {
        assert_eq!(PdfStandard::argument(&build_args(&[]).pdf_standard), "a-2b");
        let b = build_args(&["--pdf-standard", "a-2a,ua-1"]);
        assert_eq!(b.pdf_standard, [PdfStandard::A2a, PdfStandard::Ua1]);
        assert_eq!(PdfStandard::argument(&b.pdf_standard), "a-2a,ua-1");
        let args = ["xroad-share", "build", "x.toml", "--pdf-standard", "a-2x"];
        assert!(Cli::try_parse_from(args).is_err());
    }

    /// `--lang` takes the languages' codes.
    #[test]
    fn languages_are_codes() {
        assert_eq!(build_args(&["--lang", "sv,en"]).lang, [Lang::Sv, Lang::En]);
    }
}
