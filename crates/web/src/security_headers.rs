//! Headers on every answer that tell browsers to refuse what Guildhall never does: run script or
//! style that is not one of its own files, be framed by another site, guess a content type, or
//! pass a page's address (persona links carry secrets) to other sites.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy. Swagger UI at `/api/docs` needs `data:` images (its icons) and
/// nothing inline; every script and stylesheet of the pages is a vendored file.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Two years, as the HSTS preload list asks; sent only over https.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000";

/// Adds the headers to every answer of `router`; HSTS only when served over https.
pub fn apply<S: Clone + Send + Sync + 'static>(router: Router<S>, https: bool) -> Router<S> {
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    let mut router = router;
    for (name, value) in fixed {
        router = router.layer(set(name, value));
    }
    if https {
        router = router.layer(set(
            header::STRICT_TRANSPORT_SECURITY,
            STRICT_TRANSPORT_SECURITY,
        ));
    }
    router
}

fn set(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
