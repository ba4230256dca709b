//! The subscription language: triggers such as `type = "track" and event = "Order Completed"`.
//!
//! A trigger is parsed once, when the plugins are created, into a [`Trigger`]; matching an
//! event only walks the parsed tree.
//!
//! # The language
//!
//! This is what Segment's subscription editor writes, read as Segment's runtime
//! (`@segment/destination-subscriptions`) reads it, except where that runtime contradicts its
//! own meaning (the README lists each case; the differential tests check the rest):
//!
//! - **Conditions** compare a field with a value: `field OP value`. `OP` is one of `=`, `!=`,
//!   `<`, `<=`, `>`, `>=`.
//! - **Fields** are dotted paths from the root of the event: `type`, `event`, `name`, `userId`,
//!   `properties.total`, `traits.address.city`, `context.page.path`, or any other path. Keys
//!   hold letters, digits, `_`, `$` and `-`, and the first one starts with a letter, `_` or `$`;
//!   a backslash escapes any other character (`properties.order\ id`; `properties.a\.b` is the
//!   key `a.b`). A key of digits also indexes arrays (`properties.products.0.sku`). Only own
//!   keys of objects and arrays are read.
//! - **Values** are strings in double (or single) quotes, taken as written: as in Segment, no
//!   backslash escape is decoded and a string ends at its next quote. Numbers are integers or
//!   decimals, maybe signed, maybe with an exponent (`-2.5`, `-.5`, `1e3`). Then `true`,
//!   `false` and `null`.
//! - **`type`, `event`, `name` and `userId` compare as text**, as in Segment: `userId = 123` is
//!   `userId = "123"` (JavaScript's text of the number), `event = true` is `event = "true"`;
//!   only `userId = true` and `userId = false` ask for a boolean.
//! - **Other fields compare values as they are**: `= 100` matches only the number 100,
//!   `= "100"` only that string, `= true` only the boolean.
//! - **`!=`** against a number asks for a number, as `=` does (Segment's `number_not_equals`):
//!   `properties.total != 100` matches neither a missing total nor `"250"`. Otherwise `!=` is the
//!   opposite of `=`, so it also matches a missing field.
//! - **`<`, `<=`, `>`, `>=`** match numbers only, against the value read as JavaScript's
//!   `Number()` reads it: `> "100"` is `> 100`, `> true` is `> 1` (on fields other than the
//!   four text ones); `< null` or `> "abc"` never match.
//! - **`= null`** matches a field that is missing, undefined or `null`; **`!= null`** one that
//!   holds anything else.
//! - **Functions**: `contains(field, "text")` matches a string holding `text`;
//!   `match(field, "pattern")` a string matching `pattern`, where `*` stands for any run of
//!   characters (`"abc*"` starts with, `"*abc"` ends with, `"*abc*"` contains; without `*` the
//!   whole string must be equal). Either may be negated with `!`: `!contains(event, "Test")`.
//!   Negated or not, they match only strings, as in Segment. A number, `true` or `false` as the
//!   text is its text (Segment's editor writes `contains(properties.sku, 5)`).
//! - **`and`** binds tighter than **`or`**; parentheses group, up to [`MAX_NESTING`] deep.
//!   Keywords (`and`, `or`, `true`, `false`, `null`, `contains`, `match`) are lower case, as
//!   Segment writes them.
//! - **Text Segment's parser reads past** runs as it runs there, with a [`Trigger::warning`]
//!   saying what was read past: a trailing, leading or repeated `and`/`or`, a `)` that closes
//!   nothing, an unquoted word as a value (`type = track`); without the feature `messages`,
//!   which has the words for that warning, such text is refused. Anything else that is not a
//!   trigger is refused with a [`TriggerError`] saying where.

use crate::prelude::*;

mod eval;
mod lexer;
mod parser;
mod tree;

use crate::data::Data;
use crate::quote::quote;
use core::fmt;

/// How deep parentheses may nest. Deeper triggers are refused, which bounds every recursion
/// over the parsed tree.
pub const MAX_NESTING: usize = 200;

/// Why a trigger was refused: the trigger text, where it fails and why (the text and the why
/// only with the feature `messages`, as `message!` (lib.rs) writes them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerError {
    /// The trigger, as written.
    pub trigger: String,
    /// Byte offset into the trigger where parsing failed.
    pub position: usize,
    /// What was expected there, and what was found.
    pub message: String,
}

impl fmt::Display for TriggerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot parse trigger {} at position {}: {}",
            quote(&self.trigger),
            self.position,
            self.message
        )
    }
}

impl core::error::Error for TriggerError {}

/// A parse failure before the trigger text is attached to it: where and why, boxed so that the
/// results passed between the lexer and the parser stay small.
#[derive(Debug)]
struct Failure(Box<Refusal>);

#[derive(Debug)]
struct Refusal {
    position: usize,
    message: String,
}

impl Failure {
    /// A refusal at `position` (its words only in a build with the feature `messages`, as
    /// `message!` (lib.rs) writes them).
    fn new(position: usize, message: impl Into<String>) -> Self {
        let message = crate::words(message);
        Failure(Box::new(Refusal { position, message }))
    }
}

impl core::ops::Deref for Failure {
    type Target = Refusal;
    fn deref(&self) -> &Refusal {
        &self.0
    }
}

/// The JavaScript text rules that reading a trigger needs, as the values' host answers them
/// (see [`Data`]): one copy of the lexer and parser serves every host.
#[derive(Clone, Copy)]
pub(crate) struct TextRules {
    pub parse_number: fn(&str) -> f64,
    pub text_to_number: fn(&str) -> f64,
    pub number_to_string: fn(f64) -> String,
    pub is_letter: fn(char, bool) -> bool,
}

impl TextRules {
    pub fn of<D: Data>() -> TextRules {
        TextRules {
            parse_number: D::parse_number,
            text_to_number: D::text_to_number,
            number_to_string: D::number_to_string,
            is_letter: D::is_letter,
        }
    }
}

/// A parsed trigger.
///
/// ```
/// use pendo_core::trigger::Trigger;
/// use serde_json::json;
///
/// let trigger = Trigger::parse::<serde_json::Value>(r#"type = "track" and (properties.total > 100 or !contains(event, "Test"))"#)?;
/// assert!(trigger.matches(&json!({"type": "track", "event": "Order Completed"})));
/// assert!(!trigger.matches(&json!({"type": "track", "event": "Test Order", "properties": {"total": "200"}})));
/// # Ok::<(), pendo_core::trigger::TriggerError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    root: tree::Node,
    /// Set when the text is not well-formed but Segment's parser runs it: what was read past
    /// (without the feature `messages`, such text is refused).
    #[cfg(feature = "messages")]
    warning: Option<Box<str>>,
    /// The trigger as written, for explain mode.
    #[cfg(feature = "explain")]
    text: Box<str>,
}

/// Why an event does not match a trigger (explain mode): the first condition that failed, as
/// written, and the value it saw.
#[cfg(feature = "explain")]
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch<D> {
    /// The condition, as written in the trigger (`properties.total > 100`).
    pub condition: String,
    /// The value of its field in the event; `None` when the field is missing.
    pub saw: Option<D>,
}

impl Trigger {
    /// Parses a trigger, or says where and why it is not one.
    ///
    /// ```
    /// use pendo_core::trigger::Trigger;
    ///
    /// let error = Trigger::parse::<serde_json::Value>(r#"type = "track" and event ="#).unwrap_err();
    /// assert_eq!(error.position, 26);
    /// # #[cfg(feature = "messages")]
    /// assert_eq!(error.message, "expected a value (a quoted string, a number, true, false or null) after \"=\", found the end of the trigger");
    /// ```
    pub fn parse<D: Data>(text: &str) -> Result<Self, TriggerError> {
        match parser::parse(text, TextRules::of::<D>()) {
            Ok((root, _repairs)) => {
                // Without the feature `messages` the parser refuses what it would repair.
                #[cfg(feature = "messages")]
                let warning = (!_repairs.is_empty()).then(|| {
                    alloc::format!(
                        "trigger {} is not well-formed; it runs as Segment runs it: {}",
                        quote(text),
                        crate::join(&_repairs, "; ")
                    )
                    .into_boxed_str()
                });
                Ok(Trigger {
                    root,
                    #[cfg(feature = "messages")]
                    warning,
                    #[cfg(feature = "explain")]
                    text: text.into(),
                })
            }
            Err(Failure(refusal)) => Err(TriggerError {
                trigger: crate::words(text),
                position: refusal.position,
                message: refusal.message,
            }),
        }
    }

    /// Why the text, though it runs, is not well-formed: `type = "track" and` runs as
    /// `type = "track"`, as in Segment, and this says so, to be shown once. Without the feature
    /// `messages` such a text is refused instead, as there are no words for it: the package's
    /// default build hands the workspace to the full build, which runs it and says this.
    ///
    /// ```
    /// use pendo_core::trigger::Trigger;
    ///
    /// let trigger = Trigger::parse::<serde_json::Value>(r#"type = "track" and"#);
    /// # #[cfg(feature = "messages")]
    /// assert_eq!(
    ///     trigger?.warning(),
    ///     Some(r#"trigger "type = \"track\" and" is not well-formed; it runs as Segment runs it: ignored the "and" at 15, which no condition follows"#)
    /// );
    /// # #[cfg(not(feature = "messages"))]
    /// assert!(trigger.is_err());
    /// assert_eq!(Trigger::parse::<serde_json::Value>(r#"type = "track""#)?.warning(), None);
    /// # Ok::<(), pendo_core::trigger::TriggerError>(())
    /// ```
    pub fn warning(&self) -> Option<&str> {
        #[cfg(feature = "messages")]
        {
            self.warning.as_deref()
        }
        #[cfg(not(feature = "messages"))]
        {
            None
        }
    }

    /// Whether `event` matches this trigger.
    ///
    /// ```
    /// use pendo_core::trigger::Trigger;
    /// use serde_json::json;
    ///
    /// let trigger = Trigger::parse::<serde_json::Value>("context.page.path != null")?;
    /// assert!(trigger.matches(&json!({"context": {"page": {"path": "/"}}})));
    /// assert!(!trigger.matches(&json!({"context": {"page": {"path": null}}})));
    /// # Ok::<(), pendo_core::trigger::TriggerError>(())
    /// ```
    pub fn matches<D: Data>(&self, event: &D) -> bool {
        self.root.matches(event)
    }

    /// The trigger as written.
    #[cfg(feature = "explain")]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Explain mode: `Ok` when `event` matches (exactly when [`Trigger::matches`] says so),
    /// else the first condition that failed, in the order conditions are tested, and the value
    /// it saw. In an `or` whose alternatives all fail, that is the first alternative's.
    ///
    /// ```
    /// use pendo_core::trigger::{Mismatch, Trigger};
    /// use serde_json::json;
    ///
    /// let trigger = Trigger::parse::<serde_json::Value>(r#"type = "track" and properties.total > 100"#)?;
    /// assert_eq!(trigger.explain(&json!({"type": "track", "properties": {"total": 120}})), Ok(()));
    /// assert_eq!(
    ///     trigger.explain(&json!({"type": "track", "properties": {"total": 80}})),
    ///     Err(Mismatch { condition: "properties.total > 100".into(), saw: Some(json!(80)) })
    /// );
    /// # Ok::<(), pendo_core::trigger::TriggerError>(())
    /// ```
    #[cfg(feature = "explain")]
    pub fn explain<D: Data>(&self, event: &D) -> Result<(), Mismatch<D>> {
        if self.matches(event) {
            return Ok(());
        }
        Err(match self.root.first_failure(event) {
            Some((condition, saw)) => Mismatch {
                condition: condition.text.to_string(),
                saw,
            },
            None => Mismatch {
                condition: self.text.to_string(),
                saw: None,
            },
        })
    }
}

#[cfg(all(test, feature = "explain"))]
mod explain_tests {
    use super::{Mismatch, Trigger};
    use serde_json::{json, Value};

    fn explain(trigger: &str, event: Value) -> Result<(), Mismatch<Value>> {
        let trigger = Trigger::parse::<Value>(trigger).unwrap();
        let verdict = trigger.explain(&event);
        assert_eq!(verdict.is_ok(), trigger.matches(&event), "{trigger:?}");
        verdict
    }

    fn failed(condition: &str, saw: Option<Value>) -> Result<(), Mismatch<Value>> {
        Err(Mismatch {
            condition: condition.into(),
            saw,
        })
    }

    #[test]
    fn names_the_first_condition_that_failed_and_its_value() {
        let trigger = r#"type = "track" and event = "Order Completed" and properties.total > 100"#;
        let order = |event: &str, total: Value| json!({"type": "track", "event": event, "properties": {"total": total}});
        assert_eq!(
            explain(trigger, order("Order Completed", json!(120))),
            Ok(())
        );
        assert_eq!(
            explain(trigger, order("Signed Up", json!(120))),
            failed(r#"event = "Order Completed""#, Some(json!("Signed Up")))
        );
        assert_eq!(
            explain(trigger, order("Order Completed", json!("120"))),
            failed("properties.total > 100", Some(json!("120")))
        );
        assert_eq!(
            explain(trigger, json!({"type": "identify"})),
            failed(r#"type = "track""#, Some(json!("identify")))
        );
    }

    #[test]
    fn a_missing_field_is_seen_as_missing_and_null_as_null() {
        assert_eq!(
            explain("properties.plan != null", json!({"properties": {}})),
            failed("properties.plan != null", None)
        );
        assert_eq!(
            explain(
                "properties.plan != null",
                json!({"properties": {"plan": null}})
            ),
            failed("properties.plan != null", Some(Value::Null))
        );
        assert_eq!(
            explain(
                "traits.address.city = \"Paris\"",
                json!({"traits": {"address": 5}})
            ),
            failed(r#"traits.address.city = "Paris""#, None)
        );
    }

    #[test]
    fn conditions_are_quoted_as_written() {
        assert_eq!(
            explain(
                r#"type = "track" and  !contains( event ,"Test" )"#,
                json!({"type": "track", "event": "A Test"})
            ),
            failed(r#"!contains( event ,"Test" )"#, Some(json!("A Test")))
        );
        assert_eq!(
            explain(
                r#"(type = "page") and match(name, "Pri*")"#,
                json!({"type": "page", "name": "Home"})
            ),
            failed(r#"match(name, "Pri*")"#, Some(json!("Home")))
        );
        // An unquoted word, which Segment reads as text, is quoted as it was written.
        assert_eq!(
            explain("type = track", json!({"type": "page"})),
            failed("type = track", Some(json!("page")))
        );
    }

    #[test]
    fn or_reports_its_first_alternative_and_groups_their_first_term() {
        let trigger = r#"(event = "A" and properties.x = 1) or (event = "B" and properties.y = 2)"#;
        assert_eq!(
            explain(trigger, json!({"event": "B", "properties": {"y": 2}})),
            Ok(())
        );
        assert_eq!(
            explain(trigger, json!({"event": "A", "properties": {"x": 2}})),
            failed("properties.x = 1", Some(json!(2)))
        );
        assert_eq!(
            explain(trigger, json!({"event": "C"})),
            failed(r#"event = "A""#, Some(json!("C")))
        );
    }
}

/// Without words (feature `messages`) the parser refuses what it would repair, and the workspace
/// goes to the full build: over the trigger conformance table, such a build refuses the rows
/// that are refused, refuses of the others only those that need a repair, and matches the rest
/// as the table says.
#[cfg(all(test, not(feature = "messages")))]
mod without_words {
    use super::*;
    use serde_json::Value;

    const TABLE: &str = include_str!("../../../tests/conformance/triggers.json");

    /// The table's triggers that Segment reads past (a repair, run with a warning where there are
    /// words): refused here.
    const REPAIRED: [&str; 8] = [
        "type = \"track\" and",
        "type = \"track\" or",
        "type = \"track\")",
        "type = TRUE",
        "type = track",
        "and type = \"track\"",
        "type = \"track\" or or type = \"page\"",
        "(type = \"page\" or) and name = \"Home\"",
    ];

    #[test]
    fn refuses_what_it_would_repair_and_runs_the_rest_as_the_table_says() {
        let rows: Vec<Value> = serde_json::from_str(TABLE).unwrap();
        let mut refused = Vec::new();
        for row in &rows {
            let text = row["trigger"].as_str().unwrap();
            let parsed = Trigger::parse::<Value>(text);
            if row["error"] == Value::Bool(true) {
                assert!(parsed.is_err(), "parsed, but should be refused: {text}");
                continue;
            }
            match parsed {
                Ok(trigger) => assert_eq!(
                    trigger.matches(&row["event"]),
                    row["expected"].as_bool().unwrap(),
                    "{text} on {}",
                    row["event"]
                ),
                Err(_) => refused.push(text.to_owned()),
            }
        }
        refused.dedup();
        assert_eq!(refused, REPAIRED);
    }

    /// Other languages' operators, which the lexer names only with words, are refused here
    /// all the same.
    #[test]
    fn refuses_other_languages_operators() {
        for text in [
            r#"type == "a""#,
            "properties.n => 1",
            "properties.n =< 1",
            r#"type !== "a""#,
            r#"type <> "a""#,
            r#"type = "a" && event = "b""#,
            r#"type = "a" || event = "b""#,
        ] {
            assert!(Trigger::parse::<Value>(text).is_err(), "{text}");
        }
    }
}
