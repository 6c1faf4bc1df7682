//! `sync [FILE]`: reads every server with `api_url` (or those named by `--server`), reports
//! the drift, and with `--write` records what the servers prove. The API keys are read here,
//! from the environment variables that `api_key_env` names, and passed down.

use std::path::Path;
use std::time::Duration;

use super::{Failure, Ui, find_input, load_checked, today};
use crate::cli::SyncArgs;
use crate::diagnostic::nearest;
use crate::sync::client::{self, ApiKey, Timeouts};
use crate::sync::config::{self, ApiServer};
use crate::sync::drift::{self, Findings};
use crate::sync::report::{Outcome, Report, ServerReport};
use crate::tomledit::{CertificateSlot, Editor, Overwrite};
use crate::{Exit, Io, load};

/// Runs `sync`.
pub fn run(args: &SyncArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let path = find_input(args.file.as_deref())?;
    let checked = load_checked(&path, false, io, ui)?;
    let input = load::load(&checked.source).input.ok_or(Failure::Invalid)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let (_, servers) = config::check(&input, base);
    let selected = select(&servers, &args.servers, &path)?;
    let today = args.today.unwrap_or_else(today);
    let timeouts = Timeouts {
        connect: Duration::from_secs(args.timeout.min(10)),
        request: Duration::from_secs(args.timeout),
    };

    let mut results: Vec<(&ApiServer, Result<Findings, Problem>)> = Vec::new();
    for server in selected {
        let result = api_key(server)
            .and_then(|key| client::read(server, &key, timeouts).map_err(Problem::Read))
            .map(|snapshot| drift::compare(&checked.arrangement, server.instance, &snapshot));
        if let Err(problem) = &result {
            let _ = writeln!(
                io.err,
                "error: server `{}` ({}) at {}: {}",
                server.code,
                server.instance,
                server.url,
                problem.message()
            );
            let _ = writeln!(io.err, "  help: {}", problem.help(&server.key_env));
        }
        results.push((server, result));
    }

    let plan = Plan::of(results.iter().filter_map(|(_, r)| r.as_ref().ok()));
    let written = if args.write && !plan.is_empty() {
        record(&path, &checked.source, &plan, today).map_err(Failure::Render)?
    } else {
        false
    };

    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    let report = Report {
        today,
        write: args.write,
        servers: results
            .into_iter()
            .map(|(server, result)| ServerReport {
                instance: server.instance,
                code: server.code.clone(),
                api_url: server.url.clone(),
                outcome: match result {
                    Ok(findings) => Outcome::synced(findings, today, written),
                    Err(problem) => Outcome::Failed {
                        error: problem.kind(),
                        message: problem.message(),
                        help: problem.help(&server.key_env),
                    },
                },
            })
            .collect(),
    };
    let text = if args.json {
        report.to_json()
    } else {
        crate::term::visible(&report.to_text(ui.width)).into_owned()
    };
    io.out.write_all(text.as_bytes()).map_err(|e| {
        Failure::Render(anyhow::Error::new(e).context("cannot write the sync report"))
    })?;
    if written {
        ui.notice(
            io,
            format!(
                "wrote `{}`: {} phase date(s) and {} certificate expiry date(s)",
                path.display(),
                plan.progress.len(),
                plan.expiries.len()
            ),
        );
    }
    if failed > 0 {
        let _ = writeln!(
            io.err,
            "error: {failed} of {} server(s) could not be read",
            report.servers.len()
        );
        return Ok(Exit::Render);
    }
    Ok(Exit::Success)
}

/// The servers to read: those named by `--server`, else all with `api_url`.
fn select<'a>(
    servers: &'a [ApiServer],
    wanted: &[String],
    file: &Path,
) -> Result<Vec<&'a ApiServer>, Failure> {
    if servers.is_empty() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "no server in `{}` has `api_url`: add `api_url` and `api_key_env` to the `[[servers]]` to read",
            file.display()
        )));
    }
    if wanted.is_empty() {
        return Ok(servers.iter().collect());
    }
    let codes: Vec<&str> = servers.iter().map(|s| s.code.as_str()).collect();
    let mut out = Vec::new();
    for w in wanted {
        match servers.iter().find(|s| &s.code == w) {
            Some(s) if !out.iter().any(|o: &&ApiServer| o.code == s.code) => out.push(s),
            Some(_) => {}
            None => {
                let hint = match nearest(w, codes.iter().copied()) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("servers with `api_url`: `{}`", codes.join("`, `")),
                };
                return Err(Failure::Usage(anyhow::anyhow!(
                    "no server with `api_url` has the code `{w}`: {hint}"
                )));
            }
        }
    }
    Ok(out)
}

/// Why a server was not synced.
enum Problem {
    /// The environment variable is not set.
    KeyMissing,
    /// The environment variable holds no usable key.
    KeyUnusable,
    /// Reading the server failed.
    Read(client::ReadError),
}

impl Problem {
    fn kind(&self) -> &'static str {
        match self {
            Problem::KeyMissing => "api-key-missing",
            Problem::KeyUnusable => "api-key-unusable",
            Problem::Read(e) => e.kind(),
        }
    }

    fn message(&self) -> String {
        match self {
            Problem::KeyMissing => "no API key: the environment variable is not set".into(),
            Problem::KeyUnusable => {
                "the environment variable holds no usable API key (empty, or with spaces or control characters)".into()
            }
            Problem::Read(e) => e.to_string(),
        }
    }

    fn help(&self, key_env: &str) -> String {
        match self {
            Problem::KeyMissing | Problem::KeyUnusable => format!(
                "set `{key_env}` to the API key created on the server's admin UI (KEYS AND CERTIFICATES → API KEYS, role `{}`)",
                client::READ_ONLY_ROLE
            ),
            Problem::Read(e) => e.help(key_env),
        }
    }
}

/// The one place an API key is read: the environment variable named by `api_key_env`.
fn api_key(server: &ApiServer) -> Result<ApiKey, Problem> {
    match std::env::var(&server.key_env) {
        Ok(value) => ApiKey::new(value).ok_or(Problem::KeyUnusable),
        Err(std::env::VarError::NotPresent) => Err(Problem::KeyMissing),
        Err(std::env::VarError::NotUnicode(_)) => Err(Problem::KeyUnusable),
    }
}

/// What `--write` records.
struct Plan {
    /// (member id, phase id): dates not in the file yet.
    progress: Vec<(String, String)>,
    /// Certificate expiries to add or update.
    expiries: Vec<drift::ProvenExpiry>,
}

impl Plan {
    fn of<'a>(findings: impl Iterator<Item = &'a Findings>) -> Plan {
        let mut plan = Plan {
            progress: Vec::new(),
            expiries: Vec::new(),
        };
        for f in findings {
            for p in f.progress.iter().filter(|p| p.recorded.is_none()) {
                plan.progress.push((p.member.clone(), p.phase.clone()));
            }
            plan.expiries
                .extend(f.certificates.iter().filter(|c| c.to_write()).cloned());
        }
        plan
    }

    fn is_empty(&self) -> bool {
        self.progress.is_empty() && self.expiries.is_empty()
    }
}

/// Records the plan in the file with the comment-preserving editor: a phase date only where
/// none is recorded, an expiry added or updated. Nothing is written when the result would
/// not pass `check`'s rules, or when the file changed on disk since it was read. Returns
/// whether the file was written.
fn record(
    path: &Path,
    source: &str,
    plan: &Plan,
    today: jiff::civil::Date,
) -> anyhow::Result<bool> {
    let mut editor = Editor::parse(path, source)?;
    for (member, phase) in &plan.progress {
        editor.set_progress(member, phase, today, Overwrite::Never)?;
    }
    for e in &plan.expiries {
        let slot = CertificateSlot {
            kind: e.kind.code().to_string(),
            instance: e.instance.code().to_string(),
            member: e.member.clone(),
            subsystem: None,
        };
        // The server's certificate is the one in use: its expiry replaces the file's.
        editor.upsert_certificate(&slot, e.expires, Overwrite::Always)?;
    }
    super::done::still_valid(&editor.text(), path.parent().unwrap_or(Path::new(".")))?;
    editor.save()
}
