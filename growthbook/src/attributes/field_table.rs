//! A struct's field table (`ToAttribute::FIELDS`): what each field reads
//! as, nested structs' and lists' tables within, and the `const` queries
//! over it that `#[growthbook(schema)]`'s compile-time checks run (a path's
//! kinds, enum values, a field a nested struct lacks and the one it likely
//! meant) and that `check_fields` runs again at run time.

use super::AttributeKinds;
use crate::const_str;

/// What one field of an attributes struct reads as, for checking it against
/// a payload's targeting: its attribute name, its kinds, and for a nested
/// struct its own fields. `#[derive(Attributes)]` generates the table
/// (`ToAttribute::FIELDS`); write one by hand for hand-written
/// [`Attributes`](super::Attributes).
#[derive(Debug, Clone, Copy)]
pub struct FieldKinds {
    /// The attribute name (`loggedIn`).
    pub name: &'static str,
    /// The kinds of value the field reads as.
    pub kinds: AttributeKinds,
    /// A nested struct's fields (dotted paths: `company.plan`); for a
    /// list, its items, as one entry named [`LIST_ITEMS`] (`items.[].sku`:
    /// what `$elemMatch` asks of each item); `None` for anything else.
    pub fields: Option<&'static [FieldKinds]>,
    /// An enum's values, the only strings the field reads as
    /// (`ToAttribute::VALUES`); `None` for anything else.
    pub values: Option<&'static [&'static str]>,
    /// `#[growthbook(untargeted)]`: an attribute the export is not expected
    /// to use, never taken for a misspelling of one it does.
    pub untargeted: bool,
}

/// The path step that stands for every item of a list (`items.[].sku`),
/// in [`FieldKinds`] tables and in the export's attribute uses: what
/// `$elemMatch` tests. Not a JS path step: `items.sku` reads no item.
pub const LIST_ITEMS: &str = growthbook_export::LIST_ITEMS;

/// Whether a type with these `values` (an enum's; `None`: any string) can
/// equal one of `literals`. `const`, so that `#[growthbook(schema)]` checks
/// an enum field against the strings the export compares it with at
/// compile time.
#[doc(hidden)]
pub const fn equals_any(values: Option<&[&str]>, literals: &[&str]) -> bool {
    let Some(values) = values else {
        return true;
    };
    let mut i = 0;
    while i < values.len() {
        let mut j = 0;
        while j < literals.len() {
            if const_str::equal(values[i], literals[j]) {
                return true;
            }
            j += 1;
        }
        i += 1;
    }
    false
}

/// The kinds of the field at `path` (the parts after the top-level
/// attribute: `["plan"]` for `company.plan`) in a struct's field table;
/// `None` when a step is not a known struct field (a list index, a JSON
/// value, a field the struct lacks). `const`, so that
/// `#[growthbook(schema)]` checks nested fields at compile time.
pub const fn kinds_at(fields: Option<&[FieldKinds]>, path: &[&str]) -> Option<AttributeKinds> {
    match walk(fields, path) {
        Walk::Found(field) => Some(field.kinds),
        Walk::Missing { .. } | Walk::Unknown | Walk::Dead => None,
    }
}

/// Whether `path` ([`kinds_at`]'s path) reads into a field that cannot
/// hold its next step: items that are strings tested for a `sku`
/// (`$elemMatch: {"sku": ...}`), a number's `plan`. The value there is
/// always missing, so only uses a missing value satisfies can pass.
/// `const`, for the compile-time checks of nested paths.
#[doc(hidden)]
pub const fn unreachable_at(fields: Option<&[FieldKinds]>, path: &[&str]) -> bool {
    matches!(walk(fields, path), Walk::Dead)
}

/// The values of the enum field at `path` ([`kinds_at`]'s path); `None`
/// when the path leads to no enum field. `const`, for the compile-time
/// checks of nested enums.
#[doc(hidden)]
pub const fn values_at(
    fields: Option<&[FieldKinds]>,
    path: &[&str],
) -> Option<&'static [&'static str]> {
    match walk(fields, path) {
        Walk::Found(field) => field.values,
        Walk::Missing { .. } | Walk::Unknown | Walk::Dead => None,
    }
}

/// Whether `path` ([`kinds_at`]'s path) names a field that a nested struct
/// lacks: a step past which the struct has no such field. `false` when the
/// path is found, or leaves the structs whose fields are known (a list
/// index, a JSON value), where nothing can be said. `const`, for
/// `deny_missing` on nested paths.
#[doc(hidden)]
pub const fn lacks(fields: Option<&[FieldKinds]>, path: &[&str]) -> bool {
    matches!(walk(fields, path), Walk::Missing { .. })
}

/// The field a nested struct most likely meant for `path` ([`kinds_at`]'s
/// path), when it lacks it: a field of the struct where the path breaks
/// off that is not among the names the export uses there (`used[i]` for
/// step `i`) nor `untargeted`, and that is the missing name but for case,
/// or one edit away from it (two for names longer than 8), as the derive
/// judges top-level fields. `const`, so that `#[growthbook(schema)]` says
/// "did you mean" about nested fields at compile time.
#[doc(hidden)]
pub const fn likely_nested_typo(
    fields: Option<&[FieldKinds]>,
    path: &[&'static str],
    used: &[&[&str]],
) -> Option<NestedTypo> {
    let Walk::Missing { step, fields } = walk(fields, path) else {
        return None;
    };
    let wanted = path[step];
    let used = if step < used.len() { used[step] } else { &[] };
    let mut best: Option<(&'static str, usize)> = None;
    let mut i = 0;
    while i < fields.len() {
        let field = &fields[i];
        i += 1;
        if field.untargeted || contains(used, field.name) {
            continue;
        }
        let limit = growthbook_export::typo_limit(field.name.len());
        if let Some(distance) =
            growthbook_export::ascii_edit_distance_ignoring_case(field.name, wanted)
        {
            let closer = match best {
                Some((_, d)) => distance < d,
                None => true,
            };
            if distance <= limit && closer {
                best = Some((field.name, distance));
            }
        }
    }
    match best {
        Some((field, _)) => Some(NestedTypo { field, wanted }),
        None => None,
    }
}

/// What [`likely_nested_typo`] found.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NestedTypo {
    /// The struct's field.
    pub field: &'static str,
    /// The name the export uses, which the struct lacks.
    pub wanted: &'static str,
}

/// The total length of `parts`, the size of [`concat()`]'s buffer (for the
/// messages of compile-time checks).
#[doc(hidden)]
pub const fn concat_len(parts: &[&str]) -> usize {
    const_str::concat_len(parts)
}

/// `parts` one after another in `N` bytes ([`concat_len`]): a compile-time
/// check names what it found in its message, as `panic!` in a constant
/// takes one string.
#[doc(hidden)]
pub const fn concat<const N: usize>(parts: &[&str]) -> [u8; N] {
    const_str::concat::<N>(parts)
}

const fn contains(names: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < names.len() {
        if const_str::equal(names[i], name) {
            return true;
        }
        i += 1;
    }
    false
}

/// Where a path leads in a struct's field table.
enum Walk<'f> {
    /// To this field.
    Found(&'f FieldKinds),
    /// Step `step` names no field of `fields`, a nested struct's table.
    Missing {
        step: usize,
        fields: &'f [FieldKinds],
    },
    /// Out of the known structs (a list, a JSON value, an empty path).
    Unknown,
    /// A step reads into a field that cannot hold what it reads (a string
    /// has no `sku`, a number no `0`): as JS's `getPath` sees it, the
    /// path's value is always missing.
    Dead,
}

const fn walk<'f>(fields: Option<&'f [FieldKinds]>, path: &[&str]) -> Walk<'f> {
    let Some(mut fields) = fields else {
        return Walk::Unknown;
    };
    let mut step = 0;
    while step < path.len() {
        // A list's table knows its items, not its indices or `length`.
        let list = fields.len() == 1 && const_str::equal(fields[0].name, LIST_ITEMS);
        if list && !const_str::equal(path[step], LIST_ITEMS) {
            return Walk::Unknown;
        }
        let mut i = 0;
        let mut found = None;
        while i < fields.len() {
            if const_str::equal(fields[i].name, path[step]) {
                found = Some(&fields[i]);
                break;
            }
            i += 1;
        }
        let Some(field) = found else {
            return Walk::Missing { step, fields };
        };
        step += 1;
        if step == path.len() {
            return Walk::Found(field);
        }
        match field.fields {
            Some(nested) => fields = nested,
            None if !field.kinds.intersects(holder_of(path[step])) => return Walk::Dead,
            None => return Walk::Unknown,
        }
    }
    Walk::Unknown
}

/// What a value must be for the path step `step` to read into it: a list
/// for [`LIST_ITEMS`], a list or an object for an index or `length`, an
/// object for a name (JS's `getPath` reads into objects only, lists being
/// objects: a string has no `length` there).
const fn holder_of(step: &str) -> AttributeKinds {
    if const_str::equal(step, LIST_ITEMS) {
        return AttributeKinds::LIST;
    }
    let bytes = step.as_bytes();
    let mut index = !bytes.is_empty();
    let mut i = 0;
    while i < bytes.len() {
        index &= bytes[i].is_ascii_digit();
        i += 1;
    }
    if index || const_str::equal(step, "length") {
        AttributeKinds::LIST.union(AttributeKinds::OBJECT)
    } else {
        AttributeKinds::OBJECT
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const ADDRESS: &[FieldKinds] = &[FieldKinds {
        name: "zip",
        kinds: AttributeKinds::STRING,
        fields: None,
        values: None,
        untargeted: false,
    }];
    pub(crate) const COMPANY: &[FieldKinds] = &[
        FieldKinds {
            name: "size",
            kinds: AttributeKinds::NUMBER,
            fields: None,
            values: None,
            untargeted: false,
        },
        FieldKinds {
            name: "address",
            kinds: AttributeKinds::OBJECT,
            fields: Some(ADDRESS),
            values: None,
            untargeted: false,
        },
    ];

    #[test]
    fn nested_fields_are_found_by_path() {
        assert_eq!(
            kinds_at(Some(COMPANY), &["size"]),
            Some(AttributeKinds::NUMBER)
        );
        assert_eq!(
            kinds_at(Some(COMPANY), &["address", "zip"]),
            Some(AttributeKinds::STRING)
        );
        assert_eq!(
            kinds_at(Some(COMPANY), &["address"]),
            Some(AttributeKinds::OBJECT)
        );
        assert_eq!(kinds_at(Some(COMPANY), &["sizes"]), None);
        assert_eq!(kinds_at(Some(COMPANY), &["size", "x"]), None);
        assert_eq!(kinds_at(Some(COMPANY), &[]), None);
        assert_eq!(kinds_at(None, &["size"]), None);
        // Usable in constants, as the derive's compile-time checks are.
        const SIZE: Option<AttributeKinds> = kinds_at(Some(COMPANY), &["size"]);
        assert_eq!(SIZE, Some(AttributeKinds::NUMBER));
    }

    #[test]
    fn paths_into_values_without_fields_lead_nowhere() {
        // A number has no `unit`, a string no `0` (JS reads objects only).
        assert!(unreachable_at(Some(COMPANY), &["size", "unit"]));
        assert!(unreachable_at(Some(COMPANY), &["address", "zip", "0"]));
        assert!(unreachable_at(Some(COMPANY), &["address", "zip", "length"]));
        assert!(unreachable_at(Some(COMPANY), &["size", LIST_ITEMS]));
        // Found, lacking, or past what the tables know: not unreachable.
        assert!(!unreachable_at(Some(COMPANY), &["size"]));
        assert!(!unreachable_at(Some(COMPANY), &["sise", "unit"]));
        assert!(!unreachable_at(None, &["x", "y"]));
        const ANY: &[FieldKinds] = &[FieldKinds {
            name: "extra",
            kinds: AttributeKinds::ANY,
            fields: None,
            values: None,
            untargeted: false,
        }];
        assert!(!unreachable_at(Some(ANY), &["extra", "unit"]));
        assert_eq!(kinds_at(Some(COMPANY), &["size", "unit"]), None);
        const DEAD: bool = unreachable_at(Some(COMPANY), &["size", "unit"]);
        const _: () = assert!(DEAD);
    }

    #[test]
    fn nested_fields_a_struct_lacks_are_found_and_named() {
        // Found, missing at some depth, or past what the tables know.
        assert!(!lacks(Some(COMPANY), &["size"]));
        assert!(!lacks(Some(COMPANY), &["address", "zip"]));
        assert!(lacks(Some(COMPANY), &["sise"]));
        assert!(lacks(Some(COMPANY), &["address", "zipp"]));
        assert!(lacks(Some(COMPANY), &["length"]));
        assert!(!lacks(Some(COMPANY), &["size", "x"]));
        assert!(!lacks(None, &["x"]));
        assert!(!lacks(Some(COMPANY), &[]));
        // The likely meant field: close, not used elsewhere, not untargeted.
        let typo = |path: &[&'static str], used: &[&[&str]]| {
            likely_nested_typo(Some(COMPANY), path, used).map(|t| t.field)
        };
        assert_eq!(typo(&["sise"], &[]), Some("size"));
        assert_eq!(typo(&["Size"], &[]), Some("size"));
        assert_eq!(typo(&["address", "zipp"], &[]), Some("zip"));
        assert_eq!(typo(&["address", "zipp"], &[&[], &["zip"]]), None);
        assert_eq!(typo(&["sise"], &[&["size"]]), None);
        assert_eq!(typo(&["seats"], &[]), None);
        assert_eq!(typo(&["size"], &[]), None);
        const QUIET: &[FieldKinds] = &[FieldKinds {
            name: "plann",
            kinds: AttributeKinds::STRING,
            fields: None,
            values: None,
            untargeted: true,
        }];
        assert_eq!(likely_nested_typo(Some(QUIET), &["plan"], &[]), None);
        // Usable in constants, as the derive's compile-time checks are.
        const TYPO: Option<NestedTypo> = likely_nested_typo(Some(COMPANY), &["adress"], &[]);
        assert_eq!(
            TYPO,
            Some(NestedTypo {
                field: "address",
                wanted: "adress"
            })
        );
        const LACKS: bool = lacks(Some(COMPANY), &["name"]);
        const _: () = assert!(LACKS);
    }
}
