//! Values read back from the store. One this version cannot read means a corrupt row: an
//! error that names it, never a silent default (an unknown currency is not euros, an unknown
//! status not "cancelled", an unknown role not "member").

use crate::AppError;
use guildhall_domain::community::{Admission, Role, Visibility};
use guildhall_domain::contract::{ContractStatus, MilestoneStatus};
use guildhall_domain::job::{JobStatus, Pricing, ProposalStatus};
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

/// A community's stored visibility.
pub(crate) fn visibility(visibility: &str) -> Result<Visibility, AppError> {
    Visibility::parse(visibility).ok_or_else(|| corrupt("community visibility", visibility))
}

/// A community's stored admission.
pub(crate) fn admission(admission: &str) -> Result<Admission, AppError> {
    Admission::parse(admission).ok_or_else(|| corrupt("community admission", admission))
}

/// A job's stored status.
pub(crate) fn job_status(status: &str) -> Result<JobStatus, AppError> {
    JobStatus::parse(status).ok_or_else(|| corrupt("job status", status))
}

/// A job's stored pricing.
pub(crate) fn pricing(pricing: &str) -> Result<Pricing, AppError> {
    Pricing::parse(pricing).ok_or_else(|| corrupt("job pricing", pricing))
}

/// A proposal's stored status.
pub(crate) fn proposal_status(status: &str) -> Result<ProposalStatus, AppError> {
    ProposalStatus::parse(status).ok_or_else(|| corrupt("proposal status", status))
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
        assert!(super::job_status("archived").is_err());
        assert!(super::visibility("secret").is_err());
        assert!(super::admission("lottery").is_err());
        assert!(super::pricing("daily").is_err());
        assert!(super::proposal_status("pending").is_err());
    }
}
