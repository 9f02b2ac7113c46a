//! A DocType's active Workflow -> an enum of its states, an enum of its actions and
//! `impl HasWorkflow` with the table of its transitions.
//!
//! Policy: states in the Workflow's order, then any state only a transition names; actions in
//! the order transitions first use them. Both enums are made like Select enums (exact wire
//! strings, a catch-all variant for states and actions added on the site later), named
//! `<Struct>WorkflowState` and `<Struct>WorkflowAction` (unique in the module). A Workflow
//! without a state or transition generates nothing (a warning says so).

use super::select::{self, Options};
use super::structs::ModuleCx;
use crate::error::Problem;
use crate::ir::{Enum, Item, TransitionRow, TypeRef, WorkflowImpl};
use crate::meta::{DocType, Workflow};
use crate::naming;

impl ModuleCx<'_> {
    /// The items of `dt`'s Workflow (none when it has none).
    pub(super) fn lower_workflow(&mut self, dt: &DocType, target: &str) -> Vec<Item> {
        let Some(flow) = &dt.workflow else {
            return Vec::new();
        };
        if flow.states.is_empty() || flow.transitions.is_empty() {
            self.warnings.push(Problem::doctype(
                &dt.name,
                format!(
                    "Workflow {:?} has no states or no transitions; no workflow types generated",
                    flow.workflow_name
                ),
            ));
            return Vec::new();
        }
        let (states, actions) = names(flow);
        let state_enum = self.workflow_enum(dt, target, "Workflow State", &states);
        let action_enum = self.workflow_enum(dt, target, "Workflow Action", &actions);
        let variant = |e: &Enum, wire: &str| {
            e.variants
                .iter()
                .find(|v| v.wire == wire)
                .map_or_else(|| e.other.clone(), |v| v.ident.clone())
        };
        let transitions = flow
            .transitions
            .iter()
            .map(|t| TransitionRow {
                state: variant(&state_enum, &t.state),
                action: variant(&action_enum, &t.action),
                next_state: variant(&state_enum, &t.next_state),
                allowed: t.allowed.clone(),
                allow_self_approval: t.allow_self_approval,
                condition: (!t.condition.trim().is_empty()).then(|| t.condition.clone()),
            })
            .collect();
        let imp = WorkflowImpl {
            docs: vec![format!(
                "The Workflow {} of {} (state in {}).",
                naming::code_span(&flow.workflow_name),
                naming::code_span(&dt.name),
                naming::code_span(&flow.workflow_state_field)
            )],
            trait_path: TypeRef::path("frappe_runtime::HasWorkflow"),
            rule_path: TypeRef::path("frappe_runtime::TransitionRule"),
            target: target.to_owned(),
            state_enum: state_enum.ident.clone(),
            action_enum: action_enum.ident.clone(),
            workflow: flow.workflow_name.clone(),
            state_field: flow.workflow_state_field.clone(),
            transitions,
        };
        vec![
            Item::Enum(state_enum),
            Item::Enum(action_enum),
            Item::Workflow(imp),
        ]
    }

    fn workflow_enum(&mut self, dt: &DocType, target: &str, what: &str, wires: &[String]) -> Enum {
        let candidate = naming::type_name(&format!("{target} {what}"));
        let ident = naming::unique(&candidate, &mut self.type_names, false);
        let derives = self.choice_derives();
        let options = Options {
            listed: wires.to_vec(),
            blank: false,
        };
        let mut e = select::enum_for(ident, &dt.name, what, &options, derives);
        let flow = dt
            .workflow
            .as_ref()
            .map_or("", |w| w.workflow_name.as_str());
        e.docs = vec![format!(
            "{what}s of the Workflow {} of {}.",
            naming::code_span(flow),
            naming::code_span(&dt.name)
        )];
        e
    }
}

/// The distinct states and actions, in the policy's order.
fn names(flow: &Workflow) -> (Vec<String>, Vec<String>) {
    let mut states: Vec<String> = Vec::new();
    let mut actions: Vec<String> = Vec::new();
    let add = |list: &mut Vec<String>, name: &str| {
        if !name.is_empty() && !list.iter().any(|n| n == name) {
            list.push(name.to_owned());
        }
    };
    for s in &flow.states {
        add(&mut states, &s.state);
    }
    for t in &flow.transitions {
        add(&mut states, &t.state);
        add(&mut states, &t.next_state);
        add(&mut actions, &t.action);
    }
    (states, actions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(json: serde_json::Value) -> DocType {
        serde_json::from_value(serde_json::json!({"name": "Order", "workflow": json})).unwrap()
    }

    #[test]
    fn states_only_a_transition_names_and_repeated_actions_are_kept_once() {
        let dt = flow(serde_json::json!({
            "workflow_name": "F", "workflow_state_field": "workflow_state",
            "states": [{"state": "Draft", "doc_status": "0"}],
            "transitions": [
                {"state": "Draft", "action": "Approve", "next_state": "Done", "allowed": "A"},
                {"state": "Done", "action": "Approve", "next_state": "Draft", "allowed": "A"}
            ]
        }));
        let (states, actions) = names(dt.workflow.as_ref().unwrap());
        assert_eq!(states, ["Draft", "Done"]);
        assert_eq!(actions, ["Approve"]);
    }

    #[test]
    fn a_workflow_without_transitions_generates_nothing_and_says_so() {
        let dt = flow(serde_json::json!({
            "workflow_name": "Empty", "workflow_state_field": "workflow_state",
            "states": [{"state": "Draft", "doc_status": "0"}]
        }));
        let lowered = super::super::lower(&[dt], &[], &Default::default()).unwrap();
        let mut items = lowered.bindings.modules[0].items();
        assert!(!items.any(|i| matches!(i, Item::Workflow(_))));
        assert_eq!(
            lowered.warnings[0].to_string(),
            "Order: Workflow \"Empty\" has no states or no transitions; no workflow types generated"
        );
    }
}
