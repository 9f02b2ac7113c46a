//! Where a scenario runs: the in-process test site or the live one, reached the same way (raw
//! HTTP with Administrator's API key, or a `frappe_runtime::Client`), with a marker unique to
//! the run that scenarios put in what they create and filter their lists by.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use frappe_runtime::testing::{TestSite, User};
use frappe_runtime::{Auth, Client};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use crate::doctypes;

/// One answer: the status and the JSON body (`Value::Null` for a body that is not JSON).
#[derive(Debug, Clone)]
pub struct Resp {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Value,
    /// The `sid` cookie the answer set, if any.
    pub sid: Option<String>,
}

/// Who a request is sent as.
#[derive(Debug, Clone)]
pub enum As {
    /// Administrator, by API key (`token key:secret`).
    Admin,
    /// `limited@example.com` (role "API Limited"), by API key.
    Limited,
    /// No credentials.
    Guest,
    /// This `Authorization` header.
    Header(String),
    /// This session cookie.
    Sid(String),
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// None.
    Empty,
    /// JSON.
    Json(Value),
    /// `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
}

/// A user's credentials on the target.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user's name.
    pub user: String,
    /// API key.
    pub key: String,
    /// API secret.
    pub secret: String,
    /// Password.
    pub password: String,
}

impl Resp {
    /// `data` of a successful answer.
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    /// `data.name` as text.
    pub fn name(&self) -> String {
        match &self.data()["name"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// A site to run scenarios against.
pub struct Target {
    base: String,
    key: String,
    secret: String,
    /// Administrator.
    pub admin: Credentials,
    /// `limited@example.com`, role "API Limited".
    pub limited: Credentials,
    http: reqwest::Client,
    /// Unique to this scenario run: put it in `marker` and filter lists by it.
    pub run: String,
    /// `"offline"` or `"live"`.
    pub kind: &'static str,
    _site: Option<TestSite>,
}

fn run_marker() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    // Fixed width, so what holds it (a file's size) does not vary between runs.
    format!(
        "frsc-{:016x}-{:04}",
        nanos as u64,
        N.fetch_add(1, Ordering::Relaxed) % 10_000
    )
}

/// A path segment, percent-encoded.
pub fn seg(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

impl Target {
    /// A fresh in-process site holding the suite's DocTypes.
    pub async fn offline() -> Target {
        let limited = Credentials {
            user: "limited@example.com".into(),
            key: "limited-key".into(),
            secret: "limited-secret".into(),
            password: "limited-password".into(),
        };
        let mut builder = TestSite::builder().admin_password("admin-password").user(
            User::new(&limited.user)
                .role("API Limited")
                .api_key(&limited.key, &limited.secret)
                .password(&limited.password)
                .full_name("Limited User"),
        );
        for doctype in doctypes::all() {
            builder = builder.doctype_json(doctype);
        }
        let site = builder.start().await.expect("the test site starts");
        let (key, secret) = site.admin_api_key();
        Target {
            base: site.url(),
            key: key.to_owned(),
            secret: secret.to_owned(),
            admin: Credentials {
                user: "Administrator".into(),
                key: key.to_owned(),
                secret: secret.to_owned(),
                password: "admin-password".into(),
            },
            limited,
            http: reqwest::Client::new(),
            run: run_marker(),
            kind: "offline",
            _site: Some(site),
        }
    }

    /// The live site of `FRAPPE_TEST_*`, with the suite's DocTypes created when missing.
    #[cfg(feature = "live")]
    pub async fn live() -> Target {
        let var = |k: &str| {
            std::env::var(k).unwrap_or_else(|_| {
                panic!("{k} is not set: the live conformance run needs a Frappe site (.ci/live)")
            })
        };
        let target = Target {
            base: var("FRAPPE_TEST_URL"),
            key: var("FRAPPE_TEST_API_KEY"),
            secret: var("FRAPPE_TEST_API_SECRET"),
            admin: Credentials {
                user: "Administrator".into(),
                key: var("FRAPPE_TEST_API_KEY"),
                secret: var("FRAPPE_TEST_API_SECRET"),
                password: var("FRAPPE_TEST_ADMIN_PASSWORD"),
            },
            limited: Credentials {
                user: var("FRAPPE_TEST_LIMITED_USER"),
                key: var("FRAPPE_TEST_LIMITED_API_KEY"),
                secret: var("FRAPPE_TEST_LIMITED_API_SECRET"),
                password: var("FRAPPE_TEST_LIMITED_PASSWORD"),
            },
            http: reqwest::Client::new(),
            run: run_marker(),
            kind: "live",
            _site: None,
        };
        static SETUP: tokio::sync::Mutex<bool> = tokio::sync::Mutex::const_new(false);
        let mut done = SETUP.lock().await;
        if !*done {
            for doctype in doctypes::all() {
                let name = doctype["name"].as_str().unwrap_or_default().to_owned();
                let path = format!("/api/resource/DocType/{}", seg(&name));
                if target.get(&path).await.status == 404 {
                    let mut body = doctype.clone();
                    body["module"] = "Custom".into();
                    body["custom"] = 1.into();
                    let created = target.post("/api/resource/DocType", &body).await;
                    assert_eq!(created.status, 200, "creating {name}: {}", created.body);
                }
            }
            *done = true;
        }
        target
    }

    /// A `frappe_runtime::Client` for the site, as Administrator.
    pub fn client(&self) -> Client {
        Client::new(
            &self.base,
            Auth::token(self.key.clone(), self.secret.clone()),
        )
        .expect("client")
    }

    /// A `frappe_runtime::Client` for the site using API v2, as Administrator.
    pub fn client_v2(&self) -> Client {
        Client::builder(&self.base)
            .auth(Auth::token(self.key.clone(), self.secret.clone()))
            .api_version(frappe_runtime::ApiVersion::V2)
            .build()
            .expect("client")
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Resp {
        let body = body.map_or(Body::Empty, |b| Body::Json(b.clone()));
        self.request(method, path, body, As::Admin).await
    }

    /// Any request, as anyone. An answer that MariaDB chose the request's transaction as a
    /// deadlock's victim (Frappe's `QueryDeadlockError`: rolled back, nothing written) is asked
    /// again: scenarios run in parallel on the real site, and what they observe is what Frappe
    /// answers one request, not how the database orders concurrent ones.
    pub async fn request(&self, method: reqwest::Method, path: &str, body: Body, who: As) -> Resp {
        let mut attempts = 1;
        loop {
            let resp = self.request_once(method.clone(), path, &body, &who).await;
            let deadlock = resp.status == 500 && resp.body["exc_type"] == "QueryDeadlockError";
            if !deadlock || attempts == 5 {
                return resp;
            }
            attempts += 1;
            tokio::time::sleep(std::time::Duration::from_millis(50 * attempts)).await;
        }
    }

    async fn request_once(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Body,
        who: &As,
    ) -> Resp {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("Accept", "application/json");
        request = match who {
            As::Admin => request.header(
                "Authorization",
                format!("token {}:{}", self.key, self.secret),
            ),
            As::Limited => request.header(
                "Authorization",
                format!("token {}:{}", self.limited.key, self.limited.secret),
            ),
            As::Guest => request,
            As::Header(h) => request.header("Authorization", h),
            As::Sid(sid) => request.header("Cookie", format!("sid={sid}")),
        };
        request = match body {
            Body::Empty => request,
            Body::Json(v) => request.json(v),
            Body::Form(pairs) => request
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(
                    url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(pairs)
                        .finish(),
                ),
        };
        let response = request.send().await.expect("the site answers");
        let status = response.status().as_u16();
        // The last `sid` the answer sets is the one a browser keeps.
        let sid = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.strip_prefix("sid="))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
            .next_back();
        let text = response.text().await.expect("a body");
        Resp {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            sid,
        }
    }

    /// `upload_file` with these form fields and one file part.
    pub async fn upload(
        &self,
        fields: &[(&str, &str)],
        file_name: &str,
        mime: &str,
        bytes: Vec<u8>,
    ) -> Resp {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text((*k).to_owned(), (*v).to_owned());
        }
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str(mime)
            .expect("mime");
        form = form.part("file", part);
        let response = self
            .http
            .post(format!("{}/api/method/upload_file", self.base))
            .header("Accept", "application/json")
            .header(
                "Authorization",
                format!("token {}:{}", self.key, self.secret),
            )
            .multipart(form)
            .send()
            .await
            .expect("the site answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        Resp {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            sid: None,
        }
    }

    /// GET a file URL: `{status, content_type, body}` (the body as text).
    pub async fn download(&self, url: &str, who: As) -> Value {
        let mut request = self.http.get(format!("{}{url}", self.base));
        if let As::Admin = who {
            request = request.header(
                "Authorization",
                format!("token {}:{}", self.key, self.secret),
            );
        }
        let response = request.send().await.expect("the site answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.text().await.unwrap_or_default();
        serde_json::json!({"status": status, "content_type": content_type, "body": body})
    }

    /// GET `path` (with its query).
    pub async fn get(&self, path: &str) -> Resp {
        self.send(reqwest::Method::GET, path, None).await
    }

    /// POST `body` as JSON.
    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    /// PUT `body` as JSON.
    pub async fn put(&self, path: &str, body: &Value) -> Resp {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> Resp {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// `/api/resource/<doctype>`.
    pub fn resource(&self, doctype: &str) -> String {
        format!("/api/resource/{}", seg(doctype))
    }

    /// `/api/resource/<doctype>/<name>`.
    pub fn doc(&self, doctype: &str, name: &str) -> String {
        format!("/api/resource/{}/{}", seg(doctype), seg(name))
    }

    /// Inserts `body` into `doctype`, marked with the run's marker.
    pub async fn insert(&self, doctype: &str, mut body: Value) -> Resp {
        body["marker"] = Value::String(self.run.clone());
        self.post(&self.resource(doctype), &body).await
    }

    /// Lists `doctype` with `params` (JSON values encoded), only this run's documents.
    pub async fn list(&self, doctype: &str, params: &[(&str, Value)]) -> Resp {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        let mut filters = vec![serde_json::json!(["marker", "=", self.run])];
        for (k, v) in params {
            if *k == "filters" {
                match v {
                    Value::Array(items) => filters.extend(items.iter().cloned()),
                    other => {
                        // dict form: the marker joins the dict
                        let mut dict = other.clone();
                        dict["marker"] = Value::String(self.run.clone());
                        query.append_pair("filters", &dict.to_string());
                        filters.clear();
                    }
                }
                continue;
            }
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            query.append_pair(k, &text);
        }
        if !filters.is_empty() {
            query.append_pair("filters", &Value::Array(filters).to_string());
        }
        self.get(&format!("{}?{}", self.resource(doctype), query.finish()))
            .await
    }
}
