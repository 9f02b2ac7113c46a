//! Whitelisted Python functions, in Python's and Frappe's words: what `@frappe.whitelist()`
//! exposes at `/api/method/<dotted.path>`, read from an app's source by [`super::python`]
//! (feature `methods`) or from a snapshot. Nothing here decides anything about Rust.

use serde::{Deserialize, Serialize};

/// A function decorated with `@frappe.whitelist(...)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WhitelistedMethod {
    /// The dotted path clients call, e.g. `frappe.client.get_count`: the Python module's path
    /// and the function's name. For a DocType controller's method, its module path, the class
    /// and the method (`frappe.desk.doctype.todo.todo.ToDo.f`); such a method is called on a
    /// document (`run_doc_method`) by its name alone.
    pub path: String,
    /// For a controller's method: the DocType whose class defines it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doctype: Option<String>,
    /// The parameters in order (`self` left out).
    #[serde(default)]
    pub params: Vec<Param>,
    /// The return annotation, as written (`-> int`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// `allow_guest=True`: callable without logging in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_guest: bool,
    /// `methods=[...]`: the HTTP methods Frappe accepts; empty means Frappe's default, all of
    /// `GET`, `POST`, `PUT` and `DELETE`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http_methods: Vec<String>,
    /// The docstring's first paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

impl WhitelistedMethod {
    /// The function's (or method's) name: the last segment of the path.
    pub fn name(&self) -> &str {
        self.path.rsplit('.').next().unwrap_or(&self.path)
    }

    /// The Python module the function is defined in (for a controller method, without the
    /// class): `frappe.client`.
    pub fn module(&self) -> &str {
        let mut rest = self.path.rsplit_once('.').map_or("", |(m, _)| m);
        if self.doctype.is_some() {
            rest = rest.rsplit_once('.').map_or("", |(m, _)| m);
        }
        rest
    }

    /// The folder of the Frappe module the function's file is in (`frappe.desk.reportview` ->
    /// `desk`: an app's modules are the folders right under its package), if it is below one.
    pub fn module_folder(&self) -> Option<&str> {
        let mut parts = self.module().split('.');
        let (_app, folder, _file) = (parts.next()?, parts.next()?, parts.next()?);
        Some(folder)
    }

    /// Whether Frappe accepts the HTTP method `method` (`"GET"`, `"POST"`, ...) for it.
    pub fn accepts(&self, method: &str) -> bool {
        self.http_methods.is_empty() || self.http_methods.iter().any(|m| m == method)
    }

    /// Its parameters and return annotation as Python writes them (PEP 8 spacing):
    /// `(doctype: str, *args, limit=20, **kwargs) -> int`.
    pub fn python_signature(&self) -> String {
        let params: Vec<String> = self.params.iter().map(Param::python).collect();
        let mut s = format!("({})", params.join(", "));
        if let Some(r) = &self.returns {
            s.push_str(" -> ");
            s.push_str(r);
        }
        s
    }
}

/// Sorts `methods` by path and keeps one per path (the first): several sources (app trees,
/// snapshots) may name the same function.
pub fn sort_unique(methods: &mut Vec<WhitelistedMethod>) {
    // Stable and by path only: of several with one path, the one given first stays first.
    methods.sort_by(|a, b| a.path.cmp(&b.path));
    methods.dedup_by(|a, b| a.path == b.path);
}

/// A Frappe module's folder name, as Frappe derives it (`frappe.scrub`): `"ERPNext
/// Integrations"` -> `erpnext_integrations`.
pub fn scrub(module: &str) -> String {
    module.replace([' ', '-'], "_").to_lowercase()
}

/// A parameter of a whitelisted function.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Param {
    /// Its name, which is the argument's key on the wire.
    pub name: String,
    /// Its annotation as written (`str | None`, `list[str]`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Its default as written (`None`, `False`, `"asc"`), if any: the argument is optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `*args` or `**kwargs`.
    #[serde(default, skip_serializing_if = "ParamKind::is_plain")]
    pub kind: ParamKind,
}

impl Param {
    /// As Python writes it: `*args`, `name: str = None`, `limit=20`.
    fn python(&self) -> String {
        let star = match self.kind {
            ParamKind::Plain => "",
            ParamKind::VarArgs => "*",
            ParamKind::VarKeywords => "**",
        };
        let mut s = format!("{star}{}", self.name);
        if let Some(h) = &self.hint {
            s.push_str(": ");
            s.push_str(h);
        }
        match (&self.default, &self.hint) {
            (Some(d), Some(_)) => s.push_str(&format!(" = {d}")),
            (Some(d), None) => s.push_str(&format!("={d}")),
            (None, _) => {}
        }
        s
    }
}

/// How a parameter takes its arguments.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// A named parameter (positional or keyword-only).
    #[default]
    Plain,
    /// `*args`: extra positional arguments (a web request never sends them).
    VarArgs,
    /// `**kwargs`: any other keyword argument is accepted too.
    VarKeywords,
}

impl ParamKind {
    fn is_plain(&self) -> bool {
        *self == Self::Plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(path: &str, returns: &str) -> WhitelistedMethod {
        WhitelistedMethod {
            path: path.into(),
            doctype: None,
            params: Vec::new(),
            returns: Some(returns.into()),
            allow_guest: false,
            http_methods: Vec::new(),
            doc: None,
        }
    }

    #[test]
    fn python_signature_is_written_as_python_writes_it() {
        let param = |name: &str, hint: Option<&str>, default: Option<&str>, kind| Param {
            name: name.into(),
            hint: hint.map(Into::into),
            default: default.map(Into::into),
            kind,
        };
        let mut m = method("app.api.f", "int");
        m.params = vec![
            param("doctype", Some("str"), None, ParamKind::Plain),
            param("args", None, None, ParamKind::VarArgs),
            param("name", Some("str | None"), Some("None"), ParamKind::Plain),
            param("limit", None, Some("20"), ParamKind::Plain),
            param("kwargs", None, None, ParamKind::VarKeywords),
        ];
        assert_eq!(
            m.python_signature(),
            "(doctype: str, *args, name: str | None = None, limit=20, **kwargs) -> int"
        );
        m.returns = None;
        m.params.clear();
        assert_eq!(m.python_signature(), "()");
    }

    #[test]
    fn sort_unique_keeps_the_first_given_of_one_path() {
        // "z" sorts after "a": a sort by every field would keep the second one given.
        let mut methods = vec![method("b.f", "z"), method("a.g", "x"), method("b.f", "a")];
        sort_unique(&mut methods);
        let kept: Vec<_> = methods
            .iter()
            .map(|m| (m.path.as_str(), m.returns.as_deref()))
            .collect();
        assert_eq!(kept, [("a.g", Some("x")), ("b.f", Some("z"))]);
    }
}
