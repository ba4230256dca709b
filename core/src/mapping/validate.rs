//! Which mappings Segment accepts: the checks of mapping-kit's `validate`, which Segment's
//! `transform` runs before every event (so a mapping it refuses never gives a payload).
//!
//! They look at fewer places than one might expect, and that is kept: the items of arrays and
//! the inside of `@literal`, `@excludeWhenNull` or a raw `exists`/`then`/`else` value are not
//! checked; option words are compared in any case (`"ENCODE"`); `@if` without `exists` or
//! `blank`, `@case` without `operator`, `@merge` without `direction` pass (they then fail when
//! run, see [`super::Expr::Throw`]).

use crate::prelude::*;

use super::js_value_rules::js_length;
use super::parse::{describe, has_directive_key};
use super::{MappingError, MAX_MAPPING_DEPTH};
use crate::data::{Data, Kind};

/// The longest `@replace` pattern and replacement Segment takes.
pub const MAX_REPLACE_LENGTH: usize = 10;

type Checked = Result<(), Box<MappingError>>;

/// Checks a whole mapping (an object of fields, or a single directive) as Segment does.
pub fn validate<D: Data>(mapping: &D) -> Result<(), MappingError> {
    let mut checker = Checker {
        depth: 0,
        #[cfg(feature = "messages")]
        stack: Vec::new(),
    };
    checker.any(mapping).map_err(|error| *error)
}

struct Checker {
    /// How many keys and directives lead to the value at hand: bounds the nesting.
    depth: usize,
    /// Their names, for messages only (feature `messages`).
    #[cfg(feature = "messages")]
    stack: Vec<String>,
}

/// How an option is checked.
#[derive(Clone, Copy)]
enum Rule {
    DirectiveOrRaw,
    DirectiveOrString,
    Text {
        min: usize,
        max: usize,
    },
    // The options of the full build's directives only.
    #[cfg(feature = "all-directives")]
    DirectiveOrObject,
    #[cfg(feature = "all-directives")]
    Boolean,
    #[cfg(feature = "all-directives")]
    Word([&'static str; 2]),
    #[cfg(feature = "all-directives")]
    Array,
}

impl Checker {
    #[cold]
    #[inline(never)]
    fn fail(&self, message: String) -> Box<MappingError> {
        #[cfg(feature = "messages")]
        {
            let field = self.stack.first().cloned().unwrap_or_default();
            let rest = self.stack.get(1..).unwrap_or_default();
            let message = if rest.is_empty() {
                message
            } else {
                alloc::format!("{}: {message}", crate::join(rest, "/"))
            };
            Box::new(MappingError { field, message })
        }
        // Without the feature `messages`, no words, nor the field they name (see `message!`).
        #[cfg(not(feature = "messages"))]
        {
            let _ = message;
            let (field, message) = (String::new(), String::new());
            Box::new(MappingError { field, message })
        }
    }

    /// One key or directive deeper, named `step` (for messages only).
    fn enter(&mut self, step: &str) {
        self.depth += 1;
        #[cfg(feature = "messages")]
        self.stack.push(step.to_owned());
        #[cfg(not(feature = "messages"))]
        let _ = step;
    }

    fn leave(&mut self) {
        self.depth -= 1;
        #[cfg(feature = "messages")]
        self.stack.pop();
    }

    fn nested<D: Data>(&mut self, step: &str, value: &D, rule: Option<Rule>) -> Checked {
        if self.depth > MAX_MAPPING_DEPTH {
            return Err(self.fail(message!(
                "the mapping is nested deeper than {MAX_MAPPING_DEPTH} levels"
            )));
        }
        self.enter(step);
        let checked = match rule {
            None => self.any(value),
            Some(rule) => self.rule(value, rule),
        };
        self.leave();
        checked
    }

    /// `validate`: directives and objects are checked, arrays only for being arrays.
    fn any<D: Data>(&mut self, value: &D) -> Checked {
        match value.kind() {
            Kind::Object if has_directive_key(value) => self.directive(value),
            Kind::Object => self.object(value),
            _ => Ok(()),
        }
    }

    fn object<D: Data>(&mut self, value: &D) -> Checked {
        if value.kind() != Kind::Object {
            return Err(self.fail(message!("must be an object, not {}", describe(value))));
        }
        let entries = value.entries();
        if let Some((key, _)) = entries.iter().find(|(key, _)| key.starts_with('@')) {
            return Err(self.fail(message!("must be an object without directives, not {key}")));
        }
        for (key, child) in &entries {
            self.nested(key, child, None)?;
        }
        Ok(())
    }

    fn directive<D: Data>(&mut self, value: &D) -> Checked {
        let entries = value.entries();
        let mut directives = entries.iter().filter(|(key, _)| key.starts_with('@'));
        let Some((name, argument)) = directives.next() else {
            return Err(self.fail(message!("must be a directive")));
        };
        if let Some((other, _)) = directives.next() {
            return Err(self.fail(message!(
                "an object holds one directive at most, but this one has {name} and {other}"
            )));
        }
        if let Some((other, _)) = entries
            .iter()
            .find(|(key, _)| !key.starts_with('@') && key != "_metadata")
        {
            return Err(self.fail(message!(
                "directive {name} must be the only key of its object (besides \"_metadata\"), but it has \"{other}\" too"
            )));
        }
        self.enter(name);
        let checked = self.arguments(name, argument);
        self.leave();
        checked
    }

    fn arguments<D: Data>(&mut self, name: &str, argument: &D) -> Checked {
        use Rule::*;
        let text = |min, max| Text { min, max };
        match name {
            "@if" => self.options(
                argument,
                &[
                    ("exists", false, DirectiveOrRaw),
                    ("then", false, DirectiveOrRaw),
                    ("else", false, DirectiveOrRaw),
                ],
            ),
            #[cfg(feature = "all-directives")]
            "@case" => self.options(
                argument,
                &[
                    ("operator", false, text(0, usize::MAX)),
                    ("value", false, DirectiveOrString),
                ],
            ),
            #[cfg(feature = "all-directives")]
            "@replace" => self.options(
                argument,
                &[
                    ("pattern", true, text(1, MAX_REPLACE_LENGTH)),
                    ("replacement", false, text(0, MAX_REPLACE_LENGTH)),
                    ("value", true, DirectiveOrString),
                    ("ignorecase", false, Boolean),
                    ("global", false, Boolean),
                ],
            ),
            #[cfg(feature = "all-directives")]
            "@arrayPath" => {
                self.rule(argument, Array)?;
                let items = argument.items();
                match items.first() {
                    Some(path) => self.rule(path, DirectiveOrString)?,
                    None => return Err(self.fail(message!("needs a path as its first item"))),
                }
                match items.get(1) {
                    Some(shape) => self.any(shape),
                    None => Ok(()),
                }
            }
            "@path" | "@template" => self.rule(argument, DirectiveOrString),
            "@literal" => self.rule(argument, DirectiveOrRaw),
            #[cfg(feature = "all-directives")]
            "@excludeWhenNull" => self.rule(argument, DirectiveOrRaw),
            #[cfg(feature = "all-directives")]
            "@json" => self.options(
                argument,
                &[
                    ("value", true, DirectiveOrRaw),
                    ("mode", true, Word(["encode", "decode"])),
                ],
            ),
            #[cfg(feature = "all-directives")]
            "@flatten" => self.options(
                argument,
                &[
                    ("separator", false, text(0, usize::MAX)),
                    ("value", true, DirectiveOrRaw),
                ],
            ),
            #[cfg(feature = "all-directives")]
            "@merge" => {
                self.options(
                    argument,
                    &[
                        ("direction", false, Word(["left", "right"])),
                        ("objects", true, Array),
                    ],
                )?;
                let objects = argument.get_key("objects").map(|o| o.items());
                for (index, object) in objects.unwrap_or_default().iter().enumerate() {
                    self.nested(
                        &message!("objects/{index}"),
                        object,
                        Some(DirectiveOrObject),
                    )?;
                }
                Ok(())
            }
            #[cfg(feature = "all-directives")]
            "@transform" => self.options(
                argument,
                &[
                    ("apply", true, DirectiveOrObject),
                    ("mapping", true, DirectiveOrObject),
                ],
            ),
            "@liquid" => self.rule(argument, text(0, usize::MAX)),
            _ => Err(self.fail(message!("unknown directive"))),
        }
    }

    /// `validateObjectWithFields`: an object of options, each a valid mapping, and the named
    /// ones following their rule.
    fn options<D: Data>(&mut self, argument: &D, fields: &[(&'static str, bool, Rule)]) -> Checked {
        self.object(argument)?;
        for &(key, required, rule) in fields {
            match argument.get_key(key) {
                Some(value) => self.nested(key, &value, Some(rule))?,
                None if required => {
                    return Err(self.fail(message!("needs the option \"{key}\"")));
                }
                None => {}
            }
        }
        Ok(())
    }

    fn rule<D: Data>(&mut self, value: &D, rule: Rule) -> Checked {
        let kind = value.kind();
        let directive = kind == Kind::Object && has_directive_key(value);
        let ok = match rule {
            Rule::DirectiveOrRaw if directive => return self.directive(value),
            Rule::DirectiveOrRaw => kind != Kind::Other,
            Rule::DirectiveOrString if directive => return self.directive(value),
            Rule::DirectiveOrString => kind == Kind::String,
            #[cfg(feature = "all-directives")]
            Rule::DirectiveOrObject if directive => return self.directive(value),
            #[cfg(feature = "all-directives")]
            Rule::DirectiveOrObject => return self.object(value),
            Rule::Text { min, max } => match value.as_string() {
                Some(text) => {
                    let length = js_length(&text);
                    if length < min || length > max {
                        return Err(self.fail(message!(
                            "must be a string of {min} to {max} characters, not {}",
                            crate::quote::quote(&text)
                        )));
                    }
                    true
                }
                None => false,
            },
            #[cfg(feature = "all-directives")]
            Rule::Boolean => kind == Kind::Bool,
            #[cfg(feature = "all-directives")]
            Rule::Word(words) => match value.change_case(false).and_then(|v| v.as_string()) {
                Some(lower) => {
                    if !words.contains(&lower.as_str()) {
                        return Err(self.fail(message!(
                            "must be \"{}\" or \"{}\" (in any case), not {}",
                            words[0],
                            words[1],
                            crate::quote::quote(&value.as_string().unwrap_or_default())
                        )));
                    }
                    true
                }
                None => false,
            },
            #[cfg(feature = "all-directives")]
            Rule::Array => kind == Kind::Array,
        };
        if ok {
            Ok(())
        } else {
            Err(self.fail(message!(
                "must be {}, not {}",
                rule.wanted(),
                describe(value)
            )))
        }
    }
}

impl Rule {
    fn wanted(self) -> &'static str {
        match self {
            Rule::DirectiveOrRaw => "a directive or a JSON value",
            Rule::DirectiveOrString => "a string or a directive",
            Rule::Text { .. } => "a string",
            #[cfg(feature = "all-directives")]
            Rule::DirectiveOrObject => "an object or a directive",
            #[cfg(feature = "all-directives")]
            Rule::Word(_) => "a string",
            #[cfg(feature = "all-directives")]
            Rule::Boolean => "true or false",
            #[cfg(feature = "all-directives")]
            Rule::Array => "an array",
        }
    }
}
