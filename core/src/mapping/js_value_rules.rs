//! JavaScript's conversions that Segment's directives rely on: `String(value)`, truthiness, and
//! the loose `"" == value` test of `@if` `blank`.

use crate::prelude::*;

use super::MAX_DATA_DEPTH;
use crate::data::{Data, Kind};

/// How many values a walk over event data visits at most, per directive and event: a bound on
/// the work a hostile event (huge, or cyclic in the browser) can cause.
pub(super) const MAX_DATA_STEPS: usize = 100_000;

/// Appends JavaScript's `String(value ?? "")`: strings as they are, `true`, `1.5`, arrays as
/// their items joined with `,`, objects as `[object Object]`, `null` as nothing.
pub(super) fn push_js_string<D: Data>(out: &mut String, value: &D) {
    let mut steps = MAX_DATA_STEPS;
    push_value(out, value, 0, &mut steps);
}

fn push_value<D: Data>(out: &mut String, value: &D, depth: usize, steps: &mut usize) {
    if let Some(text) = value.as_string() {
        out.push_str(&text);
        return;
    }
    match value.kind() {
        Kind::Null | Kind::String | Kind::Other => {}
        Kind::Bool => out.push_str(if value.as_bool() == Some(true) {
            "true"
        } else {
            "false"
        }),
        Kind::Number => out.push_str(&D::number_to_string(value.as_f64().unwrap_or(f64::NAN))),
        Kind::Object => out.push_str("[object Object]"),
        Kind::Array => {
            if depth >= MAX_DATA_DEPTH {
                return;
            }
            for (index, item) in value.items().iter().enumerate() {
                if *steps == 0 {
                    return;
                }
                *steps -= 1;
                if index > 0 {
                    out.push(',');
                }
                push_value(out, item, depth + 1, steps);
            }
        }
    }
}

/// JavaScript's truthiness: everything but `null`, `false`, `0`, `NaN` and `""`.
pub(crate) fn is_truthy<D: Data>(value: &D) -> bool {
    match value.kind() {
        Kind::Null => false,
        Kind::Bool => value.as_bool() == Some(true),
        Kind::Number => value.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Kind::String => value.as_string().is_some_and(|s| !s.is_empty()),
        Kind::Array | Kind::Object | Kind::Other => true,
    }
}

pub(super) fn is_falsy<D: Data>(value: &D) -> bool {
    !is_truthy(value)
}

/// JavaScript's `value == null || value == ""`, the test `@if` `blank` makes: `null`, `""`,
/// `false`, `0`, and arrays whose text is empty (`[]`, `[null]`, `[""]`).
#[cfg(any(feature = "all-directives", test))]
pub(super) fn is_blank<D: Data>(value: &D) -> bool {
    match value.kind() {
        Kind::Null => true,
        Kind::Bool => value.as_bool() == Some(false),
        Kind::Number => value.as_f64() == Some(0.0),
        Kind::String => value.as_string().is_some_and(|s| s.is_empty()),
        Kind::Array => array_text_is_empty(value, 0),
        Kind::Object | Kind::Other => false,
    }
}

/// Whether `String(array)` is `""`: no item, or a single item whose text is empty.
#[cfg(any(feature = "all-directives", test))]
fn array_text_is_empty<D: Data>(array: &D, depth: usize) -> bool {
    match array.items().as_slice() {
        [] => true,
        [item] => match item.kind() {
            Kind::Null => true,
            Kind::String => item.as_string().is_some_and(|s| s.is_empty()),
            Kind::Array => depth < MAX_DATA_DEPTH && array_text_is_empty(item, depth + 1),
            _ => false,
        },
        _ => false,
    }
}

/// The length of `text` as JavaScript counts it, in UTF-16 code units.
pub(super) fn js_length(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_print_as_string_does() {
        let text = |v: serde_json::Value| {
            let mut out = String::new();
            push_js_string(&mut out, &v);
            out
        };
        assert_eq!(text(json!("a")), "a");
        assert_eq!(text(json!(true)), "true");
        assert_eq!(text(json!(null)), "");
        assert_eq!(text(json!({"a": 1})), "[object Object]");
        assert_eq!(
            text(json!([1, [2, null], "x", {}])),
            "1,2,,x,[object Object]"
        );
    }

    #[test]
    fn blank_is_loose_equality_with_the_empty_string() {
        for blank in [
            json!(null),
            json!(""),
            json!(false),
            json!(0),
            json!([]),
            json!([null]),
            json!([[""]]),
        ] {
            assert!(is_blank(&blank), "{blank}");
        }
        for filled in [
            json!(" "),
            json!(true),
            json!(1),
            json!([0]),
            json!(["", ""]),
            json!({}),
        ] {
            assert!(!is_blank(&filled), "{filled}");
        }
    }
}
