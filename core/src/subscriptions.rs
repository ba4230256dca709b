//! Subscriptions: which action runs for which events, with which mapping.
//!
//! Segment sends them under `settings.subscriptions` (an array, or the same array as JSON
//! text) as `{partnerAction, name, enabled, subscribe, mapping}`. Without any, the presets of
//! Send Identify, Send Group and Send Track apply. Each one is parsed once; a broken one is
//! reported and left out, and the others keep working.

use crate::prelude::*;

use crate::actions::{Action, Prepared};
use crate::data::{Data, Kind};
use crate::mapping::{is_truthy, Mapping};
use crate::quote::quote;
use crate::sdk::Sdk;
use crate::trigger::Trigger;

/// One enabled, parsed subscription.
#[derive(Clone, Debug)]
pub struct Subscription<D> {
    /// The subscription's name in Segment (`#1`, `#2`, ... when it has none), for messages and
    /// explain mode; empty without both (features `messages` and `explain`), which never show it.
    pub name: String,
    /// The action it runs (`partnerAction`).
    pub action: Action,
    /// Which events it runs for (`subscribe`).
    pub trigger: Trigger,
    /// How the action's fields are read from the event (`mapping`).
    pub mapping: Mapping<D>,
    /// What the action read of the mapping once ([`Action::prepare`]).
    pub prepared: Prepared,
}

/// The subscriptions read from the settings, one message per subscription left out, and one
/// per subscription that runs although its trigger is not well-formed.
pub struct Parsed<D> {
    /// The enabled subscriptions that parsed, in the order of the settings.
    pub subscriptions: Vec<Subscription<D>>,
    /// One message per subscription left out (or for a list that cannot be read).
    pub errors: Vec<String>,
    /// One message per subscription that runs although its trigger is not well-formed.
    pub warnings: Vec<String>,
}

/// Reads `settings.subscriptions`, or the presets when there are none.
///
/// ```
/// use pendo_core::{actions::Action, subscriptions};
/// use serde_json::json;
/// let parsed = subscriptions::parse(&json!({"apiKey": "k", "subscriptions": [
///     {"partnerAction": "track", "name": "Orders", "enabled": true,
///      "subscribe": "event = \"Order Completed\"", "mapping": {"event": {"@path": "$.event"}}},
///     {"partnerAction": "track", "name": "Broken", "enabled": true, "subscribe": "type =", "mapping": {}},
/// ]}));
/// assert_eq!(parsed.subscriptions.len(), 1);
/// assert_eq!(parsed.subscriptions[0].action, Action::Track);
/// assert_eq!(parsed.errors.len(), 1);
/// // Without subscriptions: the presets of Send Identify, Send Group and Send Track.
/// assert_eq!(subscriptions::parse(&json!({"apiKey": "k"})).subscriptions.len(), 3);
/// ```
pub fn parse<D: Data>(settings: &D) -> Parsed<D> {
    parse_for(settings, Sdk::Segment)
}

/// Reads `settings.subscriptions`, or the presets of `sdk` when there are none.
pub fn parse_for<D: Data>(settings: &D, sdk: Sdk) -> Parsed<D> {
    let mut parsed = Parsed {
        subscriptions: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let raw = match listed(settings) {
        Listed::None => return presets_for(sdk),
        Listed::Refused(message) => {
            parsed.errors.push(message);
            return parsed;
        }
        Listed::Array(raw) => raw,
    };
    for (index, item) in raw.items().iter().enumerate() {
        match parse_one(item, index) {
            Ok(Some(subscription)) => {
                if let Some(warning) = subscription.trigger.warning() {
                    let name = &subscription.name;
                    parsed
                        .warnings
                        .push(message!("subscription {}: {warning}", quote(name)));
                }
                parsed.subscriptions.push(subscription)
            }
            Ok(None) => {}
            Err(message) => parsed.errors.push(message),
        }
    }
    parsed
}

/// What `settings.subscriptions` holds.
enum Listed<D> {
    /// Nothing: the presets apply.
    None,
    /// A list that cannot be read, and why.
    Refused(String),
    /// The array of subscriptions.
    Array(D),
}

fn listed<D: Data>(settings: &D) -> Listed<D> {
    let raw = match settings.get_key("subscriptions") {
        None => return Listed::None,
        Some(value) if value.kind() == Kind::Null => return Listed::None,
        Some(value) if value.kind() == Kind::String => {
            match value.as_string().and_then(|text| D::parse_json(&text)) {
                Some(list) => list,
                None => {
                    return Listed::Refused(message!(
                        "settings.subscriptions is not valid JSON: no action will run"
                    ))
                }
            }
        }
        Some(value) => value,
    };
    if raw.kind() != Kind::Array {
        return Listed::Refused(message!(
            "settings.subscriptions must be an array: no action will run"
        ));
    }
    Listed::Array(raw)
}

/// The three presets, with their default triggers and mappings.
pub fn presets<D: Data>() -> Parsed<D> {
    presets_for(Sdk::Segment)
}

/// The presets for the messages of `sdk` ([`Sdk::preset`]).
pub fn presets_for<D: Data>(sdk: Sdk) -> Parsed<D> {
    let mut parsed = Parsed {
        subscriptions: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    for action in Action::ALL {
        let Some((trigger, mapping)) = sdk.preset(action) else {
            continue;
        };
        let subscription = D::parse_json(&mapping)
            .ok_or_else(|| message!("preset mapping of {} is not JSON", action.key()))
            .and_then(|mapping| compile(action.key().to_owned(), action, trigger, Some(mapping)));
        match subscription {
            Ok(subscription) => parsed.subscriptions.push(subscription),
            Err(message) => parsed.errors.push(message),
        }
    }
    parsed
}

/// `Ok(None)` for a disabled subscription.
fn parse_one<D: Data>(item: &D, index: usize) -> Result<Option<Subscription<D>>, String> {
    // Only messages and explain mode name a subscription: without them it is not read.
    let named = cfg!(any(feature = "messages", feature = "explain"));
    let name = match named.then(|| item.get_key("name").and_then(|n| n.as_string())) {
        Some(Some(name)) => name,
        _ => message!("#{}", index + 1),
    };
    let fail = |why: String| message!("subscription \"{name}\" is disabled: {why}");
    match item.kind() {
        Kind::Object => {}
        // In the browser: a getter or Proxy that throws, a revoked Proxy, a function.
        Kind::Other => return Err(fail(message!("it cannot be read as JSON data"))),
        _ => return Err(fail(message!("it is not an object"))),
    }
    // As Segment's runtime: `enabled` must be truthy, so one without it is skipped too.
    if !item.get_key("enabled").is_some_and(|e| is_truthy(&e)) {
        return Ok(None);
    }
    let key = item
        .get_key("partnerAction")
        .and_then(|a| a.as_string())
        .unwrap_or_default();
    let action = Action::from_key(&key)
        .ok_or_else(|| fail(message!("unknown partnerAction {}", quote(&key))))?;
    let trigger_text = item
        .get_key("subscribe")
        .and_then(|s| s.as_string())
        .ok_or_else(|| fail(message!("it has no trigger (\"subscribe\")")))?;
    let mapping = item.get_key("mapping");
    let subscription = compile(String::new(), action, &trigger_text, mapping).map_err(fail)?;
    Ok(Some(Subscription {
        name,
        ..subscription
    }))
}

/// One subscription's trigger, then its mapping (none or `null`: `{}`), parsed, or why it
/// cannot run: one path for the presets and the workspace's subscriptions.
fn compile<D: Data>(
    name: String,
    action: Action,
    trigger: &str,
    mapping: Option<D>,
) -> Result<Subscription<D>, String> {
    // The errors are written with `message!`, not `to_string`, which would add one copy of
    // `ToString` per error type to the `.wasm`.
    let trigger = Trigger::parse::<D>(trigger).map_err(|e| message!("{e}"))?;
    let mapping = match mapping {
        Some(mapping) if mapping.kind() == Kind::Other => {
            return Err(message!("its mapping cannot be read as JSON data"))
        }
        Some(mapping) if mapping.kind() != Kind::Null => mapping,
        _ => D::new_object(Vec::new()),
    };
    let mapping = Mapping::parse(&mapping).map_err(|e| message!("{e}"))?;
    Ok(Subscription {
        name,
        action,
        trigger,
        prepared: action.prepare(&mapping),
        mapping,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn presets_when_none_are_given() {
        let parsed = parse(&json!({"apiKey": "k"}));
        let actions: Vec<_> = parsed.subscriptions.iter().map(|s| s.action).collect();
        assert_eq!(actions, [Action::Identify, Action::Group, Action::Track]);
        assert!(parsed.errors.is_empty());
    }

    #[test]
    #[cfg(feature = "messages")]
    fn json_text_disabled_and_broken_subscriptions() {
        let list = json!([
            {"partnerAction": "track", "name": "on", "enabled": true, "subscribe": "type = \"track\"", "mapping": {"event": {"@path": "$.event"}}},
            {"partnerAction": "track", "name": "off", "enabled": false, "subscribe": "type = \"track\"", "mapping": {}},
            {"partnerAction": "nope", "name": "unknown", "enabled": true, "subscribe": "type = \"track\"", "mapping": {}},
            {"partnerAction": "identify", "name": "bad mapping", "enabled": true, "subscribe": "type = \"identify\"", "mapping": {"visitorId": {"@liquid": "x"}}}
        ]);
        let parsed: Parsed<Value> = parse(&json!({"subscriptions": list.to_string()}));
        assert_eq!(parsed.subscriptions.len(), 1);
        assert_eq!(parsed.subscriptions[0].name, "on");
        assert_eq!(parsed.errors.len(), 2);
        assert!(
            parsed.errors[0].contains("unknown") && parsed.errors[1].contains("visitorId"),
            "{:?}",
            parsed.errors
        );
        assert!(parsed.warnings.is_empty());
    }

    /// Segment's runtime keeps the subscriptions whose `enabled` is truthy in JavaScript.
    #[test]
    fn enabled_means_a_truthy_enabled() {
        let runs = [json!(true), json!(1), json!("yes"), json!({})];
        let skipped = [json!(false), json!(0), json!(""), json!(null)];
        for (enabled, expected) in runs
            .iter()
            .map(|e| (Some(e), 1))
            .chain(skipped.iter().map(|e| (Some(e), 0)))
            .chain([(None, 0)])
        {
            let mut subscription = json!({"partnerAction": "track", "name": "t", "subscribe": "type = \"track\"", "mapping": {}});
            if let Some(enabled) = enabled {
                subscription["enabled"] = enabled.clone();
            }
            let parsed: Parsed<Value> = parse(&json!({ "subscriptions": [subscription] }));
            assert_eq!(parsed.subscriptions.len(), expected, "enabled: {enabled:?}");
            assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        }
    }

    #[test]
    #[cfg(feature = "messages")]
    fn a_trigger_segment_runs_runs_with_one_warning() {
        let list = json!([
            {"partnerAction": "track", "name": "loose", "enabled": true, "subscribe": "type = \"track\" and", "mapping": {}},
            {"partnerAction": "track", "name": "tidy", "enabled": true, "subscribe": "type = \"track\"", "mapping": {}}
        ]);
        let parsed: Parsed<Value> = parse(&json!({ "subscriptions": list }));
        assert_eq!(parsed.subscriptions.len(), 2);
        assert!(parsed.errors.is_empty());
        assert_eq!(
            parsed.warnings,
            ["subscription \"loose\": trigger \"type = \\\"track\\\" and\" is not well-formed; it runs as Segment runs it: ignored the \"and\" at 15, which no condition follows"]
        );
        assert!(parsed.subscriptions[0]
            .trigger
            .matches(&json!({"type": "track"})));
    }

    #[test]
    fn unreadable_subscriptions_run_nothing() {
        let parsed: Parsed<Value> = parse(&json!({"subscriptions": "[not json"}));
        assert!(parsed.subscriptions.is_empty() && parsed.errors.len() == 1);
        let parsed: Parsed<Value> = parse(&json!({"subscriptions": {"a": 1}}));
        assert!(parsed.subscriptions.is_empty() && parsed.errors.len() == 1);
    }
}
