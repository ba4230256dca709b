//! Unit tests of the mapping language: what parsing refuses, and with which message.

use super::*;
use serde_json::{json, Value};

fn eval(mapping: Value, event: Value) -> Option<Value> {
    Mapping::parse(&json!({ "f": mapping }))
        .unwrap()
        .evaluate("f", &event)
}

/// The error for the field `f` mapped with `mapping`.
fn refused(mapping: Value) -> MappingError {
    match Mapping::<Value>::parse(&json!({ "f": mapping.clone() })) {
        Ok(_) => panic!("{mapping} should be refused"),
        Err(error) => {
            assert_eq!(error.field, "f", "{error}");
            error
        }
    }
}

fn assert_refused(mapping: Value, words: &[&str]) {
    let error = refused(mapping.clone());
    let text = error.to_string();
    for word in words {
        assert!(
            text.contains(word),
            "the error for {mapping} should mention {word:?}: {text}"
        );
    }
}

#[test]
fn if_exists_picks_a_branch() {
    let account = json!({"@if": {"exists": {"@path": "$.context.groupId"}, "then": {"@path": "$.context.groupId"}, "else": {"@path": "$.groupId"}}});
    assert_eq!(
        eval(
            account.clone(),
            json!({"context": {"groupId": "c"}, "groupId": "g"})
        ),
        Some(json!("c"))
    );
    assert_eq!(
        eval(account.clone(), json!({"context": {}, "groupId": "g"})),
        Some(json!("g"))
    );
    assert_eq!(eval(account, json!({})), None);
}

#[test]
fn objects_drop_undefined_fields() {
    assert_eq!(
        eval(json!({"a": {"@path": "$.x"}, "b": 1}), json!({})),
        Some(json!({"b": 1}))
    );
}

#[test]
fn bad_directives_name_the_field() {
    let error =
        Mapping::<Value>::parse(&json!({"visitorId": {"@liquid": "{{userId}}"}})).unwrap_err();
    assert_eq!(error.field, "visitorId");
    assert!(
        error.to_string().contains("@liquid") && error.to_string().contains("browser"),
        "{error}"
    );
    assert_refused(json!({"@nope": 1}), &["@nope", "unknown directive"]);
    assert_refused(json!({"@path": 1}), &["@path", "a number"]);
}

#[test]
fn directive_objects_hold_one_directive_and_nothing_else() {
    assert_refused(
        json!({"@path": "$.a", "@template": "x"}),
        &["one directive"],
    );
    assert_refused(
        json!({"@path": "$.a", "other": 1}),
        &["only key", "\"other\""],
    );
    assert_eq!(
        eval(
            json!({"@path": "$.a", "_metadata": {"type": "variable"}}),
            json!({"a": 1})
        ),
        Some(json!(1))
    );
}

#[test]
fn errors_say_where_in_the_mapping() {
    let error = refused(
        json!({"list": [1, {"@if": {"exists": {"@path": "$.a"}, "then": {"@replace": {"value": "x"}}}}]}),
    );
    assert_eq!(
        error.message,
        "list/1/@if/then/@replace: needs the option \"pattern\""
    );
}

#[test]
fn top_level_is_an_object_of_fields() {
    assert!(Mapping::<Value>::parse(&json!([1])).is_err());
    let error = Mapping::<Value>::parse(&json!({"@path": "$.a"})).unwrap_err();
    assert!(
        error.field.is_empty() && error.message.contains("@path"),
        "{error}"
    );
}

#[test]
fn nesting_is_bounded() {
    // Values nested a little deeper than the limit: serde_json's own clone and drop recurse too.
    let mut deep = json!("leaf");
    for _ in 0..MAX_MAPPING_DEPTH + 10 {
        deep = json!({ "a": deep });
    }
    assert_refused(deep, &["nested deeper than 200"]);
    let mut deep = json!("leaf");
    for _ in 0..MAX_MAPPING_DEPTH / 2 + 5 {
        deep = json!({ "@if": {"exists": true, "then": deep} });
    }
    assert_refused(deep, &["nested deeper than 200"]);
    let mut fine = json!({"@path": "$.a"});
    let mut expected = json!(1);
    for _ in 0..MAX_MAPPING_DEPTH - 2 {
        fine = json!([fine]);
        expected = json!([expected]);
    }
    assert_eq!(eval(fine, json!({"a": 1})), Some(expected));
}

#[test]
fn path_shapes() {
    assert_refused(json!({"@path": {"a": 1}}), &["@path", "an object"]);
    assert_refused(json!({"@path": ["a", true]}), &["keys of a path"]);
    assert_refused(json!({"@path": "[]"}), &["names no key"]);
    assert_refused(json!({"@path": {"@nope": 1}}), &["@path/@nope"]);
}

#[test]
fn if_shapes() {
    assert_refused(json!({"@if": "x"}), &["@if", "takes an object"]);
    assert_refused(json!({"@if": {"then": 1}}), &["\"exists\" or \"blank\""]);
    assert_refused(
        json!({"@if": {"exists": "", "then": 1}}),
        &["\"exists\" or \"blank\""],
    );
    assert_refused(
        json!({"@if": {"@path": "$.a"}}),
        &["not the directive @path"],
    );
    assert_refused(
        json!({"@if": {"exists": {"@nope": 1}}}),
        &["@if/exists/@nope"],
    );
    assert_refused(
        json!({"@if": {"exists": 1, "else": {"@liquid": "x"}}}),
        &["@if/else/@liquid"],
    );
    assert_refused(
        json!({"@if": {"exists": 1, "unknown": {"@nope": 1}}}),
        &["@if/unknown/@nope"],
    );
}

#[test]
fn template_shapes() {
    assert_refused(json!({"@template": false}), &["@template", "a boolean"]);
    assert_refused(json!({"@template": {"a": 1}}), &["an object"]);
    assert_refused(
        json!({"@template": "x {{ [] }}"}),
        &["placeholder", "names no field"],
    );
}

#[test]
fn array_path_shapes() {
    assert_refused(
        json!({"@arrayPath": "$.products"}),
        &["@arrayPath", "takes an array"],
    );
    assert_refused(json!({"@arrayPath": []}), &["first item"]);
    assert_refused(json!({"@arrayPath": [true]}), &["first item", "a boolean"]);
    assert_refused(
        json!({"@arrayPath": [{"sku": 1}]}),
        &["first item", "an object"],
    );
    assert_refused(
        json!({"@arrayPath": ["$.p", {"sku": {"@nope": 1}}]}),
        &["@arrayPath/1/sku/@nope"],
    );
}

#[test]
fn case_shapes() {
    assert_refused(json!({"@case": "lower"}), &["@case", "takes an object"]);
    assert_refused(
        json!({"@case": {"value": "A"}}),
        &["\"operator\"", "\"lower\" or \"upper\""],
    );
    assert_refused(
        json!({"@case": {"value": "A", "operator": "snake"}}),
        &["\"snake\""],
    );
    assert_refused(
        json!({"@case": {"value": 5, "operator": "lower"}}),
        &["\"value\"", "a number"],
    );
}

#[test]
fn replace_shapes() {
    let valid = || json!({"value": {"@path": "$.a"}, "pattern": "-"});
    let with = |key: &str, value: Value| {
        let mut options = valid();
        options[key] = value;
        json!({ "@replace": options })
    };
    assert_refused(json!({"@replace": "abc"}), &["@replace", "takes an object"]);
    assert_refused(json!({"@replace": {"value": "x"}}), &["\"pattern\""]);
    assert_refused(json!({"@replace": {"pattern": "x"}}), &["\"value\""]);
    assert_refused(with("pattern", json!("")), &["1 to 10 characters"]);
    assert_refused(
        with("pattern", json!("elevenchars")),
        &["1 to 10 characters"],
    );
    assert_refused(with("pattern", json!(1)), &["must be a string"]);
    assert_refused(
        with("replacement", json!("waytoolongreplacement")),
        &["\"replacement\"", "0 to 10"],
    );
    assert_refused(
        with("replacement", json!(null)),
        &["\"replacement\"", "null"],
    );
    assert_refused(
        with("global", json!("abc")),
        &["\"global\"", "true or false"],
    );
    assert_refused(with("ignorecase", json!(null)), &["\"ignorecase\""]);
    assert_refused(
        with("pattern2", json!("rrrrrrrrrrrrrrrrrrrr")),
        &["\"pattern2\""],
    );
    assert_refused(with("pattern2", json!(2)), &["\"pattern2\""]);
    let mut options = valid();
    options["pattern2"] = json!("+");
    options["replacement2"] = json!("rrrrrrrrrrrrrrrrrrrr");
    assert_refused(json!({ "@replace": options }), &["\"replacement2\""]);
    assert_refused(with("value", json!(5)), &["\"value\""]);
    // Ten UTF-16 code units, as JavaScript counts them.
    assert!(Mapping::<Value>::parse(&json!({"f": with("pattern", json!("ééééééééé😀"))})).is_err());
    assert!(Mapping::<Value>::parse(&json!({"f": with("pattern", json!("éééééééé😀"))})).is_ok());
}

#[test]
fn merge_shapes() {
    assert_refused(json!({"@merge": [{}, {}]}), &["@merge", "takes an object"]);
    assert_refused(json!({"@merge": {"objects": [{}]}}), &["\"direction\""]);
    assert_refused(
        json!({"@merge": {"objects": [{}], "direction": "up"}}),
        &["\"up\""],
    );
    assert_refused(json!({"@merge": {"direction": "left"}}), &["\"objects\""]);
    assert_refused(
        json!({"@merge": {"objects": {"a": 1}, "direction": "left"}}),
        &["must be an array"],
    );
    assert_refused(
        json!({"@merge": {"objects": [{}, 1], "direction": "left"}}),
        &["item 1", "a number"],
    );
    assert_refused(
        json!({"@merge": {"objects": [{"@nope": 1}], "direction": "left"}}),
        &["@merge/objects/0/@nope"],
    );
}

#[test]
fn transform_shapes() {
    assert_refused(
        json!({"@transform": "string"}),
        &["@transform", "takes an object"],
    );
    assert_refused(json!({"@transform": {"mapping": {}}}), &["\"apply\""]);
    assert_refused(json!({"@transform": {"apply": {}}}), &["\"mapping\""]);
    assert_refused(
        json!({"@transform": {"apply": "string", "mapping": {}}}),
        &["\"apply\"", "a string"],
    );
    assert_refused(
        json!({"@transform": {"apply": {}, "mapping": [1]}}),
        &["\"mapping\"", "an array"],
    );
}

#[test]
fn flatten_shapes() {
    assert_refused(json!({"@flatten": "abc"}), &["@flatten", "takes an object"]);
    assert_refused(json!({"@flatten": {"separator": "."}}), &["\"value\""]);
    assert_refused(
        json!({"@flatten": {"value": {}, "separator": {"@path": "$.s"}}}),
        &["\"separator\"", "a directive"],
    );
    assert_refused(
        json!({"@flatten": {"value": {}, "separator": ""}}),
        &["\"separator\"", "empty"],
    );
    assert_refused(
        json!({"@flatten": {"value": {}, "omitArrays": "yes"}}),
        &["\"omitArrays\""],
    );
}

#[test]
fn json_shapes() {
    assert_refused(json!({"@json": "nope"}), &["@json", "takes an object"]);
    assert_refused(json!({"@json": {"value": {"@path": "$.a"}}}), &["\"mode\""]);
    assert_refused(
        json!({"@json": {"value": {"@path": "$.a"}, "mode": "oops"}}),
        &["\"oops\""],
    );
    assert_refused(json!({"@json": {"mode": "encode"}}), &["\"value\""]);
    assert_refused(
        json!({"@json": {"mode": "encode", "value": ""}}),
        &["\"value\"", "not empty"],
    );
}

#[test]
fn exclude_and_literal_check_their_inside() {
    assert_refused(
        json!({"@excludeWhenNull": {"@nope": 1}}),
        &["@excludeWhenNull/@nope"],
    );
    assert_refused(
        json!({"@literal": {"a": {"@liquid": "x"}}}),
        &["@literal/a/@liquid"],
    );
}

#[test]
fn root_directive_must_be_a_transform() {
    let error =
        Mapping::<Value>::parse(&json!({"__segment_internal_directive": {"@path": "$.a"}, "f": 1}))
            .unwrap_err();
    assert!(error.message.contains("@transform"), "{error}");
    let error = Mapping::<Value>::parse(
        &json!({"__segment_internal_directive": {"@transform": {}}, "f": 1}),
    )
    .unwrap_err();
    assert!(error.message.contains("\"apply\""), "{error}");
    assert!(Mapping::<Value>::parse(&json!({"__segment_internal_directive": "x"})).is_err());
}

#[test]
fn root_transform_feeds_every_field() {
    let mapping = Mapping::<Value>::parse(&json!({
        "__segment_internal_directive": {"@transform": {"apply": {"props": {"@flatten": {"value": {"@path": "$.properties"}, "separator": "_"}}}}},
        "all": {"@path": "$.props"},
        "one": {"@path": "$.props.a_b"}
    }))
    .unwrap();
    let event = json!({"properties": {"a": {"b": 1}, "c": 2}});
    assert_eq!(
        mapping.evaluate("all", &event),
        Some(json!({"a_b": 1, "c": 2}))
    );
    assert_eq!(mapping.evaluate("one", &event), Some(json!(1)));
    assert_eq!(
        mapping.path_of("all"),
        None,
        "paths are not the event's any more"
    );
}

#[test]
fn path_of_reads_plain_paths() {
    let mapping =
        Mapping::<Value>::parse(&json!({"a": {"@path": "$.traits"}, "b": {"@template": "{{x}}"}}))
            .unwrap();
    assert_eq!(
        mapping.path_of("a").map(ToString::to_string).as_deref(),
        Some("$.traits")
    );
    assert_eq!(mapping.path_of("b"), None);
    assert_eq!(mapping.path_of("c"), None);
}

#[test]
fn hostile_data_stays_bounded() {
    let json_text = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    assert_eq!(
        eval(
            json!({"@json": {"mode": "decode", "value": {"@path": "$.t"}}}),
            json!({ "t": json_text })
        ),
        None
    );
    let mut deep = json!(1);
    for _ in 0..100 {
        deep = json!({ "k": deep });
    }
    let flattened = eval(
        json!({"@flatten": {"value": {"@path": "$.d"}}}),
        json!({ "d": deep }),
    )
    .unwrap();
    let (key, rest) = flattened.as_object().unwrap().iter().next().unwrap();
    assert_eq!(
        key.split('.').count(),
        MAX_DATA_DEPTH,
        "the rest stays whole under the deepest key"
    );
    assert!(rest.is_object());
    let wide: serde_json::Map<String, Value> = (0..text::MAX_DATA_STEPS + 10)
        .map(|i| (i.to_string(), json!(i)))
        .collect();
    let flattened = eval(
        json!({"@flatten": {"value": {"@path": "$.w"}}}),
        json!({ "w": wide }),
    )
    .unwrap();
    assert_eq!(flattened.as_object().unwrap().len(), text::MAX_DATA_STEPS);
}
