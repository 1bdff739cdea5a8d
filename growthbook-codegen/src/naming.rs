//! Names: field names to feature keys (`rename_all`) and feature keys to
//! Rust identifiers.

/// A `rename_all` rule: how field names become feature keys
/// (`#[growthbook(rename_all = "...")]`) and how serde renames fields and
/// variants (`#[serde(rename_all = "...")]`, read by `#[derive(FeatureValue)]`).
/// One engine for both, with serde's semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RenameRule {
    /// `button-color` (the default for feature keys: GrowthBook keys are
    /// usually kebab-case).
    #[default]
    Kebab,
    /// `button_color`, the field name as written.
    Snake,
    /// `buttonColor`.
    Camel,
    /// `ButtonColor`.
    Pascal,
    /// `BUTTON_COLOR`.
    ScreamingSnake,
    /// `BUTTON-COLOR`.
    ScreamingKebab,
    /// `buttoncolor` (serde).
    Lower,
    /// `BUTTONCOLOR` (serde).
    Upper,
    /// `button.color` (feature keys only: serde has no such rule).
    Dot,
}

impl RenameRule {
    /// The spellings `#[growthbook(rename_all)]` accepts, for error messages.
    pub const NAMES: &'static str =
        "\"kebab-case\", \"snake_case\", \"camelCase\", \"PascalCase\", \"SCREAMING_SNAKE_CASE\", \"SCREAMING-KEBAB-CASE\", \"dot.case\"";

    /// Parses a rule for feature keys (`#[growthbook(rename_all)]`).
    pub fn for_feature_keys(name: &str) -> Option<RenameRule> {
        RenameRule::parse(name)
            .filter(|rule| !matches!(rule, RenameRule::Lower | RenameRule::Upper))
    }

    /// Parses a rule as serde does (`#[serde(rename_all)]`).
    pub fn for_serde(name: &str) -> Option<RenameRule> {
        RenameRule::parse(name).filter(|rule| *rule != RenameRule::Dot)
    }

    fn parse(name: &str) -> Option<RenameRule> {
        Some(match name {
            "kebab-case" => RenameRule::Kebab,
            "snake_case" => RenameRule::Snake,
            "camelCase" => RenameRule::Camel,
            "PascalCase" => RenameRule::Pascal,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "dot.case" => RenameRule::Dot,
            _ => return None,
        })
    }

    /// A (snake_case) field name under this rule.
    pub fn apply_to_field(self, field: &str) -> String {
        let field = field.strip_prefix("r#").unwrap_or(field);
        match self {
            RenameRule::Snake | RenameRule::Lower => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.replace('_', "-").to_ascii_uppercase(),
            RenameRule::Dot => field.replace('_', "."),
            RenameRule::Pascal => field.split('_').map(capitalize).collect(),
            RenameRule::Camel => lower_first(&field.split('_').map(capitalize).collect::<String>()),
        }
    }

    /// A (PascalCase) variant name under this rule.
    pub fn apply_to_variant(self, variant: &str) -> String {
        let variant = variant.strip_prefix("r#").unwrap_or(variant);
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => lower_first(variant),
            _ => self.apply_to_field(&snake_from_pascal(variant)),
        }
    }
}

/// `word` with its first character in upper case.
pub(crate) fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn lower_first(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `DarkBlue` -> `dark_blue`.
fn snake_from_pascal(name: &str) -> String {
    let mut snake = String::new();
    for (i, c) in name.char_indices() {
        if c.is_uppercase() && i > 0 {
            snake.push('_');
        }
        snake.extend(c.to_lowercase());
    }
    snake
}

/// `base`, or the first of `base{separator}2`, `base{separator}3`... that
/// `is_taken` says is free: two keys that make one name get two.
pub(crate) fn numbered(base: &str, separator: &str, is_taken: impl Fn(&str) -> bool) -> String {
    if !is_taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}{separator}{n}"))
        .find(|candidate| !is_taken(candidate))
        .unwrap_or_else(|| base.to_owned())
}

/// The ASCII letters an accented Latin letter is written with in an
/// identifier (`é` -> `e`, `Ä` -> `A`, `ß` -> `ss`), so that `été` names
/// `ete` rather than losing its letters; `None` for any other character.
fn latin_base(c: char) -> Option<&'static str> {
    const FOLDS: &[(&str, &str)] = &[
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("àáâãäåāăą", "a"),
        ("ÇĆĈĊČ", "C"),
        ("çćĉċč", "c"),
        ("ĎĐ", "D"),
        ("ďđ", "d"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("èéêëēĕėęě", "e"),
        ("ĜĞĠĢ", "G"),
        ("ĝğġģ", "g"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ìíîïĩīĭįı", "i"),
        ("ŁĹĻĽ", "L"),
        ("łĺļľ", "l"),
        ("ÑŃŅŇ", "N"),
        ("ñńņň", "n"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("òóôõöøōŏő", "o"),
        ("ŔŖŘ", "R"),
        ("ŕŗř", "r"),
        ("ŚŜŞŠ", "S"),
        ("śŝşš", "s"),
        ("ŢŤ", "T"),
        ("ţť", "t"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ùúûüũūŭůűų", "u"),
        ("ÝŸ", "Y"),
        ("ýÿ", "y"),
        ("ŹŻŽ", "Z"),
        ("źżž", "z"),
        ("Æ", "Ae"),
        ("æ", "ae"),
        ("Œ", "Oe"),
        ("œ", "oe"),
        ("ß", "ss"),
    ];
    if c.is_ascii() {
        return None;
    }
    FOLDS
        .iter()
        .find(|(letters, _)| letters.contains(c))
        .map(|(_, base)| *base)
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
    let folded = key.chars().flat_map(|c| match latin_base(c) {
        Some(base) => base.chars().collect::<Vec<_>>(),
        None => vec![c],
    });
    for c in folded {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_latin_letters_keep_their_base_letter() {
        assert_eq!(snake_case_ident("ÉtéFlag"), "ete_flag");
        assert_eq!(snake_case_ident("straße-größe"), "strasse_grosse");
        assert_eq!(snake_case_ident("Ærø"), "aero");
        // Other scripts have no ASCII spelling: they separate words.
        assert_eq!(snake_case_ident("日本-flag"), "flag");
    }

    #[test]
    fn rename_rules() {
        let cases = [
            (RenameRule::Kebab, "button-color"),
            (RenameRule::Snake, "button_color"),
            (RenameRule::Camel, "buttonColor"),
            (RenameRule::Pascal, "ButtonColor"),
            (RenameRule::ScreamingSnake, "BUTTON_COLOR"),
            (RenameRule::ScreamingKebab, "BUTTON-COLOR"),
            (RenameRule::Dot, "button.color"),
        ];
        for (rule, expected) in cases {
            assert_eq!(rule.apply_to_field("button_color"), expected);
        }
        assert_eq!(RenameRule::Kebab.apply_to_field("r#type"), "type");
        assert_eq!(RenameRule::for_feature_keys("lowercase"), None);
        assert_eq!(RenameRule::for_serde("dot.case"), None);
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
        for (name, field, variant) in expected {
            let rule = RenameRule::for_serde(name).unwrap();
            assert_eq!(
                (
                    rule.apply_to_field("trial_days").as_str(),
                    rule.apply_to_variant("DarkBlue").as_str()
                ),
                (field, variant),
                "{name}"
            );
        }
        assert_eq!(RenameRule::for_serde("Kebab"), None);
    }
}
