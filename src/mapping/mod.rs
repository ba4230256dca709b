//! The mapping language: where each action field takes its value from in a Segment event.
//!
//! A mapping is JSON in which plain values are literals and an object with a single `@`-key is
//! a directive, such as `{"@path": "$.traits"}`. The directives and their semantics are those
//! of Segment's actions-core mapping-kit:
//!
//! | directive | argument |
//! | --- | --- |
//! | `@path` | `"$.a.b[0].c"`, the list of keys `["a", "b.c"]`, or a directive giving the path |
//! | `@if` | `{"exists" or "blank": ..., "then": ..., "else": ...}` ([`If`]) |
//! | `@template` | `"Hello, {{traits.name}}!"` ([`Template`]) |
//! | `@literal` | a value, whose directives are resolved too, as in Segment |
//! | `@arrayPath` | `["$.products", {"sku": {"@path": "$.sku"}}]` ([`ArrayPath`]) |
//! | `@case` | `{"value": ..., "operator": "lower" or "upper"}` ([`Case`]) |
//! | `@replace` | `{"value", "pattern", "replacement", "ignorecase", "global", "pattern2", "replacement2"}` ([`Replace`]) |
//! | `@merge` | `{"objects": [...], "direction": "left" or "right"}` ([`Merge`]) |
//! | `@transform` | `{"apply": {...}, "mapping": {...}}` ([`Transform`]) |
//! | `@flatten` | `{"value": ..., "separator": ".", "omitArrays": false}` ([`Flatten`]) |
//! | `@json` | `{"value": ..., "mode": "encode" or "decode"}` ([`Json`]) |
//! | `@excludeWhenNull` | a mapping whose `null` value (and `null` fields) are dropped |
//!
//! `@liquid` is refused: it needs a Liquid engine, which the browser build does not carry.
//!
//! Mappings are parsed once, when the plugins are created, into [`Expr`] trees: every shape is
//! checked then (a wrong one is a [`MappingError`] naming the field and what is wrong), paths
//! and templates are split, and evaluating against an event only walks the tree. Evaluation
//! never fails: where Segment would throw for an event (a dynamic path that is no string, JSON
//! text that does not parse), the value is undefined. Undefined fields of objects are dropped;
//! undefined items of arrays become `null`, as in JSON.
//!
//! ```
//! use pendo_wasm::mapping::Mapping;
//! use pendo_wasm::data::Data;
//! let mapping: serde_json::Value = serde_json::json!({"event": {"@path": "$.event"}, "source": "web"});
//! let mapping = Mapping::parse(&mapping).unwrap();
//! let event = serde_json::json!({"event": "Signed Up"});
//! assert_eq!(mapping.evaluate("event", &event), Some(serde_json::json!("Signed Up")));
//! assert_eq!(mapping.evaluate("source", &event), Some(serde_json::json!("web")));
//! ```

mod array_path;
mod case;
mod condition;
mod exclude;
mod flatten;
mod json;
mod merge;
mod parse;
mod path;
mod replace;
mod template;
mod text;
mod transform;

pub use array_path::ArrayPath;
pub use case::Case;
pub use condition::{Condition, If};
pub use flatten::Flatten;
pub use json::Json;
pub use merge::Merge;
pub use path::{Path, Segment};
pub use replace::Replace;
pub use template::Template;
pub use transform::Transform;

use crate::data::{Data, Kind};
use crate::quote::quote;
use parse::Parser;
use std::fmt;

/// How deeply a mapping may nest (objects, arrays and directive options, counted together).
pub const MAX_MAPPING_DEPTH: usize = 200;

/// How deep directives that walk event data (`@flatten`, `@excludeWhenNull`, `@json` decoding,
/// the text of arrays in templates) go into it.
pub const MAX_DATA_DEPTH: usize = 64;

/// The key under which Segment puts a directive that applies to the whole mapping.
const ROOT_DIRECTIVE_KEY: &str = "__segment_internal_directive";

/// Why a mapping was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingError {
    /// The action field whose mapping is wrong (empty for the mapping as a whole).
    pub field: String,
    pub message: String,
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "invalid mapping: {}", self.message)
        } else {
            write!(
                f,
                "invalid mapping for field \"{}\": {}",
                self.field, self.message
            )
        }
    }
}

impl std::error::Error for MappingError {}

/// A [`MappingError`] while parsing: boxed, so that the results passed up through every level
/// of a mapping stay small.
type Failure = Box<MappingError>;

/// One parsed mapping expression.
#[derive(Clone, Debug)]
pub enum Expr<D> {
    /// `null`, a boolean, a number or a string.
    Literal(D),
    /// A plain object: a fresh object for each event, without its undefined fields.
    Object(Vec<(String, Expr<D>)>),
    /// A plain array: a fresh array for each event, undefined items as `null`.
    Array(Vec<Expr<D>>),
    /// `@path` with a path (string or list of keys).
    Path(Path),
    /// `@path` with a directive that gives the path for each event.
    DynamicPath(Box<Expr<D>>),
    If(Box<If<D>>),
    Template(Box<Template<D>>),
    ArrayPath(Box<ArrayPath<D>>),
    Case(Box<Case<D>>),
    Replace(Box<Replace<D>>),
    Merge(Box<Merge<D>>),
    Transform(Box<Transform<D>>),
    Flatten(Box<Flatten<D>>),
    Json(Box<Json<D>>),
    ExcludeWhenNull(Box<Expr<D>>),
}

impl<D: Data> Expr<D> {
    /// Parses one mapping value. `field` names the action field, for error messages.
    pub fn parse(value: &D, field: &str) -> Result<Self, MappingError> {
        Parser::new(field).expr(value).map_err(|error| *error)
    }

    /// The value of this expression for `root` (the event, or what a directive made the root);
    /// `None` when it is undefined.
    pub fn evaluate(&self, root: &D) -> Option<D> {
        match self {
            Expr::Literal(value) => Some(value.clone()),
            Expr::Object(fields) => Some(D::new_object(
                fields
                    .iter()
                    .filter_map(|(key, expr)| Some((key.clone(), expr.evaluate(root)?)))
                    .collect(),
            )),
            Expr::Array(items) => Some(D::new_array(
                items
                    .iter()
                    .map(|expr| expr.evaluate(root).unwrap_or_else(D::null))
                    .collect(),
            )),
            Expr::Path(path) => path.lookup(root),
            Expr::DynamicPath(path) => path::lookup_dynamic(path, root),
            Expr::If(directive) => directive.evaluate(root),
            Expr::Template(directive) => directive.evaluate(root),
            Expr::ArrayPath(directive) => directive.evaluate(root),
            Expr::Case(directive) => directive.evaluate(root),
            Expr::Replace(directive) => directive.evaluate(root),
            Expr::Merge(directive) => directive.evaluate(root),
            Expr::Transform(directive) => directive.evaluate(root),
            Expr::Flatten(directive) => directive.evaluate(root),
            Expr::Json(directive) => directive.evaluate(root),
            Expr::ExcludeWhenNull(inner) => exclude::evaluate(inner, root),
        }
    }
}

/// The mapping of one subscription: an expression per action field.
///
/// Segment's root directive, `{"__segment_internal_directive": {"@transform": {"apply":
/// {...}}}, ...fields}`, is understood: each field is then read from what `apply` gives.
#[derive(Clone, Debug)]
pub struct Mapping<D> {
    fields: Vec<(String, Expr<D>)>,
    /// The `apply` of a root `@transform`.
    root: Option<Expr<D>>,
}

impl<D: Data> Mapping<D> {
    /// Parses a whole mapping object, refusing the first field whose expression is invalid.
    pub fn parse(mapping: &D) -> Result<Self, MappingError> {
        let whole = |message: String| MappingError {
            field: String::new(),
            message,
        };
        if mapping.kind() != Kind::Object {
            return Err(whole("a mapping must be an object".to_owned()));
        }
        let mut fields = Vec::new();
        let mut root = None;
        for (field, value) in mapping.entries() {
            if field == ROOT_DIRECTIVE_KEY {
                root = Some(parse_root(&value).map_err(|error| *error)?);
            } else if field.starts_with('@') {
                return Err(whole(format!(
                    "a mapping is an object of fields, and {field} cannot be one"
                )));
            } else {
                let expr = Expr::parse(&value, &field)?;
                fields.push((field, expr));
            }
        }
        Ok(Mapping { fields, root })
    }

    pub fn expr(&self, field: &str) -> Option<&Expr<D>> {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, expr)| expr)
    }

    /// The value of `field` for `event`; `None` when unmapped or undefined.
    pub fn evaluate(&self, field: &str, event: &D) -> Option<D> {
        let expr = self.expr(field)?;
        match &self.root {
            None => expr.evaluate(event),
            Some(apply) => expr.evaluate(&transform::new_root(apply, event)),
        }
    }

    /// The event path `field` reads, when its mapping is a plain `@path` of the event.
    pub fn path_of(&self, field: &str) -> Option<&Path> {
        match (self.expr(field)?, &self.root) {
            (Expr::Path(path), None) => Some(path),
            _ => None,
        }
    }
}

/// The `apply` of the root directive, which must be a `@transform`.
fn parse_root<D: Data>(value: &D) -> Result<Expr<D>, Failure> {
    let mut parser = Parser::new(ROOT_DIRECTIVE_KEY);
    let entries = if value.kind() == Kind::Object {
        value.entries()
    } else {
        Vec::new()
    };
    let [(name, argument)] = entries.as_slice() else {
        return Err(parser.error("the root directive must be an object with a single directive, {\"@transform\": {\"apply\": ...}}"));
    };
    if name != "@transform" {
        return Err(parser.error(format!(
            "only @transform can be the root directive, not {}",
            quote(name)
        )));
    }
    let mut options = parser.options(
        argument,
        r#"{"apply": {"props": {"@path": "$.properties"}}}"#,
    )?;
    let apply = parser.object_or_directive(&mut options, "apply")?;
    // The fields of the mapping stand for the root directive's own "mapping".
    options.take("mapping");
    let apply = parser.nested("apply", &apply)?;
    parser.finish(options)?;
    Ok(apply)
}

#[cfg(test)]
mod tests;
