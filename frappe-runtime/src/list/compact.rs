//! Compact rows: a v1 list asks for its rows as lists of values (`as_dict=0`) instead of
//! objects, when the fields it asks for are such that the values line up with them, and each row
//! is decoded as the object those fields and values make.
//!
//! Why: in an object row the keys take most of the bytes. 10,000 ToDo rows of 20 fields are
//! 4.45 MB as objects and 2.06 MB as lists, which the site also writes about 10% faster (its
//! `json.dumps`), and there is less to read and decode.
//!
//! When the values line up (see [`columns`]): each field is a plain column name, given once,
//! none that Frappe drops from the query when the table lacks it (`set_optional_columns`: any
//! field whose name *contains* `_user_tags`, `_comments`, `_assign`, `_liked_by` or `_seen`),
//! and the list is not grouped (on Postgres, `group_by` adds a column for the order). Frappe
//! answers the values in the order asked for. Two things it does to a field the user may not
//! read: `DatabaseQuery.remove_field` puts `null` in its place (the object row lacks the key:
//! generated types read both as `None` or the default; a hand-written `#[serde(default)]` field
//! that is not an `Option` refuses `null`), while `reportview.validate_fields` leaves a field
//! above the user's permission level out, one value short. Such rows are not guessed at:
//! `Client::list_rows` asks for them again as objects, and the client asks for objects for that
//! DocType's list of fields from then on. v2's list route has no `as_dict`; its lists keep
//! object rows.
//!
//! Whatever comes back, the row type sees an object: a row that is an object (a server that
//! ignored `as_dict`) is decoded as it is, a list of values as the object of the requested fields
//! (also through `Option` and newtype row types, as an object is).

use std::marker::PhantomData;
use std::sync::Arc;

use serde::Deserializer;
use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

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

/// Reads a list of values as `T`, as the object of `columns` to the values (`deserialize` on
/// a `serde_json` deserializer positioned at the list).
pub(crate) struct ValuesSeed<'c, T> {
    columns: &'c [String],
    row: PhantomData<fn() -> T>,
}

impl<'c, T> ValuesSeed<'c, T> {
    pub(crate) fn new(columns: &'c [String]) -> Self {
        Self {
            columns,
            row: PhantomData,
        }
    }
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for ValuesSeed<'_, T> {
    type Value = T;

    fn deserialize<De: Deserializer<'de>>(self, de: De) -> Result<T, De::Error> {
        de.deserialize_seq(ValuesVisitor {
            columns: self.columns,
            row: PhantomData,
        })
    }
}

struct ValuesVisitor<'c, T> {
    columns: &'c [String],
    row: PhantomData<fn() -> T>,
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for ValuesVisitor<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a row as a list of values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::deserialize(AsObject {
            columns: self.columns,
            seq,
        })
    }
}

/// A list of values as a deserializer of the object of `columns` to them: a map to whatever
/// asks, also through `Option` and newtype wrappers (`struct Wrapped(Row)`), as an object is.
struct AsObject<'c, A> {
    columns: &'c [String],
    seq: A,
}

impl<'de, A: SeqAccess<'de>> Deserializer<'de> for AsObject<'_, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        let mut fields = Fields {
            columns: self.columns,
            seq: self.seq,
            next: 0,
        };
        let row = visitor.visit_map(&mut fields)?;
        // The row type may stop early (it saw what it wanted): the rest is still counted.
        while fields.next_key::<IgnoredAny>()?.is_some() {
            fields.next_value::<IgnoredAny>()?;
        }
        match fields.seq.next_element::<IgnoredAny>()? {
            None => Ok(row),
            Some(_) => Err(de::Error::custom(format!(
                "{MISALIGNED}: more values than the {} fields asked for",
                self.columns.len()
            ))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// Starts the message of a row whose values do not line up with the fields asked for. (A row's
/// own decode error only stops the decoding as it arrives; the body is then decoded whole, and
/// [`as_objects`] finding such a row is what makes `Client::list_rows` ask for objects.)
pub(crate) const MISALIGNED: &str = "the row's values do not line up with the fields asked for";

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
                "{MISALIGNED}: {at} values for the {} fields asked for",
                self.columns.len()
            ))
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.columns.len() - self.next)
    }
}

/// `body` with the list rows of its `data` turned into objects of `columns`, their keys in
/// that order (for the slow path, so that errors name the row and field as for object rows).
/// `Ok(None)`: not a body of that shape, read it as it is. `Err`: a row whose values do not
/// line up with `columns` (its message starts with [`MISALIGNED`]).
pub(crate) fn as_objects(body: &[u8], columns: &[String]) -> Result<Option<Vec<u8>>, String> {
    let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(body) else {
        return Ok(None);
    };
    let Some(Value::Array(rows)) = top.get("data") else {
        return Ok(None);
    };
    // Written out here: a `serde_json::Map` would sort the keys.
    let mut out = Vec::with_capacity(body.len() * 2);
    out.extend_from_slice(b"{\"data\":[");
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let Value::Array(values) = row else {
            write(&mut out, row);
            continue;
        };
        if values.len() != columns.len() {
            return Err(format!(
                "{MISALIGNED}: row {i} has {} values for the {} fields asked for ({})",
                values.len(),
                columns.len(),
                columns.join(", ")
            ));
        }
        out.push(b'{');
        for (j, (column, value)) in columns.iter().zip(values).enumerate() {
            if j > 0 {
                out.push(b',');
            }
            write(&mut out, column);
            out.push(b':');
            write(&mut out, value);
        }
        out.push(b'}');
    }
    out.push(b']');
    for (key, value) in top.iter().filter(|(k, _)| *k != "data") {
        out.push(b',');
        write(&mut out, key);
        out.push(b':');
        write(&mut out, value);
    }
    out.push(b'}');
    Ok(Some(out))
}

/// `text` as one row of a list, a `T`: with `columns`, a list of values is read as the object of
/// `columns` to them; anything else (an object row) as it is.
pub(crate) fn row<T: serde::de::DeserializeOwned>(
    text: &str,
    columns: Option<&[String]>,
) -> serde_json::Result<T> {
    match columns {
        Some(columns) if text.starts_with('[') => {
            let mut de = serde_json::Deserializer::from_str(text);
            let row = ValuesSeed::new(columns).deserialize(&mut de)?;
            de.end()?;
            Ok(row)
        }
        _ => serde_json::from_str(text),
    }
}

/// Appends `value` as JSON (a parsed value or a `String` always serializes: no NaN in parsed
/// JSON).
fn write<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    let _ = serde_json::to_writer(out, value);
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
        super::row(text, Some(&cols(columns)))
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
        // In another order.
        assert_eq!(
            row::<ToDo>(r#"[3,"a",null]"#, &["idx", "name", "status"]).unwrap(),
            want
        );
        // Untyped rows see the same object, keys in the order asked for.
        let v = row::<Value>(r#"["a",null,3]"#, &["name", "status", "idx"]).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"name": "a", "status": null, "idx": 3})
        );
        let r = row::<crate::Row>(r#"["a",null,3]"#, &["name", "status", "idx"]).unwrap();
        assert_eq!(r.keys().collect::<Vec<_>>(), ["name", "status", "idx"]);
        assert_eq!(r.get("idx"), Some(&serde_json::json!(3)));
        // Through `Option` and a newtype, as an object would be.
        #[derive(Debug, PartialEq, Deserialize)]
        struct Wrapped(ToDo);
        let fields = ["name", "status", "idx"];
        assert_eq!(
            row::<Option<ToDo>>(r#"["a",null,3]"#, &fields).unwrap(),
            Some(row::<ToDo>(r#"["a",null,3]"#, &fields).unwrap())
        );
        assert_eq!(
            row::<Wrapped>(r#"["a",null,3]"#, &fields).unwrap().0,
            row::<ToDo>(r#"["a",null,3]"#, &fields).unwrap()
        );
    }

    #[test]
    fn values_that_do_not_line_up_are_errors() {
        let fields = ["name", "status", "idx"];
        let short = row::<ToDo>(r#"["a",null]"#, &fields).unwrap_err();
        assert!(short.to_string().starts_with(MISALIGNED), "{short}");
        assert!(
            short.to_string().contains("2 values for the 3 fields"),
            "{short}"
        );
        let long = row::<ToDo>(r#"["a",null,3,4]"#, &fields).unwrap_err();
        assert!(long.to_string().starts_with(MISALIGNED), "{long}");
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
        assert!(!wrong.to_string().starts_with(MISALIGNED), "{wrong}");
        // A row cut short is an end-of-input error (the arriving decoder's cue to read on).
        assert!(row::<ToDo>(r#"["a",null"#, &fields).unwrap_err().is_eof());
    }

    #[test]
    fn bodies_are_turned_into_object_rows_for_errors() {
        let columns = cols(&["name", "idx"]);
        let body = br#"{"data":[["a",1],{"name":"b","idx":2}],"exc":"x"}"#;
        let objects = as_objects(body, &columns).unwrap().unwrap();
        // A list's keys in the order asked for, not sorted (an object row is written again as
        // serde_json's map holds it, its keys sorted).
        assert_eq!(
            String::from_utf8(objects).unwrap(),
            r#"{"data":[{"name":"a","idx":1},{"idx":2,"name":"b"}],"exc":"x"}"#
        );
        let err = as_objects(br#"{"data":[["a",1],["b"]]}"#, &columns).unwrap_err();
        assert_eq!(
            err,
            format!("{MISALIGNED}: row 1 has 1 values for the 2 fields asked for (name, idx)")
        );
        assert_eq!(as_objects(b"not json", &columns), Ok(None));
        assert_eq!(as_objects(br#"{"exc_type":"X"}"#, &columns), Ok(None));
    }
}
