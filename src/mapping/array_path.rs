//! `@arrayPath`: `[<path or directive>, <item shape>?]`, such as
//! `["$.properties.products", {"sku": {"@path": "$.sku"}}]`.
//!
//! As in Segment: the value at the path is returned as it is, unless it is an array or an object
//! and the shape is a non-empty object (plain or a directive); then each item (an object counts
//! as a list of one) is mapped through the shape, whose paths and templates read the item.
//! Items beyond the second are ignored.

use super::parse::{describe, is_directive, Options, Parser};
use super::path::Path;
use super::{Expr, Failure};
use crate::data::{Data, Kind};
use crate::quote::quote;

/// A parsed `@arrayPath`.
#[derive(Clone, Debug)]
pub struct ArrayPath<D> {
    source: Expr<D>,
    shape: Option<Expr<D>>,
}

pub(super) fn parse<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    let (path, source, shape) = read(parser, argument)?;
    let [source, shape] = parser.children([("0", source), ("1", shape)], Options::none())?;
    let source = match (path, source) {
        (Some(path), _) => Expr::Path(path),
        (None, Some(source)) => source,
        (None, None) => return Err(parser.missing()),
    };
    Ok(Expr::ArrayPath(Box::new(ArrayPath { source, shape })))
}

/// The path, or the directive giving the array, and the item shape if it is used.
#[allow(clippy::type_complexity)]
#[inline(never)]
fn read<D: Data>(
    parser: &Parser<'_>,
    argument: &D,
) -> Result<(Option<Path>, Option<D>, Option<D>), Failure> {
    if argument.kind() != Kind::Array {
        return Err(parser.error(format!(
            "takes an array such as [\"$.products\", {{\"sku\": {{\"@path\": \"$.sku\"}}}}], not {}",
            describe(argument)
        )));
    }
    let mut items = argument.items().into_iter();
    let (path, source) = match items.next() {
        Some(path) if path.kind() == Kind::String => {
            let text = path.as_string().unwrap_or_default();
            match Path::parse_loose(&text) {
                Some(path) => (Some(path), None),
                None => {
                    return Err(parser.error(format!("{} names no key of the event", quote(&text))))
                }
            }
        }
        Some(directive) if is_directive(&directive) => (None, Some(directive)),
        Some(other) => {
            return Err(parser.error(format!(
                "its first item must be a path such as \"$.products\" or a directive, not {}",
                describe(&other)
            )))
        }
        None => {
            return Err(parser.error("needs a path as its first item, such as [\"$.products\"]"))
        }
    };
    let shape = match items.next() {
        Some(shape) if shape.kind() == Kind::Object && !shape.entries().is_empty() => Some(shape),
        Some(shape) if shape.kind() == Kind::Other => {
            return Err(parser.error("values must be JSON"))
        }
        _ => None,
    };
    Ok((path, source, shape))
}

impl<D: Data> ArrayPath<D> {
    pub(super) fn evaluate(&self, root: &D) -> Option<D> {
        let value = self.source.evaluate(root)?;
        let Some(shape) = &self.shape else {
            return Some(value);
        };
        let mapped = match value.kind() {
            Kind::Array => value
                .items()
                .iter()
                .map(|item| shape.evaluate(item).unwrap_or_else(D::null))
                .collect(),
            Kind::Object => vec![shape.evaluate(&value).unwrap_or_else(D::null)],
            _ => return Some(value),
        };
        Some(D::new_array(mapped))
    }
}
