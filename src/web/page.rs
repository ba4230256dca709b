//! The page side of the snippet: the stub on `window.pendo` and the agent's `<script>`.

use super::{glue, warn};
use crate::settings::Settings;
use crate::snippet::STUB_METHODS;
use gloo_timers::callback::Timeout;
use js_sys::{Array, Reflect};
use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlScriptElement;

/// How long the agent may take to load before the console says it did not.
const AGENT_LOAD_WARNING_MS: u32 = 10_000;

fn window() -> JsValue {
    js_sys::global().into()
}

/// `window.pendo`, or `undefined`.
pub fn pendo() -> JsValue {
    Reflect::get(&window(), &"pendo".into()).unwrap_or(JsValue::UNDEFINED)
}

/// Installs the stub and the agent script, unless `window.pendo` already exists (the agent
/// was installed by hand, or by an earlier load): then the page keeps what it has.
pub fn install_snippet(settings: &Settings) -> Result<(), String> {
    if pendo().is_object() {
        return Ok(());
    }
    let methods: Array = STUB_METHODS.iter().map(|m| JsValue::from_str(m)).collect();
    glue::install_pendo_stub(&window(), &methods);
    inject_script(&settings.agent_url(), settings.nonce.as_deref())
}

/// Adds `<script async src=…>` before the page's first script, or to `<head>`; never twice.
/// Under a strict CSP the script carries `nonce`, or else the nonce of the page's own scripts.
fn inject_script(src: &str, nonce: Option<&str>) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document to add the Pendo agent to")?;
    let scripts = document.get_elements_by_tag_name("script");
    let already = (0..scripts.length())
        .filter_map(|i| scripts.item(i))
        .any(|s| s.get_attribute("src").as_deref() == Some(src));
    if already {
        return Ok(());
    }
    let script: HtmlScriptElement = document
        .create_element("script")
        .map_err(|_| "cannot create a script element")?
        .dyn_into()
        .map_err(|_| "cannot create a script element")?;
    script.set_async(true);
    script.set_src(src);
    let on_error = Closure::once_into_js(|| {
        warn_agent_missing("the Pendo agent script could not be loaded (blocked by an ad blocker, a Content Security Policy or the network)")
    });
    let _ = script.add_event_listener_with_callback("error", on_error.unchecked_ref());
    let nonce = match nonce {
        Some(nonce) => Some(JsValue::from_str(nonce)),
        // `nonce` is an IDL property: the attribute itself is hidden once the page has loaded.
        None => (0..scripts.length())
            .filter_map(|i| scripts.item(i))
            .filter_map(|s| Reflect::get(&s, &"nonce".into()).ok())
            .find(|n| n.as_string().is_some_and(|n| !n.is_empty())),
    };
    if let Some(nonce) = nonce {
        let _ = Reflect::set(&script, &"nonce".into(), &nonce);
    }
    let inserted = match scripts
        .item(0)
        .and_then(|first| Some((first.parent_node()?, first)))
    {
        Some((parent, first)) => parent.insert_before(&script, Some(&first)),
        None => match document.head() {
            Some(head) => head.append_child(&script),
            None => document
                .document_element()
                .ok_or("the page has no root element")?
                .append_child(&script),
        },
    };
    inserted
        .map(|_| ())
        .map_err(|_| "cannot insert the Pendo agent script".to_owned())
}

/// True when `pendo.initialize` was already queued on the stub or the agent is already
/// initialized (another copy of this plugin got there first).
pub fn initialize_already_called() -> bool {
    let pendo = pendo();
    let queue = glue::own_value(&pendo, &"_q".into());
    let queued = glue::array_items(&queue)
        .iter()
        .any(|entry| glue::item_at(&entry, 0).as_string().as_deref() == Some("initialize"));
    queued || glue::call_getter(&pendo, "isReady").as_bool() == Some(true)
}

/// One console warning when the agent has not replaced the stub after a while: calls stay
/// queued on `window.pendo` until it does.
pub fn warn_if_agent_missing_later() {
    Timeout::new(AGENT_LOAD_WARNING_MS, || {
        let agent_loaded = Reflect::get(&pendo(), &"isReady".into()).is_ok_and(|f| f.is_function());
        if !agent_loaded {
            warn_agent_missing(
                "the Pendo agent has not loaded after 10 s (blocked, unreachable or slow)",
            );
        }
    })
    .forget();
}

thread_local! {
    static AGENT_MISSING_REPORTED: Cell<bool> = const { Cell::new(false) };
}

/// Says once per page that the agent is missing; the stub keeps every call until it arrives.
fn warn_agent_missing(why: &str) {
    if !AGENT_MISSING_REPORTED.with(|reported| reported.replace(true)) {
        warn(&format!("{why}; calls stay queued on window.pendo and are delivered in order if the agent loads later"));
    }
}
