//! Generates `$OUT_DIR/features.rs` from the repository's features export and
//! `$OUT_DIR/attributes.rs` from its attribute list; Cargo reruns this when
//! either changes.

fn main() {
    let features = growthbook_codegen::Builder::new()
        .input("features.json")
        .struct_name("Features")
        .generate_to_out_dir("features.rs");
    let attributes = growthbook_codegen::Builder::new()
        .attributes("attributes.json")
        .struct_name("User")
        .generate_to_out_dir("attributes.rs");
    for result in [features, attributes] {
        if let Err(e) = result {
            // A build script reports errors by failing with a message.
            eprintln!("error: cannot generate typed code: {e}");
            std::process::exit(1);
        }
    }
}
