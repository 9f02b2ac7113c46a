//! Users of the test site and the permission check (`frappe.permissions.has_permission` at
//! permlevel 0): Administrator may do anything; another user may do what one of the DocType's
//! permission rules grants to one of their roles (`if_owner` rules only on their own documents).

use serde_json::Value;

use super::error::{SiteError, SiteResult};
use super::meta::DocTypeMeta;
use super::store::Doc;

/// A user of the test site: roles and the credentials they log in with.
#[derive(Clone)]
pub struct User {
    pub(crate) name: String,
    pub(crate) roles: Vec<String>,
    pub(crate) api_key: Option<(String, String)>,
    pub(crate) password: Option<String>,
    pub(crate) full_name: Option<String>,
}

impl std::fmt::Debug for User {
    // Credentials stay out of Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("name", &self.name)
            .field("roles", &self.roles)
            .field("api_key", &self.api_key.as_ref().map(|(k, _)| k))
            .finish_non_exhaustive()
    }
}

impl User {
    /// A user named `name` (an email, as Frappe's user names are), with no roles.
    pub fn new(name: impl Into<String>) -> Self {
        User {
            name: name.into(),
            roles: Vec::new(),
            api_key: None,
            password: None,
            full_name: None,
        }
    }

    /// The full name login answers with (default: the user's name).
    pub fn full_name(mut self, full_name: impl Into<String>) -> Self {
        self.full_name = Some(full_name.into());
        self
    }

    /// Adds a role.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.roles.push(role.into());
        self
    }

    /// The API key and secret the user authenticates with (`token key:secret` or Basic).
    pub fn api_key(mut self, key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.api_key = Some((key.into(), secret.into()));
        self
    }

    /// The user's password (`/api/method/login`).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// The user's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Who sent a request.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub(crate) user: String,
    pub(crate) roles: Vec<String>,
}

impl User {
    /// The caller this user is.
    pub(crate) fn caller(&self) -> Caller {
        if self.name == "Administrator" {
            Caller::administrator()
        } else {
            Caller {
                user: self.name.clone(),
                roles: self.roles.clone(),
            }
        }
    }
}

impl Caller {
    /// Administrator.
    pub(crate) fn administrator() -> Self {
        Caller {
            user: "Administrator".into(),
            roles: vec!["Administrator".into(), "System Manager".into()],
        }
    }

    /// Whether the caller holds `ptype` (`read`, `write`, `create`, `delete`, `submit`,
    /// `cancel`, `amend`) on `meta`, for `doc` when given.
    pub(crate) fn can(&self, meta: &DocTypeMeta, ptype: &str, doc: Option<&Doc>) -> bool {
        if self.user == "Administrator" {
            return true;
        }
        meta.permissions.iter().any(|p| {
            let granted = match ptype {
                "read" => p.read,
                "write" => p.write,
                "create" => p.create,
                "delete" => p.delete,
                "submit" => p.submit,
                "cancel" => p.cancel,
                "amend" => p.amend,
                _ => false,
            };
            let owner_ok = !p.if_owner
                || doc.is_none_or(|d| d.get("owner") == Some(&Value::String(self.user.clone())));
            granted && owner_ok && self.roles.contains(&p.role)
        })
    }

    /// Whether any of the caller's roles has a rule on `meta` (Frappe's "doctype access via
    /// role permission").
    fn has_role_access(&self, meta: &DocTypeMeta, ptype: &str) -> bool {
        self.user == "Administrator"
            || meta.permissions.iter().any(|p| {
                self.roles.contains(&p.role) && (p.read || (ptype == "create" && p.create))
            })
    }

    /// [`can`](Self::can), or 403 `PermissionError` with the messages Frappe prints
    /// (`frappe/permissions.py` logs, `Document.raise_no_permission_to`).
    pub(crate) fn require(
        &self,
        meta: &DocTypeMeta,
        ptype: &str,
        doc: Option<&Doc>,
    ) -> SiteResult<()> {
        if self.can(meta, ptype, doc) {
            return Ok(());
        }
        let user = &self.user;
        let doctype = &meta.name;
        let doctype_line = format!(
            "User <strong>{user}</strong> does not have doctype access via role permission for document <strong>{doctype}</strong>"
        );
        let name = doc
            .and_then(|d| d.get("name"))
            .map(super::store::name_text)
            .unwrap_or_default();
        let role_access = self.has_role_access(meta, ptype);
        let message = match (role_access, ptype) {
            (false, "read" | "create" | "write" | "delete") => format!(
                "{doctype_line}<br>User <strong>{user}</strong> does not have access to this document"
            ),
            (false, _) => doctype_line,
            (true, _) => format!(
                "User <strong>{user}</strong> does not have access to this document: {doctype} - {name}"
            ),
        };
        let e = match ptype {
            "delete" => {
                SiteError::permission(format!("User not allowed to delete {doctype}: {name}"))
            }
            _ => SiteError::new(403, "PermissionError", ""),
        };
        let mut e = e;
        e.messages.insert(
            0,
            serde_json::json!({"message": message, "title": "Message"}),
        );
        if matches!(ptype, "create" | "write" | "submit" | "cancel") {
            e = e.with(
                "_error_message",
                format!("Insufficient Permission for {doctype} (<strong>{ptype}</strong>)"),
            );
        }
        Err(e)
    }

    /// The answer to a list the caller may not read.
    pub(crate) fn list_denied(&self, meta: &DocTypeMeta) -> SiteError {
        SiteError::new(403, "PermissionError", "")
            .printed(format!(
                "User <strong>{}</strong> does not have doctype access via role permission for document <strong>{}</strong>",
                self.user, meta.name
            ))
            .with("_error_message", format!("No permission for {}", meta.name))
    }
}
