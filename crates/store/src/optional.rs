//! Optional domain values in nullable text columns. Diesel reads a row field through a type of
//! the store's own (`deserialize_as`), and Rust lets the store convert its own type into
//! `Option<UserId>` but not `Option<String>` into it, so nullable columns go through
//! `NullableText`: absent stays absent, and present text that is not the value is an error
//! naming it, as for required columns.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromStaticSqlRow, Queryable};
use diesel::expression::AsExpression;
use diesel::sql_types::{Nullable, Text};
use guildhall_domain::stored::Unreadable;

/// The text of a nullable column, on its way to or from an optional domain value.
#[derive(Debug)]
pub struct NullableText(Option<String>);

impl<DB> Queryable<Nullable<Text>, DB> for NullableText
where
    DB: Backend,
    Option<String>: FromStaticSqlRow<Nullable<Text>, DB>,
{
    type Row = Option<String>;

    fn build(row: Option<String>) -> deserialize::Result<Self> {
        Ok(NullableText(row))
    }
}

impl AsExpression<Nullable<Text>> for NullableText {
    type Expression = <Option<String> as AsExpression<Nullable<Text>>>::Expression;

    fn as_expression(self) -> Self::Expression {
        AsExpression::<Nullable<Text>>::as_expression(self.0)
    }
}

impl<T: TryFrom<String, Error = Unreadable>> TryFrom<NullableText> for Option<T> {
    type Error = Unreadable;

    fn try_from(text: NullableText) -> Result<Self, Unreadable> {
        text.0.map(T::try_from).transpose()
    }
}

impl<T: Into<String>> From<Option<T>> for NullableText {
    fn from(value: Option<T>) -> Self {
        NullableText(value.map(Into::into))
    }
}
