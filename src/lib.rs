//! Pendo Web (actions): the Segment analytics.js destination that drives Pendo's web agent.
//!
//! This crate is the browser layer: the `#[wasm_bindgen]` exports that the JS shim turns into
//! plugins, the page's values behind [`pendo_core::data::Data`], and the page calls (the stub,
//! the agent script, the console). Everything else, from settings to the Pendo calls an event
//! makes, is the page-independent [`pendo_core`] crate underneath.

#[cfg(target_arch = "wasm32")]
pub mod web;

/// Talc instead of Rust's default dlmalloc: a few KB less in the `.wasm`.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
