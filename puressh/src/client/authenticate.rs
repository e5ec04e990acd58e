//! The blocking client's user authentication (RFC 4252): the `none`
//! probe, then the caller's methods in [`ClientConfig::auth_methods`]
//! order, each only while the server lists it as able to continue, with
//! partial success (several methods required) followed to the end.
//!
//! Public keys come from the agent ([`ClientConfig::agent`]) and from
//! [`ClientConfig::identities`], agent keys first as in OpenSSH, with
//! `IdentitiesOnly` ([`ClientConfig::identities_only`]) limiting the
//! agent's keys to those also loaded from files.
//!
//! Entry point: `Session::authenticate`, called by
//! [`crate::client::Client::connect`]. Every method consumes a finite
//! credential (a key, the password once, one keyboard-interactive
//! exchange of bounded rounds), so a server that keeps answering
//! "partial success" cannot keep the client busy forever.

use super::{ClientConfig, ClientError, Prompter, Session, unexpected};
use crate::agent::AgentIdentity;
use crate::auth::{AuthEvent, ClientAuth, Signer};
use crate::keys::cert::Certificate;
use crate::msg::{Message, Password, ServiceRequest};

/// The methods tried after `none`, in this order, by default (OpenSSH's
/// `PreferredAuthentications` order, without the GSSAPI and hostbased
/// methods puressh does not implement).
pub const DEFAULT_AUTH_METHODS: [&str; 3] = ["publickey", "keyboard-interactive", "password"];

/// One public key to offer, and who signs with it.
#[derive(Debug, Clone)]
enum Offer {
    /// A key the agent holds ([`ClientConfig::agent`]).
    Agent(Box<AgentIdentity>),
    /// The key at this index of [`ClientConfig::identities`].
    File(usize),
    /// A certificate, signed for by the key it certifies: an identity
    /// file or agent key, or the agent itself for a certificate it holds.
    Certified {
        /// The certificate offered.
        certificate: Box<Certificate>,
        /// Who signs: for [`Offer::Agent`] its `blob` is what the sign
        /// request names (the plain key, or the agent's certificate).
        holder: Box<Offer>,
    },
}

impl Offer {
    /// The plain key's blob and signature algorithms.
    fn plain(&self, config: &ClientConfig) -> Option<(Vec<u8>, &'static [&'static str])> {
        match self {
            Self::Agent(id) => Some((id.blob.clone(), id.algorithms())),
            Self::File(i) => config.identities.get(*i).map(|k| (k.public_key().to_blob(), k.algorithms())),
            Self::Certified { holder, .. } => holder.plain(config),
        }
    }

    fn held_by_agent(&self) -> bool {
        match self {
            Self::Agent(_) => true,
            Self::File(_) => false,
            Self::Certified { holder, .. } => holder.held_by_agent(),
        }
    }
}

/// The keys to offer, in OpenSSH's order: the agent's keys first (only
/// those also named as identity files under `IdentitiesOnly`), then the
/// identity files the agent does not hold, each key followed by the
/// certificates for it (OpenSSH 9 offers the plain key first too), then
/// certificates only the agent holds. An agent that cannot be reached or
/// refuses to list its keys is passed over, as `ssh` does.
fn offers(config: &ClientConfig) -> Vec<Offer> {
    let file_blobs: Vec<Vec<u8>> = config.identities.iter().map(|k| k.public_key().to_blob()).collect();
    let agent_keys = config.agent.as_ref().and_then(|agent| agent.identities().ok()).unwrap_or_default();
    let wanted = |id: &AgentIdentity| !config.identities_only || file_blobs.contains(&id.public.to_blob());
    let (agent_certs, agent_plain): (Vec<AgentIdentity>, Vec<AgentIdentity>) =
        agent_keys.into_iter().filter(wanted).partition(|id| id.certificate.is_some());
    let mut plain: Vec<(Vec<u8>, Offer)> =
        agent_plain.into_iter().map(|id| (id.blob.clone(), Offer::Agent(Box::new(id)))).collect();
    for (index, blob) in file_blobs.iter().enumerate() {
        if !plain.iter().any(|(b, _)| b == blob) {
            plain.push((blob.clone(), Offer::File(index)));
        }
    }
    let mut offers = Vec::new();
    let mut offered_certs: Vec<Vec<u8>> = Vec::new();
    for (blob, offer) in plain {
        let mut certified = Vec::new();
        for cert in config.certificates.iter().filter(|c| c.key.to_blob() == blob) {
            if !offered_certs.iter().any(|c| c == cert.blob()) {
                offered_certs.push(cert.blob().to_vec());
                certified
                    .push(Offer::Certified { certificate: Box::new(cert.clone()), holder: Box::new(offer.clone()) });
            }
        }
        offers.push(offer);
        offers.extend(certified);
    }
    // Certificates only the agent holds: the agent signs for them.
    for id in agent_certs {
        let Some(cert) = id.certificate.clone() else { continue };
        if !offered_certs.iter().any(|c| c == cert.blob()) {
            offered_certs.push(cert.blob().to_vec());
            offers.push(Offer::Certified { certificate: Box::new(cert), holder: Box::new(Offer::Agent(Box::new(id))) });
        }
    }
    offers
}

/// Signs for a certificate with the key it certifies: the request names
/// the certificate and its algorithm, the signature is the plain key's
/// (`rsa-sha2-512-cert-v01@openssh.com` signs as `rsa-sha2-512`).
struct CertifiedSigner<'a> {
    holder: &'a dyn Signer,
    key: Vec<u8>,
}

impl Signer for CertifiedSigner<'_> {
    fn sign(&self, algorithm: &str, _certificate: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
        let plain = crate::keys::cert::signature_algorithm(algorithm)
            .ok_or_else(|| format!("{algorithm} is not a certificate algorithm"))?;
        self.holder.sign(plain, &self.key, data)
    }
}

/// How far each method has got: what is left to try.
#[derive(Debug, Default)]
struct Progress {
    /// The public keys to offer (see [`offers`]).
    offers: Vec<Offer>,
    /// The next one to offer.
    next_identity: usize,
    password_sent: bool,
    interactive_done: bool,
}

/// The end of one method's attempt.
enum Outcome {
    Success,
    /// The server's current "can continue" list.
    Continue(Vec<String>),
}

impl Session {
    /// Runs user authentication to success or to a typed failure.
    pub(super) fn authenticate(&mut self, config: &mut ClientConfig) -> Result<(), ClientError> {
        self.transport.send(&Message::ServiceRequest(ServiceRequest { service: "ssh-userauth".into() }))?;
        self.flush()?;
        match self.next_message()? {
            Message::ServiceAccept(_) => {}
            other => return Err(unexpected(&other)),
        }
        let mut auth = ClientAuth::new(&config.user, "ssh-connection");
        // `none` first: some servers let it in, the others tell which methods may continue.
        let none = auth.none()?;
        self.send(&none)?;
        let mut methods = match self.auth_event(&mut auth, &mut config.prompter)? {
            AuthEvent::Success => return self.authenticated(),
            AuthEvent::Failure { methods, .. } => methods,
            other => return Err(unexpected_event(&other)),
        };
        let mut progress = Progress { offers: offers(config), ..Progress::default() };
        loop {
            let Some(method) = next_method(config, &progress, &methods) else {
                return Err(ClientError::AuthFailed(methods));
            };
            let outcome = match method {
                "publickey" => self.try_public_keys(&mut auth, config, &mut progress, methods)?,
                "password" => self.try_password(&mut auth, config, &mut progress, methods)?,
                _ => self.try_keyboard_interactive(&mut auth, config, &mut progress)?,
            };
            match outcome {
                Outcome::Success => return self.authenticated(),
                Outcome::Continue(m) => methods = m,
            }
        }
    }

    fn send(&mut self, message: &Message) -> Result<(), ClientError> {
        self.transport.send(message)?;
        self.flush()
    }

    /// The next reply to the request in flight; banners go to the prompter.
    fn auth_event(
        &mut self,
        auth: &mut ClientAuth,
        prompter: &mut Option<Box<dyn Prompter>>,
    ) -> Result<AuthEvent, ClientError> {
        loop {
            let reply = self.next_message()?;
            match auth.handle(&reply.to_bytes())? {
                AuthEvent::Banner(text) => {
                    if let Some(prompter) = prompter.as_deref_mut() {
                        prompter.banner(&text);
                    }
                }
                event => return Ok(event),
            }
        }
    }

    /// Offers the remaining identities: probe first (RFC 4252 §7), sign
    /// only a key the server takes. Returns after success, after a
    /// partial success, or when the keys (or the server's patience) run out.
    fn try_public_keys(
        &mut self,
        auth: &mut ClientAuth,
        config: &mut ClientConfig,
        progress: &mut Progress,
        mut methods: Vec<String>,
    ) -> Result<Outcome, ClientError> {
        let session_id = self.kex.session_id().unwrap_or_default().to_vec();
        while let Some(offer) = progress.offers.get(progress.next_identity) {
            progress.next_identity = progress.next_identity.saturating_add(1);
            let Some((plain_blob, plain_algorithms)) = offer.plain(config) else { continue };
            let certificate = match offer {
                Offer::Certified { certificate, .. } => Some(certificate.blob().to_vec()),
                _ => None,
            };
            let from_agent = offer.held_by_agent();
            // server-sig-algs names plain algorithms; a certificate uses
            // the certificate form of each.
            let algorithms: Vec<&'static str> = self
                .usable_algorithms(plain_algorithms)
                .into_iter()
                .filter_map(
                    |a| if certificate.is_some() { crate::keys::cert::certificate_algorithm(a) } else { Some(a) },
                )
                .collect();
            let blob = certificate.clone().unwrap_or_else(|| plain_blob.clone());
            for algorithm in algorithms {
                if !lists(&methods, "publickey") {
                    return Ok(Outcome::Continue(methods));
                }
                let probe = auth.probe_public_key(algorithm, &blob)?;
                self.send(&probe)?;
                match self.auth_event(auth, &mut config.prompter)? {
                    AuthEvent::Success => return Ok(Outcome::Success),
                    AuthEvent::Failure { methods: m, .. } => {
                        methods = m;
                        continue;
                    }
                    AuthEvent::PublicKeyOk { .. } => {}
                    other => return Err(unexpected_event(&other)),
                }
                let holder: Option<&dyn Signer> = if from_agent {
                    config.agent.as_ref().map(|a| a as &dyn Signer)
                } else {
                    config.identities.iter().find(|k| k.public_key().to_blob() == plain_blob).map(|k| k as &dyn Signer)
                };
                let Some(holder) = holder else { break };
                let certified = CertifiedSigner { holder, key: plain_blob.clone() };
                let signer: &dyn Signer = if certificate.is_some() { &certified } else { holder };
                let host_key = self.hostbound_key();
                let signed = match auth.signed_public_key(&session_id, algorithm, &blob, host_key.as_deref(), signer) {
                    Ok(signed) => signed,
                    // An agent that refuses (a declined `ssh-add -c`
                    // confirmation, a key removed meanwhile): the next key, as ssh does.
                    Err(crate::Error::Auth(crate::error::AuthError::SignerFailed(_))) if from_agent => break,
                    Err(e) => return Err(e.into()),
                };
                self.send(&signed)?;
                match self.auth_event(auth, &mut config.prompter)? {
                    AuthEvent::Success => return Ok(Outcome::Success),
                    // This key counted; the server wants another method (or key).
                    AuthEvent::Failure { methods, partial_success: true } => return Ok(Outcome::Continue(methods)),
                    AuthEvent::Failure { methods: m, .. } => methods = m,
                    other => return Err(unexpected_event(&other)),
                }
            }
        }
        Ok(Outcome::Continue(methods))
    }

    /// Sends the password once; follows a change request through the
    /// prompter.
    fn try_password(
        &mut self,
        auth: &mut ClientAuth,
        config: &mut ClientConfig,
        progress: &mut Progress,
        methods: Vec<String>,
    ) -> Result<Outcome, ClientError> {
        progress.password_sent = true;
        let Some(password) = config.password.clone() else { return Ok(Outcome::Continue(methods)) };
        let request = auth.password(password.expose())?;
        self.send(&request)?;
        let prompt = match self.auth_event(auth, &mut config.prompter)? {
            AuthEvent::Success => return Ok(Outcome::Success),
            AuthEvent::Failure { methods, .. } => return Ok(Outcome::Continue(methods)),
            AuthEvent::PasswordChangeRequested { prompt, .. } => prompt,
            other => return Err(unexpected_event(&other)),
        };
        let new: Option<Password> = config.prompter.as_deref_mut().and_then(|p| p.new_password(&prompt));
        let Some(new) = new else { return Err(ClientError::PasswordChangeRequired(prompt)) };
        let request = auth.password_change(&password, &new)?;
        self.send(&request)?;
        match self.auth_event(auth, &mut config.prompter)? {
            AuthEvent::Success => Ok(Outcome::Success),
            AuthEvent::Failure { methods, .. } => Ok(Outcome::Continue(methods)),
            // A second change request: the new password was not good enough.
            AuthEvent::PasswordChangeRequested { prompt, .. } => Err(ClientError::PasswordChangeRequired(prompt)),
            other => Err(unexpected_event(&other)),
        }
    }

    /// One keyboard-interactive exchange, each round answered by the
    /// prompter (the rounds are bounded by [`ClientAuth`]).
    fn try_keyboard_interactive(
        &mut self,
        auth: &mut ClientAuth,
        config: &mut ClientConfig,
        progress: &mut Progress,
    ) -> Result<Outcome, ClientError> {
        progress.interactive_done = true;
        let request = auth.keyboard_interactive()?;
        self.send(&request)?;
        loop {
            match self.auth_event(auth, &mut config.prompter)? {
                AuthEvent::Success => return Ok(Outcome::Success),
                AuthEvent::Failure { methods, .. } => return Ok(Outcome::Continue(methods)),
                AuthEvent::InfoRequest(info) => {
                    let answers = config.prompter.as_deref_mut().and_then(|p| p.answer(&info));
                    let Some(answers) = answers else { return Err(ClientError::AuthCancelled) };
                    let response = auth.info_response_owned(answers)?;
                    self.send(&response)?;
                }
                other => return Err(unexpected_event(&other)),
            }
        }
    }

    /// The host key blob to bind publickey signatures to, when the server
    /// takes `publickey-hostbound-v00@openssh.com`.
    fn hostbound_key(&self) -> Option<Vec<u8>> {
        self.pubkey_hostbound.then(|| self.kex.host_key().map(<[u8]>::to_vec)).flatten()
    }

    /// The key's signature algorithms the server accepts: with
    /// `server-sig-algs`, those it lists (RSA keys need it to use SHA-2
    /// safely); without, the key's preferred one.
    fn usable_algorithms(&self, algorithms: &'static [&'static str]) -> Vec<&'static str> {
        match &self.server_sig_algs {
            Some(list) => algorithms.iter().copied().filter(|a| list.iter().any(|l| l == a)).collect(),
            None => algorithms.iter().copied().take(1).collect(),
        }
    }
}

fn lists(methods: &[String], name: &str) -> bool {
    methods.iter().any(|m| m == name)
}

/// The first configured method the server lists that still has
/// something to try.
fn next_method<'c>(config: &'c ClientConfig, progress: &Progress, methods: &[String]) -> Option<&'c str> {
    config.auth_methods.iter().map(String::as_str).find(|&name| {
        lists(methods, name)
            && match name {
                "publickey" => progress.next_identity < progress.offers.len(),
                "password" => config.password.is_some() && !progress.password_sent,
                "keyboard-interactive" => config.prompter.is_some() && !progress.interactive_done,
                _ => false,
            }
    })
}

fn unexpected_event(event: &AuthEvent) -> ClientError {
    let what = match event {
        AuthEvent::PublicKeyOk { .. } => "PK_OK",
        AuthEvent::InfoRequest(_) => "INFO_REQUEST",
        AuthEvent::PasswordChangeRequested { .. } => "PASSWD_CHANGEREQ",
        _ => "reply",
    };
    ClientError::Refused(format!("{what} out of turn during user authentication"))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Silent;
    impl crate::client::Prompter for Silent {
        fn answer(&mut self, _: &crate::msg::InfoRequest) -> Option<Vec<Password>> {
            None
        }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn methods_follow_our_order_among_what_the_server_lists() {
        let mut config = ClientConfig::new("u");
        let mut progress = Progress::default();
        let server = names(&["password", "keyboard-interactive", "publickey"]);
        // No credentials at all: nothing to try.
        assert_eq!(next_method(&config, &progress, &server), None);
        config.password = Some("pw".into());
        assert_eq!(next_method(&config, &progress, &server), Some("password"));
        config.prompter = Some(Box::new(Silent));
        // keyboard-interactive comes before password in the default order.
        assert_eq!(next_method(&config, &progress, &server), Some("keyboard-interactive"));
        // ...but only while the server lists it.
        assert_eq!(next_method(&config, &progress, &names(&["password"])), Some("password"));
        progress.interactive_done = true;
        assert_eq!(next_method(&config, &progress, &server), Some("password"));
        progress.password_sent = true;
        assert_eq!(next_method(&config, &progress, &server), None);
        // The caller's order wins, and unknown names are skipped.
        let mut progress = Progress::default();
        config.auth_methods = names(&["hostbased", "password", "keyboard-interactive"]);
        assert_eq!(next_method(&config, &progress, &server), Some("password"));
        progress.password_sent = true;
        assert_eq!(next_method(&config, &progress, &names(&["hostbased", "publickey"])), None);
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/data/certs/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Each certificate follows the key it certifies; one for a key we do
    /// not hold is never offered.
    #[test]
    fn certificates_follow_their_keys() {
        use crate::keys::cert::Certificate;
        let mut config = ClientConfig::new("alice");
        for name in ["user_rsa", "user_ed25519"] {
            config.identities.push(crate::keys::private::PrivateKey::from_openssh(&fixture(name), None).unwrap());
        }
        for name in ["user_ecdsa-cert.pub", "user_ed25519-cert.pub"] {
            config.certificates.push(Certificate::from_openssh_line(&fixture(name)).unwrap().0);
        }
        config.certificates.push(config.certificates[1].clone());
        let order: Vec<String> = offers(&config)
            .iter()
            .map(|o| match o {
                Offer::File(i) => format!("file {i}"),
                Offer::Certified { certificate, holder } => format!("cert {} by {holder:?}", certificate.key_id),
                Offer::Agent(_) => "agent".into(),
            })
            .collect();
        // The same certificate twice is offered once.
        assert_eq!(order, ["file 0", "file 1", "cert user-ed25519-id by File(1)"]);
    }

    /// A certificate request names the certificate; the signature is the
    /// plain key's, under the plain algorithm.
    #[test]
    fn certified_signatures_are_plain_signatures() {
        let key = crate::keys::private::PrivateKey::from_openssh(&fixture("user_rsa"), None).unwrap();
        let plain = key.public_key().to_blob();
        let signer = CertifiedSigner { holder: &key, key: plain };
        let signature = signer.sign(crate::names::RSA_SHA2_256_CERT, b"cert blob", b"data").unwrap();
        key.public_key().verify(crate::names::RSA_SHA2_256, b"data", &signature).unwrap();
        assert!(signer.sign(crate::names::RSA_SHA2_256, b"", b"data").is_err());
    }

    #[test]
    fn config_debug_hides_the_password() {
        let mut config = ClientConfig::new("u");
        config.password = Some("hunter2".into());
        config.prompter = Some(Box::new(Silent));
        let debug = format!("{config:?}");
        assert!(!debug.contains("hunter2") && debug.contains("Prompter"), "{debug}");
    }
}
