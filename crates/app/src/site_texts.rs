//! The texts an operator publishes for everyone: the privacy policy and the terms of use,
//! written in Markdown and linked from every page's footer and from sign-up.

use crate::AppError;
use crate::oversight::{Actor, audit};
use guildhall_domain::FieldErrors;
use guildhall_store::repo::settings;

/// Longest text an operator may publish, in characters.
pub const MAX_SITE_TEXT_CHARS: usize = 50_000;

/// A text every visitor may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteText {
    /// How the instance handles personal data.
    PrivacyPolicy,
    /// The rules of using the instance.
    Terms,
}

impl SiteText {
    /// Both texts.
    pub const ALL: [SiteText; 2] = [SiteText::PrivacyPolicy, SiteText::Terms];

    fn key(self) -> &'static str {
        match self {
            SiteText::PrivacyPolicy => "site_text.privacy",
            SiteText::Terms => "site_text.terms",
        }
    }

    /// The text's title.
    pub fn title(self) -> &'static str {
        match self {
            SiteText::PrivacyPolicy => "Privacy policy",
            SiteText::Terms => "Terms of use",
        }
    }

    /// The form field and URL name: `privacy` or `terms`.
    pub fn slug(self) -> &'static str {
        match self {
            SiteText::PrivacyPolicy => "privacy",
            SiteText::Terms => "terms",
        }
    }
}

impl crate::facades::Instance<'_> {
    /// The published text, if the operators published one.
    pub fn site_text(&self, text: SiteText) -> Result<Option<String>, AppError> {
        self.read(|c| Ok(settings::get(c, text.key())?.filter(|t| !t.trim().is_empty())))
    }

    /// Publishes texts (an empty body withdraws one), all or none; each change is recorded in
    /// the audit log.
    pub fn publish_site_texts(
        &self,
        actor: &Actor,
        texts: &[(SiteText, &str)],
    ) -> Result<(), AppError> {
        let mut errors = FieldErrors::new();
        for (text, body) in texts {
            let field = format!("/{}", text.slug());
            if body.chars().count() > MAX_SITE_TEXT_CHARS {
                errors.add(
                    &field,
                    format!("keep it under {MAX_SITE_TEXT_CHARS} characters"),
                );
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let now = self.now();
        self.write(|c| {
            for (text, body) in texts {
                if settings::get(c, text.key())?.as_deref().unwrap_or("") == *body {
                    continue;
                }
                settings::set(c, text.key(), body, now)?;
                audit(c, now, actor, "text.published", text.title(), "")?;
            }
            Ok(())
        })
    }
}
