//! HTML form posts: the CSRF check and field access. Forms are read as ordered pairs because
//! checkbox groups repeat a name (`audiences=public&audiences=members`). A form that uploads a
//! file comes as `multipart/form-data`: its other fields read the same way, its files apart.

use crate::csrf::{self, CsrfToken};
use crate::pages::render::PageError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;

/// The fields of a form post whose CSRF token matched.
#[derive(Clone, Debug, Default)]
pub struct Form {
    pairs: Vec<(String, String)>,
    files: Vec<Upload>,
}

/// A file chosen in a form.
#[derive(Clone, Debug)]
struct Upload {
    field: String,
    file_name: String,
    bytes: Vec<u8>,
}

impl Form {
    /// A form from pairs already read (a query string that prefills a form).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self {
            pairs,
            files: Vec::new(),
        }
    }

    /// The bytes of the file uploaded as `name`, if one was chosen.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|f| f.field == name && !f.bytes.is_empty())
            .map(|f| f.bytes.as_slice())
    }

    /// Every file chosen as `name`, with the name it had on the sender's computer.
    pub fn uploads(&self, name: &str) -> Vec<(String, Vec<u8>)> {
        self.files
            .iter()
            .filter(|f| f.field == name && !(f.bytes.is_empty() && f.file_name.is_empty()))
            .map(|f| (f.file_name.clone(), f.bytes.clone()))
            .collect()
    }

    /// The first value of `name`, or empty.
    pub fn get(&self, name: &str) -> String {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The first value of `name`, if present and not blank.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.trim().is_empty())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let expected = req.extensions().get::<CsrfToken>().cloned();
        let header_token = req
            .headers()
            .get(csrf::HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let (pairs, files) = if content_type.starts_with("application/x-www-form-urlencoded") {
            let body = Bytes::from_request(req, state).await.map_err(|_| {
                PageError::bad_request("The form was too large or could not be read.")
            })?;
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|_| PageError::bad_request("The form could not be read."))?;
            (pairs, Vec::new())
        } else if content_type.starts_with("multipart/form-data") {
            read_multipart(req, state).await?
        } else {
            return Err(PageError::bad_request(
                "This page expects a form submission.",
            ));
        };
        // No field holds a NUL, which nobody types and PostgreSQL refuses in text.
        if pairs
            .iter()
            .any(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(PageError::bad_request(
                "The form holds a character no field accepts. Go back and type it again.",
            ));
        }
        let form = Form { pairs, files };
        let submitted = header_token.or_else(|| form.opt("csrf"));
        match expected {
            Some(expected) if csrf::matches(&expected, submitted.as_deref()) => Ok(form),
            _ => Err(PageError::forbidden(
                "This form has expired or came from another site. Go back, reload the page and try again.",
            )),
        }
    }
}

/// The fields and files of a `multipart/form-data` post.
async fn read_multipart<S: Send + Sync>(req: Request, state: &S) -> Result<FormParts, PageError> {
    let unreadable = || PageError::bad_request("The form was too large or could not be read.");
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(|_| unreadable())?;
    let (mut pairs, mut files) = (Vec::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(|_| unreadable())?;
        if let Some(file_name) = file_name {
            files.push(Upload {
                field: name,
                file_name,
                bytes: bytes.to_vec(),
            });
        } else {
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| PageError::bad_request("The form could not be read."))?;
            pairs.push((name, text));
        }
    }
    Ok((pairs, files))
}

/// A form's fields, and its files.
type FormParts = (Vec<(String, String)>, Vec<Upload>);
