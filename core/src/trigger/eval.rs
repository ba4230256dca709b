//! Matching an event against a parsed trigger: reads the fields a condition names, nothing else.

use super::tree::{Check, Compare, Condition, FieldPath, Glob, Node};
use crate::data::{Data, Kind};
use crate::search;

impl Node {
    /// Recursion here is bounded: the parser refuses trees deeper than the nesting limit.
    pub(super) fn matches<D: Data>(&self, event: &D) -> bool {
        match self {
            Node::All(terms) => terms.iter().all(|term| term.matches(event)),
            Node::Any(alternatives) => alternatives
                .iter()
                .any(|alternative| alternative.matches(event)),
            Node::Test(condition) => condition.matches(event),
        }
    }
}

/// Explain mode: which condition an event fails.
#[cfg(feature = "explain")]
impl Node {
    /// The first condition, in the order they are tested, that fails for `event`, with the
    /// value it read (`None`: the field is missing). Meant for an event that does not match:
    /// each `and` names its first failing term, an `or` its first alternative's failure.
    pub(super) fn first_failure<D: Data>(&self, event: &D) -> Option<(&Condition, Option<D>)> {
        match self {
            Node::All(terms) => terms.iter().find_map(|term| term.first_failure(event)),
            Node::Any(alternatives) => {
                let mut first = None;
                for alternative in alternatives {
                    match alternative.first_failure(event) {
                        None => return None,
                        Some(failure) => {
                            first.get_or_insert(failure);
                        }
                    }
                }
                first
            }
            Node::Test(condition) => {
                (!condition.matches(event)).then(|| (condition, condition.field.resolve(event)))
            }
        }
    }
}

impl Condition {
    fn matches<D: Data>(&self, event: &D) -> bool {
        // The commonest condition, `type = "track"`, in one step (`null` is no text).
        if let (Check::Text { text, equal }, [only]) = (&self.check, self.field.segments.as_slice())
        {
            return event.field_is_text(&only.key, text) == *equal;
        }
        // `null` and a missing field are one and the same to every check.
        let value = self.field.resolve(event).filter(|v| v.kind() != Kind::Null);
        // Types never mix: each check reads the value only when it has the check's kind.
        let of_kind = |kind: Kind| value.as_ref().filter(|v| v.kind() == kind);
        match &self.check {
            Check::Present { present } => value.is_some() == *present,
            Check::Text { text, equal } => {
                value.as_ref().is_some_and(|v| v.is_text(text)) == *equal
            }
            Check::Bool {
                value: expected,
                equal,
            } => (of_kind(Kind::Bool).and_then(D::as_bool) == Some(*expected)) == *equal,
            Check::Number {
                compare,
                value: expected,
            } => {
                // Every operator against a number asks for a number, `!=` too, as in Segment:
                // `properties.total != 100` does not match a missing total or "250".
                of_kind(Kind::Number)
                    .and_then(D::as_f64)
                    .is_some_and(|actual| compare.holds(actual, *expected))
            }
            Check::Never => false,
            Check::Pattern { pattern, negated } => {
                // As in Segment, a negated function still needs a string: `!contains(event, "x")`
                // does not match an event without `event`.
                let actual = of_kind(Kind::String).and_then(D::as_string);
                actual.is_some_and(|text| pattern.matches(&text) != *negated)
            }
        }
    }
}

impl Compare {
    fn holds(self, actual: f64, expected: f64) -> bool {
        match self {
            Compare::Equal => actual == expected,
            Compare::NotEqual => actual != expected,
            Compare::Less => actual < expected,
            Compare::LessOrEqual => actual <= expected,
            Compare::Greater => actual > expected,
            Compare::GreaterOrEqual => actual >= expected,
        }
    }
}

impl FieldPath {
    /// The value at this path; `None` when any step is missing.
    fn resolve<D: Data>(&self, event: &D) -> Option<D> {
        let mut segments = self.segments.iter();
        let first = segments.next()?;
        let mut value = event.field(&first.key)?;
        for segment in segments {
            value = match segment.index {
                Some(index) if value.kind() == Kind::Array => value.get_index(index)?,
                _ => value.field(&segment.key)?,
            };
        }
        Some(value)
    }
}

impl Glob {
    pub(super) fn matches(&self, text: &str) -> bool {
        match self {
            Glob::Exact(exact) => text == &**exact,
            Glob::Wildcard {
                first,
                middle,
                last,
            } => {
                // `strip_suffix` on what `strip_prefix` left keeps the two ends from overlapping;
                // taking each middle piece at its first occurrence is enough when `*` is the
                // only wildcard.
                let Some(mut rest) = text
                    .strip_prefix(&**first)
                    .and_then(|rest| rest.strip_suffix(&**last))
                else {
                    return false;
                };
                for piece in middle.iter() {
                    match search::split_once(rest, piece) {
                        Some((_, after)) => rest = after,
                        None => return false,
                    }
                }
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_shapes() {
        let cases = [
            ("abc", "abc", true),
            ("abc", "abcd", false),
            ("abc*", "abcdef", true),
            ("abc*", "xabc", false),
            ("*abc", "xyzabc", true),
            ("*abc", "abcx", false),
            ("*abc*", "xxabcxx", true),
            ("*abc*", "ab", false),
            ("a*c", "abbbc", true),
            ("a*c", "ac", true),
            ("aa*aa", "aaa", false),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxcyyb", false),
            ("*", "", true),
            ("**", "anything", true),
            ("", "", true),
            ("", "x", false),
            ("é*", "été", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                Glob::parse(pattern).matches(text),
                expected,
                "match({text:?}, {pattern:?})"
            );
        }
    }

    /// The pieces between the first and the last star, without the empty ones.
    #[test]
    fn glob_pieces() {
        let wildcard = |first: &str, middle: &[&str], last: &str| Glob::Wildcard {
            first: first.into(),
            middle: middle.iter().map(|piece| (*piece).into()).collect(),
            last: last.into(),
        };
        assert_eq!(Glob::parse("abc"), Glob::Exact("abc".into()));
        assert_eq!(Glob::parse("*"), wildcard("", &[], ""));
        assert_eq!(Glob::parse("***"), wildcard("", &[], ""));
        assert_eq!(Glob::parse("a*b"), wildcard("a", &[], "b"));
        assert_eq!(Glob::parse("a**b*c*"), wildcard("a", &["b", "c"], ""));
        assert_eq!(Glob::parse("*x*"), wildcard("", &["x"], ""));
    }

    #[test]
    fn contains_takes_stars_literally() {
        assert!(Glob::containing("a*b").matches("xa*bx"));
        assert!(!Glob::containing("a*b").matches("axxb"));
        assert!(Glob::containing("").matches(""));
    }
}
