//! The command line, as clap derive types. The help text of each option is its doc comment.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Options that every subcommand takes.
    #[command(flatten)]
    pub global: Global,
}

/// Options that every subcommand takes, before or after its name.
#[derive(Debug, Args)]
pub struct Global {
    /// Hide warnings and notices; errors are still shown.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Silence a warning code, e.g. `missing-permit` (may be repeated; errors cannot be allowed).
    #[arg(long, value_name = "CODE", global = true, value_parser = crate::lints::parse_allow)]
    pub allow: Vec<String>,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
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
    /// Build into a folder, serve it on 127.0.0.1 and rebuild and reload on every change.
    #[command(mut_arg("out", |a| a.help("The output folder, relative to the current folder [default: a temporary folder, removed at the end]")))]
    Serve(ServeArgs),
    /// Record that a member's phase is done, keeping the file's comments and layout.
    ///
    /// FILE is the input file (as for `check`, by default `sharing.toml` here or in the nearest
    /// parent folder), MEMBER the member's id and PHASE the phase id (`xroad-share status --all`
    /// lists them, e.g. `agreement` or `permit/FI-TEST`).
    #[command(override_usage = "xroad-share done [OPTIONS] [FILE] <MEMBER> <PHASE>")]
    Done(DoneArgs),
    /// Show each member's progress and next step.
    Status(StatusArgs),
    /// List certificates that expire soon and write a renewal calendar.
    Renewals(RenewalsArgs),
    /// Print the JSON Schema of the input file.
    Schema,
    /// List the built-in templates, or copy them out for customisation.
    Templates(TemplatesArgs),
    /// Compare the file with the owner's security servers; `--write` records what they prove.
    ///
    /// Reads every `[[servers]]` entry with `api_url` through the security server's management
    /// REST API (`GET /clients`, `/tokens` and `/system/certificate`), with the API key from
    /// the environment variable that `api_key_env` names. Exit code 3 when a server could not
    /// be read; the others are still read.
    Sync(SyncArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the manual page (roff).
    Manpage,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write `sharing.toml` in, or the file to write when it ends in `.toml`.
    #[arg(default_value = ".", value_name = "DIR|FILE")]
    pub path: PathBuf,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The input file, or a folder with a `sharing.toml` [default: `sharing.toml` here or in the nearest parent folder].
    pub file: Option<PathBuf>,
    /// Check as for final documents: placeholders are errors.
    #[arg(long = "final")]
    pub final_mode: bool,
}

/// Arguments of `build`.
#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// The input file, or a folder with a `sharing.toml` [default: `sharing.toml` here or in the nearest parent folder].
    pub file: Option<PathBuf>,
    /// The output folder, relative to the current folder [default: output].
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Formats to write, comma-separated: md, html, pdf, docx (Word) [default: md,html and pdf when typst is found].
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
    /// The typst program [default: `typst` on PATH].
    #[arg(long, value_name = "PATH", env = "TYPST", hide_env_values = true)]
    pub typst: Option<PathBuf>,
    /// The folder of cached PDFs, or `off` [default: `$XDG_CACHE_HOME/xroad-share/pdf`, else `~/.cache/xroad-share/pdf`].
    #[arg(
        long,
        value_name = "DIR",
        env = "XROAD_SHARE_CACHE",
        hide_env_values = true
    )]
    pub pdf_cache: Option<PathBuf>,
    /// Whether typst may compile many documents in one process (its experimental bundle export).
    #[arg(
        long,
        value_name = "BOOL",
        env = "XROAD_SHARE_PDF_BUNDLE",
        hide_env_values = true,
        default_value_t = true,
        action = clap::ArgAction::Set,
        value_parser = clap::builder::BoolishValueParser::new(),
        hide_default_value = true
    )]
    pub pdf_bundle: bool,
    /// The PDFs' creation date in seconds since 1970 [default: the packet date at midnight UTC].
    #[arg(
        long,
        value_name = "SECONDS",
        env = "SOURCE_DATE_EPOCH",
        hide_env_values = true
    )]
    pub creation_timestamp: Option<u32>,
    /// The PDF standards, comma-separated: archival and accessible (PDF/A-2a with PDF/UA-1) by default, e.g. `a-2b` for archival only.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "a-2a,ua-1",
        value_name = "STANDARD"
    )]
    pub pdf_standard: Vec<PdfStandard>,
    /// How many typst processes to run at once [default: the number of cores].
    #[arg(long, short)]
    pub jobs: Option<usize>,
}

impl BuildArgs {
    /// The output folder: `--out`, else `output` in the current folder.
    pub fn out_dir(&self) -> &std::path::Path {
        self.out
            .as_deref()
            .unwrap_or(std::path::Path::new("output"))
    }
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// What to build, as for `build`; the formats default to md and html.
    #[command(flatten)]
    pub build: BuildArgs,
    /// The port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 8000)]
    pub port: u16,
    /// The address to listen on; anything but a loopback address serves the documents to the network.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// Open the site in the web browser.
    #[arg(long)]
    pub open: bool,
}

/// Arguments of `done`.
#[derive(Debug, Args)]
pub struct DoneArgs {
    /// [FILE] MEMBER PHASE.
    #[arg(num_args = 2..=3, required = true, value_name = "ARG", hide = true)]
    pub args: Vec<String>,
    /// The day the phase was done [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<jiff::civil::Date>,
    /// Replace a date that is already recorded.
    #[arg(long)]
    pub force: bool,
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
    /// Word documents (`.docx`), for negotiating with tracked changes.
    Docx,
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
        /// PDF/A-1b: archivable, visual appearance.
        A1b = "a-1b",
        /// PDF/A-1a: archivable and accessible.
        A1a = "a-1a",
        /// PDF/A-2b: archivable, visual appearance (the default).
        A2b = "a-2b",
        /// PDF/A-2u: archivable, with searchable Unicode text.
        A2u = "a-2u",
        /// PDF/A-2a: archivable and accessible.
        A2a = "a-2a",
        /// PDF/A-3b: archivable, may embed files.
        A3b = "a-3b",
        /// PDF/A-3u: PDF/A-3b with searchable Unicode text.
        A3u = "a-3u",
        /// PDF/A-3a: PDF/A-3 and accessible.
        A3a = "a-3a",
        /// PDF/A-4.
        A4 = "a-4",
        /// PDF/A-4f: PDF/A-4 with embedded files.
        A4f = "a-4f",
        /// PDF/A-4e: PDF/A-4 for engineering documents.
        A4e = "a-4e",
        /// PDF/UA-1: universal accessibility.
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

    /// Which kind of standard it is: a PDF version, a PDF/A part or PDF/UA. A PDF conforms
    /// to at most one of each kind.
    pub fn kind(self) -> &'static str {
        match self.code().split_once('-') {
            None => "PDF version",
            Some(("a", _)) => "PDF/A part",
            Some(_) => "PDF/UA part",
        }
    }

    /// The PDF versions it allows, as tenths (`17` for 1.7), lowest and highest, as typst
    /// 0.15 (krilla) has them.
    pub fn versions(self) -> (u8, u8) {
        match self {
            PdfStandard::V1_4 => (14, 14),
            PdfStandard::V1_5 => (15, 15),
            PdfStandard::V1_6 => (16, 16),
            PdfStandard::V1_7 => (17, 17),
            PdfStandard::V2_0 => (20, 20),
            PdfStandard::A1b | PdfStandard::A1a => (14, 14),
            PdfStandard::A4 | PdfStandard::A4f | PdfStandard::A4e => (20, 20),
            _ => (14, 17),
        }
    }
}

/// Arguments of `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The input file, or a folder with a `sharing.toml` [default: `sharing.toml` here or in the nearest parent folder].
    pub file: Option<PathBuf>,
    /// Show only this member (by id).
    #[arg(long, value_name = "ID")]
    pub member: Option<String>,
    /// Every phase of both sides, not only the summary.
    #[arg(long)]
    pub all: bool,
    /// Machine-readable JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// The day to judge certificate status on [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,
}

/// Arguments of `renewals`.
#[derive(Debug, Args)]
pub struct RenewalsArgs {
    /// The input file, or a folder with a `sharing.toml` [default: `sharing.toml` here or in the nearest parent folder].
    pub file: Option<PathBuf>,
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
    #[arg(long, value_name = "DIR", conflicts_with = "sections")]
    pub eject: Option<PathBuf>,
    /// List the ids of the agreement's sections, the places a `[[members.clauses]]` entry may name.
    #[arg(long)]
    pub sections: bool,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The input file, or a folder with a `sharing.toml` [default: `sharing.toml` here or in the nearest parent folder].
    pub file: Option<PathBuf>,
    /// Read only this server (its security server code); may be repeated [default: every server with `api_url`].
    #[arg(long = "server", value_name = "CODE")]
    pub servers: Vec<String>,
    /// Record what the servers prove in the file: phase dates (an existing date is never
    /// overwritten) and certificate expiries; comments and layout are kept.
    #[arg(long)]
    pub write: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// The date recorded for newly proven phases [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<jiff::civil::Date>,
    /// How long to wait for each request, in seconds (connecting: at most 10).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
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

    /// `--pdf-standard` takes typst's codes, comma-separated, and defaults to PDF/A-2a with PDF/UA-1.
    #[test]
    fn pdf_standards_are_comma_separated_codes() {
        assert_eq!(
            PdfStandard::argument(&build_args(&[]).pdf_standard),
            "a-2a,ua-1"
        );
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
