//! What every operation of the API document has in common, added in one place rather than
//! repeated on 127 handlers: problem documents served as `application/problem+json`, the answers
//! the shared extractors and middleware give (unreadable or oversize bodies, invalid fields,
//! missing sign-in, unknown ids, rate limits, an unreachable database), and the
//! `Idempotency-Key` format as a schema.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder,
};

/// The media type of every error answer (RFC 9457).
pub const PROBLEM: &str = "application/problem+json";

/// The visible-ASCII form of an idempotency key, as `ledger::check_key` accepts it.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,100}$";

/// The shared error answers: name in `components/responses`, status, description.
const SHARED: [(&str, &str, &str); 8] = [
    (
        "BadRequest",
        "400",
        "The body is not JSON, or a required header is missing or malformed",
    ),
    ("Unauthenticated", "401", "No valid bearer token or session"),
    (
        "NotFound",
        "404",
        "Nothing with that id or handle that you may see",
    ),
    ("TooLarge", "413", "The body is larger than 64 KiB"),
    (
        "UnsupportedMediaType",
        "415",
        "The body is not sent as application/json",
    ),
    (
        "Invalid",
        "422",
        "A field or query parameter is invalid; `errors` names each one",
    ),
    (
        "RateLimited",
        "429",
        "Too many calls; `Retry-After` says when to try again",
    ),
    (
        "Unavailable",
        "503",
        "The database is not reachable; try again shortly",
    ),
];

/// Completes the document; see the module comment.
pub struct SharedAnswers;

impl Modify for SharedAnswers {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, status, description) in SHARED {
            components.responses.insert(
                name.to_string(),
                RefOr::T(problem_response(status, description)),
            );
        }
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                problems_as_problem_json(op);
                add_shared_answers(op);
                constrain_idempotency_key(op);
            }
        }
    }
}

fn problem_response(status: &str, description: &str) -> Response {
    let mut builder = ResponseBuilder::new().description(description).content(
        PROBLEM,
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    );
    if status == "429" {
        builder = builder.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(0)),
                )
                .description(Some("Seconds to wait"))
                .build(),
        );
    }
    builder.build()
}

/// Handlers declare `body = Problem`, which utoipa files under `application/json`.
fn problems_as_problem_json(op: &mut Operation) {
    for response in op.responses.responses.values_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let is_problem = response.content.get("application/json").is_some_and(
            |c| matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem")),
        );
        if is_problem && let Some(content) = response.content.shift_remove("application/json") {
            response.content.insert(PROBLEM.to_string(), content);
        }
    }
}

fn add_shared_answers(op: &mut Operation) {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
    let needs_key = params
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case("idempotency-key"));
    let has_body = op.request_body.is_some();
    let signed_in = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let wanted = [
        ("BadRequest", has_body || needs_key),
        ("Unauthenticated", signed_in),
        ("NotFound", has(ParameterIn::Path)),
        ("TooLarge", has_body),
        ("UnsupportedMediaType", has_body),
        ("Invalid", has_body || has(ParameterIn::Query)),
        ("RateLimited", true),
        ("Unavailable", true),
    ];
    for (name, wanted) in wanted {
        let status = SHARED
            .iter()
            .find(|s| s.0 == name)
            .map(|s| s.1)
            .unwrap_or("500");
        if wanted && !op.responses.responses.contains_key(status) {
            op.responses.responses.insert(
                status.to_string(),
                RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))),
            );
        }
    }
}

fn constrain_idempotency_key(op: &mut Operation) {
    for p in op.parameters.iter_mut().flatten() {
        if p.name.eq_ignore_ascii_case("idempotency-key") {
            p.schema = Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(IDEMPOTENCY_KEY_PATTERN))
                    .into(),
            );
        }
    }
}
