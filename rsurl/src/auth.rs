//! HTTP authentication beyond Basic: the scheme a transfer uses and the
//! `Authorization` value each scheme computes.
//!
//! Entry points: [`Scheme`] (what `--basic`, `--digest`, `--anyauth`,
//! `--oauth2-bearer` and `--aws-sigv4` select), [`challenge::parse`] for
//! `WWW-Authenticate`, [`digest::respond`] (RFC 7616) and
//! [`sigv4::sign`] (AWS Signature Version 4). The transfer engine decides
//! *when* to send what; these modules only compute header values, so they
//! are tested without a network.

pub(crate) mod challenge;
pub(crate) mod digest;
pub(crate) mod sigv4;

/// How a transfer authenticates to the server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Scheme {
    /// `Authorization: Basic` on the first request (curl's default).
    #[default]
    Basic,
    /// `--digest`: the first request goes without credentials (and with
    /// an empty body); a 401 with a Digest challenge is answered once.
    Digest,
    /// `--anyauth`: as Digest, answering the strongest scheme offered.
    Any,
    /// `--oauth2-bearer TOKEN`.
    Bearer(String),
    /// `--aws-sigv4 PROVIDER`: every request signed.
    AwsSigV4(sigv4::Provider),
}

impl Scheme {
    /// Whether the first request goes out without credentials, waiting for
    /// the server's challenge.
    pub(crate) fn negotiates(&self) -> bool {
        matches!(self, Self::Digest | Self::Any)
    }
}

/// The `Authorization` value answering `challenges` with the strongest
/// scheme `scheme` allows, or `None` when nothing offered is usable.
pub(crate) fn answer(
    scheme: &Scheme,
    challenges: &[challenge::Challenge],
    request: &digest::Request<'_>,
    rng: &mut dyn FnMut(&mut [u8]),
) -> Option<String> {
    let digest = challenges.iter().filter(|c| c.scheme.eq_ignore_ascii_case("digest"));
    if let Some(value) = digest.filter_map(|c| digest::respond(c, request, rng)).next() {
        return Some(value);
    }
    let basic = challenges.iter().any(|c| c.scheme.eq_ignore_ascii_case("basic"));
    (*scheme == Scheme::Any && basic).then(|| basic_value(request.user, request.password))
}

/// `Basic base64(user:password)`.
pub(crate) fn basic_value(user: &str, password: &str) -> String {
    format!("Basic {}", crate::base64::encode(format!("{user}:{password}").as_bytes()))
}

/// Lower-case hex, the form both Digest and SigV4 put digests in.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
