//! `@if`: `{"exists" | "blank": <mapping>, "then": <mapping>, "else": <mapping>}`.
//!
//! As in Segment, `exists` holds when its value is neither undefined nor `null`, and `blank`
//! holds when its value is *not* blank (not undefined, `null`, `""`, `0`, `false` or `[]`): both
//! pick `then` for a present value and `else` otherwise. When both are given, `exists` decides.
//! Segment skips an `else` that is a falsy literal (`false`, `0`, `""`, `null`): the result is
//! then undefined, and so it is here.

use super::parse::{Options, Parser};
use super::text::{is_blank, is_truthy};
use super::{Expr, Failure};
use crate::data::{Data, Kind};

/// A parsed `@if`.
#[derive(Clone, Debug)]
pub struct If<D> {
    condition: Condition<D>,
    then: Option<Expr<D>>,
    otherwise: Option<Expr<D>>,
}

/// The test of an `@if` directive.
#[derive(Clone, Debug)]
pub enum Condition<D> {
    /// Holds when the value is not undefined and not `null`.
    Exists(Expr<D>),
    /// Holds when the value is *not* blank: Segment's `blank` picks `then` for a filled value.
    Blank(Expr<D>),
}

pub(super) fn parse<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    let (keep_otherwise, values, rest) = read(parser, argument)?;
    let [blank, exists, then, otherwise] = parser.children(values, rest)?;
    let condition = match (exists, blank) {
        (Some(exists), _) => Condition::Exists(exists),
        (None, Some(blank)) => Condition::Blank(blank),
        (None, None) => return Err(parser.missing()),
    };
    let otherwise = otherwise.filter(|_| keep_otherwise);
    Ok(Expr::If(Box::new(If {
        condition,
        then,
        otherwise,
    })))
}

/// Whether to keep `else`, and the options to parse: `blank`, `exists`, `then`, `else`.
#[allow(clippy::type_complexity)]
#[inline(never)]
fn read<D: Data>(
    parser: &Parser<'_>,
    argument: &D,
) -> Result<(bool, [(&'static str, Option<D>); 4], Options<D>), Failure> {
    let mut rest = parser.options(
        argument,
        r#"{"exists": {"@path": "$.userId"}, "then": ..., "else": ...}"#,
    )?;
    let exists = rest.take("exists");
    let blank = rest.take("blank");
    if !exists.iter().chain(blank.iter()).any(is_truthy) {
        return Err(parser.error(
            "needs the option \"exists\" or \"blank\": a directive, or a value that is not empty",
        ));
    }
    let then = rest.take("then");
    let otherwise = rest.take("else");
    let keep_otherwise = otherwise.as_ref().is_some_and(is_truthy);
    Ok((
        keep_otherwise,
        [
            ("blank", blank),
            ("exists", exists),
            ("then", then),
            ("else", otherwise),
        ],
        rest,
    ))
}

impl<D: Data> If<D> {
    pub(super) fn evaluate(&self, root: &D) -> Option<D> {
        let branch = if self.condition.holds(root) {
            &self.then
        } else {
            &self.otherwise
        };
        branch.as_ref()?.evaluate(root)
    }
}

impl<D: Data> Condition<D> {
    /// Whether `then` is taken for `root`.
    pub fn holds(&self, root: &D) -> bool {
        match self {
            Condition::Exists(expr) => expr
                .evaluate(root)
                .is_some_and(|value| value.kind() != Kind::Null),
            Condition::Blank(expr) => expr.evaluate(root).is_some_and(|value| !is_blank(&value)),
        }
    }
}
