//! Saved groups: named lists of attribute values and reusable conditions that
//! targeting conditions refer to (`$inGroup`, `$notInGroup`, `$savedGroup`).

use crate::model::condition::{Cond, Path};
use crate::model::value_list::ValueList;
use crate::model::FastMap;

/// One entry of the payload's `savedGroups` object.
#[derive(Debug)]
pub(crate) enum SavedGroup {
    /// A bare array of values (the legacy form, for `$inGroup` only: a
    /// `$savedGroup` reference to it is false).
    Legacy(ValueList),
    /// `{"type": "list", "attributeKey": "id", "values": [...]}`. Without a
    /// string `attributeKey`, `$inGroup` still reads its values, and a
    /// `$savedGroup` reference needs an `attributeKey` of its own.
    List {
        attribute_key: Option<Path>,
        values: ValueList,
    },
    /// `{"type": "condition", "condition": {...}}`
    Condition(Cond),
    /// `{"type": "remote", "attributeKey": ...}`: membership is resolved by
    /// the server and passed in as the user's remote group ids.
    Remote { attribute_key: Path },
    /// An entry of a known shape gone wrong (`null`, a number, a list
    /// without `values`, a condition group without a condition): a test of
    /// membership in it is false, and, like any false test, can be negated.
    Malformed,
    /// An object of a type this SDK does not know (a type added to
    /// GrowthBook later): it cannot be decided here, so a condition that
    /// needs it fails closed, even under `$not`.
    Unsupported,
}

/// The compiled saved groups of a payload, by id.
#[derive(Debug, Default)]
pub struct SavedGroups {
    pub(crate) groups: FastMap<SavedGroup>,
}

impl SavedGroups {
    pub(crate) fn get(&self, id: &str) -> Option<&SavedGroup> {
        self.groups.get(id)
    }

    /// How many saved groups the payload defines.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}
