//! One struct with a field of every Rust type frappe-codegen emits (see its fieldtype table),
//! derived like generated code: each field's handle renders the filter JSON Frappe expects, and
//! a document body survives a serde round trip.

use chrono::{NaiveDate, NaiveTime};
use frappe_runtime::filter::{Period, Timespan, filters_json, order_by_clause};
use frappe_runtime::wire::{self, DocStatus};
use frappe_runtime::{Choice, Document, DynamicLink, Link};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Document)]
#[frappe(doctype = "Kitchen Sink", submittable)]
struct KitchenSink {
    name: String,
    /// Data (not reqd)
    #[serde(default)]
    description: Option<String>,
    /// Int
    #[serde(default, with = "wire::null_default")]
    qty: i64,
    /// Float / Currency
    #[serde(default, with = "wire::null_default")]
    rate: f64,
    /// Check
    #[serde(with = "wire::check")]
    is_active: bool,
    /// Date (reqd)
    posting_date: NaiveDate,
    /// Date
    #[serde(default)]
    due_date: Option<NaiveDate>,
    /// Datetime (reqd)
    #[serde(with = "wire::datetime")]
    starts_on: chrono::NaiveDateTime,
    /// Datetime
    #[serde(default, with = "wire::datetime::option")]
    completed_on: Option<chrono::NaiveDateTime>,
    /// Time (reqd)
    #[serde(with = "wire::time")]
    start_time: NaiveTime,
    /// Time
    #[serde(default, with = "wire::time::option")]
    end_time: Option<NaiveTime>,
    /// Duration (seconds)
    #[serde(default)]
    duration: Option<f64>,
    /// Link (reqd)
    customer: Link<Customer>,
    /// Link
    #[serde(default)]
    parent_sink: Option<Link<KitchenSink>>,
    /// Dynamic Link (reqd)
    reference_name: DynamicLink,
    /// Dynamic Link
    #[serde(default)]
    party: Option<DynamicLink>,
    /// Select (reqd)
    status: Status,
    /// Select
    #[serde(default)]
    priority: Option<Priority>,
    /// Table
    #[serde(default)]
    items: Vec<SinkItem>,
    /// JSON (reqd)
    meta: serde_json::Value,
    /// JSON
    #[serde(default)]
    extra: Option<serde_json::Value>,
    docstatus: DocStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Document)]
#[frappe(doctype = "Kitchen Sink Item", child)]
struct SinkItem {
    item_code: String,
    #[serde(default, with = "wire::null_default")]
    qty: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Document)]
#[frappe(doctype = "Customer")]
struct Customer {
    name: String,
    customer_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Choice)]
enum Status {
    Draft,
    #[serde(rename = "To Bill")]
    ToBill,
    Completed,
    /// A value that is not among the options this code was generated from.
    #[serde(untagged)]
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Choice)]
enum Priority {
    Low,
    Medium,
    High,
}

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, day).unwrap()
}

#[test]
fn document_metadata() {
    assert_eq!(KitchenSink::DOCTYPE, "Kitchen Sink");
    const { assert!(!KitchenSink::IS_CHILD && !KitchenSink::IS_SINGLE && SinkItem::IS_CHILD) };
    let fields: Vec<&str> = KitchenSink::FIELDS.iter().map(|f| f.name).collect();
    assert_eq!(fields.len(), 22);
    // Child tables are fields but not columns: lists do not request them.
    assert!(fields.contains(&"items"));
    assert!(!KitchenSink::list_fields().contains(&"items"));
    assert_eq!(KitchenSink::list_fields().len(), 21);
    fn submittable<D: frappe_runtime::Submittable>() {}
    submittable::<KitchenSink>();
}

#[test]
fn every_field_type_renders_its_filters() {
    let at = wire::parse_datetime("2024-05-02 08:00:00").unwrap();
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    let cases = [
        (
            KitchenSink::name.eq("KS-0001"),
            json!(["name", "=", "KS-0001"]),
        ),
        (
            KitchenSink::name.like("KS-%"),
            json!(["name", "like", "KS-%"]),
        ),
        (
            KitchenSink::description.not_like("%draft%"),
            json!(["description", "not like", "%draft%"]),
        ),
        (
            KitchenSink::description.is_set(),
            json!(["description", "is", "set"]),
        ),
        (KitchenSink::qty.gt(10), json!(["qty", ">", 10])),
        (
            KitchenSink::qty.between(1, 5),
            json!(["qty", "between", [1, 5]]),
        ),
        (KitchenSink::rate.lte(9.5), json!(["rate", "<=", 9.5])),
        (
            KitchenSink::is_active.eq(true),
            json!(["is_active", "=", 1]),
        ),
        (
            KitchenSink::is_active.ne(true),
            json!(["is_active", "!=", 1]),
        ),
        (
            KitchenSink::posting_date.gte(date(1)),
            json!(["posting_date", ">=", "2024-05-01"]),
        ),
        (
            KitchenSink::posting_date.timespan(Timespan::LastMonth),
            json!(["posting_date", "timespan", "last month"]),
        ),
        (
            KitchenSink::due_date.is_not_set(),
            json!(["due_date", "is", "not set"]),
        ),
        (
            KitchenSink::due_date.between(date(1), date(31)),
            json!(["due_date", "between", ["2024-05-01", "2024-05-31"]]),
        ),
        (
            KitchenSink::starts_on.lt(at),
            json!(["starts_on", "<", "2024-05-02 08:00:00"]),
        ),
        (
            KitchenSink::completed_on.previous(Period::OneYear),
            json!(["completed_on", "previous", "1 year"]),
        ),
        (
            KitchenSink::start_time.gte(nine),
            json!(["start_time", ">=", "09:00:00"]),
        ),
        (
            KitchenSink::end_time.is_set(),
            json!(["end_time", "is", "set"]),
        ),
        (
            KitchenSink::duration.gt(3600),
            json!(["duration", ">", 3600.0]),
        ),
        (
            KitchenSink::customer.eq(Link::<Customer>::new("CUST-1")),
            json!(["customer", "=", "CUST-1"]),
        ),
        (
            KitchenSink::customer.is_in(["CUST-1", "CUST-2"]),
            json!(["customer", "in", ["CUST-1", "CUST-2"]]),
        ),
        (
            KitchenSink::parent_sink.descendants_of("KS-ROOT"),
            json!(["parent_sink", "descendants of", "KS-ROOT"]),
        ),
        (
            KitchenSink::reference_name.eq("ACC-1"),
            json!(["reference_name", "=", "ACC-1"]),
        ),
        (
            KitchenSink::party.like("P-%"),
            json!(["party", "like", "P-%"]),
        ),
        (
            KitchenSink::status.eq(Status::ToBill),
            json!(["status", "=", "To Bill"]),
        ),
        (
            KitchenSink::status.is_not_in([Status::Draft, Status::Other("Legacy".into())]),
            json!(["status", "not in", ["Draft", "Legacy"]]),
        ),
        (
            KitchenSink::priority.eq(Priority::High),
            json!(["priority", "=", "High"]),
        ),
        (
            KitchenSink::priority.is_not_set(),
            json!(["priority", "is", "not set"]),
        ),
        (
            KitchenSink::items.any(SinkItem::item_code.eq("WIDGET")),
            json!(["Kitchen Sink Item", "item_code", "=", "WIDGET"]),
        ),
        (
            KitchenSink::items.any(SinkItem::qty.gte(2)),
            json!(["Kitchen Sink Item", "qty", ">=", 2]),
        ),
        (KitchenSink::meta.eq(json!("x")), json!(["meta", "=", "x"])),
        (KitchenSink::extra.is_set(), json!(["extra", "is", "set"])),
        (
            KitchenSink::docstatus.eq(DocStatus::Submitted),
            json!(["docstatus", "=", 1]),
        ),
        (
            KitchenSink::docstatus.lt(DocStatus::Cancelled),
            json!(["docstatus", "<", 2]),
        ),
    ];
    for (filter, expected) in &cases {
        assert_eq!(&filter.to_json(), expected);
    }
    let all: Vec<_> = cases.into_iter().map(|(filter, _)| filter).collect();
    assert_eq!(filters_json(&all).as_array().map(Vec::len), Some(33));
}

#[test]
fn order_by_and_projections() {
    let order = [KitchenSink::posting_date.desc(), KitchenSink::name.asc()];
    assert_eq!(order_by_clause(&order), "posting_date desc, name asc");
    assert_eq!(
        KitchenSink::items.column(SinkItem::item_code),
        "items.item_code"
    );
    assert_eq!(
        KitchenSink::customer.column(Customer::customer_name),
        "customer.customer_name"
    );
}

#[test]
fn choice_maps_wire_strings() {
    assert_eq!(Status::OPTIONS, ["Draft", "To Bill", "Completed"]);
    assert_eq!(Status::ToBill.as_str(), "To Bill");
    assert_eq!(Status::from_wire("To Bill"), Some(Status::ToBill));
    assert_eq!(
        Status::from_wire("Overdue"),
        Some(Status::Other("Overdue".into()))
    );
    assert_eq!(Priority::from_wire("Urgent"), None);
    // serde and Choice agree on every option.
    for option in Status::OPTIONS {
        let parsed: Status = serde_json::from_value(json!(option)).unwrap();
        assert_eq!(parsed.as_str(), *option);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(option));
    }
}

#[test]
fn serde_round_trip() {
    let body = json!({
        "name": "KS-0001",
        "description": "everything",
        "qty": 3,
        "rate": 12.5,
        "is_active": 1,
        "posting_date": "2024-05-01",
        "due_date": null,
        "starts_on": "2024-05-02 08:00:00",
        "completed_on": "2024-05-03 17:30:00.250000",
        "start_time": "09:00:00",
        "end_time": "17:30:00",
        "duration": 3600.0,
        "customer": "CUST-1",
        "parent_sink": "KS-ROOT",
        "reference_name": "ACC-1",
        "party": null,
        "status": "To Bill",
        "priority": "High",
        "items": [{"item_code": "WIDGET", "qty": 2}],
        "meta": "{\"a\": 1}",
        "extra": {"b": [1, 2]},
        "docstatus": 1
    });
    let doc: KitchenSink = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(doc.status, Status::ToBill);
    assert!(doc.is_active);
    assert_eq!(doc.items[0].item_code, "WIDGET");
    assert_eq!(serde_json::to_value(&doc).unwrap(), body);

    // Values outside the generated options survive through the catch-all.
    let mut odd = body;
    odd["status"] = json!("Overdue");
    let doc: KitchenSink = serde_json::from_value(odd.clone()).unwrap();
    assert_eq!(doc.status, Status::Other("Overdue".into()));
    assert_eq!(serde_json::to_value(&doc).unwrap(), odd);
}
