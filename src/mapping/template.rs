//! `@template`: text with `{{path}}` (or `{{{path}}}`) placeholders, such as
//! `"Hello, {{traits.name}}!"`.
//!
//! As in Segment, a placeholder is a run of characters other than `}` between the braces, read
//! from the current root (the event, or the item of an `@arrayPath`) with keys split at `.`,
//! `[` and `]`; nothing is escaped; a missing or `null` value renders as nothing, `true` as
//! `true`, an object as `[object Object]` and an array as its items joined with `,`. The text is
//! split into its parts once, when the mapping is parsed.

use super::parse::{describe, is_directive, Parser};
use super::path::Path;
use super::text::push_js_string;
use super::{Expr, Failure};
use crate::data::{Data, Kind};
use crate::search;

/// A parsed `@template`.
#[derive(Clone, Debug)]
pub struct Template<D> {
    source: Source<D>,
}

#[derive(Clone, Debug)]
enum Source<D> {
    /// The template text, split when the mapping was parsed.
    Fixed(Parts),
    /// A directive giving the template text, split for each event.
    Dynamic(Expr<D>),
}

#[derive(Clone, Debug)]
struct Parts {
    parts: Vec<Part>,
    /// The length of the literal text, to size the output once.
    text_len: usize,
}

#[derive(Clone, Debug)]
enum Part {
    Text(String),
    Field(Path),
}

pub(super) fn parse<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    let source = match fixed(parser, argument)? {
        Some(parts) => Source::Fixed(parts),
        None => Source::Dynamic(parser.expr(argument)?),
    };
    Ok(Expr::Template(Box::new(Template { source })))
}

/// The split template text; `None` when `argument` is a directive giving the text.
#[inline(never)]
fn fixed<D: Data>(parser: &Parser<'_>, argument: &D) -> Result<Option<Parts>, Failure> {
    match argument.kind() {
        Kind::String => match Parts::parse(&argument.as_string().unwrap_or_default()) {
            Ok(parts) => Ok(Some(parts)),
            Err(why) => Err(parser.error(why)),
        },
        Kind::Object if is_directive(argument) => Ok(None),
        _ => Err(parser.error(format!(
            "takes a string such as \"Hello, {{{{traits.name}}}}!\" (or a directive giving one), not {}",
            describe(argument)
        ))),
    }
}

impl<D: Data> Template<D> {
    pub(super) fn evaluate(&self, root: &D) -> Option<D> {
        match &self.source {
            Source::Fixed(parts) => Some(D::from_str(&parts.render(root))),
            Source::Dynamic(expr) => {
                let text = expr.evaluate(root)?.as_string()?;
                Some(D::from_str(&Parts::parse(&text).ok()?.render(root)))
            }
        }
    }
}

impl Parts {
    /// Splits `text` as Segment's two replacements do: `{{{...}}}` first, then `{{...}}` in
    /// the text around those.
    fn parse(text: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        for (piece, is_field) in split(text, "{{{", "}}}") {
            if is_field {
                parts.push(Part::Field(field(piece)?));
                continue;
            }
            for (piece, is_field) in split(piece, "{{", "}}") {
                if is_field {
                    parts.push(Part::Field(field(piece)?));
                } else if let Some(Part::Text(last)) = parts.last_mut() {
                    last.push_str(piece);
                } else if !piece.is_empty() {
                    parts.push(Part::Text(piece.to_owned()));
                }
            }
        }
        let text_len = parts
            .iter()
            .map(|part| {
                if let Part::Text(text) = part {
                    text.len()
                } else {
                    0
                }
            })
            .sum();
        Ok(Parts { parts, text_len })
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

/// The path inside a placeholder.
fn field(inside: &str) -> Result<Path, String> {
    let inside = inside.trim();
    Path::from_tokens(inside)
        .ok_or_else(|| format!("the placeholder {{{{{inside}}}}} names no field"))
}

/// `text` cut into pieces, each flagged when it is the inside of an `open`...`close` pair whose
/// inside is one or more characters other than `}` (the pattern `\{\{([^}]+)\}\}`).
fn split<'t>(text: &'t str, open: &str, close: &str) -> Vec<(&'t str, bool)> {
    let mut pieces = Vec::new();
    let mut done = 0;
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| search::find(rest, open)) {
        let start = from + found;
        let inside_start = start + open.len();
        let rest = text.get(inside_start..).unwrap_or("");
        let inside_len = rest.find('}').unwrap_or(rest.len());
        if inside_len > 0
            && rest
                .get(inside_len..)
                .is_some_and(|after| after.starts_with(close))
        {
            pieces.push((text.get(done..start).unwrap_or(""), false));
            pieces.push((rest.get(..inside_len).unwrap_or(""), true));
            done = inside_start + inside_len + close.len();
            from = done;
        } else {
            // `{` is one byte: the next position is a character boundary.
            from = start + 1;
        }
    }
    pieces.push((text.get(done..).unwrap_or(""), false));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: &str, event: serde_json::Value) -> Result<String, String> {
        Ok(Parts::parse(template)?.render(&event))
    }

    #[test]
    fn placeholders_follow_segments_patterns() {
        let event = json!({"a": "x", "b": {"c": 1}, "d": [1, 2]});
        assert_eq!(
            render("{{a}}-{{{a}}}-{{ b.c }}", event.clone()).as_deref(),
            Ok("x-x-1")
        );
        assert_eq!(render("{{a}}}", event.clone()).as_deref(), Ok("x}"));
        assert_eq!(
            render("{{{a}}", event.clone()).as_deref(),
            Ok(""),
            "the inside is `{{a`"
        );
        assert_eq!(
            render("{{}} {{d}} {{b}}", event.clone()).as_deref(),
            Ok("{{}} 1,2 [object Object]")
        );
        assert_eq!(
            render("{{d[1]}}{{missing.x}}", event.clone()).as_deref(),
            Ok("2")
        );
        assert_eq!(
            render("héllo {{a}} wörld {", event.clone()).as_deref(),
            Ok("héllo x wörld {")
        );
        assert!(render("{{[]}}", event).is_err());
    }
}
