//! Unit tests of the expansion: insta snapshots of the generated code (prettyplease output) and
//! the messages of rejected inputs. trybuild (`tests/ui`) proves the same against rustc.

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::expand;

fn pretty(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("the expansion is a valid file");
    prettyplease::unparse(&file)
}

fn input(tokens: TokenStream) -> DeriveInput {
    syn::parse2(tokens).expect("test input parses")
}

/// The messages of the `compile_error!`s in an expansion, in order.
fn errors(tokens: TokenStream) -> Vec<String> {
    let file: syn::File = syn::parse2(tokens).expect("the expansion is a valid file");
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.segments.last()?.ident == "compile_error" => {
                let lit: syn::LitStr = m.mac.parse_body().ok()?;
                Some(lit.value())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn document_expansion() {
    let tokens = expand::document(&input(quote::quote! {
        #[derive(Debug, Serialize, Deserialize, Document)]
        #[frappe(doctype = "Sales Invoice", submittable)]
        #[serde(deny_unknown_fields)]
        pub struct SalesInvoice {
            pub name: String,
            /// Customer
            pub customer: Link<Customer>,
            #[serde(rename = "posting_date")]
            pub date: NaiveDate,
            pub r#type: Option<String>,
            #[serde(default)]
            pub items: Vec<SalesInvoiceItem>,
            #[frappe(skip)]
            pub local_note: String,
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    }));
    assert!(errors(tokens.clone()).is_empty());
    insta::assert_snapshot!(pretty(tokens));
}

#[test]
fn rule_attributes_become_the_rules_table() {
    let tokens = expand::document(&input(quote::quote! {
        #[frappe(doctype = "API Test Order")]
        pub struct Order {
            #[frappe(mandatory, max_length = 140)]
            pub customer_name: String,
            #[frappe(max_length = 140, options = "\nDraft\nOpen")]
            pub status: Option<OrderStatus>,
            #[frappe(max_abs = 2147483647, non_negative)]
            pub qty: i64,
            #[frappe(mandatory, rows)]
            pub items: Vec<OrderItem>,
            pub notes: Option<String>,
        }
    }));
    assert!(errors(tokens.clone()).is_empty());
    insta::assert_snapshot!(pretty(tokens));
}

#[test]
fn malformed_rule_attributes_are_reported() {
    let tokens = expand::document(&input(quote::quote! {
        #[frappe(doctype = "ToDo")]
        pub struct ToDo {
            #[frappe(max_length = "140")]
            #[frappe(mandatory = 1)]
            pub description: String,
            #[frappe(max_abs = -1)]
            #[frappe(options = 3)]
            #[frappe(mandatory, mandatory)]
            pub count: i64,
        }
    }));
    assert_eq!(
        errors(tokens),
        vec![
            "expected an integer literal: `max_length = 140`",
            "`mandatory` is a flag and takes no value",
            "expected an integer literal: `max_abs = 140`",
            "expected a string literal: `options = \"...\"`",
            "duplicate frappe attribute `mandatory`",
        ]
    );
}

#[test]
fn choice_expansion() {
    let tokens = expand::choice(&input(quote::quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Choice)]
        pub enum CustomerType {
            Company,
            Individual,
            #[serde(rename = "Proprietorship / Partnership")]
            ProprietorshipPartnership,
            /// A value that is not among the options this code was generated from.
            #[serde(untagged)]
            Other(String),
        }
    }));
    assert!(errors(tokens.clone()).is_empty());
    insta::assert_snapshot!(pretty(tokens));
}

#[test]
fn wire_names_follow_serde_precedence() {
    let tokens = expand::document(&input(quote::quote! {
        #[frappe(doctype = "ToDo")]
        #[serde(rename_all = "camelCase")]
        struct ToDo {
            reference_type: String,
            #[serde(rename(serialize = "ignored", deserialize = "ref_name"))]
            reference_name: String,
            #[frappe(rename = "allocated_to")]
            #[serde(rename = "allocated_to")]
            owner: String,
            #[serde(skip_deserializing)]
            cached: String,
            r#match: i64,
        }
    }));
    assert!(errors(tokens.clone()).is_empty());
    let code = pretty(tokens);
    for wire in [
        "\"referenceType\"",
        "\"ref_name\"",
        "\"allocated_to\"",
        "\"match\"",
    ] {
        assert!(code.contains(wire), "{wire} missing from\n{code}");
    }
    assert!(!code.contains("cached"), "{code}");
    assert!(!code.contains("\"ignored\""), "{code}");
}

#[test]
fn document_errors_are_collected() {
    let tokens = expand::document(&input(quote::quote! {
        #[frappe(doctype = "", single, child, single)]
        #[frappe(doctyp = "ToDo")]
        struct ToDo {
            #[frappe(renam = "x", skip = true)]
            a: String,
            #[frappe(rename = "a")]
            #[serde(rename = "b")]
            b: String,
            #[frappe(rename = "")]
            c: String,
            #[frappe(rename = c)]
            d: String,
        }
    }));
    assert_eq!(
        errors(tokens),
        [
            "duplicate frappe attribute `single`",
            "unknown frappe attribute `doctyp`; expected `doctype`, `child`, `single`, \
             `submittable`, `serde` or `crate`",
            "unknown frappe attribute `renam`; expected `rename`, `skip`, `is_virtual`, `mandatory`, \
             `max_length`, `max_abs`, `non_negative`, `options` or `rows`",
            "`skip` is a flag and takes no value",
            "expected a string literal: `rename = \"...\"`",
            "the doctype name is empty",
            "a DocType cannot be both `child` (a table) and `single`",
            "`#[frappe(rename = \"a\")]` disagrees with serde's name `b` for this field; lists \
             would request one name and read another",
            "duplicate wire name `a`: field `a` already uses it",
            "empty wire name",
        ]
    );
}

#[test]
fn a_malformed_doctype_is_one_error_not_two() {
    let tokens = expand::document(&input(quote::quote! {
        #[frappe(doctype = Note)]
        struct Note { name: String }
    }));
    assert_eq!(
        errors(tokens),
        ["expected a string literal: `doctype = \"...\"`"]
    );
}

#[test]
fn a_rename_on_a_skipped_field_is_reported() {
    let tokens = expand::document(&input(quote::quote! {
        #[frappe(doctype = "Note")]
        struct Note {
            name: String,
            #[frappe(skip, rename = "title")]
            local: String,
            #[frappe(rename = "rest")]
            #[serde(flatten)]
            rest: serde_json::Map<String, serde_json::Value>,
        }
    }));
    let message = "`#[frappe(rename)]` has no effect here: the field is skipped or flattened, \
                   so it is not a Frappe field";
    assert_eq!(errors(tokens), [message, message]);
}

#[test]
fn wrong_shapes_still_get_a_stand_in_impl() {
    for (tokens, message, stand_in) in [
        (
            quote::quote!(
                struct P(String);
            ),
            "`#[derive(Document)]` needs a struct with named fields: the fields of a tuple \
             struct have no Frappe names",
            "impl ::frappe_runtime::__private::Document for P {",
        ),
        (
            quote::quote!(
                #[frappe(doctype = "X")]
                struct P<T> {
                    t: T,
                }
            ),
            "`#[derive(Document)]` does not support generic parameters: a DocType has one fixed \
             set of field types",
            "impl<T> ::frappe_runtime::__private::Document for P<T> {",
        ),
    ] {
        let out = expand::document(&input(tokens));
        assert_eq!(errors(out.clone()), [message]);
        let code = pretty(out);
        assert!(code.contains(stand_in), "{code}");
    }
}

#[test]
fn choice_errors_are_collected() {
    let tokens = expand::choice(&input(quote::quote! {
        #[frappe(doctype = "X")]
        enum Status {
            Open,
            #[serde(rename = "Open")]
            AlsoOpen,
            #[frappe(other)]
            Unknown,
            Pair(String, String),
            #[serde(untagged)]
            Other(String),
            #[frappe(other)]
            Another(String),
        }
    }));
    assert_eq!(
        errors(tokens),
        [
            "unknown frappe attribute `doctype`; expected `serde` or `crate`",
            "duplicate option `Open`: variant `Open` already uses it",
            "the catch-all variant must hold the unknown value: `Unknown(String)`",
            "`Pair`: a Choice variant is a unit variant (one Select option), or the catch-all \
             `Other(String)` marked `#[serde(untagged)]` or `#[frappe(other)]`",
            "only one catch-all variant is allowed; `Other` is one already",
        ]
    );
}

#[test]
fn frappe_rename_must_agree_with_serde_rename_all_and_variant_renames() {
    let document = expand::document(&input(quote::quote! {
        #[frappe(doctype = "ToDo")]
        #[serde(rename_all = "camelCase")]
        struct ToDo {
            #[frappe(rename = "reference_type")]
            reference_type: String,
            #[frappe(rename = "referenceName")]
            reference_name: String,
        }
    }));
    assert_eq!(
        errors(document),
        [
            "`#[frappe(rename = \"reference_type\")]` disagrees with serde's name `referenceType` \
          for this field; lists would request one name and read another"
        ]
    );
    let choice = expand::choice(&input(quote::quote! {
        #[serde(rename_all = "lowercase")]
        enum Status {
            #[frappe(rename = "Open")]
            #[serde(rename = "open")]
            Open,
            #[frappe(rename = "Closed")]
            Closed,
            #[frappe(rename = "held")]
            Held,
        }
    }));
    assert_eq!(
        errors(choice),
        [
            "`#[frappe(rename = \"Open\")]` disagrees with serde's name `open` for this variant; \
             filters would send one string and documents read another",
            "`#[frappe(rename = \"Closed\")]` disagrees with serde's name `closed` for this \
             variant; filters would send one string and documents read another",
        ]
    );
}

#[test]
fn crate_path_can_be_overridden() {
    let document = expand::document(&input(quote::quote! {
        #[frappe(doctype = "ToDo", crate = "facade::rt")]
        struct ToDo { name: String }
    }));
    let choice = expand::choice(&input(quote::quote! {
        #[frappe(crate = "facade::rt")]
        enum Status { Open }
    }));
    for tokens in [document, choice] {
        assert!(errors(tokens.clone()).is_empty());
        let code = pretty(tokens);
        assert!(code.contains("facade::rt::__private::"), "{code}");
        assert!(!code.contains("::frappe_runtime"), "{code}");
    }
    let bad = expand::document(&input(quote::quote! {
        #[frappe(doctype = "ToDo", crate = "not a path")]
        struct ToDo { name: String }
    }));
    assert_eq!(
        errors(bad),
        ["`not a path` is not a path, e.g. `crate = \"my_facade::frappe_runtime\"`"]
    );
}

#[test]
fn frappe_serde_writes_serde_impls_from_the_serde_attributes() {
    let tokens = expand::document(&input(quote::quote! {
        #[frappe(doctype = "ToDo", serde)]
        struct ToDo {
            #[serde(default, skip_serializing_if = "String::is_empty")]
            name: String,
            #[serde(default, rename = "type", with = "frappe_runtime::wire::check")]
            kind: bool,
            #[frappe(skip)]
            #[serde(flatten)]
            extra: Map<String, Value>,
        }
    }));
    let code = tokens.to_string();
    assert!(errors(tokens).is_empty(), "{code}");
    for part in [
        "impl :: frappe_runtime :: __private :: serde :: Serialize for ToDo",
        "impl < 'de > :: frappe_runtime :: __private :: serde :: Deserialize < 'de > for ToDo",
        "if ! String :: is_empty (& self . name)",
        "Ser :: < frappe_runtime :: wire :: check :: Codec , _ >",
        "\"type\" => :: core :: option :: Option :: Some (1usize)",
        "serialize_flattened (& mut map , & self . extra)",
        "const KEEPS_UNKNOWN : bool = true",
    ] {
        assert!(code.contains(part), "{part} missing from\n{code}");
    }
}

#[test]
fn frappe_serde_refuses_what_it_does_not_implement() {
    let tokens = expand::document(&input(quote::quote! {
        #[frappe(doctype = "ToDo", serde)]
        #[serde(deny_unknown_fields)]
        struct ToDo {
            #[serde(default, deserialize_with = "f")]
            a: String,
            b: String,
        }
    }));
    let unsupported = |key: &str| {
        format!(
            "`#[serde({key})]` is not supported with `#[frappe(serde)]` (it writes serde's impls \
             for `rename`, `rename_all`, `default`, `with`, `skip_serializing_if`, `flatten` and \
             `untagged` only); remove `#[frappe(serde)]` and derive serde's traits instead"
        )
    };
    assert_eq!(
        errors(tokens),
        [
            unsupported("deny_unknown_fields"),
            unsupported("deserialize_with"),
            "`#[frappe(serde)]` reads every field as `#[serde(default)]` (a document may come \
             without any key): add it to `b`"
                .to_owned(),
        ]
    );
}
