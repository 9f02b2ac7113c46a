//! Semantic JSON comparison: what Frappe would read the same is the same.
//!
//! Numbers compare by value (`2` equals `2.0`: Frappe's `flt`/`cint` read both alike, and a
//! Rust `f64` field always serializes with a fraction). Strings that are both times of day
//! compare as times (`"9:30:00"` equals `"09:30:00"`: Frappe reads Time values back from the
//! database without zero padding and accepts both on write; WIRE.md "Values"). A key holding
//! `null` equals a missing key (single-document GETs omit null fields, other responses send
//! them; a generated struct skips `None`). A blank `""` where the recording has `null` or no key
//! is the same too, in that direction only: a generated Select with a blank option writes `None`
//! as `""`, and Frappe reads both as the blank option (`""` where the recording has `""` must
//! still come back as `""`). Everything else compares exactly.
//! Mismatches are reported with the JSON path at fault.

use serde::Serialize;
use serde_json::Value;

/// The first difference between `got` and `want`, as `path: got … want …`; `None` if equal.
pub fn difference(got: &Value, want: &Value) -> Option<String> {
    diff_at("$", got, want)
}

fn diff_at(path: &str, got: &Value, want: &Value) -> Option<String> {
    match (got, want) {
        (Value::Number(a), Value::Number(b)) => {
            (a.as_f64() != b.as_f64()).then(|| format!("{path}: got {a}, want {b}"))
        }
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                let (x, y) = (a.get(key), b.get(key));
                match (x, y) {
                    (Some(x), Some(y)) => {
                        if let Some(d) = diff_at(&format!("{path}.{key}"), x, y) {
                            return Some(d);
                        }
                    }
                    (Some(Value::Null), None) | (None, Some(Value::Null)) | (None, None) => {}
                    (Some(Value::String(blank)), None) if blank.is_empty() => {}
                    (Some(x), None) => return Some(format!("{path}.{key}: got {x}, want no key")),
                    (None, Some(y)) => return Some(format!("{path}.{key}: missing, want {y}")),
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("{path}: {} elements, want {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| diff_at(&format!("{path}[{i}]"), x, y))
        }
        (Value::String(a), Value::String(b)) if same_time(a, b) => None,
        (Value::String(blank), Value::Null) if blank.is_empty() => None,
        (a, b) => (a != b).then(|| format!("{path}: got {a}, want {b}")),
    }
}

/// Both strings are `H:MM:SS[.ffffff]` times of day, and the same time.
fn same_time(a: &str, b: &str) -> bool {
    let is_time = |s: &str| s.len() >= 7 && s.bytes().filter(|&c| c == b':').count() == 2;
    is_time(a)
        && is_time(b)
        && frappe_runtime::wire::parse_time(a)
            .is_some_and(|t| Some(t) == frappe_runtime::wire::parse_time(b))
}

/// Asserts that `got` and `want` are semantically equal; `what` names the comparison.
#[track_caller]
pub fn assert_same(what: &str, got: &Value, want: &Value) {
    if let Some(d) = difference(got, want) {
        panic!("{what}: {d}\n got: {got}\nwant: {want}");
    }
}

/// Asserts that `typed`, serialized back with its own serde attributes, carries the recorded
/// value for every key it has (a key the server omitted counts as `null`). Returns how many
/// keys were compared, so a caller can assert the comparison was not vacuous.
#[track_caller]
pub fn assert_round_trip<T: Serialize>(what: &str, typed: &T, recorded: &Value) -> usize {
    let typed = serde_json::to_value(typed).unwrap_or_else(|e| panic!("{what}: serialize: {e}"));
    let Value::Object(fields) = typed else {
        panic!("{what}: the typed value is not a JSON object");
    };
    for (key, value) in &fields {
        let want = recorded.get(key).unwrap_or(&Value::Null);
        if let Some(d) = diff_at(&format!("$.{key}"), value, want) {
            panic!("{what}: {d}");
        }
    }
    fields.len()
}

/// Asserts that every key of the `recorded` object comes back from `typed` (serialized with its
/// own serde attributes) with the same value: nothing the server sent was lost or changed.
/// Returns how many keys were compared.
#[track_caller]
pub fn assert_keeps<T: Serialize>(what: &str, typed: &T, recorded: &Value) -> usize {
    let typed = serde_json::to_value(typed).unwrap_or_else(|e| panic!("{what}: serialize: {e}"));
    let Value::Object(recorded) = recorded else {
        panic!("{what}: the recorded value is not a JSON object");
    };
    for (key, want) in recorded {
        let got = typed.get(key).unwrap_or(&Value::Null);
        if let Some(d) = diff_at(&format!("$.{key}"), got, want) {
            panic!("{what}: {d}");
        }
    }
    recorded.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value_everything_else_exactly() {
        assert_eq!(
            difference(&json!({"q": 2.0, "a": [1]}), &json!({"a": [1.0], "q": 2})),
            None
        );
        assert_eq!(
            difference(
                &json!({"a": {"b": [1, "x"]}}),
                &json!({"a": {"b": [1, "y"]}})
            ),
            Some(r#"$.a.b[1]: got "x", want "y""#.to_owned())
        );
        assert!(
            difference(&json!({"a": 1}), &json!({}))
                .unwrap()
                .contains("want no key")
        );
        assert!(
            difference(&json!({}), &json!({"a": 1}))
                .unwrap()
                .contains("missing")
        );
        assert_eq!(difference(&json!({}), &json!({"a": null})), None);
        assert_eq!(
            difference(&json!({"b": [{"c": null}]}), &json!({"b": [{}]})),
            None
        );
        assert!(difference(&json!("1"), &json!(1)).is_some());
        assert_eq!(difference(&json!("09:30:00"), &json!("9:30:00")), None);
        assert_eq!(
            difference(&json!("6:06:36.642034"), &json!("06:06:36.642034")),
            None
        );
        assert!(difference(&json!("9:30:00"), &json!("9:30:01")).is_some());
        assert!(difference(&json!("a:b:cdefg"), &json!("a:b:cdefh")).is_some());
    }

    #[test]
    fn a_blank_written_for_null_is_the_same_but_not_the_reverse() {
        // A blank Select's `None` goes out as `""` where the server had `null` or no key.
        assert_eq!(difference(&json!({"m": ""}), &json!({"m": null})), None);
        assert_eq!(difference(&json!({"m": ""}), &json!({})), None);
        // A recorded `""` must come back as `""`; other values are not blank.
        assert!(difference(&json!({"m": null}), &json!({"m": ""})).is_some());
        assert!(difference(&json!({}), &json!({"m": ""})).is_some());
        assert!(difference(&json!({"m": " "}), &json!({"m": null})).is_some());
    }

    #[test]
    fn round_trip_reports_the_first_differing_key() {
        let typed = json!({"name": "x", "qty": 2.0, "gone": null});
        assert_eq!(
            assert_round_trip("t", &typed, &json!({"name": "x", "qty": 2})),
            3
        );
        let err = std::panic::catch_unwind(|| {
            assert_round_trip("t", &json!({"name": "y"}), &json!({"name": "x"}))
        })
        .unwrap_err();
        let msg = err.downcast_ref::<String>().unwrap();
        assert!(msg.contains("$.name"), "{msg}");
    }
}
