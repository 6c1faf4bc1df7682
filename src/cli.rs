//! The command line, as clap derive types. The help text of each option is its doc comment.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Compare the file with the owner's security servers; `--write` records what they prove.
    ///
    /// Reads every `[[servers]]` entry with `api_url` through the security server's management
    /// REST API (`GET /clients`, `/tokens` and `/system/certificate`), with the API key from
    /// the environment variable that `api_key_env` names. Exit code 3 when a server could not
    /// be read; the others are still read.
    Sync(SyncArgs),
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
    pub lang: Vec<LangArg>,
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
    #[arg(long, default_value = "a-2b", value_name = "STANDARD")]
    pub pdf_standard: String,
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

/// A document language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum LangArg {
    /// Finnish.
    Fi,
    /// Swedish.
    Sv,
    /// English.
    En,
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

/// Arguments of `sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The input file.
    pub file: PathBuf,
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
