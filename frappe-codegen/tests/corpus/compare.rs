//! Copied into the corpus-check crate as `tests/compare.rs`: does serialized output keep
//! everything a Frappe document body held?
//!
//! Equal means: the same JSON, where a `null` input may come back absent (single-document GETs
//! omit nulls, and optional fields skip `None`) or as `""` (a Select with a blank option writes
//! `None` as the blank option, which Frappe reads as it reads `null`), numbers compare by value (`2` and `2.0`), a
//! Check's `true` may come back as `1`, and Time / Datetime strings compare by the time they
//! denote (`"9:30:00"` comes back `"09:30:00"`). Extra output keys are allowed.

use serde_json::Value;

/// The differences, as `json path: what`.
pub fn lost(input: &Value, output: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(input, output, "", &mut out);
    out
}

fn walk(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, av) in a {
                let p = format!("{path}.{k}");
                match b.get(k) {
                    None if av.is_null() => {}
                    None => out.push(format!("{p}: missing (was {av})")),
                    Some(bv) => walk(av, bv, &p, out),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (av, bv)) in a.iter().zip(b).enumerate() {
                walk(av, bv, &format!("{path}[{i}]"), out);
            }
        }
        _ if same_scalar(a, b) => {}
        _ => out.push(format!("{path}: {a} became {b}")),
    }
}

fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Null, Value::String(y)) => y.is_empty(),
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Bool(x), Value::Number(y)) => y.as_f64() == Some(f64::from(u8::from(*x))),
        (Value::String(x), Value::String(y)) => x == y || same_time(x, y),
        _ => a == b,
    }
}

fn same_time(x: &str, y: &str) -> bool {
    let t = |s: &str| chrono::NaiveTime::parse_from_str(s, "%H:%M:%S%.f").ok();
    let dt = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").ok();
    (t(x).is_some() && t(x) == t(y)) || (dt(x).is_some() && dt(x) == dt(y))
}
