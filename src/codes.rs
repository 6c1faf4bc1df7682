//! Enumerations with fixed codes, each listed once.
//!
//! An enumeration of the input file (a language, an instance, a certificate kind…) or of the
//! command line (a PDF standard) is declared once with [`codes!`], which gives it its code per
//! variant, the list of all variants and codes, parsing, `Display`, and serde serialisation as
//! the code. The JSON Schema's `enum` lists, validation's "did you mean" help, the views and
//! clap's possible values all read the same list.

/// An enumeration whose variants are written as fixed codes, e.g. `"FI-TEST"` or `"a-2b"`.
pub trait Code: Copy + Eq + Sized + 'static {
    /// Every variant, in declaration order.
    const ALL: &'static [Self];
    /// Every variant's code, in declaration order.
    const CODES: &'static [&'static str];

    /// The variant's code.
    fn code(self) -> &'static str;

    /// The variant's doc comment as a short label, e.g. `Finnish` (for help texts).
    fn label(self) -> &'static str;

    /// Parses a code exactly (case matters).
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == s)
    }
}

/// Declares an enumeration with a code per variant and implements [`Code`], inherent `ALL`,
/// `CODES`, `code` and `parse`, `Display` and `serde::Serialize` (as the code) for it.
///
/// Each variant has exactly one doc line, which is also its label in help texts:
///
/// ```ignore
/// codes! {
///     /// A document language.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Lang {
///         /// Finnish.
///         Fi = "fi",
///     }
/// }
/// ```
#[macro_export]
macro_rules! codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                #[doc = $doc:literal]
                $variant:ident = $code:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $(
                #[doc = $doc]
                $variant,
            )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];
            /// Every variant's code, in declaration order.
            pub const CODES: [&'static str; [$($code),+].len()] = [$($code),+];

            /// The variant's code.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// Parses a code exactly (case matters).
            pub fn parse(s: &str) -> Option<$name> {
                <$name as $crate::codes::Code>::parse(s)
            }
        }

        impl $crate::codes::Code for $name {
            const ALL: &'static [$name] = &$name::ALL;
            const CODES: &'static [&'static str] = &$name::CODES;

            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn label(self) -> &'static str {
                let doc: &'static str = match self {
                    $($name::$variant => $doc,)+
                };
                doc.trim().trim_end_matches('.')
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}

/// Implements `clap::ValueEnum` for a [`codes!`] enumeration: its codes are the values, its
/// doc lines their help.
#[macro_export]
macro_rules! value_enum {
    ($name:ty) => {
        impl ::clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                <$name as $crate::codes::Code>::ALL
            }

            fn to_possible_value(&self) -> Option<::clap::builder::PossibleValue> {
                use $crate::codes::Code as _;
                Some(::clap::builder::PossibleValue::new(self.code()).help(self.label()))
            }
        }
    };
}

/// The codes as a list for a message: `` `a`, `b`, `c` ``.
pub fn backticks(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::Code;
    use crate::arrangement::{Lang, Party, Platform, Role, Stage};
    use crate::cli::PdfStandard;
    use crate::xroad::{CertKind, Instance, MemberClass};

    /// Every variant's code parses back to the variant, serialises as the code, and the
    /// codes are unique.
    fn round_trip<T: Code + std::fmt::Debug + serde::Serialize + std::fmt::Display>() {
        assert_eq!(T::ALL.len(), T::CODES.len());
        for (v, code) in T::ALL.iter().zip(T::CODES) {
            assert_eq!(v.code(), *code);
            assert_eq!(T::parse(code), Some(*v), "{code}");
            assert_eq!(v.to_string(), *code);
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::Value::from(*code)
            );
            assert!(!v.label().is_empty() && !v.label().ends_with('.'));
            assert_eq!(T::CODES.iter().filter(|c| *c == code).count(), 1);
        }
        assert_eq!(T::parse(""), None);
        assert_eq!(T::parse("no-such-code"), None);
    }

    /// Each enumeration's codes round-trip through parsing, `Display` and serde.
    #[test]
    fn codes_round_trip() {
        round_trip::<Lang>();
        round_trip::<Stage>();
        round_trip::<Party>();
        round_trip::<Role>();
        round_trip::<Platform>();
        round_trip::<Instance>();
        round_trip::<MemberClass>();
        round_trip::<CertKind>();
        round_trip::<PdfStandard>();
    }

    /// The codes are those of SPEC §2 and of the typst CLI, in their order.
    #[test]
    fn codes_are_the_documented_ones() {
        assert_eq!(Lang::CODES, ["fi", "sv", "en"]);
        assert_eq!(Stage::CODES, ["draft", "final"]);
        assert_eq!(Party::CODES, ["owner", "member"]);
        assert_eq!(Role::CODES, ["technical", "administrative", "signatory"]);
        assert_eq!(Platform::CODES, ["ubuntu", "rhel", "sidecar"]);
        assert_eq!(Instance::CODES, ["FI-DEV", "FI-TEST", "FI"]);
        assert_eq!(
            MemberClass::CODES,
            ["GOV", "MUN", "COM", "EDU", "ORG", "PRI"]
        );
        assert_eq!(
            CertKind::CODES,
            ["authentication", "signing", "internal-tls", "client-tls"]
        );
        assert_eq!(PdfStandard::parse("a-2b"), Some(PdfStandard::A2b));
        assert_eq!(PdfStandard::parse("ua-1"), Some(PdfStandard::Ua1));
        assert_eq!(PdfStandard::parse("2.0"), Some(PdfStandard::V2_0));
        assert_eq!(PdfStandard::ALL.len(), 17);
        assert_eq!(Lang::Fi.label(), "Finnish");
        assert_eq!(Instance::parse("fi"), None);
    }

    /// clap offers exactly the codes as values, with the doc lines as help.
    #[test]
    fn clap_values_are_the_codes() {
        use clap::ValueEnum as _;
        let names: Vec<String> = Lang::value_variants()
            .iter()
            .filter_map(|l| l.to_possible_value())
            .map(|p| p.get_name().to_string())
            .collect();
        assert_eq!(names, Lang::CODES);
        assert_eq!(PdfStandard::from_str("a-2a", false), Ok(PdfStandard::A2a));
        assert!(PdfStandard::from_str("a-9z", false).is_err());
    }
}
