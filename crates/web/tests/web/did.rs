//! The instance's DID document at `/.well-known/did.json`: its `did:web` and the instance key
//! as a Multikey, the key that signs the evidence log's checkpoints.

use crate::common::{TestApp, test_key};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn the_did_document_lists_the_instance_key() {
    let t = TestApp::new(guildhall_store::testdb::TestDb::sqlite().unwrap());
    let r = t
        .send(
            Request::get("/.well-known/did.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/did+json"
    );
    let doc = r.json();
    assert_eq!(doc["id"], "did:web:guildhall.test");
    let method = &doc["verificationMethod"][0];
    assert_eq!(method["type"], "Multikey");
    assert_eq!(method["controller"], "did:web:guildhall.test");
    let key = guildhall_domain::did::from_multikey(method["publicKeyMultibase"].as_str().unwrap());
    assert_eq!(key, Some(test_key().verifying_key()));
    assert_eq!(doc["assertionMethod"][0], method["id"]);
}
