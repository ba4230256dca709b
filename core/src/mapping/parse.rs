//! Compiling a mapping value into an [`Expr`] tree once, with the meaning Segment's `resolve`
//! gives every shape: which objects are directives, and what a directive does with options it
//! cannot run (it throws when evaluated, [`Expr::Throw`]).
//!
//! Compiling recurses once per level of the mapping; [`MAX_MAPPING_DEPTH`] bounds the stack a
//! mapping can take, even in debug builds.

use crate::prelude::*;

#[cfg(feature = "all-directives")]
use super::{array_path, case, flatten, json, merge, replace, transform};
use super::{condition, path, template, Expr, MappingError, MAX_MAPPING_DEPTH};
use crate::data::{Data, Kind};

/// The key Segment lets stand beside a directive, for its own editor.
const METADATA_KEY: &str = "_metadata";

/// Whether compiling also makes the checks of Segment's `validate` (the module `validate`): in
/// the default build, which carries no `validate` (the full build has it, with the words for
/// what it refuses). There, every mapping `validate` refuses is refused where it is compiled,
/// and a few more (the insides of arrays and of `@literal`, nesting beyond half of
/// [`MAX_MAPPING_DEPTH`], which `validate` lets through, and a `@path` or `@template` whose
/// argument is a directive): such a workspace goes to the full build, which runs it as Segment
/// does. The default build's tests check the direction: what
/// compiles there, `validate` accepts.
pub(super) const VALIDATES: bool = !cfg!(feature = "all-directives");

/// A [`MappingError`] while compiling: boxed, so that results passed up stay small.
pub(super) type Failure = Box<MappingError>;

/// How a directive is compiled, from its argument.
type DirectiveCompiler<D> = fn(&mut Compiler<'_>, &D) -> Result<Expr<D>, Failure>;

/// The state of compiling one field: its name and how deep the compiler is.
pub(super) struct Compiler<'a> {
    field: &'a str,
    depth: usize,
}

impl<'a> Compiler<'a> {
    pub(super) fn new(field: &'a str) -> Self {
        Compiler { field, depth: 0 }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn error(&self, message: impl Into<String>) -> Failure {
        // Without the feature `messages`, no words, nor the field they name.
        let (field, message) = (crate::words(self.field), crate::words(message));
        Box::new(MappingError { field, message })
    }

    /// Compiles one mapping value: a literal, a plain object or array, or a directive.
    pub(super) fn expr<D: Data>(&mut self, value: &D) -> Result<Expr<D>, Failure> {
        // `validate` counts up to two levels (a key and a directive) for each of these.
        let limit = if VALIDATES {
            MAX_MAPPING_DEPTH / 2
        } else {
            MAX_MAPPING_DEPTH
        };
        if self.depth > limit {
            return Err(self.error(message!(
                "the mapping is nested deeper than {MAX_MAPPING_DEPTH} levels"
            )));
        }
        self.depth += 1;
        let compiled = match value.kind() {
            Kind::Array => self.array(value),
            Kind::Object => self.object(value),
            Kind::Other => Err(self.error("values must be JSON")),
            Kind::Null | Kind::Bool | Kind::Number | Kind::String => {
                Ok(Expr::Literal(value.clone()))
            }
        };
        self.depth -= 1;
        compiled
    }

    /// Compiles an option that may be absent.
    pub(super) fn option<D: Data>(
        &mut self,
        value: Option<&D>,
    ) -> Result<Option<Expr<D>>, Failure> {
        value.map(|value| self.expr(value)).transpose()
    }

    fn array<D: Data>(&mut self, value: &D) -> Result<Expr<D>, Failure> {
        let items = value.items();
        let mut compiled = Vec::with_capacity(items.len());
        for item in &items {
            compiled.push(self.expr(item)?);
        }
        Ok(Expr::Array(compiled))
    }

    fn object<D: Data>(&mut self, value: &D) -> Result<Expr<D>, Failure> {
        let entries = value.entries();
        let mut directives = entries.iter().filter(|(key, _)| key.starts_with('@'));
        if let Some((name, argument)) = directives.next() {
            let alone = directives.next().is_none();
            if is_directive_entries(&entries) && (alone || !VALIDATES) {
                return self.directive(name, argument);
            }
            if VALIDATES {
                return Err(self.error(message!(
                    "a directive must be the only key of its object (besides \"_metadata\"), but {name} is not"
                )));
            }
        }
        let mut fields = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let compiled = self.expr(&value)?;
            fields.push((key, compiled));
        }
        Ok(Expr::Object(fields))
    }

    fn directive<D: Data>(&mut self, name: &str, argument: &D) -> Result<Expr<D>, Failure> {
        match directive_compiler::<D>(name) {
            Some(compile) => compile(self, argument),
            // The default build refuses every other directive alike: the full build says why.
            None if VALIDATES => Err(self.error(message!("{name} is run by the full build, or is no directive"))),
            None if name == "@liquid" => Err(self.error(
                "@liquid is not available in the browser (it needs a Liquid engine): use @template or @path instead",
            )),
            None => Ok(throw(crate::concat(&[name, " is not a valid directive"]))),
        }
    }
}

/// An expression that throws `message` when evaluated.
#[cold]
#[inline(never)]
pub(super) fn throw<D>(message: impl Into<String>) -> Expr<D> {
    Expr::Throw(message.into())
}

/// The directives of the package's full build only (feature `all-directives`), with the key
/// under which Segment puts a directive for the whole mapping. The default build runs the
/// presets' directives and the most used others: `@path`, `@if`, `@template`, `@literal` (a
/// `@path` or `@template` of a text only); it refuses a mapping with one of these, wherever it
/// is, and so hands the workspace to the full build (see
/// [`crate::destination::Destination::needs_full_build`]).
pub const FULL_BUILD_DIRECTIVES: [&str; 9] = [
    "@arrayPath",
    "@case",
    "@replace",
    "@merge",
    "@transform",
    "@flatten",
    "@json",
    "@excludeWhenNull",
    "__segment_internal_directive",
];

/// The compiler of the directive `name`, if there is one.
fn directive_compiler<D: Data>(name: &str) -> Option<DirectiveCompiler<D>> {
    Some(match name {
        "@path" => path::compile,
        "@if" => condition::compile,
        "@template" => template::compile,
        "@literal" => literal,
        #[cfg(feature = "all-directives")]
        "@arrayPath" => array_path::compile,
        #[cfg(feature = "all-directives")]
        "@case" => case::compile,
        #[cfg(feature = "all-directives")]
        "@replace" => replace::compile,
        #[cfg(feature = "all-directives")]
        "@merge" => merge::compile,
        #[cfg(feature = "all-directives")]
        "@transform" => transform::compile,
        #[cfg(feature = "all-directives")]
        "@flatten" => flatten::compile,
        #[cfg(feature = "all-directives")]
        "@json" => json::compile,
        #[cfg(feature = "all-directives")]
        "@excludeWhenNull" => exclude_when_null,
        _ => return None,
    })
}

/// `@literal`: Segment resolves the directives inside a literal too.
fn literal<D: Data>(compiler: &mut Compiler<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    compiler.expr(argument)
}

#[cfg(feature = "all-directives")]
fn exclude_when_null<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    Ok(Expr::ExcludeWhenNull(Box::new(compiler.expr(argument)?)))
}

/// Whether an object of these entries is run as a directive: it has an `@`-key and its other
/// keys are all `@`-keys or `_metadata` (Segment's `isDirective`).
pub(super) fn is_directive_entries<D>(entries: &[(String, D)]) -> bool {
    entries.iter().any(|(key, _)| key.starts_with('@'))
        && entries
            .iter()
            .all(|(key, _)| key.starts_with('@') || key == METADATA_KEY)
}

/// Whether an object has any `@`-key: what Segment's validator checks as a directive.
pub(crate) fn has_directive_key<D: Data>(value: &D) -> bool {
    value.entries().iter().any(|(key, _)| key.starts_with('@'))
}

/// `a string`, `an object`, ... for error messages (the full build's).
#[cfg(any(feature = "all-directives", test))]
pub(super) fn describe<D: Data>(value: &D) -> &'static str {
    match value.kind() {
        Kind::Null => "null",
        Kind::Bool => "a boolean",
        Kind::Number => "a number",
        Kind::String => "a string",
        Kind::Array => "an array",
        Kind::Object if has_directive_key(value) => "a directive",
        Kind::Object => "an object",
        Kind::Other => "a value JSON cannot hold",
    }
}

/// An option of a directive's options object, read as Segment's `opts.key` reads it.
pub(super) fn option<D: Data>(options: &D, key: &str) -> Option<D> {
    options.get_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The default build's directives and the full build's others are every directive there
    /// is: a directive added to one build only is a directive the loader cannot route.
    #[test]
    fn the_two_builds_share_out_every_directive() {
        let default_build = ["@path", "@if", "@template", "@literal"];
        for name in default_build {
            assert!(directive_compiler::<Value>(name).is_some(), "{name}");
            assert!(!FULL_BUILD_DIRECTIVES.contains(&name), "{name}");
        }
        for name in FULL_BUILD_DIRECTIVES {
            let compiled = directive_compiler::<Value>(name).is_some();
            assert_eq!(
                compiled,
                cfg!(feature = "all-directives") && name.starts_with('@'),
                "{name}"
            );
        }
        #[cfg(feature = "all-directives")]
        assert_eq!(
            FULL_BUILD_DIRECTIVES.last(),
            Some(&super::super::ROOT_DIRECTIVE_KEY)
        );
    }
}
