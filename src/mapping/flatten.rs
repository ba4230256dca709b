//! `@flatten`: `{"value": <mapping>, "separator": ".", "omitArrays": false}`.
//!
//! As in Segment, nested objects (and arrays, unless `omitArrays`) become one object whose keys
//! are the paths to the leaves joined with the separator: `{"a": {"b": 1}, "c": [2]}` is
//! `{"a.b": 1, "c.0": 2}`. Empty nested objects and arrays vanish; a value that is neither an
//! object nor an array becomes `{"": value}`; undefined becomes `{}`. The separator defaults to
//! `.` (Segment requires it). Walks deeper than the limit for event data keep the rest of the
//! value whole under its key, and a walk stops after a bounded number of values.

use super::parse::{Options, Parser};
use super::text::MAX_DATA_STEPS;
use super::{Expr, Failure, MAX_DATA_DEPTH};
use crate::data::{Data, Kind};

/// A parsed `@flatten`.
#[derive(Clone, Debug)]
pub struct Flatten<D> {
    value: Expr<D>,
    separator: String,
    omit_arrays: bool,
}

pub(super) fn parse<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    let (value, separator, omit_arrays, rest) = read(parser, argument)?;
    let [Some(value)] = parser.children([("value", Some(value))], rest)? else {
        return Err(parser.missing());
    };
    Ok(Expr::Flatten(Box::new(Flatten {
        value,
        separator,
        omit_arrays,
    })))
}

#[inline(never)]
fn read<D: Data>(
    parser: &Parser<'_>,
    argument: &D,
) -> Result<(D, String, bool, Options<D>), Failure> {
    let mut options = parser.options(
        argument,
        r#"{"value": {"@path": "$.properties"}, "separator": "_"}"#,
    )?;
    let value = parser.required(&mut options, "value")?;
    let separator = parser
        .string(&mut options, "separator")?
        .unwrap_or_else(|| ".".to_owned());
    if separator.is_empty() {
        return Err(parser.error("option \"separator\" must not be empty"));
    }
    let omit_arrays = parser
        .boolean(&mut options, "omitArrays", true)?
        .unwrap_or(false);
    Ok((value, separator, omit_arrays, options))
}

impl<D: Data> Flatten<D> {
    pub(super) fn evaluate(&self, root: &D) -> Option<D> {
        let Some(value) = self.value.evaluate(root) else {
            return Some(D::new_object(Vec::new()));
        };
        let kind = value.kind();
        let mut walk = Walk {
            flatten: self,
            out: Vec::new(),
            steps: MAX_DATA_STEPS,
            key: String::new(),
        };
        if self.descends(kind) {
            walk.container(&value, kind, 0);
        } else {
            walk.out.push((String::new(), value));
        }
        Some(D::new_object(walk.out))
    }

    fn descends(&self, kind: Kind) -> bool {
        kind == Kind::Object || (kind == Kind::Array && !self.omit_arrays)
    }
}

struct Walk<'f, D> {
    flatten: &'f Flatten<D>,
    out: Vec<(String, D)>,
    steps: usize,
    /// The key of the value being visited, grown and cut back in place.
    key: String,
}

impl<D: Data> Walk<'_, D> {
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
        for (name, child) in children {
            if self.steps == 0 {
                return;
            }
            self.steps -= 1;
            let mark = self.key.len();
            if !self.key.is_empty() {
                self.key.push_str(&self.flatten.separator);
            }
            self.key.push_str(&name);
            let child_kind = child.kind();
            if self.flatten.descends(child_kind) && depth + 1 < MAX_DATA_DEPTH {
                self.container(&child, child_kind, depth + 1);
            } else {
                self.out.push((self.key.clone(), child));
            }
            self.key.truncate(mark);
        }
    }
}
