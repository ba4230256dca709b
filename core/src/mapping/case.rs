//! `@case`: `{"value": <mapping>, "operator": "lower" | "upper"}`, run as Segment runs it.
//!
//! A string value is lower- or upper-cased (Unicode's full case mapping, as JavaScript does);
//! any other value is returned as it is. The operator is compared exactly, as Segment does when
//! it runs (its validator lets any string through): a string value with `"LOWER"` throws.
//! Without a truthy `operator` Segment throws; with a falsy `value` the result is undefined.

use crate::prelude::*;

use super::js_value_rules::is_truthy;
use super::parse::{option, throw, Compiler, Failure};
use super::{Expr, Thrown, Value};
use crate::data::{Data, Kind};

/// A compiled `@case`.
#[derive(Clone, Debug)]
pub struct Case<D> {
    value: Option<Expr<D>>,
    /// `Some(true)` for `"upper"`, `Some(false)` for `"lower"`, `None` for anything else.
    upper: Option<bool>,
}

pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    if argument.kind() != Kind::Object {
        return Ok(throw("@case requires an object with a \"operator\" key"));
    }
    let Some(operator) = option(argument, "operator").filter(is_truthy) else {
        return Ok(throw("@case requires a \"operator\" key"));
    };
    let upper = match operator.as_string().as_deref() {
        Some("upper") if operator.kind() == Kind::String => Some(true),
        Some("lower") if operator.kind() == Kind::String => Some(false),
        _ => None,
    };
    let value = option(argument, "value").filter(is_truthy);
    let value = compiler.option(value.as_ref())?;
    Ok(Expr::Case(Box::new(Case { value, upper })))
}

impl<D: Data> Case<D> {
    pub(super) fn evaluate(&self, root: &D) -> Value<D> {
        let Some(value) = &self.value else {
            return Ok(None);
        };
        let Some(value) = value.evaluate(root)? else {
            return Ok(None);
        };
        if value.kind() != Kind::String {
            return Ok(Some(value));
        }
        match self.upper {
            Some(upper) => Ok(Some(value.change_case(upper).unwrap_or(value))),
            None => Err(Thrown::new(
                "@case: operator key should have a value of \"lower\" or \"upper\"",
            )),
        }
    }
}
