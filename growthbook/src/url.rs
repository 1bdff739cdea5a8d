//! URL matching for auto experiments: targeting patterns, legacy `url`
//! patterns and query-string merging (the redirect API itself is
//! `eval::redirect`).
//!
//! URLs are read as JS's `URL` reads them ([`JsUrl`]), since the JS SDK
//! matches patterns against the browser's parse of the URL.

use crate::js::regex::JsRegex;
use crate::js::url::JsUrl;
use crate::model::experiment::UrlPattern;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// A per-process cache from a pattern's text.
type TextCache<T> = OnceLock<RwLock<HashMap<Box<str>, T>>>;

/// What is worked out from a pattern's text, kept per process: patterns
/// live in the payload, which gives them as text on every evaluation, and
/// compiling a regex costs microseconds, parsing a URL about one. Bounded:
/// a payload has a handful of patterns, so a cache is simply emptied if it
/// ever grows past that.
fn cached<T: Clone>(cache: &'static TextCache<T>, text: &str, make: impl FnOnce(&str) -> T) -> T {
    const MAX_ENTRIES: usize = 512;
    let cache = cache.get_or_init(RwLock::default);
    if let Some(found) = cache.read().ok().and_then(|c| c.get(text).cloned()) {
        return found;
    }
    let made = make(text);
    if let Ok(mut c) = cache.write() {
        if c.len() >= MAX_ENTRIES {
            c.clear();
        }
        c.insert(text.into(), made.clone());
    }
    made
}

/// A `regex` (or legacy `url`) pattern, compiled; `None` if it does not
/// compile.
fn url_regex(pattern: &str) -> Option<Arc<JsRegex>> {
    static CACHE: TextCache<Option<Arc<JsRegex>>> = OnceLock::new();
    cached(&CACHE, pattern, |p| {
        JsRegex::new(p, false).ok().map(Arc::new)
    })
}

/// A `simple` pattern read as the JS SDK reads it (`https://` added to a
/// host without a scheme, `*` as `_____`, resolved against
/// `https://_____`); `None` if it does not parse.
fn simple_pattern(pattern: &str) -> Option<Arc<JsUrl>> {
    static CACHE: TextCache<Option<Arc<JsUrl>>> = OnceLock::new();
    cached(&CACHE, pattern, |pattern| {
        let with_scheme = if prefix_has_dot(pattern) {
            format!("https://{pattern}")
        } else {
            pattern.to_owned()
        };
        JsUrl::parse(&with_scheme.replace('*', "_____"), Some(pattern_base())).map(Arc::new)
    })
}

/// Whether `url` parses as an absolute URL (a redirect target must).
pub(crate) fn is_absolute(url: &str) -> bool {
    static CACHE: TextCache<bool> = OnceLock::new();
    cached(&CACHE, url, |url| JsUrl::parse(url, None).is_some())
}

/// The base the JS SDK resolves the current URL against (`https://_`).
fn url_base() -> &'static JsUrl {
    static BASE: OnceLock<Option<JsUrl>> = OnceLock::new();
    BASE.get_or_init(|| JsUrl::parse("https://_", None))
        .as_ref()
        .unwrap_or_else(|| unreachable!("a constant URL parses"))
}

/// The base a simple pattern resolves against: `_____` is the wildcard.
fn pattern_base() -> &'static JsUrl {
    static BASE: OnceLock<Option<JsUrl>> = OnceLock::new();
    BASE.get_or_init(|| JsUrl::parse("https://_____", None))
        .as_ref()
        .unwrap_or_else(|| unreachable!("a constant URL parses"))
}

/// The last URL parsed on a thread, and what it parsed to.
type LastParsed = std::cell::RefCell<Option<(Box<str>, Option<Arc<JsUrl>>)>>;

/// The current URL, parsed against `https://_`. A request runs every
/// URL-targeted experiment against the same URL, so the last one parsed on
/// this thread is kept.
fn current_url(url: &str) -> Option<Arc<JsUrl>> {
    thread_local! {
        static LAST: LastParsed = const { std::cell::RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((text, parsed)) = last.as_ref() {
            if **text == *url {
                return parsed.clone();
            }
        }
        let parsed = JsUrl::parse(url, Some(url_base())).map(Arc::new);
        *last = Some((url.into(), parsed.clone()));
        parsed
    })
}

/// Whether `url` matches the patterns: at least one include pattern (when
/// there are any) and no exclude pattern. A URL that does not parse
/// matches no pattern.
pub(crate) fn is_url_targeted(url: &str, patterns: &[UrlPattern]) -> bool {
    !patterns.is_empty() && targets(current_url(url).as_deref(), patterns)
}

/// [`is_url_targeted`] for a redirect target, which is not the current
/// URL (so it does not displace the parse kept for that).
pub(crate) fn is_redirect_targeted(target: &str, patterns: &[UrlPattern]) -> bool {
    !patterns.is_empty() && targets(JsUrl::parse(target, Some(url_base())).as_ref(), patterns)
}

/// Whether `parsed` (`None`: a URL that does not parse) matches the
/// patterns.
fn targets(parsed: Option<&JsUrl>, patterns: &[UrlPattern]) -> bool {
    let mut has_include = false;
    let mut included = false;
    for p in patterns {
        let hit = parsed.is_some_and(|url| match p.kind.as_str() {
            "simple" => simple_match(url, &p.pattern),
            "regex" => regex_match(url, &p.pattern),
            _ => false,
        });
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

/// A `regex` pattern: a JS regular expression tested against the whole
/// URL and against what follows its origin.
fn regex_match(url: &JsUrl, pattern: &str) -> bool {
    let Some(re) = url_regex(pattern) else {
        return false;
    };
    let href = url.href();
    let origin_len = url.origin().len();
    re.is_match(&href) || href.get(origin_len..).is_some_and(|rest| re.is_match(rest))
}

/// A `simple` pattern: `*` wildcards, a host, path (surrounding slashes
/// optional), fragment and query parameters, each compared on its own
/// (case-insensitively). A pattern without a scheme but with a host
/// (`www.example.com/checkout`) gets `https://`; one without a host
/// (`/checkout`) matches any host.
fn simple_match(url: &JsUrl, pattern: &str) -> bool {
    let Some(expected) = simple_pattern(pattern) else {
        return false;
    };
    if !part_matches(&url.host, &expected.host, false)
        || !part_matches(&url.path, &expected.path, true)
    {
        return false;
    }
    let expected_hash = expected.hash();
    if !expected_hash.is_empty() && !part_matches(&url.hash(), &expected_hash, false) {
        return false;
    }
    let actual_params = url.search_params();
    expected.search_params().iter().all(|(key, value)| {
        let actual = actual_params
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str());
        part_matches(actual, value, false)
    })
}

/// Whether the text before the first `:`, `/` or `?` has a `.` (JS
/// `/^([^:/?]*)\./`): a host written without a scheme.
fn prefix_has_dot(pattern: &str) -> bool {
    let end = pattern.find([':', '/', '?']).unwrap_or(pattern.len());
    pattern[..end].contains('.')
}

/// One part of a simple pattern (wildcards as `_____`) against the URL's:
/// JS's `new RegExp("^" + escaped + "$", "i")`, with `.*` for each
/// wildcard and, for a path, optional slashes around it. Matched without a
/// regex where both are ASCII (nearly always: a parsed path and host are).
fn part_matches(actual: &str, pattern: &str, is_path: bool) -> bool {
    let pattern = if is_path {
        let trimmed = pattern.strip_prefix('/').unwrap_or(pattern);
        trimmed.strip_suffix('/').unwrap_or(trimmed)
    } else {
        pattern
    };
    if !(actual.is_ascii() && pattern.is_ascii()) {
        return part_matches_by_regex(actual, pattern, is_path);
    }
    let pieces: Vec<&str> = pattern.split("_____").collect();
    if !is_path {
        return glob_matches(actual, &pieces);
    }
    // `\/?` on both sides: either slash may or may not be part of it.
    let leading = [Some(actual), actual.strip_prefix('/')];
    leading.into_iter().flatten().any(|a| {
        [Some(a), a.strip_suffix('/')]
            .into_iter()
            .flatten()
            .any(|a| glob_matches(a, &pieces))
    })
}

/// Whether ASCII `text` is `pieces` joined by wildcards (each matching
/// anything), compared ignoring ASCII case.
fn glob_matches(text: &str, pieces: &[&str]) -> bool {
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let (Some((first, rest)), Some(last)) = (pieces.split_first(), pieces.last()) else {
        return text.is_empty();
    };
    if rest.is_empty() {
        return eq(text, first);
    }
    if text.len() < first.len() + last.len()
        || !eq(&text[..first.len()], first)
        || !eq(&text[text.len() - last.len()..], last)
    {
        return false;
    }
    // The middle pieces, leftmost first, in what lies between.
    let mut middle = &text[first.len()..text.len() - last.len()];
    for piece in &rest[..rest.len() - 1] {
        let Some(at) = (0..=middle.len().saturating_sub(piece.len()))
            .find(|&i| middle.len() >= piece.len() && eq(&middle[i..i + piece.len()], piece))
        else {
            return false;
        };
        middle = &middle[at + piece.len()..];
    }
    true
}

/// [`part_matches`] through a JS regular expression, for non-ASCII text.
fn part_matches_by_regex(actual: &str, pattern: &str, is_path: bool) -> bool {
    let mut escaped = String::with_capacity(pattern.len() + 8);
    for c in pattern.chars() {
        if "*.+?^${}()|[]\\".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let escaped = escaped.replace("_____", ".*");
    let source = if is_path {
        format!("^\\/?{escaped}\\/?$")
    } else {
        format!("^{escaped}$")
    };
    JsRegex::new(&source, true).is_ok_and(|re| re.is_match(actual))
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
    let Some(re) = url_regex(pattern) else {
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

/// `redirect` with the query parameters of `current` that it does not set
/// itself added (for `persistQueryString`), as the JS SDK's
/// `mergeQueryStrings` does: both must be absolute URLs (else `redirect`
/// is returned as it is), and the result is `redirect` as JS's `URL`
/// writes it, its query re-serialized when a parameter was added.
pub(crate) fn merge_query_strings(current: &str, redirect: &str) -> String {
    let (Some(current), Some(mut target)) =
        (JsUrl::parse(current, None), JsUrl::parse(redirect, None))
    else {
        return redirect.to_owned();
    };
    let mut params = target.search_params();
    let mut added = false;
    for (key, value) in current.search_params() {
        if !params.iter().any(|(k, _)| *k == key) {
            params.push((key, value));
            added = true;
        }
    }
    if added {
        target.set_search_params(&params);
    }
    target.href()
}
