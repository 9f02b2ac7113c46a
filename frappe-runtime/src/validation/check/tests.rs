use serde_json::{Value, json};

use super::*;
use crate::document::FieldInfo;

struct Order;
impl Document for Order {
    const DOCTYPE: &'static str = "API Test Order";
    const FIELDS: &'static [FieldInfo] = &[];
    const RULES: &'static [FieldRule] = &[
        FieldRule::new("customer_name").mandatory().max_length(140),
        FieldRule::new("status")
            .max_length(140)
            .options(&["Draft", "Open", "Closed"]),
        FieldRule::new("qty").max_abs(2_147_483_647).non_negative(),
        FieldRule::new("total").non_negative(),
        FieldRule::new("big").max_abs(i64::MAX as u64),
        FieldRule::new("code").max_length(5),
        FieldRule::new("items").mandatory().rows::<Item>(),
    ];
}

struct Item;
impl Document for Item {
    const DOCTYPE: &'static str = "API Test Order Item";
    const FIELDS: &'static [FieldInfo] = &[];
    const IS_CHILD: bool = true;
    const RULES: &'static [FieldRule] = &[
        FieldRule::new("item_code").mandatory().max_length(140),
        FieldRule::new("qty").non_negative(),
    ];
}

struct Free;
impl Document for Free {
    const DOCTYPE: &'static str = "Free";
    const FIELDS: &'static [FieldInfo] = &[];
}

fn check(body: Value, mode: Mode) -> Result<(), ValidationError> {
    validate::<Order>(body.as_object().expect("an object"), mode, Validation::Full)
}

fn rules_broken(body: Value, mode: Mode) -> Vec<(Option<usize>, &'static str, Rule)> {
    match check(body, mode) {
        Ok(()) => Vec::new(),
        Err(e) => {
            assert_eq!(e.doctype, "API Test Order");
            e.problems
                .into_iter()
                .map(|p| (p.row.map(|r| r.idx), p.field, p.rule))
                .collect()
        }
    }
}

fn valid_order() -> Value {
    json!({
        "customer_name": "Ada",
        "status": "Open",
        "qty": 3,
        "total": 10.5,
        "items": [{"item_code": "A", "qty": 1}],
    })
}

#[test]
fn a_valid_document_passes() {
    assert_eq!(check(valid_order(), Mode::Create), Ok(()));
}

#[test]
fn a_document_type_without_rules_checks_nothing() {
    let body = json!({"anything": -1});
    let body = body.as_object().unwrap();
    assert_eq!(
        validate::<Free>(body, Mode::Create, Validation::Full),
        Ok(())
    );
}

#[test]
fn values_leaves_mandatory_fields_and_options_to_the_server_and_off_checks_nothing() {
    let body = json!({"customer_name": "", "qty": -1, "status": "Nope"});
    let body = body.as_object().unwrap();
    let err = validate::<Order>(body, Mode::Create, Validation::Values).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert_eq!(err.problems[0].rule, Rule::NonNegative);
    assert_eq!(
        validate::<Order>(body, Mode::Create, Validation::Off),
        Ok(())
    );
    assert_eq!(Validation::default(), Validation::Values);
}

#[test]
fn create_needs_every_mandatory_field() {
    assert_eq!(
        rules_broken(json!({}), Mode::Create),
        vec![
            (None, "customer_name", Rule::Mandatory),
            (None, "items", Rule::Mandatory)
        ]
    );
}

#[test]
fn null_blank_text_and_no_rows_are_missing() {
    let body = json!({"customer_name": "  \n", "items": []});
    assert_eq!(
        rules_broken(body, Mode::Create),
        vec![
            (None, "customer_name", Rule::Mandatory),
            (None, "items", Rule::Mandatory)
        ]
    );
    let body = json!({"customer_name": null, "items": [{"item_code": "A"}]});
    assert_eq!(
        rules_broken(body, Mode::Create),
        vec![(None, "customer_name", Rule::Mandatory)]
    );
}

#[test]
fn numbers_and_tags_count_as_a_value() {
    // Frappe's has_content: str(0) is "0"; text made only of tags is left to the server.
    let body = json!({"customer_name": "<p></p>", "items": [{"item_code": 0}]});
    assert_eq!(check(body, Mode::Create), Ok(()));
}

#[test]
fn update_checks_only_what_is_sent() {
    assert_eq!(check(json!({"status": "Closed"}), Mode::Update), Ok(()));
    assert_eq!(
        rules_broken(json!({"customer_name": ""}), Mode::Update),
        vec![(None, "customer_name", Rule::Mandatory)]
    );
}

#[test]
fn rows_sent_in_an_update_are_checked_whole() {
    let body = json!({"items": [{"qty": 1}]});
    assert_eq!(
        rules_broken(body, Mode::Update),
        vec![(Some(1), "item_code", Rule::Mandatory)]
    );
}

#[test]
fn length_counts_characters_not_bytes() {
    let mut body = valid_order();
    body["code"] = json!("ééééé");
    assert_eq!(check(body.clone(), Mode::Create), Ok(()));
    body["code"] = json!("éééééé");
    assert_eq!(
        rules_broken(body, Mode::Create),
        vec![(None, "code", Rule::Length { max: 5, len: 6 })]
    );
}

#[test]
fn int_range_is_frappes_absolute_value_test() {
    let mut body = valid_order();
    body["qty"] = json!(2_147_483_647_i64);
    assert_eq!(check(body.clone(), Mode::Create), Ok(()));
    body["qty"] = json!(2_147_483_648_i64);
    assert_eq!(
        rules_broken(body.clone(), Mode::Create),
        vec![(None, "qty", Rule::Range { max: 2_147_483_647 })]
    );
    // abs(-2^31) > 2^31-1: Frappe refuses the smallest int too.
    body["qty"] = json!(-2_147_483_648_i64);
    let broken = rules_broken(body.clone(), Mode::Create);
    assert!(broken.contains(&(None, "qty", Rule::Range { max: 2_147_483_647 })));
    body["qty"] = json!("3000000000");
    assert_eq!(
        rules_broken(body, Mode::Create),
        vec![(None, "qty", Rule::Range { max: 2_147_483_647 })]
    );
}

#[test]
fn bigint_refuses_only_the_smallest_i64() {
    let mut body = valid_order();
    body["big"] = json!(i64::MAX);
    assert_eq!(check(body.clone(), Mode::Create), Ok(()));
    body["big"] = json!(i64::MIN);
    assert_eq!(
        rules_broken(body, Mode::Create),
        vec![(
            None,
            "big",
            Rule::Range {
                max: i64::MAX as u64
            }
        )]
    );
}

#[test]
fn negative_numbers_are_refused_where_non_negative() {
    let mut body = valid_order();
    body["total"] = json!(-0.01);
    body["items"][0]["qty"] = json!(-1);
    assert_eq!(
        rules_broken(body, Mode::Create),
        vec![
            (None, "total", Rule::NonNegative),
            (Some(1), "qty", Rule::NonNegative)
        ]
    );
}

#[test]
fn select_values_are_stripped_and_compared_with_the_options() {
    let mut body = valid_order();
    body["status"] = json!(" Closed ");
    assert_eq!(check(body.clone(), Mode::Create), Ok(()));
    body["status"] = json!("");
    assert_eq!(check(body.clone(), Mode::Create), Ok(()));
    // Python finds 0 false, so Frappe does not check it against the options; 1 it does.
    body["status"] = json!(0);
    assert_eq!(check(body.clone(), Mode::Create), Ok(()));
    body["status"] = json!(1);
    assert_eq!(rules_broken(body.clone(), Mode::Create).len(), 1);
    // Stripped before it is measured too.
    body["status"] = json!(format!("Open{}", " ".repeat(200)));
    assert_eq!(check(body.clone(), Mode::Create), Ok(()));
    body["status"] = json!("closed");
    assert_eq!(
        rules_broken(body, Mode::Create),
        vec![(
            None,
            "status",
            Rule::Options {
                options: &["Draft", "Open", "Closed"]
            }
        )]
    );
}

#[test]
fn every_problem_is_listed_with_child_rows_last() {
    let body = json!({
        "customer_name": "x".repeat(141),
        "status": "Nope",
        "qty": -1,
        "items": [{"item_code": "A"}, {"item_code": "", "qty": -2}],
    });
    let err = check(body, Mode::Create).unwrap_err();
    let fields: Vec<_> = err
        .problems
        .iter()
        .map(|p| (p.row.map(|r| (r.table, r.doctype, r.idx)), p.field))
        .collect();
    assert_eq!(
        fields,
        vec![
            (None, "customer_name"),
            (None, "status"),
            (None, "qty"),
            (Some(("items", "API Test Order Item", 2)), "item_code"),
            (Some(("items", "API Test Order Item", 2)), "qty"),
        ]
    );
    assert_eq!(err.field("qty").count(), 1);
}

#[test]
fn display_names_fields_and_rules_but_never_values() {
    let body = json!({
        "customer_name": "secret-".repeat(30),
        "status": "hunter2",
        "items": [{"qty": 1}],
    });
    let err = check(body, Mode::Create).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert_eq!(
        err.to_string(),
        "API Test Order: customer_name is longer than the 140 characters allowed; \
         status is not one of the options \"Draft\", \"Open\", \"Closed\"; \
         items row 1: item_code is mandatory but has no value"
    );
    assert!(!shown.contains("secret-"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
}
