//! serde's `rename_all` rules, so the derive computes the same wire names serde does.
//!
//! The rules and their spelling follow serde's documented container attribute
//! (`lowercase`, `UPPERCASE`, `PascalCase`, `camelCase`, `snake_case`, `SCREAMING_SNAKE_CASE`,
//! `kebab-case`, `SCREAMING-KEBAB-CASE`). Fields are renamed from `snake_case` identifiers,
//! variants from `PascalCase` identifiers, as serde does.

/// One `rename_all` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    /// The rule named `name`, as serde spells it.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    /// Renames a struct field (a `snake_case` identifier).
    pub(crate) fn apply_to_field(self, field: &str) -> String {
        match self {
            Self::Lower | Self::Snake => field.to_owned(),
            Self::Upper | Self::ScreamingSnake => field.to_ascii_uppercase(),
            Self::Pascal => pascal_from_snake(field),
            Self::Camel => {
                let pascal = pascal_from_snake(field);
                lower_first(&pascal)
            }
            Self::Kebab => field.replace('_', "-"),
            Self::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// Renames an enum variant (a `PascalCase` identifier).
    pub(crate) fn apply_to_variant(self, variant: &str) -> String {
        match self {
            Self::Pascal => variant.to_owned(),
            Self::Lower => variant.to_ascii_lowercase(),
            Self::Upper => variant.to_ascii_uppercase(),
            Self::Camel => lower_first(variant),
            Self::Snake => snake_from_pascal(variant),
            Self::ScreamingSnake => snake_from_pascal(variant).to_ascii_uppercase(),
            Self::Kebab => snake_from_pascal(variant).replace('_', "-"),
            Self::ScreamingKebab => snake_from_pascal(variant)
                .to_ascii_uppercase()
                .replace('_', "-"),
        }
    }
}

fn pascal_from_snake(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(ch);
        }
    }
    out
}

fn snake_from_pascal(variant: &str) -> String {
    let mut out = String::with_capacity(variant.len() + 4);
    for (i, ch) in variant.char_indices() {
        if i > 0 && ch.is_uppercase() {
            out.push('_');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::RenameRule::{self, *};

    #[test]
    fn fields_follow_serde() {
        let cases: [(RenameRule, &str); 8] = [
            (Lower, "outstanding_amount"),
            (Upper, "OUTSTANDING_AMOUNT"),
            (Pascal, "OutstandingAmount"),
            (Camel, "outstandingAmount"),
            (Snake, "outstanding_amount"),
            (ScreamingSnake, "OUTSTANDING_AMOUNT"),
            (Kebab, "outstanding-amount"),
            (ScreamingKebab, "OUTSTANDING-AMOUNT"),
        ];
        for (rule, expected) in cases {
            assert_eq!(
                rule.apply_to_field("outstanding_amount"),
                expected,
                "{rule:?}"
            );
        }
    }

    #[test]
    fn variants_follow_serde() {
        let cases: [(RenameRule, &str); 8] = [
            (Lower, "partlypaid"),
            (Upper, "PARTLYPAID"),
            (Pascal, "PartlyPaid"),
            (Camel, "partlyPaid"),
            (Snake, "partly_paid"),
            (ScreamingSnake, "PARTLY_PAID"),
            (Kebab, "partly-paid"),
            (ScreamingKebab, "PARTLY-PAID"),
        ];
        for (rule, expected) in cases {
            assert_eq!(rule.apply_to_variant("PartlyPaid"), expected, "{rule:?}");
        }
    }

    #[test]
    fn rule_names_are_serde_spellings() {
        assert_eq!(RenameRule::from_name("camelCase"), Some(Camel));
        assert_eq!(RenameRule::from_name("camel_case"), None);
    }
}
