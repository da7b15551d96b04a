//! The default taxonomy over the real ESCO and Linguist data, on both databases: counts, a known
//! ESCO skill with its labels, idempotent re-import of an official-layout file, and bad files.

use guildhall_app::taxonomy::{self, ImportReport};
use guildhall_app::{App, AppError, AppSettings, SystemClock};
use guildhall_store::repo::skills;
use guildhall_store::testdb::TestDb;
use std::sync::Arc;

const SHOW_INITIATIVE: &str =
    "http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f";

#[test]
fn default_taxonomy_loads_once_and_reimports_keep_ids() {
    let accuracy = taxonomy::derived_label_accuracy().unwrap();
    println!(
        "derived ESCO labels: {} of {} preferred labels recovered ({:.1}%)",
        accuracy.0,
        accuracy.1,
        100.0 * accuracy.0 as f64 / accuracy.1 as f64
    );
    assert!(
        accuracy.1 > 4000 && accuracy.0 * 2 > accuracy.1,
        "{accuracy:?}"
    );

    for db in TestDb::all() {
        let app = App::new(db.pool(), Arc::new(SystemClock), AppSettings::default());
        let calls = std::cell::Cell::new(0u64);
        let report = app
            .ensure_default_taxonomy(&|done, total| {
                assert!(done <= total);
                calls.set(calls.get() + 1);
            })
            .unwrap()
            .expect("first start loads the taxonomy");
        assert!(calls.get() >= 29, "progress is reported per batch");
        // 4,199 labelled ESCO skills + 9,778 more from the merged file + 833 Linguist languages.
        assert_eq!(
            (report.added, report.updated),
            (14_810, 0),
            "{:?}",
            report.skipped
        );
        assert!(
            app.ensure_default_taxonomy(&|_, _| {}).unwrap().is_none(),
            "second start does nothing"
        );

        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        let skill = skills::by_source_key(&mut conn, &format!("esco:{SHOW_INITIATIVE}"))
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                skill.preferred_label.as_str(),
                skill.uri.as_deref(),
                skill.source.as_str()
            ),
            ("show initiative", Some(SHOW_INITIATIVE), "esco")
        );
        let labels: Vec<String> = skills::labels_of(&mut conn, &skill.id)
            .unwrap()
            .into_iter()
            .map(|l| l.label)
            .collect();
        assert!(
            labels.contains(&"take the initiative".to_string())
                && labels.contains(&"demonstrate sense of initiative".to_string()),
            "{labels:?}"
        );
        let rust = skills::by_source_key(&mut conn, "linguist:Rust")
            .unwrap()
            .unwrap();
        assert_eq!(rust.kind, "language");
        let counts = skills::counts(&mut conn).unwrap();

        // Re-importing the official-layout file updates every skill in it and keeps ids.
        let again = app
            .import_esco(
                taxonomy::bundled_esco_skills().unwrap().as_bytes(),
                None::<&[u8]>,
                None::<&[u8]>,
                &|_, _| {},
            )
            .unwrap();
        assert_eq!((again.added, again.updated), (0, 4_199));
        let same = skills::by_source_key(&mut conn, &format!("esco:{SHOW_INITIATIVE}"))
            .unwrap()
            .unwrap();
        assert_eq!(same.id, skill.id);
        assert_eq!(skills::counts(&mut conn).unwrap(), counts);

        merge_and_unmerge(&app, &mut conn);
    }
}

/// A member's tag is merged into a taxonomy skill (claims re-pointed, words become an alias),
/// survives a re-import, and the merge is undone exactly.
fn merge_and_unmerge(app: &App, conn: &mut guildhall_store::DbConnection) {
    use guildhall_app::accounts::SignUp;
    use guildhall_app::profiles::ItemInput;
    use guildhall_domain::profile::{ClaimSource, ItemData};
    let signup = |h: &str| SignUp {
        handle: h.into(),
        email: format!("{h}@example.org"),
        password: "correct horse battery".into(),
        display_name: None,
    };
    let op = app.create_account(signup("operator"), true).unwrap();
    let ada = app.sign_up(signup("ada")).unwrap();
    let claim = app
        .add_item(
            &ada,
            ItemInput {
                audiences: vec!["public".into()],
                data: ItemData::Skill {
                    skill_id: None,
                    label: "Pythonic idioms".into(),
                    level: 4,
                    years: None,
                    note: String::new(),
                    source: ClaimSource::SelfClaimed,
                    suggested_by: None,
                },
            },
        )
        .unwrap();
    let ItemData::Skill {
        skill_id: Some(tag),
        ..
    } = &claim.data
    else {
        panic!()
    };
    let python = skills::by_source_key(conn, "linguist:Python")
        .unwrap()
        .unwrap();
    assert!(
        matches!(
            app.merge_tag(&ada, tag, &python.id),
            Err(AppError::Conflict { .. })
        ),
        "members cannot merge"
    );
    let report = app.merge_tag(&op, tag, &python.id).unwrap();
    assert_eq!((report.claims, report.aliases), (1, 1));
    let label_of = |app: &App| {
        let view = app.view_profile("ada", None).unwrap();
        view.items
            .iter()
            .find_map(|i| match &i.data {
                ItemData::Skill {
                    label, skill_id, ..
                } => Some((label.clone(), skill_id.clone().unwrap())),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(label_of(app), ("Python".to_string(), python.id.clone()));
    assert_eq!(
        app.suggest_skills("pythonic idi", 3).unwrap()[0].skill_id,
        python.id,
        "the tag's words now find the skill"
    );
    app.import_esco(
        taxonomy::bundled_esco_skills().unwrap().as_bytes(),
        None::<&[u8]>,
        None::<&[u8]>,
        &|_, _| {},
    )
    .unwrap();
    assert!(
        skills::labels_of(conn, &python.id)
            .unwrap()
            .iter()
            .any(|l| l.label == "Pythonic idioms"),
        "aliases survive re-import"
    );

    app.undo_merge(&op, &report.id).unwrap();
    assert_eq!(label_of(app), ("Pythonic idioms".to_string(), tag.clone()));
    assert!(
        !skills::labels_of(conn, &python.id)
            .unwrap()
            .iter()
            .any(|l| l.label == "Pythonic idioms")
    );
    assert!(matches!(
        app.undo_merge(&op, &report.id),
        Err(AppError::Conflict { .. })
    ));
    let events = guildhall_store::repo::events::after(conn, 0, 100_000).unwrap();
    assert!(
        events.iter().any(|e| e.event_type == "skill.merged")
            && events.iter().any(|e| e.event_type == "skill.unmerged")
    );
}

#[test]
fn official_layout_with_extra_columns_and_relations() {
    let db = TestDb::sqlite().unwrap();
    let app = App::new(db.pool(), Arc::new(SystemClock), AppSettings::default());
    let skills_csv = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,description\n\
        KnowledgeSkillCompetence,http://e/s/1,knowledge,,Python (computer programming),\"Python\npython programming\",,released,x\n\
        KnowledgeSkillCompetence,http://e/s/2,skill/competence,,use scripting programming,\"scripting\",,released,y\n\
        KnowledgeSkillCompetence,http://e/s/3,knowledge,,ICT,,,released,z\n\
        KnowledgeSkillCompetence,,skill/competence,,no uri,,,released,z\n";
    let broader = "conceptType,conceptUri,broaderType,broaderUri\nKnowledgeSkillCompetence,http://e/s/1,KnowledgeSkillCompetence,http://e/s/3\n";
    let related = "originalSkillUri,originalSkillType,relationType,relatedSkillUri,relatedSkillType\nhttp://e/s/2,skill,optional,http://e/s/1,knowledge\nhttp://e/s/2,skill,optional,http://e/s/404,knowledge\n";
    let report: ImportReport = app
        .import_esco(
            skills_csv.as_bytes(),
            Some(broader.as_bytes()),
            Some(related.as_bytes()),
            &|_, _| {},
        )
        .unwrap();
    assert_eq!(
        (report.added, report.relations_added, report.skipped.len()),
        (3, 2, 1),
        "{report:?}"
    );
    let again = app
        .import_esco(
            skills_csv.as_bytes(),
            Some(broader.as_bytes()),
            Some(related.as_bytes()),
            &|_, _| {},
        )
        .unwrap();
    assert_eq!(
        (again.added, again.updated, again.relations_added),
        (0, 3, 0),
        "idempotent"
    );
    let pool = db.pool();
    let python = skills::by_source_key(&mut pool.get().unwrap(), "esco:http://e/s/1")
        .unwrap()
        .unwrap();
    assert_eq!(python.kind, "knowledge");

    let missing = app.import_esco(
        "uri,label\nx,y\n".as_bytes(),
        None::<&[u8]>,
        None::<&[u8]>,
        &|_, _| {},
    );
    let Err(AppError::Validation(e)) = missing else {
        panic!("{missing:?}")
    };
    assert_eq!(e.0.len(), 3, "each missing column is named: {e}");
}
