//! Conversations on both databases: who may write to whom follows each member's setting and
//! blocks; each message tells the others once until they read; edits and deletions show;
//! attached conversations take in their parties; reports reach curators or operators.

use guildhall_app::accounts::Account;
use guildhall_app::clock::ManualClock;
use guildhall_app::communities::CommunityInput;
use guildhall_app::conversations::{MessagesFrom, NewConversation, Subject};
use guildhall_app::testing::{app_with_clock, member, one_milestone_offer, sign_up_input};
use guildhall_app::{App, AppError, PageRequest};
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

/// 2026-11-22T00:00:00Z.
const NOW: i64 = 1_795_305_600_000;

fn start(app: &App, who: &Account, to: &[&str], body: &str) -> Result<String, AppError> {
    app.conversations()
        .start(
            who,
            NewConversation {
                to: to.iter().map(|s| s.to_string()).collect(),
                title: String::new(),
                body: body.into(),
            },
        )
        .map(|c| c.id)
}

/// The message of a field error, or the text of a conflict.
fn refusal(err: AppError) -> String {
    match err {
        AppError::Validation(e) => e.to_string(),
        AppError::Conflict { message, .. } => message,
        other => panic!("not a refusal: {other:?}"),
    }
}

/// Topics `who` was told of, newest first.
fn told(app: &App, who: &Account) -> Vec<String> {
    app.notifications()
        .inbox(who, &PageRequest::default())
        .unwrap()
        .items
        .into_iter()
        .map(|n| n.topic)
        .collect()
}

fn community(app: &App, owner: &Account, slug: &str, members: &[&Account]) -> String {
    let made = app
        .communities()
        .create_community(
            owner,
            CommunityInput {
                name: format!("Guild {slug}"),
                slug: slug.into(),
                ..CommunityInput::default()
            },
        )
        .unwrap();
    for m in members {
        app.communities().join_community(m, slug).unwrap();
    }
    made.id
}

#[test]
fn who_may_write_follows_the_setting_and_blocks() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (alice, bob, carol) = (
            member(&app, "alice"),
            member(&app, "bob"),
            member(&app, "carol"),
        );
        // Strangers share nothing: the default takes members of shared communities.
        let err = refusal(start(&app, &alice, &["bob"], "hello").unwrap_err());
        assert!(
            err.contains("@bob takes new conversations only from"),
            "{err}"
        );
        assert!(refusal(start(&app, &alice, &["nobody"], "hi").unwrap_err()).contains("@nobody"));
        assert!(refusal(start(&app, &alice, &["alice"], "hi").unwrap_err()).contains("yourself"));

        community(&app, &alice, "guild", &[&bob, &carol]);
        let direct = start(&app, &alice, &["bob"], "hello").unwrap();
        // The pair keeps one conversation.
        assert_eq!(start(&app, &bob, &["@ALICE"], "hi back").unwrap(), direct);
        let thread = app.conversations().show(&bob, &direct, "").unwrap();
        assert_eq!(thread.messages.len(), 2);
        assert_eq!(thread.conversation.title, "@alice");

        // Carol takes conversations from people she works with only, then connections too.
        app.conversations()
            .set_messages_from(&carol, MessagesFrom::Work)
            .unwrap();
        let err = refusal(start(&app, &bob, &["carol"], "hi").unwrap_err());
        assert!(err.contains("contract or a proposal"), "{err}");
        app.conversations()
            .set_messages_from(&carol, MessagesFrom::Connections)
            .unwrap();
        assert!(start(&app, &bob, &["carol"], "hi").is_err());
        let request = app.profiles().request_connection(&bob, "carol").unwrap();
        app.profiles()
            .accept_connection(&carol, &request.id)
            .unwrap();
        start(&app, &bob, &["carol"], "hi").unwrap();

        // A block stops messages both ways, and new conversations.
        app.conversations().block(&bob, "alice").unwrap();
        let err = refusal(
            app.conversations()
                .send(&alice, &direct, "there?")
                .unwrap_err(),
        );
        assert!(err.contains("blocks the other"), "{err}");
        assert!(app.conversations().send(&bob, &direct, "bye").is_err());
        assert!(start(&app, &alice, &["bob"], "hello?").is_err());
        let seen = app.conversations().show(&alice, &direct, "").unwrap();
        assert!(seen.conversation.closed.is_some());
        // Hidden from each other even where both still take part, such as a group.
        let group = start(&app, &carol, &["alice", "bob"], "all of us").unwrap();
        app.conversations()
            .send(&alice, &group, "from alice")
            .unwrap();
        let bobs = app.conversations().show(&bob, &group, "").unwrap();
        assert!(bobs.messages.iter().all(|m| m.author != "alice"));
        assert_eq!(
            app.conversations()
                .show(&carol, &group, "")
                .unwrap()
                .messages
                .len(),
            2
        );

        assert_eq!(app.conversations().blocks(&bob).unwrap()[0].handle, "alice");
        app.conversations().unblock(&bob, "alice").unwrap();
        app.conversations().send(&alice, &direct, "there?").unwrap();
        assert!(app.conversations().blocks(&bob).unwrap().is_empty());
    }
}

#[test]
fn a_message_tells_the_others_once_until_they_read() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (alice, bob, carol) = (
            member(&app, "alice"),
            member(&app, "bob"),
            member(&app, "carol"),
        );
        community(&app, &alice, "guild", &[&bob, &carol]);
        let group = start(&app, &alice, &["bob", "carol"], "first").unwrap();
        assert_eq!(told(&app, &bob), ["messages"]);
        assert_eq!(told(&app, &carol), ["messages"]);
        assert!(told(&app, &alice).is_empty(), "the author is not told");

        // Until they read, more messages tell nobody again; the unread count grows.
        app.conversations().send(&alice, &group, "second").unwrap();
        assert_eq!(told(&app, &bob).len(), 1);
        let list = app.conversations().list(&bob).unwrap();
        assert_eq!((list[0].id.as_str(), list[0].unread), (group.as_str(), 2));
        assert_eq!(app.conversations().unread(&bob).unwrap(), 1);

        assert_eq!(app.notifications().unread_count(&bob).unwrap(), 1);
        app.conversations().mark_read(&bob, &group).unwrap();
        assert_eq!(app.conversations().unread(&bob).unwrap(), 0);
        // What told of the conversation is read with it.
        assert_eq!(app.notifications().unread_count(&bob).unwrap(), 0);
        app.conversations().send(&alice, &group, "third").unwrap();
        assert_eq!(told(&app, &bob), ["messages", "messages"]);
        assert_eq!(told(&app, &carol).len(), 1);

        // A muted conversation tells nothing and counts nowhere, but a mention still tells.
        app.conversations().mark_read(&carol, &group).unwrap();
        app.conversations().mute(&carol, &group, true).unwrap();
        app.conversations().send(&alice, &group, "fourth").unwrap();
        assert_eq!(told(&app, &carol).len(), 1);
        assert_eq!(app.conversations().unread(&carol).unwrap(), 0);
        app.conversations()
            .send(&alice, &group, "what do you think, @carol?")
            .unwrap();
        assert_eq!(told(&app, &carol), ["mentions", "messages"]);
        let mention = &app
            .notifications()
            .inbox(&carol, &PageRequest::default())
            .unwrap()
            .items[0];
        assert_eq!(mention.text, "@alice mentioned you in a conversation");
        assert!(mention.link.starts_with(&format!("/messages/{group}#m-")));

        // Only what is after a message comes back when asked for.
        let all = app.conversations().show(&bob, &group, "").unwrap().messages;
        assert_eq!(all.len(), 5);
        let after = app.conversations().show(&bob, &group, &all[3].id).unwrap();
        assert_eq!(after.messages.len(), 1);
    }
}

#[test]
fn edits_and_deletions_show_as_such() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (alice, bob) = (member(&app, "alice"), member(&app, "bob"));
        community(&app, &alice, "guild", &[&bob]);
        let id = start(&app, &alice, &["bob"], "*draft*").unwrap();
        let first = app.conversations().show(&alice, &id, "").unwrap().messages[0].clone();
        assert_eq!(first.html, "<p><em>draft</em></p>\n");
        assert_eq!(first.body, "*draft*");
        assert!(
            app.conversations().show(&bob, &id, "").unwrap().messages[0]
                .body
                .is_empty()
        );

        assert!(matches!(
            app.conversations().edit(&bob, &id, &first.id, "mine now"),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            app.conversations().edit(&alice, &id, &first.id, " "),
            Err(AppError::Validation(_))
        ));
        let edited = app
            .conversations()
            .edit(&alice, &id, &first.id, "**final**")
            .unwrap();
        assert!(edited.edited_at.is_some() && edited.html.contains("<strong>final"));

        app.conversations().delete(&alice, &id, &first.id).unwrap();
        let gone = app.conversations().show(&bob, &id, "").unwrap().messages[0].clone();
        assert!(gone.deleted && gone.html.is_empty() && !gone.removed);
        assert!(
            app.conversations()
                .edit(&alice, &id, &first.id, "back")
                .is_err()
        );
    }
}

#[test]
fn attached_conversations_take_in_their_parties() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (client, worker, stranger) = (
            member(&app, "client"),
            member(&app, "worker"),
            member(&app, "stranger"),
        );
        let contract = app
            .work()
            .offer_contract(
                &client,
                one_milestone_offer("worker", "Warehouse audit", "2026-12-20"),
            )
            .unwrap();
        let opened = app
            .conversations()
            .open(&client, Subject::Contract, &contract.id)
            .unwrap();
        assert_eq!(opened.title, "Contract “Warehouse audit”");
        assert_eq!(opened.members, ["client", "worker"]);
        assert_eq!(
            opened.link.as_deref(),
            Some(format!("/work/contracts/{}", contract.id).as_str())
        );
        // Opened again, by either party, it is the same one.
        let again = app
            .conversations()
            .open(&worker, Subject::Contract, &contract.id)
            .unwrap();
        assert_eq!(again.id, opened.id);
        assert!(matches!(
            app.conversations()
                .open(&stranger, Subject::Contract, &contract.id),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.conversations().show(&stranger, &opened.id, ""),
            Err(AppError::NotFound)
        ));
        // Parties with work between them may write to each other whatever their setting.
        app.conversations()
            .set_messages_from(&worker, MessagesFrom::Work)
            .unwrap();
        start(&app, &client, &["worker"], "about the audit").unwrap();

        // A community's conversation is its members'; they join it by taking part.
        let guild = community(&app, &client, "guild", &[&worker]);
        let square = app
            .conversations()
            .open(&worker, Subject::Community, &guild)
            .unwrap();
        assert_eq!(square.title, "Guild guild");
        app.conversations()
            .send(&worker, &square.id, "hello all")
            .unwrap();
        let seen = app.conversations().show(&client, &square.id, "").unwrap();
        assert_eq!(seen.messages[0].author, "worker");
        assert!(matches!(
            app.conversations().show(&stranger, &square.id, ""),
            Err(AppError::NotFound)
        ));
        app.communities().leave_community(&worker, "guild").unwrap();
        assert!(app.conversations().show(&worker, &square.id, "").is_err());
    }
}

#[test]
fn reports_reach_the_curators_or_the_operators() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let operator = app
            .accounts()
            .create_account(
                guildhall_app::accounts::SignUp {
                    email: "op@example.org".into(),
                    ..sign_up_input("operator")
                },
                true,
            )
            .unwrap();
        let (owner, rude, reader) = (
            member(&app, "owner"),
            member(&app, "rude"),
            member(&app, "reader"),
        );
        let guild = community(&app, &owner, "guild", &[&rude, &reader]);
        let direct = start(&app, &rude, &["reader"], "you fool").unwrap();
        let bad = app
            .conversations()
            .show(&reader, &direct, "")
            .unwrap()
            .messages[0]
            .id
            .clone();
        assert!(
            app.conversations()
                .report(&reader, &direct, &bad, "no")
                .is_err()
        );
        app.conversations()
            .report(&reader, &direct, &bad, "insults")
            .unwrap();
        let err = refusal(
            app.conversations()
                .report(&reader, &direct, &bad, "insults")
                .unwrap_err(),
        );
        assert!(err.contains("already"), "{err}");
        assert!(app.conversations().reports(&owner).unwrap().is_empty());
        let open = app.conversations().reports(&operator).unwrap();
        assert_eq!((open.len(), open[0].author.as_str()), (1, "rude"));
        assert!(open[0].community.is_none());

        let square = app
            .conversations()
            .open(&rude, Subject::Community, &guild)
            .unwrap();
        let loud = app
            .conversations()
            .send(&rude, &square.id, "spam spam")
            .unwrap();
        app.conversations()
            .report(&reader, &square.id, &loud.id, "spam")
            .unwrap();
        let curators = app.conversations().reports(&owner).unwrap();
        assert_eq!(curators.len(), 1);
        assert_eq!(curators[0].community.as_deref(), Some("guild"));
        assert!(matches!(
            app.conversations()
                .settle_report(&reader, &curators[0].id, true),
            Err(AppError::NotFound)
        ));
        app.conversations()
            .settle_report(&owner, &curators[0].id, true)
            .unwrap();
        let shown = app.conversations().show(&reader, &square.id, "").unwrap();
        assert!(shown.messages[0].removed && shown.messages[0].html.is_empty());
        assert!(app.conversations().reports(&owner).unwrap().is_empty());

        // Dismissed, the message stays.
        app.conversations()
            .settle_report(&operator, &open[0].id, false)
            .unwrap();
        assert!(app.conversations().reports(&operator).unwrap().is_empty());
        let kept = app.conversations().show(&reader, &direct, "").unwrap();
        assert!(!kept.messages[0].deleted);
    }
}

#[test]
fn a_block_hides_each_from_the_others_search_suggestions_and_invitations() {
    use guildhall_app::profiles::ItemInput;
    use guildhall_app::search::MemberQuery;
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (ana, ben) = (member(&app, "ana"), member(&app, "ben"));
        for who in [&ana, &ben] {
            app.profiles()
                .add_item(
                    who,
                    ItemInput {
                        audiences: vec!["members".into()],
                        data: serde_json::from_value(serde_json::json!({
                            "kind": "headline", "text": "Rust consultant"
                        }))
                        .unwrap(),
                    },
                )
                .unwrap();
        }
        let query = MemberQuery {
            skill_id: None,
            skill: None,
            text: Some("rust".into()),
            location: None,
            timezone: None,
            limit: 20,
        };
        let found = |who: &Account| -> Vec<String> {
            app.profiles()
                .search_members(Some(who), &query)
                .unwrap()
                .into_iter()
                .map(|h| h.handle)
                .collect()
        };
        assert!(found(&ana).contains(&"ben".to_string()));

        app.conversations().block(&ben, "ana").unwrap();
        assert!(app.conversations().is_blocked(&ben, "ana").unwrap());
        assert!(
            !found(&ana).contains(&"ben".to_string()),
            "the blocked finds nobody"
        );
        assert!(
            !found(&ben).contains(&"ana".to_string()),
            "nor does the blocker"
        );
        assert!(app.profiles().request_connection(&ana, "ben").is_err());
        assert!(app.profiles().request_connection(&ben, "ana").is_err());
        assert!(
            app.skills()
                .suggest_skill(&ana, "ben", "Rust", "you know it")
                .is_err()
        );
        app.conversations().unblock(&ben, "ana").unwrap();
        assert!(found(&ana).contains(&"ben".to_string()));
        app.profiles().request_connection(&ana, "ben").unwrap();
    }
}

#[test]
fn messages_carry_files_only_those_in_the_conversation_download() {
    for db in TestDb::all() {
        let app = app_with_clock(&db, Arc::new(ManualClock::at(NOW)));
        let (ana, bo, eve) = (
            member(&app, "ana"),
            member(&app, "bob"),
            member(&app, "eve"),
        );
        community(&app, &ana, "guild", &[&bo]);
        let id = start(&app, &ana, &["bob"], "Hello").unwrap();
        let notes = b"Kickoff notes: index by day.\n".to_vec();
        // A program is refused, and nothing is recorded.
        let refused = app.conversations().upload_message_file(
            &ana,
            &id,
            "tool.exe",
            b"MZ\x90\x00\x03\x00\x00\x00".to_vec(),
        );
        assert!(
            matches!(refused, Err(AppError::Validation(_))),
            "{refused:?}"
        );
        // Only those in the conversation upload to it.
        assert!(matches!(
            app.conversations()
                .upload_message_file(&eve, &id, "n.txt", notes.clone()),
            Err(AppError::NotFound)
        ));
        let file = app
            .conversations()
            .upload_message_file(&ana, &id, "notes.txt", notes.clone())
            .unwrap();
        assert!(
            matches!(
                app.conversations().message_file(&bo, &id, &file.id),
                Err(AppError::NotFound)
            ),
            "not sent yet: the uploader's alone"
        );
        // Someone else's upload cannot be sent.
        let theirs =
            app.conversations()
                .send_with_files(&bo, &id, "Mine?", std::slice::from_ref(&file.id));
        assert!(matches!(theirs, Err(AppError::Validation(_))), "{theirs:?}");
        let sent = app
            .conversations()
            .send_with_files(&ana, &id, "The notes", std::slice::from_ref(&file.id))
            .unwrap();
        assert_eq!(sent.files[0].name, "notes.txt");
        let (got, bytes) = app
            .conversations()
            .message_file(&bo, &id, &file.id)
            .unwrap();
        assert_eq!((got.sha256, bytes), (file.sha256.clone(), notes));
        assert!(matches!(
            app.conversations().message_file(&eve, &id, &file.id),
            Err(AppError::NotFound)
        ));
        let thread = app.conversations().show(&bo, &id, "").unwrap();
        assert_eq!(thread.messages.last().unwrap().files.len(), 1);
        // Deleting the message takes its files with it.
        app.conversations().delete(&ana, &id, &sent.id).unwrap();
        assert!(matches!(
            app.conversations().message_file(&bo, &id, &file.id),
            Err(AppError::NotFound)
        ));
        let thread = app.conversations().show(&bo, &id, "").unwrap();
        assert!(thread.messages.last().unwrap().files.is_empty());
    }
}
