//! `@merge`: `{"objects": [<object or directive>, ...], "direction": "left" | "right"}`.
//!
//! The objects are merged into a fresh one, key by key, as `Object.assign` does: with `right` a
//! later object's value wins, with `left` an earlier one's. A key keeps the place where it first
//! appeared. As in Segment, a field of a literal object that is undefined erases the key merged
//! so far. Values that are not objects (undefined, `null`, strings, arrays) add nothing.

use super::parse::{describe, Options, Parser};
use super::{Expr, MappingError};
use crate::data::{Data, Kind};
use std::collections::HashMap;

/// A parsed `@merge`.
#[derive(Clone, Debug)]
pub struct Merge<D> {
    objects: Vec<Expr<D>>,
    left: bool,
}

pub(super) fn parse<D: Data>(
    parser: &mut Parser<'_>,
    argument: &D,
) -> Result<Expr<D>, MappingError> {
    let (left, list, rest) = read(parser, argument)?;
    let mut objects = Vec::with_capacity(list.len());
    for (index, object) in list.iter().enumerate() {
        objects.push(parser.nested(step(index), object)?);
    }
    parser.finish(rest)?;
    Ok(Expr::Merge(Box::new(Merge { objects, left })))
}

#[inline(never)]
fn step(index: usize) -> String {
    format!("objects/{index}")
}

#[allow(clippy::type_complexity)]
#[inline(never)]
fn read<D: Data>(
    parser: &Parser<'_>,
    argument: &D,
) -> Result<(bool, Vec<D>, Options<D>), MappingError> {
    let mut options = parser.options(
        argument,
        r#"{"objects": [{"@path": "$.traits"}, {"plan": "pro"}], "direction": "right"}"#,
    )?;
    let left = parser.one_of(&mut options, "direction", &["left", "right"])? == "left";
    let list = parser.required(&mut options, "objects")?;
    if list.kind() != Kind::Array {
        return Err(parser.error(format!(
            "option \"objects\" must be an array, not {}",
            describe(&list)
        )));
    }
    let list = list.items();
    if let Some((index, object)) = list
        .iter()
        .enumerate()
        .find(|(_, object)| object.kind() != Kind::Object)
    {
        return Err(parser.error(format!(
            "the items of \"objects\" must be objects or directives, but item {index} is {}",
            describe(object)
        )));
    }
    Ok((left, list, options))
}

impl<D: Data> Merge<D> {
    pub(super) fn evaluate(&self, root: &D) -> Option<D> {
        let mut merged = Merged::default();
        let mut merge = |object: &Expr<D>| match object {
            Expr::Object(fields) => {
                for (key, expr) in fields {
                    merged.set(key, expr.evaluate(root));
                }
            }
            other => {
                if let Some(value) = other
                    .evaluate(root)
                    .filter(|value| value.kind() == Kind::Object)
                {
                    for (key, value) in value.entries() {
                        merged.set(&key, Some(value));
                    }
                }
            }
        };
        if self.left {
            self.objects.iter().rev().for_each(&mut merge);
        } else {
            self.objects.iter().for_each(&mut merge);
        }
        Some(D::new_object(
            merged
                .entries
                .into_iter()
                .filter_map(|(key, value)| Some((key, value?)))
                .collect(),
        ))
    }
}

/// Keys in the order they first appeared, each with its latest value (`None`: undefined).
struct Merged<D> {
    entries: Vec<(String, Option<D>)>,
    places: HashMap<String, usize>,
}

impl<D> Default for Merged<D> {
    fn default() -> Self {
        Merged {
            entries: Vec::new(),
            places: HashMap::new(),
        }
    }
}

impl<D> Merged<D> {
    fn set(&mut self, key: &str, value: Option<D>) {
        match self
            .places
            .get(key)
            .and_then(|&place| self.entries.get_mut(place))
        {
            Some(entry) => entry.1 = value,
            None => {
                self.places.insert(key.to_owned(), self.entries.len());
                self.entries.push((key.to_owned(), value));
            }
        }
    }
}
