//! `@case`: `{"value": <string or directive>, "operator": "lower" | "upper"}`.
//!
//! A string value is lower- or upper-cased (with Unicode's full case mapping, as JavaScript
//! does); any other value is returned as it is. As in Segment, an empty `value` gives nothing.

use super::parse::{Options, Parser};
use super::{Expr, Failure};
use crate::data::Data;

/// A parsed `@case`.
#[derive(Clone, Debug)]
pub struct Case<D> {
    /// `None` when the value is the literal `""`, which Segment skips.
    value: Option<Expr<D>>,
    upper: bool,
}

pub(super) fn parse<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    let (upper, value, rest) = read(parser, argument)?;
    let [value] = parser.children([("value", value)], rest)?;
    Ok(Expr::Case(Box::new(Case { value, upper })))
}

#[inline(never)]
fn read<D: Data>(
    parser: &Parser<'_>,
    argument: &D,
) -> Result<(bool, Option<D>, Options<D>), Failure> {
    let mut options = parser.options(
        argument,
        r#"{"value": {"@path": "$.traits.email"}, "operator": "lower"}"#,
    )?;
    let upper = parser.one_of(&mut options, "operator", ["lower", "upper"])? == "upper";
    let value = parser.string_or_directive(&mut options, "value")?;
    Ok((upper, value, options))
}

impl<D: Data> Case<D> {
    pub(super) fn evaluate(&self, root: &D) -> Option<D> {
        let value = self.value.as_ref()?.evaluate(root)?;
        Some(value.change_case(self.upper).unwrap_or(value))
    }
}
