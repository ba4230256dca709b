//! The JS boundary: the `#[wasm_bindgen]` exports that the JS shim turns into analytics.js
//! plugins. Nothing here throws into the page: bad settings reject the factory with an
//! `Error`, and everything else is reported on the console.

#[cfg(feature = "differential")]
pub mod differential;
pub mod js;
mod js_data;
mod page;

pub use js_data::JsData;

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::cell::{Cell, OnceCell, RefCell};
use js::Array;
use pendo_core::actions::{Action, Context, PendoCall};
use pendo_core::concat;
use pendo_core::destination::Destination;
use pendo_core::sdk::{IdentityReaders, Sdk};
use pendo_core::snippet::{self, Identity, Pendo};
use wasm_bindgen::prelude::*;

/// Bindings to `glue.js`: small page operations, none of which throws (see its header).
mod glue {
    use super::js::Array;
    use alloc::string::String;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/web/glue.js")]
    extern "C" {
        pub fn say(level: u8, message: &str);
        #[wasm_bindgen(js_name = setLogPrefix)]
        pub fn set_log_prefix(prefix: &str);
        #[wasm_bindgen(js_name = installPendoStub)]
        pub fn install_pendo_stub(methods: &Array) -> JsValue;
        #[wasm_bindgen(js_name = initializeQueued)]
        pub fn initialize_queued() -> bool;
        #[wasm_bindgen(js_name = agentReady)]
        pub fn agent_ready() -> bool;
        #[wasm_bindgen(js_name = ownValue)]
        pub fn own_value(object: &JsValue, key: &JsValue) -> JsValue;
        #[wasm_bindgen(js_name = itemAt)]
        pub fn item_at(array: &JsValue, index: u32) -> JsValue;
        #[wasm_bindgen(js_name = ownEntries)]
        pub fn own_entries(object: &JsValue) -> Array;
        #[wasm_bindgen(js_name = arrayItems)]
        pub fn array_items(array: &JsValue) -> Array;
        #[wasm_bindgen(js_name = objectFrom)]
        pub fn object_from(keys: &Array, values: &Array) -> JsValue;
        #[wasm_bindgen(js_name = copyObject)]
        pub fn copy_object(
            base: &JsValue,
            remove_key: &JsValue,
            set_key: &JsValue,
            set_value: &JsValue,
            by_name: bool,
        ) -> JsValue;
        #[wasm_bindgen(js_name = registerKey)]
        pub fn register_key(name: &str) -> u32;
        #[wasm_bindgen(js_name = ownField)]
        pub fn own_field(object: &JsValue, key: u32) -> JsValue;
        #[wasm_bindgen(js_name = isKeyText)]
        pub fn is_key_text(value: &JsValue, key: u32) -> bool;
        #[wasm_bindgen(js_name = fieldIsKeyText)]
        pub fn field_is_key_text(object: &JsValue, key: u32, text: u32) -> bool;
        #[wasm_bindgen(js_name = kindOf)]
        pub fn kind_of(value: &JsValue) -> u8;
        #[wasm_bindgen(js_name = isNonEmptyText)]
        pub fn is_non_empty_text(value: &JsValue) -> bool;
        #[wasm_bindgen(js_name = isId)]
        pub fn is_id(value: &JsValue) -> bool;
        #[wasm_bindgen(js_name = objectOfKeys)]
        pub fn object_of_keys(
            k1: u32,
            v1: &JsValue,
            k2: u32,
            v2: &JsValue,
            k3: u32,
            v3: &JsValue,
        ) -> JsValue;
        #[wasm_bindgen(js_name = toJson)]
        pub fn to_json(value: &JsValue) -> JsValue;
        #[wasm_bindgen(js_name = parseJson)]
        pub fn parse_json(text: &str) -> JsValue;
        #[wasm_bindgen(js_name = callPendo)]
        pub fn call_pendo(method: u8, first: &JsValue, second: &JsValue) -> JsValue;
        #[wasm_bindgen(js_name = callGetter)]
        pub fn call_getter(target: &JsValue, method: &str) -> JsValue;
        #[wasm_bindgen(js_name = numberToString)]
        pub fn number_to_string(n: f64) -> String;
        #[wasm_bindgen(js_name = changeCase)]
        pub fn change_case(value: &JsValue, upper: bool) -> JsValue;
        #[wasm_bindgen(js_name = foldCase)]
        pub fn fold_case(text: &str) -> String;
        #[wasm_bindgen(js_name = trimText)]
        pub fn trim_text(text: &str) -> String;
        #[wasm_bindgen(js_name = injectScript)]
        pub fn inject_script(src: &str, nonce: Option<&str>, blocked: &str) -> Option<String>;
        #[wasm_bindgen(js_name = warnIfAgentMissingLater)]
        pub fn warn_if_agent_missing_later(ms: u32, message: &str);
        #[wasm_bindgen(js_name = isStoredText)]
        pub fn is_stored_text(key: &str, text: &str) -> bool;
    }

    /// Bindings to `explain.js`, the console groups of explain mode (the full build only).
    #[cfg(feature = "explain")]
    #[wasm_bindgen(module = "/src/web/explain.js")]
    extern "C" {
        pub fn explain(key: &JsValue, title: &str, lines: &Array);
    }
}

/// How console messages start: the destination's name for the SDK of the last destination
/// created ([`Sdk::log_prefix`]).
static LOG_PREFIX: OneThread<Cell<&'static str>> = OneThread(Cell::new(""));

fn log_prefix() -> &'static str {
    LOG_PREFIX.0.get()
}

fn set_log_prefix(sdk: Sdk) {
    let prefix = sdk.log_prefix();
    LOG_PREFIX.0.set(prefix);
    glue::set_log_prefix(prefix);
}

/// The page's switch for explain mode: `localStorage['pendo-wasm:debug'] = '1'`, read once, when
/// the destination is created.
const DEBUG_SWITCH: &str = "pendo-wasm:debug";

/// How many different messages the console is told, per page; see [`say_once`].
const MAX_MESSAGES: usize = 100;

/// The messages said so far, with their levels: each is said once per page.
static SAID: OneThread<RefCell<Vec<Said>>> = OneThread(RefCell::new(Vec::new()));

type Said = (u8, Box<str>);

/// A `static` of the instance: the page runs it on one thread (the build has no `atomics`).
struct OneThread<T>(T);

// SAFETY: without the `atomics` target feature a WebAssembly instance has one thread.
#[cfg(not(target_feature = "atomics"))]
unsafe impl<T> Sync for OneThread<T> {}

/// Says `message` once per page (`level` 0: a warning, 1: an error): a page that sends the
/// same bad event 10,000 times gets one message, not 10,000. After [`MAX_MESSAGES`] different
/// ones, one last message says that the rest are left out.
fn say_once(level: u8, message: &str, suffix: &str) {
    let first = {
        // `try_`: a borrow that cannot fail here, checked without linking the panic of one
        // that does (its message's formatting, 2 KB of the `.wasm`).
        let Ok(mut said) = SAID.0.try_borrow_mut() else {
            return;
        };
        if said.iter().any(|(l, m)| *l == level && **m == *message) || said.len() > MAX_MESSAGES {
            return;
        }
        said.push((level, message.into()));
        said.len() > MAX_MESSAGES
    };
    match first {
        false => glue::say(level, &concat(&[log_prefix(), message, suffix])),
        true => glue::say(
            0,
            &concat(&[
                log_prefix(),
                "more problems than the console is told about; the rest are left out",
            ]),
        ),
    }
}

/// Warns about a skipped event, once per page for each reason.
fn warn(message: &str) {
    say_once(
        0,
        message,
        " (said once per page: later events skipped for this reason are skipped quietly)",
    );
}

fn error(message: &str) {
    say_once(1, message, "");
}

/// One configured destination: settings and subscriptions parsed once, one shared load.
#[wasm_bindgen]
pub struct PendoDestination {
    inner: Destination<JsData>,
    sdk: Sdk,
    /// The SDK's instance, once `load` has found `window.pendo` usable.
    analytics: OnceCell<JsValue>,
    loaded: Cell<bool>,
    /// False once `load` found `window.pendo` held by something that is not Pendo (said once
    /// on the console then): events are dropped quietly.
    pendo_usable: Cell<bool>,
}

#[wasm_bindgen]
impl PendoDestination {
    /// Validates `settings`; throws an `Error` naming the setting when one is refused.
    /// Subscriptions that cannot be parsed are reported on the console and left out.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<PendoDestination, JsError> {
        PendoDestination::for_sdk(settings, Sdk::Segment)
    }

    /// The destination for RudderStack's JavaScript SDK: its presets, and its user and group
    /// read through `getUserId()`, `getAnonymousId()`, `getGroupId()`...; otherwise as
    /// [`PendoDestination::new`].
    #[cfg(feature = "rudderstack")]
    #[wasm_bindgen(js_name = forRudderStack)]
    pub fn for_rudderstack(settings: JsValue) -> Result<PendoDestination, JsError> {
        PendoDestination::for_sdk(settings, Sdk::RudderStack)
    }

    /// Runs every action for one event as the SDK hands it over (RudderStack: `{message}`,
    /// [`Sdk::message_key`]); each subscription's trigger picks the events it runs for. Never
    /// throws, as [`PendoDestination::dispatch`].
    #[cfg(feature = "rudderstack")]
    #[wasm_bindgen(js_name = dispatchAll)]
    pub fn dispatch_all(&self, event: JsValue) {
        let event = match self.sdk.message_key() {
            Some(key) => glue::own_value(&event, &JsValue::from_str(key)),
            None => event,
        };
        for slot in 0..Action::ALL.len() {
            self.dispatch(slot as u32, event.clone());
        }
    }

    /// The actions with at least one enabled subscription, as one flat array of pairs
    /// `[slot, key, slot, key, ...]`: `slot` is what `dispatch` takes, `key` the action's
    /// `partnerAction` (`"track"`). `undefined` when the workspace needs what this build leaves
    /// out (see the README's "Two builds"): the page then creates the destination with the
    /// full build instead. (One export for both: each export costs the `.wasm` about 50 bytes
    /// gzip of wasm-bindgen's borrow checks.)
    pub fn actions(&self) -> Option<Array> {
        if self.inner.needs_full_build() {
            return None;
        }
        // Each action asked in turn, and the array filled by index: collecting
        // `Destination::actions` and the array through iterators costs more code.
        let actions = Array::new();
        let mut length = 0;
        for (slot, action) in (0u32..).zip(Action::ALL) {
            if !self.inner.runs(action) {
                continue;
            }
            actions.set(length, slot.into());
            actions.set(length + 1, action.key().into());
            length += 2;
        }
        Some(actions)
    }

    /// Installs the stub, injects the agent script and calls `pendo.initialize`, once. When
    /// `window.pendo` is held by something that is not Pendo, says so once and resolves:
    /// analytics.js and its other destinations carry on.
    pub fn load(&self, analytics: JsValue) -> Result<(), JsError> {
        if self.loaded.get() {
            return Ok(());
        }
        let identity = || read_identity(&analytics, self.sdk.identity_readers());
        let pendo = snippet::install(&page::Browser, &self.inner.settings, identity)
            .map_err(|e| JsError::new(&concat(&[log_prefix(), &e])))?;
        self.pendo_usable.set(pendo == Pendo::Usable);
        if pendo == Pendo::Usable {
            let _ = self.analytics.set(analytics);
        }
        self.loaded.set(true);
        Ok(())
    }

    /// Runs the action in `slot` for one analytics.js event. Never throws: a skipped event is
    /// one console warning.
    pub fn dispatch(&self, slot: u32, event: JsValue) {
        let event = JsData(event);
        let Some(action) = Action::ALL.get(slot as usize).copied() else {
            return;
        };
        #[cfg(feature = "explain")]
        if self.inner.explaining() {
            return self.dispatch_explained(action, event);
        }
        if !self.pendo_usable.get() {
            return;
        }
        if !event.0.is_object() {
            warn("skipped an event that is not an object");
            return;
        }
        let outcomes = self.in_context(|context| self.inner.dispatch(action, &event, context));
        for outcome in outcomes {
            match outcome {
                Ok(call) => call_pendo(call),
                Err(message) => warn(&message),
            }
        }
    }
}

impl PendoDestination {
    /// [`PendoDestination::dispatch`] in explain mode: the same calls and warnings, and the
    /// lines that say why, handed to the console as one group per event.
    #[cfg(feature = "explain")]
    fn dispatch_explained(&self, action: Action, event: JsData) {
        use pendo_core::explain;
        let title = concat(&[log_prefix(), &explain::title(&event)]);
        let lines = if !self.pendo_usable.get() {
            let why = "window.pendo is held by something that is not Pendo (see the error at load)";
            alloc::vec![alloc::format!("{}: no Pendo call: {why}", action.title())]
        } else if !event.0.is_object() {
            let why = "skipped an event that is not an object";
            warn(why);
            alloc::vec![alloc::format!("{}: no Pendo call: {why}", action.title())]
        } else {
            let (outcomes, lines) =
                self.in_context(|context| self.inner.explain(action, &event, context));
            for outcome in outcomes {
                match outcome {
                    Ok(call) => call_pendo(call),
                    Err(message) => warn(&message),
                }
            }
            lines
        };
        let message_id = glue::own_value(&event.0, &JsValue::from_str("messageId"));
        let key = if message_id.is_string() {
            message_id
        } else {
            event.0
        };
        let lines: Array = lines.iter().map(|line| JsValue::from_str(line)).collect();
        glue::explain(&key, &title, &lines);
    }

    /// Runs `f` with what the actions read besides the event: the settings, and the SDK's
    /// current group, asked only when an action needs it.
    fn in_context<R>(&self, f: impl FnOnce(&Context<'_, JsData>) -> R) -> R {
        let undefined = JsValue::UNDEFINED;
        let analytics = self.analytics.get().unwrap_or(&undefined);
        let group_id = self.sdk.identity_readers().group_id;
        let current_group_id = || Some(JsData(call_chain(analytics, group_id)));
        f(&Context {
            settings: &self.inner.settings,
            current_group_id: &current_group_id,
        })
    }

    fn for_sdk(settings: JsValue, sdk: Sdk) -> Result<PendoDestination, JsError> {
        set_log_prefix(sdk);
        let debug_switch = glue::is_stored_text(DEBUG_SWITCH, "1");
        // The message names the setting, after the destination's name for this SDK. The default
        // build has no words for why (feature `messages`): the page asks the full build, which
        // refuses the same setting and says why, and shows this one only when that build
        // cannot be fetched.
        let (inner, problems) = Destination::new_for(&JsData(settings), sdk, debug_switch)
            .map_err(|e| {
                let why = match e.message.is_empty() {
                    true => "is refused",
                    false => &e.message,
                };
                JsError::new(&concat(&[
                    sdk.log_prefix(),
                    "setting \"",
                    e.setting,
                    "\" ",
                    why,
                ]))
            })?;
        if inner.needs_full_build() {
            // The full build parses the subscriptions again and says what it finds.
            return Ok(PendoDestination::of(inner, sdk));
        }
        // Without words, there is nothing of either (the workspace went to the full build).
        if cfg!(feature = "messages") {
            for problem in &problems {
                error(problem);
            }
            for warning in inner.warnings() {
                say_once(0, warning, "");
            }
        }
        Ok(PendoDestination::of(inner, sdk))
    }

    fn of(inner: Destination<JsData>, sdk: Sdk) -> PendoDestination {
        PendoDestination {
            inner,
            sdk,
            analytics: OnceCell::new(),
            loaded: Cell::new(false),
            pendo_usable: Cell::new(true),
        }
    }
}

/// `target.a().b()...` for the methods of `chain`; `undefined` where one is missing or throws.
fn call_chain(target: &JsValue, chain: &[&str]) -> JsValue {
    chain.iter().fold(target.clone(), |value, method| {
        glue::call_getter(&value, method)
    })
}

/// What the SDK knows about the user and group, read through its public API.
fn read_identity(analytics: &JsValue, readers: IdentityReaders) -> Identity<JsData> {
    let read = |chain: &[&str]| {
        let value = call_chain(analytics, chain);
        (!value.is_undefined() && !value.is_null()).then_some(JsData(value))
    };
    Identity {
        user_id: read(readers.user_id),
        anonymous_id: read(readers.anonymous_id),
        user_traits: read(readers.user_traits),
        group_id: read(readers.group_id),
        group_traits: read(readers.group_traits),
    }
}

/// The methods `glue.js`'s `callPendo` takes by number, in its order.
const PENDO_METHODS: [&str; 4] = ["initialize", "identify", "track", "pageLoad"];

/// Makes one call on `window.pendo`; an agent that throws is reported, never rethrown.
fn call_pendo(call: PendoCall<JsData>) {
    let (method, JsData(first), second) = match call {
        PendoCall::Initialize(options) => (0, options, JsValue::UNDEFINED),
        PendoCall::Identify(options) => (1, options, JsValue::UNDEFINED),
        PendoCall::Track(name, metadata) => {
            (2, name, metadata.map_or(JsValue::UNDEFINED, JsValue::from))
        }
        PendoCall::PageLoad(url) => (3, url, JsValue::UNDEFINED),
    };
    let failure = glue::call_pendo(method, &first, &second);
    if let Some(message) = failure.as_string() {
        let name = PENDO_METHODS
            .get(usize::from(method))
            .copied()
            .unwrap_or("?");
        error(&concat(&["pendo.", name, " failed: ", &message]));
    }
}
