//! Path parameters, read the same way by the API and the pages: anything that cannot be an id
//! or a community's address is simply not found.

/// An id (a UUID) from a path, in its canonical spelling.
pub fn id(raw: &str) -> Option<String> {
    uuid::Uuid::parse_str(raw).ok().map(|u| u.to_string())
}

/// A community's address from a path: 3 to 40 letters, digits and dashes, any case.
pub fn slug(raw: &str) -> Option<String> {
    ((3..=40).contains(&raw.len()) && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| raw.to_ascii_lowercase())
}
