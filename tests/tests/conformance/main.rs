//! The conformance suite: one set of scenarios run against the in-process test site
//! (`frappe_runtime::testing`, always) and against a real Frappe 15.44.2 (feature `live`, by
//! `.ci/live`), each scenario's observation (statuses, `exc_type`, error bodies, documents,
//! list rows; normalised: generated names, timestamps, the run's marker) checked against the
//! same snapshot in `snapshots/`. The snapshots are what the real Frappe answered (accepted from
//! a live run after review), so the offline run passing means the test site answered the same.
//!
//! A scenario is an `async fn(&Target) -> Value` in `scenarios/`; list it in `scenarios!` below.
//! What the test site does not implement, and its known differences, are listed in
//! `frappe_runtime::testing`'s documentation and the README.
//!
//! New or changed scenarios: run the live half with `INSTA_UPDATE=always` to record what Frappe
//! answers, read the snapshot, then make the offline half match it.

mod doctypes;
mod normalise;
mod scenarios;
mod target;

use serde_json::Value;

pub use target::Target;

/// Checks an observation against the scenario's snapshot.
pub fn check(scenario: &str, observation: Value) {
    let text = serde_json::to_string_pretty(&observation).unwrap_or_else(|e| e.to_string());
    insta::with_settings!({
        snapshot_path => "snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(scenario, text);
    });
}

/// Every scenario, as `module::function`: an offline test each, and a live one with `live`.
macro_rules! scenarios {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod offline {
            $(
                #[tokio::test]
                async fn $name() {
                    let target = crate::Target::offline().await;
                    let observation = crate::scenarios::$module::$name(&target).await;
                    crate::check(stringify!($name), observation);
                }
            )*
        }
        #[cfg(feature = "live")]
        mod live {
            $(
                #[tokio::test]
                async fn $name() {
                    let target = crate::Target::live().await;
                    let observation = crate::scenarios::$module::$name(&target).await;
                    crate::check(stringify!($name), observation);
                }
            )*
        }
    };
}

scenarios! {
    auth::api_keys,
    auth::password_sessions,
    auth::role_permissions,
    auth::owner_only_permissions,
    documents::create_read_update_delete,
    documents::defaults_and_coercion,
    documents::child_tables_put_replaces_the_table,
    documents::stale_modified_is_refused,
    naming::hash_names,
    naming::series_names,
    naming::field_names_and_duplicates,
    naming::autoincrement_names,
    naming::prompt_names,
    errors::missing_documents,
    errors::mandatory_fields,
    errors::invalid_select,
    errors::invalid_link,
    docstatus::submit_update_after_submit_cancel_amend,
    docstatus::invalid_transitions,
    lists::fields_order_and_paging,
    lists::operators,
    lists::or_filters_and_dict_filters,
    lists::group_by_and_aggregates,
    lists::child_rows,
    errors::delete_linked,
    errors::unique_values,
    errors::api_v2_errors,
    files::upload_and_download,
    methods::client_reads,
    methods::client_writes,
    methods::runtime_client,
    methods::runtime_client_v2,
    methods::report_view,
    methods::rename,
    dates::timespans,
    trees::nested_set,
    singles::single_doctypes,
    doc_methods::document_methods,
}
