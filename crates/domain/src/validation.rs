//! Field-level validation errors, collected so a client learns every problem at once.

use serde::Serialize;
use std::fmt;

/// One problem with one input field, addressed by a JSON-pointer-like path (`/data/url`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Where the problem is, e.g. `/audiences/0`.
    pub path: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

/// Every problem found in one input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem at `path`.
    pub fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            path: path.into(),
            message: message.into(),
        });
    }

    /// A single error.
    pub fn single(path: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(path, message);
        errors
    }

    /// True when nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no errors were recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Prefixes every path, for errors found in a nested value.
    pub fn nested(self, prefix: &str) -> Self {
        Self(
            self.0
                .into_iter()
                .map(|e| FieldError {
                    path: format!("{prefix}{}", e.path),
                    message: e.message,
                })
                .collect(),
        )
    }

    /// Takes every error of `other`.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.path, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Checks a free-text field: trimmed, within `max` characters, no control characters except
/// newlines and tabs (which `multiline` allows).
pub fn text(
    errors: &mut FieldErrors,
    path: &str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> String {
    let value = value.trim();
    let count = value.chars().count();
    if count < min {
        if min == 1 {
            errors.add(path, "must not be empty");
        } else {
            errors.add(path, format!("must be at least {min} characters"));
        }
    } else if count > max {
        errors.add(path, format!("must be at most {max} characters"));
    }
    let allowed = |c: char| multiline && (c == '\n' || c == '\t' || c == '\r');
    if value.chars().any(|c| c.is_control() && !allowed(c)) {
        errors.add(path, "must not contain control characters");
    }
    value.to_string()
}

/// Checks an absolute `http` or `https` URL.
pub fn web_url(errors: &mut FieldErrors, path: &str, value: &str) -> String {
    let value = value.trim();
    match url::Url::parse(value) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
            if value.len() > 2048 {
                errors.add(path, "must be at most 2048 characters");
            }
            parsed.to_string()
        }
        Ok(_) => {
            errors.add(path, "must be an http or https address");
            value.to_string()
        }
        Err(_) => {
            errors.add(
                path,
                "must be a full web address such as https://example.org",
            );
            value.to_string()
        }
    }
}

/// Checks a calendar date written `YYYY-MM` or `YYYY-MM-DD`.
pub fn partial_date(errors: &mut FieldErrors, path: &str, value: &str) -> String {
    let value = value.trim();
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match parts.as_slice() {
        [y, m] => digits(y, 4) && digits(m, 2) && month_ok(m),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2) && month_ok(m) && day_ok(y, m, d),
        _ => false,
    };
    if !ok {
        errors.add(path, "must be a date written YYYY-MM or YYYY-MM-DD");
    }
    value.to_string()
}

/// Checks a full calendar date written `YYYY-MM-DD`.
pub fn date(errors: &mut FieldErrors, path: &str, value: &str) -> String {
    let mut own = FieldErrors::new();
    let value = partial_date(&mut own, path, value);
    if !own.is_empty() || value.len() != 10 {
        errors.add(path, "must be a date written YYYY-MM-DD");
    }
    value
}

fn month_ok(m: &str) -> bool {
    matches!(m.parse::<u32>(), Ok(1..=12))
}

fn day_ok(y: &str, m: &str, d: &str) -> bool {
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let mut e = FieldErrors::new();
        partial_date(&mut e, "/d", "2024-02-29");
        partial_date(&mut e, "/d", "2024-12");
        assert!(e.is_empty());
        for bad in [
            "2023-02-29",
            "2024-13",
            "24-01",
            "2024-1-01",
            "",
            "２０２４-01",
        ] {
            let mut e = FieldErrors::new();
            partial_date(&mut e, "/d", bad);
            assert!(!e.is_empty(), "{bad} should be refused");
        }
    }

    #[test]
    fn urls() {
        let mut e = FieldErrors::new();
        web_url(&mut e, "/u", "https://example.org/a");
        assert!(e.is_empty());
        for bad in [
            "javascript:alert(1)",
            "ftp://x.org",
            "example.org",
            "data:text/html,hi",
        ] {
            let mut e = FieldErrors::new();
            web_url(&mut e, "/u", bad);
            assert!(!e.is_empty(), "{bad} should be refused");
        }
    }

    #[test]
    fn text_limits_and_controls() {
        let mut e = FieldErrors::new();
        assert_eq!(text(&mut e, "/t", "  hi  ", 1, 5, false), "hi");
        assert!(e.is_empty());
        text(&mut e, "/t", "a\u{0}b", 1, 5, false);
        text(&mut e, "/t", "   ", 1, 5, false);
        text(&mut e, "/t", "ééééééé", 1, 5, false);
        assert_eq!(e.0.len(), 3);
    }
}
