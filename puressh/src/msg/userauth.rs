//! User-authentication message bodies (RFC 4252; RFC 4256 for
//! keyboard-interactive; OpenSSH's PROTOCOL for
//! `publickey-hostbound-v00@openssh.com`).
//!
//! Entry point: [`UserauthRequest`] and its [`AuthMethod`]. The
//! method-specific numbers 60-79 mean different things per method, so
//! they decode to [`crate::msg::Message::Other`] and the auth layer,
//! which knows the method in progress, reads [`UserauthPkOk`],
//! [`PasswdChangeReq`], [`InfoRequest`] or [`InfoResponse`] from the body.

use super::{Codec, read_names, read_text};
use crate::wire::{Reader, WireError, Writer};
use zeroize::Zeroizing;

/// A password: zeroized on drop, redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Password(pub Zeroizing<String>);

impl Password {
    /// The secret text, for the one place that must send it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Password {
    fn from(text: String) -> Self {
        Self(Zeroizing::new(text))
    }
}

impl core::fmt::Debug for Password {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Password { .. }")
    }
}

impl From<&str> for Password {
    fn from(text: &str) -> Self {
        Self(Zeroizing::new(text.to_owned()))
    }
}

/// The method-specific part of SSH_MSG_USERAUTH_REQUEST.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthMethod {
    /// `none`: asks which methods may continue.
    None,
    /// `password` (RFC 4252 §8).
    Password {
        /// The password.
        password: Password,
        /// A new password, when answering a change request.
        new_password: Option<Password>,
    },
    /// `publickey` (RFC 4252 §7).
    PublicKey {
        /// Signature algorithm name.
        algorithm: String,
        /// Public key blob.
        key: Vec<u8>,
        /// The signature, absent when only asking whether the key is
        /// acceptable.
        signature: Option<Vec<u8>>,
    },
    /// `publickey-hostbound-v00@openssh.com`: publickey bound to the
    /// server's host key.
    PublicKeyHostbound {
        /// Signature algorithm name.
        algorithm: String,
        /// Public key blob.
        key: Vec<u8>,
        /// The server host key blob the signature binds to.
        host_key: Vec<u8>,
        /// The signature, absent when only probing.
        signature: Option<Vec<u8>>,
    },
    /// `keyboard-interactive` (RFC 4256 §3.1).
    KeyboardInteractive {
        /// Deprecated language tag.
        language: String,
        /// Submethod hints.
        submethods: String,
    },
    /// Any other method: its name and raw fields.
    Other {
        /// The method name.
        name: String,
        /// Everything after the name.
        data: Vec<u8>,
    },
}

impl AuthMethod {
    /// The method name on the wire.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::None => "none",
            Self::Password { .. } => "password",
            Self::PublicKey { .. } => "publickey",
            Self::PublicKeyHostbound { .. } => "publickey-hostbound-v00@openssh.com",
            Self::KeyboardInteractive { .. } => "keyboard-interactive",
            Self::Other { name, .. } => name,
        }
    }
}

/// SSH_MSG_USERAUTH_REQUEST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserauthRequest {
    /// User name (UTF-8).
    pub user: String,
    /// Service to start afterwards, usually `ssh-connection`.
    pub service: String,
    /// The method and its fields.
    pub method: AuthMethod,
}

impl Codec for UserauthRequest {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.string(self.user.as_bytes()).string(self.service.as_bytes()).string(self.method.name().as_bytes());
        match &self.method {
            AuthMethod::None => {}
            AuthMethod::Password { password, new_password } => {
                w.boolean(new_password.is_some()).string(password.0.as_bytes());
                if let Some(new) = new_password {
                    w.string(new.0.as_bytes());
                }
            }
            AuthMethod::PublicKey { algorithm, key, signature } => {
                w.boolean(signature.is_some()).string(algorithm.as_bytes()).string(key);
                if let Some(sig) = signature {
                    w.string(sig);
                }
            }
            AuthMethod::PublicKeyHostbound { algorithm, key, host_key, signature } => {
                w.boolean(signature.is_some()).string(algorithm.as_bytes()).string(key).string(host_key);
                if let Some(sig) = signature {
                    w.string(sig);
                }
            }
            AuthMethod::KeyboardInteractive { language, submethods } => {
                w.string(language.as_bytes()).string(submethods.as_bytes());
            }
            AuthMethod::Other { data, .. } => {
                let mut bytes = w.into_bytes();
                bytes.extend_from_slice(data);
                w = Writer::from_vec(bytes);
            }
        }
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let user = read_text(r, "user name")?;
        let service = read_text(r, "service name")?;
        let name = read_text(r, "method name")?;
        let method = match name.as_str() {
            "none" => AuthMethod::None,
            "password" => {
                let change = r.boolean()?;
                let password = Password(Zeroizing::new(read_text(r, "password")?));
                let new_password =
                    if change { Some(Password(Zeroizing::new(read_text(r, "new password")?))) } else { None };
                AuthMethod::Password { password, new_password }
            }
            "publickey" => {
                let signed = r.boolean()?;
                let algorithm = read_text(r, "algorithm name")?;
                let key = r.string()?.to_vec();
                let signature = if signed { Some(r.string()?.to_vec()) } else { None };
                AuthMethod::PublicKey { algorithm, key, signature }
            }
            "publickey-hostbound-v00@openssh.com" => {
                let signed = r.boolean()?;
                let algorithm = read_text(r, "algorithm name")?;
                let key = r.string()?.to_vec();
                let host_key = r.string()?.to_vec();
                let signature = if signed { Some(r.string()?.to_vec()) } else { None };
                AuthMethod::PublicKeyHostbound { algorithm, key, host_key, signature }
            }
            "keyboard-interactive" => AuthMethod::KeyboardInteractive {
                language: read_text(r, "language tag")?,
                submethods: read_text(r, "submethods")?,
            },
            _ => AuthMethod::Other { name, data: r.rest().to_vec() },
        };
        Ok(Self { user, service, method })
    }
}

/// SSH_MSG_USERAUTH_FAILURE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserauthFailure {
    /// Methods that may continue.
    pub methods: Vec<String>,
    /// Whether the request succeeded but more methods are required.
    pub partial_success: bool,
}

impl Codec for UserauthFailure {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        let names: Vec<&str> = self.methods.iter().map(String::as_str).collect();
        w.name_list(&names).boolean(self.partial_success);
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { methods: read_names(r)?, partial_success: r.boolean()? })
    }
}

/// SSH_MSG_USERAUTH_SUCCESS: no body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserauthSuccess;

impl Codec for UserauthSuccess {
    fn encode(&self, _out: &mut Vec<u8>) {}

    fn read(_r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self)
    }
}

/// SSH_MSG_USERAUTH_BANNER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserauthBanner {
    /// Text to show the user (UTF-8; a client must strip terminal
    /// control sequences before display).
    pub message: String,
    /// Language tag.
    pub language: String,
}

impl Codec for UserauthBanner {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.string(self.message.as_bytes()).string(self.language.as_bytes());
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { message: read_text(r, "banner")?, language: read_text(r, "language tag")? })
    }
}

/// SSH_MSG_USERAUTH_PK_OK (60, during publickey): the key is acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserauthPkOk {
    /// Algorithm name from the request.
    pub algorithm: String,
    /// Key blob from the request.
    pub key: Vec<u8>,
}

impl Codec for UserauthPkOk {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.string(self.algorithm.as_bytes()).string(&self.key);
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { algorithm: read_text(r, "algorithm name")?, key: r.string()?.to_vec() })
    }
}

/// SSH_MSG_USERAUTH_PASSWD_CHANGEREQ (60, during password; RFC 4252 §8):
/// the password was right but has expired; the client must send a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdChangeReq {
    /// Text to show the user (strip control characters before display).
    pub prompt: String,
    /// Language tag.
    pub language: String,
}

impl Codec for PasswdChangeReq {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.string(self.prompt.as_bytes()).string(self.language.as_bytes());
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { prompt: read_text(r, "password change prompt")?, language: read_text(r, "language tag")? })
    }
}

/// One keyboard-interactive prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// The prompt text.
    pub prompt: String,
    /// Whether the answer may be echoed.
    pub echo: bool,
}

/// Most prompts or responses one keyboard-interactive message may carry.
pub const MAX_PROMPTS: usize = 64;

/// SSH_MSG_USERAUTH_INFO_REQUEST (60, during keyboard-interactive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoRequest {
    /// Title.
    pub name: String,
    /// Instructions.
    pub instruction: String,
    /// Language tag.
    pub language: String,
    /// The prompts.
    pub prompts: Vec<Prompt>,
}

impl Codec for InfoRequest {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.string(self.name.as_bytes()).string(self.instruction.as_bytes()).string(self.language.as_bytes());
        w.u32(u32::try_from(self.prompts.len()).unwrap_or(u32::MAX));
        for p in &self.prompts {
            w.string(p.prompt.as_bytes()).boolean(p.echo);
        }
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let name = read_text(r, "name")?;
        let instruction = read_text(r, "instruction")?;
        let language = read_text(r, "language tag")?;
        // A prompt is at least an empty string and a boolean: 5 bytes.
        let count = r.count("prompt", 5, MAX_PROMPTS)?;
        let mut prompts = Vec::with_capacity(count);
        for _ in 0..count {
            prompts.push(Prompt { prompt: read_text(r, "prompt")?, echo: r.boolean()? });
        }
        Ok(Self { name, instruction, language, prompts })
    }
}

/// SSH_MSG_USERAUTH_INFO_RESPONSE (61).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoResponse {
    /// One answer per prompt (they may be passwords: zeroized, redacted).
    pub responses: Vec<Password>,
}

impl Codec for InfoResponse {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.u32(u32::try_from(self.responses.len()).unwrap_or(u32::MAX));
        for answer in &self.responses {
            w.string(answer.0.as_bytes());
        }
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let count = r.count("response", 4, MAX_PROMPTS)?;
        let mut responses = Vec::with_capacity(count);
        for _ in 0..count {
            responses.push(Password(Zeroizing::new(read_text(r, "response")?)));
        }
        Ok(Self { responses })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg::Message;

    #[test]
    fn password_requests_round_trip_and_redact() {
        let request = Message::UserauthRequest(UserauthRequest {
            user: "root".into(),
            service: "ssh-connection".into(),
            method: AuthMethod::Password { password: "hunter2".into(), new_password: Some("n3w".into()) },
        });
        assert_eq!(Message::decode(&request.to_bytes()).unwrap(), request);
        assert!(!format!("{request:?}").contains("hunter2"));
    }

    #[test]
    fn unknown_methods_round_trip() {
        let request = Message::UserauthRequest(UserauthRequest {
            user: "u".into(),
            service: "ssh-connection".into(),
            method: AuthMethod::Other { name: "hostbased".into(), data: vec![0, 0, 0, 1, b'x'] },
        });
        assert_eq!(Message::decode(&request.to_bytes()).unwrap(), request);
    }

    #[test]
    fn passwd_changereq_layout_and_round_trip() {
        let request = PasswdChangeReq { prompt: "Expired".into(), language: "en".into() };
        let mut body = Vec::new();
        request.encode(&mut body);
        assert_eq!(body, b"\0\0\0\x07Expired\0\0\0\x02en");
        let mut r = Reader::new(&body);
        assert_eq!(PasswdChangeReq::read(&mut r).unwrap(), request);
        r.finish().unwrap();
        // A truncated body is a typed error.
        assert!(PasswdChangeReq::read(&mut Reader::new(&body[..9])).is_err());
    }

    #[test]
    fn info_request_and_response_layouts() {
        let request = InfoRequest {
            name: "N".into(),
            instruction: "I".into(),
            language: String::new(),
            prompts: vec![Prompt { prompt: "P1".into(), echo: false }, Prompt { prompt: "P2".into(), echo: true }],
        };
        let mut body = Vec::new();
        request.encode(&mut body);
        let mut w = Writer::new();
        w.string(b"N").string(b"I").string(b"").u32(2).string(b"P1").boolean(false).string(b"P2").boolean(true);
        assert_eq!(body, w.into_bytes());
        assert_eq!(InfoRequest::read(&mut Reader::new(&body)).unwrap(), request);
        let response = InfoResponse { responses: vec!["s3cr3t".into(), "".into()] };
        let mut body = Vec::new();
        response.encode(&mut body);
        assert_eq!(body, b"\0\0\0\x02\0\0\0\x06s3cr3t\0\0\0\0");
        assert_eq!(InfoResponse::read(&mut Reader::new(&body)).unwrap(), response);
        assert!(!format!("{response:?}").contains("s3cr3t"));
    }

    #[test]
    fn info_request_prompt_count_is_bounded() {
        let mut w = Writer::new();
        w.string(b"").string(b"").string(b"").u32(1_000_000);
        let bytes = w.into_bytes();
        assert!(matches!(InfoRequest::read(&mut Reader::new(&bytes)), Err(WireError::CountTooLarge { .. })));
    }
}
