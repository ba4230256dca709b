//! The mapping language: where each action field takes its value from in a Segment event.
//!
//! A mapping is JSON in which plain values are literals and an object with a single `@`-key is
//! a directive, such as `{"@path": "$.traits"}`. Mappings are parsed once, when the plugins are
//! created, into [`Expr`] trees; evaluating one against an event only walks the tree.
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

mod path;

pub use path::{Path, Segment};

use crate::data::{Data, Kind};
use std::fmt;

/// How deep objects, arrays and directives may nest in one field's mapping. Deeper mappings
/// are refused, which bounds every recursion over the parsed expression: the JSON parser of
/// the browser nests without limit, and a few kilobytes of `[[[[…]]]]` would otherwise
/// exhaust the stack.
pub const MAX_NESTING: usize = 100;

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

/// One parsed mapping expression.
#[derive(Clone, Debug)]
pub enum Expr<D> {
    Literal(D),
    Path(Path),
    /// `@if`: `condition` decides between `then` and `otherwise`.
    If {
        condition: Condition<D>,
        then: Option<Box<Expr<D>>>,
        otherwise: Option<Box<Expr<D>>>,
    },
    Object(Vec<(String, Expr<D>)>),
    Array(Vec<Expr<D>>),
}

/// The test of an `@if` directive.
#[derive(Clone, Debug)]
pub enum Condition<D> {
    /// True when the value is not undefined or null.
    Exists(Box<Expr<D>>),
    /// True when the value is undefined, null or an empty string.
    Blank(Box<Expr<D>>),
}

impl<D: Data> Expr<D> {
    /// Parses one mapping value. `field` names the action field, for error messages.
    pub fn parse(value: &D, field: &str) -> Result<Self, MappingError> {
        Self::parse_nested(value, field, 0)
    }

    /// Parses a value nested `depth` levels deep in a field's mapping.
    fn parse_nested(value: &D, field: &str, depth: usize) -> Result<Self, MappingError> {
        let error = |message: String| MappingError {
            field: field.to_owned(),
            message,
        };
        if depth > MAX_NESTING {
            return Err(error(format!(
                "the mapping nests deeper than {MAX_NESTING} levels"
            )));
        }
        let depth = depth + 1;
        match value.kind() {
            Kind::Array => value
                .items()
                .iter()
                .map(|item| Expr::parse_nested(item, field, depth))
                .collect::<Result<_, _>>()
                .map(Expr::Array),
            Kind::Object => {
                let entries = value.entries();
                match entries.as_slice() {
                    [(key, argument)] if key.starts_with('@') => {
                        Self::parse_directive(key, argument, field, depth)
                    }
                    _ => {
                        if let Some((key, _)) = entries.iter().find(|(key, _)| key.starts_with('@'))
                        {
                            return Err(error(format!(
                                "directive {key} must be the only key of its object"
                            )));
                        }
                        entries
                            .into_iter()
                            .map(|(key, value)| {
                                Expr::parse_nested(&value, field, depth).map(|expr| (key, expr))
                            })
                            .collect::<Result<_, _>>()
                            .map(Expr::Object)
                    }
                }
            }
            Kind::Other => Err(error("values must be JSON".to_owned())),
            _ => Ok(Expr::Literal(value.clone())),
        }
    }

    fn parse_directive(
        key: &str,
        argument: &D,
        field: &str,
        depth: usize,
    ) -> Result<Self, MappingError> {
        let error = |message: String| MappingError {
            field: field.to_owned(),
            message,
        };
        match key {
            "@path" => {
                let text = argument.as_string().ok_or_else(|| {
                    error("@path takes a string such as \"$.traits.email\"".to_owned())
                })?;
                Path::parse(&text).map(Expr::Path).map_err(error)
            }
            "@if" => {
                let branch = |name: &str| {
                    argument
                        .get_key(name)
                        .map(|v| Expr::parse_nested(&v, field, depth).map(Box::new))
                        .transpose()
                };
                let nested = |value: D| Expr::parse_nested(&value, field, depth).map(Box::new);
                let condition = match (argument.get_key("exists"), argument.get_key("blank")) {
                    (Some(value), None) => Condition::Exists(nested(value)?),
                    (None, Some(value)) => Condition::Blank(nested(value)?),
                    _ => {
                        return Err(error(
                            "@if takes exactly one of \"exists\" or \"blank\"".to_owned(),
                        ))
                    }
                };
                Ok(Expr::If {
                    condition,
                    then: branch("then")?,
                    otherwise: branch("else")?,
                })
            }
            "@liquid" => Err(error("@liquid is not available in the browser".to_owned())),
            other => Err(error(format!("unknown directive {other}"))),
        }
    }

    /// The value of this expression for `event`; `None` when it is undefined.
    pub fn evaluate(&self, event: &D) -> Option<D> {
        match self {
            Expr::Literal(value) => Some(value.clone()),
            Expr::Path(path) => path.resolve(event),
            Expr::If {
                condition,
                then,
                otherwise,
            } => {
                let chosen = if condition.holds(event) {
                    then
                } else {
                    otherwise
                };
                chosen.as_ref().and_then(|expr| expr.evaluate(event))
            }
            Expr::Object(fields) => Some(D::new_object(
                fields
                    .iter()
                    .filter_map(|(key, expr)| Some((key.clone(), expr.evaluate(event)?)))
                    .collect(),
            )),
            Expr::Array(items) => Some(D::new_array(
                items
                    .iter()
                    .map(|expr| expr.evaluate(event).unwrap_or_else(D::null))
                    .collect(),
            )),
        }
    }
}

impl<D: Data> Condition<D> {
    fn holds(&self, event: &D) -> bool {
        match self {
            Condition::Exists(expr) => expr.evaluate(event).is_some_and(|v| v.kind() != Kind::Null),
            Condition::Blank(expr) => match expr.evaluate(event) {
                None => true,
                Some(v) => {
                    v.kind() == Kind::Null
                        || (v.kind() == Kind::String && v.as_string().is_some_and(|s| s.is_empty()))
                }
            },
        }
    }
}

/// The mapping of one subscription: an expression per action field.
#[derive(Clone, Debug)]
pub struct Mapping<D> {
    fields: Vec<(String, Expr<D>)>,
}

impl<D: Data> Mapping<D> {
    /// Parses a whole mapping object, refusing the first field whose expression is invalid.
    pub fn parse(mapping: &D) -> Result<Self, MappingError> {
        if !mapping.is_object() {
            return Err(MappingError {
                field: String::new(),
                message: "a mapping must be an object".to_owned(),
            });
        }
        let fields = mapping
            .entries()
            .into_iter()
            .map(|(field, value)| Expr::parse(&value, &field).map(|expr| (field, expr)))
            .collect::<Result<_, _>>()?;
        Ok(Mapping { fields })
    }

    pub fn expr(&self, field: &str) -> Option<&Expr<D>> {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, expr)| expr)
    }

    /// The value of `field` for `event`; `None` when unmapped or undefined.
    pub fn evaluate(&self, field: &str, event: &D) -> Option<D> {
        self.expr(field)?.evaluate(event)
    }

    /// The event path `field` reads, when its mapping is a plain `@path`.
    pub fn path_of(&self, field: &str) -> Option<&Path> {
        match self.expr(field)? {
            Expr::Path(path) => Some(path),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn eval(mapping: Value, event: Value) -> Option<Value> {
        Mapping::parse(&json!({ "f": mapping }))
            .unwrap()
            .evaluate("f", &event)
    }

    #[test]
    fn if_exists_picks_a_branch() {
        let account = json!({"@if": {"exists": {"@path": "$.context.groupId"}, "then": {"@path": "$.context.groupId"}, "else": {"@path": "$.groupId"}}});
        assert_eq!(
            eval(
                account.clone(),
                json!({"context": {"groupId": "c"}, "groupId": "g"})
            ),
            Some(json!("c"))
        );
        assert_eq!(
            eval(account.clone(), json!({"context": {}, "groupId": "g"})),
            Some(json!("g"))
        );
        assert_eq!(eval(account, json!({})), None);
    }

    #[test]
    fn objects_drop_undefined_fields() {
        assert_eq!(
            eval(json!({"a": {"@path": "$.x"}, "b": 1}), json!({})),
            Some(json!({"b": 1}))
        );
    }

    #[test]
    fn bad_directives_name_the_field() {
        let error = Mapping::parse(&json!({"visitorId": {"@liquid": "{{userId}}"}})).unwrap_err();
        assert_eq!(error.field, "visitorId");
        assert!(error.to_string().contains("@liquid"));
        assert!(Mapping::<Value>::parse(&json!({"x": {"@nope": 1}})).is_err());
        assert!(Mapping::<Value>::parse(&json!({"x": {"@path": 1}})).is_err());
    }
}
