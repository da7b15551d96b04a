//! The binary itself: `--help` everywhere, zero-setup `serve` with graceful shutdown on SIGTERM,
//! `migrate`, `admin create-user` and `backup`.

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

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["admin", "--help"],
        vec!["admin", "create-user", "--help"],
        vec!["backup", "--help"],
        vec!["bench", "profiles", "--help"],
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
