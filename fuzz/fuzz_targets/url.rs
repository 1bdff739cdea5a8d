//! Any current URL against any URL patterns and redirect (lines: the URL,
//! then `simple` and `regex` pattern pairs, then the redirect target): URL
//! targeting, redirects and query-string overrides never panic.
#![no_main]

use growthbook::GrowthBook;
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.lines();
    let url = lines.next().unwrap_or_default();
    let target = lines.next().unwrap_or_default();
    let patterns: Vec<_> = lines
        .enumerate()
        .map(|(i, p)| json!({"type": if i % 2 == 0 { "simple" } else { "regex" }, "include": i % 3 != 2, "pattern": p}))
        .collect();
    let payload = json!({"experiments": [{"key": "auto", "weights": [0, 1], "persistQueryString": true,
        "variations": [{}, {"urlRedirect": target}], "urlPatterns": patterns}]});
    let Ok(builder) = GrowthBook::builder().features_json(&payload) else { return };
    let gb = builder.attributes(json!({"id": "1"})).url(url).build();
    let _ = gb.url_redirect();
    let _ = growthbook::hash::get_query_string_override("auto", url, 2);
});
