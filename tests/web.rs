//! Browser tests: the WASM build against a real page, asserting on what `window.pendo` and the
//! document received.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use pendo_wasm::web::PendoDestination;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function fakeAnalytics(userId, anonymousId, userTraits, groupId, groupTraits) {
  return {
    user: () => ({ id: () => userId, anonymousId: () => anonymousId, traits: () => userTraits }),
    group: () => ({ id: () => groupId, traits: () => groupTraits }),
  };
}
export function resetPage() {
  delete window.pendo;
  for (const s of Array.from(document.querySelectorAll('script[src*="/agent/static/"]'))) s.remove();
}
export function agentScripts() {
  return Array.from(document.querySelectorAll('script[src*="/agent/static/"]'));
}
export function detachScripts() {
  const all = Array.from(document.getElementsByTagName('script'));
  return all.map((s) => { const parent = s.parentNode; const next = s.nextSibling; s.remove(); return [s, parent, next]; });
}
export function reattach(detached) {
  for (const [s, parent, next] of detached) parent.insertBefore(s, next && next.parentNode === parent ? next : null);
}
export function captureConsole() {
  const seen = { warn: [], error: [] };
  const original = { warn: console.warn, error: console.error };
  console.warn = (...args) => seen.warn.push(args.join(' '));
  console.error = (...args) => seen.error.push(args.join(' '));
  seen.restore = () => Object.assign(console, original);
  return seen;
}
export function releaseConsole(seen) {
  seen.restore();
  return { warn: seen.warn, error: seen.error };
}
export function prototypeIsClean() {
  const probe = {};
  return probe.polluted === undefined && Object.getPrototypeOf(probe) === Object.prototype && Object.keys(Object.prototype).length === 0;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = fakeAnalytics)]
    fn fake_analytics(
        user_id: JsValue,
        anonymous_id: JsValue,
        user_traits: JsValue,
        group_id: JsValue,
        group_traits: JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = resetPage)]
    fn reset_page();
    #[wasm_bindgen(js_name = agentScripts)]
    fn agent_scripts() -> Array;
    #[wasm_bindgen(js_name = detachScripts)]
    fn detach_scripts() -> JsValue;
    fn reattach(detached: &JsValue);
    #[wasm_bindgen(js_name = prototypeIsClean)]
    fn prototype_is_clean() -> bool;
    #[wasm_bindgen(js_name = captureConsole)]
    fn capture_console() -> JsValue;
    #[wasm_bindgen(js_name = releaseConsole)]
    fn release_console(seen: &JsValue) -> JsValue;
}

fn js(value: Value) -> JsValue {
    JSON::parse(&value.to_string()).unwrap()
}

fn to_json(value: &JsValue) -> Value {
    serde_json::from_str(&JSON::stringify(value).unwrap().as_string().unwrap()).unwrap()
}

fn anonymous_analytics() -> JsValue {
    fake_analytics(
        JsValue::NULL,
        "anon-1".into(),
        js(json!({})),
        JsValue::NULL,
        js(json!({})),
    )
}

/// The calls queued on the stub, as JSON: `[["initialize", {...}], ["track", ...], ...]`.
fn queue() -> Value {
    let pendo = Reflect::get(&js_sys::global(), &"pendo".into()).unwrap();
    to_json(&Reflect::get(&pendo, &"_q".into()).unwrap())
}

fn loaded(settings: Value) -> PendoDestination {
    reset_page();
    let destination = PendoDestination::new(js(settings)).unwrap();
    destination.load(anonymous_analytics()).unwrap();
    destination
}

/// The slot of the action `key`, from `actions()`'s pairs `[slot, key, ...]`.
fn slot(destination: &PendoDestination, key: &str) -> u32 {
    let actions: Vec<JsValue> = destination
        .actions()
        .expect("a workspace this build runs")
        .iter()
        .collect();
    actions
        .chunks(2)
        .find(|pair| pair[1].as_string().as_deref() == Some(key))
        .map(|pair| pair[0].as_f64().unwrap() as u32)
        .unwrap_or_else(|| panic!("no action {key}"))
}

/// Dispatches `event` through the action `key` and returns the calls it added to the queue.
fn send(destination: &PendoDestination, key: &str, event: Value) -> Vec<Value> {
    let before = queue().as_array().unwrap().len();
    destination.dispatch(slot(destination, key), js(event));
    queue().as_array().unwrap()[before..].to_vec()
}

#[wasm_bindgen_test]
fn stub_queues_initialize_first() {
    let _destination = loaded(json!({"apiKey": "k"}));
    let pendo = Reflect::get(&js_sys::global(), &"pendo".into()).unwrap();
    for method in ["identify", "updateOptions", "pageLoad", "track"] {
        let f: js_sys::Function = Reflect::get(&pendo, &method.into()).unwrap().into();
        f.call1(&pendo, &method.into()).unwrap();
    }
    let initialize: js_sys::Function = Reflect::get(&pendo, &"initialize".into()).unwrap().into();
    initialize.call1(&pendo, &"again".into()).unwrap();
    assert_eq!(
        queue(),
        json!([
            ["initialize", "again"],
            ["initialize", {"visitor": {"id": "_PENDO_T_anon-1"}}],
            ["identify", "identify"],
            ["updateOptions", "updateOptions"],
            ["pageLoad", "pageLoad"],
            ["track", "track"]
        ])
    );
}

#[wasm_bindgen_test]
fn script_src_for_region_cname_and_empty_cname() {
    let cases = [
        (
            json!({"apiKey": "k1"}),
            "https://cdn.pendo.io/agent/static/k1/pendo.js",
        ),
        (
            json!({"apiKey": "k2", "region": "https://cdn.eu.pendo.io"}),
            "https://cdn.eu.pendo.io/agent/static/k2/pendo.js",
        ),
        (
            json!({"apiKey": "k3", "region": "https://cdn.jpn.pendo.io", "cnameContentHost": ""}),
            "https://cdn.jpn.pendo.io/agent/static/k3/pendo.js",
        ),
        (
            json!({"apiKey": "k4", "cnameContentHost": "content.acme.com"}),
            "https://content.acme.com/agent/static/k4/pendo.js",
        ),
        (
            json!({"apiKey": "k5", "cnameContentHost": "http://127.0.0.1:8080"}),
            "http://127.0.0.1:8080/agent/static/k5/pendo.js",
        ),
    ];
    for (settings, src) in cases {
        loaded(settings);
        let scripts = agent_scripts();
        assert_eq!(scripts.length(), 1);
        let script: web_sys::HtmlScriptElement = scripts.get(0).into();
        assert_eq!(script.get_attribute("src").as_deref(), Some(src));
        assert!(script.r#async());
    }
    reset_page();
}

#[wasm_bindgen_test]
fn script_goes_before_the_first_script_or_into_head() {
    loaded(json!({"apiKey": "k"}));
    let document = web_sys::window().unwrap().document().unwrap();
    let first = document.get_elements_by_tag_name("script").item(0).unwrap();
    assert!(first
        .get_attribute("src")
        .unwrap()
        .ends_with("/agent/static/k/pendo.js"));

    let detached = detach_scripts();
    reset_page();
    let destination = PendoDestination::new(js(json!({"apiKey": "k"}))).unwrap();
    destination.load(anonymous_analytics()).unwrap();
    let head_scripts = document.head().unwrap().get_elements_by_tag_name("script");
    let injected = head_scripts.item(0).map(|s| s.get_attribute("src"));
    reattach(&detached);
    assert_eq!(
        injected,
        Some(Some(
            "https://cdn.pendo.io/agent/static/k/pendo.js".to_owned()
        ))
    );
    reset_page();
}

#[wasm_bindgen_test]
fn a_second_load_injects_and_initializes_nothing() {
    let first = loaded(json!({"apiKey": "k"}));
    first.load(anonymous_analytics()).unwrap();
    let second = PendoDestination::new(js(json!({"apiKey": "k"}))).unwrap();
    second.load(anonymous_analytics()).unwrap();
    assert_eq!(agent_scripts().length(), 1);
    let initializes = queue()
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c[0] == "initialize")
        .count();
    assert_eq!(initializes, 1);
}

#[wasm_bindgen_test]
fn a_hand_installed_pendo_is_kept() {
    reset_page();
    // A hand-installed Pendo has Pendo's methods; an object without them is not Pendo.
    let existing = js(json!({"_q": [], "mine": true}));
    let initialize = js_sys::Function::new_no_args("");
    Reflect::set(&existing, &"initialize".into(), &initialize).unwrap();
    Reflect::set(&js_sys::global(), &"pendo".into(), &existing).unwrap();
    let destination = PendoDestination::new(js(json!({"apiKey": "k"}))).unwrap();
    assert!(destination.load(anonymous_analytics()).is_ok());
    let pendo = Reflect::get(&js_sys::global(), &"pendo".into()).unwrap();
    assert!(JsValue::eq(&pendo, &existing) || pendo == existing);
    assert_eq!(agent_scripts().length(), 0);
    reset_page();
}

#[wasm_bindgen_test]
fn initialize_options_for_flags_and_identities() {
    for disable_user in [false, true] {
        for disable_group in [false, true] {
            for user in [false, true] {
                for group in [false, true] {
                    reset_page();
                    let settings = json!({"apiKey": "k", "disableUserTraitsOnLoad": disable_user, "disableGroupIdAndTraitsOnLoad": disable_group});
                    let analytics = fake_analytics(
                        if user { "u1".into() } else { JsValue::NULL },
                        "anon".into(),
                        js(json!({"email": "a@b.c"})),
                        if group { "g1".into() } else { JsValue::NULL },
                        js(json!({"plan": "pro"})),
                    );
                    PendoDestination::new(js(settings))
                        .unwrap()
                        .load(analytics)
                        .unwrap();
                    let id = if user { "u1" } else { "_PENDO_T_anon" };
                    let mut options = json!({"visitor": if disable_user { json!({"id": id}) } else { json!({"email": "a@b.c", "id": id}) }});
                    if group && !disable_group {
                        options["account"] = json!({"plan": "pro", "id": "g1"});
                    }
                    assert_eq!(
                        queue(),
                        json!([["initialize", options]]),
                        "user={user} group={group} flags={disable_user},{disable_group}"
                    );
                }
            }
        }
    }
    reset_page();
}

#[wasm_bindgen_test]
fn identify_group_and_track_calls() {
    let destination = loaded(json!({"apiKey": "k"}));
    assert_eq!(
        send(
            &destination,
            "identify",
            json!({"type": "identify", "userId": "u1", "anonymousId": "a", "traits": {"email": "a@b.c"}, "context": {"groupId": "g-ctx"}})
        ),
        [
            json!(["identify", {"visitor": {"email": "a@b.c", "id": "u1"}, "account": {"id": "g-ctx"}}])
        ]
    );
    assert_eq!(
        send(
            &destination,
            "identify",
            json!({"type": "identify", "anonymousId": "a", "traits": {}})
        ),
        [json!(["identify", {"visitor": {"id": "_PENDO_T_a"}}])]
    );
    assert_eq!(
        send(
            &destination,
            "group",
            json!({"type": "group", "userId": "u1", "groupId": "g1", "traits": {"plan": "pro"}})
        ),
        [json!(["identify", {"visitor": {"id": "u1"}, "account": {"plan": "pro", "id": "g1"}}])]
    );
    assert_eq!(
        send(
            &destination,
            "track",
            json!({"type": "track", "event": "Order Completed", "properties": {"total": 120}})
        ),
        [json!(["track", "Order Completed", {"total": 120}])]
    );
    // Triggers: an identify event sent to the track plugin runs nothing.
    assert_eq!(
        send(
            &destination,
            "track",
            json!({"type": "identify", "userId": "u"})
        ),
        Vec::<Value>::new()
    );
    reset_page();
}

#[wasm_bindgen_test]
fn group_sends_parent_account_once() {
    let destination = loaded(json!({"apiKey": "k"}));
    let event = js(
        json!({"type": "group", "userId": "u", "groupId": "g", "traits": {"plan": "pro", "parentAccount": {"id": "p", "tier": 1}}}),
    );
    destination.dispatch(slot(&destination, "group"), event.clone());
    let calls = queue();
    assert_eq!(
        calls.as_array().unwrap().last().unwrap(),
        &json!(["identify", {"visitor": {"id": "u"}, "account": {"plan": "pro", "id": "g"}, "parentAccount": {"id": "p", "tier": 1}}])
    );
    assert_eq!(
        to_json(&event)["traits"]["parentAccount"],
        json!({"id": "p", "tier": 1}),
        "the event is untouched"
    );
    reset_page();
}

#[wasm_bindgen_test]
fn proto_and_constructor_traits_never_reach_object_prototype() {
    let destination = loaded(json!({"apiKey": "k"}));
    let event = JSON::parse(r#"{"type":"identify","userId":"u","traits":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}"#).unwrap();
    destination.dispatch(slot(&destination, "identify"), event.clone());
    let event =
        JSON::parse(r#"{"type":"track","event":"e","properties":{"__proto__":{"polluted":true}}}"#)
            .unwrap();
    destination.dispatch(slot(&destination, "track"), event.clone());
    assert!(prototype_is_clean());
    let pendo = Reflect::get(&js_sys::global(), &"pendo".into()).unwrap();
    let q: Array = Reflect::get(&pendo, &"_q".into()).unwrap().into();
    let identify: Array = q.get(1).into();
    let visitor = identify.get(1);
    let visitor = Reflect::get(&visitor, &"visitor".into()).unwrap();
    assert!(
        js_sys::Object::get_prototype_of(&visitor)
            == js_sys::Object::get_prototype_of(&js_sys::Object::new().into())
    );
    let own_keys: Vec<String> = js_sys::Object::keys(visitor.unchecked_ref::<js_sys::Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    assert_eq!(own_keys, ["__proto__", "constructor", "id"]);
    reset_page();
}

#[wasm_bindgen_test]
fn bad_events_are_skipped_and_later_ones_arrive() {
    let destination = loaded(json!({"apiKey": "k"}));
    let track = slot(&destination, "track");
    for bad in [
        JsValue::NULL,
        JsValue::from(5),
        js(json!({"type": "track"})),
        js(json!({"type": "track", "event": 7})),
        js(json!({"type": "track", "event": "x", "properties": "no"})),
    ] {
        destination.dispatch(track, bad.clone());
    }
    destination.dispatch(99, js(json!({"type": "track", "event": "x"})));
    assert_eq!(
        send(
            &destination,
            "track",
            json!({"type": "track", "event": "ok"})
        ),
        [json!(["track", "ok"])]
    );
    assert_eq!(
        queue().as_array().unwrap().len(),
        2,
        "only initialize and the good track"
    );
    reset_page();
}

#[wasm_bindgen_test]
fn bad_settings_are_refused_and_nothing_is_injected() {
    reset_page();
    let cases = [
        (json!({}), "apiKey"),
        (json!({"apiKey": ""}), "apiKey"),
        (json!({"apiKey": "a\"><script>"}), "apiKey"),
        (
            json!({"apiKey": "k", "region": "javascript:alert(1)"}),
            "region",
        ),
        (
            json!({"apiKey": "k", "cnameContentHost": "evil.com/x"}),
            "cnameContentHost",
        ),
        (
            json!({"apiKey": "k", "cnameContentHost": "https://a@evil.com"}),
            "cnameContentHost",
        ),
    ];
    for (settings, setting) in cases {
        let error = match PendoDestination::new(js(settings.clone())) {
            Ok(_) => panic!("{settings} was accepted"),
            Err(error) => JsValue::from(error),
        };
        let message = Reflect::get(&error, &"message".into())
            .unwrap()
            .as_string()
            .unwrap();
        assert!(message.contains(&format!("\"{setting}\"")), "{message}");
        assert!(error.is_instance_of::<js_sys::Error>());
    }
    assert_eq!(agent_scripts().length(), 0);
    assert!(Reflect::get(&js_sys::global(), &"pendo".into())
        .unwrap()
        .is_undefined());
}

#[wasm_bindgen_test]
fn prototype_keys_at_any_depth_and_through_mappings_stay_plain() {
    reset_page();
    let subscriptions = json!([
        {"partnerAction": "track", "name": "merge", "enabled": true, "subscribe": "type = \"track\"", "mapping": {
            "event": {"@path": "$.event"},
            "metadata": {"@merge": {"objects": [{"@path": "$.properties"}, {"@path": "$.context"}], "direction": "right"}}
        }},
        {"partnerAction": "track", "name": "flatten", "enabled": true, "subscribe": "type = \"track\"", "mapping": {
            "event": {"@path": "$.event"},
            "metadata": {"@flatten": {"value": {"@path": "$.properties"}, "separator": "."}}
        }},
        {"partnerAction": "track", "name": "literal keys", "enabled": true, "subscribe": "type = \"track\"", "mapping": {
            "event": {"@path": "$.event"},
            "metadata": {"__proto__": {"@path": "$.properties.__proto__"}, "constructor": {"prototype": {"@path": "$.event"}}, "prototype": 1}
        }},
        {"partnerAction": "identify", "name": "identify", "enabled": true, "subscribe": "type = \"identify\"", "mapping": {
            "visitorId": {"@path": "$.userId"}, "visitorData": {"@path": "$.traits"}
        }}
    ]);
    let destination =
        PendoDestination::new(js(json!({"apiKey": "k", "subscriptions": subscriptions}))).unwrap();
    destination.load(anonymous_analytics()).unwrap();
    let hostile = r#"{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, "prototype": {"polluted": 3},
        "a": {"b": {"__proto__": {"polluted": 4}, "constructor": {"prototype": {"polluted": 5}}}}}"#;
    let track = JSON::parse(&format!(
        r#"{{"type":"track","event":"e","properties":{hostile},"context":{hostile}}}"#
    ))
    .unwrap();
    let identify = JSON::parse(&format!(
        r#"{{"type":"identify","userId":"u","traits":{hostile}}}"#
    ))
    .unwrap();
    destination.dispatch(slot(&destination, "track"), track.clone());
    destination.dispatch(slot(&destination, "identify"), identify.clone());
    assert!(prototype_is_clean(), "Object.prototype was changed");
    let calls = queue();
    let calls = calls.as_array().unwrap();
    assert_eq!(calls.len(), 5, "{calls:?}");
    // Every object handed to Pendo has the keys as its own plain properties.
    let merged = &calls[1][2];
    assert_eq!(merged["__proto__"], json!({"polluted": 1}));
    assert_eq!(merged["a"]["b"]["__proto__"], json!({"polluted": 4}));
    let flat = &calls[2][2];
    assert_eq!(flat["__proto__.polluted"], json!(1));
    assert_eq!(flat["constructor.prototype.polluted"], json!(2));
    assert_eq!(flat["a.b.__proto__.polluted"], json!(4));
    assert_eq!(
        calls[3][2],
        json!({"__proto__": {"polluted": 1}, "constructor": {"prototype": "e"}, "prototype": 1})
    );
    assert_eq!(
        calls[4][1]["visitor"]["constructor"],
        json!({"prototype": {"polluted": 2}})
    );
    reset_page();
}

/// A mapping nested far deeper than any real one (the browser's JSON.parse reads it without
/// limit) disables only its own subscription; it once overflowed the stack while the plugins
/// were created.
#[wasm_bindgen_test]
fn a_deeply_nested_mapping_disables_only_its_subscription() {
    let depth = 20_000;
    let deep = format!(
        "{}{{\"@path\": \"$.event\"}}{}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let subscription = |name: &str, mapping: &str| {
        format!(
            r#"{{"partnerAction": "track", "name": "{name}", "enabled": true, "subscribe": "type = \"track\"", "mapping": {{"event": {mapping}}}}}"#
        )
    };
    let subscriptions = format!(
        "[{}, {}]",
        subscription("deep", &deep),
        subscription("fine", r#"{"@path": "$.event"}"#)
    );
    reset_page();
    let settings = js(json!({"apiKey": "k"}));
    Reflect::set(&settings, &"subscriptions".into(), &subscriptions.into()).unwrap();
    let destination = PendoDestination::new(settings).unwrap();
    destination.load(anonymous_analytics()).unwrap();
    assert_eq!(
        send(
            &destination,
            "track",
            json!({"type": "track", "event": "ok"})
        ),
        [json!(["track", "ok"])]
    );
    reset_page();
}

#[wasm_bindgen_test]
fn a_trigger_segment_reads_past_runs_with_one_console_warning() {
    reset_page();
    let settings = json!({"apiKey": "k", "subscriptions": [
        {"partnerAction": "track", "name": "loose", "enabled": true, "subscribe": "type = \"track\" and", "mapping": {"event": {"@path": "$.event"}}},
        {"partnerAction": "track", "name": "broken", "enabled": true, "subscribe": "type = \"track\" \"x\"", "mapping": {"event": {"@path": "$.event"}}}
    ]});
    let seen = capture_console();
    let destination = PendoDestination::new(js(settings));
    let console = to_json(&release_console(&seen));
    let destination = destination.unwrap();
    let warnings = console["warn"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    // After the destination's name, which prefixes every message.
    let warning = warnings[0].as_str().unwrap();
    assert_eq!(
        warning.split_once("): ").map(|(_, message)| message),
        Some("subscription \"loose\": trigger \"type = \\\"track\\\" and\" is not well-formed; it runs as Segment runs it: ignored the \"and\" at 15, which no condition follows")
    );
    let errors = console["error"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .as_str()
            .unwrap()
            .contains("\"broken\" is disabled"),
        "{errors:?}"
    );
    destination.load(anonymous_analytics()).unwrap();
    assert_eq!(
        send(
            &destination,
            "track",
            json!({"type": "track", "event": "ok"})
        ),
        [json!(["track", "ok"])]
    );
    reset_page();
}
