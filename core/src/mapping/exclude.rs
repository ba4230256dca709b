//! `@excludeWhenNull`: `<mapping>`, undefined when its value is `null`.
//!
//! As in Segment, an object value also loses its `null` fields, in nested objects too (not
//! inside arrays): `{"a": null, "b": {"c": null}}` becomes `{"b": {}}`. An object without any
//! `null` field is returned as it is, without a copy.

use crate::prelude::*;

use super::js_value_rules::MAX_DATA_STEPS;
use super::{Expr, Value, MAX_DATA_DEPTH};
use crate::data::{Data, Kind};

pub(super) fn evaluate<D: Data>(inner: &Expr<D>, root: &D) -> Value<D> {
    let Some(value) = inner.evaluate(root)? else {
        return Ok(None);
    };
    Ok(match value.kind() {
        Kind::Null => None,
        Kind::Object => {
            let mut steps = MAX_DATA_STEPS;
            Some(without_nulls(&value, 0, &mut steps).unwrap_or(value))
        }
        _ => Some(value),
    })
}

/// A copy of `object` without its `null` fields, or `None` when it has none to remove.
fn without_nulls<D: Data>(object: &D, depth: usize, steps: &mut usize) -> Option<D> {
    if depth >= MAX_DATA_DEPTH {
        return None;
    }
    let entries = object.entries();
    let mut changed = false;
    let mut kept = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        if *steps == 0 {
            return None;
        }
        *steps -= 1;
        match value.kind() {
            Kind::Null => changed = true,
            Kind::Object => match without_nulls(&value, depth + 1, steps) {
                Some(cleaned) => {
                    changed = true;
                    kept.push((key, cleaned));
                }
                None => kept.push((key, value)),
            },
            _ => kept.push((key, value)),
        }
    }
    changed.then(|| D::new_object(kept))
}
