//! The site source (feature `site`): DocType metadata fetched from a live Frappe site.
//!
//! [`fetch`] is the orchestration, generic over a [`MetaSource`] so it is testable without a
//! site: it resolves the request (names, whole modules, the modules of whole apps, or every
//! DocType), fetches metadata with
//! bounded concurrency, follows Table / Table MultiSelect children transitively, and shows a
//! progress bar on a terminal. [`RuntimeSource`] is the implementation over frappe-runtime.
//!
//! [`RuntimeSource`] asks `frappe.desk.form.load.getdoctype` for each DocType: the site's
//! effective metadata (Custom Fields merged, Property Setters applied) bundled with its child
//! tables, the same shape as the `*.getdoctype.json` bodies in the reference data. The DocType
//! list for modules (or the whole site) comes from `/api/resource/DocType`, the modules of an app
//! from `/api/resource/Module Def` (`app_name`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};

use futures_util::StreamExt;
use futures_util::stream;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::meta::DocType;
use crate::meta::load::load_body;

/// What to fetch: DocTypes by name, whole modules and the modules of whole apps; all empty
/// means every DocType of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// DocType names.
    pub doctypes: Vec<String>,
    /// Frappe module names.
    pub modules: Vec<String>,
    /// App names (`erpnext`, `hrms`, ...): every module of these apps.
    pub apps: Vec<String>,
    /// Leave out DocTypes the site does not have instead of failing
    /// ([`Error::MissingDocType`]); `frappe-codegen check` reports them as removed.
    pub allow_missing: bool,
}

/// Where metadata comes from.
pub trait MetaSource {
    /// The names of the DocTypes of these modules (every DocType when `modules` is empty).
    fn list(&self, modules: &[String]) -> impl Future<Output = Result<Vec<String>>>;
    /// The modules of these apps.
    fn modules_of(&self, apps: &[String]) -> impl Future<Output = Result<Vec<String>>>;
    /// The metadata of one DocType (and, for bundle-returning sources, its children);
    /// [`Error::MissingDocType`] when the site does not have it.
    fn meta(&self, doctype: &str) -> impl Future<Output = Result<Vec<DocType>>>;
}

/// Default number of requests in flight.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Fetches the requested DocTypes and every child table they need, `concurrency` requests at
/// a time. Progress goes to a bar on stderr when it is a terminal.
pub async fn fetch<S: MetaSource>(
    source: &S,
    request: &Request,
    concurrency: usize,
) -> Result<Vec<DocType>> {
    let mut pending: BTreeSet<String> = request.doctypes.iter().cloned().collect();
    let mut modules = request.modules.clone();
    if !request.apps.is_empty() {
        let of_apps = source.modules_of(&request.apps).await?;
        if of_apps.is_empty() {
            return Err(Error::Site(format!(
                "no modules found for the apps {:?}",
                request.apps
            )));
        }
        modules.extend(of_apps);
    }
    if !modules.is_empty() || request.doctypes.is_empty() {
        pending.extend(source.list(&modules).await?);
    }
    let bar = progress_bar(pending.len() as u64);
    let mut fetched: BTreeMap<String, DocType> = BTreeMap::new();
    while !pending.is_empty() {
        let batch: Vec<String> = std::mem::take(&mut pending).into_iter().collect();
        let mut results = stream::iter(batch)
            .map(|name| async move {
                let metas = source.meta(&name).await;
                (name, metas)
            })
            .buffer_unordered(concurrency.max(1));
        while let Some((name, metas)) = results.next().await {
            let metas = match metas {
                Ok(metas) => metas,
                Err(Error::MissingDocType(_)) if request.allow_missing => Vec::new(),
                Err(e @ Error::MissingDocType(_)) => return Err(e),
                Err(Error::Site(m)) => return Err(Error::Site(format!("DocType {name:?}: {m}"))),
                Err(e) => return Err(Error::Site(format!("DocType {name:?}: {e}"))),
            };
            if let Some(bar) = &bar {
                bar.inc(1);
                bar.set_message(name);
            }
            for dt in metas {
                fetched.entry(dt.name.clone()).or_insert(dt);
            }
        }
        // Children not bundled with their parent are fetched in the next round.
        for dt in fetched.values() {
            for child in dt.table_children() {
                if !child.is_empty() && !fetched.contains_key(child) {
                    pending.insert(child.to_owned());
                }
            }
        }
        if let Some(bar) = &bar {
            bar.inc_length(pending.len() as u64);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(fetched.into_values().collect())
}

fn progress_bar(len: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("fetching metadata {bar:30} {pos}/{len} {msg}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// Credentials from the environment: `FRAPPE_API_KEY` + `FRAPPE_API_SECRET` (token), else
/// `FRAPPE_USER` + `FRAPPE_PASSWORD` (login). `env` looks a variable up.
pub fn auth_from_env(env: impl Fn(&str) -> Option<String>) -> Result<frappe_runtime::Auth> {
    match (env("FRAPPE_API_KEY"), env("FRAPPE_API_SECRET")) {
        (Some(key), Some(secret)) => return Ok(frappe_runtime::Auth::token(key, secret)),
        (Some(_), None) | (None, Some(_)) => {
            return Err(Error::Site(
                "set both FRAPPE_API_KEY and FRAPPE_API_SECRET (one of them is missing)".into(),
            ));
        }
        (None, None) => {}
    }
    match (env("FRAPPE_USER"), env("FRAPPE_PASSWORD")) {
        (Some(user), Some(password)) => Ok(frappe_runtime::Auth::password(user, password)),
        _ => Err(Error::Site(
            "no credentials: set FRAPPE_API_KEY and FRAPPE_API_SECRET, or FRAPPE_USER and \
             FRAPPE_PASSWORD"
                .into(),
        )),
    }
}

/// Metadata through frappe-runtime's client: `getdoctype` per DocType, `/api/resource` lists.
#[derive(Debug, Clone)]
pub struct RuntimeSource {
    client: frappe_runtime::Client,
}

impl RuntimeSource {
    /// A source over `client`.
    pub fn new(client: frappe_runtime::Client) -> Self {
        Self { client }
    }
}

fn site_error(e: frappe_runtime::Error) -> Error {
    Error::Site(e.to_string())
}

impl MetaSource for RuntimeSource {
    async fn list(&self, modules: &[String]) -> Result<Vec<String>> {
        let mut list = self.client.doctype("DocType").list().fields(["name"]).all();
        if !modules.is_empty() {
            list = list.filter(json!([["module", "in", modules]]));
        }
        let rows = list.send().await.map_err(site_error)?;
        Ok(rows
            .iter()
            .filter_map(|r| r.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect())
    }

    async fn modules_of(&self, apps: &[String]) -> Result<Vec<String>> {
        let rows = self
            .client
            .doctype("Module Def")
            .list()
            .fields(["name"])
            .filter(json!([["app_name", "in", apps]]))
            .all()
            .send()
            .await
            .map_err(site_error)?;
        Ok(rows
            .iter()
            .filter_map(|r| r.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect())
    }

    async fn meta(&self, doctype: &str) -> Result<Vec<DocType>> {
        let body: Value = self
            .client
            .call("frappe.desk.form.load.getdoctype")
            .arg("doctype", doctype)
            .get_body()
            .await
            .map_err(|e| {
                // getdoctype answers 404 DoesNotExistError for an unknown DocType.
                if e.is_not_found() {
                    Error::MissingDocType(doctype.to_owned())
                } else {
                    site_error(e)
                }
            })?;
        load_body(&body, &format!("site: getdoctype {doctype}"))
    }
}

/// Fetches from the site at `url` on a private runtime (for the CLI and build scripts). Writes
/// a summary line to `log`.
pub fn fetch_blocking(
    url: &str,
    auth: frappe_runtime::Auth,
    request: &Request,
    log: &mut dyn Write,
) -> Result<Vec<DocType>> {
    let client = frappe_runtime::Client::builder(url)
        .auth(auth)
        .max_concurrency(DEFAULT_CONCURRENCY)
        .build()
        .map_err(site_error)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Site(format!("cannot start a tokio runtime: {e}")))?;
    let source = RuntimeSource::new(client);
    let doctypes = runtime.block_on(fetch(&source, request, DEFAULT_CONCURRENCY))?;
    let _ = writeln!(log, "fetched {} DocType(s) from {url}", doctypes.len());
    Ok(doctypes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A fake site: metadata by name, and a log of requests.
    struct Fake {
        metas: BTreeMap<String, DocType>,
        asked: Mutex<Vec<String>>,
    }

    impl Fake {
        fn new(json: &[&str]) -> Self {
            let metas = json
                .iter()
                .map(|j| {
                    let d: DocType = serde_json::from_str(j).unwrap();
                    (d.name.clone(), d)
                })
                .collect();
            Self {
                metas,
                asked: Mutex::new(Vec::new()),
            }
        }
    }

    impl MetaSource for Fake {
        async fn list(&self, modules: &[String]) -> Result<Vec<String>> {
            Ok(self
                .metas
                .values()
                .filter(|d| modules.is_empty() || modules.contains(&d.module))
                .map(|d| d.name.clone())
                .collect())
        }

        async fn modules_of(&self, apps: &[String]) -> Result<Vec<String>> {
            // The fake's modules are named after their app.
            Ok(apps.iter().map(|a| a.to_uppercase()).collect())
        }

        async fn meta(&self, doctype: &str) -> Result<Vec<DocType>> {
            self.asked.lock().unwrap().push(doctype.to_owned());
            self.metas
                .get(doctype)
                .cloned()
                .map(|d| vec![d])
                .ok_or_else(|| Error::MissingDocType(doctype.to_owned()))
        }
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn follows_children_transitively() {
        let fake = Fake::new(&[
            r#"{"name":"Invoice","module":"Accounts","fields":[{"fieldname":"items","fieldtype":"Table","options":"Invoice Item"}]}"#,
            r#"{"name":"Invoice Item","module":"Accounts","istable":1,"fields":[{"fieldname":"taxes","fieldtype":"Table MultiSelect","options":"Tax Row"}]}"#,
            r#"{"name":"Tax Row","module":"Accounts","istable":1,"fields":[]}"#,
            r#"{"name":"Customer","module":"SELLING","fields":[]}"#,
        ]);
        let request = Request {
            doctypes: vec!["Invoice".into()],
            ..Request::default()
        };
        let got = block_on(fetch(&fake, &request, 2)).unwrap();
        let names: Vec<_> = got.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Invoice", "Invoice Item", "Tax Row"]);
        assert_eq!(fake.asked.lock().unwrap().len(), 3);

        let all = block_on(fetch(&fake, &Request::default(), 2)).unwrap();
        assert_eq!(all.len(), 4);

        let request = Request {
            apps: vec!["selling".into()],
            ..Request::default()
        };
        let selling = block_on(fetch(&fake, &request, 2)).unwrap();
        assert_eq!(selling.len(), 1);
        assert_eq!(selling[0].name, "Customer");
    }

    #[test]
    fn a_missing_doctype_is_named() {
        let fake = Fake::new(&[]);
        let request = Request {
            doctypes: vec!["Nope".into()],
            ..Request::default()
        };
        let err = block_on(fetch(&fake, &request, 2)).unwrap_err();
        assert_eq!(err.to_string(), "the site has no DocType \"Nope\"");
    }

    #[test]
    fn missing_doctypes_can_be_left_out() {
        let fake = Fake::new(&[r#"{"name":"Note","module":"Desk","fields":[]}"#]);
        let request = Request {
            doctypes: vec!["Nope".into(), "Note".into()],
            allow_missing: true,
            ..Request::default()
        };
        let got = block_on(fetch(&fake, &request, 2)).unwrap();
        let names: Vec<_> = got.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Note"]);
    }

    #[test]
    fn credentials_come_from_the_environment() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(auth_from_env(env(&[("FRAPPE_API_KEY", "k"), ("FRAPPE_API_SECRET", "s")])).is_ok());
        assert!(auth_from_env(env(&[("FRAPPE_USER", "u"), ("FRAPPE_PASSWORD", "p")])).is_ok());
        let err = auth_from_env(env(&[("FRAPPE_API_KEY", "k")])).unwrap_err();
        assert!(err.to_string().contains("FRAPPE_API_SECRET"), "{err}");
        assert!(auth_from_env(env(&[])).is_err());
    }
}
