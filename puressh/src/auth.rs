//! Client user authentication (RFC 4252; RFC 4256 keyboard-interactive;
//! OpenSSH's publickey-hostbound), sans-I/O: request messages out,
//! server replies in, [`AuthEvent`]s out.
//!
//! Entry point: [`ClientAuth`]. Signatures are made through the
//! [`Signer`] trait (a key file or an agent, once purecrypto provides the
//! algorithms); [`signed_data`] builds the exact bytes to sign.
//!
//! Message 60 means PK_OK, PASSWD_CHANGEREQ or INFO_REQUEST depending on
//! the request in flight, so [`ClientAuth`] remembers it. A
//! keyboard-interactive exchange is bounded ([`MAX_INFO_ROUNDS`],
//! [`MAX_TOTAL_PROMPTS`]) so a server that never decides cannot keep the
//! client answering forever.

use crate::error::{AuthError, Error, MisuseError};
use crate::msg::{
    AuthMethod, Codec, InfoRequest, InfoResponse, Message, MsgNumber, PasswdChangeReq, Password, UserauthPkOk,
    UserauthRequest,
};
use crate::wire::{Reader, Writer};

/// Most INFO_REQUEST rounds one keyboard-interactive request may take
/// (OpenSSH's PAM conversations need a handful).
pub const MAX_INFO_ROUNDS: usize = 16;

/// Most prompts, summed over the rounds, one keyboard-interactive request
/// may ask.
pub const MAX_TOTAL_PROMPTS: usize = 64;

/// Makes the signature of a publickey request.
pub trait Signer {
    /// Signs `data` with the private key of `key` (a public key blob)
    /// under `algorithm`; returns the SSH signature blob.
    ///
    /// # Errors
    /// A human-readable reason (key locked, agent refused...).
    fn sign(&self, algorithm: &str, key: &[u8], data: &[u8]) -> Result<Vec<u8>, String>;
}

/// The bytes a publickey signature covers (RFC 4252 §7; for the
/// hostbound method the server's host key follows the key blob).
#[must_use]
pub fn signed_data(
    session_id: &[u8],
    user: &str,
    service: &str,
    algorithm: &str,
    key: &[u8],
    host_key: Option<&[u8]>,
) -> Vec<u8> {
    let mut w = Writer::new();
    w.string(session_id).byte(MsgNumber::USERAUTH_REQUEST.0).string(user.as_bytes()).string(service.as_bytes());
    match host_key {
        Some(host_key) => {
            w.string(b"publickey-hostbound-v00@openssh.com").boolean(true).string(algorithm.as_bytes()).string(key);
            w.string(host_key);
        }
        None => {
            w.string(b"publickey").boolean(true).string(algorithm.as_bytes()).string(key);
        }
    }
    w.into_bytes()
}

/// What the server said.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthEvent {
    /// Authentication is complete.
    Success,
    /// The last request failed (or succeeded partially); these methods
    /// may continue.
    Failure {
        /// Method names.
        methods: Vec<String>,
        /// The request succeeded but more is required.
        partial_success: bool,
    },
    /// Text to show the user before authentication (control characters
    /// must be stripped before display).
    Banner(String),
    /// The probed public key is acceptable: sign and send it.
    PublicKeyOk {
        /// The algorithm.
        algorithm: String,
        /// The key blob.
        key: Vec<u8>,
    },
    /// Keyboard-interactive prompts to answer with
    /// [`ClientAuth::info_response`].
    InfoRequest(InfoRequest),
    /// The password was accepted but has expired (RFC 4252 §8): answer
    /// with [`ClientAuth::password_change`], or give up.
    PasswordChangeRequested {
        /// The server's explanation (strip control characters before display).
        prompt: String,
        /// Language tag.
        language: String,
    },
}

/// The request in flight, which gives message 60 its meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    /// Nothing sent, or the last reply ended the request.
    Idle,
    /// `none` or a signed publickey.
    Plain,
    /// `password`: 60 is PASSWD_CHANGEREQ.
    Password,
    /// A publickey probe: 60 is PK_OK.
    Probe,
    /// keyboard-interactive: 60 is INFO_REQUEST.
    Interactive(Interactive),
    /// Done.
    Authenticated,
}

/// Progress of one keyboard-interactive request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Interactive {
    /// INFO_REQUESTs received.
    rounds: usize,
    /// Prompts received, summed over the rounds.
    prompts: usize,
    /// The prompt count of the INFO_REQUEST awaiting an answer.
    awaiting: Option<usize>,
}

/// The client side of user authentication for one user and service.
#[derive(Debug, Clone)]
pub struct ClientAuth {
    user: String,
    service: String,
    pending: Pending,
}

impl ClientAuth {
    /// Authenticates `user` for `service` (usually `ssh-connection`).
    #[must_use]
    pub fn new(user: &str, service: &str) -> Self {
        Self { user: user.to_owned(), service: service.to_owned(), pending: Pending::Idle }
    }

    fn request(&mut self, method: AuthMethod, pending: Pending) -> Result<Message, Error> {
        if matches!(self.pending, Pending::Authenticated) {
            return Err(MisuseError::WrongState("already authenticated").into());
        }
        self.pending = pending;
        Ok(Message::UserauthRequest(UserauthRequest { user: self.user.clone(), service: self.service.clone(), method }))
    }

    /// The `none` request (asks which methods may continue).
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] after success.
    pub fn none(&mut self) -> Result<Message, Error> {
        self.request(AuthMethod::None, Pending::Plain)
    }

    /// A `password` request.
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] after success.
    pub fn password(&mut self, password: &str) -> Result<Message, Error> {
        let method = AuthMethod::Password { password: Password::from(password), new_password: None };
        self.request(method, Pending::Password)
    }

    /// A `password` request that changes an expired password (the answer
    /// to [`AuthEvent::PasswordChangeRequested`]).
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] after success.
    pub fn password_change(&mut self, old: &Password, new: &Password) -> Result<Message, Error> {
        let method = AuthMethod::Password { password: old.clone(), new_password: Some(new.clone()) };
        self.request(method, Pending::Password)
    }

    /// Asks whether `key` would be accepted, without signing.
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] after success.
    pub fn probe_public_key(&mut self, algorithm: &str, key: &[u8]) -> Result<Message, Error> {
        let method = AuthMethod::PublicKey { algorithm: algorithm.to_owned(), key: key.to_vec(), signature: None };
        self.request(method, Pending::Probe)
    }

    /// A signed `publickey` request (or the hostbound form when
    /// `host_key` is given) for the session `session_id`.
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] after success, [`AuthError::SignerFailed`].
    pub fn signed_public_key(
        &mut self,
        session_id: &[u8],
        algorithm: &str,
        key: &[u8],
        host_key: Option<&[u8]>,
        signer: &dyn Signer,
    ) -> Result<Message, Error> {
        let data = signed_data(session_id, &self.user, &self.service, algorithm, key, host_key);
        let signature = signer.sign(algorithm, key, &data).map_err(AuthError::SignerFailed)?;
        let (algorithm, key) = (algorithm.to_owned(), key.to_vec());
        let method = match host_key {
            Some(h) => {
                AuthMethod::PublicKeyHostbound { algorithm, key, host_key: h.to_vec(), signature: Some(signature) }
            }
            None => AuthMethod::PublicKey { algorithm, key, signature: Some(signature) },
        };
        self.request(method, Pending::Plain)
    }

    /// A `keyboard-interactive` request.
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] after success.
    pub fn keyboard_interactive(&mut self) -> Result<Message, Error> {
        let method = AuthMethod::KeyboardInteractive { language: String::new(), submethods: String::new() };
        self.request(method, Pending::Interactive(Interactive::default()))
    }

    /// Answers an [`AuthEvent::InfoRequest`].
    ///
    /// # Errors
    /// As [`ClientAuth::info_response_owned`].
    pub fn info_response(&mut self, answers: &[&str]) -> Result<Message, Error> {
        self.info_response_owned(answers.iter().map(|a| Password::from(*a)).collect())
    }

    /// Answers an [`AuthEvent::InfoRequest`] with one answer per prompt
    /// (answers may be secrets: they stay zeroizing).
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] when no INFO_REQUEST awaits an answer
    /// or the answer count differs from the prompt count (RFC 4256 §3.4).
    pub fn info_response_owned(&mut self, responses: Vec<Password>) -> Result<Message, Error> {
        let Pending::Interactive(progress) = &mut self.pending else {
            return Err(MisuseError::WrongState("no keyboard-interactive exchange").into());
        };
        match progress.awaiting {
            Some(count) if count == responses.len() => progress.awaiting = None,
            Some(_) => return Err(MisuseError::WrongState("one answer per prompt is required").into()),
            None => return Err(MisuseError::WrongState("no INFO_REQUEST awaits an answer").into()),
        }
        let mut body = Vec::new();
        InfoResponse { responses }.encode(&mut body);
        Ok(Message::Other { number: MsgNumber::USERAUTH_61, body })
    }

    /// Handles one server reply.
    ///
    /// # Errors
    /// [`Error::Decode`] for a malformed reply; [`AuthError::Unexpected`]
    /// for a message that does not fit the request in flight;
    /// [`AuthError::TooManyInfoRequests`] / [`AuthError::TooManyPrompts`]
    /// when keyboard-interactive goes past its bounds.
    pub fn handle(&mut self, payload: &[u8]) -> Result<AuthEvent, Error> {
        let unexpected = |n: MsgNumber| Error::Auth(AuthError::Unexpected { number: n.0 });
        let message = Message::decode(payload)?;
        let number = message.number();
        if self.pending == Pending::Authenticated {
            return Err(unexpected(number));
        }
        match message {
            Message::UserauthBanner(b) => Ok(AuthEvent::Banner(b.message)),
            Message::UserauthSuccess(_) if self.pending != Pending::Idle => {
                self.pending = Pending::Authenticated;
                Ok(AuthEvent::Success)
            }
            Message::UserauthFailure(f) if self.pending != Pending::Idle => {
                self.pending = Pending::Idle;
                Ok(AuthEvent::Failure { methods: f.methods, partial_success: f.partial_success })
            }
            Message::Other { number: MsgNumber::USERAUTH_60, body } => {
                let mut r = Reader::new(&body);
                let event = match &mut self.pending {
                    Pending::Probe => {
                        let ok = UserauthPkOk::read(&mut r)?;
                        self.pending = Pending::Idle;
                        AuthEvent::PublicKeyOk { algorithm: ok.algorithm, key: ok.key }
                    }
                    Pending::Password => {
                        let change = PasswdChangeReq::read(&mut r)?;
                        self.pending = Pending::Idle;
                        AuthEvent::PasswordChangeRequested { prompt: change.prompt, language: change.language }
                    }
                    // A new request before the last one was answered breaks RFC 4256 §3.2's turn-taking.
                    Pending::Interactive(progress) if progress.awaiting.is_none() => {
                        let request = InfoRequest::read(&mut r)?;
                        progress.rounds = progress.rounds.saturating_add(1);
                        progress.prompts = progress.prompts.saturating_add(request.prompts.len());
                        if progress.rounds > MAX_INFO_ROUNDS {
                            return Err(AuthError::TooManyInfoRequests { limit: MAX_INFO_ROUNDS }.into());
                        }
                        if progress.prompts > MAX_TOTAL_PROMPTS {
                            return Err(AuthError::TooManyPrompts { limit: MAX_TOTAL_PROMPTS }.into());
                        }
                        progress.awaiting = Some(request.prompts.len());
                        AuthEvent::InfoRequest(request)
                    }
                    _ => return Err(unexpected(number)),
                };
                r.finish()?;
                Ok(event)
            }
            _ => Err(unexpected(number)),
        }
    }
}

#[cfg(test)]
mod tests;
