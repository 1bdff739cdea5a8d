//! JS `new URL(input, base)` for the URLs targeting reads: the WHATWG URL
//! standard's parser, for the special schemes (`http`, `https`, `ws`, `wss`,
//! `ftp`), with the parts the JS SDK looks at (`host`, `pathname`, `hash`,
//! `searchParams`, `href`, `origin`).
//!
//! Auto experiments match the current URL against patterns the way the JS
//! SDK does, through the browser's URL parser: relative patterns resolve
//! against a base, paths are percent-encoded and their dot segments
//! resolved, default ports dropped, hosts lowercased. Not covered (a URL
//! that needs them parses to something else, or fails): IDNA for non-ASCII
//! hosts (lowercased as they are), IPv4 number forms (`0x7f.1`) and
//! non-special schemes (`mailto:`, `file:`), which fail.

use std::fmt::Write;

/// A parsed URL: the serialized parts, as JS's `URL` getters give them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsUrl {
    /// Lowercase, without the `:`.
    scheme: String,
    /// `user:pass@` (serialized) or empty.
    userinfo: String,
    /// Host name and any non-default port (`URL.host`).
    pub(crate) host: String,
    /// `URL.pathname`: always starts with `/`.
    pub(crate) path: String,
    /// After `?`, percent-encoded; `None` without a `?`.
    query: Option<String>,
    /// After `#`, percent-encoded; `None` without a `#`.
    fragment: Option<String>,
}

impl JsUrl {
    /// `new URL(input, base)`; `None` where JS throws.
    pub(crate) fn parse(input: &str, base: Option<&JsUrl>) -> Option<JsUrl> {
        let trimmed = input.trim_matches(|c: char| c <= ' ');
        let cleaned: std::borrow::Cow<'_, str> = if trimmed.contains(['\t', '\n', '\r']) {
            trimmed
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .into()
        } else {
            trimmed.into()
        };
        let input = &*cleaned;
        match split_scheme(input) {
            Some((scheme, rest)) => {
                default_port(&scheme)?;
                let same_as_base = base.is_some_and(|b| b.scheme == scheme);
                if same_as_base && !starts_with_slash(rest) {
                    return Self::relative(rest, base?);
                }
                let rest = rest.trim_start_matches(['/', '\\']);
                Self::authority(scheme, rest)
            }
            None => Self::relative(input, base?),
        }
    }

    /// Parses `input`, which has no scheme, against `base`.
    fn relative(input: &str, base: &JsUrl) -> Option<JsUrl> {
        let mut chars = input.chars();
        match (chars.next(), chars.next()) {
            (Some('/' | '\\'), Some('/' | '\\')) => {
                Self::authority(base.scheme.clone(), &input[2..])
            }
            (Some('/' | '\\'), _) => {
                let (path, query, fragment) = split_path(input);
                Some(JsUrl {
                    path: resolve_path("", path),
                    query: query.map(encode_query),
                    fragment: fragment.map(encode_fragment),
                    ..base.without_path()
                })
            }
            (Some('?'), _) => {
                let (_, query, fragment) = split_path(input);
                Some(JsUrl {
                    path: base.path.clone(),
                    query: query.map(encode_query),
                    fragment: fragment.map(encode_fragment),
                    ..base.without_path()
                })
            }
            (Some('#'), _) => Some(JsUrl {
                fragment: Some(encode_fragment(&input[1..])),
                ..base.clone()
            }),
            (None, _) => Some(JsUrl {
                fragment: None,
                ..base.clone()
            }),
            _ => {
                let (path, query, fragment) = split_path(input);
                let directory = base.path.rfind('/').map_or("", |i| &base.path[..i]);
                Some(JsUrl {
                    path: resolve_path(directory, &format!("/{path}")),
                    query: query.map(encode_query),
                    fragment: fragment.map(encode_fragment),
                    ..base.without_path()
                })
            }
        }
    }

    /// Parses `rest` (after `scheme://`): authority, then path, query and
    /// fragment.
    fn authority(scheme: String, rest: &str) -> Option<JsUrl> {
        let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
        let (authority, after) = rest.split_at(end);
        let (userinfo, host_port) = match authority.rfind('@') {
            Some(at) => (&authority[..at], &authority[at + 1..]),
            None => ("", authority),
        };
        let host = parse_host(&scheme, host_port)?;
        let (path, query, fragment) = split_path(after);
        Some(JsUrl {
            userinfo: encode_userinfo(userinfo),
            host,
            path: resolve_path("", if path.is_empty() { "/" } else { path }),
            query: query.map(encode_query),
            fragment: fragment.map(encode_fragment),
            scheme,
        })
    }

    /// The scheme and authority of this URL, with an empty path.
    fn without_path(&self) -> JsUrl {
        JsUrl {
            scheme: self.scheme.clone(),
            userinfo: self.userinfo.clone(),
            host: self.host.clone(),
            path: String::new(),
            query: None,
            fragment: None,
        }
    }

    /// `URL.hash`: `#` and the fragment, or empty when there is none.
    pub(crate) fn hash(&self) -> String {
        match self.fragment.as_deref() {
            None | Some("") => String::new(),
            Some(f) => format!("#{f}"),
        }
    }

    /// `URL.origin`.
    pub(crate) fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }

    /// `URL.href`.
    pub(crate) fn href(&self) -> String {
        let mut out = format!("{}://", self.scheme);
        if !self.userinfo.is_empty() {
            out.push_str(&self.userinfo);
            out.push('@');
        }
        out.push_str(&self.host);
        out.push_str(&self.path);
        if let Some(query) = &self.query {
            out.push('?');
            out.push_str(query);
        }
        if let Some(fragment) = &self.fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }

    /// `URL.searchParams`, in order, decoded.
    pub(crate) fn search_params(&self) -> Vec<(String, String)> {
        parse_form(self.query.as_deref().unwrap_or(""))
    }

    /// Replaces the query with `params`, serialized as `URLSearchParams`
    /// does (what `searchParams.set` leaves).
    pub(crate) fn set_search_params(&mut self, params: &[(String, String)]) {
        let serialized = params
            .iter()
            .map(|(k, v)| format!("{}={}", encode_form(k), encode_form(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.query = (!serialized.is_empty()).then_some(serialized);
    }
}

/// The port a special scheme leaves out; `None` for any other scheme.
fn default_port(scheme: &str) -> Option<Option<u16>> {
    match scheme {
        "http" | "ws" => Some(Some(80)),
        "https" | "wss" => Some(Some(443)),
        "ftp" => Some(Some(21)),
        _ => None,
    }
}

/// `scheme:` at the start of `input` (lowercased), and what follows it.
fn split_scheme(input: &str) -> Option<(String, &str)> {
    let colon = input.find(':')?;
    let scheme = &input[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| (scheme.to_ascii_lowercase(), &input[colon + 1..]))
}

fn starts_with_slash(s: &str) -> bool {
    s.starts_with(['/', '\\'])
}

/// Splits what follows the authority into path, query and fragment.
fn split_path(s: &str) -> (&str, Option<&str>, Option<&str>) {
    let (before_fragment, fragment) = match s.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (s, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (before_fragment, None),
    };
    (path, query, fragment)
}

/// The host of a special URL: percent-decoded, lowercased, checked, with a
/// non-default port kept.
fn parse_host(scheme: &str, host_port: &str) -> Option<String> {
    let (name, port) = match host_port.rfind(':') {
        Some(i) if !host_port[i..].contains(']') => (&host_port[..i], Some(&host_port[i + 1..])),
        _ => (host_port, None),
    };
    let name = if name.contains('%') || !name.is_ascii() {
        percent_decode(name).to_lowercase()
    } else {
        name.to_ascii_lowercase()
    };
    const FORBIDDEN: &[char] = &[
        ' ', '#', '%', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|',
    ];
    let is_ipv6 = name.starts_with('[') && name.ends_with(']');
    if name.is_empty()
        || (!is_ipv6 && name.contains(FORBIDDEN))
        || name.chars().any(|c| c.is_control())
    {
        return None;
    }
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => {
            let port: u16 = digits.trim_start_matches('0').parse().unwrap_or(0);
            (default_port(scheme)? != Some(port)).then_some(port)
        }
        Some(_) => return None,
    };
    Some(match port {
        Some(port) => format!("{name}:{port}"),
        None => name,
    })
}

/// Appends `path` (which starts with `/` or `\`, or is empty) to the
/// segments of `directory`, percent-encoding each segment and resolving
/// `.` and `..`.
fn resolve_path(directory: &str, path: &str) -> String {
    let mut segments: Vec<String> = directory.split('/').skip(1).map(str::to_owned).collect();
    let parts: Vec<&str> = path.split(['/', '\\']).skip(1).collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let lower = part.to_ascii_lowercase();
        match lower.as_str() {
            "." | "%2e" => {
                if last {
                    segments.push(String::new());
                }
            }
            ".." | ".%2e" | "%2e." | "%2e%2e" => {
                segments.pop();
                if last {
                    segments.push(String::new());
                }
            }
            _ => segments.push(encode(part, is_path_encoded)),
        }
    }
    let mut out = String::new();
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

fn is_c0_encoded(c: char) -> bool {
    !(' '..='~').contains(&c)
}

fn is_fragment_encoded(c: char) -> bool {
    is_c0_encoded(c) || matches!(c, ' ' | '"' | '<' | '>' | '`')
}

fn is_query_encoded(c: char) -> bool {
    // The special-query set (`'` too, for special schemes).
    is_c0_encoded(c) || matches!(c, ' ' | '"' | '#' | '<' | '>' | '\'')
}

fn is_path_encoded(c: char) -> bool {
    is_fragment_encoded(c) || matches!(c, '#' | '?' | '{' | '}')
}

fn is_userinfo_encoded(c: char) -> bool {
    is_path_encoded(c)
        || matches!(
            c,
            '/' | ':' | ';' | '=' | '@' | '[' | '\\' | ']' | '^' | '|'
        )
}

fn encode_query(s: &str) -> String {
    encode(s, is_query_encoded)
}

fn encode_fragment(s: &str) -> String {
    encode(s, is_fragment_encoded)
}

fn encode_userinfo(s: &str) -> String {
    encode(s, is_userinfo_encoded)
}

/// Percent-encodes the UTF-8 bytes of the characters `encoded` picks.
fn encode(s: &str, encoded: fn(char) -> bool) -> String {
    if !s.chars().any(encoded) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if encoded(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes `%XX` escapes (invalid ones are kept as they are), as UTF-8 with
/// replacement characters.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `application/x-www-form-urlencoded` parsing, as `URLSearchParams` does.
fn parse_form(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| percent_decode(&s.replace('+', " "));
            (decode(name), decode(value))
        })
        .collect()
}

/// `application/x-www-form-urlencoded` serializing of one name or value.
fn encode_form(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b' ' => out.push('+'),
            b'*' | b'-' | b'.' | b'_' => out.push(b as char),
            b if b.is_ascii_alphanumeric() => out.push(b as char),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::JsUrl;

    fn url(input: &str, base: &str) -> JsUrl {
        let base = JsUrl::parse(base, None).expect("the base parses");
        JsUrl::parse(input, Some(&base)).expect("the input parses")
    }

    /// Answers of node 20's `new URL(input, base)`.
    #[test]
    fn parts_are_those_of_node() {
        let cases = [
            (
                "https://WWW.Example.com:443/a/./b/../c?x=1 2#h",
                "https://_",
                "www.example.com",
                "/a/c",
                "https://www.example.com/a/c?x=1%202#h",
            ),
            (
                "checkout",
                "https://_____",
                "_____",
                "/checkout",
                "https://_____/checkout",
            ),
            (
                "/checkout?a=1",
                "https://_",
                "_",
                "/checkout",
                "https://_/checkout?a=1",
            ),
            ("?a=1", "https://_____", "_____", "/", "https://_____/?a=1"),
            (
                "http://example.com:8080",
                "https://_",
                "example.com:8080",
                "/",
                "http://example.com:8080/",
            ),
            (
                "https:\\\\a.com\\b c",
                "https://_",
                "a.com",
                "/b%20c",
                "https://a.com/b%20c",
            ),
            (
                "//cdn.com/x",
                "https://_",
                "cdn.com",
                "/x",
                "https://cdn.com/x",
            ),
            (
                "https:rel/x",
                "https://h.com/a/b",
                "h.com",
                "/a/rel/x",
                "https://h.com/a/rel/x",
            ),
            ("/a/b/..", "https://_", "_", "/a/", "https://_/a/"),
            ("/\u{e9}", "https://_", "_", "/%C3%A9", "https://_/%C3%A9"),
        ];
        for (input, base, host, path, href) in cases {
            let parsed = url(input, base);
            assert_eq!(parsed.host, host, "host of {input:?}");
            assert_eq!(parsed.path, path, "pathname of {input:?}");
            assert_eq!(parsed.href(), href, "href of {input:?}");
        }
    }

    #[test]
    fn what_node_refuses_fails() {
        let base = JsUrl::parse("https://_", None);
        for input in ["https://", "https://a b.com/", "http://h:port/"] {
            assert_eq!(JsUrl::parse(input, base.as_ref()), None, "{input:?}");
        }
    }

    #[test]
    fn search_params_decode_and_encode_as_url_search_params_does() {
        let mut u = url("/p?a=1+2&b=%41&&c&a=3", "https://_");
        assert_eq!(
            u.search_params(),
            [("a", "1 2"), ("b", "A"), ("c", ""), ("a", "3")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        u.set_search_params(&[("q".into(), "a b&c/é".into())]);
        assert_eq!(u.href(), "https://_/p?q=a+b%26c%2F%C3%A9");
        assert_eq!(u.hash(), "");
    }
}
