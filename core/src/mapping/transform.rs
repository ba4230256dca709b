//! `@transform`: `{"apply": <object or directive>, "mapping": <mapping>}`, run as Segment runs
//! it, and Segment's root directive of a whole mapping.
//!
//! `apply` is run as a whole mapping of its own (checked by [`validate`], which Segment does
//! when it runs it) against the current root, which Segment requires to be an object; `mapping`
//! is then evaluated against the result instead of the event. Without a truthy `apply` or
//! `mapping`, or with an `apply` that is no object, Segment throws.

use crate::prelude::*;

use super::js_value_rules::is_truthy;
use super::parse::{option, throw, Compiler, Failure};
use super::validate::validate;
use super::{Expr, Thrown, Value, ROOT_DIRECTIVE_KEY};
use crate::data::{Data, Kind};

/// A compiled `@transform` (or a whole mapping's root directive).
#[derive(Clone, Debug)]
pub struct Transform<D> {
    apply: Expr<D>,
    mapping: Expr<D>,
}

pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    if argument.kind() != Kind::Object {
        return Ok(throw(
            "@transform requires an object with an \"apply\" key and a \"mapping\" key",
        ));
    }
    let Some(mapping) = option(argument, "mapping").filter(is_truthy) else {
        return Ok(throw("@transform requires a \"mapping\" key"));
    };
    let Some(apply) = option(argument, "apply").filter(is_truthy) else {
        return Ok(throw("@transform requires a \"apply\" key"));
    };
    if apply.kind() != Kind::Object {
        return Ok(throw("@transform \"apply\" key should be an object"));
    }
    let processed = match with_root_directive(&apply) {
        Ok(processed) => processed,
        Err(why) => return Ok(throw(why)),
    };
    let apply = processed.unwrap_or(apply);
    if let Err(error) = validate(&apply) {
        return Ok(throw(error.to_string()));
    }
    let apply = compiler.expr(&apply)?;
    let mapping = compiler.expr(&mapping)?;
    Ok(Expr::Transform(Box::new(Transform { apply, mapping })))
}

impl<D: Data> Transform<D> {
    pub(super) fn evaluate(&self, root: &D) -> Value<D> {
        if root.kind() != Kind::Object {
            return Err(Thrown::new("@transform: data must be an object"));
        }
        let new_root = self
            .apply
            .evaluate(root)?
            .unwrap_or_else(|| D::new_object(Vec::new()));
        self.mapping.evaluate(&new_root)
    }
}

/// A mapping with Segment's root directive (`{"__segment_internal_directive": {"@transform":
/// {"apply": ...}}, ...fields}`) as Segment runs it: the directive alone, the other fields as
/// its `mapping`. `Ok(None)` when there is no root directive.
pub(super) fn with_root_directive<D: Data>(mapping: &D) -> Result<Option<D>, String> {
    let Some(root) = mapping.get_key(ROOT_DIRECTIVE_KEY) else {
        return Ok(None);
    };
    let fields: Vec<(String, D)> = mapping
        .entries()
        .into_iter()
        .filter(|(key, _)| key != ROOT_DIRECTIVE_KEY)
        .collect();
    let entries = if root.kind() == Kind::Object {
        root.entries()
    } else {
        Vec::new()
    };
    let [(name, directive)] = entries.as_slice() else {
        return Err("the root mapping must only have a single directive object".to_owned());
    };
    if directive.kind() != Kind::Object {
        return Err("the root directive must be an object".to_owned());
    }
    let mut options: Vec<(String, D)> = directive
        .entries()
        .into_iter()
        .filter(|(key, _)| key != "mapping")
        .collect();
    options.push(("mapping".to_owned(), D::new_object(fields)));
    Ok(Some(D::new_object(vec![(
        name.clone(),
        D::new_object(options),
    )])))
}
