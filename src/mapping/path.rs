//! Paths into an event, as written in mappings: `$.context.page.url`, `$.products[0].sku`.

use crate::data::Data;
use std::fmt;

/// One step of a [`Path`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(Box<str>),
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
        let fail = |why: &str| Err(format!("cannot read path {text:?}: {why}"));
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
                    segments.push(Segment::Key(key.into()));
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
                        segments.push(Segment::Key(inner.into()));
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

    /// The rest of this path when it lies strictly under `prefix`: `$.traits.parentAccount`
    /// under `$.traits` is `[parentAccount]`.
    pub fn strip_prefix(&self, prefix: &Path) -> Option<&[Segment]> {
        let rest = self.segments.strip_prefix(prefix.segments.as_slice())?;
        (!rest.is_empty()).then_some(rest)
    }
}

fn step<D: Data>(value: &D, segment: &Segment) -> Option<D> {
    match segment {
        Segment::Key(key) => value.get_key(key),
        Segment::Index(index) => value.get_index(*index),
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.segments {
            match segment {
                Segment::Key(key) => write!(f, ".{key}")?,
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
