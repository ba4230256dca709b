//! The fuzz targets' seeds (`fuzz/seeds/`), among them the inputs that found bugs, replayed as
//! plain tests so that `cargo test` runs them without libFuzzer; and each bug the fuzzers found,
//! as its own test.
#![cfg(not(target_arch = "wasm32"))]

use pendo_wasm::actions::{Action, Context};
use pendo_wasm::destination::Destination;
use pendo_wasm::mapping::Mapping;
use pendo_wasm::settings::Settings;
use pendo_wasm::trigger::Trigger;
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
        if let Ok(trigger) = Trigger::parse(&text) {
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
                parsed.evaluate(field, &event);
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
    let group = || Some("g".to_owned());
    let context = Context {
        settings: &destination.settings,
        current_group_id: &group,
    };
    for action in Action::ALL {
        destination.dispatch(action, event, &context);
    }
}
