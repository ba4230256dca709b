//! Pendo Web (actions): the Segment analytics.js destination that drives Pendo's web agent.
//!
//! The crate is written against the [`data::Data`] trait so that everything but the page
//! boundary runs, and is tested, on the host as well as in the browser:
//! - [`js_text`]: JavaScript's number-to-text and case conversions, ported for the host;
//! - [`quote`]: text quoted in error messages;
//! - [`search`]: finding text in text;
//! - [`settings`]: destination settings, validated once;
//! - [`snippet`]: the Pendo stub, the agent script and the first `initialize`;
//! - [`trigger`]: the subscription language (`type = "track"`);
//! - [`mapping`]: the mapping language (`{"@path": "$.traits"}`);
//! - [`subscriptions`]: which action runs for which events, with which mapping;
//! - [`actions`]: Send Identify, Send Group, Send Track, Send Page;
//! - [`destination`]: all of the above, parsed once, dispatching each event;
//! - `web` (browser only): the `#[wasm_bindgen]` exports the JS shim turns into plugins.

pub mod actions;
pub mod data;
pub mod destination;
pub mod js_text;
pub mod mapping;
pub mod quote;
pub mod search;
pub mod settings;
pub mod snippet;
pub mod subscriptions;
pub mod trigger;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// Talc instead of Rust's default dlmalloc: a few KB less in the `.wasm`.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
