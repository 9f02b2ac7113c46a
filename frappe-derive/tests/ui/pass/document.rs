//! Raw identifiers, `Option`, type aliases, newtypes, serde renames and skips, flags: the
//! derive's output compiles without a single warning, docs included.
#![deny(warnings, missing_docs)]

use frappe_runtime::filter::{FieldKind, FilterValue, Filterable, Text};
use frappe_runtime::{Choice, Document, Link, Submittable};
use serde::{Deserialize, Serialize};

/// A type alias works as the aliased type.
pub type Amount = f64;

/// A newtype needs the filter traits to be a field.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(pub String);

impl FieldKind for Email {}
impl Filterable for Email {
    type Value = Email;
}
impl Text for Email {}
impl FilterValue for Email {
    fn to_filter_value(&self) -> serde_json::Value {
        self.0.clone().into()
    }
}

/// A contact.
#[derive(Debug, Serialize, Deserialize, Document)]
#[frappe(doctype = "Contact", submittable)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name
    pub name: String,
    /// A raw identifier: the wire name is `type`.
    pub r#type: Option<String>,
    /// Total
    pub total: Amount,
    /// Email
    pub email: Email,
    /// serde's name is the wire name.
    #[serde(rename = "first_name")]
    pub first: String,
    /// Both names agree.
    #[frappe(rename = "last_name")]
    #[serde(rename = "last_name")]
    pub last: String,
    /// Status
    pub status: Option<Status>,
    /// Company
    pub company: Option<Link<Company>>,
    #[frappe(skip)]
    #[serde(skip)]
    cache: u8,
}

/// A company.
#[derive(Debug, Serialize, Deserialize, Document)]
#[frappe(doctype = "Company")]
pub struct Company {
    /// Name
    pub name: String,
    /// Everything else the site sends.
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

/// Settings.
#[derive(Debug, Document)]
#[frappe(doctype = "System Settings", single)]
pub struct SystemSettings {
    /// Time zone
    pub time_zone: Option<String>,
}

/// Options of `Contact.status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Choice)]
pub enum Status {
    /// Passive
    Passive,
    /// Open
    Open,
    /// Replied
    #[serde(rename = "Replied (Email)")]
    Replied,
    /// Anything else.
    #[serde(untagged)]
    Other(String),
}

fn submittable<D: Submittable>() -> &'static str {
    D::DOCTYPE
}

fn main() {
    let contact = Contact {
        name: "C-1".into(),
        r#type: None,
        total: 1.0,
        email: Email("a@example.com".into()),
        first: "Ada".into(),
        last: "Lovelace".into(),
        status: None,
        company: None,
        cache: 0,
    };
    let _ = (contact.cache, &contact);
    let _ = Contact::r#type.like("%x%");
    let _ = Contact::total.between(1, 2.5);
    let _ = Contact::email.like("%@example.com");
    let _ = Contact::email.eq(Email("a@example.com".into()));
    let _ = Contact::status.eq(Status::Replied);
    let _ = Contact::company.descendants_of("All");
    let _ = Contact::company.column(Company::name);
    let _ = SystemSettings::time_zone.is_set();
    assert_eq!(submittable::<Contact>(), "Contact");
    assert!(SystemSettings::IS_SINGLE);
    assert_eq!(
        Contact::list_fields(),
        ["name", "type", "total", "email", "first_name", "last_name", "status", "company"]
    );
    assert_eq!(Company::list_fields(), ["name"]);
}
