//! `@merge`: `{"objects": [<mapping>, ...], "direction": "left" | "right"}`, run as Segment runs
//! it.
//!
//! The objects are merged into a fresh one, key by key, as `Object.assign` does: a later
//! object's value wins, or an earlier one's when `direction` is exactly `"left"` (Segment
//! compares the word exactly when it runs, so `"LEFT"` merges as `"right"`; `direction` may be
//! a directive too). A key keeps the place where it first appeared. As in Segment, a field of a
//! literal object that is undefined erases the key merged so far; without a truthy
//! `direction`, or without an array of `objects`, Segment throws. Values that are not objects
//! (undefined, `null`, numbers, and here strings and arrays too, whose characters or items
//! Segment would copy in as keys `"0"`, `"1"`, ...) add nothing.

use crate::prelude::*;

use super::js_value_rules::is_truthy;
use super::parse::{option, throw, Compiler, Failure};
use super::{Expr, Value};
use crate::data::{Data, Kind};

/// A compiled `@merge`.
#[derive(Clone, Debug)]
pub struct Merge<D> {
    objects: Vec<Expr<D>>,
    direction: Expr<D>,
}

pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    if argument.kind() != Kind::Object {
        return Ok(throw(
            "@merge requires an object with an \"objects\" key and a \"direction\" key",
        ));
    }
    let Some(direction) = option(argument, "direction").filter(is_truthy) else {
        return Ok(throw("@merge requires a \"direction\" key"));
    };
    let direction = compiler.expr(&direction)?;
    let Some(list) = option(argument, "objects").filter(is_truthy) else {
        return Ok(throw("@merge requires a \"objects\" key"));
    };
    if list.kind() != Kind::Array {
        return Ok(throw("@merge: expected opts.array"));
    }
    let mut objects = Vec::new();
    for object in list.items() {
        objects.push(compiler.expr(&object)?);
    }
    Ok(Expr::Merge(Box::new(Merge { objects, direction })))
}

impl<D: Data> Merge<D> {
    pub(super) fn evaluate(&self, root: &D) -> Value<D> {
        let direction = self.direction.evaluate(root)?;
        let left = direction
            .is_some_and(|d| d.kind() == Kind::String && d.as_string().as_deref() == Some("left"));
        let mut values = Vec::with_capacity(self.objects.len());
        for object in &self.objects {
            values.push(match object {
                Expr::Object(fields) => {
                    let mut entries = Vec::with_capacity(fields.len());
                    for (key, expr) in fields {
                        entries.push((key.as_str(), expr.evaluate(root)?));
                    }
                    Source::Fields(entries)
                }
                other => Source::Value(other.evaluate(root)?),
            });
        }
        if left {
            values.reverse();
        }
        let mut merged = Merged::default();
        for value in values {
            match value {
                Source::Fields(entries) => {
                    for (key, value) in entries {
                        merged.set(key, value);
                    }
                }
                Source::Value(Some(value)) if value.kind() == Kind::Object => {
                    for (key, value) in value.entries() {
                        merged.set(&key, Some(value));
                    }
                }
                Source::Value(_) => {}
            }
        }
        Ok(Some(D::new_object(
            merged
                .entries
                .into_iter()
                .filter_map(|(key, value)| Some((key, value?)))
                .collect(),
        )))
    }
}

/// One object to merge: the fields of a literal object (undefined ones included), or a value.
enum Source<'m, D> {
    Fields(Vec<(&'m str, Option<D>)>),
    Value(Option<D>),
}

struct Merged<D> {
    entries: Vec<(String, Option<D>)>,
    /// `0` for a free slot, else the index in `entries` plus one. Its length is zero or a power
    /// of two, and kept at least twice the number of entries so that probing ends.
    slots: Vec<usize>,
}

impl<D> Default for Merged<D> {
    fn default() -> Self {
        Merged {
            entries: Vec::new(),
            slots: Vec::new(),
        }
    }
}

impl<D> Merged<D> {
    fn set(&mut self, key: &str, value: Option<D>) {
        if self.slots.len() < 2 * (self.entries.len() + 1) {
            self.grow();
        }
        let slot = self.find(key);
        match self.slots[slot].checked_sub(1) {
            Some(index) => self.entries[index].1 = value,
            None => {
                self.entries.push((key.to_owned(), value));
                self.slots[slot] = self.entries.len();
            }
        }
    }

    /// The slot holding `key`, or the free slot where it belongs.
    fn find(&self, key: &str) -> usize {
        let mask = self.slots.len() - 1;
        let mut slot = fnv1a(key) & mask;
        loop {
            match self.slots[slot].checked_sub(1) {
                Some(index) if self.entries[index].0 != key => slot = (slot + 1) & mask,
                _ => return slot,
            }
        }
    }

    /// Doubles the table (16 slots at first) and puts every key back in.
    fn grow(&mut self) {
        self.slots = vec![0; (self.slots.len() * 2).max(16)];
        for index in 0..self.entries.len() {
            let slot = self.find(&self.entries[index].0);
            self.slots[slot] = index + 1;
        }
    }
}

fn fnv1a(key: &str) -> usize {
    key.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    }) as usize
}

#[cfg(test)]
mod tests {
    use super::Merged;

    #[test]
    fn keys_keep_their_first_place_and_last_value() {
        let mut merged = Merged::default();
        for round in 0..3 {
            for key in 0..100 {
                merged.set(&format!("k{key}"), Some(round * 1000 + key));
            }
        }
        merged.set("k5", None);
        merged.set("new", Some(-1));
        assert_eq!(merged.entries.len(), 101);
        assert_eq!(merged.entries[0], ("k0".to_owned(), Some(2000)));
        assert_eq!(merged.entries[5], ("k5".to_owned(), None));
        assert_eq!(merged.entries[99], ("k99".to_owned(), Some(2099)));
        assert_eq!(merged.entries[100], ("new".to_owned(), Some(-1)));
    }
}
