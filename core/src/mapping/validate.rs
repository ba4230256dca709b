//! Which mappings Segment accepts: the checks of mapping-kit's `validate`, which Segment's
//! `transform` runs before every event (so a mapping it refuses never gives a payload).
//!
//! They look at fewer places than one might expect, and that is kept: the items of arrays and
//! the inside of `@literal`, `@excludeWhenNull` or a raw `exists`/`then`/`else` value are not
//! checked; option words are compared in any case (`"ENCODE"`); `@if` without `exists` or
//! `blank`, `@case` without `operator`, `@merge` without `direction` pass (they then fail when
//! run, see [`super::Expr::Throw`]).
//!
//! The full build runs these checks, with the words for what they refuse. The default build has
//! no copy: its compiler makes the same checks (`parse::VALIDATES`), and this module is kept in
//! its tests, which check that what compiles there, these checks accept.

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

/// The default build compiles with these checks instead (`parse::VALIDATES`): what compiles
/// there, `validate` accepts, over the mapping conformance table and random mappings; and it
/// refuses nothing else of the table that it could run.
#[cfg(all(test, not(feature = "all-directives")))]
mod the_default_build {
    use super::*;
    use crate::mapping::parse::FULL_BUILD_DIRECTIVES;
    use crate::mapping::Mapping;
    use serde_json::{json, Map, Value};

    const TABLE: &str = include_str!("../../../tests/conformance/mappings.json");

    /// What the default build hands to the full build, which runs it as Segment does: a
    /// `@path` or `@template` whose argument is a directive, an `@if` decided by `blank`, and
    /// what compiling refuses where `validate` does not look (into arrays, into the plain
    /// objects of `@literal`).
    const HANDED_OVER: [&str; 20] = [
        "unknown directive nested in an array",
        "path from a directive",
        "path from a directive that is no string",
        "if blank: filled value takes then",
        "if blank: null takes else",
        "if blank: missing takes else",
        "if blank: empty string takes else",
        "if blank: false is blank",
        "if blank: zero is blank",
        "if blank: empty array is blank",
        "if blank: a space is not blank",
        "if nested in if",
        "template from a directive",
        "literal with a bad directive inside",
        "path from a directive giving an object throws",
        "template from a directive giving a number throws",
        "template from a directive giving text",
        "directive mixed with a key inside an array is a plain object",
        "two directives inside an array: the first runs",
        "directive inside an array that throws fails the event",
    ];

    fn compiles_beyond_validate(mapping: &Value) -> bool {
        Mapping::parse(mapping).is_ok() && validate(mapping).is_err()
    }

    #[test]
    fn compiles_only_what_validate_accepts_in_the_conformance_table() {
        let rows: Vec<Value> = serde_json::from_str(TABLE).unwrap();
        let mut beyond = Vec::new();
        let mut handed_over = Vec::new();
        for row in &rows {
            let name = row["name"].as_str().unwrap_or("?").to_owned();
            let mapping = json!({ "f": row["mapping"] });
            if compiles_beyond_validate(&mapping) {
                beyond.push(name);
                continue;
            }
            let text = mapping.to_string();
            let full_build = FULL_BUILD_DIRECTIVES
                .iter()
                .chain(&["@liquid"])
                .any(|directive| text.contains(&format!("\"{directive}\"")));
            if !full_build && validate(&mapping).is_ok() && Mapping::parse(&mapping).is_err() {
                handed_over.push(name);
            }
        }
        assert_eq!(
            beyond,
            Vec::<String>::new(),
            "compiled, though validate refuses them"
        );
        assert_eq!(
            handed_over, HANDED_OVER,
            "refused, though the default build runs them"
        );
    }

    /// Each check of `validate` that compiling makes in its place, one mapping each.
    #[test]
    fn refuses_each_shape_validate_refuses() {
        let refused = [
            json!({"f": {"@path": "$.a", "x": 1}}),
            json!({"f": {"@path": "$.a", "@template": "{{a}}"}}),
            json!({"f": {"@nope": 1}}),
            json!({"f": {"@if": 5}}),
            json!({"f": {"@if": {"exists": {"@path": "$.a"}, "@path": "$.b"}}}),
            json!({"f": {"@if": {"exists": 1, "blank": {"@path": 5}}}}),
            json!({"f": {"@if": {"exists": 1, "other": {"@nope": 1}}}}),
            json!({"f": {"@path": 5}}),
            json!({"f": {"@template": {"a": 1}}}),
            json!({"f": {"@literal": {"@nope": 1}}}),
            json!({"@path": "$.a", "f": 1}),
        ];
        for mapping in refused {
            assert!(validate(&mapping).is_err(), "validate accepts {mapping}");
            assert!(Mapping::parse(&mapping).is_err(), "compiled {mapping}");
        }
    }

    /// A deterministic generator of mappings, biased towards directives and their options.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }

        fn value(&mut self, depth: usize) -> Value {
            const KEYS: [&str; 14] = [
                "@path",
                "@if",
                "@template",
                "@literal",
                "@nope",
                "_metadata",
                "exists",
                "then",
                "else",
                "blank",
                "a",
                "b",
                "@path",
                "@if",
            ];
            const TEXTS: [&str; 6] = ["$.a", "$.b.c", "{{a}}", "x", "", "$"];
            match self.below(if depth == 0 { 4 } else { 9 }) {
                0 => Value::from(self.pick(&TEXTS)),
                1 => json!(self.below(3)),
                2 => [Value::Null, json!(true), json!(false)][self.below(3)].clone(),
                3 => json!({}),
                4 => Value::Array((0..self.below(3)).map(|_| self.value(depth - 1)).collect()),
                5 | 6 => {
                    let mut object = Map::new();
                    object.insert(self.pick(&KEYS[..5]).to_owned(), self.value(depth - 1));
                    if self.below(4) == 0 {
                        object.insert(self.pick(&KEYS).to_owned(), self.value(depth - 1));
                    }
                    Value::Object(object)
                }
                _ => {
                    let mut object = Map::new();
                    for _ in 0..=self.below(3) {
                        object.insert(self.pick(&KEYS).to_owned(), self.value(depth - 1));
                    }
                    Value::Object(object)
                }
            }
        }
    }

    #[test]
    fn compiles_only_what_validate_accepts_in_random_mappings() {
        let mut random = Random(0x2545_f491_4f6c_dd1d);
        let mut compiled = 0;
        for _ in 0..50_000 {
            let field = random.value(5);
            let mapping = match random.below(3) {
                0 => field,
                _ => json!({ "f": field }),
            };
            assert!(
                !compiles_beyond_validate(&mapping),
                "compiled, though validate refuses it: {mapping}"
            );
            compiled += usize::from(Mapping::parse(&mapping).is_ok());
        }
        // The generator reaches mappings that compile, not only refusals.
        assert!(compiled > 5_000, "{compiled}");
    }
}
