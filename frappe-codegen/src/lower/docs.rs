//! Doc comments of generated modules, structs and fields: a module's Frappe name and how many
//! DocTypes it holds; the DocType's name, module, kind and description; a field's label, then
//! one line of facts (fieldtype or link target, mandatory, default, Select options), notes
//! (JSON, virtual) and its description, each its own paragraph.
//!
//! Free text goes through [`naming::doc_lines`] (Markdown-escaped: no links, code blocks or
//! doctests); descriptions lose their HTML first ([`plain_text`]) and are cut to a few lines.

use crate::meta::{DocField, DocType};
use crate::naming;

/// A module's doc line: its Frappe name and the number of DocTypes (structs) in it.
pub(super) fn module_docs(frappe_module: &str, structs: usize) -> Vec<String> {
    vec![format!(
        "DocTypes of the Frappe module {} ({structs}).",
        naming::doc_lines(frappe_module).join(" ")
    )]
}

pub(super) fn struct_docs(dt: &DocType) -> Vec<String> {
    let mut docs = vec![format!(
        "{} (module: {}).",
        naming::doc_lines(&dt.name).join(" "),
        naming::doc_lines(if dt.module.is_empty() {
            "none"
        } else {
            &dt.module
        })
        .join(" ")
    )];
    let mut kinds = Vec::new();
    if dt.istable {
        kinds.push("a child table: its rows live in a parent document's Table field");
    }
    if dt.issingle {
        kinds.push("a single: one document, named like the DocType");
    }
    if dt.is_submittable {
        kinds.push("submittable: Draft, then Submitted, then Cancelled");
    }
    if dt.is_tree {
        kinds.push("a tree (nested set): filter with the tree operators on its parent link");
    }
    if dt.is_virtual {
        kinds.push("virtual: its documents come from a controller, not a table");
    }
    if !kinds.is_empty() {
        docs.push(String::new());
        docs.push(format!("This DocType is {}.", kinds.join("; ")));
    }
    let description = description_lines(&dt.description);
    if !description.is_empty() {
        docs.push(String::new());
        docs.extend(description);
    }
    docs
}

/// What a field's facts line says about its kind: the head (`Link to `Customer``, `Select`,
/// the fieldtype) and sentences after it (`Options: ...`).
#[derive(Debug, Default)]
pub(super) struct FieldFacts {
    /// Replaces the fieldtype at the start of the line.
    pub(super) head: Option<String>,
    /// Sentences after the head, each ending in a full stop.
    pub(super) tail: Vec<String>,
    /// Paragraphs after the facts line (JSON, virtual).
    pub(super) notes: Vec<String>,
}

/// The label line (the fieldname when there is no label); the facts line: the fieldtype (or
/// `facts.head`), `mandatory`, the default, then `facts.tail`; `facts.notes` and the
/// description, each its own paragraph.
pub(super) fn field_docs(df: &DocField, facts: FieldFacts) -> Vec<String> {
    let label = if df.label.trim().is_empty() {
        &df.fieldname
    } else {
        &df.label
    };
    let mut docs = vec![naming::doc_lines(label).join(" ")];
    let mut line = facts
        .head
        .unwrap_or_else(|| naming::doc_lines(&df.fieldtype).join(" "));
    if df.reqd {
        line.push_str(", mandatory");
    }
    if !df.default.trim().is_empty() {
        line.push_str(", default ");
        line.push_str(&short_code_span(&df.default, 60));
    }
    line.push('.');
    for sentence in facts.tail {
        line.push(' ');
        line.push_str(&sentence);
    }
    docs.push(String::new());
    docs.push(line);
    for note in facts.notes {
        docs.push(String::new());
        docs.push(note);
    }
    let description = description_lines(&df.description);
    if !description.is_empty() {
        docs.push(String::new());
        docs.extend(description);
    }
    docs
}

/// `names` as code spans, `A`, `B`, and at most `max` of them (then `and N more`).
pub(super) fn code_list<'a>(names: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let mut out: Vec<String> = names
        .iter()
        .take(max)
        .map(|n| short_code_span(n, 60))
        .collect();
    if names.len() > max {
        out.push(format!("and {} more", names.len() - max));
    }
    out.join(", ")
}

/// `text` in a code span, cut to `max` characters (with `…`).
fn short_code_span(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() > max {
        let cut: String = text.chars().take(max).collect();
        format!("{}…", naming::code_span(&cut))
    } else {
        naming::code_span(text)
    }
}

/// The most lines of a description kept in a doc comment; the desk shows the whole text.
const DESCRIPTION_LINES: usize = 4;
/// The most characters of a description kept.
const DESCRIPTION_CHARS: usize = 400;

/// A description as doc lines: HTML removed, Markdown-escaped, at most [`DESCRIPTION_LINES`]
/// lines and about [`DESCRIPTION_CHARS`] characters (then `…`).
fn description_lines(text: &str) -> Vec<String> {
    let all = naming::doc_lines(&plain_text(text));
    let mut out = Vec::new();
    let mut chars = 0;
    for line in &all {
        if out.len() == DESCRIPTION_LINES || chars >= DESCRIPTION_CHARS {
            break;
        }
        let room = DESCRIPTION_CHARS - chars;
        let line = if line.chars().count() > room {
            // Not inside an escape: a cut after `\\` would escape the ellipsis only.
            let mut cut: String = line.chars().take(room).collect();
            if cut.ends_with('\\') {
                cut.pop();
            }
            cut
        } else {
            line.clone()
        };
        chars += line.chars().count();
        out.push(line);
    }
    let kept: usize = out.iter().map(|l| l.chars().count()).sum();
    if kept < all.iter().map(|l| l.chars().count()).sum::<usize>() {
        if let Some(last) = out.last_mut() {
            last.push_str(" …");
        }
    }
    out
}

/// `html` as plain text: the tags of HTML removed (a line break for `<br>` and block tags),
/// the common entities decoded. Descriptions are short help texts written for the desk, which
/// renders them as HTML; a doc comment would show the tags. Only known tag names count, so
/// text like `<fieldname>` stays (escaped later).
pub(super) fn plain_text(html: &str) -> String {
    const BLOCKS: [&str; 17] = [
        "br",
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "hr",
        "blockquote",
    ];
    const INLINE: [&str; 17] = [
        "a", "b", "i", "u", "em", "strong", "code", "span", "small", "sup", "sub", "td", "th",
        "tbody", "thead", "img", "font",
    ];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let tag = after.find('>').and_then(|end| {
            let inner = &after[..end];
            let name: String = inner
                .strip_prefix('/')
                .unwrap_or(inner)
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            let known = BLOCKS.contains(&name.as_str()) || INLINE.contains(&name.as_str());
            // After the name: nothing, attributes or a self-closing slash.
            let rest_of_tag =
                &inner[inner.len() - inner.trim_start_matches('/').len() + name.len()..];
            let shaped = rest_of_tag.is_empty() || rest_of_tag.starts_with([' ', '/', '\n', '\t']);
            (known && shaped).then_some((end, BLOCKS.contains(&name.as_str())))
        });
        match tag {
            Some((end, block)) => {
                if block {
                    out.push('\n');
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

/// The entities descriptions use (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;`, and
/// numeric ones); others stay as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let entity = after
            .find(';')
            .filter(|&end| end <= 8)
            .and_then(|end| Some((end, entity_char(&after[..end])?)));
        match entity {
            Some((end, c)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity_char(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let code = match name.strip_prefix('#')? {
                hex if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok()?,
                dec => dec.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            plain_text(
                "Use <b>bold</b> &amp; <a href=\"x\">links</a><br>next &lt;name&gt; &#39;q&#39;"
            ),
            "Use bold & links\nnext <name> 'q'"
        );
        // Not tags: a comparison, an unknown entity, a placeholder, an unclosed bracket.
        assert_eq!(
            plain_text("a < b &copy; <name> <bold> c<"),
            "a < b &copy; <name> <bold> c<"
        );
        assert_eq!(plain_text("x<br/>y<hr />z<img src=\"a.png\">"), "x\ny\nz");
        assert_eq!(
            plain_text("<ol><li>one</li><li>two</li></ol>"),
            "\n\none\n\ntwo\n\n"
        );
    }

    #[test]
    fn descriptions_are_cut_to_a_few_lines() {
        let long = "l1\nl2\n<pre><code>{\n\t\"value\": 1\n}</code></pre>";
        let got = description_lines(long);
        assert_eq!(got, ["l1", "l2", "\\{", "\"value\": 1 …"]);
        let huge = "x".repeat(1000);
        let got = description_lines(&huge);
        assert_eq!(got.len(), 1);
        assert!(got[0].ends_with("x …"), "{got:?}");
        assert_eq!(got[0].chars().count(), DESCRIPTION_CHARS + 2);
    }

    #[test]
    fn code_lists_are_cut() {
        assert_eq!(code_list(["A", "B"], 5), "`A`, `B`");
        assert_eq!(code_list(["A", "B", "C"], 2), "`A`, `B`, and 1 more");
        assert_eq!(
            short_code_span(&"y".repeat(70), 60),
            format!("`{}`…", "y".repeat(60))
        );
    }
}
