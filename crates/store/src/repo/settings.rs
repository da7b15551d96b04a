//! Instance settings the operators change at run time, as text by key.

use crate::schema::instance_settings;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;

/// The value stored for `key`, if an operator set one.
pub fn get(conn: &mut DbConnection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(instance_settings::table
        .find(key)
        .select(instance_settings::value)
        .get_result(conn)
        .optional()?)
}

/// Stores `value` for `key`, replacing any earlier one (call inside a transaction).
pub fn set(conn: &mut DbConnection, key: &str, value: &str, now: Millis) -> Result<(), StoreError> {
    diesel::delete(instance_settings::table.find(key)).execute(conn)?;
    diesel::insert_into(instance_settings::table)
        .values((
            instance_settings::key.eq(key),
            instance_settings::value.eq(value),
            instance_settings::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
