//! Property tests of the trigger language: no input makes parsing or matching panic, and the
//! operators keep their algebra (`!=` is the opposite of `=`, `and` binds tighter than `or`).
//! Seeded and bounded, so every run tries the same cases.
#![cfg(not(target_arch = "wasm32"))]

use pendo_core::trigger::{Trigger, MAX_NESTING};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{json, Map, Value};

fn config() -> Config {
    Config {
        cases: 2_000,
        rng_seed: RngSeed::Fixed(0x7219_93e5),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Pieces of the language, some of them broken, for token soups.
const TOKENS: &[&str] = &[
    "type",
    "event",
    "name",
    "userId",
    "properties.total",
    "properties.tags.0",
    "context.page.path",
    "traits.address.city",
    r"properties.a\.b",
    r"\and",
    "properties.",
    "..",
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "<>",
    "!",
    "&&",
    "and",
    "or",
    "AND",
    "(",
    ")",
    ",",
    "contains",
    "match",
    "lowercase",
    "null",
    "true",
    "false",
    "TRUE",
    "\"track\"",
    "\"Order*\"",
    "\"*Test*\"",
    "'x'",
    "\"\"",
    "\"\\\"\"",
    "\"\\u00e9\"",
    "\"\\uD800\"",
    "\"unclosed",
    "\\",
    "0",
    "-1",
    "2.5",
    "1e3",
    "1e999",
    "-",
    "5.",
    "é",
    "😀",
    "#",
];

fn token_soup() -> impl Strategy<Value = String> {
    let piece = (
        prop::sample::select(TOKENS),
        prop::sample::select(&["", " ", "\n"][..]),
    );
    prop::collection::vec(piece, 0..40).prop_map(|pieces| {
        pieces
            .into_iter()
            .map(|(token, gap)| format!("{token}{gap}"))
            .collect()
    })
}

/// Events whose keys are the ones triggers name, so paths resolve often.
fn json_event() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        prop::sample::select(
            &[
                "track",
                "identify",
                "Order Completed",
                "Test",
                "",
                "200",
                "é"
            ][..]
        )
        .prop_map(|s| json!(s)),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    let keys = &[
        "type",
        "event",
        "name",
        "userId",
        "properties",
        "traits",
        "context",
        "total",
        "page",
        "path",
        "0",
    ][..];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(keys), inner), 0..6).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

/// Simple conditions on the fields `json_event` writes, for the algebraic properties.
fn condition() -> impl Strategy<Value = String> {
    let field = prop::sample::select(
        &[
            "type",
            "event",
            "properties.total",
            "properties.0",
            "traits.page.path",
            "context",
            "properties.total.total",
        ][..],
    );
    let value = prop::sample::select(
        &[
            "\"track\"",
            "\"Test\"",
            "\"\"",
            "0",
            "-1.5",
            "200",
            "true",
            "false",
            "null",
        ][..],
    );
    (field, value).prop_map(|(field, value)| format!("{field} = {value}"))
}

fn matches(trigger: &str, event: &Value) -> bool {
    match Trigger::parse::<Value>(trigger) {
        Ok(parsed) => parsed.matches(event),
        Err(error) => panic!("{error}"),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_text_never_panics(text in "(?s).{0,80}", event in json_event()) {
        check_parse_and_match(&text, &event)?;
    }

    #[test]
    fn token_soups_never_panic(text in token_soup(), event in json_event()) {
        check_parse_and_match(&text, &event)?;
    }

    #[test]
    fn not_equal_is_the_opposite_of_equal(condition in condition(), event in json_event()) {
        let negated = condition.replacen(" = ", " != ", 1);
        let (equal, not_equal) = (matches(&condition, &event), matches(&negated, &event));
        let (field, value) = condition.split_once(" = ").unwrap_or_default();
        let text_field = matches!(field, "type" | "event");
        if value.parse::<f64>().is_ok() && !text_field {
            // As in Segment, `!= <number>` asks for a number, as `=` does.
            let is_number = matches(&format!("{field} >= 0 or {field} < 0"), &event);
            prop_assert_eq!(not_equal, is_number && !equal, "{} on {}", negated, event);
        } else {
            prop_assert_ne!(equal, not_equal, "{} on {}", condition, event);
        }
    }

    #[test]
    fn and_binds_tighter_than_or(a in condition(), b in condition(), c in condition(), event in json_event()) {
        let (a_, b_, c_) = (matches(&a, &event), matches(&b, &event), matches(&c, &event));
        prop_assert_eq!(matches(&format!("{a} or {b} and {c}"), &event), a_ || (b_ && c_));
        prop_assert_eq!(matches(&format!("{a} and {b} or {c}"), &event), (a_ && b_) || c_);
        prop_assert_eq!(matches(&format!("({a} or {b}) and {c}"), &event), (a_ || b_) && c_);
    }
}

proptest! {
    // Each case reads up to MAX_NESTING levels of text, slow in a debug build: fewer cases keep
    // the suite fast, and half the depths are drawn around the limit, where it matters.
    #![proptest_config(Config { cases: 500, ..config() })]

    #[test]
    fn deep_nesting_is_refused_not_overflowed(
        depth in prop_oneof![MAX_NESTING - 10..=MAX_NESTING + 10, 0..3_000usize],
        surplus in -1isize..=1,
        joiner in prop::sample::select(&[" and ", " or "][..]),
    ) {
        let close = depth.saturating_add_signed(surplus);
        // A ")" that closes nothing is read past, as in Segment, with a warning.
        let valid = close >= depth && depth <= MAX_NESTING;
        let plain = format!("{}type = \"track\"{}", "(".repeat(depth), ")".repeat(close));
        // A condition at every level, so no level can be flattened away.
        let layered = format!("{}type = \"track\"{}", format!("(type = \"x\"{joiner}").repeat(depth), ")".repeat(close));
        let track = json!({"type": "track"});
        for (text, matches_track) in [(plain, true), (layered, joiner == " or ")] {
            match Trigger::parse::<Value>(&text) {
                Ok(trigger) => {
                    prop_assert!(valid, "depth {} closed by {} parsed", depth, close);
                    prop_assert_eq!(trigger.warning().is_some(), close > depth);
                    prop_assert_eq!(trigger.matches(&track), matches_track || depth == 0);
                }
                Err(error) => prop_assert!(!valid, "depth {}: {}", depth, error),
            }
        }
    }
}

fn check_parse_and_match(text: &str, event: &Value) -> Result<(), TestCaseError> {
    match Trigger::parse::<Value>(text) {
        Ok(trigger) => {
            trigger.matches(event);
        }
        Err(error) => {
            prop_assert!(
                error.position <= text.len(),
                "position {} past the end",
                error.position
            );
            prop_assert!(
                text.is_char_boundary(error.position),
                "position {} inside a character",
                error.position
            );
            prop_assert!(!error.message.is_empty());
        }
    }
    Ok(())
}
