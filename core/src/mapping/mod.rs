//! The mapping language: where each action field takes its value from in a Segment event.
//!
//! A mapping is JSON in which plain values are literals and an object whose keys are an
//! `@`-key (plus, optionally, `_metadata`) is a directive, such as `{"@path": "$.traits"}`.
//! The directives and their semantics are those of Segment's actions-core mapping-kit:
//!
//! | directive | argument |
//! | --- | --- |
//! | `@path` | `"$.a.b[0].c"`, or a directive giving the path |
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
//! A mapping is read in two passes, once, when the plugins are created. [`validate`] decides,
//! as Segment's mapping-kit `validate` does, whether the mapping is accepted at all (Segment's
//! `transform` runs that check before every event, so a mapping it refuses never produces a
//! payload). Then every value is compiled into an [`Expr`] tree that evaluates as Segment's
//! `resolve` does, for every shape, including the shapes `validate` does not look at (inside
//! arrays, inside `@literal`): there an unknown directive, or a directive whose options Segment
//! cannot run, becomes an [`Expr::Throw`]. Evaluating can fail where Segment's `transform`
//! throws for an event (a `@path` or `@template` whose value is no string, ...): the whole
//! payload of that subscription is then refused for that event, with the reason.
//!
//! ```
//! use pendo_core::mapping::Mapping;
//! let mapping: serde_json::Value = serde_json::json!({"event": {"@path": "$.event"}, "source": "web"});
//! let mapping = Mapping::parse(&mapping).unwrap();
//! let payload = mapping.payload(&serde_json::json!({"event": "Signed Up"})).unwrap();
//! assert_eq!(payload.get("event"), Some(serde_json::json!("Signed Up")));
//! assert_eq!(payload.get("source"), Some(serde_json::json!("web")));
//! ```

use crate::prelude::*;

#[cfg(feature = "all-directives")]
mod array_path;
#[cfg(feature = "all-directives")]
mod case;
mod condition;
#[cfg(feature = "all-directives")]
mod exclude;
#[cfg(feature = "all-directives")]
mod flatten;
mod js_value_rules;
pub(crate) use js_value_rules::is_truthy;
#[cfg(feature = "all-directives")]
mod json;
#[cfg(feature = "all-directives")]
mod merge;
mod parse;
mod path;
#[cfg(feature = "all-directives")]
mod replace;
mod template;
#[cfg(feature = "all-directives")]
mod transform;
// The default build compiles with `validate`'s checks instead (`parse::VALIDATES`); its
// tests keep `validate`, to check that what compiles there, `validate` accepts.
#[cfg(any(feature = "all-directives", test))]
pub mod validate;

#[cfg(feature = "all-directives")]
pub use array_path::ArrayPath;
#[cfg(feature = "all-directives")]
pub use case::Case;
pub use condition::If;
#[cfg(feature = "all-directives")]
pub use flatten::Flatten;
#[cfg(feature = "all-directives")]
pub use json::Json;
#[cfg(feature = "all-directives")]
pub use merge::Merge;
pub use parse::FULL_BUILD_DIRECTIVES;
pub use path::Path;
#[cfg(feature = "all-directives")]
pub use replace::Replace;
pub use template::Template;
#[cfg(feature = "all-directives")]
pub use transform::Transform;

use crate::data::{Data, Kind};
use core::fmt;

/// How deeply a mapping may nest (objects, arrays and directive options, counted together).
pub const MAX_MAPPING_DEPTH: usize = 200;

/// How deep directives that walk event data (`@flatten`, `@excludeWhenNull`, `@json` decoding,
/// the text of arrays in templates) go into it.
pub const MAX_DATA_DEPTH: usize = 64;

/// The key under which Segment puts a directive that applies to the whole mapping.
pub(crate) const ROOT_DIRECTIVE_KEY: &str = "__segment_internal_directive";

/// Why a mapping was refused (the field and the words only with the feature `messages`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingError {
    /// The action field whose mapping is wrong (empty for the mapping as a whole).
    pub field: String,
    /// What is wrong with it.
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

impl core::error::Error for MappingError {}

/// Why evaluating a mapping failed for one event, where Segment's `transform` throws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thrown(pub String);

impl Thrown {
    #[cold]
    #[inline(never)]
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Thrown(message.into())
    }
}

impl fmt::Display for Thrown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The value of an expression: `Ok(None)` when undefined.
pub type Value<D> = Result<Option<D>, Thrown>;

/// One compiled mapping expression.
#[derive(Clone, Debug)]
pub enum Expr<D> {
    /// `null`, a boolean, a number or a string.
    Literal(D),
    /// A plain object: a fresh object for each event, without its undefined fields.
    Object(Vec<(String, Expr<D>)>),
    /// A plain array: a fresh array for each event, undefined items as `null`.
    Array(Vec<Expr<D>>),
    /// `@path` with a fixed path.
    Path(Path),
    /// `@path` with a directive that gives the path for each event (the full build's).
    #[cfg(feature = "all-directives")]
    DynamicPath(Box<Expr<D>>),
    /// `@if`: a condition, then one of two mappings.
    If(Box<If<D>>),
    /// `@template`: text with `{{path}}` placeholders.
    Template(Box<Template<D>>),
    /// `@arrayPath`: a source, each item mapped through a shape.
    #[cfg(feature = "all-directives")]
    ArrayPath(Box<ArrayPath<D>>),
    /// `@case`: a string upper- or lower-cased.
    #[cfg(feature = "all-directives")]
    Case(Box<Case<D>>),
    /// `@replace`: plain-text patterns replaced in a string.
    #[cfg(feature = "all-directives")]
    Replace(Box<Replace<D>>),
    /// `@merge`: objects merged into a fresh one.
    #[cfg(feature = "all-directives")]
    Merge(Box<Merge<D>>),
    /// `@transform`: a mapping evaluated against the result of another.
    #[cfg(feature = "all-directives")]
    Transform(Box<Transform<D>>),
    /// `@flatten`: nested objects as one object of joined paths.
    #[cfg(feature = "all-directives")]
    Flatten(Box<Flatten<D>>),
    /// `@json`: a value encoded as JSON text, or JSON text decoded.
    #[cfg(feature = "all-directives")]
    Json(Box<Json<D>>),
    /// `@excludeWhenNull`: a mapping without its `null` value and `null` fields.
    #[cfg(feature = "all-directives")]
    ExcludeWhenNull(Box<Expr<D>>),
    /// A directive Segment cannot run: evaluating it throws, as Segment's `resolve` does.
    Throw(String),
}

impl<D: Data> Expr<D> {
    /// Compiles one mapping value, without [`validate`]'s checks. `field` names the action
    /// field, for error messages.
    pub fn parse(value: &D, field: &str) -> Result<Self, MappingError> {
        parse::Compiler::new(field)
            .expr(value)
            .map_err(|error| *error)
    }

    /// The value of this expression for `root` (the event, or what a directive made the root).
    pub fn evaluate(&self, root: &D) -> Value<D> {
        match self {
            Expr::Literal(value) => Ok(Some(value.clone())),
            Expr::Object(fields) => {
                let mut entries = Vec::with_capacity(fields.len());
                for (key, expr) in fields {
                    if let Some(value) = expr.evaluate(root)? {
                        entries.push((key.clone(), value));
                    }
                }
                Ok(Some(D::new_object(entries)))
            }
            Expr::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for expr in items {
                    values.push(expr.evaluate(root)?.unwrap_or_else(D::null));
                }
                Ok(Some(D::new_array(values)))
            }
            Expr::Path(path) => Ok(path.lookup(root)),
            #[cfg(feature = "all-directives")]
            Expr::DynamicPath(path) => path::lookup_dynamic(path, root),
            Expr::If(directive) => directive.evaluate(root),
            Expr::Template(directive) => directive.evaluate(root),
            #[cfg(feature = "all-directives")]
            Expr::ArrayPath(directive) => directive.evaluate(root),
            #[cfg(feature = "all-directives")]
            Expr::Case(directive) => directive.evaluate(root),
            #[cfg(feature = "all-directives")]
            Expr::Replace(directive) => directive.evaluate(root),
            #[cfg(feature = "all-directives")]
            Expr::Merge(directive) => directive.evaluate(root),
            #[cfg(feature = "all-directives")]
            Expr::Transform(directive) => directive.evaluate(root),
            #[cfg(feature = "all-directives")]
            Expr::Flatten(directive) => directive.evaluate(root),
            #[cfg(feature = "all-directives")]
            Expr::Json(directive) => directive.evaluate(root),
            #[cfg(feature = "all-directives")]
            Expr::ExcludeWhenNull(inner) => exclude::evaluate(inner, root),
            Expr::Throw(message) => Err(Thrown::new(message.clone())),
        }
    }
}

/// The mapping of one subscription.
///
/// Usually an object with an expression per action field. As in Segment, it may also be a
/// single directive whose value is the whole payload (`{"@path": "$.properties"}`), or carry
/// Segment's root directive, `{"__segment_internal_directive": {"@transform": {"apply":
/// {...}}}, ...fields}`, whose value is then the payload.
#[derive(Clone, Debug)]
pub struct Mapping<D> {
    shape: Shape<D>,
    /// The `@path` text of each field whose mapping is a `@path` directive, as Segment's Send
    /// Group reads it from the mapping.
    paths: Vec<(String, D)>,
}

#[derive(Clone, Debug)]
enum Shape<D> {
    Fields(Vec<(String, Expr<D>)>),
    Whole(Expr<D>),
}

/// What a mapping gives for one event: the action's input.
#[derive(Clone, Debug)]
pub enum Payload<'m, D> {
    /// The value of each field of a mapping of fields (`None` when undefined), in its order.
    Fields(&'m [(String, Expr<D>)], Vec<Option<D>>),
    /// The value of a mapping that is a single directive (or has a root directive).
    Whole(D),
}

impl<D: Data> Payload<'_, D> {
    /// The value of `field`; `None` when undefined.
    pub fn get(&self, field: &str) -> Option<D> {
        match self {
            Payload::Fields(fields, values) => fields
                .iter()
                .position(|(name, _)| name == field)
                .and_then(|at| values.get(at).cloned().flatten()),
            Payload::Whole(value) => value.get_key(field),
        }
    }

    /// The defined fields, in order (for a whole value, its entries).
    pub fn entries(&self) -> Vec<(String, D)> {
        match self {
            Payload::Fields(fields, values) => fields
                .iter()
                .zip(values)
                .filter_map(|((name, _), value)| Some((name.clone(), value.clone()?)))
                .collect(),
            Payload::Whole(value) => value.entries(),
        }
    }
}

impl<D: Data> Mapping<D> {
    /// Reads a whole mapping: refused when Segment's `validate` refuses it, or when it uses
    /// what the browser build cannot run (`@liquid`, nesting beyond [`MAX_MAPPING_DEPTH`]).
    ///
    /// ```
    /// use pendo_core::mapping::Mapping;
    /// use serde_json::{json, Value};
    /// assert!(Mapping::parse(&json!({"event": {"@path": "$.event"}})).is_ok());
    /// let error = Mapping::<Value>::parse(&json!({"event": {"@path": 5}})).unwrap_err();
    /// # #[cfg(feature = "messages")]
    /// assert_eq!(error.field, "event");
    /// ```
    pub fn parse(mapping: &D) -> Result<Self, MappingError> {
        let whole = |message: String| MappingError {
            field: String::new(),
            message,
        };
        if mapping.kind() != Kind::Object {
            return Err(whole("a mapping must be an object".to_owned()));
        }
        // The entries are read once (each read crosses into the page, in the browser).
        #[cfg_attr(not(feature = "all-directives"), allow(unused_mut))]
        let mut entries = mapping.entries();
        let mut paths = Vec::new();
        for (field, value) in &entries {
            if let Some(path) = value.get_key("@path") {
                paths.push((field.clone(), path));
            }
        }
        // The default build leaves the root directive (a `@transform`) to the full build.
        #[cfg(not(feature = "all-directives"))]
        if entries.iter().any(|(key, _)| key == ROOT_DIRECTIVE_KEY) {
            return Err(whole(message!(
                "{ROOT_DIRECTIVE_KEY} is run by the full build"
            )));
        }
        #[cfg(feature = "all-directives")]
        let processed = transform::with_root_directive(mapping).map_err(whole)?;
        #[cfg(feature = "all-directives")]
        let mapping = match &processed {
            Some(processed) => {
                entries = processed.entries();
                processed
            }
            None => mapping,
        };
        // The default build compiles with the same checks (see `parse::VALIDATES`).
        #[cfg(feature = "all-directives")]
        validate::validate(mapping)?;
        let directive = parse::is_directive_entries(&entries);
        if parse::VALIDATES && !directive && entries.iter().any(|(key, _)| key.starts_with('@')) {
            return Err(whole(message!(
                "a directive must be the only key of the mapping (besides \"_metadata\")"
            )));
        }
        let shape = if directive {
            Shape::Whole(Expr::parse(mapping, "")?)
        } else {
            let mut fields = Vec::with_capacity(entries.len());
            for (field, value) in entries {
                let expr = Expr::parse(&value, &field)?;
                fields.push((field, expr));
            }
            Shape::Fields(fields)
        };
        Ok(Mapping { shape, paths })
    }

    /// The payload for `event`: every field evaluated once, as Segment's `transform` does; an
    /// error when Segment's `transform` would throw.
    pub fn payload(&self, event: &D) -> Result<Payload<'_, D>, Thrown> {
        match &self.shape {
            Shape::Fields(fields) => {
                let mut values = Vec::with_capacity(fields.len());
                for (_, expr) in fields {
                    values.push(expr.evaluate(event)?);
                }
                Ok(Payload::Fields(fields, values))
            }
            Shape::Whole(expr) => match expr.evaluate(event)? {
                Some(value) => Ok(Payload::Whole(value)),
                None => Err(Thrown::new("the mapping gives no payload for this event")),
            },
        }
    }

    /// The value of `field` for `event` (the whole payload is evaluated, as Segment does).
    pub fn evaluate(&self, field: &str, event: &D) -> Value<D> {
        Ok(self.payload(event)?.get(field))
    }

    /// The raw `@path` of `field`'s mapping, when it is a `@path` directive.
    pub fn raw_path(&self, field: &str) -> Option<&D> {
        self.paths
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, path)| path)
    }
}
