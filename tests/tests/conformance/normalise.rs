//! Making an observation comparable between the test site and a real Frappe: names the
//! scenario registered become placeholders, the run's marker `<run>`, timestamps `<datetime>`,
//! hash names `<hash>`; `_server_messages` is decoded and its per-request `__frappe_exc_id`
//! dropped, and `exc` (the traceback) is dropped.

use serde_json::{Map, Value, json};

use crate::target::{Resp, Target};

/// What a scenario saw, step by step.
pub struct Observation<'a> {
    target: &'a Target,
    steps: Vec<Value>,
    names: Vec<(String, String)>,
}

impl<'a> Observation<'a> {
    /// An empty observation of a scenario on `target`.
    pub fn new(target: &'a Target) -> Self {
        Observation {
            target,
            steps: Vec::new(),
            names: Vec::new(),
        }
    }

    /// From now on, `actual` appears as `<placeholder>`.
    pub fn name(&mut self, actual: impl Into<String>, placeholder: &str) {
        self.names.push((actual.into(), format!("<{placeholder}>")));
    }

    /// `value` normalised now (e.g. to sort placeholders).
    pub fn placeholder(&self, value: &Value) -> String {
        match self.value(value.clone(), "name") {
            Value::String(s) => s,
            other => other.to_string(),
        }
    }

    /// Records an answer.
    pub fn step(&mut self, label: &str, resp: &Resp) {
        self.steps
            .push(json!({"step": label, "status": resp.status, "body": resp.body}));
    }

    /// Records the status and `exc_type` of an answer, not its body.
    pub fn outcome(&mut self, label: &str, resp: &Resp) {
        self.steps.push(json!({"step": label, "status": resp.status,
            "exc_type": resp.body.get("exc_type")}));
    }

    /// Records a value the scenario derived.
    pub fn note(&mut self, label: &str, value: Value) {
        self.steps.push(json!({"step": label, "value": value}));
    }

    /// The normalised observation.
    pub fn finish(mut self) -> Value {
        let steps = Value::Array(std::mem::take(&mut self.steps));
        self.normalise(steps)
    }

    fn normalise(&self, value: Value) -> Value {
        self.value(value, "")
    }

    /// `key` is the object key the value is under: only a number under a name-like key
    /// (autoincrement names) is replaced.
    fn value(&self, value: Value, key: &str) -> Value {
        match value {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    match k.as_str() {
                        "exc" => continue,
                        "_server_messages" => {
                            let decoded = self.value(server_messages(&v), "");
                            out.insert(k, decoded);
                        }
                        _ => {
                            let v = self.value(v, &k);
                            out.insert(k, v);
                        }
                    }
                }
                Value::Object(out)
            }
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.value(v, key)).collect())
            }
            Value::String(s) => {
                let text = self.text(&s);
                let name_key = matches!(key, "name" | "parent" | "amended_from");
                if name_key && text == s && hash_shape(&s) {
                    Value::String("<hash>".into())
                } else {
                    Value::String(text)
                }
            }
            Value::Number(n) if matches!(key, "name" | "parent" | "amended_from") => {
                let text = n.to_string();
                match self.names.iter().find(|(actual, _)| *actual == text) {
                    Some((_, p)) => Value::String(p.clone()),
                    None => Value::Number(n),
                }
            }
            other => other,
        }
    }

    fn text(&self, s: &str) -> String {
        if let Some((_, p)) = self.names.iter().find(|(actual, _)| actual == s) {
            return p.clone();
        }
        // Registered names first (they may hold the run's marker), then the marker.
        let mut s = s.to_owned();
        let mut names: Vec<&(String, String)> = self.names.iter().collect();
        names.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
        for (actual, p) in names {
            if actual.len() > 3 {
                s = s.replace(actual.as_str(), p);
            }
        }
        let s = s
            .replace(&self.target.run, "<run>")
            .replace(&self.target.run.to_uppercase(), "<RUN>");
        generated(&timestamps(&s))
    }
}

/// Hash names and names of the suite's series (`FRSC2S-0042`) inside a text, which the scenario
/// could not register (a name given to a document that was then refused).
fn generated(s: &str) -> String {
    let mut out = String::new();
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        let series = token.starts_with("FRSC")
            && token
                .split_once('-')
                .is_some_and(|(_, n)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if is_hash(token) {
            out.push_str("<hash>");
        } else if series {
            let prefix = token.split_once('-').map(|(p, _)| p).unwrap_or_default();
            out.push_str(&format!("{prefix}-<n>"));
        } else {
            out.push_str(token);
        }
        token.clear();
    };
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// `make_autoname("hash")`'s shape: 4 base32hex characters of time (`_get_timestamp_prefix`)
/// and 6 random base32hex ones.
pub fn hash_shape(s: &str) -> bool {
    s.len() == 10
        && s.chars()
            .all(|c| c.is_ascii_digit() || ('a'..='v').contains(&c))
}

/// A hash name inside text, where a ten-letter word ("permission") must be left alone: the
/// shape with a digit, or (a tenth of the names, more while the time prefix is all letters)
/// with the time prefix of the last ten minutes. Under a name key the shape alone decides
/// (`Observation::value`).
pub fn is_hash(s: &str) -> bool {
    hash_shape(s) && (s.chars().any(|c| c.is_ascii_digit()) || recent_prefix(s))
}

/// Whether `s` starts with the first two characters of a hash made in the last ten minutes
/// (they change every 102.4 s).
fn recent_prefix(s: &str) -> bool {
    const B32HEX: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() / 100);
    (0..=6).any(|step| {
        let ts = (now - step * 1024) % 32u128.pow(4);
        let prefix = [
            B32HEX[(ts >> 15) as usize & 31],
            B32HEX[(ts >> 10) as usize & 31],
        ];
        s.as_bytes().starts_with(&prefix)
    })
}

/// Every `YYYY-MM-DD HH:MM:SS[.ffffff]` in `s` replaced by `<datetime>`.
fn timestamps(s: &str) -> String {
    let b = s.as_bytes();
    let shape = b"dddd-dd-dd dd:dd:dd";
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let fits = i + shape.len() <= b.len()
            && shape.iter().zip(&b[i..]).all(|(p, c)| match p {
                b'd' => c.is_ascii_digit(),
                p => p == c,
            });
        if fits {
            let mut j = i + shape.len();
            if b.get(j) == Some(&b'.') {
                j += 1;
                while b.get(j).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                }
            }
            out.push_str("<datetime>");
            i = j;
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// `_server_messages` decoded: a list of message dicts without `__frappe_exc_id`.
fn server_messages(v: &Value) -> Value {
    let Some(outer) = v
        .as_str()
        .and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
    else {
        return v.clone();
    };
    Value::Array(
        outer
            .iter()
            .map(|m| match serde_json::from_str::<Value>(m) {
                Ok(Value::Object(mut m)) => {
                    m.remove("__frappe_exc_id");
                    Value::Object(m)
                }
                Ok(other) => other,
                Err(_) => Value::String(m.clone()),
            })
            .collect(),
    )
}

#[test]
fn hash_names_in_text_need_a_digit_or_a_recent_time_prefix() {
    assert!(is_hash("0k1qab2c3d") && !is_hash("Permission") && !is_hash("zzzzab2c3d"));
    assert!(hash_shape("aitbopqghu") && !hash_shape("aitboyqghu"));
    // The time prefix of now, and of half the 29-hour wrap away.
    let b32 = b"0123456789abcdefghijklmnopqrstuv";
    let prefix = |ts: u128| -> String {
        [15, 10, 5, 0]
            .iter()
            .map(|shift| b32[(ts >> shift) as usize & 31] as char)
            .collect()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        / 100;
    let wrap = 32u128.pow(4);
    assert!(recent_prefix(&format!("{}abcdef", prefix(now % wrap))));
    assert!(!recent_prefix(&format!(
        "{}abcdef",
        prefix((now + wrap / 2) % wrap)
    )));
}
