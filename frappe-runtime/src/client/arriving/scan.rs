//! [`Scanner`]: finds, in a list response's body as it grows, where each row of the top-level
//! `data` array begins and ends, and the other top-level keys with their values.
//!
//! However the body is split into chunks (inside a string, an escape or a UTF-8 sequence), the
//! parts found are the same: the scanner looks only at ASCII bytes, which never occur inside a
//! multi-byte UTF-8 sequence, and waits for more bytes where what follows decides. It checks
//! the envelope's grammar (`{`, keys, `:`, `,`, `}`); the values are checked by whoever parses
//! them. Anything but `{"data": [...], "key": value, ...}` with plain (unescaped) keys stops it
//! at [`At::Unexpected`], and the caller decodes the whole body instead.
//!
//! A row that is an object or a list is found the quick way first: its end is guessed at the
//! next `}` (or `]`) followed by `,` or `]`, and the caller's parse of that range confirms it
//! ([`Verdict::Ok`]) or finds it cut short ([`Verdict::Truncated`]: the bracket closed a nested
//! value, or was inside a string). Only then is the row stepped through byte by byte, tracking
//! strings, escapes and depth. Frappe's list rows are flat objects, so the guess is nearly always
//! right and a row costs a `memchr` and its own parse; stepping through every byte (what the
//! parse does anyway) took about a third as long again as decoding the rows (10,000 ToDo rows).

use std::ops::Range;

/// Where the scanner is in `{"data": [row, row, ...], "key": value, ...}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum At {
    /// Before the opening `{`.
    Start,
    /// After `{` (`first`: then `}` may close it) or after a `,`: a key's opening quote.
    Key { first: bool },
    /// Inside a key.
    InKey,
    /// After a key: its `:`.
    Colon,
    /// After `:`: a value.
    Value,
    /// In the `data` array, before a row: after `[` (`first`: then `]` may close it) or `,`.
    Row { first: bool },
    /// Inside an object or list row, looking for its closing bracket the quick way.
    Guess,
    /// Inside a row or another key's value, stepping through it.
    InValue,
    /// After a row: `,` or `]`.
    AfterRow,
    /// After a value: `,` or `}`.
    AfterValue,
    /// After the closing `}`: only whitespace may follow.
    End,
    /// Not the expected shape (or the caller stopped): nothing more is scanned.
    Unexpected,
}

/// What the scanner found, as ranges of the body.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// A row of the `data` array, or a guess at one (see the module docs), without surrounding
    /// whitespace.
    Row(Range<usize>),
    /// A top-level key other than `data` (with its quotes) and its value.
    Other {
        key: Range<usize>,
        value: Range<usize>,
    },
}

/// What the caller made of a [`Part`].
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Taken.
    Ok,
    /// The row's JSON ends past the range: the guess was wrong.
    Truncated,
    /// Stop scanning: the body will be decoded whole.
    Stop,
}

/// The value being stepped over: where it began, its bracket depth and string state.
#[derive(Debug, Default)]
struct Value {
    start: usize,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// A row of `data`, ended by `,` or `]`; else another key's value, ended by `,` or `}`.
    row: bool,
    /// [`At::Guess`]: the closing bracket looked for, and where to look next.
    closer: u8,
    search: usize,
}

/// The scanner's state between chunks (see the module docs).
#[derive(Debug)]
pub(super) struct Scanner {
    at: At,
    /// The next byte to read.
    pos: usize,
    /// The current key, quotes included.
    key: Range<usize>,
    value: Value,
    seen_data: bool,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

impl Scanner {
    pub(super) fn new() -> Self {
        Self {
            at: At::Start,
            pos: 0,
            key: 0..0,
            value: Value::default(),
            seen_data: false,
        }
    }

    /// Whether the whole envelope was read, `data` an array in it, and nothing unexpected seen.
    pub(super) fn complete(&self) -> bool {
        self.at == At::End && self.seen_data
    }

    /// Whether scanning stopped on something unexpected.
    pub(super) fn stopped(&self) -> bool {
        self.at == At::Unexpected
    }

    /// Reads `body` from where the last call stopped (`body` is the whole body so far: it
    /// only grows between calls) and hands each part found to `found`.
    pub(super) fn feed(&mut self, body: &[u8], mut found: impl FnMut(Part) -> Verdict) {
        while self.pos < body.len() {
            let b = body[self.pos];
            self.at = match self.at {
                At::InValue => {
                    self.step_value(body, &mut found);
                    continue;
                }
                At::Guess => {
                    if !self.guess(body, &mut found) {
                        return;
                    }
                    continue;
                }
                At::Unexpected => return,
                At::InKey => match b {
                    b'"' => {
                        self.key.end = self.pos + 1;
                        At::Colon
                    }
                    // An escaped key could spell `data` or an error key: left to serde.
                    b'\\' => At::Unexpected,
                    _ => At::InKey,
                },
                _ if is_space(b) => self.at,
                At::Start if b == b'{' => At::Key { first: true },
                At::Key { .. } if b == b'"' => {
                    self.key.start = self.pos;
                    At::InKey
                }
                At::Key { first: true } if b == b'}' => At::End,
                At::Colon if b == b':' => At::Value,
                At::Value if &body[self.key.clone()] == b"\"data\"" => {
                    if b != b'[' || self.seen_data {
                        // `data` not a list, or given twice: serde says what that means.
                        At::Unexpected
                    } else {
                        self.seen_data = true;
                        At::Row { first: true }
                    }
                }
                At::Value => self.begin_value(false),
                At::Row { first: true } if b == b']' => At::AfterValue,
                At::Row { .. } if b == b'{' || b == b'[' => {
                    self.value.start = self.pos;
                    self.value.closer = if b == b'{' { b'}' } else { b']' };
                    self.value.search = self.pos + 1;
                    At::Guess
                }
                // A `,` or `]` right after `[` or `,` is an empty element: not JSON.
                At::Row { .. } if b != b',' && b != b']' => self.begin_value(true),
                At::AfterRow if b == b',' => At::Row { first: false },
                At::AfterRow if b == b']' => At::AfterValue,
                At::AfterValue if b == b',' => At::Key { first: false },
                At::AfterValue if b == b'}' => At::End,
                _ => At::Unexpected,
            };
            if !matches!(self.at, At::InValue | At::Guess) {
                self.pos += 1;
            }
        }
    }

    /// A value (a row if `row`) begins at `pos`, whose byte is not yet read.
    fn begin_value(&mut self, row: bool) -> At {
        self.value = Value {
            start: self.pos,
            row,
            ..Value::default()
        };
        At::InValue
    }

    /// [`At::Guess`]: tries each closing bracket followed by `,` or `]` as the row's end, until
    /// one is confirmed, or a wrong guess sends the row to [`step_value`](Self::step_value).
    /// `false`: more bytes are needed.
    fn guess(&mut self, body: &[u8], found: &mut impl FnMut(Part) -> Verdict) -> bool {
        let start = self.value.start;
        loop {
            let from = self.value.search;
            let Some(i) = memchr::memchr(self.value.closer, &body[from..]).map(|i| from + i) else {
                self.value.search = body.len();
                return false;
            };
            let Some(next) = body[i + 1..].iter().position(|&b| !is_space(b)) else {
                // What follows decides: look at this bracket again with more bytes.
                self.value.search = i;
                return false;
            };
            if !matches!(body[i + 1 + next], b',' | b']') {
                self.value.search = i + 1;
                continue;
            }
            match found(Part::Row(start..i + 1)) {
                Verdict::Ok => {
                    self.pos = i + 1;
                    self.at = At::AfterRow;
                }
                Verdict::Truncated => {
                    // Step through the row from its start instead.
                    self.pos = start;
                    self.at = self.begin_value(true);
                }
                Verdict::Stop => self.at = At::Unexpected,
            }
            return true;
        }
    }

    /// Steps through the current value until its end or the end of `body`; at its end hands
    /// it to `found` and moves past the `,`, `]` or `}` that ended it.
    fn step_value(&mut self, body: &[u8], found: &mut impl FnMut(Part) -> Verdict) {
        let v = &mut self.value;
        let mut pos = self.pos;
        while pos < body.len() {
            if v.in_string {
                if v.escaped {
                    v.escaped = false;
                    pos += 1;
                    continue;
                }
                // Most of a value is text: jump to the next quote or backslash.
                let Some(i) = memchr::memchr2(b'"', b'\\', &body[pos..]) else {
                    pos = body.len();
                    break;
                };
                pos += i;
                if body[pos] == b'"' {
                    v.in_string = false;
                } else {
                    v.escaped = true;
                }
                pos += 1;
                continue;
            }
            match body[pos] {
                b'"' => v.in_string = true,
                b'[' | b'{' => v.depth += 1,
                b']' | b'}' if v.depth > 0 => v.depth -= 1,
                b @ (b',' | b']' | b'}') if v.depth == 0 => {
                    self.pos = pos + 1;
                    self.at = self.end_value(body, b, pos, found);
                    return;
                }
                _ => {}
            }
            pos += 1;
        }
        self.pos = pos;
    }

    /// The state after the current value, ended by `closer` at `end` (at depth 0).
    fn end_value(
        &self,
        body: &[u8],
        closer: u8,
        end: usize,
        found: &mut impl FnMut(Part) -> Verdict,
    ) -> At {
        let v = &self.value;
        let mut end = end;
        while end > v.start && is_space(body[end - 1]) {
            end -= 1;
        }
        if end == v.start {
            return At::Unexpected;
        }
        let part = if v.row {
            Part::Row(v.start..end)
        } else {
            Part::Other {
                key: self.key.clone(),
                value: v.start..end,
            }
        };
        let next = match (v.row, closer) {
            (true, b',') => At::Row { first: false },
            (true, b']') => At::AfterValue,
            (false, b',') => At::Key { first: false },
            (false, b'}') => At::End,
            _ => return At::Unexpected,
        };
        // Stepped through, the range is the whole value: a truncated parse is an error.
        if found(part) == Verdict::Ok {
            next
        } else {
            At::Unexpected
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::de::IgnoredAny;

    use super::*;

    /// What the scanner finds in `body` fed in pieces ending at `cuts`, as text: rows as
    /// themselves, other keys as `key=value`; and the state at the end.
    fn scan(body: &str, cuts: &[usize]) -> (Vec<String>, At, bool) {
        let bytes = body.as_bytes();
        let mut scanner = Scanner::new();
        let mut parts = Vec::new();
        for &end in cuts.iter().chain([&bytes.len()]) {
            scanner.feed(&bytes[..end], |part| {
                let (text, value) = match part {
                    Part::Row(r) => (String::from_utf8(bytes[r.clone()].to_vec()).unwrap(), r),
                    Part::Other { key, value } => (
                        format!(
                            "{}={}",
                            String::from_utf8_lossy(&bytes[key]),
                            String::from_utf8_lossy(&bytes[value.clone()])
                        ),
                        value,
                    ),
                };
                // As the caller parses: a guess cut short is not a part.
                match serde_json::from_slice::<IgnoredAny>(&bytes[value]) {
                    Ok(_) => {
                        parts.push(text);
                        Verdict::Ok
                    }
                    Err(e) if e.is_eof() => Verdict::Truncated,
                    Err(_) => Verdict::Stop,
                }
            });
        }
        (parts, scanner.at, scanner.complete())
    }

    /// The scan of `body` in one piece, checked against every split into two pieces and
    /// against byte-by-byte feeding.
    fn scan_every_split(body: &str) -> (Vec<String>, At, bool) {
        let whole = scan(body, &[]);
        for cut in 0..=body.len() {
            assert_eq!(scan(body, &[cut]), whole, "cut at byte {cut} of {body}");
        }
        let every: Vec<usize> = (0..body.len()).collect();
        assert_eq!(scan(body, &every), whole, "byte by byte: {body}");
        whole
    }

    #[test]
    fn rows_and_other_keys_at_every_split() {
        let body = r#"{"data":[{"name":"a","idx":1},{"name":"b","idx":2}],"exc":"[\"debug\"]"}"#;
        let (parts, at, complete) = scan_every_split(body);
        assert_eq!(
            parts,
            [
                r#"{"name":"a","idx":1}"#,
                r#"{"name":"b","idx":2}"#,
                r#""exc"="[\"debug\"]""#
            ]
        );
        assert_eq!(at, At::End);
        assert!(complete);
    }

    #[test]
    fn strings_with_brackets_escapes_and_nesting() {
        // Brackets, commas and quotes inside strings, escaped quotes and backslashes, nested
        // rows, rows of every JSON kind, multi-byte UTF-8 and escaped code points.
        let body = concat!(
            r#"{"other":{"a":[1,{"b":"}]"}]},"data":["#,
            r#"{"s":"x\"],}{[\\","t":"\\"},"#,
            r#"{"guess":"a},b","n":{"m":1},"o":[{}],"p":"}"},"#,
            r#"{"child":[{"k":[1,[2,[3]]]},{}],"z":"Zoë 日本 \u00e9"},"#,
            r#"[1,"]",{}],"str , ]","#,
            r#"-1.5e3,true,null,{}"#,
            r#"]}"#
        );
        let (parts, _, complete) = scan_every_split(body);
        assert!(complete);
        assert_eq!(
            parts,
            [
                r#""other"={"a":[1,{"b":"}]"}]}"#,
                r#"{"s":"x\"],}{[\\","t":"\\"}"#,
                r#"{"guess":"a},b","n":{"m":1},"o":[{}],"p":"}"}"#,
                r#"{"child":[{"k":[1,[2,[3]]]},{}],"z":"Zoë 日本 \u00e9"}"#,
                r#"[1,"]",{}]"#,
                r#""str , ]""#,
                "-1.5e3",
                "true",
                "null",
                "{}",
            ]
        );
        // serde_json agrees on every row.
        let rows: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(rows["data"].as_array().unwrap().len(), parts.len() - 1);
    }

    #[test]
    fn whitespace_anywhere_between_tokens() {
        let body = " \r\n{ \"data\" :\t[ {\"a\" : 1} ,\n 2 ] , \"k\" : [ ] }\n ";
        let (parts, _, complete) = scan_every_split(body);
        assert!(complete);
        assert_eq!(parts, [r#"{"a" : 1}"#, "2", r#""k"=[ ]"#]);
    }

    #[test]
    fn empty_list_and_no_list() {
        assert_eq!(scan_every_split(r#"{"data":[]}"#), (vec![], At::End, true));
        assert_eq!(scan_every_split(r#"{"data":[ ]}"#), (vec![], At::End, true));
        // No `data`: read to the end, but not complete (serde reports the missing field).
        assert_eq!(scan_every_split("{}"), (vec![], At::End, false));
        assert_eq!(
            scan_every_split(r#"{"message":1}"#),
            (vec![r#""message"=1"#.to_owned()], At::End, false)
        );
    }

    #[test]
    fn a_body_cut_short_is_not_complete() {
        let body = r#"{"data":[{"a":1},{"a":2}]}"#;
        for end in 0..body.len() {
            let (_, at, complete) = scan(&body[..end], &[]);
            assert!(!complete, "{}", &body[..end]);
            assert_ne!(at, At::Unexpected, "{}", &body[..end]);
        }
    }

    #[test]
    fn other_shapes_stop_the_scanner() {
        for body in [
            r#"[{"a":1}]"#,
            r#"{"data":{"a":1}}"#,
            r#"{"data":null}"#,
            r#"{"data":[1,]}"#,
            r#"{"data":[,1]}"#,
            r#"{"data":[1,,2]}"#,
            r#"{"data":[1}"#,
            r#"{"data":[1]]"#,
            r#"{"data":[1],}"#,
            r#"{"data":[1]} x"#,
            r#"{"data":[1]}{}"#,
            r#"{"data":[1],"data":[2]}"#,
            r#"{"d\u0061ta":[1]}"#,
            r#"{"x":,"data":[1]}"#,
            r#"{"x":]"#,
            r#"{"data" [1]}"#,
            r#"{data:[1]}"#,
            r#"{,"data":[1]}"#,
        ] {
            let (_, at, complete) = scan_every_split(body);
            assert_eq!(at, At::Unexpected, "{body}");
            assert!(!complete, "{body}");
        }
    }

    #[test]
    fn the_caller_can_stop_it() {
        let body = br#"{"data":[1,2,3]}"#;
        let mut scanner = Scanner::new();
        let mut seen = 0;
        scanner.feed(body, |_| {
            seen += 1;
            if seen < 2 { Verdict::Ok } else { Verdict::Stop }
        });
        assert_eq!(seen, 2);
        assert!(scanner.stopped() && !scanner.complete());
        // Nothing more is read once stopped.
        scanner.feed(body, |_| unreachable!("stopped"));
    }
}
