//! The parsed form of a trigger: a tree of `and` / `or` groups over conditions on fields.
//!
//! Everything an event is compared with is prepared here at parse time (paths split into
//! segments, numbers as `f64`, `match` patterns split at their `*`), so matching only reads.

use crate::prelude::*;

use crate::data::Key;

/// A node of the parsed trigger. Groups are flattened: an `All` never holds an `All` directly,
/// nor an `Any` an `Any`.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Node {
    /// `a and b and c`: every child holds.
    All(Vec<Node>),
    /// `a or b or c`: at least one child holds.
    Any(Vec<Node>),
    Test(Condition),
}

/// One condition on one field: `properties.total > 100`, `!contains(event, "Test")`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Condition {
    pub field: FieldPath,
    pub check: Check,
    /// The condition as written in the trigger, for explain mode.
    #[cfg(feature = "explain")]
    pub text: Box<str>,
}

/// What a [`Condition`] asks of the field's value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Check {
    /// `!= null` (`present: true`) or `= null` (`present: false`); `null` counts as absent.
    Present { present: bool },
    /// `= "text"` or `!= "text"`: the value is (not) exactly that string.
    Text { text: Key, equal: bool },
    /// `= true`, `!= false`: the value is (not) that boolean.
    Bool { value: bool, equal: bool },
    /// Any operator against a number: only number values compare.
    Number { compare: Compare, value: f64 },
    /// `contains(...)` or `match(...)`, maybe negated; only string values compare.
    Pattern { pattern: Glob, negated: bool },
    /// `<`, `<=`, `>` or `>=` against what is no number (`< null`, `> "abc"`): never holds, as
    /// in Segment, whose comparison with `NaN` is never true.
    Never,
}

/// The comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Compare {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Compare {
    pub fn symbol(self) -> &'static str {
        match self {
            Compare::Equal => "=",
            Compare::NotEqual => "!=",
            Compare::Less => "<",
            Compare::LessOrEqual => "<=",
            Compare::Greater => ">",
            Compare::GreaterOrEqual => ">=",
        }
    }

    /// `=` and `!=`, the only operators that take strings, booleans and `null`.
    pub fn is_equality(self) -> bool {
        matches!(self, Compare::Equal | Compare::NotEqual)
    }
}

/// A dotted path from the root of the event: `context.page.path` is `["context", "page", "path"]`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct FieldPath {
    pub segments: Vec<PathSegment>,
}

/// One key of a [`FieldPath`]. A key made of digits also indexes arrays (`products.0.sku`).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct PathSegment {
    pub key: Key,
    pub index: Option<usize>,
}

impl FieldPath {
    pub fn new(keys: Vec<String>) -> Self {
        let mut segments = Vec::with_capacity(keys.len());
        for key in &keys {
            segments.push(PathSegment {
                key: Key::new(key),
                index: crate::parse_digits(key),
            });
        }
        FieldPath { segments }
    }
}

/// A `*` pattern: `Exact` without any `*`; otherwise the text before the first `*`, the pieces
/// between stars that must appear in order, and the text after the last `*`.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Glob {
    Exact(Box<str>),
    Wildcard {
        first: Box<str>,
        middle: Vec<Box<str>>,
        last: Box<str>,
    },
}

impl Glob {
    /// The pattern of `match(field, "...")`: `*` stands for any run of characters.
    pub fn parse(pattern: &str) -> Self {
        let mut pieces = crate::search::split_at_ascii(pattern, b'*');
        let first: Box<str> = pieces.next().unwrap_or_default().into();
        let Some(mut last) = pieces.next() else {
            return Glob::Exact(first);
        };
        // The pieces between the first and the last star, the empty ones left out.
        let mut middle = Vec::new();
        for piece in pieces {
            if !last.is_empty() {
                middle.push(last.into());
            }
            last = piece;
        }
        Glob::Wildcard {
            first,
            middle,
            last: last.into(),
        }
    }

    /// The pattern of `contains(field, "...")`, where a `*` is an ordinary character.
    pub fn containing(text: &str) -> Self {
        Glob::Wildcard {
            first: "".into(),
            middle: vec![text.into()],
            last: "".into(),
        }
    }
}
