//! Regular expressions as JavaScript's `RegExp` reads them.
//!
//! Patterns in conditions and URL targeting come from the GrowthBook UI and
//! are written for JS (`new RegExp(pattern, insensitive ? "i" : "")`, no `u`
//! flag). Rust's engines differ from JS in syntax and meaning, so a pattern is
//! first translated:
//!
//! - `\d`, `\w`, `\b` are ASCII-only in JS (the `regex` crate's are Unicode);
//!   `\s` is JS's own whitespace set; `.` matches anything but the line
//!   terminators `\n`, `\r`, U+2028 and U+2029; `[^]` matches anything and
//!   `[]` nothing.
//! - JS's lenient syntax: a `{` or `]` that starts nothing is a literal, an
//!   escaped letter with no meaning is that letter (`\a` is `a`), `\cJ`,
//!   `\uXXXX`, `\0` and `[\b]` (backspace) are JS escapes.
//!
//! The translation runs on the linear-time `regex` crate when it can; a
//! pattern that needs lookaround or backreferences (`^(?!.*test)`,
//! `(?<=/api/)v2`, `^(\w)\1`) runs on `fancy-regex`, which backtracks only
//! where the pattern needs it, with a step limit: a pattern that exceeds it
//! does not match (logged once), so no pattern can hang an evaluation. A
//! pattern that neither engine compiles (JS would reject it too, or it uses
//! something neither supports) never matches.

use std::sync::atomic::{AtomicBool, Ordering};

/// Backtracking steps one match may take before it counts as no match.
const BACKTRACK_LIMIT: usize = 100_000;
/// Size limit of a compiled pattern (per delegated part for `fancy-regex`).
const SIZE_LIMIT: usize = 1 << 20;

/// JS `\s`: WhiteSpace and LineTerminator of ECMAScript.
const JS_SPACE: &str = r"\t\n\x0B\x0C\r \u{A0}\u{1680}\u{2000}-\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}";
/// JS `\w`.
const JS_WORD: &str = "0-9A-Za-z_";
/// JS `.` without the `s` flag: anything but a line terminator.
const JS_DOT: &str = r"[^\n\r\u{2028}\u{2029}]";
/// JS `\b` written with lookaround over ASCII word characters, for
/// `fancy-regex` (which has no ASCII-only `\b`).
const LOOKAROUND_BOUNDARY: &str =
    "(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))";
const LOOKAROUND_NON_BOUNDARY: &str =
    "(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))";

/// A compiled JavaScript regular expression.
#[derive(Debug)]
pub(crate) struct JsRegex {
    engine: Engine,
    /// Whether hitting the backtracking limit was already logged.
    warned: AtomicBool,
}

#[derive(Debug)]
enum Engine {
    Linear(regex::Regex),
    Backtracking(Box<fancy_regex::Regex>),
}

impl JsRegex {
    /// Compiles `pattern` as `new RegExp(pattern, insensitive ? "i" : "")`
    /// would; `Err` says why it cannot be used.
    pub(crate) fn new(pattern: &str, insensitive: bool) -> Result<JsRegex, String> {
        let linear = translate(pattern, Boundaries::Ascii).and_then(|translated| {
            regex::RegexBuilder::new(&translated)
                .case_insensitive(insensitive)
                .size_limit(SIZE_LIMIT)
                .build()
                .map_err(|e| e.to_string())
        });
        let engine = match linear {
            Ok(re) => Engine::Linear(re),
            Err(linear_error) => {
                let translated = translate(pattern, Boundaries::Lookaround)?;
                let re = fancy_regex::RegexBuilder::new(&translated)
                    .case_insensitive(insensitive)
                    .backtrack_limit(BACKTRACK_LIMIT)
                    .delegate_size_limit(SIZE_LIMIT)
                    .build()
                    .map_err(|e| format!("{e} ({linear_error})"))?;
                Engine::Backtracking(Box::new(re))
            }
        };
        Ok(JsRegex {
            engine,
            warned: AtomicBool::new(false),
        })
    }

    /// JS `regex.test(text)`; `None` when the backtracking limit was hit
    /// before an answer (JS would still be working on it), which callers
    /// treat like an unusable pattern: the condition does not match.
    pub(crate) fn test(&self, text: &str) -> Option<bool> {
        match &self.engine {
            Engine::Linear(re) => Some(re.is_match(text)),
            Engine::Backtracking(re) => match re.is_match(text) {
                Ok(hit) => Some(hit),
                Err(e) => {
                    if !self.warned.swap(true, Ordering::Relaxed) {
                        log::warn!(target: "growthbook", "regex {:?} gave up ({e}); conditions using it do not match such input", re.as_str());
                    }
                    None
                }
            },
        }
    }

    /// [`Self::test`], with giving up counted as no match.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.test(text).unwrap_or(false)
    }
}

/// How `\b` and `\B` are written for the target engine.
#[derive(Clone, Copy)]
enum Boundaries {
    /// `(?-u:\b)`: the `regex` crate's ASCII word boundary.
    Ascii,
    /// Lookaround over ASCII word characters (`fancy-regex`).
    Lookaround,
}

/// Translates a JS pattern into the `regex`/`fancy-regex` syntax with the
/// same meaning (see the module documentation).
fn translate(pattern: &str, boundaries: Boundaries) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars
                    .next()
                    .ok_or("a pattern cannot end with a backslash")?;
                match escaped {
                    'd' => out.push_str("[0-9]"),
                    'D' => out.push_str("[^0-9]"),
                    'w' => push_class(&mut out, false, JS_WORD),
                    'W' => push_class(&mut out, true, JS_WORD),
                    's' => push_class(&mut out, false, JS_SPACE),
                    'S' => push_class(&mut out, true, JS_SPACE),
                    'b' => out.push_str(match boundaries {
                        Boundaries::Ascii => r"(?-u:\b)",
                        Boundaries::Lookaround => LOOKAROUND_BOUNDARY,
                    }),
                    'B' => out.push_str(match boundaries {
                        Boundaries::Ascii => r"(?-u:\B)",
                        Boundaries::Lookaround => LOOKAROUND_NON_BOUNDARY,
                    }),
                    '1'..='9' => {
                        // A backreference: `\12` is group 12.
                        out.push('\\');
                        out.push(escaped);
                        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                            out.push(*d);
                            chars.next();
                        }
                    }
                    'k' if chars.peek() == Some(&'<') => out.push_str(r"\k"),
                    _ => push_char_escape(&mut out, escaped, &mut chars)?,
                }
            }
            '.' => out.push_str(JS_DOT),
            '[' => translate_class(&mut out, &mut chars)?,
            // Annex B: a `{` that does not start a quantifier, and a `]` or
            // `}` outside a class, are literals.
            '{' if !starts_quantifier(chars.clone()) => out.push_str(r"\{"),
            '{' => {
                let mut quantifier = String::new();
                for q in chars.by_ref() {
                    if q == '}' {
                        break;
                    }
                    quantifier.push(q);
                }
                if let Some((min, Ok(max))) = quantifier
                    .split_once(',')
                    .map(|(min, max)| (min, max.parse::<u64>()))
                {
                    if min.parse::<u64>().map_or(true, |min| min > max) {
                        return Err("numbers out of order in {} quantifier".into());
                    }
                }
                out.push('{');
                out.push_str(&quantifier);
                out.push('}');
            }
            ']' => out.push_str(r"\]"),
            '}' => out.push_str(r"\}"),
            '(' if chars.peek() == Some(&'?') => {
                // JS groups: `(?:`, lookahead `(?=` `(?!`, lookbehind `(?<=`
                // `(?<!` and named `(?<name>`; inline flags such as `(?i)`
                // are a syntax error in JS, so they are here too.
                let mut ahead = chars.clone();
                ahead.next();
                if !matches!(ahead.next(), Some(':' | '=' | '!' | '<')) {
                    return Err("JS has no inline flags such as (?i)".into());
                }
                out.push('(');
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// `[...]`, the opening bracket already read.
fn translate_class(
    out: &mut String,
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
) -> Result<(), String> {
    let negated = chars.peek() == Some(&'^');
    if negated {
        chars.next();
    }
    // JS: `[]` matches nothing and `[^]` anything.
    if chars.peek() == Some(&']') {
        chars.next();
        out.push_str(if negated {
            r"[\x{0}-\x{10FFFF}]"
        } else {
            r"[^\x{0}-\x{10FFFF}]"
        });
        return Ok(());
    }
    out.push('[');
    if negated {
        out.push('^');
    }
    loop {
        let c = chars.next().ok_or("unterminated character class")?;
        match c {
            ']' => break,
            '\\' => {
                let escaped = chars
                    .next()
                    .ok_or("a pattern cannot end with a backslash")?;
                match escaped {
                    'd' => out.push_str("0-9"),
                    'D' => out.push_str("[:^digit:]"),
                    'w' => out.push_str(JS_WORD),
                    'W' => out.push_str("[:^word:]"),
                    's' => out.push_str(JS_SPACE),
                    'S' => push_class(out, true, JS_SPACE),
                    'b' => out.push_str(r"\x08"),
                    '-' => out.push_str(r"\-"),
                    _ => push_char_escape(out, escaped, chars)?,
                }
            }
            // Literal in JS, special in the `regex` crate's classes (nested
            // classes and set operations).
            '[' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out.push(']');
    Ok(())
}

/// `[chars]` or `[^chars]`.
fn push_class(out: &mut String, negated: bool, chars: &str) {
    out.push('[');
    if negated {
        out.push('^');
    }
    out.push_str(chars);
    out.push(']');
}

/// An escape that stands for one character (`\n`, `\x41`, `\u00e9`, `\cJ`,
/// `\0`, `\/`, `\.`), or, for any other character, that character itself.
fn push_char_escape(
    out: &mut String,
    escaped: char,
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
) -> Result<(), String> {
    let literal = match escaped {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'f' => '\x0C',
        'v' => '\x0B',
        '0' if !chars.peek().is_some_and(char::is_ascii_digit) => '\0',
        'c' => match chars.peek().copied().filter(char::is_ascii_alphabetic) {
            Some(letter) => {
                chars.next();
                char::from(letter as u8 % 32)
            }
            // Annex B: `\c` without a letter is a backslash and a `c`.
            None => {
                out.push_str(r"\\c");
                return Ok(());
            }
        },
        'x' => hex_escape(chars, 2).unwrap_or('x'),
        'u' => match hex_escape(chars, 4) {
            Some(c) => c,
            None if (0xD800..0xDC00).contains(&peek_hex(chars, 4).unwrap_or(0)) => {
                return Err("a lone surrogate cannot match UTF-8 text".into())
            }
            None => 'u',
        },
        other => other,
    };
    let mut buf = [0; 4];
    out.push_str(&regex::escape(literal.encode_utf8(&mut buf)));
    Ok(())
}

/// `n` hex digits as a character, consumed only when they form one (a high
/// surrogate followed by `\uDC00`-`\uDFFF` is joined into one character).
fn hex_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize) -> Option<char> {
    let code = peek_hex(chars, n)?;
    if (0xD800..0xDC00).contains(&code) {
        let mut ahead = chars.clone();
        ahead.nth(n - 1);
        if ahead.next() == Some('\\') && ahead.next() == Some('u') {
            let low = peek_hex(&ahead, 4).filter(|low| (0xDC00..0xE000).contains(low))?;
            let joined = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            chars.nth(n - 1 + 6);
            return char::from_u32(joined);
        }
        return None;
    }
    let c = char::from_u32(code)?;
    chars.nth(n - 1);
    Some(c)
}

/// The value of the next `n` hex digits, without consuming them.
fn peek_hex(chars: &std::iter::Peekable<std::str::Chars<'_>>, n: usize) -> Option<u32> {
    let digits: String = chars.clone().take(n).collect();
    if digits.len() == n && digits.chars().all(|c| c.is_ascii_hexdigit()) {
        u32::from_str_radix(&digits, 16).ok()
    } else {
        None
    }
}

/// Whether the text after a `{` makes it a quantifier: `{n}`, `{n,}` or
/// `{n,m}`.
fn starts_quantifier(mut rest: std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let mut digits = 0;
    while rest.next_if(char::is_ascii_digit).is_some() {
        digits += 1;
    }
    if digits == 0 {
        return false;
    }
    if rest.next_if_eq(&',').is_some() {
        while rest.next_if(char::is_ascii_digit).is_some() {}
    }
    rest.next() == Some('}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        JsRegex::new(pattern, false).is_ok_and(|re| re.is_match(text))
    }

    #[test]
    fn plain_patterns_stay_linear_and_fancy_ones_backtrack() {
        let linear = JsRegex::new(r"^\d+\b.*$", false).unwrap();
        assert!(matches!(linear.engine, Engine::Linear(_)));
        let fancy = JsRegex::new(r"^(?!.*test)\b\w+$", false).unwrap();
        assert!(matches!(fancy.engine, Engine::Backtracking(_)));
        assert!(fancy.is_match("prod"));
        assert!(!fancy.is_match("my-test"));
    }

    #[test]
    fn word_boundaries_are_ascii_on_both_engines() {
        assert!(matches(r"\bcat\b", "\u{e9}cat"));
        assert!(matches(r"(?=c)\bcat\b", "\u{e9}cat"));
        assert!(!matches(r"\bcat", "scat"));
        assert!(!matches(r"(?=c)\bcat", "scat"));
        assert!(matches(r"c\Bat", "cat"));
        assert!(matches(r"(?=c)c\Bat", "cat"));
    }

    #[test]
    fn escapes_follow_js() {
        assert!(matches(r"^\u00e9\x41\0$", "\u{e9}A\0"));
        assert!(matches(r"^\ud83d\ude00$", "\u{1F600}"));
        assert!(!matches(r"\ud83d", "\u{1F600}"));
        assert!(matches(r"^[\b]$", "\x08"));
        assert!(matches(r"^\c$", "\\c"));
        assert!(matches(r"^\q\-\.$", "q-."));
        assert!(matches(r"^[a&&b~]+$", "a&b~"));
        assert!(matches(r"^[[]$", "["));
        assert!(!matches(r"^[]$", ""));
        assert!(matches(r"^a{1,2}b{$", "aab{"));
        assert!(matches(r"^x{,2}$", "x{,2}"));
        assert!(matches(r"^[^\S]$", " "));
        assert!(matches(r"^[\D]$", "\u{661}"));
        assert!(matches(r"^(?<year>\d{4})$", "2024"));
    }

    #[test]
    fn catastrophic_backtracking_gives_up() {
        let re = JsRegex::new(r"^((?=a)a+)+$", false).unwrap();
        let text = "a".repeat(5_000) + "!";
        assert_eq!(re.test(&text), None);
        assert_eq!(re.test("aaa"), Some(true));
    }
}
