//! Conversations over the API, on both databases: two members of a community talk; the unread
//! count follows; edits, mute, reports and blocks answer as documented; a stranger finds
//! nothing.

use crate::common::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn two_members_talk_over_the_api() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let ben = t.member("ben").await;
        let eve = t.member("eve").await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/conversations",
                Some(&ana),
                Some(json!({"to": ["ben"], "body": "hello"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(
            r.text.contains("takes new conversations only from"),
            "{}",
            r.text
        );

        t.community(&ana, json!({"name": "Rustaceans", "slug": "rust"}))
            .await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/communities/rust/join",
                Some(&ben),
                None,
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
        let r = t
            .call(
                Method::POST,
                "/api/v1/conversations",
                Some(&ana),
                Some(json!({"to": ["ben"], "body": "hello **ben**"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json()["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/conversations/{id}");

        let r = t
            .call(
                Method::GET,
                "/api/v1/me/conversations/unread",
                Some(&ben),
                None,
            )
            .await;
        assert_eq!(r.json()["count"], 1);
        let r = t
            .call(Method::GET, "/api/v1/me/conversations", Some(&ben), None)
            .await;
        let list = r.json();
        assert_eq!(list["items"][0]["title"], "@ana");
        assert_eq!(list["items"][0]["unread"], 1);

        let r = t
            .call(
                Method::POST,
                &format!("{path}/messages"),
                Some(&ben),
                Some(json!({"body": "  "})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = t
            .call(
                Method::POST,
                &format!("{path}/messages"),
                Some(&ben),
                Some(json!({"body": "hi @ana"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let reply = r.json()["id"].as_str().unwrap().to_string();
        let r = t.call(Method::GET, &path, Some(&ben), None).await;
        let thread = r.json();
        assert_eq!(
            thread["messages"][0]["html"],
            "<p>hello <strong>ben</strong></p>\n"
        );
        assert_eq!(thread["messages"].as_array().unwrap().len(), 2);
        let r = t
            .call(Method::POST, &format!("{path}/read"), Some(&ben), None)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = t
            .call(
                Method::GET,
                "/api/v1/me/conversations/unread",
                Some(&ben),
                None,
            )
            .await;
        assert_eq!(r.json()["count"], 0);

        // Only its author edits a message.
        let message = format!("{path}/messages/{reply}");
        let r = t
            .call(
                Method::PATCH,
                &message,
                Some(&ana),
                Some(json!({"body": "x"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(
                Method::PATCH,
                &message,
                Some(&ben),
                Some(json!({"body": "hi"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(r.json()["edited_at"].is_number());
        let r = t
            .call(
                Method::GET,
                &format!("{path}?after={reply}"),
                Some(&ana),
                None,
            )
            .await;
        assert_eq!(r.json()["messages"], json!([]));

        // A stranger sees nothing there.
        let r = t.call(Method::GET, &path, Some(&eve), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        let r = t
            .call(
                Method::PUT,
                &format!("{path}/mute"),
                Some(&ana),
                Some(json!({"muted": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = t
            .call(
                Method::POST,
                &format!("{message}/reports"),
                Some(&ana),
                Some(json!({"reason": "rude words"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);

        // A block closes the conversation of two.
        let r = t
            .call(Method::PUT, "/api/v1/me/blocks/ben", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        let r = t
            .call(
                Method::POST,
                &format!("{path}/messages"),
                Some(&ben),
                Some(json!({"body": "still there?"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        let r = t
            .call(Method::GET, "/api/v1/me/blocks", Some(&ana), None)
            .await;
        assert_eq!(r.json()[0]["handle"], "ben");
        let r = t
            .call(Method::PUT, "/api/v1/me/blocks/ana", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = t
            .call(Method::DELETE, "/api/v1/me/blocks/ben", Some(&ana), None)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);

        let r = t
            .call(
                Method::PUT,
                "/api/v1/me/message-settings",
                Some(&ben),
                Some(json!({"messages_from": "work"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = t
            .call(Method::GET, "/api/v1/me/message-settings", Some(&ben), None)
            .await;
        assert_eq!(r.json()["messages_from"], "work");
        let r = t
            .call(
                Method::PUT,
                "/api/v1/me/message-settings",
                Some(&ben),
                Some(json!({"messages_from": "everyone"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_show_the_conversation() {
    use crate::pages::{form, get, page_session};
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let ben = t.member("ben").await;
        t.community(&ana, json!({"name": "Rustaceans", "slug": "rust"}))
            .await;
        t.call(
            Method::POST,
            "/api/v1/communities/rust/join",
            Some(&ben),
            None,
        )
        .await;
        let session = page_session(&t, "ana").await;
        let r = t.send(get("/messages", &session)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("No conversations yet"), "{}", r.text);

        // An unknown member: the form comes back with what was typed, the message beside "To".
        let r = t
            .send(form(
                "/messages",
                &session,
                "csrf=tok&to=%40nobody&title=&body=Kept+words",
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("Kept words") && r.text.contains("value=\"@nobody\""));
        assert!(
            r.text
                .contains("id=\"to-error\">No member is called @nobody."),
            "{}",
            r.text
        );

        let r = t
            .send(form(
                "/messages",
                &session,
                "csrf=tok&to=ben&title=&body=Hello+**Ben**",
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let at = r.headers["location"].to_str().unwrap().to_string();
        let r = t.send(get(&at, &session)).await;
        assert!(r.text.contains("<strong>Ben</strong>"), "{}", r.text);
        assert!(r.text.contains("hx-trigger=\"every 5s\""));

        // Ben sees the badge beside "Messages"; reading the conversation clears it.
        let bens = page_session(&t, "ben").await;
        let r = t.send(get("/nav/counts", &bens)).await;
        assert!(
            r.text.contains("aria-label=\"1 with unread messages\""),
            "{}",
            r.text
        );
        let r = t.send(get(&format!("{at}/messages"), &bens)).await;
        assert!(r.text.contains("<strong>Ben</strong>") && r.text.contains("New"));
        let r = t.send(get("/nav/counts", &bens)).await;
        assert!(!r.text.contains("with unread messages"), "{}", r.text);

        // An empty reply comes back with the reason beside the field.
        let r = t.send(form(&at, &bens, "csrf=tok&body=+")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("id=\"body-error\""), "{}", r.text);

        // Blocking from the profile closes the conversation for both.
        let r = t
            .send(form(
                "/settings/messages/blocks",
                &bens,
                "csrf=tok&handle=ana&action=block&back=%2Fu%2Fana",
            ))
            .await;
        assert_eq!(r.headers["location"], "/u/ana?done=blocked");
        let r = t.send(get("/u/ana", &bens)).await;
        assert!(r.text.contains("Unblock @ana"), "{}", r.text);
        let r = t.send(get(&at, &session)).await;
        assert!(
            r.text.contains("while one of you blocks the other"),
            "{}",
            r.text
        );
        let r = t.send(get("/settings/messages", &bens)).await;
        assert!(r.text.contains("@ana") && r.text.contains("Unblock"));
    }
}

#[tokio::test]
async fn a_message_carries_a_file_over_the_api() {
    for t in TestApp::all() {
        let ana = t.member("ana").await;
        let ben = t.member("ben").await;
        let eve = t.member("eve").await;
        t.community(&ana, json!({"name": "Rustaceans", "slug": "rust"}))
            .await;
        t.call(
            Method::POST,
            "/api/v1/communities/rust/join",
            Some(&ben),
            None,
        )
        .await;
        let r = t
            .call(
                Method::POST,
                "/api/v1/conversations",
                Some(&ana),
                Some(json!({"to": ["ben"], "body": "hello"})),
            )
            .await;
        let id = r.json()["id"].as_str().unwrap().to_string();
        let upload = format!("/api/v1/conversations/{id}/files?name=plan.txt");
        let plan = b"1. Index by day\n2. Vacuum\n".to_vec();
        let r = t
            .raw(
                Method::POST,
                &upload,
                Some(&eve),
                "application/octet-stream",
                plan.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let r = t
            .raw(
                Method::POST,
                &upload,
                Some(&ana),
                "application/octet-stream",
                plan.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let file = r.json()["id"].as_str().unwrap().to_string();
        let r = t
            .call(
                Method::POST,
                &format!("/api/v1/conversations/{id}/messages"),
                Some(&ana),
                Some(json!({"body": "The plan", "files": [file]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["files"][0]["name"], "plan.txt");
        let download = format!("/api/v1/conversations/{id}/files/{file}");
        let r = t.call(Method::GET, &download, Some(&ben), None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.text.as_bytes(), plan.as_slice());
        let r = t.call(Method::GET, &download, Some(&eve), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}
