//! An in-process Guildhall over a test database, driven with `tower::ServiceExt::oneshot`.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};

use guildhall_store::testdb::TestDb;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";
/// What the test server offers at `/source`.
pub const TEST_SOURCE_ARCHIVE: &[u8] = b"test source archive";

pub struct TestApp {
    pub router: Router,
    /// The application behind the router, for what no request does (background work).
    pub app: guildhall_app::App,
    pub db: TestDb,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

/// The key test instances sign evidence checkpoints with.
pub fn test_key() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[5u8; 32])
}

impl TestApp {
    pub fn new(db: TestDb) -> Self {
        let app = guildhall_app::testing::app(&db);
        TestApp {
            router: Self::router_of(app.clone()),
            app,
            db,
        }
    }

    /// A new router (with its own in-memory state, such as rate limits) over `db`.
    pub fn router_over(db: &TestDb) -> Router {
        Self::router_of(guildhall_app::testing::app(db))
    }

    fn router_of(app: guildhall_app::App) -> Router {
        let state = guildhall_web::AppState {
            app,
            config: Arc::new(guildhall_web::WebConfig {
                evidence_key: Some(Arc::new(test_key())),
                public_url: "http://guildhall.test".into(),
                source_archive: Some(TEST_SOURCE_ARCHIVE),
                instance: guildhall_web::Instance {
                    name: "Test Guild".into(),
                    description: "For **testers** of Guildhall.".into(),
                    contact: "ops@example.org".into(),
                },
                ..Default::default()
            }),
        };
        guildhall_web::router(state)
    }

    /// Every test database: SQLite, and PostgreSQL when configured.
    pub fn all() -> Vec<TestApp> {
        TestDb::all().into_iter().map(TestApp::new).collect()
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Creates an operator account `handle` and returns an API token for it.
    pub async fn operator(&self, handle: &str) -> String {
        guildhall_app::testing::app(&self.db)
            .accounts()
            .create_account(guildhall_app::testing::sign_up_input(handle), true)
            .unwrap();
        let r = self
            .call(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"login": handle, "password": PASSWORD, "name": "test"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["token"].as_str().unwrap().to_string()
    }

    /// A JSON call with an `Idempotency-Key` header.
    pub async fn call_keyed(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Value,
        key: &str,
    ) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// Signs up `handle` and returns an API token for it.
    pub async fn member(&self, handle: &str) -> String {
        let r = self.call(Method::POST, "/api/v1/accounts", None, Some(json!({"handle": handle, "email": format!("{handle}@example.org"), "password": PASSWORD}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = self
            .call(
                Method::POST,
                "/api/v1/auth/token",
                None,
                Some(json!({"login": handle, "password": PASSWORD, "name": "test"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["token"].as_str().unwrap().to_string()
    }

    /// Creates a community owned by `token`'s member; returns it as the API answers.
    pub async fn community(&self, token: &str, body: Value) -> Value {
        let r = self
            .call(Method::POST, "/api/v1/communities", Some(token), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()
    }

    /// Posts "Pipeline review", a remote fixed-price job asking for SQL; returns its id.
    pub async fn pipeline_job(&self, token: &str) -> String {
        let body = json!({"title": "Pipeline review", "skills": [{"label": "SQL"}],
            "pricing": "fixed", "budget_min": 100000, "budget_max": 200000,
            "currency": "EUR", "starts_on": "2099-01-04", "ends_on": "2099-02-26", "remote": true});
        let r = self
            .call(Method::POST, "/api/v1/jobs", Some(token), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["id"].as_str().unwrap().to_string()
    }

    pub async fn add_item(&self, token: &str, audiences: &[&str], data: Value) -> String {
        let r = self
            .call(
                Method::POST,
                "/api/v1/me/items",
                Some(token),
                Some(json!({"audiences": audiences, "data": data})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["id"].as_str().unwrap().to_string()
    }

    /// Makes `a` and `b` connections.
    pub async fn connect(&self, a: &str, b_token: &str, b_handle: &str, a_token: &str) {
        let r = self
            .call(
                Method::POST,
                "/api/v1/me/connections",
                Some(a_token),
                Some(json!({"handle": b_handle})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json()["id"].as_str().unwrap().to_string();
        let r = self
            .call(
                Method::POST,
                &format!("/api/v1/me/connections/{id}/accept"),
                Some(b_token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{a} accept: {}", r.text);
    }

    /// Rows in the change feed: every state change adds one.
    pub fn event_count(&self) -> i64 {
        let pool = self.db.pool();
        let mut conn = pool.get().unwrap();
        guildhall_store::repo::events::count(&mut conn).unwrap()
    }
}
