//! URL matching for auto experiments: targeting patterns and query-string
//! merging (the redirect API itself is `eval::redirect`).
//!
//! Only what the SDK needs of a URL is parsed here (host, path, query,
//! fragment), so the evaluator does not pull in a URL crate.

use crate::js::regex::JsRegex;
use crate::model::experiment::UrlPattern;
use regex::RegexBuilder;

/// The parts of an absolute URL that targeting looks at.
struct UrlParts<'a> {
    host: &'a str,
    path: &'a str,
    query: &'a str,
    fragment: &'a str,
}

fn parse(url: &str) -> UrlParts<'_> {
    let (rest, fragment) = url.split_once('#').unwrap_or((url, ""));
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let after_scheme = match rest.find("://") {
        Some(i) => &rest[i + 3..],
        None => rest,
    };
    let (host, path) = match after_scheme.find('/') {
        Some(i) => (&after_scheme[..i], &after_scheme[i..]),
        None => (after_scheme, "/"),
    };
    UrlParts {
        host,
        path,
        query,
        fragment,
    }
}

fn query_get<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key).then_some(v)
    })
}

/// Whether `url` matches the patterns: at least one include pattern (when
/// there are any) and no exclude pattern.
pub(crate) fn is_url_targeted(url: &str, patterns: &[UrlPattern]) -> bool {
    if patterns.is_empty() {
        return false;
    }
    let mut has_include = false;
    let mut included = false;
    for p in patterns {
        let hit = match p.kind.as_str() {
            "simple" => simple_match(url, &p.pattern),
            "regex" => regex_match(url, &p.pattern),
            _ => false,
        };
        if !p.include {
            if hit {
                return false;
            }
        } else {
            has_include = true;
            included |= hit;
        }
    }
    included || !has_include
}

fn regex_match(url: &str, pattern: &str) -> bool {
    let parts = parse(url);
    let mut target = format!("{}{}", parts.host, parts.path);
    if !parts.query.is_empty() {
        target = format!("{target}?{}", parts.query);
    }
    // Written for JS `RegExp`, as condition patterns are.
    JsRegex::new(pattern, false).is_ok_and(|re| re.is_match(url) || re.is_match(&target))
}

/// Legacy URL targeting (an inline experiment's `url`): `pattern`, a JS
/// regular expression, must match the whole URL or its path (from the
/// first `/` after the host). Without a URL nobody matches; a pattern that
/// does not compile targets every URL, as in the Python SDK (JS only takes
/// compiled `RegExp`s here).
pub(crate) fn matches_legacy_pattern(url: Option<&str>, pattern: &str) -> bool {
    let Some(url) = url.filter(|u| !u.is_empty()) else {
        return false;
    };
    let Ok(re) = JsRegex::new(pattern, false) else {
        return true;
    };
    let without_scheme = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let path_only = without_scheme
        .find('/')
        .map_or(without_scheme, |slash| &without_scheme[slash..]);
    re.is_match(url) || re.is_match(path_only)
}

/// A "simple" pattern: host, path (ignoring surrounding slashes), fragment
/// and each query parameter must match, with `*` as a wildcard.
fn simple_match(url: &str, pattern: &str) -> bool {
    let actual = parse(url);
    // A pattern starting with '/' is a path on any host.
    let with_scheme;
    let expected = if pattern.starts_with('/') {
        with_scheme = format!("x://{pattern}");
        parse(&with_scheme)
    } else {
        parse(pattern)
    };
    if !expected.host.is_empty() && !part_matches(actual.host, expected.host, false) {
        return false;
    }
    if !part_matches(actual.path, expected.path, true) {
        return false;
    }
    if !expected.fragment.is_empty() && !part_matches(actual.fragment, expected.fragment, false) {
        return false;
    }
    expected
        .query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .all(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            part_matches(query_get(actual.query, k).unwrap_or(""), v, false)
        })
}

fn part_matches(actual: &str, pattern: &str, is_path: bool) -> bool {
    let mut escaped = regex::escape(pattern).replace("\\*", ".*");
    if is_path {
        let trimmed = escaped.trim_start_matches('/').trim_end_matches('/');
        escaped = format!("/?{trimmed}/?");
    }
    RegexBuilder::new(&format!("^{escaped}$"))
        .case_insensitive(true)
        .build()
        .is_ok_and(|re| re.is_match(actual))
}

/// `redirect` with the query parameters of `current` that it does not set
/// itself appended (for `persistQueryString`).
pub(crate) fn merge_query_strings(current: &str, redirect: &str) -> String {
    let current_query = parse(current).query;
    let (base, fragment) = match redirect.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (redirect, None),
    };
    let (path, redirect_query) = base.split_once('?').unwrap_or((base, ""));
    let mut params: Vec<&str> = redirect_query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .collect();
    for kv in current_query.split('&').filter(|kv| !kv.is_empty()) {
        let key = kv.split_once('=').map_or(kv, |(k, _)| k);
        if query_get(redirect_query, key).is_none() {
            params.push(kv);
        }
    }
    let mut out = path.to_owned();
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}
