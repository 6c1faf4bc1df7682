//! TLS for the management REST API: rustls under ureq, verified against the server's
//! `ca_file` or the public root CAs, with no way to turn verification off.
//!
//! X-Road's admin UI presents a self-signed certificate that its installer marks as a CA
//! (`basicConstraints=critical,CA:TRUE`). WebPKI path building rightly refuses a CA
//! certificate as a server's own certificate, so a certificate given in `ca_file` is also
//! accepted when the server presents exactly that certificate (a pin): the handshake still
//! proves that the server holds its private key, and the certificate must be within its
//! validity period. Every other certificate must chain to a certificate in `ca_file`, or,
//! without `ca_file`, to a root CA of the Mozilla programme (`webpki-roots`).

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct};
use rustls::{RootCertStore, SignatureScheme, StreamOwned};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
    TransportAdapter,
};

/// The rustls client configuration for one server: trust in `ca_file`'s certificates
/// (DER), or in the public root CAs when there are none.
pub fn client_config(trusted: &[Vec<u8>]) -> Result<Arc<ClientConfig>, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    let pinned: Vec<CertificateDer<'static>> = trusted
        .iter()
        .map(|der| CertificateDer::from(der.clone()))
        .collect();
    if pinned.is_empty() {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    } else {
        let (added, _ignored) = roots.add_parsable_certificates(pinned.iter().cloned());
        if added == 0 {
            return Err(rustls::Error::General(
                "no certificate in `ca_file` can serve as a trust anchor".into(),
            ));
        }
    }
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| rustls::Error::General(e.to_string()))?;
    let verifier = PinOrChain {
        webpki,
        pinned,
        provider: provider.clone(),
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous() // a verifier of our own, which verifies: see `PinOrChain`
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Accepts a server certificate that chains to a trust anchor (WebPKI, host name checked),
/// or that is byte for byte one of the `ca_file` certificates and is within its validity.
#[derive(Debug)]
struct PinOrChain {
    webpki: Arc<WebPkiServerVerifier>,
    pinned: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinOrChain {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chained = self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        match chained {
            Ok(verified) => Ok(verified),
            Err(e)
                if self
                    .pinned
                    .iter()
                    .any(|p| p.as_ref() == end_entity.as_ref()) =>
            {
                within_validity(end_entity, now).map_err(|validity| match validity {
                    Some(v) => rustls::Error::InvalidCertificate(v),
                    None => e,
                })?;
                Ok(ServerCertVerified::assertion())
            }
            // A self-signed certificate marked as a CA (as X-Road makes them) that is not
            // the one in `ca_file`: to the user, simply one that nothing here vouches for.
            Err(rustls::Error::InvalidCertificate(CertificateError::Other(o)))
                if o.to_string().contains("CaUsedAsEndEntity") =>
            {
                Err(rustls::Error::InvalidCertificate(
                    CertificateError::UnknownIssuer,
                ))
            }
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// `Ok` when `now` is within the certificate's validity; the error says which end was
/// crossed, or `None` when the certificate cannot be parsed.
fn within_validity(
    der: &CertificateDer<'_>,
    now: UnixTime,
) -> Result<(), Option<CertificateError>> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).map_err(|_| None)?;
    let now = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
    let validity = cert.validity();
    if now < validity.not_before.timestamp() {
        Err(Some(CertificateError::NotValidYet))
    } else if now > validity.not_after.timestamp() {
        Err(Some(CertificateError::Expired))
    } else {
        Ok(())
    }
}

/// A ureq connector that wraps the TCP transport in TLS with a given rustls configuration.
pub struct TlsConnector {
    config: Arc<ClientConfig>,
}

impl TlsConnector {
    /// A connector using `config` for every connection.
    pub fn new(config: Arc<ClientConfig>) -> Self {
        TlsConnector { config }
    }
}

impl fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConnector").finish_non_exhaustive()
    }
}

impl<In: Transport> Connector<In> for TlsConnector {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Err(ureq::Error::ConnectionFailed);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let host = details.uri.host().unwrap_or_default();
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(host.to_string()).map_err(|_| {
            ureq::Error::Tls("the host in `api_url` is not a valid TLS server name")
        })?;
        let mut conn =
            ClientConnection::new(self.config.clone(), name).map_err(io::Error::other)?;
        let mut sock = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        sock.set_timeout(details.timeout);
        conn.complete_io(&mut sock)?;
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(TlsTransport {
            buffers,
            stream: StreamOwned { conn, sock },
        })))
    }
}

/// An HTTP transport over a rustls stream.
pub struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsTransport").finish_non_exhaustive()
    }
}

impl Transport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let output = &self.buffers.output()[..amount];
        self.stream.write_all(output)?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}
