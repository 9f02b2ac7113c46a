//! Python annotations -> Rust types for whitelisted functions' arguments and results: the one
//! table. The annotation is read from its source text (snapshots keep the text, so this works
//! without the Python parser): names, dotted names, subscripts (`list[str]`, `Optional[int]`),
//! `|` unions, string forward references and `None`. A class named like a generated DocType
//! struct (`File`, `"Comment"`, ERPNext's `SalesOrder`) is that struct. What it does not
//! understand becomes `serde_json::Value` with a note, never a failure.

use crate::ir::TypeRef;

const VALUE: &str = "frappe_runtime::serde_json::Value";
const MAP: &str = "frappe_runtime::serde_json::Map";

/// A Rust type for an annotation, and a note when the annotation was not understood (the type
/// is then `Value`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Mapped {
    pub(super) ty: TypeRef,
    pub(super) nullable: bool,
    pub(super) note: Option<String>,
}

/// A DocType struct a class name stands for, as a path from where the call is generated.
pub(super) type Documents<'a> = &'a dyn Fn(&str) -> Option<TypeRef>;

/// The type for an annotation's text.
pub(super) fn map_hint(hint: &str, documents: Documents<'_>) -> Mapped {
    match parse(hint) {
        Some(expr) => {
            let mut notes = Vec::new();
            let (ty, nullable) = rust_type(&expr, documents, &mut notes);
            Mapped {
                ty,
                nullable,
                note: notes.into_iter().next(),
            }
        }
        None => value(format!("annotation `{hint}` not understood")),
    }
}

/// The type of an unannotated parameter, from its default: `False` -> `bool`, `0` -> `i64`,
/// `0.5` -> `f64`, `"x"` -> `String`; anything else (`None`, no default) a JSON value.
pub(super) fn from_default(default: Option<&str>) -> Mapped {
    let ty = match default {
        Some("True" | "False") => Some("bool"),
        Some(d) if d.parse::<i64>().is_ok() => Some("i64"),
        Some(d) if d.parse::<f64>().is_ok() => Some("f64"),
        Some(d) if is_string_literal(d) => Some("String"),
        _ => None,
    };
    match ty {
        Some(t) => Mapped {
            ty: TypeRef::path(t),
            nullable: false,
            note: None,
        },
        None => Mapped {
            ty: TypeRef::path(VALUE),
            nullable: false,
            note: None,
        },
    }
}

fn value(note: String) -> Mapped {
    Mapped {
        ty: TypeRef::path(VALUE),
        nullable: false,
        note: Some(note),
    }
}

fn is_string_literal(s: &str) -> bool {
    s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')))
}

/// An annotation: `name[args]` (`args` empty without brackets), or a union.
#[derive(Debug, Clone, PartialEq)]
enum Hint {
    Name(String, Vec<Hint>),
    Union(Vec<Hint>),
}

/// (type, whether `None` is one of the union's members)
fn rust_type(hint: &Hint, documents: Documents<'_>, notes: &mut Vec<String>) -> (TypeRef, bool) {
    match hint {
        Hint::Union(members) => {
            let nullable = members.iter().any(is_none);
            let rest: Vec<&Hint> = members.iter().filter(|m| !is_none(m)).collect();
            match rest.as_slice() {
                [one] => (rust_type(one, documents, notes).0, nullable),
                _ => {
                    notes.push("a union of several types: a JSON value".into());
                    (TypeRef::path(VALUE), nullable)
                }
            }
        }
        Hint::Name(name, args) => {
            let last = name.rsplit('.').next().unwrap_or(name);
            let first = |notes: &mut Vec<String>| match args.first() {
                Some(a) => rust_type(a, documents, notes).0,
                None => TypeRef::path(VALUE),
            };
            let ty = match last {
                "str" => TypeRef::path("String"),
                "int" => TypeRef::path("i64"),
                "float" => TypeRef::path("f64"),
                "bool" => TypeRef::path("bool"),
                "Optional" => return (first(notes), true),
                "Union" => return rust_type(&Hint::Union(args.clone()), documents, notes),
                "list" | "List" | "tuple" | "Tuple" | "set" | "Set" | "Sequence" | "Iterable" => {
                    // `tuple[int, str]` has members of several types.
                    if matches!(last, "tuple" | "Tuple") && args.len() > 1 {
                        TypeRef::generic("Vec", vec![TypeRef::path(VALUE)])
                    } else {
                        TypeRef::generic("Vec", vec![first(notes)])
                    }
                }
                "dict" | "Dict" | "Mapping" | "_dict" => {
                    TypeRef::generic(MAP, vec![TypeRef::path("String"), TypeRef::path(VALUE)])
                }
                "Document" | "BaseDocument" => {
                    notes.push("a document: its JSON object".into());
                    TypeRef::generic(MAP, vec![TypeRef::path("String"), TypeRef::path(VALUE)])
                }
                "Any" | "object" | "JSONDict" => TypeRef::path(VALUE),
                "None" => TypeRef::path("()"),
                _ => match documents(last) {
                    Some(ty) if args.is_empty() => ty,
                    _ => {
                        notes.push(format!("annotation `{name}` not understood: a JSON value"));
                        TypeRef::path(VALUE)
                    }
                },
            };
            (ty, false)
        }
    }
}

fn is_none(h: &Hint) -> bool {
    matches!(h, Hint::Name(n, a) if n == "None" && a.is_empty())
}

/// Parses an annotation's text; `None` when it is not of the shapes above.
fn parse(text: &str) -> Option<Hint> {
    let tokens = tokenize(text)?;
    let mut p = Parser { tokens, pos: 0 };
    let hint = p.union()?;
    (p.pos == p.tokens.len()).then_some(hint)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Open,
    Close,
    Comma,
    Bar,
}

fn tokenize(text: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '[' => out.push(Tok::Open),
            ']' => out.push(Tok::Close),
            ',' => out.push(Tok::Comma),
            '|' => out.push(Tok::Bar),
            // A forward reference, `"Document"`: its text is an annotation too.
            '"' | '\'' => {
                let end = text[i + 1..].find(c)? + i + 1;
                out.extend(tokenize(&text[i + 1..end])?);
                while chars.peek().is_some_and(|(j, _)| *j <= end) {
                    chars.next();
                }
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut name = String::from(c);
                while let Some(&(_, n)) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || n == '.' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Name(name));
            }
            _ => return None,
        }
    }
    Some(out)
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn union(&mut self) -> Option<Hint> {
        let mut members = vec![self.atom()?];
        while self.tokens.get(self.pos) == Some(&Tok::Bar) {
            self.pos += 1;
            members.push(self.atom()?);
        }
        Some(if members.len() == 1 {
            members.pop()?
        } else {
            Hint::Union(members)
        })
    }

    fn atom(&mut self) -> Option<Hint> {
        let Some(Tok::Name(name)) = self.tokens.get(self.pos).cloned() else {
            return None;
        };
        self.pos += 1;
        let mut args = Vec::new();
        if self.tokens.get(self.pos) == Some(&Tok::Open) {
            self.pos += 1;
            loop {
                args.push(self.union()?);
                match self.tokens.get(self.pos) {
                    Some(Tok::Comma) => self.pos += 1,
                    Some(Tok::Close) => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        Some(Hint::Name(name, args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(t: &TypeRef) -> String {
        let path = t
            .segments
            .join("::")
            .replace("frappe_runtime::serde_json::", "");
        if t.args.is_empty() {
            path
        } else {
            let args: Vec<String> = t.args.iter().map(render).collect();
            format!("{path}<{}>", args.join(", "))
        }
    }

    #[test]
    fn the_hint_table() {
        for (hint, rust, nullable) in [
            ("str", "String", false),
            ("int", "i64", false),
            ("float", "f64", false),
            ("bool", "bool", false),
            ("str | None", "String", true),
            ("None | int", "i64", true),
            ("Optional[str]", "String", true),
            ("typing.Optional[int]", "i64", true),
            ("Union[str, None]", "String", true),
            ("list", "Vec<Value>", false),
            ("list[str]", "Vec<String>", false),
            ("List[dict]", "Vec<Map<String, Value>>", false),
            ("list[str] | None", "Vec<String>", true),
            ("dict", "Map<String, Value>", false),
            ("dict[str, int]", "Map<String, Value>", false),
            ("frappe._dict", "Map<String, Value>", false),
            ("Any", "Value", false),
            ("\"Document\"", "Map<String, Value>", false),
            ("tuple[int, str]", "Vec<Value>", false),
            ("None", "()", false),
        ] {
            let m = map_hint(hint, &no_documents);
            assert_eq!(
                (render(&m.ty).as_str(), m.nullable),
                (rust, nullable),
                "{hint}"
            );
        }
    }

    #[test]
    fn what_is_not_understood_is_a_json_value_with_a_note() {
        for hint in [
            "str | int",
            "Literal[\"a\", \"b\"]",
            "Callable[[int], str]",
            "x(",
            "SomeClass",
        ] {
            let m = map_hint(hint, &no_documents);
            assert_eq!(render(&m.ty), "Value", "{hint}");
            assert!(m.note.is_some(), "{hint}");
        }
    }

    fn no_documents(_: &str) -> Option<TypeRef> {
        None
    }

    #[test]
    fn a_class_named_like_a_doctype_struct_is_that_struct() {
        let documents = |class: &str| {
            (class == "SalesOrder").then(|| TypeRef::path("super::super::selling::SalesOrder"))
        };
        for (hint, rust) in [
            ("SalesOrder", "super::super::selling::SalesOrder"),
            ("\"SalesOrder\" | None", "super::super::selling::SalesOrder"),
            ("list[SalesOrder]", "Vec<super::super::selling::SalesOrder>"),
            ("SalesInvoice", "Value"),
        ] {
            assert_eq!(render(&map_hint(hint, &documents).ty), rust, "{hint}");
        }
    }

    #[test]
    fn unannotated_parameters_take_their_defaults_type() {
        for (default, rust) in [
            (Some("False"), "bool"),
            (Some("20"), "i64"),
            (Some("0.5"), "f64"),
            (Some("\"asc\""), "String"),
            (Some("None"), "Value"),
            (Some("[]"), "Value"),
            (None, "Value"),
        ] {
            assert_eq!(render(&from_default(default).ty), rust, "{default:?}");
        }
    }
}
