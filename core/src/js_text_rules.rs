//! JavaScript's own text conversions, written in Rust: `String(n)` for numbers,
//! `toUpperCase`/`toLowerCase`, the case folding of a case-insensitive search, reading a
//! decimal number, and which characters are letters.
//!
//! These are what [`Data`](crate::data::Data)'s default methods use (unit tests, property
//! tests, fuzzing). The browser's implementation asks JavaScript itself, so that Rust's float
//! formatting and parsing and Unicode tables are not shipped in the `.wasm`; the conformance
//! tables run both ways.

use crate::prelude::*;

/// JavaScript's `String(n)` for a number: `1`, `1.5`, `1e+21`, `1e-7`, `NaN`.
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if n == 0.0 {
        return "0".to_owned();
    }
    // Rust's `{:e}` gives the shortest digits that read back as `n`, as JavaScript does; only
    // the placement of the decimal point and the exponent differ.
    let scientific = format!("{:e}", n.abs());
    let Some((mantissa, exponent)) = scientific.split_once('e') else {
        return format!("{n}");
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let Ok(exponent) = exponent.parse::<i32>() else {
        return format!("{n}");
    };
    let k = digits.len() as i32;
    let point = exponent + 1;
    let mut out = String::with_capacity(digits.len() + 8);
    if n < 0.0 {
        out.push('-');
    }
    if k <= point && point <= 21 {
        out.push_str(&digits);
        out.extend(core::iter::repeat_n('0', (point - k) as usize));
    } else if 0 < point && point <= 21 {
        let (whole, fraction) = digits
            .split_at_checked(point as usize)
            .unwrap_or((&digits, ""));
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    } else if -6 < point && point <= 0 {
        out.push_str("0.");
        out.extend(core::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at_checked(1).unwrap_or((&digits, ""));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if point > 0 { '+' } else { '-' });
        out.push_str(&(point - 1).unsigned_abs().to_string());
    }
    out
}

/// JavaScript's `toUpperCase()` or `toLowerCase()`: Unicode's full case mapping (`ß` becomes
/// `SS`), the same in every locale.
pub fn change_case(text: &str, upper: bool) -> String {
    if upper {
        text.to_uppercase()
    } else {
        text.to_lowercase()
    }
}

/// Each character as JavaScript's case-insensitive (non-Unicode) search compares it: its upper
/// case when that is a single character, unless that maps a non-ASCII letter to ASCII;
/// characters outside the Basic Multilingual Plane compare as they are. The result has exactly
/// one character for each character of `text`.
pub fn fold_case(text: &str) -> String {
    text.chars().map(fold).collect()
}

fn fold(c: char) -> char {
    if u32::from(c) > 0xFFFF {
        return c;
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) if !(u32::from(c) >= 128 && u32::from(u) < 128) => u,
        _ => c,
    }
}

/// `text` without the white space JavaScript's `trim` removes (which differs from Rust's
/// `trim`: U+FEFF is removed, U+0085 is kept).
pub fn trim(text: &str) -> &str {
    let space = |c: char| {
        matches!(
            c,
            '\u{9}'..='\u{d}'
                | ' '
                | '\u{a0}'
                | '\u{1680}'
                | '\u{2000}'..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
        )
    };
    text.trim_matches(space)
}

/// The value of a decimal literal whose syntax the caller has checked (`-2.5`, `+3`, `1e3`):
/// what JavaScript's `Number(literal)` gives, infinite when it is too large.
pub fn parse_number(literal: &str) -> f64 {
    literal.parse().unwrap_or(f64::NAN)
}

/// JavaScript's `Number(text)` for any text: surrounding white space is ignored, an empty text
/// is `0`, `Infinity` and the `0x`/`0o`/`0b` forms are read, anything else not a decimal number
/// is `NaN`.
pub fn text_to_number(text: &str) -> f64 {
    let is_js_space = |c: char| c.is_whitespace() || c == '\u{feff}';
    let text = text.trim_matches(is_js_space);
    if text.is_empty() {
        return 0.0;
    }
    let radix = match text.get(..2) {
        Some("0x" | "0X") => Some(16),
        Some("0o" | "0O") => Some(8),
        Some("0b" | "0B") => Some(2),
        _ => None,
    };
    if let Some(radix) = radix {
        let digits = text.get(2..).unwrap_or_default();
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return f64::NAN;
        }
        return digits.chars().fold(0.0, |value, c| {
            value * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
        });
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if unsigned == "Infinity" {
        return if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            unsigned.get(..at).unwrap_or_default(),
            unsigned.get(at + 1..),
        ),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        all_digits(whole) && all_digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    if mantissa_ok && exponent_ok {
        text.parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// Whether `c` is a letter (Unicode's Alphabetic property, `char::is_alphabetic`), or when
/// `or_number`, a letter or a number (`\p{N}`, `char::is_numeric`).
pub fn is_letter(c: char, or_number: bool) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic() || (or_number && c.is_ascii_digit())
    } else {
        c.is_alphabetic() || (or_number && c.is_numeric())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_in_javascript() {
        let cases = [
            (1.0, "1"),
            (-1.5, "-1.5"),
            (0.1, "0.1"),
            (-0.0, "0"),
            (123456789.0, "123456789"),
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (1e20, "100000000000000000000"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (1.25e-7, "1.25e-7"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (0.30000000000000004, "0.30000000000000004"),
        ];
        for (n, text) in cases {
            assert_eq!(number_to_string(n), text, "{n:e}");
        }
    }

    #[test]
    fn folding_keeps_one_character_per_character() {
        assert_eq!(
            fold_case("aé-ß"),
            "AÉ-ß",
            "ß has no single-character upper case"
        );
        assert_eq!(
            fold_case("\u{212A}\u{17F}"),
            "\u{212A}\u{17F}",
            "no non-ASCII to ASCII"
        );
        assert_eq!(fold_case("😀x"), "😀X");
    }

    #[test]
    fn letters_and_numbers_as_rust_sees_them() {
        for c in ['a', 'Z', 'é', 'ß', 'Ж', '中', 'ǅ', 'ⅷ'] {
            assert!(is_letter(c, false) && is_letter(c, true), "{c}");
        }
        for c in ['7', '٣', '½'] {
            assert!(!is_letter(c, false) && is_letter(c, true), "{c}");
        }
        for c in ['_', '-', ' ', '\u{a0}', '€', '😀', '\u{301}'] {
            assert!(!is_letter(c, false) && !is_letter(c, true), "{c:?}");
        }
    }

    #[test]
    fn text_as_javascript_numbers_read_it() {
        let cases: &[(&str, f64)] = &[
            ("100", 100.0),
            (" 12 ", 12.0),
            ("", 0.0),
            ("  ", 0.0),
            ("-1.5e2", -150.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("0x1f", 31.0),
            ("0b101", 5.0),
            ("0o17", 15.0),
            ("+Infinity", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
        ];
        for &(text, expected) in cases {
            assert_eq!(text_to_number(text), expected, "{text:?}");
        }
        for text in [
            "abc", "1,5", "-0x1", "0x", "inf", "NaN", "1e", ".", "+", "1 2", "infinity",
        ] {
            assert!(text_to_number(text).is_nan(), "{text:?}");
        }
    }

    #[test]
    fn decimal_literals() {
        assert_eq!(parse_number("-2.5"), -2.5);
        assert_eq!(parse_number("+3"), 3.0);
        assert_eq!(parse_number("1.5E-2"), 0.015);
        assert_eq!(parse_number("1e999"), f64::INFINITY);
    }
}
