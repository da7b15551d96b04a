//! Request body and query extractors that answer problem documents: malformed JSON, wrong
//! types, unknown fields and oversize bodies each get a 4xx naming the field at fault.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

/// A JSON body.
pub struct ApiJson<T>(pub T);

/// Turns serde's path (`data.url`, `audiences[2]`) into a JSON pointer (`/data/url`).
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push_str(&format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    if out.is_empty() { "/".into() } else { out }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim().to_ascii_lowercase();
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                "send the body as application/json",
            ));
        }
        let body = Bytes::from_request(req, state).await.map_err(|e| {
            let status = e.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    status,
                    "too-large",
                    "Body too large",
                    "the body is larger than this operation takes",
                )
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad-body",
                    "Unreadable body",
                    "the request body could not be read",
                )
            }
        })?;
        let mut parsed: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed-json",
                "Malformed JSON",
                format!("the body is not valid JSON: {e}"),
            )
        })?;
        // serde would read a struct from an array of its fields in order; no body is an array.
        if !parsed.is_object() {
            return Err(ApiError::field("/", "must be a JSON object"));
        }
        if let Some(at) = first_nul(&parsed, String::new()) {
            return Err(ApiError::field(at, "must not contain NUL characters"));
        }
        whole_numbers_as_integers(&mut parsed);
        let value: T = serde_path_to_error::deserialize(parsed)
            .map_err(|e| ApiError::field(pointer(e.path()), e.into_inner().to_string()))?;
        Ok(ApiJson(value))
    }
}

/// Where the first string (or key) holding a NUL is, as a JSON pointer: no text Guildhall keeps
/// may hold one, and PostgreSQL refuses it, so it is turned away before any use case runs.
fn first_nul(value: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match value {
        Value::String(s) if s.contains('\0') => Some(if at.is_empty() { "/".into() } else { at }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| first_nul(v, format!("{at}/{i}"))),
        Value::Object(fields) => fields.iter().find_map(|(k, v)| {
            let here = format!("{at}/{}", escape(k));
            if k.contains('\0') {
                Some(here)
            } else {
                first_nul(v, here)
            }
        }),
        _ => None,
    }
}

/// JSON has one number type: `3.0` is the integer 3 to JSON Schema, so it is to Guildhall.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| {
                ApiError::field(
                    format!("/{}", e.path()).replace("/.", "/"),
                    e.into_inner().to_string(),
                )
            })
    }
}

/// Parses an id from a path; anything that is not an id is simply not found.
pub fn path_id(raw: &str) -> Result<String, ApiError> {
    crate::paths::id(raw).ok_or_else(ApiError::not_found)
}

/// A cursor and a page size.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Continue after this cursor (from `next_cursor`).
    pub cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

impl PageQuery {
    /// As the use cases take it.
    pub fn request(self) -> guildhall_app::PageRequest {
        guildhall_app::PageRequest {
            cursor: self.cursor,
            limit: self.limit,
        }
    }
}
