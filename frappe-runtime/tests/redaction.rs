//! Secrets (API secret, the Basic credential, password, sid, bearer and refresh tokens, OAuth
//! client secret) never appear in Debug output, Display of errors, or `tracing` output at TRACE
//! level: neither the client's own text nor a server's that echoes them (a proxy page printing
//! the request headers, an exception quoting the body, a success body that fails to decode).
//!
//! A test binary of its own: the capturing subscriber is installed with `set_default` (this
//! thread only), and tracing's per-callsite interest cache can drop events when other tests
//! run at the same time in the same process without a subscriber.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use frappe_runtime::{Auth, Client, OAuthRefresh, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "key-1";
const API_SECRET: &str = "S3cr3t-api-Zq9xK2";
// Characters that form and percent encoding change, so an echoed login body is encoded.
const PASSWORD: &str = "Pa55 word/Vw7&ok";
const SID: &str = "sid-4f9a1c77e0d2";
const BEARER: &str = "bearer-tok-77Jk3";
const REFRESH: &str = "refresh-tok-51Lq";
const CLIENT_SECRET: &str = "client-sec-93Hd";
/// What a refresh hands out: masked as well once in use.
const NEW_BEARER: &str = "bearer-new-18Pz";
const NEW_REFRESH: &str = "refresh-new-66Tc";

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `base64(key:secret)`, the credential of `Authorization: Basic`.
fn basic_credential() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{API_SECRET}"))
}

/// Fails if `text` holds any secret, as sent or form-encoded (as in an echoed login body), or
/// the Basic credential's base64 form.
fn assert_clean(what: &str, text: &str) {
    let secrets = [
        API_SECRET,
        PASSWORD,
        SID,
        BEARER,
        REFRESH,
        CLIENT_SECRET,
        NEW_BEARER,
        NEW_REFRESH,
    ];
    let mut needles: Vec<String> = secrets.iter().map(|s| (*s).to_owned()).collect();
    needles.extend(
        secrets
            .iter()
            .map(|s| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()),
    );
    needles.push(basic_credential());
    for secret in needles {
        assert!(
            !text.contains(&secret),
            "{what} contains {secret:?}:\n{text}"
        );
    }
}

/// A subscriber that records everything (TRACE, span events) into the returned buffer, for the
/// current thread while the guard lives.
fn capture() -> (Buf, tracing::subscriber::DefaultGuard) {
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || writer.clone())
        .finish();
    (buf, tracing::subscriber::set_default(subscriber))
}

impl Buf {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/api/method/login"))
        .respond_with(
            ResponseTemplate::new(200)
                .append_header(
                    "set-cookie",
                    format!("sid={SID}; HttpOnly; Path=/").as_str(),
                )
                .set_body_json(json!({"message": "Logged In"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/method/frappe.integrations.oauth2.get_token"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"exc_type": "AuthenticationError"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/method/frappe.auth.get_logged_user"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": "Administrator"})))
        .mount(&server)
        .await;
    Mock::given(path("/api/resource/ToDo"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "exc_type": "AuthenticationError",
            "exception": "frappe.exceptions.AuthenticationError",
            "exc": "[\"Traceback (most recent call last):\\nAuthenticationError\\n\"]"
        })))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn secrets_stay_out_of_logs_debug_and_errors() {
    let (buf, _guard) = capture();

    let server = server().await;
    let uri = server.uri();
    let build = |auth: Auth| {
        Client::builder(&uri)
            .auth(auth)
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    };
    let auths = [
        Auth::token(KEY, API_SECRET),
        Auth::basic(KEY, API_SECRET),
        Auth::password("Administrator", PASSWORD),
        Auth::bearer_with_refresh(BEARER, REFRESH, "client-1"),
    ];
    let mut shown = String::new();
    for auth in auths {
        shown += &format!("{auth:?} {auth:#?}\n");
        let client = build(auth);
        // A success, then a 401 (which makes the bearer client try its refresh, which fails).
        let ok = client.logged_user().await;
        shown += &format!("{ok:?}\n");
        let err = client.doctype("ToDo").list().send().await.unwrap_err();
        shown += &format!("{client:?} {client:#?} {err:?} {err:#?} {err}\n");
        if let Some(api) = err.api_error() {
            shown += &format!("{api:?} {api}\n");
        }
    }
    // A transport error carries the URL path, never credentials.
    let dead = Client::builder("http://127.0.0.1:9")
        .auth(Auth::token(KEY, API_SECRET))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = dead.ping().await.unwrap_err();
    shown += &format!("{err:?} {err}\n");

    assert_clean("Debug/Display output", &shown);
    let logs = buf.text();
    assert!(
        logs.contains("frappe_request") && logs.contains("/api/resource/ToDo"),
        "the tracing capture saw no request spans:\n{logs}"
    );
    assert!(
        logs.contains("status=401"),
        "span records the status:\n{logs}"
    );
    assert_clean("tracing output", &logs);
}

/// What the request carried that a careless server might print: its credential headers and
/// body.
fn echo(req: &Request) -> String {
    let header = |name: &str| {
        req.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_owned()
    };
    format!(
        "Authorization: {} Cookie: {} Body: {}",
        header("authorization"),
        header("cookie"),
        String::from_utf8_lossy(&req.body)
    )
}

/// A proxy's 502 page that prints the request (secrets first, so they fall inside the excerpt).
fn echo_page(req: &Request) -> ResponseTemplate {
    ResponseTemplate::new(502).set_body_raw(
        format!(
            "<html><head><title>502 Bad Gateway</title><style>p{{}}</style></head>\
             <body><h1>Bad Gateway</h1><pre>{}</pre></body></html>",
            echo(req)
        ),
        "text/html",
    )
}

/// Mounts the echoing routes below `prefix`.
async fn mount_echoes(server: &MockServer, prefix: &str) {
    let route = |name: &str| format!("{prefix}/api/method/{name}");
    Mock::given(path(route("echo.page")))
        .respond_with(echo_page)
        .mount(server)
        .await;
    // A 417 whose `exception` quotes the request (no server messages: the exception is the
    // message).
    Mock::given(path(route("echo.exception")))
        .respond_with(|req: &Request| {
            ResponseTemplate::new(417).set_body_json(json!({
                "exc_type": "ValidationError",
                "exception": format!("frappe.exceptions.ValidationError: {}", echo(req)),
            }))
        })
        .mount(server)
        .await;
    // A 417 whose server messages and traceback quote it.
    Mock::given(path(route("echo.messages")))
        .respond_with(|req: &Request| {
            let message = json!({"message": echo(req), "title": echo(req)}).to_string();
            ResponseTemplate::new(417).set_body_json(json!({
                "exc_type": "ValidationError",
                "exc": json!([format!("Traceback: {}", echo(req))]).to_string(),
                "_server_messages": json!([message]).to_string(),
            }))
        })
        .mount(server)
        .await;
    // A success whose `message` is the echo: decoded as a number it fails, and both serde's
    // message and the body excerpt quote it.
    Mock::given(path(route("echo.decode")))
        .respond_with(|req: &Request| {
            ResponseTemplate::new(200).set_body_json(json!({"message": echo(req)}))
        })
        .mount(server)
        .await;
}

#[tokio::test]
async fn secrets_a_server_echoes_are_masked() {
    let (buf, _guard) = capture();
    let server = MockServer::start().await;
    Mock::given(path("/api/method/login"))
        .respond_with(
            ResponseTemplate::new(200)
                .append_header(
                    "set-cookie",
                    format!("sid={SID}; HttpOnly; Path=/").as_str(),
                )
                .set_body_json(json!({"message": "Logged In"})),
        )
        .mount(&server)
        .await;
    // Logging in below /login-echo fails with a page that prints the form (usr, pwd).
    Mock::given(path("/login-echo/api/method/login"))
        .respond_with(echo_page)
        .mount(&server)
        .await;
    // Below /refresh, the first bearer token is refused; the refresh grant answers new tokens,
    // which the echo then shows.
    Mock::given(path("/refresh/api/method/echo.page"))
        .and(header("authorization", format!("Bearer {BEARER}").as_str()))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"exc_type": "AuthenticationError"})),
        )
        .mount(&server)
        .await;
    Mock::given(path(
        "/refresh/api/method/frappe.integrations.oauth2.get_token",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_json(
        json!({"access_token": NEW_BEARER, "refresh_token": NEW_REFRESH, "token_type": "Bearer"}),
    ))
    .mount(&server)
    .await;
    // Below /refresh-echo, the refresh grant itself fails with a message quoting the grant.
    Mock::given(path("/refresh-echo/api/method/echo.page"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"exc_type": "AuthenticationError"})),
        )
        .mount(&server)
        .await;
    Mock::given(path(
        "/refresh-echo/api/method/frappe.integrations.oauth2.get_token",
    ))
    .respond_with(|req: &Request| {
        ResponseTemplate::new(401)
            .set_body_json(json!({"exc_type": "AuthenticationError", "message": echo(req)}))
    })
    .mount(&server)
    .await;
    for prefix in ["", "/refresh"] {
        mount_echoes(&server, prefix).await;
    }

    let uri = server.uri();
    let build = |prefix: &str, auth: Auth| {
        Client::builder(format!("{uri}{prefix}"))
            .auth(auth)
            // One retry of the 502 GET: its error text goes into the "retrying" debug event.
            .retry(RetryPolicy::new(
                2,
                Duration::from_millis(1),
                Duration::from_millis(1),
            ))
            .build()
            .unwrap()
    };
    let refreshing = || {
        Auth::bearer_refreshing(
            BEARER,
            OAuthRefresh::new(REFRESH, "client-1").client_secret(CLIENT_SECRET),
        )
    };
    let mut errors: Vec<frappe_runtime::Error> = Vec::new();
    for auth in [
        Auth::token(KEY, API_SECRET),
        Auth::basic(KEY, API_SECRET),
        Auth::password("Administrator", PASSWORD),
        refreshing(),
    ] {
        let c = build("", auth);
        errors.push(c.call("echo.page").get::<Value>().await.unwrap_err());
        errors.push(c.call("echo.exception").post::<Value>().await.unwrap_err());
        errors.push(c.call("echo.messages").post::<Value>().await.unwrap_err());
        errors.push(c.call("echo.decode").get::<u64>().await.unwrap_err());
        errors.push(c.call("echo.decode").get_body::<u64>().await.unwrap_err());
    }
    let login = build("/login-echo", Auth::password("Administrator", PASSWORD));
    errors.push(login.login().await.unwrap_err());
    let rotated = build("/refresh", refreshing());
    errors.push(rotated.call("echo.page").get::<Value>().await.unwrap_err());
    let refresh_fails = build("/refresh-echo", refreshing());
    errors.push(
        refresh_fails
            .call("echo.page")
            .get::<Value>()
            .await
            .unwrap_err(),
    );

    let mut shown = String::new();
    for err in &errors {
        shown += &format!("{err}\n{err:?}\n{err:#?}\n");
        if let Some(api) = err.api_error() {
            shown += &format!("{api}\n{api:?}\n");
            // `Debug` shows a traceback's length only; the field itself is masked too.
            shown += api.traceback.as_deref().unwrap_or_default();
        }
    }
    // The echoes reached the errors (so there was something to mask), masked.
    for needle in [
        "Authorization: token key-1:***",
        "Authorization: Basic ***",
        "Cookie: sid=***",
        "Authorization: Bearer ***",
        "pwd=***",
        "refresh_token=***",
        "client_secret=***",
        "Bad Gateway",
        "Traceback: ",
        "(body starts: ",
        "invalid type: string",
    ] {
        assert!(shown.contains(needle), "{needle:?} not shown:\n{shown}");
    }
    assert_clean("errors echoing secrets", &shown);
    let logs = buf.text();
    assert!(
        logs.contains("retrying") && logs.contains("Bad Gateway"),
        "the retry event carries the page's text:\n{logs}"
    );
    assert_clean("tracing output", &logs);
}
