//! `@json`: `{"value": <mapping>, "mode": "encode" | "decode"}`, run as Segment runs it.
//!
//! `encode` gives the JSON text of the value (undefined stays undefined); `decode` reads a
//! string as JSON, gives text that is not JSON back as it is (actions-core 3.170.0), and
//! returns any other value unchanged. As in Segment, the mode is compared exactly when it runs
//! (`"ENCODE"`, which its validator accepts, gives undefined), and a falsy `mode` or `value`
//! throws. JSON text nesting deeper than the limit for event data decodes to undefined.

use crate::prelude::*;

use super::js_value_rules::is_truthy;
use super::parse::{option, throw, Compiler, Failure};
use super::{Expr, Value, MAX_DATA_DEPTH};
use crate::data::{Data, Kind};

/// A compiled `@json`.
#[derive(Clone, Debug)]
pub struct Json<D> {
    value: Expr<D>,
    mode: Mode,
}

#[derive(Clone, Copy, Debug)]
enum Mode {
    Encode,
    Decode,
    /// A word other than exactly `encode` or `decode`: the result is undefined.
    Neither,
}

pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    if argument.kind() != Kind::Object {
        return Ok(throw("@json requires an object with a \"value\" key"));
    }
    let Some(mode) = option(argument, "mode").filter(is_truthy) else {
        return Ok(throw("@json requires a \"mode\" key"));
    };
    let Some(value) = option(argument, "value").filter(is_truthy) else {
        return Ok(throw("@json requires a \"value\" key"));
    };
    let mode = match mode.as_string().as_deref() {
        Some("encode") if mode.kind() == Kind::String => Mode::Encode,
        Some("decode") if mode.kind() == Kind::String => Mode::Decode,
        _ => Mode::Neither,
    };
    let value = compiler.expr(&value)?;
    Ok(Expr::Json(Box::new(Json { value, mode })))
}

impl<D: Data> Json<D> {
    pub(super) fn evaluate(&self, root: &D) -> Value<D> {
        let value = self.value.evaluate(root)?;
        Ok(match self.mode {
            Mode::Neither => None,
            Mode::Encode => value
                .and_then(|value| value.to_json())
                .map(|text| D::from_str(&text)),
            Mode::Decode => match value {
                Some(value) if value.kind() == Kind::String => {
                    let text = value.as_string().unwrap_or_default();
                    if nesting(&text) > MAX_DATA_DEPTH {
                        None
                    } else {
                        Some(D::parse_json(&text).unwrap_or(value))
                    }
                }
                other => other,
            },
        })
    }
}

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
