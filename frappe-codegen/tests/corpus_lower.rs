//! Every DocType of the reference corpus lowers without problems (fast; the slow compile check
//! is in `corpus.rs`).

mod support;

#[test]
fn every_corpus_set_generates() {
    for set in support::sets() {
        let result = frappe_codegen::Config::new().generate_with_warnings(&set.doctypes);
        let (code, warnings) = result.unwrap_or_else(|e| panic!("set {}: {e}", set.name));
        assert!(code.contains("pub struct"), "set {}", set.name);
        for w in &warnings {
            eprintln!("{}: warning: {w}", set.name);
        }
    }
}
