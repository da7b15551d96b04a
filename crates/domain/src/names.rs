//! Closed sets of values that are stored and shown by name (statuses, roles).

/// Implements, for an enum of unit variants, the name each value is stored and shown by
/// (`as_str`), the reading of a name (`parse`: `None` for a name no version wrote), `Display`,
/// and the conversions to and from stored text the store's rows use (a name this version
/// cannot read is [`Unreadable`](crate::stored::Unreadable), saying it is a `$what`).
macro_rules! named_values {
    ($name:ident as $what:literal { $($variant:ident => $text:literal,)+ }) => {
        impl $name {
            /// The value's name, as stored and shown.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Reads a name; `None` for one no version of Guildhall wrote.
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::stored::Unreadable;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value).ok_or($crate::stored::Unreadable { what: $what, value })
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_string()
            }
        }
    };
}
