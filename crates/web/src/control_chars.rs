//! Requests whose path or query hold control characters once decoded (a NUL byte, CR or LF)
//! name nothing here. They are answered before any handler sees them, so no such character
//! reaches a database (PostgreSQL refuses NUL in text) or a header (CR/LF would split it).

use crate::error::ApiError;
use crate::pages::render::PageError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn has_control(encoded: &str) -> bool {
    percent_encoding::percent_decode_str(encoded)
        .decode_utf8_lossy()
        .chars()
        .any(char::is_control)
}

/// Refuses a request whose decoded path or query has a control character: 404 for a path; for
/// a query, 422 with a problem document under `/api/` (as for any bad query value) and a 400
/// page elsewhere.
pub async fn refuse(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    if has_control(req.uri().path()) {
        return if api {
            ApiError::not_found().into_response()
        } else {
            PageError::not_found().into_response()
        };
    }
    if req.uri().query().is_some_and(has_control) {
        return if api {
            ApiError::field("/query", "must not hold control characters").into_response()
        } else {
            PageError::bad_request("That address holds characters no page uses.").into_response()
        };
    }
    next.run(req).await
}
