//! The actions' declarations (`pendo_core::actions::definition`) are the one source of their
//! fields: the README's field tables, the TypeScript declarations of the package and the
//! presets the JavaScript tests use (`tests/support/presets.mjs`) must say what they say. On a
//! mismatch the test prints the text to put in place.

#![cfg(not(target_arch = "wasm32"))]

use pendo_core::actions::Action;
use pendo_core::mapping::Mapping;
use pendo_core::subscriptions;
use pendo_core::trigger::Trigger;
use serde_json::{json, Map, Value};

/// The README's table of one action's fields.
fn readme_table(action: Action) -> String {
    let definition = action.definition();
    let preset = match definition.preset_trigger {
        Some(trigger) => format!("preset trigger `{trigger}`"),
        None => "no preset: it runs only when a subscription names it".to_owned(),
    };
    let mut text = format!(
        "**{}** (`{}`), {preset}\n\n| field | label | type | required | default mapping |\n|---|---|---|---|---|\n",
        definition.title, definition.key
    );
    for field in definition.fields {
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | `{}` |\n",
            field.key,
            field.label,
            field.kind.type_name(),
            if field.required() { "yes" } else { "no" },
            field.default
        ));
    }
    text
}

/// The TypeScript type of one action's mapping.
fn typescript_type(action: Action) -> String {
    let definition = action.definition();
    let name = definition.title.replace(' ', "");
    let fields: Vec<String> = definition
        .fields
        .iter()
        .map(|field| {
            format!(
                "  /** {} ({}). */\n  {}?: JsonValue;\n",
                field.label,
                field.kind.type_name(),
                field.key
            )
        })
        .collect();
    format!(
        "/** The fields of {} (`partnerAction: '{}'`), as a subscription maps them. */\nexport type {name}Mapping = {{\n{}}};\n",
        definition.title,
        definition.key,
        fields.concat()
    )
}

fn check(file: &str, expected: impl Fn(Action) -> String) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let missing: Vec<String> = Action::ALL
        .into_iter()
        .map(expected)
        .filter(|part| !text.contains(part.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{file} does not say what the declarations say; it should hold:\n\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_readme_field_tables_are_the_declarations() {
    check("README.md", readme_table);
}

#[test]
fn the_typescript_declarations_are_the_declarations() {
    check("js-shim/src/index.d.ts", typescript_type);
}

#[test]
fn each_action_is_declared_once_under_its_own_key() {
    for action in Action::ALL {
        assert_eq!(Action::from_key(action.key()), Some(action));
        let definition = action.definition();
        let mut keys: Vec<&str> = definition.fields.iter().map(|f| f.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(
            keys.len(),
            definition.fields.len(),
            "{}: a field declared twice",
            definition.key
        );
        for field in definition.fields {
            let default: serde_json::Value =
                serde_json::from_str(field.default).unwrap_or_else(|e| {
                    panic!(
                        "{}.{}: the default is not JSON: {e}",
                        definition.key, field.key
                    )
                });
            assert!(default.is_object(), "{}.{}", definition.key, field.key);
        }
    }
}

/// The JSON literal `tests/support/presets.mjs` gives the object `export const {name}`.
fn presets_table(text: &str, name: &str) -> Map<String, Value> {
    let declaration = format!("export const {name} = ");
    let start = text
        .find(&declaration)
        .unwrap_or_else(|| panic!("presets.mjs has no `{declaration}`"))
        + declaration.len();
    let mut values = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
    match values.next() {
        Some(Ok(Value::Object(table))) => table,
        other => panic!("presets.mjs: {name} is not a JSON object literal: {other:?}"),
    }
}

/// `table` must be `expected`, to the order of the keys.
fn check_table(name: &str, table: &Map<String, Value>, expected: &Map<String, Value>) {
    assert!(
        Value::to_string(&table.clone().into()) == Value::to_string(&expected.clone().into()),
        "tests/support/presets.mjs does not say what the declarations say; it should hold:\n\nexport const {name} = {};",
        serde_json::to_string_pretty(expected).unwrap()
    );
}

#[test]
fn the_javascript_presets_are_the_declarations() {
    let file = "tests/support/presets.mjs";
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mappings = presets_table(&text, "PRESET_MAPPINGS");
    let triggers = presets_table(&text, "PRESET_TRIGGERS");
    let titles = presets_table(&text, "ACTION_TITLES");

    let mut expected_mappings = Map::new();
    let mut expected_triggers = Map::new();
    let mut expected_titles = Map::new();
    for action in Action::ALL {
        let definition = action.definition();
        let mapping: Value = serde_json::from_str(&definition.default_mapping())
            .unwrap_or_else(|e| panic!("{}: the default mapping is not JSON: {e}", action.key()));
        expected_mappings.insert(action.key().into(), mapping);
        expected_titles.insert(action.key().into(), definition.title.into());
        let trigger = match action.preset() {
            Some((trigger, _)) => Value::from(trigger),
            // No preset: the trigger a workspace gives the action is the tests' own, but it
            // must be one the destination reads without a warning.
            None => {
                let trigger = triggers.get(action.key()).cloned().unwrap_or_default();
                let parsed = Trigger::parse::<Value>(trigger.as_str().unwrap_or_default());
                assert!(
                    parsed.as_ref().is_ok_and(|t| t.warning().is_none()),
                    "{file}: PRESET_TRIGGERS.{} is not a well-formed trigger: {trigger}",
                    action.key()
                );
                trigger
            }
        };
        expected_triggers.insert(action.key().into(), trigger);
    }
    check_table("PRESET_MAPPINGS", &mappings, &expected_mappings);
    check_table("PRESET_TRIGGERS", &triggers, &expected_triggers);
    check_table("ACTION_TITLES", &titles, &expected_titles);

    // The subscriptions that run without any in the settings are the actions with a preset,
    // and run for the same events as the JavaScript presets' triggers.
    let presets = subscriptions::parse(&json!({"apiKey": "k"}));
    assert!(presets.errors.is_empty(), "{:?}", presets.errors);
    let preset_actions: Vec<Action> = presets.subscriptions.iter().map(|s| s.action).collect();
    let with_preset: Vec<Action> = Action::ALL
        .into_iter()
        .filter(|action| action.preset().is_some())
        .collect();
    assert_eq!(preset_actions, with_preset);
    let events: Vec<Value> = ["identify", "group", "track", "page", "screen", "alias"]
        .map(|kind| {
            json!({
                "type": kind, "event": "E", "userId": "u1", "groupId": "g1",
                "traits": {"plan": "pro", "parentAccount": {"id": "p1"}},
                "properties": {"total": 1}, "context": {"groupId": "g2", "page": {"url": "https://a.example/"}}
            })
        })
        .into();
    for preset in &presets.subscriptions {
        let key = preset.action.key();
        let trigger = Trigger::parse::<Value>(triggers[key].as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{file}: PRESET_TRIGGERS.{key}: {e}"));
        for event in &events {
            assert_eq!(
                trigger.matches(event),
                preset.trigger.matches(event),
                "{file}: PRESET_TRIGGERS.{key} and the preset differ on {event}"
            );
        }
        // And map them alike.
        let mapping = Mapping::parse(&mappings[key])
            .unwrap_or_else(|e| panic!("{file}: PRESET_MAPPINGS.{key}: {e}"));
        let event = &events[0];
        let fields = |mapping: &Mapping<Value>| -> Vec<Option<Value>> {
            let payload = mapping.payload(event).expect("the preset maps the event");
            let definition = preset.action.definition();
            definition
                .fields
                .iter()
                .map(|f| payload.get(f.key))
                .collect()
        };
        assert_eq!(
            fields(&mapping),
            fields(&preset.mapping),
            "{file}: PRESET_MAPPINGS.{key}"
        );
    }
}
