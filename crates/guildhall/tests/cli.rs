//! The binary itself: `--help` everywhere, zero-setup `serve` with graceful shutdown on SIGTERM,
//! `migrate`, every `admin` command, `backup`, and `verify` finding a tampered evidence log.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn guildhall() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guildhall"));
    cmd.env_remove("GUILDHALL_DATABASE_URL")
        .env_remove("GUILDHALL_DATA_DIR")
        .env_remove("GUILDHALL_BIND");
    cmd
}

/// Runs `guildhall bench` with `args` and returns what it printed, failing if it failed.
fn bench(args: &[&str]) -> String {
    let out = guildhall().arg("bench").args(args).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["seed", "--help"],
        vec!["migrate", "--help"],
        vec!["admin", "--help"],
        vec!["admin", "create-user", "--help"],
        vec!["admin", "promote", "--help"],
        vec!["admin", "demote", "--help"],
        vec!["admin", "suspend", "--help"],
        vec!["admin", "unsuspend", "--help"],
        vec!["admin", "reset-password", "--help"],
        vec!["admin", "audit-log", "--help"],
        vec!["backup", "--help"],
        vec!["verify", "--help"],
        vec!["verify-bundle", "--help"],
        vec!["verify-credential", "--help"],
        vec!["rotate-key", "--help"],
        vec!["bench", "profiles", "--help"],
        vec!["bench", "trust", "--help"],
        vec!["bench", "match", "--help"],
    ] {
        let out = guildhall().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

/// Kills the server if the test fails before stopping it.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_starts_from_nothing_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut server = Server(
        guildhall()
            .current_dir(dir.path())
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(&data)
            .env("GUILDHALL_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let child = &mut server.0;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(get(&addr, "/healthz").ends_with("ok"));
    assert!(get(&addr, "/readyz").contains("200 OK"));
    assert!(data.join("guildhall.db").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("instance.ed25519"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        assert!(child.wait().unwrap().success(), "graceful shutdown exits 0");
    }
    #[cfg(not(unix))]
    child.kill().unwrap();
}

/// A SIGTERM sent the moment the address is printed stops the server gracefully: the signal
/// handlers are in place before the address is.
#[cfg(unix)]
#[test]
fn a_sigterm_right_after_the_address_still_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server(
        guildhall()
            .current_dir(dir.path())
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path().join("data"))
            .env("GUILDHALL_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let child = &mut server.0;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("http://"), "{line:?}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success(), "graceful shutdown exits 0");
}

#[test]
fn seed_fills_an_instance_with_only_its_operator_and_refuses_one_with_members() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = |args: &[&str]| {
        guildhall()
            .current_dir(dir.path())
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap()
    };
    // An instance with nobody but its operator may be seeded.
    let operator = guildhall()
        .current_dir(dir.path())
        .args(["admin", "create-user", "--handle", "ops"])
        .args(["--email", "ops@example.org", "--data-dir"])
        .arg(&data)
        .env("GUILDHALL_ADMIN_PASSWORD", "correct horse battery")
        .output()
        .unwrap();
    assert!(operator.status.success());
    let seeded = run(&["seed", "--members", "30", "--seed", "4"]);
    let out = String::from_utf8_lossy(&seeded.stdout);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    assert!(out.contains("30 members, 3 communities"), "{out}");
    // No password given: one is drawn and said once.
    let password = out
        .lines()
        .find_map(|l| l.split("with the password: ").nth(1))
        .unwrap_or_else(|| panic!("no password in {out}"))
        .trim()
        .to_string();
    assert_eq!(password.len(), 17, "{password}");
    let verified = run(&["verify"]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
    let again = run(&["seed", "--members", "30", "--seed", "4"]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already has members"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let few = run(&["seed", "--members", "3"]);
    assert!(!few.status.success());
    assert!(String::from_utf8_lossy(&few.stderr).contains("10.."));
}

#[test]
fn migrate_create_user_and_backup() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = |args: &[&str], password: Option<&str>| {
        let mut cmd = guildhall();
        cmd.current_dir(dir.path())
            .args(args)
            .arg("--data-dir")
            .arg(&data);
        if let Some(p) = password {
            cmd.env("GUILDHALL_ADMIN_PASSWORD", p);
        }
        cmd.output().unwrap()
    };
    assert!(run(&["migrate"], None).status.success());
    let made = run(
        &[
            "admin",
            "create-user",
            "--handle",
            "ada",
            "--email",
            "ada@example.org",
        ],
        Some("correct horse battery"),
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).contains("operator @ada"));
    let short = run(
        &[
            "admin",
            "create-user",
            "--handle",
            "bob",
            "--email",
            "bob@example.org",
        ],
        Some("short"),
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12"));
    let copy = dir.path().join("copy.db");
    let backup = run(&["backup", "--out", copy.to_str().unwrap()], None);
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    // The copy is a complete database: it holds the operator.
    let pool = guildhall_store::connect(copy.to_str().unwrap(), 1).unwrap();
    let mut conn = pool.get().unwrap();
    assert!(
        guildhall_store::repo::users::by_handle(&mut conn, "ada")
            .unwrap()
            .unwrap()
            .is_operator
    );
    let again = run(&["backup", "--out", copy.to_str().unwrap()], None);
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );
}

#[test]
fn verify_checks_the_evidence_log_and_names_the_first_bad_leaf() {
    use diesel::connection::SimpleConnection;
    use ed25519_dalek::pkcs8::DecodePrivateKey;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let verify = || {
        let out = guildhall()
            .arg("verify")
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    // Verify never makes an instance; `migrate` does, with its key, and its empty log verifies.
    let (ok, _) = verify();
    assert!(!ok && !data.exists());
    assert!(
        guildhall()
            .arg("migrate")
            .arg("--data-dir")
            .arg(&data)
            .status()
            .unwrap()
            .success()
    );
    let (ok, text) = verify();
    assert!(ok && text.contains("0 entries"), "{text}");

    // Some work is logged and a checkpoint signed with the instance key.
    let pem = std::fs::read_to_string(data.join("instance.ed25519")).unwrap();
    let key = ed25519_dalek::SigningKey::from_pkcs8_pem(&pem).unwrap();
    let pool = guildhall_store::connect(data.join("guildhall.db").to_str().unwrap(), 1).unwrap();
    let app = guildhall_app::App::new(
        pool.clone(),
        std::sync::Arc::new(guildhall_app::SystemClock),
        guildhall_app::AppSettings {
            password_cost: guildhall_app::PasswordCost::Fast,
            ..Default::default()
        },
    );
    let client = guildhall_app::testing::member(&app, "client");
    let ana = guildhall_app::testing::member(&app, "ana");
    let operator = app
        .accounts()
        .create_account(
            guildhall_app::accounts::SignUp {
                email: "op@example.org".into(),
                ..guildhall_app::testing::sign_up_input("operator")
            },
            true,
        )
        .unwrap();
    let eur = guildhall_domain::money::Currency::parse("EUR").unwrap();
    app.work()
        .confirm_deposit(
            &operator,
            "client",
            guildhall_domain::money::Money::new(5_000, eur),
            "d",
        )
        .unwrap();
    let k = app
        .work()
        .offer_contract(
            &client,
            guildhall_app::work::OfferInput {
                member: "ana".into(),
                title: "Audit".into(),
                currency: "EUR".into(),
                milestones: vec![guildhall_app::work::MilestoneInput {
                    title: "Report".into(),
                    amount: 5_000,
                    due_on: "2099-01-01".into(),
                    by_learner: false,
                }],
                community: None,
                referrer: None,
                hourly: None,
                learner: None,
            },
        )
        .unwrap();
    let m = k.milestones[0].id.clone();
    app.work().answer_offer(&ana, &k.id, true).unwrap();
    app.work().fund_milestone(&client, &k.id, &m, "f").unwrap();
    app.work().submit_milestone(&ana, &k.id, &m).unwrap();
    app.work()
        .accept_milestone(&client, &k.id, &m, "a")
        .unwrap();
    app.evidence().sign_checkpoint(&key).unwrap();
    let (ok, text) = verify();
    assert!(
        ok && text.contains("5 entries") && text.contains("1 signed checkpoints"),
        "{text}"
    );

    // The member's bundle verifies offline with the public key alone; a forged copy does not.
    let bundle = app.evidence().evidence_bundle(&ana, &key).unwrap();
    let file = dir.path().join("bundle.json");
    std::fs::write(&file, serde_json::to_string(&bundle).unwrap()).unwrap();
    let public: String = key
        .verifying_key()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let check = |path: &std::path::Path| {
        let out = guildhall()
            .arg("verify-bundle")
            .arg(path)
            .args(["--key", &public])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (ok, text) = check(&file);
    assert!(ok && text.contains("5 entries verified"), "{text}");
    let forged = dir.path().join("forged.json");
    std::fs::write(
        &forged,
        serde_json::to_string(&bundle)
            .unwrap()
            .replace("work.milestone_accepted", "work.contract_completed"),
    )
    .unwrap();
    let (ok, text) = check(&forged);
    assert!(!ok && text.contains("entry 2: "), "{text}");

    // Altering a stored leaf is found and named.
    pool.get()
        .unwrap()
        .batch_execute("UPDATE evidence_entries SET at = at + 1 WHERE idx = 2")
        .unwrap();
    let (ok, text) = verify();
    assert!(!ok, "{text}");
    assert!(text.contains("first bad leaf: 2"), "{text}");
}

#[test]
fn commands_that_read_an_instance_never_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("not-an-instance");
    for args in [
        &["verify"][..],
        &["import", "taxonomy", "--esco", "skills.csv"][..],
        &["backup", "--out", "copy.db"][..],
        &["admin", "promote", "--handle", "ada", "--reason", "r"][..],
        &["admin", "suspend", "--handle", "ada", "--reason", "r"][..],
        &[
            "admin",
            "reset-password",
            "--handle",
            "ada",
            "--reason",
            "r",
        ][..],
        &["admin", "audit-log"][..],
    ] {
        let out = guildhall()
            .current_dir(dir.path())
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("guildhall migrate") || said.contains("no database"),
            "{args:?}: {said}"
        );
        assert!(!data.exists(), "{args:?} created a data folder");
    }
}

#[test]
fn admin_commands_look_after_accounts_and_log_what_they_did() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let run = |args: &[&str]| {
        let out = guildhall()
            .current_dir(dir.path())
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .env("GUILDHALL_ADMIN_PASSWORD", "correct horse battery")
            .env("GUILDHALL_PUBLIC_URL", "https://guild.example.org/")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let user = |handle: &str, member: bool| {
        let email = format!("{handle}@example.org");
        let mut args = vec![
            "admin",
            "create-user",
            "--handle",
            handle,
            "--email",
            &email,
        ];
        if member {
            args.push("--member");
        }
        let (ok, _, err) = run(&args);
        assert!(ok, "{err}");
    };
    user("ops", false);
    user("ada", true);
    user("mallory", true);

    let (ok, out, _) = run(&[
        "admin",
        "promote",
        "--handle",
        "@ada",
        "--reason",
        "second operator",
    ]);
    assert!(ok && out.contains("@ada is now an operator"), "{out}");
    let (ok, out, _) = run(&[
        "admin",
        "demote",
        "--handle",
        "ada",
        "--reason",
        "back to members",
    ]);
    assert!(ok && out.contains("no longer an operator"), "{out}");
    let (ok, _, err) = run(&["admin", "demote", "--handle", "ops", "--reason", "leaving"]);
    assert!(!ok && err.contains("only operator"), "{err}");
    let (ok, _, err) = run(&["admin", "suspend", "--handle", "nobody", "--reason", "spam"]);
    assert!(
        !ok && err.contains("nobody has the handle @nobody"),
        "{err}"
    );
    let (ok, out, _) = run(&[
        "admin", "suspend", "--handle", "mallory", "--reason", "spam",
    ]);
    assert!(ok && out.contains("@mallory is suspended"), "{out}");
    let (ok, _, err) = run(&["admin", "suspend", "--handle", "mallory", "--reason", "x"]);
    assert!(!ok && err.contains("suspended already"), "{err}");
    let (ok, out, _) = run(&[
        "admin",
        "unsuspend",
        "--handle",
        "mallory",
        "--reason",
        "appeal",
    ]);
    assert!(ok && out.contains("may sign in again"), "{out}");
    let (ok, out, _) = run(&[
        "admin",
        "reset-password",
        "--handle",
        "ada",
        "--reason",
        "lost it",
    ]);
    assert!(ok, "{out}");
    assert!(
        out.contains("https://guild.example.org/reset-password/"),
        "the link starts with the public address: {out}"
    );
    let (ok, _, err) = run(&["admin", "suspend", "--handle", "ada", "--reason", ""]);
    assert!(!ok && err.contains("say why"), "{err}");

    let (ok, out, _) = run(&["admin", "audit-log", "--limit", "100"]);
    assert!(ok, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 8, "{out}");
    assert!(lines[0].contains("command line: password-reset link issued (ada) — lost it"));
    assert!(lines[7].contains("created an account (ops)"), "{out}");
    assert!(lines[0].contains(" UTC "), "dates, not milliseconds: {out}");
    let (ok, _, err) = run(&["admin", "audit-log", "--limit", "0"]);
    assert!(!ok && err.contains("between 1 and 100"), "{err}");
}

#[test]
fn the_matching_benchmark_finds_what_brute_force_finds() {
    let text = bench(&[
        "match",
        "--members",
        "3000",
        "--queries",
        "60",
        "--brute",
        "20",
    ]);
    assert!(
        text.contains("recall against brute force: 1.0000")
            && text.contains("20 of 20 answers identical"),
        "{text}"
    );
    for line in [
        "engine build:",
        "engine against brute force:",
        "profile change to new results",
        "steal time over the whole run: the host took ",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
}

#[test]
fn the_profiles_benchmark_shows_its_ratios_and_what_the_host_took() {
    let text = bench(&[
        "profiles",
        "--profiles",
        "40",
        "--seconds",
        "1",
        "--concurrency",
        "4",
    ]);
    for line in [
        "GET /healthz: ",
        "ratio, steady state (profile / healthz throughput): ",
        "ratio, first reads (profile / healthz throughput): ",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    // Each load says how much the host took meanwhile, so disturbed runs can be told apart.
    let loads = text.lines().filter(|l| l.contains(" req/s, ")).count();
    let told = text
        .lines()
        .filter(|l| l.contains("of a core (steal time)"))
        .count();
    assert_eq!((loads, told), (3, 3), "{text}");
}

#[test]
fn the_contracts_benchmark_counts_the_statements_a_cycle_sends() {
    let text = bench(&[
        "contracts",
        "--contracts",
        "12",
        "--concurrency",
        "2",
        "--statements",
    ]);
    let per_cycle: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("statements per cycle: "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no statement count in: {text}"));
    // Three use cases, each with its transaction, ledger postings and change-feed events.
    assert!(per_cycle >= 9.0, "{per_cycle} statements per cycle");
    assert!(text.contains("INSERT INTO"), "{text}");
    // Each statement's time is shown beside it: the commit is among them.
    assert!(text.contains("µs each"), "{text}");
    assert!(text.lines().any(|l| l.ends_with("COMMIT")), "{text}");
    assert!(
        text.contains("ledger audit: every transaction balanced"),
        "{text}"
    );
    // What moves the ratio from one run to the next is shown beside it.
    for line in [
        "in its 8 slices)",
        "in their 8 slices)",
        "disk sync of a 4 KiB write",
        "cores taken by the host (steal time):",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
}
