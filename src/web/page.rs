//! The page side of the snippet: the thin calls of [`Page`], for the browser.
//!
//! What is loaded and what is said is decided in [`pendo_core::snippet`]; here each step is
//! one call into `glue.js`, which reads and writes only own properties of `window.pendo`.
//!
//! The script and the timer are done in `glue.js`, not with `web-sys` and `gloo-timers`: built
//! that way (`create_element`, `insert_before`, a `Closure` for the error listener,
//! `gloo_timers::callback::Timeout`), the `.wasm` grew from 124,067 to 132,152 bytes (+3.4 KB
//! gzip) and the JS glue by 0.5 KB gzip; and `web-sys`'s reads that WebIDL does not mark as
//! throwing (`getAttribute`, `nonce`, `parentNode`) would let a throwing page DOM unwind
//! through `load`.

use alloc::string::String;

use super::{call_pendo, error, glue, log_prefix, JsData};
use pendo_core::actions::PendoCall;
use pendo_core::concat;
use pendo_core::snippet::{Page, Stub};
use wasm_bindgen::JsValue;

/// `glue.js`'s `installPendoStub` results that are not messages.
const STUB_INSTALLED: f64 = 0.0;
const PENDO_KEPT: f64 = 1.0;

/// The page this module runs in.
pub struct Browser;

impl Page for Browser {
    type Data = JsData;

    fn install_stub(&self, methods: &[&str]) -> Stub {
        let methods = methods.iter().map(|m| JsValue::from_str(m)).collect();
        let outcome = glue::install_pendo_stub(&methods);
        match (outcome.as_string(), outcome.as_f64()) {
            (Some(why), _) => Stub::Refused(Some(why)),
            (None, Some(STUB_INSTALLED)) => Stub::Installed,
            (None, Some(PENDO_KEPT)) => Stub::PendoKept,
            _ => Stub::Refused(None),
        }
    }

    fn add_script(&self, src: &str, nonce: Option<&str>, blocked: &str) -> Result<(), String> {
        match glue::inject_script(src, nonce, &concat(&[log_prefix(), blocked])) {
            Some(message) => Err(message),
            None => Ok(()),
        }
    }

    fn initialize_called(&self) -> bool {
        glue::initialize_queued() || glue::agent_ready()
    }

    fn initialize(&self, options: JsData) {
        call_pendo(PendoCall::Initialize(options));
    }

    fn warn_later(&self, ms: u32, message: &str) {
        glue::warn_if_agent_missing_later(ms, &concat(&[log_prefix(), message]));
    }

    fn error(&self, message: &str) {
        error(message);
    }
}
