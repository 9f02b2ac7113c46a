//! Every naming rule: Frappe names to Rust identifiers, and text to doc comments.
//!
//! - DocType -> type: `"Sales Invoice Item"` -> `SalesInvoiceItem` ([`type_name`]).
//! - Module -> module: `"Accounts"` -> `accounts` ([`module_name`]).
//! - fieldname -> field: kept when already a plain snake_case identifier; keywords become raw
//!   identifiers (`r#type`), except those that cannot be raw (`self`, `Self`, `super`, `crate`)
//!   which get a `_` suffix; leading digits get a `_` prefix; other characters become `_` or,
//!   for non-ASCII, `u<hex>`; uppercase is lowered and runs of `_` inside the name collapse
//!   (`foo__bar` -> `foo_bar`, rustc's `non_snake_case`) ([`field_ident`]). The caller keeps the
//!   wire name in a serde rename.
//! - Select option -> variant ([`variant_names`]), collision-free within one enum.
//! - Label / description -> doc comment lines, Markdown-escaped ([`doc_lines`]).
//!
//! Non-ASCII characters never reach an identifier: rustc warns about confusable scripts, and
//! generated code must compile without warnings.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::Ident;

/// Keywords of Rust 2015-2024 (strict and reserved) that need `r#` as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Module names generated code cannot use as is: crate names it refers to (a module of the same
/// name would shadow them), and names a bindings crate already uses for something else (`lib`
/// would overwrite `src/lib.rs`; `default` and `full` are its own Cargo features, and a
/// duplicate feature makes `Cargo.toml` invalid).
const RESERVED_MODULES: &[&str] = &[
    "alloc",
    "chrono",
    "core",
    "default",
    "frappe_runtime",
    "full",
    "lib",
    "rust_decimal",
    "serde",
    "serde_json",
    "std",
];

/// Prelude types generated code names by their short names (`Option<T>`, `String`, `Vec<T>`,
/// `Option::is_none`); a generated type of the same name would shadow them and break the module.
const PRELUDE_TYPES: &[&str] = &["Option", "String", "Vec"];

/// Replaces every non-ASCII character with ` u<hex> ` so it cannot reach an identifier, and
/// every other non-alphanumeric character with a space (a word break).
fn ascii_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:x} ", c as u32));
        }
    }
    out
}

/// PascalCase with a letter first; used for types and variants.
fn pascal(s: &str) -> String {
    let name = ascii_words(s).to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{name}")
    } else {
        name
    }
}

/// The Rust type name of a DocType: `"Sales Invoice Item"` -> `SalesInvoiceItem`. `Self` and the
/// prelude types generated code relies on (`Option`, `String`, `Vec`) get a `_` suffix.
pub fn type_name(doctype: &str) -> String {
    let name = pascal(doctype);
    match name.as_str() {
        "" => "Unnamed".to_owned(),
        "Self" => "Self_".to_owned(),
        n if PRELUDE_TYPES.contains(&n) => format!("{n}_"),
        _ => name,
    }
}

/// The Rust module name of a Frappe module: `"Stock"` -> `stock`, `"Core"` -> `core_` (a module
/// named `core` would shadow the `core` crate; see `RESERVED_MODULES`).
pub fn module_name(module: &str) -> String {
    let mut name = ascii_words(module).to_snake_case();
    if name.is_empty() {
        name = "unknown_module".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'm');
    }
    if KEYWORDS.contains(&name.as_str()) || RESERVED_MODULES.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The Rust field identifier for a fieldname.
///
/// Frappe accepts any fieldname of Unicode word characters (`frappe/database/schema.py`
/// `validate_column_name` rejects `\W`): leading digits, leading or trailing underscores and
/// runs of underscores (`foo__bar`) included. The result always passes rustc's
/// `non_snake_case` lint ([`is_snake_case`]): ASCII only, lowercase, no `__` between words.
pub fn field_ident(fieldname: &str) -> Ident {
    let mut name = if is_plain_field(fieldname) {
        fieldname.to_owned()
    } else {
        let mut s = String::new();
        for c in fieldname.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                s.push(c.to_ascii_lowercase());
            } else if c.is_ascii() {
                s.push('_');
            } else {
                s.push_str(&format!("u{:x}", c as u32));
            }
        }
        let mut s = collapse_inner_underscores(&s);
        if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
            s.insert(0, '_');
        }
        s
    };
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
        return Ident::plain(name);
    }
    let raw = KEYWORDS.contains(&name.as_str());
    Ident { name, raw }
}

/// A fieldname usable as a field identifier as is: lowercase ASCII, digits and `_`, not
/// starting with a digit, and snake_case by rustc's rule.
fn is_plain_field(fieldname: &str) -> bool {
    !fieldname.is_empty()
        && fieldname
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !fieldname.starts_with(|c: char| c.is_ascii_digit())
        && is_snake_case(fieldname)
}

/// rustc's `non_snake_case` rule (`rustc_lint::nonstandard_style`): leading and trailing `_`
/// are ignored; the rest has no uppercase character and no `__`.
pub fn is_snake_case(ident: &str) -> bool {
    let inner = ident.trim_matches('_');
    !inner.contains("__") && !inner.chars().any(char::is_uppercase)
}

/// `foo__bar` -> `foo_bar`; leading and trailing runs (`__init__`) are kept, rustc allows them.
fn collapse_inner_underscores(s: &str) -> String {
    let inner = s.trim_matches('_');
    if inner.is_empty() {
        return s.to_owned();
    }
    let start = s.len() - s.trim_start_matches('_').len();
    let end = s.trim_end_matches('_').len();
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..start]);
    for c in inner.chars() {
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out.push_str(&s[end..]);
    out
}

/// Makes `candidate` unique among `taken` by appending `2`, `3`, ... and records it as taken.
///
/// snake_case names get `_2` (`qty_2`; `self_` -> `self_2`). PascalCase names must
/// not contain `_` next to a letter or digit (rustc's `non_camel_case_types`), so a trailing
/// `_` is dropped (`Self_` -> `Self2`) and a trailing digit is followed by `Alt` (`A1` ->
/// `A1Alt2`).
pub fn unique(candidate: &str, taken: &mut BTreeSet<String>, snake: bool) -> String {
    if taken.insert(candidate.to_owned()) {
        return candidate.to_owned();
    }
    let (base, sep) = if snake {
        let sep = if candidate.ends_with('_') { "" } else { "_" };
        (candidate, sep)
    } else {
        let base = match candidate.trim_end_matches('_') {
            "" => candidate,
            b => b,
        };
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "Alt"
        } else {
            ""
        };
        (base, sep)
    };
    (2..)
        .map(|n| format!("{base}{sep}{n}"))
        .find(|c| taken.insert(c.clone()))
        .unwrap_or_default()
}

/// Variant names for a Select's options (in order), plus the name of the catch-all variant.
///
/// `""` becomes `Empty`; options that leave nothing after conversion (`"-"`, `"%"`) become
/// `Value<n>` (1-based option position); duplicates after conversion get numbered. The
/// catch-all is `Other`, or the first of `Unknown`, `OtherValue`, ... that is free.
pub fn variant_names(options: &[&str]) -> (Vec<String>, String) {
    let mut taken = BTreeSet::new();
    let mut names = Vec::with_capacity(options.len());
    for (i, option) in options.iter().enumerate() {
        let base = if option.is_empty() {
            "Empty".to_owned()
        } else {
            match pascal(option).as_str() {
                "" => format!("Value{}", i + 1),
                "Self" => "Self_".to_owned(),
                p => p.to_owned(),
            }
        };
        names.push(unique(&base, &mut taken, false));
    }
    let other = ["Other", "Unknown", "OtherValue"]
        .into_iter()
        .find(|n| !taken.contains(*n))
        .map(str::to_owned)
        .unwrap_or_else(|| unique("OtherValue", &mut taken, false));
    (names, other)
}

/// Doc comment lines for free text (labels, descriptions): Markdown-escaped so rustdoc shows the
/// text as written (no links, HTML, code blocks or doctests), one entry per non-empty line.
/// Characters rustc refuses in a doc comment are made visible (`<U+202E>`, see
/// `visible_controls`).
pub fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(escape_markdown)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Free text in a code span (`` `Sales Invoice` ``): backticks and line breaks removed (they
/// would end the span or the comment line), unsafe characters made visible as in [`doc_lines`].
pub fn code_span(text: &str) -> String {
    format!(
        "`{}`",
        visible_controls(&text.replace(['`', '\n', '\r'], ""))
    )
}

/// rustc rejects a bare CR and the Unicode text-direction controls (U+202A..U+202E,
/// U+2066..U+2069) in doc comments, and other control characters would read as nothing; tabs
/// and CRs become spaces, the others are shown as `<U+XXXX>` so nothing disappears silently.
fn visible_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' | '\r' => out.push(' '),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn escape_markdown(line: &str) -> String {
    let line = visible_controls(line);
    let line = line.trim();
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '{' | '}' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A line starting with a list or heading marker would change meaning; a URL would be
    // linted as a bare URL. Escaping the marker / the colon avoids both.
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out.replace("://", "\\://")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identifier as it appears in source (`r#type`, `name`).
    fn source(ident: &Ident) -> String {
        if ident.raw {
            format!("r#{}", ident.name)
        } else {
            ident.name.clone()
        }
    }

    #[test]
    fn doctype_names() {
        assert_eq!(type_name("Sales Invoice Item"), "SalesInvoiceItem");
        assert_eq!(type_name("ToDo"), "ToDo");
        assert_eq!(type_name("API Test Order"), "ApiTestOrder");
        assert_eq!(type_name("UOM Conversion Detail"), "UomConversionDetail");
        assert_eq!(type_name("Web Form List Column"), "WebFormListColumn");
        assert_eq!(type_name("2FA Settings"), "N2faSettings");
        assert_eq!(type_name("Café"), "CafUe9");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("Option"), "Option_");
        assert_eq!(type_name("string"), "String_");
        assert_eq!(type_name("Vec"), "Vec_");
        assert_eq!(type_name(""), "Unnamed");
    }

    #[test]
    fn module_names() {
        assert_eq!(module_name("Accounts"), "accounts");
        assert_eq!(module_name("Buying Settings"), "buying_settings");
        assert_eq!(module_name("Core"), "core_");
        assert_eq!(module_name("Move"), "move_");
        // A bindings crate's own file and features.
        assert_eq!(module_name("Lib"), "lib_");
        assert_eq!(module_name("Full"), "full_");
        assert_eq!(module_name("Default"), "default_");
        assert_eq!(module_name(""), "unknown_module");
    }

    #[test]
    fn field_identifiers() {
        let f = |s: &str| source(&field_ident(s));
        assert_eq!(f("customer_name"), "customer_name");
        assert_eq!(f("type"), "r#type");
        assert_eq!(f("match"), "r#match");
        assert_eq!(f("gen"), "r#gen");
        assert_eq!(f("self"), "self_");
        assert_eq!(f("Self"), "self_");
        assert_eq!(f("super"), "super_");
        assert_eq!(f("crate"), "crate_");
        assert_eq!(f("_"), "__");
        assert_eq!(f("1st_choice"), "_1st_choice");
        assert_eq!(f("Custom Field"), "custom_field");
        assert_eq!(f("größe"), "gruf6udfe");
        assert_eq!(f("_user_tags"), "_user_tags");
        assert_eq!(f(""), "__");
        // Runs of underscores inside the name trip rustc's non_snake_case lint.
        assert_eq!(f("foo__bar"), "foo_bar");
        assert_eq!(f("a___b__c"), "a_b_c");
        assert_eq!(f("__init__"), "__init__");
        assert_eq!(f("_x__y_"), "_x_y_");
        assert_eq!(f("Foo__Bar"), "foo_bar");
        assert_eq!(f("9__lives"), "_9_lives");
        assert_eq!(f("a_-b"), "a_b");
        assert_eq!(f("__"), "__");
    }

    #[test]
    fn every_fieldname_frappe_accepts_is_a_snake_case_identifier() {
        // Frappe accepts Unicode word characters (`\w`): letters of any script and case,
        // digits of any script, `_` anywhere. Hand-picked shapes plus every 1-3 character
        // combination of a small alphabet covering them.
        let alphabet = [
            'a', 'Z', '7', '_', '\u{e9}', '\u{663}', '\u{130}', '\u{3a3}',
        ];
        let mut names: Vec<String> = [
            "foo__bar",
            "_foo",
            "__foo",
            "foo_",
            "foo__",
            "__init__",
            "_",
            "__",
            "1st",
            "1__st",
            "Self",
            "CamelCase",
            "ALLCAPS",
            "x_Y__z",
            "grö\u{df}e",
            "\u{130}stanbul",
        ]
        .map(str::to_owned)
        .to_vec();
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    names.extend([a.to_string(), format!("{a}{b}"), format!("{a}{b}{c}")]);
                }
            }
        }
        for name in &names {
            let ident = field_ident(name);
            assert!(is_snake_case(&ident.name), "{name:?} -> {ident:?}");
            assert!(
                ident
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{name:?} -> {ident:?}"
            );
            assert!(
                !ident.name.starts_with(|c: char| c.is_ascii_digit()),
                "{name:?}"
            );
            assert!(
                syn::parse_str::<syn::Ident>(&source(&ident)).is_ok(),
                "{name:?} -> {ident:?}"
            );
        }
    }

    #[test]
    fn snake_case_rule_matches_rustc() {
        for ok in [
            "foo", "_foo", "__foo__", "foo_bar", "a1", "_", "__", "_1st", "foo_2",
        ] {
            assert!(is_snake_case(ok), "{ok}");
        }
        for bad in ["foo__bar", "Foo", "fooBar", "_a__b_"] {
            assert!(!is_snake_case(bad), "{bad}");
        }
    }

    #[test]
    fn unique_names_stay_snake_case() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique("self_", &mut taken, true), "self_");
        assert_eq!(unique("self_", &mut taken, true), "self_2");
        assert_eq!(unique("qty", &mut taken, true), "qty");
        assert_eq!(unique("qty", &mut taken, true), "qty_2");
        assert_eq!(unique("A1", &mut taken, false), "A1");
        assert_eq!(unique("A1", &mut taken, false), "A1Alt2");
        assert_eq!(unique("Self_", &mut taken, false), "Self_");
        assert_eq!(unique("Self_", &mut taken, false), "Self2");
        assert_eq!(unique("Open", &mut taken, false), "Open");
        assert_eq!(unique("Open", &mut taken, false), "Open2");
    }

    #[test]
    fn select_variants_are_collision_free() {
        let (names, other) =
            variant_names(&["", "Open", "open", "OPEN", "30 Days", "-", "Self", "Other"]);
        assert_eq!(
            names,
            [
                "Empty", "Open", "Open2", "Open3", "N30Days", "Value6", "Self_", "Other"
            ]
        );
        assert_eq!(other, "Unknown");
        let (_, other) = variant_names(&["Other", "Unknown"]);
        assert_eq!(other, "OtherValue");
        let (_, other) = variant_names(&["Other", "Unknown", "Other Value"]);
        assert_eq!(other, "OtherValue2");
        let (names, _) = variant_names(&["Proprietorship / Partnership", "A-1", "A 1"]);
        assert_eq!(names, ["ProprietorshipPartnership", "A1", "A1Alt2"]);
        // Options that differ only in case or punctuation, and "1.5" vs "15".
        let (names, other) =
            variant_names(&["a.b", "ab", "AB", "A-B", "1.5", "15", "other", "Other"]);
        assert_eq!(
            names,
            [
                "AB", "Ab", "Ab2", "AB2", "N15", "N15Alt2", "Other", "Other2"
            ]
        );
        assert_eq!(other, "Unknown");
    }

    #[test]
    fn docs_are_escaped() {
        assert_eq!(
            doc_lines(
                "  Use [brackets] and <b>html</b>\n\n    indented code\n- item\nhttp://x\n1. one\n19th"
            ),
            [
                "Use \\[brackets\\] and \\<b\\>html\\</b\\>",
                "indented code",
                "\\- item",
                "http\\://x",
                "1\\. one",
                "19th"
            ]
        );
        assert_eq!(doc_lines("```rust\npanic!()\n```")[0], "\\`\\`\\`rust");
    }

    #[test]
    fn docs_never_carry_characters_rustc_refuses() {
        // A bare CR and text-direction controls are errors in a doc comment; control
        // characters are shown, not dropped.
        assert_eq!(
            doc_lines("carriage\rreturn\ttab\n\u{202E}evil\u{2066} \u{7}\r\n\u{645}\u{631}"),
            [
                "carriage return tab",
                "\\<U+202E\\>evil\\<U+2066\\> \\<U+0007\\>",
                "\u{645}\u{631}"
            ]
        );
        assert_eq!(doc_lines(" \r \t "), Vec::<String>::new());
        assert_eq!(
            code_span("Sales `Invoice`\n\u{202E}"),
            "`Sales Invoice<U+202E>`"
        );
    }
}
