//! Finding text in text with a plain scan.
//!
//! `str::find`, `split_once` and `match_indices` with a `&str` pattern run core's two-way
//! searcher, whose panic path brings Rust's `Debug` formatting of strings and characters (and
//! its Unicode tables) into the `.wasm`. What is searched here is short or searched for
//! something short (a trigger's `contains` text, `@replace` patterns of at most 10 characters,
//! template braces, `://`), so comparing at each offset is fast enough. Splits at one ASCII
//! character go by bytes too: with a `char` pattern, `str` runs core's character searcher.

/// The byte offset of the first occurrence of `needle` in `haystack`; `Some(0)` for an empty
/// needle. The offset is always a character boundary: a valid UTF-8 needle cannot start in the
/// middle of a character.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
}

/// The text before and after the first occurrence of `separator`.
pub fn split_once<'a>(text: &'a str, separator: &str) -> Option<(&'a str, &'a str)> {
    let at = find(text, separator)?;
    Some((text.get(..at)?, text.get(at + separator.len()..)?))
}

/// The pieces of `text` between the occurrences of the ASCII character `separator`, as
/// `text.split(char)` gives them, found by bytes: `str`'s split by a `char` runs core's
/// character searcher. Every piece starts and ends at a character boundary, next to a
/// one-byte character or at an end of `text`.
pub fn split_at_ascii(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    core::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == separator) {
            Some(at) => {
                rest = current.get(at + 1..);
                current.get(..at)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_occurrence() {
        assert_eq!(find("abcabc", "bc"), Some(1));
        assert_eq!(find("abc", ""), Some(0));
        assert_eq!(find("", "a"), None);
        assert_eq!(find("ab", "abc"), None);
        assert_eq!(find("héllo wörld", "wö"), Some(7));
        assert_eq!(split_once("https://x", "://"), Some(("https", "x")));
        assert_eq!(split_once("x", "://"), None);
        for text in ["", ".", "a", "a.b", ".a..b.", "é.ü", "..."] {
            let pieces: Vec<&str> = split_at_ascii(text, b'.').collect();
            assert_eq!(pieces, text.split('.').collect::<Vec<_>>(), "{text:?}");
        }
    }
}
