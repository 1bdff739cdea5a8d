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

/// The total length of `parts`, the size of [`concat()`]'s buffer.
pub(crate) const fn concat_len(parts: &[&str]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < parts.len() {
        len += parts[i].len();
        i += 1;
    }
    len
}

/// `parts` written one after another into `N` bytes (`N` from
/// [`concat_len`]), so that a compile-time check can name what it found in
/// its message: `panic!` in a constant takes one string, not a format.
pub(crate) const fn concat<const N: usize>(parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    let mut i = 0;
    while i < parts.len() {
        let bytes = parts[i].as_bytes();
        let mut j = 0;
        while j < bytes.len() && at < N {
            out[at] = bytes[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_writes_the_parts_in_order() {
        const PARTS: &[&str] = &["did you mean \"", "plan", "\"?"];
        const LEN: usize = concat_len(PARTS);
        const BYTES: [u8; LEN] = concat::<LEN>(PARTS);
        assert_eq!(std::str::from_utf8(&BYTES), Ok("did you mean \"plan\"?"));
        assert_eq!(concat_len(&[]), 0);
    }
}
