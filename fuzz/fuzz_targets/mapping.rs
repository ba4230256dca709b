//! The mapping parser and evaluator, through the public API only (`Mapping::parse`, `evaluate`).
//!
//! Input: a mapping, then optionally a NUL and an event; each part JSON text, or bytes to build
//! one from (mappings with Segment's directives and paths, events with Segment's keys).
//!
//! Asserts, besides not panicking and staying within the time budget: parsing and evaluating
//! are deterministic; every value evaluated is JSON; a field not in the mapping is undefined;
//! a field whose mapping holds no directive (no key starting with `@`) evaluates to itself.
#![no_main]

use arbitrary::Unstructured;
use fuzz_support::{json_or_build, split, within_budget, Builder, EVENT_WORDS};
use libfuzzer_sys::fuzz_target;
use pendo_core::data::Data;
use pendo_core::mapping::Mapping;
use serde_json::Value;

/// Segment's directives, those this build knows and those it will.
const DIRECTIVES: &[&str] = &[
    "@path",
    "@if",
    "@template",
    "@arrayPath",
    "@case",
    "@replace",
    "@merge",
    "@transform",
    "@flatten",
    "@json",
    "@excludeWhenNull",
    "@literal",
    "@liquid",
];

/// Directive arguments' keys and values, paths and templates.
const MAPPING_WORDS: &[&str] = &[
    "exists",
    "blank",
    "then",
    "else",
    "mode",
    "value",
    "operator",
    "pattern",
    "replacement",
    "replacement2",
    "pattern2",
    "global",
    "ignorecase",
    "lower",
    "upper",
    "objects",
    "direction",
    "left",
    "right",
    "separator",
    "encode",
    "decode",
    "mapping",
    "$",
    "$.",
    "$.traits",
    "$.traits.email",
    "$.properties",
    "$.properties.products",
    "$.products[0].sku",
    "$['a.b']",
    "$.context.page.url",
    "$.userId",
    "traits.email",
    "{{userId}}",
    "{{traits.name}} <{{traits.email}}>",
    "{{",
    "}}",
    ".",
    "*",
    "$$",
];

fuzz_target!(init: fuzz_support::init(), |data: &[u8]| {
    let (head, tail) = split(data);
    let mut words = MAPPING_WORDS.to_vec();
    words.extend_from_slice(EVENT_WORDS);
    let mapping_builder = Builder { words: &words, directives: DIRECTIVES, depth: 5 };
    let event_builder = Builder { words: EVENT_WORDS, directives: &[], depth: 4 };
    let (mapping, event) = match tail {
        Some(tail) => (
            json_or_build(head, |u| mapping_builder.object(u)),
            json_or_build(tail, |u| event_builder.object(u)),
        ),
        None => {
            let mut u = Unstructured::new(head);
            (mapping_builder.object(&mut u), event_builder.object(&mut u))
        }
    };

    fuzz_support::show("mapping", &mapping);
    fuzz_support::show("event", &event);
    let parsed = within_budget("Mapping::parse", || Mapping::parse(&mapping));
    let again = Mapping::parse(&mapping);
    assert_eq!(format!("{parsed:?}"), format!("{again:?}"), "parsing twice gave two results");
    let Ok(parsed) = parsed else { return };

    // A mapping that is itself a directive (`{"@literal": ...}`) makes the whole payload: its
    // key names no field.
    let whole = mapping.as_object().is_some_and(|m| m.keys().any(|k| k.starts_with('@')));
    for (field, written) in mapping.entries() {
        let value = within_budget("Mapping::evaluate", || parsed.evaluate(&field, &event));
        assert_eq!(value, parsed.evaluate(&field, &event), "evaluating twice gave two results");
        if let Ok(Some(value)) = &value {
            assert!(value.to_json().is_some(), "{field}: {value:?} is no JSON");
        }
        // A payload fails as a whole when any field throws; otherwise plain values stay.
        if let (Ok(value), false) = (&value, whole || has_directive(&written)) {
            assert_eq!(value.as_ref(), Some(&written), "{field}: a plain value changed");
        }
    }
    let unmapped = "\u{0}unmapped";
    if mapping.get(unmapped).is_none() {
        assert!(matches!(parsed.evaluate(unmapped, &event), Ok(None) | Err(_)));
    }
});

fn has_directive(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(key, v)| key.starts_with('@') || has_directive(v)),
        Value::Array(items) => items.iter().any(has_directive),
        _ => false,
    }
}
