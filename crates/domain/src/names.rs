//! Closed sets of values that are stored and shown by name (statuses, roles).

/// Implements, for an enum of unit variants, the name each value is stored and shown by
/// (`as_str`), the reading of a name (`parse`: `None` for a name no version wrote) and
/// `Display`. How the store reads and writes it is listed in `crate::stored`.
macro_rules! named_values {
    ($name:ident { $($variant:ident => $text:literal,)+ }) => {
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
    };
}
