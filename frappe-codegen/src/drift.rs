//! Drift between a snapshot and the metadata now (a site or a directory): what
//! `frappe-codegen check` reports.
//!
//! Only changes that change generated code count: DocTypes added or removed, their kind
//! (child, single, submittable), module or naming (autoincrement or not: the type of `name`)
//! changed, fields added or removed, a field's type changed (fieldtype, or the target of a
//! Link / Table / Dynamic Link), Select options changed, `reqd` or `is_virtual` changed, the
//! active Workflow added, removed or changed (states, transitions, state field); whitelisted
//! functions added, removed or with a changed signature (when the snapshot holds them).
//! Labels, descriptions and layout fields are ignored.

use std::collections::BTreeMap;
use std::fmt;

use crate::meta::fieldtype::Kind;
use crate::meta::methods::WhitelistedMethod;
use crate::meta::{DocField, DocType, Workflow};

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The DocType.
    pub doctype: String,
    /// The field, for field-level changes.
    pub field: Option<String>,
    /// What changed, in words.
    pub what: String,
}

/// All differences between a snapshot and the metadata now, sorted by DocType and field
/// ([`Config::check`](crate::Config::check)).
///
/// Only changes that change generated code count: DocTypes added or removed, their kind
/// (child, single, submittable), module or naming (autoincrement or not) changed, fields added or
/// removed, a field's type changed (fieldtype, or the target of a Link / Table / Dynamic Link),
/// Select options changed, `reqd` or `is_virtual` changed, the active Workflow added, removed
/// or changed. Labels, descriptions and layout fields are ignored. `Display` prints the report `frappe-codegen check` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift(pub Vec<Change>);

impl Drift {
    /// No difference.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return write!(f, "no drift: the metadata matches the snapshot");
        }
        writeln!(f, "{} change(s) since the snapshot:", self.0.len())?;
        let mut last = None;
        for c in &self.0 {
            if last != Some(&c.doctype) {
                writeln!(f, "  {}", c.doctype)?;
                last = Some(&c.doctype);
            }
            match &c.field {
                Some(field) => writeln!(f, "    {field}: {}", c.what)?,
                None => writeln!(f, "    {}", c.what)?,
            }
        }
        Ok(())
    }
}

/// Compares the snapshot's whitelisted functions (`old`) with the current ones (`new`): a
/// function added or removed, or its signature changed (parameters, annotations, defaults,
/// return annotation, `allow_guest`, accepted HTTP methods, the DocType of a controller's
/// method). The change's `doctype` is the function's dotted path.
pub fn compare_methods(old: &[WhitelistedMethod], new: &[WhitelistedMethod]) -> Vec<Change> {
    let old: BTreeMap<&str, &WhitelistedMethod> =
        old.iter().map(|m| (m.path.as_str(), m)).collect();
    let new: BTreeMap<&str, &WhitelistedMethod> =
        new.iter().map(|m| (m.path.as_str(), m)).collect();
    let change = |path: &str, what: String| Change {
        doctype: path.to_owned(),
        field: None,
        what,
    };
    let mut changes = Vec::new();
    for (path, o) in &old {
        match new.get(path) {
            None => changes.push(change(path, "whitelisted function removed".into())),
            Some(n) => {
                let same = o.params == n.params
                    && o.returns == n.returns
                    && o.allow_guest == n.allow_guest
                    && o.http_methods == n.http_methods
                    && o.doctype == n.doctype;
                if !same {
                    changes.push(change(
                        path,
                        format!(
                            "signature changed from `{}` to `{}`",
                            describe_signature(o),
                            describe_signature(n)
                        ),
                    ));
                }
            }
        }
    }
    for path in new.keys().filter(|p| !old.contains_key(*p)) {
        changes.push(change(path, "whitelisted function added".into()));
    }
    changes.sort();
    changes
}

fn describe_signature(m: &WhitelistedMethod) -> String {
    let mut s = m.python_signature();
    if let Some(doctype) = &m.doctype {
        s.push_str(&format!(" [method of {doctype}]"));
    }
    if m.allow_guest {
        s.push_str(" [guest]");
    }
    if !m.http_methods.is_empty() {
        s.push_str(&format!(" [{}]", m.http_methods.join(", ")));
    }
    s
}

/// Compares the snapshot's DocTypes (`old`) with the current ones (`new`).
pub fn compare(old: &[DocType], new: &[DocType]) -> Drift {
    let old: BTreeMap<&str, &DocType> = old.iter().map(|d| (d.name.as_str(), d)).collect();
    let new: BTreeMap<&str, &DocType> = new.iter().map(|d| (d.name.as_str(), d)).collect();
    let mut changes = Vec::new();
    let mut push = |doctype: &str, field: Option<&str>, what: String| {
        changes.push(Change {
            doctype: doctype.to_owned(),
            field: field.map(str::to_owned),
            what,
        })
    };
    for (name, o) in &old {
        let Some(n) = new.get(name) else {
            push(name, None, "DocType removed".into());
            continue;
        };
        for (label, a, b) in [
            ("child table (istable)", o.istable, n.istable),
            ("single (issingle)", o.issingle, n.issingle),
            ("submittable", o.is_submittable, n.is_submittable),
        ] {
            if a != b {
                push(name, None, format!("{label}: {a} -> {b}"));
            }
        }
        let autoincrement = |d: &DocType| d.autoname.trim() == "autoincrement";
        if autoincrement(o) != autoincrement(n) {
            // `name` is `Option<i64>` for autoincrement DocTypes and `String` otherwise.
            push(
                name,
                None,
                format!("naming: autoname {:?} -> {:?}", o.autoname, n.autoname),
            );
        }
        if o.module != n.module {
            push(
                name,
                None,
                format!("module: {:?} -> {:?}", o.module, n.module),
            );
        }
        workflow_changes(o, n, |what| push(name, None, what));
        let of = valued_fields(o);
        let nf = valued_fields(n);
        for (fname, a) in &of {
            match nf.get(fname) {
                None => push(
                    name,
                    Some(fname),
                    format!("field removed (was {})", describe(a)),
                ),
                Some(b) => field_changes(a, b, |what| push(name, Some(fname), what)),
            }
        }
        for (fname, b) in &nf {
            if !of.contains_key(fname) {
                push(name, Some(fname), format!("field added: {}", describe(b)));
            }
        }
    }
    for name in new.keys() {
        if !old.contains_key(name) {
            push(name, None, "DocType added".into());
        }
    }
    changes.sort();
    Drift(changes)
}

/// Changes of the active Workflow: added or removed, its states (and their doc status), its
/// transitions (from, action, to, role, self approval, condition). The generated state and
/// action enums and transition table follow all of them.
fn workflow_changes(o: &DocType, n: &DocType, mut push: impl FnMut(String)) {
    match (&o.workflow, &n.workflow) {
        (None, None) => {}
        (None, Some(w)) => push(format!("workflow added: {:?}", w.workflow_name)),
        (Some(w), None) => push(format!("workflow removed (was {:?})", w.workflow_name)),
        (Some(a), Some(b)) => {
            let states = |w: &Workflow| {
                w.states
                    .iter()
                    .map(|s| format!("{} ({})", s.state, s.doc_status))
                    .collect::<Vec<_>>()
            };
            if states(a) != states(b) {
                push(format!(
                    "workflow states: {:?} -> {:?}",
                    states(a),
                    states(b)
                ));
            }
            if a.transitions != b.transitions {
                let describe = |w: &Workflow| {
                    w.transitions
                        .iter()
                        .map(|t| {
                            let mut text = format!(
                                "{} -{}-> {} by {}",
                                t.state, t.action, t.next_state, t.allowed
                            );
                            if t.allow_self_approval {
                                text.push_str(", self approval");
                            }
                            if !t.condition.is_empty() {
                                text.push_str(&format!(", if {}", t.condition));
                            }
                            text
                        })
                        .collect::<Vec<_>>()
                };
                push(format!(
                    "workflow transitions changed: {:?} -> {:?}",
                    describe(a),
                    describe(b)
                ));
            }
            if a.workflow_state_field != b.workflow_state_field {
                push(format!(
                    "workflow state field: {:?} -> {:?}",
                    a.workflow_state_field, b.workflow_state_field
                ));
            }
        }
    }
}

fn valued_fields(dt: &DocType) -> BTreeMap<&str, &DocField> {
    dt.fields
        .iter()
        .filter(|f| !f.fieldname.is_empty() && f.kind() != Some(Kind::Layout))
        .map(|f| (f.fieldname.as_str(), f))
        .collect()
}

fn field_changes(a: &DocField, b: &DocField, mut push: impl FnMut(String)) {
    let kind = a.kind();
    if a.fieldtype != b.fieldtype {
        push(format!("retyped: {} -> {}", describe(a), describe(b)));
    } else if kind == Some(Kind::Select) {
        let ao: Vec<&str> = a.options.split('\n').collect();
        let bo: Vec<&str> = b.options.split('\n').collect();
        let added: Vec<&str> = bo.iter().filter(|o| !ao.contains(o)).copied().collect();
        let removed: Vec<&str> = ao.iter().filter(|o| !bo.contains(o)).copied().collect();
        if !added.is_empty() || !removed.is_empty() {
            push(format!(
                "Select options changed: added {added:?}, removed {removed:?}"
            ));
        } else if ao != bo {
            push("Select options reordered".into());
        }
    } else if matches!(kind, Some(Kind::Link | Kind::Table | Kind::DynamicLink))
        && a.options != b.options
    {
        push(format!("retyped: {} -> {}", describe(a), describe(b)));
    }
    if a.reqd != b.reqd {
        push(format!(
            "reqd: {} -> {}",
            u8::from(a.reqd),
            u8::from(b.reqd)
        ));
    }
    // A virtual field may be absent, so it is an `Option` even when mandatory.
    if a.is_virtual != b.is_virtual {
        push(format!(
            "is_virtual: {} -> {}",
            u8::from(a.is_virtual),
            u8::from(b.is_virtual)
        ));
    }
}

fn describe(f: &DocField) -> String {
    match f.kind() {
        Some(Kind::Link | Kind::Table | Kind::DynamicLink) if !f.options.is_empty() => {
            format!("{} {:?}", f.fieldtype, f.options)
        }
        _ => f.fieldtype.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(json: &str) -> DocType {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn reports_every_kind_of_change() {
        let old = vec![
            dt(r#"{"name":"ToDo","module":"Desk","fields":[
                {"fieldname":"status","fieldtype":"Select","options":"Open\nClosed"},
                {"fieldname":"description","fieldtype":"Text","reqd":1},
                {"fieldname":"role","fieldtype":"Link","options":"Role"},
                {"fieldname":"gone","fieldtype":"Data"},
                {"fieldname":"sb","fieldtype":"Section Break"}]}"#),
            dt(r#"{"name":"Old","fields":[]}"#),
        ];
        let new = vec![
            dt(r#"{"name":"ToDo","module":"Desk","fields":[
                {"fieldname":"status","fieldtype":"Select","options":"Open\nClosed\nCancelled"},
                {"fieldname":"description","fieldtype":"Text Editor"},
                {"fieldname":"role","fieldtype":"Link","options":"User"},
                {"fieldname":"added","fieldtype":"Int"}]}"#),
            dt(r#"{"name":"New","istable":1,"fields":[]}"#),
        ];
        let drift = compare(&old, &new);
        assert_eq!(
            drift.to_string(),
            "8 change(s) since the snapshot:\n  New\n    DocType added\n  Old\n    DocType removed\n  \
             ToDo\n    added: field added: Int\n    description: reqd: 1 -> 0\n    \
             description: retyped: Text -> Text Editor\n    gone: field removed (was Data)\n    \
             role: retyped: Link \"Role\" -> Link \"User\"\n    \
             status: Select options changed: added [\"Cancelled\"], removed []\n"
        );
        assert!(compare(&new, &new).is_empty());
    }

    #[test]
    fn naming_and_virtual_changes_change_the_generated_types() {
        let old = vec![dt(r#"{"name":"Log","autoname":"hash","fields":[
            {"fieldname":"total","fieldtype":"Data","reqd":1}]}"#)];
        let new = vec![dt(r#"{"name":"Log","autoname":"autoincrement","fields":[
            {"fieldname":"total","fieldtype":"Data","reqd":1,"is_virtual":1}]}"#)];
        assert_eq!(
            compare(&old, &new).to_string(),
            "2 change(s) since the snapshot:\n  Log\n    \
             naming: autoname \"hash\" -> \"autoincrement\"\n    total: is_virtual: 0 -> 1\n"
        );
    }

    #[test]
    fn a_workflow_added_removed_or_changed_is_drift() {
        let flow = |transitions: &str| {
            dt(&format!(
                r#"{{"name":"Order","workflow":{{"workflow_name":"Flow",
                "workflow_state_field":"workflow_state",
                "states":[{{"state":"Draft","doc_status":"0"}},{{"state":"Done","doc_status":"1"}}],
                "transitions":[{transitions}]}}}}"#
            ))
        };
        let plain = vec![dt(r#"{"name":"Order"}"#)];
        let one = vec![flow(
            r#"{"state":"Draft","action":"Approve","next_state":"Done","allowed":"All"}"#,
        )];
        let other_role = vec![flow(
            r#"{"state":"Draft","action":"Approve","next_state":"Done","allowed":"Manager"}"#,
        )];
        assert!(compare(&one, &one).is_empty());
        assert_eq!(
            compare(&plain, &one).to_string(),
            "1 change(s) since the snapshot:\n  Order\n    workflow added: \"Flow\"\n"
        );
        assert_eq!(
            compare(&one, &plain).0[0].what,
            "workflow removed (was \"Flow\")"
        );
        assert_eq!(
            compare(&one, &other_role).0[0].what,
            "workflow transitions changed: [\"Draft -Approve-> Done by All\"] -> \
             [\"Draft -Approve-> Done by Manager\"]"
        );
    }

    #[test]
    fn whitelisted_functions_added_removed_or_changed_are_drift() {
        use crate::meta::methods::{Param, ParamKind};
        let f = |path: &str, hint: Option<&str>| WhitelistedMethod {
            path: path.into(),
            doctype: None,
            params: vec![Param {
                name: "x".into(),
                hint: hint.map(str::to_owned),
                default: None,
                kind: ParamKind::Plain,
            }],
            returns: None,
            allow_guest: false,
            http_methods: vec![],
            doc: None,
        };
        let old = [f("a.kept", None), f("a.gone", None), f("a.changed", None)];
        let mut changed = f("a.changed", Some("int"));
        // A docstring is not part of the signature.
        changed.doc = Some("Now documented.".into());
        let mut kept = f("a.kept", None);
        kept.doc = Some("Documented.".into());
        // `x` becoming `*x` is a different function for the caller: the report shows it.
        let mut starred = f("a.starred", None);
        starred.params[0].kind = ParamKind::VarArgs;
        // So is a return annotation, and the class a controller method moved to.
        let mut method = f("a.method", None);
        method.returns = Some("str".into());
        method.doctype = Some("ToDo".into());
        let mut moved = method.clone();
        moved.returns = Some("int".into());
        moved.doctype = Some("Note".into());
        let old = [old.as_slice(), &[f("a.starred", None), method]].concat();
        let new = [kept, changed, f("a.new", None), starred, moved];
        let changes: Vec<(String, String)> = compare_methods(&old, &new)
            .into_iter()
            .map(|c| (c.doctype, c.what))
            .collect();
        assert_eq!(
            changes,
            [
                (
                    "a.changed".into(),
                    "signature changed from `(x)` to `(x: int)`".into()
                ),
                ("a.gone".into(), "whitelisted function removed".into()),
                (
                    "a.method".into(),
                    "signature changed from `(x) -> str [method of ToDo]` to \
                     `(x) -> int [method of Note]`"
                        .into()
                ),
                ("a.new".into(), "whitelisted function added".into()),
                (
                    "a.starred".into(),
                    "signature changed from `(x)` to `(*x)`".into()
                ),
            ]
        );
    }
}
