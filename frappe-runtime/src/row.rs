//! [`Row`]: an untyped document or list row, the columns Frappe sent with their values.
//!
//! A page of list rows repeats the same column names in every row. A `serde_json::Map` per row
//! allocates each name again and builds a tree per row; decoding 10,000 ToDo rows that way took
//! 2-3 times as long as node's `JSON.parse` of the same body (`benches/decode`). A `Row` holds
//! its values in the server's order beside a shared, reference-counted list of column names:
//! rows decoded one after another on a thread with the same names in the same order share one
//! list, so a page costs one allocation of names instead of one per name per row.
//!
//! Lookups by name scan the columns (rows have tens of columns, where a scan is as fast as a
//! tree; an object with thousands of keys is better read as a `serde_json::Map`). Each thread
//! keeps the column names of the last row it decoded, to share with the next. A row with other or differently ordered keys gets its own list: any JSON object is a
//! row, a key given twice keeps its last value as `serde_json::Map` does.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Column names, shared by the rows that have the same ones in the same order (copied on the
/// first edit of a row that shares them).
type Columns = Arc<Vec<Box<str>>>;

/// An untyped document or list row: a JSON object whose keys keep the server's order.
///
/// Read it like a `serde_json::Map` (`get`, `row["status"]`, `iter`, `keys`), change it with
/// [`insert`](Self::insert) and [`remove`](Self::remove), and convert it with
/// [`into_map`](Self::into_map) or `Value::from(row)`. It serializes as a JSON object and
/// deserializes from any JSON object.
///
/// ```
/// use frappe_runtime::Row;
/// use frappe_runtime::serde_json::{json, Value};
///
/// let mut row: Row = serde_json::from_value(json!({"name": "TD-1", "status": "Open"})).unwrap();
/// assert_eq!(row["status"], "Open");
/// assert_eq!(row.get("priority"), None);
/// row.insert("priority".into(), json!("High"));
/// assert_eq!(row.keys().collect::<Vec<_>>(), ["name", "status", "priority"]);
/// assert_eq!(Value::from(row), json!({"name": "TD-1", "status": "Open", "priority": "High"}));
/// # use frappe_runtime::serde_json;
/// ```
#[derive(Clone, Default)]
pub struct Row {
    columns: Columns,
    values: Vec<Value>,
}

impl Row {
    /// An empty row.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the row has no column.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn position(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| &**c == column)
    }

    /// The value of `column`, if the row has it.
    pub fn get(&self, column: &str) -> Option<&Value> {
        self.position(column).map(|i| &self.values[i])
    }

    /// The value of `column` to change in place, if the row has it.
    pub fn get_mut(&mut self, column: &str) -> Option<&mut Value> {
        self.position(column).map(|i| &mut self.values[i])
    }

    /// Whether the row has `column`.
    pub fn contains_key(&self, column: &str) -> bool {
        self.position(column).is_some()
    }

    /// Sets `column` to `value`, returning the value it replaces. A new column goes last.
    pub fn insert(&mut self, column: String, value: Value) -> Option<Value> {
        if let Some(i) = self.position(&column) {
            return Some(std::mem::replace(&mut self.values[i], value));
        }
        Arc::make_mut(&mut self.columns).push(column.into_boxed_str());
        self.values.push(value);
        None
    }

    /// Removes `column`, returning its value. The other columns keep their order.
    pub fn remove(&mut self, column: &str) -> Option<Value> {
        let i = self.position(column)?;
        Arc::make_mut(&mut self.columns).remove(i);
        Some(self.values.remove(i))
    }

    /// The column names, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.columns.iter().map(|c| &**c)
    }

    /// The values, in column order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Value> {
        self.values.iter()
    }

    /// The values to change in place, in column order.
    pub fn values_mut(&mut self) -> impl ExactSizeIterator<Item = &mut Value> {
        self.values.iter_mut()
    }

    /// `(column, value)` pairs, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.keys().zip(self.values.iter())
    }

    /// The row as a `serde_json::Map`.
    pub fn into_map(self) -> Map<String, Value> {
        self.into_iter().collect()
    }
}

impl fmt::Debug for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Equal when both have the same columns with equal values, in any order (as two
/// `serde_json::Map`s compare).
impl PartialEq for Row {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl Eq for Row {}

/// `row["column"]` is the value, or `Value::Null` when the row has no such column (as indexing
/// a `serde_json::Value` does).
impl std::ops::Index<&str> for Row {
    type Output = Value;

    fn index(&self, column: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(column).unwrap_or(&NULL)
    }
}

impl IntoIterator for Row {
    type Item = (String, Value);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<String>, std::vec::IntoIter<Value>>;

    fn into_iter(self) -> Self::IntoIter {
        let names: Vec<String> = self.columns.iter().map(|c| String::from(&**c)).collect();
        names.into_iter().zip(self.values)
    }
}

impl<'a> IntoIterator for &'a Row {
    type Item = (&'a str, &'a Value);
    type IntoIter = Box<dyn ExactSizeIterator<Item = (&'a str, &'a Value)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl FromIterator<(String, Value)> for Row {
    /// A key given twice keeps its last value.
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(pairs: I) -> Self {
        let mut row = Builder::default();
        for (k, v) in pairs {
            row.push_owned(k.into_boxed_str(), v);
        }
        row.finish()
    }
}

impl From<Map<String, Value>> for Row {
    fn from(map: Map<String, Value>) -> Self {
        map.into_iter().collect()
    }
}

impl From<Row> for Map<String, Value> {
    fn from(row: Row) -> Self {
        row.into_map()
    }
}

impl From<Row> for Value {
    fn from(row: Row) -> Self {
        Value::Object(row.into_map())
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

thread_local! {
    /// The columns of the last row decoded on this thread, for the next row to share.
    static LAST_COLUMNS: RefCell<Columns> = RefCell::new(Arc::default());
}

/// A row being decoded or collected: values, and the columns as long as they follow `shared`
/// (then nothing is allocated for names) or a list of its own once they differ.
#[derive(Default)]
struct Builder {
    shared: Columns,
    own: Option<Vec<Box<str>>>,
    /// Positions in `own` by name, kept once a row has more than [`SCAN_MAX`] columns of its
    /// own, so that a huge object does not cost a scan per key.
    index: Option<HashMap<Box<str>, usize>>,
    values: Vec<Value>,
}

/// Up to this many columns of its own, a row finds a repeated key by a scan.
const SCAN_MAX: usize = 32;

impl Builder {
    fn following(shared: Columns) -> Self {
        let values = Vec::with_capacity(shared.len());
        Self {
            shared,
            own: None,
            index: None,
            values,
        }
    }

    /// The name the next key must have to keep following the shared columns.
    fn expected(&self) -> Option<&str> {
        match self.own {
            None => self.shared.get(self.values.len()).map(|c| &**c),
            Some(_) => None,
        }
    }

    /// Adds a value whose key was the expected one.
    fn push_expected(&mut self, value: Value) {
        self.values.push(value);
    }

    /// Adds a key that is not the expected one (or any key once the row has its own columns).
    fn push_owned(&mut self, key: Box<str>, value: Value) {
        let own = self
            .own
            .get_or_insert_with(|| self.shared[..self.values.len()].to_vec());
        if self.index.is_none() && own.len() > SCAN_MAX {
            self.index = Some(own.iter().cloned().zip(0..).collect());
        }
        let found = match &self.index {
            Some(index) => index.get(&key).copied(),
            None => own.iter().position(|c| *c == key),
        };
        match found {
            Some(i) => self.values[i] = value,
            None => {
                if let Some(index) = &mut self.index {
                    index.insert(key.clone(), own.len());
                }
                own.push(key);
                self.values.push(value);
            }
        }
    }

    fn finish(self) -> Row {
        let columns = match self.own {
            Some(own) => Arc::new(own),
            None if self.values.len() == self.shared.len() => self.shared,
            None => Arc::new(self.shared[..self.values.len()].to_vec()),
        };
        Row {
            columns,
            values: self.values,
        }
    }
}

/// A key compared with the expected column name without allocating it.
enum Key {
    Expected,
    Other(Box<str>),
}

struct KeySeed<'a>(Option<&'a str>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a column name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(if self.0 == Some(v) {
            Key::Expected
        } else {
            Key::Other(v.into())
        })
    }
}

struct RowVisitor;

impl<'de> Visitor<'de> for RowVisitor {
    type Value = Row;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Row, A::Error> {
        // `try_with`: during thread teardown there is nothing to share.
        let shared = LAST_COLUMNS
            .try_with(|last| last.borrow().clone())
            .unwrap_or_default();
        let mut row = Builder::following(shared);
        while let Some(key) = map.next_key_seed(KeySeed(row.expected()))? {
            let value: Value = map.next_value()?;
            match key {
                Key::Expected => row.push_expected(value),
                Key::Other(key) => row.push_owned(key, value),
            }
        }
        let row = row.finish();
        if !row.columns.is_empty() {
            let _ = LAST_COLUMNS.try_with(|last| {
                let mut last = last.borrow_mut();
                if !Arc::ptr_eq(&last, &row.columns) {
                    *last = row.columns.clone();
                }
            });
        }
        Ok(row)
    }
}

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RowVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(v: Value) -> Row {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn rows_with_the_same_columns_share_one_list() {
        let rows: Vec<Row> = serde_json::from_str(
            r#"[{"name":"a","status":"Open"},{"name":"b","status":"Closed"},{"status":"Open","name":"c"}]"#,
        )
        .unwrap();
        assert!(Arc::ptr_eq(&rows[0].columns, &rows[1].columns));
        // Another order is another list, and keeps its own order.
        assert!(!Arc::ptr_eq(&rows[1].columns, &rows[2].columns));
        assert_eq!(rows[2].keys().collect::<Vec<_>>(), ["status", "name"]);
        assert_eq!(rows[1]["name"], "b");
        assert_eq!(rows[2]["name"], "c");
        assert_eq!(rows[2], row(json!({"name": "c", "status": "Open"})));
    }

    #[test]
    fn fewer_more_or_other_columns_than_the_last_row() {
        let rows: Vec<Row> = serde_json::from_str(
            r#"[{"a":1,"b":2,"c":3},{"a":4,"b":5},{"a":6,"b":7,"c":8,"d":9},{"a":1,"x":2,"c":3},{}]"#,
        )
        .unwrap();
        let keys: Vec<Vec<&str>> = rows.iter().map(|r| r.keys().collect()).collect();
        assert_eq!(
            keys,
            [
                vec!["a", "b", "c"],
                vec!["a", "b"],
                vec!["a", "b", "c", "d"],
                vec!["a", "x", "c"],
                vec![],
            ]
        );
        assert_eq!(rows[2]["d"], 9);
        assert_eq!(rows[3]["x"], 2);
        assert_eq!(rows[3].get("b"), None);
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_as_a_map_does() {
        let text = r#"{"a":1,"b":2,"a":3}"#;
        let r: Row = serde_json::from_str(text).unwrap();
        let m: Map<String, Value> = serde_json::from_str(text).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r["a"], 3);
        assert_eq!(r.clone().into_map(), m);
        // Also when the first occurrence followed the shared columns.
        let rows: Vec<Row> =
            serde_json::from_str(r#"[{"a":1,"b":2},{"a":1,"b":2,"a":5}]"#).unwrap();
        assert_eq!(rows[1].len(), 2);
        assert_eq!(rows[1]["a"], 5);
    }

    #[test]
    fn a_wide_object_with_repeated_keys_decodes_like_a_map() {
        // Past SCAN_MAX columns of its own, repeated keys are found through the index.
        let mut text = String::from("{");
        for i in 0..2_000 {
            text.push_str(&format!("\"k{}\":{i},", i % 1_500));
        }
        text.push_str("\"end\":true}");
        let r: Row = serde_json::from_str(&text).unwrap();
        let m: Map<String, Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(r.len(), 1_501);
        assert_eq!(r["k10"], 1_510);
        assert_eq!(r["k1499"], 1_499);
        assert_eq!(r.into_map(), m);
    }

    #[test]
    fn escaped_keys_and_nested_values_decode() {
        let r: Row = serde_json::from_str(r#"{"na\u006de":"x","items":[{"qty":1}]}"#).unwrap();
        assert_eq!(r["name"], "x");
        assert_eq!(r["items"][0]["qty"], 1);
        assert_eq!(r["missing"], Value::Null);
    }

    #[test]
    fn not_an_object_is_an_error() {
        let err = serde_json::from_str::<Row>("[1,2]").unwrap_err();
        assert!(err.to_string().contains("a JSON object"), "{err}");
    }

    #[test]
    fn edits_keep_the_order_and_leave_shared_columns_alone() {
        let mut rows: Vec<Row> = serde_json::from_str(r#"[{"a":1,"b":2},{"a":3,"b":4}]"#).unwrap();
        assert_eq!(rows[0].insert("a".into(), json!(10)), Some(json!(1)));
        assert_eq!(rows[0].insert("c".into(), json!(5)), None);
        assert_eq!(rows[0].remove("b"), Some(json!(2)));
        assert_eq!(rows[0].remove("b"), None);
        *rows[0].get_mut("c").unwrap() = json!(6);
        assert_eq!(
            rows[0].iter().collect::<Vec<_>>(),
            [("a", &json!(10)), ("c", &json!(6))]
        );
        assert_eq!(rows[1].keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(rows[1]["b"], 4);
    }

    #[test]
    fn round_trips_through_serde_and_map_in_order() {
        let text = r#"{"z":1,"a":{"k":[true,null]},"m":"x"}"#;
        let r: Row = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), text);
        let m: Map<String, Value> = serde_json::from_str(text).unwrap();
        assert_eq!(Row::from(m.clone()), r);
        assert_eq!(r.clone().into_map(), m);
        assert_eq!(Value::from(r.clone()), Value::Object(m));
        assert_eq!(
            format!("{r:?}"),
            r#"{"z": Number(1), "a": Object {"k": Array [Bool(true), Null]}, "m": String("x")}"#
        );
    }

    #[test]
    fn works_flattened_into_a_struct() {
        #[derive(Deserialize)]
        struct Doc {
            name: String,
            #[serde(flatten)]
            other: Row,
        }
        let d: Doc = serde_json::from_str(r#"{"x":1,"name":"n","y":2}"#).unwrap();
        assert_eq!(d.name, "n");
        assert_eq!(d.other.keys().collect::<Vec<_>>(), ["x", "y"]);
    }
}
