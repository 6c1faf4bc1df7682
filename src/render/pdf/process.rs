//! The typst program: finding it, asking its version, and running it with a timeout.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};

use super::{INSTALL_COMMAND, TYPST_VERSION};
use crate::output::{sha256_hex, write_atomic};

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
    /// Finds the typst program: `explicit` (`--typst`, or `$TYPST` through clap), else
    /// `env_typst`, else `typst` in the folders of `path` (the `PATH` value); then asks its
    /// version (or takes it from `cache`, when the program is unchanged).
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
        // typst runs in a temporary folder: a relative program (`--typst bin/typst`,
        // `TYPST=./typst`, a relative `PATH` entry) is made absolute against the current one.
        let program = std::path::absolute(&program).unwrap_or(program);
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
pub(super) fn on_path(name: &OsStr, path: Option<&OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
pub(super) fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
pub(super) fn is_executable(p: &Path) -> bool {
    p.is_file() || p.with_extension("exe").is_file()
}

/// The first line of `program --version`, from the cache when the program file (its path,
/// size and modification time) is the one asked before.
pub(super) fn version_of(program: &Path, cache: Option<&Path>) -> Result<String> {
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

/// typst's standard error as an indented block after a colon, or nothing.
pub(super) fn stderr_block(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim_end();
    if text.is_empty() {
        String::new()
    } else {
        format!(":\n{}", indent(text))
    }
}

pub(super) fn indent(text: &str) -> String {
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

/// The error of a program that was stopped because it ran out of time; a bundle that timed
/// out is not compiled again document by document (that would only multiply the wait).
#[derive(Debug)]
pub struct TimedOut(pub Duration);

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "it did not finish within {} seconds and was stopped, with every process it started",
            self.0.as_secs_f32()
        )
    }
}

impl std::error::Error for TimedOut {}

/// Stops the whole process group of a child started by [`run`] (its own group, led by it),
/// so that no process it started survives it.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: `killpg` only sends a signal; the group is the child's own (process_group(0)).
        unsafe {
            libc::killpg(pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
}

/// The prefix of the temporary folders of typst compiles; the process id follows, so that
/// the folders of a killed build can be recognised and removed ([`remove_stale_folders`]).
pub(super) const FOLDER_PREFIX: &str = "xroad-share-typst-";

/// The prefix of this process's temporary folders, e.g. `xroad-share-typst-1234-`.
pub(super) fn folder_prefix() -> String {
    format!("{FOLDER_PREFIX}{}-", std::process::id())
}

/// Removes the temporary typst folders in `tmp` whose process is gone (after a `kill -9`).
pub(super) fn remove_stale_folders(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(FOLDER_PREFIX)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id()
            && !process_alive(pid)
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this id exists.
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// What a finished program printed and how it ended.
#[derive(Debug)]
pub(super) struct Ran {
    pub(super) status: ExitStatus,
    pub(super) stdout: Vec<u8>,
    pub(super) stderr: Vec<u8>,
}

/// Runs `cmd` to its end, reading its output, and stops it (kill, then wait, so that no
/// zombie is left) when it takes longer than `timeout`.
pub(super) fn run(cmd: &mut Command, timeout: Duration) -> Result<Ran> {
    let deadline = Instant::now() + timeout;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        cmd.process_group(0);
    }
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
                kill_group(&mut child);
                let _ = child.wait();
                return Err(e.into());
            }
        }
        let now = Instant::now();
        if now >= deadline {
            kill_group(&mut child);
            let _ = child.wait();
            return Err(TimedOut(timeout).into());
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
    // A program that left a child behind: it goes with the group.
    kill_group(&mut child);
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
pub(super) fn spawn(cmd: &mut Command) -> std::io::Result<std::process::Child> {
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
pub(super) fn drain<R: std::io::Read + Send + 'static>(pipe: Option<R>) -> mpsc::Receiver<Vec<u8>> {
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
