//! A payment provider's webhook signature, checked against a fixture signed independently to
//! Stripe's documented scheme (`tests/fixtures/stripe_webhook.json`, made with Python's
//! `hmac`): the genuine request passes, any change to body, secret or time is refused.

use guildhall_app::webhook_signature::{DEFAULT_TOLERANCE_SECS, SignatureError, verify_stripe};
use serde_json::Value;

fn fixture() -> (String, String, String, i64, String) {
    let f: Value = serde_json::from_str(include_str!("../fixtures/stripe_webhook.json")).unwrap();
    let s = |k: &str| f[k].as_str().unwrap().to_string();
    (
        s("header"),
        s("body"),
        s("secret"),
        f["timestamp"].as_i64().unwrap(),
        s("header_while_rolling"),
    )
}

#[test]
fn a_genuine_webhook_passes_and_any_change_is_refused() {
    let (header, body, secret, t, rolling) = fixture();
    let check = |header: &str, body: &str, secret: &str, now: i64| {
        verify_stripe(header, body.as_bytes(), secret, now, DEFAULT_TOLERANCE_SECS)
    };
    assert_eq!(check(&header, &body, &secret, t + 10), Ok(()));
    assert_eq!(
        check(&rolling, &body, &secret, t),
        Ok(()),
        "while a secret is rolled, one of two v1 signatures matches"
    );
    let changed = body.replace("12500", "12501");
    assert_eq!(
        check(&header, &changed, &secret, t),
        Err(SignatureError::NoMatch)
    );
    assert_eq!(
        check(&header, &body, "whsec_someone_else", t),
        Err(SignatureError::NoMatch)
    );
    assert_eq!(
        check(&header, &body, &secret, t + DEFAULT_TOLERANCE_SECS + 1),
        Err(SignatureError::OutsideTolerance(DEFAULT_TOLERANCE_SECS + 1)),
        "a captured request replayed later"
    );
    let no_time = header.split(',').skip(1).collect::<Vec<_>>().join(",");
    assert_eq!(
        check(&no_time, &body, &secret, t),
        Err(SignatureError::Malformed)
    );
    let only_v0 = format!("t={t},v0=00");
    assert_eq!(
        check(&only_v0, &body, &secret, t),
        Err(SignatureError::Malformed)
    );
    let later = header.replacen(&format!("t={t}"), &format!("t={}", t + 1), 1);
    assert_eq!(
        check(&later, &body, &secret, t),
        Err(SignatureError::NoMatch),
        "the timestamp is signed too"
    );
}
