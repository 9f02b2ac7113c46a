//! Calling typed bindings of whitelisted functions ([`Method`], [`DocMethod`]): `client.method(&call)`
//! and `client.document_method(name, &call)` -> [`TypedCall`] -> `.send()`.
//!
//! `send()` uses `POST` whenever the decorator accepts it, because nothing in a Python
//! signature says whether the function writes, and a `POST` is never retried; a function whose
//! decorator accepts `GET` alone is sent with `GET`. `get()` asks for `GET` (retried on
//! transient failures) where the caller knows the function only reads.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::method::MethodCall;
use crate::whitelisted::{Args, DocMethod, Method, NOT_PASSED};

/// A typed call, ready to send; `R` is the binding's result type.
#[must_use = "a call does nothing until .send()"]
pub struct TypedCall<R> {
    target: Target,
    args: std::result::Result<Map<String, Value>, String>,
    /// Arguments Frappe takes from a JSON body only ([`Args::structured`]).
    structured: Vec<String>,
    result: PhantomData<fn() -> R>,
}

enum Target {
    Function {
        call: MethodCall,
        http_methods: &'static [&'static str],
    },
    Document {
        client: Client,
        doctype: &'static str,
        name: String,
        method: &'static str,
    },
}

impl<R> std::fmt::Debug for TypedCall<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = f.debug_struct("TypedCall");
        match &self.target {
            Target::Function { call, .. } => s.field("call", call),
            Target::Document {
                doctype,
                name,
                method,
                ..
            } => s
                .field("doctype", doctype)
                .field("name", name)
                .field("method", method),
        };
        // Values may be secrets; keys only.
        let keys: Vec<&String> = self.args.iter().flat_map(|m| m.keys()).collect();
        s.field("args", &keys).finish_non_exhaustive()
    }
}

type Written = (std::result::Result<Map<String, Value>, String>, Vec<String>);

fn args_of(write: impl FnOnce(&mut Args)) -> Written {
    let mut args = Args::default();
    write(&mut args);
    let structured = args.structured_keys().to_vec();
    (args.into_map(), structured)
}

fn refuse_not_passed(args: &Map<String, Value>, call: &MethodCall) -> Result<()> {
    match NOT_PASSED.iter().find(|k| args.contains_key(**k)) {
        None => Ok(()),
        Some(key) => Err(Error::InvalidInput(format!(
            "{}: Frappe does not pass the argument {key:?} to a whitelisted function (none of \
             {NOT_PASSED:?} reaches it)",
            call.path()
        ))),
    }
}

/// A list or dict argument cannot go into a query string: Frappe's type check refuses its text.
fn refuse_structured(structured: &[String], call: &MethodCall) -> Result<()> {
    match structured.first() {
        None => Ok(()),
        Some(key) => Err(Error::InvalidInput(format!(
            "{}: argument {key:?} is annotated as a list or dict, which Frappe accepts only in a \
             JSON body (POST), and this call would be sent with GET",
            call.path()
        ))),
    }
}

impl Client {
    /// Prepares a call of the whitelisted function `M` with the arguments in `call` (a struct
    /// frappe-codegen generated with `--methods`), e.g.
    /// `client.method(&GetCount::new("ToDo")).send().await?`.
    pub fn method<M: Method>(&self, call: &M) -> TypedCall<M::Output> {
        let (args, structured) = args_of(|a| call.write_args(a));
        TypedCall {
            target: Target::Function {
                call: self.call(M::PATH),
                http_methods: M::HTTP_METHODS,
            },
            args,
            structured,
            result: PhantomData,
        }
    }

    /// Prepares a call of the controller method `M` on the document `name` of its DocType
    /// (sent as [`Client::run_doc_method`] sends it: `POST`, never retried).
    pub fn document_method<M: DocMethod>(&self, name: &str, call: &M) -> TypedCall<M::Output> {
        let (args, structured) = args_of(|a| call.write_args(a));
        TypedCall {
            target: Target::Document {
                client: self.clone(),
                doctype: M::DOCTYPE,
                name: name.to_owned(),
                method: M::METHOD,
            },
            args,
            structured,
            result: PhantomData,
        }
    }
}

impl<R> TypedCall<R> {
    /// Adds a keyword argument the signature does not name: for functions that read
    /// `frappe.form_dict` themselves (`frappe.desk.reportview.get` takes no parameters and reads
    /// `doctype`, `fields`, ... from the request). One that repeats an argument of the call is an
    /// error when sent.
    pub fn arg(mut self, key: &str, value: impl serde::Serialize) -> Self {
        if let Ok(map) = &mut self.args {
            if map.contains_key(key) {
                self.args = Err(format!("argument {key:?} is set twice"));
            } else {
                match serde_json::to_value(value) {
                    Ok(v) => {
                        map.insert(key.to_owned(), v);
                    }
                    Err(e) => {
                        self.args = Err(format!("argument {key:?} cannot be serialized: {e}"));
                    }
                }
            }
        }
        self
    }
}

impl<R: DeserializeOwned> TypedCall<R> {
    /// Sends the call and decodes its result as the binding's type.
    pub async fn send(self) -> Result<R> {
        self.send_as().await
    }

    /// Sends the call and decodes its result as `T`: for functions whose result type the
    /// Python signature does not say (the binding's `Output` is then `serde_json::Value`).
    pub async fn send_as<T: DeserializeOwned>(self) -> Result<T> {
        let args = self.args.map_err(Error::InvalidInput)?;
        match self.target {
            Target::Function { call, http_methods } => {
                refuse_not_passed(&args, &call)?;
                let call = call.arg_map(args);
                if http_methods.contains(&"POST") {
                    call.post().await
                } else if http_methods.contains(&"GET") {
                    refuse_structured(&self.structured, &call)?;
                    call.get().await
                } else {
                    Err(Error::InvalidInput(format!(
                        "{}: the function accepts neither GET nor POST (only {http_methods:?})",
                        call.path()
                    )))
                }
            }
            Target::Document {
                client,
                doctype,
                name,
                method,
            } => client.doc_method(doctype, &name, method, &args).await,
        }
    }

    /// Sends a function's call with `GET` (arguments in the query string; retried on transient
    /// failures): for a function the caller knows only reads. An error, nothing sent, when the
    /// decorator does not accept `GET`, when an argument is an annotated list or dict (Frappe
    /// takes those from a JSON body only), or for a controller method (Frappe runs those on a
    /// `GET` too, with read permission only; this client sends them as `run_doc_method` does,
    /// with `POST`).
    pub async fn get(self) -> Result<R> {
        self.get_as().await
    }

    /// [`get`](Self::get), decoding the result as `T` (as [`send_as`](Self::send_as) does for
    /// [`send`](Self::send)).
    pub async fn get_as<T: DeserializeOwned>(self) -> Result<T> {
        let args = self.args.map_err(Error::InvalidInput)?;
        match self.target {
            Target::Function { call, http_methods } if http_methods.contains(&"GET") => {
                refuse_not_passed(&args, &call)?;
                let call = call.arg_map(args);
                refuse_structured(&self.structured, &call)?;
                call.get().await
            }
            Target::Function { call, http_methods } => Err(Error::InvalidInput(format!(
                "{}: the function does not accept GET (only {http_methods:?})",
                call.path()
            ))),
            Target::Document {
                doctype, method, ..
            } => Err(Error::InvalidInput(format!(
                "{doctype}.{method}: controller methods are sent with POST here; use send() or send_as()"
            ))),
        }
    }
}
