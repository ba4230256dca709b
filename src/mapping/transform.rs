//! `@transform`: `{"apply": <object or directive>, "mapping": <object or directive>}`.
//!
//! As in Segment, `apply` is evaluated against the current root, and `mapping` against the
//! result (undefined fields dropped) instead of the event: `{"apply": {"props": {"@flatten":
//! ...}}, "mapping": {"all": {"@path": "$.props"}}}`. The same holds for the root directive of a
//! whole mapping (`__segment_internal_directive`), see [`super::Mapping`].

use super::parse::{Options, Parser};
use super::{Expr, Failure};
use crate::data::Data;

/// A parsed `@transform`.
#[derive(Clone, Debug)]
pub struct Transform<D> {
    apply: Expr<D>,
    mapping: Expr<D>,
}

pub(super) fn parse<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    let (apply, mapping, rest) = read(parser, argument)?;
    let [Some(apply), Some(mapping)] =
        parser.children([("apply", Some(apply)), ("mapping", Some(mapping))], rest)?
    else {
        return Err(parser.missing());
    };
    Ok(Expr::Transform(Box::new(Transform { apply, mapping })))
}

#[inline(never)]
fn read<D: Data>(parser: &Parser<'_>, argument: &D) -> Result<(D, D, Options<D>), Failure> {
    let mut options = parser.options(
        argument,
        r#"{"apply": {"props": {"@path": "$.properties"}}, "mapping": {...}}"#,
    )?;
    let apply = parser.object_or_directive(&mut options, "apply")?;
    let mapping = parser.object_or_directive(&mut options, "mapping")?;
    Ok((apply, mapping, options))
}

/// The root `apply` evaluates to: the new root, or an empty object when it is undefined.
pub(super) fn new_root<D: Data>(apply: &Expr<D>, root: &D) -> D {
    apply
        .evaluate(root)
        .unwrap_or_else(|| D::new_object(Vec::new()))
}

impl<D: Data> Transform<D> {
    pub(super) fn evaluate(&self, root: &D) -> Option<D> {
        self.mapping.evaluate(&new_root(&self.apply, root))
    }
}
