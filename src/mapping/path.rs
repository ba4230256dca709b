//! Paths into an event, as written in mappings (`$.context.page.url`, `$.products[0].sku`), and
//! the `@path` directive that reads one.

use super::parse::{describe, is_directive, Parser};
use super::text::is_falsy;
use super::{Expr, Failure};
use crate::data::{Data, Key, Kind};
use crate::quote::quote;
use crate::search;
use std::fmt;

/// One step of a [`Path`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(Key),
    Index(usize),
}

/// A parsed path, rooted at the event (`$`).
///
/// ```
/// use pendo_wasm::mapping::Path;
/// use pendo_wasm::data::Data;
/// let path = Path::parse("$.products[1].sku").unwrap();
/// let event = serde_json::json!({"products": [{"sku": "a"}, {"sku": "b"}]});
/// assert_eq!(path.resolve(&event).and_then(|v| v.as_string()).as_deref(), Some("b"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    segments: Vec<Segment>,
}

impl Path {
    /// Parses `$`, `$.a.b`, `$.a[0]`, `$["key with.dots"]`; a path without the leading `$.` is
    /// read from the root too (`traits.email`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let fail = |why: &str| Err(format!("cannot read path {}: {why}", quote(text)));
        let rest = match text.strip_prefix('$') {
            Some(rest) => rest,
            None if text.is_empty() => return fail("it is empty"),
            None => return Self::parse(&format!("$.{text}")),
        };
        let mut segments = Vec::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '.' => {
                    let mut key = String::new();
                    while let Some(&c) = chars.peek() {
                        if c == '.' || c == '[' {
                            break;
                        }
                        key.push(c);
                        chars.next();
                    }
                    if key.is_empty() {
                        return fail("a key after '.' is empty");
                    }
                    segments.push(Segment::Key(Key::unregistered(&key)));
                }
                '[' => {
                    let mut inner = String::new();
                    let mut closed = false;
                    let quote = chars.peek().copied().filter(|c| *c == '"' || *c == '\'');
                    if let Some(quote) = quote {
                        chars.next();
                        let mut escaped = false;
                        for c in chars.by_ref() {
                            if escaped {
                                inner.push(c);
                                escaped = false;
                            } else if c == '\\' {
                                escaped = true;
                            } else if c == quote {
                                closed = true;
                                break;
                            } else {
                                inner.push(c);
                            }
                        }
                        if !closed || chars.next() != Some(']') {
                            return fail("a quoted key is not closed");
                        }
                        segments.push(Segment::Key(Key::unregistered(&inner)));
                    } else {
                        for c in chars.by_ref() {
                            if c == ']' {
                                closed = true;
                                break;
                            }
                            inner.push(c);
                        }
                        match (closed, inner.trim().parse::<usize>()) {
                            (true, Ok(index)) => segments.push(Segment::Index(index)),
                            (true, Err(_)) if inner.trim() == "*" => {
                                return fail("wildcards are not supported")
                            }
                            _ => return fail("expected an index such as [0]"),
                        }
                    }
                }
                _ => return fail("expected '.' or '['"),
            }
        }
        Ok(Path { segments })
    }

    /// The path a mapping names with `text`: the grammar of [`Path::parse`] where it fits, and
    /// otherwise the way Segment's own lookup reads any string (the first `$.` dropped, then
    /// every run of characters other than `.`, `[` and `]` is a key), so that each path Segment
    /// accepts is accepted here too: `$.`, `$..` and `""` are the root, `$.a.b.` is `$.a.b`.
    /// `None` for text that names no key and is no root either, such as `[]`.
    pub fn parse_loose(text: &str) -> Option<Self> {
        match Self::parse(text) {
            Ok(path) => Some(path),
            Err(_) => match search::split_once(text, "$.") {
                Some((before, after)) => Self::from_tokens(&[before, after].concat()),
                None => Self::from_tokens(text),
            },
        }
    }

    /// Keys split as Segment's lookup splits a placeholder of a template: `a.b[0]` is
    /// `a`, `b`, `0`; `""` and `"."` are the root; `None` for other text without a key.
    pub fn from_tokens(text: &str) -> Option<Self> {
        let segments: Vec<Segment> = text
            .split(['.', '[', ']'])
            .filter(|token| !token.is_empty())
            .map(|token| Segment::Key(Key::unregistered(token)))
            .collect();
        if segments.is_empty() && !text.is_empty() && text != "." {
            return None;
        }
        Some(Path { segments })
    }

    /// A path given as its list of steps (the array form of `@path`).
    pub fn from_segments(segments: Vec<Segment>) -> Self {
        Path { segments }
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The value at this path in `root`; `None` when any step is missing.
    pub fn resolve<D: Data>(&self, root: &D) -> Option<D> {
        let mut segments = self.segments.iter();
        let first = match segments.next() {
            None => return Some(root.clone()),
            Some(segment) => step(root, segment)?,
        };
        segments.try_fold(first, |value, segment| step(&value, segment))
    }

    /// The value at this path in `root` read the way Segment's mapping-kit reads it, as the
    /// mapping directives do:
    /// - a key that is an array index (`"0"`) reads an array, an index (`[0]`) reads the key
    ///   `"0"` of an object, and `length` is the length of an array or a string;
    /// - a step that cannot be taken from a falsy value (`null`, `false`, `0`, `""`) yields that
    ///   value, as JavaScript's `value && value[key]` does: `$.traits.email` is `null` when
    ///   `traits` is `null`;
    /// - any other missing step is `None`.
    ///
    /// Only a step that misses costs more than one read.
    pub fn lookup<D: Data>(&self, root: &D) -> Option<D> {
        let Some((first, rest)) = self.segments.split_first() else {
            return Some(root.clone());
        };
        let mut current = match loose_step(root, first) {
            Some(value) => value,
            None => return is_falsy(root).then(|| root.clone()),
        };
        for segment in rest {
            match loose_step(&current, segment) {
                Some(next) => current = next,
                None => return is_falsy(&current).then_some(current),
            }
        }
        Some(current)
    }

    /// The rest of this path when it lies strictly under `prefix`: `$.traits.parentAccount`
    /// under `$.traits` is `[parentAccount]`.
    /// The same path with its keys registered with the page: for paths read from every event.
    pub fn registered(self) -> Path {
        let segments = self
            .segments
            .into_iter()
            .map(|segment| match segment {
                Segment::Key(key) => Segment::Key(key.registered()),
                index => index,
            })
            .collect();
        Path { segments }
    }

    pub fn strip_prefix(&self, prefix: &Path) -> Option<&[Segment]> {
        let rest = self.segments.strip_prefix(prefix.segments.as_slice())?;
        (!rest.is_empty()).then_some(rest)
    }
}

fn step<D: Data>(value: &D, segment: &Segment) -> Option<D> {
    match segment {
        Segment::Key(key) => value.field(key),
        Segment::Index(index) => value.get_index(*index),
    }
}

/// `@path`: a path string (`"$.traits.email"`), the list of its keys (`["traits", "a.b"]`), or a
/// directive whose value, a string, is the path to read.
pub(super) fn parse_directive<D: Data>(
    parser: &mut Parser<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    match fixed(parser, argument)? {
        Some(path) => Ok(Expr::Path(path)),
        None => Ok(Expr::DynamicPath(Box::new(parser.expr(argument)?))),
    }
}

/// The path `argument` names; `None` when it is a directive giving the path.
#[inline(never)]
fn fixed<D: Data>(parser: &Parser<'_>, argument: &D) -> Result<Option<Path>, Failure> {
    match argument.kind() {
        Kind::String => {
            let text = argument.as_string().unwrap_or_default();
            match Path::parse_loose(&text) {
                Some(path) => Ok(Some(path.registered())),
                None => Err(parser.error(format!("{} names no key of the event", quote(&text)))),
            }
        }
        Kind::Array => {
            let mut segments = Vec::new();
            for key in argument.items() {
                match (key.as_string(), key.as_f64()) {
                    (Some(text), _) => segments.push(Segment::Key(Key::new(&text))),
                    (None, Some(n)) if n >= 0.0 && n.fract() == 0.0 && n < 4_294_967_295.0 => {
                        segments.push(Segment::Index(n as usize))
                    }
                    _ => {
                        return Err(parser.error(format!(
                            "the keys of a path must be strings, not {}",
                            describe(&key)
                        )))
                    }
                }
            }
            Ok(Some(Path::from_segments(segments)))
        }
        Kind::Object if is_directive(argument) => Ok(None),
        _ => Err(parser.error(format!(
            "takes a path such as \"$.traits.email\" (or a directive giving one), not {}",
            describe(argument)
        ))),
    }
}

/// The value at the path that `path` evaluates to, for `{"@path": {"@path": "$.field"}}`.
pub(super) fn lookup_dynamic<D: Data>(path: &Expr<D>, root: &D) -> Option<D> {
    let text = path.evaluate(root)?.as_string()?;
    Path::parse_loose(&text)?.lookup(root)
}

/// One step of [`Path::lookup`].
fn loose_step<D: Data>(value: &D, segment: &Segment) -> Option<D> {
    match segment {
        Segment::Key(key) => value.field(key).or_else(|| match array_index(key.name()) {
            Some(index) => value.get_index(index),
            None if key.name() == "length" => length(value),
            None => None,
        }),
        Segment::Index(index) => value
            .get_index(*index)
            .or_else(|| value.get_key(&index.to_string())),
    }
}

/// The array index a key names, as JavaScript reads `"3"` (but not `"03"` or `"+3"`).
fn array_index(key: &str) -> Option<usize> {
    let canonical = !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_digit())
        && (key == "0" || !key.starts_with('0'));
    canonical.then(|| key.parse().ok()).flatten()
}

/// JavaScript's `length` of an array, or of a string in UTF-16 code units.
fn length<D: Data>(value: &D) -> Option<D> {
    let length = match value.kind() {
        Kind::Array => value.items().len(),
        Kind::String => value.as_string()?.encode_utf16().count(),
        _ => return None,
    };
    Some(D::from_f64(length as f64))
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.segments {
            match segment {
                Segment::Key(key) => write!(f, ".{}", key.name())?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_keys_indexes_and_quoted_keys() {
        let path = Path::parse("$.a[2]['b.c'].d").unwrap();
        assert_eq!(
            path.segments(),
            &[
                Segment::Key("a".into()),
                Segment::Index(2),
                Segment::Key("b.c".into()),
                Segment::Key("d".into())
            ]
        );
        assert_eq!(Path::parse("$").unwrap().segments(), &[]);
        assert_eq!(
            Path::parse("traits.email").unwrap(),
            Path::parse("$.traits.email").unwrap()
        );
    }

    #[test]
    fn refuses_malformed_paths() {
        for bad in ["", "$.", "$..a", "$[", "$[x]", "$['a'", "$a", "$.a[*]"] {
            assert!(Path::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn loose_paths_read_what_segment_reads() {
        let keys = |text: &str| Path::parse_loose(text).map(|path| path.to_string());
        assert_eq!(keys("$.a.b").as_deref(), Some("$.a.b"));
        assert_eq!(keys("").as_deref(), Some("$"));
        assert_eq!(keys("$.").as_deref(), Some("$"));
        assert_eq!(keys("$..").as_deref(), Some("$"));
        assert_eq!(keys("$.a.b.").as_deref(), Some("$.a.b"));
        assert_eq!(keys("$.a[*]").as_deref(), Some("$.a.*"));
        assert_eq!(keys("$a").as_deref(), Some("$.$a"));
        assert_eq!(keys("[]"), None);
        assert_eq!(
            Path::from_tokens("a[0].b")
                .map(|p| p.to_string())
                .as_deref(),
            Some("$.a.0.b")
        );
        assert_eq!(
            Path::from_tokens("$.a").map(|p| p.to_string()).as_deref(),
            Some("$.$.a")
        );
    }

    #[test]
    fn lookup_reads_as_javascript_does() {
        let event = json!({"a": {"0": "key"}, "list": ["x", "y"], "n": null, "z": 0, "s": "héllo", "t": true});
        let read = |text: &str| Path::parse_loose(text).and_then(|path| path.lookup(&event));
        assert_eq!(read("$.a[0]"), Some(json!("key")));
        assert_eq!(read("$.list.1"), Some(json!("y")));
        assert_eq!(read("$.list.01"), None);
        assert_eq!(read("$.list.length"), Some(json!(2)));
        assert_eq!(read("$.s.length"), Some(json!(5)));
        assert_eq!(read("$.n.x.y"), Some(json!(null)));
        assert_eq!(read("$.z.x"), Some(json!(0)));
        assert_eq!(read("$.t.x"), None);
        assert_eq!(read("$.missing.x"), None);
        assert_eq!(read("$"), Some(event.clone()));
    }

    #[test]
    fn resolves_and_strips_prefixes() {
        let event = json!({"traits": {"parentAccount": {"id": "p"}}});
        let nested = Path::parse("$.traits.parentAccount").unwrap();
        let traits = Path::parse("$.traits").unwrap();
        assert_eq!(nested.resolve(&event), Some(json!({"id": "p"})));
        assert_eq!(
            nested.strip_prefix(&traits),
            Some(&[Segment::Key("parentAccount".into())][..])
        );
        assert_eq!(traits.strip_prefix(&traits), None);
        assert_eq!(traits.strip_prefix(&nested), None);
    }
}
