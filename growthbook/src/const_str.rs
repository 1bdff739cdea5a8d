//! String comparison usable in `const` evaluation, where the compile-time
//! checks of typed features and attributes run (`str::eq` is not `const`).

/// Whether two strings are equal.
pub(crate) const fn equal(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
