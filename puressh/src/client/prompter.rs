//! What the blocking client asks its caller during user authentication:
//! keyboard-interactive answers, a new password when the old one has
//! expired, and banners to show.
//!
//! Entry point: the [`Prompter`] trait, set as
//! [`crate::client::ClientConfig::prompter`].

use crate::msg::{InfoRequest, Password};

/// Answers the server's questions during user authentication. The texts
/// come from the server: strip terminal control characters before
/// showing them.
pub trait Prompter: Send {
    /// Answers one keyboard-interactive round (RFC 4256): one answer per
    /// prompt, in order. `None` stops authenticating
    /// ([`crate::client::ClientError::AuthCancelled`]).
    fn answer(&mut self, request: &InfoRequest) -> Option<Vec<Password>>;

    /// The server accepted the password but requires a new one
    /// (SSH_MSG_USERAUTH_PASSWD_CHANGEREQ, RFC 4252 §8). `None` (the
    /// default) gives up with
    /// [`crate::client::ClientError::PasswordChangeRequired`].
    fn new_password(&mut self, prompt: &str) -> Option<Password> {
        let _ = prompt;
        None
    }

    /// A SSH_MSG_USERAUTH_BANNER to show the user; ignored by default.
    fn banner(&mut self, text: &str) {
        let _ = text;
    }
}

impl core::fmt::Debug for dyn Prompter {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Prompter { .. }")
    }
}
