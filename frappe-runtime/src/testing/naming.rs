//! Naming a new document as `frappe/model/naming.py set_new_name` does: autoincrement, the
//! amended name (`<amended_from>-1`, `-2`, ...), Singles, `field:<f>`, `naming_series:`,
//! `prompt` (the body's `name` or `__newname`), a series in `autoname` (`PREFIX-.####`), and the
//! hash otherwise (4 characters of time in base32hex, 6 random ones). `format:` autonames
//! answer 501, and so does inserting a Document Naming Rule (`docs::insert`).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::error::{SiteError, SiteResult};
use super::meta::DocTypeMeta;

/// The counters naming keeps: one per series prefix (`tabSeries`), one per autoincrement
/// DocType (its sequence).
#[derive(Debug, Default)]
pub(crate) struct Counters {
    series: HashMap<String, u64>,
    sequences: HashMap<String, i64>,
}

impl Counters {
    /// The next value of the autoincrement sequence of `doctype`.
    pub(crate) fn next_sequence(&mut self, doctype: &str) -> i64 {
        let n = self.sequences.entry(doctype.to_owned()).or_insert(0);
        *n += 1;
        *n
    }

    fn next_series(&mut self, prefix: &str) -> u64 {
        let n = self.series.entry(prefix.to_owned()).or_insert(0);
        *n += 1;
        *n
    }
}

/// `make_autoname("hash")`.
pub(crate) fn hash_name() -> String {
    const B32HEX: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
    let deciseconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() / 100)
        .unwrap_or_default();
    let ts = (deciseconds % (32u128.pow(4))) as usize;
    let mut name = String::with_capacity(10);
    for shift in [15, 10, 5, 0] {
        name.push(B32HEX[(ts >> shift) & 31] as char);
    }
    for _ in 0..6 {
        // `_generate_random_string`: base32hex too.
        name.push(B32HEX[fastrand::usize(..B32HEX.len())] as char);
    }
    name
}

/// A series key such as `PREFIX-.####` or `SINV-.YYYY.-.#####` evaluated: the prefix up to
/// the hashes (dates filled in) keeps its own counter.
fn series_name(key: &str, counters: &mut Counters, doc: &Map<String, Value>) -> SiteResult<String> {
    let key = if key.contains('#') {
        key.to_owned()
    } else {
        format!("{key}.#####")
    };
    let today = chrono::Local::now().date_naive();
    let mut name = String::new();
    let mut numbered = false;
    for part in key.split('.') {
        let part_value = if !part.is_empty() && part.chars().all(|c| c == '#') {
            if numbered {
                return Err(SiteError::unsupported(format!(
                    "naming series {key:?} with two number parts"
                )));
            }
            numbered = true;
            let n = counters.next_series(&name);
            format!("{n:0width$}", width = part.len())
        } else {
            match part {
                "YY" => today.format("%y").to_string(),
                "YYYY" => today.format("%Y").to_string(),
                "MM" => today.format("%m").to_string(),
                "DD" => today.format("%d").to_string(),
                p if p.starts_with('{') && p.ends_with('}') => text(doc.get(&p[1..p.len() - 1])),
                p => p.to_owned(),
            }
        };
        name.push_str(&part_value);
    }
    Ok(name)
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The name of a new document (`set_new_name` with `validate_name`). `exists` answers whether
/// a name is taken (for amendments).
pub(crate) fn new_name(
    meta: &DocTypeMeta,
    doc: &Map<String, Value>,
    counters: &mut Counters,
    amended_from_has_amended_from: impl Fn(&str) -> bool,
) -> SiteResult<Value> {
    let autoname = meta.autoname.as_str();
    let lower = autoname.to_lowercase();
    if lower == "prompt" {
        if let Some(new) = doc.get("__newname").filter(|v| !text(Some(v)).is_empty()) {
            return validate(meta, text(Some(new))).map(Value::String);
        }
    }
    if !meta.issingle && autoname == "autoincrement" {
        return Ok(Value::from(counters.next_sequence(&meta.name)));
    }
    if let Some(from) = doc
        .get("amended_from")
        .map(|v| text(Some(v)))
        .filter(|s| !s.is_empty())
    {
        // Document Naming Settings' default: "Amend Counter".
        let (prefix, id) = if amended_from_has_amended_from(&from) {
            match from.rsplit_once('-') {
                Some((prefix, n)) => (prefix.to_owned(), n.parse::<i64>().unwrap_or(0) + 1),
                None => (from.clone(), 1),
            }
        } else {
            (from.clone(), 1)
        };
        return validate(meta, format!("{prefix}-{id}")).map(Value::String);
    }
    if meta.issingle {
        return Ok(Value::String(meta.name.clone()));
    }
    let name = if lower == "prompt" {
        // `autoname == "prompt"` keeps the name given with the document.
        match text(doc.get("name")) {
            n if n.is_empty() => {
                return Err(SiteError::validation(
                    "ValidationError",
                    "Please set the document name",
                ));
            }
            n => n,
        }
    } else if let Some(field) = autoname.strip_prefix("field:") {
        let name = text(doc.get(field)).trim().to_owned();
        if name.is_empty() {
            let label = meta.field(field).map_or(field, |f| f.label.as_str());
            return Err(SiteError::validation(
                "ValidationError",
                format!("{label} is required"),
            ));
        }
        name
    } else if lower.starts_with("naming_series:") {
        match text(doc.get("naming_series")) {
            s if s.is_empty() => {
                let default = meta
                    .field("naming_series")
                    .and_then(|f| {
                        f.default
                            .clone()
                            .or_else(|| f.options.lines().next().map(str::to_owned))
                    })
                    .filter(|s| !s.is_empty());
                match default {
                    Some(series) => series_name(&format!("{series}.#####"), counters, doc)?,
                    None => {
                        return Err(SiteError::validation(
                            "ValidationError",
                            "Naming Series mandatory",
                        ));
                    }
                }
            }
            series => series_name(&format!("{series}.#####"), counters, doc)?,
        }
    } else if lower.starts_with("format:") {
        return Err(SiteError::unsupported(format!(
            "the autoname {autoname:?} of {} (format:)",
            meta.name
        )));
    } else if autoname.contains('#') {
        series_name(autoname, counters, doc)?
    } else if lower.is_empty() || lower == "hash" {
        hash_name()
    } else {
        return Err(SiteError::unsupported(format!(
            "the autoname {autoname:?} of {} (a controller's autoname method)",
            meta.name
        )));
    };
    validate(meta, name).map(Value::String)
}

/// `validate_name`.
fn validate(meta: &DocTypeMeta, name: String) -> SiteResult<String> {
    let name = name.trim().to_owned();
    if name.is_empty() {
        return Err(SiteError::validation(
            "ValidationError",
            format!("No Name Specified for {}", meta.name),
        ));
    }
    if !meta.issingle && name == meta.name && name != "DocType" {
        return Err(SiteError::throw(
            409,
            "NameError",
            format!("Name of {} cannot be {name}", meta.name),
        ));
    }
    if name.contains(['<', '>']) {
        return Err(SiteError::throw(
            409,
            "NameError",
            "Name cannot contain special characters like '<', '>'",
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta(autoname: &str) -> DocTypeMeta {
        let mut m = DocTypeMeta::from_json(&json!({"name": "Note", "autoname": autoname,
            "fields": [{"fieldname": "code", "label": "Code"}]}))
        .expect("valid")
        .remove(0);
        m.autoname = autoname.into();
        m
    }

    fn name(autoname: &str, doc: Value, counters: &mut Counters) -> SiteResult<Value> {
        let doc = doc.as_object().cloned().unwrap_or_default();
        new_name(&meta(autoname), &doc, counters, |_| false)
    }

    #[test]
    fn series_count_per_prefix() {
        let mut c = Counters::default();
        assert_eq!(name("N-.####", json!({}), &mut c), Ok(json!("N-0001")));
        assert_eq!(name("N-.####", json!({}), &mut c), Ok(json!("N-0002")));
        assert_eq!(name("M-.##", json!({}), &mut c), Ok(json!("M-01")));
    }

    #[test]
    fn field_prompt_autoincrement_and_hash() {
        let mut c = Counters::default();
        assert_eq!(
            name("field:code", json!({"code": " a "}), &mut c),
            Ok(json!("a"))
        );
        let err = name("field:code", json!({}), &mut c).expect_err("missing");
        assert_eq!(err.text, "Code is required");
        assert_eq!(name("prompt", json!({"name": "x"}), &mut c), Ok(json!("x")));
        assert_eq!(
            name("prompt", json!({"__newname": "y"}), &mut c),
            Ok(json!("y"))
        );
        assert_eq!(name("autoincrement", json!({}), &mut c), Ok(json!(1)));
        let hash = name("hash", json!({}), &mut c).expect("hash");
        assert_eq!(hash.as_str().map(str::len), Some(10));
        assert_eq!(
            name("format:X-{code}", json!({}), &mut c).map_err(|e| e.status),
            Err(501)
        );
    }

    #[test]
    fn amendments_count_up() {
        let mut c = Counters::default();
        let m = meta("hash");
        let doc = json!({"amended_from": "SO-1"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(new_name(&m, &doc, &mut c, |_| false), Ok(json!("SO-1-1")));
        let doc = json!({"amended_from": "SO-1-1"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(new_name(&m, &doc, &mut c, |_| true), Ok(json!("SO-1-2")));
    }
}
