//! `@merge`: `{"objects": [<object or directive>, ...], "direction": "left" | "right"}`.
//!
//! The objects are merged into a fresh one, key by key, as `Object.assign` does: with `right` a
//! later object's value wins, with `left` an earlier one's. A key keeps the place where it first
//! appeared. As in Segment, a field of a literal object that is undefined erases the key merged
//! so far. Values that are not objects (undefined, `null`, strings, arrays) add nothing.

use super::parse::{describe, Options, Parser};
use super::{Expr, Failure};
use crate::data::{Data, Kind};

/// A parsed `@merge`.
#[derive(Clone, Debug)]
pub struct Merge<D> {
    objects: Vec<Expr<D>>,
    left: bool,
}

pub(super) fn parse<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
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
fn read<D: Data>(parser: &Parser<'_>, argument: &D) -> Result<(bool, Vec<D>, Options<D>), Failure> {
    let mut options = parser.options(
        argument,
        r#"{"objects": [{"@path": "$.traits"}, {"plan": "pro"}], "direction": "right"}"#,
    )?;
    let left = parser.one_of(&mut options, "direction", ["left", "right"])? == "left";
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
/// The keys merged so far, each with its latest value (`None` when erased), in the order they
/// first appeared.
///
/// Keys are found through a small open-addressing table of FNV-1a hashes: std's `HashMap` would
/// bring SipHash and hashbrown into the `.wasm`, several KB for this one use, and a plain scan
/// of `entries` is quadratic in the number of keys.
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
