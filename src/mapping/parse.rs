//! Reading a mapping value into an [`Expr`] tree once: which objects are directives, how deep a
//! mapping may nest, and the helpers directives use to check the shape of their options.
//!
//! Parsing recurses once per level of the mapping, so the functions on that path are kept
//! small: each directive first reads and checks its options in a function that returns before
//! any recursion (where the error messages are formatted), then parses its nested mappings.
//! With [`MAX_MAPPING_DEPTH`] this bounds the stack a mapping can take, even in debug builds.

use super::{
    array_path, case, condition, flatten, json, merge, path, replace, template, transform, Expr,
    Failure, MappingError, MAX_MAPPING_DEPTH,
};
use crate::data::{Data, Kind};
use crate::quote::quote;

/// The key Segment lets stand beside a directive, for its own editor.
const METADATA_KEY: &str = "_metadata";

/// How a directive is parsed, from its argument.
type DirectiveParser<D> = fn(&mut Parser<'_>, &D) -> Result<Expr<D>, Failure>;

/// The state of parsing one field: its name and where in its mapping the parser is, for errors
/// such as `invalid mapping for field "x": @if/then/@replace: needs the option "pattern"`.
pub(super) struct Parser<'a> {
    field: &'a str,
    location: Vec<String>,
}

impl<'a> Parser<'a> {
    pub(super) fn new(field: &'a str) -> Self {
        Parser {
            field,
            location: Vec::new(),
        }
    }

    /// An error at the current location.
    #[cold]
    #[inline(never)]
    pub(super) fn error(&self, message: impl Into<String>) -> Failure {
        let message = message.into();
        let message = if self.location.is_empty() {
            message
        } else {
            [&self.location.join("/"), ": ", &message].concat()
        };
        Box::new(MappingError {
            field: self.field.to_owned(),
            message,
        })
    }

    /// Parses `value`, found under `step` (a key, an index or an option of a directive).
    pub(super) fn nested<D: Data>(
        &mut self,
        step: impl Into<String>,
        value: &D,
    ) -> Result<Expr<D>, Failure> {
        self.location.push(step.into());
        let parsed = self.expr(value);
        self.location.pop();
        parsed
    }

    /// Parses the nested mappings of a directive, each under its step, and checks the options
    /// it does not read. The one place from which directives recurse, to keep their frames out
    /// of the recursion.
    pub(super) fn children<D: Data, const N: usize>(
        &mut self,
        values: [(&'static str, Option<D>); N],
        rest: Options<D>,
    ) -> Result<[Option<Expr<D>>; N], Failure> {
        let mut parsed: [Option<Expr<D>>; N] = std::array::from_fn(|_| None);
        for ((step, value), slot) in values.into_iter().zip(parsed.iter_mut()) {
            if let Some(value) = value {
                *slot = Some(self.nested(step, &value)?);
            }
        }
        self.finish(rest)?;
        Ok(parsed)
    }

    /// An error for a nested mapping a directive needs but did not get parsed.
    #[cold]
    #[inline(never)]
    pub(super) fn missing(&self) -> Failure {
        self.error("an option could not be read")
    }

    /// Parses one mapping value: a literal, a plain object or array, or a directive.
    pub(super) fn expr<D: Data>(&mut self, value: &D) -> Result<Expr<D>, Failure> {
        if self.location.len() > MAX_MAPPING_DEPTH {
            return Err(self.too_deep());
        }
        match value.kind() {
            Kind::Array => self.array(value),
            Kind::Object => self.object(value),
            Kind::Other => Err(self.error("values must be JSON")),
            Kind::Null | Kind::Bool | Kind::Number | Kind::String => {
                Ok(Expr::Literal(value.clone()))
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&self) -> Failure {
        self.error(format!(
            "the mapping is nested deeper than {MAX_MAPPING_DEPTH} levels"
        ))
    }

    fn array<D: Data>(&mut self, value: &D) -> Result<Expr<D>, Failure> {
        let items = value.items();
        let mut parsed = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            parsed.push(self.nested(index.to_string(), item)?);
        }
        Ok(Expr::Array(parsed))
    }

    fn object<D: Data>(&mut self, value: &D) -> Result<Expr<D>, Failure> {
        let mut entries = value.entries();
        match self.directive_at(&entries)? {
            Some(at) => {
                let (name, argument) = entries.swap_remove(at);
                self.directive(name, &argument)
            }
            None => self.fields(entries),
        }
    }

    /// Where the directive of an object is, if it has one; an error when the object mixes a
    /// directive with other keys.
    #[inline(never)]
    fn directive_at<D>(&self, entries: &[(String, D)]) -> Result<Option<usize>, Failure> {
        let mut directives = entries
            .iter()
            .enumerate()
            .filter(|(_, (key, _))| key.starts_with('@'));
        let Some((at, (name, _))) = directives.next() else {
            return Ok(None);
        };
        if let Some((_, (other, _))) = directives.next() {
            return Err(self.error(
                [
                    "an object holds one directive at most, but this one has ",
                    name,
                    " and ",
                    other,
                ]
                .concat(),
            ));
        }
        if let Some((other, _)) = entries
            .iter()
            .find(|(key, _)| !key.starts_with('@') && key != METADATA_KEY)
        {
            return Err(self.error(
                [
                    "directive ",
                    name,
                    " must be the only key of its object (besides \"",
                    METADATA_KEY,
                    "\"), but it has ",
                    &quote(other),
                    " too",
                ]
                .concat(),
            ));
        }
        Ok(Some(at))
    }

    fn fields<D: Data>(&mut self, entries: Vec<(String, D)>) -> Result<Expr<D>, Failure> {
        let mut fields = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let parsed = self.nested(key.as_str(), &value)?;
            fields.push((key, parsed));
        }
        Ok(Expr::Object(fields))
    }

    fn directive<D: Data>(&mut self, name: String, argument: &D) -> Result<Expr<D>, Failure> {
        let parse = directive_parser::<D>(&name);
        self.location.push(name);
        let parsed = match parse {
            Some(parse) => parse(self, argument),
            None => Err(self.not_a_directive()),
        };
        self.location.pop();
        parsed
    }

    #[cold]
    #[inline(never)]
    fn not_a_directive(&self) -> Failure {
        match self.location.last().map(String::as_str) {
            Some("@liquid") => {
                self.error("not available in the browser (it needs a Liquid engine): use @template or @path instead")
            }
            _ => self.error("unknown directive"),
        }
    }

    /// The options object of a directive, such as `{"value": ..., "operator": "lower"}`.
    #[inline(never)]
    pub(super) fn options<D: Data>(
        &self,
        argument: &D,
        example: &str,
    ) -> Result<Options<D>, Failure> {
        if argument.kind() != Kind::Object {
            return Err(self.error(
                [
                    "takes an object such as ",
                    example,
                    ", not ",
                    describe(argument),
                ]
                .concat(),
            ));
        }
        let entries = argument.entries();
        if let Some((key, _)) = entries.iter().find(|(key, _)| key.starts_with('@')) {
            return Err(self.error(
                [
                    "takes an object of options such as ",
                    example,
                    ", not the directive ",
                    key,
                ]
                .concat(),
            ));
        }
        Ok(Options { entries })
    }

    /// A required option, still to be parsed.
    #[inline(never)]
    pub(super) fn required<D: Data>(
        &self,
        options: &mut Options<D>,
        key: &str,
    ) -> Result<D, Failure> {
        options
            .take(key)
            .ok_or_else(|| self.error(["needs the option \"", key, "\""].concat()))
    }

    /// An option that must be a string or a directive, still to be parsed; `Ok(None)` when
    /// absent or the empty string, which Segment skips.
    #[inline(never)]
    pub(super) fn string_or_directive<D: Data>(
        &self,
        options: &mut Options<D>,
        key: &str,
    ) -> Result<Option<D>, Failure> {
        let Some(value) = options.take(key) else {
            return Ok(None);
        };
        match value.kind() {
            Kind::String if value.as_string().is_some_and(|text| text.is_empty()) => Ok(None),
            Kind::String => Ok(Some(value)),
            Kind::Object if is_directive(&value) => Ok(Some(value)),
            _ => Err(self.wrong_option(key, "a string or a directive", &value)),
        }
    }

    /// An option that must be an object or a directive, still to be parsed.
    #[inline(never)]
    pub(super) fn object_or_directive<D: Data>(
        &self,
        options: &mut Options<D>,
        key: &str,
    ) -> Result<D, Failure> {
        let value = self.required(options, key)?;
        if value.kind() != Kind::Object {
            return Err(self.wrong_option(key, "an object or a directive", &value));
        }
        Ok(value)
    }

    /// An option that must be a plain string, when present.
    #[inline(never)]
    pub(super) fn string<D: Data>(
        &self,
        options: &mut Options<D>,
        key: &str,
    ) -> Result<Option<String>, Failure> {
        let Some(value) = options.take(key) else {
            return Ok(None);
        };
        value
            .as_string()
            .map(Some)
            .ok_or_else(|| self.wrong_option(key, "a string", &value))
    }

    /// An option that must be one of two words.
    #[inline(never)]
    pub(super) fn one_of<D: Data>(
        &self,
        options: &mut Options<D>,
        key: &str,
        [first, second]: [&'static str; 2],
    ) -> Result<&'static str, Failure> {
        let value = self.string(options, key)?;
        match value.as_deref() {
            Some(word) if word == first => return Ok(first),
            Some(word) if word == second => return Ok(second),
            _ => {}
        }
        let choices = ["\"", first, "\" or \"", second, "\""].concat();
        Err(self.error(match value {
            None => ["needs the option \"", key, "\": ", &choices].concat(),
            Some(value) => {
                let not = quote(&value);
                ["option \"", key, "\" must be ", &choices, ", not ", &not].concat()
            }
        }))
    }

    /// An option that must be `true` or `false`, when present (`null` too, when `null_ok`).
    #[inline(never)]
    pub(super) fn boolean<D: Data>(
        &self,
        options: &mut Options<D>,
        key: &str,
        null_ok: bool,
    ) -> Result<Option<bool>, Failure> {
        let Some(value) = options.take(key) else {
            return Ok(None);
        };
        if null_ok && value.kind() == Kind::Null {
            return Ok(None);
        }
        value
            .as_bool()
            .map(Some)
            .ok_or_else(|| self.wrong_option(key, "true or false", &value))
    }

    /// `option "key" must be WHAT, not a number`.
    #[cold]
    #[inline(never)]
    pub(super) fn wrong_option<D: Data>(&self, key: &str, what: &str, value: &D) -> Failure {
        self.error(
            [
                "option \"",
                key,
                "\" must be ",
                what,
                ", not ",
                describe(value),
            ]
            .concat(),
        )
    }

    /// Checks the options a directive does not read: Segment lets them be, as long as they are
    /// valid mappings themselves.
    pub(super) fn finish<D: Data>(&mut self, options: Options<D>) -> Result<(), Failure> {
        for (key, value) in options.entries {
            self.nested(key, &value)?;
        }
        Ok(())
    }
}

/// The parser of the directive `name`, if there is one.
fn directive_parser<D: Data>(name: &str) -> Option<DirectiveParser<D>> {
    Some(match name {
        "@path" => path::parse_directive,
        "@if" => condition::parse,
        "@template" => template::parse,
        "@literal" => literal,
        "@arrayPath" => array_path::parse,
        "@case" => case::parse,
        "@replace" => replace::parse,
        "@merge" => merge::parse,
        "@transform" => transform::parse,
        "@flatten" => flatten::parse,
        "@json" => json::parse,
        "@excludeWhenNull" => exclude_when_null,
        _ => return None,
    })
}

/// `@literal`: Segment resolves the directives inside a literal too, so `{"@literal": {"a":
/// {"@path": "$.a"}}}` is `{"a": <the value of $.a>}`.
fn literal<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    parser.expr(argument)
}

fn exclude_when_null<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    Ok(Expr::ExcludeWhenNull(Box::new(parser.expr(argument)?)))
}

/// The options of a directive, taken out one by one.
pub(super) struct Options<D> {
    entries: Vec<(String, D)>,
}

impl<D: Data> Options<D> {
    /// No options left to check.
    pub(super) fn none() -> Self {
        Options {
            entries: Vec::new(),
        }
    }

    /// The option `key`, removed from the options.
    pub(super) fn take(&mut self, key: &str) -> Option<D> {
        let index = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.swap_remove(index).1)
    }

    pub(super) fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }
}

/// Whether `value` is a directive object: an object with an `@`-key.
pub(super) fn is_directive<D: Data>(value: &D) -> bool {
    value.kind() == Kind::Object && value.entries().iter().any(|(key, _)| key.starts_with('@'))
}

/// `a string`, `an object`, ... for error messages.
pub(super) fn describe<D: Data>(value: &D) -> &'static str {
    match value.kind() {
        Kind::Null => "null",
        Kind::Bool => "a boolean",
        Kind::Number => "a number",
        Kind::String => "a string",
        Kind::Array => "an array",
        Kind::Object if is_directive(value) => "a directive",
        Kind::Object => "an object",
        Kind::Other => "a value JSON cannot hold",
    }
}
