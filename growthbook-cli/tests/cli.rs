//! The CLI writes the same code from a file and from a live SDK endpoint
//! (a real server on 127.0.0.1 serving the repository's features.json).

use std::process::Command;

const FEATURES: &str = include_str!("fixtures/features.json");

fn run(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_growthbook-cli"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the CLI runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_file_and_the_live_endpoint_give_the_same_code() {
    let (ok, from_file, stderr) = run(&["--name", "Flags", "tests/fixtures/features.json"]);
    assert!(ok, "{stderr}");
    assert!(from_file.contains("pub struct Flags"), "{from_file}");
    assert!(
        from_file.contains("pub fn button_color(&self) -> ::std::string::String"),
        "{from_file}"
    );

    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let host = format!("http://{}", server.server_addr().to_ip().unwrap());
    let serving = std::thread::spawn(move || {
        if let Ok(request) = server.recv() {
            assert_eq!(request.url(), "/api/features/sdk-cli-test");
            let _ = request.respond(tiny_http::Response::from_string(FEATURES));
        }
    });
    let (ok, from_endpoint, stderr) = run(&[
        "--name",
        "Flags",
        "--api-host",
        &host,
        "--client-key",
        "sdk-cli-test",
    ]);
    serving.join().unwrap();
    assert!(ok, "{stderr}");
    assert!(
        from_endpoint == from_file,
        "the endpoint's code differs from the file's"
    );
}

#[test]
fn bad_invocations_say_what_is_wrong() {
    let (ok, _, stderr) = run(&[]);
    assert!(
        !ok && stderr.contains("no features export given"),
        "{stderr}"
    );
    let (ok, _, stderr) = run(&["--colour", "x.json"]);
    assert!(
        !ok && stderr.contains("invalid option '--colour'"),
        "{stderr}"
    );
    let (ok, _, stderr) = run(&["a.json", "b.json"]);
    assert!(!ok && stderr.contains("unexpected argument"), "{stderr}");
    let (ok, _, stderr) = run(&["missing.json"]);
    assert!(!ok && stderr.contains("missing.json"), "{stderr}");
    let (ok, _, stderr) = run(&["--client-key", "sdk-x", "--api-host", "http://127.0.0.1:1"]);
    assert!(!ok && stderr.contains("cannot load features"), "{stderr}");
    assert!(
        !stderr.contains("sdk-x"),
        "the client key stays out of messages: {stderr}"
    );
}

#[test]
fn help_version_and_equals_forms() {
    let (ok, help, _) = run(&["--help"]);
    assert!(
        ok && help.contains("Usage:") && help.contains("Examples:"),
        "{help}"
    );
    let (ok, version, _) = run(&["--version"]);
    assert!(ok, "{version}");
    assert_eq!(
        version.trim(),
        format!("growthbook-cli {}", env!("CARGO_PKG_VERSION"))
    );
    let (ok, code, stderr) = run(&["--name=Flags", "tests/fixtures/features.json"]);
    assert!(ok && code.contains("pub struct Flags"), "{stderr}");
}

/// Vendored code must pass the user's `cargo fmt --check`: the CLI runs
/// rustfmt on what it writes.
#[test]
fn the_written_code_is_rustfmt_clean() {
    let rustfmt_available = Command::new("rustfmt")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !rustfmt_available {
        eprintln!("rustfmt is not installed; skipping the formatting check");
        return;
    }
    let dir = std::env::temp_dir().join(format!("growthbook-cli-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = dir.join("features.rs");
    let (ok, _, stderr) = run(&[
        "--output",
        output.to_str().unwrap(),
        "tests/fixtures/features.json",
    ]);
    assert!(ok, "{stderr}");
    let check = Command::new("rustfmt")
        .args(["--edition", "2021", "--check"])
        .arg(&output)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "rustfmt --check found differences:\n{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_attribute_list_gives_the_code_of_include_attributes() {
    let (ok, generated, stderr) = run(&[
        "--attributes",
        "tests/fixtures/attributes.json",
        "--name",
        "Visitor",
        "--no-rustfmt",
    ]);
    assert!(ok, "{stderr}");
    let list =
        growthbook_codegen::AttributeList::from_json_str(include_str!("fixtures/attributes.json"))
            .unwrap();
    assert_eq!(
        generated,
        growthbook_codegen::attributes_source(&list, "Visitor").unwrap()
    );
    assert!(generated.contains("pub struct Visitor<'a>"), "{generated}");
    assert!(generated.contains("pub enum Plan"), "{generated}");

    let (ok, _, stderr) = run(&["--attributes", "tests/fixtures/attributes.json", "x.json"]);
    assert!(!ok);
    assert!(
        stderr.contains("--attributes generates from an attribute list alone"),
        "{stderr}"
    );
}

/// A saved encrypted payload (the spec corpus's, whose key this is)
/// generates with its key, and says how without it.
#[test]
fn a_saved_encrypted_payload_generates_with_its_key() {
    let file = "tests/fixtures/encrypted.json";
    let (ok, code, stderr) = run(&["--decryption-key", "Zvwv/+uhpFDznZ6SX28Yjg==", file]);
    assert!(ok, "{stderr}");
    assert!(code.contains("pub feature: bool"), "{code}");
    let (ok, _, stderr) = run(&[file]);
    assert!(!ok && stderr.contains("--decryption-key <KEY>"), "{stderr}");
    let (ok, _, stderr) = run(&["--decryption-key", "Zvwv/+uhpFDznZ6SX39Yjg==", file]);
    assert!(
        !ok && stderr.contains("does not decrypt with that key"),
        "{stderr}"
    );
}
