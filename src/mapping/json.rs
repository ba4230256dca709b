//! `@json`: `{"value": <mapping>, "mode": "encode" | "decode"}`.
//!
//! `encode` gives the JSON text of the value (undefined stays undefined); `decode` reads a
//! string as JSON and returns any other value as it is. Text that is not JSON, or that nests
//! deeper than the limit for event data, decodes to undefined (Segment would fail the event).

use super::parse::{Options, Parser};
use super::text::is_truthy;
use super::{Expr, Failure, MAX_DATA_DEPTH};
use crate::data::Data;

/// A parsed `@json`.
#[derive(Clone, Debug)]
pub struct Json<D> {
    value: Expr<D>,
    decode: bool,
}

pub(super) fn parse<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    let (decode, value, rest) = read(parser, argument)?;
    let [Some(value)] = parser.children([("value", Some(value))], rest)? else {
        return Err(parser.missing());
    };
    Ok(Expr::Json(Box::new(Json { value, decode })))
}

#[inline(never)]
fn read<D: Data>(parser: &Parser<'_>, argument: &D) -> Result<(bool, D, Options<D>), Failure> {
    let mut options = parser.options(
        argument,
        r#"{"value": {"@path": "$.properties"}, "mode": "encode"}"#,
    )?;
    let decode = parser.one_of(&mut options, "mode", ["encode", "decode"])? == "decode";
    let value = parser.required(&mut options, "value")?;
    // Segment refuses, on every event, a value that is a falsy literal.
    if !is_truthy(&value) {
        return Err(
            parser.error("option \"value\" must be a directive or a value that is not empty")
        );
    }
    Ok((decode, value, options))
}

impl<D: Data> Json<D> {
    pub(super) fn evaluate(&self, root: &D) -> Option<D> {
        let value = self.value.evaluate(root)?;
        if !self.decode {
            return value.to_json().map(|text| D::from_str(&text));
        }
        match value.as_string() {
            Some(text) if nesting(&text) <= MAX_DATA_DEPTH => D::parse_json(&text),
            Some(_) => None,
            None => Some(value),
        }
    }
}

/// How deep the arrays and objects of JSON text nest, counted without parsing it.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_skips_strings() {
        assert_eq!(nesting(r#"{"a": [1, {"b": "[[[{{"}], "c\"[": []}"#), 3);
        assert_eq!(nesting("[".repeat(100_000).as_str()), 100_000);
        assert_eq!(nesting("42"), 0);
    }
}
