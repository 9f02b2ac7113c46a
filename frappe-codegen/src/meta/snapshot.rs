//! Snapshots: the metadata codegen reads, normalized into ONE JSON file users commit, so builds
//! never need the network.
//!
//! Format: `{"frappe_codegen_snapshot": 2, "doctypes": [...]}` with DocTypes sorted by name
//! (version 3 when it also holds `"methods": [...]`, whitelisted functions sorted by path),
//! each holding only the keys [`DocType`] reads (empty and false values left out), fields in
//! Frappe's order (the order of the generated struct). Pretty-printed with a trailing newline,
//! so diffs review well. Reading a snapshot is [`load_file`](super::load::load_file), which
//! recognises the marker key and reads the DocTypes here.

use std::path::Path;

use serde_json::Value;

use super::DocType;
use super::json::typed;
use super::methods::WhitelistedMethod;
use crate::error::{Error, Problems, Result};
use crate::files::write_if_changed;

/// The key that marks a snapshot file; its value is the format version.
pub const SNAPSHOT_KEY: &str = "frappe_codegen_snapshot";

/// The format version written and read. Version 2 keeps what the validation rules need
/// (`length`, `non_negative`, `read_only`, `set_only_once`, `fetch_from`).
const VERSION: u64 = 2;

/// Version 1, still read: its DocTypes lack what the rules need, so they get none
/// ([`DocType::rules_unknown`]) and lowering warns once per DocType.
const VERSION_WITHOUT_RULES: u64 = 1;

/// Version 2 plus `methods` (issue 16); written only when there are methods, so that an older
/// frappe-codegen refuses such a file rather than dropping its methods.
const VERSION_WITH_METHODS: u64 = 3;

/// The whitelisted functions of a parsed snapshot body (none before version 3).
pub(super) fn read_methods(value: &Value, source: &str) -> Result<Vec<WhitelistedMethod>> {
    if value[SNAPSHOT_KEY].as_u64() == Some(VERSION_WITH_METHODS) {
        typed(&value["methods"], ".methods", source)
    } else {
        Ok(Vec::new())
    }
}

/// The DocTypes of a parsed snapshot body; `source` names it in errors.
pub(super) fn read(value: &Value, source: &str) -> Result<Vec<DocType>> {
    if value[SNAPSHOT_KEY].as_u64() == Some(VERSION_WITHOUT_RULES) {
        let mut doctypes: Vec<DocType> = typed(&value["doctypes"], ".doctypes", source)?;
        for dt in &mut doctypes {
            dt.rules_unknown = true;
        }
        return Ok(doctypes);
    }
    if !matches!(
        value[SNAPSHOT_KEY].as_u64(),
        Some(VERSION | VERSION_WITH_METHODS)
    ) {
        return Err(Error::Json {
            file: source.to_owned(),
            json_path: format!(".{SNAPSHOT_KEY}"),
            message: format!(
                "unsupported snapshot version {}; this frappe-codegen reads versions 1 to \
                 {VERSION_WITH_METHODS}",
                value[SNAPSHOT_KEY]
            ),
        });
    }
    typed(&value["doctypes"], ".doctypes", source)
}

/// The normalized DocTypes: sorted by name, identical repeats collapsed. Two different
/// definitions of one name are problems.
pub fn normalize(doctypes: &[DocType]) -> Result<Vec<DocType>, Problems> {
    let mut problems = Vec::new();
    let index = super::index::by_name(doctypes, &mut problems);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    Ok(index.into_values().cloned().collect())
}

/// The snapshot file's text.
pub fn to_json(doctypes: &[DocType], methods: &[WhitelistedMethod]) -> Result<String> {
    let doctypes = normalize(doctypes)?;
    let mut methods = methods.to_vec();
    super::methods::sort_unique(&mut methods);
    // A struct, not a map, so the marker key comes first.
    #[derive(serde::Serialize)]
    struct File<'a> {
        frappe_codegen_snapshot: u64,
        doctypes: &'a [DocType],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        methods: &'a [WhitelistedMethod],
    }
    let file = File {
        frappe_codegen_snapshot: if methods.is_empty() {
            VERSION
        } else {
            VERSION_WITH_METHODS
        },
        doctypes: &doctypes,
        methods: &methods,
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| Error::Json {
        file: "<snapshot>".to_owned(),
        json_path: ".".to_owned(),
        message: e.to_string(),
    })?;
    text.push('\n');
    Ok(text)
}

/// Writes a snapshot (only if it changed); returns the number of DocTypes in it.
pub fn write(doctypes: &[DocType], methods: &[WhitelistedMethod], path: &Path) -> Result<usize> {
    let text = to_json(doctypes, methods)?;
    write_if_changed(path, &text)?;
    Ok(normalize(doctypes)?.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::load::load_json;

    #[test]
    fn round_trips_and_is_normalized() {
        let a = r#"{"doctype":"DocType","name":"B","module":"M","engine":"InnoDB","istable":0,
            "fields":[{"fieldname":"x","fieldtype":"Data","reqd":1,"in_list_view":1}]}"#;
        let b = r#"{"data":{"name":"A","module":"M","fields":[]}}"#;
        let mut all = load_json(a, "a").unwrap();
        all.extend(load_json(b, "b").unwrap());
        all.extend(load_json(a, "again").unwrap());
        let text = to_json(&all, &[]).unwrap();
        assert!(
            text.starts_with("{\n  \"frappe_codegen_snapshot\": 2"),
            "{text}"
        );
        assert!(!text.contains("engine") && !text.contains("in_list_view"));
        let back = load_json(&text, "snap").unwrap();
        let names: Vec<_> = back.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
        assert_eq!(to_json(&back, &[]).unwrap(), text);
    }

    #[test]
    fn a_version_1_snapshot_is_read_without_rules() {
        // Version 1 never stored `length`: a Data field would otherwise get the 140 default.
        let v1 = r#"{"frappe_codegen_snapshot": 1, "doctypes": [{"name": "Address", "module": "M",
            "fields": [{"fieldname": "address_line1", "fieldtype": "Data", "reqd": 1}]}]}"#;
        let old = load_json(v1, "old.json").unwrap();
        assert!(old[0].rules_unknown);
        let now = load_json(&to_json(&old, &[]).unwrap(), "new.json").unwrap();
        assert!(!now[0].rules_unknown, "written again, it is version 2");
        let v4 = v1.replace("snapshot\": 1", "snapshot\": 4");
        let err = load_json(&v4, "future.json").unwrap_err().to_string();
        assert!(err.contains("unsupported snapshot version 4"), "{err}");
    }

    #[test]
    fn methods_make_a_version_3_snapshot_and_are_read_back() {
        use crate::meta::methods::{Param, ParamKind};
        let method = WhitelistedMethod {
            path: "app.api.hello".into(),
            doctype: None,
            params: vec![Param {
                name: "name".into(),
                hint: Some("str".into()),
                default: None,
                kind: ParamKind::Plain,
            }],
            returns: Some("str".into()),
            allow_guest: true,
            http_methods: vec!["GET".into()],
            doc: None,
        };
        let dt = r#"{"doctype":"DocType","name":"A","module":"M","fields":[]}"#;
        let doctypes = load_json(dt, "a").unwrap();
        let text = to_json(&doctypes, std::slice::from_ref(&method)).unwrap();
        assert!(
            text.starts_with("{\n  \"frappe_codegen_snapshot\": 3"),
            "{text}"
        );
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(read_methods(&value, "s").unwrap(), [method]);
        let names: Vec<String> = read(&value, "s")
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert_eq!(names, ["A"]);
        // Without methods the file stays version 2, as before.
        let plain = to_json(&doctypes, &[]).unwrap();
        assert!(
            plain.starts_with("{\n  \"frappe_codegen_snapshot\": 2"),
            "{plain}"
        );
        assert!(!plain.contains("methods"));
        let value: Value = serde_json::from_str(&plain).unwrap();
        assert!(read_methods(&value, "s").unwrap().is_empty());
    }
}
