//! Pendo Web (actions): the Segment analytics.js destination that drives Pendo's web agent.
//!
//! This crate is the browser layer: the `#[wasm_bindgen]` exports that the JS shim turns into
//! plugins, the page's values behind [`pendo_core::data::Data`], and the page calls (the stub,
//! the agent script, the console). Everything else, from settings to the Pendo calls an event
//! makes, is the page-independent [`pendo_core`] crate underneath.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// Without the standard library, a panic (which the code never means to reach: it has no
/// `unwrap` on input) stops the instance at once, without formatting a message: the message
/// machinery would cost more bytes than the rest of the panic path.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// lol_alloc's free list instead of Rust's default dlmalloc: a few KB less in the `.wasm`. The
/// instance runs on one thread (the build has no `atomics`), as `AssumeSingleThreaded` asks.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
// SAFETY: without the `atomics` target feature a WebAssembly instance has one thread.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
