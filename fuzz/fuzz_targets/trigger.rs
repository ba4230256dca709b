//! The trigger parser and evaluator.
//!
//! Input: trigger text, then optionally a NUL and an event (JSON text, or bytes to build one
//! from; without them the event is built from the trigger's bytes, with keys taken from the
//! words of the trigger so that its conditions meet fields).
//!
//! Asserts, besides not panicking and staying within the time budget:
//! - parsing is deterministic and errors point at a character boundary of the text;
//! - for a well-formed `T` (one that parses without a warning), `(T) and (T)` and `(T) or (T)`
//!   match exactly when `T` does, and `(T)` parses unless that nests too deep (text read past
//!   as Segment reads it, such as a leading `)`, need not stay readable inside parentheses);
//! - for a field path and a value picked from the event and written as a condition, which must
//!   parse: `=` and `!=` disagree, except that against a number both ask for a number (as in
//!   Segment); `=` holds for the value found there (on `type`, `event`, `name` and `userId`,
//!   which compare as text, when that value is text); `<` / `>=` and `>` / `<=` never both
//!   hold; `contains` / `!contains` and `match` / `!match` never both hold, and a string
//!   contains its own substrings and matches itself as a pattern.
#![no_main]

use arbitrary::Unstructured;
use fuzz_support::{json_or_build, split, within_budget, Builder, EVENT_WORDS};
use libfuzzer_sys::fuzz_target;
use pendo_core::trigger::Trigger;
use serde_json::Value;

fuzz_target!(init: fuzz_support::init(), |data: &[u8]| {
    let (head, tail) = split(data);
    let text = String::from_utf8_lossy(head);
    let mut words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '$' | '-' | '.')))
        .flat_map(|word| word.split('.'))
        .filter(|word| !word.is_empty())
        .take(32)
        .collect();
    words.extend_from_slice(EVENT_WORDS);
    let builder = Builder { words: &words, directives: &[], depth: 4 };
    let event = json_or_build(tail.unwrap_or(head), |u| builder.object(u));

    fuzz_support::show("trigger", &Value::String(text.to_string()));
    fuzz_support::show("event", &event);
    let parsed = within_budget("Trigger::parse", || Trigger::parse::<Value>(&text));
    assert_eq!(parsed, Trigger::parse::<Value>(&text), "parsing twice gave two results");
    match &parsed {
        Ok(trigger) if trigger.warning().is_some() => {
            within_budget("Trigger::matches", || trigger.matches(&event));
        }
        Ok(trigger) => {
            let matched = within_budget("Trigger::matches", || trigger.matches(&event));
            for joined in [format!("({text}) and ({text})"), format!("({text}) or ({text})")] {
                if let Ok(doubled) = Trigger::parse::<Value>(&joined) {
                    assert_eq!(doubled.matches(&event), matched, "{joined:?} differs from {text:?}");
                }
            }
            if let Err(error) = Trigger::parse::<Value>(&format!("({text})")) {
                assert!(error.message.contains("nested deeper"), "({text}) refused: {error}");
            }
        }
        Err(error) => {
            assert_eq!(error.trigger, *text);
            assert!(text.is_char_boundary(error.position), "error position inside a character: {error:?}");
            let _ = error.to_string();
        }
    }

    algebra(&mut Unstructured::new(data), &event, &builder);
});

/// Checks the operators on one field path and one value picked through `u`.
fn algebra(u: &mut Unstructured, event: &Value, builder: &Builder) {
    let (keys, found) = pick_path(u, event, builder);
    let Some(field) = write_field(&keys) else {
        return;
    };
    let value = match &found {
        Some(v @ (Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)))
            if u.ratio(3, 4).unwrap_or(true) =>
        {
            v.clone()
        }
        _ => match u.int_in_range(0..=3).unwrap_or(0) {
            0 => Value::Null,
            1 => Value::Bool(u.arbitrary().unwrap_or(true)),
            2 => fuzz_support::number(u),
            _ => Value::String(builder.string(u)),
        },
    };
    let Some(literal) = write_value(&value) else {
        return;
    };
    let holds = |condition: String| -> bool {
        match Trigger::parse::<Value>(&condition) {
            Ok(trigger) => trigger.matches(event),
            Err(error) => panic!("a well-formed condition was refused: {error}"),
        }
    };
    let equal = holds(format!("{field} = {literal}"));
    let not_equal = holds(format!("{field} != {literal}"));
    let text_field = matches!(
        keys.as_slice(),
        [only] if matches!(only.as_str(), "type" | "event" | "name" | "userId")
    );
    if matches!(value, Value::Number(_)) && !text_field {
        let is_number = matches!(found, Some(Value::Number(_)));
        assert_eq!(
            not_equal,
            is_number && !equal,
            "{field} != {literal} for {event}: != <number> asks for a number"
        );
    } else {
        assert_ne!(
            equal, not_equal,
            "= and != agree on {field} {literal} for {event}"
        );
    }
    let compares_as_written = match (&found, text_field) {
        (_, false) | (Some(Value::String(_)), true) => true,
        (Some(Value::Bool(_)), true) => keys.first().is_some_and(|k| k == "userId"),
        _ => false,
    };
    if found.as_ref() == Some(&value) && compares_as_written {
        assert!(equal, "{field} = {literal} does not hold for {event}");
    }
    if let Value::Number(_) = value {
        let less = holds(format!("{field} < {literal}"));
        let greater_or_equal = holds(format!("{field} >= {literal}"));
        assert!(
            !(less && greater_or_equal),
            "< and >= both hold: {field} {literal}"
        );
        let greater = holds(format!("{field} > {literal}"));
        let less_or_equal = holds(format!("{field} <= {literal}"));
        assert!(
            !(greater && less_or_equal),
            "> and <= both hold: {field} {literal}"
        );
        if equal {
            assert!(
                less_or_equal && greater_or_equal && !less && !greater,
                "= disagrees with <=, >=: {field} {literal}"
            );
        }
    }
    // A string field: one of its substrings for `contains`, itself as a `match` pattern.
    let (needle, pattern) = match &found {
        Some(Value::String(text)) => {
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let from = *u.choose(&bounds).unwrap_or(&0);
            let to = (*u.choose(&bounds).unwrap_or(&text.len())).max(from);
            (text[from..to].to_owned(), text.clone())
        }
        _ => (builder.string(u), builder.string(u)),
    };
    for (function, argument) in [("contains", &needle), ("match", &pattern)] {
        let Some(argument) = write_value(&Value::String(argument.clone())) else {
            continue;
        };
        let positive = holds(format!("{function}({field}, {argument})"));
        let negative = holds(format!("!{function}({field}, {argument})"));
        assert!(
            !(positive && negative),
            "{function} and !{function} both hold: {field} {argument}"
        );
        if let Some(Value::String(_)) = &found {
            assert!(
                positive,
                "{function}({field}, {argument}) does not hold for {event}"
            );
        }
    }
}

/// A path through `event`, and the value at its end when the path was walked in the event.
fn pick_path(
    u: &mut Unstructured,
    event: &Value,
    builder: &Builder,
) -> (Vec<String>, Option<Value>) {
    let mut keys = Vec::new();
    let mut at = Some(event);
    while keys.len() < 6 {
        let step = match at {
            Some(Value::Object(map)) if !map.is_empty() => u
                .choose_index(map.len())
                .ok()
                .and_then(|i| map.iter().nth(i))
                .map(|(key, value)| (key.clone(), value)),
            // Triggers read events, which are objects: a root array is not indexed.
            Some(Value::Array(items)) if !items.is_empty() && !keys.is_empty() => u
                .choose_index(items.len())
                .ok()
                .map(|i| (i.to_string(), &items[i])),
            _ => None,
        };
        match step {
            // Stop early sometimes, so that objects and arrays are compared too.
            Some((key, value)) if keys.is_empty() || u.ratio(5, 6).unwrap_or(false) => {
                keys.push(key);
                at = Some(value);
            }
            _ => break,
        }
    }
    if keys.is_empty() || u.ratio(1, 8).unwrap_or(false) {
        let key = builder.string(u);
        // Made up, and may still name what is there (`track` below an object that holds one).
        let found = match at {
            Some(Value::Object(map)) => map.get(&key).cloned(),
            Some(Value::Array(items)) if !keys.is_empty() => key
                .parse::<usize>()
                .ok()
                .filter(|i| i.to_string() == key)
                .and_then(|i| items.get(i))
                .cloned(),
            _ => None,
        };
        keys.push(key);
        return (keys, found);
    }
    (keys, at.cloned())
}

const KEYWORDS: &[&str] = &["and", "or", "true", "false", "null"];

/// The path as trigger text: every character but ASCII letters, digits, `_` and `$` escaped,
/// and a leading digit or a keyword too. `None` when a key is empty, which cannot be written.
fn write_field(keys: &[String]) -> Option<String> {
    let mut out = String::new();
    for (index, key) in keys.iter().enumerate() {
        if key.is_empty() {
            return None;
        }
        if index > 0 {
            out.push('.');
        }
        for (at, c) in key.chars().enumerate() {
            let first = index == 0 && at == 0;
            let plain =
                c.is_ascii_alphabetic() || matches!(c, '_' | '$') || (c.is_ascii_digit() && !first);
            let keyword = first && keys.len() == 1 && KEYWORDS.contains(&key.as_str());
            if !plain || keyword {
                out.push('\\');
            }
            out.push(c);
        }
    }
    Some(out)
}

/// A scalar as a trigger value: numbers in Rust's shortest round-trip form, strings as written
/// between quotes that they do not hold (`None` for a string holding both quotes).
fn write_value(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(format!("{}", n.as_f64().unwrap_or(0.0))),
        Value::String(s) if !s.contains('"') => Some(format!("\"{s}\"")),
        Value::String(s) if !s.contains('\'') => Some(format!("'{s}'")),
        Value::String(_) => None,
        other => Some(other.to_string()),
    }
}
