//! Authentication: API keys (token and Basic), no credentials, password login with the `sid`
//! cookie, logout; per-DocType role permissions answering 403.

use base64::Engine as _;
use reqwest::Method;
use serde_json::{Value, json};

use crate::Target;
use crate::doctypes::name;
use crate::normalise::Observation;
use crate::target::{As, Body};

const LOGGED_USER: &str = "/api/method/frappe.auth.get_logged_user";

/// Token, Basic, a wrong secret, a malformed header, no credentials.
pub async fn api_keys(t: &Target) -> Value {
    let mut o = Observation::new(t);
    let get = |who: As| t.request(Method::GET, LOGGED_USER, Body::Empty, who);
    o.step("token", &get(As::Admin).await);
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", t.limited.key, t.limited.secret));
    o.step("basic", &get(As::Header(format!("Basic {basic}"))).await);
    o.step(
        "wrong secret",
        &get(As::Header(format!("token {}:wrong", t.limited.key))).await,
    );
    o.outcome("no credentials, method", &get(As::Guest).await);
    o.step(
        "no credentials, resource",
        &t.request(
            Method::GET,
            &t.resource(&name("Note")),
            Body::Empty,
            As::Guest,
        )
        .await,
    );
    o.finish()
}

/// Login with a password (form body), the session cookie, logout, the old cookie, a wrong
/// password.
pub async fn password_sessions(t: &Target) -> Value {
    let mut o = Observation::new(t);
    let user = &t.limited;
    o.name(user.user.clone(), "user");
    let form = |pwd: &str| {
        Body::Form(vec![
            ("usr".into(), user.user.clone()),
            ("pwd".into(), pwd.into()),
        ])
    };
    let login = t
        .request(
            Method::POST,
            "/api/method/login",
            form(&user.password),
            As::Guest,
        )
        .await;
    o.step("login", &login);
    o.note(
        "sid set",
        json!(login.sid.as_ref().is_some_and(|s| s.len() > 10)),
    );
    let sid = login.sid.clone().unwrap_or_default();
    o.step(
        "logged user by sid",
        &t.request(Method::GET, LOGGED_USER, Body::Empty, As::Sid(sid.clone()))
            .await,
    );
    let logout = t
        .request(
            Method::POST,
            "/api/method/logout",
            Body::Empty,
            As::Sid(sid.clone()),
        )
        .await;
    o.step("logout", &logout);
    o.note("sid after logout", json!(logout.sid));
    let old = t
        .request(Method::GET, LOGGED_USER, Body::Empty, As::Sid(sid))
        .await;
    o.outcome("old sid", &old);
    o.note(
        "old sid: session_expired",
        old.body
            .get("session_expired")
            .cloned()
            .unwrap_or(Value::Null),
    );
    o.step(
        "wrong password",
        &t.request(Method::POST, "/api/method/login", form("wrong"), As::Guest)
            .await,
    );
    o.finish()
}

/// A user whose roles grant nothing on a DocType, and one granted read and create but not
/// write or delete.
pub async fn role_permissions(t: &Target) -> Value {
    let mut o = Observation::new(t);
    o.name(t.limited.user.clone(), "user");
    let note = t.insert(&name("Note"), json!({"title": "private"})).await;
    o.name(note.name(), "note");
    let as_limited = |method: Method, path: String, body: Body| async move {
        t.request(method, &path, body, As::Limited).await
    };
    o.step(
        "list, no role",
        &as_limited(Method::GET, t.resource(&name("Note")), Body::Empty).await,
    );
    o.step(
        "get, no role",
        &as_limited(Method::GET, t.doc(&name("Note"), &note.name()), Body::Empty).await,
    );
    o.step(
        "create, no role",
        &as_limited(
            Method::POST,
            t.resource(&name("Note")),
            Body::Json(json!({"title": "x"})),
        )
        .await,
    );
    let shared = name("Shared");
    let created = as_limited(
        Method::POST,
        t.resource(&shared),
        Body::Json(json!({"title": "mine", "marker": t.run})),
    )
    .await;
    o.name(created.name(), "shared");
    o.step("create, granted", &created);
    let path = t.doc(&shared, &created.name());
    o.outcome(
        "read, granted",
        &as_limited(Method::GET, path.clone(), Body::Empty).await,
    );
    o.step(
        "update, not granted",
        &as_limited(
            Method::PUT,
            path.clone(),
            Body::Json(json!({"title": "changed"})),
        )
        .await,
    );
    o.step(
        "delete, not granted",
        &as_limited(Method::DELETE, path.clone(), Body::Empty).await,
    );
    o.outcome("delete as Administrator", &t.delete(&path).await);
    o.finish()
}

/// `if_owner` rules: the user sees and edits only the documents they own.
pub async fn owner_only_permissions(t: &Target) -> Value {
    let dt = name("Owned");
    let mut o = Observation::new(t);
    o.name(t.limited.user.clone(), "user");
    let admins = t.insert(&dt, json!({"title": "admin's"})).await;
    o.name(admins.name(), "admin's");
    let mine = t
        .request(
            Method::POST,
            &t.resource(&dt),
            Body::Json(json!({"title": "mine", "marker": t.run})),
            As::Limited,
        )
        .await;
    o.name(mine.name(), "mine");
    o.outcome("create own", &mine);
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("filters", &json!([["marker", "=", t.run]]).to_string());
    q.append_pair("fields", &json!(["name", "title", "owner"]).to_string());
    q.append_pair("order_by", "title asc");
    let path = format!("{}?{}", t.resource(&dt), q.finish());
    o.step(
        "list as the user",
        &t.request(Method::GET, &path, Body::Empty, As::Limited)
            .await,
    );
    o.step(
        "read another's",
        &t.request(
            Method::GET,
            &t.doc(&dt, &admins.name()),
            Body::Empty,
            As::Limited,
        )
        .await,
    );
    o.outcome(
        "update own",
        &t.request(
            Method::PUT,
            &t.doc(&dt, &mine.name()),
            Body::Json(json!({"title": "mine 2"})),
            As::Limited,
        )
        .await,
    );
    o.step(
        "update another's",
        &t.request(
            Method::PUT,
            &t.doc(&dt, &admins.name()),
            Body::Json(json!({"title": "x"})),
            As::Limited,
        )
        .await,
    );
    o.finish()
}
