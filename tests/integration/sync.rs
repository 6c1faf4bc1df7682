//! `sync` against local HTTPS test servers on 127.0.0.1 that answer with the fixtures of
//! `tests/fixtures/sync/responses/`, each validated against the official X-Road OpenAPI
//! schemas first. `sync` runs as a subprocess, since it reads its API keys from the
//! environment.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{Value, json};

use crate::run;

const FIXTURES: &str = "tests/fixtures/sync";
const KEY: &str = "5b4c9b1e-6e33-4c7a-9a52-0c1f2bde7a10";
const TEST_SERVER: &str = "jarvenrantalptest01";
const TODAY: &str = "2026-12-05";

// ---------------------------------------------------------------------------------------
// The official schemas.

/// The OpenAPI excerpt as JSON.
fn openapi() -> Value {
    let text = std::fs::read_to_string(format!(
        "{FIXTURES}/openapi/security-server-api-excerpt.yaml"
    ))
    .expect("the OpenAPI excerpt");
    serde_norway::from_str(&text).expect("the excerpt is YAML")
}

/// Makes every object schema that lists its properties refuse others, so that a fixture
/// cannot carry a misspelt optional field that the server would never send.
fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for (key, value) in map.iter_mut() {
                // `example` values are data, not schemas.
                if key != "example" {
                    close_objects(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// A draft 4 validator (the JSON Schema dialect OpenAPI 3.0 is based on) of the 200
/// response of `GET path`, with the definition's components alongside so that its `$ref`s
/// resolve.
fn response_validator(path: &str) -> jsonschema::Validator {
    let api = openapi();
    let mut schema =
        api["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            .clone();
    assert!(schema.is_object(), "no 200 response schema for GET {path}");
    schema["components"] = api["components"].clone();
    close_objects(&mut schema);
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid JSON Schema")
}

/// The schema errors of `body` as the response of `GET path`.
fn schema_errors(path: &str, body: &Value) -> Vec<String> {
    let validator = response_validator(path);
    validator
        .iter_errors(body)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/responses/{name}.json"))
        .expect("a response fixture");
    serde_json::from_str(&text).expect("fixture JSON")
}

/// The three responses of the planted drift, each checked against its schema.
fn planted_responses() -> Responses {
    let mut r = Responses::default();
    for (path, name) in [
        ("/clients", "clients"),
        ("/tokens", "tokens"),
        ("/system/certificate", "system-certificate"),
    ] {
        let body = fixture(name);
        let errors = schema_errors(path, &body);
        assert!(
            errors.is_empty(),
            "`{name}.json` breaks the schema: {errors:#?}"
        );
        r.bodies.insert(path, body.to_string());
    }
    r
}

/// Every response fixture fits the official schemas, and the schemas do catch a fixture
/// that does not.
#[test]
fn fixtures_fit_the_official_schemas() {
    planted_responses();
    let mut clients = fixture("clients");
    clients[0]["status"] = json!("ALMOST_REGISTERED");
    assert!(!schema_errors("/clients", &clients).is_empty());
    let mut clients = fixture("clients");
    clients[0]["subsytem_code"] = json!("misspelt");
    assert!(!schema_errors("/clients", &clients).is_empty());
    let mut tokens = fixture("tokens");
    tokens[0]["keys"][0]["certificates"][0]["certificate_details"]["not_after"] =
        json!("2027-06-01");
    assert!(!schema_errors("/tokens", &tokens).is_empty());
    let mut certificate = fixture("system-certificate");
    certificate.as_object_mut().map(|o| o.remove("not_after"));
    assert!(!schema_errors("/system/certificate", &certificate).is_empty());
}

// ---------------------------------------------------------------------------------------
// A local HTTPS test server.

/// What the test server answers.
#[derive(Clone, Default)]
struct Responses {
    /// Path below `/api/v1` → JSON body.
    bodies: BTreeMap<&'static str, String>,
    /// Paths answered with 403.
    forbidden: Vec<&'static str>,
}

/// A request the server received.
#[derive(Debug, Clone)]
struct Seen {
    target: String,
    authorization: Option<String>,
}

/// A TLS certificate and its key for the test server.
struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
}

/// A self-signed certificate for 127.0.0.1 marked as a CA, as X-Road's installer makes
/// the admin UI's certificate; returns it with its PEM.
fn self_signed() -> (Identity, String) {
    let key = rcgen::KeyPair::generate().expect("a key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.subject_alt_names.push(rcgen::SanType::IpAddress(
        "127.0.0.1".parse().expect("an address"),
    ));
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "jarvenrantalptest01");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Constrained(0));
    let cert = params.self_signed(&key).expect("a certificate");
    let pem = cert.pem();
    (
        Identity {
            chain: vec![cert.der().clone()],
            key: key.serialize_der(),
        },
        pem,
    )
}

/// A server certificate for 127.0.0.1 issued by a new CA; returns it with the CA's PEM.
fn ca_issued() -> (Identity, String) {
    let ca_key = rcgen::KeyPair::generate().expect("a key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Järvenranta internal CA");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).expect("a CA");
    let key = rcgen::KeyPair::generate().expect("a key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params.subject_alt_names.push(rcgen::SanType::IpAddress(
        "127.0.0.1".parse().expect("an address"),
    ));
    let cert = params.signed_by(&key, &ca).expect("a certificate");
    (
        Identity {
            chain: vec![cert.der().clone(), ca.der().clone()],
            key: key.serialize_der(),
        },
        ca.pem(),
    )
}

/// An HTTPS server on 127.0.0.1 that serves the responses to one API key, in a thread that
/// stops when the server is dropped (and after at most 64 connections).
struct TestServer {
    port: u16,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Seen>>>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    fn start(identity: Identity, key: &str, responses: Responses) -> TestServer {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(
                identity.chain,
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key)),
            )
            .expect("a server certificate");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().expect("an address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, seen, key) = (stop.clone(), seen.clone(), key.to_string());
            std::thread::spawn(move || {
                for stream in listener.incoming().take(64) {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        let _ = serve(stream, config.clone(), &key, &responses, &seen);
                    }
                }
            })
        };
        TestServer {
            port,
            stop,
            seen,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}/api/v1", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("the request log").clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Answers one request on one connection.
fn serve(
    tcp: TcpStream,
    config: Arc<rustls::ServerConfig>,
    key: &str,
    responses: &Responses,
    seen: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    tcp.set_read_timeout(Some(Duration::from_secs(5)))?;
    tcp.set_write_timeout(Some(Duration::from_secs(5)))?;
    let conn = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let mut reader = BufReader::new(&mut tls);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut authorization = None;
    for _ in 0..64 {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("authorization")
        {
            authorization = Some(value.trim().to_string());
        }
    }
    let target = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_string();
    seen.lock().expect("the request log").push(Seen {
        target: target.clone(),
        authorization: authorization.clone(),
    });
    let path = target
        .strip_prefix("/api/v1")
        .unwrap_or("")
        .split('?')
        .next()
        .unwrap_or("");
    let (status, body) = if authorization.as_deref() != Some(&format!("X-Road-ApiKey token={key}"))
    {
        ("401 Unauthorized", String::new())
    } else if responses.forbidden.contains(&path) {
        ("403 Forbidden", String::new())
    } else {
        match responses.bodies.get(path) {
            Some(body) => ("200 OK", body.clone()),
            None => ("404 Not Found", String::new()),
        }
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    drop(reader);
    tls.write_all(head.as_bytes())?;
    tls.write_all(body.as_bytes())?;
    tls.conn.send_close_notify();
    tls.flush()
}

/// A port on 127.0.0.1 where nothing listens.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    listener.local_addr().expect("an address").port()
}

// ---------------------------------------------------------------------------------------
// The arrangement and the command.

/// A temporary folder with `sharing.toml` pointing at `test_api` (FI-TEST) and `prod_api`
/// (FI), and `admin-ui.pem` holding `ca_pem`.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new(test_api: &str, prod_api: &str, ca_pem: &str) -> Workspace {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let text = std::fs::read_to_string(format!("{FIXTURES}/sharing.toml"))
            .expect("the fixture")
            .replace("{FI_TEST_API}", test_api)
            .replace("{FI_API}", prod_api);
        std::fs::write(dir.path().join("sharing.toml"), text).expect("write the input");
        std::fs::write(dir.path().join("admin-ui.pem"), ca_pem).expect("write the CA file");
        Workspace { dir }
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("sharing.toml")
    }

    fn text(&self) -> String {
        std::fs::read_to_string(self.file()).expect("the input")
    }
}

/// What the `sync` subprocess printed.
struct Synced {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary's `sync` on the workspace with `env` set and the two key variables
/// otherwise unset.
fn sync(ws: &Workspace, args: &[&str], env: &[(&str, &str)]) -> Synced {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xroad-share"));
    cmd.arg("sync")
        .arg(ws.file())
        .args(["--today", TODAY])
        .args(args)
        .env_remove("XROAD_API_KEY_TEST")
        .env_remove("XROAD_API_KEY_PROD")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run xroad-share");
    Synced {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The planted drift, on a server whose self-signed admin UI certificate is `ca_file`.
fn planted() -> (TestServer, Workspace) {
    let (identity, pem) = self_signed();
    let server = TestServer::start(identity, KEY, planted_responses());
    let ws = Workspace::new(
        &server.url(),
        &format!("https://127.0.0.1:{}/api/v1", closed_port()),
        &pem,
    );
    (server, ws)
}

fn without_port(text: &str, server: &TestServer) -> String {
    text.replace(&server.port.to_string(), "PORT")
}

// ---------------------------------------------------------------------------------------
// The tests.

/// `sync` reads the three resources with the API key header and reports the planted drift
/// and what the server proves, without touching the file.
#[test]
fn sync_reports_the_planted_drift() {
    let (server, ws) = planted();
    let before = ws.text();
    let o = sync(
        &ws,
        &["--server", TEST_SERVER],
        &[("XROAD_API_KEY_TEST", KEY)],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(ws.text(), before, "without --write the file is not changed");
    let seen = server.seen();
    let targets: Vec<&str> = seen.iter().map(|s| s.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/api/v1/clients?show_members=true&internal_search=true",
            "/api/v1/tokens",
            "/api/v1/system/certificate"
        ]
    );
    for s in &seen {
        assert_eq!(
            s.authorization.as_deref(),
            Some(format!("X-Road-ApiKey token={KEY}").as_str())
        );
    }
    assert!(!o.stdout.contains(KEY) && !o.stderr.contains(KEY));
    insta::assert_snapshot!("sync-planted-drift", without_port(&o.stdout, &server));
}

/// `--json` gives the same findings in a form for scripts.
#[test]
fn sync_json_lists_every_planted_difference() {
    let (server, ws) = planted();
    let o = sync(
        &ws,
        &["--server", TEST_SERVER, "--json"],
        &[("XROAD_API_KEY_TEST", KEY)],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let report: Value = serde_json::from_str(&o.stdout).expect("JSON on stdout");
    assert_eq!(report["today"], TODAY);
    assert_eq!(report["write"], false);
    let servers = report["servers"].as_array().expect("servers");
    assert_eq!(servers.len(), 1);
    let s = &servers[0];
    assert_eq!(s["status"], "synced");
    assert_eq!(s["instance"], "FI-TEST");
    assert_eq!(s["api_url"], server.url());
    let drift: Vec<(String, String)> = s["drift"]
        .as_array()
        .expect("drift")
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap_or("").to_string(),
                d["identifier"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "subsystem-not-in-file",
            "SUBSYSTEM:FI-TEST/MUN/2345678-0/extra-pikkula-service",
        ),
        (
            "subsystem-not-on-server",
            "SUBSYSTEM:FI-TEST/MUN/1234567-1/palvelu-jarvenranta-service",
        ),
        (
            "member-class-differs",
            "SUBSYSTEM:FI-TEST/GOV/0201256-6/vtj-vaasa-client",
        ),
        (
            "expiry-differs",
            "signing certificate of `kristiina` in FI-TEST",
        ),
        ("signing-for-unknown-member", "MEMBER:FI-TEST/COM/5678901-2"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, i)| (k.to_string(), i.to_string()))
        .collect();
    assert_eq!(drift, expected);
    let progress: Vec<String> = s["progress"]
        .as_array()
        .expect("progress")
        .iter()
        .map(|p| {
            format!(
                "{} {} {} {}",
                p["member"], p["phase"], p["date"], p["state"]
            )
            .replace('"', "")
        })
        .collect();
    assert_eq!(
        progress,
        [
            "pikkula add-subsystem/FI-TEST 2026-12-05 proposed",
            "pikkula sign-key/FI-TEST 2026-11-20 already-recorded",
            "pikkula registration-request/FI-TEST 2026-12-05 proposed",
            "kristiina central-registration/FI-TEST 2026-12-05 proposed",
            "kristiina add-subsystem/FI-TEST 2026-12-05 proposed",
            "kristiina sign-key/FI-TEST 2026-12-05 proposed",
            "kristiina sign-cert-installed/FI-TEST 2026-12-05 proposed",
            "kristiina registration-request/FI-TEST 2026-12-05 proposed",
            "kristiina sign-cert-registered/FI-TEST 2026-12-05 proposed",
        ]
    );
    let certificates: Vec<String> = s["certificates"]
        .as_array()
        .expect("certificates")
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {} {}",
                c["kind"], c["member"], c["expires"], c["file"], c["state"]
            )
            .replace('"', "")
        })
        .collect();
    assert_eq!(
        certificates,
        [
            "authentication null 2027-06-01 null proposed",
            "internal-tls null 2045-11-30 null proposed",
            "signing kristiina 2028-11-20 2026-12-15 proposed",
        ]
    );
}

/// Every comment of `before`, in order, is in `after`.
fn assert_comments_kept(before: &str, after: &str) {
    let comments = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.find('#').map(|i| l[i..].trim_end().to_string()))
            .collect()
    };
    let (old, new) = (comments(before), comments(after));
    let mut rest = new.iter();
    for c in &old {
        assert!(
            rest.any(|n| n == c),
            "the comment `{c}` was lost or moved:\n{after}"
        );
    }
}

/// The parsed file with `f` applied.
fn edited(text: &str, f: impl FnOnce(&mut toml::Table)) -> toml::Table {
    let mut t: toml::Table = toml::from_str(text).expect("TOML");
    f(&mut t);
    t
}

fn member<'a>(t: &'a mut toml::Table, id: &str) -> &'a mut toml::Table {
    t["members"]
        .as_array_mut()
        .expect("members")
        .iter_mut()
        .filter_map(toml::Value::as_table_mut)
        .find(|m| m["id"].as_str() == Some(id))
        .expect("the member")
}

fn date(s: &str) -> toml::Value {
    toml::Value::Datetime(s.parse().expect("a date"))
}

/// `sync --write` records exactly the phases and expiries that the server proves, keeps
/// every comment and the existing date, leaves a file that `check` accepts, and a second run
/// changes nothing.
#[test]
fn sync_write_records_exactly_what_the_server_proves() {
    let (_server, ws) = planted();
    let before = ws.text();
    let o = sync(
        &ws,
        &["--server", TEST_SERVER, "--write"],
        &[("XROAD_API_KEY_TEST", KEY)],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let after = ws.text();
    assert_comments_kept(&before, &after);

    let expected = edited(&before, |t| {
        let progress = |t: &mut toml::Table, id: &str| -> toml::Table {
            member(t, id)["progress"]
                .as_table()
                .cloned()
                .expect("progress")
        };
        let mut p = progress(t, "pikkula");
        p.insert("add-subsystem/FI-TEST".into(), date(TODAY));
        p.insert("registration-request/FI-TEST".into(), date(TODAY));
        member(t, "pikkula").insert("progress".into(), toml::Value::Table(p));
        let mut k = progress(t, "kristiina");
        for phase in [
            "central-registration",
            "add-subsystem",
            "sign-key",
            "sign-cert-installed",
            "registration-request",
            "sign-cert-registered",
        ] {
            k.insert(format!("{phase}/FI-TEST"), date(TODAY));
        }
        member(t, "kristiina").insert("progress".into(), toml::Value::Table(k));
        let certs = t["certificates"].as_array_mut().expect("certificates");
        certs[0]["expires"] = date("2028-11-20");
        for (kind, expires) in [
            ("authentication", "2027-06-01"),
            ("internal-tls", "2045-11-30"),
        ] {
            let mut c = toml::Table::new();
            c.insert("kind".into(), kind.into());
            c.insert("instance".into(), "FI-TEST".into());
            c.insert("expires".into(), date(expires));
            certs.push(toml::Value::Table(c));
        }
    });
    let actual: toml::Table = toml::from_str(&after).expect("TOML after the write");
    let sorted = |t: &toml::Table| {
        let mut t = t.clone();
        if let Some(c) = t
            .get_mut("certificates")
            .and_then(toml::Value::as_array_mut)
        {
            c.sort_by_key(|v| v.to_string());
        }
        t
    };
    assert_eq!(
        sorted(&actual),
        sorted(&expected),
        "the file after the write:\n{after}"
    );
    assert!(
        after.contains("\"sign-key/FI-TEST\" = 2026-11-20"),
        "the existing date stays"
    );

    let check = run(["check", ws.file().to_str().expect("a UTF-8 path")]);
    assert_eq!(check.exit as i32, 0, "{}", check.stderr);

    let again = sync(
        &ws,
        &["--server", TEST_SERVER, "--write"],
        &[("XROAD_API_KEY_TEST", KEY)],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(ws.text(), after, "a second run changes nothing");
    assert!(!again.stdout.contains("proposed") && !again.stdout.contains("│ recorded"));
}

/// A wrong API key: exit 3, a message that says what to check, the key never shown, and
/// no change to the file.
#[test]
fn wrong_api_key_exits_3_without_changing_the_file() {
    let (_server, ws) = planted();
    let before = ws.text();
    let wrong = "0d7e3c44-wrong-key";
    let o = sync(
        &ws,
        &["--server", TEST_SERVER, "--write"],
        &[("XROAD_API_KEY_TEST", wrong)],
    );
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("`GET /clients`: the server did not accept the API key (HTTP 401)"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("check that `XROAD_API_KEY_TEST` holds the whole key"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains(wrong) && !o.stdout.contains(wrong));
    assert_eq!(ws.text(), before);
    let o = sync(
        &ws,
        &["--server", TEST_SERVER, "--json"],
        &[("XROAD_API_KEY_TEST", wrong)],
    );
    assert_eq!(o.code, 3);
    let report: Value = serde_json::from_str(&o.stdout).expect("JSON on stdout");
    let s = &report["servers"][0];
    assert_eq!(
        (&s["status"], &s["error"]),
        (&json!("failed"), &json!("unauthorized"))
    );
    assert!(
        s["help"]
            .as_str()
            .is_some_and(|h| h.contains("XROAD_API_KEY_TEST"))
    );
}

/// An unreachable server (a closed port on 127.0.0.1, listed first) fails with exit 3, and
/// the other server is still read and recorded.
#[test]
fn unreachable_server_does_not_stop_the_others() {
    let (_server, ws) = planted();
    let o = sync(
        &ws,
        &["--write"],
        &[("XROAD_API_KEY_TEST", KEY), ("XROAD_API_KEY_PROD", KEY)],
    );
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert!(
        o.stderr.contains("error: server `jarvenrantalp01` (FI)")
            && o.stderr
                .contains("cannot connect: the connection was refused"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("error: 1 of 2 server(s) could not be read"),
        "{}",
        o.stderr
    );
    assert!(
        o.stdout.contains("Server `jarvenrantalp01` (FI)")
            && o.stdout.contains("not read: cannot connect")
    );
    assert!(
        o.stdout.contains("extra-pikkula-service"),
        "the FI-TEST server was read:\n{}",
        o.stdout
    );
    assert!(
        ws.text()
            .contains("\"registration-request/FI-TEST\" = 2026-12-05"),
        "and recorded"
    );
}

/// A key without the role to read keys (HTTP 403) names the role to give it.
#[test]
fn a_key_without_the_role_names_it() {
    let (identity, pem) = self_signed();
    let mut responses = planted_responses();
    responses.forbidden.push("/tokens");
    let server = TestServer::start(identity, KEY, responses);
    let ws = Workspace::new(&server.url(), &server.url(), &pem);
    let o = sync(
        &ws,
        &["--server", TEST_SERVER],
        &[("XROAD_API_KEY_TEST", KEY)],
    );
    assert_eq!(o.code, 3);
    assert!(
        o.stderr
            .contains("`GET /tokens`: the server refused the request (HTTP 403)"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("`XROAD_SECURITYSERVER_OBSERVER`"),
        "{}",
        o.stderr
    );
}

/// A server whose certificate is not the one in `ca_file`, nor issued by it, is refused
/// before any request is sent.
#[test]
fn an_untrusted_certificate_is_refused() {
    let (identity, _) = self_signed();
    let (_, other_pem) = self_signed();
    let server = TestServer::start(identity, KEY, planted_responses());
    let ws = Workspace::new(&server.url(), &server.url(), &other_pem);
    let o = sync(
        &ws,
        &["--server", TEST_SERVER],
        &[("XROAD_API_KEY_TEST", KEY)],
    );
    assert_eq!(o.code, 3);
    assert!(
        o.stderr.contains("the server's TLS certificate was not accepted: it is not issued by a certificate in `ca_file`"),
        "{}",
        o.stderr
    );
    assert!(server.seen().is_empty(), "no request got through");
}

/// A certificate issued by the CA in `ca_file` is verified along its chain.
#[test]
fn a_certificate_issued_by_the_ca_file_is_accepted() {
    let (identity, ca_pem) = ca_issued();
    let server = TestServer::start(identity, KEY, planted_responses());
    let ws = Workspace::new(&server.url(), &server.url(), &ca_pem);
    let o = sync(
        &ws,
        &["--server", TEST_SERVER],
        &[("XROAD_API_KEY_TEST", KEY)],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(server.seen().len(), 3);
}

/// A response that does not fit the API definition names the offending field.
#[test]
fn unexpected_json_names_the_field() {
    let (identity, pem) = self_signed();
    let mut responses = planted_responses();
    let mut tokens = fixture("tokens");
    tokens[0]["keys"][1]["certificates"] = json!({"not": "a list"});
    assert!(
        !schema_errors("/tokens", &tokens).is_empty(),
        "the schema refuses it too"
    );
    responses.bodies.insert("/tokens", tokens.to_string());
    let server = TestServer::start(identity, KEY, responses);
    let ws = Workspace::new(&server.url(), &server.url(), &pem);
    let o = sync(
        &ws,
        &["--server", TEST_SERVER],
        &[("XROAD_API_KEY_TEST", KEY)],
    );
    assert_eq!(o.code, 3);
    assert!(
        o.stderr.contains("`GET /tokens`: unexpected JSON at `[0].keys[1].certificates`: invalid type: map, expected a sequence"),
        "{}",
        o.stderr
    );
}

/// Without the environment variable, the server fails with what to set; nothing is sent.
#[test]
fn a_missing_key_variable_says_what_to_set() {
    let (server, ws) = planted();
    let o = sync(&ws, &["--server", TEST_SERVER], &[]);
    assert_eq!(o.code, 3);
    assert!(
        o.stderr
            .contains("no API key: the environment variable is not set"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("set `XROAD_API_KEY_TEST` to the API key"),
        "{}",
        o.stderr
    );
    assert!(server.seen().is_empty());
}

/// `--server` with an unknown code is a usage error with the nearest code; a file without
/// `api_url` has nothing to sync.
#[test]
fn usage_errors_exit_2() {
    let (_server, ws) = planted();
    let o = sync(&ws, &["--server", "jarvenrantalptest1"], &[]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("did you mean `jarvenrantalptest01`?"),
        "{}",
        o.stderr
    );
    let o = run(["sync", "tests/fixtures/valid/minimal.toml"]);
    assert_eq!(o.exit as i32, 2);
    assert!(o.stderr.contains("has `api_url`"), "{}", o.stderr);
}

/// The rules of `api_url`, `api_key_env` and `ca_file`, as `check` reports them.
#[test]
fn api_settings_diagnostics() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let base = std::fs::read_to_string("tests/fixtures/valid/minimal.toml").expect("minimal");
    std::fs::write(dir.path().join("big.pem"), vec![b'x'; 1024 * 1024 + 1]).expect("big file");
    std::fs::write(
        dir.path().join("key.pem"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .expect("key file");
    let cases = [
        (
            "http",
            "api_url = \"http://127.0.0.1:4000/api/v1\"\napi_key_env = \"KEY\"",
        ),
        ("no-key-env", "api_url = \"https://127.0.0.1:4000/api/v1\""),
        (
            "bad-key-env",
            "api_url = \"https://127.0.0.1:4000/api/v1\"\napi_key_env = \"MY-KEY\"",
        ),
        (
            "credentials",
            "api_url = \"https://admin:secret@127.0.0.1:4000/api/v1\"\napi_key_env = \"KEY\"",
        ),
        (
            "no-api-path",
            "api_url = \"https://127.0.0.1:4000\"\napi_key_env = \"KEY\"",
        ),
        (
            "ca-missing",
            "api_url = \"https://127.0.0.1:4000/api/v1\"\napi_key_env = \"KEY\"\nca_file = \"missing.pem\"",
        ),
        (
            "ca-folder",
            "api_url = \"https://127.0.0.1:4000/api/v1\"\napi_key_env = \"KEY\"\nca_file = \".\"",
        ),
        (
            "ca-too-big",
            "api_url = \"https://127.0.0.1:4000/api/v1\"\napi_key_env = \"KEY\"\nca_file = \"big.pem\"",
        ),
        (
            "ca-no-certificate",
            "api_url = \"https://127.0.0.1:4000/api/v1\"\napi_key_env = \"KEY\"\nca_file = \"key.pem\"",
        ),
        ("unused", "api_key_env = \"KEY\""),
    ];
    let mut out = String::new();
    for (name, keys) in cases {
        let text = base.replace(
            "platform = \"ubuntu\"\n",
            &format!("platform = \"ubuntu\"\n{keys}\n"),
        );
        let file = dir.path().join(format!("{name}.toml"));
        std::fs::write(&file, text).expect("write");
        let o = run(["check", file.to_str().expect("a UTF-8 path")]);
        let stderr = o.stderr.replace(&dir.path().display().to_string(), "TMP");
        out.push_str(&format!("== {name}: exit {}\n{stderr}\n", o.exit as i32));
    }
    insta::assert_snapshot!("sync-api-settings", out);
}

/// Reading a response never waits forever: the test server accepts the connection and then
/// says nothing, and `--timeout 1` ends the wait.
#[test]
fn a_silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let port = listener.local_addr().expect("an address").port();
    // Detached: it ends when the client gives up, or with the test process.
    std::thread::spawn(move || {
        // Hold one connection open, silent, until the client gives up.
        if let Ok((mut s, _)) = listener.accept() {
            let _ = s.set_read_timeout(Some(Duration::from_secs(20)));
            let mut buf = [0u8; 1024];
            while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
        }
    });
    let (_, pem) = self_signed();
    let url = format!("https://127.0.0.1:{port}/api/v1");
    let ws = Workspace::new(&url, &url, &pem);
    let o = sync(
        &ws,
        &["--server", TEST_SERVER, "--timeout", "1"],
        &[("XROAD_API_KEY_TEST", KEY)],
    );
    assert_eq!(o.code, 3);
    assert!(o.stderr.contains("no answer in time"), "{}", o.stderr);
}
