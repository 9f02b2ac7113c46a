//! What a typed binding of a whitelisted Python function is (issue 16): frappe-codegen's
//! `--methods` writes one struct per `@frappe.whitelist()` function, holding its arguments,
//! and implements [`Method`] (a module-level function, called at `/api/method/<path>`) or
//! [`DocMethod`] (a DocType controller's method, run on one document) for it. The client half
//! is `Client::method` / `Client::document_method` (feature `client`). No I/O here.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Arguments a module-level function never receives from `/api/method/<path>`: Frappe pops
/// `ignore_permissions` and `flags` (`frappe.get_newargs`) and sets `cmd` to the path.
/// frappe-codegen leaves such parameters out of a module-level function's binding, and
/// `Client::method` refuses a call that sets one (e.g. with `.arg`) instead of letting Frappe
/// drop it.
pub const NOT_PASSED: &[&str] = &["ignore_permissions", "flags", "cmd"];

/// A whitelisted module-level function with typed arguments (the implementing struct's
/// fields) and result.
pub trait Method {
    /// The dotted path, e.g. `"frappe.client.get_count"`.
    const PATH: &'static str;
    /// The HTTP methods Frappe accepts for it (`methods=[...]` of the decorator; all four when
    /// it says nothing).
    const HTTP_METHODS: &'static [&'static str];
    /// What it returns: the type of its return annotation, `serde_json::Value` when it has
    /// none (choose another type at the call with `send_as`).
    type Output: DeserializeOwned;
    /// Writes the arguments: each required one, each optional one that is set.
    fn write_args(&self, args: &mut Args);
}

/// A whitelisted method of a DocType's controller, run on one document.
pub trait DocMethod {
    /// The DocType whose controller defines it.
    const DOCTYPE: &'static str;
    /// The method's name.
    const METHOD: &'static str;
    /// What it returns, as for [`Method::Output`].
    type Output: DeserializeOwned;
    /// Writes the arguments, as for [`Method::write_args`].
    fn write_args(&self, args: &mut Args);
}

/// The keyword arguments of a call, written by a binding's `write_args`.
#[derive(Default)]
pub struct Args {
    map: Map<String, Value>,
    error: Option<String>,
    structured: Vec<String>,
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Argument values may be secrets (a password); show the keys only.
        f.debug_struct("Args")
            .field("keys", &self.map.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Args {
    /// Sets the argument `key`.
    pub fn arg(&mut self, key: &str, value: &impl Serialize) {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.map.insert(key.to_owned(), v);
            }
            Err(e) => {
                self.error
                    .get_or_insert_with(|| format!("argument {key:?} cannot be serialized: {e}"));
            }
        }
    }

    /// Sets the argument `key` when `value` is `Some`; `None` leaves it to the Python default.
    pub fn optional<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.arg(key, v);
        }
    }

    /// Sets the argument `key`, annotated as a list or dict in Python: Frappe's type check takes
    /// it from a JSON body only (the text of a query string fails it), so a call carrying it is
    /// never sent with `GET`.
    pub fn structured(&mut self, key: &str, value: &impl Serialize) {
        self.structured.push(key.to_owned());
        self.arg(key, value);
    }

    /// [`structured`](Self::structured) when `value` is `Some`.
    pub fn optional_structured<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.structured(key, v);
        }
    }

    /// Adds extra keyword arguments (a `**kwargs` function's). A key that is also one of the
    /// function's own arguments is an error rather than silently replacing either value.
    pub fn extra(&mut self, extra: &Map<String, Value>) {
        for (key, value) in extra {
            if self.map.contains_key(key) {
                self.error.get_or_insert_with(|| {
                    format!("extra argument {key:?} repeats one of the function's arguments")
                });
            } else {
                self.map.insert(key.clone(), value.clone());
            }
        }
    }

    /// The arguments as a JSON object, or the first argument that could not be written.
    pub fn into_map(self) -> Result<Map<String, Value>, String> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.map),
        }
    }

    /// The keys set with [`structured`](Self::structured).
    pub fn structured_keys(&self) -> &[String] {
        &self.structured
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_arguments_left_unset_are_not_sent_and_extras_cannot_collide() {
        let mut args = Args::default();
        args.arg("doctype", &"ToDo");
        args.optional::<bool>("debug", &None);
        args.optional("cache", &Some(true));
        let mut extra = Map::new();
        extra.insert("custom".into(), Value::from(1));
        args.extra(&extra);
        let map = args.into_map().unwrap();
        assert_eq!(
            Value::Object(map),
            serde_json::json!({"doctype": "ToDo", "cache": true, "custom": 1})
        );

        let mut args = Args::default();
        args.arg("doctype", &"ToDo");
        let mut extra = Map::new();
        extra.insert("doctype".into(), Value::from("Note"));
        args.extra(&extra);
        let err = args.into_map().unwrap_err();
        assert!(err.contains("\"doctype\" repeats"), "{err}");
    }

    #[test]
    fn debug_shows_keys_not_values() {
        let mut args = Args::default();
        args.arg("pwd", &"hunter2");
        let shown = format!("{args:?}");
        assert!(
            shown.contains("pwd") && !shown.contains("hunter2"),
            "{shown}"
        );
    }
}
