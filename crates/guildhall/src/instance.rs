//! Opening an instance: the data folder, the database and its migrations, and the instance's
//! Ed25519 key.

use crate::config::Settings;
use anyhow::Context;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use guildhall_app::payments::ManualProvider;
use guildhall_app::{App, AppSettings, SystemClock};
use guildhall_store::{Backend, DbPool};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// File name of the instance key inside the data folder.
pub const KEY_FILE: &str = "instance.ed25519";

/// Creates the data folder, opens the database and applies migrations.
pub fn open_database(settings: &Settings) -> anyhow::Result<DbPool> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create data folder {}", settings.data_dir.display()))?;
    let url = settings.database_url();
    let file = url.strip_prefix("sqlite://").unwrap_or(&url);
    // A plain path: in-memory databases and `file:` URIs are left to SQLite.
    if Backend::of(&url) == Backend::Sqlite && !file.starts_with(':') && !file.starts_with("file:")
    {
        make_private(Path::new(file))?;
    }
    let pool =
        guildhall_store::connect_with(&url, settings.pool_size.max(1), settings.sqlite_synchronous)
            .with_context(|| format!("cannot open the {:?} database", Backend::of(&url)))?;
    let mut conn = pool.get().context("cannot get a database connection")?;
    let applied = guildhall_store::migrate(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrated");
    }
    Ok(pool)
}

/// Opens the database of an instance that already exists, for the commands that read or
/// change one (`verify`, `import`): they must not create a new, empty instance (with a new key)
/// because they were run in the wrong folder.
pub fn open_existing_database(settings: &Settings) -> anyhow::Result<DbPool> {
    let url = settings.database_url();
    let missing = if Backend::of(&url) == Backend::Sqlite {
        let file = url.strip_prefix("sqlite://").unwrap_or(&url);
        !file.starts_with(':') && !file.starts_with("file:") && !Path::new(file).exists()
    } else {
        !settings.data_dir.exists()
    };
    if missing {
        anyhow::bail!(
            "no Guildhall instance in {}: run `guildhall migrate` (or `serve`) there first, or pass --data-dir",
            settings.data_dir.display()
        );
    }
    open_database(settings)
}

/// The instance key of an instance that already exists; never creates one.
pub fn existing_instance_key(data_dir: &Path) -> anyhow::Result<SigningKey> {
    if !data_dir.join(KEY_FILE).exists() {
        anyhow::bail!(
            "no instance key in {}: run `guildhall migrate` (or `serve`) there first, or pass --data-dir",
            data_dir.display()
        );
    }
    instance_key(data_dir)
}

/// The application over an opened database; an error when the store for delivered files
/// cannot be used.
pub fn app(settings: &Settings, pool: DbPool) -> anyhow::Result<App> {
    let files = settings.files()?;
    Ok(App::new(
        pool,
        Arc::new(SystemClock),
        AppSettings {
            session_ttl: Duration::from_secs(settings.session_ttl_days.max(1) * 24 * 3600),
            work: guildhall_app::work::WorkSettings {
                platform_bps: settings.platform_fee_bps,
                community_bps: settings.community_share_bps,
                referral_bps: settings.referral_reward_bps,
                review_period: Duration::from_secs(settings.review_period_days * 24 * 3600),
                offers_per_day: settings.offers_per_day,
            },
            payments: Arc::new(match settings.payment_instructions.trim() {
                "" => ManualProvider::default(),
                how => ManualProvider {
                    how_to_pay: how.to_string(),
                },
            }),
            origin: settings.origin.clone(),
            reputation: guildhall_domain::reputation::Settings {
                half_life_days: f64::from(settings.reputation_half_life_days),
                ..Default::default()
            },
            policy: guildhall_app::policy::Policy {
                registration: settings.registration,
                api_calls_per_minute_per_token: settings.api_calls_per_minute_per_token,
                api_calls_per_minute_per_address: settings.api_calls_per_minute_per_address,
            },
            // A mailer that cannot be set up keeps the mail queued, and says why in the log.
            mailer: settings.mailer().unwrap_or_else(|e| {
                tracing::error!(error = %e, "mail cannot be sent; it waits in the queue");
                Arc::new(guildhall_app::mail::NoMailer)
            }),
            public_url: settings.public_url(),
            calendar_private_addresses: settings.calendar_private_addresses,
            files,
            ..AppSettings::default()
        },
    ))
}

/// The public keys the instance signed with before its current one, one per line: 64 hex
/// digits, then when the key was retired.
pub const RETIRED_FILE: &str = "instance.retired";

/// The instance's retired public keys, oldest first; none before a first rotation.
pub fn retired_keys(data_dir: &Path) -> anyhow::Result<Vec<ed25519_dalek::VerifyingKey>> {
    let path = data_dir.join(RETIRED_FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(n, line)| {
            let hex_key = line.split_whitespace().next().unwrap_or_default();
            hex::decode(hex_key)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .and_then(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).ok())
                .with_context(|| {
                    format!(
                        "{} line {}: not an Ed25519 public key",
                        path.display(),
                        n + 1
                    )
                })
        })
        .collect()
}

/// The key history: the current key first, then the retired ones, newest first.
pub fn key_history(data_dir: &Path) -> anyhow::Result<Vec<ed25519_dalek::VerifyingKey>> {
    let mut keys = vec![existing_instance_key(data_dir)?.verifying_key()];
    keys.extend(retired_keys(data_dir)?.into_iter().rev());
    Ok(keys)
}

/// Retires the instance key and makes a new one: the old public key is added to the retired
/// list (so what it signed stays verifiable), then the new key replaces it. Returns both.
pub fn rotate_key(
    data_dir: &Path,
) -> anyhow::Result<(ed25519_dalek::VerifyingKey, ed25519_dalek::VerifyingKey)> {
    use std::io::Write;
    let old = existing_instance_key(data_dir)?.verifying_key();
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let new = SigningKey::from_bytes(&seed);
    let pem = new
        .to_pkcs8_pem(Default::default())
        .map_err(|e| anyhow::anyhow!("cannot encode key: {e}"))?;
    let staged = data_dir.join(format!("{KEY_FILE}.new"));
    if staged.exists() {
        std::fs::remove_file(&staged)?;
    }
    write_private(&staged, pem.as_bytes())?;
    let retired = data_dir.join(RETIRED_FILE);
    let mut list = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&retired)
        .with_context(|| format!("cannot write {}", retired.display()))?;
    writeln!(
        list,
        "{} retired {}",
        hex::encode(old.as_bytes()),
        jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ")
    )?;
    list.sync_all()?;
    std::fs::rename(&staged, data_dir.join(KEY_FILE))
        .with_context(|| format!("cannot replace {}", data_dir.join(KEY_FILE).display()))?;
    Ok((old, new.verifying_key()))
}

/// Loads the instance key, creating it (mode 0600) on first start.
pub fn instance_key(data_dir: &Path) -> anyhow::Result<SigningKey> {
    let path = data_dir.join(KEY_FILE);
    if path.exists() {
        let pem = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| anyhow::anyhow!("{} is not an Ed25519 key: {e}", path.display()));
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let key = SigningKey::from_bytes(&seed);
    let pem = key
        .to_pkcs8_pem(Default::default())
        .map_err(|e| anyhow::anyhow!("cannot encode key: {e}"))?;
    write_private(&path, pem.as_bytes())?;
    tracing::info!(file = %path.display(), "created the instance key");
    Ok(key)
}

/// Makes the SQLite database and its journal files readable by their owner only, creating an
/// empty database file first: SQLite gives the `-wal` and `-shm` files it creates the
/// database file's permissions, so members' data never lands in a world-readable file.
fn make_private(db: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(db)
            .with_context(|| format!("cannot create {}", db.display()))?;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let path = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
            if path.exists() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                    .with_context(|| format!("cannot restrict {}", path.display()))?;
            }
        }
    }
    Ok(())
}

/// Writes a file readable by its owner only, refusing to overwrite.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_files_folder_that_cannot_be_made_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        // A plain file where the folder should be.
        std::fs::write(dir.path().join("files"), b"not a folder").unwrap();
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            ..Settings::default()
        };
        let err = app(&settings, open_database(&settings).unwrap())
            .err()
            .expect("refused");
        assert!(
            err.to_string().contains("cannot create the folder"),
            "{err}"
        );
    }

    #[test]
    fn origin_and_payment_instructions_reach_the_app() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            origin: "guild.example.org".into(),
            payment_instructions: "IBAN DE00 1234.".into(),
            reputation_half_life_days: 90,
            ..Settings::default()
        };
        let app = app(&settings, open_database(&settings).unwrap()).unwrap();
        assert_eq!(app.settings().origin, "guild.example.org");
        assert_eq!(app.settings().reputation.half_life_days, 90.0);
        let eur = guildhall_domain::money::Currency::parse("EUR").unwrap();
        let how = app
            .settings()
            .payments
            .instructions(guildhall_domain::money::Money::new(100, eur), "GH-1");
        assert!(
            how.starts_with("IBAN DE00 1234.") && how.contains("GH-1"),
            "{how}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_database_and_its_wal_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            ..Settings::default()
        };
        let pool = open_database(&settings).unwrap();
        let mut conn = pool.get().unwrap();
        guildhall_store::repo::events::count(&mut conn).unwrap();
        // Money-moving commits survive a power cut by default: synchronous = FULL (2).
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Sync {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            synchronous: i32,
        }
        let got: Sync = diesel::sql_query("PRAGMA synchronous")
            .get_result(&mut **conn)
            .unwrap();
        assert_eq!(got.synchronous, 2);
        let mut seen = 0;
        for name in ["guildhall.db", "guildhall.db-wal", "guildhall.db-shm"] {
            let path = dir.path().join(name);
            if let Ok(meta) = std::fs::metadata(&path) {
                assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
                seen += 1;
            }
        }
        assert!(seen >= 2, "the database runs in WAL mode");
    }

    #[test]
    fn key_is_created_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let first = instance_key(dir.path()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = instance_key(dir.path()).unwrap();
        assert_eq!(first.verifying_key(), again.verifying_key());
    }
}
