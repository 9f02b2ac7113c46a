//! Frappe Workflows: the transitions a document may take now, and applying an action, from
//! [`Client::workflow`] (typed) or [`Resource::workflow`] (untyped) → [`WorkflowCalls`].
//!
//! Both are Frappe's whitelisted functions of `frappe.model.workflow`: `get_transitions` (a
//! `GET`, retried like any read) lists the transitions of the site's active Workflow whose
//! `state` is the document's current state, whose `allowed` role the user has and whose
//! `condition` holds; `apply_workflow` (a `POST`, never retried) finds the one with the given
//! action among those, writes its `next_state` into the workflow state field, and saves, submits
//! or cancels the document as the next state's `doc_status` says, returning the document.
//! Both send the document as `{"doctype", "name"}` only: the site loads it from its database.
//!
//! States and actions are plain strings by default; [`WorkflowCalls::typed`] takes any types
//! that serialize to and from their wire strings instead (e.g. enums of a workflow's states and
//! actions). A refusal is an [`Error`] whose [`Error::workflow_refusal`] says which of
//! Frappe's workflow exceptions it is.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::resource::{Resource, check_name};
use crate::row::Row;

/// Frappe's function listing the transitions open to the current user.
const GET_TRANSITIONS: &str = "frappe.model.workflow.get_transitions";
/// Frappe's function applying a workflow action.
const APPLY_WORKFLOW: &str = "frappe.model.workflow.apply_workflow";

/// One row of a Workflow's transitions table (`Workflow Transition`), as `get_transitions`
/// answers it. `S` is the type of states, `A` of actions ([`String`] unless
/// [`WorkflowCalls::typed`] chose others).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transition<S = String, A = String> {
    /// The state the document is in (`state`).
    pub state: S,
    /// The action that takes it out of that state (`action`, a Workflow Action Master).
    pub action: A,
    /// The state the action leads to (`next_state`).
    pub next_state: S,
    /// The role allowed to take the action (`allowed`).
    pub allowed: String,
    /// Whether the document's owner may take the action too (`allow_self_approval`); when
    /// `false`, only someone else (or Administrator) can.
    #[serde(default, with = "crate::wire::check")]
    pub allow_self_approval: bool,
    /// The Python expression that must hold for the transition to be offered, as text
    /// (`condition`; `None` when empty).
    #[serde(default, deserialize_with = "non_empty")]
    pub condition: Option<String>,
}

/// `null` and `""` as `None`.
fn non_empty<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<String>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text.filter(|t| !t.is_empty()))
}

/// `D`, `S` and `A` as types only: the handle holds none of them, and is `Send`/`Sync`
/// whatever they are.
type Marker<D, S, A> = PhantomData<fn() -> (D, S, A)>;

/// Workflow calls on the documents of one DocType, from [`Client::workflow`] or
/// [`Resource::workflow`]. `D` is what [`apply`](Self::apply) returns; `S` and `A` are the
/// types of states and actions ([`typed`](Self::typed)).
#[must_use = "workflow calls do nothing until .transitions() or .apply()"]
pub struct WorkflowCalls<D, S = String, A = String> {
    client: Client,
    doctype: String,
    types: Marker<D, S, A>,
}

impl<D, S, A> Clone for WorkflowCalls<D, S, A> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            doctype: self.doctype.clone(),
            types: PhantomData,
        }
    }
}

impl<D, S, A> std::fmt::Debug for WorkflowCalls<D, S, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkflowCalls")
            .field("doctype", &self.doctype)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Workflow calls on documents of `D`: the transitions open to the current user
    /// ([`WorkflowCalls::transitions`]) and applying an action ([`WorkflowCalls::apply`], which
    /// returns the saved `D`). States and actions are strings; [`WorkflowCalls::typed`] changes
    /// that.
    ///
    /// ```no_run
    /// # async fn run(client: frappe_runtime::Client) -> frappe_runtime::Result<()> {
    /// # #[derive(serde::Deserialize, frappe_runtime::Document)]
    /// # #[frappe(doctype = "API Test Order")]
    /// # struct Order { name: String }
    /// let flow = client.workflow::<Order>();
    /// for t in flow.transitions("ATO-00001").await? {
    ///     println!("{} -> {} by {}", t.action, t.next_state, t.allowed);
    /// }
    /// let order: Order = flow.apply("ATO-00001", "Approve").await?;
    /// # Ok(()) }
    /// ```
    pub fn workflow<D: Document>(&self) -> WorkflowCalls<D> {
        WorkflowCalls {
            client: self.clone(),
            doctype: D::DOCTYPE.to_owned(),
            types: PhantomData,
        }
    }
}

impl Client {
    /// [`workflow`](Self::workflow) with the generated enums of `D`'s Workflow
    /// ([`HasWorkflow`](crate::HasWorkflow)): transitions decode into them, and
    /// [`WorkflowCalls::apply`] takes the action enum.
    pub fn workflow_of<D: crate::HasWorkflow>(&self) -> WorkflowCalls<D, D::State, D::Action> {
        self.workflow::<D>().typed()
    }
}

impl Resource {
    /// Workflow calls on this DocType's documents, returned as [`Row`]s (see
    /// [`Client::workflow`]).
    pub fn workflow(&self) -> WorkflowCalls<Row> {
        WorkflowCalls {
            client: self.client.clone(),
            doctype: self.doctype.clone(),
            types: PhantomData,
        }
    }
}

impl<D, S, A> WorkflowCalls<D, S, A> {
    /// The same calls with states decoded as `S2` and actions as `A2`: any types that
    /// serialize to and deserialize from the wire strings (enums of a workflow's states and
    /// actions, with a catch-all variant for states added on the site later).
    pub fn typed<S2, A2>(self) -> WorkflowCalls<D, S2, A2> {
        WorkflowCalls {
            client: self.client,
            doctype: self.doctype,
            types: PhantomData,
        }
    }

    /// The DocType these calls are about.
    pub fn doctype(&self) -> &str {
        &self.doctype
    }

    /// `{"doctype": .., "name": ..}` as the JSON text Frappe's `parse_json` reads.
    fn doc_arg(&self, name: &str) -> Result<String> {
        check_name(&self.doctype, name)?;
        Ok(serde_json::json!({"doctype": self.doctype, "name": name}).to_string())
    }

    /// The transitions the current user may take from the document's current state now
    /// (`frappe.model.workflow.get_transitions`): those whose role the user has and whose
    /// condition holds, in the Workflow's order. Empty when there is none (or the document is
    /// new).
    ///
    /// Errors: no workflow state set on the document is a `WorkflowStateError`
    /// ([`Error::workflow_refusal`]); no active Workflow for the DocType, an unknown document
    /// or no read permission are the site's errors as they come.
    pub async fn transitions(&self, name: &str) -> Result<Vec<Transition<S, A>>>
    where
        S: DeserializeOwned,
        A: DeserializeOwned,
    {
        self.client
            .call(GET_TRANSITIONS)
            .arg("doc", self.doc_arg(name)?)
            .get()
            .await
    }

    /// Applies `action` to the document `name` (`frappe.model.workflow.apply_workflow`, a
    /// `POST`, never retried) and returns the document as saved: its workflow state is the
    /// transition's next state, and it was saved, submitted or cancelled as that state's
    /// `doc_status` says.
    ///
    /// Errors: an action that is not among the [`transitions`](Self::transitions) open to the
    /// user now (unknown, from another state, for a role the user lacks, or whose condition
    /// fails) is a `WorkflowTransitionError` ([`Error::workflow_refusal`]); the owner taking a
    /// transition without `allow_self_approval` is a plain validation error ("Self approval is
    /// not allowed"); missing write, submit or cancel permission is [`Error::Forbidden`].
    pub async fn apply(&self, name: &str, action: impl Into<A>) -> Result<D>
    where
        D: DeserializeOwned,
        A: Serialize,
    {
        let action = action.into();
        let doc = self.doc_arg(name)?;
        let action = match serde_json::to_value(&action) {
            Ok(serde_json::Value::String(text)) => text,
            Ok(other) => {
                return Err(Error::InvalidInput(format!(
                    "{} {name}: a workflow action must serialize to a string, got {other}",
                    self.doctype
                )));
            }
            Err(e) => {
                return Err(Error::InvalidInput(format!(
                    "{} {name}: the workflow action cannot be serialized: {e}",
                    self.doctype
                )));
            }
        };
        if action.is_empty() {
            return Err(Error::InvalidInput(format!(
                "{} {name}: the workflow action is empty",
                self.doctype
            )));
        }
        self.client
            .call(APPLY_WORKFLOW)
            .arg("doc", doc)
            .arg("action", action)
            .post()
            .await
    }
}

/// Which of Frappe's workflow exceptions refused a call (see [`Error::workflow_refusal`]).
/// Frappe raises them as validation errors (HTTP 417).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WorkflowRefusal {
    /// `WorkflowTransitionError`: the action is not a transition open to this user from the
    /// document's current state ("Not a valid Workflow Action").
    Transition,
    /// `WorkflowPermissionError`: a save changed the workflow state field to a state no
    /// transition open to the user leads to ("Workflow State transition not allowed from .. to
    /// ..").
    Permission,
    /// `WorkflowStateError`: the document has no workflow state ("Workflow State not set").
    State,
}

impl WorkflowRefusal {
    /// The refusal for Frappe's exception class name, if it is one of the workflow's.
    pub fn from_exc_type(exc_type: &str) -> Option<Self> {
        match exc_type {
            "WorkflowTransitionError" => Some(Self::Transition),
            "WorkflowPermissionError" => Some(Self::Permission),
            "WorkflowStateError" => Some(Self::State),
            _ => None,
        }
    }

    /// Frappe's exception class name.
    pub fn exc_type(self) -> &'static str {
        match self {
            Self::Transition => "WorkflowTransitionError",
            Self::Permission => "WorkflowPermissionError",
            Self::State => "WorkflowStateError",
        }
    }
}

impl Error {
    /// Which workflow rule refused the call, when the site answered with one of Frappe's
    /// workflow exceptions (`WorkflowTransitionError`, `WorkflowPermissionError`,
    /// `WorkflowStateError`): from [`WorkflowCalls::apply`], or from any save that changed the
    /// workflow state field.
    pub fn workflow_refusal(&self) -> Option<WorkflowRefusal> {
        self.exc_type().and_then(WorkflowRefusal::from_exc_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transition_decodes_from_frappes_row() {
        // What `get_transitions` answers: the child row's `as_dict()`.
        let row = serde_json::json!({
            "name": "abc123", "owner": "Administrator", "docstatus": 0, "idx": 2,
            "state": "Pending Approval", "action": "Approve", "next_state": "Approved",
            "allowed": "System Manager", "allow_self_approval": 0, "condition": null,
            "workflow_builder_id": null, "parent": "Order Flow", "parentfield": "transitions",
            "parenttype": "Workflow", "doctype": "Workflow Transition"
        });
        let t: Transition = serde_json::from_value(row).unwrap();
        assert_eq!(t.state, "Pending Approval");
        assert_eq!(t.action, "Approve");
        assert_eq!(t.next_state, "Approved");
        assert_eq!(t.allowed, "System Manager");
        assert!(!t.allow_self_approval);
        assert_eq!(t.condition, None);
        let with_condition: Transition = serde_json::from_value(serde_json::json!({
            "state": "A", "action": "Go", "next_state": "B", "allowed": "All",
            "allow_self_approval": 1, "condition": "doc.total > 100"
        }))
        .unwrap();
        assert!(with_condition.allow_self_approval);
        assert_eq!(with_condition.condition.as_deref(), Some("doc.total > 100"));
        let empty: Transition = serde_json::from_value(serde_json::json!({
            "state": "A", "action": "Go", "next_state": "B", "allowed": "All", "condition": ""
        }))
        .unwrap();
        assert_eq!(empty.condition, None);
    }

    #[test]
    fn refusals_round_trip_their_class_names() {
        for refusal in [
            WorkflowRefusal::Transition,
            WorkflowRefusal::Permission,
            WorkflowRefusal::State,
        ] {
            assert_eq!(
                WorkflowRefusal::from_exc_type(refusal.exc_type()),
                Some(refusal)
            );
        }
        assert_eq!(WorkflowRefusal::from_exc_type("ValidationError"), None);
    }
}
