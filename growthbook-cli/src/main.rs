//! `growthbook-cli`: writes the typed features code for an export (or the
//! typed attributes struct for an attribute list), so teams can vendor it;
//! the same code `include_features!`, `include_attributes!` and
//! `growthbook_codegen::Builder` generate, formatted by `rustfmt` when it is
//! installed (so a vendored file passes `cargo fmt --check`).
#![forbid(unsafe_code)]

use growthbook::remote::{blocking, CacheFuture, CachedPayload, FeatureCache, RemoteOptions};
use growthbook_codegen::Export;
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::time::Duration;

const HELP: &str = "\
growthbook-cli: typed GrowthBook feature accessors, generated to vendor them

Usage:
  growthbook-cli [OPTIONS] <FEATURES.json>
  growthbook-cli [OPTIONS] --client-key <KEY> [--api-host <URL>] [--decryption-key <KEY>]
  growthbook-cli [OPTIONS] --attributes <ATTRIBUTES.json>

The input is a features export (an SDK payload or a REST API feature list),
or the live payload of an SDK connection; with --attributes, GrowthBook's
attribute list (GET /api/v1/attributes), for a typed attributes struct.

Options:
  -n, --name <NAME>           name of the generated struct [default: Features, or User]
      --attributes <FILE>     generate the attributes struct of this attribute list
  -o, --output <FILE>         write the code to FILE instead of standard output
      --client-key <KEY>      read the payload of this SDK connection
      --api-host <URL>        the GrowthBook API host [default: https://cdn.growthbook.io]
      --decryption-key <KEY>  the SDK connection's key, for encrypted payloads
                              (from the endpoint or in a saved file)
      --no-rustfmt            leave the code as generated (rustfmt runs when installed)
  -h, --help                  print this help
  -V, --version               print the version

Examples:
  growthbook-cli --name Features --output src/features.rs features.json
  growthbook-cli --name=Flags --client-key sdk-abc123 -o src/flags.rs
  growthbook-cli --client-key sdk-abc123 --decryption-key 'Zvwv/+uhpFDz...' > src/features.rs
  growthbook-cli --attributes attributes.json --name User -o src/user.rs
";

/// The command line, parsed.
#[derive(Debug, Default)]
struct Args {
    name: Option<String>,
    output: Option<PathBuf>,
    input: Option<PathBuf>,
    attributes: Option<PathBuf>,
    client_key: Option<String>,
    api_host: Option<String>,
    decryption_key: Option<String>,
    no_rustfmt: bool,
}

/// What the command line asks for.
enum Request {
    Generate(Args),
    Help,
    Version,
}

fn parse_args() -> Result<Request, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = Args::default();
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('n') | Long("name") => args.name = Some(parser.value()?.string()?),
            Short('o') | Long("output") => args.output = Some(parser.value()?.into()),
            Long("client-key") => args.client_key = Some(parser.value()?.string()?),
            Long("attributes") => args.attributes = Some(parser.value()?.into()),
            Long("api-host") => args.api_host = Some(parser.value()?.string()?),
            Long("decryption-key") => args.decryption_key = Some(parser.value()?.string()?),
            Long("no-rustfmt") => args.no_rustfmt = true,
            Short('h') | Long("help") => return Ok(Request::Help),
            Short('V') | Long("version") => return Ok(Request::Version),
            Value(path) if args.input.is_none() => args.input = Some(path.into()),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Request::Generate(args))
}

/// Keeps the payload text the repository fetched (the codegen reads the
/// export, not the compiled features).
#[derive(Default)]
struct Capture(Mutex<Option<String>>);

impl FeatureCache for Capture {
    fn get<'a>(&'a self, _: &'a str) -> CacheFuture<'a, Option<CachedPayload>> {
        Box::pin(std::future::ready(None))
    }
    fn set<'a>(
        &'a self,
        _: &'a str,
        payload: &'a CachedPayload,
        _: Duration,
    ) -> CacheFuture<'a, ()> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(payload.body.to_string());
        Box::pin(std::future::ready(()))
    }
    fn clear(&self) -> CacheFuture<'_, ()> {
        Box::pin(std::future::ready(()))
    }
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

/// The export in a saved SDK payload, decrypted with `key` when it is
/// encrypted (`encryptedFeatures`, `encryptedSavedGroups`).
fn decrypted_file(path: &std::path::Path, key: &str) -> Result<Export, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut payload: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    growthbook::decrypt_payload(&mut payload, key)
        .map_err(|e| format!("{} does not decrypt with that key: {e}", path.display()))?;
    Export::from_json(&payload).map_err(|e| format!("{} is {e}", path.display()))
}

/// The source formatted by `rustfmt` (edition 2021), or as it is when no
/// `rustfmt` is installed (the generated code is formatted, only not to
/// rustfmt's exact taste).
fn rustfmt(source: String) -> String {
    let child = Command::new(std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into()))
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return source;
    };
    if let Some(mut stdin) = child.stdin.take() {
        if stdin.write_all(source.as_bytes()).is_err() {
            return source;
        }
    }
    match child.wait_with_output() {
        Ok(output) if output.status.success() && !output.stdout.is_empty() => {
            String::from_utf8(output.stdout).unwrap_or(source)
        }
        _ => source,
    }
}

fn generate(args: &Args) -> Result<String, String> {
    let source = match (&args.attributes, &args.input, &args.client_key) {
        (Some(path), None, None) => {
            // Relative to where the command runs.
            let path = std::env::current_dir().unwrap_or_default().join(path);
            let builder = growthbook_codegen::Builder::new().attributes(&path);
            let builder = match &args.name {
                Some(name) => builder.struct_name(name),
                None => builder,
            };
            builder.generate().map_err(|e| e.to_string())?
        }
        (Some(_), _, _) => {
            return Err("--attributes generates from an attribute list alone: give no features file or --client-key with it".into())
        }
        (None, ..) => features_source(args)?,
    };
    Ok(if args.no_rustfmt {
        source
    } else {
        rustfmt(source)
    })
}

/// The features struct's source, from a file or a live endpoint.
fn features_source(args: &Args) -> Result<String, String> {
    let name = args.name.clone().unwrap_or_else(|| "Features".to_owned());
    Ok(match (&args.input, &args.client_key) {
        (Some(path), None) => {
            // Relative to where the command runs.
            let path = std::env::current_dir().unwrap_or_default().join(path);
            match &args.decryption_key {
                Some(key) => {
                    let export = decrypted_file(&path, key)?;
                    growthbook_codegen::source(&export, &name).map_err(|e| e.to_string())?
                }
                None => growthbook_codegen::Builder::new()
                    .input(&path)
                    .struct_name(name)
                    .generate()
                    .map_err(|e| match e.to_string() {
                        text if text.contains("encryptedFeatures") => {
                            format!("{text} (or pass its key: --decryption-key <KEY>)")
                        }
                        text => text,
                    })?,
            }
        }
        (None, Some(client_key)) => fetch(args, client_key).and_then(|export| {
            growthbook_codegen::source(&export, &name).map_err(|e| e.to_string())
        })?,
        (Some(_), Some(_)) => return Err("give a features file or --client-key, not both".into()),
        (None, None) => return Err("no features export given".into()),
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Request::Generate(args)) => args,
        Ok(Request::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Ok(Request::Version) => {
            println!("growthbook-cli {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(&e.to_string()),
    };
    let source = match generate(&args) {
        Ok(source) => source,
        Err(e) => return fail(&e),
    };
    match &args.output {
        Some(path) => match std::fs::write(path, source) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&format!("{}: {e}", path.display())),
        },
        None => {
            print!("{source}");
            ExitCode::SUCCESS
        }
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("growthbook-cli: {message}\n(growthbook-cli --help lists the options)");
    ExitCode::from(2)
}
