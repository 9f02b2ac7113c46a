//! The intermediate representation: generated code in Rust's words, every decision made.
//!
//! [`crate::lower`] builds it from [`crate::meta`]; [`crate::emit`] turns it
//! into tokens without deciding anything. Names here are final identifiers, paths are final
//! paths, attributes are final attributes.

use std::collections::BTreeSet;

/// All generated code: modules sorted by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bindings {
    /// One entry per Frappe module.
    pub modules: Vec<Module>,
    /// Typed calls of whitelisted functions, one entry per Python module (empty unless
    /// methods were given).
    pub methods: Vec<MethodModule>,
}

/// The module holding the typed calls: `methods`, unless a Frappe module took that name.
pub fn methods_ident(bindings: &Bindings) -> &'static str {
    if bindings.modules.iter().any(|m| m.ident == "methods") {
        "whitelisted_methods"
    } else {
        "methods"
    }
}

impl Bindings {
    /// Every struct, with the module it is in, in output order.
    pub fn structs(&self) -> impl Iterator<Item = (&Module, &Struct)> {
        self.modules.iter().flat_map(|m| {
            m.items().filter_map(move |i| match i {
                Item::Struct(s) => Some((m, s)),
                Item::Enum(_) | Item::Workflow(_) => None,
            })
        })
    }
}

/// One Rust module: the DocTypes of one Frappe module.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// The Rust module name, e.g. `accounts`; in a bindings crate also its Cargo feature.
    pub ident: String,
    /// The Frappe module's folder in its app (`frappe.scrub` of its name), e.g.
    /// `erpnext_integrations` for the module `erp_next_integrations`.
    pub folder: String,
    /// Doc comment lines of the `mod` item.
    pub docs: Vec<String>,
    /// `use` lines, e.g. `frappe_runtime::Link`, sorted.
    pub imports: Vec<String>,
    /// One entry per DocType, sorted by DocType.
    pub doctypes: Vec<DocTypeCode>,
    /// This module's types that code compiled without this module's own feature names through
    /// links (from other modules, or from its DocTypes shared with them): in a bindings crate
    /// each is an uninhabited stand-in whenever its real type is not compiled.
    pub stubs: BTreeSet<String>,
}

impl Module {
    /// Every item, in output order.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.doctypes.iter().flat_map(|d| &d.items)
    }

    /// The Cargo features that compile at least part of this module: its own, and those of the
    /// modules holding one of its DocTypes as a Table child.
    pub fn features(&self) -> BTreeSet<&str> {
        let shared = self.doctypes.iter().flat_map(|d| &d.shared_with);
        std::iter::once(&self.ident)
            .chain(shared)
            .map(String::as_str)
            .collect()
    }

    /// The features that compile the type `ident` of this module: its own, plus the features
    /// its DocType is shared with (none for a type this module does not define).
    pub fn compiled_with(&self, ident: &str) -> BTreeSet<&str> {
        let shared = self
            .doctypes
            .iter()
            .filter(|d| d.struct_ident() == Some(ident))
            .flat_map(|d| &d.shared_with);
        std::iter::once(&self.ident)
            .chain(shared)
            .map(String::as_str)
            .collect()
    }
}

/// The code of one DocType: its struct, then the enums of its Select fields and its Workflow's
/// enums and impl.
#[derive(Debug, Clone, PartialEq)]
pub struct DocTypeCode {
    /// The items, the struct first.
    pub items: Vec<Item>,
    /// The other modules whose DocTypes hold this one as a Table child (usually none). In a
    /// bindings crate their features compile this DocType too, so that a module's feature never
    /// needs another module's.
    pub shared_with: BTreeSet<String>,
}

impl DocTypeCode {
    /// The identifier of the DocType's struct.
    pub fn struct_ident(&self) -> Option<&str> {
        self.items.iter().find_map(|i| match i {
            Item::Struct(s) => Some(s.ident.as_str()),
            Item::Enum(_) | Item::Workflow(_) => None,
        })
    }
}

/// A generated item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A DocType struct.
    Struct(Struct),
    /// A Select enum, or the states or actions of a Workflow.
    Enum(Enum),
    /// A DocType's Workflow: its `HasWorkflow` impl and transitions table.
    Workflow(WorkflowImpl),
}

/// `impl HasWorkflow for <doctype struct>`: the Workflow's enums and transitions.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowImpl {
    /// Doc comment lines of the impl.
    pub docs: Vec<String>,
    /// The trait's path.
    pub trait_path: TypeRef,
    /// The transition type's path.
    pub rule_path: TypeRef,
    /// The DocType's struct.
    pub target: String,
    /// The enum of states.
    pub state_enum: String,
    /// The enum of actions.
    pub action_enum: String,
    /// The Workflow's name.
    pub workflow: String,
    /// The field holding the state.
    pub state_field: String,
    /// The transitions, in the Workflow's order.
    pub transitions: Vec<TransitionRow>,
}

/// One row of a [`WorkflowImpl`]'s table: variants of its enums and texts.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionRow {
    /// Variant of the state enum left.
    pub state: String,
    /// Variant of the action enum.
    pub action: String,
    /// Variant of the state enum entered.
    pub next_state: String,
    /// The role allowed.
    pub allowed: String,
    /// Whether the owner may take it.
    pub allow_self_approval: bool,
    /// The condition's text, if any.
    pub condition: Option<String>,
}

/// A struct mirroring one DocType.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Type name.
    pub ident: String,
    /// Doc comment lines.
    pub docs: Vec<String>,
    /// Paths of the derives, in order.
    pub derives: Vec<TypeRef>,
    /// The contents of `#[frappe(...)]`: the DocType and its flags.
    pub frappe: FrappeAttr,
    /// Fields in output order.
    pub fields: Vec<Field>,
}

/// `#[frappe(doctype = "...", child, single, submittable, serde)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FrappeAttr {
    /// The DocType name.
    pub doctype: String,
    /// Child table.
    pub child: bool,
    /// Single.
    pub single: bool,
    /// Submittable.
    pub submittable: bool,
    /// `serde`: the derive writes `Serialize` and `Deserialize` (lighter to compile than
    /// serde's derives; see frappe-runtime's `wire::derived`).
    pub serde: bool,
}

/// One struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The identifier.
    pub ident: Ident,
    /// Doc comment lines.
    pub docs: Vec<String>,
    /// The Rust type (paths resolved).
    pub ty: TypeRef,
    /// `#[serde(...)]` arguments, in order.
    pub serde: Vec<SerdeArg>,
    /// `#[frappe(skip)]`: not a DocType field (the catch-all map).
    pub frappe_skip: bool,
    /// `#[frappe(is_virtual)]`: a field without a database column.
    pub frappe_virtual: bool,
    /// `#[frappe(mandatory, max_length = .., ..)]`: what the client checks before sending.
    pub checks: Vec<Check>,
}

/// One check of a field, a key of its `#[frappe(...)]` rule attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `mandatory`
    Mandatory,
    /// `max_length = N`
    MaxLength(u32),
    /// `max_abs = N`
    MaxAbs(u64),
    /// `non_negative`
    NonNegative,
    /// `options = "A\nB"`
    Options(String),
    /// `rows`
    Rows,
}

/// An enum for a Select field.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Type name.
    pub ident: String,
    /// Doc comment lines.
    pub docs: Vec<String>,
    /// Paths of the derives.
    pub derives: Vec<TypeRef>,
    /// The variants for the options, in Frappe's order.
    pub variants: Vec<Variant>,
    /// The catch-all variant (`Other(String)`).
    pub other: String,
    /// `#[frappe(serde)]`: the `Choice` derive writes `Serialize` and `Deserialize`.
    pub serde: bool,
}

/// A unit variant standing for one option.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The identifier.
    pub ident: String,
    /// The exact wire string.
    pub wire: String,
    /// Doc comment lines.
    pub docs: Vec<String>,
}

/// A type or path: `Option<Link<super::selling::Customer>>` is `Option` with one argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRef {
    /// Path segments, e.g. `["super", "selling", "Customer"]`; each a valid identifier.
    pub segments: Vec<String>,
    /// Generic arguments.
    pub args: Vec<TypeRef>,
}

impl TypeRef {
    /// A path without generic arguments; `path` is `::`-separated.
    pub fn path(path: &str) -> Self {
        Self {
            segments: path.split("::").map(str::to_owned).collect(),
            args: Vec::new(),
        }
    }

    /// A path with generic arguments.
    pub fn generic(path: &str, args: Vec<TypeRef>) -> Self {
        Self {
            args,
            ..Self::path(path)
        }
    }
}

/// One argument of a field's `#[serde(...)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerdeArg {
    /// `rename = "wire"`.
    Rename(String),
    /// `default`.
    Default,
    /// `with = "path"`.
    With(&'static str),
    /// `skip_serializing_if = "path"`.
    SkipIf(&'static str),
    /// `flatten`.
    Flatten,
}

/// A Rust identifier as generated: `raw` means it is written `r#name`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident {
    /// The identifier without `r#`.
    pub name: String,
    /// Whether it must be written as a raw identifier.
    pub raw: bool,
}

impl Ident {
    /// A plain (non-raw) identifier.
    pub fn plain(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            raw: false,
        }
    }
}

/// The typed calls of one Python module's whitelisted functions: `methods::<path>`.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodModule {
    /// Module identifiers below `methods`, one per segment of the Python module's path.
    pub path: Vec<String>,
    /// The Python module, e.g. `frappe.desk.reportview`.
    pub python: String,
    /// In a bindings crate, the features it needs, each a set of which any one will do: the
    /// Frappe module whose folder holds the file (when the bindings have it), and the modules of
    /// DocType structs its annotations name.
    pub cfg: Vec<BTreeSet<String>>,
    /// One struct per function.
    pub calls: Vec<Call>,
}

/// A whitelisted function's arguments as a struct, with its `Method` or `DocMethod` impl.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The struct's identifier.
    pub ident: String,
    /// Doc comment lines.
    pub docs: Vec<String>,
    /// What is called.
    pub target: CallTarget,
    /// The arguments, in the function's order.
    pub args: Vec<CallArg>,
    /// `**kwargs`: the type of the map of further keyword arguments.
    pub extra: Option<TypeRef>,
    /// That map's field (`extra`, unless a parameter has the name).
    pub extra_ident: String,
    /// The result type.
    pub output: TypeRef,
    /// The runtime's trait paths, `Method` / `DocMethod` and `Args`.
    pub trait_path: TypeRef,
    /// `frappe_runtime::Args`.
    pub args_path: TypeRef,
}

/// The function a [`Call`] calls.
#[derive(Debug, Clone, PartialEq)]
pub enum CallTarget {
    /// A module-level function at its dotted path, with the HTTP methods it accepts.
    Function {
        /// `frappe.client.get_count`.
        path: String,
        /// `GET`, `POST`, ...
        http_methods: Vec<String>,
    },
    /// A DocType controller's method.
    Document {
        /// The DocType.
        doctype: String,
        /// The method's name.
        method: String,
    },
}

/// One argument of a [`Call`].
#[derive(Debug, Clone, PartialEq)]
pub struct CallArg {
    /// The field's identifier.
    pub ident: Ident,
    /// The keyword on the wire (the Python parameter's name).
    pub wire: String,
    /// Doc comment lines.
    pub docs: Vec<String>,
    /// The value's type (without the `Option` of an optional argument).
    pub ty: TypeRef,
    /// Optional (the parameter has a default): the field is `Option<ty>`, `None` not sent.
    pub optional: bool,
    /// Annotated as a list, dict or document: Frappe's type check takes it from a JSON body
    /// only, so it is written with `Args::structured`.
    pub structured: bool,
}
