//! The default taxonomy over the real ESCO and Linguist data, on both databases: counts, a known
//! ESCO skill with its labels, idempotent re-import of an official-layout file, and bad files.

use guildhall_app::taxonomy::{self, ImportReport};
use guildhall_app::{App, AppError, AppSettings, SystemClock};
use guildhall_store::repo::skills;
use guildhall_store::testdb::TestDb;
use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::sync::Arc;

const SHOW_INITIATIVE: &str =
    "http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f";

#[test]
fn default_taxonomy_loads_once_and_reimports_keep_ids() {
    let q = taxonomy::label_quality().unwrap();
    let share = |a: usize, b: usize| 100.0 * a as f64 / b as f64;
    println!(
        "ESCO merged-text guesses equal to the real preferred label: {} of {} before ({:.1}%), {} after ({:.1}%)",
        q.guessed_right_before,
        q.measured,
        share(q.guessed_right_before, q.measured),
        q.guessed_right_after,
        share(q.guessed_right_after, q.measured)
    );
    println!(
        "clean preferred labels shipped: {} of {} before ({:.1}%), {} of {} after ({:.1}%)",
        q.clean_before,
        q.shipped_before,
        share(q.clean_before, q.shipped_before),
        q.clean_after,
        q.shipped_after,
        share(q.clean_after, q.shipped_after)
    );
    println!(
        "real preferred labels that read as one label: {} of {} ({:.1}%)",
        q.real_plausible,
        q.measured,
        share(q.real_plausible, q.measured)
    );
    println!(
        "alternative-label lists re-paired with their skill: {} of {}; Linguist and curated skills folded into ESCO: {}",
        q.alt_lists_realigned, q.alt_lists, q.folded
    );
    assert!(q.measured > 4_700, "{q:?}");
    assert!(
        q.guessed_right_after * 100 > q.measured * 80
            && q.guessed_right_before * 100 < q.measured * 65,
        "{q:?}"
    );
    assert!(
        q.clean_after * 1000 > q.shipped_after * 995
            && q.clean_before * 100 < q.shipped_before * 80,
        "{q:?}"
    );
    assert!(q.alt_lists_realigned * 10 > q.alt_lists * 8, "{q:?}");
    assert!(q.real_plausible * 100 > q.measured * 95, "{q:?}");

    for db in TestDb::all() {
        let app = App::new(db.pool(), Arc::new(SystemClock), AppSettings::default());
        let calls = std::cell::Cell::new(0u64);
        let report = app
            .skills()
            .ensure_default_taxonomy(&|done, total| {
                assert!(done <= total);
                calls.set(calls.get() + 1);
            })
            .unwrap()
            .expect("first start loads the taxonomy");
        assert!(calls.get() >= 29, "progress is reported per batch");
        // 13,939 ESCO skills, the Linguist languages and curated skills ESCO lacks.
        assert_eq!(
            (report.added, report.updated),
            (q.shipped_after, 0),
            "{:?}",
            report.skipped
        );
        assert!(report.relations_added > 800, "{report:?}");
        assert!(
            app.skills()
                .ensure_default_taxonomy(&|_, _| {})
                .unwrap()
                .is_none(),
            "second start does nothing"
        );
        one_skill_per_concept(&app);
        autocomplete_shows_each_label_once(&app);

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
        let again = reimport_bundled(&app);
        assert_eq!((again.added, again.updated), (0, 4_199));
        let same = skills::by_source_key(&mut conn, &format!("esco:{SHOW_INITIATIVE}"))
            .unwrap()
            .unwrap();
        assert_eq!(same.id, skill.id);
        let after = skills::counts(&mut conn).unwrap();
        assert_eq!(
            (after.0, after.2),
            (counts.0, counts.2),
            "same skills and relations"
        );
        reimport_bundled(&app);
        assert_eq!(skills::counts(&mut conn).unwrap(), after, "idempotent");
        let python = &app.skills().suggest_skills("python", 1).unwrap()[0];
        assert_eq!(
            app.skills()
                .skill_details(&python.skill_id, None)
                .unwrap()
                .source,
            "esco",
            "names folded in from Linguist survive an official import"
        );

        merge_and_unmerge(&app, &mut conn);
    }
}

/// Imports the bundled official-layout file again.
fn reimport_bundled(app: &App) -> ImportReport {
    app.skills()
        .import_esco(
            taxonomy::bundled_esco_skills().unwrap().as_bytes(),
            None::<&[u8]>,
            None::<&[u8]>,
            &|_, _| {},
        )
        .unwrap()
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
    let op = app
        .accounts()
        .create_account(signup("operator"), true)
        .unwrap();
    let ada = app.accounts().sign_up(signup("ada")).unwrap();
    let claim = app
        .profiles()
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
    let python = skills::by_id(
        conn,
        &app.skills().suggest_skills("python", 1).unwrap()[0].skill_id,
    )
    .unwrap()
    .unwrap();
    assert!(
        matches!(
            app.instance().merge_tag(&ada, tag, &python.id),
            Err(AppError::Forbidden(_))
        ),
        "members cannot merge"
    );
    let report = app.instance().merge_tag(&op, tag, &python.id).unwrap();
    assert_eq!((report.claims, report.aliases), (1, 1));
    let label_of = |app: &App| {
        let view = app.profiles().view_profile("ada", None).unwrap();
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
        app.skills().suggest_skills("pythonic idi", 3).unwrap()[0].skill_id,
        python.id,
        "the tag's words now find the skill"
    );
    reimport_bundled(app);
    assert!(
        skills::labels_of(conn, &python.id)
            .unwrap()
            .iter()
            .any(|l| l.label == "Pythonic idioms"),
        "aliases survive re-import"
    );

    app.instance().undo_merge(&op, &report.id).unwrap();
    assert_eq!(label_of(app), ("Pythonic idioms".to_string(), tag.clone()));
    assert!(
        !skills::labels_of(conn, &python.id)
            .unwrap()
            .iter()
            .any(|l| l.label == "Pythonic idioms")
    );
    assert!(matches!(
        app.instance().undo_merge(&op, &report.id),
        Err(AppError::Conflict { .. })
    ));
    let events = guildhall_store::repo::events::heads_after(conn, 0, u16::MAX).unwrap();
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
        .skills()
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
        .skills()
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

    let missing = app.skills().import_esco(
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

/// A Linguist language and its ESCO counterpart are one skill with both labels: claims typed
/// either way land on it, and search finds both members whichever name is asked for.
fn one_skill_per_concept(app: &App) {
    use guildhall_app::search::MemberQuery;
    use guildhall_app::testing::member;
    let claim = |who, label| crate::privacy::tags::claim(app, who, label, "public");
    let (pia, quin) = (member(app, "pia"), member(app, "quin"));
    let (plain, shown) = claim(&pia, "Python");
    let (qualified, _) = claim(&quin, "Python (computer programming)");
    assert_eq!(plain, qualified, "one skill for both names");
    assert_eq!(shown, "Python", "the name people type is the label shown");
    let details = app.skills().skill_details(&plain, None).unwrap();
    assert!(details.uri.is_some_and(|u| u.contains("esco")));
    assert!(
        details
            .other_labels
            .iter()
            .any(|l| l == "Python (computer programming)")
    );
    for asked in ["python", "Python (computer programming)"] {
        let found: HashSet<String> = app
            .profiles()
            .search_members(
                None,
                &MemberQuery {
                    skill_id: None,
                    skill: Some(asked.into()),
                    text: None,
                    location: None,
                    timezone: None,
                    limit: 20,
                },
            )
            .unwrap()
            .into_iter()
            .map(|h| h.handle)
            .collect();
        assert!(
            found.contains("pia") && found.contains("quin"),
            "{asked}: {found:?}"
        );
    }
    // Curated skills ESCO lacks, reachable by their aliases; ICT skills have related skills.
    for (typed, label) in [
        ("k8s", "Kubernetes"),
        ("Amazon Web Ser", "AWS"),
        ("figm", "Figma"),
        ("react.js", "React"),
        ("data build", "dbt"),
    ] {
        let top = &app.skills().suggest_skills(typed, 3).unwrap()[0];
        let skill = app.skills().skill_details(&top.skill_id, None).unwrap();
        assert_eq!(skill.label, label, "{typed}");
    }
    let sql = app.skills().suggest_skills("sql", 1).unwrap()[0]
        .skill_id
        .clone();
    let sql = app.skills().skill_details(&sql, None).unwrap();
    assert_eq!(sql.label, "SQL");
    assert!(!sql.related.is_empty(), "{sql:?}");
}

/// The queries: the 200 skills ESCO's ICT occupations ask for most, typed in part and in full,
/// and current technical names.
fn common_queries() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Occupation {
        skills: Vec<String>,
    }
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        &include_bytes!("../../taxonomy/esco_ict_occupations.json.gz")[..],
    )
    .read_to_string(&mut text)
    .unwrap();
    let occupations: Vec<Occupation> = serde_json::from_str(&text).unwrap();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for skill in occupations.iter().flat_map(|o| &o.skills) {
        *counts.entry(skill.as_str()).or_default() += 1;
    }
    let mut common: Vec<(&str, usize)> = counts.into_iter().collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut queries: Vec<String> = [
        "sql",
        "javascr",
        "python",
        "java",
        "react",
        "k8s",
        "aws",
        "typescript",
        "c++",
        "c#",
        "go",
        "rust",
        "ux",
        "figma",
        "docker",
        "node",
        "css",
        "html",
        "data",
        "design",
    ]
    .map(String::from)
    .into();
    for (label, _) in common.into_iter().take(200) {
        let chars: Vec<char> = label.chars().collect();
        for n in [3, 6] {
            if chars.len() > n {
                queries.push(chars[..n].iter().collect());
            }
        }
        queries.push(label.to_string());
    }
    queries
}

/// No label twice in any list of suggestions, and never a run of several labels.
fn autocomplete_shows_each_label_once(app: &App) {
    use guildhall_domain::skills::{esco, normalize};
    let queries = common_queries();
    assert!(queries.len() > 600);
    let mut guessed: BTreeMap<String, bool> = BTreeMap::new();
    for typed in &queries {
        let got = app.skills().suggest_skills(typed, 8).unwrap();
        let mut seen = HashSet::new();
        for s in &got {
            assert!(
                seen.insert(normalize(&s.label)),
                "{typed:?} lists {:?} twice: {got:?}",
                s.label
            );
            // Guessed ESCO labels are the ones that could be several run together.
            let is_guess = *guessed.entry(s.skill_id.clone()).or_insert_with(|| {
                app.skills()
                    .skill_details(&s.skill_id, None)
                    .unwrap()
                    .source
                    == "esco-derived"
            });
            assert!(
                !is_guess || esco::is_plausible_label(&s.label),
                "{typed:?}: {:?}",
                s.label
            );
        }
    }
    let labels = |typed: &str| -> Vec<String> {
        app.skills()
            .suggest_skills(typed, 8)
            .unwrap()
            .into_iter()
            .map(|s| s.label)
            .collect()
    };
    assert_eq!(
        labels("sql").iter().filter(|l| l.as_str() == "SQL").count(),
        1
    );
    assert_eq!(
        labels("javascr")
            .iter()
            .filter(|l| l.as_str() == "JavaScript")
            .count(),
        1
    );
}
