//! Proc macros for typed GrowthBook features; use them through the
//! `growthbook` crate (`growthbook::Features`, `growthbook::include_features!`).
//! The work is done by `growthbook-codegen`, which `build.rs` scripts can use
//! directly.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use proc_macro::TokenStream;

/// Typed, lazily evaluated accessors for the features a struct declares.
///
/// ```
/// use growthbook::{Features, GrowthBook};
///
/// #[derive(Features)]
/// struct AppFeatures {
///     button_color: String,            // key "button-color"
///     #[growthbook(key = "max-cart-items", default = 50)]
///     max_items: u32,
/// }
///
/// let gb = GrowthBook::builder()
///     .features_json(&serde_json::json!({"features": {
///         "button-color": {"defaultValue": "blue"}
///     }}))?
///     .build();
/// let flags = gb.features::<AppFeatures>();
/// let color: String = flags.button_color();
/// assert_eq!(color, "blue");
/// assert_eq!(flags.max_items(), 50); // not in the payload: the declared default
/// # Ok::<(), growthbook::Error>(())
/// ```
///
/// With `#[growthbook(schema = "features.json")]` every key must be in that
/// export and every field type must fit the feature's values, or the build
/// fails with an error on the field:
///
/// ```compile_fail
/// #[derive(growthbook::Features)]
/// #[growthbook(schema = "../features.json")]
/// struct AppFeatures {
///     buton_color: String, // unknown feature key "buton-color"; did you mean "button-color"?
/// }
/// ```
///
/// Container attributes (`#[growthbook(...)]`): `schema = "path"` (relative to
/// the crate's `Cargo.toml`), `rename_all = "kebab-case"` (the default; also
/// `snake_case`, `camelCase`, `PascalCase`, `SCREAMING_SNAKE_CASE`,
/// `SCREAMING-KEBAB-CASE`, `dot.case`), `view = Name` (default `{Struct}View`).
///
/// Field attributes (`#[growthbook(...)]`): `key = "..."`, `default = <expr>`
/// (used when the feature is unknown or its value does not fit the type;
/// otherwise the type's `Default`). The helper is not named `feature`, since
/// rustc is phasing out derive helpers that share a built-in attribute's name.
#[proc_macro_derive(Features, attributes(growthbook))]
pub fn derive_features(input: TokenStream) -> TokenStream {
    growthbook_codegen::derive::derive_features(input.into()).into()
}

/// Targeting attributes as a struct, read by the evaluator without building
/// JSON (see `growthbook::attributes`).
///
/// ```
/// use growthbook::{Attributes, GrowthBook};
///
/// #[derive(Attributes)]
/// struct User<'a> {
///     id: &'a str,
///     logged_in: bool,               // attribute "loggedIn"
///     tags: &'a [&'a str],           // a list: `$elemMatch`, `$all`, `tags.length`
///     company: Company<'a>,          // nested: "company.plan"
///     #[growthbook(rename = "deviceId")]
///     device: Option<&'a str>,       // not set when `None`
/// }
///
/// #[derive(Attributes)]
/// struct Company<'a> {
///     name: &'a str,
///     plan: Plan,
/// }
///
/// #[derive(Attributes)]
/// enum Plan {
///     Free,                          // "free"
///     #[growthbook(rename = "pro+")]
///     ProPlus,
/// }
///
/// let template = GrowthBook::builder().build();
/// let user = User {
///     id: "u1",
///     logged_in: true,
///     tags: &["beta"],
///     company: Company { name: "Acme", plan: Plan::ProPlus },
///     device: None,
/// };
/// let gb = template.with_typed_attributes(user);
/// assert_eq!(gb.attributes_json()["company"]["plan"], "pro+");
/// ```
///
/// Struct attributes (`#[growthbook(...)]`): `rename_all = "..."` (default
/// `camelCase`, GrowthBook's convention; serde's rule names). Field
/// attributes: `rename = "..."`, `skip` (a field that is no attribute).
/// On an enum of unit variants it makes a string attribute with a closed set
/// of values (`rename_all`, default `camelCase`, and `rename` per variant),
/// listed in the generated `VALUES` constant. On a newtype
/// (`struct UserId(String)`) it reads as the value it holds, as serde writes
/// it.
///
/// Without a `#[growthbook(...)]` name, the type's `#[serde(...)]` naming
/// decides (`rename_all`, `rename`, `skip`, `skip_serializing`), as it does
/// for `serde_json::to_value`, and a field `skip_serializing_if` leaves out
/// is absent, so a struct that already serializes to the attributes JSON
/// reads the same typed. Serde attributes that make serde
/// write something else (`flatten`, `transparent`, `into`, `tag`,
/// `untagged`, `serialize_with`, `with`) are errors: on a field, make it a
/// nested struct or `#[growthbook(skip)]` it.
#[proc_macro_derive(Attributes, attributes(growthbook, serde))]
pub fn derive_attributes(input: TokenStream) -> TokenStream {
    growthbook_codegen::attributes::derive_attributes(input.into()).into()
}

/// A typed attributes struct generated from GrowthBook's attribute list
/// (`GET /api/v1/attributes`): `include_attributes!("attributes.json")`
/// defines `pub struct User<'a>`, `include_attributes!(pub(crate) Visitor,
/// "attributes.json")` names it. Every field is an `Option` (strings and
/// lists borrow), enum attributes get an enum type, archived attributes are
/// `#[deprecated]`; the path is relative to the crate's `Cargo.toml`.
#[proc_macro]
pub fn include_attributes(input: TokenStream) -> TokenStream {
    growthbook_codegen::attributes::generate::include_attributes(input.into()).into()
}

/// Describes the JSON a serde type deserializes from, so that
/// `#[derive(Features)]` with a `schema` can check the export's values against
/// it at compile time (missing required members, unknown enum variants,
/// members of the wrong type). Reads the type's `#[serde(...)]` attributes.
///
/// ```
/// #[derive(serde::Deserialize, growthbook::FeatureValue)]
/// #[serde(rename_all = "camelCase")]
/// struct Pricing {
///     currency: String,
///     trial_days: u32,
/// }
/// ```
#[proc_macro_derive(FeatureValue, attributes(serde))]
pub fn derive_feature_value(input: TokenStream) -> TokenStream {
    growthbook_codegen::feature_value::derive_feature_value(input.into()).into()
}

/// A typed features struct generated from a GrowthBook export:
/// `include_features!("features.json")` defines `pub struct Features` and its
/// view `FeaturesView`; `include_features!(pub(crate) AppFeatures, "features.json")`
/// names them. The path is relative to the crate's `Cargo.toml`.
#[proc_macro]
pub fn include_features(input: TokenStream) -> TokenStream {
    growthbook_codegen::generate::include_features(input.into()).into()
}
