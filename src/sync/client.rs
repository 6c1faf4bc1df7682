//! Reading one security server: `GET /clients`, `GET /tokens` and `GET /system/certificate`
//! over HTTPS with the API key, bounded in time and size, and errors that say what to check.

use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::{Connector, TcpConnector};

use super::api::{CertificateDetails, Client, Token};
use super::config::ApiServer;
use super::tls;

/// The largest response body read.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// The role that lets an API key read everything `sync` reads, and nothing more.
pub const READ_ONLY_ROLE: &str = "XROAD_SECURITYSERVER_OBSERVER";

/// An API key. It is never printed: its `Debug` shows only that it is there.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    /// The key as read from the environment; `None` when it is empty or holds characters an
    /// HTTP header cannot carry.
    pub fn new(key: String) -> Option<ApiKey> {
        let key = key.trim().to_string();
        let printable = key.bytes().all(|b| b.is_ascii_graphic());
        (!key.is_empty() && printable).then_some(ApiKey(key))
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(…)")
    }
}

/// How long to wait.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// For the TCP connection and the TLS handshake.
    pub connect: Duration,
    /// For each request as a whole.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(30),
        }
    }
}

/// What one server said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// `GET /clients?show_members=true&internal_search=true`: the server's own clients.
    pub clients: Vec<Client>,
    /// `GET /tokens`: tokens, keys, certificates and CSRs.
    pub tokens: Vec<Token>,
    /// `GET /system/certificate`: the internal TLS certificate.
    pub internal_tls: CertificateDetails,
}

/// Why a server could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The TLS configuration could not be built from `ca_file`.
    TlsSetup(String),
    /// No connection: refused, no route, host not found.
    Unreachable {
        /// What failed.
        reason: String,
    },
    /// The server's certificate was not accepted.
    Certificate {
        /// rustls's reason.
        reason: String,
    },
    /// No answer in time.
    Timeout,
    /// 401: the key was not accepted.
    Unauthorized {
        /// The request.
        path: &'static str,
    },
    /// 403: the key lacks a role, or the address is not allowed.
    Forbidden {
        /// The request.
        path: &'static str,
    },
    /// 404: not the API.
    NotFound {
        /// The request.
        path: &'static str,
    },
    /// 429: too many requests.
    RateLimited {
        /// The request.
        path: &'static str,
    },
    /// A redirect, which is not followed with the key.
    Redirect {
        /// The request.
        path: &'static str,
        /// Where to.
        location: String,
    },
    /// Another unexpected status.
    Status {
        /// The request.
        path: &'static str,
        /// The status code.
        code: u16,
    },
    /// The body is not what the API definition says.
    Json {
        /// The request.
        path: &'static str,
        /// The JSON path of the offending value, e.g. `[0].keys[1].usage`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The body exceeds [`MAX_BODY_BYTES`].
    TooLarge {
        /// The request.
        path: &'static str,
    },
    /// Any other transport failure.
    Other(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::TlsSetup(why) => write!(f, "cannot use `ca_file`: {why}"),
            ReadError::Unreachable { reason } => write!(f, "cannot connect: {reason}"),
            ReadError::Certificate { reason } => {
                write!(f, "the server's TLS certificate was not accepted: {reason}")
            }
            ReadError::Timeout => write!(f, "no answer in time"),
            ReadError::Unauthorized { path } => {
                write!(
                    f,
                    "`GET {path}`: the server did not accept the API key (HTTP 401)"
                )
            }
            ReadError::Forbidden { path } => {
                write!(f, "`GET {path}`: the server refused the request (HTTP 403)")
            }
            ReadError::NotFound { path } => {
                write!(f, "`GET {path}`: not found (HTTP 404)")
            }
            ReadError::RateLimited { path } => {
                write!(f, "`GET {path}`: too many requests (HTTP 429)")
            }
            ReadError::Redirect { path, location } => {
                write!(
                    f,
                    "`GET {path}`: redirected to `{location}`, which is not followed"
                )
            }
            ReadError::Status { path, code } => {
                write!(f, "`GET {path}`: unexpected HTTP status {code}")
            }
            ReadError::Json {
                path,
                field,
                message,
            } => write!(f, "`GET {path}`: unexpected JSON at `{field}`: {message}"),
            ReadError::TooLarge { path } => {
                write!(f, "`GET {path}`: the response is larger than 16 MiB")
            }
            ReadError::Other(why) => f.write_str(why),
        }
    }
}

impl ReadError {
    /// What to check, for the `help:` line.
    pub fn help(&self, key_env: &str) -> String {
        match self {
            ReadError::TlsSetup(_) => {
                "give the admin UI's certificate or its CA as a PEM file".into()
            }
            ReadError::Unreachable { .. } => "check `api_url` (host and port, usually 4000), that this machine may reach the admin port, and that the server is running".into(),
            ReadError::Certificate { .. } => "set `ca_file` to the admin UI's certificate (PEM, as the browser shows it for port 4000) or to the CA that issued it; the host in `api_url` must be in the certificate unless `ca_file` is that very certificate".into(),
            ReadError::Timeout => "check that the server answers on `api_url`; a firewall that drops packets looks like this".into(),
            ReadError::Unauthorized { .. } => format!(
                "check that `{key_env}` holds the whole key as shown when it was created, on this very server, and that the key has not been revoked (KEYS AND CERTIFICATES → API KEYS)"
            ),
            ReadError::Forbidden { .. } => format!(
                "give the key the role `{READ_ONLY_ROLE}` (it reads clients, keys and the internal TLS certificate); if it has it, the server may allow its API only from certain addresses"
            ),
            ReadError::NotFound { .. } | ReadError::Redirect { .. } => {
                "`api_url` should be the API's base address, `https://<host>:4000/api/v1`".into()
            }
            ReadError::RateLimited { .. } => "try again in a minute: the API allows 20 requests a second and 600 a minute".into(),
            ReadError::Status { .. } | ReadError::Other(_) => {
                "see the server's `proxy_ui_api.log` for the request".into()
            }
            ReadError::Json { .. } => "the server's API differs from the X-Road version `sync` knows (Security Server Admin API 2.x): report this with the server's version".into(),
            ReadError::TooLarge { .. } => "read the server with the admin UI instead".into(),
        }
    }

    /// A short stable name, for `--json`.
    pub fn kind(&self) -> &'static str {
        match self {
            ReadError::TlsSetup(_) => "tls-setup",
            ReadError::Unreachable { .. } => "unreachable",
            ReadError::Certificate { .. } => "certificate",
            ReadError::Timeout => "timeout",
            ReadError::Unauthorized { .. } => "unauthorized",
            ReadError::Forbidden { .. } => "forbidden",
            ReadError::NotFound { .. } => "not-found",
            ReadError::RateLimited { .. } => "rate-limited",
            ReadError::Redirect { .. } => "redirect",
            ReadError::Status { .. } => "status",
            ReadError::Json { .. } => "unexpected-json",
            ReadError::TooLarge { .. } => "too-large",
            ReadError::Other(_) => "other",
        }
    }
}

/// Reads the three resources of one server, stopping at the first failure.
pub fn read(server: &ApiServer, key: &ApiKey, timeouts: Timeouts) -> Result<Snapshot, ReadError> {
    let config =
        tls::client_config(&server.trusted).map_err(|e| ReadError::TlsSetup(e.to_string()))?;
    let agent = ureq::Agent::with_parts(
        ureq::Agent::config_builder()
            .https_only(true)
            .proxy(None)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .timeout_connect(Some(timeouts.connect))
            .timeout_global(Some(timeouts.request))
            .user_agent(concat!("xroad-share/", env!("CARGO_PKG_VERSION")))
            .accept("application/json")
            .build(),
        TcpConnector::default().chain(tls::TlsConnector::new(config)),
        DefaultResolver::default(),
    );
    let get = Get {
        agent: &agent,
        base: &server.url,
        key,
    };
    Ok(Snapshot {
        clients: get.json("/clients", "?show_members=true&internal_search=true")?,
        tokens: get.json("/tokens", "")?,
        internal_tls: get.json("/system/certificate", "")?,
    })
}

struct Get<'a> {
    agent: &'a ureq::Agent,
    base: &'a str,
    key: &'a ApiKey,
}

impl Get<'_> {
    fn json<T: DeserializeOwned>(&self, path: &'static str, query: &str) -> Result<T, ReadError> {
        let url = format!("{}{path}{query}", self.base);
        let mut response = self
            .agent
            .get(&url)
            .header(
                "Authorization",
                format!("X-Road-ApiKey token={}", self.key.0),
            )
            .call()
            .map_err(transport_error)?;
        let status = response.status().as_u16();
        match status {
            200 => {}
            401 => return Err(ReadError::Unauthorized { path }),
            403 => return Err(ReadError::Forbidden { path }),
            404 => return Err(ReadError::NotFound { path }),
            429 => return Err(ReadError::RateLimited { path }),
            300..=399 => {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .unwrap_or("?")
                    .to_string();
                return Err(ReadError::Redirect { path, location });
            }
            code => return Err(ReadError::Status { path, code }),
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => ReadError::TooLarge { path },
                other => transport_error(other),
            })?;
        parse(path, &body)
    }
}

/// Parses a response body, naming the JSON path of the first unexpected value.
pub fn parse<T: DeserializeOwned>(path: &'static str, body: &[u8]) -> Result<T, ReadError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = match e.path().to_string() {
            p if p == "." => "(the whole body)".to_string(),
            p => p,
        };
        let inner = e.into_inner();
        let message = inner.to_string();
        // serde_json appends " at line L column C"; the field path says more.
        let message = match message.rfind(" at line ") {
            Some(i) if inner.line() > 0 => message[..i].to_string(),
            _ => message,
        };
        ReadError::Json {
            path,
            field,
            message,
        }
    })
}

fn transport_error(e: ureq::Error) -> ReadError {
    match e {
        ureq::Error::Timeout(_) => ReadError::Timeout,
        ureq::Error::HostNotFound => ReadError::Unreachable {
            reason: "the host name was not found".into(),
        },
        ureq::Error::Io(io) => {
            if let Some(tls) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return ReadError::Certificate {
                    reason: tls_reason(tls),
                };
            }
            match io.kind() {
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => ReadError::Timeout,
                std::io::ErrorKind::ConnectionRefused => ReadError::Unreachable {
                    reason: "the connection was refused".into(),
                },
                _ => ReadError::Unreachable {
                    reason: io.to_string(),
                },
            }
        }
        ureq::Error::ConnectionFailed => ReadError::Unreachable {
            reason: "the connection failed".into(),
        },
        ureq::Error::Tls(why) => ReadError::Certificate { reason: why.into() },
        other => ReadError::Other(other.to_string()),
    }
}

fn tls_reason(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(C::UnknownIssuer) => {
            "it is not issued by a certificate in `ca_file` (or, without `ca_file`, by a public root CA)".into()
        }
        rustls::Error::InvalidCertificate(C::Expired) => "it has expired".into(),
        rustls::Error::InvalidCertificate(C::NotValidYet) => "it is not valid yet".into(),
        rustls::Error::InvalidCertificate(C::NotValidForName)
        | rustls::Error::InvalidCertificate(C::NotValidForNameContext { .. }) => {
            "it is not issued for the host in `api_url`".into()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_never_shown() {
        let key = ApiKey::new("  23bc57cd-b1ba-4702-9657-8d53e335c843\n".into()).expect("a key");
        assert_eq!(format!("{key:?}"), "ApiKey(…)");
        assert_eq!(key.0, "23bc57cd-b1ba-4702-9657-8d53e335c843");
        assert!(ApiKey::new("   ".into()).is_none());
        assert!(ApiKey::new("two words".into()).is_none());
        assert!(ApiKey::new("line\nbreak".into()).is_none());
    }

    #[test]
    fn unexpected_json_names_the_field() {
        let body = br#"[{"id": "t", "name": "softToken-0", "keys": [{"id": "k", "certificates": "none", "certificate_signing_requests": []}]}]"#;
        let e = parse::<Vec<Token>>("/tokens", body).expect_err("certificates is not a list");
        let text = e.to_string();
        assert!(text.contains("`[0].keys[0].certificates`"), "{text}");
        assert!(!text.contains("line 1"), "{text}");
        let e = parse::<Vec<Token>>("/tokens", b"<html>").expect_err("not JSON");
        assert_eq!(e.kind(), "unexpected-json");
    }
}
