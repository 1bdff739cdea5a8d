use growthbook::{FeatureValue, Features};
use serde::Deserialize;

/// `trialDays` is in the export, but `discount` is not.
#[derive(Default, Deserialize, FeatureValue)]
#[serde(rename_all = "camelCase")]
struct Pricing {
    currency: String,
    trial_days: u32,
    discount: f64,
}

/// The export also uses "bleu".
#[derive(Default, Deserialize, FeatureValue)]
#[serde(rename_all = "lowercase")]
enum Color {
    #[default]
    Blue,
    Green,
    Orange,
}

/// The export's rate limits have a `burst` member too.
#[derive(Default, Deserialize, FeatureValue)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RateLimits {
    requests_per_minute: u32,
}

/// The onboarding steps are strings, not numbers.
#[derive(Default, Deserialize, FeatureValue)]
struct Steps {
    steps: Vec<u32>,
}

/// No FeatureValue derive: the check cannot see its shape.
#[derive(Default, Deserialize)]
struct Email(String);

#[derive(Features)]
#[growthbook(schema = "../../../../features.json")]
struct AppFeatures {
    pricing_config: Pricing,
    button_color: Color,
    rate_limits: RateLimits,
    onboarding_steps: Option<Steps>,
    support_email: Email,
}

fn main() {}
