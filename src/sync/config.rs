//! The management REST API settings of `[[servers]]` (SPEC §6.2: `api_url`, `api_key_env`,
//! `ca_file`): their rules, and the checked form that `sync` connects with.
//!
//! This step reads `ca_file`, so, like [`crate::certs`], it is kept apart from the pure
//! rules of [`crate::validate`]; `check` reports its diagnostics with the others.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::model::{Input, Server, Sp};
use crate::xroad::{self, Instance};

/// The largest `ca_file` read.
pub const CA_FILE_MAX_BYTES: u64 = 1024 * 1024;

/// A server whose management REST API `sync` can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiServer {
    /// The server's instance.
    pub instance: Instance,
    /// The security server code.
    pub code: String,
    /// The API's base URL, without a trailing slash, e.g. `https://host:4000/api/v1`.
    pub url: String,
    /// The name of the environment variable that holds the API key.
    pub key_env: String,
    /// `ca_file` as resolved against the input file's folder.
    pub ca_file: Option<PathBuf>,
    /// The certificates in `ca_file` (DER); empty without `ca_file`.
    pub trusted: Vec<Vec<u8>>,
}

/// Checks the API settings of every server. Returns the diagnostics and the servers whose
/// settings are complete and valid.
pub fn check(input: &Input, base: &Path) -> (Vec<Diagnostic>, Vec<ApiServer>) {
    let mut diags = Vec::new();
    let mut servers = Vec::new();
    for s in &input.servers {
        if let Some(api) = check_one(s, base, &mut diags) {
            servers.push(api);
        }
    }
    (diags, servers)
}

fn check_one(s: &Server, base: &Path, diags: &mut Vec<Diagnostic>) -> Option<ApiServer> {
    let Some(url) = &s.api_url else {
        for key in [&s.api_key_env, &s.ca_file].into_iter().flatten() {
            diags.push(
                Diagnostic::warning(
                    "api-unused",
                    key.span(),
                    "this has no effect without `api_url`",
                )
                .with_help("add `api_url = \"https://<host>:4000/api/v1\"`, or remove this key"),
            );
        }
        return None;
    };
    let before = diags.iter().filter(|d| d.is_error()).count();
    let url = api_url(url, diags);
    let key_env = match &s.api_key_env {
        Some(name) if is_env_name(name) => Some(name.value.clone()),
        Some(name) => {
            diags.push(
                Diagnostic::error(
                    "api-key-env",
                    name.span(),
                    format!("`{}` is not an environment variable name", name.value),
                )
                .with_help("use letters, digits and `_`, not starting with a digit, e.g. `XROAD_API_KEY_TEST`"),
            );
            None
        }
        None => {
            let suggestion = format!("XROAD_API_KEY_{}", s.instance.value.replace('-', "_"));
            diags.push(
                Diagnostic::error(
                    "api-key-env",
                    s.api_url.as_ref().map_or(0..0, Sp::span),
                    "`api_url` needs `api_key_env`: the name of the environment variable that holds the API key",
                )
                .with_help(format!(
                    "add `api_key_env = \"{suggestion}\"`; the key itself never goes in this file"
                )),
            );
            None
        }
    };
    let (ca_file, trusted) = match &s.ca_file {
        Some(rel) => match ca_certificates(rel, base) {
            Ok((path, certs)) => (Some(path), certs),
            Err(d) => {
                diags.push(d);
                (None, Vec::new())
            }
        },
        None => (None, Vec::new()),
    };
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let instance = Instance::parse(&s.instance)?;
    if errors > before {
        return None;
    }
    let code = s
        .security_server_code
        .as_ref()
        .map(|c| c.value.clone())
        .unwrap_or_else(|| xroad::server_code_from_fqdn(&s.fqdn).to_string());
    Some(ApiServer {
        instance,
        code,
        url: url?,
        key_env: key_env?,
        ca_file,
        trusted,
    })
}

/// Checks `api_url`; returns it without a trailing slash when it is valid.
fn api_url(url: &Sp<String>, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let text = url.value.trim_end_matches('/');
    let error = |message: String, help: &str| {
        Diagnostic::error("api-url", url.span(), message).with_help(help.to_string())
    };
    let scheme_end = text.find("://");
    let scheme = scheme_end.map(|i| &text[..i]);
    if !scheme.is_some_and(|s| s.eq_ignore_ascii_case("https")) {
        let help = match scheme {
            Some(s) if s.eq_ignore_ascii_case("http") => {
                "the API key must not cross the network in clear text: write `https://`"
            }
            _ => {
                "write the address of the security server's API, e.g. `https://orglptest01.example.fi:4000/api/v1`"
            }
        };
        diags.push(error(
            format!(
                "`api_url` must be an `https://` address, found `{}`",
                url.value
            ),
            help,
        ));
        return None;
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        diags.push(error(
            "`api_url` contains a space or a control character".into(),
            "write the address without spaces",
        ));
        return None;
    }
    let rest = &text[scheme_end.unwrap_or(0) + 3..];
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') {
        diags.push(error(
            "`api_url` contains a user name or password".into(),
            "remove it: the API key is read from the environment variable named by `api_key_env`",
        ));
        return None;
    }
    if text.contains('?') || text.contains('#') {
        diags.push(error(
            "`api_url` contains a query or a fragment".into(),
            "give the API's base address only, e.g. `https://orglptest01.example.fi:4000/api/v1`",
        ));
        return None;
    }
    match text.parse::<ureq::http::Uri>() {
        Ok(uri) if uri.host().is_some_and(|h| !h.is_empty()) => {}
        _ => {
            diags.push(error(
                format!("`api_url` is not a valid address: `{}`", url.value),
                "write it as `https://<host>[:<port>]/api/v1`",
            ));
            return None;
        }
    }
    if !text.ends_with("/api/v1") {
        diags.push(
            Diagnostic::warning(
                "api-url-path",
                url.span(),
                "`api_url` does not end in `/api/v1`, where the security server serves its API",
            )
            .with_help(format!("most likely `{}/api/v1`", text)),
        );
    }
    Some(text.to_string())
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads `ca_file`: a regular file of at most 1 MiB holding PEM certificates, or one DER
/// certificate.
fn ca_certificates(rel: &Sp<String>, base: &Path) -> Result<(PathBuf, Vec<Vec<u8>>), Diagnostic> {
    let path = base.join(&rel.value);
    let fail = |message: String, help: &str| {
        Diagnostic::error("ca-file", rel.span(), message).with_help(help.to_string())
    };
    let here = "the path is relative to the input file's folder";
    let meta = std::fs::metadata(&path)
        .map_err(|e| fail(format!("cannot read `{}`: {e}", path.display()), here))?;
    if !meta.is_file() {
        return Err(fail(
            format!("`{}` is not a regular file", path.display()),
            "give the PEM file of the admin UI's certificate or of its CA",
        ));
    }
    if meta.len() > CA_FILE_MAX_BYTES {
        return Err(fail(
            format!("`{}` is larger than 1 MiB", path.display()),
            "give the PEM file of the admin UI's certificate or of its CA, not a bundle",
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(CA_FILE_MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(format!("cannot read `{}`: {e}", path.display()), here))?;
    let certs = parse_certificates(&bytes);
    match certs {
        Ok(certs) if !certs.is_empty() => Ok((path, certs)),
        Ok(_) => Err(fail(
            format!("`{}` holds no certificate", rel.value),
            "give a PEM file that starts with `-----BEGIN CERTIFICATE-----`",
        )),
        Err(why) => Err(fail(
            format!("`{}` is not a certificate file: {why}", rel.value),
            "give a PEM file that starts with `-----BEGIN CERTIFICATE-----`",
        )),
    }
}

/// The certificates of a PEM file (other PEM blocks are skipped), or of a DER certificate.
fn parse_certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let looks_pem = bytes.windows(11).any(|w| w == b"-----BEGIN ");
    let ders: Vec<Vec<u8>> = if looks_pem {
        let mut out = Vec::new();
        for pem in x509_parser::pem::Pem::iter_from_buffer(bytes) {
            let pem = pem.map_err(|e| format!("a malformed PEM block ({e})"))?;
            if pem.label == "CERTIFICATE" {
                out.push(pem.contents);
            }
        }
        out
    } else {
        vec![bytes.to_vec()]
    };
    for der in &ders {
        x509_parser::parse_x509_certificate(der)
            .map_err(|e| format!("a certificate that cannot be parsed ({e})"))?;
    }
    Ok(ders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_variable_names() {
        assert!(is_env_name("XROAD_API_KEY_TEST"));
        assert!(is_env_name("_key1"));
        assert!(!is_env_name("1KEY"));
        assert!(!is_env_name("KEY-TEST"));
        assert!(!is_env_name(""));
    }

    fn url_diagnostics(url: &str) -> (Option<String>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let sp = Sp {
            value: url.to_string(),
            span: 0..url.len(),
        };
        (api_url(&sp, &mut diags), diags)
    }

    #[test]
    fn api_url_rules() {
        let (ok, d) = url_diagnostics("https://lp.example.fi:4000/api/v1/");
        assert_eq!(ok.as_deref(), Some("https://lp.example.fi:4000/api/v1"));
        assert!(d.is_empty(), "{d:?}");
        for bad in [
            "http://lp.example.fi:4000/api/v1",
            "lp.example.fi:4000/api/v1",
            "https://user:pw@lp.example.fi:4000/api/v1",
            "https://lp.example.fi:4000/api/v1?x=1",
            "https://lp example.fi/api/v1",
            "https:///api/v1",
        ] {
            let (ok, d) = url_diagnostics(bad);
            assert_eq!(ok, None, "{bad}");
            assert!(
                d.iter().any(|d| d.is_error() && d.code == "api-url"),
                "{bad}: {d:?}"
            );
        }
        let (ok, d) = url_diagnostics("https://lp.example.fi:4000/");
        assert!(ok.is_some());
        assert!(d.iter().all(|d| !d.is_error()) && d.len() == 1, "{d:?}");
    }

    #[test]
    fn ca_file_holds_certificates() {
        assert_eq!(
            parse_certificates(b"not a certificate")
                .map(|c| c.len())
                .ok(),
            None
        );
        let pem = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert_eq!(parse_certificates(pem), Ok(Vec::new()));
    }
}
