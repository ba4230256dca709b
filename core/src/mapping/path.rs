//! Paths into an event, read exactly as Segment's mapping-kit reads them, and the `@path`
//! directive.
//!
//! Segment drops the first `$.` found anywhere in the text, takes `""` and `"."` as the root,
//! then splits the rest at every `.`, at a `[` followed by a quote or a digit, and at a run of
//! `]` after a quote or a digit, drops empty pieces and every quote character. So `$.a.b[0]`
//! is `a`, `b`, `0`; `$` is the key `"$"` (not the root); `$['traits']['email']` is `$`,
//! `traits`, `email`; `" $.x "` keeps its spaces. Each step is JavaScript's `value && value[key]`
//! on own properties: a falsy value stops the walk and is the result (`$.a.b` is `null` when
//! `a` is `null`), arrays and strings are read by index and have a `length`.

use crate::prelude::*;

use super::js_value_rules::{is_falsy, js_length};
use super::parse::{Compiler, Failure};
use super::Expr;
#[cfg(feature = "all-directives")]
use super::{Thrown, Value};
use crate::data::{Data, Key, Kind};
use core::fmt;

/// A parsed path: the keys Segment's lookup reads, in order (none for the root).
///
/// ```
/// use pendo_core::mapping::Path;
/// let event = serde_json::json!({"products": [{"sku": "a"}, {"sku": "b"}], "$": 1});
/// assert_eq!(Path::parse("$.products[1].sku").lookup(&event), Some(serde_json::json!("b")));
/// assert_eq!(Path::parse("$").lookup(&event), Some(serde_json::json!(1)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    keys: Vec<Key>,
}

impl Path {
    /// The path `text` names, for a path read once (its keys are not registered).
    pub fn parse(text: &str) -> Path {
        Path::of(keys(text), false)
    }

    /// The path `text` names, for a path read from every event (its keys registered).
    pub fn registered(text: &str) -> Path {
        Path::of(keys(text), true)
    }

    /// The path of a `{{placeholder}}`, whose text is used without dropping `$.`.
    pub fn of_placeholder(text: &str) -> Path {
        Path::of(split(text), true)
    }

    /// [`Path::of_placeholder`] for a placeholder read once (its keys are not registered).
    pub fn of_placeholder_read_once(text: &str) -> Path {
        Path::of(split(text), false)
    }

    /// The path of `keys`, registered or not: one loop for the four ways paths are made.
    fn of(keys: Vec<String>, registered: bool) -> Path {
        let key = if registered {
            Key::new
        } else {
            Key::unregistered
        };
        let mut path = Path {
            keys: Vec::with_capacity(keys.len()),
        };
        for name in &keys {
            path.keys.push(key(name));
        }
        path
    }

    /// The keys Segment's lookup reads, in order (none for the root).
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The value at this path in `root`, as Segment's lookup gives it; `None` when undefined.
    pub fn lookup<D: Data>(&self, root: &D) -> Option<D> {
        let Some((first, rest)) = self.keys.split_first() else {
            return Some(root.clone());
        };
        let mut current = match root.field(first) {
            Some(value) => value,
            None if is_falsy(root) => return Some(root.clone()),
            None => step(root, first)?,
        };
        for key in rest {
            current = match current.field(key) {
                Some(value) => value,
                // JavaScript's `value && value[key]`: a falsy value is the result.
                None if is_falsy(&current) => return Some(current),
                None => step(&current, key)?,
            };
        }
        Some(current)
    }
}

/// The keys of `text`: the first `$.` dropped, then [`split`], `""` and `"."` being the root.
fn keys(text: &str) -> Vec<String> {
    // Found by bytes: `str`'s own search links its panic path, and with it Rust's text
    // formatting of characters (-2 KB in the .wasm).
    let text = match text.as_bytes().windows(2).position(|pair| pair == b"$.") {
        Some(at) => crate::concat(&[
            text.get(..at).unwrap_or(""),
            text.get(at + 2..).unwrap_or(""),
        ]),
        None => text.to_owned(),
    };
    if text.is_empty() || text == "." {
        return Vec::new();
    }
    split(&text)
}

/// Segment's split of a path into keys: at `.`, at `[` before a quote or digit, at a run of
/// `]` after a quote or digit; empty pieces dropped, then quote characters removed.
fn split(text: &str) -> Vec<String> {
    let is_mark = |c: char| c == '"' || c == '\'' || c.is_ascii_digit();
    let mut pieces = Vec::new();
    // The piece being read, without its quote characters; `written` says whether it has any
    // character, quotes included: a piece of quotes only is no empty piece, and stays as "".
    let mut piece = String::new();
    let mut written = false;
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let cut = match c {
            '.' => true,
            '[' => chars.peek().copied().is_some_and(is_mark),
            ']' => previous.is_some_and(is_mark),
            _ => false,
        };
        if cut {
            if c == ']' {
                while chars.peek() == Some(&']') {
                    chars.next();
                }
            }
            if written {
                pieces.push(core::mem::take(&mut piece));
            }
            written = false;
            previous = Some(']');
            if c != ']' {
                previous = Some(c);
            }
        } else {
            written = true;
            if !matches!(c, '\'' | '"') {
                piece.push(c);
            }
            previous = Some(c);
        }
    }
    if written {
        pieces.push(piece);
    }
    pieces
}

/// The character at the UTF-16 index `index` of `text`, as JavaScript's `text[index]` reads
/// it; `None` past the end and on either half of a surrogate pair (which JavaScript gives as a
/// lone surrogate, and a string here cannot hold). Counted by characters: `encode_utf16`
/// would add its own iterator to the `.wasm`.
fn char_at_unit(text: &str, index: usize) -> Option<char> {
    let mut units = 0;
    for c in text.chars() {
        if units == index {
            return (c.len_utf16() == 1).then_some(c);
        }
        units += c.len_utf16();
        if units > index {
            return None;
        }
    }
    None
}

/// One step, `value[key]` on own properties, when `value` has no own field `key` (arrays and
/// strings by index, and their `length`). Only a step that misses costs more than one read.
fn step<D: Data>(value: &D, key: &Key) -> Option<D> {
    match value.kind() {
        Kind::Object => value.field(key),
        Kind::Array => match array_index(key.name()) {
            Some(index) => value.get_index(index),
            None if key.name() == "length" => Some(D::from_f64(value.items().len() as f64)),
            None => None,
        },
        Kind::String => {
            let text = value.as_string()?;
            match array_index(key.name()) {
                Some(index) => {
                    let c = char_at_unit(&text, index)?;
                    Some(D::from_str(c.encode_utf8(&mut [0; 4])))
                }
                None if key.name() == "length" => Some(D::from_f64(js_length(&text) as f64)),
                None => None,
            }
        }
        _ => None,
    }
}

/// The array index a key names, as JavaScript reads `"3"` (but not `"03"` or `"+3"`).
fn array_index(key: &str) -> Option<usize> {
    let canonical = !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_digit())
        && (key == "0" || !key.starts_with('0'));
    canonical.then(|| crate::parse_digits(key)).flatten()
}

/// `@path`: a path string, or a directive (or any mapping) whose value, a string, is the path.
pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    match argument.as_string() {
        Some(text) if argument.kind() == Kind::String => Ok(Expr::Path(Path::registered(&text))),
        #[cfg(feature = "all-directives")]
        _ => Ok(Expr::DynamicPath(Box::new(compiler.expr(argument)?))),
        // `validate` takes a string or a directive; the default build runs a string only,
        // and hands a directive (a path made for each event, written only by hand) over.
        #[cfg(not(feature = "all-directives"))]
        _ => Err(compiler.error("a @path of no text is run by the full build")),
    }
}

/// The value at the path that `path` evaluates to; Segment throws when it is no string.
#[cfg(feature = "all-directives")]
pub(super) fn lookup_dynamic<D: Data>(path: &Expr<D>, root: &D) -> Value<D> {
    let value = path.evaluate(root)?;
    match value
        .as_ref()
        .filter(|v| v.kind() == Kind::String)
        .and_then(Data::as_string)
    {
        Some(text) => Ok(Path::parse(&text).lookup(root)),
        None => Err(not_text("@path", value.as_ref())),
    }
}

/// Segment's error for a `@path` or `@template` whose value is no string.
#[cfg(feature = "all-directives")]
#[cold]
#[inline(never)]
pub(super) fn not_text<D: Data>(directive: &str, value: Option<&D>) -> Thrown {
    let kind = value.map_or("undefined", super::parse::describe);
    Thrown::new(crate::concat(&[
        directive,
        ": expected a string, got ",
        kind,
    ]))
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for key in &self.keys {
            write!(f, "[{:?}]", key.name())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Strings read by UTF-16 index and length as `encode_utf16` counts them.
    #[test]
    fn string_steps_count_utf16_units() {
        for text in ["", "abc", "é😀ü", "😀😀", "a\u{10FFFF}"] {
            let units: Vec<u16> = text.encode_utf16().collect();
            assert_eq!(js_length(text), units.len(), "{text:?}");
            for index in 0..units.len() + 2 {
                let expected = units
                    .get(index)
                    .and_then(|unit| char::from_u32(u32::from(*unit)));
                assert_eq!(char_at_unit(text, index), expected, "{text:?}[{index}]");
            }
        }
    }

    fn names(text: &str) -> Vec<String> {
        keys(text)
    }

    #[test]
    fn splits_as_segment_does() {
        assert_eq!(names("$.a.b[0].c"), ["a", "b", "0", "c"]);
        assert_eq!(names("$"), ["$"]);
        assert!(names("$.").is_empty() && names("").is_empty() && names(".").is_empty());
        assert!(names("$..").is_empty());
        assert_eq!(names("$['traits']['email']"), ["$", "traits", "email"]);
        assert_eq!(names("$.properties[\"a.b\"]"), ["properties", "a", "b"]);
        assert_eq!(names(" $.x "), [" x "]);
        assert_eq!(names("$.a[x]"), ["a[x]"]);
        assert_eq!(names("$.a[0]]]b"), ["a", "0", "b"]);
        assert_eq!(names("a$.b"), ["ab"]);
    }

    #[test]
    fn lookup_reads_as_javascript_does() {
        let event = json!({"a": {"0": "key"}, "list": ["x", "y"], "n": null, "z": 0, "s": "héllo", "t": true});
        let read = |text: &str| Path::parse(text).lookup(&event);
        assert_eq!(read("$.a[0]"), Some(json!("key")));
        assert_eq!(read("$.list.1"), Some(json!("y")));
        assert_eq!(read("$.list.01"), None);
        assert_eq!(read("$.list.length"), Some(json!(2)));
        assert_eq!(read("$.s.length"), Some(json!(5)));
        assert_eq!(read("$.s[1]"), Some(json!("é")));
        assert_eq!(read("$.n.x.y"), Some(json!(null)));
        assert_eq!(read("$.z.x"), Some(json!(0)));
        assert_eq!(read("$.t.x"), None);
        assert_eq!(read("$.missing.x"), None);
        assert_eq!(read("$."), Some(event.clone()));
        assert_eq!(read("$"), None);
    }
}
