//! Compile-pass and compile-fail cases of the derives and of typed filters, with the compiler's
//! messages pinned in `ui/fail/*.stderr` (regenerate with `TRYBUILD=overwrite` after a
//! toolchain change, and review the diff).
//!
//! Slow (trybuild compiles each case, several minutes on two cores), so `#[ignore]`d in
//! `cargo test --workspace`; `.ci/run` runs it with `--include-ignored`:
//! `cargo test -p frappe-derive --test ui -- --include-ignored`.

#[test]
#[ignore = "slow: run by .ci/run"]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
