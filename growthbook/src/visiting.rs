//! The names being expanded right now (saved groups inside saved groups,
//! prerequisite features of prerequisite features), kept as a linked list
//! on the call stack, so that a cycle is noticed without allocating.

/// One level of an expansion, pointing at the level that started it.
pub(crate) struct Visiting<'p> {
    pub(crate) name: &'p str,
    pub(crate) parent: Option<&'p Visiting<'p>>,
}

impl<'p> Visiting<'p> {
    /// A level inside `parent`.
    pub(crate) fn new(name: &'p str, parent: Option<&'p Visiting<'p>>) -> Visiting<'p> {
        Visiting { name, parent }
    }

    /// Whether `name` is being expanded at any level of `visiting`.
    pub(crate) fn contains(visiting: Option<&Visiting<'_>>, name: &str) -> bool {
        let mut current = visiting;
        while let Some(level) = current {
            if level.name == name {
                return true;
            }
            current = level.parent;
        }
        false
    }
}
