//! GrowthBook SDK conformance: runs every case of the spec corpus as its own
//! named test (`cargo test --test spec -- feature::` runs one section).
//!
//! The corpus is `tests/spec/cases.json` (the JS SDK's `cases.json`); set
//! `GROWTHBOOK_SPEC_CASES=/path/to/cases.json` to run another corpus in the
//! same format. Sections absent from a corpus are skipped; a section this
//! runner does not know fails, so that no case is silently ignored.

use growthbook::hash::{self, BucketRange, Namespace};
use growthbook::{
    decrypt, eval_condition, padded_version_string, prune_condition, reduce_payload, Experiment,
    GrowthBook, InMemoryStickyBucketService, Pruned, ReduceOptions, StickyAssignmentsDocument,
    StickyBucketService,
};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

type Check = fn(&[Value]) -> Result<(), String>;

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    match std::env::var_os("GROWTHBOOK_SPEC_CASES") {
        Some(path) => add_corpus(&mut trials, "", &PathBuf::from(path)),
        None => {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/spec");
            add_corpus(&mut trials, "", &dir.join("cases.json"));
            // Our own cases for what the corpus does not pin (see
            // tests/spec/extra_cases.js, which computes their answers with
            // the JS SDK).
            add_corpus(&mut trials, "extra::", &dir.join("extra_cases.json"));
            // And for functions JS 1.8.0 lacks (pruneCondition), answered by
            // the Python SDK 4.0.0 (see tests/spec/python_cases.py).
            add_corpus(&mut trials, "python::", &dir.join("python_cases.json"));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

/// Adds every case of one corpus file, each test named `{prefix}{section}::{case}`.
fn add_corpus(trials: &mut Vec<Trial>, prefix: &str, path: &Path) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read spec corpus {}: {e}", path.display()));
    let corpus: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("spec corpus {} is not JSON: {e}", path.display()));
    let corpus = corpus
        .as_object()
        .expect("the spec corpus is a JSON object of sections");

    for (section, cases) in corpus {
        if section == "specVersion" {
            continue;
        }
        let section = format!("{prefix}{section}");
        match cases {
            Value::Array(cases) => add_section(trials, &section, cases),
            Value::Object(subsections) => {
                for (sub, cases) in subsections {
                    let name = format!("{section}::{sub}");
                    add_section(
                        trials,
                        &name,
                        cases.as_array().map(Vec::as_slice).unwrap_or(&[]),
                    );
                }
            }
            _ => trials.push(Trial::test(section, || {
                Err("section is not a list of cases".into())
            })),
        }
    }
}

fn add_section(trials: &mut Vec<Trial>, section: &str, cases: &[Value]) {
    let mut parts = section.rsplit("::");
    let kind = parts.next().unwrap_or(section);
    let parent = parts.next().unwrap_or_default();
    let check: Option<Check> = match (parent, kind) {
        // Older corpora: `{"versionCompare": {"lt": [[v1, v2, bool]], ...}}`.
        ("versionCompare", "lt") => Some(check_version_lt),
        ("versionCompare", "gt") => Some(check_version_gt),
        ("versionCompare", "eq") => Some(check_version_eq),
        _ => None,
    };
    let check = check.or(match kind {
        "evalCondition" => Some(check_eval_condition),
        "pruneCondition" => Some(check_prune_condition),
        "reducePayload" => Some(check_reduce_payload),
        "hash" => Some(check_hash),
        "getBucketRange" => Some(check_bucket_range),
        "feature" | "contextualBandit" => Some(check_feature),
        "run" => Some(check_run),
        "chooseVariation" => Some(check_choose_variation),
        "getQueryStringOverride" => Some(check_query_string),
        "inNamespace" => Some(check_in_namespace),
        "getEqualWeights" => Some(check_equal_weights),
        "decrypt" => Some(check_decrypt),
        "stickyBucket" => Some(check_sticky_bucket),
        "urlRedirect" => Some(check_url_redirect),
        _ => None,
    });
    let Some(check) = check else {
        let msg = format!("unknown spec section {section:?}: teach tests/spec.rs to run it");
        trials.push(Trial::test(section.to_owned(), move || Err(msg.into())));
        return;
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, case) in cases.iter().enumerate() {
        let case = case.as_array().cloned().unwrap_or_default();
        // Some sections have no name column: name those cases by index.
        let label = match case.first() {
            Some(Value::String(s))
                if !s.is_empty() && kind != "hash" && parent != "versionCompare" =>
            {
                s.clone()
            }
            _ => format!("#{i} {}", Value::Array(case.clone())),
        };
        let n = seen.entry(label.clone()).or_insert(0);
        *n += 1;
        let name = if *n > 1 {
            format!("{label} ({n})")
        } else {
            label
        };
        trials.push(Trial::test(format!("{section}::{name}"), move || {
            check(&case).map_err(Failed::from)
        }));
    }
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

/// JSON equality where numbers may differ by rounding (the corpus rounds
/// weights and ranges).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            (x - y).abs() < 1e-6
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn expect_same(actual: &Value, expected: &Value) -> Result<(), String> {
    if same(actual, expected) {
        Ok(())
    } else {
        Err(format!("\n  expected: {expected}\n  actual:   {actual}"))
    }
}

fn arg(case: &[Value], i: usize) -> &Value {
    case.get(i).unwrap_or(&Value::Null)
}

// ---------------------------------------------------------------------------
// Building instances from a spec context
// ---------------------------------------------------------------------------

fn builder(ctx: &Value) -> growthbook::GrowthBookBuilder {
    let payload = json!({
        "features": ctx.get("features").cloned().unwrap_or(json!({})),
        "savedGroups": ctx.get("savedGroups").cloned().unwrap_or(json!({})),
        "experiments": ctx.get("experiments").cloned().unwrap_or(json!([])),
        "contextualBandits": ctx.get("contextualBandits").cloned().unwrap_or(json!({})),
    });
    let mut b = GrowthBook::builder()
        .features_json(&payload)
        .expect("spec payload compiles")
        .attributes(ctx.get("attributes").cloned().unwrap_or(json!({})));
    if let Some(url) = ctx.get("url").and_then(Value::as_str) {
        b = b.url(url);
    }
    if let Some(enabled) = ctx.get("enabled").and_then(Value::as_bool) {
        b = b.enabled(enabled);
    }
    if let Some(qa) = ctx.get("qaMode").and_then(Value::as_bool) {
        b = b.qa_mode(qa);
    }
    if let Some(forced) = ctx.get("forcedVariations").and_then(Value::as_object) {
        b = b.forced_variations(
            forced
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_i64()?)))
                .collect(),
        );
    }
    if let Some(groups) = ctx.get("groups").and_then(Value::as_object) {
        b = b.groups(groups.iter().map(|(k, v)| (k.clone(), truthy(v))).collect());
    }
    if let Some(ids) = ctx.get("remoteGroupIds").and_then(Value::as_array) {
        b = b.remote_group_ids(
            ids.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
        );
    }
    if let Some(docs) = ctx.get("stickyBucketAssignmentDocs") {
        b = b.sticky_bucket_assignment_docs(
            serde_json::from_value(docs.clone()).expect("sticky docs"),
        );
    }
    b
}

/// JS truthiness, as the JS SDK reads a context's `groups`.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

fn check_eval_condition(case: &[Value]) -> Result<(), String> {
    let actual = eval_condition(arg(case, 2), arg(case, 1), arg(case, 4));
    expect_same(&json!(actual), arg(case, 3))
}

fn check_prune_condition(case: &[Value]) -> Result<(), String> {
    let actual = match prune_condition(arg(case, 1), arg(case, 2), arg(case, 4)) {
        Pruned::Pass => json!(true),
        Pruned::Fail => json!(false),
        Pruned::Condition(c) => c,
    };
    expect_same(&actual, arg(case, 3))
}

fn check_reduce_payload(case: &[Value]) -> Result<(), String> {
    let input = arg(case, 1);
    let options = ReduceOptions::from_json(input).map_err(|e| e.to_string())?;
    let actual = reduce_payload(input.get("payload").unwrap_or(&Value::Null), &options);
    expect_same(&actual, arg(case, 2))
}

fn check_hash(case: &[Value]) -> Result<(), String> {
    let seed = arg(case, 0).as_str().unwrap_or_default();
    let value = arg(case, 1).as_str().unwrap_or_default();
    let version = arg(case, 2).as_i64().unwrap_or_default();
    expect_same(&json!(hash::hash(seed, value, version)), arg(case, 3))
}

fn ranges_json(ranges: &[BucketRange]) -> Value {
    Value::Array(ranges.iter().map(|(a, b)| json!([a, b])).collect())
}

fn check_bucket_range(case: &[Value]) -> Result<(), String> {
    let args = arg(case, 1);
    let n = args[0].as_u64().unwrap_or_default() as usize;
    let coverage = args[1].as_f64().unwrap_or(1.0);
    let weights: Option<Vec<f64>> = args[2]
        .as_array()
        .map(|w| w.iter().filter_map(Value::as_f64).collect());
    let ranges = hash::get_bucket_ranges(n, coverage, weights.as_deref());
    expect_same(&ranges_json(&ranges), arg(case, 2))
}

fn check_feature(case: &[Value]) -> Result<(), String> {
    let gb = builder(arg(case, 1)).build();
    let key = arg(case, 2).as_str().unwrap_or_default();
    let result = serde_json::to_value(gb.eval_feature(key)).map_err(|e| e.to_string())?;
    expect_same(&result, arg(case, 3))
}

fn check_run(case: &[Value]) -> Result<(), String> {
    let gb = builder(arg(case, 1)).build();
    let exp = Experiment::from_json(arg(case, 2)).map_err(|e| e.to_string())?;
    let r = gb.run(&exp);
    expect_same(
        &json!([r.value, r.in_experiment, r.hash_used]),
        &json!([arg(case, 3), arg(case, 4), arg(case, 5)]),
    )
}

fn check_choose_variation(case: &[Value]) -> Result<(), String> {
    let n = arg(case, 1).as_f64().unwrap_or_default();
    let ranges: Vec<BucketRange> = arg(case, 2)
        .as_array()
        .map(|r| {
            r.iter()
                .map(|p| (p[0].as_f64().unwrap_or(0.0), p[1].as_f64().unwrap_or(0.0)))
                .collect()
        })
        .unwrap_or_default();
    let actual = hash::choose_variation(n, &ranges).map_or(-1, |v| v as i64);
    expect_same(&json!(actual), arg(case, 3))
}

fn check_query_string(case: &[Value]) -> Result<(), String> {
    let key = arg(case, 1).as_str().unwrap_or_default();
    let url = arg(case, 2).as_str().unwrap_or_default();
    let n = arg(case, 3).as_u64().unwrap_or_default() as usize;
    expect_same(
        &json!(hash::get_query_string_override(key, url, n)),
        arg(case, 4),
    )
}

fn check_in_namespace(case: &[Value]) -> Result<(), String> {
    let id = arg(case, 1).as_str().unwrap_or_default();
    let ns = Namespace::from_json(arg(case, 2)).ok_or("bad namespace")?;
    expect_same(&json!(hash::in_namespace(id, &ns)), arg(case, 3))
}

fn check_equal_weights(case: &[Value]) -> Result<(), String> {
    let n = arg(case, 0).as_i64().unwrap_or_default();
    expect_same(&json!(hash::get_equal_weights(n)), arg(case, 1))
}

fn check_decrypt(case: &[Value]) -> Result<(), String> {
    let encrypted = arg(case, 1).as_str().unwrap_or_default();
    let key = arg(case, 2).as_str().unwrap_or_default();
    expect_same(&json!(decrypt(encrypted, key).ok()), arg(case, 3))
}

fn check_sticky_bucket(case: &[Value]) -> Result<(), String> {
    let service = Arc::new(InMemoryStickyBucketService::new());
    for doc in arg(case, 2).as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let doc: StickyAssignmentsDocument =
            serde_json::from_value(doc.clone()).map_err(|e| e.to_string())?;
        service.save_assignments(&doc);
    }
    let gb = builder(arg(case, 1)).sticky_bucket_service(service).build();
    let key = arg(case, 3).as_str().unwrap_or_default();
    let result = gb.eval_feature(key);
    let actual_result =
        serde_json::to_value(&result.experiment_result).map_err(|e| e.to_string())?;
    expect_same(&actual_result, arg(case, 4)).map_err(|e| format!("experiment result: {e}"))?;
    let docs: Map<String, Value> = gb
        .sticky_bucket_assignment_docs()
        .into_iter()
        .map(|(k, d)| (k, serde_json::to_value(d).unwrap_or_default()))
        .collect();
    expect_same(&Value::Object(docs), arg(case, 5)).map_err(|e| format!("sticky docs: {e}"))
}

fn check_url_redirect(case: &[Value]) -> Result<(), String> {
    let gb = builder(arg(case, 1)).build();
    let actual: Vec<Value> = gb
        .url_redirect()
        .into_iter()
        .map(|r| json!({"inExperiment": r.in_experiment, "urlRedirect": r.url_redirect, "urlWithParams": r.url_with_params}))
        .collect();
    expect_same(&Value::Array(actual), arg(case, 2))
}

/// `versionCompare` cases: `[version, other, expected]`, where expected says
/// whether the padded forms compare so (as JS strings: UTF-16 code units).
fn check_version(case: &[Value], ordering: std::cmp::Ordering) -> Result<(), String> {
    let padded = |i| padded_version_string(arg(case, i).as_str().unwrap_or_default());
    let (a, b) = (padded(0), padded(1));
    let actual = a.encode_utf16().cmp(b.encode_utf16()) == ordering;
    expect_same(&json!(actual), arg(case, 2))
        .map_err(|e| format!("{e}\n  padded:   {a:?} vs {b:?}"))
}

fn check_version_lt(case: &[Value]) -> Result<(), String> {
    check_version(case, std::cmp::Ordering::Less)
}

fn check_version_gt(case: &[Value]) -> Result<(), String> {
    check_version(case, std::cmp::Ordering::Greater)
}

fn check_version_eq(case: &[Value]) -> Result<(), String> {
    check_version(case, std::cmp::Ordering::Equal)
}
