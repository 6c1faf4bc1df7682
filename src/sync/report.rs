//! The `sync` report: per server, the drift table and what the server proves, as terminal
//! tables or as JSON.

use serde::{Serialize, Serializer};

use super::drift::{Findings, ProvenExpiry, ProvenPhase};
use crate::term::Table;
use crate::xroad::Instance;

/// What became of something the server proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Not in the file; `--write` would record it.
    Proposed,
    /// Recorded in the file by this run.
    Recorded,
    /// The file already has a date for this phase, which is kept.
    AlreadyRecorded,
    /// The file already says the same.
    Same,
    /// The file's entry reads a certificate file, whose expiry wins; replace the file.
    CertificateFile,
}

impl State {
    fn describe(self) -> &'static str {
        match self {
            State::Proposed => "proposed",
            State::Recorded => "recorded",
            State::AlreadyRecorded => "already recorded",
            State::Same => "same in the file",
            State::CertificateFile => "replace the certificate file",
        }
    }
}

/// A proven phase with the date it has or would get.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseRow {
    /// The phase.
    #[serde(flatten)]
    pub proven: ProvenPhase,
    /// The date in the file, or the date recorded or proposed.
    #[serde(serialize_with = "date")]
    pub date: jiff::civil::Date,
    /// What became of it.
    pub state: State,
}

/// A certificate expiry with what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct ExpiryRow {
    /// The expiry.
    #[serde(flatten)]
    pub proven: ProvenExpiry,
    /// What became of it.
    pub state: State,
}

/// The outcome for one server.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    /// Read and compared.
    Synced {
        /// Differences between the file and the server.
        drift: Vec<super::drift::Drift>,
        /// Phases the server proves.
        progress: Vec<PhaseRow>,
        /// Certificate expiries the server shows.
        certificates: Vec<ExpiryRow>,
    },
    /// Could not be read.
    Failed {
        /// A stable name of the failure, e.g. `unauthorized`.
        error: &'static str,
        /// What went wrong.
        message: String,
        /// What to check.
        help: String,
    },
}

/// One server's part of the report.
#[derive(Debug, Clone, Serialize)]
pub struct ServerReport {
    /// The server's instance.
    pub instance: Instance,
    /// The security server code.
    pub code: String,
    /// The API's base URL.
    pub api_url: String,
    /// Read and compared, or failed.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The day the dates are recorded for.
    #[serde(serialize_with = "date")]
    pub today: jiff::civil::Date,
    /// Whether `--write` was given.
    pub write: bool,
    /// Per server, in the file's order.
    pub servers: Vec<ServerReport>,
}

impl Outcome {
    /// The rows of a server's findings; `written` says whether the file got them.
    pub fn synced(findings: Findings, today: jiff::civil::Date, written: bool) -> Outcome {
        let new = if written {
            State::Recorded
        } else {
            State::Proposed
        };
        Outcome::Synced {
            drift: findings.drift,
            progress: findings
                .progress
                .into_iter()
                .map(|p| PhaseRow {
                    date: p.recorded.unwrap_or(today),
                    state: if p.recorded.is_some() {
                        State::AlreadyRecorded
                    } else {
                        new
                    },
                    proven: p,
                })
                .collect(),
            certificates: findings
                .certificates
                .into_iter()
                .map(|c| ExpiryRow {
                    state: if c.certificate_file.is_some() && c.file != Some(c.expires) {
                        State::CertificateFile
                    } else if c.to_write() {
                        new
                    } else {
                        State::Same
                    },
                    proven: c,
                })
                .collect(),
        }
    }
}

impl Report {
    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The report as tables that fit `width` columns.
    pub fn to_text(&self, width: usize) -> String {
        let mut out = String::new();
        for s in &self.servers {
            out.push_str(&format!(
                "Server `{}` ({}) at {}",
                s.code, s.instance, s.api_url
            ));
            match &s.outcome {
                Outcome::Failed { message, .. } => {
                    out.push_str(&format!(": not read: {message}\n\n"));
                }
                Outcome::Synced {
                    drift,
                    progress,
                    certificates,
                } => {
                    out.push_str(":\n");
                    if drift.is_empty() {
                        out.push_str("No drift: the server matches the file.\n");
                    } else {
                        out.push_str("Drift between the file and the server:\n");
                        let mut t = Table::new(&["difference", "identifier", "file", "server"]);
                        for d in drift {
                            t.row(vec![
                                d.kind.describe().to_string(),
                                d.identifier.clone(),
                                d.file.clone().unwrap_or_else(|| "—".into()),
                                d.server.clone().unwrap_or_else(|| "—".into()),
                            ]);
                        }
                        out.push_str(&t.render(width));
                    }
                    out.push('\n');
                    let heading = if self.write {
                        "What the server proves:\n"
                    } else {
                        "What the server proves (run with `--write` to record what is proposed):\n"
                    };
                    out.push_str(heading);
                    let mut t = Table::new(&[
                        "member",
                        "phase or certificate",
                        "date",
                        "state",
                        "evidence",
                    ]);
                    for p in progress {
                        t.row(vec![
                            p.proven.member.clone(),
                            p.proven.phase.clone(),
                            p.date.to_string(),
                            p.state.describe().to_string(),
                            p.proven.evidence.clone(),
                        ]);
                    }
                    for c in certificates {
                        let state = match (c.state, c.proven.file) {
                            (State::Proposed | State::Recorded, Some(old)) => {
                                format!("{} (was {old})", c.state.describe())
                            }
                            (state, _) => state.describe().to_string(),
                        };
                        t.row(vec![
                            c.proven.member.clone().unwrap_or_else(|| "—".into()),
                            format!("{} certificate expires", c.proven.kind.code()),
                            c.proven.expires.to_string(),
                            state,
                            c.proven.evidence.clone(),
                        ]);
                    }
                    out.push_str(&t.render(width));
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// Serialises a date as `YYYY-MM-DD`.
pub fn date<S: Serializer>(d: &jiff::civil::Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// Serialises an optional date as `YYYY-MM-DD` or `null`.
pub fn optional_date<S: Serializer>(
    d: &Option<jiff::civil::Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}
