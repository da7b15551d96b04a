//! Stored files: what members deliver. One interface over the
//! [`object_store`](https://crates.io/crates/object_store) crate: a folder in the data
//! directory by default, any S3-compatible object store in production, memory in tests. Files
//! are kept under their SHA-256, so the same file delivered twice is stored once and a stored
//! file can be checked against the hash the evidence log holds.
//!
//! The use cases are synchronous (they run on blocking threads); the object store is not.
//! [`Files`] bridges the two: on a thread of the server's runtime it waits on that runtime, and
//! elsewhere (tests, the command line) on a small runtime of its own.

use crate::AppError;
use object_store::ObjectStore;
use object_store::path::Path as StorePath;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The largest file a delivery or a message takes.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The longest file name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Plain text, as files are served.
pub const TEXT: &str = "text/plain; charset=utf-8";

/// Types a file may have, read from its first bytes: documents, images and archives. Plain
/// text (UTF-8) is recognised apart. Anything else (programs, scripts a browser would run) is
/// refused.
const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/zip",
    "application/gzip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
];

/// A stored file as shown: delivered with a milestone, or sent with a message.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct StoredFile {
    /// The file's id (UUIDv7).
    pub id: String,
    /// Its name, as uploaded.
    pub name: String,
    /// Its type, read from its content.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex: its key in the file store, and what a delivery's evidence entry holds.
    pub sha256: String,
}

/// A file a member sent, checked.
#[derive(Clone, Debug)]
pub struct Checked {
    /// Its name, without any folder in front.
    pub name: String,
    /// Its type, read from its content.
    pub content_type: &'static str,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
}

/// Checks a file a member sent: a name, not empty, at most [`MAX_FILE_BYTES`], and of a type
/// read from its content (never from its name or what a browser claims).
pub fn check(name: &str, bytes: &[u8]) -> Result<Checked, AppError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut e = guildhall_domain::FieldErrors::new();
    let name = guildhall_domain::validation::text(&mut e, "/name", base, 1, MAX_NAME_CHARS, false);
    if !e.is_empty() {
        return Err(e.into());
    }
    if bytes.is_empty() {
        return Err(AppError::field("/file", "the file is empty"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::field(
            "/file",
            format!(
                "the file is larger than {} MB, the most one may be",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let content_type = sniff(bytes).ok_or_else(|| {
        AppError::field(
            "/file",
            "this kind of file is not taken: send documents (PDF, office files, text), images or archives (ZIP)",
        )
    })?;
    Ok(Checked {
        name,
        content_type,
        size: bytes.len() as i64,
        sha256: sha256_hex(bytes),
    })
}

/// The type of a file, read from its content; `None` when it is not one Guildhall takes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if let Some(kind) = infer::get(bytes) {
        let mime = kind.mime_type();
        return ALLOWED.iter().find(|a| **a == mime).copied();
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let controls = text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    (!controls).then_some(TEXT)
}

/// What S3-compatible storage to use.
#[derive(Clone, Debug, Default)]
pub struct S3Options {
    /// The service's address, such as `https://s3.eu-central-1.amazonaws.com` or a MinIO
    /// server's; empty for Amazon's own.
    pub endpoint: String,
    /// The bucket, which must exist.
    pub bucket: String,
    /// The region (`us-east-1` when empty).
    pub region: String,
    /// The access key's id.
    pub access_key_id: String,
    /// Its secret.
    pub secret_access_key: String,
}

/// Where files are stored.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
    /// In words, for logs and errors: "the folder …", "the S3 bucket …".
    described: String,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.described)
    }
}

impl Default for Files {
    fn default() -> Self {
        Files::in_memory()
    }
}

impl Files {
    /// Files kept in memory, gone when the process ends: for tests.
    pub fn in_memory() -> Files {
        Files {
            store: Arc::new(object_store::memory::InMemory::new()),
            described: "memory".into(),
        }
    }

    /// Files in a folder, created if missing.
    pub fn folder(path: &Path) -> Result<Files, String> {
        std::fs::create_dir_all(path)
            .map_err(|e| format!("cannot create the folder {}: {e}", path.display()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(path)
            .map_err(|e| format!("cannot use the folder {}: {e}", path.display()))?;
        Ok(Files {
            store: Arc::new(store),
            described: format!("the folder {}", path.display()),
        })
    }

    /// Files in an S3-compatible bucket.
    pub fn s3(options: &S3Options) -> Result<Files, String> {
        let region = match options.region.trim() {
            "" => "us-east-1",
            region => region,
        };
        let mut builder = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&options.bucket)
            .with_region(region)
            .with_access_key_id(&options.access_key_id)
            .with_secret_access_key(&options.secret_access_key);
        if !options.endpoint.trim().is_empty() {
            builder = builder
                .with_endpoint(options.endpoint.trim())
                // Self-hosted stores (MinIO, a test server) are addressed by path, not by a
                // bucket's own host name.
                .with_virtual_hosted_style_request(false)
                .with_allow_http(options.endpoint.starts_with("http://"));
        }
        let store = builder
            .build()
            .map_err(|e| format!("cannot use the S3 bucket {:?}: {e}", options.bucket))?;
        Ok(Files {
            store: Arc::new(store),
            described: format!("the S3 bucket {}", options.bucket),
        })
    }

    /// Stores `bytes` under `key`.
    pub fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        let path = StorePath::from(key);
        let store = self.store.clone();
        wait(async move { store.put(&path, bytes.into()).await.map(|_| ()) })
            .map_err(|e| AppError::caused(format!("storing a file in {}", self.described), e))
    }

    /// The bytes of the file with this SHA-256, checked against it: a file missing from the
    /// store, or changed there, is an error, never served.
    pub fn get_checked(&self, sha256: &str) -> Result<Vec<u8>, AppError> {
        let bytes = self
            .get(&key_of(sha256))?
            .ok_or_else(|| AppError::internal("a stored file is missing from the file store"))?;
        if sha256_hex(&bytes) != sha256 {
            return Err(AppError::internal(
                "a stored file does not match the hash it was stored under",
            ));
        }
        Ok(bytes)
    }

    /// Removes what is stored under `key`; nothing stored there is not an error.
    pub fn delete(&self, key: &str) -> Result<(), AppError> {
        let path = StorePath::from(key);
        let store = self.store.clone();
        wait(async move {
            match store.delete(&path).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(e),
            }
        })
        .map_err(|e| AppError::caused(format!("removing a file from {}", self.described), e))
    }

    /// The bytes stored under `key`, if any.
    pub fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        let path = StorePath::from(key);
        let store = self.store.clone();
        let got = wait(async move {
            match store.get(&path).await {
                Ok(found) => found.bytes().await.map(|b| Some(b.to_vec())),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        });
        got.map_err(|e| AppError::caused(format!("reading a file from {}", self.described), e))
    }
}

/// The key a file with this SHA-256 (hex) is stored under.
pub fn key_of(sha256: &str) -> String {
    format!("files/{sha256}")
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Runs `future` to completion from synchronous code.
fn wait<T>(future: impl std::future::Future<Output = T> + Send + 'static) -> T
where
    T: Send + 'static,
{
    match tokio::runtime::Handle::try_current() {
        // A blocking thread of the server's runtime (use cases run on those): wait on it.
        Ok(handle) => handle.block_on(future),
        Err(_) => {
            static OWN: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
            OWN.get_or_init(|| {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .expect("a runtime for stored files")
            })
            .block_on(future)
        }
    }
}
