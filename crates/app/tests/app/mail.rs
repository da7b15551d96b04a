//! Mail through the durable queue, on both databases, against an SMTP sink these tests run:
//! nothing is lost while the server is down, nothing is sent twice after it comes back, a
//! worker dying between sending and marking repeats that one mail once, and two workers never
//! send the same task.

use guildhall_app::accounts::Account;
use guildhall_app::clock::ManualClock;
use guildhall_app::mail::{
    FolderMailer, Mail, MailError, Mailer, SmtpMailer, SmtpSecurity, SmtpSettings,
};
use guildhall_app::queue::LEASE_MS;
use guildhall_app::testing::{member, one_milestone_offer, settings, verified_member};
use guildhall_app::work::WorkSettings;
use guildhall_app::{App, AppSettings};
use guildhall_store::testdb::TestDb;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// 2026-11-22T00:00:00Z.
const NOW: i64 = 1_795_305_600_000;

/// A minimal SMTP server that keeps every message it is given, for as long as it lives.
struct Sink {
    received: Arc<Mutex<Vec<String>>>,
}

impl Sink {
    /// Listens on `port` of the loopback address.
    fn start(port: u16) -> Sink {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let kept = kept.clone();
                std::thread::spawn(move || converse(stream, &kept));
            }
        });
        Sink { received }
    }

    fn messages(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }
}

/// One SMTP session: greets, accepts every envelope, keeps each message's text.
fn converse(stream: TcpStream, kept: &Mutex<Vec<String>>) {
    let mut out = stream.try_clone().unwrap();
    let mut lines = BufReader::new(stream);
    let mut say = |text: &str| out.write_all(format!("{text}\r\n").as_bytes());
    if say("220 sink ready").is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let verb = line.trim_end().to_ascii_uppercase();
        let answer = if verb.starts_with("EHLO") || verb.starts_with("HELO") {
            "250 sink"
        } else if verb.starts_with("DATA") {
            let _ = say("354 go ahead");
            let mut message = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" {
                    break;
                }
                message.push_str(&line);
            }
            kept.lock().unwrap().push(message);
            "250 kept"
        } else if verb.starts_with("QUIT") {
            let _ = say("221 bye");
            return;
        } else {
            "250 ok"
        };
        if say(answer).is_err() {
            return;
        }
    }
}

/// A loopback port nothing listens on (yet).
fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Sends through the sink's port; when `die_after_sending` is set, the process "dies" (panics)
/// right after the server took the mail, before the queue can mark it.
#[derive(Debug)]
struct ToSink {
    smtp: SmtpMailer,
    die_after_sending: AtomicBool,
}

impl ToSink {
    fn new(port: u16) -> ToSink {
        let smtp = SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            credentials: None,
        };
        ToSink {
            smtp: SmtpMailer::new(&smtp, "Guildhall <guild@example.org>").unwrap(),
            die_after_sending: AtomicBool::new(false),
        }
    }
}

impl Mailer for ToSink {
    fn send(&self, mail: &Mail) -> Result<(), MailError> {
        self.smtp.send(mail)?;
        if self.die_after_sending.load(Ordering::SeqCst) {
            panic!("the worker died after sending");
        }
        Ok(())
    }
}

fn app_mailing(db: &TestDb, clock: Arc<ManualClock>, mailer: Arc<dyn Mailer>) -> App {
    App::new(
        db.pool(),
        clock,
        AppSettings {
            mailer,
            public_url: "https://guild.example.org".into(),
            work: WorkSettings {
                offers_per_day: u32::MAX,
                ..Default::default()
            },
            ..settings()
        },
    )
}

/// The client offers `member` a contract: the member is told by email (offers default to it).
fn offer(app: &App, client: &Account, member: &str) {
    app.work()
        .offer_contract(
            client,
            one_milestone_offer(member, "Warehouse audit", "2026-12-20"),
        )
        .unwrap();
}

#[test]
fn mail_waits_while_the_server_is_down_and_goes_once_when_it_is_up() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let port = free_port();
        let app = app_mailing(&db, clock.clone(), Arc::new(ToSink::new(port)));
        let client = verified_member(&app, "client");
        verified_member(&app, "worker");
        // Their verification mails are not needed any more: skipped, not sent.
        assert_eq!(app.queue().send_due_mail().unwrap().skipped, 2);
        offer(&app, &client, "worker");
        assert_eq!(app.queue().depth().unwrap().queued, 1);

        // Down: the attempt fails and the mail waits 30 seconds.
        let pass = app.queue().send_due_mail().unwrap();
        assert_eq!((pass.sent, pass.failed), (0, 1));
        assert_eq!(
            app.queue().send_due_mail().unwrap().failed,
            0,
            "not due yet"
        );
        assert_eq!(app.queue().depth().unwrap().queued, 1);

        // Up: sent once, and never again.
        let sink = Sink::start(port);
        clock.advance(31_000);
        assert_eq!(app.queue().send_due_mail().unwrap().sent, 1);
        clock.advance(3_600_000);
        assert_eq!(app.queue().send_due_mail().unwrap().sent, 0);
        let messages = sink.messages();
        assert_eq!(messages.len(), 1);
        let mail = &messages[0];
        for part in [
            "To: worker@example.org",
            "From: Guildhall <guild@example.org>",
            "List-Unsubscribe: <https://guild.example.org/unsubscribe/",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "offered you a contract",
        ] {
            assert!(mail.contains(part), "{part} in:\n{mail}");
        }
        assert_eq!(app.queue().depth().unwrap().queued, 0);
    }
}

#[test]
fn a_worker_dying_between_sending_and_marking_repeats_that_mail_once() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let port = free_port();
        let sink = Sink::start(port);
        let mailer = Arc::new(ToSink::new(port));
        let app = app_mailing(&db, clock.clone(), mailer.clone());
        let client = verified_member(&app, "client");
        verified_member(&app, "worker");
        app.queue().send_due_mail().unwrap();
        offer(&app, &client, "worker");

        mailer.die_after_sending.store(true, Ordering::SeqCst);
        let died =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.queue().send_due_mail()));
        assert!(died.is_err());
        assert_eq!(sink.messages().len(), 1);
        mailer.die_after_sending.store(false, Ordering::SeqCst);

        // The dead worker's lease holds the task; once it runs out, the mail goes again.
        assert_eq!(app.queue().send_due_mail().unwrap().sent, 0);
        clock.advance(LEASE_MS + 1);
        assert_eq!(app.queue().send_due_mail().unwrap().sent, 1);
        assert_eq!(app.queue().send_due_mail().unwrap().sent, 0);
        assert_eq!(sink.messages().len(), 2, "one crash, at most one duplicate");
    }
}

/// Keeps what it is asked to send.
#[derive(Debug, Default)]
struct Recorder {
    sent: Mutex<Vec<Mail>>,
}

impl Mailer for Recorder {
    fn send(&self, mail: &Mail) -> Result<(), MailError> {
        self.sent.lock().unwrap().push(mail.clone());
        Ok(())
    }
}

#[test]
fn two_workers_never_send_the_same_task() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let recorder = Arc::new(Recorder::default());
        let app = app_mailing(&db, clock.clone(), recorder.clone());
        let client = verified_member(&app, "client");
        for i in 0..12 {
            verified_member(&app, &format!("worker{i}"));
        }
        app.queue().send_due_mail().unwrap();
        for i in 0..12 {
            for _ in 0..5 {
                offer(&app, &client, &format!("worker{i}"));
            }
        }
        assert_eq!(app.queue().depth().unwrap().queued, 60);
        let sent: usize = std::thread::scope(|s| {
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    let app = app.clone();
                    s.spawn(move || app.queue().send_due_mail().unwrap().sent)
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).sum()
        });
        assert_eq!(sent, 60);
        let mut links: Vec<String> = recorder
            .sent
            .lock()
            .unwrap()
            .iter()
            .map(|m| m.unsubscribe.clone().unwrap())
            .collect();
        links.sort();
        links.dedup();
        assert_eq!(links.len(), 60, "every notification mailed exactly once");
    }
}

#[test]
fn unsubscribing_stops_the_topic_s_mail_and_keeps_it_in_the_inbox() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let recorder = Arc::new(Recorder::default());
        let app = app_mailing(&db, clock.clone(), recorder.clone());
        let client = verified_member(&app, "client");
        let worker = verified_member(&app, "worker");
        app.queue().send_due_mail().unwrap();
        offer(&app, &client, "worker");
        offer(&app, &client, "worker");
        let inbox = app
            .notifications()
            .inbox(&worker, &Default::default())
            .unwrap()
            .items;
        assert_eq!(
            app.notifications().unsubscribe_link(&inbox[0].id).unwrap(),
            Some(("Contract offers, answers and cancellations".into(), true))
        );
        app.notifications().unsubscribe(&inbox[0].id).unwrap();
        // Both queued mails are now unwanted: neither goes.
        let pass = app.queue().send_due_mail().unwrap();
        assert_eq!((pass.sent, pass.skipped), (0, 2));
        offer(&app, &client, "worker");
        assert_eq!(app.queue().depth().unwrap().queued, 0, "no mail is queued");
        assert_eq!(
            app.notifications()
                .inbox(&worker, &Default::default())
                .unwrap()
                .items
                .len(),
            3
        );
        assert!(recorder.sent.lock().unwrap().is_empty());
    }
}

#[test]
fn without_a_server_each_mail_is_written_into_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mail");
    let mailer = FolderMailer::new(folder.clone(), "Guildhall <guild@example.org>").unwrap();
    mailer
        .send(&Mail {
            to: "ana@example.org".into(),
            subject: "@ben offered you a contract".into(),
            text: "See it on Guildhall".into(),
            html: "<p>See it on Guildhall</p>".into(),
            unsubscribe: Some("https://guild.example.org/unsubscribe/x".into()),
        })
        .unwrap();
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().unwrap(), "eml");
    // The mails carry reset links: the folder is its owner's alone.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&folder).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    let mail = std::fs::read_to_string(&files[0]).unwrap();
    for part in [
        "To: ana@example.org",
        "Subject: @ben offered you a contract",
        "List-Unsubscribe: <https://guild.example.org/unsubscribe/x>",
    ] {
        assert!(mail.contains(part), "{part} in:\n{mail}");
    }
    // An address that is no address is refused, not sent.
    let refused = mailer.send(&Mail {
        to: "not an address".into(),
        subject: String::new(),
        text: String::new(),
        html: String::new(),
        unsubscribe: None,
    });
    assert!(refused.is_err());
}

/// The link a mail carries to `path` (`/verify-email/`, `/reset-password/`): its token.
fn token_in(mail: &Mail, path: &str) -> String {
    let start = mail.text.find(path).expect("the mail carries the link") + path.len();
    mail.text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn a_new_address_is_verified_through_its_link_and_gets_nothing_else_until_then() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let recorder = Arc::new(Recorder::default());
        let app = app_mailing(&db, clock.clone(), recorder.clone());
        let client = verified_member(&app, "client");
        let ana = member(&app, "ana");
        assert!(!ana.email_verified);
        // An offer to an unverified address is in her inbox, not in her mail.
        offer(&app, &client, "ana");
        let pass = app.queue().send_due_mail().unwrap();
        assert_eq!(pass.sent, 1, "only ana's verification mail: {pass:?}");
        let sent = recorder.sent.lock().unwrap().clone();
        assert_eq!(sent[0].to, "ana@example.org");
        assert_eq!(sent[0].subject, "Confirm your address for Guildhall");
        assert!(
            sent[0]
                .html
                .contains("https://guild.example.org/verify-email/")
        );
        let token = token_in(&sent[0], "/verify-email/");

        // Asking again at once is refused; a minute later it is queued.
        assert!(matches!(
            app.accounts().resend_verification(&ana),
            Err(guildhall_app::AppError::RateLimited { .. })
        ));
        clock.advance(61_000);
        app.accounts().resend_verification(&ana).unwrap();

        let verified = app.accounts().verify_email(&token).unwrap();
        assert!(verified.email_verified);
        assert!(matches!(
            app.accounts().verify_email(&token),
            Err(guildhall_app::AppError::Forbidden(_))
        ));
        assert!(matches!(
            app.accounts().resend_verification(&verified),
            Err(guildhall_app::AppError::Conflict { .. })
        ));
        // The second link is not sent: the address is verified now. New offers are mailed.
        assert_eq!(app.queue().send_due_mail().unwrap().skipped, 1);
        offer(&app, &client, "ana");
        assert_eq!(app.queue().send_due_mail().unwrap().sent, 1);
        assert!(
            recorder.sent.lock().unwrap()[1]
                .text
                .contains("offered you a contract")
        );
    }
}

#[test]
fn a_reset_link_goes_only_to_a_verified_address_and_the_answer_never_tells() {
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let recorder = Arc::new(Recorder::default());
        let app = app_mailing(&db, clock.clone(), recorder.clone());
        verified_member(&app, "ana");
        member(&app, "ben");
        app.queue().send_due_mail().unwrap();
        let before = recorder.sent.lock().unwrap().len();

        // Known and verified, known but unverified, unknown: the same answer.
        for email in ["Ana@Example.org", "ben@example.org", "nobody@example.org"] {
            app.accounts()
                .request_password_reset(email, "198.51.100.7")
                .unwrap();
        }
        assert_eq!(app.queue().send_due_mail().unwrap().sent, 1);
        let sent = recorder.sent.lock().unwrap()[before..].to_vec();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].to, "ana@example.org");
        let token = token_in(&sent[0], "/reset-password/");

        // The link works once, and ends every session.
        app.instance()
            .reset_password(&token, "a brand new long passphrase")
            .unwrap();
        assert!(
            app.instance()
                .reset_password(&token, "another brand new passphrase")
                .is_err()
        );
        // An hour later a new link no longer works.
        app.accounts()
            .request_password_reset("ana@example.org", "198.51.100.7")
            .unwrap();
        app.queue().send_due_mail().unwrap();
        let late = token_in(
            recorder.sent.lock().unwrap().last().unwrap(),
            "/reset-password/",
        );
        clock.advance(3_600_001);
        assert!(
            app.instance()
                .reset_password(&late, "a brand new long passphrase 2")
                .is_err()
        );

        // Three asks an hour per address, known or not.
        for email in ["ana@example.org", "nobody@example.org"] {
            for _ in 0..3 {
                app.accounts()
                    .request_password_reset(email, "203.0.113.9")
                    .unwrap();
            }
            assert!(matches!(
                app.accounts().request_password_reset(email, "203.0.113.9"),
                Err(guildhall_app::AppError::RateLimited { .. })
            ));
        }
        assert!(matches!(
            app.accounts()
                .request_password_reset("not an address", "203.0.113.9"),
            Err(guildhall_app::AppError::Validation(_))
        ));
    }
}

#[test]
fn another_address_signs_in_once_verified_and_a_replaced_one_is_told() {
    use guildhall_app::accounts::AttemptOrigin;
    let signs_in = |app: &App, login: &str| {
        app.accounts()
            .authenticate(login, "correct horse battery", &AttemptOrigin::default())
            .is_ok()
    };
    for db in TestDb::all() {
        let clock = Arc::new(ManualClock::at(NOW));
        let recorder = Arc::new(Recorder::default());
        let app = app_mailing(&db, clock.clone(), recorder.clone());
        let ana = verified_member(&app, "ana");
        let bob = verified_member(&app, "bob");
        app.queue().send_due_mail().unwrap();
        recorder.sent.lock().unwrap().clear();

        app.accounts()
            .add_address(&ana, "Ana.Work@example.org")
            .unwrap();
        assert!(
            !signs_in(&app, "ana.work@example.org"),
            "not before it is verified"
        );
        // Another account cannot take it while it waits, nor sign in with it.
        assert!(app.accounts().add_address(&bob, "ana@example.org").is_err());
        app.queue().send_due_mail().unwrap();
        let sent = recorder.sent.lock().unwrap().clone();
        assert_eq!(sent[0].to, "Ana.Work@example.org");
        assert!(
            sent[0].text.contains("@ana added this address"),
            "{}",
            sent[0].text
        );
        app.accounts()
            .verify_email(&token_in(&sent[0], "/verify-email/"))
            .unwrap();
        assert!(signs_in(&app, "ana.work@example.org"));
        let listed = app.accounts().addresses(&ana).unwrap();
        assert_eq!(
            listed
                .iter()
                .map(|a| (a.email.as_str(), a.primary, a.verified))
                .collect::<Vec<_>>(),
            [
                ("ana@example.org", true, true),
                ("Ana.Work@example.org", false, true)
            ]
        );

        // A reset link goes to the verified address it was asked for.
        app.accounts()
            .request_password_reset("ana.work@example.org", "10.0.0.1")
            .unwrap();
        app.queue().send_due_mail().unwrap();
        assert_eq!(recorder.sent.lock().unwrap()[1].to, "Ana.Work@example.org");

        // The account's address changes; the old one is told, and still signs in.
        app.accounts()
            .make_primary(&ana, "ana.work@example.org")
            .unwrap();
        app.queue().send_due_mail().unwrap();
        let notice = recorder.sent.lock().unwrap()[2].clone();
        assert_eq!(notice.to, "ana@example.org");
        assert!(
            notice.text.contains("no longer the address of @ana")
                && notice.text.contains("Ana.Work@example.org"),
            "{}",
            notice.text
        );
        assert_eq!(
            app.accounts().addresses(&ana).unwrap()[0].email,
            "Ana.Work@example.org"
        );
        assert!(signs_in(&app, "ana@example.org"));

        // Removed, it is told, and signs in no more; the account's own cannot be removed.
        app.accounts()
            .remove_address(&ana, "ana@example.org")
            .unwrap();
        app.queue().send_due_mail().unwrap();
        assert!(
            recorder.sent.lock().unwrap()[3]
                .text
                .contains("was removed from the account @ana")
        );
        assert!(!signs_in(&app, "ana@example.org"));
        assert!(
            app.accounts()
                .remove_address(&ana, "ana.work@example.org")
                .is_err()
        );
        // Now free, another account may add it.
        app.accounts().add_address(&bob, "ana@example.org").unwrap();
    }
}

#[test]
fn the_digest_is_mailed_once_a_day_at_the_members_hour_with_the_news_they_chose() {
    use guildhall_app::notifications::PreferenceInput;
    use guildhall_app::notifications::digest_mail::DigestSettings;
    for db in TestDb::all() {
        // 2026-11-22 00:00 UTC is 09:00 in Tokyo.
        let clock = Arc::new(ManualClock::at(NOW));
        let recorder = Arc::new(Recorder::default());
        let app = app_mailing(&db, clock.clone(), recorder.clone());
        let client = verified_member(&app, "client");
        let ana = verified_member(&app, "ana");
        let notes = app.notifications();
        let tokyo = DigestSettings {
            enabled: true,
            hour: 9,
            time_zone: "Asia/Tokyo".into(),
        };
        assert!(
            notes
                .set_digest_settings(
                    &ana,
                    &DigestSettings {
                        hour: 24,
                        ..tokyo.clone()
                    }
                )
                .is_err()
        );
        notes.set_digest_settings(&ana, &tokyo).unwrap();
        notes
            .set_preferences(
                &ana,
                &[PreferenceInput {
                    topic: "connections_accepted".into(),
                    delivery: "digest".into(),
                }],
            )
            .unwrap();
        offer(&app, &client, "ana");
        let asked = app.profiles().request_connection(&ana, "client").unwrap();
        app.profiles()
            .accept_connection(&client, &asked.id)
            .unwrap();
        app.queue().send_due_mail().unwrap();
        recorder.sent.lock().unwrap().clear();

        // Ana's hour has come in Tokyo; the client's 07:00 UTC has not.
        assert_eq!(notes.queue_due_digests().unwrap(), 1);
        assert_eq!(notes.queue_due_digests().unwrap(), 0, "once a day");
        app.queue().send_due_mail().unwrap();
        let sent = recorder.sent.lock().unwrap().clone();
        assert_eq!(sent.len(), 1);
        let digest = &sent[0];
        assert_eq!(digest.to, "ana@example.org");
        assert_eq!(digest.subject, "Your day on Guildhall: 2 things");
        assert!(
            digest
                .text
                .contains("- Accept or decline the contract offered to you, “Warehouse audit”"),
            "{}",
            digest.text
        );
        assert!(
            digest
                .text
                .contains("News\n- @client accepted your request to connect"),
            "{}",
            digest.text
        );
        assert!(
            digest
                .html
                .contains("https://guild.example.org/work/contracts/")
        );
        let unsubscribe = digest.unsubscribe.clone().unwrap();

        // The client's comes at 07:00 UTC, with nothing to say: nothing is sent.
        clock.advance(7 * 3600 * 1000);
        assert_eq!(notes.queue_due_digests().unwrap(), 1);
        assert_eq!(app.queue().send_due_mail().unwrap().sent, 0);

        // The next day's comes; after the one-click link, no more.
        clock.advance(24 * 3600 * 1000);
        assert_eq!(notes.queue_due_digests().unwrap(), 2);
        let key = unsubscribe.rsplit('/').next().unwrap();
        assert!(notes.unsubscribe_digest(key).unwrap());
        assert!(!notes.digest_settings(&ana).unwrap().enabled);
        clock.advance(24 * 3600 * 1000);
        assert_eq!(notes.queue_due_digests().unwrap(), 1, "the client's only");
    }
}
