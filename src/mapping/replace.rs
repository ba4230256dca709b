//! `@replace`: `{"value": <string or directive>, "pattern": "-", "replacement": "_",
//! "ignorecase": false, "global": true, "pattern2": ..., "replacement2": ...}`.
//!
//! As in Segment: the pattern is plain text, never a regular expression, of 1 to 10 characters;
//! replacements have 10 characters at most; every occurrence is replaced unless `global` is
//! `false`; `ignorecase` compares characters as JavaScript's case-insensitive search does; the
//! optional second pair is applied to the result of the first, with the same flags. Booleans and
//! numbers are replaced in as text; any other value (undefined included) gives `""`. In a
//! replacement, `$$` is `$` and `$&` is the matched text, as in JavaScript.

use super::parse::{Options, Parser};
use super::text::js_length;
use super::{Expr, Failure};
use crate::data::{Data, Kind};
use crate::quote::quote;
use crate::search;

/// The longest pattern and replacement Segment accepts, in UTF-16 code units.
const MAX_LENGTH: usize = 10;

/// A parsed `@replace`.
#[derive(Clone, Debug)]
pub struct Replace<D> {
    /// `None` when the value is the literal `""`, which Segment skips.
    value: Option<Expr<D>>,
    rules: Vec<Rule>,
    ignore_case: bool,
    global: bool,
}

/// One pattern and its replacement.
#[derive(Clone, Debug)]
struct Rule {
    pattern: String,
    /// The pattern's characters as a case-insensitive search compares them.
    folded: Vec<char>,
    replacement: Vec<Piece>,
}

#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    /// `$&`: the text that matched.
    Matched,
}

pub(super) fn parse<D: Data>(parser: &mut Parser<'_>, argument: &D) -> Result<Expr<D>, Failure> {
    let (mut replace, value, rest) = read(parser, argument)?;
    let [value] = parser.children([("value", value)], rest)?;
    replace.value = value;
    Ok(Expr::Replace(Box::new(replace)))
}

/// Everything but the value, and the value still to be parsed.
#[allow(clippy::type_complexity)]
#[inline(never)]
fn read<D: Data>(
    parser: &Parser<'_>,
    argument: &D,
) -> Result<(Replace<D>, Option<D>, Options<D>), Failure> {
    let mut options = parser.options(
        argument,
        r#"{"value": {"@path": "$.event"}, "pattern": " ", "replacement": "_"}"#,
    )?;
    let pattern = text_option(parser, &mut options, "pattern", 1)?
        .ok_or_else(|| parser.error("needs the option \"pattern\""))?;
    let replacement = text_option(parser, &mut options, "replacement", 0)?.unwrap_or_default();
    let mut rules = vec![Rule::new::<D>(pattern, &replacement)];
    // Segment ignores a second pattern that is empty or null.
    let pattern2 = match options.take("pattern2") {
        Some(value)
            if value.as_string().is_some_and(|text| text.is_empty())
                || value.kind() == Kind::Null =>
        {
            None
        }
        Some(value) => Some(text_value(parser, "pattern2", &value, 1)?),
        None => None,
    };
    if let Some(pattern2) = pattern2 {
        let replacement2 = match options.take("replacement2") {
            Some(value) if value.kind() == Kind::Null => String::new(),
            Some(value) => text_value(parser, "replacement2", &value, 0)?,
            None => String::new(),
        };
        rules.push(Rule::new::<D>(pattern2, &replacement2));
    }
    let ignore_case = parser
        .boolean(&mut options, "ignorecase", false)?
        .unwrap_or(false);
    let global = parser
        .boolean(&mut options, "global", false)?
        .unwrap_or(true);
    if !options.has("value") {
        return Err(parser.error("needs the option \"value\""));
    }
    let value = parser.string_or_directive(&mut options, "value")?;
    Ok((
        Replace {
            value: None,
            rules,
            ignore_case,
            global,
        },
        value,
        options,
    ))
}

/// A string option of `min` to [`MAX_LENGTH`] characters, when present.
fn text_option<D: Data>(
    parser: &Parser<'_>,
    options: &mut Options<D>,
    key: &str,
    min: usize,
) -> Result<Option<String>, Failure> {
    options
        .take(key)
        .map(|value| text_value(parser, key, &value, min))
        .transpose()
}

fn text_value<D: Data>(
    parser: &Parser<'_>,
    key: &str,
    value: &D,
    min: usize,
) -> Result<String, Failure> {
    let text = value
        .as_string()
        .ok_or_else(|| parser.wrong_option(key, "a string", value))?;
    if !(min..=MAX_LENGTH).contains(&js_length(&text)) {
        return Err(parser.error(format!(
            "option \"{key}\" must be a string of {min} to {MAX_LENGTH} characters, not {}",
            quote(&text)
        )));
    }
    Ok(text)
}

impl<D: Data> Replace<D> {
    pub(super) fn evaluate(&self, root: &D) -> Option<D> {
        let value = self.value.as_ref()?.evaluate(root);
        let Some(mut text) = value.and_then(|value| as_text(&value)) else {
            return Some(D::from_str(""));
        };
        for rule in &self.rules {
            text = rule.apply::<D>(&text, self.ignore_case, self.global);
        }
        Some(D::from_str(&text))
    }
}

/// A string as it is, a boolean or a number as JavaScript prints it.
fn as_text<D: Data>(value: &D) -> Option<String> {
    if let Some(text) = value.as_string() {
        return Some(text);
    }
    match value.kind() {
        Kind::Bool => value.as_bool().map(|b| b.to_string()),
        Kind::Number => value.as_f64().map(D::number_to_string),
        _ => None,
    }
}

impl Rule {
    fn new<D: Data>(pattern: String, replacement: &str) -> Self {
        let folded = D::fold_case(&pattern).chars().collect();
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = replacement.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('$', Some('$')) => {
                    chars.next();
                    text.push('$');
                }
                ('$', Some('&')) => {
                    chars.next();
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                    pieces.push(Piece::Matched);
                }
                _ => text.push(c),
            }
        }
        pieces.push(Piece::Text(text));
        pieces.retain(|piece| !matches!(piece, Piece::Text(text) if text.is_empty()));
        Rule {
            pattern,
            folded,
            replacement: pieces,
        }
    }

    fn apply<D: Data>(&self, text: &str, ignore_case: bool, global: bool) -> String {
        let matches = if ignore_case {
            self.find_folded(text, &D::fold_case(text), global)
        } else {
            self.find_exact(text, global)
        };
        if matches.is_empty() {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut done = 0;
        for (start, end) in matches {
            out.push_str(text.get(done..start).unwrap_or(""));
            let matched = text.get(start..end).unwrap_or("");
            for piece in &self.replacement {
                match piece {
                    Piece::Text(text) => out.push_str(text),
                    Piece::Matched => out.push_str(matched),
                }
            }
            done = end;
        }
        out.push_str(text.get(done..).unwrap_or(""));
        out
    }

    /// Byte ranges of the occurrences of the pattern, left to right, not overlapping.
    fn find_exact(&self, text: &str, global: bool) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        // Patterns are never empty (parsing refuses them); this keeps the loop finite anyway.
        if self.pattern.is_empty() {
            return found;
        }
        let mut from = 0;
        while let Some(at) = text
            .get(from..)
            .and_then(|rest| search::find(rest, &self.pattern))
        {
            let end = from + at + self.pattern.len();
            found.push((from + at, end));
            if !global {
                break;
            }
            from = end;
        }
        found
    }

    /// Like [`Rule::find_exact`], comparing `folded`: `text` folded, a character for each
    /// character.
    fn find_folded(&self, text: &str, folded: &str, global: bool) -> Vec<(usize, usize)> {
        let chars: Vec<(usize, char)> = text
            .char_indices()
            .zip(folded.chars())
            .map(|((at, _), c)| (at, c))
            .collect();
        let width = self.folded.len();
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(window) = chars.get(at..at + width) {
            if window
                .iter()
                .map(|(_, c)| *c)
                .eq(self.folded.iter().copied())
            {
                let start = window.first().map_or(0, |(start, _)| *start);
                let end = chars.get(at + width).map_or(text.len(), |(end, _)| *end);
                found.push((start, end));
                if !global {
                    break;
                }
                at += width;
            } else {
                at += 1;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn replaces_plain_text_with_javascripts_rules() {
        let rule = Rule::new::<Value>("a.".to_owned(), "[$&]$$");
        assert_eq!(rule.apply::<Value>("a.ba.xa", false, true), "[a.]$b[a.]$xa");
        assert_eq!(rule.apply::<Value>("a.ba.xa", false, false), "[a.]$ba.xa");
        assert_eq!(rule.apply::<Value>("A.", false, true), "A.");
        assert_eq!(rule.apply::<Value>("A.bä.", true, true), "[A.]$bä.");
        let rule = Rule::new::<Value>("ß".to_owned(), "s");
        assert_eq!(
            rule.apply::<Value>("ßẞ", true, true),
            "sẞ",
            "ß has no single-character upper case"
        );
        let rule = Rule::new::<Value>("é".to_owned(), "e");
        assert_eq!(rule.apply::<Value>("ÉéE", true, true), "eeE");
        assert_eq!(
            Rule::new::<Value>("k".to_owned(), "x").apply::<Value>("\u{212A}k", true, true),
            "\u{212A}x",
            "Kelvin sign stays"
        );
    }
}
