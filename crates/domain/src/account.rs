//! Account newtypes: handles, email addresses and the password policy. Each is constructed only
//! through its checks ("parse, don't validate").

use serde::{Deserialize, Serialize};
use std::fmt;

/// Words that would collide with routes or mislead other members.
const RESERVED_HANDLES: &[&str] = &[
    "admin",
    "api",
    "guildhall",
    "me",
    "root",
    "settings",
    "signin",
    "signout",
    "signup",
    "static",
    "support",
    "system",
];

/// How every erased account's placeholder handle starts.
const ERASED_PREFIX: &str = "erased-";

/// A member's public name in URLs: 3 to 30 of `a-z`, `0-9`, `_` and `-`, starting with a
/// letter. Stored lower-case, so `Ada` and `ada` are one handle.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Handle(String);

impl Handle {
    /// The stored form of a handle as someone typed it to name a member: spaces around it, a
    /// leading `@` and ASCII case do not matter.
    pub fn lookup_key(typed: &str) -> String {
        let typed = typed.trim();
        typed
            .strip_prefix('@')
            .unwrap_or(typed)
            .to_ascii_lowercase()
    }

    /// Parses a handle, folding ASCII case.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let handle = raw.trim().to_ascii_lowercase();
        let len = handle.chars().count();
        if !(3..=30).contains(&len) {
            return Err("must be 3 to 30 characters");
        }
        if !handle.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err("must start with a letter a-z");
        }
        if !handle
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err("may contain only letters a-z, digits, '_' and '-'");
        }
        if RESERVED_HANDLES.contains(&handle.as_str()) || handle.starts_with(ERASED_PREFIX) {
            return Err("is reserved");
        }
        Ok(Self(handle))
    }

    /// The placeholder an erased account goes by: `erased-` and the random tail of its id,
    /// which no one can sign up with.
    pub fn erased(id: crate::UserId) -> Handle {
        let hex = id.to_string().replace('-', "");
        Handle(format!("{ERASED_PREFIX}{}", &hex[hex.len() - 12..]))
    }

    /// The handle as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Handle {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Handle> for String {
    fn from(h: Handle) -> String {
        h.0
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address: one `@`, a non-empty local part, a dotted domain, no spaces or control
/// characters, at most 254 characters. The domain is folded to lower case; the local part is
/// kept as written because some providers treat it case-sensitively.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses an address.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("must not be empty");
        }
        if raw.len() > 254 {
            return Err("must be at most 254 characters");
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("must not contain spaces");
        }
        let Some((local, domain)) = raw.rsplit_once('@') else {
            return Err("must contain '@'");
        };
        if local.is_empty() || local.contains('@') || local.len() > 64 {
            return Err("must have one name before '@'");
        }
        let labels_ok = domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && !l.contains(['<', '>', '(', ')', '[', ']', ',', ';', ':', '"', '\\'])
        });
        if !domain.contains('.') || !labels_ok {
            return Err("must have a domain such as example.org after '@'");
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used to look an address up: fully lower-cased, so sign-in is case-insensitive.
    pub fn lookup_key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl TryFrom<String> for Email {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Most characters a password may have; hashing a megabyte of input would be a cheap attack.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The lowest zxcvbn score a new password may have: 3 is "safely unguessable", about 10^8
/// guesses and more (zxcvbn's own scale).
const MIN_PASSWORD_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// Checks a new password against the policy: its length, and how easily it is guessed, judged by
/// zxcvbn with the member's own handle and addresses as words an attacker would try first. No
/// composition rules: they make passwords weaker in practice (NIST SP 800-63B §5.1.1.2, which
/// also asks to refuse common and context-specific passwords).
pub fn check_new_password(password: &str, own_words: &[&str]) -> Result<(), String> {
    let count = password.chars().count();
    if count < MIN_PASSWORD_CHARS {
        return Err(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if count > MAX_PASSWORD_CHARS {
        return Err(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
    let estimate = zxcvbn::zxcvbn(password, own_words);
    if estimate.score() < MIN_PASSWORD_SCORE {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({})", w.to_string().trim_end_matches('.').to_lowercase()))
            .unwrap_or_default();
        return Err(format!(
            "is too easy to guess{hint}: try a few unrelated words together"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles() {
        assert_eq!(Handle::parse(" Ada_L ").unwrap().as_str(), "ada_l");
        for bad in [
            "ab",
            "1abc",
            "ädam",
            "a b c",
            "admin",
            "erased-0123456789ab",
            "x".repeat(31).as_str(),
            "аdа",
        ] {
            assert!(Handle::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn an_erased_accounts_placeholder_is_its_ids_random_tail_and_no_one_can_take_it() {
        let id: crate::UserId = "01a23bc5-7c6c-701f-a908-cc80c62ac47e".parse().unwrap();
        let placeholder = Handle::erased(id);
        assert_eq!(placeholder.as_str(), "erased-cc80c62ac47e");
        assert!(Handle::parse(placeholder.as_str()).is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("Ada@Example.ORG").unwrap().as_str(),
            "Ada@example.org"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@x.org",
            "ada@localhost",
            "a b@x.org",
            "a@x..org",
            "a@x.org\u{0}",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn password_policy_counts_characters_not_bytes() {
        assert!(check_new_password("short", &[]).is_err());
        // Eleven characters, twenty-two bytes.
        assert!(check_new_password("žluť kůň ó", &[]).is_err());
        assert!(check_new_password("žluťoučký kůň úpěl", &[]).is_ok());
        assert!(check_new_password(&"x".repeat(257), &[]).is_err());
    }

    #[test]
    fn easily_guessed_passwords_are_refused() {
        for weak in [
            "password1234",
            "qwertyuiopasdf",
            "aaaaaaaaaaaaaaa",
            "iloveyou2024!",
        ] {
            assert!(check_new_password(weak, &[]).is_err(), "{weak} was allowed");
        }
        // The member's own handle and address are the first words an attacker tries.
        let own = ["ada_lovelace", "ada_lovelace@example.org"];
        assert!(check_new_password("ada_lovelace1815", &[]).is_ok());
        assert!(check_new_password("ada_lovelace1815", &own).is_err());
        assert!(check_new_password("correct horse battery", &own).is_ok());
    }
}
