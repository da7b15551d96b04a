//! Values read back from store columns that rows still hold as text. One this version cannot
//! read means a corrupt row: an error that names it, never a silent default (an unknown role
//! is not "member"). The conversions are the domain's (`guildhall_domain::stored`), the same
//! the typed rows use.

use crate::AppError;
use guildhall_domain::community::{Admission, Role, Visibility};
use guildhall_domain::job::{JobStatus, Pricing, ProposalStatus};
use guildhall_domain::money::Currency;
use guildhall_domain::stored::Unreadable;
use guildhall_store::StoreError;

/// Reads a stored value of type `T`.
fn read<T: TryFrom<String, Error = Unreadable>>(text: &str) -> Result<T, AppError> {
    T::try_from(text.to_string()).map_err(|e| AppError::Store(StoreError::Corrupt(e.to_string())))
}

/// A stored currency code.
pub(crate) fn currency(code: &str) -> Result<Currency, AppError> {
    read(code)
}

/// A member's stored role in a community.
pub(crate) fn role(role: &str) -> Result<Role, AppError> {
    read(role)
}

/// A community's stored visibility.
pub(crate) fn visibility(visibility: &str) -> Result<Visibility, AppError> {
    read(visibility)
}

/// A community's stored admission.
pub(crate) fn admission(admission: &str) -> Result<Admission, AppError> {
    read(admission)
}

/// A job's stored status.
pub(crate) fn job_status(status: &str) -> Result<JobStatus, AppError> {
    read(status)
}

/// A job's stored pricing.
pub(crate) fn pricing(pricing: &str) -> Result<Pricing, AppError> {
    read(pricing)
}

/// A proposal's stored status.
pub(crate) fn proposal_status(status: &str) -> Result<ProposalStatus, AppError> {
    read(status)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unreadable_stored_value_is_an_error_not_a_default() {
        assert!(super::currency("EUR").is_ok());
        let e = super::currency("XXQ").unwrap_err();
        assert!(
            e.to_string().contains("a stored currency reads \"XXQ\""),
            "{e}"
        );
        assert!(super::currency("eur").is_err(), "stored codes are exact");
        assert!(super::role("curator").is_ok());
        assert!(super::role("overlord").is_err());
        assert!(super::job_status("archived").is_err());
        assert!(super::visibility("secret").is_err());
        assert!(super::admission("lottery").is_err());
        assert!(super::pricing("daily").is_err());
        assert!(super::proposal_status("pending").is_err());
    }
}
