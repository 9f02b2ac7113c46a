//! A DocType's active Workflow (`frappe/workflow/doctype/workflow/workflow.json` with its
//! `states` and `transitions` tables), in Frappe's words: the keys codegen reads.
//!
//! A site sends it with the DocType: `frappe.desk.form.load.getdoctype` puts the active
//! Workflow and its Workflow State documents in `__workflow_docs` (`FormMeta.load_workflows`).
//! A snapshot keeps it as the DocType's `workflow` object. [`workflow`] reads either shape.

use serde::{Deserialize, Deserializer, Serialize};

use super::{flag, is_false, scalar_text, text};

/// The active Workflow of a DocType.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    /// The Workflow's name (`workflow_name`).
    #[serde(default, deserialize_with = "text")]
    pub workflow_name: String,
    /// The field holding the state (`workflow_state_field`; Frappe adds a Custom Field of that
    /// name when the DocType has none).
    #[serde(default, deserialize_with = "text")]
    pub workflow_state_field: String,
    /// The states, in the Workflow's order (the first is where new documents start).
    #[serde(default)]
    pub states: Vec<WorkflowState>,
    /// The transitions, in the Workflow's order.
    #[serde(default)]
    pub transitions: Vec<WorkflowTransition>,
}

/// A row of a Workflow's `states` table (`Workflow Document State`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowState {
    /// The state's name (a Workflow State).
    #[serde(default, deserialize_with = "text")]
    pub state: String,
    /// The document's docstatus in this state: `"0"` draft, `"1"` submitted, `"2"` cancelled.
    #[serde(default, deserialize_with = "scalar_text")]
    pub doc_status: String,
}

/// A row of a Workflow's `transitions` table (`Workflow Transition`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowTransition {
    /// The state the transition leaves.
    #[serde(default, deserialize_with = "text")]
    pub state: String,
    /// The action (a Workflow Action Master).
    #[serde(default, deserialize_with = "text")]
    pub action: String,
    /// The state it leads to.
    #[serde(default, deserialize_with = "text")]
    pub next_state: String,
    /// The role allowed to take it.
    #[serde(default, deserialize_with = "text")]
    pub allowed: String,
    /// Whether the document's owner may take it.
    #[serde(default, with = "flag", skip_serializing_if = "is_false")]
    pub allow_self_approval: bool,
    /// The Python condition that must hold, as text (empty: always).
    #[serde(
        default,
        deserialize_with = "text",
        skip_serializing_if = "String::is_empty"
    )]
    pub condition: String,
}

/// The DocType's workflow from a snapshot's `workflow` object, or from getdoctype's
/// `__workflow_docs` list (the document whose `doctype` is `"Workflow"`; the Workflow State
/// documents beside it are not needed). `null` or a list without a Workflow: none.
pub(super) fn workflow<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Workflow>, D::Error> {
    use serde::de::Error;
    match Option::<serde_json::Value>::deserialize(deserializer)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Array(docs)) => docs
            .into_iter()
            .find(|d| d["doctype"] == "Workflow")
            .map(|d| serde_json::from_value(d).map_err(D::Error::custom))
            .transpose(),
        Some(object) => serde_json::from_value(object)
            .map(Some)
            .map_err(D::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use crate::meta::DocType;

    #[test]
    fn getdoctypes_workflow_docs_and_a_snapshots_object_read_alike() {
        let from_site: DocType = serde_json::from_value(serde_json::json!({
            "name": "API Test Order",
            "__workflow_docs": [
                {"doctype": "Workflow", "name": "Order Flow", "workflow_name": "Order Flow",
                 "document_type": "API Test Order", "is_active": 1,
                 "workflow_state_field": "workflow_state",
                 "states": [{"state": "Draft", "doc_status": "0", "allow_edit": "All", "idx": 1},
                            {"state": "Approved", "doc_status": 1, "allow_edit": "All", "idx": 2}],
                 "transitions": [{"state": "Draft", "action": "Approve", "next_state": "Approved",
                                  "allowed": "System Manager", "allow_self_approval": 1,
                                  "condition": null}]},
                {"doctype": "Workflow State", "name": "Draft", "workflow_state_name": "Draft"}
            ]
        }))
        .unwrap();
        let flow = from_site.workflow.as_ref().unwrap();
        assert_eq!(flow.workflow_name, "Order Flow");
        assert_eq!(flow.workflow_state_field, "workflow_state");
        assert_eq!(flow.states[1].doc_status, "1");
        assert_eq!(flow.transitions[0].action, "Approve");
        assert!(flow.transitions[0].allow_self_approval);
        assert_eq!(flow.transitions[0].condition, "");

        let written = serde_json::to_value(&from_site).unwrap();
        assert!(written.get("__workflow_docs").is_none());
        let again: DocType = serde_json::from_value(written).unwrap();
        assert_eq!(again, from_site);

        let none: DocType =
            serde_json::from_value(serde_json::json!({"name": "ToDo", "__workflow_docs": []}))
                .unwrap();
        assert_eq!(none.workflow, None);
        assert!(
            serde_json::to_value(&none)
                .unwrap()
                .get("workflow")
                .is_none()
        );
    }
}
