//! The actions' declarations (`pendo_core::actions::definition`) are the one source of their
//! fields: the README's field tables and the TypeScript declarations of the package must say
//! what they say. On a mismatch the test prints the text to put in place.

#![cfg(not(target_arch = "wasm32"))]

use pendo_core::actions::Action;

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
