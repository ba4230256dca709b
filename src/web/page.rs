//! The page side of the snippet: the stub on `window.pendo` and the agent's `<script>`.
//!
//! Rust decides what is loaded and what is said; `glue.js` does the DOM work and the timer.

use super::{glue, js::Array, LOG_PREFIX};
use crate::settings::Settings;
use crate::snippet::STUB_METHODS;
use wasm_bindgen::JsValue;

/// How long the agent may take to load before the console says it did not.
const AGENT_LOAD_WARNING_MS: u32 = 10_000;

/// What the console says, once per page, when the agent is missing.
const BLOCKED: &str = "the Pendo agent script could not be loaded (blocked by an ad blocker, a Content Security Policy or the network)";
const NOT_LOADED: &str = "the Pendo agent has not loaded after 10 s (blocked, unreachable or slow)";
const STILL_QUEUED: &str =
    "; calls stay queued on window.pendo and are delivered in order if the agent loads later";

/// `window.pendo`, or `undefined`.
pub fn pendo() -> JsValue {
    glue::page_pendo()
}

/// Installs the stub and the agent script, unless `window.pendo` already exists (the agent
/// was installed by hand, or by an earlier load): then the page keeps what it has.
pub fn install_snippet(settings: &Settings) -> Result<(), String> {
    if pendo().is_object() {
        return Ok(());
    }
    let methods: Array = STUB_METHODS.iter().map(|m| JsValue::from_str(m)).collect();
    glue::install_pendo_stub(&glue::global_scope(), &methods);
    let blocked = [LOG_PREFIX, BLOCKED, STILL_QUEUED].concat();
    let failure = glue::inject_script(&settings.agent_url(), settings.nonce.as_deref(), &blocked);
    match failure {
        Some(message) => Err(message),
        None => Ok(()),
    }
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
    let message = [LOG_PREFIX, NOT_LOADED, STILL_QUEUED].concat();
    glue::warn_if_agent_missing_later(AGENT_LOAD_WARNING_MS, &message);
}
