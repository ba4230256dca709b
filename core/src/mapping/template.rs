//! `@template`: text with `{{path}}` (or `{{{path}}}`) placeholders, such as
//! `"Hello, {{traits.name}}!"`, rendered as Segment renders it.
//!
//! Segment fills the `{{{...}}}` placeholders first, then the `{{...}}` ones of the result
//! (so a value filled in by the first pass that holds `{{x}}` is filled in too). A placeholder
//! is a run of characters other than `}` between the braces, trimmed as JavaScript's `trim`
//! does, and read from the current root with Segment's lookup (without dropping `$.`); a
//! missing or `null` value renders as nothing, `true` as `true`, an object as `[object Object]`
//! and an array as its items joined with `,`. A value that is no string throws, as in Segment.

use crate::prelude::*;

use super::js_value_rules::push_js_string;
use super::parse::{Compiler, Failure};
#[cfg(feature = "all-directives")]
use super::path::not_text;
use super::path::Path;
use super::{Expr, Value};
use crate::data::{Data, Kind};
use crate::search;

/// A compiled `@template`.
#[derive(Clone, Debug)]
pub struct Template<D> {
    source: Source<D>,
}

#[derive(Clone, Debug)]
enum Source<D> {
    /// A fixed text without `{{{...}}}`: its `{{...}}` parts, split once.
    Fixed(Parts),
    /// A fixed text with `{{{...}}}` placeholders: the second pass depends on the event.
    TwoPass(Parts),
    /// A directive that gives the text for each event: the full build's. The default build
    /// hands such a mapping over; its variant, which nothing can make, only keeps `D`.
    #[cfg(feature = "all-directives")]
    Dynamic(Expr<D>),
    #[cfg(not(feature = "all-directives"))]
    #[allow(dead_code)]
    Dynamic(core::convert::Infallible, core::marker::PhantomData<D>),
}

#[derive(Clone, Debug)]
struct Parts {
    parts: Vec<Part>,
    text_len: usize,
}

#[derive(Clone, Debug)]
enum Part {
    Text(String),
    Field(Path),
}

pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    let source = match argument.as_string() {
        Some(text) if argument.kind() == Kind::String => fixed(&text),
        #[cfg(feature = "all-directives")]
        _ => Source::Dynamic(compiler.expr(argument)?),
        #[cfg(not(feature = "all-directives"))]
        _ => return Err(compiler.error("a @template of no text is run by the full build")),
    };
    Ok(Expr::Template(Box::new(Template { source })))
}

fn fixed<D: Data>(text: &str) -> Source<D> {
    let first = Parts::parse::<D>(text, "{{{", "}}}", Reads::EveryEvent);
    if first
        .parts
        .iter()
        .any(|part| matches!(part, Part::Field(_)))
    {
        Source::TwoPass(first)
    } else {
        Source::Fixed(Parts::parse::<D>(text, "{{", "}}", Reads::EveryEvent))
    }
}

impl<D: Data> Template<D> {
    pub(super) fn evaluate(&self, root: &D) -> Value<D> {
        let text = match &self.source {
            Source::Fixed(parts) => parts.render(root),
            Source::TwoPass(first) => render_twice(first, root),
            #[cfg(not(feature = "all-directives"))]
            Source::Dynamic(never, _) => match *never {},
            #[cfg(feature = "all-directives")]
            Source::Dynamic(expr) => {
                let value = expr.evaluate(root)?;
                match value
                    .as_ref()
                    .filter(|v| v.kind() == Kind::String)
                    .and_then(Data::as_string)
                {
                    Some(text) => {
                        render_twice(&Parts::parse::<D>(&text, "{{{", "}}}", Reads::Once), root)
                    }
                    None => return Err(not_text("@template", value.as_ref())),
                }
            }
        };
        Ok(Some(D::from_str(&text)))
    }
}

fn render_twice<D: Data>(first: &Parts, root: &D) -> String {
    let once = first.render(root);
    Parts::parse::<D>(&once, "{{", "}}", Reads::Once).render(root)
}

/// How often the placeholders of a text are read: the texts made per event are read once, so
/// their keys are never prepared (a host would otherwise keep every event's keys).
#[derive(Clone, Copy)]
enum Reads {
    EveryEvent,
    Once,
}

impl Parts {
    fn parse<D: Data>(text: &str, open: &str, close: &str, reads: Reads) -> Self {
        let mut parts = Vec::new();
        let mut text_len = 0;
        split(text, open, close, |piece, is_field| {
            if is_field {
                let path = D::trim(piece);
                parts.push(Part::Field(match reads {
                    Reads::EveryEvent => Path::of_placeholder(&path),
                    Reads::Once => Path::of_placeholder_read_once(&path),
                }));
            } else if !piece.is_empty() {
                text_len += piece.len();
                parts.push(Part::Text(piece.to_owned()));
            }
        });
        Parts { parts, text_len }
    }

    fn render<D: Data>(&self, root: &D) -> String {
        let mut out = String::with_capacity(self.text_len + 16 * self.parts.len());
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Field(path) => {
                    if let Some(value) = path.lookup(root) {
                        push_js_string(&mut out, &value);
                    }
                }
            }
        }
        out
    }
}

/// `text` cut into pieces outside and inside `open` ... `close`, where the inside is a
/// non-empty run of characters other than `}`, as Segment's regular expressions find them:
/// each piece in turn, and whether it is an inside.
fn split(text: &str, open: &str, close: &str, mut pieces: impl FnMut(&str, bool)) {
    let mut done = 0;
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| search::find(rest, open)) {
        let start = from + found;
        let inside_start = start + open.len();
        let rest = text.get(inside_start..).unwrap_or("");
        // By bytes: `}` is one byte, and `str::find` of a `char` links core's character
        // searcher.
        let inside_len = rest.bytes().position(|b| b == b'}').unwrap_or(rest.len());
        if inside_len > 0
            && rest
                .get(inside_len..)
                .is_some_and(|after| after.starts_with(close))
        {
            pieces(text.get(done..start).unwrap_or(""), false);
            pieces(rest.get(..inside_len).unwrap_or(""), true);
            done = inside_start + inside_len + close.len();
            from = done;
        } else {
            // `{` is one byte: the next position is a character boundary.
            from = start + 1;
        }
    }
    pieces(text.get(done..).unwrap_or(""), false);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: &str, event: serde_json::Value) -> String {
        let source: Source<serde_json::Value> = fixed(template);
        match source {
            Source::Fixed(parts) => parts.render(&event),
            Source::TwoPass(first) => render_twice(&first, &event),
            _ => unreachable!("a fixed text is never dynamic"),
        }
    }

    #[test]
    fn placeholders_follow_segments_patterns() {
        let event = json!({"a": "x", "b": {"c": 1}, "d": [1, 2], "e": "{{a}}"});
        assert_eq!(render("{{a}}-{{{a}}}-{{ b.c }}", event.clone()), "x-x-1");
        assert_eq!(render("{{a}}}", event.clone()), "x}");
        assert_eq!(render("{{{a}}", event.clone()), "", "the inside is `{{a`");
        assert_eq!(
            render("{{}} {{d}} {{b}}", event.clone()),
            "{{}} 1,2 [object Object]"
        );
        assert_eq!(render("{{d[1]}}{{missing.x}}", event.clone()), "2");
        assert_eq!(
            render("{{{e}}}", event.clone()),
            "x",
            "the second pass fills it in"
        );
        assert_eq!(render("{{e}}", event), "{{a}}");
    }
}
