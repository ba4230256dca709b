//! Quoting text in error messages: `"a\"b"`, `'#'`.
//!
//! What `{:?}` prints for ordinary text, without Rust's `Debug` machinery (its Unicode
//! printability tables) in the `.wasm`: the quote and the backslash are escaped, and so are
//! characters that would not show: control characters, line and paragraph separators and the
//! invisible format characters, as `\u{…}`.

use crate::prelude::*;

/// `text` between double quotes, escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// `c` between single quotes, escaped.
pub fn quote_char(c: char) -> String {
    let mut out = String::with_capacity(6);
    out.push('\'');
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if is_invisible(c) => push_code(out, c),
        c => out.push(c),
    }
}

/// Characters that print as nothing (or break the line) in a console message.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
        )
}

/// `\u{1b}`: the code point in lower-case hex, as Rust writes it.
fn push_code(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let code = u32::from(c);
    out.push_str("\\u{");
    let mut started = false;
    for shift in (0..6).rev() {
        let digit = (code >> (shift * 4)) & 0xF;
        if digit != 0 || started || shift == 0 {
            started = true;
            out.push(char::from(HEX[digit as usize]));
        }
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_as_debug_does_for_ordinary_text() {
        for text in [
            "",
            "abc",
            "a\"b",
            "C:\\x",
            "line\nnext\ttab\r",
            "é😀 ü",
            "it's",
            "\0",
        ] {
            assert_eq!(quote(text), format!("{text:?}"));
        }
        for c in ['#', '\'', '"', '\\', '-', 'é', '\n'] {
            assert_eq!(quote_char(c), format!("{c:?}"));
        }
    }

    #[test]
    fn invisible_characters_are_spelled_out() {
        assert_eq!(quote("a\u{1b}b\u{7f}"), "\"a\\u{1b}b\\u{7f}\"");
        assert_eq!(
            quote("\u{200B}\u{FEFF}\u{2028}"),
            "\"\\u{200b}\\u{feff}\\u{2028}\""
        );
        for c in [
            '\u{1}', '\u{9f}', '\u{AD}', '\u{200B}', '\u{2028}', '\u{FEFF}',
        ] {
            assert_eq!(quote_char(c), format!("{c:?}"));
        }
    }
}
