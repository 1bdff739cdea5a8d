//! Writes the typed features code for an export, so teams can vendor it.
//!
//! ```text
//! growthbook-codegen [--name Features] [--output src/features.rs] features.json
//! ```

use std::process::ExitCode;

const USAGE: &str =
    "usage: growthbook-codegen [--name <StructName>] [--output <file.rs>] <features.json>";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut builder = growthbook_codegen::Builder::new();
    let mut output = None;
    let mut input = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--name" | "-n" => match args.next() {
                Some(name) => builder = builder.struct_name(name),
                None => return fail("--name needs a struct name"),
            },
            "--output" | "-o" => match args.next() {
                Some(path) => output = Some(path),
                None => return fail("--output needs a file path"),
            },
            "--help" | "-h" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with('-') => return fail(&format!("unknown option {flag}")),
            path => input = Some(path.to_owned()),
        }
    }
    let Some(input) = input else {
        return fail("no features export given");
    };
    // Relative to where the command runs (not to a manifest directory).
    let input = std::env::current_dir().unwrap_or_default().join(input);
    let source = match builder.input(&input).generate() {
        Ok(source) => source,
        Err(e) => return fail(&e.to_string()),
    };
    match output {
        Some(path) => match std::fs::write(&path, source) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&format!("{path}: {e}")),
        },
        None => {
            print!("{source}");
            ExitCode::SUCCESS
        }
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("growthbook-codegen: {message}\n{USAGE}");
    ExitCode::from(2)
}
