//! Values read back from store columns that are still selected as text (a member's role in a
//! community). One this version cannot read means a corrupt row: an error that names it,
//! never a silent default (an unknown role is not "member"). The conversion is the domain's
//! (`guildhall_domain::stored`), the same the typed rows use.

use crate::AppError;
use guildhall_domain::community::Role;
use guildhall_store::StoreError;

/// A member's stored role in a community.
pub(crate) fn role(role: &str) -> Result<Role, AppError> {
    Role::try_from(role.to_string())
        .map_err(|e| AppError::Store(StoreError::Corrupt(e.to_string())))
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unreadable_stored_role_is_an_error_not_a_member() {
        assert!(super::role("curator").is_ok());
        let e = super::role("overlord").unwrap_err();
        assert!(
            e.to_string()
                .contains("a stored community role reads \"overlord\""),
            "{e}"
        );
    }
}
