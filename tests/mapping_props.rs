//! Property tests of the mapping language: random mappings (biased towards directives, with
//! options of every shape) never make parsing panic, and well-formed random mappings parse and
//! evaluate against random events without panicking, the same way every time. Seeds are fixed
//! and case counts bounded, so runs are deterministic and fast.
#![cfg(not(target_arch = "wasm32"))]

use pendo_core::data::Data;
use pendo_core::mapping::Mapping;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value};

const CASES: u32 = 2_000;

const KEYS: &[&str] = &[
    "a",
    "b",
    "c",
    "products",
    "traits",
    "sku",
    "0",
    "1",
    "length",
    "",
    "x.y",
    "$",
    "_metadata",
    "@path",
    "@if",
];
const DIRECTIVES: &[&str] = &[
    "@path",
    "@if",
    "@template",
    "@literal",
    "@arrayPath",
    "@case",
    "@replace",
    "@merge",
    "@transform",
    "@flatten",
    "@json",
    "@excludeWhenNull",
    "@liquid",
    "@nope",
];
const OPTIONS: &[&str] = &[
    "value",
    "exists",
    "blank",
    "then",
    "else",
    "operator",
    "pattern",
    "replacement",
    "pattern2",
    "replacement2",
    "ignorecase",
    "global",
    "objects",
    "direction",
    "apply",
    "mapping",
    "separator",
    "omitArrays",
    "mode",
    "unknown",
];
const PATHS: &[&str] = &[
    "$.a",
    "$.a.b",
    "$.b[0]",
    "$.products[1].sku",
    "$.traits",
    "$.c.length",
    "$.",
    "",
    "$..",
    "a.b.",
    "$.a[*]",
    "$['x.y']",
    "$.0",
    "$.missing.deeper",
];
const TEXTS: &[&str] = &[
    "",
    "plain",
    "{{a}}",
    "{{{b}}} and {{ c.0 }}",
    "{{a}}}",
    "{{",
    "}}{{",
    "lower",
    "upper",
    "left",
    "right",
    "encode",
    "decode",
    "-",
    ".",
    "$&$$",
    "é",
    "ß",
    "😀",
    "{\"a\": [1, {\"b\": null}]}",
    "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",
    "[1, 2",
    "null",
    "\"quoted\"",
    "aAbBéÉ",
];

fn runner() -> TestRunner {
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::XorShift, &[7; 16]))
}

fn object(entries: Vec<(&'static str, Value)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect::<Map<_, _>>(),
    )
}

fn one(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(TEXTS).prop_map(str::to_owned),
        1 => "[a-zA-Z0-9$.\\[\\]{}@ é_-]{0,12}",
        1 => select(&[1usize, 30, 63, 64, 65, 200][..]).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n))),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..100).prop_map(Value::from),
        prop_oneof![
            Just(0.5),
            Just(-0.0),
            Just(1e21),
            Just(1e-7),
            Just(f64::MAX)
        ]
        .prop_map(Value::from),
        text().prop_map(Value::from),
    ]
}

/// Events: random JSON with the keys mappings read.
fn event() -> impl Strategy<Value = Value> {
    let tree = leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((select(KEYS), inner), 0..6)
                .prop_map(|entries| object(entries.into_iter().collect())),
        ]
    });
    prop::collection::vec((select(KEYS), tree), 0..5)
        .prop_map(|entries| object(entries.into_iter().collect()))
}

/// Any mapping: directives with options of random shapes, most of them broken.
fn any_mapping() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 5, |inner| {
        let options = prop::collection::vec((select(OPTIONS), prop_oneof![inner.clone(), leaf()]), 0..6)
            .prop_map(|entries| object(entries.into_iter().collect()));
        let argument = prop_oneof![
            3 => options,
            1 => inner.clone(),
            1 => prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            1 => select(PATHS).prop_map(Value::from),
        ];
        prop_oneof![
            4 => (select(DIRECTIVES), argument).prop_map(|(name, argument)| one(name, argument)),
            1 => prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            1 => prop::collection::vec((select(KEYS), inner), 0..4).prop_map(|entries| object(entries.into_iter().collect())),
        ]
    })
}

fn path() -> impl Strategy<Value = Value> {
    select(PATHS).prop_map(|path| json!({ "@path": path }))
}

/// A mapping usable where Segment wants a string or a directive.
fn string_or_directive(inner: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::from),
        path(),
        inner.prop_map(|value| json!({ "@literal": value }))
    ]
}

/// A mapping that is an object or a directive.
fn object_or_directive(inner: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::collection::vec(
            (
                select(KEYS).prop_filter("no directive keys", |k| !k.starts_with('@')),
                inner.clone()
            ),
            0..4
        )
        .prop_map(|entries| object(entries.into_iter().collect())),
        path(),
        inner.prop_map(|value| json!({ "@excludeWhenNull": value })),
    ]
}

fn short(min: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        select(&['a', 'A', '.', '-', '$', '&', 'é', 'É', 'ß', '😀'][..]),
        min..5,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Well-formed mappings: every directive with options of the right shape.
fn valid_mapping() -> impl Strategy<Value = Value> {
    let base = prop_oneof![
        leaf(),
        path(),
        select(TEXTS)
            .prop_filter("a template", |t| !t.contains("{{ }}"))
            .prop_map(|t| json!({ "@template": t })),
    ];
    base.prop_recursive(4, 32, 4, |inner| {
        let value = inner.clone();
        prop_oneof![
            (select(&["exists", "blank"][..]), inner.clone(), inner.clone(), inner.clone()).prop_map(
                |(test, condition, then, otherwise)| {
                    let condition = if condition.is_object() || condition.is_array() { condition } else { json!({ "@path": "$.a" }) };
                    json!({"@if": {test: condition, "then": then, "else": otherwise}})
                }
            ),
            (select(&["lower", "upper"][..]), string_or_directive(inner.clone()))
                .prop_map(|(operator, value)| json!({"@case": {"operator": operator, "value": value}})),
            (string_or_directive(inner.clone()), short(1), short(0), any::<bool>(), any::<bool>(), prop::option::of((short(0), short(0))))
                .prop_map(|(value, pattern, replacement, ignorecase, global, second)| {
                    let mut options = json!({"value": value, "pattern": pattern, "replacement": replacement, "ignorecase": ignorecase, "global": global});
                    if let Some((pattern2, replacement2)) = second {
                        options["pattern2"] = json!(pattern2);
                        options["replacement2"] = json!(replacement2);
                    }
                    json!({ "@replace": options })
                }),
            (select(&["left", "right"][..]), prop::collection::vec(object_or_directive(inner.clone()), 0..4))
                .prop_map(|(direction, objects)| json!({"@merge": {"direction": direction, "objects": objects}})),
            (object_or_directive(inner.clone()), object_or_directive(inner.clone()))
                .prop_map(|(apply, mapping)| json!({"@transform": {"apply": apply, "mapping": mapping}})),
            (inner.clone(), select(&[".", "_", "/", "::"][..]), any::<bool>())
                .prop_map(|(value, separator, omit)| json!({"@flatten": {"value": value, "separator": separator, "omitArrays": omit}})),
            (select(&["encode", "decode"][..]), prop_oneof![path(), inner.clone().prop_map(|v| json!({ "@literal": v }))])
                .prop_map(|(mode, value)| json!({"@json": {"mode": mode, "value": value}})),
            inner.clone().prop_map(|value| json!({ "@excludeWhenNull": value })),
            inner.clone().prop_map(|value| json!({ "@literal": value })),
            (prop_oneof![select(PATHS).prop_filter("names a key or the root", |p| *p != "[]").prop_map(Value::from), path()], prop::option::of(object_or_directive(inner.clone())))
                .prop_map(|(source, shape)| json!({"@arrayPath": [source, shape]})),
            prop::collection::vec(value.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((select(&["a", "b", "c"][..]), value), 0..4).prop_map(|entries| object(entries.into_iter().collect())),
        ]
    })
}

#[test]
fn parsing_any_mapping_never_panics() {
    let parsed = std::cell::Cell::new(0);
    let refused = std::cell::Cell::new(0);
    runner()
        .run(&(any_mapping(), select(KEYS)), |(mapping, field)| {
            match Mapping::<Value>::parse(&one(field, mapping)) {
                Ok(_) => parsed.set(parsed.get() + 1),
                Err(error) => {
                    prop_assert!(!error.message.is_empty());
                    refused.set(refused.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    // Both outcomes are exercised.
    let (parsed, refused) = (parsed.get(), refused.get());
    assert!(
        parsed > 100 && refused > 100,
        "parsed {parsed}, refused {refused}"
    );
}

#[test]
fn well_formed_mappings_parse_and_evaluate_any_event() {
    runner()
        .run(&(valid_mapping(), event()), |(mapping, event)| {
            let parsed = Mapping::<Value>::parse(&json!({ "f": mapping.clone() }));
            let parsed = match parsed {
                Ok(parsed) => parsed,
                Err(error) => {
                    return Err(TestCaseError::fail(format!(
                        "{mapping} was refused: {error}"
                    )))
                }
            };
            let first = parsed.evaluate("f", &event);
            let second = parsed.evaluate("f", &event);
            prop_assert_eq!(&first, &second, "evaluation is deterministic");
            if let Ok(Some(value)) = first {
                prop_assert!(value.to_json().is_some());
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_valid_mapping_evaluates_any_event() {
    let evaluated = std::cell::Cell::new(0);
    runner()
        .run(&(any_mapping(), event()), |(mapping, event)| {
            if let Ok(parsed) = Mapping::<Value>::parse(&json!({ "f": mapping })) {
                let _ = parsed.evaluate("f", &event);
                let _ = parsed.evaluate("f", &json!(null));
                evaluated.set(evaluated.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    assert!(
        evaluated.get() > 100,
        "only {} mappings were valid",
        evaluated.get()
    );
}
