//! The errors use cases report. The web layer maps each to one HTTP status and problem type.

use guildhall_domain::FieldErrors;
use guildhall_store::StoreError;

/// What a use case can answer instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input broke rules; every problem is listed by field.
    #[error("invalid input: {0}")]
    Validation(FieldErrors),
    /// Nothing the caller may see exists there. Also used for things that exist but are hidden
    /// from the caller, so existence is never revealed.
    #[error("not found")]
    NotFound,
    /// The caller must sign in.
    #[error("sign-in required")]
    Unauthenticated,
    /// Signed in, but the caller's role does not allow this; says what would.
    #[error("{0}")]
    Forbidden(String),
    /// Wrong handle, email or password.
    #[error("the sign-in details are not correct")]
    InvalidCredentials,
    /// The request conflicts with the current state (already connected, taken handle...).
    #[error("{message}")]
    Conflict {
        /// The field at fault, if one is.
        field: Option<String>,
        /// What conflicts.
        message: String,
    },
    /// Too many attempts; try again after this many seconds.
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// The database is unreachable or saturated.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A storage failure.
    #[error(transparent)]
    Store(StoreError),
    /// Anything else that is our fault: what was being done, and the error underneath when
    /// there is one (logged with its whole chain).
    #[error("internal error: {context}")]
    Internal {
        /// What was being done, or what rule broke.
        context: String,
        /// The cause.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl AppError {
    /// A validation error on one field.
    pub fn field(path: &str, message: impl Into<String>) -> Self {
        AppError::Validation(FieldErrors::single(path, message))
    }

    /// An internal error with no cause underneath: a broken rule or invariant.
    pub fn internal(context: impl Into<String>) -> Self {
        AppError::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// An internal error caused by `source` while doing `context`.
    pub fn caused(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        AppError::Internal {
            context: context.into(),
            source: Some(Box::new(source)),
        }
    }

    /// The error's message followed by each cause's, as logs show it.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            text.push_str(": ");
            text.push_str(&c.to_string());
            cause = c.source();
        }
        text
    }

    /// A conflict on one field.
    pub fn conflict(field: Option<&str>, message: impl Into<String>) -> Self {
        AppError::Conflict {
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Connect(m) => AppError::Unavailable(m),
            other => AppError::Store(other),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Validation(e)
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;

    #[test]
    fn an_internal_error_keeps_its_cause_for_the_log() {
        let cause = serde_json::from_str::<u8>("not json").unwrap_err();
        let e = AppError::caused("reading a stored merge", cause);
        assert_eq!(e.to_string(), "internal error: reading a stored merge");
        assert!(std::error::Error::source(&e).is_some());
        assert!(
            e.chain()
                .starts_with("internal error: reading a stored merge: expected ident"),
            "{}",
            e.chain()
        );
        assert_eq!(
            AppError::internal("a rule broke").chain(),
            "internal error: a rule broke"
        );
    }
}
