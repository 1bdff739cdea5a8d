//! Writes the typed features code for an export, so teams can vendor it; the
//! same code `include_features!` and `growthbook_codegen::Builder` generate.
//!
//! ```text
//! growthbook-cli [--name Features] [--output src/features.rs] features.json
//! growthbook-cli [--name Features] [--output src/features.rs] \
//!     --client-key sdk-abc123 [--api-host https://cdn.growthbook.io] [--decryption-key KEY]
//! ```
#![forbid(unsafe_code)]

use growthbook::remote::{blocking, CachedPayload, FeatureCache, RemoteOptions};
use growthbook_codegen::Export;
use serde_json::Value;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

const USAGE: &str = "usage: growthbook-cli [--name <StructName>] [--output <file.rs>] \
(<features.json> | --client-key <key> [--api-host <url>] [--decryption-key <key>])";

#[derive(Default)]
struct Args {
    name: Option<String>,
    output: Option<String>,
    input: Option<String>,
    client_key: Option<String>,
    api_host: Option<String>,
    decryption_key: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args::default();
    let mut raw = std::env::args().skip(1);
    while let Some(arg) = raw.next() {
        let mut value = |flag: &str| raw.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--name" | "-n" => args.name = Some(value(&arg)?),
            "--output" | "-o" => args.output = Some(value(&arg)?),
            "--client-key" => args.client_key = Some(value(&arg)?),
            "--api-host" => args.api_host = Some(value(&arg)?),
            "--decryption-key" => args.decryption_key = Some(value(&arg)?),
            "--help" | "-h" => return Err(String::new()),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            path => args.input = Some(path.to_owned()),
        }
    }
    Ok(args)
}

/// Keeps the payload text the repository fetched (the codegen reads the
/// export, not the compiled features).
#[derive(Default)]
struct Capture(Mutex<Option<String>>);

impl FeatureCache for Capture {
    fn get(&self, _: &str) -> Option<CachedPayload> {
        None
    }
    fn set(&self, _: &str, payload: &CachedPayload, _: Duration) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(payload.body.clone());
    }
    fn clear(&self) {}
}

/// The export from a live SDK endpoint, decrypted when needed.
fn fetch(args: &Args, client_key: &str) -> Result<Export, String> {
    let mut options = RemoteOptions::new(client_key);
    if let Some(host) = &args.api_host {
        options = options.api_host(host);
    }
    if let Some(key) = &args.decryption_key {
        options = options.decryption_key(key);
    }
    let capture = std::sync::Arc::new(Capture::default());
    let repository = blocking::FeatureRepository::with_cache(options, capture.clone())
        .map_err(|e| e.to_string())?;
    repository.load_features().map_err(|e| e.to_string())?;
    let body = capture
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .unwrap_or_default();
    // Read from text, so that the features keep the order the server sent.
    let payload: Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    let text = match (
        payload.get("encryptedFeatures").and_then(Value::as_str),
        &args.decryption_key,
    ) {
        (Some(encrypted), Some(key)) => {
            let features = growthbook::decrypt(encrypted, key).map_err(|e| e.to_string())?;
            format!("{{\"features\": {features}}}")
        }
        _ => body,
    };
    Export::from_json_str(&text).map_err(|e| format!("the endpoint's payload is {e}"))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => return fail(&message),
    };
    let name = args.name.clone().unwrap_or_else(|| "Features".to_owned());
    let source = match (&args.input, &args.client_key) {
        (Some(path), None) => {
            // Relative to where the command runs.
            let path = std::env::current_dir().unwrap_or_default().join(path);
            growthbook_codegen::Builder::new()
                .input(&path)
                .struct_name(name)
                .generate()
                .map_err(|e| e.to_string())
        }
        (None, Some(client_key)) => fetch(&args, client_key).and_then(|export| {
            growthbook_codegen::source(&export, &name).map_err(|e| e.to_string())
        }),
        (Some(_), Some(_)) => return fail("give a features file or --client-key, not both"),
        (None, None) => return fail("no features export given"),
    };
    let source = match source {
        Ok(source) => source,
        Err(e) => return fail(&e),
    };
    match &args.output {
        Some(path) => match std::fs::write(path, source) {
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
    eprintln!("growthbook-cli: {message}\n{USAGE}");
    ExitCode::from(2)
}
