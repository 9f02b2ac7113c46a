//! The JSON of every operator, and of every kind of filter value, against the forms Frappe v15
//! parses (`frappe/utils/data.py get_filter`; recorded requests in `frappe-v15/transcripts`).

use chrono::{NaiveDate, NaiveTime};
use serde_json::json;

use super::*;
use crate::document::{Document, FieldInfo};
use crate::link::{DynamicLink, Link};
use crate::wire::{DocStatus, parse_datetime};

struct Task;
impl Document for Task {
    const DOCTYPE: &'static str = "Task";
    const FIELDS: &'static [FieldInfo] = &[];
}

struct Project;
impl Document for Project {
    const DOCTYPE: &'static str = "Project";
    const FIELDS: &'static [FieldInfo] = &[];
}

struct DependsOn;
impl Document for DependsOn {
    const DOCTYPE: &'static str = "Task Depends On";
    const FIELDS: &'static [FieldInfo] = &[];
}

const SUBJECT: Field<Task, String> = Field::new("subject");
const PROGRESS: Field<Task, f64> = Field::new("progress");
const PRIORITY: Field<Task, i64> = Field::new("priority");
const IS_GROUP: Field<Task, bool> = Field::new("is_group");
const EXP_START: Field<Task, Option<NaiveDate>> = Field::new("exp_start_date");
const COMPLETED_ON: Field<Task, Option<chrono::NaiveDateTime>> = Field::new("completed_on");
const START_TIME: Field<Task, NaiveTime> = Field::new("start_time");
const PROJECT: Field<Task, Option<Link<Project>>> = Field::new("project");
const PARENT_TASK: Field<Task, Link<Task>> = Field::new("parent_task");
const REFERENCE: Field<Task, DynamicLink> = Field::new("reference_name");
const DOCSTATUS: Field<Task, DocStatus> = Field::new("docstatus");
const META: Field<Task, Option<serde_json::Value>> = Field::new("meta");
const DEPENDS_ON: Field<Task, Vec<DependsOn>> = Field::new("depends_on");
const DEP_TASK: Field<DependsOn, Link<Task>> = Field::new("task");
const PROJECT_NAME: Field<Project, String> = Field::new("project_name");

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, d).unwrap()
}

#[test]
fn every_operator() {
    let cases = [
        (SUBJECT.eq("Deploy"), json!(["subject", "=", "Deploy"])),
        (SUBJECT.ne("Deploy"), json!(["subject", "!=", "Deploy"])),
        (PRIORITY.gt(2), json!(["priority", ">", 2])),
        (PRIORITY.lt(2), json!(["priority", "<", 2])),
        (PROGRESS.gte(50.5), json!(["progress", ">=", 50.5])),
        (PROGRESS.lte(99), json!(["progress", "<=", 99.0])),
        (SUBJECT.like("%ops%"), json!(["subject", "like", "%ops%"])),
        (
            SUBJECT.not_like("%ops%"),
            json!(["subject", "not like", "%ops%"]),
        ),
        (PRIORITY.is_in([1, 2]), json!(["priority", "in", [1, 2]])),
        (PRIORITY.is_not_in([3]), json!(["priority", "not in", [3]])),
        (EXP_START.is_set(), json!(["exp_start_date", "is", "set"])),
        (
            EXP_START.is_not_set(),
            json!(["exp_start_date", "is", "not set"]),
        ),
        (
            EXP_START.between(day(1), day(31)),
            json!(["exp_start_date", "between", ["2024-03-01", "2024-03-31"]]),
        ),
        (
            EXP_START.timespan(Timespan::ThisQuarter),
            json!(["exp_start_date", "timespan", "this quarter"]),
        ),
        (
            COMPLETED_ON.previous(Period::ThreeMonths),
            json!(["completed_on", "previous", "3 months"]),
        ),
        (
            COMPLETED_ON.next(Period::OneWeek),
            json!(["completed_on", "next", "1 week"]),
        ),
        (
            PARENT_TASK.ancestors_of("T-9"),
            json!(["parent_task", "ancestors of", "T-9"]),
        ),
        (
            PARENT_TASK.descendants_of("T-1"),
            json!(["parent_task", "descendants of", "T-1"]),
        ),
        (
            PARENT_TASK.not_ancestors_of("T-9"),
            json!(["parent_task", "not ancestors of", "T-9"]),
        ),
        (
            PARENT_TASK.not_descendants_of("T-1"),
            json!(["parent_task", "not descendants of", "T-1"]),
        ),
        (
            PARENT_TASK.descendants_of_inclusive("T-1"),
            json!(["parent_task", "descendants of (inclusive)", "T-1"]),
        ),
    ];
    let mut operators = Vec::new();
    for (filter, expected) in cases {
        assert_eq!(filter.to_json(), expected);
        assert_eq!(filter.to_json()[1], filter.operator().as_str());
        if !operators.contains(&filter.operator()) {
            operators.push(filter.operator());
        }
    }
    // `is` covers both `is set` and `is not set`: 20 distinct operators, Frappe's full list.
    assert_eq!(operators.len(), 20);
}

#[test]
fn values_are_sent_in_frappe_forms() {
    let at = parse_datetime("2024-03-05 09:30:00").unwrap();
    let precise = parse_datetime("2024-03-05 09:30:00.250000").unwrap();
    let nine_thirty = NaiveTime::from_hms_opt(9, 30, 0).unwrap();
    let cases = [
        // Check: bools as 0/1, like the desk sends them.
        (IS_GROUP.eq(true), json!(["is_group", "=", 1])),
        (IS_GROUP.ne(false), json!(["is_group", "!=", 0])),
        (
            IS_GROUP.is_in([true, false]),
            json!(["is_group", "in", [1, 0]]),
        ),
        // Datetime and time: Frappe's own strings, microseconds only when present.
        (
            COMPLETED_ON.gte(at),
            json!(["completed_on", ">=", "2024-03-05 09:30:00"]),
        ),
        (
            COMPLETED_ON.between(at, precise),
            json!([
                "completed_on",
                "between",
                ["2024-03-05 09:30:00", "2024-03-05 09:30:00.250000"]
            ]),
        ),
        (
            START_TIME.lt(nine_thirty),
            json!(["start_time", "<", "09:30:00"]),
        ),
        // Links take names, as strings or as links.
        (
            PROJECT.eq("PROJ-0001"),
            json!(["project", "=", "PROJ-0001"]),
        ),
        (
            PROJECT.eq(Link::<Project>::new("PROJ-0002")),
            json!(["project", "=", "PROJ-0002"]),
        ),
        (PROJECT.like("PROJ-%"), json!(["project", "like", "PROJ-%"])),
        (PROJECT.is_not_set(), json!(["project", "is", "not set"])),
        (
            REFERENCE.eq("ACC-0001"),
            json!(["reference_name", "=", "ACC-0001"]),
        ),
        (
            REFERENCE.not_like("ACC-%"),
            json!(["reference_name", "not like", "ACC-%"]),
        ),
        // docstatus: its number.
        (
            DOCSTATUS.eq(DocStatus::Submitted),
            json!(["docstatus", "=", 1]),
        ),
        (
            DOCSTATUS.lt(DocStatus::Cancelled),
            json!(["docstatus", "<", 2]),
        ),
        // JSON fields compare with the JSON value given.
        (META.eq(json!("x")), json!(["meta", "=", "x"])),
        (META.is_set(), json!(["meta", "is", "set"])),
        // Empty lists are sent as they are (Frappe reads `in []` as `in ('')`).
        (
            SUBJECT.is_in(Vec::<String>::new()),
            json!(["subject", "in", []]),
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(filter.to_json(), expected);
    }
}

#[test]
fn child_table_and_link_projections() {
    assert_eq!(
        DEPENDS_ON.any(DEP_TASK.eq("T-1")).to_json(),
        json!(["Task Depends On", "task", "=", "T-1"])
    );
    assert_eq!(
        DEPENDS_ON.any(DEP_TASK.descendants_of("T-1")).to_json(),
        json!(["Task Depends On", "task", "descendants of", "T-1"])
    );
    let child = DEPENDS_ON.any(DEP_TASK.eq("T-1"));
    assert_eq!(child.child_doctype(), Some("Task Depends On"));
    assert_eq!(child.field(), "task");
    assert_eq!(SUBJECT.eq("x").child_doctype(), None);
    assert_eq!(DEPENDS_ON.column(DEP_TASK), "depends_on.task");
    assert_eq!(PROJECT.column(PROJECT_NAME), "project.project_name");
    assert_eq!(PARENT_TASK.column(SUBJECT), "parent_task.subject");
}

#[test]
fn filters_render_as_one_list() {
    let filters = [SUBJECT.eq("Deploy"), PRIORITY.gte(2)];
    assert_eq!(
        filters_json(&filters),
        json!([["subject", "=", "Deploy"], ["priority", ">=", 2]])
    );
    assert_eq!(filters_json::<Task>(&[]), json!([]));
    // Serialize gives the same form, for filters inside a JSON body.
    assert_eq!(
        serde_json::to_value(&filters).unwrap(),
        filters_json(&filters)
    );
    // As sent in the query string: compact JSON.
    assert_eq!(
        filters_json(&filters[..1]).to_string(),
        r#"[["subject","=","Deploy"]]"#
    );
}

#[test]
fn standard_fields_need_no_declaration() {
    assert_eq!(
        standard::modified::<Task>()
            .gt(parse_datetime("2024-01-01 00:00:00").unwrap())
            .to_json(),
        json!(["modified", ">", "2024-01-01 00:00:00"])
    );
    assert_eq!(
        standard::docstatus::<Task>()
            .ne(DocStatus::Cancelled)
            .to_json(),
        json!(["docstatus", "!=", 2])
    );
    assert_eq!(
        standard::parenttype::<DependsOn>().eq("Task").to_json(),
        json!(["parenttype", "=", "Task"])
    );
    let order = [
        standard::modified::<Task>().desc(),
        standard::name::<Task>().asc(),
    ];
    assert_eq!(order_by_clause(&order), "modified desc, name asc");
    assert_eq!(standard::idx::<Task>().name(), "idx");
    assert_eq!(standard::owner::<Task>().name(), "owner");
    assert_eq!(standard::modified_by::<Task>().name(), "modified_by");
    assert_eq!(standard::creation::<Task>().name(), "creation");
    assert_eq!(standard::parent::<Task>().name(), "parent");
    assert_eq!(standard::parentfield::<Task>().name(), "parentfield");
    // Nullable columns offer `is set`, as an `Option` field of a generated struct does.
    assert_eq!(
        standard::modified_by::<Task>().is_set().to_json(),
        json!(["modified_by", "is", "set"])
    );
}

/// The `T` of a handle, as a `TypeId`.
fn type_of<D, T: 'static>(_: &Field<D, T>) -> std::any::TypeId {
    std::any::TypeId::of::<T>()
}

/// The Rust type `crate::standard` documents for a field: its `StandardType`, in an `Option`
/// when nullable.
fn documented_type(f: &crate::standard::StandardField) -> std::any::TypeId {
    use crate::standard::StandardType as S;
    use chrono::NaiveDateTime;
    use std::any::TypeId;
    match (f.ty, f.nullable) {
        (S::Name | S::Text, false) => TypeId::of::<String>(),
        (S::Name | S::Text, true) => TypeId::of::<Option<String>>(),
        (S::Datetime, false) => TypeId::of::<NaiveDateTime>(),
        (S::Datetime, true) => TypeId::of::<Option<NaiveDateTime>>(),
        (S::DocStatus, false) => TypeId::of::<DocStatus>(),
        (S::DocStatus, true) => TypeId::of::<Option<DocStatus>>(),
        (S::Int, false) => TypeId::of::<i64>(),
        (S::Int, true) => TypeId::of::<Option<i64>>(),
    }
}

#[test]
fn standard_handles_are_the_tables_fields_with_its_types() {
    macro_rules! handles {
        ($($name:ident { $($rest:tt)* })*) => {
            vec![$({
                let handle = standard::$name::<DependsOn>();
                (handle.name(), type_of(&handle))
            }),*]
        };
    }
    let handles = crate::standard::with_standard_fields!(handles);
    let table: Vec<_> = crate::standard::FIELDS
        .iter()
        .map(|f| (f.name, documented_type(f)))
        .collect();
    assert_eq!(handles, table);
}

#[cfg(feature = "decimal")]
#[test]
fn decimals_are_numbers() {
    use rust_decimal::Decimal;
    const TOTAL: Field<Task, Decimal> = Field::new("total");
    assert_eq!(
        TOTAL
            .between(Decimal::new(1050, 2), Decimal::new(20, 0))
            .to_json(),
        json!(["total", "between", [10.5, 20.0]])
    );
}

/// The query parameter `key` of a recorded request in `../shared/frappe-v15/transcripts`.
fn recorded_query(transcript: &str, key: &str) -> String {
    let path = format!(
        "{}/../../shared/frappe-v15/transcripts/{transcript}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let recorded: serde_json::Value = serde_json::from_str(&text).unwrap();
    recorded["request"]["query"][key]
        .as_str()
        .unwrap_or_else(|| panic!("{path}: no query parameter {key}"))
        .to_owned()
}

#[test]
fn typed_filters_match_recorded_requests() {
    struct ToDo;
    impl Document for ToDo {
        const DOCTYPE: &'static str = "ToDo";
        const FIELDS: &'static [FieldInfo] = &[];
    }
    #[derive(Clone, Copy)]
    enum Priority {
        High,
    }
    impl crate::filter::FieldKind for Priority {}
    impl Filterable for Priority {
        type Value = Self;
    }
    impl FilterValue for Priority {
        fn to_filter_value(&self) -> serde_json::Value {
            match self {
                Priority::High => "High".into(),
            }
        }
    }
    const STATUS: Field<ToDo, Option<String>> = Field::new("status");
    const PRIORITY: Field<ToDo, Option<Priority>> = Field::new("priority");
    const DESCRIPTION: Field<ToDo, String> = Field::new("description");
    const DATE: Field<ToDo, Option<NaiveDate>> = Field::new("date");

    let parse = |s: String| serde_json::from_str::<serde_json::Value>(&s).unwrap();
    let cases = [
        (
            "022-list-todo-filters-list-of-lists.json",
            "filters",
            vec![STATUS.eq("Open")],
        ),
        (
            "026-list-todo-filters-like.json",
            "filters",
            vec![DESCRIPTION.like("%two%")],
        ),
        (
            "027-list-todo-filters-is-set.json",
            "filters",
            vec![DATE.is_set()],
        ),
        (
            "028-list-todo-or-filters.json",
            "or_filters",
            vec![STATUS.eq("Closed"), PRIORITY.eq(Priority::High)],
        ),
    ];
    for (transcript, key, filters) in cases {
        assert_eq!(
            filters_json(&filters),
            parse(recorded_query(transcript, key)),
            "{transcript}"
        );
    }
    let order = [
        Field::<ToDo, Option<Priority>>::new("priority").asc(),
        standard::creation::<ToDo>().desc(),
    ];
    assert_eq!(
        order_by_clause(&order),
        recorded_query("029-list-todo-order-by.json", "order_by")
    );
}
