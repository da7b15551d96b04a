//! Configuration, layered: built-in defaults, then `guildhall.toml`, then `GUILDHALL_*`
//! environment variables, then command-line flags (later wins).

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Every setting, each with a working default.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Folder for the SQLite database and the instance key.
    pub data_dir: PathBuf,
    /// Address to listen on.
    pub bind: String,
    /// `postgres://...`, or a SQLite file; empty means `<data_dir>/guildhall.db`.
    pub database_url: String,
    /// Mark cookies `Secure` (serve over https).
    pub secure_cookies: bool,
    /// Browser session lifetime in days.
    pub session_ttl_days: u64,
    /// Database connections per process.
    pub pool_size: u32,
    /// Log filter (tracing `EnvFilter` syntax).
    pub log: String,
    /// Platform fee on every milestone release, in basis points (100 = 1 %).
    pub platform_fee_bps: u32,
    /// A community's share of releases of work that came through it, in basis points.
    pub community_share_bps: u32,
    /// A referrer's reward on releases of work they referred, in basis points.
    pub referral_reward_bps: u32,
    /// Days a client has to answer a delivery before it is released automatically.
    pub review_period_days: u64,
    /// How members pay a deposit to the manual payment provider (account details, contact).
    pub payment_instructions: String,
    /// The instance's name in signed checkpoints of the evidence log: its public address.
    pub origin: String,
    /// Evidence loses half its weight in reputation figures every this many days.
    pub reputation_half_life_days: u32,
    /// Contract offers one account may send in 24 hours.
    pub offers_per_day: u32,
    /// SQLite commits: `full` (nothing acknowledged is lost to a power cut) or `normal`.
    pub sqlite_synchronous: guildhall_store::Durability,
    /// Seconds a connection may take to send a request head, when new or idle between requests.
    pub request_head_timeout_secs: u64,
    /// Who may create an account: `open`, `invitation` or `closed` (until an operator changes it).
    pub registration: guildhall_app::policy::Registration,
    /// API calls a minute one token may make (until an operator changes it).
    pub api_calls_per_minute_per_token: u32,
    /// API calls a minute one address may make (until an operator changes it).
    pub api_calls_per_minute_per_address: u32,
    /// The address members reach the instance at, such as `https://guild.example.org`: links
    /// that leave the browser (password resets, persona and calendar links) start with it.
    /// Empty means `http://<bind>`.
    pub public_url: String,
    /// The instance's name, shown on the front page and in every page's title.
    pub instance_name: String,
    /// A few sentences on the front page: who the instance is for.
    pub instance_description: String,
    /// How to reach the operators (an address or a page), shown on the front page.
    pub operator_contact: String,
    /// The sender of Guildhall's mail, such as `Guildhall <guild@example.org>`.
    pub mail_from: String,
    /// The SMTP server mail goes through; empty writes each mail as a file into
    /// `<data_dir>/mail` instead.
    pub smtp_host: String,
    /// Its port.
    pub smtp_port: u16,
    /// `starttls` (required), `tls` (from the first byte) or `none` (a local relay only).
    pub smtp_security: guildhall_app::mail::SmtpSecurity,
    /// The SMTP user name, when the server asks for one.
    pub smtp_username: String,
    /// Its password.
    pub smtp_password: String,
    /// Whether members may subscribe to calendars on private networks (loopback, LAN,
    /// link-local addresses). Off: a member could otherwise make the server reach into its own
    /// network. Turn it on only for a calendar server inside that network.
    pub calendar_private_addresses: bool,
    /// The S3-compatible bucket delivered files go to; empty keeps them in
    /// `<data_dir>/files`.
    pub files_s3_bucket: String,
    /// The S3 service's address (a MinIO server's, say); empty for Amazon S3.
    pub files_s3_endpoint: String,
    /// The bucket's region; empty for `us-east-1`.
    pub files_s3_region: String,
    /// The access key's id.
    pub files_s3_access_key_id: String,
    /// Its secret.
    pub files_s3_secret_access_key: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: PathBuf::from("guildhall-data"),
            bind: "127.0.0.1:8080".into(),
            database_url: String::new(),
            secure_cookies: false,
            session_ttl_days: 30,
            pool_size: 16,
            log: "info".into(),
            platform_fee_bps: 1000,
            community_share_bps: 250,
            referral_reward_bps: 500,
            review_period_days: 14,
            payment_instructions: String::new(),
            origin: "guildhall".into(),
            reputation_half_life_days: 365,
            offers_per_day: 20,
            sqlite_synchronous: guildhall_store::Durability::Full,
            request_head_timeout_secs: 30,
            registration: guildhall_app::policy::Registration::Open,
            api_calls_per_minute_per_token: 600,
            api_calls_per_minute_per_address: 1200,
            public_url: String::new(),
            instance_name: "Guildhall".into(),
            instance_description: String::new(),
            operator_contact: String::new(),
            mail_from: "Guildhall <guildhall@localhost>".into(),
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_security: guildhall_app::mail::SmtpSecurity::Starttls,
            smtp_username: String::new(),
            smtp_password: String::new(),
            calendar_private_addresses: false,
            files_s3_bucket: String::new(),
            files_s3_endpoint: String::new(),
            files_s3_region: String::new(),
            files_s3_access_key_id: String::new(),
            files_s3_secret_access_key: String::new(),
        }
    }
}

/// Flags that override configuration; `None` leaves the lower layers' value.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    /// `--data-dir`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// `--bind`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    /// `--database-url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    /// `--secure-cookies`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure_cookies: Option<bool>,
}

impl Settings {
    /// Loads the layers. `file` is `--config`; without it `guildhall.toml` in the working
    /// directory is read when present.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Settings> {
        let file = file
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("guildhall.toml"));
        let settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(&file))
            // Only the settings' own names: other GUILDHALL_* variables (the admin password,
            // test switches) are not configuration.
            .merge(Env::prefixed("GUILDHALL_").only(&[
                "data_dir",
                "bind",
                "database_url",
                "secure_cookies",
                "session_ttl_days",
                "pool_size",
                "log",
                "platform_fee_bps",
                "community_share_bps",
                "referral_reward_bps",
                "review_period_days",
                "reputation_half_life_days",
                "payment_instructions",
                "origin",
                "offers_per_day",
                "sqlite_synchronous",
                "request_head_timeout_secs",
                "registration",
                "api_calls_per_minute_per_token",
                "api_calls_per_minute_per_address",
                "public_url",
                "instance_name",
                "instance_description",
                "operator_contact",
                "mail_from",
                "smtp_host",
                "smtp_port",
                "smtp_security",
                "smtp_username",
                "smtp_password",
                "calendar_private_addresses",
                "files_s3_bucket",
                "files_s3_endpoint",
                "files_s3_region",
                "files_s3_access_key_id",
                "files_s3_secret_access_key",
            ]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
        if !settings.files_s3_bucket.trim().is_empty() {
            settings.files()?;
        }
        let shares = settings.platform_fee_bps as u64
            + settings.community_share_bps as u64
            + settings.referral_reward_bps as u64;
        anyhow::ensure!(
            shares <= 10_000,
            "configuration: platform_fee_bps + community_share_bps + referral_reward_bps is {shares}, more than 10000 (100 %)"
        );
        anyhow::ensure!(
            (1..=365).contains(&settings.review_period_days),
            "configuration: review_period_days must be 1 to 365"
        );
        anyhow::ensure!(
            (7..=3650).contains(&settings.reputation_half_life_days),
            "configuration: reputation_half_life_days must be 7 to 3650"
        );
        anyhow::ensure!(
            (1..=10_000).contains(&settings.offers_per_day),
            "configuration: offers_per_day must be 1 to 10000"
        );
        anyhow::ensure!(
            (1..=600).contains(&settings.request_head_timeout_secs),
            "configuration: request_head_timeout_secs must be 1 to 600"
        );
        for (name, n) in [
            (
                "api_calls_per_minute_per_token",
                settings.api_calls_per_minute_per_token,
            ),
            (
                "api_calls_per_minute_per_address",
                settings.api_calls_per_minute_per_address,
            ),
        ] {
            anyhow::ensure!(
                (1..=guildhall_app::policy::MAX_CALLS_PER_MINUTE).contains(&n),
                "configuration: {name} must be 1 to {}",
                guildhall_app::policy::MAX_CALLS_PER_MINUTE
            );
        }
        anyhow::ensure!(
            settings.public_url.is_empty()
                || (["http://", "https://"]
                    .iter()
                    .any(|s| settings.public_url.starts_with(s))
                    && !settings.public_url.contains(char::is_whitespace)),
            "configuration: public_url must start with http:// or https://, like https://guild.example.org"
        );
        anyhow::ensure!(
            (1..=80).contains(&settings.instance_name.trim().chars().count()),
            "configuration: instance_name must be 1 to 80 characters"
        );
        anyhow::ensure!(
            guildhall_app::mail::sender(&settings.mail_from).is_ok(),
            "configuration: mail_from must be an address, like Guildhall <guild@example.org>"
        );
        Ok(settings)
    }

    /// Where delivered files are stored: the S3 bucket when one is set, else
    /// `<data_dir>/files`.
    pub fn files(&self) -> anyhow::Result<guildhall_app::files::Files> {
        use guildhall_app::files::{Files, S3Options};
        let files = if self.files_s3_bucket.trim().is_empty() {
            Files::folder(&self.data_dir.join("files"))
        } else {
            Files::s3(&S3Options {
                endpoint: self.files_s3_endpoint.clone(),
                bucket: self.files_s3_bucket.trim().to_string(),
                region: self.files_s3_region.clone(),
                access_key_id: self.files_s3_access_key_id.clone(),
                secret_access_key: self.files_s3_secret_access_key.clone(),
            })
        };
        files.map_err(|e| anyhow::anyhow!("configuration: {e}"))
    }

    /// Where mail goes: the SMTP server when one is set, else files in `<data_dir>/mail`.
    pub fn mailer(&self) -> anyhow::Result<std::sync::Arc<dyn guildhall_app::mail::Mailer>> {
        use guildhall_app::mail::{FolderMailer, SmtpMailer, SmtpSettings};
        if self.smtp_host.trim().is_empty() {
            let folder = FolderMailer::new(self.data_dir.join("mail"), &self.mail_from)
                .map_err(|e| anyhow::anyhow!("mail: {e}"))?;
            return Ok(std::sync::Arc::new(folder));
        }
        let smtp = SmtpSettings {
            host: self.smtp_host.trim().to_string(),
            port: self.smtp_port,
            security: self.smtp_security,
            credentials: (!self.smtp_username.is_empty())
                .then(|| (self.smtp_username.clone(), self.smtp_password.clone())),
        };
        let mailer =
            SmtpMailer::new(&smtp, &self.mail_from).map_err(|e| anyhow::anyhow!("mail: {e}"))?;
        Ok(std::sync::Arc::new(mailer))
    }

    /// The address links to this instance start with, without a trailing slash.
    pub fn public_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.bind)
        } else {
            self.public_url.trim_end_matches('/').to_string()
        }
    }

    /// The database URL, defaulting to a SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            self.data_dir
                .join("guildhall.db")
                .to_string_lossy()
                .into_owned()
        } else {
            self.database_url.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::result_large_err)]
    fn mail_settings_are_read_and_a_bad_sender_is_refused() {
        figment::Jail::expect_with(|jail| {
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(
                (s.smtp_host.as_str(), s.smtp_port, s.smtp_security),
                ("", 587, guildhall_app::mail::SmtpSecurity::Starttls)
            );
            jail.set_env("GUILDHALL_SMTP_HOST", "smtp.example.org");
            jail.set_env("GUILDHALL_SMTP_PORT", "465");
            jail.set_env("GUILDHALL_SMTP_SECURITY", "tls");
            jail.set_env("GUILDHALL_MAIL_FROM", "Guild <guild@example.org>");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(
                (s.smtp_host.as_str(), s.smtp_port, s.smtp_security),
                (
                    "smtp.example.org",
                    465,
                    guildhall_app::mail::SmtpSecurity::Tls
                )
            );
            assert!(s.mailer().is_ok());
            jail.set_env("GUILDHALL_SMTP_SECURITY", "carrier-pigeon");
            assert!(Settings::load(None, &Overrides::default()).is_err());
            jail.set_env("GUILDHALL_SMTP_SECURITY", "none");
            jail.set_env("GUILDHALL_MAIL_FROM", "not an address");
            let err = Settings::load(None, &Overrides::default())
                .unwrap_err()
                .to_string();
            assert!(err.contains("mail_from"), "{err}");
            Ok(())
        });
    }

    #[test]
    // figment's Jail fixes the closure's error type.
    #[allow(clippy::result_large_err)]
    fn layers_apply_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("guildhall.toml", "bind = \"0.0.0.0:9000\"\npool_size = 4\n")?;
            jail.set_env("GUILDHALL_POOL_SIZE", "6");
            jail.set_env("GUILDHALL_SECURE_COOKIES", "true");
            jail.set_env("GUILDHALL_SOMETHING_ELSE", "ignored");
            let s = Settings::load(None, &Overrides::default()).unwrap();
            assert_eq!(
                (s.bind.as_str(), s.pool_size, s.secure_cookies),
                ("0.0.0.0:9000", 6, true)
            );
            let flags = Overrides {
                bind: Some("127.0.0.1:1".into()),
                ..Overrides::default()
            };
            assert_eq!(Settings::load(None, &flags).unwrap().bind, "127.0.0.1:1");
            jail.set_env("GUILDHALL_PLATFORM_FEE_BPS", "9000");
            jail.set_env("GUILDHALL_COMMUNITY_SHARE_BPS", "2000");
            let err = Settings::load(None, &flags).unwrap_err().to_string();
            assert!(err.contains("more than 10000"), "{err}");
            jail.set_env("GUILDHALL_PLATFORM_FEE_BPS", "500");
            assert_eq!(Settings::load(None, &flags).unwrap().platform_fee_bps, 500);
            jail.set_env("GUILDHALL_ORIGIN", "guild.example.org");
            jail.set_env("GUILDHALL_PAYMENT_INSTRUCTIONS", "IBAN DE00");
            jail.set_env("GUILDHALL_REPUTATION_HALF_LIFE_DAYS", "90");
            let s = Settings::load(None, &flags).unwrap();
            assert_eq!(
                (
                    s.origin.as_str(),
                    s.payment_instructions.as_str(),
                    s.reputation_half_life_days
                ),
                ("guild.example.org", "IBAN DE00", 90)
            );
            jail.set_env("GUILDHALL_REPUTATION_HALF_LIFE_DAYS", "1");
            let err = Settings::load(None, &flags).unwrap_err().to_string();
            assert!(err.contains("reputation_half_life_days"), "{err}");
            jail.set_env("GUILDHALL_REPUTATION_HALF_LIFE_DAYS", "365");
            assert_eq!(
                Settings::load(None, &flags).unwrap().sqlite_synchronous,
                guildhall_store::Durability::Full
            );
            jail.set_env("GUILDHALL_SQLITE_SYNCHRONOUS", "normal");
            assert_eq!(
                Settings::load(None, &flags).unwrap().sqlite_synchronous,
                guildhall_store::Durability::Normal
            );
            jail.set_env("GUILDHALL_SQLITE_SYNCHRONOUS", "off");
            assert!(Settings::load(None, &flags).is_err());
            jail.set_env("GUILDHALL_SQLITE_SYNCHRONOUS", "full");
            assert_eq!(
                Settings::load(None, &flags).unwrap().public_url(),
                "http://127.0.0.1:1"
            );
            jail.set_env("GUILDHALL_PUBLIC_URL", "https://guild.example.org/");
            assert_eq!(
                Settings::load(None, &flags).unwrap().public_url(),
                "https://guild.example.org"
            );
            jail.set_env("GUILDHALL_PUBLIC_URL", "guild.example.org");
            let err = Settings::load(None, &flags).unwrap_err().to_string();
            assert!(err.contains("public_url"), "{err}");
            jail.set_env("GUILDHALL_PUBLIC_URL", "");
            jail.create_file("guildhall.toml", "bnid = 1\n")?;
            assert!(
                Settings::load(None, &flags).is_err(),
                "unknown keys are reported"
            );
            Ok(())
        });
    }
}
