//! [`ToAttribute`]: how a field of a derived attributes struct reads as an
//! attribute value, for the standard types.

use super::{AttributeKinds, AttributeList, AttributeValue, FieldKinds, StringItems};
use serde_json::Value;
use std::borrow::Cow;
use std::num::NonZero;
use std::rc::Rc;
use std::sync::Arc;

/// A type usable as a field of a `#[derive(Attributes)]` struct.
///
/// Implemented for `str`, `String`, `Cow<str>`, `bool`, every integer and
/// float (and `NonZero` integers), `Option<T>` (not set when `None`),
/// `Vec<T>`, `&[T]`, `[T; N]`, `Box<[T]>`, `Arc<[T]>`, `Rc<[T]>` and
/// `Cow<[T]>` (lists), references, `Box`es, `Arc`s and `Rc`s of these (`Arc<str>`),
/// `HashMap`s and `BTreeMap`s from names to these (objects), `HashSet`s and
/// `BTreeSet`s of these (lists, in iteration order),
/// `serde_json::Value`, and by the derive for nested
/// structs, for enums (strings with a closed set of values) and for
/// newtypes (the value they hold).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a targeting attribute",
    label = "not an attribute type",
    note = "attribute fields are strings, numbers, bools, `Option`s and lists of them, structs and unit enums with `#[derive(Attributes)]`, or `serde_json::Value`",
    note = "a field that is no attribute can be left out with `#[growthbook(skip)]`"
)]
pub trait ToAttribute {
    /// The kinds of value this type reads as, which `#[growthbook(schema)]`
    /// checks against how the export's targeting uses the attribute.
    const KINDS: AttributeKinds = AttributeKinds::ANY;

    /// A nested struct's fields, for checking dotted paths (`company.plan`)
    /// against the export; for a list, its items (one entry named
    /// [`LIST_ITEMS`](super::LIST_ITEMS)); `None` for any other type.
    const FIELDS: Option<&'static [FieldKinds]> = None;

    /// An enum's values (the only strings it reads as), which
    /// `#[growthbook(schema)]` checks against the strings the export's
    /// targeting compares the attribute with; `None` for any other type.
    const VALUES: Option<&'static [&'static str]> = None;

    /// The field's value, or `None` when the attribute is not set.
    fn to_attribute(&self) -> Option<AttributeValue<'_>>;

    /// A list of this type as a slice of strings, when this is a string
    /// type (see [`AttributeList::strings`]).
    #[doc(hidden)]
    fn string_items(items: &[Self]) -> Option<StringItems<'_>>
    where
        Self: Sized,
    {
        let _ = items;
        None
    }

    /// A list of references to this type as a slice of strings, when this
    /// is `str` (what [`Self::string_items`] of `&T` asks).
    #[doc(hidden)]
    fn referenced_string_items<'b>(items: &'b [&'b Self]) -> Option<StringItems<'b>> {
        let _ = items;
        None
    }
}

impl ToAttribute for str {
    const KINDS: AttributeKinds = AttributeKinds::STRING;

    #[inline]
    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        Some(AttributeValue::String(self))
    }

    #[inline]
    fn referenced_string_items<'b>(items: &'b [&'b str]) -> Option<StringItems<'b>> {
        Some(StringItems::Borrowed(items))
    }
}

impl ToAttribute for String {
    const KINDS: AttributeKinds = AttributeKinds::STRING;

    #[inline]
    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        Some(AttributeValue::String(self))
    }

    #[inline]
    fn string_items(items: &[String]) -> Option<StringItems<'_>> {
        Some(StringItems::Owned(items))
    }
}

impl ToAttribute for Cow<'_, str> {
    const KINDS: AttributeKinds = AttributeKinds::STRING;

    #[inline]
    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        Some(AttributeValue::String(self))
    }
}

impl ToAttribute for bool {
    const KINDS: AttributeKinds = AttributeKinds::BOOL;

    #[inline]
    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        Some(AttributeValue::Bool(*self))
    }
}

/// Numbers: `numbers!(n => value; types)` reads each type's `n` as `value`.
macro_rules! numbers {
    ($n:ident => $value:expr; $($t:ty),*) => {$(
        impl ToAttribute for $t {
            const KINDS: AttributeKinds = AttributeKinds::NUMBER;

            #[inline]
            fn to_attribute(&self) -> Option<AttributeValue<'_>> {
                let $n = *self;
                Some($value)
            }
        }
    )*};
}

// A double, as JS holds every number (integers beyond 2^53 are rounded, as
// they would be in a JSON payload).
numbers!(n => AttributeValue::Number(n as f64); i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
numbers!(n => AttributeValue::Number(n.get() as f64);
    NonZero<i8>, NonZero<i16>, NonZero<i32>, NonZero<i64>, NonZero<i128>, NonZero<isize>,
    NonZero<u8>, NonZero<u16>, NonZero<u32>, NonZero<u64>, NonZero<u128>, NonZero<usize>);
// `NaN` and the infinities read as `null`, as `serde_json::to_value` writes
// them (JSON has no such numbers), so that a struct reads as its JSON does.
numbers!(n => finite_number(f64::from(n)); f32);
numbers!(n => finite_number(n); f64);

/// A finite double as a number, any other as `null`.
#[inline]
fn finite_number(number: f64) -> AttributeValue<'static> {
    if number.is_finite() {
        AttributeValue::Number(number)
    } else {
        AttributeValue::Null
    }
}

impl<T: ToAttribute> ToAttribute for Option<T> {
    const KINDS: AttributeKinds = T::KINDS;
    const FIELDS: Option<&'static [FieldKinds]> = T::FIELDS;
    const VALUES: Option<&'static [&'static str]> = T::VALUES;

    #[inline]
    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        self.as_ref()?.to_attribute()
    }
}

impl<T: ToAttribute + ?Sized> ToAttribute for &T {
    const KINDS: AttributeKinds = T::KINDS;
    const FIELDS: Option<&'static [FieldKinds]> = T::FIELDS;
    const VALUES: Option<&'static [&'static str]> = T::VALUES;

    #[inline]
    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        (**self).to_attribute()
    }

    #[inline]
    fn string_items<'b>(items: &'b [&T]) -> Option<StringItems<'b>> {
        T::referenced_string_items(items)
    }
}

/// Owning pointers read as what they point to (`Box<str>`, `Arc<str>`,
/// `Rc<Company>`).
macro_rules! pointer_to_attribute {
    ($($pointer:ident),*) => {$(
        impl<T: ToAttribute + ?Sized> ToAttribute for $pointer<T> {
            const KINDS: AttributeKinds = T::KINDS;
            const FIELDS: Option<&'static [FieldKinds]> = T::FIELDS;
            const VALUES: Option<&'static [&'static str]> = T::VALUES;

            #[inline]
            fn to_attribute(&self) -> Option<AttributeValue<'_>> {
                (**self).to_attribute()
            }
        }
    )*};
}

pointer_to_attribute!(Box, Arc, Rc);

impl ToAttribute for Value {
    #[inline]
    fn to_attribute(&self) -> Option<AttributeValue<'_>> {
        Some(AttributeValue::json(self))
    }
}

/// A list's field table: its items, as one entry named
/// [`LIST_ITEMS`](super::LIST_ITEMS), so that `#[growthbook(schema)]`
/// checks what `$elemMatch` asks of them.
pub(super) const fn list_items<T: ToAttribute>() -> Option<&'static [FieldKinds]> {
    Some(&[FieldKinds {
        name: super::LIST_ITEMS,
        kinds: T::KINDS,
        fields: T::FIELDS,
        values: T::VALUES,
        untargeted: false,
    }])
}

/// Items of a list that are not set (`None`) read as `null`, as serde
/// writes them.
fn item_of<T: ToAttribute>(items: &[T], index: usize) -> AttributeValue<'_> {
    items
        .get(index)
        .and_then(ToAttribute::to_attribute)
        .unwrap_or(AttributeValue::Null)
}

/// Lists: every type that holds its items in a slice (`Vec<String>`,
/// `&[&str]`, `[u32; 3]`, `Box<[T]>`, `Arc<[T]>`, `Rc<[T]>`,
/// `Cow<[T]>`).
macro_rules! slice_lists {
    ($(impl[$($generics:tt)*] $list:ty;)*) => {$(
        impl<$($generics)*> ToAttribute for $list {
            const KINDS: AttributeKinds = AttributeKinds::LIST;
            const FIELDS: Option<&'static [FieldKinds]> = list_items::<T>();

            #[inline]
            fn to_attribute(&self) -> Option<AttributeValue<'_>> {
                Some(AttributeValue::List(self))
            }
        }

        impl<$($generics)*> AttributeList for $list {
            fn len(&self) -> usize {
                <[T]>::len(self)
            }

            fn item(&self, index: usize) -> AttributeValue<'_> {
                item_of(self, index)
            }

            #[inline]
            fn strings(&self) -> Option<StringItems<'_>> {
                T::string_items(self)
            }
        }
    )*};
}

slice_lists! {
    impl[T: ToAttribute] Vec<T>;
    impl[T: ToAttribute] &[T];
    impl[T: ToAttribute, const N: usize] [T; N];
    impl[T: ToAttribute] Box<[T]>;
    impl[T: ToAttribute] Arc<[T]>;
    impl[T: ToAttribute] Rc<[T]>;
    impl['c, T: ToAttribute + Clone] Cow<'c, [T]>;
}
