//! Generates `$OUT_DIR/features.rs` from the repository's export; Cargo reruns
//! this when the export changes.

fn main() {
    if let Err(e) = growthbook_codegen::Builder::new()
        .input("features.json")
        .struct_name("Features")
        .generate_to_out_dir("features.rs")
    {
        // A build script reports errors by failing with a message.
        eprintln!("error: cannot generate typed features: {e}");
        std::process::exit(1);
    }
}
