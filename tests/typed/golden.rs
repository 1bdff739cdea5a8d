//! The code generated for the repository's exports, compared with committed
//! golden files, so that a change to code generation shows up in review as a
//! readable diff of its output. `UPDATE_GOLDEN=1 cargo test --test typed
//! golden` rewrites them.

use growthbook_codegen::{attributes_source, source, AttributeList, Builder, Export};
use std::path::Path;

fn check_golden(export_path: &str, struct_name: &str, golden_path: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(export_path)).expect("the export is readable");
    let generated = if export_path.contains("attributes") {
        let list = AttributeList::from_json_str(&text).expect("the attribute list is valid");
        attributes_source(&list, struct_name).expect("code is generated")
    } else {
        let export = Export::from_json_str(&text).expect("the export is valid");
        source(&export, struct_name).expect("code is generated")
    };
    let golden = root.join(golden_path);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &generated).expect("the golden file is writable");
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if generated != expected {
        let first_difference = generated
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| generated.lines().count().min(expected.lines().count()));
        panic!(
            "the code generated for {export_path} differs from {golden_path} from line {}: \
             review the change, then run `UPDATE_GOLDEN=1 cargo test --test typed golden`",
            first_difference + 1
        );
    }
}

#[test]
fn golden_sdk_payload() {
    check_golden("features.json", "Features", "tests/golden/features.rs");
}

#[test]
fn golden_rest_export() {
    check_golden(
        "tests/ui/fixtures/rest-export.json",
        "RestFeatures",
        "tests/golden/rest_export.rs",
    );
}

#[test]
fn golden_attribute_list() {
    check_golden("attributes.json", "User", "tests/golden/attributes.rs");
    // `build.rs`'s Builder writes the same code.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = Builder::new()
        .attributes(root.join("attributes.json"))
        .generate()
        .expect("code is generated");
    let golden = std::fs::read_to_string(root.join("tests/golden/attributes.rs")).unwrap();
    assert_eq!(built, golden);
}
