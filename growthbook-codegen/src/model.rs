//! The validated description of a typed features struct, shared by
//! `#[derive(Features)]`, `include_features!` and `build.rs` generation.

use proc_macro2::{Ident, TokenStream};
use syn::{Type, Visibility};

/// Methods every generated view has besides the accessors.
pub const VIEW_METHODS: &[&str] = &["snapshot", "growthbook"];

/// A features struct: what [`crate::expand`] turns into code.
pub struct Container {
    /// The struct's name.
    pub ident: Ident,
    /// Its visibility (also the view's and the accessors').
    pub vis: Visibility,
    /// The name of the generated view type.
    pub view: Ident,
    /// One per feature, in declaration order.
    pub fields: Vec<Field>,
}

/// One declared feature.
pub struct Field {
    /// The field name, which is also the accessor's name.
    pub ident: Ident,
    /// The value type.
    pub ty: Type,
    /// The GrowthBook feature key.
    pub key: String,
    /// The value used when the feature is unknown or its value does not fit
    /// `ty`: an expression of type `ty`, or `None` for the type's `Default`.
    pub default: Option<TokenStream>,
    /// Documentation lines for the accessor.
    pub doc: Vec<String>,
    /// A deprecation note, for features archived in the export.
    pub deprecated: Option<String>,
    /// Whether to generate `eval_{ident}()` (left out when another field
    /// has that name, which is reported as an error).
    pub details_accessor: bool,
}
