//! Compact rows: a v1 list asks for its rows as lists of values (`as_dict=0`) instead of
//! objects, when the fields it asks for are such that the values line up with them, and each row
//! is decoded as the object those fields and values make.
//!
//! Why: in an object row the keys take most of the bytes. 10,000 ToDo rows of 20 fields are
//! 4.45 MB as objects and 2.06 MB as lists, which the site also writes about 10% faster (its
//! `json.dumps`), and there is less to read and decode.
//!
//! When the values line up (see [`columns`]): each field is a plain column name, given once
//! (Frappe answers in the order asked; a field the user may not read becomes `null` in its place,
//! `DatabaseQuery.remove_field`), and none is one Frappe drops from the query when the table
//! lacks it (`set_optional_columns`: any field whose name *contains* `_user_tags`, `_comments`,
//! `_assign`, `_liked_by` or `_seen` — dropped, the values after it would shift). v2's list route
//! has no `as_dict`; such lists keep object rows.
//!
//! Whatever comes back, the row type sees an object: a row that is an object (a server that
//! ignored `as_dict`) is decoded as it is, a list of values as the object of the requested fields,
//! and a list of another length is an error naming the row and both counts.

use std::sync::Arc;

use serde::Deserializer;
use serde::de::value::{MapAccessDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The fields Frappe drops from a query when the table lacks them, matched as substrings
/// (`frappe.model.optional_fields`, `DatabaseQuery.set_optional_columns`).
const OPTIONAL: [&str; 5] = ["_user_tags", "_comments", "_assign", "_liked_by", "_seen"];

/// The columns of compact rows for a list asking for `fields`, or `None` when its rows must stay
/// objects (see the module docs).
pub(crate) fn columns(fields: Option<&[String]>) -> Option<Arc<[String]>> {
    let fields = fields?;
    let plain = |f: &String| {
        let mut chars = f.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !OPTIONAL.iter().any(|o| f.contains(o))
    };
    let unique = fields
        .iter()
        .enumerate()
        .all(|(i, f)| !fields[..i].contains(f));
    (!fields.is_empty() && unique && fields.iter().all(plain)).then(|| fields.into())
}

/// Decodes one row as `T`: an object as it is, a list of values as the object of `columns`.
pub(crate) struct RowSeed<'c, T> {
    pub(crate) columns: &'c [String],
    pub(crate) row: std::marker::PhantomData<fn() -> T>,
}

impl<'c, T> RowSeed<'c, T> {
    pub(crate) fn new(columns: &'c [String]) -> Self {
        Self {
            columns,
            row: std::marker::PhantomData,
        }
    }
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for RowSeed<'_, T> {
    type Value = T;

    fn deserialize<De: Deserializer<'de>>(self, de: De) -> Result<T, De::Error> {
        de.deserialize_any(RowVisitor {
            columns: self.columns,
            row: std::marker::PhantomData,
        })
    }
}

struct RowVisitor<'c, T> {
    columns: &'c [String],
    row: std::marker::PhantomData<fn() -> T>,
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for RowVisitor<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a row: an object, or a list of values")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let mut fields = Fields {
            columns: self.columns,
            seq,
            next: 0,
        };
        let row = T::deserialize(MapAccessDeserializer::new(&mut fields))?;
        // The row type may stop early (it saw what it wanted): the rest is still counted.
        while fields.next_key::<IgnoredAny>()?.is_some() {
            fields.next_value::<IgnoredAny>()?;
        }
        match fields.seq.next_element::<IgnoredAny>()? {
            None => Ok(row),
            Some(_) => Err(de::Error::custom(format!(
                "the row has more values than the {} fields asked for",
                self.columns.len()
            ))),
        }
    }
}

/// A list of values read as the map of `columns` to them.
struct Fields<'c, A> {
    columns: &'c [String],
    seq: A,
    next: usize,
}

impl<'de, A: SeqAccess<'de>> MapAccess<'de> for Fields<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(column) = self.columns.get(self.next) else {
            return Ok(None);
        };
        seed.deserialize(StrDeserializer::<A::Error>::new(column))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let at = self.next;
        self.next += 1;
        self.seq.next_element_seed(seed)?.ok_or_else(|| {
            de::Error::custom(format!(
                "the row has {at} values for the {} fields asked for",
                self.columns.len()
            ))
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.columns.len() - self.next)
    }
}

/// `body` with the list rows of its `data` turned into objects of `columns` (for the slow path,
/// so that errors name the row and field as for object rows). `Ok(None)`: not a body of that
/// shape, read it as it is. `Err`: a row whose values do not line up with `columns`.
pub(crate) fn as_objects(body: &[u8], columns: &[String]) -> Result<Option<Vec<u8>>, String> {
    let Ok(Value::Object(mut top)) = serde_json::from_slice::<Value>(body) else {
        return Ok(None);
    };
    let Some(Value::Array(rows)) = top.get_mut("data") else {
        return Ok(None);
    };
    for (i, row) in rows.iter_mut().enumerate() {
        let Value::Array(values) = row else { continue };
        if values.len() != columns.len() {
            return Err(format!(
                "row {i} has {} values for the {} fields asked for ({})",
                values.len(),
                columns.len(),
                columns.join(", ")
            ));
        }
        let object: Map<String, Value> = columns.iter().cloned().zip(values.drain(..)).collect();
        *row = Value::Object(object);
    }
    Ok(serde_json::to_vec(&top).ok())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn only_plain_unique_fields_that_frappe_keeps_are_compact() {
        let yes = cols(&["name", "status", "custom_field_2", "_user"]);
        assert_eq!(columns(Some(&yes)).as_deref(), Some(&yes[..]));
        for no in [
            &["*"][..],
            &["name", "status as s"],
            &["count(name)"],
            &["`tabToDo`.`name`"],
            &["name", "name"],
            &["name", "_assign"],
            // Frappe drops any field containing an optional one's name, not only equal to it.
            &["name", "custom_assignee_seen"],
            &["name", "x_comments"],
            &["2fa"],
            &[""],
            &[],
        ] {
            assert_eq!(columns(Some(&cols(no))), None, "{no:?}");
        }
        assert_eq!(columns(None), None);
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct ToDo {
        name: String,
        status: Option<String>,
        idx: i64,
    }

    fn row<T: for<'de> Deserialize<'de>>(text: &str, columns: &[&str]) -> serde_json::Result<T> {
        let columns = cols(columns);
        let mut de = serde_json::Deserializer::from_str(text);
        let value = RowSeed::<T>::new(&columns).deserialize(&mut de)?;
        de.end()?;
        Ok(value)
    }

    #[test]
    fn a_list_of_values_is_the_object_of_the_fields() {
        let want = ToDo {
            name: "a".into(),
            status: None,
            idx: 3,
        };
        assert_eq!(
            row::<ToDo>(r#"["a",null,3]"#, &["name", "status", "idx"]).unwrap(),
            want
        );
        // In another order, and an object as it is.
        assert_eq!(
            row::<ToDo>(r#"[3,"a",null]"#, &["idx", "name", "status"]).unwrap(),
            want
        );
        assert_eq!(
            row::<ToDo>(r#"{"name":"a","idx":3}"#, &["unused"]).unwrap(),
            want
        );
        // Untyped rows see the same object.
        let v = row::<Value>(r#"["a",null,3]"#, &["name", "status", "idx"]).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"name": "a", "status": null, "idx": 3})
        );
        let r = row::<crate::Row>(r#"["a",null,3]"#, &["name", "status", "idx"]).unwrap();
        assert_eq!(r.get("idx"), Some(&serde_json::json!(3)));
    }

    #[test]
    fn values_that_do_not_line_up_are_errors() {
        let fields = ["name", "status", "idx"];
        let short = row::<ToDo>(r#"["a",null]"#, &fields).unwrap_err();
        assert!(
            short.to_string().contains("2 values for the 3 fields"),
            "{short}"
        );
        let long = row::<ToDo>(r#"["a",null,3,4]"#, &fields).unwrap_err();
        assert!(
            long.to_string().contains("more values than the 3"),
            "{long}"
        );
        // Also for a row type that reads only some of the fields.
        #[derive(Deserialize)]
        struct Key {
            #[allow(dead_code)]
            name: String,
        }
        assert!(row::<Key>(r#"["a",null]"#, &fields).is_err());
        assert!(row::<Key>(r#"["a",null,3]"#, &fields).is_ok());
        // A value of the wrong type is serde's error, as in an object.
        let wrong = row::<ToDo>(r#"["a",null,"x"]"#, &fields).unwrap_err();
        assert!(wrong.to_string().contains("invalid type"), "{wrong}");
        // A row cut short is an end-of-input error (the arriving decoder's cue to read on).
        assert!(row::<ToDo>(r#"["a",null"#, &fields).unwrap_err().is_eof());
    }

    #[test]
    fn bodies_are_turned_into_object_rows_for_errors() {
        let columns = cols(&["name", "idx"]);
        let body = br#"{"data":[["a",1],{"name":"b","idx":2}],"exc":"x"}"#;
        let objects = as_objects(body, &columns).unwrap().unwrap();
        let v: Value = serde_json::from_slice(&objects).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"data":[{"name":"a","idx":1},{"name":"b","idx":2}],"exc":"x"})
        );
        let err = as_objects(br#"{"data":[["a",1],["b"]]}"#, &columns).unwrap_err();
        assert_eq!(
            err,
            "row 1 has 1 values for the 2 fields asked for (name, idx)"
        );
        assert_eq!(as_objects(b"not json", &columns), Ok(None));
        assert_eq!(as_objects(br#"{"exc_type":"X"}"#, &columns), Ok(None));
    }
}
