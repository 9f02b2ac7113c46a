//! Webhooks from the real server: Webhooks created over REST post to an axum receiver this test
//! starts on 127.0.0.1, through the site's background worker; the receiver verifies each
//! signature and decodes the body into the generated `ApiTestOrder`, and refuses a request
//! signed with another secret (which the site then logs as a failed Webhook Request Log).
//!
//! Every Webhook's condition matches only this run's order (`customer_name` is a per-run
//! marker), so other tests' API Test Orders send nothing here. The Webhooks, their request
//! logs and the order are removed at the end.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use frappe_runtime::webhook::axum::{Webhook, WebhookRejection};
use frappe_runtime::webhook::{DocEvent, Event, Verifier, WebhookError, event_template};
use frappe_runtime::{Changes, Client, DocStatus, Row};
use frappe_tests::live_site::custom::{ApiTestOrder, ApiTestOrderItem};
use serde_json::json;
use tokio::sync::mpsc;

use crate::support::{admin, unique};

/// The secret the site signs with.
const SECRET: &str = "frs-live-webhook-secret";

/// How long a request may take to arrive: the worker runs one job at a time, and a refused
/// request is tried three times with 1, 4 and 7 s pauses before the next job starts.
const ARRIVAL: Duration = Duration::from_secs(90);

/// What reached the receiver, by route.
#[derive(Debug)]
enum Received {
    /// `/events`: a verified [`Event`].
    Event(Event<ApiTestOrder>),
    /// `/fields`: a verified document of the `webhook_data` fields.
    Fields(ApiTestOrder),
    /// A request the extractor refused, with what it answered.
    Refused(&'static str, StatusCode, Option<WebhookError>),
}

/// A route's state: the secret it expects and where it reports.
#[derive(Clone)]
struct Route {
    path: &'static str,
    verifier: Verifier,
    tx: mpsc::UnboundedSender<Received>,
}

impl FromRef<Route> for Verifier {
    fn from_ref(route: &Route) -> Self {
        route.verifier.clone()
    }
}

/// Reports a refusal and answers as the extractor would.
fn refuse(route: &Route, rejection: WebhookRejection) -> Response {
    let error = match &rejection {
        WebhookRejection::Webhook(e) => Some(e.clone()),
        _ => None,
    };
    let _ = route
        .tx
        .send(Received::Refused(route.path, rejection.status(), error));
    rejection.into_response()
}

async fn on_event(
    State(route): State<Route>,
    webhook: Result<Webhook<Event<ApiTestOrder>>, WebhookRejection>,
) -> Response {
    match webhook {
        Ok(Webhook(event)) => {
            let _ = route.tx.send(Received::Event(event));
            StatusCode::NO_CONTENT.into_response()
        }
        Err(rejection) => refuse(&route, rejection),
    }
}

async fn on_fields(
    State(route): State<Route>,
    webhook: Result<Webhook<ApiTestOrder>, WebhookRejection>,
) -> Response {
    match webhook {
        Ok(Webhook(order)) => {
            let _ = route.tx.send(Received::Fields(order));
            StatusCode::NO_CONTENT.into_response()
        }
        Err(rejection) => refuse(&route, rejection),
    }
}

/// Starts the receiver on a free port of 127.0.0.1: `/events` and `/fields` expect [`SECRET`],
/// `/wrong-secret` another one.
async fn receiver() -> (SocketAddr, mpsc::UnboundedReceiver<Received>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let route = |path, secret: &str| Route {
        path,
        verifier: Verifier::new(secret).unwrap(),
        tx: tx.clone(),
    };
    let app = Router::new()
        .route("/events", post(on_event))
        .with_state(route("/events", SECRET))
        .merge(
            Router::new()
                .route("/fields", post(on_fields))
                .with_state(route("/fields", SECRET)),
        )
        .merge(
            Router::new()
                .route("/wrong-secret", post(on_event))
                .with_state(route("/wrong-secret", "not the site's secret")),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, rx)
}

/// The next thing received, within [`ARRIVAL`].
async fn next(rx: &mut mpsc::UnboundedReceiver<Received>, waiting_for: &str) -> Received {
    tokio::time::timeout(ARRIVAL, rx.recv())
        .await
        .unwrap_or_else(|_| panic!("no webhook request within {ARRIVAL:?} ({waiting_for})"))
        .expect("the receiver stopped")
}

/// A Webhook on API Test Order for this run's order, signed with [`SECRET`].
fn webhook(name: &str, marker: &str, event: DocEvent, url: String) -> serde_json::Value {
    json!({
        "name": name,
        "webhook_doctype": "API Test Order",
        "webhook_docevent": event.as_str(),
        "condition": format!("doc.customer_name == '{marker}'"),
        "request_url": url,
        "request_method": "POST",
        "request_structure": "JSON",
        "webhook_json": event_template(event),
        "enable_security": 1,
        "webhook_secret": SECRET,
        "enabled": 1,
    })
}

/// The Webhook Request Logs of `webhook`, oldest first.
async fn request_logs(admin: &Client, webhook: &str) -> Vec<Row> {
    admin
        .doctype("Webhook Request Log")
        .list()
        .fields(["name", "response"])
        .filter(json!(["webhook", "=", webhook]))
        .order_by("creation asc")
        .all()
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_site_posts_signed_events_that_decode_and_a_wrong_secret_is_refused() {
    let _orders = crate::support::ORDER_WORKFLOW.read().await;
    let admin = admin();
    let (addr, mut rx) = receiver().await;
    let marker = unique("webhook");
    let url = |path: &str| format!("http://{addr}{path}");

    let on_update = format!("{marker}-on-update");
    let on_submit = format!("{marker}-on-submit");
    let fields = format!("{marker}-fields");
    let wrong = format!("{marker}-wrong-secret");
    let mut fields_hook = webhook(&fields, &marker, DocEvent::OnSubmit, url("/fields"));
    // The "Form URL-Encoded" form: an object of the chosen fields, keyed as each row says
    // (here by their own names, so the body is a partial API Test Order). Sent as JSON all
    // the same.
    fields_hook["request_structure"] = json!("Form URL-Encoded");
    fields_hook["webhook_json"] = json!(null);
    fields_hook["webhook_data"] = json!(
        ["name", "customer_name", "total", "docstatus"].map(|f| json!({"fieldname": f, "key": f}))
    );
    let hooks = [
        webhook(&on_update, &marker, DocEvent::OnUpdate, url("/events")),
        webhook(&on_submit, &marker, DocEvent::OnSubmit, url("/events")),
        fields_hook,
        // `after_insert`: once per order (a submit runs `on_update` too).
        webhook(&wrong, &marker, DocEvent::AfterInsert, url("/wrong-secret")),
    ];
    for hook in &hooks {
        admin.doctype("Webhook").insert(hook).await.unwrap();
    }

    // Insert: `on_update` posts the draft to /events; `after_insert` posts it to /wrong-secret,
    // which refuses it.
    let draft: ApiTestOrder = admin
        .create(
            &Changes::new()
                .set(ApiTestOrder::customer_name, marker.as_str())
                .set(ApiTestOrder::total, 42.5)
                .rows(
                    ApiTestOrder::items,
                    [("bolt", 3, 1.5), ("nut", 10, 0.25)].map(|(item, qty, rate)| {
                        Changes::new()
                            .set(ApiTestOrderItem::item, item)
                            .set(ApiTestOrderItem::qty, qty)
                            .set(ApiTestOrderItem::rate, rate)
                    }),
                ),
        )
        .await
        .unwrap();
    // The worker runs them in the order the hooks ran: `after_insert`'s (its 3 tries) first.
    let mut event = None;
    let mut refused = Vec::new();
    while event.is_none() || refused.is_empty() {
        match next(&mut rx, "the insert's on_update and after_insert").await {
            Received::Event(e) => event = Some(e),
            Received::Refused(path, status, error) => refused.push((path, status, error)),
            other => panic!("unexpected before the submit: {other:?}"),
        }
    }
    let event = event.unwrap();
    assert_eq!(event.event, DocEvent::OnUpdate);
    assert_eq!(event.doc.name, draft.name);
    assert_eq!(event.doc.customer_name, marker);
    assert_eq!(event.doc.docstatus, DocStatus::Draft);
    assert_eq!(event.doc.total, 42.5);
    let rows: Vec<_> = event
        .doc
        .items
        .iter()
        .map(|r| (r.item.as_deref(), r.qty, r.rate))
        .collect();
    assert_eq!(rows, [(Some("bolt"), 3, 1.5), (Some("nut"), 10, 0.25)]);
    for refusal in &refused {
        assert_eq!(
            *refusal,
            (
                "/wrong-secret",
                StatusCode::UNAUTHORIZED,
                Some(WebhookError::BadSignature)
            )
        );
    }

    // Submit: `on_update` and `on_submit` post the submitted order to /events, `on_submit` the
    // chosen fields to /fields. The refused Webhook's retries may arrive meanwhile.
    admin.submit::<ApiTestOrder>(&draft.name).await.unwrap();
    let mut events = Vec::new();
    let mut partial = None;
    let mut refusals = refused.len();
    while events.len() < 2 || partial.is_none() {
        match next(&mut rx, "the submit's on_update and on_submit").await {
            Received::Event(e) => events.push(e),
            Received::Fields(order) => partial = Some(order),
            Received::Refused("/wrong-secret", StatusCode::UNAUTHORIZED, _) => refusals += 1,
            other => panic!("unexpected after the submit: {other:?}"),
        }
    }
    events.sort_by_key(|e| e.event.as_str());
    assert_eq!(
        events.iter().map(|e| e.event).collect::<Vec<_>>(),
        [DocEvent::OnSubmit, DocEvent::OnUpdate]
    );
    for submitted in &events {
        assert_eq!(submitted.doc.name, draft.name);
        assert_eq!(submitted.doc.docstatus, DocStatus::Submitted);
        assert_eq!(submitted.doc.items.len(), 2);
    }
    let partial = partial.unwrap();
    assert_eq!(partial.name, draft.name);
    assert_eq!(partial.customer_name, marker);
    assert_eq!(partial.total, 42.5);
    assert_eq!(partial.docstatus, DocStatus::Submitted);
    assert!(partial.items.is_empty(), "only the chosen fields are sent");

    // The site tries a refused request 3 times and logs each answer: the receiver's 401 text.
    while refusals < 3 {
        match next(&mut rx, "the refused Webhook's retries").await {
            Received::Refused("/wrong-secret", StatusCode::UNAUTHORIZED, _) => refusals += 1,
            other => panic!("unexpected while waiting for retries: {other:?}"),
        }
    }
    let mut logs = request_logs(&admin, &wrong).await;
    for _ in 0..50 {
        if logs.len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        logs = request_logs(&admin, &wrong).await;
    }
    assert_eq!(logs.len(), 3, "{logs:?}");
    for log in &logs {
        assert_eq!(
            log["response"],
            WebhookError::BadSignature.to_string(),
            "{log:?}"
        );
    }

    for hook in [&on_update, &on_submit, &fields, &wrong] {
        for log in request_logs(&admin, hook).await {
            let name = log["name"].as_str().unwrap();
            admin
                .doctype("Webhook Request Log")
                .delete(name)
                .await
                .unwrap();
        }
        admin.doctype("Webhook").delete(hook).await.unwrap();
    }
    admin.cancel::<ApiTestOrder>(&draft.name).await.unwrap();
    admin.delete::<ApiTestOrder>(&draft.name).await.unwrap();
}
