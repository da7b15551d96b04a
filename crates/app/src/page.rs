//! Cursor pagination: a page of items and an opaque cursor for the next one.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

/// Largest page a caller may ask for.
pub const MAX_LIMIT: i64 = 100;
/// Page size when none is asked for.
pub const DEFAULT_LIMIT: i64 = 20;

/// An opaque position in a list: the key of the last item seen, base64url-encoded so clients
/// treat it as a token rather than build it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor(pub String);

impl Cursor {
    /// Encodes a key.
    pub fn encode(key: &str) -> String {
        URL_SAFE_NO_PAD.encode(key.as_bytes())
    }

    /// Decodes a cursor a client sent.
    pub fn decode(raw: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(raw.as_bytes()).ok()?;
        String::from_utf8(bytes).ok().map(Cursor)
    }
}

/// What a caller asks of a list.
#[derive(Clone, Debug, Default)]
pub struct PageRequest {
    /// Continue after this cursor.
    pub cursor: Option<String>,
    /// How many items at most.
    pub limit: Option<i64>,
}

impl PageRequest {
    /// The limit, checked; errors name the field.
    pub fn limit(&self) -> Result<i64, crate::AppError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(crate::AppError::field(
                "/limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            )),
        }
    }

    /// The decoded cursor key, if any; a cursor that does not decode is a field error.
    pub fn key(&self) -> Result<Option<String>, crate::AppError> {
        match &self.cursor {
            None => Ok(None),
            Some(raw) => Cursor::decode(raw).map(|c| Some(c.0)).ok_or_else(|| {
                crate::AppError::field("/cursor", "is not a cursor this server gave out")
            }),
        }
    }
}

/// One page of a list.
#[derive(Clone, Debug, Serialize)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass this as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page from rows fetched with `limit + 1`, so a next page is known to exist only when it
    /// does. `key` gives the cursor key of an item.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Page<T> {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more {
            rows.last().map(|last| Cursor::encode(&key(last)))
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }

    /// Converts the items, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}
