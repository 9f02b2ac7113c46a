//! Whitelisted server methods: [`Client::call`] → [`MethodCall`] → `.get::<R>()` /
//! `.post::<R>()`.
//!
//! `GET` sends the arguments in the query string: strings as they are, everything else
//! JSON-encoded (lists, dicts, numbers), and `null` arguments left out so that the Python default
//! applies. `POST` sends them as a JSON object. The result, of the type chosen at `get` / `post`,
//! is the response's `message` (v1; `data` in v2); a method
//! that returns nothing (`{}` without `message`) is fine as `()`, `Option<T>` or `Value`, but a
//! response carrying an exception (`exc_type`/`exception`, even with status 200) is an error
//! ([`Error::Api`]) whatever `R` is.
//! Only `get()` is retried on transient failures; `post()` never is.

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api_error::{ServerMessage, decode_server_messages};
use crate::client::{Client, Request, check_segment};
use crate::error::{Error, Result};

/// A call of a whitelisted method, from [`Client::call`]; the type of its result is chosen
/// when it is sent ([`get`](Self::get), [`post`](Self::post), ...).
#[derive(Clone)]
#[must_use = "a method call does nothing until .get() or .post()"]
pub struct MethodCall {
    client: Client,
    method: String,
    args: Map<String, Value>,
    invalid: Option<String>,
}

impl std::fmt::Debug for MethodCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Argument values may be sensitive (e.g. a password reset call); show the keys only.
        f.debug_struct("MethodCall")
            .field("method", &self.method)
            .field("args", &self.args.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// A method's `message` together with the `_server_messages` it printed (e.g. the green
/// "Document renamed" alert of `rename_doc`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WithMessages<R> {
    /// The method's return value.
    pub value: R,
    /// Messages the method showed with `msgprint`, as plain text.
    pub server_messages: Vec<ServerMessage>,
}

impl Client {
    /// Prepares a call of the whitelisted method `method` (a dotted path such as
    /// `"frappe.client.get_value"`, or a short name such as `"ping"`). The result's type is
    /// chosen when the call is sent: `client.call("ping").get::<String>()`, or by the binding
    /// it goes to (`let user: String = client.call("frappe.auth.get_logged_user").get().await?`).
    pub fn call(&self, method: impl Into<String>) -> MethodCall {
        MethodCall {
            client: self.clone(),
            method: method.into(),
            args: Map::new(),
            invalid: None,
        }
    }
}

impl MethodCall {
    /// Adds the keyword argument `key = value`.
    pub fn arg(mut self, key: impl Into<String>, value: impl Serialize) -> Self {
        let key = key.into();
        match serde_json::to_value(value) {
            Ok(v) => {
                self.args.insert(key, v);
            }
            Err(e) => self.fail(format!("argument {key:?} cannot be serialized: {e}")),
        }
        self
    }

    /// Adds `key = value` for a value that is JSON already, without serializing it again.
    pub(crate) fn arg_value(mut self, key: impl Into<String>, value: Value) -> Self {
        self.args.insert(key.into(), value);
        self
    }

    /// The dotted path of the method called, for messages.
    pub(crate) fn path(&self) -> &str {
        &self.method
    }

    /// Adds every entry of a map that is JSON already, without serializing it again.
    pub(crate) fn arg_map(mut self, args: Map<String, Value>) -> Self {
        self.args.extend(args);
        self
    }

    /// Adds every field of `args`, which must serialize to a JSON object (a struct or map).
    pub fn args(mut self, args: impl Serialize) -> Self {
        match serde_json::to_value(args) {
            Ok(Value::Object(map)) => self.args.extend(map),
            Ok(Value::Null) => {}
            Ok(other) => self.fail(format!("arguments must be a JSON object, got {other}")),
            Err(e) => self.fail(format!("arguments cannot be serialized: {e}")),
        }
        self
    }

    fn fail(&mut self, message: String) {
        self.invalid
            .get_or_insert_with(|| format!("{}: {message}", self.method));
    }

    fn request(&self, method: Method) -> Result<Request> {
        if let Some(msg) = &self.invalid {
            return Err(Error::InvalidInput(msg.clone()));
        }
        if self.method.trim().is_empty() {
            return Err(Error::InvalidInput("call: the method name is empty".into()));
        }
        check_segment("call: the method name", &self.method)?;
        let mut req = Request::new(method.clone(), self.client.api.method_path(&self.method));
        if method == Method::GET {
            req.query = query_args(&self.args);
        } else {
            req = req.json(&self.args)?;
        }
        Ok(req)
    }
}

impl MethodCall {
    /// Calls with `GET` (arguments in the query string) and decodes the result as `R`. Use for
    /// read-only methods; retried on transient failures.
    pub async fn get<R: DeserializeOwned>(self) -> Result<R> {
        let req = self.request(Method::GET)?;
        self.client
            .execute(&req)
            .await?
            .decode(self.client.api.method_envelope())
    }

    /// Calls with `POST` (arguments as a JSON body) and decodes the result as `R`. Never retried
    /// automatically.
    pub async fn post<R: DeserializeOwned>(self) -> Result<R> {
        let req = self.request(Method::POST)?;
        self.client
            .execute(&req)
            .await?
            .decode(self.client.api.method_envelope())
    }

    /// Calls with `GET` and decodes the whole response body as `T` rather than its `message`:
    /// for methods that answer outside the envelope, e.g. `frappe.desk.form.load.getdoctype`
    /// (`{"docs": [...]}`) or the OAuth token endpoint.
    pub async fn get_body<T: DeserializeOwned>(self) -> Result<T> {
        let req = self.request(Method::GET)?;
        self.client.execute(&req).await?.decode_whole()
    }

    /// Calls with `POST` and decodes the whole response body as `T` (see
    /// [`get_body`](Self::get_body)). Never retried automatically.
    pub async fn post_body<T: DeserializeOwned>(self) -> Result<T> {
        let req = self.request(Method::POST)?;
        self.client.execute(&req).await?.decode_whole()
    }

    /// Like [`post`](Self::post), also returning the server messages (v1 `_server_messages`;
    /// v2 responses carry none).
    pub async fn post_with_messages<R: DeserializeOwned>(self) -> Result<WithMessages<R>> {
        let req = self.request(Method::POST)?;
        let resp = self.client.execute(&req).await?;
        with_messages(&resp, self.client.api)
    }

    /// Like [`get`](Self::get), also returning the server messages.
    pub async fn get_with_messages<R: DeserializeOwned>(self) -> Result<WithMessages<R>> {
        let req = self.request(Method::GET)?;
        let resp = self.client.execute(&req).await?;
        with_messages(&resp, self.client.api)
    }
}

fn with_messages<R: DeserializeOwned>(
    resp: &crate::client::Response,
    api: crate::client::ApiVersion,
) -> Result<WithMessages<R>> {
    #[derive(serde::Deserialize)]
    struct Messages {
        _server_messages: Option<String>,
    }
    let value = resp.decode(api.method_envelope())?;
    let messages: Messages = resp.decode_whole()?;
    Ok(WithMessages {
        value,
        server_messages: messages
            ._server_messages
            .as_deref()
            .map(decode_server_messages)
            .unwrap_or_default(),
    })
}

/// Query-string form of method arguments: strings raw, booleans `1`/`0`, `null` left out, the
/// rest as JSON. Booleans as digits because Python code reads query text with `cint` (for which
/// `"true"` is 0) or `sbool`, and Frappe's type check accepts `1`/`0` for a `bool` too.
pub(crate) fn query_args(args: &Map<String, Value>) -> Vec<(String, String)> {
    args.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Bool(b) => u8::from(*b).to_string(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn client() -> Client {
        Client::builder("http://127.0.0.1:9").build().unwrap()
    }

    #[test]
    fn get_args_encoding() {
        let call = client()
            .call("frappe.client.get_value")
            .arg("doctype", "ToDo")
            .arg("fieldname", ["description", "status"])
            .arg("filters", json!({"name": "x"}))
            .arg("as_dict", 1)
            .arg("debug", false)
            .arg("parent", Option::<String>::None);
        let req = call.request(Method::GET).unwrap();
        assert_eq!(req.segments, ["api", "method", "frappe.client.get_value"]);
        let q: Vec<(&str, &str)> = req
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            q,
            [
                ("as_dict", "1"),
                ("debug", "0"),
                ("doctype", "ToDo"),
                ("fieldname", r#"["description","status"]"#),
                ("filters", r#"{"name":"x"}"#),
            ]
        );
    }

    #[test]
    fn calls_clone_with_their_arguments() {
        let call = client()
            .call("frappe.client.get_count")
            .arg("doctype", "ToDo");
        let again = call.clone().arg("doctype", "Note");
        let args = |c: &MethodCall| c.request(Method::GET).unwrap().query;
        assert_eq!(args(&call), [("doctype".to_owned(), "ToDo".to_owned())]);
        assert_eq!(args(&again), [("doctype".to_owned(), "Note".to_owned())]);
    }

    #[test]
    fn args_must_be_an_object() {
        let err = client()
            .call("x.y")
            .args(["not", "an", "object"])
            .request(Method::POST)
            .err()
            .unwrap();
        assert!(err.to_string().contains("x.y"), "{err}");
    }

    #[tokio::test]
    async fn the_result_type_is_chosen_when_sent() {
        // `call` has no type of its own to name: `get_body::<T>()` alone compiles (E0282 when
        // `call` was generic over the `message` type).
        let err = client().call("ping").get_body::<Value>().await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        let err = client().call("ping").get::<String>().await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    }

    #[test]
    fn debug_hides_argument_values() {
        let call = client().call("reset").arg("new_password", "hunter2");
        let shown = format!("{call:?}");
        assert!(
            !shown.contains("hunter2") && shown.contains("new_password"),
            "{shown}"
        );
    }
}
