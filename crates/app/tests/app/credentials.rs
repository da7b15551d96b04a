//! Credentials on both databases: each kind is issued only when the records back it, signed
//! and verified with its evidence proofs; sharing a link and ending it; revoking flips the
//! status bit and leaves a reason in the log; after a key rotation, old credentials verify.

use crate::community_matrix::admit;
use crate::jobs::{job, proposal};
use ed25519_dalek::SigningKey;
use guildhall_app::accounts::Account;
use guildhall_app::communities::mentoring::{Format, OfferInput, RequestInput, SessionInput};
use guildhall_app::communities::{CommunityInput, Question};
use guildhall_app::credentials::{CredentialRequest, RevokeInput, Signer};
use guildhall_app::testing::{app, member, operator};
use guildhall_app::work::MilestoneInput;
use guildhall_app::{App, AppError};
use guildhall_domain::community::{Admission, Role, Visibility};
use guildhall_domain::credentials::Outcome;
use guildhall_domain::credentials::badge::{Issuer, Kind};
use guildhall_domain::credentials::status_list::Bitstring;
use guildhall_domain::money::{Currency, Money};
use guildhall_store::testdb::TestDb;

fn signer(key: [u8; 32], retired: &[[u8; 32]]) -> Signer {
    Signer {
        key: SigningKey::from_bytes(&key),
        retired: retired
            .iter()
            .map(|k| SigningKey::from_bytes(k).verifying_key())
            .collect(),
        issuer: Issuer {
            did: "did:web:guild.example.org".into(),
            name: "Example Guild".into(),
            url: "https://guild.example.org".into(),
        },
    }
}

fn ask(kind: Kind, about: &str) -> CredentialRequest {
    CredentialRequest {
        kind,
        about: about.into(),
    }
}

/// `ana` completes a contract for `client` on a job asking for SQL; returns the contract id.
fn completed_contract(app: &App, client: &Account, ana: &Account) -> String {
    let op = operator(app, "operator");
    app.work()
        .confirm_deposit(
            &op,
            &client.handle,
            Money::new(100_000, Currency::parse("EUR").unwrap()),
            "in",
        )
        .unwrap();
    let j = app
        .work()
        .post_job(client, job("Warehouse audit", None))
        .unwrap();
    let p = app.work().propose(ana, &j.id, proposal(30_000)).unwrap();
    let k = app
        .work()
        .offer_from_proposal(
            client,
            &p.id,
            vec![MilestoneInput {
                title: "Report".into(),
                amount: 30_000,
                due_on: "2099-01-01".into(),
                by_learner: false,
            }],
            None,
        )
        .unwrap();
    app.work().answer_offer(ana, &k.id, true).unwrap();
    let m = k.milestones[0].id.clone();
    app.work().fund_milestone(client, &k.id, &m, "f").unwrap();
    app.work().submit_milestone(ana, &k.id, &m).unwrap();
    app.work().accept_milestone(client, &k.id, &m, "a").unwrap();
    k.id
}

fn refused(result: Result<impl std::fmt::Debug, AppError>) -> String {
    match result {
        Err(AppError::Validation(e)) => e.to_string(),
        other => panic!("refused with a reason: {other:?}"),
    }
}

#[test]
fn a_completed_contract_and_its_skill_give_credentials_that_verify_until_revoked() {
    for db in TestDb::all() {
        let app = app(&db);
        let s = signer([1; 32], &[]);
        let (client, ana, eve) = (
            member(&app, "client"),
            member(&app, "ana"),
            member(&app, "eve"),
        );
        let contract = completed_contract(&app, &client, &ana);

        let offered = app.credentials().requestable(&ana).unwrap();
        let kinds: Vec<Kind> = offered.iter().map(|r| r.kind).collect();
        assert!(
            kinds.contains(&Kind::Contract) && kinds.contains(&Kind::Skill),
            "{offered:?}"
        );
        assert!(app.credentials().requestable(&eve).unwrap().is_empty());

        let issued = app
            .credentials()
            .request(&ana, &s, &ask(Kind::Contract, &contract))
            .unwrap();
        let doc = &issued.document;
        assert_eq!(doc["type"][1], "OpenBadgeCredential");
        assert_eq!(doc["issuer"]["id"], "did:web:guild.example.org");
        assert_eq!(
            doc["credentialSubject"]["id"],
            "https://guild.example.org/u/ana"
        );
        assert_eq!(
            doc["credentialSubject"]["achievement"]["name"],
            "Delivered: Warehouse audit"
        );
        assert_eq!(doc["credentialSubject"]["achievement"]["tag"][0], "SQL");
        let evidence = doc["evidence"].as_array().unwrap();
        assert!(evidence.len() >= 2, "delivered and completed: {evidence:?}");
        assert!(
            evidence.iter().all(|e| e.get("payload").is_none()),
            "the client is named in every entry and did not agree to be named"
        );
        let report = app.credentials().verify(&s, doc).unwrap();
        assert!(report.verified, "{report:?}");
        assert!(
            report.checks.iter().all(|c| c.outcome == Outcome::Passed),
            "{report:?}"
        );

        assert!(matches!(
            app.credentials()
                .request(&ana, &s, &ask(Kind::Contract, &contract)),
            Err(AppError::Conflict { .. })
        ));
        assert!(
            refused(
                app.credentials()
                    .request(&eve, &s, &ask(Kind::Contract, &contract))
            )
            .contains("no contract")
        );
        assert!(
            refused(
                app.credentials()
                    .request(&client, &s, &ask(Kind::Contract, &contract))
            )
            .contains("no contract")
        );
        assert!(
            refused(
                app.credentials()
                    .request(&ana, &s, &ask(Kind::Contract, "nonsense"))
            )
            .contains("no contract")
        );

        let sql = offered.iter().find(|r| r.kind == Kind::Skill).unwrap();
        let skill = app
            .credentials()
            .request(&ana, &s, &ask(Kind::Skill, &sql.about))
            .unwrap();
        assert_eq!(
            skill.document["credentialSubject"]["achievement"]["achievementType"],
            "Competency"
        );
        assert!(
            app.credentials()
                .verify(&s, &skill.document)
                .unwrap()
                .verified
        );
        assert!(
            refused(
                app.credentials()
                    .request(&eve, &s, &ask(Kind::Skill, &sql.about))
            )
            .contains("no completed contract")
        );

        // A shared link opens the credential for anyone, until it is ended.
        let token = app.credentials().share(&ana, &issued.id).unwrap();
        assert_eq!(app.credentials().share(&ana, &issued.id).unwrap(), token);
        assert_eq!(app.credentials().shared(&token).unwrap().id, issued.id);
        assert!(matches!(
            app.credentials().share(&eve, &issued.id),
            Err(AppError::NotFound)
        ));
        app.credentials().unshare(&ana, &issued.id).unwrap();
        assert!(matches!(
            app.credentials().shared(&token),
            Err(AppError::NotFound)
        ));

        // Revoking: not the client, not a stranger; the holder, with a reason.
        let why = RevokeInput {
            reason: "Asked by the holder".into(),
        };
        assert!(matches!(
            app.credentials().revoke(&client, &issued.id, &why),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            app.credentials()
                .revoke(&ana, &issued.id, &RevokeInput { reason: " ".into() }),
            Err(AppError::Validation(_))
        ));
        app.credentials().revoke(&ana, &issued.id, &why).unwrap();
        assert!(matches!(
            app.credentials().revoke(&ana, &issued.id, &why),
            Err(AppError::Conflict { .. })
        ));
        let report = app.credentials().verify(&s, doc).unwrap();
        assert_eq!(report.problem.as_deref(), Some("it has been revoked"));
        let list = app.credentials().status_list(&s, 1).unwrap();
        let bits =
            Bitstring::decode(list["credentialSubject"]["encodedList"].as_str().unwrap()).unwrap();
        let index: u64 = doc["credentialStatus"]["statusListIndex"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(bits.get(index), Some(true));
        assert!(matches!(
            app.credentials().status_list(&s, 2),
            Err(AppError::NotFound)
        ));
        let mine = app.evidence().my_evidence(&ana).unwrap();
        let revoked = mine
            .iter()
            .rev()
            .find(|e| e.header.kind == "credential.revoked")
            .unwrap();
        assert_eq!(
            revoked.payload.as_ref().unwrap()["data"]["reason"],
            "Asked by the holder"
        );

        // Once revoked, it may be issued again, with a new status bit.
        let again = app
            .credentials()
            .request(&ana, &s, &ask(Kind::Contract, &contract))
            .unwrap();
        assert_ne!(again.document["credentialStatus"], doc["credentialStatus"]);

        // After a rotation, what the old key signed still verifies; a retired key dropped, not.
        let rotated = signer([2; 32], &[[1; 32]]);
        assert!(
            app.credentials()
                .verify(&rotated, &skill.document)
                .unwrap()
                .verified
        );
        let forgot = signer([2; 32], &[]);
        let report = app.credentials().verify(&forgot, &skill.document).unwrap();
        assert!(report.problem.unwrap().contains("does not list the key"));
        assert_eq!(app.credentials().mine(&ana).unwrap().len(), 3);
    }
}

fn curated(app: &App, owner: &Account, admission: Admission) {
    app.communities()
        .create_community(
            owner,
            CommunityInput {
                name: "Data Guild".into(),
                slug: "data-guild".into(),
                description: "Data engineers".into(),
                visibility: Some(Visibility::Public),
                admission: Some(admission),
                member_cap: None,
                questions: vec![Question {
                    prompt: "What have you built?".into(),
                    required: true,
                }],
                focus_skills: vec!["SQL".into()],
            },
        )
        .unwrap();
}

#[test]
fn memberships_of_curated_communities_and_confirmed_mentoring_give_credentials() {
    for db in TestDb::all() {
        let app = app(&db);
        let s = signer([1; 32], &[]);
        let (owner, bob, cyd, dee) = (
            member(&app, "owner"),
            member(&app, "bob"),
            member(&app, "cyd"),
            member(&app, "dee"),
        );
        curated(&app, &owner, Admission::Application);
        admit(&app, &owner, "data-guild", &bob, Role::Mentor);
        admit(&app, &owner, "data-guild", &cyd, Role::Member);

        let membership = app
            .credentials()
            .request(&cyd, &s, &ask(Kind::Membership, "data-guild"))
            .unwrap();
        assert_eq!(
            membership.document["credentialSubject"]["achievement"]["achievementType"],
            "Membership"
        );
        assert!(
            app.credentials()
                .verify(&s, &membership.document)
                .unwrap()
                .verified
        );
        assert!(
            refused(
                app.credentials()
                    .request(&dee, &s, &ask(Kind::Membership, "data-guild"))
            )
            .contains("not a member")
        );

        // Mentoring: only once a session is confirmed by both.
        let offer = app
            .communities()
            .offer_mentoring(
                &bob,
                "data-guild",
                OfferInput {
                    skills: vec!["SQL".into()],
                    note: "Evenings".into(),
                    on_real_work: false,
                },
            )
            .unwrap();
        let pair = app
            .communities()
            .request_mentoring(
                &cyd,
                "data-guild",
                RequestInput {
                    offer_id: offer.id,
                    goal: "Write faster queries".into(),
                    skills: vec!["SQL".into()],
                    format: Format::Sessions,
                    work: String::new(),
                },
            )
            .unwrap();
        app.communities()
            .decide_mentorship(&bob, "data-guild", &pair.id, true)
            .unwrap();
        let session = app
            .communities()
            .record_session(
                &cyd,
                "data-guild",
                &pair.id,
                SessionInput {
                    held_on: "2026-11-20".into(),
                    minutes: 90,
                    skills: vec![],
                    notes: "Indexes".into(),
                },
            )
            .unwrap()
            .sessions[0]
            .id
            .clone();
        assert!(
            refused(
                app.credentials()
                    .request(&bob, &s, &ask(Kind::Mentoring, &pair.id))
            )
            .contains("confirmed")
        );
        app.communities()
            .confirm_session(&bob, "data-guild", &pair.id, &session)
            .unwrap();
        assert!(
            refused(
                app.credentials()
                    .request(&cyd, &s, &ask(Kind::Mentoring, &pair.id))
            )
            .contains("mentor no")
        );
        let mentoring = app
            .credentials()
            .request(&bob, &s, &ask(Kind::Mentoring, &pair.id))
            .unwrap();
        assert_eq!(
            mentoring.document["credentialSubject"]["achievement"]["name"],
            "Mentor in SQL"
        );
        let report = app.credentials().verify(&s, &mentoring.document).unwrap();
        assert!(report.verified, "{report:?}");

        // Curators see and revoke the community's credentials; members do not.
        assert!(matches!(
            app.credentials().of_community(&cyd, "data-guild"),
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(
            app.credentials()
                .of_community(&owner, "data-guild")
                .unwrap()
                .len(),
            2
        );
        let why = RevokeInput {
            reason: "Left under a code of conduct ruling".into(),
        };
        assert!(matches!(
            app.credentials().revoke(&bob, &membership.id, &why),
            Err(AppError::Forbidden(_))
        ));
        app.credentials()
            .revoke(&owner, &membership.id, &why)
            .unwrap();
        assert_eq!(
            app.credentials()
                .verify(&s, &membership.document)
                .unwrap()
                .problem
                .as_deref(),
            Some("it has been revoked")
        );
    }
}

#[test]
fn an_open_community_gives_no_membership_credential() {
    for db in TestDb::all() {
        let app = app(&db);
        let s = signer([1; 32], &[]);
        let owner = member(&app, "owner");
        curated(&app, &owner, Admission::Open);
        assert!(
            refused(
                app.credentials()
                    .request(&owner, &s, &ask(Kind::Membership, "data-guild"))
            )
            .contains("anyone may join")
        );
        assert!(app.credentials().requestable(&owner).unwrap().is_empty());
    }
}

#[test]
fn a_credential_on_the_profile_is_seen_only_by_its_audiences_and_leaves_when_revoked() {
    use guildhall_app::profiles::ItemInput;
    use guildhall_domain::profile::ItemData;
    for db in TestDb::all() {
        let app = app(&db);
        let s = signer([1; 32], &[]);
        let (client, ana, eve) = (
            member(&app, "client"),
            member(&app, "ana"),
            member(&app, "eve"),
        );
        let contract = completed_contract(&app, &client, &ana);
        let issued = app
            .credentials()
            .request(&ana, &s, &ask(Kind::Contract, &contract))
            .unwrap();
        let credentials_seen = |viewer: Option<&Account>| -> Vec<(String, String)> {
            app.profiles()
                .view_profile("ana", viewer)
                .unwrap()
                .items
                .into_iter()
                .filter_map(|i| match i.data {
                    ItemData::Credential { name, link, .. } => Some((name, link)),
                    _ => None,
                })
                .collect()
        };

        // Shown to clients: the client sees it, with its shared link; a stranger does not.
        app.credentials()
            .show_on_profile(&ana, &issued.id, vec!["clients".into()])
            .unwrap();
        let seen = credentials_seen(Some(&client));
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].0, "Delivered: Warehouse audit");
        let token = app
            .credentials()
            .one(&ana, &issued.id)
            .unwrap()
            .share_token
            .unwrap();
        assert_eq!(seen[0].1, format!("/credentials/shared/{token}"));
        assert!(credentials_seen(Some(&eve)).is_empty());
        assert!(credentials_seen(None).is_empty());
        assert_eq!(
            app.credentials().mine(&ana).unwrap()[0].shown_to,
            vec!["clients"]
        );

        // Shown to everyone instead: one item, its audiences replaced.
        app.credentials()
            .show_on_profile(&ana, &issued.id, vec!["public".into()])
            .unwrap();
        assert_eq!(credentials_seen(None).len(), 1);
        assert_eq!(credentials_seen(Some(&eve)).len(), 1);

        // Nobody adds someone else's credential to their profile, nor a made-up one.
        let theirs = app.profiles().add_item(
            &eve,
            ItemInput {
                audiences: vec!["public".into()],
                data: ItemData::Credential {
                    credential: issued.id.clone(),
                    name: "Delivered: everything".into(),
                    link: "https://example.org".into(),
                },
            },
        );
        assert!(refused(theirs).contains("your credentials"));
        assert!(matches!(
            app.credentials()
                .show_on_profile(&eve, &issued.id, vec!["public".into()]),
            Err(AppError::NotFound)
        ));

        // Revoked, it leaves the profile.
        app.credentials()
            .revoke(
                &ana,
                &issued.id,
                &RevokeInput {
                    reason: "No longer relevant".into(),
                },
            )
            .unwrap();
        assert!(credentials_seen(None).is_empty());
        assert!(credentials_seen(Some(&ana)).is_empty());
    }
}

#[test]
fn a_curators_assessment_backs_a_skill_credential() {
    use guildhall_app::communities::assessments::AssessmentInput;
    for db in TestDb::all() {
        let app = app(&db);
        let s = signer([1; 32], &[]);
        let (owner, cyd, dee) = (
            member(&app, "owner"),
            member(&app, "cyd"),
            member(&app, "dee"),
        );
        curated(&app, &owner, Admission::Application);
        admit(&app, &owner, "data-guild", &cyd, Role::Member);
        let assess = |who: &Account, handle: &str, note: &str| {
            app.communities().assess_skill(
                who,
                "data-guild",
                &AssessmentInput {
                    member: handle.into(),
                    skill: "Query tuning".into(),
                    note: note.into(),
                },
            )
        };
        let why = "Rewrote our slowest report with window functions";
        assert!(matches!(
            assess(&cyd, "owner", why),
            Err(AppError::Forbidden(_))
        ));
        assert!(refused(assess(&owner, "dee", why)).contains("not a member"));
        assert!(refused(assess(&owner, "cyd", "ok")).contains("/note"));
        let done = assess(&owner, "cyd", why).unwrap();
        assert_eq!(done.skill, "Query tuning");

        let offered = app.credentials().requestable(&cyd).unwrap();
        let skill = offered.iter().find(|r| r.kind == Kind::Skill).unwrap();
        assert_eq!(skill.about, done.skill_id);
        let issued = app
            .credentials()
            .request(&cyd, &s, &ask(Kind::Skill, &skill.about))
            .unwrap();
        let achievement = &issued.document["credentialSubject"]["achievement"];
        assert!(
            achievement["description"]
                .as_str()
                .unwrap()
                .contains("a curator's word (1 assessment)"),
            "{achievement}"
        );
        let evidence = issued.document["evidence"].as_array().unwrap();
        assert!(
            evidence.iter().any(|e| e["genre"] == "skill.assessed"),
            "{evidence:?}"
        );
        assert!(
            app.credentials()
                .verify(&s, &issued.document)
                .unwrap()
                .verified
        );
        assert!(
            refused(
                app.credentials()
                    .request(&dee, &s, &ask(Kind::Skill, &skill.about))
            )
            .contains("no curator assessed")
        );
    }
}

#[test]
fn a_credential_carries_what_its_entries_say_only_while_the_client_agrees_to_be_named() {
    for db in TestDb::all() {
        let app = app(&db);
        let s = signer([7u8; 32], &[]);
        let (client, ana) = (member(&app, "client"), member(&app, "ana"));
        let contract = completed_contract(&app, &client, &ana);
        let issued = app
            .credentials()
            .request(&ana, &s, &ask(Kind::Contract, &contract))
            .unwrap();
        assert!(
            issued.document["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e.get("payload").is_none())
        );

        // Once the client agrees to be named, a credential issued afterwards carries what
        // the entries say, and still verifies.
        assert!(!app.credentials().naming(&client).unwrap());
        app.credentials().set_naming(&client, true).unwrap();
        assert!(app.credentials().naming(&client).unwrap());
        let reason = RevokeInput {
            reason: "asking again with the client named".into(),
        };
        app.credentials().revoke(&ana, &issued.id, &reason).unwrap();
        let named = app
            .credentials()
            .request(&ana, &s, &ask(Kind::Contract, &contract))
            .unwrap();
        let evidence = named.document["evidence"].as_array().unwrap();
        let names_client = |e: &&serde_json::Value| {
            e["payload"]["members"]
                .as_array()
                .is_some_and(|m| m.iter().any(|m| m == client.id.to_string().as_str()))
        };
        assert!(evidence.iter().all(|e| e.get("payload").is_some()));
        assert!(evidence.iter().filter(names_client).count() >= 2);
        assert!(
            app.credentials()
                .verify(&s, &named.document)
                .unwrap()
                .verified
        );
        app.credentials().set_naming(&client, false).unwrap();
        app.credentials().revoke(&ana, &named.id, &reason).unwrap();
        let unnamed = app
            .credentials()
            .request(&ana, &s, &ask(Kind::Contract, &contract))
            .unwrap();
        assert!(
            unnamed.document["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["genre"].as_str().is_some_and(|g| g.starts_with("work.")))
                .all(|e| e.get("payload").is_none()),
            "the client withdrew their agreement"
        );
    }
}
