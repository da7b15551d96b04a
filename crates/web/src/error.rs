//! Errors as HTTP answers. The API answers RFC 9457 `application/problem+json` with a stable
//! `type` per kind of problem and, for invalid input, every field at fault; pages answer a
//! readable HTML page. Internal details are logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_app::AppError;
use guildhall_domain::FieldError;
use serde::Serialize;

/// A problem document (RFC 9457).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable identifier of the kind of problem.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short summary of the kind.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// Each field at fault, for invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// An API error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    retry_after: Option<u64>,
}

impl ApiError {
    /// A problem of a given status and kind.
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            kind,
            title,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// What went wrong, in a sentence.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// Invalid input at `path`.
    pub fn field(path: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Invalid input",
            "the request has invalid fields",
        );
        e.errors.push(FieldError {
            path: path.into(),
            message: message.into(),
        });
        e
    }

    /// Nothing here (or nothing the caller may see).
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            "nothing is here",
        )
    }

    /// Sign-in required.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Sign-in required",
            "send `Authorization: Bearer <token>` or sign in",
        )
    }

    /// Too many calls: try again in `retry_after_secs`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
            format!("try again in {retry_after_secs} seconds"),
        );
        e.retry_after = Some(retry_after_secs);
        e
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation(errors) => {
                let mut api = Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    "Invalid input",
                    "the request has invalid fields",
                );
                api.detail = errors.to_string();
                api.errors = errors.0;
                api
            }
            AppError::NotFound => Self::not_found(),
            AppError::Unauthenticated => Self::unauthenticated(),
            AppError::Forbidden(message) => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", message)
            }
            AppError::InvalidCredentials => Self::new(
                StatusCode::UNAUTHORIZED,
                "invalid-credentials",
                "Sign-in failed",
                "the handle, email or password is not correct",
            ),
            AppError::Conflict { field, message } => {
                let mut api = Self::new(
                    StatusCode::CONFLICT,
                    "conflict",
                    "Conflict",
                    message.clone(),
                );
                if let Some(path) = field {
                    api.errors.push(FieldError { path, message });
                }
                api
            }
            AppError::RateLimited { retry_after_secs } => Self::rate_limited(retry_after_secs),
            AppError::Unavailable(m) => {
                tracing::warn!(error = %m, "database unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Service unavailable",
                    "the database is not reachable; try again shortly",
                )
            }
            AppError::Store(e) => {
                tracing::error!(error = %e, "storage error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                    "something went wrong on our side; it has been logged",
                )
            }
            e @ AppError::Internal { .. } => {
                tracing::error!(error = %e.chain(), "internal error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                    "something went wrong on our side; it has been logged",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = Problem {
            type_: format!("urn:guildhall:problem:{}", self.kind),
            title: self.title.to_string(),
            status: self.status.as_u16(),
            detail: self.detail,
            errors: self.errors,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// A result for API handlers.
pub type ApiResult<T> = Result<T, ApiError>;
