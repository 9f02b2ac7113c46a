//! A Workflow as generated code declares it: [`HasWorkflow`] on a DocType's struct, with the
//! enums of its states and actions and the table of its transitions ([`TransitionRule`]).
//!
//! frappe-codegen emits them from the site's active Workflow for the DocType (kept in the
//! snapshot); the client's [`Client::workflow_of`](crate::Client::workflow_of) then takes and
//! returns the enums. Plain data: nothing here sends anything.

/// One transition of a Workflow: from `state`, `action` leads to `next_state`, for users with
/// the role `allowed` when `condition` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitionRule<S: 'static, A: 'static> {
    /// The state the document is in.
    pub state: S,
    /// The action.
    pub action: A,
    /// The state it leads to.
    pub next_state: S,
    /// The role allowed to take it.
    pub allowed: &'static str,
    /// Whether the document's owner may take it.
    pub allow_self_approval: bool,
    /// The Python expression that must hold, as text (`None`: always).
    pub condition: Option<&'static str>,
}

/// A DocType with an active Workflow, as generated code knows it.
pub trait HasWorkflow: crate::Document {
    /// The enum of the Workflow's states.
    type State: 'static;
    /// The enum of the Workflow's actions.
    type Action: 'static;
    /// The Workflow's name.
    const WORKFLOW: &'static str;
    /// The field holding the state (`workflow_state_field`).
    const STATE_FIELD: &'static str;
    /// The transitions, in the Workflow's order.
    const TRANSITIONS: &'static [TransitionRule<Self::State, Self::Action>];
}
