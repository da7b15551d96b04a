//! The server's own defences: connections that send nothing are closed, and every answer carries
//! the security headers.

use crate::common::TestApp;
use axum::http::{Method, header};
use guildhall_store::testdb::TestDb;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Starts a real listener over `app` with a one-second wait for request heads.
async fn listen(app: &TestApp) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(guildhall_web::serve::serve(
        listener,
        app.router.clone(),
        Duration::from_secs(1),
        std::future::pending(),
    ));
    addr
}

/// Reads until the server closes; panics if it keeps the connection far beyond its timeout.
async fn closed_by_server(mut stream: TcpStream) {
    let mut sink = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut sink))
        .await
        .expect("the server kept a silent connection open")
        .ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_slow_connections_are_closed() {
    let app = TestApp::new(TestDb::sqlite().unwrap());
    let addr = listen(&app).await;
    let mut silent = Vec::new();
    for _ in 0..100 {
        silent.push(TcpStream::connect(addr).await.unwrap());
    }
    // A head sent in part, then nothing: the slow-headers attack.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    for stream in silent {
        closed_by_server(stream).await;
    }
    closed_by_server(slow).await;

    // A kept-alive connection that goes quiet after its answer is closed too.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    closed_by_server(idle).await;

    // And the server still answers whoever speaks.
    let mut fresh = TcpStream::connect(addr).await.unwrap();
    fresh
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    fresh.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::new(TestDb::sqlite().unwrap());
    for path in [
        "/",
        "/signin",
        "/api/v1/openapi.json",
        "/api/v1/nowhere",
        "/static/app.css",
        "/api/docs/",
    ] {
        let reply = app.call(Method::GET, path, None, None).await;
        let csp = reply
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap_or_else(|| panic!("{path}: no Content-Security-Policy"))
            .to_str()
            .unwrap();
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(
            reply.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{path}"
        );
        assert!(
            reply.headers.contains_key(header::REFERRER_POLICY),
            "{path}"
        );
        // This instance is served over plain http: HSTS would be ignored, so it is not sent.
        assert!(
            !reply
                .headers
                .contains_key(header::STRICT_TRANSPORT_SECURITY),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_api_paths_answer_a_problem_document() {
    let app = TestApp::new(TestDb::sqlite().unwrap());
    for path in ["/api/v1/nowhere", "/api/v2/jobs", "/api/v1/jobs/x/y/z"] {
        let reply = app.call(Method::GET, path, None, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.headers[header::CONTENT_TYPE],
            "application/problem+json",
            "{path}"
        );
        assert_eq!(reply.json()["status"], 404, "{path}");
    }
}

#[tokio::test]
async fn api_calls_over_the_rate_limit_wait() {
    for t in TestApp::all() {
        let op = t.operator("operator").await;
        let ana = t.member("ana").await;
        let bob = t.member("bob").await;
        let r = t
            .call(
                Method::PUT,
                "/api/v1/admin/policy",
                Some(&op),
                Some(serde_json::json!({"registration": "open", "api_calls_per_minute_per_token": 3, "api_calls_per_minute_per_address": 7})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        // A fresh router reads the new limits on its first call.
        let t = TestApp {
            router: crate::common::TestApp::router_over(&t.db),
            app: t.app,
            db: t.db,
        };
        for _ in 0..3 {
            assert_eq!(
                t.call(Method::GET, "/api/v1/me", Some(&ana), None)
                    .await
                    .status,
                200
            );
        }
        let over = t.call(Method::GET, "/api/v1/me", Some(&ana), None).await;
        assert_eq!(over.status, 429);
        assert_eq!(
            over.headers[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let wait: u64 = over.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        // Another token has its own allowance...
        for _ in 0..3 {
            assert_eq!(
                t.call(Method::GET, "/api/v1/me", Some(&bob), None)
                    .await
                    .status,
                200
            );
        }
        // ...but the address's is spent after seven calls, with a token or without.
        let r = t
            .call(Method::GET, "/api/v1/skills/autocomplete?q=sq", None, None)
            .await;
        assert_eq!(r.status, 429);
        // Pages are not API calls.
        assert_eq!(t.call(Method::GET, "/signin", None, None).await.status, 200);
    }
}
