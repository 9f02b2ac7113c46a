//! Compile-pass and compile-fail cases of the derives and of typed filters, with the compiler's
//! messages pinned in `ui/fail/*.stderr` (regenerate with `TRYBUILD=overwrite` after a
//! toolchain change, and review the diff).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
