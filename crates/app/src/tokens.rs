//! API tokens: created by their owner, shown once, stored hashed, revocable.

use crate::accounts::{Account, AttemptOrigin};
use crate::events::record;
use crate::secrets::{hash_token, random_token};
use crate::{AppError, Page, PageRequest};
use guildhall_domain::events::{Event, TokenCreated, TokenRevoked};
use guildhall_domain::validation;
use guildhall_domain::{FieldErrors, TokenId};
use guildhall_store::repo::{oversight, tokens, users};
use serde::Serialize;

/// Prefix that makes Guildhall tokens recognisable to secret scanners.
pub const TOKEN_PREFIX: &str = "gh_";

/// A token as listed (never with its secret).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    /// The token's id (UUIDv7), as in `/me/tokens/{id}` to revoke it.
    pub id: String,
    /// A label the owner gave the token (1 to 80 characters), to tell tokens apart.
    pub name: String,
    /// First characters of the secret.
    pub prefix: String,
    /// Creation time, Unix ms.
    pub created_at: i64,
    /// Last use, Unix ms.
    pub last_used_at: Option<i64>,
    /// Revocation time, Unix ms.
    pub revoked_at: Option<i64>,
}

impl From<tokens::TokenRow> for TokenInfo {
    fn from(r: tokens::TokenRow) -> Self {
        TokenInfo {
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

/// A token just created: the only time its secret is available.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    /// The token's details.
    #[serde(flatten)]
    pub info: TokenInfo,
    /// The secret to send as `Authorization: Bearer <token>`.
    pub token: String,
}

/// A token's name, trimmed, or the reason it will not do.
fn token_name(name: &str) -> Result<String, AppError> {
    let mut errors = FieldErrors::new();
    let name = validation::text(&mut errors, "/name", name, 1, 80, false);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(name)
}

impl crate::facades::Accounts<'_> {
    /// Signs in with a password (and the code, for an account with two-factor sign-in) and
    /// creates an API token in one step: the API's way in. The name is checked before the
    /// password, so a name that will not do costs no sign-in.
    pub fn issue_token(
        &self,
        login: &str,
        password: &str,
        code: Option<&str>,
        name: &str,
        origin: &AttemptOrigin,
    ) -> Result<CreatedToken, AppError> {
        token_name(name)?;
        let account = self.authenticate(login, password, origin)?;
        self.check_code_for_token(&account, code, origin)?;
        self.create_token(&account, name)
    }

    /// Creates an API token for `account`.
    pub fn create_token(&self, account: &Account, name: &str) -> Result<CreatedToken, AppError> {
        let name = token_name(name)?;
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let now = self.now();
        let row = tokens::TokenRow {
            id: TokenId::new().to_string(),
            user_id: account.id,
            name,
            token_hash: hash_token(&secret),
            prefix: secret.chars().take(TOKEN_PREFIX.len() + 6).collect(),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        };
        self.write(|c| {
            tokens::insert(c, &row)?;
            record(
                c,
                now,
                Event::TokenCreated(TokenCreated {
                    owner: account.id.to_string(),
                    token: row.id.clone(),
                    name: row.name.clone(),
                }),
            )?;
            Ok(())
        })?;
        Ok(CreatedToken {
            info: row.into(),
            token: secret,
        })
    }

    /// The caller's tokens, newest first.
    pub fn list_tokens(
        &self,
        account: &Account,
        page: &PageRequest,
    ) -> Result<Page<TokenInfo>, AppError> {
        let limit = page.limit()?;
        let before = page.key()?;
        let rows = self.read(|c| Ok(tokens::page(c, account.id, before.as_deref(), limit + 1)?))?;
        Ok(Page::from_rows(rows, limit, |r| r.id.clone()).map(TokenInfo::from))
    }

    /// Revokes one of the caller's tokens. An unknown id is `NotFound`.
    pub fn revoke_token(&self, account: &Account, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            if !tokens::revoke(c, account.id, id, now)? {
                return Err(AppError::NotFound);
            }
            record(
                c,
                now,
                Event::TokenRevoked(TokenRevoked {
                    owner: account.id.to_string(),
                    token: id.to_string(),
                }),
            )?;
            Ok(())
        })
    }

    /// The account a bearer token belongs to, if the token is live.
    pub fn token_account(&self, secret: &str) -> Result<Option<Account>, AppError> {
        if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 128 {
            return Ok(None);
        }
        let now = self.now();
        let hash = hash_token(secret);
        let mut conn = self.conn()?;
        let Some(row) = tokens::live_by_hash(&mut conn, &hash)? else {
            return Ok(None);
        };
        // A suspended account's tokens stop working with its sessions.
        if oversight::is_suspended(&mut conn, row.user_id)? {
            return Ok(None);
        }
        tokens::touch(&mut conn, &row.id, now)?;
        Ok(users::by_id(&mut conn, row.user_id)?.map(Account::from))
    }
}

#[cfg(test)]
mod tests {
    use crate::accounts::SignUp;
    use crate::testing::app;
    use crate::{AppError, PageRequest};
    use guildhall_store::testdb::TestDb;

    #[test]
    fn create_use_list_revoke() {
        for db in TestDb::all() {
            let app = app(&db);
            let me = app
                .accounts()
                .sign_up(SignUp {
                    handle: "ada".into(),
                    email: "ada@example.org".into(),
                    password: "correct horse battery".into(),
                    display_name: None,
                })
                .unwrap();
            let t1 = app.accounts().create_token(&me, "laptop").unwrap();
            let t2 = app.accounts().create_token(&me, "ci").unwrap();
            assert_eq!(
                app.accounts().token_account(&t1.token).unwrap().unwrap().id,
                me.id
            );
            let page = app
                .accounts()
                .list_tokens(
                    &me,
                    &PageRequest {
                        cursor: None,
                        limit: Some(1),
                    },
                )
                .unwrap();
            assert_eq!(page.items[0].id, t2.info.id);
            let next = app
                .accounts()
                .list_tokens(
                    &me,
                    &PageRequest {
                        cursor: page.next_cursor,
                        limit: Some(1),
                    },
                )
                .unwrap();
            assert_eq!(next.items[0].id, t1.info.id);
            assert!(next.next_cursor.is_none());
            app.accounts().revoke_token(&me, &t1.info.id).unwrap();
            assert!(app.accounts().token_account(&t1.token).unwrap().is_none());
            assert!(matches!(
                app.accounts().revoke_token(&me, &t1.info.id),
                Err(AppError::NotFound)
            ));
            assert!(matches!(
                app.accounts().create_token(&me, "  "),
                Err(AppError::Validation(_))
            ));
        }
    }

    #[test]
    fn signing_in_for_a_token_checks_the_name_first_and_the_password_always() {
        use crate::accounts::AttemptOrigin;
        use crate::testing::{PASSWORD, member};
        for db in TestDb::all() {
            let app = app(&db);
            let ada = member(&app, "ada");
            let origin = AttemptOrigin::default();
            let accounts = app.accounts();
            let e = accounts
                .issue_token("ada", "wrong password", None, " ", &origin)
                .unwrap_err();
            assert!(
                matches!(e, AppError::Validation(_)),
                "a blank name is refused before the password is tried: {e:?}"
            );
            assert!(matches!(
                accounts.issue_token("ada", "wrong password", None, "cli", &origin),
                Err(AppError::InvalidCredentials)
            ));
            let token = accounts
                .issue_token("ADA", PASSWORD, None, "cli", &origin)
                .unwrap();
            let owner = accounts.token_account(&token.token).unwrap().unwrap();
            assert_eq!(owner.id, ada.id);
        }
    }
}
