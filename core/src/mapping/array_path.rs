//! `@arrayPath`: `[<path or mapping>, <item shape>?]`, such as
//! `["$.properties.products", {"sku": {"@path": "$.sku"}}]`, run as Segment runs it.
//!
//! A string first item is a path (read as `@path` reads it); anything else is a mapping whose
//! value is the source. The source is returned as it is, unless it is an array or an object
//! and the shape is a non-empty object (plain or a directive); then each item (an object counts
//! as a list of one) is mapped through the shape, whose paths and templates read the item.
//! Segment throws when the argument is no array.

use crate::prelude::*;

use super::parse::{throw, Compiler, Failure};
use super::path::Path;
use super::{Expr, Value};
use crate::data::{Data, Kind};

/// A compiled `@arrayPath`.
#[derive(Clone, Debug)]
pub struct ArrayPath<D> {
    /// `None` for an empty array: the source is then undefined.
    source: Option<Expr<D>>,
    shape: Option<Expr<D>>,
}

pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    if argument.kind() != Kind::Array {
        return Ok(throw("@arrayPath expected array"));
    }
    let items = argument.items();
    let source = match items.first() {
        Some(path) if path.kind() == Kind::String => Some(Expr::Path(Path::registered(
            &path.as_string().unwrap_or_default(),
        ))),
        Some(other) => Some(compiler.expr(other)?),
        None => None,
    };
    let shape = match items.get(1) {
        Some(shape) if shape.kind() == Kind::Object && !shape.entries().is_empty() => {
            Some(compiler.expr(shape)?)
        }
        _ => None,
    };
    Ok(Expr::ArrayPath(Box::new(ArrayPath { source, shape })))
}

impl<D: Data> ArrayPath<D> {
    pub(super) fn evaluate(&self, root: &D) -> Value<D> {
        let Some(source) = &self.source else {
            return Ok(None);
        };
        let Some(value) = source.evaluate(root)? else {
            return Ok(None);
        };
        let Some(shape) = &self.shape else {
            return Ok(Some(value));
        };
        let items = match value.kind() {
            Kind::Array => value.items(),
            Kind::Object => vec![value],
            _ => return Ok(Some(value)),
        };
        let mut mapped = Vec::with_capacity(items.len());
        for item in &items {
            mapped.push(shape.evaluate(item)?.unwrap_or_else(D::null));
        }
        Ok(Some(D::new_array(mapped)))
    }
}
