//! Mail: a message in plain text and HTML, and the ways it leaves Guildhall — an SMTP server,
//! or, on an instance with none configured, a folder of `.eml` files in the data directory, so
//! a fresh instance still works and an operator can read what it would have sent.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{FileTransport, Message, SmtpTransport, Transport};
use std::path::PathBuf;
use std::time::Duration;

/// One message to one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (already escaped).
    pub html: String,
    /// A link that unsubscribes in one click (RFC 8058), when the mail is one of a kind the
    /// recipient may turn off.
    pub unsubscribe: Option<String>,
}

/// Why a mail was not sent; the queue tries again later.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MailError(pub String);

/// Where mail goes.
pub trait Mailer: Send + Sync + std::fmt::Debug {
    /// Sends `mail`, or says why not.
    fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// How an SMTP connection is secured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// STARTTLS on the submission port, required (587).
    #[default]
    Starttls,
    /// TLS from the first byte (465).
    Tls,
    /// No encryption: only for a relay on the same machine or in tests.
    None,
}

/// An SMTP server to send through.
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// How the connection is secured.
    pub security: SmtpSecurity,
    /// User name and password, when the server asks for them.
    pub credentials: Option<(String, String)>,
}

/// Sends through an SMTP server.
#[derive(Debug)]
pub struct SmtpMailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl SmtpMailer {
    /// A mailer through `smtp`, from `from`; an address or host that cannot work is refused now.
    pub fn new(smtp: &SmtpSettings, from: &str) -> Result<SmtpMailer, MailError> {
        let refused = |e: &dyn std::fmt::Display| MailError(format!("SMTP settings: {e}"));
        let builder = match smtp.security {
            SmtpSecurity::Starttls => {
                SmtpTransport::starttls_relay(&smtp.host).map_err(|e| refused(&e))?
            }
            SmtpSecurity::Tls => SmtpTransport::relay(&smtp.host).map_err(|e| refused(&e))?,
            SmtpSecurity::None => SmtpTransport::builder_dangerous(&smtp.host),
        };
        let mut builder = builder
            .port(smtp.port)
            .timeout(Some(Duration::from_secs(20)));
        if let Some((user, password)) = &smtp.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(SmtpMailer {
            transport: builder.build(),
            from: sender(from)?,
        })
    }
}

impl Mailer for SmtpMailer {
    fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = message(mail, &self.from)?;
        self.transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| MailError(format!("the SMTP server refused or was unreachable: {e}")))
    }
}

/// Writes each mail as an `.eml` file into a folder.
#[derive(Debug)]
pub struct FolderMailer {
    folder: PathBuf,
    from: Mailbox,
}

impl FolderMailer {
    /// A mailer into `folder` (created if missing), from `from`. The folder is its owner's
    /// alone (mode 0700): the mails in it carry sign-in and reset links.
    pub fn new(folder: PathBuf, from: &str) -> Result<FolderMailer, MailError> {
        let refused =
            |e: std::io::Error| MailError(format!("cannot create {}: {e}", folder.display()));
        std::fs::create_dir_all(&folder).map_err(refused)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700))
                .map_err(refused)?;
        }
        Ok(FolderMailer {
            folder,
            from: sender(from)?,
        })
    }
}

impl Mailer for FolderMailer {
    fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = message(mail, &self.from)?;
        FileTransport::new(&self.folder)
            .send(&message)
            .map(|_| ())
            .map_err(|e| MailError(format!("cannot write the mail file: {e}")))
    }
}

/// A sender's address as configured, such as `Guildhall <guild@example.org>`.
pub fn sender(from: &str) -> Result<Mailbox, MailError> {
    from.parse().map_err(|e| {
        MailError(format!(
            "the sender address {from:?} is not an address: {e}"
        ))
    })
}

/// The message as it is sent: both parts, and the one-click unsubscribe headers.
pub fn message(mail: &Mail, from: &Mailbox) -> Result<Message, MailError> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| MailError(format!("the address {:?} is not an address: {e}", mail.to)))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone());
    if let Some(link) = &mail.unsubscribe {
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{link}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| MailError(format!("cannot build the message: {e}")))
}

/// The address links in mail start with: the instance's public address, without a trailing
/// slash.
pub(crate) fn link_base(app: &crate::App) -> &str {
    app.settings().public_url.trim_end_matches('/')
}

/// Text made safe inside an HTML part.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// No way to send: every attempt fails, and the queue keeps the mail until one is configured.
#[derive(Debug, Default)]
pub struct NoMailer;

impl Mailer for NoMailer {
    fn send(&self, _mail: &Mail) -> Result<(), MailError> {
        Err(MailError("no mail transport is configured".into()))
    }
}
