//! Names: field names to feature keys (`rename_all`), feature keys to Rust
//! identifiers, and the edit distance behind "did you mean" hints.

/// How field names become feature keys (`#[growthbook(rename_all = "...")]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RenameRule {
    /// `button-color` (the default: GrowthBook keys are usually kebab-case).
    #[default]
    KebabCase,
    /// `button_color`, the field name as written.
    SnakeCase,
    /// `buttonColor`.
    CamelCase,
    /// `ButtonColor`.
    PascalCase,
    /// `BUTTON_COLOR`.
    ScreamingSnakeCase,
    /// `BUTTON-COLOR`.
    ScreamingKebabCase,
    /// `button.color`.
    DotCase,
}

impl RenameRule {
    /// The accepted spellings, for error messages.
    pub const NAMES: &'static str =
        "\"kebab-case\", \"snake_case\", \"camelCase\", \"PascalCase\", \"SCREAMING_SNAKE_CASE\", \"SCREAMING-KEBAB-CASE\", \"dot.case\"";

    /// Parses a serde-style rule name.
    pub fn from_name(name: &str) -> Option<RenameRule> {
        Some(match name {
            "kebab-case" => RenameRule::KebabCase,
            "snake_case" => RenameRule::SnakeCase,
            "camelCase" => RenameRule::CamelCase,
            "PascalCase" => RenameRule::PascalCase,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnakeCase,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebabCase,
            "dot.case" => RenameRule::DotCase,
            _ => return None,
        })
    }

    /// The feature key of a (snake_case) field name.
    pub fn apply(self, field: &str) -> String {
        let field = field.strip_prefix("r#").unwrap_or(field);
        let words = field.split('_').filter(|w| !w.is_empty());
        let capitalized = |w: &str| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        };
        match self {
            RenameRule::KebabCase => words.collect::<Vec<_>>().join("-"),
            RenameRule::SnakeCase => field.to_owned(),
            RenameRule::DotCase => words.collect::<Vec<_>>().join("."),
            RenameRule::ScreamingSnakeCase => field.to_uppercase(),
            RenameRule::ScreamingKebabCase => words.collect::<Vec<_>>().join("-").to_uppercase(),
            RenameRule::PascalCase => words.map(capitalized).collect(),
            RenameRule::CamelCase => words
                .enumerate()
                .map(|(i, w)| if i == 0 { w.to_owned() } else { capitalized(w) })
                .collect(),
        }
    }
}

/// What serde's `#[serde(rename_all = "...")]` makes of a field name
/// (snake_case) or, with `variant`, of a variant name (PascalCase). `None`
/// for a rule serde does not know.
pub fn serde_rename(name: &str, rule: &str, variant: bool) -> Option<String> {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let snake = if variant {
        let mut snake = String::new();
        for (i, c) in name.char_indices() {
            if c.is_uppercase() && i > 0 {
                snake.push('_');
            }
            snake.extend(c.to_lowercase());
        }
        snake
    } else {
        name.to_owned()
    };
    let pascal: String = snake
        .split('_')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        })
        .collect();
    Some(match rule {
        "lowercase" if variant => name.to_lowercase(),
        "UPPERCASE" if variant => name.to_uppercase(),
        "lowercase" => snake,
        "UPPERCASE" => snake.to_uppercase(),
        "PascalCase" if variant => name.to_owned(),
        "PascalCase" => pascal,
        "camelCase" => {
            let source = if variant { name.to_owned() } else { pascal };
            let mut chars = source.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
        }
        "snake_case" => snake,
        "SCREAMING_SNAKE_CASE" => snake.to_uppercase(),
        "kebab-case" => snake.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => snake.replace('_', "-").to_uppercase(),
        _ => return None,
    })
}

/// Rust keywords that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A snake_case method name for a feature key: `new-checkout.v2` ->
/// `new_checkout_v2`, `2fa` -> `_2fa`, `type` -> `type_`, `buttonColor` ->
/// `button_color`.
pub fn snake_case_ident(key: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower && !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            previous_lower = false;
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
    }
    let mut out = out.trim_end_matches('_').to_owned();
    if out.is_empty() {
        out.push_str("feature");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// Levenshtein distance, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_rules() {
        let cases = [
            (RenameRule::KebabCase, "button-color"),
            (RenameRule::SnakeCase, "button_color"),
            (RenameRule::CamelCase, "buttonColor"),
            (RenameRule::PascalCase, "ButtonColor"),
            (RenameRule::ScreamingSnakeCase, "BUTTON_COLOR"),
            (RenameRule::ScreamingKebabCase, "BUTTON-COLOR"),
            (RenameRule::DotCase, "button.color"),
        ];
        for (rule, expected) in cases {
            assert_eq!(rule.apply("button_color"), expected);
        }
        assert_eq!(RenameRule::KebabCase.apply("r#type"), "type");
    }

    #[test]
    fn feature_keys_become_identifiers() {
        for (key, ident) in [
            ("new-checkout.v2", "new_checkout_v2"),
            ("2fa", "_2fa"),
            ("type", "type_"),
            ("buttonColor", "button_color"),
            ("HTTP-timeout", "http_timeout"),
            ("--", "feature"),
            ("$holdout:h1", "holdout_h1"),
        ] {
            assert_eq!(snake_case_ident(key), ident, "{key}");
        }
    }

    #[test]
    fn serde_rename_rules() {
        let field = |rule| serde_rename("trial_days", rule, false).unwrap();
        let variant = |rule| serde_rename("DarkBlue", rule, true).unwrap();
        let expected = [
            ("lowercase", "trial_days", "darkblue"),
            ("UPPERCASE", "TRIAL_DAYS", "DARKBLUE"),
            ("PascalCase", "TrialDays", "DarkBlue"),
            ("camelCase", "trialDays", "darkBlue"),
            ("snake_case", "trial_days", "dark_blue"),
            ("SCREAMING_SNAKE_CASE", "TRIAL_DAYS", "DARK_BLUE"),
            ("kebab-case", "trial-days", "dark-blue"),
            ("SCREAMING-KEBAB-CASE", "TRIAL-DAYS", "DARK-BLUE"),
        ];
        for (rule, f, v) in expected {
            assert_eq!(
                (field(rule).as_str(), variant(rule).as_str()),
                (f, v),
                "{rule}"
            );
        }
        assert_eq!(serde_rename("x", "Kebab", false), None);
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("buton-color", "button-color"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
