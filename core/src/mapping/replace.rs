//! `@replace`: `{"value": <mapping>, "pattern": "-", "replacement": "_", "ignorecase": false,
//! "global": true, "pattern2": ..., "replacement2": ...}`, run as Segment runs it.
//!
//! The pattern is plain text, never a regular expression; every occurrence is replaced unless
//! `global` is `false`; `ignorecase` compares characters as JavaScript's case-insensitive search
//! does; the second pair, when `pattern2` is a non-empty string and `replacement2` a string (or
//! absent), is applied to the result of the first, with the same flags. In a replacement, `$$`
//! is `$`, `$&` the matched text, `` $` `` the text before it and `$'` the text after it, as in
//! JavaScript. As in Segment: a falsy `pattern` throws; a falsy `value` gives undefined; booleans
//! and numbers are replaced in as text; any other value, or options of the wrong type, give
//! `""`; a pattern or replacement longer than 10 characters throws when it is used.

use crate::prelude::*;

use super::js_value_rules::{is_truthy, js_length};
use super::parse::{option, throw, Compiler, Failure};
use super::validate::MAX_REPLACE_LENGTH;
use super::{Expr, Thrown, Value};
use crate::data::{Data, Kind};
use crate::search;

/// A compiled `@replace`.
#[derive(Clone, Debug)]
pub struct Replace<D> {
    value: Option<Expr<D>>,
    /// `None` when an option has the wrong type: the result is then `""`.
    rules: Option<Vec<Rule>>,
    ignore_case: bool,
    global: bool,
}

#[derive(Clone, Debug)]
struct Rule {
    pattern: String,
    folded: Vec<char>,
    replacement: Vec<Piece>,
    /// Segment's error when the pattern or the replacement is too long.
    too_long: Option<&'static str>,
}

#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    Matched,
    Before,
    After,
}

pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    if argument.kind() != Kind::Object {
        return Ok(throw("@replace requires an object with a \"pattern\" key"));
    }
    let Some(pattern) = option(argument, "pattern").filter(is_truthy) else {
        return Ok(throw("@replace requires a \"pattern\" key"));
    };
    // Absent or null options take Segment's defaults.
    let given = |key: &str| option(argument, key).filter(|v| v.kind() != Kind::Null);
    let text = |value: Option<D>| match value {
        None => Some(String::new()),
        Some(value) if value.kind() == Kind::String => value.as_string(),
        Some(_) => None,
    };
    let flag = |key: &str, default: bool| match given(key) {
        None => Some(default),
        Some(value) => value.as_bool(),
    };
    let ignore_case = flag("ignorecase", false);
    let global = flag("global", true);
    let first = match (
        pattern.as_string(),
        text(given("replacement")),
        ignore_case,
        global,
    ) {
        (Some(pattern_text), Some(replacement), Some(_), Some(_))
            if pattern.kind() == Kind::String =>
        {
            Some(Rule::new::<D>(pattern_text, &replacement))
        }
        _ => None,
    };
    let rules = first.map(|first| {
        let mut rules = vec![first];
        let second = option(argument, "pattern2").filter(is_truthy);
        if let Some(pattern2) = second
            .filter(|p| p.kind() == Kind::String)
            .and_then(|p| p.as_string())
        {
            if let Some(replacement2) = text(given("replacement2")) {
                rules.push(Rule::new::<D>(pattern2, &replacement2));
            }
        }
        rules
    });
    let value = option(argument, "value").filter(is_truthy);
    let value = compiler.option(value.as_ref())?;
    Ok(Expr::Replace(Box::new(Replace {
        value,
        rules,
        ignore_case: ignore_case.unwrap_or(false),
        global: global.unwrap_or(true),
    })))
}

impl<D: Data> Replace<D> {
    pub(super) fn evaluate(&self, root: &D) -> Value<D> {
        let Some(value) = &self.value else {
            return Ok(None);
        };
        let value = value.evaluate(root)?;
        let (Some(rules), Some(mut text)) = (&self.rules, value.and_then(|value| as_text(&value)))
        else {
            return Ok(Some(D::from_str("")));
        };
        for rule in rules {
            if let Some(why) = rule.too_long {
                return Err(Thrown::new(why));
            }
            text = rule.apply::<D>(&text, self.ignore_case, self.global);
        }
        Ok(Some(D::from_str(&text)))
    }
}

fn as_text<D: Data>(value: &D) -> Option<String> {
    match value.kind() {
        Kind::String => value.as_string(),
        Kind::Bool => value.as_bool().map(|b| b.to_string()),
        Kind::Number => value.as_f64().map(D::number_to_string),
        _ => None,
    }
}

impl Rule {
    fn new<D: Data>(pattern: String, replacement: &str) -> Self {
        let too_long = if js_length(&pattern) > MAX_REPLACE_LENGTH {
            Some("@replace requires a \"pattern\" less than 10 characters")
        } else if js_length(replacement) > MAX_REPLACE_LENGTH {
            Some("@replace requires a \"replacement\" less than 10 characters")
        } else {
            None
        };
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
                ('$', Some(&mark @ ('&' | '`' | '\''))) => {
                    chars.next();
                    pieces.push(Piece::Text(core::mem::take(&mut text)));
                    pieces.push(match mark {
                        '&' => Piece::Matched,
                        '`' => Piece::Before,
                        _ => Piece::After,
                    });
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
            too_long,
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
                    Piece::Before => out.push_str(text.get(..start).unwrap_or("")),
                    Piece::After => out.push_str(text.get(end..).unwrap_or("")),
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
        // Patterns are never empty (Segment throws for them); this keeps the loop finite.
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
