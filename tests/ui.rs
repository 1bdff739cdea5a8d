//! Compile-time behaviour of the typed layer: every error message is pinned
//! by a `.stderr` snapshot (`TRYBUILD=overwrite cargo test --test ui` updates
//! them), and every supported field type compiles.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
