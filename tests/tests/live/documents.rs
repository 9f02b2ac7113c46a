//! Create, read, update and delete round trips, and the submit / cancel / amend cycle of the
//! seeded submittable "API Test Order" with child rows.

use chrono::NaiveDate;
use frappe_runtime::{Changes, DocStatus, Link};
use frappe_tests::live_site::custom::{ApiTestOrder, ApiTestOrderItem, ApiTestOrderStatus};
use frappe_tests::live_site::desk::{ToDo, ToDoPriority, ToDoStatus};

use crate::support::{admin, unique};

#[tokio::test]
async fn a_document_round_trips_every_field() {
    let _orders = crate::support::ORDER_WORKFLOW.read().await;
    let admin = admin();
    let description = unique("crud");
    let created: ToDo = admin
        .create(
            &Changes::new()
                .set(ToDo::description, description.as_str())
                .set(ToDo::status, ToDoStatus::Open)
                .set(ToDo::priority, ToDoPriority::High)
                .set(ToDo::date, NaiveDate::from_ymd_opt(2026, 3, 4).unwrap())
                .set(ToDo::color, "#ff0000")
                .set(ToDo::allocated_to, "Administrator")
                .set(ToDo::role, "System Manager"),
        )
        .await
        .unwrap();
    assert_eq!(created.priority, Some(ToDoPriority::High));
    assert_eq!(created.date, NaiveDate::from_ymd_opt(2026, 3, 4));
    assert_eq!(created.color.as_deref(), Some("#ff0000"));
    assert_eq!(created.docstatus, DocStatus::Draft);

    let read: ToDo = admin.get(&created.name).await.unwrap();
    assert_eq!(
        read, created,
        "what get returns equals what create returned"
    );

    // The whole document sent back unchanged keeps every field.
    let same: ToDo = admin
        .update(&created.name, &Changes::from_document(&read).unwrap())
        .await
        .unwrap();
    let mut expected = read.clone();
    expected.modified = same.modified;
    assert_eq!(same, expected);

    let closed: ToDo = admin
        .update(
            &created.name,
            &Changes::new()
                .set(ToDo::status, ToDoStatus::Closed)
                .clear(ToDo::color),
        )
        .await
        .unwrap();
    assert_eq!(closed.status, Some(ToDoStatus::Closed));
    assert_eq!(closed.color, None);
    assert_eq!(
        closed.priority,
        Some(ToDoPriority::High),
        "untouched fields stay"
    );

    admin.delete::<ToDo>(&created.name).await.unwrap();
    let err = admin.get::<ToDo>(&created.name).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

fn order(customer: &str, items: &[(&str, i64, f64)]) -> Changes<ApiTestOrder> {
    Changes::new()
        .set(ApiTestOrder::customer_name, customer)
        .set(
            ApiTestOrder::order_date,
            NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
        )
        .set(ApiTestOrder::status, ApiTestOrderStatus::Confirmed)
        .rows(
            ApiTestOrder::items,
            items.iter().map(|(item, qty, rate)| {
                Changes::new()
                    .set(ApiTestOrderItem::item, *item)
                    .set(ApiTestOrderItem::qty, *qty)
                    .set(ApiTestOrderItem::rate, *rate)
            }),
        )
}

#[tokio::test]
async fn submit_cancel_and_amend_keep_the_child_rows() {
    let _orders = crate::support::ORDER_WORKFLOW.read().await;
    let admin = admin();
    let customer = unique("order");
    let draft: ApiTestOrder = admin
        .create(&order(
            &customer,
            &[("Widget", 2, 10.5), ("Gadget", 1, 99.0)],
        ))
        .await
        .unwrap();
    assert_eq!(draft.docstatus, DocStatus::Draft);
    assert_eq!(draft.items.len(), 2);
    assert_eq!(draft.items[0].item.as_deref(), Some("Widget"));
    assert_eq!(draft.items[1].rate, 99.0);
    assert_eq!(draft.items[0].parent.as_deref(), Some(draft.name.as_str()));

    let submitted: ApiTestOrder = admin.submit(&draft.name).await.unwrap();
    assert_eq!(submitted.docstatus, DocStatus::Submitted);
    // A submitted document cannot be edited.
    let err = admin
        .update::<ApiTestOrder>(
            &draft.name,
            &Changes::new().set(ApiTestOrder::customer_name, "changed"),
        )
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err:?}");

    let cancelled: ApiTestOrder = admin.cancel(&draft.name).await.unwrap();
    assert_eq!(cancelled.docstatus, DocStatus::Cancelled);

    let amended: ApiTestOrder = admin.amend(&draft.name).await.unwrap();
    assert_eq!(amended.docstatus, DocStatus::Draft);
    assert_eq!(
        amended.amended_from.as_ref().map(Link::as_str),
        Some(draft.name.as_str())
    );
    assert_eq!(amended.name, format!("{}-1", draft.name));
    let items: Vec<_> = amended
        .items
        .iter()
        .map(|i| (i.item.clone(), i.qty))
        .collect();
    assert_eq!(
        items,
        [(Some("Widget".into()), 2), (Some("Gadget".into()), 1)]
    );

    admin.delete::<ApiTestOrder>(&amended.name).await.unwrap();
    admin.delete::<ApiTestOrder>(&draft.name).await.unwrap();
}

#[tokio::test]
async fn a_child_table_filter_finds_the_parent() {
    let _orders = crate::support::ORDER_WORKFLOW.read().await;
    let admin = admin();
    let customer = unique("child-filter");
    let marker = unique("item");
    let with: ApiTestOrder = admin
        .create(&order(
            &customer,
            &[("Widget", 1, 1.0), (marker.as_str(), 3, 2.0)],
        ))
        .await
        .unwrap();
    let without: ApiTestOrder = admin
        .create(&order(&customer, &[("Widget", 1, 1.0)]))
        .await
        .unwrap();

    let found: Vec<ApiTestOrder> = admin
        .list::<ApiTestOrder>()
        .filter(ApiTestOrder::customer_name.eq(customer.as_str()))
        .filter(ApiTestOrder::items.any(ApiTestOrderItem::item.eq(marker.as_str())))
        .send()
        .await
        .unwrap();
    let names: Vec<_> = found.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, [with.name.as_str()]);

    // `table.field` projection: one row per child row.
    let rows: Vec<frappe_runtime::Row> = admin
        .doctype("API Test Order")
        .list()
        .fields([
            "name".to_owned(),
            ApiTestOrder::items.column(ApiTestOrderItem::item),
        ])
        .filter(serde_json::json!(["customer_name", "=", customer]))
        .limit(100)
        .send()
        .await
        .unwrap();
    let mut pairs: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or_default().to_owned(),
                r["item"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    pairs.sort();
    let mut expected = vec![
        (with.name.clone(), "Widget".to_owned()),
        (with.name.clone(), marker.clone()),
        (without.name.clone(), "Widget".to_owned()),
    ];
    expected.sort();
    assert_eq!(pairs, expected);

    admin.delete::<ApiTestOrder>(&with.name).await.unwrap();
    admin.delete::<ApiTestOrder>(&without.name).await.unwrap();
}
