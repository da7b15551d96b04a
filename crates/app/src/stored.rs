//! Values read back from the store. One this version cannot read means a corrupt row: an
//! error that names it, never a silent default (an unknown currency is not euros, an unknown
//! status not "cancelled", an unknown role not "member").

use crate::AppError;
use guildhall_domain::community::Role;
use guildhall_domain::contract::{ContractStatus, MilestoneStatus};
use guildhall_domain::money::Currency;
use guildhall_store::StoreError;

fn corrupt(what: &str, value: &str) -> AppError {
    AppError::Store(StoreError::Corrupt(format!(
        "a stored {what} reads {value:?}"
    )))
}

/// A stored currency code.
pub(crate) fn currency(code: &str) -> Result<Currency, AppError> {
    Currency::parse(code).map_err(|_| corrupt("currency", code))
}

/// A contract's stored status.
pub(crate) fn contract_status(status: &str) -> Result<ContractStatus, AppError> {
    ContractStatus::parse(status).ok_or_else(|| corrupt("contract status", status))
}

/// A member's stored role in a community.
pub(crate) fn role(role: &str) -> Result<Role, AppError> {
    Role::parse(role).ok_or_else(|| corrupt("community role", role))
}

/// A milestone's stored status.
pub(crate) fn milestone_status(status: &str) -> Result<MilestoneStatus, AppError> {
    MilestoneStatus::parse(status).ok_or_else(|| corrupt("milestone status", status))
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
        assert!(super::contract_status("on hold").is_err());
        assert!(super::milestone_status("submitted").is_ok());
        assert!(super::role("curator").is_ok());
        assert!(super::role("overlord").is_err());
    }
}
