//! The whole destination: `Destination::new` on settings with subscriptions, then `dispatch`
//! of one event to every action.
//!
//! Input: settings, then optionally a NUL and an event; each part JSON text, or bytes to build
//! one from (settings with subscriptions made of Segment's actions, triggers and mappings).
//!
//! Asserts, besides not panicking and staying within the time budget: every call an action
//! makes is that action's Pendo call, with a non-empty visitor (and account) id or event name.
#![no_main]

use arbitrary::Unstructured;
use fuzz_support::{json_or_build, split, within_budget, Builder, EVENT_WORDS};
use libfuzzer_sys::fuzz_target;
use pendo_core::actions::{Action, Context, PendoCall};
use pendo_core::data::Data;
use pendo_core::destination::Destination;
use serde_json::{Map, Value};

const TRIGGERS: &[&str] = &[
    r#"type = "identify""#,
    r#"type = "group""#,
    r#"type = "track""#,
    r#"type = "page""#,
    r#"type = "track" and event = "Order Completed""#,
    r#"type = "track" and (properties.total > 100 or !contains(event, "Test"))"#,
    "userId != null",
    r#"match(context.page.path, "/checkout*")"#,
];

const MAPPINGS: &[&str] = &[
    r#"{"visitorId": {"@path": "$.userId"}, "visitorData": {"@path": "$.traits"}}"#,
    r#"{"visitorId": {"@path": "$.userId"}, "accountId": {"@path": "$.groupId"}, "accountData": {"@path": "$.traits"}, "parentAccountData": {"@path": "$.traits.parentAccount"}}"#,
    r#"{"event": {"@path": "$.event"}, "metadata": {"@path": "$.properties"}}"#,
    r#"{"url": {"@path": "$.context.page.url"}}"#,
    r#"{"event": "Fixed name", "metadata": {"plan": {"@path": "$.traits.plan"}}}"#,
    r#"{"accountId": {"@if": {"exists": {"@path": "$.context.groupId"}, "then": {"@path": "$.context.groupId"}, "else": {"@path": "$.groupId"}}}}"#,
];

const MAPPING_FIELDS: &[&str] = &[
    "visitorId",
    "visitorData",
    "accountId",
    "accountData",
    "parentAccountData",
    "event",
    "metadata",
    "url",
];

fuzz_target!(init: fuzz_support::init(), |data: &[u8]| {
    let (head, tail) = split(data);
    let event_builder = Builder { words: EVENT_WORDS, directives: &[], depth: 4 };
    let (settings, event, group) = match tail {
        Some(tail) => {
            let mut u = Unstructured::new(tail);
            let event = json_or_build(tail, |u| event_builder.object(u));
            (json_or_build(head, build_settings), event, group_id(&mut u))
        }
        None => {
            let mut u = Unstructured::new(head);
            let settings = build_settings(&mut u);
            (settings, event_builder.object(&mut u), group_id(&mut u))
        }
    };

    fuzz_support::show("settings", &settings);
    fuzz_support::show("event", &event);
    fuzz_support::show("group", &group.clone().into());
    let Ok((destination, _errors)) = within_budget("Destination::new", || Destination::new(&settings))
    else {
        return;
    };
    let current_group_id = move || group.clone().map(Value::from);
    let context = Context { settings: &destination.settings, current_group_id: &current_group_id };
    for action in Action::ALL {
        let calls = within_budget("Destination::dispatch", || destination.dispatch(action, &event, &context));
        for call in calls.into_iter().flatten() {
            check_call(action, &call);
        }
    }
});

fn group_id(u: &mut Unstructured) -> Option<String> {
    u.arbitrary::<Option<String>>().unwrap_or(None)
}

fn build_settings(u: &mut Unstructured) -> Value {
    let mut words: Vec<&str> = TRIGGERS.to_vec();
    words.extend_from_slice(EVENT_WORDS);
    words.extend_from_slice(MAPPING_FIELDS);
    words.extend_from_slice(&[
        "$.userId",
        "$.traits",
        "$.event",
        "$.properties",
        "$.groupId",
    ]);
    let builder = Builder {
        words: &words,
        directives: &["@path", "@if", "@template"],
        depth: 3,
    };
    let mut subscriptions = Vec::new();
    for _ in 0..u.int_in_range(0..=4).unwrap_or(0) {
        let mut subscription = Map::new();
        let action = match u.ratio(7, 8) {
            Ok(true) => u
                .choose(&Action::ALL)
                .map_or("track", |a| a.key())
                .to_owned(),
            _ => builder.string(u),
        };
        subscription.insert("partnerAction".into(), action.into());
        subscription.insert("name".into(), builder.string(u).into());
        subscription.insert("enabled".into(), u.ratio(7, 8).unwrap_or(true).into());
        let trigger = match u.ratio(3, 4) {
            Ok(true) => u.choose(TRIGGERS).map_or("", |t| *t).to_owned(),
            _ => u.arbitrary::<String>().unwrap_or_default(),
        };
        subscription.insert("subscribe".into(), trigger.into());
        let mapping = match u.ratio(1, 2) {
            Ok(true) => {
                serde_json::from_str(u.choose(MAPPINGS).map_or("{}", |m| *m)).unwrap_or_default()
            }
            _ => builder.object(u),
        };
        subscription.insert("mapping".into(), mapping);
        subscriptions.push(Value::Object(subscription));
    }
    let mut settings = Map::new();
    settings.insert("apiKey".into(), "k-1".into());
    match u.int_in_range(0..=3).unwrap_or(0) {
        0 => {}
        1 => {
            settings.insert(
                "subscriptions".into(),
                Value::Array(subscriptions).to_string().into(),
            );
        }
        _ => {
            settings.insert("subscriptions".into(), Value::Array(subscriptions));
        }
    }
    for flag in ["disableUserTraitsOnLoad", "disableGroupIdAndTraitsOnLoad"] {
        settings.insert(flag.into(), u.arbitrary::<bool>().unwrap_or(false).into());
    }
    Value::Object(settings)
}

/// An `id` Pendo can take: non-empty text, or a finite number (as the actions accept one).
fn non_empty_id(value: Option<&Value>) -> bool {
    value
        .and_then(|v| v.get("id"))
        .and_then(Data::as_id)
        .is_some_and(|id| !id.is_empty())
}

fn check_call(action: Action, call: &PendoCall<Value>) {
    match (action, call) {
        (Action::Identify, PendoCall::Identify(options)) => {
            assert!(non_empty_id(options.get("visitor")), "{options}");
            if let Some(account) = options.get("account") {
                assert!(non_empty_id(Some(account)), "{options}");
            }
        }
        (Action::Group, PendoCall::Identify(options)) => {
            assert!(non_empty_id(options.get("visitor")), "{options}");
            assert!(non_empty_id(options.get("account")), "{options}");
            if let Some(parent) = options.get("parentAccount") {
                let id = parent.get("id").and_then(|id| id.as_id());
                assert!(id.is_some_and(|id| !id.is_empty()), "{options}");
            }
        }
        (Action::Track, PendoCall::Track(name, metadata)) => {
            assert!(name.as_str().is_some_and(|name| !name.is_empty()), "{name}");
            assert!(
                metadata.as_ref().is_none_or(Value::is_object),
                "{metadata:?}"
            );
        }
        (Action::Page, PendoCall::PageLoad(url)) => {
            assert!(url.as_str().is_some_and(|url| !url.is_empty()), "{url}")
        }
        (action, call) => panic!("{action:?} made the call {call:?}"),
    }
}
