//! `@flatten`: `{"value": <mapping>, "separator": ".", "omitArrays": false}`, run as Segment
//! runs it.
//!
//! Nested objects (and arrays, unless `omitArrays` is truthy) become one object whose keys are
//! the paths to the leaves joined with the separator: `{"a": {"b": 1}, "c": [2]}` is
//! `{"a.b": 1, "c.0": 2}`. Empty nested objects and arrays vanish; a value that is neither an
//! object nor an array becomes `{"": value}`; undefined becomes `{}`. As in Segment, without a
//! truthy `separator` it throws, and so does a separator (which may be a directive) whose value
//! is no string. Walks deeper than the limit for event data keep the rest of the value whole
//! under its key, and a walk stops after a bounded number of values.

use crate::prelude::*;

use super::js_value_rules::{is_truthy, MAX_DATA_STEPS};
use super::parse::{option, throw, Compiler, Failure};
use super::{Expr, Thrown, Value, MAX_DATA_DEPTH};
use crate::data::{Data, Kind};

/// A compiled `@flatten`.
#[derive(Clone, Debug)]
pub struct Flatten<D> {
    value: Option<Expr<D>>,
    separator: Expr<D>,
    omit_arrays: bool,
}

pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    if argument.kind() != Kind::Object {
        return Ok(throw(
            "@flatten requires an object with a \"separator\" key",
        ));
    }
    let Some(separator) = option(argument, "separator").filter(is_truthy) else {
        return Ok(throw("@flatten requires a \"separator\" key"));
    };
    let separator = compiler.expr(&separator)?;
    let value = compiler.option(option(argument, "value").as_ref())?;
    let omit_arrays = option(argument, "omitArrays").is_some_and(|v| is_truthy(&v));
    Ok(Expr::Flatten(Box::new(Flatten {
        value,
        separator,
        omit_arrays,
    })))
}

impl<D: Data> Flatten<D> {
    pub(super) fn evaluate(&self, root: &D) -> Value<D> {
        let separator = self.separator.evaluate(root)?;
        let Some(separator) = separator
            .filter(|s| s.kind() == Kind::String)
            .and_then(|s| s.as_string())
        else {
            return Err(Thrown::new("@flatten requires a string separator"));
        };
        let mut walk = Walk {
            omit_arrays: self.omit_arrays,
            separator,
            out: Vec::new(),
            steps: MAX_DATA_STEPS,
            key: String::new(),
        };
        match &self.value {
            // A literal array keeps its undefined items undefined, as in Segment, so that they
            // vanish instead of becoming `null` leaves.
            Some(Expr::Array(items)) if !self.omit_arrays => {
                let mut children = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    if let Some(value) = item.evaluate(root)? {
                        children.push((index.to_string(), value));
                    }
                }
                walk.children(children, 0);
            }
            Some(value) => match value.evaluate(root)? {
                Some(value) if walk.descends(value.kind()) => {
                    walk.container(&value, value.kind(), 0)
                }
                Some(value) => walk.out.push((String::new(), value)),
                None => {}
            },
            None => {}
        }
        Ok(Some(D::new_object(walk.out)))
    }
}

struct Walk<D> {
    omit_arrays: bool,
    separator: String,
    out: Vec<(String, D)>,
    steps: usize,
    /// The key of the value being visited, grown and cut back in place.
    key: String,
}

impl<D: Data> Walk<D> {
    fn descends(&self, kind: Kind) -> bool {
        kind == Kind::Object || (kind == Kind::Array && !self.omit_arrays)
    }

    fn container(&mut self, value: &D, kind: Kind, depth: usize) {
        let children: Vec<(String, D)> = if kind == Kind::Array {
            value
                .items()
                .into_iter()
                .enumerate()
                .map(|(index, item)| (index.to_string(), item))
                .collect()
        } else {
            value.entries()
        };
        self.children(children, depth);
    }

    fn children(&mut self, children: Vec<(String, D)>, depth: usize) {
        for (name, child) in children {
            if self.steps == 0 {
                return;
            }
            self.steps -= 1;
            let mark = self.key.len();
            if !self.key.is_empty() {
                self.key.push_str(&self.separator);
            }
            self.key.push_str(&name);
            let child_kind = child.kind();
            if self.descends(child_kind) && depth + 1 < MAX_DATA_DEPTH {
                self.container(&child, child_kind, depth + 1);
            } else {
                self.out.push((self.key.clone(), child));
            }
            self.key.truncate(mark);
        }
    }
}
