//! The fuzz targets' seeds (`fuzz/seeds/`), among them the inputs that found bugs, replayed as
//! plain tests so that `cargo test` runs them without libFuzzer; and each bug the fuzzers found,
//! as its own test.
#![cfg(not(target_arch = "wasm32"))]

use pendo_core::actions::{Action, Context};
use pendo_core::destination::Destination;
use pendo_core::mapping::Mapping;
use pendo_core::settings::Settings;
use pendo_core::trigger::Trigger;
use serde_json::{json, Value};
use std::path::Path;

/// Every seed of a target: its file name and its parts, split at the first NUL byte as the
/// fuzz targets do.
fn seeds(target: &str) -> Vec<(String, Vec<u8>, Option<Vec<u8>>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a seed").path();
            let data = std::fs::read(&path).expect("a readable seed");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            match data.iter().position(|&b| b == 0) {
                Some(at) => (name, data[..at].to_vec(), Some(data[at + 1..].to_vec())),
                None => (name, data, None),
            }
        })
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

/// A part as JSON; every committed seed is JSON where the target reads JSON.
fn json(name: &str, bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("seed {name} is not JSON: {e}"))
}

#[test]
fn settings_seeds() {
    for (name, data, _) in seeds("settings") {
        let raw = json(&name, &data);
        if let Ok(settings) = Settings::parse(&raw) {
            assert!(settings.agent_url().ends_with("/pendo.js"), "{name}");
        }
    }
}

#[test]
fn trigger_seeds() {
    for (name, text, event) in seeds("trigger") {
        let text = String::from_utf8(text).expect("seed triggers are UTF-8");
        let event = event.map_or(json!({}), |e| json(&name, &e));
        if let Ok(trigger) = Trigger::parse::<Value>(&text) {
            trigger.matches(&event);
        }
    }
}

#[test]
fn mapping_seeds() {
    for (name, mapping, event) in seeds("mapping") {
        let mapping = json(&name, &mapping);
        let event = event.map_or(json!({}), |e| json(&name, &e));
        if let Ok(parsed) = Mapping::parse(&mapping) {
            for (field, _) in mapping.as_object().into_iter().flatten() {
                let _ = parsed.evaluate(field, &event);
            }
        }
    }
}

#[test]
fn destination_seeds() {
    for (name, settings, event) in seeds("destination") {
        let settings = json(&name, &settings);
        let event = event.map_or(json!({}), |e| json(&name, &e));
        dispatch_all(&settings, &event);
    }
}

fn dispatch_all(settings: &Value, event: &Value) {
    let Ok((destination, _)) = Destination::new(settings) else {
        return;
    };
    let group = || Some(json!("g"));
    let context = Context {
        settings: &destination.settings,
        current_group_id: &group,
    };
    for action in Action::ALL {
        destination.dispatch(action, event, &context);
    }
}

/// `[[[ … {"@path": "$.a"} … ]]]`, `depth` arrays deep.
fn nested_mapping(depth: usize) -> Value {
    let mut value = json!({"@path": "$.a"});
    for _ in 0..depth {
        value = Value::Array(vec![value]);
    }
    value
}

/// Takes a deeply nested value apart one level at a time: dropping it whole recurses as deep
/// as it nests.
fn dismantle(mut value: Value) {
    loop {
        value = match value {
            Value::Array(mut items) => items.pop().unwrap_or(Value::Null),
            Value::Object(map) => map.into_iter().next().map_or(Value::Null, |(_, v)| v),
            _ => return,
        };
    }
}

/// `Mapping::parse` recursed once per level of nesting, without limit. The fuzz targets cannot
/// nest that deep (serde_json refuses JSON text nested over 128 levels; the seeds
/// `regression_deep_nesting` go as far as it allows), but the browser's `JSON.parse`, which
/// reads `settings.subscriptions`, nests without limit: 40 KB of `[[[[…]]]]` in one
/// subscription's mapping made the plugin factory throw "RangeError: Maximum call stack size
/// exceeded" in Chromium (see `tests/web.rs`) instead of disabling that one subscription; on
/// the host, 1,000 levels overflowed a 1 MiB stack. Deeper than `MAX_NESTING` is now refused.
#[test]
fn deeply_nested_mappings_are_refused() {
    use pendo_core::mapping::MAX_MAPPING_DEPTH as MAX_NESTING;
    // On the host, reading a level of a serde_json value clones what is below it, and that
    // clone recurses too: a big stack lets the clones through, and the test is about the
    // parser's recursion, which would need far more.
    let run = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            let event = json!({"a": 1});
            let at_limit = json!({ "f": nested_mapping(MAX_NESTING) });
            let mapping = Mapping::parse(&at_limit).expect("nesting up to the limit is fine");
            assert!(matches!(mapping.evaluate("f", &event), Ok(Some(_))));

            let too_deep = json!({ "f": nested_mapping(MAX_NESTING + 1) });
            let error = Mapping::<Value>::parse(&too_deep).unwrap_err();
            assert_eq!(error.field, "f");
            assert!(error.message.contains("deeper than"), "{error}");

            let deep = nested_mapping(20_000);
            let subscriptions = json!([
                {"partnerAction": "track", "name": "deep", "enabled": true, "subscribe": "type = \"track\"", "mapping": {"event": deep}},
                {"partnerAction": "track", "name": "fine", "enabled": true, "subscribe": "type = \"track\"", "mapping": {"event": {"@path": "$.event"}}}
            ]);
            let settings = json!({"apiKey": "k", "subscriptions": subscriptions});
            let (destination, errors) = Destination::new(&settings).expect("valid settings");
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].contains("\"deep\""), "{errors:?}");
            let group = || None;
            let context = Context {
                settings: &destination.settings,
                current_group_id: &group,
            };
            let event = json!({"type": "track", "event": "Hi"});
            assert_eq!(destination.dispatch(Action::Track, &event, &context).len(), 1);
            dismantle(settings);
        })
        .expect("a thread");
    run.join().expect("no panic");
}
