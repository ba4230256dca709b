//! The page side of the snippet: the stub on `window.pendo` and the agent's `<script>`.
//!
//! Rust decides what is loaded and what is said; `glue.js` does the DOM work and the timer.

use super::{error, glue, LOG_PREFIX};
use pendo_core::settings::Settings;
use pendo_core::snippet::STUB_METHODS;
use wasm_bindgen::JsValue;

/// How long the agent may take to load before the console says it did not.
const AGENT_LOAD_WARNING_MS: u32 = 10_000;

/// What the console says, once per page, when the agent is missing.
const BLOCKED: &str = "the Pendo agent script could not be loaded (blocked by an ad blocker, a Content Security Policy or the network)";
const NOT_LOADED: &str = "the Pendo agent has not loaded after 10 s (blocked, unreachable or slow)";
const STILL_QUEUED: &str =
    "; calls stay queued on window.pendo and are delivered in order if the agent loads later";
/// Said, once per page, after why `window.pendo` cannot be used.
const UNUSABLE: &str = ": the Pendo agent is not loaded and nothing is sent to Pendo from this page (leave window.pendo to Pendo's agent and snippet)";

/// `glue.js`'s `installPendoStub` results that are not messages.
const STUB_INSTALLED: f64 = 0.0;
const PENDO_KEPT: f64 = 1.0;

/// Whether the page's `window.pendo` can receive calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pendo {
    Usable,
    /// Something else holds `window.pendo` (a string, a frozen object...); the console said so.
    Unusable,
}

/// Installs the stub and the agent script, unless `window.pendo` already is Pendo (the agent
/// was installed by hand, or by an earlier load): then the page keeps what it has. An object
/// without Pendo's methods gets the stub's methods, as Pendo's own snippet does. Anything else
/// on `window.pendo` is reported once on the console, and nothing is injected.
pub fn install_snippet(settings: &Settings) -> Result<Pendo, String> {
    let methods = STUB_METHODS.iter().map(|m| JsValue::from_str(m)).collect();
    let outcome = glue::install_pendo_stub(&methods);
    if let Some(why) = outcome.as_string() {
        error(&[why.as_str(), UNUSABLE].concat());
        return Ok(Pendo::Unusable);
    }
    let status = outcome.as_f64();
    if status == Some(PENDO_KEPT) {
        return Ok(Pendo::Usable);
    }
    if status != Some(STUB_INSTALLED) {
        return Ok(Pendo::Unusable);
    }
    let blocked = [LOG_PREFIX, BLOCKED, STILL_QUEUED].concat();
    let failure = glue::inject_script(&settings.agent_url(), settings.nonce.as_deref(), &blocked);
    match failure {
        Some(message) => Err(message),
        None => Ok(Pendo::Usable),
    }
}

/// True when `pendo.initialize` was already queued on the stub or the agent is already
/// initialized (another copy of this plugin got there first).
pub fn initialize_already_called() -> bool {
    glue::initialize_queued() || glue::agent_ready()
}

/// One console warning when the agent has not replaced the stub after a while: calls stay
/// queued on `window.pendo` until it does.
pub fn warn_if_agent_missing_later() {
    let message = [LOG_PREFIX, NOT_LOADED, STILL_QUEUED].concat();
    glue::warn_if_agent_missing_later(AGENT_LOAD_WARNING_MS, &message);
}
