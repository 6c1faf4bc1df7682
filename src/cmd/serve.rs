//! `serve [FILE] [--port N] [--open]`: build into a folder (a temporary one unless `--out`
//! names one), serve it over HTTP on 127.0.0.1, and rebuild when the input file or a
//! template of `--templates` changes; open pages then reload themselves.
//!
//! Each build is [`super::build::run`], exactly as `build` runs it, so the files in the
//! folder are the ones `build` writes. The reload script is added to HTML pages only as
//! they are sent, never written to disk: an open page asks `/__xroad-share/poll` (a long
//! poll) and reloads when the build generation changed. While the last build failed, every
//! page is an error page with the build's messages, which are also printed in the terminal.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use notify::Watcher as _;

use super::{Failure, Ui, find_input};
use crate::cli::{Format, ServeArgs};
use crate::{Exit, Io};

/// The path under which the server answers its own requests.
pub const PREFIX: &str = "/__xroad-share/";

/// How long a poll waits for a new build before it answers anyway.
const POLL_WAIT: Duration = Duration::from_secs(25);

/// How long to wait for more changes after one, so that a save that writes several times
/// builds once.
const SETTLE: Duration = Duration::from_millis(80);

/// The state the HTTP threads share with the build loop.
struct State {
    root: PathBuf,
    build: Mutex<Build>,
    changed: Condvar,
}

/// The last build: its number, and its messages when it failed.
#[derive(Debug, Clone, Default)]
struct Build {
    generation: u64,
    error: Option<String>,
}

/// What wakes the build loop.
enum Wake {
    /// A watched file changed.
    Changed,
    /// Ctrl-C or a termination signal.
    Stop,
}

/// Runs `serve`.
pub fn run(args: &ServeArgs, io: &mut Io<'_>, ui: &Ui) -> Result<Exit, Failure> {
    let input = find_input(args.build.file.as_deref())?;
    let temp;
    let root = match &args.build.out {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::Builder::new()
                .prefix("xroad-share-serve-")
                .tempdir()
                .context("cannot create a temporary folder for the site")
                .map_err(Failure::Render)?;
            temp.path().to_path_buf()
        }
    };
    let mut build = args.build.clone();
    build.file = Some(input.clone());
    build.out = Some(root.clone());
    if build.format.is_empty() {
        build.format = vec![Format::Md, Format::Html];
    }
    if !build.format.contains(&Format::Html) {
        build.format.push(Format::Html);
    }

    let server = tiny_http::Server::http(SocketAddr::new(args.bind, args.port))
        .map_err(|e| {
            Failure::Usage(anyhow::anyhow!(
                "cannot listen on {}:{}: {e}\n  help: choose another port with `--port`, or `--port 0` for a free one",
                args.bind,
                args.port
            ))
        })?;
    let server = Arc::new(server);
    let addr = server
        .server_addr()
        .to_ip()
        .context("the server has no IP address")
        .map_err(Failure::Render)?;
    let url = format!("http://{addr}/");

    let (tx, rx) = mpsc::channel::<Wake>();
    let stop = tx.clone();
    // A second `serve` in the same process (tests) keeps the first handler, which is fine.
    let _ = ctrlc::set_handler(move || {
        let _ = stop.send(Wake::Stop);
    });
    let mut watcher = watch(&input, build.templates.as_deref(), tx).map_err(Failure::Render)?;

    let state = Arc::new(State {
        root,
        build: Mutex::new(Build::default()),
        changed: Condvar::new(),
    });
    rebuild(&build, io, ui, &state);
    let _ = writeln!(
        io.out,
        "serving `{}` at {url} (Ctrl-C stops)",
        input.display()
    );
    let _ = io.out.flush();
    let http = {
        let (server, state) = (Arc::clone(&server), Arc::clone(&state));
        std::thread::Builder::new()
            .name("xroad-share-http".into())
            .spawn(move || {
                for request in server.incoming_requests() {
                    let state = Arc::clone(&state);
                    let _ = std::thread::Builder::new()
                        .name("xroad-share-request".into())
                        .spawn(move || respond(request, &state));
                }
            })
            .context("cannot start the HTTP thread")
            .map_err(Failure::Render)?
    };
    if args.open
        && let Err(e) = open::that_detached(&url)
    {
        ui.notice(io, format!("warning: cannot open a browser: {e}"));
    }

    while let Ok(wake) = rx.recv() {
        if let Wake::Stop = wake {
            break;
        }
        // Let a burst of changes settle; a stop among them still stops.
        let mut stop = false;
        while let Ok(more) = rx.recv_timeout(SETTLE) {
            stop |= matches!(more, Wake::Stop);
        }
        if stop {
            break;
        }
        ui.notice(io, format!("`{}` changed; rebuilding", input.display()));
        rebuild(&build, io, ui, &state);
    }
    let _ = watcher.unwatch(&input);
    server.unblock();
    let _ = http.join();
    ui.notice(io, "stopped");
    Ok(Exit::Success)
}

/// Watches the input's folder (editors often save by replacing the file) and the template
/// folder; sends [`Wake::Changed`] for changes to the input or a template.
fn watch(
    input: &Path,
    templates: Option<&Path>,
    tx: mpsc::Sender<Wake>,
) -> anyhow::Result<notify::RecommendedWatcher> {
    let file = absolute(input);
    let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let templates = templates.map(absolute);
    let watched = (file.clone(), templates.clone());
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        let relevant = event
            .paths
            .iter()
            .any(|p| p == &watched.0 || watched.1.as_ref().is_some_and(|t| p.starts_with(t)));
        if relevant {
            let _ = tx.send(Wake::Changed);
        }
    })
    .context("cannot watch files for changes")?;
    watcher
        .watch(&folder, notify::RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch `{}`", folder.display()))?;
    if let Some(t) = &templates {
        watcher
            .watch(t, notify::RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch `{}`", t.display()))?;
    }
    Ok(watcher)
}

/// `path` made absolute against the current folder, without resolving links.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Builds once, printing what the build prints; records the outcome and wakes the pages.
fn rebuild(build: &crate::cli::BuildArgs, io: &mut Io<'_>, ui: &Ui, state: &State) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = {
        let mut captured = Io {
            out: &mut out,
            err: &mut err,
            color: false,
        };
        let result = super::build::run(build, &mut captured, ui);
        match result {
            Ok(_) => Ok(()),
            Err(failure) => {
                failure.report(&mut captured);
                Err(())
            }
        }
    };
    let _ = io.err.write_all(&err);
    let messages = String::from_utf8_lossy(&err).into_owned();
    let mut b = state.build.lock().unwrap_or_else(|e| e.into_inner());
    b.generation += 1;
    b.error = result.err().map(|()| messages);
    drop(b);
    state.changed.notify_all();
}

/// Answers one HTTP request.
fn respond(request: tiny_http::Request, state: &State) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let build = state
        .build
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let response = if let Some(own) = path.strip_prefix(PREFIX) {
        match own {
            "poll" => poll(state, since(query)),
            _ => text(404, "not found"),
        }
    } else {
        match file_of(&state.root, path) {
            None => text(400, "bad request"),
            Some(file) if is_html(&file) && build.error.is_some() => html(
                500,
                error_page(build.error.as_deref().unwrap_or(""), build.generation),
            ),
            Some(file) => match std::fs::read(&file) {
                Ok(bytes) if is_html(&file) => html(
                    200,
                    with_reload(&String::from_utf8_lossy(&bytes), build.generation),
                ),
                Ok(bytes) => bytes_of(200, bytes, content_type(&file)),
                Err(_) => text(404, "not found"),
            },
        }
    };
    let _ = request.respond(response);
}

/// The build generation a poll waits to change from.
fn since(query: &str) -> u64 {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Waits until the generation is not `since` (or a while passed) and answers it as JSON.
fn poll(state: &State, since: u64) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let guard = state.build.lock().unwrap_or_else(|e| e.into_inner());
    let (guard, _) = state
        .changed
        .wait_timeout_while(guard, POLL_WAIT, |b| b.generation == since)
        .unwrap_or_else(|e| e.into_inner());
    let body = format!("{{\"generation\":{}}}", guard.generation);
    bytes_of(200, body.into_bytes(), "application/json")
}

/// The file under `root` that a URL path names (`index.html` for a folder), or `None` for
/// a path that would leave the root.
fn file_of(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut file = root.to_path_buf();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => file.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    Some(file)
}

/// Decodes `%XX` escapes; `None` when they do not make UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn is_html(file: &Path) -> bool {
    file.extension().is_some_and(|e| e == "html")
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("md") => "text/markdown; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("json") => "application/json",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// The script that reloads a page after the next build. It is only ever sent by `serve`.
fn reload_script(generation: u64) -> String {
    format!(
        "<script>/* xroad-share serve: reload after a rebuild */\
(()=>{{const g={generation};const poll=()=>fetch('{PREFIX}poll?since='+g,{{cache:'no-store'}})\
.then(r=>r.json()).then(d=>{{if(d.generation!==g){{location.reload();}}else{{poll();}}}})\
.catch(()=>setTimeout(poll,1000));poll();}})();</script>"
    )
}

/// An HTML page with the reload script before `</body>` (or at the end).
fn with_reload(page: &str, generation: u64) -> String {
    let script = reload_script(generation);
    match page.rfind("</body>") {
        Some(at) => format!("{}{script}\n{}", &page[..at], &page[at..]),
        None => format!("{page}{script}\n"),
    }
}

/// The page shown while the last build failed: its messages, and the reload script.
fn error_page(messages: &str, generation: u64) -> String {
    let escaped = messages
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    with_reload(
        &format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<title>Build failed · xroad-share</title>\n\
<style>body{{font-family:sans-serif;margin:2rem;max-width:60rem}}\
pre{{background:#fff4f4;border-left:4px solid #b00020;padding:1rem;overflow-x:auto}}</style>\n\
</head>\n<body>\n<main>\n<h1>The build failed</h1>\n\
<p>Fix the input file; this page reloads when the next build is done.</p>\n\
<pre id=\"build-error\">{escaped}</pre>\n</main>\n</body>\n</html>\n"
        ),
        generation,
    )
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| unreachable!("a fixed, valid header"))
}

fn bytes_of(
    status: u16,
    bytes: Vec<u8>,
    content_type: &str,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

fn html(status: u16, page: String) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    bytes_of(status, page.into_bytes(), "text/html; charset=utf-8")
}

fn text(status: u16, body: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    bytes_of(
        status,
        body.as_bytes().to_vec(),
        "text/plain; charset=utf-8",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_stay_inside_the_root() {
        let root = Path::new("/site");
        assert_eq!(
            file_of(root, "/fi/members/a%20b.html"),
            Some(PathBuf::from("/site/fi/members/a b.html"))
        );
        assert_eq!(file_of(root, "/../etc/passwd"), None);
        assert_eq!(file_of(root, "/fi/%2e%2e/%2e%2e/x"), None);
        assert_eq!(file_of(root, "/%ff"), None);
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let page = with_reload("<html><body><p>x</p></body></html>", 7);
        assert!(page.starts_with("<html><body><p>x</p><script>"), "{page}");
        assert!(page.contains("const g=7;"), "{page}");
        assert!(page.ends_with("</script>\n</body></html>"), "{page}");
    }

    #[test]
    fn the_error_page_escapes_the_messages() {
        let page = error_page("error: <b>&</b>", 2);
        assert!(page.contains("error: &lt;b&gt;&amp;&lt;/b&gt;"), "{page}");
        assert!(page.contains("const g=2;"), "{page}");
    }

    #[test]
    fn poll_parameter() {
        assert_eq!(since("since=12"), 12);
        assert_eq!(since("a=1&since=3"), 3);
        assert_eq!(since(""), 0);
    }
}
